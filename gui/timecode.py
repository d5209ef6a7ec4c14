"""Frame index ↔ timecode, for display and for the "go to" field only.

Time inside Relume is a frame index; a timecode is a label at the edge. Labels
are non-drop-frame at the nominal rate (30 for 30000/1001), the convention of
film transfers and of most archive logs.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

_TIMECODE = re.compile(r"^\s*(\d{1,2})[:;.](\d{1,2})[:;.](\d{1,2})[:;.](\d{1,3})\s*$")


def nominal_rate(fps: Fraction) -> int:
    """The whole number of frames a timecode second counts (30 for 29.97)."""
    return max(1, math.ceil(fps - Fraction(1, 1000)))


def format_timecode(frame: int, fps: Fraction) -> str:
    """``HH:MM:SS:FF`` of ``frame`` (non-drop-frame, nominal rate)."""
    rate = nominal_rate(fps)
    seconds, ff = divmod(max(0, frame), rate)
    minutes, ss = divmod(seconds, 60)
    hh, mm = divmod(minutes, 60)
    return f"{hh:02d}:{mm:02d}:{ss:02d}:{ff:02d}"


def parse_position(text: str, fps: Fraction) -> int:
    """A frame index from what the restorer typed: ``1234`` or ``00:00:49:09``.

    Raises
    ------
    ValueError
        The text is neither a frame number nor a timecode, or its frames field
        is not below the rate.
    """
    text = text.strip()
    if text.isdigit():
        return int(text)
    match = _TIMECODE.match(text)
    if match is None:
        raise ValueError(f"{text!r} is neither a frame number nor a timecode HH:MM:SS:FF")
    hh, mm, ss, ff = (int(g) for g in match.groups())
    rate = nominal_rate(fps)
    if ff >= rate or mm >= 60 or ss >= 60:
        raise ValueError(f"{text!r} is not a valid timecode at {rate} frames per second")
    return ((hh * 60 + mm) * 60 + ss) * rate + ff
