"""The luminance affinity of Levin, Lischinski & Weiss (2004) as a 3×3 stencil.

Each pixel's chroma should equal the weighted mean of its eight neighbours'
chroma, with weights that fall off with luma difference::

    w_rs ∝ exp(−(Y_r − Y_s)² / σ_r²),   Σ_s w_rs = 1

σ_r² follows the authors' published code: 0.6 × the luma variance of the 3×3
window around r, raised so the most similar neighbour keeps at least 1 % weight,
and never below 2·10⁻⁶. Windows are clipped at the frame border.

The system of one frame is a 9-coefficient stencil per pixel, ``(9, H, W)``,
offsets in row-major order (index 4 is the pixel itself): for a free pixel
``(1 + λ_r) x_r − Σ_s w_rs x_s = λ_r p_r`` with an optional soft pull ``λ``
towards a prior ``p``; a pixel fixed by a hint has the row ``x_r = c_r``.
The fast solver (:mod:`engine.color.multigrid`) and the exact sparse reference
(:mod:`engine.color.exact`) both solve exactly this system.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

OFFSETS: tuple[tuple[int, int], ...] = tuple((di, dj) for di in (-1, 0, 1) for dj in (-1, 0, 1))
CENTER = 4
# A vanishing pull towards neutral for every free pixel: keeps a region that no
# hint can reach gray instead of undefined, and the system non-singular.
NEUTRAL_PULL = 1e-5
_MIN_SIGMA2 = 2e-6
_MIN_NEIGHBOUR_WEIGHT = 0.01
_NEGLIGIBLE_WEIGHT = 1e-12


def shifted(x: torch.Tensor, di: int, dj: int) -> torch.Tensor:
    """``x`` (…, H, W) moved so that ``out[..., i, j] = x[..., i + di, j + dj]``, zero outside."""
    h, w = x.shape[-2:]
    padded = F.pad(x, (1, 1, 1, 1))
    return padded[..., 1 + di : 1 + di + h, 1 + dj : 1 + dj + w]


def levin_weights(luma: torch.Tensor) -> torch.Tensor:
    """Neighbour weights ``(9, H, W)`` (centre entry 0, rows sum to 1) of a luma frame on the 0–1 scale."""
    y = luma.to(torch.float32)
    ones = torch.ones_like(y)
    neighbours = [(di, dj) for di, dj in OFFSETS if (di, dj) != (0, 0)]
    valid = torch.stack([shifted(ones, di, dj) for di, dj in neighbours])
    values = torch.stack([shifted(y, di, dj) for di, dj in neighbours])
    count = 1.0 + valid.sum(0)
    mean = (y + values.sum(0)) / count
    variance = ((y * y + (values * values).sum(0)) / count - mean * mean).clamp_min(0.0)
    diff2 = (values - y) ** 2
    closest = torch.where(valid > 0, diff2, torch.full_like(diff2, math.inf)).amin(0)
    sigma2 = torch.maximum(0.6 * variance, closest / -math.log(_MIN_NEIGHBOUR_WEIGHT)).clamp_min(_MIN_SIGMA2)
    weights = torch.exp(-diff2 / sigma2) * valid
    weights = weights / weights.sum(0).clamp_min(1e-30)
    # Links this weak change nothing, and as subnormal floats they would slow
    # every later product on the CPU by orders of magnitude.
    weights = torch.where(weights < _NEGLIGIBLE_WEIGHT, torch.zeros_like(weights), weights)
    return torch.cat([weights[:CENTER], torch.zeros_like(y)[None], weights[CENTER:]])


def levin_stencil(
    luma: torch.Tensor, fixed: torch.Tensor, soft_weight: torch.Tensor | None = None
) -> torch.Tensor:
    """The system stencil ``(9, H, W)`` of one frame.

    Parameters
    ----------
    luma
        ``(H, W)`` luma on the 0–1 scale.
    fixed
        ``(H, W)`` bool, pixels whose chroma a hint fixes.
    soft_weight
        ``(H, W)`` pull λ towards a prior (warped chroma, reference transfer), or None.
    """
    stencil = -levin_weights(luma)
    pull = torch.full_like(stencil[0], NEUTRAL_PULL)
    if soft_weight is not None:
        pull = pull + soft_weight.to(stencil.dtype)
    stencil[CENTER] = 1.0 + pull
    free = (~fixed).to(stencil.dtype)
    stencil = stencil * free
    stencil[CENTER] += 1.0 - free
    return stencil


def levin_rhs(
    fixed: torch.Tensor,
    fixed_chroma: torch.Tensor,
    soft_weight: torch.Tensor | None = None,
    soft_chroma: torch.Tensor | None = None,
) -> torch.Tensor:
    """Right-hand side ``(2, H, W)`` matching :func:`levin_stencil`."""
    rhs = torch.where(fixed, fixed_chroma, torch.zeros_like(fixed_chroma))
    if soft_weight is not None and soft_chroma is not None:
        rhs = rhs + torch.where(fixed, torch.zeros_like(soft_chroma), soft_weight * soft_chroma)
    return rhs


def apply_stencil(stencil: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """``A x`` for a stencil ``(9, H, W)`` and a field ``(C, H, W)``."""
    h, w = x.shape[-2:]
    padded = F.pad(x, (1, 1, 1, 1))
    out = stencil[CENTER] * x
    for k, (di, dj) in enumerate(OFFSETS):
        if k != CENTER:
            out.addcmul_(stencil[k], padded[:, 1 + di : 1 + di + h, 1 + dj : 1 + dj + w])
    return out
