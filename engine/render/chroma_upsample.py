"""Chroma solved at a small size, brought to full size along the edges of the full-size luma.

Colour is low-frequency; the eye reads detail from luma. So chroma may be
solved at a fraction of the picture's size (DeOldify's "render factor") and
upsampled, as long as its edges land on the luma's edges, not on a blurry
bilinear guess. The guided filter of He, Sun & Tang (2013) does exactly that
in time linear in the pixels: it fits, in every window, chroma as a linear
function of luma. Box filters come from OpenCV, so a 960×540 frame takes a few
milliseconds.
"""

from __future__ import annotations

import cv2
import numpy as np

# Regularization of the per-window linear fit, on the 0–1 luma scale: small
# enough that chroma follows a luma edge, large enough that grain does not.
GUIDE_EPSILON = 2e-3


def guided_upsample(chroma: np.ndarray, luma: np.ndarray, epsilon: float = GUIDE_EPSILON) -> np.ndarray:
    """Upsample ``chroma`` ``(2, h, w)`` to the size of ``luma`` ``(H, W)`` guided by it.

    Parameters
    ----------
    chroma
        Cb, Cr as float on the 0–1 scale, at the small size.
    luma
        Full-size luma, uint8 or uint16 code values.
    epsilon
        Regularization of the local linear model.

    Returns
    -------
    numpy.ndarray
        ``(2, H, W)`` float32 chroma.
    """
    height, width = luma.shape
    scale = max(width / chroma.shape[2], height / chroma.shape[1])
    radius = max(2, int(round(scale * 2)))
    peak = 255.0 if luma.dtype == np.uint8 else 65535.0
    guide = luma.astype(np.float32) / peak
    window = (2 * radius + 1, 2 * radius + 1)

    def mean(x: np.ndarray) -> np.ndarray:
        return cv2.boxFilter(x, -1, window, borderType=cv2.BORDER_REFLECT)

    mean_guide = mean(guide)
    variance = mean(guide * guide) - mean_guide * mean_guide
    out = np.empty((2, height, width), np.float32)
    for channel in range(2):
        coarse = cv2.resize(chroma[channel].astype(np.float32), (width, height), interpolation=cv2.INTER_LINEAR)
        mean_coarse = mean(coarse)
        slope = (mean(guide * coarse) - mean_guide * mean_coarse) / (variance + epsilon)
        offset = mean_coarse - slope * mean_guide
        out[channel] = mean(slope) * guide + mean(offset)
    return out
