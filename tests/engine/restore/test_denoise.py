"""Denoise on real footage given a known film grain."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from engine.errors import Cancelled
from engine.progress import CancelToken
from engine.restore.denoise import RADIUS, denoise, denoise_frame
from engine.testing.make_media import clip_pictures
from engine.testing.oldfilm import OldFilm, Wear

# Grain only: every other kind of wear is 0, so the clean frames are the truth.
GRAIN = Wear(0.0, 0.0, 0.0, 0.07, 0.8, 0.0, 0.0, 0.0, 0.0, 0.0)


@pytest.fixture(scope="module")
def bikes_pictures(bikes: Path) -> list[np.ndarray]:
    """Every picture of bikes, gray, at 320×136 (its first shot is frames 0–25, a pan)."""
    return clip_pictures(bikes, (320, 136), gray=True)


@pytest.fixture(scope="module")
def truth(bikes_pictures: list[np.ndarray]) -> list[np.ndarray]:
    """16 clean frames of bikes' first shot."""
    return bikes_pictures[:16]


@pytest.fixture(scope="module")
def grainy(truth: list[np.ndarray]) -> list[np.ndarray]:
    return list(OldFilm(5, GRAIN).stream(truth))


def _psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return float(10 * np.log10(255.0**2 / max(mse, 1e-12)))


def _mean_psnr(frames: list[np.ndarray], truth: list[np.ndarray]) -> float:
    return float(np.mean([_psnr(f, t) for f, t in zip(frames, truth)]))


def _noise_amplitude(frames: list[np.ndarray], truth: list[np.ndarray]) -> float:
    return float(np.sqrt(np.mean([np.mean((f.astype(np.float64) - t) ** 2) for f, t in zip(frames, truth)])))


def test_full_strength_brings_the_picture_back(truth: list[np.ndarray], grainy: list[np.ndarray]) -> None:
    repaired = list(denoise(grainy, strength=1.0))
    before, after = _mean_psnr(grainy, truth), _mean_psnr(repaired, truth)
    assert after > before + 7.0, (before, after)


def test_default_strength_keeps_most_of_the_grain(truth: list[np.ndarray], grainy: list[np.ndarray]) -> None:
    repaired = list(denoise(grainy))
    # The module documents about 77 % of the grain amplitude kept at 0.3 where the neighbours match;
    # the flow's interpolation thins it a little more.
    kept = _noise_amplitude(repaired, truth) / _noise_amplitude(grainy, truth)
    assert 0.65 < kept < 0.88, kept


def test_zero_strength_returns_the_frames_unchanged(grainy: list[np.ndarray]) -> None:
    repaired = list(denoise(grainy[:6], strength=0.0))
    assert all(np.array_equal(r, g) for r, g in zip(repaired, grainy))


def test_clean_footage_is_left_alone(truth: list[np.ndarray]) -> None:
    repaired = list(denoise(truth[:8], strength=1.0))
    assert min(_psnr(r, t) for r, t in zip(repaired, truth)) > 38.0


def test_fast_motion_does_not_ghost(bikes_pictures: list[np.ndarray]) -> None:
    """Every other frame of the pan (twice its speed): where the picture changes most, no worse than the grain."""
    truth = bikes_pictures[0:26:2]
    grainy = list(OldFilm(8, GRAIN).stream(truth))
    repaired = list(denoise(grainy, strength=1.0))
    moved, noisy = [], []
    for index, (r, g, t) in enumerate(zip(repaired, grainy, truth)):
        reach = range(max(0, index - RADIUS), min(len(truth), index + RADIUS + 1))
        change = np.max([np.abs(t[..., 0].astype(np.float32) - truth[j][..., 0]) for j in reach], axis=0)
        moving = cv2.GaussianBlur(change, (0, 0), 2.0) > 30
        moved.append((r[..., 0].astype(np.float64) - t[..., 0])[moving])
        noisy.append((g[..., 0].astype(np.float64) - t[..., 0])[moving])
    assert sum(len(m) for m in moved) > 20_000
    rms = lambda errors: float(np.sqrt(np.mean(np.concatenate(errors) ** 2)))  # noqa: E731
    assert rms(moved) < 0.8 * rms(noisy), (rms(moved), rms(noisy))


def test_an_unrelated_neighbour_leaves_no_ghost(
    truth: list[np.ndarray], grainy: list[np.ndarray], bikes_pictures: list[np.ndarray]
) -> None:
    """A neighbour from another scene (a flow that fails everywhere) must fall back to the frame, not print through."""
    stranger = bikes_pictures[60]
    repaired = denoise_frame(grainy[8], [grainy[6], grainy[7]], [grainy[9], stranger], strength=1.0)
    assert _psnr(repaired, truth[8]) > _psnr(grainy[8], truth[8]) + 4.0
    # None of the stranger shows: the result is no closer to it than the truth is.
    assert _psnr(repaired, stranger) < _psnr(truth[8], stranger) + 0.3


def test_the_preview_frame_matches_the_stream(grainy: list[np.ndarray]) -> None:
    shot = grainy[:7]
    streamed = list(denoise(shot, strength=0.6))
    for index in (0, 1, 3, 6):
        before, after = shot[max(0, index - RADIUS) : index], shot[index + 1 : index + 1 + RADIUS]
        assert np.array_equal(denoise_frame(shot[index], before, after, strength=0.6), streamed[index])


def test_gray_stays_gray_16_bit_keeps_its_depth_and_2d_works(grainy: list[np.ndarray]) -> None:
    deep = [f.astype(np.uint16) * 257 for f in grainy[:5]]
    repaired = list(denoise(deep, strength=1.0))
    assert all(r.dtype == np.uint16 and r.shape == deep[0].shape for r in repaired)
    assert all(np.array_equal(r[..., 0], r[..., 1]) and np.array_equal(r[..., 1], r[..., 2]) for r in repaired)
    # The average lands between the 257-steps of the 8-bit picture: the low bits carry tone.
    assert all(np.mean(r % 257 != 0) > 0.5 for r in repaired)
    planes = list(denoise([f[..., 0] for f in grainy[:5]], strength=1.0))
    assert all(p.shape == grainy[0].shape[:2] and p.dtype == np.uint8 for p in planes)
    assert np.array_equal(planes[2], list(denoise(grainy[:5], strength=1.0))[2][..., 0])


def test_colour_frames_are_denoised_alike(carphone: Path) -> None:
    truth = clip_pictures(carphone, (176, 144))[:6]
    gray = [np.repeat(cv2.cvtColor(t, cv2.COLOR_RGB2GRAY)[..., None], 3, -1) for t in truth]
    grain = [g.astype(np.int16) - t for g, t in zip(OldFilm(2, GRAIN).stream(gray), gray)]
    grainy = [np.clip(t + n, 0, 255).astype(np.uint8) for t, n in zip(truth, grain)]
    repaired = list(denoise(grainy, strength=1.0))
    assert all(r.shape == t.shape and r.dtype == np.uint8 for r, t in zip(repaired, truth))
    assert _mean_psnr(repaired, truth) > _mean_psnr(grainy, truth) + 4.0


def test_one_and_two_frame_shots(grainy: list[np.ndarray]) -> None:
    alone = list(denoise(grainy[:1], strength=1.0))
    assert len(alone) == 1 and np.array_equal(alone[0], grainy[0])
    pair = list(denoise(grainy[:2], strength=1.0))
    assert len(pair) == 2 and all(p.shape == g.shape and p.dtype == g.dtype for p, g in zip(pair, grainy))
    assert not np.array_equal(pair[0], grainy[0])
    assert list(denoise([], strength=1.0)) == []


def test_cancel_stops_between_frames(grainy: list[np.ndarray]) -> None:
    token = CancelToken()
    stream = denoise(iter(grainy), cancel=token)
    next(stream)
    token.cancel()
    with pytest.raises(Cancelled):
        next(stream)
