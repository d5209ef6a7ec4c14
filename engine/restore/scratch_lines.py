"""Candidate line scratches: thin vertical lines that stand out of both sides, found band by band.

The frame's luma less a horizontal median ``HIGHPASS_PX`` wide
keeps only what is narrower than half that median and stands out of *both*
sides: a step edge (a door frame, the side of a lamp post against a wall)
passes through a median untouched. That line response is averaged down each
column over tall bands of rows (``BAND_ROWS``; the mean of the middle half, so
detail crossing the column does not count), and a column standing out of its
band's profile by more than a few robust spreads (the median absolute deviation
across the columns: grain, compression and texture set the bar, a dozen
scratches do not) and at most ``WIDEST_PX`` wide is a candidate line.

:mod:`engine.restore.scratches` tells the scratches among them from lines of the
scene, and lifts them off.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from engine.restore.pixels import full_scale, luma_of

# Width of the horizontal median the line response is measured against (px):
# lines up to about half as wide stand out of it; steps do not.
HIGHPASS_PX = 15
# Rows in a band down which a column's line response is taken as a median; a
# short frame is one band.
BAND_ROWS = 64
# The least spread assumed (0–1 scale): on clean digital footage a line must
# still stand out by a few codes.
SPREAD_FLOOR = 0.75 / 255
# A line stands out by at least this much regardless of spread (0–1 scale).
FAINTEST = 6 / 255
# Lines centred this close to the frame's side are not taken: the dark or light
# edge a scan leaves there looks like one, and one side holds nothing to fill from (px).
SIDE_MARGIN_PX = 3
# The widest scratch (columns standing out by half the peak, px).
WIDEST_PX = 6
# How far a scratch may drift from one frame to the next (px).
DRIFT_PX = 1.5
# In a neighbour a line is present when it stands out by this share of its peak in
# the frame (a scratch's strength wavers a little from frame to frame) and of the
# frame's threshold.
PRESENT_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class Line:
    """A candidate line: its band (index, rows), centre column (sub-pixel), sign (+1 light, −1 dark) and peak."""

    band: int
    rows: slice
    centre: float
    sign: int
    peak: float


@dataclass(frozen=True, slots=True)
class Look:
    """What a picture shows of its lines: its luma (0–1), horizontal median, band profiles and their spreads."""

    luma: np.ndarray
    smooth: np.ndarray
    profiles: np.ndarray
    spreads: np.ndarray


def look_at(frame: np.ndarray) -> Look:
    """Measure a frame's lines once (the stream reuses it for each frame it is a neighbour of)."""
    scale = np.float32(1 / full_scale(frame))
    luma = luma_of(frame.astype(np.float32) * scale)
    smooth = horizontal_median(luma)
    return Look(luma, smooth, *band_profiles(luma - smooth, row_bands(luma.shape[0])))


def row_bands(height: int) -> list[slice]:
    """The frame's rows cut into bands of about ``BAND_ROWS``."""
    count = max(1, height // BAND_ROWS)
    edges = np.linspace(0, height, count + 1).round().astype(int)
    return [slice(int(a), int(b)) for a, b in zip(edges, edges[1:])]


def horizontal_median(luma: np.ndarray) -> np.ndarray:
    """Each pixel's median over ``HIGHPASS_PX`` columns of its row (mirrored at the frame's sides)."""
    half = HIGHPASS_PX // 2
    rows = sliding_window_view(np.pad(luma, ((0, 0), (half, half)), mode="symmetric"), HIGHPASS_PX, axis=1)
    return np.partition(rows, half, axis=-1)[..., half]


def band_profiles(response: np.ndarray, bands: list[slice]) -> tuple[np.ndarray, np.ndarray]:
    """Each band's column profile and its spread across the columns.

    The profile is the mean of the middle half of each column's line response
    down the band: robust to detail crossing the column, and less noisy (and
    not stuck to code values) than a median. The spread is the profile's median
    absolute deviation, as a Gaussian spread: a heavily scratched print may have
    a line in every few columns, and they must not set their own bar.
    """
    profiles = []
    for band in bands:
        rows = np.sort(response[band], axis=0)
        quarter = rows.shape[0] // 4
        profiles.append(rows[quarter : rows.shape[0] - quarter].mean(axis=0))
    profiles = np.stack(profiles)
    centred = np.abs(profiles - np.median(profiles, axis=1, keepdims=True))
    spreads = np.maximum(np.median(centred, axis=1) / 0.6745, SPREAD_FLOOR)
    return profiles, spreads


def _peak_at(signed: np.ndarray, column: int) -> float:
    """The sub-pixel centre of the line peaking at ``column`` of a signed profile.

    The centroid of the columns around it that stand out by half the peak: steadier than the top
    alone when a line is broad or has two crests.
    """
    half = 0.5 * signed[column]
    start, end = column, column
    while start > 0 and signed[start - 1] >= half:
        start -= 1
    while end < len(signed) - 1 and signed[end + 1] >= half:
        end += 1
    weights = signed[start : end + 1] - half
    if weights.sum() <= 0:
        return float(column)
    return float(np.dot(np.arange(start, end + 1), weights) / weights.sum())


def candidate_lines(profiles: np.ndarray, thresholds: np.ndarray, bands: list[slice]) -> list[Line]:
    """The thin lines standing out of each band's profile by more than its threshold."""
    lines = []
    for index, (profile, threshold, band) in enumerate(zip(profiles, thresholds, bands)):
        for sign in (1, -1):
            signed = sign * profile
            above = signed > threshold
            starts = np.flatnonzero(above & ~np.r_[False, above[:-1]])
            ends = np.flatnonzero(above & ~np.r_[above[1:], False])
            for start, end in zip(starts, ends):
                column = int(start + np.argmax(signed[start : end + 1]))
                if not SIDE_MARGIN_PX <= column < len(profile) - SIDE_MARGIN_PX:
                    continue
                peak = float(signed[column])
                around = signed[max(column - WIDEST_PX, 0) : column + WIDEST_PX + 1]
                if np.count_nonzero(around >= 0.5 * peak) > WIDEST_PX:
                    continue  # a broad bright or dark stripe is picture, not a scratch
                lines.append(Line(index, band, _peak_at(signed, column), sign, peak))
    return lines


def presence(line: Line, profile: np.ndarray, threshold: float, frames_off: int) -> float | None:
    """Where ``line`` lies in the profile of its band in a neighbour ``frames_off`` away (sub-pixel column).

    The nearest peak of the same sign within the drift a scratch may make in that time, if it stands out
    enough; ``None`` if there is none.
    """
    drift = DRIFT_PX * frames_off
    low = max(int(np.floor(line.centre - drift)), 1)
    high = min(int(np.ceil(line.centre + drift)), len(profile) - 2)
    signed = line.sign * profile
    columns = np.arange(low, high + 1)
    if not columns.size:
        return None
    peaks = columns[(signed[columns] >= signed[columns - 1]) & (signed[columns] >= signed[columns + 1])]
    peaks = peaks[signed[peaks] >= PRESENT_SHARE * max(threshold, line.peak)]
    if not peaks.size:
        return None
    centres = np.array([_peak_at(signed, int(c)) for c in peaks])
    nearest = centres[np.argmin(np.abs(centres - line.centre))]
    return float(nearest) if abs(nearest - line.centre) <= drift else None
