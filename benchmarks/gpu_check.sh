#!/usr/bin/env bash
# One pass over Relume's CUDA paths on a machine with an NVIDIA GPU, in a few minutes:
#   1. the engine's tests with CUDA visible (every torch stage then runs on the GPU by default);
#   2. the neural stages' benchmarks on the GPU (the upscaler in float16, as the export runs it);
#   3. whole exports of a real 480p clip: colorized by hints, upscaled to UHD, and retimed to 48 fps.
# Each step has a time limit of its own so that one slow step cannot hide the rest.
#
#   benchmarks/gpu_check.sh [LOG_FOLDER]      (default: ./gpu-check)
#
# It uses the python3 on the PATH (PYTHON overrides) and the repository as it stands; packages
# that machine lacks can sit as wheels in .whl/ (installed into a private folder, not over its own).
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
DEVICE=${DEVICE:-cuda}
LOGS=${1:-gpu-check}
mkdir -p "$LOGS"
export PYTHONUNBUFFERED=1 QT_QPA_PLATFORM=offscreen PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"

if compgen -G ".whl/*.whl" >/dev/null; then
    "$PY" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/relume-site .whl/*.whl \
        || { echo "gpu_check: installing .whl/ failed"; exit 2; }
    export PYTHONPATH="$PYTHONPATH:/tmp/relume-site"
fi

step() {  # step NAME SECONDS COMMAND...
    local name=$1 limit=$2 started rc
    shift 2
    echo "=== $name (limit ${limit}s): $*"
    started=$(date +%s%N)
    timeout "$limit" "$@" 2>&1 | tee "$LOGS/$name.log"
    rc=${PIPESTATUS[0]}
    echo "=== $name: exit $rc after $(( ($(date +%s%N) - started) / 1000000 )) ms"
}

step env 60 bash -c "nvidia-smi -L; $PY -c 'import torch, av, spandrel; print(\"torch\", torch.__version__, \"cuda\", torch.cuda.is_available(), torch.cuda.get_device_name(0) if torch.cuda.is_available() else \"-\"); print(\"av\", av.__version__, \"spandrel\", spandrel.__version__)'"
step tests 170 "$PY" -m pytest -q -p no:cacheprovider --timeout 120 \
    tests/engine/color tests/engine/upscale tests/engine/interp tests/engine/render tests/engine/cli
step upscale 90 "$PY" benchmarks/upscale.py --device "$DEVICE" --repeats 30
step interp 90 "$PY" benchmarks/interp.py --device "$DEVICE"
step colorize 90 "$PY" benchmarks/colorize.py --quick --device "$DEVICE"
# The same on the CPU with every core, to judge which device should colorize by default.
step colorize-cpu 120 "$PY" benchmarks/colorize.py --quick --device cpu --threads "$(nproc)"

# A 480p grey film of 48 frames (bikes, letterboxed), colorized by two strokes, upscaled to UHD:
# once at its own rate, once retimed to 48 fps (twice the frames, half of them invented).
work=$(mktemp -d)
"$PY" - "$work/film.mp4" <<'EOF'
import sys

import av
import cv2
import numpy as np

from engine.testing.clips import clip_frames

with av.open(sys.argv[1], "w") as out:
    stream = out.add_stream("libx264", rate=24, options={"crf": "16"})
    stream.width, stream.height, stream.pix_fmt = 640, 480, "yuv420p"
    for rgb in clip_frames("bikes", range(48)):
        canvas = np.zeros((480, 640), np.uint8)
        canvas[104:376] = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
        out.mux(stream.encode(av.VideoFrame.from_ndarray(canvas, format="gray").reformat(format="yuv420p")))
    out.mux(stream.encode())
EOF
cat > "$work/hints.json" <<'EOF'
{"hints": [{"frame": 0, "points": [[100, 160], [180, 170]], "radius": 4, "color": "#87a9cf"},
           {"frame": 0, "points": [[320, 340], [400, 350]], "radius": 4, "color": "#6b8f4f"}]}
EOF
step export 150 "$PY" -m engine.cli export "$work/film.mp4" --out "$work/uhd.mov" --size uhd --upscaler relume \
    --hints "$work/hints.json" --cuts none --device "$DEVICE"
step export-48fps 200 "$PY" -m engine.cli export "$work/film.mp4" --out "$work/uhd48.mov" --size uhd \
    --upscaler relume --fps 48 --hints "$work/hints.json" --cuts none --device "$DEVICE"
step probe 30 "$PY" -m engine.cli probe "$work/uhd48.mov"
rm -rf "$work"
