"""Join finished segments into one master, without generation loss.

Intra-only masters (ProRes, DNxHR, FFV1) are joined by copying their
compressed pictures packet for packet into the final container: no picture is
decoded or encoded again, so the joined master holds exactly the bytes the
segments hold. Frame ``i`` of the film gets timestamp ``i`` in a ``1/fps``
time base, and the source's audio is interleaved as the pictures advance.

Long-GOP review copies (H.264, H.265) cannot be cut at arbitrary shots and
joined by copy (each encoder run starts its own reference chain and rate
control), so their segments are lossless FFV1 and the join is the one and only
encode into the review codec. Image sequences are joined by renaming each
frame file to its place in the film's numbering.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Sequence
from fractions import Fraction
from pathlib import Path

import av

from engine.errors import OutputError
from engine.media.audio import AudioCarrier
from engine.media.geometry import Placement
from engine.media.writer import MasterSpec, MasterWriter, sequence_frame_name
from engine.progress import CancelToken

Advance = Callable[[int], None]


def _open_segment(path: Path) -> av.container.InputContainer:
    """Open a finished segment, as an :class:`OutputError` if it cannot be read."""
    try:
        return av.open(str(path))
    except (av.error.FFmpegError, OSError) as exc:
        raise OutputError(f"a finished segment cannot be read back ({exc})", path) from exc


def join_by_copy(
    segments: Sequence[Path],
    output: Path,
    spec: MasterSpec,
    audio: AudioCarrier | None,
    advance: Advance,
    cancel: CancelToken | None = None,
) -> int:
    """Copy the pictures of ``segments`` in order into ``output``; returns the number of pictures.

    Raises
    ------
    OutputError
        A segment cannot be read or the output cannot be written.
    """
    time_base = 1 / spec.fps
    try:
        container = av.open(str(output), mode="w")
    except (av.error.FFmpegError, OSError) as exc:
        raise OutputError(f"cannot be created ({exc})", output) from exc
    index = 0
    try:
        with _open_segment(segments[0]) as first:
            stream = container.add_stream_from_template(first.streams.video[0])
        stream.time_base = time_base
        # The muxer writes a timecode track only for a stream whose rate it knows.
        stream.codec_context.framerate = spec.fps
        if spec.start_timecode:
            stream.metadata["timecode"] = spec.start_timecode
            container.metadata["timecode"] = spec.start_timecode
        if audio is not None:
            audio.attach(container)
        for path in segments:
            with _open_segment(path) as part:
                for packet in part.demux(part.streams.video[0]):
                    if packet.size == 0:
                        continue
                    if cancel is not None:
                        cancel.raise_if_cancelled()
                    packet.stream = stream
                    packet.time_base = time_base
                    packet.pts = packet.dts = index
                    packet.duration = 1
                    container.mux(packet)
                    index += 1
                    advance(1)
                    if audio is not None:
                        audio.carry_until(Fraction(index) / spec.fps)
        if audio is not None:
            audio.finish()
    except av.error.FFmpegError as exc:
        raise OutputError(f"joining the segments failed ({exc})", output) from exc
    finally:
        if audio is not None:
            audio.close()
        container.close()
    return index


def join_by_encoding(
    segments: Sequence[Path],
    output: Path,
    spec: MasterSpec,
    audio: AudioCarrier | None,
    advance: Advance,
    cancel: CancelToken | None = None,
) -> int:
    """Decode lossless segments and encode them once into ``spec``'s (long-GOP) codec."""
    width, height = spec.size
    # The segments already hold the master's geometry: the writer only converts the format.
    same = Placement(0, 0, width, height, width, height, 0, 0, width, height, spec.placement.sar)
    deep = spec.source_bit_depth > 8
    with MasterWriter(output, MasterSpec(spec.preset, same, spec.fps, spec.source_bit_depth, spec.start_timecode),
                      audio=audio) as writer:
        for path in segments:
            with _open_segment(path) as part:
                stream = part.streams.video[0]
                stream.thread_type = "AUTO"
                for picture in part.decode(stream):
                    if cancel is not None:
                        cancel.raise_if_cancelled()
                    writer.write(picture.to_ndarray(format="rgb48le" if deep else "rgb24"))
                    advance(1)
        written = writer.frames_written
    return written


def join_sequence(
    segments: Sequence[tuple[Path, int]],
    folder: Path,
    stem: str,
    extension: str,
    advance: Advance,
) -> int:
    """Move the frame files of each ``(segment folder, first frame)`` into ``folder``, renumbered."""
    total = 0
    for part, first in segments:
        names = sorted(p.name for p in part.iterdir() if p.suffix == extension)
        for offset, name in enumerate(names):
            # A hard link, not a move: the segment stays whole until the joined master is committed.
            destination = folder / sequence_frame_name(stem, extension, first + offset)
            try:
                os.link(part / name, destination)
            except OSError:
                shutil.copyfile(part / name, destination)
            advance(1)
        total += len(names)
    return total
