"""Forward splatting: push each pixel of a picture along its motion.

Where several pixels land on one place, each counts by its weight (softmax
splatting, Niklaus & Liu 2020: a pixel that matches its counterpart in the other
frame well outweighs one that does not, so the visible surface wins over the one
it hides); places no pixel reaches are holes, which tell where something was
hidden in this frame and appears at the in-between time.

It runs on the CPU at the motion's working size (a few tens of thousands of
pixels), beside the flow estimator.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import torch


@lru_cache(maxsize=8)
def pixel_grid(h: int, w: int) -> tuple[np.ndarray, np.ndarray]:
    """``(x, y)`` float32 pixel coordinates, each ``(h, w)``, kept per size: every warp and splat starts from them."""
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    xs.flags.writeable = False
    ys.flags.writeable = False
    return xs, ys


def splat(values: np.ndarray, motion: np.ndarray) -> np.ndarray:
    """Bilinear forward splatting of ``values`` moved by ``motion``.

    Parameters
    ----------
    values
        ``(H, W, C)`` float32, what each pixel carries (already multiplied by its
        weight, with the weight itself as one of the channels when a normalized
        result is wanted).
    motion
        ``(H, W, 2)`` float32 displacement (dx, dy) in pixels of each pixel.

    Returns
    -------
    numpy.ndarray
        ``(H, W, C)`` float32 sum of what landed on each pixel.
    """
    h, w, c = values.shape
    xs, ys = pixel_grid(h, w)
    # torch's index_add_ gathers all channels of every landing in one pass (numpy's bincount
    # takes one channel at a time, several times slower); the tensors share the arrays' memory.
    x = torch.from_numpy((xs + motion[..., 0]).ravel())
    y = torch.from_numpy((ys + motion[..., 1]).ravel())
    flat = torch.from_numpy(np.ascontiguousarray(values.reshape(h * w, c).T))
    x0 = torch.floor(x)
    y0 = torch.floor(y)
    fx = x - x0
    fy = y - y0
    total = torch.zeros(c, h * w)
    for dx, dy in ((0, 0), (1, 0), (0, 1), (1, 1)):
        xi = x0 + dx
        yi = y0 + dy
        inside = (xi >= 0) & (xi < w) & (yi >= 0) & (yi < h)
        # Pixels landing outside the frame add nothing (zero share) at a valid place.
        share = (fx if dx else 1 - fx) * (fy if dy else 1 - fy) * inside
        index = (yi.clamp(0, h - 1) * w + xi.clamp(0, w - 1)).long()
        total.index_add_(1, index, flat * share)
    return total.T.reshape(h, w, c).numpy()
