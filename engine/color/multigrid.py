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
pixels joined by luma steps below ``EDGE_STEP``; the rest are left out of the
aggregate (the smoother relaxes them from their own side) and their links are
lumped onto the member's diagonal (they move with it), within a guard that
stops a cell from floating. Aggregates carry their mean luma, so the same test
applies on every level.

Why not operator-dependent prolongation (Dendy's black-box multigrid):
Levin's rows are normalized per pixel, so ``A`` is far from symmetric and its
symmetric part is not definite. Summing its rows over aggregates keeps every
coarse operator an M-matrix; ``Pᵀ A P`` with black-box ``P`` did not (positive
couplings, negative row sums on the first coarse level of a real frame) and
the two-grid method diverged, as did restrictions built from ``Aᵀ``, from the
symmetric part, or by 2×2 sums, and a Jacobi-smoothed ``P``. Even on the
symmetrized operator black-box two-grid reduced the residual only ×0.6 a cycle.

Piecewise-constant prolongation under-corrects smooth error, so the upper
coarse levels are visited as a K-cycle (Notay & Vassilevski 2008, the cycle of
Notay's AGMG): two visits to the next level, whose corrections are combined by
two steps of a minimal-residual Krylov method (GCR) on that level, so each
level's correction comes back scaled and steered by its own operator rather
than by a fixed rule; the small deepest levels are visited twice in a row (a
W-cycle). The finest correction is still over-scaled (below), and the whole
cycle serves as the right preconditioner of flexible GMRES (the system is not
symmetric, σ differing per pixel, so CG does not apply; the K-cycle makes the
preconditioner vary between iterations, which the stored directions absorb).
Smoothing is four-colour Gauss–Seidel on contiguous colour grids
(:mod:`engine.color.relaxation`); the Galerkin products are formed on the same
grids. The coarsest level (a few hundred to 1,200 cells) is solved exactly
by banded LU (:mod:`engine.color.coarsest`).

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

from engine.color.affinity import CENTER, EDGE_STEP, OFFSETS, apply_stencil
from engine.color.coarsest import BandedSolve
from engine.color.relaxation import ColourStencil, to_colours

# The coarsest level: the first of at most this many cells, solved exactly by banded LU...
_COARSEST_UNKNOWNS = 600
# ...or the first of at most this many with this many levels above it. A 40×30
# level (that of a 640×480 frame) factors in about 1.5 ms and solves in 0.1 ms,
# where a visit to it and to the level below cost 0.35 ms, 32 times a cycle: a
# 640×480 keyframe's solve took 11% less time, chroma PSNR against the exact
# solve unchanged in the worst case (−0.25 dB). Nearer the top (the 30×40 level
# of a 160×120 frame) an exact solve falls so much less short than the cycles
# it replaces that the finest level's over-correction (below) overshoots: the
# figure-and-ground leak test of tests/engine/color/test_spatial.py failed.
_DEEP_COARSEST_UNKNOWNS = 1200
_DEEP_COARSEST_DEPTH = 3
# Lumping may remove at most this share of a coarse cell's unlumped diagonal.
_FLOATING_GUARD = 0.25
# Scale of the finest level's coarse correction on a frame solved from nothing
# (a keyframe). Piecewise-constant prolongation makes the Galerkin coarse
# operator too stiff, so the correction falls short of the smooth, frame-wide
# error of such a solve; over-correcting is the classic remedy for aggregation
# multigrid (Vaněk, Brezina & Mandel). Scaling every level compounded and
# diverged under a plain W-cycle; with K-visits to the levels just below the
# finest (which rescale their own corrections) only the finest needs it.
# Measured on the 15 keyframes of benchmarks/colorize.py at 4 iterations with
# K-visits on every level, worst chroma PSNR against the exact solve: 1.0
# −0.65 dB, 1.5 −0.46, 2.5 −0.35, 3.5 −0.28, 4.5 −0.24, 6 −0.25, 8 −0.36;
# 3.5–6 is a plateau. With K-visits on the two upper coarse levels only
# (below), 4.0 gives −0.26.
OVERCORRECTION = 4.0
# The same for a frame started from chroma carried from its neighbour: what is
# left to solve there is local (occlusions, new regions), and an over-scaled
# correction overshoots it. At 4.0 a shot's mean chroma PSNR fell from 29.9 to
# 26.6 dB (bikes 76–137, hints on its first frame); 1.5 keeps it.
CARRIED_OVERCORRECTION = 1.5
# Levels below the finest whose visits are K-cycles; deeper ones are visited
# twice in a row (a W-cycle). There a level is a few thousand cells and a
# K-visit's thirty-odd extra tensor operations cost more than they gain: on the
# keyframes of benchmarks/colorize.py K-visits on levels 1–2 only scored as
# K-visits on every level (worst −0.26 dB against the exact solve), on level 1
# only −0.30.
_KRYLOV_LEVELS = 2


@dataclass
class _Level:
    """One level of the hierarchy: its stencil, active pixels and aggregate members."""

    stencil: torch.Tensor
    active: torch.Tensor
    members: torch.Tensor
    colours: ColourStencil
    # ``members`` as colour grids ``(2, 2, 1, H/2, W/2)``: the restriction and prolongation.
    colour_members: torch.Tensor
    # The prolongation, over-scaled on the finest level (``colour_members`` elsewhere).
    prolongation: torch.Tensor


def _make_level(stencil: torch.Tensor, active: torch.Tensor, members: torch.Tensor, scale: float = 1.0) -> _Level:
    colours = ColourStencil(stencil)
    joined = to_colours(members[None].to(stencil.dtype), colours.half).contiguous()
    return _Level(stencil, active, members, colours, joined, joined * scale if scale != 1.0 else joined)


_CORNERS = ((0, 0), (0, 1), (1, 0), (1, 1))
_PAIRS = tuple((m, n) for m in range(4) for n in range(m + 1, 4))


def _aggregate_table() -> tuple[torch.Tensor, torch.Tensor]:
    """For every 10-bit block code (six link bits, four present bits): the largest group's pixels and size.

    The pixels come as a 4-bit mask; groups are the blocks' linked components,
    the largest one wins and the one holding the lowest corner on a tie.
    """
    chosen = torch.zeros(1 << (len(_PAIRS) + 4), dtype=torch.int64)
    sizes = torch.zeros_like(chosen)
    for code in range(chosen.numel()):
        present = [bool(code >> (len(_PAIRS) + m) & 1) for m in range(4)]
        labels = list(range(4))
        for _ in range(3):
            for bit, (m, n) in enumerate(_PAIRS):
                if code >> bit & 1:
                    labels[m] = labels[n] = min(labels[m], labels[n])
        groups = [[m for m in range(4) if labels[m] == label and present[m]] for label in range(4)]
        best = max(range(4), key=lambda label: (len(groups[label]), -label))
        chosen[code] = sum(1 << m for m in groups[best])
        sizes[code] = len(groups[best])
    return chosen, sizes


_AGGREGATE_TABLE = _aggregate_table()


def _members(luma: torch.Tensor, active: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Which active pixels join their 2×2 aggregate, and the aggregates' luma.

    A block's pixels are linked where their luma differs by less than
    ``EDGE_STEP``; the largest linked group forms the aggregate. A pixel cut off
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
    values = [y[pi::2, pj::2] for pi, pj in _CORNERS]
    present = [a[pi::2, pj::2] for pi, pj in _CORNERS]
    # Each block's links and present pixels as one 10-bit code; a table made once
    # answers which pixels form its largest group (a few dozen whole-grid
    # operations of label propagation cost more than the rest of the setup).
    code = torch.zeros(values[0].shape, dtype=torch.int64, device=values[0].device)
    for bit, (m, n) in enumerate(_PAIRS):
        code.add_(((values[m] - values[n]).abs() < EDGE_STEP) & present[m] & present[n], alpha=1 << bit)
    for m in range(4):
        code.add_(present[m], alpha=1 << (len(_PAIRS) + m))
    table, sizes = _AGGREGATE_TABLE
    chosen = table.to(code.device)[code]
    members = torch.zeros_like(a)
    total = torch.zeros_like(values[0])
    for m, (pi, pj) in enumerate(_CORNERS):
        joined = (chosen >> m) & 1
        members[pi::2, pj::2] = joined.bool()
        total.addcmul_(values[m], joined.to(total.dtype))
    largest = sizes.to(code.device)[code]
    coarse_luma = total / largest.clamp_min(1).to(total.dtype)
    return members[:h, :w], coarse_luma


def _coarsen(level: _Level) -> tuple[torch.Tensor, torch.Tensor]:
    """Galerkin operator ``Pᵀ A P`` over 2×2 aggregates of member pixels.

    A link from a member to an active pixel left out of every aggregate is
    lumped onto the member's diagonal: the left-out pixel lies on the member's
    side of an edge and moves with it. Dropping the link instead would make it a
    zero-valued sink on the coarse level and stall the correction near edges.

    Computed on the colour grids: the pixels of colour ``(pi, pj)`` of all
    aggregates form one contiguous grid the size of the coarse level, and a
    fine link at offset ``(di, dj)`` lands on the coarse offset
    ``((pi + di) // 2, (pj + dj) // 2)``.
    """
    colour_stencil = level.colours.stencil
    hh, ww = level.colours.half
    members = level.colour_members[:, :, 0]
    left_out = to_colours((level.active & ~level.members)[None].to(members.dtype), (hh, ww))[:, :, 0]
    bordered = F.pad(torch.stack([members, left_out]), (1, 1, 1, 1))
    coarse = torch.zeros((9, hh, ww), dtype=colour_stencil.dtype, device=colour_stencil.device)
    lumped_total = torch.zeros_like(coarse[CENTER])
    for pi in (0, 1):
        for pj in (0, 1):
            links = colour_stencil[pi, pj] * members[pi, pj]
            for k, (di, dj) in enumerate(OFFSETS):
                (oi, qi), (oj, qj) = divmod(pi + di, 2), divmod(pj + dj, 2)
                joined, left = bordered[:, qi, qj, 1 + oi : 1 + oi + hh, 1 + oj : 1 + oj + ww]
                coarse[(oi + 1) * 3 + (oj + 1)].addcmul_(links[k], joined)
                lumped_total.addcmul_(links[k], left)
    # A cell whose members link mostly to left-out pixels would float once those
    # links are lumped; lumping may take at most part of its diagonal.
    coarse[CENTER] = torch.maximum(coarse[CENTER] + lumped_total, _FLOATING_GUARD * coarse[CENTER])
    active_coarse = members.amax((0, 1)) > 0
    coarse[CENTER] += (~active_coarse).to(coarse.dtype)
    return coarse, active_coarse


def _restrict(residual: torch.Tensor, members: torch.Tensor) -> torch.Tensor:
    """Piecewise-constant restriction: each coarse cell sums its members' residuals, ``(C, H/2, W/2)``.

    A product per colour accumulated in place: multiplying the whole
    ``(2, 2, C, …)`` grids and summing over the colours allocated a temporary
    twice the frame's size on every visit.
    """
    coarse = torch.mul(residual[0, 0], members[0, 0])
    for pi, pj in ((0, 1), (1, 0), (1, 1)):
        coarse.addcmul_(residual[pi, pj], members[pi, pj])
    return coarse


def _channel_dot(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Per-channel dot products of two ``(C, H, W)`` fields, shaped ``(C, 1, 1)`` to scale them."""
    return torch.linalg.vecdot(a.flatten(1), b.flatten(1))[:, None, None]


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
    overcorrection
        Scale of the finest level's coarse correction: ``OVERCORRECTION`` for a
        frame solved from nothing, ``CARRIED_OVERCORRECTION`` for one started
        from carried chroma.
    """

    def __init__(self, stencil: torch.Tensor, fixed: torch.Tensor, luma: torch.Tensor, sweeps: int = 1,
                 overcorrection: float = OVERCORRECTION) -> None:
        self.sweeps = sweeps
        self.levels: list[_Level] = []
        active = ~fixed
        while True:
            h, w = active.shape
            deep = len(self.levels) >= _DEEP_COARSEST_DEPTH and h * w <= _DEEP_COARSEST_UNKNOWNS
            if h * w <= _COARSEST_UNKNOWNS or deep or min(h, w) <= 2:
                self.levels.append(_make_level(stencil, active, active))
                break
            members, coarse_luma = _members(luma, active)
            self.levels.append(_make_level(stencil, active, members, 1.0 if self.levels else overcorrection))
            stencil, active = _coarsen(self.levels[-1])
            luma = coarse_luma
        self._coarsest_solve = BandedSolve(self.levels[-1].stencil)

    def _cycle(self, depth: int, rhs: torch.Tensor, x: torch.Tensor | None = None) -> torch.Tensor:
        """One cycle on ``A x = rhs`` at ``depth`` (from ``x``, or zero), fields ``(C, H, W)``: smooth, correct, smooth."""
        if depth == len(self.levels) - 1:
            return self._coarsest_solve(rhs)
        level = self.levels[depth]
        fields = level.colours.load(rhs, x, relaxed_next=self.sweeps > 0)
        level.colours.relax(fields, self.sweeps, from_zero=x is None)
        residual = level.colours.residual(fields, relaxed=self.sweeps > 0)
        coarse_rhs = _restrict(residual, level.colour_members)
        if depth + 2 >= len(self.levels):
            coarse_x = self._cycle(depth + 1, coarse_rhs)
        elif depth < _KRYLOV_LEVELS:
            coarse_x = self._krylov_visit(depth + 1, coarse_rhs)
        else:
            coarse_x = self._cycle(depth + 1, coarse_rhs)
            coarse_x = self._cycle(depth + 1, coarse_rhs, coarse_x)
        fields.interior.addcmul_(level.prolongation, coarse_x)
        level.colours.relax(fields, self.sweeps)
        return level.colours.frame(fields)

    def _krylov_visit(self, depth: int, rhs: torch.Tensor) -> torch.Tensor:
        """An approximate solve at ``depth`` by two cycles combined by two GCR steps (the K-cycle).

        Each cycle's result ``v`` is scaled by the ``α`` that minimizes the
        residual ``‖rhs − α A v‖`` per channel; the second cycle works on what the
        first left, and its image under ``A`` is made orthogonal to the first's.
        Where a W-cycle simply repeats the visit, this also rescales each level's
        correction to its operator.
        """
        stencil = self.levels[depth].stencil
        v1 = self._cycle(depth, rhs)
        p1 = apply_stencil(stencil, v1)
        p1p1 = _channel_dot(p1, p1).clamp_min(1e-30)
        a1 = _channel_dot(p1, rhs) / p1p1
        rest = torch.addcmul(rhs, a1, p1, value=-1.0)
        v2 = self._cycle(depth, rest)
        p2 = apply_stencil(stencil, v2)
        beta = _channel_dot(p2, p1) / p1p1
        v2.addcmul_(beta, v1, value=-1.0)
        p2.addcmul_(beta, p1, value=-1.0)
        a2 = _channel_dot(p2, rest) / _channel_dot(p2, p2).clamp_min(1e-30)
        return v1.mul_(a1).addcmul_(v2, a2)

    def precondition(self, residual: torch.Tensor) -> torch.Tensor:
        """One cycle from zero: an approximate ``A⁻¹ residual``."""
        return self._cycle(0, residual)

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
    """Flexible right-preconditioned GMRES without restart, batched over channels (the first axis).

    The preconditioned directions are kept and combined directly, so a preconditioner that
    changes between iterations (the K-cycle's GCR steps are not linear) is allowed.

    The Krylov basis lives in one preallocated tensor and is orthogonalized by
    classical Gram–Schmidt applied twice, as batched matrix products: a frame is
    a few hundred thousand values, and on the CPU the per-vector dot products
    and fresh temporaries of modified Gram–Schmidt cost as much as a W-cycle.
    Twice is enough for orthogonality to working precision (Giraud et al. 2005).
    """
    channels = rhs.shape[0]
    basis = rhs.new_empty((channels, iterations + 1, rhs[0].numel()))
    first = basis[:, 0]
    torch.sub(rhs.flatten(1), apply(initial).flatten(1), out=first)
    beta = first.norm(dim=1)
    first.div_(beta.clamp_min(1e-30)[:, None])
    directions: list[torch.Tensor] = []
    hessenberg = torch.zeros((channels, iterations + 1, iterations), dtype=torch.float64)
    for j in range(iterations):
        z = precondition(basis[:, j].view_as(rhs))
        directions.append(z)
        w = basis[:, j + 1]
        w.copy_(apply(z).flatten(1))
        previous = basis[:, : j + 1]
        column = w.new_zeros((channels, j + 1))
        for _ in range(2):
            for channel in range(channels):
                # Matrix–vector products per channel: batched bmm with one column ran 5× slower on the CPU.
                projection = torch.mv(previous[channel], w[channel])
                w[channel].addmv_(previous[channel].T, projection, alpha=-1.0)
                column[channel] += projection
        h_next = w.norm(dim=1)
        w.div_(h_next.clamp_min(1e-30)[:, None])
        hessenberg[:, : j + 1, j] = column.double().cpu()
        hessenberg[:, j + 1, j] = h_next.double().cpu()
    target = torch.zeros((channels, iterations + 1, 1), dtype=torch.float64)
    target[:, 0, 0] = beta.double().cpu()
    coefficients = torch.linalg.lstsq(hessenberg, target).solution[:, :, 0].to(rhs.dtype).to(rhs.device)
    x = initial.clone()
    for j, z in enumerate(directions):
        x.addcmul_(coefficients[:, j, None, None], z)
    return x
