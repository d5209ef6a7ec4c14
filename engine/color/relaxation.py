"""Four-colour Gauss–Seidel relaxation of a 9-point stencil, one contiguous grid per colour.

Colouring a frame by the parity of row and column, no two pixels of a colour
are 8-neighbours, so a colour is relaxed all at once. Sliced out of the frame
with stride 2, each colour costs strided gathers that on the CPU ran about ten
times slower than the arithmetic itself. Here a field lives as four separate
grids ``(2, 2, C, H/2 + 2, W/2 + 2)`` (colour ``(pi, pj)`` holds the pixels
``(2I + pi, 2J + pj)``, with a zero border): a neighbour of one colour is then a
contiguous slice of another colour's grid, shifted by at most one cell. The
frame is padded to even size with decoupled identity rows.

The buffers and every slice the sweeps read are made once per level and
channel count and reused by every visit of the multigrid cycle, since a visit
on a small coarse level is otherwise mostly Python-side indexing. A level is
visited by one cycle at a time: the buffers make it unsafe to share one
hierarchy between threads.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from engine.color.affinity import CENTER, OFFSETS

COLOURS = ((0, 0), (1, 1), (0, 1), (1, 0))


def to_colours(field: torch.Tensor, half: tuple[int, int]) -> torch.Tensor:
    """A view ``(2, 2, C, H/2, W/2)`` of a frame field ``(C, H, W)`` (padded with zeros to even size)."""
    c, h, w = field.shape
    hh, ww = half
    if (2 * hh, 2 * ww) != (h, w):
        field = F.pad(field, (0, 2 * ww - w, 0, 2 * hh - h))
    return field.view(c, hh, 2, ww, 2).permute(2, 4, 0, 1, 3)


class _Fields:
    """Preallocated colour grids of one level for ``C`` channels, with the slices a sweep reads."""

    def __init__(self, colour_stencil: torch.Tensor, inverse_diagonal: torch.Tensor, channels: int) -> None:
        hh, ww = colour_stencil.shape[-2:]
        like = dict(dtype=colour_stencil.dtype, device=colour_stencil.device)
        self.x = torch.zeros((2, 2, channels, hh + 2, ww + 2), **like)
        self.rhs = torch.zeros((2, 2, channels, hh, ww), **like)
        self.residual = torch.zeros((2, 2, channels, hh, ww), **like)
        self.interior = self.x[:, :, :, 1:-1, 1:-1]
        self.plans = []
        for order, (pi, pj) in enumerate(COLOURS):
            s = colour_stencil[pi, pj]
            links, early_links = [], []
            for k, (di, dj) in enumerate(OFFSETS):
                if k == CENTER:
                    continue
                (oi, qi), (oj, qj) = divmod(pi + di, 2), divmod(pj + dj, 2)
                link = (s[k], self.x[qi, qj, :, 1 + oi : 1 + oi + hh, 1 + oj : 1 + oj + ww])
                links.append(link)
                if COLOURS.index((qi, qj)) < order:
                    early_links.append(link)
            self.plans.append(
                (
                    self.interior[pi, pj],
                    self.rhs[pi, pj],
                    self.residual[pi, pj],
                    s[CENTER],
                    inverse_diagonal[pi, pj],
                    links,
                    # The links to colours relaxed before this one: the only
                    # non-zero ones in a first sweep from zero.
                    early_links,
                )
            )


class ColourStencil:
    """One level's stencil ``(9, H, W)`` split by colour, relaxing fields in place.

    Parameters
    ----------
    stencil
        ``(9, H, W)`` system stencil, offsets in :data:`engine.color.affinity.OFFSETS` order.
    """

    def __init__(self, stencil: torch.Tensor) -> None:
        _, self.height, self.width = stencil.shape
        self.half = ((self.height + 1) // 2, (self.width + 1) // 2)
        hh, ww = self.half
        padded = stencil
        if (2 * hh, 2 * ww) != (self.height, self.width):
            # An even frame needs no padding: the colour split below copies it once anyway.
            padded = F.pad(stencil, (0, 2 * ww - self.width, 0, 2 * hh - self.height))
            padded[CENTER, self.height :, :] = 1.0
            padded[CENTER, :, self.width :] = 1.0
        self.stencil = padded.view(9, hh, 2, ww, 2).permute(2, 4, 0, 1, 3).contiguous()
        self.inverse_diagonal = 1.0 / self.stencil[:, :, CENTER].clamp_min(1e-12)
        self._fields: dict[int, _Fields] = {}

    def fields(self, channels: int) -> _Fields:
        """The level's buffers for ``channels`` channels (made on first use)."""
        if channels not in self._fields:
            self._fields[channels] = _Fields(self.stencil, self.inverse_diagonal, channels)
        return self._fields[channels]

    def load(self, rhs: torch.Tensor, x: torch.Tensor | None = None, relaxed_next: bool = False) -> _Fields:
        """Copy a right-hand side and a starting guess (zero when None), both ``(C, H, W)``, into the buffers.

        ``relaxed_next`` says the caller relaxes from zero right after (at
        least one sweep, ``from_zero``): that sweep writes every pixel before
        reading it, so the zero guess need not be written (a whole-buffer fill
        on every visit of every level of a multigrid cycle).
        """
        fields = self.fields(rhs.shape[0])
        fields.rhs.copy_(to_colours(rhs, self.half))
        if x is None:
            if not relaxed_next:
                fields.interior.zero_()
        else:
            fields.interior.copy_(to_colours(x, self.half))
        return fields

    @staticmethod
    def relax(fields: _Fields, sweeps: int, from_zero: bool = False) -> None:
        """Gauss–Seidel sweeps on ``A x = rhs``, colour after colour, in place.

        ``from_zero`` says ``x`` is zero (loaded without a guess): the first
        sweep then skips the links to colours not relaxed yet, which read zeros
        (half the first sweep's products, the same result).
        """
        for sweep in range(sweeps):
            for interior, rhs, _residual, _centre, inverse, links, early_links in fields.plans:
                reads = early_links if from_zero and sweep == 0 else links
                if not reads:
                    torch.mul(rhs, inverse, out=interior)
                    continue
                # In place: no pixel of a colour reads another of the same colour.
                (coefficient, neighbour), *others = reads
                torch.addcmul(rhs, coefficient, neighbour, value=-1.0, out=interior)
                for coefficient, neighbour in others:
                    interior.addcmul_(coefficient, neighbour, value=-1.0)
                interior.mul_(inverse)

    @staticmethod
    def residual(fields: _Fields, relaxed: bool = False) -> torch.Tensor:
        """``rhs − A x`` as colour grids ``(2, 2, C, H/2, W/2)`` (a buffer, overwritten by the next call).

        ``relaxed`` says ``x`` comes straight from :meth:`relax`: the colour
        relaxed last then satisfies its equations (its neighbours have not moved
        since), so its residual is zero up to rounding and is not computed.
        """
        plans = fields.plans
        if relaxed:
            *plans, (_interior, _rhs, last, *_) = plans
            last.zero_()
        for interior, rhs, residual, centre, _inverse, links, _early_links in plans:
            torch.addcmul(rhs, centre, interior, value=-1.0, out=residual)
            for coefficient, neighbour in links:
                residual.addcmul_(coefficient, neighbour, value=-1.0)
        return fields.residual

    def frame(self, fields: _Fields) -> torch.Tensor:
        """The current ``x`` as a new frame field ``(C, H, W)``."""
        return self.frame_of(fields.interior)

    def frame_of(self, grids: torch.Tensor) -> torch.Tensor:
        """Colour grids ``(2, 2, C, H/2, W/2)`` as a new frame field ``(C, H, W)``."""
        c = grids.shape[2]
        hh, ww = self.half
        # One interleaving copy: four strided stores cost more, eight times more on small levels.
        frame = grids.new_empty((c, hh, 2, ww, 2))
        frame.copy_(grids.permute(2, 3, 0, 4, 1))
        return frame.view(c, 2 * hh, 2 * ww)[:, : self.height, : self.width]
