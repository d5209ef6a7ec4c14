"""Bit-exact luma and BT.709 chroma: split a frame, and put it back together.

Relume keeps the film's luma and invents only chroma. Luma is defined by one
integer formula (BT.709 weights in 16-bit fixed point, full range, applied to
the gamma-encoded code values as video does)::

    Y = (13933 R + 46871 G + 4732 B + 32768) >> 16

The weights sum to 65536, so a neutral pixel R = G = B = v has Y = v exactly.
:func:`compose_rgb` returns an RGB frame whose luma by that same formula equals
the luma it was given, bit for bit: chroma that would leave the gamut is
*reduced* (never the luma), and after rounding R and B to integers the green
code value is chosen inside the interval that reproduces Y. This works because
the green weight (46871) is below 65536: stepping G by one never skips a
luma code value, so a fitting G always exists.

Chroma is carried as floats on the 0–1 scale of the code values:
``Cb = (B − Y) / 1.8556`` and ``Cr = (R − Y) / 1.5748``.
"""

from __future__ import annotations

import numpy as np

# BT.709 luma weights in 16-bit fixed point; they sum to 65536.
WEIGHT_R, WEIGHT_G, WEIGHT_B = 13933, 46871, 4732
_SHIFT = 16
_HALF = 1 << (_SHIFT - 1)
# BT.709 colour-difference scales: B − Y = 1.8556 Cb, R − Y = 1.5748 Cr.
KB_SCALE, KR_SCALE = 1.8556, 1.5748
KR, KG, KB = 0.2126, 0.7152, 0.0722


def peak_of(dtype: np.dtype) -> int:
    """The full-scale code value of a frame dtype (255 for uint8, 65535 for uint16)."""
    dtype = np.dtype(dtype)
    if dtype == np.uint8:
        return 255
    if dtype == np.uint16:
        return 65535
    raise TypeError(f"frames must be uint8 or uint16, not {dtype}")


def integer_luma(rgb: np.ndarray) -> np.ndarray:
    """The luma code values of an RGB frame by Relume's integer formula.

    Parameters
    ----------
    rgb
        ``(H, W, 3)`` uint8 or uint16 RGB.

    Returns
    -------
    numpy.ndarray
        ``(H, W)`` luma of the same dtype as ``rgb``.
    """
    if rgb.ndim != 3 or rgb.shape[2] != 3:
        raise ValueError(f"expected an (H, W, 3) RGB frame, got shape {rgb.shape}")
    peak_of(rgb.dtype)
    c = rgb.astype(np.int64)
    y = (WEIGHT_R * c[..., 0] + WEIGHT_G * c[..., 1] + WEIGHT_B * c[..., 2] + _HALF) >> _SHIFT
    return y.astype(rgb.dtype)


def as_luma(frame: np.ndarray) -> np.ndarray:
    """Luma of a frame given either as ``(H, W)`` luma or ``(H, W, 3)`` RGB (returned as is if 2-D)."""
    if frame.ndim == 2:
        peak_of(frame.dtype)
        return frame
    return integer_luma(frame)


def rgb_to_chroma(rgb: np.ndarray) -> np.ndarray:
    """BT.709 chroma ``(2, H, W)`` float32 (Cb, Cr on the 0–1 scale) of an RGB frame."""
    peak = peak_of(rgb.dtype)
    f = rgb.astype(np.float32) / peak
    y = KR * f[..., 0] + KG * f[..., 1] + KB * f[..., 2]
    return np.stack([(f[..., 2] - y) / KB_SCALE, (f[..., 0] - y) / KR_SCALE]).astype(np.float32)


def color_to_chroma(rgb: tuple[int, int, int]) -> tuple[float, float]:
    """BT.709 chroma (Cb, Cr) of one 8-bit sRGB colour, on the 0–1 scale."""
    r, g, b = (c / 255.0 for c in rgb)
    y = KR * r + KG * g + KB * b
    return (b - y) / KB_SCALE, (r - y) / KR_SCALE


def compose_rgb(luma: np.ndarray, chroma: np.ndarray) -> np.ndarray:
    """An RGB frame with exactly ``luma`` (by :func:`integer_luma`) and chroma as close to ``chroma`` as the gamut allows.

    Parameters
    ----------
    luma
        ``(H, W)`` uint8 or uint16 luma code values.
    chroma
        ``(2, H, W)`` float Cb, Cr on the 0–1 scale.

    Returns
    -------
    numpy.ndarray
        ``(H, W, 3)`` RGB of ``luma``'s dtype, with ``integer_luma(result) == luma``.
    """
    peak = peak_of(luma.dtype)
    out = np.empty((*luma.shape, 3), dtype=luma.dtype)
    # In bands of rows: the 64-bit intermediates of a whole 4K frame would take a
    # gigabyte, and bands that fit the cache are faster too.
    for top in range(0, luma.shape[0], _BAND_ROWS):
        rows = slice(top, top + _BAND_ROWS)
        out[rows] = _composed(luma[rows], chroma[:, rows], peak)
    return out


# Rows composed at a time (a 4K band's intermediates stay around ten megabytes).
_BAND_ROWS = 64


def _composed(luma: np.ndarray, chroma: np.ndarray, peak: int) -> np.ndarray:
    """:func:`compose_rgb` of one band of rows."""
    # Float32 is ample for the gamut reduction (the channels keep half a code
    # value of room); the green interval that makes the luma exact is integer arithmetic.
    y = luma.astype(np.float32)
    # Offsets of R, G, B from Y for full chroma (BT.709 inverse).
    dr = np.float32(KR_SCALE * peak) * chroma[1].astype(np.float32, copy=False)
    db = np.float32(KB_SCALE * peak) * chroma[0].astype(np.float32, copy=False)
    dg = np.float32(-KR / KG) * dr - np.float32(KB / KG) * db
    # Reduce chroma (one factor per pixel) so that every channel stays inside
    # [0.5, peak − 0.5]: the rounding below can then never leave the range.
    lo, hi = 0.5 - y, (peak - 0.5) - y
    scale = np.ones_like(y)
    for d in (dr, dg, db):
        room = np.divide(np.where(d > 0, hi, lo), d, out=np.full_like(d, np.inf), where=d != 0)
        np.minimum(scale, room, out=scale)
    np.clip(scale, 0.0, 1.0, out=scale)
    # 16-bit luma times the weights needs more than 32 bits.
    wide = np.int64 if peak > 255 else np.int32
    r = np.rint(y + scale * dr).astype(wide)
    b = np.rint(y + scale * db).astype(wide)
    g = np.rint(y + scale * dg).astype(wide)
    # The integer G interval that reproduces Y exactly given the rounded R, B.
    rest = WEIGHT_R * r + WEIGHT_B * b
    target = luma.astype(wide) << _SHIFT
    g_low = -((rest - target + _HALF) // WEIGHT_G)  # ceil((target − half − rest) / weight)
    g_high = (target + _HALF - 1 - rest) // WEIGHT_G
    g = np.clip(g, g_low, g_high)
    # Where no green code value fits (only at the very ends of the range), fall
    # back to the neutral pixel, whose luma is exact by construction.
    bad = (g < 0) | (g > peak)
    out = np.stack([r, g, b], axis=-1)
    out[bad] = luma[bad, None]
    return out.astype(luma.dtype)
