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
        ``(C, H, W)`` float32, what each pixel carries (already multiplied by its
        weight, with the weight itself as one of the channels when a normalized
        result is wanted).
    motion
        ``(2, H, W)`` float32 displacement (dx, dy) in pixels of each pixel.

    Returns
    -------
    numpy.ndarray
        ``(C, H, W)`` float32 sum of what landed on each pixel.
    """
    c, h, w = values.shape
    xs, ys = pixel_grid(h, w)
    x = xs + motion[0]
    y = ys + motion[1]
    left = np.floor(x)
    top = np.floor(y)
    right_share = x - left
    lower_share = y - top
    # The sums go to a frame with a margin of one place around it (two more rows below), so that each
    # landing's four places are all in it: a pixel landing partly outside adds to the margin, and one
    # landing wholly outside is sent to the two spare rows (both are cut off at the end).
    stride = w + 2
    if (h + 4) * stride > 2**24:  # past this float32 no longer holds every place exactly
        left, top = left.astype(np.float64), top.astype(np.float64)
    place = (top + 1) * stride + (left + 1)
    outside = (left < -1) | (left >= w) | (top < -1) | (top >= h)
    place[outside] = (h + 2) * stride
    place = torch.from_numpy(place.ravel()).long()
    flat = torch.from_numpy(values.reshape(c, h * w))
    left_share = 1 - right_share
    upper_share = 1 - lower_share
    total = torch.zeros(c, (h + 4) * stride)
    # torch's index_add_ gathers all channels of every landing in one pass (numpy's bincount
    # takes one channel at a time, several times slower); the tensors share the arrays' memory.
    for offset, share in ((0, left_share * upper_share), (1, right_share * upper_share),
                          (stride, left_share * lower_share), (stride + 1, right_share * lower_share)):
        total.index_add_(1, place + offset if offset else place, flat * torch.from_numpy(share.ravel()))
    return total.numpy().reshape(c, h + 4, stride)[:, 1 : h + 1, 1 : w + 1]
