"""Spatial propagation: edge-aware, as accurate as the exact sparse solve, on the device asked for."""

from __future__ import annotations

import numpy as np
import pytest
import skimage.data
import skimage.transform
import torch

from engine.color import colorize_frame, levin_exact, propagate_chroma, resolve_device, rgb_to_chroma
from engine.color.luma import integer_luma
from engine.color.strokes import rasterize_hints
from engine.project.hints import Hint
from tests.engine.color.conftest import chroma_psnr_of, true_hints


def test_hint_never_leaks_across_a_strong_luminance_edge() -> None:
    rng = np.random.default_rng(0)
    # A dark figure on a bright ground, with film grain: a closed strong edge.
    luma = np.full((120, 160), 200.0)
    yy, xx = np.mgrid[0:120, 0:160]
    inside = (xx - 70) ** 2 / 40**2 + (yy - 60) ** 2 / 30**2 <= 1
    luma[inside] = 60.0
    luma = np.clip(luma + rng.normal(0, 3, luma.shape), 0, 255).astype(np.uint8)
    hints = [
        Hint(frame=0, points=((70, 60),), radius=2, color="#c02020"),  # red figure
        Hint(frame=0, points=((150, 10),), radius=2, color="#2040c0"),  # blue ground, far away
    ]
    chroma = rgb_to_chroma(colorize_frame(luma, hints, {}, device="cpu"))
    edge_band = np.zeros_like(inside)
    for dy in range(-2, 3):
        for dx in range(-2, 3):
            edge_band |= np.roll(inside, (dy, dx), (0, 1)) != inside
    figure, ground = inside & ~edge_band, ~inside & ~edge_band
    # The red reaches the whole figure and stops at its outline, however close it was painted.
    assert (chroma[1][figure] > 0.1).all()
    assert (chroma[1][ground] < 0.0).all()
    assert (chroma[0][ground] > 0.05).all()


@pytest.mark.parametrize("image", ["coffee", "chelsea"])
def test_fast_solver_is_as_accurate_as_the_exact_solve(image: str) -> None:
    """At 8 iterations; the default (4) is measured against exact in benchmarks/colorize.py."""
    rgb = (skimage.transform.resize(getattr(skimage.data, image)(), (120, 160), anti_aliasing=True) * 255).round()
    rgb = rgb.astype(np.uint8)
    luma = integer_luma(rgb)
    constraints = rasterize_hints(true_hints(rgb, 30, seed=3), {}, 120, 160)
    exact = levin_exact(luma / 255.0, constraints.mask, constraints.chroma)
    fast = propagate_chroma(
        torch.from_numpy(luma / np.float32(255.0)),
        torch.from_numpy(constraints.mask),
        torch.from_numpy(constraints.chroma),
        iterations=8,
    ).numpy()
    assert chroma_psnr_of(fast, rgb) >= chroma_psnr_of(exact, rgb) - 0.3
    # And it is near the exact solution itself, not just as good by chance.
    assert np.sqrt(np.mean((fast - exact) ** 2)) < 0.02


_UNDER_CONVERGED = pytest.mark.xfail(
    strict=True,
    reason="issue 4 goal not met on this frame: with a hint every 320 pixels of a small textured frame, 4 "
    "default cycles fall 0.85 dB short (8 cycles 0.34, 16 reach it); strict, so it fails once the solver gets there",
)


@pytest.mark.parametrize(
    ("image", "count"),
    [
        ("astronaut", 10),
        ("astronaut", 60),
        ("rocket", 10),
        ("rocket", 60),
        ("coffee", 10),
        pytest.param("coffee", 60, marks=_UNDER_CONVERGED),
        ("chelsea", 60),
    ],
)
def test_default_settings_reach_the_exact_solves_quality(image: str, count: int) -> None:
    """What the editor and the render pipeline get: propagate_chroma with no tuning at all."""
    rgb = (skimage.transform.resize(getattr(skimage.data, image)(), (120, 160), anti_aliasing=True) * 255).round()
    rgb = rgb.astype(np.uint8)
    luma = integer_luma(rgb)
    constraints = rasterize_hints(true_hints(rgb, count, seed=11), {}, 120, 160)
    exact = levin_exact(luma / 255.0, constraints.mask, constraints.chroma)
    fast = propagate_chroma(
        torch.from_numpy(luma / np.float32(255.0)),
        torch.from_numpy(constraints.mask),
        torch.from_numpy(constraints.chroma),
    ).numpy()
    assert chroma_psnr_of(fast, rgb) >= chroma_psnr_of(exact, rgb) - 0.3


def test_frame_without_hints_stays_neutral() -> None:
    luma = (np.arange(120 * 160) % 251).astype(np.uint8).reshape(120, 160)
    rgb = colorize_frame(luma, [], {}, device="cpu")
    assert (rgb[..., 0] == luma).all() and (rgb[..., 1] == luma).all() and (rgb[..., 2] == luma).all()


def test_device_argument_is_respected_and_cuda_preferred(monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_device("cpu") == torch.device("cpu")
    luma = torch.rand(24, 32)
    fixed = torch.zeros(24, 32, dtype=torch.bool)
    fixed[5, 5] = True
    values = torch.zeros(2, 24, 32)
    values[:, 5, 5] = 0.2
    assert propagate_chroma(luma, fixed, values).device == torch.device("cpu")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert resolve_device(None) == torch.device("cuda")
    assert resolve_device("cpu") == torch.device("cpu")
