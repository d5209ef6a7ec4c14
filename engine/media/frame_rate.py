"""Exact frame rates from packet timestamps: constant, or variable mapped to constant.

Containers store rates approximately (Matroska keeps milliseconds) and some
capture tools write variable frame rate. Relume works in frame indices at one
constant rate, so the rate is read from the timestamps, snapped to what the
container declares or to a standard rate, and kept as an exact fraction.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

STANDARD_RATES: tuple[Fraction, ...] = tuple(
    Fraction(r)
    for r in (
        Fraction(24000, 1001), 24, 25, Fraction(30000, 1001), 30, Fraction(48000, 1001), 48, 50,
        Fraction(60000, 1001), 60, 16, 18, 20, 22, 12, 15, 72, 96, 100, Fraction(120000, 1001), 120,
    )
)


@dataclass(frozen=True, slots=True)
class RateReading:
    """The constant rate chosen for a stream and how it was found.

    Attributes
    ----------
    fps
        Exact constant rate.
    variable
        Whether the timestamps show a variable frame rate that was mapped to ``fps``.
    mean_fps
        Average rate of the timestamps (``None`` with fewer than two frames).
    """

    fps: Fraction
    variable: bool
    mean_fps: float | None


def read_frame_rate(
    pts: Sequence[int], time_base: Fraction, declared: Sequence[Fraction | None]
) -> RateReading:
    """Find the constant rate of a stream from its frame timestamps.

    Parameters
    ----------
    pts
        Presentation timestamps of every frame, ascending.
    time_base
        Seconds per timestamp unit.
    declared
        Rates the container states, most trusted first (``None`` entries ignored).

    Returns
    -------
    RateReading
        A declared or standard rate that every frame duration matches to within
        one timestamp tick (constant), else the standard rate nearest to the
        average (variable).
    """
    candidates = [nearest_standard_rate(Fraction(r)) for r in declared if r] + list(STANDARD_RATES)
    if len(pts) < 2 or not time_base:
        return RateReading(candidates[0] if declared and declared[0] else Fraction(24), False, None)
    durations = [b - a for a, b in zip(pts, pts[1:])]
    mean = Fraction(len(durations)) / ((pts[-1] - pts[0]) * time_base)
    for rate in candidates:
        ticks = 1 / (rate * time_base)
        # One tick of slack: millisecond time bases round 41.708 ms to 41 or 42.
        if all(abs(d - ticks) <= 1 for d in durations) and abs(mean / rate - 1) < Fraction(1, 200):
            return RateReading(rate, False, float(mean))
    nearest = min(STANDARD_RATES, key=lambda r: abs(math.log(float(r) / float(mean))))
    return RateReading(nearest, True, float(mean))


def drop_frame(fps: Fraction) -> bool:
    """Whether timecode at ``fps`` is counted drop-frame (29.97 and 59.94)."""
    return fps.denominator == 1001 and fps.numerator in (30000, 60000)


def nearest_standard_rate(rate: Fraction) -> Fraction:
    """``rate``, or the standard rate it approximates: Matroska declares 60000/1001 as 19001/317."""
    nearest = min(STANDARD_RATES, key=lambda r: abs(r - rate))
    return nearest if abs(nearest / rate - 1) < Fraction(1, 5000) else rate


def retimed_timecode(code: str, source: Fraction, target: Fraction) -> str:
    """The start timecode ``code`` (counted at ``source`` fps) on a master at ``target`` fps.

    The hours, minutes and seconds of the label stay — a reel that starts at
    01:00:00:00 starts there at any rate, as a conform expects — and the frames
    are scaled between the nominal rates: 01:00:00:12 at 24 fps is 01:00:00:24
    at 48. At a drop-frame rate (29.97, 59.94) the separator is ``;`` and a
    label that drop-frame counting skips moves to the next one that exists.
    """
    fields = code.replace(";", ":").replace(".", ":").split(":")
    hours, minutes, seconds, frames = (int(f) for f in fields)
    nominal_source, nominal_target = round(source), round(target)
    frames = min(nominal_target - 1, frames * nominal_target // nominal_source)
    drop = drop_frame(target)
    skipped = nominal_target // 15  # labels 0–1 (29.97) or 0–3 (59.94) of most minutes
    if drop and seconds == 0 and minutes % 10 != 0 and frames < skipped:
        frames = skipped
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{';' if drop else ':'}{frames:02d}"


def timecode(frame: int, fps: Fraction) -> str:
    """The timecode of ``frame`` at ``fps`` (``;`` before the frames when drop-frame)."""
    from opentimelineio import opentime

    return opentime.to_timecode(opentime.RationalTime(frame, float(fps)), float(fps), drop_frame(fps))


def frame_of(code: str, fps: Fraction) -> int:
    """The frame a timecode names at ``fps`` (drop-frame when written with ``;``)."""
    from opentimelineio import opentime

    return round(opentime.from_timecode(code.replace(".", ":"), float(fps)).value)


def timecodes(start: str, count: int, fps: Fraction) -> list[str]:
    """The labels of ``count`` frames from the timecode ``start``, counted at ``fps``.

    Drop-frame (``;`` before the frames) at 29.97 and 59.94, whatever separator
    ``start`` was written with, as :func:`retimed_timecode` labels such masters.
    """
    fields = start.replace(";", ":").replace(".", ":")
    if drop_frame(fps):
        fields = fields[:8] + ";" + fields[9:]
    first = frame_of(fields, fps)
    return [timecode(first + i, fps) for i in range(count)]
