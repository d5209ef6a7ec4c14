"""Exact solve of a multigrid's coarsest level: banded LU of its 9-point stencil (LAPACK, through scipy).

Numbered along its longer side, a grid whose shorter side is ``s`` cells is a
band matrix with ``s + 1`` diagonals either side of the main one. LAPACK's
band factorization (``gbtrf``, partial pivoting) then costs about
``n·s²`` operations and each solve ``n·s`` — for the 40×30 level of a
640×480 frame, 1.5 ms and 0.1 ms on the CPU — where a dense inverse costs
``n³`` and a multigrid visit of a level this small is dozens of tiny tensor
operations. A strip no more than two cells wide is a narrow band at any length.

The factorization runs on the CPU in float64 whatever the hierarchy's device:
the right-hand sides are a few thousand values, so a round trip is cheap beside
the dense factorization a device would need.
"""

from __future__ import annotations

import numpy as np
import torch
from scipy.linalg import lapack

from engine.color.affinity import OFFSETS


class BandedSolve:
    """``A⁻¹`` of a stencil ``(9, H, W)``, applied to fields ``(C, H, W)`` on the stencil's device and dtype.

    Parameters
    ----------
    stencil
        ``(9, H, W)`` stencil, offsets in :data:`engine.color.affinity.OFFSETS` order;
        ``(A x)[i, j] = Σₖ stencil[k, i, j] · x[i + diₖ, j + djₖ]``, links leaving the grid ignored.
    """

    def __init__(self, stencil: torch.Tensor) -> None:
        self.device, self.dtype = stencil.device, stencil.dtype
        coefficients = stencil.detach().to("cpu", torch.float64).numpy()
        _, h, w = coefficients.shape
        # Number the cells along the longer side, so that the band is as narrow as the shorter one.
        self.transposed = h < w
        offsets = OFFSETS
        if self.transposed:
            coefficients = coefficients.transpose(0, 2, 1)
            h, w = w, h
            offsets = tuple((dj, di) for di, dj in OFFSETS)
        n = h * w
        self.lower = self.upper = min(w + 1, n - 1)
        # Every link as (row, column, coefficient) of the matrix; no two share a place.
        index = np.arange(n).reshape(h, w)
        rows, cols, values = [], [], []
        for k, (di, dj) in enumerate(offsets):
            i0, i1 = max(0, -di), min(h, h - di)
            j0, j1 = max(0, -dj), min(w, w - dj)
            rows.append(index[i0:i1, j0:j1].ravel())
            cols.append(index[i0 + di : i1 + di, j0 + dj : j1 + dj].ravel())
            values.append(coefficients[k, i0:i1, j0:j1].ravel())
        row, col, value = (np.concatenate(parts) for parts in (rows, cols, values))
        # LAPACK band storage with room for the pivoting's fill: A[i, j] sits at row lower + upper + i − j.
        band = np.zeros((2 * self.lower + self.upper + 1, n))
        band[self.lower + self.upper + row - col, col] = value
        self.factors, self.pivots, info = lapack.dgbtrf(band, self.lower, self.upper)
        if info < 0:
            raise ValueError(f"LAPACK gbtrf rejected argument {-info}")
        # An exactly singular operator (a cell with neither links nor a pull) has no inverse: its
        # least-squares solve, by the pseudo-inverse of the dense matrix, leaves that direction at zero.
        self.pseudo_inverse: np.ndarray | None = None
        if info > 0:
            dense = np.zeros((n, n))
            dense[row, col] = value
            self.pseudo_inverse = np.linalg.pinv(dense)

    def __call__(self, rhs: torch.Tensor) -> torch.Tensor:
        """``A⁻¹ rhs`` for a field ``(C, H, W)``."""
        c = rhs.shape[0]
        grid = rhs.transpose(1, 2) if self.transposed else rhs
        columns = grid.detach().to("cpu", torch.float64).reshape(c, -1).T.numpy()
        if self.pseudo_inverse is not None:
            solution = self.pseudo_inverse @ columns
        else:
            solution, _ = lapack.dgbtrs(self.factors, self.lower, self.upper, columns, self.pivots)
        out = torch.from_numpy(np.ascontiguousarray(solution.T)).reshape(grid.shape)
        if self.transposed:
            out = out.transpose(1, 2)
        return out.to(self.device, self.dtype).contiguous()
