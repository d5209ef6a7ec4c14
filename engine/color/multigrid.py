"""Fast solve of Levin's colorization system: edge-aware aggregation multigrid in torch.

The system (see :mod:`engine.color.affinity`) is a 9-point, spatially varying,
edge-aware stencil. Plain relaxation needs thousands of sweeps to carry a
hint's colour across a frame; multigrid needs a few cycles.

Coarse levels are built algebraically, not by re-discretizing Levin's weights
on downsampled luma (which forgets thin edges): each coarse cell aggregates the
pixels of a 2×2 block and its operator is the Galerkin product ``Pᵀ A P`` with
piecewise-constant ``P`` — the fine couplings, summed, so the coarse stencil
stays 3×3. A block straddling a strong luminance edge would let the coarse
correction carry colour across it, so a block keeps only its largest group of
pixels joined by luma steps below ``_EDGE_STEP``; the rest are left out of the
aggregate (the smoother relaxes them from their own side) and their links are
lumped onto the member's diagonal (they move with it), within a guard that
stops a cell from floating. Aggregates carry their mean luma, so the same test
applies on every level.

Piecewise-constant prolongation under-corrects smooth error, so the cycle is a
W-cycle and serves as the right preconditioner of GMRES (the system is not
symmetric, σ differing per pixel, so CG does not apply). Smoothing is
four-colour Gauss–Seidel (no two pixels of a colour are 8-neighbours),
vectorized per colour. The coarsest level (≤ 600 cells) is solved densely.

Pixels fixed by hints (and padding) are "inactive": never updated, excluded
from aggregation. Everything stays on the caller's device; Cb and Cr are solved
together as two channels. Convergence is not complete in the default few
iterations: benchmarks/colorize.py measures the result against the exact
sparse solve.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from engine.color.affinity import CENTER, OFFSETS, apply_stencil

_COARSEST_UNKNOWNS = 600
_COLOURS = ((0, 0), (1, 1), (0, 1), (1, 0))
# A luma step (0–1 scale) that splits an aggregate: an edge, not grain.
_EDGE_STEP = 0.3
# Lumping may remove at most this share of a coarse cell's unlumped diagonal.
_FLOATING_GUARD = 0.25


@dataclass
class _Level:
    """One level of the hierarchy: its stencil, active pixels and per-colour slices."""

    stencil: torch.Tensor
    active: torch.Tensor
    members: torch.Tensor
    colour_stencils: dict[tuple[int, int], torch.Tensor]
    colour_inverse_diagonal: dict[tuple[int, int], torch.Tensor]


def _make_level(stencil: torch.Tensor, active: torch.Tensor, members: torch.Tensor) -> _Level:
    colour_stencils = {}
    inverse = {}
    for pi, pj in _COLOURS:
        colour_stencils[(pi, pj)] = stencil[:, pi::2, pj::2].contiguous()
        inverse[(pi, pj)] = 1.0 / stencil[CENTER, pi::2, pj::2].clamp_min(1e-12)
    return _Level(stencil, active, members, colour_stencils, inverse)


def _members(luma: torch.Tensor, active: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Which active pixels join their 2×2 aggregate, and the aggregates' luma.

    A block's pixels are linked where their luma differs by less than
    ``_EDGE_STEP``; the largest linked group forms the aggregate. A pixel cut off
    from the rest of its block by a luminance edge stays out, so no coarse unknown
    ever spans an edge and the coarse correction cannot carry colour across it
    (the smoother still relaxes that pixel from its own side). Film grain is far
    below the step, so flat grainy areas still coarsen fully. The aggregate's
    luma (mean of its members) drives the same test on the next level.
    """
    h, w = active.shape
    hh, ww = h + h % 2, w + w % 2
    y = F.pad(luma, (0, ww - w, 0, hh - h))
    a = F.pad(active, (0, ww - w, 0, hh - h))
    corners = [(0, 0), (0, 1), (1, 0), (1, 1)]
    values = [y[pi::2, pj::2] for pi, pj in corners]
    present = [a[pi::2, pj::2] for pi, pj in corners]
    labels = [torch.full_like(values[0], float(m)) for m in range(4)]
    pairs = [(m, n) for m in range(4) for n in range(m + 1, 4)]
    linked = {
        (m, n): ((values[m] - values[n]).abs() < _EDGE_STEP) & present[m] & present[n] for m, n in pairs
    }
    for _ in range(3):  # label propagation over at most four nodes
        for (m, n), link in linked.items():
            low = torch.minimum(labels[m], labels[n])
            labels[m] = torch.where(link, low, labels[m])
            labels[n] = torch.where(link, low, labels[n])
    sizes = torch.stack(
        [sum(((labels[m] == label) & present[m]).to(torch.int32) for m in range(4)) for label in range(4)]
    )
    chosen = sizes.argmax(0).to(values[0].dtype)
    members = torch.zeros_like(a)
    total = torch.zeros_like(values[0])
    for m, (pi, pj) in enumerate(corners):
        joined = (labels[m] == chosen) & present[m]
        members[pi::2, pj::2] = joined
        total = total + values[m] * joined
    coarse_luma = total / sizes.amax(0).clamp_min(1).to(total.dtype)
    return members[:h, :w], coarse_luma


def _coarsen(
    stencil: torch.Tensor, active: torch.Tensor, members: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """Galerkin operator ``Pᵀ A P`` over 2×2 aggregates of member pixels.

    A link from a member to an active pixel left out of every aggregate is
    lumped onto the member's diagonal: the left-out pixel lies on the member's
    side of an edge and moves with it. Dropping the link instead would make it a
    zero-valued sink on the coarse level and stall the correction near edges.
    """
    h, w = members.shape
    ph, pw = h % 2, w % 2
    s = F.pad(stencil, (0, pw, 0, ph))
    a = F.pad(members.to(stencil.dtype), (0, pw, 0, ph))
    ap = F.pad(a, (1, 1, 1, 1))
    left_out = F.pad((active & ~members).to(stencil.dtype), (1, 1 + pw, 1, 1 + ph))
    hh, ww = a.shape
    coarse = torch.zeros((9, hh // 2, ww // 2), dtype=stencil.dtype, device=stencil.device)
    lumped_total = torch.zeros_like(coarse[CENTER])
    for k, (di, dj) in enumerate(OFFSETS):
        linked = s[k] * a * ap[1 + di : 1 + di + hh, 1 + dj : 1 + dj + ww]
        lumped = s[k] * a * left_out[1 + di : 1 + di + hh, 1 + dj : 1 + dj + ww]
        for pi in (0, 1):
            for pj in (0, 1):
                lumped_total += lumped[pi::2, pj::2]
        for pi in (0, 1):
            for pj in (0, 1):
                kc = ((pi + di) // 2 + 1) * 3 + ((pj + dj) // 2 + 1)
                coarse[kc] += linked[pi::2, pj::2]
    # A cell whose members link mostly to left-out pixels would float once those
    # links are lumped; lumping may take at most part of its diagonal.
    coarse[CENTER] = torch.maximum(coarse[CENTER] + lumped_total, _FLOATING_GUARD * coarse[CENTER])
    active_coarse = F.max_pool2d(a[None, None], 2)[0, 0] > 0
    coarse[CENTER] += (~active_coarse).to(coarse.dtype)
    return coarse, active_coarse


def _restrict(residual: torch.Tensor, members: torch.Tensor) -> torch.Tensor:
    h, w = members.shape
    r = F.pad(residual * members, (0, w % 2, 0, h % 2))
    return F.avg_pool2d(r[None], 2)[0] * 4.0


def _prolong(coarse: torch.Tensor, members: torch.Tensor) -> torch.Tensor:
    h, w = members.shape
    fine = coarse.repeat_interleave(2, dim=-2).repeat_interleave(2, dim=-1)[:, :h, :w]
    return fine * members


def _smooth(level: _Level, rhs: torch.Tensor, x: torch.Tensor, sweeps: int) -> torch.Tensor:
    """Four-colour Gauss–Seidel sweeps on ``A x = rhs``."""
    c, h, w = x.shape
    xp = F.pad(x, (1, 1, 1, 1))
    for _ in range(sweeps):
        for pi, pj in _COLOURS:
            ni, nj = len(range(pi, h, 2)), len(range(pj, w, 2))
            if ni == 0 or nj == 0:
                continue
            s = level.colour_stencils[(pi, pj)]
            acc = rhs[:, pi::2, pj::2].clone()
            for k, (di, dj) in enumerate(OFFSETS):
                if k == CENTER:
                    continue
                i0, j0 = 1 + pi + di, 1 + pj + dj
                acc.addcmul_(s[k], xp[:, i0 : i0 + 2 * ni - 1 : 2, j0 : j0 + 2 * nj - 1 : 2], value=-1.0)
            xp[:, 1 + pi : 1 + h : 2, 1 + pj : 1 + w : 2] = acc * level.colour_inverse_diagonal[(pi, pj)]
    return xp[:, 1:-1, 1:-1]


def _dense_operator(stencil: torch.Tensor) -> torch.Tensor:
    _, h, w = stencil.shape
    n = h * w
    index = torch.arange(n, device=stencil.device).reshape(h, w)
    dense = torch.zeros((n, n), dtype=torch.float64, device=stencil.device)
    for k, (di, dj) in enumerate(OFFSETS):
        i0, i1 = max(0, -di), min(h, h - di)
        j0, j1 = max(0, -dj), min(w, w - dj)
        rows = index[i0:i1, j0:j1].reshape(-1)
        cols = index[i0 + di : i1 + di, j0 + dj : j1 + dj].reshape(-1)
        dense[rows, cols] += stencil[k, i0:i1, j0:j1].reshape(-1).to(torch.float64)
    return dense


class LevinMultigrid:
    """A multigrid hierarchy for one frame's system, reusable for several right-hand sides.

    Parameters
    ----------
    stencil
        ``(9, H, W)`` system stencil from :func:`engine.color.affinity.levin_stencil`.
    fixed
        ``(H, W)`` bool, the pixels whose rows are the identity (hints).
    luma
        ``(H, W)`` luma (0–1) the aggregates are split by.
    sweeps
        Gauss–Seidel sweeps before and after each coarse correction.
    """

    def __init__(self, stencil: torch.Tensor, fixed: torch.Tensor, luma: torch.Tensor, sweeps: int = 1) -> None:
        self.sweeps = sweeps
        self.levels: list[_Level] = []
        active = ~fixed
        while True:
            h, w = active.shape
            if h * w <= _COARSEST_UNKNOWNS or min(h, w) <= 2:
                self.levels.append(_make_level(stencil, active, active))
                break
            members, coarse_luma = _members(luma, active)
            self.levels.append(_make_level(stencil, active, members))
            stencil, active = _coarsen(stencil, active, members)
            luma = coarse_luma
        coarsest = self.levels[-1].stencil
        self._lu = torch.linalg.lu_factor(_dense_operator(coarsest))

    def _coarsest_solve(self, rhs: torch.Tensor) -> torch.Tensor:
        c, h, w = rhs.shape
        b = rhs.reshape(c, -1).T.to(torch.float64)
        x = torch.linalg.lu_solve(*self._lu, b)
        return x.T.reshape(c, h, w).to(rhs.dtype)

    def _cycle(self, depth: int, rhs: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        """One W-cycle (two coarse visits per level) on ``A x = rhs`` at ``depth``."""
        if depth == len(self.levels) - 1:
            return self._coarsest_solve(rhs)
        level = self.levels[depth]
        x = _smooth(level, rhs, x, self.sweeps)
        residual = rhs - apply_stencil(level.stencil, x)
        coarse_rhs = _restrict(residual, level.members)
        coarse_x = self._cycle(depth + 1, coarse_rhs, torch.zeros_like(coarse_rhs))
        if depth + 2 < len(self.levels):
            coarse_x = self._cycle(depth + 1, coarse_rhs, coarse_x)
        x = x + _prolong(coarse_x, level.members)
        return _smooth(level, rhs, x, self.sweeps)

    def precondition(self, residual: torch.Tensor) -> torch.Tensor:
        """One cycle from zero: an approximate ``A⁻¹ residual``."""
        return self._cycle(0, residual, torch.zeros_like(residual))

    def apply(self, x: torch.Tensor) -> torch.Tensor:
        """``A x`` on the finest level."""
        return apply_stencil(self.levels[0].stencil, x)

    def solve(self, rhs: torch.Tensor, initial: torch.Tensor | None = None, iterations: int = 4) -> torch.Tensor:
        """Solve ``A x = rhs`` (``(C, H, W)``): GMRES preconditioned on the right by one cycle per iteration.

        The system is not symmetric (σ differs per pixel), so conjugate gradients
        do not apply; GMRES over a handful of cycles is cheap since the Krylov
        space stays small. Each channel gets its own Krylov coefficients.
        """
        x = torch.zeros_like(rhs) if initial is None else initial.clone()
        if iterations <= 0:
            return x
        return gmres(self.apply, self.precondition, rhs, x, iterations)

    def residual_norm(self, rhs: torch.Tensor, x: torch.Tensor) -> float:
        """Relative residual ‖rhs − A x‖ / ‖rhs‖."""
        r = rhs - apply_stencil(self.levels[0].stencil, x)
        return float(r.norm() / rhs.norm().clamp_min(1e-30))


def gmres(
    apply: Callable[[torch.Tensor], torch.Tensor],
    precondition: Callable[[torch.Tensor], torch.Tensor],
    rhs: torch.Tensor,
    initial: torch.Tensor,
    iterations: int,
) -> torch.Tensor:
    """Right-preconditioned GMRES without restart, batched over channels (the first axis)."""
    channels = rhs.shape[0]

    def norms(v: torch.Tensor) -> torch.Tensor:
        return v.flatten(1).norm(dim=1)

    residual = rhs - apply(initial)
    beta = norms(residual)
    basis = [residual / beta.clamp_min(1e-30)[:, None, None]]
    directions: list[torch.Tensor] = []
    hessenberg = torch.zeros((channels, iterations + 1, iterations), dtype=torch.float64)
    for j in range(iterations):
        z = precondition(basis[j])
        directions.append(z)
        w = apply(z)
        for i in range(j + 1):  # modified Gram–Schmidt
            h = (w * basis[i]).flatten(1).sum(1)
            hessenberg[:, i, j] = h.double().cpu()
            w = w - h[:, None, None] * basis[i]
        h_next = norms(w)
        hessenberg[:, j + 1, j] = h_next.double().cpu()
        basis.append(w / h_next.clamp_min(1e-30)[:, None, None])
    target = torch.zeros((channels, iterations + 1, 1), dtype=torch.float64)
    target[:, 0, 0] = beta.double().cpu()
    coefficients = torch.linalg.lstsq(hessenberg, target).solution[:, :, 0].to(rhs.dtype).to(rhs.device)
    x = initial.clone()
    for j, z in enumerate(directions):
        x = x + coefficients[:, j, None, None] * z
    return x
