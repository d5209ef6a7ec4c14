#!/usr/bin/env bash
# Relume's development entry point.
#   ./relume.sh demo   create .venv if missing, then run the main job on the bundled sample
#   ./relume.sh test   create .venv if missing, then run every test
#   ./relume.sh env    only create or refresh .venv
# Extra arguments are passed on (to pytest for `test`, to `relume demo` for `demo`).
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3.11}
VENV=.venv

ensure_env() {
    local stamp want
    want=$(sha256sum pyproject.toml | cut -c1-16)
    stamp=$VENV/.relume-stamp
    if [ -x "$VENV/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return
    fi
    if ! command -v "$PY" >/dev/null; then
        echo "relume.sh: $PY not found; install Python 3.11 or set PYTHON=/path/to/python3.11" >&2
        exit 2
    fi
    echo "relume.sh: preparing $VENV (first run takes a few minutes)" >&2
    local free_kb
    free_kb=$(df -Pk . 2>/dev/null | awk 'NR == 2 {print $4}')
    if [ -n "$free_kb" ] && [ "$free_kb" -lt 7000000 ]; then
        # pip's own message comes only at the end, as "No space left on device" in the middle of a log.
        echo "relume.sh: warning: only $((free_kb / 1024)) MB free here; $VENV takes about 6.5 GB (PyTorch's CUDA build)" >&2
    fi
    [ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
    if ! "$VENV/bin/python" -m pip install -e '.[test]' > "$VENV/install.log" 2>&1; then
        tail -n 30 "$VENV/install.log" >&2
        echo "relume.sh: installing the dependencies failed; the full log is $VENV/install.log" >&2
        exit 1
    fi
    echo "$want" > "$stamp"
}

cmd=${1:-demo}
[ $# -gt 0 ] && shift
case "$cmd" in
    env)  ensure_env ;;
    demo) ensure_env; exec "$VENV/bin/relume" demo "$@" ;;
    test) ensure_env; export QT_QPA_PLATFORM=offscreen; exec "$VENV/bin/python" -m pytest "$@" ;;
    *)    echo "usage: ./relume.sh demo|test|env [args...]" >&2; exit 2 ;;
esac
