"""Stroke-to-updated-preview latency of the hint brush, p50/p95, beside a GUI-thread peer.

Opens the bundled sample project in the real editor window (Qt's offscreen
platform), paints strokes on a keyframe through the hint layer's mouse path,
and times each stroke from the mouse release to the viewer showing a preview
rendered with it at a 960 px wide viewer: the full-width picture (the goal,
p95 ≤ 150 ms) and, apart from it, the half-width draft the editor asks for
first. The peer, measured in the same run on the same strokes, renders the
repainted frame synchronously on the GUI thread at full width. It also prints
the longest event-loop stall of each, and the load average before and after
(the machine may be shared). The measuring code is :mod:`gui.hint_benchmark`
(this folder must not import Qt), run here in a child interpreter.

Usage::

    .venv/bin/python benchmarks/hint_latency.py               # 30 strokes per contender
    .venv/bin/python benchmarks/hint_latency.py --strokes 10
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    """Run the editor-side benchmark and pass its table through."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    return subprocess.call([sys.executable, "-m", "gui.hint_benchmark", *sys.argv[1:]], cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main())
