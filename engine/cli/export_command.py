"""``relume export INPUT --out PATH``: make a master or review copy from a media file or scan."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from engine.cli.probe_command import parse_rate
from engine.cli.progressbar import ProgressBar
from engine.errors import Cancelled, ProjectError, SettingsError
from engine.media.geometry import Fit, parse_size
from engine.media.presets import DEFAULT_PRESET, PRESETS
from engine.project.settings import SettingValue, parse_assignment
from engine.render.export import ExportRequest, export_master

PROJECT_SUFFIX = ".relume"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``export`` sub-command."""
    parser = subparsers.add_parser(
        "export",
        help="export a master (ProRes, DNxHR, FFV1, DPX/TIFF/EXR) or a review copy",
        description="Export INPUT (a media file or image sequence) as a master. It is written under a "
        "hidden temporary name beside --out, verified by reading it back, then renamed; a failure "
        "or Ctrl-C leaves nothing at --out. Presets:\n\n" + PRESETS.help_text(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("input", metavar="INPUT", help="media file or image sequence (scan.%%06d.dpx, scan.####.dpx, folder)")
    parser.add_argument("--out", required=True, metavar="PATH",
                        help="output file; for dpx/tiff/exr the folder that receives NAME.%%06d.EXT (+ NAME.wav)")
    parser.add_argument("--preset", metavar="NAME", help=f"master format (default {DEFAULT_PRESET}): {', '.join(PRESETS.names())}")
    parser.add_argument("--size", metavar="SIZE", help="uhd, dci4k, 2k, hd, source (default) or WIDTHxHEIGHT")
    parser.add_argument("--fit", metavar="MODE", help="pad (pillar/letterbox, default), crop or stretch")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing output")
    parser.add_argument("--set", dest="settings", action="append", default=[], metavar="KEY=VALUE",
                        help="a setting for this export (see `relume settings`), e.g. export.audio=false")
    parser.add_argument("--source-fps", metavar="RATE", help="frame rate of an image-sequence INPUT (default 24)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Export ``args.input`` to ``args.out``."""
    overrides = dict(parse_assignment(text) for text in args.settings)
    if Path(args.input).suffix.lower() == PROJECT_SUFFIX:
        raise ProjectError("exporting a project is not available yet; export its media file instead", args.input)
    request = _request(args, overrides)
    ignored = sorted(key for key in overrides if not key.startswith("export."))
    if ignored:
        print(f"relume: note: {', '.join(ignored)} take effect on a project's shots, not on a plain media file",
              file=sys.stderr)
    bar = ProgressBar(f"export {request.target.name}")
    try:
        with _sigterm_unwinds():
            result = export_master(request, progress=bar)
    finally:
        bar.close()
    for notice in result.notices:
        print(f"relume: note: {notice}", file=sys.stderr)
    return 0


def _request(args: argparse.Namespace, overrides: dict[str, SettingValue]) -> ExportRequest:
    """The export request from flags, falling back on ``--set export.*`` values; flags win."""
    preset = args.preset or str(overrides.get("export.preset") or DEFAULT_PRESET)
    PRESETS.get(preset)  # refuse an unknown name before anything else
    size_text = args.size or str(overrides.get("export.size") or "source")
    fit_text = args.fit or str(overrides.get("export.fit") or "pad")
    fps = overrides.get("export.fps")
    if fps not in (None, "source"):
        raise SettingsError("export.fps: changing the frame rate needs frame interpolation, which is not available yet")
    return ExportRequest(
        source=Path(args.input),
        target=Path(args.out),
        preset=preset,
        size=parse_size(size_text),
        fit=Fit.parse(fit_text),
        overwrite=args.overwrite,
        source_fps=parse_rate(args.source_fps) if args.source_fps else None,
        audio=bool(overrides.get("export.audio", True)),
    )


@contextmanager
def _sigterm_unwinds() -> Iterator[None]:
    """Turn SIGTERM into :class:`Cancelled` so the export unwinds and removes its temporary files."""

    def on_sigterm(signum: int, frame: FrameType | None) -> None:
        raise Cancelled("terminated (SIGTERM); nothing was left at the target")

    try:
        previous = signal.signal(signal.SIGTERM, on_sigterm)
    except ValueError:  # not the main thread: leave signals to whoever owns it
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
