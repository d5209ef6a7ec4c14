"""Forward splatting: push each pixel of a picture along its motion, on the device.

Where several pixels land on one place, each counts by its weight (softmax
splatting, Niklaus & Liu 2020: a pixel that matches its counterpart in the other
frame well outweighs one that does not, so the visible surface wins over the one
it hides); places no pixel reaches are holes, which tell where something was
hidden in this frame and appears at the in-between time.
"""

from __future__ import annotations

from functools import lru_cache

import torch


@lru_cache(maxsize=8)
def pixel_grid(h: int, w: int, device: torch.device, dtype: torch.dtype) -> torch.Tensor:
    """``(2, h, w)`` pixel coordinates (x, y), kept per size: every warp and splat starts from them."""
    ys, xs = torch.meshgrid(torch.arange(h, device=device, dtype=dtype), torch.arange(w, device=device, dtype=dtype),
                            indexing="ij")
    return torch.stack([xs, ys])


def splat(values: torch.Tensor, motion: torch.Tensor) -> torch.Tensor:
    """Bilinear forward splatting of ``values`` moved by ``motion``.

    Parameters
    ----------
    values
        ``(C, H, W)`` what each pixel carries (already multiplied by its weight,
        with the weight itself as one of the channels when a normalized result
        is wanted).
    motion
        ``(2, H, W)`` displacement (dx, dy) in pixels of each pixel.

    Returns
    -------
    torch.Tensor
        ``(C, H, W)`` sum of what landed on each pixel.
    """
    c, h, w = values.shape
    moved = (pixel_grid(h, w, values.device, values.dtype) + motion).reshape(2, -1)
    x, y = moved[0], moved[1]
    x0 = torch.floor(x)
    y0 = torch.floor(y)
    fx = x - x0
    fy = y - y0
    total = torch.zeros(c, h * w, device=values.device, dtype=values.dtype)
    flat = values.reshape(c, -1)
    for dx, dy in ((0, 0), (1, 0), (0, 1), (1, 1)):
        xi = x0 + dx
        yi = y0 + dy
        inside = (xi >= 0) & (xi < w) & (yi >= 0) & (yi < h)
        # Pixels landing outside the frame add nothing (zero share) at a valid index.
        share = (fx if dx else 1 - fx) * (fy if dy else 1 - fy) * inside
        index = (yi.clamp(0, h - 1) * w + xi.clamp(0, w - 1)).long()
        total.index_add_(1, index, flat * share)
    return total.reshape(c, h, w)
