"""A colour photograph's palette carried onto gray film, and colours picked from it.

:func:`transfer_reference` follows Welsh, Ashikhmin & Mueller (2002),
"Transferring Color to Greyscale Images", in its statistical form: the
reference's luma is remapped to the film's luma statistics, then every film
pixel takes the mean chroma of the reference pixels that match it in luma and
in local texture (the standard deviation of luma in a 5×5 neighbourhood). The
result is a prior — a starting point the spatial solve pulls towards softly
and the restorer's hints override.
"""

from __future__ import annotations

import cv2
import numpy as np

from engine.color.luma import as_luma, integer_luma, peak_of, rgb_to_chroma
from engine.errors import HintsError
from engine.project.hints import rgb_to_hex

_LUMA_BINS = 32
_TEXTURE_BINS = 4
_MIN_SAMPLES = 8


def _local_deviation(luma: np.ndarray) -> np.ndarray:
    mean = cv2.blur(luma, (5, 5))
    mean_sq = cv2.blur(luma * luma, (5, 5))
    return np.sqrt(np.clip(mean_sq - mean * mean, 0.0, None))


def _fill_empty_bins(table: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Fill luma bins without samples from the nearest populated bins (linear in luma)."""
    out = table.copy()
    populated = np.flatnonzero(counts >= _MIN_SAMPLES)
    if populated.size == 0:
        return np.zeros_like(table)
    bins = np.arange(table.shape[0])
    for c in range(table.shape[1]):
        out[:, c] = np.interp(bins, populated, table[populated, c])
    return out


def transfer_reference(frame: np.ndarray, reference_rgb: np.ndarray) -> np.ndarray:
    """Chroma for a gray frame from the palette of a colour reference image.

    Parameters
    ----------
    frame
        The film frame: ``(H, W)`` luma or ``(H, W, 3)`` RGB, uint8 or uint16.
    reference_rgb
        ``(h, w, 3)`` uint8 or uint16 colour photograph (any size).

    Returns
    -------
    numpy.ndarray
        ``(2, H, W)`` float32 Cb, Cr on the 0–1 scale.
    """
    luma = as_luma(frame).astype(np.float32) / peak_of(as_luma(frame).dtype)
    ref_luma = integer_luma(reference_rgb).astype(np.float32) / peak_of(reference_rgb.dtype)
    ref_chroma = rgb_to_chroma(reference_rgb).reshape(2, -1).T
    # Luminance remapping (Welsh et al. §3): match the reference's mean and spread to the film's.
    ref_luma = (ref_luma - ref_luma.mean()) * (luma.std() / max(float(ref_luma.std()), 1e-6)) + luma.mean()
    ref_texture = _local_deviation(ref_luma)
    texture = _local_deviation(luma)
    edges = np.quantile(ref_texture, np.linspace(0, 1, _TEXTURE_BINS + 1)[1:-1])
    ref_t = np.digitize(ref_texture, edges).ravel()
    film_t = np.digitize(texture, edges)
    ref_l = np.clip((ref_luma * _LUMA_BINS).astype(np.int64), 0, _LUMA_BINS - 1).ravel()
    film_l = np.clip((luma * _LUMA_BINS).astype(np.int64), 0, _LUMA_BINS - 1)
    # Luma-only table: the fallback for texture classes the reference lacks.
    counts_l = np.bincount(ref_l, minlength=_LUMA_BINS).astype(np.float64)
    sums_l = np.stack([np.bincount(ref_l, ref_chroma[:, c], _LUMA_BINS) for c in range(2)], 1)
    table_l = _fill_empty_bins(sums_l / np.maximum(counts_l, 1)[:, None], counts_l)
    joint = ref_l * _TEXTURE_BINS + ref_t
    size = _LUMA_BINS * _TEXTURE_BINS
    counts = np.bincount(joint, minlength=size).astype(np.float64)
    sums = np.stack([np.bincount(joint, ref_chroma[:, c], size) for c in range(2)], 1)
    joint_table = sums / np.maximum(counts, 1)[:, None]
    fallback = np.repeat(table_l, _TEXTURE_BINS, axis=0)
    table = np.where((counts >= _MIN_SAMPLES)[:, None], joint_table, fallback)
    out = table[film_l * _TEXTURE_BINS + film_t]
    return np.ascontiguousarray(out.transpose(2, 0, 1), dtype=np.float32)


def pick_color(image: np.ndarray, x: float, y: float, radius: float = 2.0) -> str:
    """The mean colour of a disc of a reference image, as ``#rrggbb`` (to make a pin from).

    Parameters
    ----------
    image
        ``(H, W, 3)`` uint8 or uint16 RGB.
    x, y
        Centre in pixels (``x`` = column).
    radius
        Disc radius in pixels; 0 picks the single pixel.

    Raises
    ------
    HintsError
        The point lies outside the image.
    """
    peak = peak_of(image.dtype)
    h, w = image.shape[:2]
    col, row = int(np.floor(x + 0.5)), int(np.floor(y + 0.5))
    if not (0 <= row < h and 0 <= col < w):
        raise HintsError(f"cannot pick a colour at ({x}, {y}): outside the {w}×{h} reference image")
    r = max(float(radius), 0.0)
    y0, y1 = max(0, int(np.floor(y - r))), min(h, int(np.ceil(y + r)) + 1)
    x0, x1 = max(0, int(np.floor(x - r))), min(w, int(np.ceil(x + r)) + 1)
    ys, xs = np.mgrid[y0:y1, x0:x1]
    disc = (xs - x) ** 2 + (ys - y) ** 2 <= r * r
    disc[row - y0, col - x0] = True
    mean = image[y0:y1, x0:x1][disc].astype(np.float64).mean(0) * (255.0 / peak)
    return rgb_to_hex(tuple(mean))
