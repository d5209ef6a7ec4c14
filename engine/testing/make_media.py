"""Generate small media files for tests and benchmarks, with PyAV only.

Every picture is a pure function of its frame index (:func:`frame_picture`), so a
test can tell frame 17 from frame 18 after any decode, and so that random access
can be compared with a sequential decode. Pass ``from_clip`` to use the pictures
of a real clip (resized) instead of the synthetic pattern.

Examples
--------
>>> make_clip(tmp_path / "a.mov", frames=12, size=(64, 48), codec="prores_ks",
...           pix_fmt="yuv422p10le")                                    # doctest: +SKIP
>>> make_sequence(tmp_path / "scan", frames=8, ext="dpx", bit_depth=10)  # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np

# Pixel formats each codec is given when the caller does not name one.
DEFAULT_PIX_FMT = {
    "libx264": "yuv420p",
    "libx265": "yuv420p",
    "mpeg4": "yuv420p",
    "mpeg2video": "yuv420p",
    "mjpeg": "yuvj420p",
    "prores_ks": "yuv422p10le",
    "ffv1": "yuv420p",
    "dnxhd": "yuv422p",
}
SEQUENCE_CODECS = {"dpx": "dpx", "tif": "tiff", "tiff": "tiff", "png": "png", "exr": "exr"}

Picture = Callable[[int], np.ndarray]


def frame_picture(index: int, size: tuple[int, int], *, gray: bool = False, bit_depth: int = 8) -> np.ndarray:
    """The synthetic picture of frame ``index``: gradients, a moving square and a frame-number bar.

    Parameters
    ----------
    index
        Frame index; each index gives a visibly different picture.
    size
        ``(width, height)`` in pixels.
    gray
        Return a black-and-white picture (R = G = B).
    bit_depth
        8 returns ``uint8``; more returns ``uint16`` at full 0–65535 scale.

    Returns
    -------
    numpy.ndarray
        ``(height, width, 3)`` RGB picture.
    """
    width, height = size
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    red = x / max(width - 1, 1)
    green = y / max(height - 1, 1)
    blue = 0.5 + 0.5 * np.sin((x + y) / 9.0 + index * 0.7)
    rgb = np.stack([red, green, blue], axis=-1)
    side = max(4, min(width, height) // 4)
    left = (index * 5) % max(width - side, 1)
    top = (index * 3) % max(height - side, 1)
    rgb[top : top + side, left : left + side] = (1.0, 1.0, 1.0) if index % 2 else (0.1, 0.1, 0.1)
    # A binary code of the frame number along the top edge, 8 px per bit.
    bar = max(2, height // 12)
    for bit in range(min(12, width // 8)):
        rgb[:bar, bit * 8 : bit * 8 + 8] = 1.0 if (index >> bit) & 1 else 0.0
    if gray:
        luma = rgb @ np.array([0.2126, 0.7152, 0.0722], dtype=np.float32)
        rgb = np.repeat(luma[..., None], 3, axis=-1)
    if bit_depth <= 8:
        return np.round(rgb * 255.0).astype(np.uint8)
    return np.round(rgb * 65535.0).astype(np.uint16)


def clip_pictures(clip: str | os.PathLike[str], size: tuple[int, int], *, gray: bool = False) -> list[np.ndarray]:
    """Every picture of a real clip, resized to ``size`` (area filter), as ``uint8`` RGB."""
    pictures = []
    with av.open(str(clip)) as container:
        for frame in container.decode(video=0):
            rgb = cv2.resize(frame.to_ndarray(format="rgb24"), size, interpolation=cv2.INTER_AREA)
            if gray:
                luma = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
                rgb = np.repeat(luma[..., None], 3, axis=-1)
            pictures.append(rgb)
    return pictures


def _picture_source(
    size: tuple[int, int], gray: bool, bit_depth: int, from_clip: str | os.PathLike[str] | None
) -> Picture:
    if from_clip is None:
        return lambda i: frame_picture(i, size, gray=gray, bit_depth=bit_depth)
    pictures = clip_pictures(from_clip, size, gray=gray)

    def picture(i: int) -> np.ndarray:
        rgb = pictures[i % len(pictures)]
        # Repeat an 8-bit picture's bits into the low byte so 16-bit values are full scale.
        return rgb if bit_depth <= 8 else rgb.astype(np.uint16) * 257

    return picture


def _rgb_frame(rgb: np.ndarray, gray: bool) -> av.VideoFrame:
    if gray:
        luma = np.ascontiguousarray(rgb[..., 0])
        return av.VideoFrame.from_ndarray(luma, format="gray" if luma.dtype == np.uint8 else "gray16le")
    return av.VideoFrame.from_ndarray(rgb, format="rgb24" if rgb.dtype == np.uint8 else "rgb48le")


def make_clip(
    path: str | os.PathLike[str],
    frames: int = 24,
    size: tuple[int, int] = (64, 48),
    fps: Fraction | int = Fraction(25),
    codec: str = "libx264",
    pix_fmt: str | None = None,
    audio: bool = False,
    gray: bool = False,
    sar: Fraction | None = None,
    *,
    gop: int | None = None,
    b_frames: int | None = None,
    timecode: str | None = None,
    durations: list[int] | None = None,
    from_clip: str | os.PathLike[str] | None = None,
    options: dict[str, str] | None = None,
    container_options: dict[str, str] | None = None,
) -> Path:
    """Write a small video file whose frame ``i`` shows :func:`frame_picture` ``(i)``.

    Parameters
    ----------
    path
        Output file; its extension picks the container (``.mp4``, ``.mov``, ``.mkv``, ``.avi``).
    frames, size, fps
        Frame count, ``(width, height)`` and frame rate.
    codec, pix_fmt
        Encoder and stored pixel format (``None``: a sensible default for the codec).
        A ``gray*`` pix_fmt (FFV1) gives a gray-only source.
    audio
        Add a stereo 48 kHz AAC (MP4/MOV/MKV) or PCM (AVI) tone lasting as long as the picture.
    gray
        Black-and-white pictures.
    sar
        Sample aspect ratio to tag (e.g. ``Fraction(8, 9)``).
    gop, b_frames
        Keyframe interval and B-frames (long-GOP H.264 for random-access tests).
    timecode
        Start timecode ``"HH:MM:SS:FF"`` to tag on the video stream (MOV writes a tmcd track).
    durations
        Per-frame durations in milliseconds (cycled): uneven values make variable frame rate.
        Use a Matroska target, whose timestamps are milliseconds too.
    from_clip
        Use the pictures of this real clip, resized, instead of the synthetic pattern.
    options
        Extra encoder options.
    container_options
        Extra muxer options (e.g. ``{"movflags": "faststart"}`` puts the MP4 index first).

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    path = Path(path)
    fps = Fraction(fps)
    pix_fmt = pix_fmt or DEFAULT_PIX_FMT.get(codec, "yuv420p")
    gray = gray or pix_fmt.startswith("gray")
    deep = av.VideoFormat(pix_fmt).components[0].bits > 8
    picture = _picture_source(size, gray, 16 if deep else 8, from_clip)
    with av.open(str(path), "w", options=dict(container_options or {})) as container:
        stream = container.add_stream(codec, rate=fps)
        stream.width, stream.height = size
        stream.pix_fmt = pix_fmt
        stream.options = dict(options or {})
        if gop is not None:
            stream.codec_context.gop_size = gop
        if b_frames is not None:
            stream.codec_context.max_b_frames = b_frames
        if codec == "libx264":
            stream.options.setdefault("preset", "ultrafast" if b_frames is None else "fast")
        if sar is not None:
            stream.codec_context.sample_aspect_ratio = Fraction(sar)
        if timecode is not None:
            stream.metadata["timecode"] = timecode
        if durations is not None:
            stream.time_base = Fraction(1, 1000)
            stream.codec_context.time_base = stream.time_base
        sound = _add_tone(container, path) if audio else None
        pts = 0
        for i in range(frames):
            frame = _rgb_frame(picture(i), gray)
            if durations is not None:
                frame.pts, frame.time_base = pts, stream.time_base
                pts += durations[i % len(durations)]
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
        if sound is not None:
            _write_tone(container, sound, float(frames / fps))
    return path


def _add_tone(container: av.container.OutputContainer, path: Path) -> av.audio.stream.AudioStream:
    codec = "pcm_s16le" if path.suffix.lower() in (".avi", ".wav") else "aac"
    stream = container.add_stream(codec, rate=48000)
    stream.layout = "stereo"
    return stream


def _write_tone(container: av.container.OutputContainer, stream: av.audio.stream.AudioStream, seconds: float) -> None:
    samples = int(round(seconds * 48000))
    t = np.arange(samples, dtype=np.float32) / 48000
    tone = (0.2 * np.sin(2 * np.pi * 440 * t) * 32767).astype(np.int16)
    interleaved = np.repeat(tone, 2)[None, :]
    step = 1024
    for start in range(0, samples, step):
        chunk = np.ascontiguousarray(interleaved[:, start * 2 : (start + step) * 2])
        frame = av.AudioFrame.from_ndarray(chunk, format="s16", layout="stereo")
        frame.sample_rate = 48000
        frame.pts = start
        for packet in stream.encode(frame):
            container.mux(packet)
    for packet in stream.encode():
        container.mux(packet)


def make_audio_only(path: str | os.PathLike[str], seconds: float = 0.5) -> Path:
    """Write a file with an audio stream and no video stream (e.g. ``.m4a``/``.mkv``/``.wav``)."""
    path = Path(path)
    with av.open(str(path), "w") as container:
        stream = _add_tone(container, path)
        _write_tone(container, stream, seconds)
    return path


def make_sequence(
    folder: str | os.PathLike[str],
    frames: int = 8,
    size: tuple[int, int] = (64, 48),
    ext: str = "dpx",
    bit_depth: int = 10,
    *,
    name: str = "scan",
    first: int = 1,
    digits: int = 6,
    gray: bool = False,
    skip: tuple[int, ...] = (),
    from_clip: str | os.PathLike[str] | None = None,
) -> Path:
    """Write a numbered image sequence ``folder/name.000001.ext`` … and return its ``%0Nd`` pattern.

    Parameters
    ----------
    folder
        Created if missing.
    frames, size
        Frame count and ``(width, height)``.
    ext
        ``dpx``, ``tif``/``tiff``, ``png`` or ``exr``.
    bit_depth
        Stored depth: DPX 8/10/12/16, TIFF and PNG 8/16; EXR is always half/float.
    name, first, digits
        File name prefix, first frame number and zero padding.
    gray
        Black-and-white pictures (still stored as RGB).
    skip
        Frame indices (0-based) to leave out, making a gap in the numbering.
    from_clip
        Use the pictures of this real clip instead of the synthetic pattern.

    Returns
    -------
    pathlib.Path
        The printf-style pattern, e.g. ``folder/scan.%06d.dpx``.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    codec = SEQUENCE_CODECS[ext.lower()]
    pix_fmt = _sequence_pix_fmt(codec, bit_depth)
    picture = _picture_source(size, gray, 8 if bit_depth <= 8 else 16, from_clip)
    for i in range(frames):
        if i in skip:
            continue
        target = folder / f"{name}.{first + i:0{digits}d}.{ext}"
        rgb = picture(i)
        frame = _rgb_frame(rgb, gray=False)
        if codec == "exr":
            frame = av.VideoFrame.from_ndarray(rgb.astype(np.float32) / np.float32(65535.0), format="rgbf32le")
        write_image(target, frame, codec, pix_fmt)
    return folder / f"{name}.%0{digits}d.{ext}"


def _sequence_pix_fmt(codec: str, bit_depth: int) -> str:
    if codec == "exr":
        return "gbrpf32le"
    if codec == "dpx":
        return {8: "rgb24", 10: "gbrp10le", 12: "gbrp12le", 16: "rgb48le"}[bit_depth]
    return "rgb24" if bit_depth <= 8 else "rgb48le"


def write_image(target: str | os.PathLike[str], frame: av.VideoFrame, codec: str, pix_fmt: str) -> None:
    """Encode one picture as a single image file (DPX, TIFF, PNG, EXR) with PyAV."""
    context = av.CodecContext.create(codec, "w")
    context.width, context.height = frame.width, frame.height
    context.pix_fmt = pix_fmt
    context.time_base = Fraction(1, 25)
    frame = frame.reformat(format=pix_fmt)
    frame.pts = 0
    packets = list(context.encode(frame)) + list(context.encode(None))
    Path(target).write_bytes(b"".join(bytes(p) for p in packets))
