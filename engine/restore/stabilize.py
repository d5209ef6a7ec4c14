"""Stabilize: remove gate weave within a shot, keeping the intended camera moves.

A print weaves because each frame sits a little differently in the gate of the
camera, printer, projector or scanner: the picture shifts (and slightly turns)
from frame to frame around where it should be. The camera's own moves — pans,
tilts, a track — are slow by comparison, so they are what is left when the
frame's path is smoothed over a window of ``2 * SMOOTHING_RADIUS + 1`` frames;
each frame is moved by its *correction*, the smoothed path less its own.

The motion from one frame to the next is one global shift and rotation,
measured on luma at a reduced width (``MEASURE_WIDTH_PX``), contrast-normalized
(so flicker does not disturb it) and lightly blurred (so grain does not).
Corners are picked tile by tile across the picture and tracked with pyramidal
Lucas–Kanade both ways; tracks that do not come back are dropped, and a
rotation-and-shift is fitted to the rest with RANSAC, so a passing car, dust
and scratches are outvoted by the rest of the picture. Phase correlation of
windowed luma was tried too: on a real frame against its shifted self it was
ten times less exact (0.1 px against 0.01 px), and on grainy, flickering shots
a moving object threw it by pixels several times where the tracks held. A
measurement that fails, or that jumps away from its neighbours', is replaced by
their median before the path is smoothed.

The smoothed path is a local *quadratic* fit with Gaussian weights: a pan that
speeds up or slows down is kept, and where the window is cut by the shot's first
or last frame the fit does not bend the pan toward the shot's middle as an
average would. Nothing is read past the shot's ends, and a frame's correction
depends only on the frames of its own window: the first frames of a shot come
out the same whether the rest of it is rendered or not.

Motions and corrections are in units of the frame's *width* (and radians), so
the corrections of a shot, worked out once on small proxy frames, move its
frames right at any size. A correction is held within ``MAX_SHIFT`` of the
width and ``MAX_TURN`` radians, so a failed measurement never throws a frame
across the screen. The edges a move uncovers are filled by reflecting the
picture there (a few pixels of mirrored picture look like picture; a black or
smeared edge flickers as the weave changes).

Memory: ``SMOOTHING_RADIUS + 1`` frames are held (the frame being steadied
and the radius ahead of it), with the small measuring copy of the newest one and
the motions (three numbers each) of the window.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator

import cv2
import numpy as np

from engine.progress import CancelToken

# Gaussian sigma of the path's smoothing, in frames, and the degree of the
# polynomial fitted under it. On the weaving real shots of
# benchmarks/stabilize.py a quadratic under sigma 3 is the one tried that beat
# the untouched input on every shot: under sigma 4 (or a line under sigma 2)
# it took out a little more weave but bent bikes' pan, which reaches 7 px a
# frame within five frames, by up to 2.5 px (0.4–1.0 dB below the input).
SMOOTHING_SIGMA = 3.0
PATH_DEGREE = 2
# Frames each side of a frame whose path is fitted into its steady path (three
# sigmas; farther frames weigh less than 1 %): the stage's lead-in.
SMOOTHING_RADIUS = 9
# Frames wider than this are measured at this width: the shift comes out to a
# small share of a pixel either way.
MEASURE_WIDTH_PX = 320
# The largest correction, as a share of the width, and the largest turn (radians).
MAX_SHIFT = 0.03
MAX_TURN = 0.02
# Grain is blurred away before measuring (Gaussian sigma, measuring pixels).
_GRAIN_SIGMA_PX = 1.0
# Corners are picked in a grid of this many tiles across, at most this many a tile.
_TILES = 6
_CORNERS_PER_TILE = 15
# The least number of followed corners for a measurement to count.
_ENOUGH_TRACKS = 12
# A track that misses its start by more than this after going and coming back (px) is not trusted.
_ROUND_TRIP_PX = 0.5
# RANSAC's inlier distance, measuring pixels.
_RANSAC_PX = 0.5
# A step more than this away from the median of the steps within _NEIGHBOUR_STEPS of it was not the camera's
# (width shares, width shares, radians).
_JUMP = np.array([0.02, 0.02, 0.01])
_NEIGHBOUR_STEPS = 2


def _measuring_luma(frame: np.ndarray) -> np.ndarray:
    """The frame's luma at measuring size, blurred past the grain, its 1st–99th percentiles stretched over 8 bits."""
    luma = frame.astype(np.float32)
    if luma.ndim == 3:
        luma = luma[..., 0] * 0.2126 + luma[..., 1] * 0.7152 + luma[..., 2] * 0.0722
    height, width = luma.shape
    if width > MEASURE_WIDTH_PX:
        size = (MEASURE_WIDTH_PX, max(8, round(height * MEASURE_WIDTH_PX / width)))
        luma = cv2.resize(luma, size, interpolation=cv2.INTER_AREA)
    luma = cv2.GaussianBlur(luma, (0, 0), _GRAIN_SIGMA_PX)
    # Flicker is a gain and a lift: taking both out leaves the two frames comparable.
    low, high = np.percentile(luma, (1, 99))
    scaled = (luma - low) * (255.0 / max(high - low, 1e-6))
    return np.clip(scaled, 0, 255).astype(np.uint8)


def _corners(luma: np.ndarray) -> np.ndarray:
    """Corners to follow, taken tile by tile so that every part of the picture has its say.

    Picked over the whole frame, the corners crowd onto the sharpest thing in
    it — often a passing car or a face — and its motion would outvote the
    camera's; a move of the camera shows in every tile.
    """
    height, width = luma.shape
    columns = _TILES
    rows = max(2, round(columns * height / width))
    found = []
    for row in range(rows):
        top, bottom = row * height // rows, (row + 1) * height // rows
        for column in range(columns):
            left, right = column * width // columns, (column + 1) * width // columns
            tile = np.ascontiguousarray(luma[top:bottom, left:right])
            corners = cv2.goodFeaturesToTrack(tile, _CORNERS_PER_TILE, 0.02, 5, blockSize=7)
            if corners is not None:
                found.append(corners.reshape(-1, 2) + (left, top))
    return np.concatenate(found).astype(np.float32).reshape(-1, 1, 2) if found else np.zeros((0, 1, 2), np.float32)


def _motion_between(previous: np.ndarray, luma: np.ndarray) -> np.ndarray:
    """The global motion between two measuring lumas, in their own pixels: (dx, dy, radians); NaN when unknown."""
    unknown = np.full(3, np.nan)
    height, width = luma.shape
    corners = _corners(previous)
    if len(corners) < _ENOUGH_TRACKS:
        return unknown
    lk = dict(winSize=(15, 15), maxLevel=3, criteria=(cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 20, 0.01))
    ahead, found, _ = cv2.calcOpticalFlowPyrLK(previous, luma, corners, None, **lk)
    back, found_back, _ = cv2.calcOpticalFlowPyrLK(luma, previous, ahead, None, **lk)
    round_trip = np.linalg.norm((back - corners).reshape(-1, 2), axis=1)
    kept = (found.ravel() == 1) & (found_back.ravel() == 1) & (round_trip < _ROUND_TRIP_PX)
    if kept.sum() < _ENOUGH_TRACKS:
        return unknown
    # About the frame's centre, so that a turn does not read as a shift too.
    centre = np.float32([(width - 1) / 2, (height - 1) / 2])
    start, end = corners[kept].reshape(-1, 2) - centre, ahead[kept].reshape(-1, 2) - centre
    matrix, inliers = cv2.estimateAffinePartial2D(
        start, end, method=cv2.RANSAC, ransacReprojThreshold=_RANSAC_PX, maxIters=500, confidence=0.995
    )
    if matrix is None or inliers is None or inliers.sum() < _ENOUGH_TRACKS:
        return unknown
    return np.array([matrix[0, 2], matrix[1, 2], np.arctan2(matrix[1, 0], matrix[0, 0])])


def frame_motion(previous: np.ndarray, frame: np.ndarray) -> np.ndarray:
    """The global motion of the picture from ``previous`` to ``frame``.

    Parameters
    ----------
    previous, frame
        Neighbouring frames of one shot, ``(H, W, 3)`` RGB or ``(H, W)`` luma,
        uint8 or uint16.

    Returns
    -------
    numpy.ndarray
        ``(dx, dy, radians)`` float64: how far the picture moved right and down,
        in units of the frame's width, and how far it turned clockwise about the
        frame's centre. NaN when too little of the picture can be followed
        (:func:`corrections` then takes the motions around it instead).
    """
    before, after = _measuring_luma(previous), _measuring_luma(frame)
    return _in_widths(_motion_between(before, after), after.shape[1])


def _in_widths(motion: np.ndarray, measured_width: int) -> np.ndarray:
    """A motion in measuring pixels as shares of the width (the turn stays in radians)."""
    return motion / np.array([measured_width, measured_width, 1.0])


def _believable(motions: np.ndarray) -> np.ndarray:
    """``motions`` with each unmeasured or unbelievable one replaced by the median of the motions around it.

    A camera's move goes on through a frame that could not be measured, or
    where a passing car filled the picture and its motion was measured instead:
    a zero, or the car's jump, there would jump the path by a whole step. Weave
    and the camera change a step by far less than ``_JUMP`` from one frame to
    the next; a whip pan's steps agree with their neighbours', so it stays. A
    lone measurement among failed ones is as suspect as they are (on grainy
    footage of a bus driving through a still frame, it is the bus), and where
    the neighbours tell nothing the step is taken as no motion.
    """
    count = len(motions)
    measured = ~np.isnan(motions).any(axis=1)
    near = [np.r_[max(0, step - _NEIGHBOUR_STEPS) : min(count, step + _NEIGHBOUR_STEPS + 1)] for step in range(count)]
    others = [around[around != step] for step, around in enumerate(near)]
    lone = np.array([len(o) > 0 and not measured[o].any() for o in others], dtype=bool)
    trusted = measured & ~lone
    believable = motions.copy()
    for step in range(count):
        around = motions[near[step][trusted[near[step]]]]
        typical = np.median(around, axis=0) if len(around) else np.zeros(3)
        if not trusted[step] or np.any(np.abs(motions[step] - typical) > _JUMP):
            believable[step] = typical
    return believable


def _correction(motions: np.ndarray, index: int) -> np.ndarray:
    """The correction of frame ``index`` of a run of frames whose consecutive ``motions`` are given.

    The path is known only relative to frame ``index`` itself, so the result
    depends on nothing but the motions inside the run: the same run gives the
    same correction bit for bit, whether the rest of the shot is known or not.

    Parameters
    ----------
    motions
        ``(frames - 1, 3)`` consecutive motions of the run (as :func:`frame_motion`).
    index
        Which frame of the run.
    """
    count = len(motions) + 1
    # Each frame's position on the path, counted from frame ``index``.
    path = np.zeros((count, 3))
    if count > 1:
        path[1:] = np.cumsum(_believable(motions), axis=0)
        path -= path[index]
    offsets = np.arange(count, dtype=np.float64) - index
    weights = np.exp(-0.5 * (offsets / SMOOTHING_SIGMA) ** 2)
    # Weighted least squares of a low polynomial through the path; its value at ``index`` is the steady position.
    degree = min(PATH_DEGREE, count - 1)
    basis = offsets[:, None] ** np.arange(degree + 1)
    root = np.sqrt(weights)[:, None]
    fit = np.linalg.lstsq(basis * root, path * root, rcond=None)[0]
    steady = fit[0]
    limits = np.array([MAX_SHIFT, MAX_SHIFT, MAX_TURN])
    return np.clip(steady, -limits, limits)


def _window(count: int, index: int) -> tuple[int, int]:
    """First and last frame of frame ``index``'s window in a shot of ``count`` frames."""
    return max(0, index - SMOOTHING_RADIUS), min(count - 1, index + SMOOTHING_RADIUS)


def corrections(motions: np.ndarray) -> np.ndarray:
    """The correction of every frame of a shot, from its consecutive motions.

    Parameters
    ----------
    motions
        ``(N - 1, 3)`` motions between the shot's ``N`` frames (:func:`frame_motion`);
        the correction of frame ``k`` reads only those between frames
        ``k - SMOOTHING_RADIUS`` and ``k + SMOOTHING_RADIUS``.

    Returns
    -------
    numpy.ndarray
        ``(N, 3)`` corrections (width units, radians) for :func:`steadied`;
        the same numbers :func:`stabilize` uses.
    """
    motions = np.asarray(motions, dtype=np.float64).reshape(-1, 3)
    count = len(motions) + 1
    out = np.zeros((count, 3))
    for index in range(count):
        first, last = _window(count, index)
        out[index] = _correction(motions[first:last], index - first)
    return out


def steadied(frame: np.ndarray, correction: np.ndarray) -> np.ndarray:
    """``frame`` moved by its correction, subpixel, same shape and dtype.

    Bicubic interpolation: taking a known weave back out of real 640 px frames
    it came within 0.3 dB of Lanczos (and 3 dB above bilinear) at a fifth of
    Lanczos' time. The uncovered edges are filled by reflecting the picture there.

    Parameters
    ----------
    frame
        ``(H, W, 3)`` RGB or ``(H, W)`` luma, uint8 or uint16.
    correction
        ``(dx, dy, radians)`` as :func:`corrections` gives it (width units).
    """
    height, width = frame.shape[:2]
    dx, dy, turn = (float(c) for c in np.asarray(correction, dtype=np.float64).reshape(-1)[:3])
    if dx == 0 and dy == 0 and turn == 0:
        return frame.copy()
    centre = ((width - 1) / 2, (height - 1) / 2)
    matrix = cv2.getRotationMatrix2D(centre, -np.degrees(turn), 1.0)
    matrix[:, 2] += (dx * width, dy * width)
    return cv2.warpAffine(frame, matrix, (width, height), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REFLECT)


def stabilize(frames: Iterable[np.ndarray], cancel: CancelToken | None = None) -> Iterator[np.ndarray]:
    """Stabilize the frames of one shot, in order.

    Parameters
    ----------
    frames
        The shot's frames, ``(H, W, 3)`` RGB or ``(H, W)`` luma, uint8 or uint16 (all alike).
    cancel
        Checked once per frame.

    Yields
    ------
    numpy.ndarray
        Each frame moved onto the shot's steady path, same shape and dtype.
    """
    ahead: deque[np.ndarray] = deque()  # frames not yet yielded
    motions: deque[np.ndarray] = deque()  # motions from the window's first frame up to the newest frame
    behind = 0  # frames of the window already yielded
    latest: np.ndarray | None = None  # the newest frame's measuring luma
    source = iter(frames)
    exhausted = False
    while True:
        while not exhausted and len(ahead) <= SMOOTHING_RADIUS:
            frame = next(source, None)
            if frame is None:
                exhausted = True
                break
            luma = _measuring_luma(frame)
            if latest is not None:
                motions.append(_in_widths(_motion_between(latest, luma), luma.shape[1]))
            latest = luma
            ahead.append(frame)
        if not ahead:
            return
        if cancel is not None:
            cancel.raise_if_cancelled()
        frame = ahead.popleft()
        run = np.array(motions, dtype=np.float64).reshape(-1, 3)
        yield steadied(frame, _correction(run, behind))
        if behind == SMOOTHING_RADIUS:
            motions.popleft()
        else:
            behind += 1
