"""What a DPX file's header says about time: its timecode and frame rate, read and written.

Film scanners write both into every DPX file (SMPTE 268M): the television
header's time code (eight BCD digits, HHMMSSFF) and frame rate, and the film
header's frame rate of the original. FFmpeg's DPX decoder, as PyAV bundles it,
reads neither, so an archive's scan would lose its place on the reel and fall
back to an assumed rate. Its encoder writes neither either (zeros), so Relume
stamps each frame of a DPX master with its own timecode and the master's rate,
as a conform expects of a scan. Fields left undefined hold all ones.
"""

from __future__ import annotations

import math
import os
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from engine.errors import OutputError
from engine.media.frame_rate import nearest_standard_rate, timecodes

_MAGIC_BIG, _MAGIC_LITTLE = b"SDPX", b"XPDS"
_FILM_FRAME_RATE = 1724  # float32, frames per second of the original film
_TV_TIME_CODE = 1920  # uint32, BCD HHMMSSFF
_TV_FRAME_RATE = 1940  # float32, temporal sampling rate
_HEADER_BYTES = 2048
_UNDEFINED = 0xFFFFFFFF


@dataclass(frozen=True, slots=True)
class DpxTime:
    """The time facts of one DPX file's header.

    Attributes
    ----------
    timecode
        ``HH:MM:SS:FF``, or ``None`` when the header leaves it undefined.
    fps
        Frame rate (the film header's, else the television header's), snapped
        to a standard rate when it is one to four decimals; ``None`` when undefined.
    """

    timecode: str | None
    fps: Fraction | None


def read_dpx_time(path: str | os.PathLike[str]) -> DpxTime:
    """The timecode and frame rate in the header of the DPX file ``path`` (``None`` where undefined or unreadable)."""
    try:
        with open(path, "rb") as file:
            header = file.read(_HEADER_BYTES)
    except OSError:
        return DpxTime(None, None)
    if len(header) < _HEADER_BYTES or header[:4] not in (_MAGIC_BIG, _MAGIC_LITTLE):
        return DpxTime(None, None)
    order = ">" if header[:4] == _MAGIC_BIG else "<"
    (code,) = struct.unpack_from(order + "I", header, _TV_TIME_CODE)
    rates = [struct.unpack_from(order + "f", header, at)[0] for at in (_FILM_FRAME_RATE, _TV_FRAME_RATE)]
    fps = next((_rate(r) for r in rates if math.isfinite(r) and 1 <= r <= 1000), None)
    return DpxTime(_bcd_timecode(code), fps)


def _bcd_timecode(code: int) -> str | None:
    # FFmpeg's encoder writes zeros where a scanner writes the reel's time: zero says nothing.
    if code in (_UNDEFINED, 0):
        return None
    digits = [(code >> shift) & 0xF for shift in range(28, -4, -4)]
    if any(d > 9 for d in digits):
        return None
    hours, minutes, seconds, frames = (10 * digits[i] + digits[i + 1] for i in range(0, 8, 2))
    if hours > 23 or minutes > 59 or seconds > 59:
        return None
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}:{frames:02d}"


def _rate(value: float) -> Fraction:
    """A header's float rate as an exact one: 23.976 is 24000/1001, 25.0 is 25."""
    return nearest_standard_rate(Fraction(value).limit_denominator(1001))


def stamp_dpx_sequence(folder: Path, names: Sequence[str], start_timecode: str | None, fps: Fraction) -> None:
    """Write into every frame file of a DPX sequence its timecode and the sequence's rate.

    Frame ``i`` (of ``names``, in order) is labelled ``start_timecode`` plus
    ``i`` frames, counted at ``fps`` (drop-frame at 29.97 and 59.94); both
    headers' frame rates are ``fps``. Without a start timecode only the rates
    are written.

    Raises
    ------
    OutputError
        A frame file is not a DPX file or cannot be written.
    """
    labels = timecodes(start_timecode, len(names), fps) if start_timecode else [None] * len(names)
    for name, label in zip(names, labels):
        path = folder / name
        try:
            with open(path, "r+b") as file:
                magic = file.read(4)
                if magic not in (_MAGIC_BIG, _MAGIC_LITTLE):
                    raise OutputError("is not a DPX file, so its timecode cannot be written", path)
                order = ">" if magic == _MAGIC_BIG else "<"
                if label is not None:
                    file.seek(_TV_TIME_CODE)
                    file.write(struct.pack(order + "I", _bcd(label)))
                for offset in (_FILM_FRAME_RATE, _TV_FRAME_RATE):
                    file.seek(offset)
                    file.write(struct.pack(order + "f", float(fps)))
        except OSError as exc:
            raise OutputError(f"its timecode cannot be written ({exc.strerror or exc})", path) from exc


def _bcd(label: str) -> int:
    """``HH:MM:SS:FF`` (or ``;`` before the frames) as eight BCD digits."""
    digits = label.replace(";", "").replace(":", "")
    return int(digits, 16)  # each decimal digit becomes one nibble
