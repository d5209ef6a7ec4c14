"""Colour-grid Gauss–Seidel: the same sweeps and residual as on the frame itself, at any frame size."""

from __future__ import annotations

import pytest
import skimage.data
import skimage.transform
import torch

from engine.color.affinity import CENTER, OFFSETS, apply_stencil, levin_stencil, shifted
from engine.color.relaxation import COLOURS, ColourStencil


def _frame_stencil(height: int, width: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Levin's stencil of a real photograph's luma, with a few fixed pixels."""
    gray = skimage.transform.resize(skimage.data.camera(), (height, width), anti_aliasing=True)
    luma = torch.from_numpy(gray.astype("float32"))
    fixed = torch.zeros((height, width), dtype=torch.bool)
    fixed[height // 3, width // 4] = fixed[height - 2, width - 3] = True
    return levin_stencil(luma, fixed), fixed


def _reference_sweep(stencil: torch.Tensor, rhs: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """One four-colour sweep written on the whole frame, a colour at a time through masks."""
    h, w = x.shape[-2:]
    rows = torch.arange(h)[:, None] % 2
    cols = torch.arange(w)[None, :] % 2
    x = x.clone()
    for pi, pj in COLOURS:
        colour = (rows == pi) & (cols == pj)
        off = rhs.clone()
        for k, (di, dj) in enumerate(OFFSETS):
            if k != CENTER:
                off -= stencil[k] * shifted(x, di, dj)
        x = torch.where(colour, off / stencil[CENTER], x)
    return x


@pytest.mark.parametrize("size", [(24, 32), (25, 31)])
def test_colour_grids_relax_and_residual_match_the_frame_formulas(size: tuple[int, int]) -> None:
    stencil, _ = _frame_stencil(*size)
    generator = torch.Generator().manual_seed(0)
    rhs = torch.randn((2, *size), generator=generator)
    x = torch.randn((2, *size), generator=generator)
    colours = ColourStencil(stencil)
    fields = colours.load(rhs, x)
    residual = colours.frame_of(colours.residual(fields))
    torch.testing.assert_close(residual, rhs - apply_stencil(stencil, x), rtol=1e-5, atol=1e-5)
    colours.relax(fields, 1)
    torch.testing.assert_close(colours.frame(fields), _reference_sweep(stencil, rhs, x), rtol=1e-5, atol=1e-5)
    # Loading again from zero forgets the previous visit (the buffers are reused).
    fields = colours.load(rhs)
    torch.testing.assert_close(colours.frame(fields), torch.zeros_like(x))


@pytest.mark.parametrize("size", [(24, 32), (25, 31)])
def test_residual_right_after_relaxing_skips_only_what_is_zero(size: tuple[int, int]) -> None:
    stencil, _ = _frame_stencil(*size)
    generator = torch.Generator().manual_seed(1)
    rhs = torch.randn((2, *size), generator=generator)
    colours = ColourStencil(stencil)
    fields = colours.load(rhs, torch.randn((2, *size), generator=generator))
    colours.relax(fields, 1)
    full = colours.frame_of(colours.residual(fields).clone())
    torch.testing.assert_close(colours.frame_of(colours.residual(fields, relaxed=True)), full, rtol=0, atol=1e-5)


@pytest.mark.parametrize("size", [(24, 32), (25, 31)])
def test_first_sweep_from_zero_matches_the_full_sweep(size: tuple[int, int]) -> None:
    stencil, _ = _frame_stencil(*size)
    rhs = torch.randn((2, *size), generator=torch.Generator().manual_seed(2))
    colours = ColourStencil(stencil)
    fields = colours.load(rhs)
    colours.relax(fields, 2, from_zero=True)
    torch.testing.assert_close(
        colours.frame(fields), _reference_sweep(stencil, rhs, _reference_sweep(stencil, rhs, torch.zeros_like(rhs)))
    )


@pytest.mark.parametrize("size", [(24, 32), (25, 31)])
def test_relaxing_from_zero_needs_no_zeroed_buffers(size: tuple[int, int]) -> None:
    stencil, _ = _frame_stencil(*size)
    generator = torch.Generator().manual_seed(3)
    rhs = torch.randn((2, *size), generator=generator)
    colours = ColourStencil(stencil)
    colours.relax(colours.load(rhs), 1, from_zero=True)
    expected = colours.frame(colours.fields(2))
    # A previous visit leaves other values in the reused buffers.
    colours.relax(colours.load(-rhs, torch.randn((2, *size), generator=generator)), 1)
    fields = colours.load(rhs, relaxed_next=True)
    colours.relax(fields, 1, from_zero=True)
    torch.testing.assert_close(colours.frame(fields), expected, rtol=0, atol=0)
