"""Whole frames upscaled where they already are: batches of pictures on the render device.

The same recipe as :func:`engine.upscale.upscaler.upscale_frame` — luma by the
upscaler, chroma upsampled guided by the upscaled luma, recomposed so that the
result's luma is exactly the upscaled luma — written in torch for the
pipeline's batch path (:mod:`engine.render.batches`), so that on CUDA a frame
goes from the previous torch stage to the encoder's download without visiting
the host. Resampling that OpenCV does on the host path (the remainder after the
network's fixed factor, and plain ``bicubic``) is torch's bicubic (and area
averaging down) here, so the two paths agree up to those kernels' rounding.

Integer work (the luma formula, recomposition) is done in 64-bit so that it is
exact for 16-bit pictures too.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from engine.color.luma import (
    KB,
    KB_SCALE,
    KG,
    KR,
    KR_SCALE,
    WEIGHT_B,
    WEIGHT_G,
    WEIGHT_R,
)
from engine.render.chroma_upsample import DETAIL_EPSILON, DETAIL_RADIUS
from engine.upscale.community import ModelUpscaler
from engine.upscale.tiles import enlarge
from engine.upscale.upscaler import NetworkUpscaler, Resampler, Size, Upscaler

_SHIFT = 16
_HALF = 1 << (_SHIFT - 1)


def upscale_pictures(pictures: torch.Tensor, size: Size, upscaler: Upscaler, peak: int) -> torch.Tensor:
    """Pictures enlarged to ``size``: luma by ``upscaler``, chroma guided by it.

    Parameters
    ----------
    pictures
        ``(N, C, h, w)`` float on the 0–1 scale of integer code values (``C`` = 3
        RGB or 1 gray), on the render device.
    size
        ``(width, height)`` of the result.
    upscaler
        Relume's network(s) or a plain resampler.
    peak
        Full-scale code value of the pictures' integer type (255 or 65535).

    Returns
    -------
    torch.Tensor
        ``(N, C, height, width)`` float on the 0–1 scale, every value a code
        value divided by ``peak``; a color picture's luma by Relume's integer
        formula is exactly the upscaled luma, a gray picture stays gray.
    """
    codes = torch.round(pictures.double() * peak).to(torch.int64)
    if pictures.shape[1] == 1:
        return _enlarged_luma(codes, size, upscaler, peak).double().div(peak).float()
    luma = (WEIGHT_R * codes[:, 0:1] + WEIGHT_G * codes[:, 1:2] + WEIGHT_B * codes[:, 2:3] + _HALF) >> _SHIFT
    enlarged = _enlarged_luma(luma, size, upscaler, peak)
    gray = (codes[:, 0] == codes[:, 1]).flatten(1).all(1) & (codes[:, 1] == codes[:, 2]).flatten(1).all(1)
    guide = enlarged.float() / peak
    rgb = compose(enlarged, guided_upsample(chroma_of(pictures), guide), peak)
    rgb = torch.where(gray[:, None, None, None], enlarged.expand_as(rgb), rgb)
    return rgb.double().div(peak).float()


def _enlarged_luma(luma: torch.Tensor, size: Size, upscaler: Upscaler, peak: int) -> torch.Tensor:
    """``(N, 1, h, w)`` int64 luma codes enlarged to ``size`` (int64 codes)."""
    width, height = size
    plane = luma.float() / peak
    if isinstance(upscaler, NetworkUpscaler):
        factor = upscaler.factor_for((luma.shape[3], luma.shape[2]), size)
        if factor is not None:
            # The network's output is rounded to codes before the remainder, as on the host.
            plane = torch.round(enlarge(upscaler.networks[factor], plane, upscaler.tile) * peak) / peak
    elif isinstance(upscaler, ModelUpscaler):
        if size[0] > plane.shape[3] or size[1] > plane.shape[2]:
            plane = torch.round(upscaler.enlarge(plane) * peak) / peak
    elif not isinstance(upscaler, Resampler):
        raise TypeError(f"no on-device path for upscaler {upscaler.name!r}")
    plane = _resampled(plane, width, height)
    return torch.round(plane.clamp(0.0, 1.0) * peak).to(torch.int64)


def _resampled(plane: torch.Tensor, width: int, height: int) -> torch.Tensor:
    """Area averaging where the picture shrinks, bicubic where it grows (as the host's resample)."""
    h, w = plane.shape[2:]
    if (w, h) == (width, height):
        return plane
    if width <= w and height <= h:
        return F.interpolate(plane, size=(height, width), mode="area")
    return F.interpolate(plane, size=(height, width), mode="bicubic", align_corners=False)


def chroma_of(pictures: torch.Tensor) -> torch.Tensor:
    """BT.709 chroma ``(N, 2, h, w)`` (Cb, Cr on the 0–1 scale) of ``(N, 3, h, w)`` RGB on the 0–1 scale."""
    r, g, b = pictures[:, 0:1], pictures[:, 1:2], pictures[:, 2:3]
    y = KR * r + KG * g + KB * b
    return torch.cat([(b - y) / KB_SCALE, (r - y) / KR_SCALE], dim=1)


def _box(x: torch.Tensor, radius: int) -> torch.Tensor:
    """Mean over a ``(2·radius + 1)²`` window, edges reflected (OpenCV's BORDER_REFLECT)."""
    size = 2 * radius + 1
    x = F.pad(x, (radius, radius, radius, radius), mode="replicate" if min(x.shape[2:]) <= radius else "reflect")
    return F.avg_pool2d(x, size, stride=1)


def guided_upsample(chroma: torch.Tensor, guide: torch.Tensor, epsilon: float = DETAIL_EPSILON) -> torch.Tensor:
    """:func:`engine.render.chroma_upsample.guided_upsample` on the device, for batches.

    Parameters
    ----------
    chroma
        ``(N, 2, h, w)`` float chroma at the small size.
    guide
        ``(N, 1, H, W)`` float luma on the 0–1 scale at the full size.
    epsilon
        Regularization of the local linear fit.

    Returns
    -------
    torch.Tensor
        ``(N, 2, H, W)`` float32 chroma.
    """
    height, width = guide.shape[2:]
    small_h, small_w = chroma.shape[2:]
    chroma = chroma.float()
    if small_w >= width and small_h >= height:
        return F.interpolate(chroma, size=(height, width), mode="area")
    small_guide = F.interpolate(guide, size=(small_h, small_w), mode="area")
    detail = guide - _bilinear(small_guide, height, width)
    mean_guide = _box(small_guide, DETAIL_RADIUS)
    variance = _box(small_guide * small_guide, DETAIL_RADIUS) - mean_guide * mean_guide
    slope = (_box(chroma * small_guide, DETAIL_RADIUS) - mean_guide * _box(chroma, DETAIL_RADIUS)) / (
        variance + epsilon)
    return _bilinear(chroma, height, width) + _bilinear(slope, height, width) * detail


def _bilinear(x: torch.Tensor, height: int, width: int) -> torch.Tensor:
    return F.interpolate(x, size=(height, width), mode="bilinear", align_corners=False)


def compose(luma: torch.Tensor, chroma: torch.Tensor, peak: int) -> torch.Tensor:
    """:func:`engine.color.luma.compose_rgb` on the device: RGB codes with exactly ``luma``.

    Parameters
    ----------
    luma
        ``(N, 1, H, W)`` int64 luma codes.
    chroma
        ``(N, 2, H, W)`` float Cb, Cr on the 0–1 scale.
    peak
        Full-scale code value.

    Returns
    -------
    torch.Tensor
        ``(N, 3, H, W)`` int64 RGB codes whose integer luma equals ``luma``.
    """
    y = luma.double()
    dr = KR_SCALE * chroma[:, 1:2].double() * peak
    db = KB_SCALE * chroma[:, 0:1].double() * peak
    dg = -(KR * dr + KB * db) / KG
    # Reduce chroma (one factor per pixel) to keep every channel inside [0.5, peak − 0.5].
    lo, hi = 0.5 - y, (peak - 0.5) - y
    scale = torch.ones_like(y)
    for d in (dr, dg, db):
        room = torch.where(d > 0, hi / d, torch.where(d < 0, lo / d, torch.full_like(d, torch.inf)))
        scale = torch.minimum(scale, room.clamp(min=0.0))
    r = torch.round(y + scale * dr)
    b = torch.round(y + scale * db)
    rest = WEIGHT_R * r + WEIGHT_B * b
    target = y * 65536.0
    g_low = torch.ceil((target - _HALF - rest) / WEIGHT_G)
    g_high = torch.floor((target + _HALF - 1 - rest) / WEIGHT_G)
    g = torch.minimum(torch.maximum(torch.round(y + scale * dg), g_low), g_high)
    out = torch.cat([r, g, b], dim=1)
    # Where no green fits (the very ends of the range) the neutral pixel is exact by construction.
    bad = (g < 0) | (g > peak)
    out = torch.where(bad, y.expand_as(out), out)
    return out.to(torch.int64)
