"""The coarsest level's exact solve: banded LU of a 9-point stencil, on any grid shape."""

from __future__ import annotations

import pytest
import torch

from engine.color.affinity import CENTER, apply_stencil, levin_stencil
from engine.color.coarsest import BandedSolve


@pytest.mark.parametrize("shape", [(30, 40), (40, 30), (2, 500), (500, 2), (1, 1), (1, 9), (7, 1)])
def test_banded_solve_inverts_a_non_symmetric_stencil(shape: tuple[int, int]) -> None:
    generator = torch.Generator().manual_seed(0)
    # Levin's rows are normalized per pixel, so the operator is not symmetric: neither is this one.
    stencil = -torch.rand((9, *shape), generator=generator, dtype=torch.float64)
    stencil[CENTER] = 9.0
    rhs = torch.rand((2, *shape), generator=generator, dtype=torch.float64)
    x = BandedSolve(stencil)(rhs)
    assert x.shape == rhs.shape and x.dtype == rhs.dtype
    assert torch.allclose(apply_stencil(stencil, x), rhs, atol=1e-12)


def test_banded_solve_of_levins_system_matches_a_dense_solve_in_working_precision() -> None:
    generator = torch.Generator().manual_seed(1)
    luma = torch.rand((20, 15), generator=generator)
    fixed = torch.zeros((20, 15), dtype=torch.bool)
    fixed[3, 4] = fixed[15, 10] = True
    stencil = levin_stencil(luma, fixed)
    rhs = torch.zeros((2, 20, 15))
    rhs[:, 3, 4], rhs[:, 15, 10] = torch.tensor([0.2, -0.1]), torch.tensor([-0.3, 0.25])
    x = BandedSolve(stencil)(rhs)
    assert x.dtype == torch.float32
    # The dense matrix of the same stencil, column by column.
    columns = torch.eye(300, dtype=torch.float64).reshape(300, 20, 15)
    dense = torch.stack([apply_stencil(stencil.double(), column[None])[0].reshape(-1) for column in columns], 1)
    expected = torch.linalg.solve(dense, rhs.double().reshape(2, -1).T).T.reshape(2, 20, 15)
    assert torch.allclose(x.double(), expected, atol=1e-6)


def test_a_singular_operator_is_solved_in_the_least_squares_sense() -> None:
    generator = torch.Generator().manual_seed(2)
    stencil = -torch.rand((9, 6, 7), generator=generator, dtype=torch.float64)
    stencil[CENTER] = 9.0
    stencil[:, 3, 3] = 0.0  # a cell with neither links nor a pull: the operator has no inverse
    rhs = torch.ones((2, 6, 7), dtype=torch.float64)
    x = BandedSolve(stencil)(rhs)
    assert torch.isfinite(x).all()
    residual = apply_stencil(stencil, x) - rhs
    residual[:, 3, 3] = 0.0  # that row cannot be met; every other one is
    assert float(residual.abs().max()) < 1e-10
