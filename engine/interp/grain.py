"""Film grain in in-betweens: the leftover grain evened out, and new grain laid on.

Step 5 of :mod:`engine.interp.inbetween`. Grain is new in every frame of film,
so the grain of a frame to be rebuilt cannot be predicted: the in-between's
leftover grain (its neighbours', blended) is evened out where it is only grain
(:func:`even_grain`), and with ``interp.regrain`` fresh grain as strong as the
neighbours' is laid on (:func:`new_grain`), so that at a doubled rate the grain
does not pulse. Frames enlarged from the film (an upscaled master) carry its
grain enlarged, so all of this is judged at the film's own size.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from typing import TYPE_CHECKING

import cv2
import numpy as np
import torch
import torch.nn.functional as F

from engine.interp.motion import GRAIN_SIGMA_PX

if TYPE_CHECKING:
    from engine.interp.paint import Canvas

# The in-between's grain is evened out over this blur (Gaussian sigma, px), where its detail varies no more than
# this many times the grain measured: of the in-between's fine detail only what stands well clear of grain is
# shared with the frame it stands for. On the old-film clip of benchmarks/interp.py this scored 0.3 dB above
# evening once the grain over 1.5 px; more of either gained at most 0.02 dB more.
_EVEN_SIGMA_PX = 2.5
EVEN_GRAIN_FACTOR = 2.0
# New grain is white noise blurred this much (Gaussian sigma, px): film grain is clumped, not single pixels.
_GRAIN_CLUMP_PX = 0.7
# Grain (standard deviation, 0–1 scale) below which footage counts as clean and in-betweens are left as painted:
# the compression noise of clean real footage measures about 0.005.
GRAIN_VISIBLE = 0.012


def film_size(size: tuple[int, int], scale: float) -> tuple[int, int]:
    """``(h, w)`` of the film's own pixels in frames of ``size`` (``(h, w)``) enlarged ``scale`` times from it."""
    return max(1, round(size[0] / scale)), max(1, round(size[1] / scale))


def _at_film_size(picture: np.ndarray, scale: float) -> np.ndarray:
    """``picture`` shrunk by area to the film's own size (itself when it is not enlarged)."""
    if scale <= 1:
        return picture
    h, w = film_size(picture.shape[:2], scale)
    return cv2.resize(picture, (w, h), interpolation=cv2.INTER_AREA)


def even_grain(picture: np.ndarray, grain: float, canvas: Canvas, scale: float = 1.0) -> np.ndarray:
    """``picture`` (float32, ``(H, W, 3)``) evened out, in place, where its detail varies no more than ``grain`` does.

    ``grain`` is a standard deviation on the picture's scale; ``scale`` is how
    many times the frames are enlarged from the film's own pixels (the
    upscale factor), so that the grain is judged at the size it has.

    The grain of the frame to be rebuilt is new and cannot be predicted, so the
    best guess for it is the picture without grain. The in-between carries the
    blended leftovers of its neighbours' grain; where the picture's fine detail
    varies no more than grain does it is taken as grain and smoothed, where it
    varies more (edges, texture) it is kept in proportion (a local Wiener
    filter, Lee 1980). Enlarged film carries its grain enlarged, clumps
    ``scale`` pixels across: the smooth picture and the share of detail kept
    are then worked out on the picture shrunk to the film's size (as on the
    film itself, at a fraction of the cost of blurring at full size) and
    enlarged back, and the detail above the smooth picture is kept at full
    size in that share.
    """
    if scale <= 1:
        smooth, fine, keep = _smooth_and_kept(picture, grain, canvas)
    else:
        h, w = picture.shape[:2]
        small_smooth, _, small_keep = _smooth_and_kept(_at_film_size(picture, scale), grain, _fresh)
        smooth = cv2.resize(small_smooth, (w, h), dst=canvas("smooth", 3), interpolation=cv2.INTER_LINEAR)
        fine = cv2.subtract(picture, smooth, dst=canvas("fine", 3))
        keep = cv2.resize(small_keep, (w, h), dst=canvas("kept"), interpolation=cv2.INTER_LINEAR)
    cv2.multiply(fine, cv2.merge([keep, keep, keep], dst=canvas("keep", 3)), dst=fine)
    return cv2.add(smooth, fine, dst=picture)


def _smooth_and_kept(picture: np.ndarray, grain: float,
                     buffer: Callable[[str, int], np.ndarray | None]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``picture``'s smooth part, its detail, and the share of the detail kept, ``max(spread - grain², 0) / spread``.

    ``buffer(name, channels)`` gives each result's memory (a canvas's, or
    ``None`` for new); ``picture`` itself is not needed past its detail and
    holds the squares of it.
    """
    smooth = cv2.GaussianBlur(picture, (0, 0), _EVEN_SIGMA_PX, dst=buffer("smooth", 3))
    fine = cv2.subtract(picture, smooth, dst=buffer("fine", 3))
    spread = cv2.transform(cv2.multiply(fine, fine, dst=picture), np.full((1, 3), 1 / 3, np.float32),
                           dst=buffer("spread", 1))
    spread = cv2.blur(spread, (7, 7), dst=buffer("local spread", 1))
    keep = cv2.max(cv2.subtract(spread, grain * grain, dst=buffer("kept", 1)), 0.0, dst=buffer("kept", 1))
    cv2.divide(keep, cv2.max(spread, 1e-12, dst=spread), dst=keep)
    return smooth, fine, keep


def _fresh(name: str, channels: int = 1) -> None:
    """No buffer: OpenCV makes the result's memory (for the small pictures of enlarged film)."""
    return None


def fine_variance(picture: np.ndarray, scale: float = 1.0) -> float:
    """Variance of a picture's detail finer than the blur grain is measured over, on its mean of R, G and B.

    ``scale``: the frames are enlarged that many times from the film, whose
    own pixels the detail is judged at (the picture shrunk to them).
    """
    gray = picture.astype(np.float32).mean(axis=2) if picture.ndim == 3 else picture.astype(np.float32)
    gray = _at_film_size(gray, scale)
    fine = gray - cv2.GaussianBlur(gray, (0, 0), GRAIN_SIGMA_PX)
    return float(fine[::2, ::2].var())  # every other row and column are plenty, at a quarter of the cost


def new_grain(picture: np.ndarray, wanted: float, seed: int, scale: float = 1.0) -> np.ndarray:
    """Fresh film grain ``(H, W)`` float32 for the evened-out ``picture`` (float, the frames' scale).

    Evened out, an in-between of grainy film is smoother than the frames around
    it, and at a doubled rate every other picture is: the grain pulses. Grain is
    new in every frame, so the in-between gets grain of its own rather than its
    neighbours' back: noise, slightly clumped, that brings the picture's fine
    variance up to ``wanted`` (its neighbours', :func:`fine_variance` at the
    same ``scale``). Frames enlarged ``scale`` times from the film get grain
    made at the film's own size and enlarged as the film was, so its clumps
    are as large as the film's. The same ``seed`` gives the same grain, so an
    export is repeatable.
    """
    missing = wanted - fine_variance(picture, scale)
    h, w = picture.shape[:2]
    if missing <= 0:
        return np.zeros((h, w), np.float32)
    film_h, film_w = film_size((h, w), scale)
    noise = cv2.GaussianBlur(np.random.default_rng(seed).standard_normal((film_h, film_w), dtype=np.float32),
                             (0, 0), _GRAIN_CLUMP_PX)
    if (film_h, film_w) != (h, w):
        noise = cv2.resize(noise, (w, h), interpolation=cv2.INTER_CUBIC)
    noise *= np.float32(np.sqrt(missing / max(fine_variance(noise, scale), 1e-12)))
    return noise


def grain_seed(first: np.ndarray, t: float) -> int:
    """A seed for the grain of the picture at ``t`` after ``first``: the same pair and time, the same grain."""
    return zlib.crc32(np.ascontiguousarray(first[::7, ::7]).tobytes()) ^ round(t * 1_000_000)


def even_grain_on_device(picture: torch.Tensor, grain: float, scale: float = 1.0) -> torch.Tensor:
    """:func:`even_grain` of a ``(3, H, W)`` picture with torch."""
    h, w = picture.shape[1:]
    small = picture
    if scale > 1:
        small = F.interpolate(picture[None], size=film_size((h, w), scale), mode="area")[0]
    radius = int(np.ceil(3 * _EVEN_SIGMA_PX))
    taps = torch.arange(-radius, radius + 1, device=picture.device, dtype=picture.dtype)
    kernel = torch.exp(-taps * taps / (2 * _EVEN_SIGMA_PX**2))
    kernel = kernel / kernel.sum()
    padded = F.pad(small[:, None], (radius, radius, radius, radius), mode="replicate")
    smooth = F.conv2d(F.conv2d(padded, kernel.view(1, 1, 1, -1)), kernel.view(1, 1, -1, 1))[:, 0]
    fine = small - smooth
    spread = F.avg_pool2d((fine * fine).mean(0)[None, None], 7, stride=1, padding=3, count_include_pad=False)[0, 0]
    keep = (spread - grain * grain).clamp_min(0) / spread.clamp_min(1e-12)
    if scale > 1:
        smooth = F.interpolate(smooth[None], size=(h, w), mode="bilinear", align_corners=False)[0]
        keep = F.interpolate(keep[None, None], size=(h, w), mode="bilinear", align_corners=False)[0, 0]
        fine = picture - smooth
    return smooth + keep * fine
