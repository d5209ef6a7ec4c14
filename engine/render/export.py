"""The export job: source frames → (stages) → conform → master writer → verify → rename.

Everything that can be refused is refused before the first frame is decoded:
unknown preset or size, a target that exists, an output folder that is missing
or read-only, a source that cannot be read. The master is then written under a
hidden temporary name beside the target, read back and checked, and renamed
into place; any failure or cancellation removes what was written.

The render engine inserts its per-shot stages through ``stages``: a function
from the source's frame iterator to the processed one. With none, frames go
straight from the decoder to the writer and nothing imports torch.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np

from engine.errors import MediaError, OutputError, SettingsError
from engine.media.atomic import atomic_outputs, check_target
from engine.media.audio import AudioCarrier, picture_start_seconds, write_sidecar_wav
from engine.media.dpx_header import stamp_dpx_sequence
from engine.media.geometry import Fit, Size, chroma_alignment, fit
from engine.media.presets import DEFAULT_PRESET, PRESETS, Preset
from engine.media.source import open_source
from engine.media.types import FrameSource, MediaInfo
from engine.media.verify import Expectation, MasterFacts, check_master, inspect_master, inspect_sequence
from engine.media.writer import MasterSpec, MasterWriter, sequence_frame_name
from engine.progress import CancelToken, ProgressCallback, ProgressMeter
from engine.render.upscale_stage import plain_upscaling

Stages = Callable[[Iterator[np.ndarray]], Iterator[np.ndarray]]


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """One master to make, as the restorer asked for it.

    Attributes
    ----------
    source
        Media file or image-sequence pattern.
    target
        Output file, or the folder of an image sequence (its frames are named
        ``<folder name>.%06d.<ext>``; a sidecar ``<folder>.wav`` carries the sound).
    preset
        Name of a preset in :data:`~engine.media.presets.PRESETS`.
    size
        Output size, ``None`` to keep the source's.
    fit
        How a different aspect is fitted.
    overwrite
        Whether an existing target may be replaced.
    start_timecode
        Timecode of the first frame; the source's when ``None``.
    source_fps
        Frame rate of an image sequence (which has none of its own), or to
        override a file's.
    audio
        Whether the source's audio streams are carried.
    upscaler
        What makes an enlarged picture (``upscale.upscaler``): ``lanczos`` is the
        writer's own resample; ``auto`` is Relume's network when the picture grows.
    fps
        Master frame rate (``export.fps``) when a project is rendered from this
        request, with in-between frames invented by motion; ``None`` keeps the
        source's. A plain export (media straight to the writer) refuses another rate.
    """

    source: Path
    target: Path
    preset: str = DEFAULT_PRESET
    size: Size | None = None
    fit: Fit = Fit.PAD
    overwrite: bool = False
    start_timecode: str | None = None
    source_fps: Fraction | None = None
    audio: bool = True
    upscaler: str = "lanczos"
    fps: Fraction | None = None


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What an export produced."""

    target: Path
    facts: MasterFacts
    sidecars: tuple[Path, ...] = field(default_factory=tuple)
    notices: tuple[str, ...] = field(default_factory=tuple)


def resolve_target(target: str | os.PathLike[str], preset: Preset) -> Path:
    """The path a master of ``preset`` is written to.

    A file target without an extension gets the preset's; one with an extension
    the preset cannot write is refused. A sequence target names a folder; a
    frame extension on it (``reel1.dpx``) is dropped.

    Raises
    ------
    OutputError
        The extension does not fit the preset.
    """
    target = Path(target)
    suffix = target.suffix.lower()
    if preset.sequence:
        return target.with_suffix("") if suffix in preset.extensions else target
    if not suffix:
        return target.with_name(target.name + preset.extension)
    if suffix not in preset.extensions:
        raise OutputError(f"preset {preset.name} writes {' or '.join(preset.extensions)} files, not {suffix}", target)
    return target


def sidecar_paths(folder: Path, audio_streams: int) -> list[Path]:
    """WAV files beside a sequence folder: ``reel1.wav``, then ``reel1.a2.wav``, ..."""
    return [folder.with_name(f"{folder.name}.wav" if i == 0 else f"{folder.name}.a{i + 1}.wav") for i in range(audio_streams)]


def export_master(
    request: ExportRequest,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    stages: Stages | None = None,
) -> ExportResult:
    """Make the master ``request`` asks for.

    Parameters
    ----------
    request
        Source, target, preset, size and fit.
    progress
        Receives ``Progress`` reports ("encoding", then "verifying").
    cancel
        Checked before every frame; cancelling removes what was written.
    stages
        Processing between decoder and writer (the render engine's pipeline).

    Returns
    -------
    ExportResult
        The target and what verification read back from it.

    Raises
    ------
    RelumeError
        ``SettingsError`` for a bad preset or size, ``MediaError`` for an
        unreadable source, ``OutputError`` for an unwritable or existing target
        or a master that fails verification, ``Cancelled`` when cancelled.
    """
    preset = PRESETS.get(request.preset)
    target = resolve_target(request.target, preset)
    source_path = Path(request.source)
    if not source_path.exists() and "%" not in source_path.name and "#" not in source_path.name:
        raise MediaError("no such file", source_path)
    # The target is checked before the (slower) source probe: a restorer who forgot
    # --overwrite learns it at once.
    check_target(target, request.overwrite, protect=[source_path])
    # Frames are read once, in order: a cache would only grow the footprint with the film's length.
    with open_source(source_path, request.source_fps, cache_bytes=0) as source:
        info = source.info
        carried = request.audio and preset.carries_audio and not info.is_image_sequence
        audio_streams = len(info.audio) if carried else 0
        sidecars = sidecar_paths(target, audio_streams) if preset.sequence else []
        for sidecar in sidecars:
            check_target(sidecar, request.overwrite, protect=[source_path])
        if request.fps is not None and request.fps != info.fps:
            raise SettingsError(f"export.fps: {request.fps} needs in-between frames; a plain export keeps the "
                                f"source's {info.fps} fps (export a project, or pass a look, to retime)")
        spec = master_spec(info, preset, request)
        stages, spec = plain_upscaling(request.upscaler, spec, stages)
        start = picture_start_seconds(source_path) if audio_streams else Fraction(0)
        with atomic_outputs([target, *sidecars], [preset.sequence] + [False] * len(sidecars)) as pending:
            picture = pending[0].temporary
            picture_seconds = Fraction(len(source)) / spec.fps
            carrier = AudioCarrier(source_path, picture_seconds, start) if audio_streams and not preset.sequence else None
            written = _encode(source, picture, target.name, spec, carrier, progress, cancel, stages)
            stamp_sequence_time(picture, target.name, written, spec)
            picture_seconds = Fraction(written) / spec.fps
            for index, sidecar in enumerate(pending[1:]):
                write_sidecar_wav(source_path, sidecar.temporary, picture_seconds, start, stream=index)
            verifying = ProgressMeter(1, progress, "verifying")
            verifying.advance(0)
            facts = verify_master(picture, target, spec, written, info, audio_streams if not preset.sequence else 0)
            verifying.advance()
            verifying.finish()
    return ExportResult(target, facts, tuple(sidecars), info.notices + _aspect_notices(spec, target))


def renders_on_cpu(device: str | None) -> bool:
    """Whether torch stages asked to run on ``device`` (``None``: the default) compute on this machine's cores."""
    from engine.color.spatial import resolve_device

    return resolve_device(device).type == "cpu"


def _aspect_notices(spec: MasterSpec, target: Path) -> tuple[str, ...]:
    """A warning when non-square pixels are kept in a container whose aspect tag PyAV cannot set."""
    sar = spec.placement.sar
    if sar == 1 or spec.preset.sequence or target.suffix.lower() not in (".mkv", ".mxf"):
        return ()
    return (
        f"pixels of aspect {sar} are kept, but the {target.suffix} container is not tagged with it "
        "(players may show the picture stretched); export with --size to resample to square pixels, "
        "or to .mov to keep them tagged",
    )


def master_spec(info: MediaInfo, preset: Preset, request: ExportRequest) -> MasterSpec:
    """Size, placement, rate and timecode of the master of ``info`` in ``preset``."""
    pix_fmt = preset.pix_fmt_for(info.bit_depth)
    placement = fit(info.width, info.height, request.size, request.fit, info.sar, chroma_alignment(pix_fmt))
    return MasterSpec(preset, placement, info.fps, info.bit_depth, request.start_timecode or info.start_timecode)


def _encode(
    source: FrameSource,
    path: Path,
    frame_stem: str,
    spec: MasterSpec,
    audio: AudioCarrier | None,
    progress: ProgressCallback | None,
    cancel: CancelToken | None,
    stages: Stages | None,
) -> int:
    """Write every frame of ``source`` (through ``stages``); returns how many were written."""
    total = len(source)
    meter = ProgressMeter(total, progress, "encoding")
    frames = source.frames()
    if stages is not None:
        frames = stages(frames)
    try:
        busy = stages is not None and renders_on_cpu(None)
        with MasterWriter(path, spec, frame_stem=frame_stem, audio=audio, busy_cores=busy) as writer:
            for rgb in frames:
                if cancel is not None:
                    cancel.raise_if_cancelled()
                writer.write(rgb)
                meter.advance()
            written = writer.frames_written
    except BaseException:
        if audio is not None:
            audio.close()
        raise
    meter.finish()
    if written != total:
        raise MediaError(f"only {written} of its {total} frames could be decoded; no short master was written", source.info.path)
    return written


def stamp_sequence_time(folder: Path, stem: str, frames: int, spec: MasterSpec) -> None:
    """Give each frame of a DPX master its timecode and rate, which FFmpeg's encoder leaves out."""
    if spec.preset.sequence and spec.preset.codec == "dpx":
        names = [sequence_frame_name(stem, spec.preset.extension, i) for i in range(frames)]
        stamp_dpx_sequence(folder, names, spec.start_timecode, spec.fps)


def verify_master(path: Path, target: Path, spec: MasterSpec, frames: int, info: MediaInfo, audio_streams: int) -> MasterFacts:
    """Read the temporary master back and compare it with what was asked for."""
    width, height = spec.size
    picture_seconds = frames / float(spec.fps)
    expected_audio = tuple(
        min(picture_seconds, a.duration_seconds) if a.duration_seconds else picture_seconds
        for a in info.audio[:audio_streams]
    )
    expectation = Expectation(frames, width, height, spec.fps, expected_audio)
    if spec.preset.sequence:
        names = [sequence_frame_name(target.name, spec.preset.extension, i) for i in range(frames)]
        facts = inspect_sequence(path, names)
    else:
        facts = inspect_master(path, decode_all=not spec.preset.intra_only)
    check_master(facts, expectation, target)
    return facts
