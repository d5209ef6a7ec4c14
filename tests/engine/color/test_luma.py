"""The film's luma survives colorization bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from engine.color.luma import compose_rgb, integer_luma, rgb_to_chroma
from engine.testing.clips import frames_of


@pytest.mark.parametrize("dtype, peak", [(np.uint8, 255), (np.uint16, 65535)])
def test_any_chroma_keeps_luma_exactly(dtype: type, peak: int) -> None:
    rng = np.random.default_rng(4)
    luma = rng.integers(0, peak + 1, (120, 160)).astype(dtype)
    luma[0, :] = 0
    luma[1, :] = peak
    # Wildly out-of-gamut chroma must be reduced, never the luma.
    chroma = (rng.random((2, 120, 160), dtype=np.float32) - 0.5) * 2.0
    rgb = compose_rgb(luma, chroma)
    assert rgb.dtype == dtype
    np.testing.assert_array_equal(integer_luma(rgb), luma)


def test_neutral_chroma_gives_gray_pixels() -> None:
    luma = np.arange(256, dtype=np.uint8).reshape(16, 16)
    rgb = compose_rgb(luma, np.zeros((2, 16, 16), np.float32))
    for c in range(3):
        np.testing.assert_array_equal(rgb[..., c], luma)


def test_real_frame_round_trips_luma_exactly_and_chroma_closely(carphone) -> None:
    frame = frames_of(carphone, [0])[0]
    luma = integer_luma(frame)
    rebuilt = compose_rgb(luma, rgb_to_chroma(frame))
    np.testing.assert_array_equal(integer_luma(rebuilt), luma)
    assert np.abs(rebuilt.astype(int) - frame.astype(int)).mean() < 1.0


def test_in_gamut_chroma_is_kept() -> None:
    luma = np.full((8, 8), 128, np.uint8)
    chroma = np.zeros((2, 8, 8), np.float32)
    chroma[0], chroma[1] = -0.05, 0.08
    rebuilt = rgb_to_chroma(compose_rgb(luma, chroma))
    assert np.abs(rebuilt - chroma).max() < 3 / 255
