"""Shared helpers for the colorization tests: real frames made gray, ground-truth hints."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from engine.color.luma import rgb_to_chroma
from engine.project.hints import Hint, rgb_to_hex
from engine.testing.clips import frames_of


def true_hints(rgb: np.ndarray, count: int, seed: int, frame: int = 0) -> list[Hint]:
    """``count`` 3×3 dots at random positions taking the true colour (mean of the patch)."""
    rng = np.random.default_rng(seed)
    h, w = rgb.shape[:2]
    hints = []
    for _ in range(count):
        x, y = int(rng.integers(1, w - 1)), int(rng.integers(1, h - 1))
        color = rgb[y - 1 : y + 2, x - 1 : x + 2].reshape(-1, 3).mean(0)
        hints.append(Hint(frame=frame, points=((x, y),), radius=1.0, color=rgb_to_hex(tuple(color))))
    return hints


def recolor_hints(hints: list[Hint], rgb: np.ndarray) -> list[Hint]:
    """The same hint positions with the true colours of another frame."""
    out = []
    for hint in hints:
        x, y = (int(v) for v in hint.points[0])
        color = rgb[y - 1 : y + 2, x - 1 : x + 2].reshape(-1, 3).mean(0)
        out.append(Hint(frame=hint.frame, points=hint.points, radius=hint.radius, color=rgb_to_hex(tuple(color))))
    return out


def chroma_psnr(result: np.ndarray, truth: np.ndarray) -> float:
    """PSNR (dB, peak 1) of the BT.709 chroma of two RGB frames."""
    return chroma_psnr_of(rgb_to_chroma(result), truth)


def chroma_psnr_of(chroma: np.ndarray, truth: np.ndarray) -> float:
    """PSNR (dB, peak 1) of chroma ``(2, H, W)`` against an RGB frame's."""
    mse = float(np.mean((chroma - rgb_to_chroma(truth)) ** 2))
    return 10 * np.log10(1 / max(mse, 1e-12))


@pytest.fixture(scope="module")
def carphone_frames(carphone: Path) -> list[np.ndarray]:
    """The first 30 frames of the real carphone clip (176×144)."""
    return frames_of(carphone, range(30))


@pytest.fixture(autouse=True)
def one_torch_thread():
    """Run these small solves on one thread: on a loaded 2-core machine OpenMP's spinning costs more than it gains."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
