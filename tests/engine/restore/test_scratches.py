"""Vertical line scratch repair on real footage with known scratches."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from engine.errors import Cancelled
from engine.progress import CancelToken
from engine.restore.scratches import REACH, repair_scratches, repair_scratches_frame
from engine.testing.make_media import clip_pictures
from engine.testing.oldfilm import OldFilm, Wear

SCRATCHES_ONLY = Wear(0.0, 0.0, 0.0, 0.0, 0.8, 0.0, 0.12, 0.0, 0.0, 0.0)
GRAIN_ONLY = Wear(0.0, 0.0, 0.0, 0.05, 0.8, 0.0, 0.0, 0.0, 0.0, 0.0)
# A scratch pixel is one the scratch moved by more than this many codes (its faint soft edge aside).
SCRATCH_CODES = 12


@pytest.fixture(scope="module")
def clean(bikes: Path) -> list[np.ndarray]:
    """The start of bikes' first shot (24 real frames, the camera panning), gray, at 320×136."""
    return clip_pictures(bikes, (320, 136), gray=True)[:24]


@pytest.fixture(scope="module")
def grainy(clean: list[np.ndarray]) -> list[np.ndarray]:
    """The same frames printed on grainy stock: the scratch-free truth of a realistic print."""
    return list(OldFilm(50, GRAIN_ONLY).stream(clean))


@pytest.fixture(scope="module")
def scratched(clean: list[np.ndarray]) -> list[np.ndarray]:
    """The clean frames with three scratches (one from the second frame on), light and dark."""
    return _scratched(clean, seed=4)


@pytest.fixture(scope="module")
def repaired(scratched: list[np.ndarray]) -> list[np.ndarray]:
    return list(repair_scratches(scratched))


def _scratched(frames: list[np.ndarray], seed: int) -> list[np.ndarray]:
    return list(OldFilm(seed, SCRATCHES_ONLY).stream(frames))


def _psnr(frames: list[np.ndarray], truth: list[np.ndarray]) -> float:
    mse = np.mean([np.mean((f.astype(np.float64) - t.astype(np.float64)) ** 2) for f, t in zip(frames, truth)])
    return float(10 * np.log10(255.0**2 / max(mse, 1e-12)))


def _scratch_errors(frames: list[np.ndarray], scratched: list[np.ndarray], truth: list[np.ndarray]) -> np.ndarray:
    """Each scratch pixel's error against the truth in ``frames``, in codes."""
    errors = []
    for frame, worn, true in zip(frames, scratched, truth):
        scratch = np.abs(worn[..., 0].astype(np.int32) - true[..., 0]) > SCRATCH_CODES
        errors.append(np.abs(frame[..., 0].astype(np.int32) - true[..., 0])[scratch])
    return np.concatenate(errors)


def _touched(frames: list[np.ndarray], originals: list[np.ndarray]) -> float:
    """Share of pixels changed."""
    return float(np.mean([np.any(f != o, axis=-1).mean() for f, o in zip(frames, originals)]))


def test_scratches_are_lifted_on_a_panning_shot(
    clean: list[np.ndarray], scratched: list[np.ndarray], repaired: list[np.ndarray]
) -> None:
    before, after = _scratch_errors(scratched, scratched, clean), _scratch_errors(repaired, scratched, clean)
    assert len(before) > 10000
    assert after.mean() < 0.25 * before.mean(), (before.mean(), after.mean())
    assert np.mean(after * 2 <= before) > 0.8
    assert _psnr(repaired, clean) > _psnr(scratched, clean) + 8.0


def test_scratches_are_lifted_on_grainy_film(grainy: list[np.ndarray]) -> None:
    scratched = _scratched(grainy, seed=9)
    repaired = list(repair_scratches(scratched))
    before, after = _scratch_errors(scratched, scratched, grainy), _scratch_errors(repaired, scratched, grainy)
    assert len(before) > 5000
    assert np.mean(after * 2 <= before) > 0.7
    assert _psnr(repaired, grainy) > _psnr(scratched, grainy) + 6.0


def test_changes_stay_on_the_scratches(
    clean: list[np.ndarray], scratched: list[np.ndarray], repaired: list[np.ndarray]
) -> None:
    astray, changed_total = 0, 0
    for worn, fixed, true in zip(scratched, repaired, clean):
        changed = np.any(fixed != worn, axis=-1)
        scratch = np.any(worn != true, axis=-1).astype(np.uint8)
        # A repair reaches the scratch's soft edge, a pixel or two beside it, and no further.
        near = cv2.dilate(scratch, np.ones((1, 5), np.uint8)).astype(bool)
        astray += int(np.sum(changed & ~near))
        changed_total += int(changed.sum())
    assert astray < 0.05 * changed_total, (astray, changed_total)


def test_clean_footage_is_left_alone(clean: list[np.ndarray], grainy: list[np.ndarray]) -> None:
    repaired = list(repair_scratches(clean))
    assert len(repaired) == len(clean)
    # The door's bright rim, a thin vertical line as the camera tilts, is not a scratch.
    assert _touched(repaired, clean) < 0.004
    assert _psnr(repaired, clean) > 50.0
    assert _touched(list(repair_scratches(grainy)), grainy) < 0.002


def test_a_still_camera_on_thin_vertical_things_is_left_alone(carphone: Path) -> None:
    # A camera fixed in a car: the window pillars and the door's edges stay put in the frame, as a scratch
    # would; they are told apart by their make (one-sided contrast, uneven down their length).
    frames = clip_pictures(carphone, (176, 144), gray=True)[:20]
    assert _touched(list(repair_scratches(frames)), frames) < 0.006
    worn = _scratched(frames, seed=9)
    repaired = list(repair_scratches(worn))
    before, after = _scratch_errors(worn, worn, frames), _scratch_errors(repaired, worn, frames)
    assert np.mean(after * 2 <= before) > 0.7
    assert _psnr(repaired, frames) > _psnr(worn, frames) + 5.0


def test_strength_sets_how_eager(grainy: list[np.ndarray]) -> None:
    # Faint scratches (half the model's strength) on grainy film: only an eager repair takes them all.
    worn = _scratched(grainy[:10], seed=9)
    faint = [(t + 0.5 * (w.astype(np.int32) - t)).astype(np.uint8) for w, t in zip(worn, grainy)]
    cautious = _touched(list(repair_scratches(faint, strength=0.0)), faint)
    default = _touched(list(repair_scratches(faint)), faint)
    eager = _touched(list(repair_scratches(faint, strength=1.0)), faint)
    assert cautious < default < eager


def test_the_preview_frame_matches_the_stream(scratched: list[np.ndarray], repaired: list[np.ndarray]) -> None:
    assert REACH == 2
    shot = scratched[:7]
    stream = list(repair_scratches(shot))
    assert np.array_equal(stream[3], repaired[3])
    assert np.array_equal(repair_scratches_frame(shot[3], shot[1:3], shot[4:6]), stream[3])
    assert np.array_equal(repair_scratches_frame(shot[0], [], shot[1:3]), stream[0])
    assert np.array_equal(repair_scratches_frame(shot[1], shot[:1], shot[2:4]), stream[1])
    assert np.array_equal(repair_scratches_frame(shot[6], shot[4:6], []), stream[6])


def test_short_shots(clean: list[np.ndarray], scratched: list[np.ndarray]) -> None:
    # Two frames: each is the other's only witness, and a scratch that stays put is still lifted.
    pair = list(repair_scratches(scratched[10:12]))
    before = _scratch_errors(scratched[10:12], scratched[10:12], clean[10:12])
    after = _scratch_errors(pair, scratched[10:12], clean[10:12])
    assert after.mean() < 0.5 * before.mean()
    assert _touched(list(repair_scratches(clean[10:12])), clean[10:12]) < 0.004
    # One frame: only the stricter test of a line's make, and the clean frame is left as it is.
    (only,) = repair_scratches(clean[:1])
    assert np.array_equal(only, clean[0]) and only is not clean[0]
    (lone,) = repair_scratches(scratched[12:13])
    assert lone.shape == scratched[12].shape
    assert _psnr([lone], clean[12:13]) > _psnr(scratched[12:13], clean[12:13])
    assert list(repair_scratches([])) == []


def test_shapes_gray_and_16_bit(
    clean: list[np.ndarray], scratched: list[np.ndarray], repaired: list[np.ndarray]
) -> None:
    worn = scratched[:5]
    fixed = list(repair_scratches(worn))
    assert all(r.shape == d.shape and r.dtype == np.uint8 for r, d in zip(fixed, worn))
    assert all(np.array_equal(r[..., 0], r[..., 1]) and np.array_equal(r[..., 1], r[..., 2]) for r in repaired)
    luma = list(repair_scratches([d[..., 0] for d in worn]))
    assert all(y.shape == d.shape[:2] for y, d in zip(luma, worn))
    assert np.mean([np.mean(y == r[..., 0]) for y, r in zip(luma, fixed)]) > 0.999
    deep = [d.astype(np.uint16) * 257 for d in worn]
    fixed16 = list(repair_scratches(deep))
    assert all(r.dtype == np.uint16 and r.shape == d.shape for r, d in zip(fixed16, deep))
    # Deep frames are judged alike: within a code of the 8-bit repair nearly everywhere.
    nearly = [np.abs(r16.astype(np.int64) - r.astype(np.int64) * 257) <= 257 for r16, r in zip(fixed16, fixed)]
    assert np.mean(nearly) > 0.995
    truth16 = [c.astype(np.float64) * 257 for c in clean[:5]]
    errors = lambda frames: np.mean([np.abs(f - t).mean() for f, t in zip(frames, truth16)])  # noqa: E731
    assert errors(fixed16) < 0.7 * errors(deep)


def test_colour_footage_keeps_its_colour(
    bikes: Path, clean: list[np.ndarray], scratched: list[np.ndarray], repaired: list[np.ndarray]
) -> None:
    frames = clip_pictures(bikes, (320, 136))[:8]
    assert _touched(list(repair_scratches(frames)), frames) < 0.004
    # The same scratches on a colour print: lifted from every channel alike, as on the gray one.
    scratches = [s[..., :1].astype(np.int32) - c[..., :1] for s, c in zip(scratched, clean)]
    worn = [np.clip(f + d, 0, 255).astype(np.uint8) for f, d in zip(frames, scratches)]
    fixed = list(repair_scratches(worn))
    assert all(r.shape == f.shape and r.dtype == f.dtype for r, f in zip(fixed, frames))
    changes = [f.astype(np.int32) - w for f, w in zip(fixed, worn)]
    unclipped = [np.all((w > 0) & (w < 255), axis=-1) for w in worn]
    assert all(np.array_equal(c[..., 0][u], c[..., 2][u]) for c, u in zip(changes, unclipped))
    green = lambda pictures: [p[..., 1:2] for p in pictures]  # noqa: E731
    before = _scratch_errors(green(worn), green(worn), green(frames))
    after = _scratch_errors(green(fixed), green(worn), green(frames))
    gray_before = _scratch_errors(scratched[:8], scratched[:8], clean[:8])
    gray_after = _scratch_errors(repaired[:8], scratched[:8], clean[:8])
    assert np.mean(after * 2 <= before) > 0.8
    assert abs(np.mean(after * 2 <= before) - np.mean(gray_after * 2 <= gray_before)) < 0.05


def test_cancel_stops_between_frames(scratched: list[np.ndarray]) -> None:
    token = CancelToken()
    stream = repair_scratches(iter(scratched), cancel=token)
    next(stream)
    token.cancel()
    with pytest.raises(Cancelled):
        next(stream)
