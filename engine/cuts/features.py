"""What the detector looks at in a frame: small, flicker-normalized luma.

Old prints change exposure from frame to frame, are covered in grain, dust and
scratches, and weave in the gate. None of that should look like a change of
shot, so each frame is reduced to a tiny luma picture (area averaging kills
grain and sub-pixel weave; a 3×3 median kills what is left of dust specks) and
normalized by its own robust level and spread (median and MAD, which dust and
scratches do not move), so a global gain or offset (flicker, fades) leaves it
unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

FINE_WIDTH_PX = 64
COARSE_WIDTH_PX = 32
# Spread floor (8-bit code values): keeps near-black frames from being blown up into pure noise.
SPREAD_FLOOR = 2.0
HISTOGRAM_BINS = 24
_HISTOGRAM_SPAN = 3.0  # normalized levels beyond ±3 spreads share the end bins


@dataclass(frozen=True, slots=True)
class FrameFeatures:
    """The detector's view of one frame.

    Attributes
    ----------
    fine
        Normalized luma, ``FINE_WIDTH_PX`` wide, zero median and unit robust spread.
    coarse
        The same at ``COARSE_WIDTH_PX`` wide, flattened and centred, for the
        dissolve fits (less grain and motion at that size).
    level
        Mean luma on the 8-bit scale, before normalization (fades and flashes move it).
    unit
        ``fine`` flattened, centred and scaled to unit length, so that the
        correlation of two frames is one dot product.
    histogram
        Share of pixels in each of :data:`HISTOGRAM_BINS` bins of normalized luma:
        blind to where things are, so fast motion leaves it alone.
    """

    fine: np.ndarray
    coarse: np.ndarray
    level: float
    histogram: np.ndarray
    unit: np.ndarray


def frame_features(frame: np.ndarray) -> FrameFeatures:
    """Reduce an RGB (or gray) frame, ``uint8`` or ``uint16``, to :class:`FrameFeatures`."""
    luma = frame if frame.ndim == 2 else cv2.cvtColor(np.ascontiguousarray(frame), cv2.COLOR_RGB2GRAY)
    h, w = luma.shape
    fine_h = max(8, round(FINE_WIDTH_PX * h / w))
    # Area-average at the stored depth (fast), then work in floats on the 8-bit scale.
    small = cv2.resize(luma, (FINE_WIDTH_PX, fine_h), interpolation=cv2.INTER_AREA).astype(np.float32)
    if frame.dtype == np.uint16:
        small *= 255.0 / 65535.0
    small = cv2.medianBlur(small, 3)
    fine = _normalized(small)
    coarse = cv2.resize(fine, (COARSE_WIDTH_PX, max(4, fine_h // 2)), interpolation=cv2.INTER_AREA).ravel()
    coarse = coarse - coarse.mean()
    bins = ((fine.ravel() + _HISTOGRAM_SPAN) * (HISTOGRAM_BINS / (2 * _HISTOGRAM_SPAN))).astype(np.int32)
    np.clip(bins, 0, HISTOGRAM_BINS - 1, out=bins)
    histogram = np.bincount(bins, minlength=HISTOGRAM_BINS).astype(np.float32) / max(1, fine.size)
    unit = fine.ravel() - fine.mean()
    unit /= float(np.linalg.norm(unit)) + 1e-9
    return FrameFeatures(fine, coarse.astype(np.float32), float(small.mean()), histogram, unit)


def _normalized(small: np.ndarray) -> np.ndarray:
    median = _middle(small.ravel())
    spread = 1.4826 * _middle(np.abs(small.ravel() - median))
    return (small - median) / (spread + SPREAD_FLOOR)


def _middle(values: np.ndarray) -> float:
    """The (upper) median: one partial sort, no more (``np.median`` costs several times more here)."""
    k = values.size // 2
    return float(np.partition(values, k)[k])


def difference(a: np.ndarray, b: np.ndarray) -> float:
    """One minus the correlation of two normalized pictures: 0 alike, ~1 unrelated, 2 inverted."""
    x = a - a.mean()
    y = b - b.mean()
    denominator = float(np.sqrt(float((x * x).sum()) * float((y * y).sum()))) + 1e-9
    return 1.0 - float((x * y).sum()) / denominator


def histogram_difference(a: np.ndarray, b: np.ndarray) -> float:
    """Share of pixels whose normalized level would have to change bin (0 same, 1 disjoint)."""
    return 0.5 * float(np.abs(a - b).sum())


def mix_evidence(middle: np.ndarray, before: np.ndarray, after: np.ndarray) -> tuple[float, float]:
    """How much better ``middle`` is explained as a mix of ``before`` and ``after`` than by either.

    All three are centred, flattened pictures. A dissolve frame is ``α·A + (1−α)·B``
    (in normalized luma too, since normalization is affine), which neither shot
    explains alone; a frame inside a shot, or either side of a hard cut, is
    explained by one neighbour already.

    Returns
    -------
    gain, weight
        Explained variance of the two-picture fit minus that of the best
        one-picture fit, and the weight of ``before`` in the fit (α).
    """
    aa = float(before @ before)
    bb = float(after @ after)
    ab = float(before @ after)
    ma = float(middle @ before)
    mb = float(middle @ after)
    mm = float(middle @ middle) + 1e-9
    det = aa * bb - ab * ab
    if det <= 1e-9 * aa * bb or aa <= 0 or bb <= 0:
        return 0.0, 0.0
    alpha = (ma * bb - mb * ab) / det
    beta = (mb * aa - ma * ab) / det
    explained_both = (alpha * ma + beta * mb) / mm
    explained_one = max(ma * ma / aa, mb * mb / bb) / mm
    total = alpha + beta
    weight = alpha / total if abs(total) > 1e-6 else 0.0
    return explained_both - explained_one, weight
