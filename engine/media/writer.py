"""Master writers: encode engine frames to a preset, as one file or a numbered sequence.

Frames arrive as the engine's ``(H, W, 3)`` RGB arrays (uint8 or uint16) and
leave as encoded packets: one FFmpeg filter graph per export conforms them —
``buffer → [crop] → scale (Lanczos, BT.709 matrix) → [pad] → setsar → format →
buffersink`` — so swscale resamples and converts to the target pixel format in
a single pass and no Python touches a pixel. The stream's time base is
``1/fps`` and frame ``i`` has pts ``i``: the rate is exact by construction.
Pictures are tagged BT.709 (primaries, transfer, matrix) and the start
timecode is written as the muxer understands it (a ``tmcd`` track in
QuickTime, the material package timecode in MXF, a tag in Matroska).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from types import TracebackType

import av
import av.filter
import numpy as np

from engine.errors import OutputError
from engine.media.audio import AudioCarrier
from engine.media.geometry import Placement
from engine.media.presets import Preset
from engine.media.write_ahead import WriteAhead

# Lanczos for the resample; accurate rounding and full chroma interpolation so
# 10-bit masters keep their low bits and 4:2:x chroma is filtered, not decimated.
SCALE_FLAGS = "lanczos+accurate_rnd+full_chroma_int"

# AVColorPrimaries / AVColorTransferCharacteristic / AVColorSpace / AVColorRange values.
_BT709 = 1
_RGB_MATRIX = 0
_RANGE_TV = 1
_RANGE_PC = 2
SEQUENCE_DIGITS = 6


def _ratio(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


def input_format_of(rgb: np.ndarray) -> str:
    """PyAV format of an engine frame: ``rgb24`` for uint8, ``rgb48le`` for uint16."""
    if rgb.dtype == np.uint8:
        return "rgb24"
    if rgb.dtype == np.uint16:
        return "rgb48le"
    raise ValueError(f"frames must be uint8 or uint16 RGB, not {rgb.dtype}")


class Conform:
    """Turns engine frames into encoder-ready frames of the master's size and format.

    Parameters
    ----------
    width, height
        Size of the frames that will be pushed.
    input_format
        ``"rgb24"`` for uint8 frames, ``"rgb48le"`` for uint16.
    placement
        Crop, scale and pad (from :func:`engine.media.geometry.fit`).
    pix_fmt
        Pixel format the encoder takes.
    rgb_output
        Whether ``pix_fmt`` is RGB (no Y'CbCr matrix).
    fps
        Frame rate, for the graph's time base.
    """

    def __init__(
        self,
        width: int,
        height: int,
        input_format: str,
        placement: Placement,
        pix_fmt: str,
        rgb_output: bool,
        fps: Fraction,
    ) -> None:
        self.width, self.height = width, height
        self.input_format = input_format
        self._matrix = _RGB_MATRIX if rgb_output else _BT709
        self._range = _RANGE_PC if rgb_output else _RANGE_TV
        graph = av.filter.Graph()
        p = placement
        # The buffer's own aspect is irrelevant: geometry already decided the sizes and
        # setsar below writes the one the master carries.
        chain = [
            graph.add(
                "buffer",
                f"video_size={width}x{height}:pix_fmt={input_format}:time_base={_ratio(1 / fps)}:pixel_aspect=1/1",
            )
        ]
        if (p.crop_x, p.crop_y, p.crop_width, p.crop_height) != (0, 0, width, height):
            chain.append(graph.add("crop", f"w={p.crop_width}:h={p.crop_height}:x={p.crop_x}:y={p.crop_y}:exact=1"))
        matrix = "" if rgb_output else ":out_color_matrix=bt709:out_range=tv"
        chain.append(graph.add("scale", f"w={p.scaled_width}:h={p.scaled_height}:flags={SCALE_FLAGS}{matrix}"))
        if p.pads:
            chain.append(graph.add("pad", f"w={p.out_width}:h={p.out_height}:x={p.pad_x}:y={p.pad_y}:color=black"))
        chain.append(graph.add("setsar", _ratio(p.sar)))
        chain.append(graph.add("format", pix_fmt))
        chain.append(graph.add("buffersink"))
        for upstream, downstream in zip(chain, chain[1:]):
            upstream.link_to(downstream)
        graph.configure()
        self._graph = graph

    def __call__(self, rgb: np.ndarray, index: int) -> av.VideoFrame:
        """The conformed picture ``index`` (its pts is ``index``)."""
        return self.conformed(self.picture(rgb, index))

    def picture(self, rgb: np.ndarray, index: int) -> av.VideoFrame:
        """``rgb`` copied into a frame with pts ``index``: the caller may reuse ``rgb`` at once."""
        if rgb.shape != (self.height, self.width, 3):
            raise ValueError(f"frame {index} is {rgb.shape}, expected {(self.height, self.width, 3)}")
        frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format=self.input_format)
        frame.pts = index
        return frame

    def conformed(self, frame: av.VideoFrame) -> av.VideoFrame:
        """A frame from :meth:`picture` at the master's size and in its format."""
        index = frame.pts
        self._graph.vpush(frame)
        out = self._graph.vpull()
        out.pts = index
        # Some encoders (ProRes) write the frame's own tags into every picture header.
        out.color_primaries = _BT709
        out.color_trc = _BT709
        out.colorspace = self._matrix
        out.color_range = self._range
        return out


@dataclass(frozen=True, slots=True)
class MasterSpec:
    """Everything the writer needs to know about the master to make.

    Attributes
    ----------
    preset
        The deliverable format.
    placement
        Crop/scale/pad from the source frames to the output frame.
    fps
        Exact frame rate.
    source_bit_depth
        Bits of the source, to choose the preset's deep variant.
    start_timecode
        ``HH:MM:SS:FF`` of the first frame, or ``None``.
    """

    preset: Preset
    placement: Placement
    fps: Fraction
    source_bit_depth: int = 8
    start_timecode: str | None = None

    @property
    def pix_fmt(self) -> str:
        """Pixel format the encoder receives."""
        return self.preset.pix_fmt_for(self.source_bit_depth)

    @property
    def size(self) -> tuple[int, int]:
        """Output width and height."""
        return (self.placement.out_width, self.placement.out_height)


def sequence_frame_name(stem: str, extension: str, number: int | None = None) -> str:
    """Name of a frame file: ``stem.000042.dpx``, or the printf pattern when ``number`` is None."""
    if number is None:
        return f"{stem}.%0{SEQUENCE_DIGITS}d{extension}"
    return f"{stem}.{number:0{SEQUENCE_DIGITS}d}{extension}"


class MasterWriter:
    """Encodes frames into one container file or a folder of numbered images.

    Parameters
    ----------
    path
        A file path for container presets; for sequences the folder that
        receives ``<stem>.%06d<ext>`` (usually the temporary folder).
    spec
        What to make.
    frame_stem
        Name the frame files of a sequence start with (defaults to ``path``'s name).
    audio
        Audio to interleave with the picture (container presets only), or ``None``.
    busy_cores
        Whether the frames are computed on this machine's cores meanwhile (the
        stages running on the CPU). The encoder then works with slice threads
        only; otherwise it also runs several frames at once (frame threads).
        Measured on 2 cores, 480p → UHD ProRes: frame threads made a plain
        conform 1.14× faster and an export upscaled by Relume's network on the
        CPU 1.18× slower, its threads and the encoder's taking turns on the cores.

    Notes
    -----
    Use as a context manager: on a clean exit the encoder is flushed and the file
    closed; on an exception the file is closed without flushing and the caller's
    :func:`~engine.media.atomic.atomic_outputs` removes it.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        spec: MasterSpec,
        frame_stem: str | None = None,
        audio: AudioCarrier | None = None,
        busy_cores: bool = False,
    ) -> None:
        self.path = Path(path)
        self.spec = spec
        self._busy_cores = busy_cores
        self.frames_written = 0
        self._audio = audio
        self._conform: Conform | None = None
        preset = spec.preset
        if preset.sequence:
            stem = frame_stem or self.path.name
            target = self.path / sequence_frame_name(stem, preset.extension)
            self._container = _open_output(target, format="image2", options={"start_number": "0"})
        else:
            self._container = _open_output(self.path)
        try:
            self._stream = self._add_video_stream()
            if audio is not None:
                audio.attach(self._container)
        except BaseException:
            self._container.close()
            raise
        self._ahead: WriteAhead[av.VideoFrame] = WriteAhead(self._write_picture)

    def _add_video_stream(self) -> av.video.stream.VideoStream:
        spec, preset = self.spec, self.spec.preset
        try:
            stream = self._container.add_stream(preset.codec, rate=spec.fps, options=dict(preset.options))
        except (av.error.FFmpegError, ValueError) as exc:
            raise OutputError(f"cannot use encoder {preset.codec} ({exc})", self.path) from exc
        width, height = spec.size
        stream.width, stream.height = width, height
        stream.pix_fmt = spec.pix_fmt
        stream.time_base = 1 / spec.fps
        context = stream.codec_context
        context.time_base = 1 / spec.fps
        context.framerate = spec.fps
        context.sample_aspect_ratio = spec.placement.sar
        # FFmpeg picks the number of threads (16 at most). Frame threads where the encoder has them,
        # unless the render needs the cores: ProRes at UHD ran 5.2 fps on 16 cores with slice threads alone.
        context.thread_count = 0
        context.thread_type = "SLICE" if self._busy_cores else "AUTO"
        context.color_primaries = _BT709
        context.color_trc = _BT709
        context.colorspace = _RGB_MATRIX if preset.rgb else _BT709
        context.color_range = _RANGE_PC if preset.rgb else _RANGE_TV
        if preset.codec == "libx265" and self.path.suffix.lower() in (".mp4", ".mov"):
            stream.codec_tag = "hvc1"  # what Apple's players require to open HEVC
        if spec.start_timecode:
            stream.metadata["timecode"] = spec.start_timecode
            self._container.metadata["timecode"] = spec.start_timecode
        return stream

    def __enter__(self) -> MasterWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if kind is None:
            self.finish()
        else:
            self._ahead.abandon()
            self._container.close()

    def write(self, rgb: np.ndarray) -> None:
        """Hand over the next frame (``(H, W, 3)`` RGB, uint8 or uint16); ``rgb`` may be reused at once.

        The frame is conformed and encoded on the writer's own thread
        (:mod:`engine.media.write_ahead`) while the caller renders the next one.

        Raises
        ------
        OutputError
            Writing an earlier frame failed (a full disk, an encoder refusing the size).
        """
        if self._conform is None:
            height, width = rgb.shape[:2]
            self._conform = Conform(
                width, height, input_format_of(rgb), self.spec.placement, self.spec.pix_fmt,
                self.spec.preset.rgb, self.spec.fps,
            )
        self._ahead.put(self._conform.picture(rgb, self.frames_written))
        self.frames_written += 1

    def _write_picture(self, picture: av.VideoFrame) -> None:
        """On the writer's thread: conform, encode, and carry the sound up to the end of this picture."""
        assert self._conform is not None
        self._encode(self._conform.conformed(picture))
        if self._audio is not None:
            self._audio.carry_until(Fraction(picture.pts + 1) / self.spec.fps)

    def finish(self) -> None:
        """Encode what is still queued, flush the encoder and the audio, and close the file."""
        try:
            self._ahead.finish()
            self._encode(None)
            if self._audio is not None:
                self._audio.finish()
        finally:
            self._container.close()

    def _encode(self, picture: av.VideoFrame | None) -> None:
        """Encode ``picture`` (``None`` drains the encoder) and write its packets."""
        try:
            self._container.mux(self._stream.encode(picture))
        except av.error.FFmpegError as exc:  # a full disk, an encoder refusing the size
            raise OutputError(f"writing failed ({exc.strerror or exc})", self.path) from exc


def _open_output(
    path: Path, format: str | None = None, options: dict[str, str] | None = None
) -> av.container.OutputContainer:
    try:
        return av.open(str(path), mode="w", format=format, options=options or {})
    except (av.error.FFmpegError, ValueError, OSError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise OutputError(f"cannot be created ({reason})", path) from exc
