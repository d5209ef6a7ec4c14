"""Regrain: in-betweens of grainy film get grain of their own, as strong and as coarse as the frames around them."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
import torch

from engine.interp import Inbetweener
from engine.interp.motion import GRAIN_SIGMA_PX
from engine.interp.paint import paint, paint_on_device
from engine.interp.projection import painting_at
from engine.testing.clips import frames_of
from engine.testing.oldfilm import OldFilm

CPU = torch.device("cpu")


def _fine_detail(picture: np.ndarray) -> float:
    """Spread of the luma finer than the blur grain is measured over (0–1 scale): mostly grain on worn film."""
    luma = cv2.cvtColor(picture, cv2.COLOR_RGB2GRAY).astype(np.float32) / 255
    return float((luma - cv2.GaussianBlur(luma, (0, 0), GRAIN_SIGMA_PX)).std())


@pytest.fixture(scope="module")
def worn(bikes: Path) -> list[np.ndarray]:
    """Three real frames (bikes 40–42) worn like an old print: the middle one is what is rebuilt."""
    return list(OldFilm(seed=3).stream(frames_of(bikes, range(40, 43))))


def test_regrained_inbetweens_are_as_grainy_as_the_real_frame(worn: list[np.ndarray]) -> None:
    first, real, second = worn
    smooth = Inbetweener(CPU).pictures(first, second, [0.5])[0]
    regrained = Inbetweener(CPU, regrain=True).pictures(first, second, [0.5])[0]
    # Evened out, the in-between is far smoother than the film around it: at a doubled rate the grain pulses.
    assert _fine_detail(smooth) < 0.6 * _fine_detail(real)
    assert 0.8 * _fine_detail(real) < _fine_detail(regrained) < 1.25 * _fine_detail(real)
    # New grain, not the old put back: the regrained picture is no nearer the real one's grain than chance.
    assert np.abs(regrained.astype(float) - smooth).mean() > 1.0


def test_regrain_is_repeatable_keeps_gray_film_gray_and_leaves_clean_footage_alone(
        worn: list[np.ndarray], bikes: Path) -> None:
    first, _, second = worn
    maker = Inbetweener(CPU, regrain=True)
    again = maker.pictures(first, second, [0.25, 0.5])
    assert all(np.array_equal(a, b) for a, b in zip(again, maker.pictures(first, second, [0.25, 0.5])))
    assert not np.array_equal(again[0], again[1])  # each time its own grain
    assert np.array_equal(again[1][..., 0], again[1][..., 1]) and np.array_equal(again[1][..., 1], again[1][..., 2])
    clean = frames_of(bikes, range(40, 43))
    assert np.array_equal(maker.pictures(clean[0], clean[2], [0.5])[0],
                          Inbetweener(CPU).pictures(clean[0], clean[2], [0.5])[0])


# Worn film enlarged 3× (as the master's upscale does): its grain is enlarged with it, clumps 3 px across.
FILM_SIZE, ENLARGED_SIZE = (640, 272), (1920, 816)


@pytest.fixture(scope="module")
def worn_enlarged(worn: list[np.ndarray]) -> list[np.ndarray]:
    return [cv2.resize(f, ENLARGED_SIZE, interpolation=cv2.INTER_LANCZOS4) for f in worn]


def _film_detail(picture: np.ndarray) -> float:
    """:func:`_fine_detail` of an enlarged picture seen at the film's own size, where its grain is."""
    return _fine_detail(cv2.resize(picture, FILM_SIZE, interpolation=cv2.INTER_AREA))


def test_enlarged_film_gets_grain_as_coarse_as_its_own(worn_enlarged: list[np.ndarray]) -> None:
    first, real, second = worn_enlarged
    as_pixels = Inbetweener(CPU, regrain=True).pictures(first, second, [0.5])[0]
    as_film = Inbetweener(CPU, regrain=True, film_width=FILM_SIZE[0]).pictures(first, second, [0.5])[0]
    # Grain made at the frames' own pixels is far finer than the enlarged film's: seen at the film's
    # size it mostly averages away, and the in-between still looks smoother than the frames around it.
    assert _film_detail(as_pixels) < 0.6 * _film_detail(real)
    assert 0.8 * _film_detail(real) < _film_detail(as_film) < 1.25 * _film_detail(real)


def test_enlarged_film_is_evened_at_its_own_grain_size(worn_enlarged: list[np.ndarray]) -> None:
    first, real, second = worn_enlarged
    as_pixels = Inbetweener(CPU).pictures(first, second, [0.5])[0]
    as_film = Inbetweener(CPU, film_width=FILM_SIZE[0]).pictures(first, second, [0.5])[0]
    # Judged at its own size the enlarged grain is evened as on the film itself: the in-between comes nearer
    # the frame it stands for (0.36 dB here; 0.57 dB over eight pairs enlarged 4.5×).
    assert _psnr(as_film, real) > _psnr(as_pixels, real) + 0.2
    assert _film_detail(as_film) < 0.5 * _film_detail(as_pixels)


def test_enlarged_grain_is_evened_alike_on_a_torch_device(worn_enlarged: list[np.ndarray]) -> None:
    first, _, second = worn_enlarged
    maker = Inbetweener(CPU, film_width=FILM_SIZE[0])
    motion = maker.motion(first, second)
    painting = painting_at(0.5, motion)
    scale = maker.grain_scale(first.shape[1])
    assert scale == 3.0
    on_cpu = paint(first, second, painting, motion.grain, scale=scale)
    on_device = paint_on_device(first, second, [painting], motion.grain, CPU, scale=scale)[0]
    assert _psnr(on_device, on_cpu) > 40.0


def test_frames_barely_larger_than_the_film_count_as_its_own_size() -> None:
    maker = Inbetweener(CPU, film_width=640)
    assert maker.grain_scale(640) == maker.grain_scale(720) == 1.0  # a crop of overscan, say
    assert maker.grain_scale(2880) == 4.5
    assert Inbetweener(CPU).grain_scale(2880) == 1.0


def _psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return 10 * np.log10(255.0**2 / max(mse, 1e-12))
