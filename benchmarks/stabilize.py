"""Stabilize quality and speed: Relume beside FFmpeg's ``deshake`` filter on real footage with a known gate weave.

Real shots — bikes 36–75 (a pan that speeds up and stops, 640 px wide),
bikes 76–136 (a tilt while a blurred car crosses the whole picture, 320 px),
carphone (a handheld camera in a car, enlarged to 320 px) and bigbuckbunny
0–89 (640 px) — are made gray: the truth. Each is run through
:class:`~engine.testing.oldfilm.OldFilm` with gate weave alone (``weave_px``
1.0, every other wear 0) and, in a second pass, with grain, exposure flicker
and dust on top. Each method steadies the shot; printed per shot and method:

* **weave px** — the weave left: the RMS frame-to-frame change of the
  output's offset from the truth (phase correlation of the two inside a border
  of 1/32 of the width), in pixels of the shot's own size. Nothing can take
  out the weave's slow part, which is indistinguishable from a camera move,
  nor tell a handheld camera's own shake (carphone) from weave; both count here.
* **dB** — PSNR against the truth inside the same border (a steadied frame's
  edges are filled picture).
* **fps** — frames per second of the whole method on one core.

"nothing" is the degraded input itself. The peer is FFmpeg's ``deshake``
(block matching, default search range, mirrored edges) run through PyAV's
filter graph in the same process.

Usage::

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/stabilize.py
"""

from __future__ import annotations

import time
from collections.abc import Callable

import cv2
import numpy as np

from engine.restore.stabilize import stabilize
from engine.testing.clips import clip
from engine.testing.ffmpeg_filters import gray_film_through
from engine.testing.make_media import clip_pictures
from engine.testing.oldfilm import OldFilm, Wear

SHOTS = (
    ("bikes pan", "bikes", 36, 76, (640, 272)),
    ("bikes tilt+car", "bikes", 76, 137, (320, 136)),
    ("carphone", "carphone", 0, 120, (320, 262)),
    ("bigbuckbunny", "bigbuckbunny", 0, 90, (640, 360)),
)
NO_WEAR = dict(flicker_slow=0.0, flicker_fast=0.0, flicker_offset=0.0, grain=0.0, dust_per_frame=0.0,
               scratch_rate=0.0, vignette=0.0)
WEARS = {
    "weave": Wear(**NO_WEAR, weave_px=1.0),
    "weave+grain+flicker+dust": Wear(**NO_WEAR | dict(flicker_slow=0.10, flicker_fast=0.05, flicker_offset=0.02,
                                                       grain=0.07, dust_per_frame=4.0), weave_px=1.0),
}

Method = Callable[[list[np.ndarray]], list[np.ndarray]]






def _inner(frame: np.ndarray) -> np.ndarray:
    border = max(8, frame.shape[1] // 32)
    return frame[border:-border, border:-border, 0].astype(np.float32)


def offset_px(picture: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """How far ``picture`` sits from ``truth`` (px right and down), by phase correlation inside the border."""
    a, b = _inner(picture), _inner(truth)
    (dx, dy), _ = cv2.phaseCorrelate(b, a, cv2.createHanningWindow(a.shape[::-1], cv2.CV_32F))
    return np.array([dx, dy])


def weave_left_px(frames: list[np.ndarray], truth: list[np.ndarray]) -> float:
    offsets = np.array([offset_px(f, t) for f, t in zip(frames, truth)])
    return float(np.sqrt(np.mean(np.sum(np.diff(offsets, axis=0) ** 2, axis=1))))


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = np.mean((_inner(a) - _inner(b)) ** 2)
    return float(10 * np.log10(255.0**2 / max(float(mse), 1e-12)))


def measure(method: Method, truth: list[np.ndarray], damaged: list[np.ndarray]) -> tuple[float, float, float]:
    start = time.perf_counter()
    steady = method(damaged)
    seconds = time.perf_counter() - start
    assert len(steady) == len(truth) and steady[0].shape == truth[0].shape
    return weave_left_px(steady, truth), float(np.mean([psnr(s, t) for s, t in zip(steady, truth)])), len(truth) / seconds


def main() -> None:
    methods: dict[str, Method] = {
        "nothing": lambda frames: frames,
        "Relume": lambda frames: list(stabilize(frames)),
        "ffmpeg deshake": lambda frames: gray_film_through(frames, "deshake=edge=mirror", "yuv420p"),
    }
    wins = []
    for wear_name, wear in WEARS.items():
        print(f"\n{wear_name}")
        print(f"{'shot':16} {'size':>8} {'frames':>6} " + " ".join(f"{m + ' weave px':>23}" for m in methods)
              + " " + " ".join(f"{m + ' dB':>17}" for m in methods)
              + " " + " ".join(f"{m + ' fps':>18}" for m in list(methods)[1:]))
        for seed, (label, name, first, last, size) in enumerate(SHOTS):
            truth = clip_pictures(clip(name), size, gray=True)[first:last]
            damaged = list(OldFilm(seed, wear).stream(truth))
            results = {m: measure(f, truth, damaged) for m, f in methods.items()}
            wins.append(results["Relume"][0] < results["ffmpeg deshake"][0])
            print(f"{label:16} {size[0]:>4}x{size[1]:<3} {len(truth):6d} "
                  + " ".join(f"{r[0]:23.2f}" for r in results.values())
                  + " " + " ".join(f"{r[1]:17.2f}" for r in results.values())
                  + " " + " ".join(f"{r[2]:18.1f}" for m, r in results.items() if m != "nothing"))
    print(f"\nsummary: Relume leaves less weave than FFmpeg's deshake on {sum(wins)} of {len(wins)} worn real shots")


if __name__ == "__main__":
    main()
