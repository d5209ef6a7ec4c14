"""Carry a source's audio streams into a master, in sync with the picture.

Every audio stream of the source is carried: copied packet for packet where
the output container accepts its codec (AAC into QuickTime or Matroska), else
decoded and re-encoded losslessly — 24-bit PCM for QuickTime, MXF and WAV,
FLAC for Matroska (AAC only for an MP4 review copy). Audio time is measured
from the source's first picture, so what was in sync stays in sync; it is cut
where the picture ends. Packets are interleaved as the picture advances, so
memory stays flat however long the film.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import av
import av.container
import numpy as np

from engine.errors import CorruptMediaError, MediaError, OutputError

# Codecs each container takes as they are; anything else is re-encoded to the fallback.
COPYABLE: dict[str, frozenset[str]] = {
    ".mov": frozenset({"aac", "alac", "pcm_s16le", "pcm_s16be", "pcm_s24le", "pcm_s24be", "pcm_s32le", "ac3", "mp3"}),
    # PCM goes into Matroska as FLAC: bit-exact too, and checksummed like FFV1's slices.
    ".mkv": frozenset({"aac", "flac", "opus", "vorbis", "ac3", "eac3", "dts", "truehd", "mp3", "alac"}),
    ".mp4": frozenset({"aac", "alac", "mp3", "ac3", "eac3", "opus", "flac"}),
    ".mxf": frozenset(),  # MXF OP1a wants 48 kHz PCM: always re-encoded
    ".wav": frozenset(),  # sidecars are always 24-bit PCM
}
FALLBACK_CODEC: dict[str, str] = {".mov": "pcm_s24le", ".mkv": "flac", ".mp4": "aac", ".mxf": "pcm_s24le", ".wav": "pcm_s24le"}
# Lossless 24-bit: both encoders take 32-bit integer samples.
_SAMPLE_FORMAT = {"pcm_s24le": "s32", "flac": "s32", "aac": "fltp"}
_MXF_RATE = 48000
# Muxers interleave streams within about a second; reading further ahead only costs memory.
_LOOKAHEAD_SECONDS = 2


def carried_codec(source_codec: str, extension: str) -> str | None:
    """The codec an audio stream gets in a file of ``extension``; ``None`` means copied as is."""
    extension = extension.lower()
    if source_codec in COPYABLE.get(extension, frozenset()):
        return None
    return FALLBACK_CODEC.get(extension, "pcm_s24le")


@dataclass(slots=True)
class _Track:
    """One source audio stream and its counterpart in the output."""

    source: av.audio.stream.AudioStream
    output: av.audio.stream.AudioStream | None = None
    encode_as: str | None = None  # None: stream copy
    resampler: av.AudioResampler | None = None
    samples_out: int = 0
    queue: deque[av.Packet] = field(default_factory=deque)


class AudioCarrier:
    """Moves audio from a source file into an output container as the picture is written.

    Parameters
    ----------
    source
        The media file whose audio streams are carried.
    picture_start_seconds
        Time of the source's first picture on its own clock; audio before it is dropped.
    end_seconds
        Picture time at which the audio is cut: the length of the picture, known
        before the first frame is written (frames decoded before it are trimmed
        sample-exactly; copied packets starting after it are dropped).
    streams
        Positions (among the source's audio streams) to carry; all by default.

    Raises
    ------
    MediaError
        The source cannot be opened.
    """

    def __init__(
        self,
        source: str | os.PathLike[str],
        end_seconds: Fraction,
        picture_start_seconds: Fraction = Fraction(0),
        streams: Sequence[int] | None = None,
    ) -> None:
        self.source = Path(source)
        self.end = Fraction(end_seconds)
        self.picture_start = Fraction(picture_start_seconds)
        try:
            self._input = av.open(str(self.source))
        except (av.error.FFmpegError, OSError) as exc:
            raise MediaError(f"cannot read its audio ({exc})", self.source) from exc
        audio = list(self._input.streams.audio)
        self._tracks = [_Track(audio[i]) for i in (range(len(audio)) if streams is None else streams)]
        self._by_index = {t.source.index: t for t in self._tracks}
        self._packets: Iterator[av.Packet] | None = None
        self._output: av.container.OutputContainer | None = None
        self._output_path: Path | None = None

    def __len__(self) -> int:
        return len(self._tracks)

    def attach(self, output: av.container.OutputContainer) -> None:
        """Add one output stream per carried audio stream to ``output``."""
        self._output = output
        self._output_path = Path(output.name)
        extension = self._extension(output)
        for track in self._tracks:
            context = track.source.codec_context
            track.encode_as = carried_codec(context.name, extension)
            if track.encode_as is None:
                track.output = output.add_stream_from_template(track.source)
            else:
                rate = _MXF_RATE if extension == ".mxf" else context.sample_rate
                track.output = output.add_stream(track.encode_as, rate=rate, layout=context.layout.name)
                track.output.codec_context.format = _SAMPLE_FORMAT.get(track.encode_as, "s32")
                track.resampler = av.AudioResampler(format=track.output.codec_context.format, layout=context.layout, rate=rate)
            if language := track.source.metadata.get("language"):
                track.output.metadata["language"] = language
        if self._tracks:
            self._packets = self._input.demux([t.source for t in self._tracks])

    @staticmethod
    def _extension(output: av.container.OutputContainer) -> str:
        name = output.format.name
        if "mxf" in name:
            return ".mxf"
        if name == "wav":
            return ".wav"
        if "matroska" in name:
            return ".mkv"
        if name == "mp4":
            return ".mp4"
        return ".mov"

    def carry_until(self, seconds: Fraction) -> None:
        """Write every audio packet that starts before ``seconds`` of picture time."""
        self._carry(min(seconds, self.end))

    def finish(self) -> None:
        """Write the audio up to the end of the picture, flush the encoders, close the source."""
        try:
            self._carry(self.end)
            for track in self._tracks:
                if track.encode_as is not None:
                    self._decode(track, None)
        finally:
            self.close()

    def close(self) -> None:
        """Close the source file."""
        self._input.close()

    def _start(self, track: _Track, packet: av.Packet) -> Fraction:
        stamp = packet.pts if packet.pts is not None else packet.dts
        return Fraction(stamp) * track.source.time_base - self.picture_start

    def _carry(self, until: Fraction) -> None:
        """Write queued and demuxed packets that start before ``until``.

        Demuxing stops once every track has a packet at or beyond ``until``
        waiting (it stays queued for the next picture), or once the file has been
        read some way past ``until``: a track that ended early must not make the
        others queue the rest of the film in memory.
        """
        if self._packets is None:
            return
        while True:
            for track in self._tracks:
                while track.queue and self._start(track, track.queue[0]) < until:
                    self._write(track, track.queue.popleft())
            if all(track.queue for track in self._tracks):
                return
            packet = next(self._packets, None)
            if packet is None:
                return
            if packet.dts is None and packet.size == 0:
                continue  # a demuxer's end-of-stream marker
            owner = self._by_index[packet.stream.index]
            owner.queue.append(packet)
            if self._start(owner, packet) >= until + _LOOKAHEAD_SECONDS:
                return

    def _write(self, track: _Track, packet: av.Packet) -> None:
        if track.encode_as is not None:
            self._decode(track, packet)
            return
        offset = round(self.picture_start / track.source.time_base)
        if packet.pts is not None and packet.pts - offset + (packet.duration or 0) <= 0:
            return  # wholly before the first picture
        if packet.pts is not None:
            packet.pts -= offset
        if packet.dts is not None:
            packet.dts -= offset
        packet.stream = track.output
        self._mux(packet)

    def _decode(self, track: _Track, packet: av.Packet | None) -> None:
        """Decode ``packet`` (``None`` drains the decoder) and pass its samples on."""
        try:
            frames = track.source.codec_context.decode(packet)
        except av.error.FFmpegError as exc:
            raise CorruptMediaError(f"audio could not be decoded ({exc.strerror or exc})", self.source) from exc
        for frame in frames:
            self._encode(track, frame)
        if packet is None:
            self._encode(track, None)

    def _encode(self, track: _Track, frame: av.AudioFrame | None) -> None:
        """Resample ``frame`` (``None`` flushes), keep what falls in ``[0, end)``, encode it."""
        assert track.resampler is not None and track.output is not None
        rate = track.output.codec_context.sample_rate
        skip = 0  # samples before the first picture
        if frame is not None and frame.pts is not None:
            start = Fraction(frame.pts) * frame.time_base - self.picture_start
            skip = max(0, round(-start * rate))
        for resampled in track.resampler.resample(frame):
            count = resampled.samples
            first = min(skip, count)
            skip -= first
            keep = min(count - first, round(self.end * rate) - track.samples_out)
            if keep <= 0:
                continue
            if (first, keep) != (0, count):
                resampled = _slice(resampled, first, keep, rate)
            resampled.pts = track.samples_out
            resampled.time_base = Fraction(1, rate)
            track.samples_out += keep
            for packet in track.output.encode(resampled):
                self._mux(packet)
        if frame is None:
            for packet in track.output.encode(None):
                self._mux(packet)

    def _mux(self, packet: av.Packet) -> None:
        assert self._output is not None
        try:
            self._output.mux(packet)
        except av.error.FFmpegError as exc:
            raise OutputError(f"writing audio failed ({exc.strerror or exc})", self._output_path) from exc


def _slice(frame: av.AudioFrame, first: int, count: int, rate: int) -> av.AudioFrame:
    """Samples ``[first, first + count)`` of ``frame`` as a new frame."""
    data = frame.to_ndarray()
    if frame.format.is_planar:
        data = data[:, first : first + count]
    else:
        channels = len(frame.layout.channels)
        data = data[:, first * channels : (first + count) * channels]
    part = av.AudioFrame.from_ndarray(np.ascontiguousarray(data), format=frame.format.name, layout=frame.layout.name)
    part.sample_rate = rate
    return part


def write_sidecar_wav(
    source: str | os.PathLike[str],
    target: str | os.PathLike[str],
    picture_seconds: Fraction,
    picture_start_seconds: Fraction = Fraction(0),
    stream: int = 0,
) -> None:
    """Write one audio stream of ``source`` as a 24-bit WAV, cut to the picture's length.

    An image sequence cannot hold sound, so its soundtrack travels beside it.
    """
    carrier = AudioCarrier(source, picture_seconds, picture_start_seconds, streams=[stream])
    target = Path(target)
    try:
        output = av.open(str(target), mode="w", format="wav")
    except (av.error.FFmpegError, OSError) as exc:
        carrier.close()
        raise OutputError(f"cannot be created ({exc})", target) from exc
    with output:
        carrier.attach(output)
        carrier.finish()


def picture_start_seconds(path: str | os.PathLike[str]) -> Fraction:
    """When the first picture of a media file is shown, on the file's own clock.

    Audio is carried relative to this instant, so a file whose picture starts
    late (or early, after an edit list) keeps its sync. The smallest timestamp
    among the first packets is taken, because B-frames arrive out of order.
    """
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                return Fraction(0)
            stream = container.streams.video[0]
            stamps = []
            for packet in container.demux(stream):
                if packet.pts is not None:
                    stamps.append(packet.pts)
                if len(stamps) >= 16:
                    break
            return Fraction(min(stamps)) * stream.time_base if stamps else Fraction(0)
    except (av.error.FFmpegError, OSError) as exc:
        raise MediaError(f"cannot be read ({exc})", path) from exc
