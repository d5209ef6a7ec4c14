"""``relume probe INPUT [--json] [--fps RATE]``: what Relume sees in a file or image sequence."""

from __future__ import annotations

import argparse
import json
import sys
from fractions import Fraction

from engine.errors import SettingsError
from engine.media.probe import probe
from engine.media.types import MediaInfo


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``probe`` sub-command."""
    parser = subparsers.add_parser(
        "probe",
        help="describe a media file or image sequence",
        description="Describe a media file or image sequence: exact frame count, fps, size, "
        "pixel aspect, bit depth, color tags, field order, timecode, audio and notices.",
    )
    parser.add_argument("input", metavar="INPUT", help="media file, or image sequence (scan.%%06d.dpx, scan.####.dpx, folder)")
    parser.add_argument("--json", action="store_true", help="print the facts as JSON")
    parser.add_argument("--fps", metavar="RATE", help="frame rate to use (e.g. 24, 24000/1001, 23.976); sequences default to 24")
    parser.set_defaults(run=run)


def parse_rate(text: str, flag: str = "--fps") -> Fraction:
    """A frame rate from ``24``, ``24000/1001`` or ``23.976`` (the usual NTSC decimals map to x000/1001).

    ``flag`` names the option in the message when ``text`` is not a rate.

    Raises
    ------
    SettingsError
        Not a positive number.
    """
    try:
        rate = Fraction(text)
    except (ValueError, ZeroDivisionError) as exc:
        raise SettingsError(f"{flag} {text!r} is not a frame rate (try 24, 25 or 24000/1001)") from exc
    if rate <= 0:
        raise SettingsError(f"{flag} {text!r} must be positive")
    if "/" not in text and rate.denominator != 1:
        ntsc = Fraction(round(rate * 1001 / 1000) * 1000, 1001)
        if abs(float(ntsc - rate)) < 0.002:
            return ntsc
    return rate


def run(args: argparse.Namespace) -> int:
    """Print the probe of ``args.input``."""
    info = probe(args.input, parse_rate(args.fps) if args.fps else None)
    if args.json:
        json.dump(info.to_json(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(summary(info))
    return 0


def summary(info: MediaInfo) -> str:
    """A few readable lines describing ``info``."""
    fps = info.fps if info.fps.denominator == 1 else f"{info.fps} ({float(info.fps):.3f})"
    lines = [
        f"{info.path}",
        f"  container    {info.container}, {info.codec}",
        f"  picture      {info.width}×{info.height}, SAR {info.sar}, DAR {info.dar}, {info.field_order}",
        f"  frames       {info.frame_count} at {fps} fps ({info.duration_seconds:.3f} s)",
        f"  pixels       {info.pix_fmt}, {info.bit_depth}-bit",
        "  color        " + ", ".join(
            f"{k} {v}" for k, v in (("primaries", info.color_primaries), ("transfer", info.color_transfer),
                                   ("matrix", info.color_space), ("range", info.color_range)) if v
        ) if any((info.color_primaries, info.color_transfer, info.color_space, info.color_range)) else "  color        untagged",
    ]
    if info.start_timecode:
        lines.append(f"  timecode     {info.start_timecode}")
    for audio in info.audio:
        seconds = f", {audio.duration_seconds:.3f} s" if audio.duration_seconds is not None else ""
        lines.append(f"  audio #{audio.index}     {audio.codec}, {audio.sample_rate} Hz, {audio.layout or audio.channels}{seconds}")
    lines.extend(f"  notice       {notice}" for notice in info.notices)
    return "\n".join(lines) + "\n"
