"""Dust and dirt repair on real footage with known specks."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from engine.errors import Cancelled
from engine.progress import CancelToken
from engine.restore.dust import REACH, repair_dust, repair_dust_frame
from engine.testing.make_media import clip_pictures
from engine.testing.oldfilm import OldFilm, Wear

NO_WEAR = Wear(0.0, 0.0, 0.0, 0.0, 0.8, 0.0, 0.0, 0.0, 0.0, 0.0)
DUST_ONLY = Wear(0.0, 0.0, 0.0, 0.0, 0.8, 8.0, 0.0, 0.0, 0.0, 0.0)
GRAIN_ONLY = Wear(0.0, 0.0, 0.0, 0.05, 0.8, 0.0, 0.0, 0.0, 0.0, 0.0)
# A dust pixel is one the speck changed by more than this many codes (its faint soft edge aside).
SPECK_CODES = 24


@pytest.fixture(scope="module")
def clean(bikes: Path) -> list[np.ndarray]:
    """The start of bikes' first shot (16 real frames, the camera panning), gray, at 320×136."""
    return clip_pictures(bikes, (320, 136), gray=True)[:16]


@pytest.fixture(scope="module")
def grainy(clean: list[np.ndarray]) -> list[np.ndarray]:
    """The same frames printed on grainy stock: the dust-free truth of a realistic print."""
    return list(OldFilm(5, GRAIN_ONLY).stream(clean))


def _dusty(frames: list[np.ndarray], seed: int = 1) -> list[np.ndarray]:
    return list(OldFilm(seed, DUST_ONLY).stream(frames))


def _psnr(frames: list[np.ndarray], truth: list[np.ndarray]) -> float:
    mse = np.mean([np.mean((f.astype(np.float64) - t.astype(np.float64)) ** 2) for f, t in zip(frames, truth)])
    return float(10 * np.log10(255.0**2 / mse))


def _speck_errors(frames: list[np.ndarray], dusty: list[np.ndarray], truth: list[np.ndarray]) -> np.ndarray:
    """Each dust pixel's error against the truth in ``frames``, in codes."""
    errors = []
    for frame, dirt, true in zip(frames, dusty, truth):
        speck = np.abs(dirt[..., 0].astype(np.int32) - true[..., 0]) > SPECK_CODES
        errors.append(np.abs(frame[..., 0].astype(np.int32) - true[..., 0])[speck])
    return np.concatenate(errors)


def _touched(frames: list[np.ndarray], originals: list[np.ndarray]) -> float:
    """Share of pixels changed."""
    return float(np.mean([np.any(f != o, axis=-1).mean() for f, o in zip(frames, originals)]))


def test_dust_is_repaired_on_a_panning_shot(clean: list[np.ndarray]) -> None:
    dusty = _dusty(clean)
    repaired = list(repair_dust(dusty))
    before, after = _speck_errors(dusty, dusty, clean), _speck_errors(repaired, dusty, clean)
    assert len(before) > 1000
    assert after.mean() < 0.15 * before.mean(), (before.mean(), after.mean())
    assert np.mean(after < 0.5 * before) > 0.9
    assert _psnr(repaired, clean) > _psnr(dusty, clean) + 10.0


def test_dust_is_repaired_on_grainy_film(grainy: list[np.ndarray]) -> None:
    dusty = _dusty(grainy, seed=2)
    repaired = list(repair_dust(dusty))
    before, after = _speck_errors(dusty, dusty, grainy), _speck_errors(repaired, dusty, grainy)
    assert np.mean(after < 0.5 * before) > 0.6
    assert _psnr(repaired, grainy) > _psnr(dusty, grainy) + 6.0


def test_clean_footage_is_left_alone(clean: list[np.ndarray], grainy: list[np.ndarray]) -> None:
    repaired = list(repair_dust(clean))
    assert len(repaired) == len(clean)
    # The pan is not mistaken for dust: a few pixels in ten thousand at most, and those barely.
    assert _touched(repaired, clean) < 0.001
    assert _psnr(repaired, clean) > 50.0
    assert _touched(list(repair_dust(grainy)), grainy) < 0.001


def test_fast_hand_held_motion_is_not_taken_for_dust(carphone: Path) -> None:
    frames = clip_pictures(carphone, (176, 144), gray=True)[:20]
    assert _touched(list(repair_dust(frames)), frames) < 0.006


def test_changes_stay_on_the_specks(clean: list[np.ndarray]) -> None:
    dusty = _dusty(clean)
    astray, changed_total = 0, 0
    for frame, repaired, true in zip(dusty, repair_dust(dusty), clean):
        changed = np.any(repaired != frame, axis=-1)
        dirt = np.any(frame != true, axis=-1).astype(np.uint8)
        # A speck's repair reaches its soft edge, a few pixels around it, and no further; what changes
        # elsewhere is the rare false repair of clean footage (the test above).
        near = cv2.dilate(dirt, np.ones((7, 7), np.uint8)).astype(bool)
        astray += int(np.sum(changed & ~near))
        changed_total += int(changed.sum())
    assert astray < 0.1 * changed_total, (astray, changed_total)
    assert astray < 0.0005 * len(dusty) * clean[0].shape[0] * clean[0].shape[1]


def test_strength_sets_how_eager(grainy: list[np.ndarray]) -> None:
    dusty = _dusty(grainy, seed=2)
    cautious = _touched(list(repair_dust(dusty, strength=0.0)), dusty)
    eager = _touched(list(repair_dust(dusty, strength=1.0)), dusty)
    assert 0 < cautious < eager


def test_the_preview_frame_matches_the_stream(clean: list[np.ndarray]) -> None:
    dusty = _dusty(clean[:6])
    stream = list(repair_dust(dusty))
    assert REACH == 1
    assert np.array_equal(repair_dust_frame(dusty[3], dusty[2], dusty[4]), stream[3])
    assert np.array_equal(repair_dust_frame(dusty[0], None, dusty[1]), stream[0])
    assert np.array_equal(repair_dust_frame(dusty[5], dusty[4], None), stream[5])


def test_shot_ends_repair_clear_specks_from_one_neighbour(clean: list[np.ndarray]) -> None:
    dusty = _dusty(clean[:2], seed=3)
    first, last = repair_dust(dusty)
    before = _speck_errors(dusty, dusty, clean[:2])
    after = _speck_errors([first, last], dusty, clean[:2])
    assert after.mean() < 0.5 * before.mean()
    # With one witness the test is stricter, and the clean ends of a moving shot stay as they were.
    ends = list(repair_dust(clean[:2]))
    assert _touched(ends, clean[:2]) < 0.002


def test_one_frame_shot_is_left_as_it_is(clean: list[np.ndarray]) -> None:
    dusty = _dusty(clean[:1])
    (only,) = repair_dust(dusty)
    assert np.array_equal(only, dusty[0]) and only is not dusty[0]
    assert list(repair_dust([])) == []


def test_shapes_gray_and_16_bit(clean: list[np.ndarray]) -> None:
    dusty = _dusty(clean[:5])
    repaired = list(repair_dust(dusty))
    assert all(r.shape == d.shape and r.dtype == np.uint8 for r, d in zip(repaired, dusty))
    assert all(np.array_equal(r[..., 0], r[..., 1]) and np.array_equal(r[..., 1], r[..., 2]) for r in repaired)
    luma = list(repair_dust([d[..., 0] for d in dusty]))
    assert all(y.shape == d.shape[:2] for y, d in zip(luma, dusty))
    assert np.mean([np.mean(y == r[..., 0]) for y, r in zip(luma, repaired)]) > 0.999
    deep = [d.astype(np.uint16) * 257 for d in dusty]
    repaired16 = list(repair_dust(deep))
    assert all(r.dtype == np.uint16 and r.shape == d.shape for r, d in zip(repaired16, deep))
    truth16 = [c.astype(np.uint16) * 257 for c in clean[:5]]
    errors = lambda frames: np.mean([np.abs(f.astype(np.float64) - t).mean() for f, t in zip(frames, truth16)])  # noqa: E731
    assert errors(repaired16) < 0.3 * errors(deep)


def test_colour_footage_keeps_its_colour(bikes: Path) -> None:
    frames = clip_pictures(bikes, (320, 136))[:8]
    repaired = list(repair_dust(frames))
    assert all(r.shape == f.shape and r.dtype == f.dtype for r, f in zip(repaired, frames))
    assert _touched(repaired, frames) < 0.002


def test_cancel_stops_between_frames(clean: list[np.ndarray]) -> None:
    token = CancelToken()
    stream = repair_dust(iter(clean), cancel=token)
    next(stream)
    token.cancel()
    with pytest.raises(Cancelled):
        next(stream)
