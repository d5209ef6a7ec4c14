"""Relume's upscaler on real frames: sharper than Lanczos, colour crisp at edges, luma exact."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from engine.color.luma import integer_luma, rgb_to_chroma
from engine.media.source import open_source
from engine.upscale.upscaler import Resampler, upscale_frame, upscaler_named


def _psnr(a: np.ndarray, b: np.ndarray) -> float:
    error = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return float(10 * np.log10(255.0**2 / error))


def _gradient(plane: np.ndarray) -> np.ndarray:
    return np.hypot(cv2.Sobel(plane, cv2.CV_32F, 1, 0), cv2.Sobel(plane, cv2.CV_32F, 0, 1))


@pytest.fixture(scope="module")
def frame(bigbuckbunny: Path) -> np.ndarray:
    """A real colour frame (bigbuckbunny 1280×720, frame 60)."""
    with open_source(bigbuckbunny) as source:
        return source.frame(60)


def test_the_shipped_network_beats_lanczos_on_real_footage(frame: np.ndarray) -> None:
    # Footage the network never saw (it learnt from still photographs), shrunk ×4 by area averaging.
    truth = integer_luma(frame)
    small = cv2.resize(truth, (320, 180), interpolation=cv2.INTER_AREA)
    relume = upscaler_named("relume", "cpu").luma(small, (1280, 720))
    lanczos = Resampler("lanczos").luma(small, (1280, 720))
    assert _psnr(relume, truth) > _psnr(lanczos, truth) + 0.6


def test_a_colour_frame_keeps_its_colour_at_edges_and_its_luma(frame: np.ndarray) -> None:
    crop = frame[200:392, 400:720]  # 320×192 of leaves, grass and sky
    small = cv2.resize(crop, (80, 48), interpolation=cv2.INTER_AREA)
    upscaler = upscaler_named("relume", "cpu")
    out = upscale_frame(small, (320, 192), upscaler)
    assert out.shape == crop.shape and out.dtype == np.uint8
    # The luma is the upscaler's, bit for bit.
    np.testing.assert_array_equal(integer_luma(out), upscaler.luma(integer_luma(small), (320, 192)))
    # At the picture's luma edges the colour is crisp (steeper than a plain enlargement of the
    # chroma), still the true colour (correlated with it) and as saturated as the original.
    truth = rgb_to_chroma(crop)
    plain = np.stack([cv2.resize(c, (320, 192), interpolation=cv2.INTER_LINEAR) for c in rgb_to_chroma(small)])
    edges = _gradient(integer_luma(crop).astype(np.float32))
    edges = edges > np.percentile(edges, 90)
    ours = rgb_to_chroma(out)

    def steepness(chroma: np.ndarray) -> float:
        return float(np.mean([_gradient(c)[edges].mean() for c in chroma]))

    assert steepness(ours) > steepness(plain)
    assert min(np.corrcoef(ours[c][edges], truth[c][edges])[0, 1] for c in range(2)) > 0.9
    assert np.abs(ours).mean() > 0.9 * np.abs(truth).mean()


def test_a_gray_frame_stays_gray(frame: np.ndarray) -> None:
    gray = np.repeat(integer_luma(frame[:96, :128])[..., None], 3, axis=2)
    out = upscale_frame(gray, (300, 225), upscaler_named("relume", "cpu"))
    assert out.shape == (225, 300, 3)
    assert np.array_equal(out[..., 0], out[..., 1]) and np.array_equal(out[..., 1], out[..., 2])
