"""What every repair does with a frame's pixels: their scale, their luma, and writing back only what changed.

Frames come as ``(H, W, 3)`` RGB or ``(H, W)`` gray, 8 or 16 bit; repairs work
on the 0–1 scale in float32 and judge on luma (BT.709 weights: a statistic of
the picture, not the exact integer luma colorization keeps).
"""

from __future__ import annotations

import numpy as np


def full_scale(frame: np.ndarray) -> float:
    """The code value of white for ``frame``'s type: 255 or 65535."""
    return 255.0 if frame.dtype == np.uint8 else 65535.0


def luma_of(picture: np.ndarray) -> np.ndarray:
    """Luma of an ``(H, W, 3)`` float picture; an ``(H, W)`` one is its own."""
    if picture.ndim == 2:
        return picture
    return picture[..., 0] * 0.2126 + picture[..., 1] * 0.7152 + picture[..., 2] * 0.0722


def written(frame: np.ndarray, touched: np.ndarray, values: np.ndarray) -> np.ndarray:
    """A copy of ``frame`` with the pixels ``touched`` set to ``values`` (0–1 scale), every other one exact.

    ``values`` holds one row per touched pixel: ``(n,)`` for a gray frame, ``(n, C)`` for a colour one.
    """
    peak = full_scale(frame)
    repaired = frame.copy()
    repaired[touched] = np.clip(values * peak + 0.5, 0, peak).astype(frame.dtype)
    return repaired
