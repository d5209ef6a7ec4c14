"""The exact sparse solve of Levin's colorization system (scipy), the reference.

Slow on purpose: it assembles the whole sparse matrix and factorizes it with
SuperLU (:func:`scipy.sparse.linalg.spsolve`), as the authors' code does with
Matlab's backslash. Benchmarks and tests measure the fast multigrid solver
against it; the engine never calls it on a real job.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse
import scipy.sparse.linalg
import torch

from engine.color.affinity import OFFSETS, levin_rhs, levin_stencil


def levin_exact(
    luma: np.ndarray,
    fixed: np.ndarray,
    fixed_chroma: np.ndarray,
    soft_weight: np.ndarray | None = None,
    soft_chroma: np.ndarray | None = None,
    cut_edges: bool = True,
) -> np.ndarray:
    """Solve the colorization system of one frame exactly.

    Parameters
    ----------
    luma
        ``(H, W)`` float luma on the 0–1 scale.
    fixed
        ``(H, W)`` bool, pixels fixed by hints.
    fixed_chroma
        ``(2, H, W)`` chroma at the fixed pixels.
    soft_weight, soft_chroma
        Optional soft pull ``(H, W)`` towards a prior ``(2, H, W)``.
    cut_edges
        Relume's system (links across strong edges cut, as the fast solver has
        it); False for Levin's published weights.

    Returns
    -------
    numpy.ndarray
        ``(2, H, W)`` float32 chroma.
    """
    t = lambda a: None if a is None else torch.from_numpy(np.ascontiguousarray(a))  # noqa: E731
    fixed_t = t(fixed.astype(bool))
    stencil = levin_stencil(t(luma.astype(np.float32)), fixed_t, t(soft_weight), cut_edges).numpy().astype(np.float64)
    rhs = levin_rhs(fixed_t, t(fixed_chroma.astype(np.float32)), t(soft_weight), t(soft_chroma)).numpy()
    h, w = luma.shape
    index = np.arange(h * w).reshape(h, w)
    rows, cols, vals = [], [], []
    for k, (di, dj) in enumerate(OFFSETS):
        i0, i1 = max(0, -di), min(h, h - di)
        j0, j1 = max(0, -dj), min(w, w - dj)
        coeff = stencil[k, i0:i1, j0:j1]
        keep = coeff != 0
        rows.append(index[i0:i1, j0:j1][keep])
        cols.append(index[i0 + di : i1 + di, j0 + dj : j1 + dj][keep])
        vals.append(coeff[keep])
    matrix = scipy.sparse.csc_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(h * w, h * w)
    )
    solution = scipy.sparse.linalg.spsolve(matrix, rhs.reshape(2, -1).T.astype(np.float64))
    return np.asarray(solution, dtype=np.float32).T.reshape(2, h, w)
