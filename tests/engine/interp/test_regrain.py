"""Regrain: in-betweens of grainy film get grain of their own, as strong as the frames around them."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
import torch

from engine.interp import Inbetweener
from engine.interp.motion import GRAIN_SIGMA_PX
from engine.testing.oldfilm import OldFilm
from tests.engine.interp.conftest import clip_run

CPU = torch.device("cpu")


def _fine_detail(picture: np.ndarray) -> float:
    """Spread of the luma finer than the blur grain is measured over (0–1 scale): mostly grain on worn film."""
    luma = cv2.cvtColor(picture, cv2.COLOR_RGB2GRAY).astype(np.float32) / 255
    return float((luma - cv2.GaussianBlur(luma, (0, 0), GRAIN_SIGMA_PX)).std())


@pytest.fixture(scope="module")
def worn(bikes: Path) -> list[np.ndarray]:
    """Three real frames (bikes 40–42) worn like an old print: the middle one is what is rebuilt."""
    return list(OldFilm(seed=3).stream(clip_run(bikes, 40, 3)))


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
    clean = clip_run(bikes, 40, 3)
    assert np.array_equal(maker.pictures(clean[0], clean[2], [0.5])[0],
                          Inbetweener(CPU).pictures(clean[0], clean[2], [0.5])[0])
