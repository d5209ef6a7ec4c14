"""In-between frames on real texture, and retiming a shot without crossing a cut."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import torch

from engine.interp import Boundary, Inbetweener, Retiming, retime_shot
from engine.interp.retime import mix
from engine.media.source import open_source

CPU = torch.device("cpu")


@pytest.fixture(scope="module")
def texture(bikes: Path) -> np.ndarray:
    """A real 640×272 frame of bikes (RGB)."""
    with open_source(bikes) as source:
        return source.frame(40)


def _moved(texture: np.ndarray, dx: float, dy: float, size: tuple[int, int] = (256, 160)) -> np.ndarray:
    """A window of ``texture`` (``size`` px) whose content is shifted by (dx, dy) px (sub-pixel, bicubic)."""
    import cv2

    shift = np.float32([[1, 0, dx], [0, 1, dy]])
    moved = cv2.warpAffine(texture, shift, (texture.shape[1], texture.shape[0]), flags=cv2.INTER_CUBIC,
                           borderMode=cv2.BORDER_REFLECT)
    return moved[60 : 60 + size[1], 200 : 200 + size[0]]


def _psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return 10 * np.log10(255.0**2 / max(mse, 1e-12))


def test_moving_real_texture_is_rebuilt_far_better_than_blending(texture: np.ndarray) -> None:
    first, middle, last = (_moved(texture, 7.0 * t, -3.0 * t) for t in (0.0, 0.5, 1.0))
    made = Inbetweener(CPU).pictures(first, last, [0.5])[0]
    blended = mix(first, last, 0.5)
    assert made.dtype == np.uint8 and made.shape == middle.shape
    # Judge the inside: the picture's edges hold content that entered the window.
    inside = (slice(12, -12), slice(12, -12))
    ours, blend = _psnr(made[inside], middle[inside]), _psnr(blended[inside], middle[inside])
    assert ours > 30.0
    assert ours > blend + 8.0


def _shot(count: int, base: int, texture: np.ndarray) -> list[np.ndarray]:
    return [_moved(texture, base + 2.0 * i, 0.0, (128, 96)) for i in range(count)]


def test_whole_positions_are_the_source_frames_exactly(texture: np.ndarray) -> None:
    frames = _shot(4, 0, texture)
    out = list(retime_shot(frames, 0, 4, Retiming(Fraction(25), Fraction(50)), device=CPU))
    assert len(out) == 8
    for i, frame in enumerate(frames):
        assert out[2 * i] is frame or np.array_equal(out[2 * i], frame)
    assert not any(np.array_equal(out[k], f) for k in (1, 3, 5) for f in frames)


def test_nothing_crosses_a_cut_with_hold(texture: np.ndarray) -> None:
    timing = Retiming(Fraction(24), Fraction(60))
    a = _shot(3, 0, texture)
    b = [255 - f for f in _shot(3, 40, texture)]  # another shot, unlike the first
    first = list(retime_shot(a, 0, 3, timing, boundary=Boundary.HOLD, following=b[0], device=CPU))
    second = list(retime_shot(b, 3, 6, timing, boundary=Boundary.HOLD, device=CPU))
    assert len(first) + len(second) == timing.output_count(6) == 15
    assert len(first) == len(timing.output_range(0, 3)) == 8
    # After the shot's last frame (positions 2.4, 2.8) the last frame is held.
    assert np.array_equal(first[-1], a[-1]) and np.array_equal(first[-2], a[-1])
    # The next shot's first output frame (position 3.2) is made from its own frames 3 and 4 only.
    assert timing.position(timing.output_range(3, 6).start) == Fraction(16, 5)
    # Every frame of a shot is close to its own shot's pictures and far from the other's.
    for own, other, made in ((a, b, first), (b, a, second)):
        for picture in made:
            near = min(np.abs(picture.astype(int) - f).mean() for f in own)
            far = min(np.abs(picture.astype(int) - f).mean() for f in other)
            assert near < far / 4


def test_blend_boundary_fades_into_the_next_shot(texture: np.ndarray) -> None:
    timing = Retiming(Fraction(25), Fraction(50))
    a = _shot(2, 0, texture)
    following = np.zeros_like(a[0])
    out = list(retime_shot(a, 0, 2, timing, boundary=Boundary.BLEND, following=following, device=CPU))
    assert np.array_equal(out[-1], mix(a[-1], following, 0.5))


def test_a_shot_without_interpolation_repeats_its_frames(texture: np.ndarray) -> None:
    timing = Retiming(Fraction(24), Fraction(60))
    frames = _shot(4, 0, texture)
    out = list(retime_shot(frames, 0, 4, timing, motion=False, device=CPU))
    assert len(out) == 10
    expected = [round(float(timing.position(k)) + 1e-9) for k in range(10)]
    expected = [min(i, 3) for i in expected]
    for picture, index in zip(out, expected):
        assert np.array_equal(picture, frames[index])


def test_dissolves_are_blended_not_warped(texture: np.ndarray) -> None:
    frames = _shot(4, 0, texture)
    out = list(retime_shot(frames, 10, 14, Retiming(Fraction(25), Fraction(50)), transitions=[(11, 13)],
                           device=CPU))
    assert np.array_equal(out[3], mix(frames[1], frames[2], 0.5))
    assert not np.array_equal(out[1], mix(frames[0], frames[1], 0.5))
