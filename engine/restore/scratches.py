"""Vertical scratches: find the thin lines that stay put in the frame while the picture moves, and lift them off.

A line scratch is cut along the print as it runs through a gate or a
projector, so it sits at (nearly) the same column for tens to hundreds of
frames, drifting a pixel or so, a thin light or dark line one to a few pixels
wide down a tall stretch of the frame. It is in the neighbours too, so dust
repair cannot see it; but the picture moves under it.

Finding it (:mod:`engine.restore.scratch_lines`): a thin line standing out of
both sides of the picture, averaged down tall bands of rows.

Telling it from the scene. A candidate must be in the neighbours too (``REACH``
each side, all of them on at least one side, within ``DRIFT_PX`` a frame of its
column): a line of one frame is dust, or a thin thing passing by. Then the
picture beside the line (``SIDE_PX`` each side, the line wiped out first so that
it cannot hold the flow still) is followed into each neighbour by OpenCV's DIS
optical flow. A scratch stays where it is while the picture moves; when the
picture beside it moves against the line by ``MOVE_PX`` a frame or more, the
line is a scratch unless it stands out of one side only (a bright rim along a
door's edge stands out a little from the door and a lot from the dark wall).
A line that moves with the picture around it (a pole, a cable, a window bar
in a pan) or a line on a still or vertically moving picture (a locked-off
camera on a lamp post, a tilt along a door frame) cannot be told by motion,
and must pass the stricter test of its make: stand out
``STATIC_STRICTNESS`` times the bar, on three rows in four of its band
(``STATIC_STEADINESS``: a scene line's contrast changes with what is behind
it, a scratch's offset does not), and of both sides alike on
``STATIC_TWO_SIDED`` of the rows. A thin, even, symmetric line of the scene
on a still picture (a lamp post before a plain wall) passes that test too and
is taken for a scratch: that is the case this stage gets wrong. A one-frame
shot gets only the stricter test.

Lifting it. A scratch that thins the emulsion adds (or takes away) a nearly
constant amount of light down its length, with a soft profile across it; the
picture under it is still there. Across the line's extent (where it stands out
by ``EDGE_SHARE`` of its peak, grown a pixel), each row is interpolated from
``CONTEXT_PX`` columns either side; the frame less that interpolation is the
scratch plus the detail the interpolation missed, and a running median of it
down the column (``RUN_ROWS``) is the scratch alone: it is subtracted, so the
detail and grain under the line are kept. Where the scratch drove the picture
to black or white the detail is gone and the interpolation fills it. The
strongest line is judged and lifted first, so that a scratch beside the next
no longer spoils its sides. Every pixel outside the lifted extents, and inside
them where the change rounds to nothing, keeps its exact code value. Gray film
is repaired on one plane and stays exactly gray; colour frames are measured on
luma and every channel gets the same correction.

``strength`` sets how many spreads a line must stand out by: 0 cautious, 1 eager.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

import numpy as np
from scipy.ndimage import median_filter, uniform_filter1d

from engine.progress import CancelToken
from engine.restore.flow import flow_to
from engine.restore.scratch_lines import (
    FAINTEST,
    HIGHPASS_PX,
    PRESENT_SHARE,
    Line,
    Look,
    band_profiles,
    candidate_lines,
    horizontal_median,
    look_at,
    presence,
    row_bands,
)
from engine.restore.pixels import full_scale, written
from engine.restore.window import neighbourhoods

# Neighbours read on each side of a frame: the stage's lead-in. Two each side let
# the picture move twice as far under a line as one frame does.
REACH = 2
# Robust spreads (of a band's column profile) a line must stand out by at
# strength 0 (cautious) and 1 (eager).
CAUTIOUS_SPREADS, EAGER_SPREADS = 8.0, 5.0
# A line's extent reaches out to where it stands out by this share of its peak
# (its soft edge), at most HALF_EXTENT_PX each side of its centre.
EDGE_SHARE = 0.15
HALF_EXTENT_PX = 6
# The picture must move by this much a frame against the line, on average over the
# neighbours, for the line to be a scratch (px).
MOVE_PX = 0.75
# Columns either side of a line whose flow tells how the picture there moves (px).
SIDE_PX = 16
# A line on a still picture must stand out this many times more ...
STATIC_STRICTNESS = 1.2
# ... and stand out of its sides by half its peak on this share of the band's rows.
STATIC_STEADINESS = 0.75
# Rows over which the line's contrast is averaged for that test.
STEADY_ROWS = 7
# ... and stand out of its left and of its right side alike (the lesser contrast at
# least TWO_SIDED_SHARE of the greater) on this share of the rows; a scratch the
# picture moves under, on this lesser share. The bright rim along a door's edge
# stands out a little from the door and a lot from the dark wall, on every row; a
# scratch is two-sided except where it runs along an edge of the picture.
STATIC_TWO_SIDED, MOVING_TWO_SIDED = 0.4, 0.2
TWO_SIDED_SHARE = 0.5
# Columns either side of a line's extent it is interpolated from (px).
CONTEXT_PX = 3
# Rows of the running median that takes the scratch's offset down a column out of
# the picture's detail (odd).
RUN_ROWS = 31


def _wiped(luma: np.ndarray, smooth: np.ndarray, lines: list[Line]) -> np.ndarray:
    """``luma`` as 8-bit with the lines' columns replaced by its horizontal median ``smooth``: flow sees no line."""
    wiped = luma.copy()
    for line in lines:
        columns = slice(max(int(line.centre) - HALF_EXTENT_PX, 0), int(line.centre) + HALF_EXTENT_PX + 1)
        wiped[line.rows, columns] = smooth[line.rows, columns]
    return np.clip(wiped * 255 + 0.5, 0, 255).astype(np.uint8)


def _picture_shift(flow: np.ndarray, line: Line) -> float:
    """How far the picture beside ``line`` (not the line itself) moves horizontally (px)."""
    centre, width = int(round(line.centre)), flow.shape[1]
    left = flow[line.rows, max(centre - SIDE_PX, 0) : max(centre - HALF_EXTENT_PX, 0)]
    right = flow[line.rows, min(centre + HALF_EXTENT_PX + 1, width) : min(centre + SIDE_PX + 1, width)]
    beside = np.concatenate([left.ravel(), right.ravel()])
    return float(np.median(beside)) if beside.size else 0.0


def _make(luma: np.ndarray, response: np.ndarray, line: Line) -> tuple[float, float]:
    """How much a line looks like a scratch: the shares of its band's rows where it stands out of its
    sides by half its peak (steady), and where it stands out of its left and of its right side alike (two-sided).

    Grain is judged over a few rows at a time: one grain clump may hide a faint scratch, a run of rows not.
    """
    centre = int(round(line.centre))
    column = uniform_filter1d(response[line.rows, centre] * line.sign, STEADY_ROWS, mode="nearest")
    steady = float(np.mean(column >= 0.5 * line.peak))
    band = luma[line.rows]
    reach = HALF_EXTENT_PX + CONTEXT_PX
    left = band[:, max(centre - reach, 0) : max(centre - HALF_EXTENT_PX, 0)]
    right = band[:, centre + HALF_EXTENT_PX + 1 : centre + reach + 1]
    if not left.size or not right.size:
        return steady, 1.0
    line_rows = band[:, centre]
    contrasts = [
        uniform_filter1d(line.sign * (line_rows - side.mean(axis=1)), STEADY_ROWS, mode="nearest")
        for side in (left, right)
    ]
    lesser, greater = np.minimum(*contrasts), np.maximum(*contrasts)
    two_sided = float(np.mean((lesser > 0) & (lesser >= TWO_SIDED_SHARE * greater)))
    return steady, two_sided


def _lift(luma: np.ndarray, profile: np.ndarray, line: Line, peak: float) -> tuple[int, int] | None:
    """Subtract ``line``'s scratch from ``luma`` in place over its extent (interpolating where it clipped).

    Returns the first and last column changed, or ``None`` if none could be.
    """
    width = luma.shape[1]
    centre = int(round(line.centre))
    signed = line.sign * profile
    start = centre
    while start > max(centre - HALF_EXTENT_PX, 0) and signed[start - 1] >= EDGE_SHARE * line.peak:
        start -= 1
    end = centre
    while end < min(centre + HALF_EXTENT_PX, width - 1) and signed[end + 1] >= EDGE_SHARE * line.peak:
        end += 1
    start, end = max(start - 1, 0), min(end + 1, width - 1)
    band = luma[line.rows]
    left = band[:, max(start - CONTEXT_PX, 0) : start]
    right = band[:, end + 1 : end + 1 + CONTEXT_PX]
    if not left.size and not right.size:
        return None
    # Each row across the extent, as the picture either side would have it.
    left_mean = left.mean(axis=1) if left.size else right.mean(axis=1)
    right_mean = right.mean(axis=1) if right.size else left_mean
    # The sides' means stand at the middle of their context columns.
    left_at, right_at = start - (CONTEXT_PX + 1) / 2, end + (CONTEXT_PX + 1) / 2
    share = (np.arange(start, end + 1, dtype=np.float32) - left_at) / (right_at - left_at)
    across = left_mean[:, None] + (right_mean - left_mean)[:, None] * share[None, :]
    extent = band[:, start : end + 1]
    rows = extent.shape[0]
    run = min(RUN_ROWS, rows - (1 - rows % 2))
    offset = median_filter(extent - across, size=(max(run, 1), 1), mode="nearest")
    offset = line.sign * np.maximum(line.sign * offset, 0)
    lifted = extent - offset
    # Where the scratch drove the picture to white (or black) it took more than its offset there: what lies
    # under it is at least (at most) the lifted value, and the sides tell the rest.
    clipped = extent >= 1 - 0.5 / peak if line.sign > 0 else extent <= 0.5 / peak
    bound = np.maximum(lifted, across) if line.sign > 0 else np.minimum(lifted, across)
    extent[...] = np.where(clipped, bound, lifted)
    return start, end


def _follow(
    lines: list[Line],
    luma8: np.ndarray,
    thresholds: np.ndarray,
    spreads_needed: float,
    before: list[Look],
    after: list[Look],
) -> tuple[dict[int, bool], dict[int, list[float]]]:
    """Follow each line into the neighbours: whether it persists (in all of them on at least one side), and how
    far the picture beside it moves against it, per frame, in each neighbour it is found in (by ``id``)."""
    bands = row_bands(luma8.shape[0])
    witnesses: dict[int, list[float]] = {id(line): [] for line in lines}
    persists = {id(line): False for line in lines}
    for side, distances in ((before, range(len(before), 0, -1)), (after, range(1, len(after) + 1))):
        present = {id(line): bool(side) for line in lines}
        for distance, neighbour in zip(distances, side):
            found = {id(line): presence(line, neighbour.profiles[line.band], thresholds[line.band], distance)
                     for line in lines}
            for line in lines:
                present[id(line)] &= found[id(line)] is not None
            if not any(place is not None for place in found.values()):
                continue
            their_thresholds = np.maximum(spreads_needed * neighbour.spreads, FAINTEST)
            their_lines = candidate_lines(neighbour.profiles, PRESENT_SHARE * their_thresholds, bands)
            flow = flow_to(luma8, _wiped(neighbour.luma, neighbour.smooth, their_lines))[0]
            for line in lines:
                place = found[id(line)]
                if place is not None:
                    witnesses[id(line)].append(abs(_picture_shift(flow, line) - (place - line.centre)) / distance)
        for line in lines:
            persists[id(line)] |= present[id(line)]
    return persists, witnesses


def _looked_again(
    lifted: np.ndarray, smooth: np.ndarray, profiles: np.ndarray, changed: tuple[int, int], bands: list[slice]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The horizontal median, line response and profiles after columns ``changed`` were lifted.

    Only the medians within half a window of the lifted columns change.
    """
    smooth, profiles = smooth.copy(), profiles.copy()
    half, width = HIGHPASS_PX // 2, lifted.shape[1]
    low, high = max(changed[0] - 2 * half, 0), min(changed[1] + 2 * half + 1, width)
    near = slice(max(changed[0] - half, 0), min(changed[1] + half + 1, width))
    smooth[:, near] = horizontal_median(lifted[:, low:high])[:, near.start - low : near.stop - low]
    response = lifted - smooth
    profiles[:, near] = band_profiles(response[:, near], bands)[0]
    return smooth, response, profiles


def repair_scratches_frame(
    frame: np.ndarray, before: Sequence[np.ndarray], after: Sequence[np.ndarray], strength: float = 0.5
) -> np.ndarray:
    """One frame with its vertical line scratches lifted, judged against its neighbours in the same shot.

    Parameters
    ----------
    frame
        ``(H, W, 3)`` RGB or ``(H, W)`` luma, uint8 or uint16.
    before, after
        Up to ``REACH`` of the shot's frames before (in film order, nearest
        last) and after (nearest first), as they came (not repaired), alike in
        shape and dtype; fewer at the shot's ends.
    strength
        How eagerly lines are judged scratches: 0 cautious, 1 eager.

    Returns
    -------
    numpy.ndarray
        A new array of the same shape and dtype: scratches lifted, every other
        pixel exactly as it was.
    """
    before, after = list(before)[-REACH:] if REACH else [], list(after)[:REACH]
    return _repaired(frame, look_at(frame), [look_at(n) for n in before], [look_at(n) for n in after], strength)


def _repaired(frame: np.ndarray, look: Look, before: list[Look], after: list[Look], strength: float) -> np.ndarray:
    """:func:`repair_scratches_frame` with the frame and its neighbours already measured."""
    peak = full_scale(frame)
    luma, smooth, profiles = look.luma, look.smooth, look.profiles
    response = luma - smooth
    bands = row_bands(luma.shape[0])
    spreads_needed = CAUTIOUS_SPREADS + (EAGER_SPREADS - CAUTIOUS_SPREADS) * float(np.clip(strength, 0.0, 1.0))
    thresholds = np.maximum(spreads_needed * look.spreads, FAINTEST)
    lines = candidate_lines(profiles, thresholds, bands)
    if not lines:
        return frame.copy()
    persists, witnesses = _follow(lines, _wiped(luma, smooth, lines), thresholds, spreads_needed, before, after)
    # The strongest line first: once it is lifted, a scratch beside it no longer spoils the sides of the
    # next, and the false lines a pair of scratches makes between them (in the median) are gone.
    lifted, changed = luma.copy(), None
    for line in sorted(lines, key=lambda candidate: -candidate.peak):
        seen = witnesses[id(line)]
        if (before or after) and not persists[id(line)]:
            continue
        if changed:
            smooth, response, profiles = _looked_again(lifted, smooth, profiles, changed, bands)
            changed = None
        signed = line.sign * profiles[line.band]
        centre = int(round(line.centre))
        line = replace(line, peak=float(signed[max(centre - 1, 0) : centre + 2].max()))
        if line.peak <= thresholds[line.band]:
            continue
        if (before or after) and seen and np.mean(seen) >= MOVE_PX:
            scratch = _make(lifted, response, line)[1] >= MOVING_TWO_SIDED
        elif line.peak >= STATIC_STRICTNESS * thresholds[line.band]:
            steady, two_sided = _make(lifted, response, line)
            scratch = steady >= STATIC_STEADINESS and two_sided >= STATIC_TWO_SIDED
        else:
            scratch = False
        if scratch:
            changed = _lift(lifted, profiles[line.band], line, peak)
    change = lifted - luma
    # Below half a code value's worth the change could only add rounding: those pixels stay exact.
    touched = np.abs(change) * peak >= 0.5
    if not touched.any():
        return frame.copy()
    delta = change[touched]
    picture = frame.astype(np.float32) * np.float32(1 / peak)
    if picture.ndim == 3:
        delta = delta[:, None]
    return written(frame, touched, picture[touched] + delta)


def repair_scratches(
    frames: Iterable[np.ndarray], strength: float = 0.5, cancel: CancelToken | None = None
) -> Iterator[np.ndarray]:
    """Lift the vertical line scratches off one shot's frames, in order (``2 · REACH + 1`` frames held at a time).

    Parameters
    ----------
    frames
        The shot's frames, ``(H, W, 3)`` RGB or ``(H, W)`` luma, uint8 or uint16 (all alike).
    strength
        How eagerly lines are judged scratches: 0 cautious, 1 eager.
    cancel
        Checked once per frame.

    Yields
    ------
    numpy.ndarray
        Each frame with its scratches lifted, same shape and dtype.
    """
    # Each frame is measured once, as it enters the window, and its look reused for its neighbours.
    looked = ((frame, look_at(frame)) for frame in frames)
    for before, (frame, look), after in neighbourhoods(looked, REACH, cancel):
        yield _repaired(frame, look, [b[1] for b in before], [a[1] for a in after], strength)
