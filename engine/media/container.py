"""Open a media file with PyAV, turning every way it can fail into a typed error.

A restorer should read *why* a file is refused ("is empty", "is a text file",
"its index (moov) is missing; the file was probably cut short while copying"),
not an FFmpeg errno.
"""

from __future__ import annotations

import os
from pathlib import Path

import av
import av.container

from engine.errors import CorruptMediaError, MediaError, UnsupportedMediaError

_SNIFF_BYTES = 4096


def check_readable_file(path: str | os.PathLike[str]) -> Path:
    """Return ``path`` as a Path if it is an existing, non-empty, readable file.

    Raises
    ------
    MediaError
        Missing, a folder, or unreadable.
    CorruptMediaError
        Zero bytes long.
    """
    path = Path(path)
    if not path.exists():
        raise MediaError("no such file", path)
    if path.is_dir():
        raise MediaError("is a folder, not a media file (give the image-sequence pattern instead)", path)
    try:
        size = path.stat().st_size
        with path.open("rb"):
            pass
    except OSError as exc:
        raise MediaError(f"cannot be read ({exc.strerror or exc})", path) from exc
    if size == 0:
        raise CorruptMediaError("is empty (0 bytes); the copy or download probably failed", path)
    return path


def _looks_like_text(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    if b"\0" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the sniff window is still text.
        return exc.start >= len(head) - 3
    return True


def _why_unopenable(path: Path) -> MediaError:
    if _looks_like_text(path):
        return UnsupportedMediaError("is a text file, not media", path)
    with path.open("rb") as handle:
        head = handle.read(64)
    if head[4:8] in (b"ftyp", b"mdat", b"wide", b"free", b"skip"):
        return CorruptMediaError(
            "is an MP4/MOV whose index (moov) is missing; the file was probably cut short while copying", path
        )
    return CorruptMediaError("is not a media file PyAV can read (damaged, truncated or of an unknown format)", path)


def open_container(path: str | os.PathLike[str], format: str | None = None) -> av.container.InputContainer:  # noqa: A002
    """Open ``path`` for reading with PyAV.

    Parameters
    ----------
    path
        The file.
    format
        Demuxer to use without probing (``"image2"`` for one frame of a scan), or
        ``None`` to let FFmpeg detect it.

    Returns
    -------
    av.container.InputContainer
        The open container; the caller closes it.

    Raises
    ------
    MediaError, CorruptMediaError, UnsupportedMediaError
        One line naming the file and what is wrong with it.
    """
    path = check_readable_file(path)
    try:
        return av.open(str(path), "r", format=format, metadata_errors="replace")
    except av.error.InvalidDataError as exc:
        raise _why_unopenable(path) from exc
    except av.error.FFmpegError as exc:
        raise MediaError(f"cannot be opened: {exc.strerror or exc}", path) from exc


def video_stream_of(container: av.container.InputContainer, path: str | os.PathLike[str]) -> av.video.stream.VideoStream:
    """The first video stream that holds moving pictures (not an attached cover image).

    Raises
    ------
    UnsupportedMediaError
        When the file has no video stream.
    """
    for stream in container.streams.video:
        if not stream.disposition & av.stream.Disposition.attached_pic:
            return stream
    others = sorted({s.type for s in container.streams}) or ["no streams at all"]
    raise UnsupportedMediaError(f"has no video stream (only {', '.join(others)})", path)
