"""Deflicker: equalize frame-to-frame exposure fluctuation within a shot.

Old prints flicker because each frame was exposed, developed and copied a
little differently. The fluctuation is global and smooth in tone, so it is
measured by a frame's luma *quantiles* (the 2nd to the 98th percentile), not
just its mean: a flicker that lifts the blacks more than the highlights bends
the tone curve, and a gain alone would leave it. The steady exposure of frame
``t`` is the average of the quantiles of the frames around it (``window``
frames, never past the shot's ends — a cut is a real change of exposure), and
frame ``t`` is mapped through the monotone tone curve that takes its own
quantiles onto those. Only neighbours whose tone lies near the window's median
are averaged (a sigma filter): a flash frame does not drag its neighbours, and
a real step of exposure inside the shot (a lamp switched on, a cut the
detector missed) stays a step instead of being smeared into a ramp. Scene content moving through the frame changes the
quantiles slowly, which the window follows; the curve only removes what
changes faster than the window.

The curve is applied to R, G and B alike through a lookup table of the full
code range (256 or 65536 entries), so gray film stays gray and a 16-bit scan
keeps its low bits. Memory: the frames of half a window are held while the
steady exposure ahead of them is measured.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator

import numpy as np

from engine.progress import CancelToken

# Percentiles that describe a frame's tone; the extremes are left out because
# dust, scratches and burnt-in subtitles live there.
QUANTILES = np.linspace(0.02, 0.98, 17)
# Luma is measured on every SAMPLE_STEP-th pixel both ways: quantiles of a
# 16th of the pixels are as stable as of all of them, at a 16th of the cost.
SAMPLE_STEP = 4
# A neighbour whose quantiles differ from the window's median by more than this
# share of full scale, on average, is another exposure state, not flicker.
STEP_TOLERANCE = 0.12


def tone_quantiles(frame: np.ndarray) -> np.ndarray:
    """The luma quantiles of a frame (``QUANTILES``), in code values as float64.

    Parameters
    ----------
    frame
        ``(H, W, 3)`` RGB or ``(H, W)`` luma, uint8 or uint16.
    """
    sample = frame[::SAMPLE_STEP, ::SAMPLE_STEP]
    if sample.ndim == 3:
        # BT.709 weights; the exact integer luma is not needed for a statistic.
        sample = sample[..., 0] * 0.2126 + sample[..., 1] * 0.7152 + sample[..., 2] * 0.0722
    return np.quantile(sample, QUANTILES)


def tone_curve(measured: np.ndarray, steady: np.ndarray, peak: int) -> np.ndarray:
    """A lookup table of ``peak + 1`` entries mapping ``measured`` quantiles onto ``steady`` ones.

    Between the quantiles the curve is piecewise linear; beyond them it keeps
    the offset of the outermost quantile (slope 1), so the deepest blacks and
    brightest highlights move with their neighbours instead of being stretched.
    """
    # Strictly increasing abscissae: a flat stretch of tone (a black frame) has
    # equal quantiles, which np.interp cannot take as nodes.
    x = np.maximum.accumulate(measured) + np.arange(len(measured)) * 1e-6
    y = np.maximum.accumulate(steady)
    xs = np.concatenate(([x[0] - peak], x, [x[-1] + peak]))
    ys = np.concatenate(([y[0] - peak], y, [y[-1] + peak]))
    codes = np.arange(peak + 1, dtype=np.float64)
    return np.clip(np.rint(np.interp(codes, xs, ys)), 0, peak)


def steady_tone(neighbours: np.ndarray, peak: int) -> np.ndarray:
    """The steady quantiles of a window: the mean of the neighbours close to the window's median.

    Parameters
    ----------
    neighbours
        ``(frames, quantiles)`` tone quantiles of the window.
    peak
        Full-scale code value (255 or 65535).
    """
    center = np.median(neighbours, axis=0)
    distance = np.mean(np.abs(neighbours - center), axis=1)
    close = neighbours[distance <= STEP_TOLERANCE * peak]
    return close.mean(axis=0) if len(close) else center


def apply_curve(frame: np.ndarray, lut: np.ndarray) -> np.ndarray:
    """``frame`` with every code value mapped through ``lut``, in its own dtype."""
    return lut.astype(frame.dtype)[frame]


def deflicker(
    frames: Iterable[np.ndarray], window: int = 15, cancel: CancelToken | None = None
) -> Iterator[np.ndarray]:
    """Deflicker the frames of one shot, in order.

    Parameters
    ----------
    frames
        The shot's frames, ``(H, W, 3)`` RGB, uint8 or uint16 (all alike).
    window
        Frames whose average exposure is the steady exposure of the middle one
        (odd; an even number is taken as the next odd one).
    cancel
        Checked once per frame.

    Yields
    ------
    numpy.ndarray
        Each frame with its exposure equalized, same shape and dtype.
    """
    half = max(1, window // 2)
    ahead: deque[tuple[np.ndarray, np.ndarray]] = deque()  # frames not yet yielded, with quantiles
    behind: deque[np.ndarray] = deque(maxlen=half)  # quantiles of the frames already yielded
    source = iter(frames)
    exhausted = False
    while True:
        while not exhausted and len(ahead) <= half:
            frame = next(source, None)
            if frame is None:
                exhausted = True
                break
            ahead.append((frame, tone_quantiles(frame)))
        if not ahead:
            return
        if cancel is not None:
            cancel.raise_if_cancelled()
        frame, measured = ahead.popleft()
        neighbours = np.array([*behind, measured, *(q for _, q in list(ahead)[:half])])
        peak = 255 if frame.dtype == np.uint8 else 65535
        steady = steady_tone(neighbours, peak)
        yield apply_curve(frame, tone_curve(measured, steady, peak))
        behind.append(measured)
