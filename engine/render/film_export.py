"""Export a whole project: every shot with its own look, in resumable, verified segments.

The film is cut at shot boundaries into segments (a shot is the unit of every
temporal stage, so nothing is lost at a segment edge). Each segment is decoded,
run through its shot's stages and encoded as an intra-only chunk in a hidden
folder beside the target (:mod:`engine.render.segments`); the chunks are then
joined losslessly (:mod:`engine.render.join`) into a temporary file beside the
target, read back and verified, and renamed into place. Memory holds a few
frames of one shot whatever the film's length.

A crash or a kill leaves nothing at the target and the finished segments in
their folder; the same export with ``resume=True`` renders only the rest, and
its master equals an uninterrupted export's frame for frame. Cancelling through
the cancel token removes the segments too: the restorer asked to stop, not to
pause.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import partial
from pathlib import Path

import numpy as np

from engine.errors import Cancelled, MediaError, ProjectError
from engine.media.atomic import atomic_outputs, check_target, remove_path
from engine.media.audio import AudioCarrier, picture_start_seconds, write_sidecar_wav
from engine.media.frame_rate import retimed_timecode
from engine.media.geometry import Fit, parse_size
from engine.media.presets import PRESETS, Preset
from engine.media.source import open_source
from engine.media.types import FrameSource, MediaInfo
from engine.media.verify import Expectation, check_master, inspect_master, inspect_sequence
from engine.media.writer import MasterSpec, MasterWriter, sequence_frame_name
from engine.progress import CancelToken, ProgressCallback, ProgressMeter
from engine.project.media_ref import content_hash
from engine.project.model import Project
from engine.project.relinking import check_media
from engine.project.settings import SettingValue
from engine.render.export import (
    ExportRequest,
    ExportResult,
    master_spec,
    renders_on_cpu,
    resolve_target,
    sidecar_paths,
    stamp_sequence_time,
    verify_master,
)
from engine.render.interp_stage import FilmRetiming, film_retiming
from engine.render.join import join_by_copy, join_by_encoding, join_sequence
from engine.render.pipeline import StageContext, StageRegistry, default_stages
from engine.render.segments import Segment, SegmentStore
from engine.render.spec import ShotRender, plan_film
from engine.render.upscale_stage import writer_spec

# Segments of long-GOP review copies are lossless FFV1, encoded once more at the join.
INTERMEDIATE_PRESET = "ffv1"
INTERMEDIATE_EXTENSION = ".mkv"


@dataclass(frozen=True, slots=True)
class FilmExport:
    """One export of a project, as the restorer asked for it.

    Attributes
    ----------
    target
        Output file, or the folder of an image sequence.
    overrides
        ``--set`` values for this export (any setting, shot settings included:
        an export override wins over every shot's own).
    overwrite
        Whether an existing target may be replaced.
    resume
        Keep the finished segments of an interrupted run of the same export.
    device
        Torch device for the stages (CUDA when present when ``None``).
    """

    target: Path
    overrides: Mapping[str, SettingValue] = field(default_factory=dict)
    overwrite: bool = False
    resume: bool = False
    device: str | None = None


def _intermediate(spec: MasterSpec) -> MasterSpec:
    """The lossless intra-only chunk format for segments of a long-GOP review copy."""
    return MasterSpec(PRESETS.get(INTERMEDIATE_PRESET), spec.placement, spec.fps, spec.source_bit_depth)


def _job(media: Path, spec: MasterSpec, target: Path) -> dict[str, object]:
    """What identifies the deliverable, for refusing to resume into another one."""
    size, digest = content_hash(media)
    p = spec.placement
    return {
        "version": 1,
        "media": {"size": size, "hash": digest},
        "preset": spec.preset.name,
        "pix_fmt": spec.pix_fmt,
        "placement": [p.crop_x, p.crop_y, p.crop_width, p.crop_height, p.scaled_width, p.scaled_height,
                      p.pad_x, p.pad_y, p.out_width, p.out_height, str(p.sar)],
        "fps": str(spec.fps),
        "target": target.name,
    }


def export_film(
    project: Project,
    request: FilmExport,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    stages: StageRegistry | None = None,
) -> ExportResult:
    """Export ``project`` as ``request`` asks.

    Parameters
    ----------
    project
        The film, its cuts and every shot's decisions.
    request
        Target, export overrides, overwrite and resume.
    progress
        Reports: "rendering" (frames of unfinished segments), "joining", "verifying".
    cancel
        Checked before every frame; cancelling removes the target's temporary
        files and the segments.
    stages
        The stage registry (:func:`~engine.render.pipeline.default_stages` when ``None``).

    Raises
    ------
    RelumeError
        ``ProjectError`` (media missing or changed), ``SettingsError`` (bad
        value, a stage this build lacks, a rate change), ``OutputError``
        (target exists, folder unwritable, leftover segments without resume,
        failed verification), ``MediaError``, ``Cancelled``.
    """
    registry = stages if stages is not None else default_stages()
    export = project.export_settings(request.overrides)
    preset = PRESETS.get(str(export["export.preset"]))
    target = resolve_target(request.target, preset)
    retiming = film_retiming(project, export["export.fps"], registry)
    plan = plan_film(project, request.overrides)
    for item in plan:
        registry.check(item.spec, f"{item.shot.index + 1} at frame {item.shot.start}")
    media = check_media(project)
    target = check_target(target, request.overwrite, protect=[media])
    plain = ExportRequest(media, target, preset.name, parse_size(str(export["export.size"])),
                          Fit.parse(str(export["export.fit"])), request.overwrite)
    with open_source(media, project.fps, cache_bytes=0) as source:
        if len(source) != project.frame_count:
            raise ProjectError(
                f"media {media.name} has {len(source)} frames but the project expects {project.frame_count}; relink it",
                project.path,
            )
        spec = master_spec(source.info, preset, plain)
        if retiming is not None:
            rate = retiming.retiming.output_fps
            start = spec.start_timecode and retimed_timecode(spec.start_timecode, spec.fps, rate)
            spec = replace(spec, fps=rate, start_timecode=start)
        sequence = preset.sequence
        chunk = spec if preset.intra_only else _intermediate(spec)
        extension = "" if sequence else (target.suffix if preset.intra_only else INTERMEDIATE_EXTENSION)
        audio_streams = len(source.info.audio) if export["export.audio"] and preset.carries_audio else 0
        sidecars = sidecar_paths(target, audio_streams) if sequence else []
        for sidecar in sidecars:
            check_target(sidecar, request.overwrite, protect=[media])
        store = SegmentStore(target, _job(media, spec, target), extension, request.resume)
        segments = _segments(plan, retiming)
        try:
            skipped = _render_segments(source, plan, segments, store, chunk, target.name, request, registry,
                                       progress, cancel, retiming)
            result = _join(source.info, target, spec, preset, store, segments, audio_streams, sidecars,
                           progress, cancel)
        except Cancelled:
            # The restorer pressed cancel: nothing of the export stays. A pause, or a
            # signal that unwound the export (SIGTERM from a scheduler), leaves the
            # finished segments to resume.
            if cancel is not None and cancel.cancelled and not cancel.keeps_work:
                store.discard()
            raise
    store.discard()
    if skipped:
        note = f"resumed: {skipped} of {len(segments)} shots were already finished and were kept"
        result = replace(result, notices=result.notices + (note,))
    return result


def _render_segments(
    source: FrameSource,
    plan: tuple[ShotRender, ...],
    segments: list[Segment],
    store: SegmentStore,
    chunk: MasterSpec,
    stem: str,
    request: FilmExport,
    registry: StageRegistry,
    progress: ProgressCallback | None,
    cancel: CancelToken | None,
    retiming: FilmRetiming | None = None,
) -> int:
    """Render every segment the store does not hold finished; returns how many were already finished."""
    todo = [(s, r) for s, r in zip(segments, plan) if not store.is_finished(s)]
    skipped = len(segments) - len(todo)
    meter = ProgressMeter(sum(s.frame_count for s, _ in todo), progress, "rendering")
    context = StageContext(request.device, cancel, store.folder, placement=chunk.placement)
    for segment, shot in todo:
        temporary = store.temporary(segment)
        try:
            frames = registry.render(source.frames(shot.shot.start, shot.shot.end), shot.spec, context)
            if retiming is not None:
                frames = retiming.frames(frames, shot, partial(_first_after, source, plan, shot, registry, context),
                                         context)
            # Frames the upscale stage already scaled are only padded by the writer.
            busy = (retiming is not None or bool(registry.active(shot.spec))) and renders_on_cpu(request.device)
            with MasterWriter(temporary, writer_spec(chunk, shot.spec, registry), frame_stem=stem,
                              busy_cores=busy) as writer:
                for rgb in frames:
                    if cancel is not None:
                        cancel.raise_if_cancelled()
                    writer.write(rgb)
                    meter.advance()
                written = writer.frames_written
            if written != segment.frame_count:
                raise MediaError(
                    f"shot {shot.shot.index + 1} gave {written} frames instead of {segment.frame_count}",
                    source.info.path,
                )
            _verify_segment(temporary, chunk, stem, written)
        except BaseException:
            remove_path(temporary)
            raise
        store.finish(segment, temporary, written)
    meter.finish()
    return skipped


def _segments(plan: tuple[ShotRender, ...], retiming: FilmRetiming | None) -> list[Segment]:
    """One segment per shot: its source frames, or the master frames it owns at another rate."""
    if retiming is None:
        return [Segment(i, r.shot.start, r.shot.end, r.spec.key) for i, r in enumerate(plan)]
    owned = [(r, retiming.output_range(r)) for r in plan]
    return [Segment(i, o.start, o.stop, retiming.segment_key(r.spec.key)) for i, (r, o) in enumerate(owned)]


def _first_after(source: FrameSource, plan: tuple[ShotRender, ...], shot: ShotRender, registry: StageRegistry,
                 context: StageContext) -> np.ndarray | None:
    """The first frame of the shot after ``shot`` as that shot's own render makes it (``None`` after the last shot).

    Only the frames its temporal stages read for it are rendered (up to the
    shot's first keyframe when colour is carried back from there, half a
    deflicker window), so a blended boundary mixes in the very picture that
    opens the next shot.
    """
    following = [r for r in plan if r.shot.start == shot.shot.end]
    if not following:
        return None
    item = following[0]
    stop = min(item.shot.end, item.shot.start + registry.lead_in(item.spec) + 1)
    frames = registry.render(source.frames(item.shot.start, stop), item.spec, context)
    return next(iter(frames), None)


def _verify_segment(path: Path, chunk: MasterSpec, stem: str, frames: int) -> None:
    """Read a written segment back (picture count, size, first and last picture decode) before keeping it."""
    width, height = chunk.size
    if chunk.preset.sequence:
        names = [sequence_frame_name(stem, chunk.preset.extension, i) for i in range(frames)]
        facts = inspect_sequence(path, names)
    else:
        facts = inspect_master(path)
    check_master(facts, Expectation(frames, width, height, chunk.fps), path)


def _join(
    info: MediaInfo,
    target: Path,
    spec: MasterSpec,
    preset: Preset,
    store: SegmentStore,
    segments: list[Segment],
    audio_streams: int,
    sidecars: list[Path],
    progress: ProgressCallback | None,
    cancel: CancelToken | None,
) -> ExportResult:
    """Join the finished segments into the target, verify it, commit it."""
    media = info.path
    total = sum(s.frame_count for s in segments)
    start = picture_start_seconds(media) if audio_streams else Fraction(0)
    seconds = Fraction(total) / spec.fps
    meter = ProgressMeter(total, progress, "joining")
    paths = [store.path(s) for s in segments]
    with atomic_outputs([target, *sidecars], [preset.sequence] + [False] * len(sidecars)) as pending:
        picture = pending[0].temporary
        if preset.sequence:
            written = join_sequence([(p, s.start) for p, s in zip(paths, segments)], picture, target.name,
                                    preset.extension, meter.advance)
            # The frames are hard links to the segments' files: those are stamped too, harmlessly
            # (the segments belong to this export and its timecode, and go once it is committed).
            stamp_sequence_time(picture, target.name, written, spec)
            for index, sidecar in enumerate(pending[1:]):
                write_sidecar_wav(media, sidecar.temporary, seconds, start, stream=index)
        else:
            carrier = AudioCarrier(media, seconds, start) if audio_streams else None
            join = join_by_copy if preset.intra_only else join_by_encoding
            written = join(paths, picture, spec, carrier, meter.advance, cancel)
        meter.finish()
        verifying = ProgressMeter(1, progress, "verifying")
        facts = verify_master(picture, target, spec, written, info, 0 if preset.sequence else audio_streams)
        if written != total:
            raise MediaError(f"joined {written} frames instead of {total}", target)
        verifying.advance()
        verifying.finish()
    return ExportResult(target, facts, tuple(sidecars), info.notices)
