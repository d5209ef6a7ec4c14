"""The luminance affinity of Levin, Lischinski & Weiss (2004) as a 3×3 stencil.

Each pixel's chroma should equal the weighted mean of its eight neighbours'
chroma, with weights that fall off with luma difference::

    w_rs ∝ exp(−(Y_r − Y_s)² / σ_r²),   Σ_s w_rs = 1

σ_r² follows the authors' published code: 0.6 × the luma variance of the 3×3
window around r, raised so the most similar neighbour keeps at least 1 % weight,
and never below 2·10⁻⁶. Windows are clipped at the frame border.

One departure: a link across a luma step above ``EDGE_STEP`` (0.3, a strong
edge, far above grain) gets no weight, unless it is the pixel's most similar
neighbour (a lone speck keeps one link and takes its surroundings' colour).
In the published weights a window straddling an edge has a large variance, so
σ² grows with the step itself and the cross-edge weight stays near 10⁻³–10⁻⁴;
summed along a long outline that is a measurable leak: a small hint on a large
ground ends up tinted by a big differently coloured figure the ground touches
(``tests/engine/color/test_spatial.py``). On real frames such steps between
neighbours are rare: the exact solve moved by under 0.01 dB of chroma PSNR on
every image of ``benchmarks/colorize.py``, which prints both.

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
# A luma step (0–1 scale) between neighbours that is an edge, not grain: links
# across it are cut here, and multigrid aggregates never span it.
EDGE_STEP = 0.3
# A squared step far beyond any real one (finite, so that ∞ − it stays ∞).
_FAR = 1e30


def shifted(x: torch.Tensor, di: int, dj: int) -> torch.Tensor:
    """``x`` (…, H, W) moved so that ``out[..., i, j] = x[..., i + di, j + dj]``, zero outside."""
    h, w = x.shape[-2:]
    padded = F.pad(x, (1, 1, 1, 1))
    return padded[..., 1 + di : 1 + di + h, 1 + dj : 1 + dj + w]


def _overlap(size: int, offset: int) -> tuple[int, int]:
    """The range of positions ``i`` along an axis whose neighbour ``i + offset`` is in the frame."""
    return max(0, -offset), min(size, size - offset)


def _window_count(size: int, device: torch.device) -> torch.Tensor:
    """How many positions of each 3-wide window along an axis lie in the frame (2 at the ends, else 3)."""
    count = torch.full((size,), 3.0, device=device)
    count[0] -= 1
    count[-1] -= 1
    return count.clamp_min_(1.0)


def levin_weights(luma: torch.Tensor, cut_edges: bool = True) -> torch.Tensor:
    """Neighbour weights ``(9, H, W)`` (centre entry 0, rows sum to 1) of a luma frame on the 0–1 scale.

    ``cut_edges=False`` gives the published weights, links across strong edges kept.
    """
    y = luma.to(torch.float32)
    h, w = y.shape
    # Luma steps to the in-frame neighbours, in place in the output (0 for the
    # centre and, for now, outside the frame).
    weights = torch.zeros((9, h, w), dtype=torch.float32, device=y.device)
    for k, (di, dj) in enumerate(OFFSETS):
        if k != CENTER:
            (i0, i1), (j0, j1) = _overlap(h, di), _overlap(w, dj)
            torch.sub(y[i0 + di : i1 + di, j0 + dj : j1 + dj], y[i0:i1, j0:j1], out=weights[k, i0:i1, j0:j1])
    # Variance of the in-frame part of each 3×3 window, from the steps: a window's
    # variance is that of its steps from the centre, and small steps square
    # without the cancellation of E[y²] − E[y]² (in float32 that moved weights by
    # up to 0.016 on flat film), so float32 suffices on every device and no
    # float64 pooling pass is needed.
    count = _window_count(h, y.device)[:, None] * _window_count(w, y.device)
    mean_step = weights.sum(0).div_(count)
    weights.square_()
    variance = weights.sum(0).div_(count).sub_(mean_step.square_()).clamp_min_(0.0)
    # An out-of-frame neighbour (and the centre) gets an infinite step, hence weight 0.
    for k, (di, dj) in enumerate(OFFSETS):
        if di:
            weights[k, 0 if di < 0 else h - 1] = math.inf
        if dj:
            weights[k, :, 0 if dj < 0 else w - 1] = math.inf
    weights[CENTER] = math.inf
    closest = weights.amin(0)
    sigma2 = torch.maximum(0.6 * variance, closest / -math.log(_MIN_NEIGHBOUR_WEIGHT)).clamp_min_(_MIN_SIGMA2)
    if cut_edges:
        # A step beyond the pixel's limit is pushed so far out that its weight is exactly 0; a step
        # within it gains exactly 0. (Arithmetic, not a masked fill: a third of the cost on the CPU.)
        limit = closest.clamp(EDGE_STEP * EDGE_STEP, _FAR)
        weights.add_(torch.sub(weights, limit).relu_().mul_(_FAR))
    weights.div_(-sigma2).exp_()
    weights.div_(weights.sum(0).clamp_min_(1e-30))
    # Links this weak change nothing, and as subnormal floats they would slow
    # every later product on the CPU by orders of magnitude.
    return F.threshold_(weights, _NEGLIGIBLE_WEIGHT, 0.0)


def levin_stencil(
    luma: torch.Tensor, fixed: torch.Tensor, soft_weight: torch.Tensor | None = None, cut_edges: bool = True
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
    cut_edges
        Cut links across strong edges (Relume's system); False for the published weights.
    """
    stencil = levin_weights(luma, cut_edges).neg_()
    stencil[CENTER] = 1.0 + NEUTRAL_PULL
    if soft_weight is not None:
        stencil[CENTER] += soft_weight.to(stencil.dtype)
    # A fixed pixel's row is the identity. Hints cover a small share of a frame:
    # writing their rows costs less than a pass over the whole stencil.
    rows, cols = fixed.nonzero(as_tuple=True)
    stencil[:, rows, cols] = 0.0
    stencil[CENTER, rows, cols] = 1.0
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
