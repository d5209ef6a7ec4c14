"""Denoise: motion-compensated temporal filtering that thins the noise and keeps the picture.

Film grain and video noise are new in every frame while the picture moves on
smoothly, so a frame's noise-free estimate is the mean of the frame and its
neighbours brought onto it. Each neighbour within ``RADIUS`` frames (never past
the shot's ends) is brought onto the frame by a dense DIS optical flow on luma
(worked out at ``FLOW_WIDTH_PX`` for wider frames, as :mod:`engine.interp.motion`
does, and enlarged for the warp). How far a compensated neighbour may be trusted
is judged per pixel: the squared difference to the frame, averaged over a small
patch, is compared with what noise alone would give. That noise level is
measured on the data itself, as the median absolute compensated difference per
band of brightness (grain is strongest in the mid-tones), so a flow that fails,
an occlusion or a moving object that the flow missed gives a difference far
above the noise, a weight near zero, and the frame itself instead of a ghost.

``strength`` blends the frame toward that estimate:
``output = frame + strength · (estimate − frame)``. Where all ``2·RADIUS``
neighbours match, the estimate is the mean of ``N = 2·RADIUS + 1`` pictures and the
grain amplitude kept is ``sqrt((1 − s·(1 − 1/N))² + s²·(N − 1)/N²)`` of the
input's: about 77 % at the default 0.3 (the film keeps its texture) and 62 % at
0.5 (less where the flow interpolates between pixels, more where neighbours are
rejected or missing, as at a shot's ends). Strength 0 returns the frame
unchanged, bit for bit. From 0.5 up, a light spatial pass fades in on the
estimate (OpenCV's non-local means on luma, its filter parameter set by the noise
the temporal mean left), fully at 1: five pictures alone leave 45 % of the grain,
and on real footage with film grain the spatial pass takes strength 1 about 2 dB
further (benchmarks/denoise.py), to about a third of the grain amplitude.

Gray film (R = G = B) is filtered as one plane and stays exactly gray; colour
frames are matched on luma and every channel is averaged with the same weights.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

import cv2
import numpy as np

from engine.progress import CancelToken
from engine.restore.pixels import full_scale, luma_of
from engine.restore.window import neighbourhoods

# Neighbours each side a frame is averaged with: the stage's lead-in. Two each
# side (five pictures) take the grain to 45 %; more reach further into motion
# the flow gets wrong, for less and less gain.
RADIUS = 2
# Frames wider than this have their flow worked out at this width and enlarged,
# as in engine.interp.motion: grain-level detail does not steer the flow.
FLOW_WIDTH_PX = 400
# Patch (Gaussian sigma, px) over which a compensated neighbour's difference to
# the frame is averaged before it is judged against the noise: one pixel's
# difference is mostly noise itself.
PATCH_SIGMA_PX = 1.5
# A patch whose mean squared difference is up to MISMATCH_FREE times what the
# noise alone gives counts fully; each MISMATCH_FALLOFF beyond it, e-times less.
MISMATCH_FREE = 2.0
MISMATCH_FALLOFF = 2.0
# Above this strength a light spatial pass (non-local means on the temporal
# estimate) fades in, to take the strength-1 result further than the few
# neighbours can; below it the filter is purely temporal.
SPATIAL_FROM = 0.5
# Non-local means' filter parameter as a multiple of the noise left after the temporal mean.
SPATIAL_H = 1.0
# Non-local means' patch and search window (px).
SPATIAL_PATCH_PX = 5
SPATIAL_SEARCH_PX = 11
# Bands of brightness in which the noise level is measured separately.
NOISE_BANDS = 8
# The noise level never counts below this (0–1 scale): clean or quantised
# footage would otherwise reject every neighbour for rounding differences.
NOISE_FLOOR = 0.5 / 255


def denoise_frame(
    frame: np.ndarray, before: Sequence[np.ndarray], after: Sequence[np.ndarray], strength: float = 0.3
) -> np.ndarray:
    """One frame denoised from its neighbours within the shot.

    Parameters
    ----------
    frame
        ``(H, W, 3)`` RGB or ``(H, W)`` gray, uint8 or uint16.
    before
        Up to ``RADIUS`` frames before it, in film order (the nearest last); fewer or none at a shot's start.
    after
        Up to ``RADIUS`` frames after it, in film order (the nearest first); fewer or none at a shot's end.
    strength
        Share of the noise taken away, 0–1 (see the module's notes for the grain amplitude kept).

    Returns
    -------
    numpy.ndarray
        The denoised frame, same shape and dtype.
    """
    strength = float(np.clip(strength, 0.0, 1.0))
    neighbours = [*list(before)[max(0, len(before) - RADIUS) :], *list(after)[:RADIUS]]
    if strength == 0.0 or not neighbours:
        return frame.copy()
    peak = full_scale(frame)
    gray = _is_gray(frame)
    picture = _picture(frame, gray, peak)
    luma = picture if gray else luma_of(picture)
    guide = _flow_guide(luma)
    moved_pictures, differences = [], []
    for neighbour in neighbours:
        other = _picture(neighbour, gray, peak)
        other_luma = other if gray else luma_of(other)
        moved = _warp(other, _flow(guide, _flow_guide(other_luma), luma.shape))
        moved_pictures.append(moved)
        differences.append((moved if gray else luma_of(moved)) - luma)
    noise = _noise_level(luma, differences)
    total, weights = picture.copy(), np.ones_like(luma)
    for moved, difference in zip(moved_pictures, differences):
        mismatch = cv2.GaussianBlur(difference * difference, (0, 0), PATCH_SIGMA_PX) / noise
        weight = np.exp(-np.clip(mismatch - MISMATCH_FREE, 0.0, 40.0) * np.float32(1 / MISMATCH_FALLOFF))
        total += moved * (weight if gray else weight[..., None])
        weights += weight
    estimate = total / (weights if gray else weights[..., None])
    spatial_share = np.clip((strength - SPATIAL_FROM) / (1.0 - SPATIAL_FROM), 0.0, 1.0)
    if spatial_share > 0:
        # What is left of the noise: a mean of ``weights`` pictures' worth, each frame's grain σ² = noise / 2.
        left = float(np.median(np.sqrt(noise[::2, ::2] / (2 * weights[::2, ::2]))))
        correction = _spatial_correction(estimate if gray else luma_of(estimate), left) * np.float32(spatial_share)
        estimate = estimate + (correction if gray else correction[..., None])
    out = picture + np.float32(strength) * (estimate - picture)
    out = np.clip(np.rint(out * np.float32(peak)), 0, peak).astype(frame.dtype)
    return np.repeat(out[..., None], 3, axis=-1) if gray and frame.ndim == 3 else out


def denoise(
    frames: Iterable[np.ndarray], strength: float = 0.3, cancel: CancelToken | None = None
) -> Iterator[np.ndarray]:
    """Denoise the frames of one shot, in order, holding ``2·RADIUS + 1`` frames at a time.

    Parameters
    ----------
    frames
        The shot's frames, ``(H, W, 3)`` RGB or ``(H, W)`` gray, uint8 or uint16 (all alike).
    strength
        Share of the noise taken away, 0–1 (see :func:`denoise_frame`).
    cancel
        Checked once per frame.

    Yields
    ------
    numpy.ndarray
        Each frame denoised, same shape and dtype.
    """
    for before, frame, after in neighbourhoods(frames, RADIUS, cancel):
        yield denoise_frame(frame, before, after, strength)


def _is_gray(frame: np.ndarray) -> bool:
    """Whether a frame is one plane of tone: ``(H, W)``, or RGB with R = G = B."""
    if frame.ndim == 2:
        return True
    return bool(np.array_equal(frame[..., 0], frame[..., 1]) and np.array_equal(frame[..., 1], frame[..., 2]))


def _picture(frame: np.ndarray, gray: bool, peak: float) -> np.ndarray:
    """The frame as float32 on 0–1: one plane for gray film, else ``(H, W, 3)``."""
    if gray and frame.ndim == 3:
        frame = frame[..., 0]
    return frame.astype(np.float32) * np.float32(1 / peak)


def _flow_guide(luma: np.ndarray) -> np.ndarray:
    """8-bit luma at the flow's working size, as DIS takes it."""
    h, w = luma.shape
    guide = np.clip(luma * 255.0 + 0.5, 0, 255).astype(np.uint8)
    if w > FLOW_WIDTH_PX:
        guide = cv2.resize(guide, (FLOW_WIDTH_PX, round(h * FLOW_WIDTH_PX / w)), interpolation=cv2.INTER_AREA)
    return guide


_per_thread = threading.local()


def _dis() -> cv2.DISOpticalFlow:
    """This thread's DIS estimator: the preview and an export may denoise at once, and DIS keeps state."""
    if not hasattr(_per_thread, "dis"):
        _per_thread.dis = cv2.DISOpticalFlow_create(cv2.DISOPTICAL_FLOW_PRESET_MEDIUM)
    return _per_thread.dis


def _flow(guide: np.ndarray, other: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Full-size ``(H, W, 2)`` flow with ``frame(p) ≈ other(p + flow(p))``."""
    flow = _dis().calc(guide, other, None)
    h, w = shape
    if flow.shape[:2] != (h, w):
        flow = cv2.resize(flow, (w, h), interpolation=cv2.INTER_LINEAR) * np.float32(w / guide.shape[1])
    return flow


@lru_cache(maxsize=4)
def _grid(h: int, w: int) -> np.ndarray:
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    return np.dstack([xs, ys])


def _warp(picture: np.ndarray, flow: np.ndarray) -> np.ndarray:
    """``picture`` sampled at ``p + flow(p)``."""
    where = _grid(*flow.shape[:2]) + flow
    return cv2.remap(picture, where, None, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def _noise_level(luma: np.ndarray, differences: list[np.ndarray]) -> np.ndarray:
    """Per-pixel mean squared compensated difference that noise alone gives (0–1 scale, squared).

    Measured per band of the frame's (smoothed) brightness as the median absolute
    difference over every neighbour: the median ignores the places the flow gets
    wrong, which are few. Bands with too few pixels take the whole frame's level.
    """
    smooth = cv2.GaussianBlur(luma, (0, 0), 2.0)
    tone = smooth[::2, ::2].ravel()
    spread = np.abs(np.stack([d[::2, ::2] for d in differences])).reshape(len(differences), -1)
    overall = float(np.median(spread))
    band = np.minimum((np.clip(tone, 0, 1) * NOISE_BANDS).astype(np.int32), NOISE_BANDS - 1)
    levels = np.full(NOISE_BANDS, overall, np.float32)
    for index in range(NOISE_BANDS):
        inside = spread[:, band == index]
        if inside.size >= 400:
            levels[index] = np.median(inside)
    # MAD of a normal spread is 0.6745 of its standard deviation.
    sigma = np.maximum(levels / 0.6745, NOISE_FLOOR)
    centers = (np.arange(NOISE_BANDS, dtype=np.float32) + 0.5) / NOISE_BANDS
    return np.interp(smooth, centers, sigma * sigma).astype(np.float32)


def _spatial_correction(luma: np.ndarray, noise_left: float) -> np.ndarray:
    """What non-local means would change on a 0–1 luma plane whose noise is ``noise_left`` (σ, 0–1 scale)."""
    coded = np.clip(np.rint(luma * 255.0), 0, 255).astype(np.uint8)
    h = SPATIAL_H * noise_left * 255.0
    smoothed = cv2.fastNlMeansDenoising(coded, None, h, SPATIAL_PATCH_PX, SPATIAL_SEARCH_PX)
    return (smoothed.astype(np.float32) - coded) * np.float32(1 / 255)
