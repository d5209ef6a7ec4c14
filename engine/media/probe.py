"""Probe a media file or image sequence: the facts Relume relies on, as a MediaInfo.

The frame count comes from the packets actually in the file, and the last group
of pictures is decoded to make sure it is really there: a header that promises
more frames than the file holds gets a loud notice, never a silently short master.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av
import av.container

from engine.errors import CorruptMediaError
from engine.media.container import open_container, video_stream_of
from engine.media.dpx_header import DpxTime, read_dpx_time
from engine.media.frame_index import FrameIndex, build_frame_index
from engine.media.frame_rate import read_frame_rate
from engine.media.pixels import bit_depth_of
from engine.media.sequence import ImageSequence, find_sequence, looks_like_sequence
from engine.media.stills import read_still
from engine.media.types import AudioStreamInfo, MediaInfo

DEFAULT_SEQUENCE_FPS = Fraction(24)
# Longest last group of pictures the probe decodes to make sure the file's end is really there
# (4 s at 24 fps). A file cut short is caught without decoding, by the demuxer's short read
# (see FrameIndex.cut_packets); this decode is the second line, so a probe stays cheap even
# on a file that is one endless group of pictures.
TAIL_CHECK_LIMIT = 96

# FFmpeg's enum values → the names ffprobe prints.
_PRIMARIES = {1: "bt709", 4: "bt470m", 5: "bt470bg", 6: "smpte170m", 7: "smpte240m", 8: "film", 9: "bt2020",
              10: "smpte428", 11: "smpte431", 12: "smpte432", 22: "ebu3213"}
_TRANSFERS = {1: "bt709", 4: "gamma22", 5: "gamma28", 6: "smpte170m", 7: "smpte240m", 8: "linear", 9: "log100",
              10: "log316", 11: "iec61966-2-4", 12: "bt1361e", 13: "iec61966-2-1", 14: "bt2020-10",
              15: "bt2020-12", 16: "smpte2084", 17: "smpte428", 18: "arib-std-b67"}
_MATRICES = {0: "gbr", 1: "bt709", 4: "fcc", 5: "bt470bg", 6: "smpte170m", 7: "smpte240m", 8: "ycgco",
             9: "bt2020nc", 10: "bt2020c", 14: "ictcp"}
_RANGES = {1: "tv", 2: "pc"}
# AVFieldOrder → the field shown first. TB/BT are coded one way and displayed the other.
_FIELD_ORDERS = {1: "progressive", 2: "tff", 3: "bff", 4: "bff", 5: "tff"}


def probe(path: str | os.PathLike[str], fps: Fraction | None = None) -> MediaInfo:
    """Describe a media file or image sequence.

    Parameters
    ----------
    path
        A media file PyAV decodes, or an image sequence (``scan.%06d.dpx``,
        ``scan.####.dpx``, its folder, or one of its frames).
    fps
        Frame rate to use instead of the file's (sequences have none: 24 by default).

    Returns
    -------
    MediaInfo
        With ``notices`` for anything the restorer should know.

    Raises
    ------
    MediaError
        Missing, empty, damaged, unsupported or picture-less input; the message
        names the file and the reason.
    """
    if looks_like_sequence(path):
        return probe_sequence(path, fps)[0]
    return probe_video(path, fps)[0]


def probe_sequence(path: str | os.PathLike[str], fps: Fraction | None = None) -> tuple[MediaInfo, ImageSequence]:
    """Describe an image sequence; also return its frames on disk."""
    sequence = find_sequence(path)
    first = read_still(sequence.path_of(sequence.first))
    header = (read_dpx_time(sequence.path_of(sequence.first)) if sequence.suffix.lower() == ".dpx"
              else DpxTime(None, None))
    notices: list[str] = []
    if fps is None and header.fps is not None:
        fps = header.fps
    elif fps is None:
        fps = DEFAULT_SEQUENCE_FPS
        notices.append(f"an image sequence has no frame rate; {fps} fps assumed (give --fps to change it)")
    if missing := sequence.missing:
        shown = ", ".join(str(n) for n in missing[:8]) + (" ..." if len(missing) > 8 else "")
        notices.append(
            f"{len(missing)} frame(s) missing from the numbering ({shown}); each is held from its nearest "
            "neighbour so later frames keep their timing"
        )
    pix_fmt = first.format.name
    info = MediaInfo(
        path=sequence.pattern,
        container="image-sequence",
        codec=sequence.suffix.lstrip(".").lower(),
        frame_count=sequence.frame_count,
        fps=Fraction(fps),
        width=first.width,
        height=first.height,
        pix_fmt=pix_fmt,
        bit_depth=bit_depth_of(pix_fmt),
        color_primaries=_PRIMARIES.get(int(first.color_primaries)),
        color_transfer=_TRANSFERS.get(int(first.color_trc)),
        color_space=_MATRICES.get(int(first.colorspace)),
        color_range=_RANGES.get(int(first.color_range)),
        start_timecode=header.timecode or _metadata_timecode(first.metadata),
        notices=tuple(notices),
    )
    return info, sequence


def probe_video(path: str | os.PathLike[str], fps: Fraction | None = None) -> tuple[MediaInfo, FrameIndex]:
    """Describe a video file; also return its frame index for frame-exact access."""
    path = Path(path)
    with open_container(path) as container:
        stream = video_stream_of(container, path)
        try:
            index = build_frame_index(container, stream)
        except av.error.FFmpegError as exc:
            raise CorruptMediaError(f"its packets cannot be read ({exc.strerror or exc})", path) from exc
        if not len(index):
            raise CorruptMediaError("holds no video frames", path)
        notices: list[str] = []
        if index.cut_packets:
            notices.append(
                f"WARNING: the last {index.cut_packets} frame(s) are cut off mid-picture and left out; "
                f"the file holds {len(index)} whole frames"
            )
        first, decodable = _decode_ends(container, stream, index, path)
        if decodable < len(index):
            notices.append(
                f"WARNING: only {decodable} of {len(index)} frames decode; the file is cut short and everything "
                f"made from it will be {decodable} frames long"
            )
            index = index.truncated(decodable)
        header_frames = int(stream.frames or 0)
        if header_frames > len(index):
            notices.append(
                f"WARNING: the header promises {header_frames} frames but the file holds only {len(index)}; "
                "it was probably cut short while copying"
            )
        reading = read_frame_rate(index.pts, index.time_base, (stream.base_rate, stream.average_rate, stream.guessed_rate))
        rate = reading.fps
        if reading.variable:
            notices.append(
                f"variable frame rate (average {reading.mean_fps:.3f} fps) mapped to a constant {_rate(rate)} fps, "
                "one frame per index; running time changes accordingly"
            )
        if fps is not None and Fraction(fps) != rate:
            notices.append(f"frame rate {_rate(Fraction(fps))} fps used instead of the file's {_rate(rate)} fps")
            rate = Fraction(fps)
        context = stream.codec_context
        pix_fmt = first.format.name if first is not None else (context.pix_fmt or "unknown")
        tags = first if first is not None else context
        sar = stream.sample_aspect_ratio or context.sample_aspect_ratio
        info = MediaInfo(
            path=path,
            container=container.format.name,
            codec=context.name,
            frame_count=len(index),
            fps=rate,
            width=context.width or (first.width if first is not None else 0),
            height=context.height or (first.height if first is not None else 0),
            sar=Fraction(sar) if sar else Fraction(1),
            pix_fmt=pix_fmt,
            bit_depth=bit_depth_of(pix_fmt),
            color_primaries=_PRIMARIES.get(int(tags.color_primaries)),
            color_transfer=_TRANSFERS.get(int(tags.color_trc)),
            color_space=_MATRICES.get(int(tags.colorspace)),
            color_range=_RANGES.get(int(tags.color_range)),
            field_order=_field_order(context, first),
            start_timecode=_start_timecode(container, stream),
            variable_frame_rate=reading.variable,
            audio=_audio_streams(container),
            notices=tuple(notices),
        )
    return info, index


def _decode_ends(
    container: av.container.InputContainer, stream: av.video.stream.VideoStream, index: FrameIndex, path: Path
) -> tuple[av.VideoFrame | None, int]:
    """Decode the first picture (for its tags) and the last group of pictures (to trust the length).

    Returns the first decoded frame and how many frames of the index are really
    decodable, i.e. one past the last frame the tail decode produced.
    """
    first: av.VideoFrame | None = None
    container.seek(index.seek_stamp(0), stream=stream, backward=True, any_frame=False)
    for frame in _decoded(container, stream):
        first = frame
        break
    if first is None:
        raise CorruptMediaError("no frame of the video decodes", path)
    # Step back a keyframe at a time (intra-only files have one per frame) until something
    # decodes, but never further than TAIL_CHECK_LIMIT frames from the end.
    tail_start = index.keyframe_at_or_before(len(index) - 1)
    while len(index) - tail_start <= TAIL_CHECK_LIMIT:
        last = _last_decodable_from(container, stream, index, tail_start)
        if last is not None:
            return first, last + 1
        if tail_start == 0:
            break
        tail_start = index.keyframe_before(tail_start)
    # One endless group of pictures, or nothing decodes near the end: trust the packets. The
    # frame source still fills and reports any frame at the end that fails to decode.
    return first, len(index)


def _last_decodable_from(
    container: av.container.InputContainer, stream: av.video.stream.VideoStream, index: FrameIndex, keyframe: int
) -> int | None:
    """Index of the last frame that decodes from a seek to ``keyframe``, or ``None`` when none does."""
    last = -1
    # Presentation time first (MP4/MOV/MKV), then decode time (MPEG-TS/PS seek by it).
    for stamp in (index.pts[keyframe], index.seek_stamp(keyframe)):
        container.seek(stamp, stream=stream, backward=True, any_frame=False)
        for frame in _decoded(container, stream):
            position = index.position_of(frame.pts)
            if position is not None:
                last = max(last, position)
        if last >= keyframe:
            return last
    return None


def _decoded(container: av.container.InputContainer, stream: av.video.stream.VideoStream) -> Iterator[av.VideoFrame]:
    """Decoded frames of ``stream`` from the current position, skipping packets that fail."""
    stream.codec_context.flush_buffers()
    for packet in container.demux(stream):
        try:
            yield from packet.decode()
        except av.error.FFmpegError:
            continue  # a damaged packet: the caller sees the frame missing


def _field_order(context: av.codec.context.CodecContext, first: av.VideoFrame | None) -> str:
    order = _FIELD_ORDERS.get(int(context.field_order or 0))
    if order is not None:
        return order
    if first is not None and not first.interlaced_frame:
        return "progressive"
    return "unknown"


def _metadata_timecode(metadata: dict[str, str]) -> str | None:
    for key, value in metadata.items():
        if key.lower() == "timecode" and value:
            return value
    return None


def _start_timecode(container: av.container.InputContainer, stream: av.video.stream.VideoStream) -> str | None:
    """Start timecode from the video stream, the container, or a tmcd/data stream."""
    for holder in (stream, container, *container.streams.data, *container.streams):
        if timecode := _metadata_timecode(dict(holder.metadata)):
            return timecode
    return None


def _audio_streams(container: av.container.InputContainer) -> tuple[AudioStreamInfo, ...]:
    found = []
    for audio in container.streams.audio:
        context = audio.codec_context
        if audio.duration is not None and audio.time_base:
            seconds: float | None = float(audio.duration * audio.time_base)
        elif container.duration is not None:
            seconds = container.duration / av.time_base
        else:
            seconds = None
        found.append(
            AudioStreamInfo(
                index=audio.index,
                codec=context.name,
                sample_rate=int(context.sample_rate or 0),
                channels=int(context.channels or 0),
                layout=context.layout.name if context.layout else "",
                duration_seconds=seconds,
                language=audio.language if audio.language not in (None, "und") else None,
            )
        )
    return tuple(found)


def _rate(rate: Fraction) -> str:
    return str(rate.numerator) if rate.denominator == 1 else f"{rate.numerator}/{rate.denominator} ({float(rate):.3f})"
