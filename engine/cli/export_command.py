"""``relume export INPUT --out PATH``: make a master or review copy from a project, a media file or a scan.

A project (``.relume``) is rendered shot by shot with each shot's overrides,
in resumable segments (``--resume`` finishes an interrupted run). A bare media
file with ``--hints`` or a look setting (``--set restore.…``/``color.…``) is
rendered the same way as one shot; without them it goes straight from the
decoder to the writer.
"""

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
from engine.errors import Cancelled, SettingsError
from engine.media.geometry import Fit, parse_size
from engine.media.presets import DEFAULT_PRESET, PRESETS
from engine.project.settings import SettingValue, parse_assignment
from engine.render.export import ExportRequest, ExportResult, export_master
from engine.render.film_input import is_project_file

# Settings a plain media export honours without rendering stages.
_PLAIN_KEYS = frozenset({"export.preset", "export.size", "export.fit", "export.fps", "export.audio",
                         "upscale.upscaler"})


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``export`` sub-command."""
    parser = subparsers.add_parser(
        "export",
        help="export a master (ProRes, DNxHR, FFV1, DPX/TIFF/EXR) or a review copy",
        description="Export INPUT (a .relume project, a media file or an image sequence) as a master. A project "
        "is rendered shot by shot with each shot's overrides, in segments kept beside --out until the end, so "
        "--resume finishes an export that was killed. The master is written under a hidden temporary name "
        "beside --out, verified by reading it back, then renamed; a failure or Ctrl-C leaves nothing at --out. "
        "Presets:\n\n" + PRESETS.help_text(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("input", metavar="INPUT",
                        help="project (.relume), media file or image sequence (scan.%%06d.dpx, scan.####.dpx, folder)")
    parser.add_argument("--out", required=True, metavar="PATH",
                        help="output file; for dpx/tiff/exr the folder that receives NAME.%%06d.EXT (+ NAME.wav)")
    parser.add_argument("--preset", metavar="NAME", help=f"master format (default {DEFAULT_PRESET}): {', '.join(PRESETS.names())}")
    parser.add_argument("--size", metavar="SIZE", help="uhd, dci4k, 2k, hd, source (default) or WIDTHxHEIGHT")
    parser.add_argument("--fit", metavar="MODE", help="pad (pillar/letterbox, default), crop or stretch")
    parser.add_argument("--upscaler", metavar="NAME", help="how an enlarged picture is made: relume (the built-in "
                        "network, default when the size grows), lanczos (plain resampling, fastest), bicubic, "
                        "or a model file (.safetensors/.pth: Relume's own, or ESRGAN, Real-ESRGAN, SwinIR, HAT, SPAN … read by "
                        "spandrel, weights only); sets upscale.upscaler")
    parser.add_argument("--fps", metavar="RATE", help="master frame rate: 48, 50, 60, 60000/1001 … or source "
                        "(default); a higher rate invents in-between frames shot by shot (interp.enabled), "
                        "a changed rate renders INPUT as a film; sets export.fps")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing output")
    parser.add_argument("--set", dest="settings", action="append", default=[], metavar="KEY=VALUE",
                        help="a setting for this export, over every shot's own (see `relume settings --schema`), "
                        "e.g. restore.deflicker.enabled=true or export.audio=false")
    parser.add_argument("--source-fps", metavar="RATE", help="frame rate of an image-sequence INPUT (default 24)")
    parser.add_argument("--hints", metavar="FILE", help="color hints (JSON, see the manual) added to INPUT's shots")
    parser.add_argument("--cuts", metavar="FILE", help="shots of a media-file INPUT rendered with stages: an EDL "
                        "(.edl) or OpenTimelineIO (.otio) cut list, or none for one shot (default: detected, "
                        "with the cuts.* settings)")
    parser.add_argument("--resume", action="store_true",
                        help="finish an interrupted export of the same INPUT to the same --out, "
                        "keeping its finished segments")
    parser.add_argument("--device", metavar="NAME", help="torch device for the stages: cuda, cuda:1, mps, cpu "
                        "(default: CUDA when present, else the CPU)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Export ``args.input`` to ``args.out``."""
    overrides = dict(parse_assignment(text) for text in args.settings)
    if args.upscaler:
        overrides["upscale.upscaler"] = parse_assignment(f"upscale.upscaler={args.upscaler}")[1]
    if args.fps:
        overrides["export.fps"] = parse_assignment(f"export.fps={args.fps}")[1]
    looks = any(key not in _PLAIN_KEYS for key in overrides)
    retimes = overrides.get("export.fps") not in (None, "source")
    renders = is_project_file(args.input) or bool(args.hints) or args.resume or looks or retimes
    bar = ProgressBar(f"export {Path(args.out).name}")
    try:
        with _sigterm_unwinds():
            result = _export_film(args, overrides, bar) if renders else _export_plain(args, overrides, bar)
    finally:
        bar.close()
    for notice in result.notices:
        print(f"relume: note: {notice}", file=sys.stderr)
    return 0


def _export_plain(args: argparse.Namespace, overrides: dict[str, SettingValue], bar: ProgressBar) -> ExportResult:
    """A media file straight from the decoder to the writer."""
    return export_master(_request(args, overrides), progress=bar)


def _export_film(args: argparse.Namespace, overrides: dict[str, SettingValue], bar: ProgressBar) -> ExportResult:
    """A project (or a media file taken as one shot) rendered shot by shot, resumable."""
    from engine.render.film_export import FilmExport, export_film
    from engine.render.film_input import open_film

    if args.source_fps:
        raise SettingsError("--source-fps applies to image sequences exported without stages")
    flags = {"export.preset": args.preset, "export.size": args.size, "export.fit": args.fit}
    for key, text in flags.items():
        if text:
            overrides[key] = parse_assignment(f"{key}={text}")[1]
    project = open_film(args.input, args.hints, cuts=args.cuts, detection=overrides, progress=bar)
    request = FilmExport(Path(args.out), overrides, args.overwrite, args.resume, args.device)
    return export_film(project, request, progress=bar)


def _request(args: argparse.Namespace, overrides: dict[str, SettingValue]) -> ExportRequest:
    """The export request from flags, falling back on ``--set export.*`` values; flags win."""
    preset = args.preset or str(overrides.get("export.preset") or DEFAULT_PRESET)
    PRESETS.get(preset)  # refuse an unknown name before anything else
    size_text = args.size or str(overrides.get("export.size") or "source")
    fit_text = args.fit or str(overrides.get("export.fit") or "pad")
    return ExportRequest(
        source=Path(args.input),
        target=Path(args.out),
        preset=preset,
        size=parse_size(size_text),
        fit=Fit.parse(fit_text),
        overwrite=args.overwrite,
        source_fps=parse_rate(args.source_fps, "--source-fps") if args.source_fps else None,
        audio=bool(overrides.get("export.audio", True)),
        upscaler=str(overrides.get("upscale.upscaler", "auto")),
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
