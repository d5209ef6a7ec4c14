"""In-betweens of real footage: painting on a torch device, several times per pair, 16 bit, and old-film grain."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from engine.interp import Inbetweener
from engine.interp.grain import GRAIN_VISIBLE
from engine.interp.paint import paint, paint_on_device
from engine.interp.projection import painting_at
from engine.interp.retime import mix
from engine.testing.clips import frames_of
from engine.testing.oldfilm import OldFilm

CPU = torch.device("cpu")


@pytest.fixture(scope="module")
def bikes_frames(bikes: Path) -> list[np.ndarray]:
    """Frames 40–42 of the real 640×272 bikes clip (RGB): the middle one is what is rebuilt."""
    return frames_of(bikes, range(40, 43))


def _psnr(a: np.ndarray, b: np.ndarray, peak: float = 255.0) -> float:
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return 10 * np.log10(peak**2 / max(mse, 1e-12))


def test_painting_on_a_torch_device_matches_the_cpu_painting(bikes_frames: list[np.ndarray]) -> None:
    # CI has no CUDA: the device path runs here on the CPU, with the same torch code CUDA runs.
    first, real, second = bikes_frames
    maker = Inbetweener(CPU)
    motion = maker.motion(first, second)
    painting = painting_at(0.5, motion)
    on_cpu = paint(first, second, painting, motion.grain)
    on_device = paint_on_device(first, second, [painting], motion.grain, CPU)[0]
    assert on_device.dtype == np.uint8 and on_device.shape == real.shape
    # OpenCV's and torch's bicubic kernels differ slightly; the pictures must not.
    assert _psnr(on_device, on_cpu) > 40.0
    assert _psnr(on_device, real) > _psnr(mix(first, second, 0.5), real) + 4.0


def test_every_time_of_a_pair_comes_from_one_motion(bikes_frames: list[np.ndarray]) -> None:
    first, real, second = bikes_frames
    maker = Inbetweener(CPU)
    quarter, half, three_quarters = maker.pictures(first, second, [0.25, 0.5, 0.75])
    assert np.array_equal(half, maker.pictures(first, second, [0.5])[0])
    # Each time is nearer its nearer neighbour than the other's.
    assert _psnr(quarter, first) > _psnr(quarter, second)
    assert _psnr(three_quarters, second) > _psnr(three_quarters, first)
    assert _psnr(half, real) > _psnr(mix(first, second, 0.5), real) + 4.0


def test_sixteen_bit_frames_keep_their_depth(bikes_frames: list[np.ndarray]) -> None:
    first, real, second = (f.astype(np.uint16) * 257 for f in bikes_frames)
    made = Inbetweener(CPU).pictures(first, second, [0.5])[0]
    eight = Inbetweener(CPU).pictures(bikes_frames[0], bikes_frames[2], [0.5])[0]
    assert made.dtype == np.uint16
    assert _psnr(made, real, 65535.0) > _psnr(mix(first, second, 0.5), real, 65535.0) + 4.0
    assert _psnr((made >> 8).astype(np.uint8), eight) > 40.0


def test_old_film_grain_is_measured_and_evened_but_clean_footage_is_not(bikes_frames: list[np.ndarray]) -> None:
    maker = Inbetweener(CPU)
    clean = maker.motion(bikes_frames[0], bikes_frames[2])
    first, real, second = OldFilm(seed=3).stream(bikes_frames)
    grainy = maker.motion(first, second)
    assert clean.grain < GRAIN_VISIBLE / 2 < GRAIN_VISIBLE < grainy.grain
    # The dropped frame's own grain cannot be predicted: evening the leftover grain brings the
    # in-between closer to it than painting alone.
    painting = painting_at(0.5, grainy)
    evened = paint(first, second, painting, grainy.grain)
    as_painted = paint(first, second, painting, 0.0)
    assert _psnr(evened, real) > _psnr(as_painted, real) + 0.2
    assert np.array_equal(maker.pictures(first, second, [0.5])[0], evened)
    on_device = paint_on_device(first, second, [painting], grainy.grain, CPU)[0]
    assert _psnr(on_device, evened) > 40.0
