"""``relume cuts INPUT [--json] [--edl PATH] [--otio PATH] [--project PATH]``: the shots of a film."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from engine.cli.probe_command import parse_rate
from engine.cli.progressbar import ProgressBar
from engine.cuts import DEFAULT_MIN_SHOT_FRAMES, DEFAULT_SENSITIVITY, CutList, detect_cuts
from engine.cuts.edl import write_edl
from engine.cuts.into_project import with_detected_shots
from engine.cuts.otio_exchange import write_otio
from engine.errors import SettingsError
from engine.media.atomic import check_target
from engine.media.frame_rate import timecode
from engine.media.new_project import project_for_media
from engine.project.io import save_project


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``cuts`` sub-command."""
    parser = subparsers.add_parser(
        "cuts",
        help="find the shots of a film: cuts, dissolves and fades",
        description="Find the cuts, dissolves and fades of a film (black-and-white archival or color), "
        "print them, and optionally write a CMX 3600 EDL and an OpenTimelineIO timeline.",
    )
    parser.add_argument("input", metavar="INPUT", help="media file, or image sequence (scan.%%06d.dpx, folder)")
    parser.add_argument("--json", action="store_true", help="print the cut list as JSON")
    parser.add_argument("--edl", metavar="PATH", help="also write a CMX 3600 EDL here")
    parser.add_argument("--otio", metavar="PATH", help="also write an OpenTimelineIO timeline (.otio) here")
    parser.add_argument(
        "--min-shot", metavar="FRAMES", type=int, default=DEFAULT_MIN_SHOT_FRAMES,
        help=f"shortest shot in frames (default {DEFAULT_MIN_SHOT_FRAMES})",
    )
    parser.add_argument(
        "--sensitivity", metavar="0-1", type=float, default=DEFAULT_SENSITIVITY,
        help=f"higher finds more, weaker cuts (default {DEFAULT_SENSITIVITY})",
    )
    parser.add_argument("--fps", metavar="RATE", help="frame rate to use (sequences default to 24)")
    parser.add_argument("--project", metavar="PATH",
                        help="also write a new .relume project of INPUT with the detected shots")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing --project file")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Detect the shots of ``args.input`` and report or export them."""
    if args.min_shot < 1:
        raise SettingsError(f"--min-shot {args.min_shot} must be at least 1 frame")
    if not 0.0 <= args.sensitivity <= 1.0:
        raise SettingsError(f"--sensitivity {args.sensitivity} must be between 0 and 1")
    source = Path(args.input)
    # Refuse a bad output before spending minutes on detection.
    for target in (args.edl, args.otio):
        if target:
            check_target(target, overwrite=True, protect=(source,))
    if args.project:
        check_target(args.project, overwrite=args.overwrite, protect=(source,))
    bar = ProgressBar("cuts")
    try:
        found = detect_cuts(
            source,
            fps=parse_rate(args.fps) if args.fps else None,
            min_shot_frames=args.min_shot,
            sensitivity=args.sensitivity,
            progress=bar,
        )
    finally:
        bar.close()
    if args.edl:
        write_edl(found, args.edl, clip_name=source.name, protect=(source,))
    if args.otio:
        write_otio(found, args.otio, media=source, protect=(source,))
    if args.project:
        _write_project(source, found, Path(args.project), args.fps)
    if args.json:
        json.dump(found.to_json(), sys.stdout)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(listing(found))
    return 0


def _write_project(source: Path, found: CutList, target: Path, fps: str | None) -> None:
    project = project_for_media(source, parse_rate(fps) if fps else None)
    save_project(with_detected_shots(project, found), target)


def listing(found: CutList) -> str:
    """The shots one per line, as a restorer reads them."""
    lines = [f"{len(found.shots())} shots in {found.frames} frames at {_rate(found)} fps"]
    confidence = {c.frame: c.confidence for c in found.cuts}
    for number, (first, stop) in enumerate(found.shots(), 1):
        how = ""
        t = found.transition_at(first) if first else None
        if t is not None:
            how = f"  {t.kind} {t.start}–{t.end} ({t.frames} frames)"
        elif first:
            how = "  cut"
        sure = f"  confidence {confidence[first]:.2f}" if first in confidence else ""
        lines.append(
            f"shot {number:3d}  frames {first:6d}–{stop - 1:<6d}  {timecode(first, found.fps)}  "
            f"{stop - first:5d} frames{how}{sure}"
        )
    return "\n".join(lines) + "\n"


def _rate(found: CutList) -> str:
    fps = found.fps
    return str(fps.numerator) if fps.denominator == 1 else f"{fps.numerator}/{fps.denominator} ({float(fps):.3f})"
