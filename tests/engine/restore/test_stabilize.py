"""Stabilize on real footage with a known gate weave."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from engine.errors import Cancelled
from engine.progress import CancelToken
from engine.restore.stabilize import SMOOTHING_RADIUS, corrections, frame_motion, stabilize, steadied
from engine.testing.make_media import clip_pictures
from engine.testing.oldfilm import OldFilm, Wear

BORDER_PX = 12  # left out of every comparison: a steadied frame's edges are reflected picture


@pytest.fixture(scope="module")
def shots(bikes: Path) -> list[np.ndarray]:
    """Every frame of bikes, gray, at 320×136."""
    return clip_pictures(bikes, (320, 136), gray=True)


@pytest.fixture(scope="module")
def panning(shots: list[np.ndarray]) -> list[np.ndarray]:
    """Frames 36–65 of bikes: the camera pans right, speeds up to 2 px a frame and stops."""
    return shots[36:66]


def _woven(frames: list[np.ndarray], seed: int = 1, weave_px: float = 1.0, **wear: float) -> list[np.ndarray]:
    """The frames through a gate that weaves (and, when asked, with other wear); nothing else worn."""
    amounts = dict(flicker_slow=0.0, flicker_fast=0.0, flicker_offset=0.0, grain=0.0, dust_per_frame=0.0,
                   scratch_rate=0.0, weave_px=weave_px, vignette=0.0) | wear
    return list(OldFilm(seed, Wear(**amounts)).stream(frames))


def _offset_px(picture: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """How far ``picture`` sits from ``truth`` (px right and down), by phase correlation inside the border."""
    inner = np.s_[BORDER_PX:-BORDER_PX, BORDER_PX:-BORDER_PX, 0]
    a, b = picture[inner].astype(np.float32), truth[inner].astype(np.float32)
    (dx, dy), _ = cv2.phaseCorrelate(b, a, cv2.createHanningWindow(a.shape[::-1], cv2.CV_32F))
    return np.array([dx, dy])


def _jitter_px(frames: list[np.ndarray], truth: list[np.ndarray]) -> float:
    """RMS frame-to-frame change of the frames' offset from the truth: the weave left."""
    offsets = np.array([_offset_px(f, t) for f, t in zip(frames, truth)])
    return float(np.sqrt(np.mean(np.sum(np.diff(offsets, axis=0) ** 2, axis=1))))


def _psnr(a: np.ndarray, b: np.ndarray) -> float:
    inner = np.s_[BORDER_PX:-BORDER_PX, BORDER_PX:-BORDER_PX]
    mse = np.mean((a[inner].astype(np.float64) - b[inner].astype(np.float64)) ** 2)
    return float(10 * np.log10(255.0**2 / max(mse, 1e-12)))


def test_weave_is_taken_out_and_the_pan_is_kept(panning: list[np.ndarray]) -> None:
    woven = _woven(panning)
    steady = list(stabilize(woven))
    assert len(steady) == len(panning)
    # The weave's frame-to-frame jumps (~1.1 px) shrink to what a smoothing cannot tell from a camera move.
    before, after = _jitter_px(woven, panning), _jitter_px(steady, panning)
    assert before > 0.9 and after < 0.5 * before, (before, after)
    # The pan (about 14 px over the shot) is kept: the picture stays within a pixel or two of the truth's,
    # the weave's slow part that no smoothing can tell from a camera move.
    assert np.abs([_offset_px(s, t) for s, t in zip(steady, panning)]).max() < 2.0
    psnr_before = np.mean([_psnr(w, t) for w, t in zip(woven, panning)])
    psnr_after = np.mean([_psnr(s, t) for s, t in zip(steady, panning)])
    assert psnr_after > psnr_before + 2.0, (psnr_before, psnr_after)


def test_motion_is_measured_in_widths_whatever_the_size(panning: list[np.ndarray]) -> None:
    shifted = steadied(panning[10], np.array([3.0 / 320, -2.0 / 320, 0.0]))
    small = frame_motion(panning[10], shifted)
    large = frame_motion(*(cv2.resize(f, (640, 272), interpolation=cv2.INTER_CUBIC) for f in (panning[10], shifted)))
    assert np.allclose(small[:2] * 320, (3.0, -2.0), atol=0.1), small * 320
    assert np.allclose(large[:2], small[:2], atol=0.1 / 320)


def test_grain_flicker_and_dust_do_not_throw_it(panning: list[np.ndarray]) -> None:
    weave_only = _woven(panning, seed=4)
    # The same weave, then grain, exposure flicker and dust on top of it.
    worn = _woven(weave_only, seed=5, weave_px=0.0, flicker_slow=0.10, flicker_fast=0.05, flicker_offset=0.02,
                  grain=0.07, dust_per_frame=4.0)
    steady = list(stabilize(worn))
    # The worn frames are moved as the frames with weave alone are: the extra wear did not move them.
    expected = list(stabilize(weave_only))
    drift = np.array([_offset_px(s, e) for s, e in zip(steady, expected)])
    assert np.sqrt(np.mean(drift**2)) < 0.3, drift
    assert _jitter_px(steady, panning) < 0.6 * _jitter_px(worn, panning)


def test_steady_footage_is_left_nearly_alone(shots: list[np.ndarray], panning: list[np.ndarray]) -> None:
    # Frames 200–229: a slow, even pan while a man walks through the picture.
    even = shots[200:230]
    steady = list(stabilize(even))
    assert min(_psnr(s, t) for s, t in zip(steady, even)) > 40.0
    assert np.abs([_offset_px(s, t) for s, t in zip(steady, even)]).max() < 0.15
    # A pan that speeds up to 2 px a frame and stops within a second is kept to a fraction of a pixel.
    steady = list(stabilize(panning))
    assert np.abs([_offset_px(s, t) for s, t in zip(steady, panning)]).max() < 0.5
    assert min(_psnr(s, t) for s, t in zip(steady, panning)) > 32.0


def test_the_stream_is_the_per_frame_api_and_frame_0_needs_only_its_lead_in(panning: list[np.ndarray]) -> None:
    woven = _woven(panning, seed=2)
    streamed = list(stabilize(woven))
    motions = np.array([frame_motion(a, b) for a, b in zip(woven, woven[1:])])
    shot = corrections(motions)
    assert shot.shape == (len(woven), 3)
    assert all(np.array_equal(s, steadied(f, c)) for s, f, c in zip(streamed, woven, shot))
    lead_in = list(stabilize(woven[: SMOOTHING_RADIUS + 1]))
    assert np.array_equal(lead_in[0], streamed[0])
    assert np.array_equal(corrections(motions[:SMOOTHING_RADIUS])[0], shot[0])


def test_shapes_gray_16_bit_and_short_shots(panning: list[np.ndarray]) -> None:
    woven = _woven(panning[:8])
    deep = [f.astype(np.uint16) * 257 for f in woven]
    tinted = [(f * np.array([1.0, 0.9, 0.75])).astype(np.uint8) for f in woven]
    for frames in (deep, [f[..., 0] for f in woven], tinted, woven[:1], woven[:2]):
        out = list(stabilize(frames))
        assert len(out) == len(frames)
        assert all(o.shape == f.shape and o.dtype == f.dtype for o, f in zip(out, frames))
    out = list(stabilize(deep))
    assert all(np.array_equal(o[..., 0], o[..., 1]) and np.array_equal(o[..., 1], o[..., 2]) for o in out)
    assert any(np.any(o % 257 != 0) for o in out)  # moved subpixel in 16 bits, not in 8
    assert np.array_equal(next(stabilize(woven[:1])), woven[0])
    assert corrections(np.zeros((0, 3))).shape == (1, 3)


def test_a_failed_measurement_never_throws_a_frame() -> None:
    rng = np.random.default_rng(0)
    noise = [rng.integers(0, 256, (136, 320, 3), dtype=np.uint8) for _ in range(6)]
    wild = np.array([[0.5, -0.5, 1.0]] * 5)
    assert np.all(np.abs(corrections(wild)[:, :2]) <= 0.03 + 1e-12)
    assert all(o.shape == n.shape for o, n in zip(stabilize(noise), noise))


def test_cancel_stops_between_frames(panning: list[np.ndarray]) -> None:
    token = CancelToken()
    stream = stabilize(iter(panning), cancel=token)
    next(stream)
    token.cancel()
    with pytest.raises(Cancelled):
        next(stream)


def test_a_turning_weave_is_turned_back(panning: list[np.ndarray]) -> None:
    # A print that also turns in the gate: each frame rotated about its centre by a wandering angle
    # (a few tenths of a degree, as a worn perforation gives), besides OldFilm's shift.
    rng = np.random.default_rng(7)
    angles = np.zeros(len(panning))
    for k in range(1, len(angles)):
        angles[k] = 0.6 * angles[k - 1] + rng.normal(0, 0.004)
    turned = [steadied(frame, np.array([0.0, 0.0, angle])) for frame, angle in zip(_woven(panning), angles)]

    def turn_from_truth(frames: list[np.ndarray]) -> np.ndarray:
        return np.array([frame_motion(truth, frame)[2] for frame, truth in zip(frames, panning)])

    before = turn_from_truth(turned)
    after = turn_from_truth(list(stabilize(turned)))
    # The frame-to-frame wobble of the angle (about 0.2° here) falls by some 40 %: the slow part that
    # smoothing cannot tell from a camera's own roll stays, and on a real pan the turn measured between two
    # frames is itself uncertain by about 0.001 rad (parallax), which the smoothed path partly keeps.
    wobble = lambda turns: float(np.sqrt(np.mean(np.diff(turns) ** 2)))  # noqa: E731
    assert wobble(before) > 0.003 and wobble(after) < 0.65 * wobble(before), (wobble(before), wobble(after))
