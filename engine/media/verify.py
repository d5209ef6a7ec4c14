"""Check a freshly written master before it is renamed into place.

The file is read back with a fresh demuxer: every picture packet is counted,
the first and last pictures are decoded (all of them for long-GOP review copies,
whose packets alone prove little), and size, rate and audio length are compared
with what was asked for. Decoding every picture of an intra-only master would
cost about as much as encoding it again, while the packet count plus decoding
its two ends catches what goes wrong in practice: a short file, a wrong size, a
muxer that dropped the tail, an encoder that produced nothing decodable.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import av.container

from engine.errors import OutputError

# The rate a container reports may be rounded (Matroska keeps milliseconds).
_RATE_TOLERANCE = 1e-3


@dataclass(frozen=True, slots=True)
class MasterFacts:
    """What a written master turned out to hold.

    Attributes
    ----------
    frame_count
        Pictures in the file (or frame files of a sequence).
    width, height
        Size of the decoded pictures.
    pix_fmt
        Pixel format of the decoded pictures.
    fps
        Frame rate the container reports (``None`` for sequences).
    audio_seconds
        Length of each audio stream, in order.
    """

    frame_count: int
    width: int
    height: int
    pix_fmt: str
    fps: Fraction | None
    audio_seconds: tuple[float, ...] = ()


@dataclass(frozen=True, slots=True)
class Expectation:
    """What a master must hold to be accepted.

    Attributes
    ----------
    audio_seconds
        Expected length of each audio stream: the picture's, or the source
        stream's when that is shorter.
    """

    frame_count: int
    width: int
    height: int
    fps: Fraction
    audio_seconds: tuple[float, ...] = ()


def inspect_master(path: str | os.PathLike[str], decode_all: bool = False) -> MasterFacts:
    """Read back a written container file.

    Parameters
    ----------
    path
        The file.
    decode_all
        Decode every picture and count the decoded ones (long-GOP files), instead
        of counting packets and decoding the first and last.

    Raises
    ------
    OutputError
        The file cannot be opened, holds no picture, or does not decode.
    """
    path = Path(path)
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise OutputError("verification failed: the written file holds no picture", path)
            stream = container.streams.video[0]
            if decode_all:
                stream.thread_type = "AUTO"
            audio = list(container.streams.audio)
            tally = _Tally()
            last_packet: av.Packet | None = None
            audio_span: dict[int, tuple[int, int]] = {}
            for packet in container.demux(stream, *audio):
                if packet.size == 0:
                    continue
                if packet.stream.type == "audio":
                    start = packet.pts if packet.pts is not None else 0
                    lo, hi = audio_span.get(packet.stream.index, (start, start))
                    audio_span[packet.stream.index] = (min(lo, start), max(hi, start + (packet.duration or 0)))
                    continue
                tally.packets += 1
                if decode_all or tally.packets == 1:
                    tally.add(stream.codec_context.decode(packet))
                else:
                    last_packet = packet
            if last_packet is not None:
                tally.add(stream.codec_context.decode(last_packet))
            tally.add(stream.codec_context.decode(None))
            if tally.last is None:
                raise OutputError("verification failed: the written pictures do not decode", path)
            spans = [audio_span.get(a.index, (0, 0)) for a in audio]
            seconds = tuple(float((hi - lo) * a.time_base) for (lo, hi), a in zip(spans, audio))
            rate = stream.average_rate or stream.guessed_rate
            return MasterFacts(
                tally.decoded if decode_all else tally.packets,
                tally.last.width,
                tally.last.height,
                tally.last.format.name,
                Fraction(rate) if rate else None,
                seconds,
            )
    except av.error.FFmpegError as exc:
        raise OutputError(f"verification failed: cannot read the written file back ({exc.strerror or exc})", path) from exc


class _Tally:
    """Counts packets and decoded pictures, keeping only the latest picture."""

    def __init__(self) -> None:
        self.packets = 0
        self.decoded = 0
        self.last: av.VideoFrame | None = None

    def add(self, frames: list[av.VideoFrame]) -> None:
        for frame in frames:
            self.decoded += 1
            self.last = frame


def inspect_sequence(folder: str | os.PathLike[str], names: list[str]) -> MasterFacts:
    """Read back a written image sequence: count its files, decode the first and last.

    Raises
    ------
    OutputError
        A frame file is missing or does not decode.
    """
    folder = Path(folder)
    missing = [n for n in names if not (folder / n).is_file()]
    if missing:
        raise OutputError(f"verification failed: {len(missing)} frame files missing, first {missing[0]}", folder)
    sizes = []
    for name in {names[0], names[-1]}:
        try:
            with av.open(str(folder / name)) as container:
                frame = next(container.decode(video=0))
        except (av.error.FFmpegError, StopIteration) as exc:
            raise OutputError("verification failed: frame file does not decode", folder / name) from exc
        sizes.append((frame.width, frame.height, frame.format.name))
    width, height, pix_fmt = sizes[0]
    return MasterFacts(len(names), width, height, pix_fmt, None)


def check_master(facts: MasterFacts, expected: Expectation, path: str | os.PathLike[str]) -> None:
    """Compare what was written with what was asked for.

    Raises
    ------
    OutputError
        Frame count, size, rate or audio length differ; the message says how.
    """
    problems = []
    if facts.frame_count != expected.frame_count:
        problems.append(f"{facts.frame_count} frames instead of {expected.frame_count}")
    if (facts.width, facts.height) != (expected.width, expected.height):
        problems.append(f"{facts.width}×{facts.height} instead of {expected.width}×{expected.height}")
    if facts.fps is not None and abs(facts.fps - expected.fps) > _RATE_TOLERANCE * expected.fps:
        problems.append(f"{facts.fps} fps instead of {expected.fps}")
    if len(facts.audio_seconds) != len(expected.audio_seconds):
        problems.append(f"{len(facts.audio_seconds)} audio streams instead of {len(expected.audio_seconds)}")
    # One picture, plus one audio packet (AAC holds 1024 samples) of rounding at the end.
    tolerance = float(1 / expected.fps) + 0.025
    for index, (seconds, wanted) in enumerate(zip(facts.audio_seconds, expected.audio_seconds)):
        if abs(seconds - wanted) > tolerance:
            problems.append(f"audio stream {index + 1} lasts {seconds:.3f} s instead of {wanted:.3f} s")
    if problems:
        raise OutputError("verification failed: " + "; ".join(problems), path)
