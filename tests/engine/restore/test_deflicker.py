"""Deflicker on real footage with a known exposure flicker."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from engine.errors import Cancelled
from engine.progress import CancelToken
from engine.restore.deflicker import deflicker, tone_curve
from engine.testing.make_media import clip_pictures


@pytest.fixture(scope="module")
def steady(bikes: Path) -> list[np.ndarray]:
    """The first shot of bikes (30 real frames), gray, at 320×136."""
    return clip_pictures(bikes, (320, 136), gray=True)[:30]


def _flickered(frames: list[np.ndarray], seed: int = 3) -> list[np.ndarray]:
    """An old print's flicker: each frame's gain and black level wander (lifted blacks, dimmed highs)."""
    rng = np.random.default_rng(seed)
    out = []
    for frame in frames:
        gain, lift = rng.uniform(0.85, 1.15), rng.uniform(-8, 8)
        out.append(np.clip(frame.astype(np.float32) * gain + lift, 0, 255).round().astype(np.uint8))
    return out


def _psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return float(10 * np.log10(255.0**2 / mse))


def test_flicker_is_removed_and_the_picture_comes_back(steady: list[np.ndarray]) -> None:
    flickered = _flickered(steady)
    repaired = list(deflicker(flickered, window=9))
    means = lambda frames: np.array([f.mean() for f in frames])  # noqa: E731
    # Frame-to-frame exposure jumps shrink to near the footage's own.
    jumps = lambda frames: np.abs(np.diff(means(frames))).mean()  # noqa: E731
    assert jumps(repaired) < 0.3 * jumps(flickered)
    assert jumps(repaired) < 2.5 * jumps(steady) + 1.0
    before = np.mean([_psnr(f, s) for f, s in zip(flickered, steady)])
    after = np.mean([_psnr(f, s) for f, s in zip(repaired, steady)])
    assert after > before + 6.0, (before, after)


def test_steady_footage_is_left_alone(steady: list[np.ndarray]) -> None:
    repaired = list(deflicker(steady, window=9))
    assert len(repaired) == len(steady)
    assert min(_psnr(r, s) for r, s in zip(repaired, steady)) > 36.0
    assert all(r.shape == s.shape and r.dtype == s.dtype for r, s in zip(repaired, steady))


def test_gray_stays_gray_and_16_bit_keeps_its_depth(steady: list[np.ndarray]) -> None:
    deep = [f.astype(np.uint16) * 257 for f in _flickered(steady[:12])]
    repaired = list(deflicker(deep, window=5))
    assert all(r.dtype == np.uint16 for r in repaired)
    assert all(np.array_equal(r[..., 0], r[..., 1]) and np.array_equal(r[..., 1], r[..., 2]) for r in repaired)
    # The curve lands between the 257-steps of the 8-bit picture: the low bits carry tone.
    assert all(np.any(r % 257 != 0) for r in repaired)


def test_a_real_step_of_exposure_stays_a_step(bikes: Path) -> None:
    """Frames 26–33 of bikes hold a cut (mean luma 132 → 66); if a detector missed it, it must not ramp."""
    frames = clip_pictures(bikes, (320, 136), gray=True)[22:38]
    repaired = list(deflicker(frames, window=9))
    step = frames[8].mean() - frames[7].mean()
    assert step < -60
    assert abs((repaired[8].mean() - repaired[7].mean()) - step) < 0.1 * abs(step)


def test_the_tone_curve_is_monotone_even_for_a_black_frame() -> None:
    flat = np.zeros(17)
    curve = tone_curve(flat, np.linspace(10, 200, 17), 255)
    assert np.all(np.diff(curve) >= 0) and curve.shape == (256,)


def test_cancel_stops_between_frames(steady: list[np.ndarray]) -> None:
    token = CancelToken()
    stream = deflicker(iter(steady), window=5, cancel=token)
    next(stream)
    token.cancel()
    with pytest.raises(Cancelled):
        next(stream)
