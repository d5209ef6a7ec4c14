"""Colour carried through a real shot from its keyframes, never across a cut."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from engine.color import ColorSettings, colorize_frame, colorize_shot, integer_luma, rgb_to_chroma
from engine.project.hints import Hint
from tests.engine.color.conftest import chroma_psnr, recolor_hints, true_hints


def test_hints_on_frame_zero_carry_to_the_end_of_a_real_shot(carphone_frames: list[np.ndarray]) -> None:
    frames = carphone_frames[:20]
    hints = true_hints(frames[0], 40, seed=7)
    out = list(colorize_shot(frames, {0: hints}, {}, device="cpu"))
    assert len(out) == len(frames)
    for result, frame in zip(out, frames):
        np.testing.assert_array_equal(integer_luma(result), integer_luma(frame))
    keyframe = chroma_psnr(out[0], frames[0])
    last = chroma_psnr(out[-1], frames[-1])
    # At least halves the chroma error of leaving the film gray (+3 dB), and stays near the keyframe.
    neutral = chroma_psnr(np.repeat(integer_luma(frames[-1])[..., None], 3, -1), frames[-1])
    assert last > neutral + 3.0
    assert last > keyframe - 1.5


def test_keyframe_in_the_middle_colors_frames_before_it_too(carphone_frames: list[np.ndarray]) -> None:
    frames = carphone_frames[:12]
    hints = true_hints(frames[6], 40, seed=8, frame=6)
    out = list(colorize_shot(frames, {6: hints}, {}, device="cpu"))
    neutral = chroma_psnr(np.repeat(integer_luma(frames[0])[..., None], 3, -1), frames[0])
    first = chroma_psnr(out[0], frames[0])
    assert first > neutral + 2.0
    assert first > chroma_psnr(out[6], frames[6]) - 1.5


def test_no_colour_pop_at_a_second_keyframe(carphone_frames: list[np.ndarray]) -> None:
    frames = carphone_frames[:16]
    first = true_hints(frames[0], 40, seed=9)
    second = recolor_hints(true_hints(frames[0], 40, seed=10, frame=10), frames[10])
    chroma = [rgb_to_chroma(f) for f in colorize_shot(frames, {0: first, 10: second}, {}, device="cpu")]
    steps = [float(np.abs(b - a).mean()) for a, b in zip(chroma, chroma[1:])]
    # The step into the keyframe is no larger than the shot's ordinary frame-to-frame change.
    assert steps[9] <= 2.0 * float(np.median(steps))


def test_colours_never_cross_a_cut(carphone_frames: list[np.ndarray], bikes: Path) -> None:
    from engine.testing.clips import frames_of

    shot_a = carphone_frames[:6]
    shot_b = [f[:144, :176].copy() for f in frames_of(bikes, range(6))]
    red = [Hint(frame=0, points=((88, 72),), radius=6, color="#d02020")]
    list(colorize_shot(shot_a, {0: red}, {}, device="cpu"))
    # The next shot has no hints: it stays exactly gray, whatever came before.
    for result, frame in zip(colorize_shot(shot_b, {}, {}, device="cpu"), shot_b):
        luma = integer_luma(frame)
        assert all((result[..., c] == luma).all() for c in range(3))
    # With its own blue hint it gets blue only: no red anywhere.
    blue = [Hint(frame=0, points=((88, 72),), radius=6, color="#2040d0")]
    for result in colorize_shot(shot_b, {0: blue}, {}, device="cpu"):
        assert rgb_to_chroma(result)[1].max() < 0.01


def test_settings_strength_saturation_and_temporal_off(carphone_frames: list[np.ndarray]) -> None:
    frames = carphone_frames[:4]
    hints = true_hints(frames[0], 30, seed=11)
    full = [rgb_to_chroma(f) for f in colorize_shot(frames, {0: hints}, {}, device="cpu")]
    gray = list(colorize_shot(frames, {0: hints}, {}, device="cpu", settings=ColorSettings(strength=0.0)))
    assert all((g[..., 0] == g[..., 1]).all() and (g[..., 1] == g[..., 2]).all() for g in gray)
    half = [rgb_to_chroma(f) for f in colorize_shot(frames, {0: hints}, {}, device="cpu",
                                                    settings=ColorSettings(strength=0.5))]
    assert np.abs(half[2] - 0.5 * full[2]).mean() < 0.004
    # One device on both sides: CUDA's float rounding moves a few pixels by one level against the CPU's.
    alone = list(colorize_shot(frames, {0: hints}, {}, device="cpu", settings=ColorSettings(temporal=False)))
    np.testing.assert_array_equal(alone[3], colorize_frame(frames[3], hints, {}, device="cpu"))


def test_spool_is_removed_when_done_or_abandoned(carphone_frames: list[np.ndarray], tmp_path: Path) -> None:
    frames = carphone_frames[:5]
    hints = {2: true_hints(frames[2], 20, seed=12, frame=2)}
    list(colorize_shot(frames, hints, {}, spool_folder=tmp_path))
    assert list(tmp_path.iterdir()) == []
    stream = colorize_shot(frames, hints, {}, spool_folder=tmp_path)
    next(stream)
    stream.close()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("dtype", [np.uint16])
def test_deep_frames_keep_their_luma(carphone_frames: list[np.ndarray], dtype: type) -> None:
    frames = [f.astype(dtype) * 257 for f in carphone_frames[:3]]
    hints = true_hints(carphone_frames[0], 20, seed=13)
    for result, frame in zip(colorize_shot(frames, {0: hints}, {}, device="cpu"), frames):
        assert result.dtype == dtype
        np.testing.assert_array_equal(integer_luma(result), integer_luma(frame))
