"""Read one image file (a frame of a scan) with PyAV."""

from __future__ import annotations

import os
from pathlib import Path

import av

from engine.errors import CorruptMediaError, MediaError
from engine.media.container import open_container


def read_still(path: str | os.PathLike[str]) -> av.VideoFrame:
    """Decode the single picture of a DPX, TIFF, PNG or EXR file.

    Raises
    ------
    MediaError
        Missing, empty or unreadable file.
    CorruptMediaError
        The file does not decode to a picture.
    """
    path = Path(path)
    # The image2 demuxer picks the decoder from the extension: no format probing, which
    # costs a third of the time of reading a 2K DPX.
    with open_container(path, format="image2") as container:
        try:
            for frame in container.decode(video=0):
                return frame
        except av.error.FFmpegError as exc:
            raise CorruptMediaError(f"does not decode as an image ({exc.strerror or exc})", path) from exc
        except (IndexError, ValueError) as exc:  # PyAV: no video stream to decode
            raise MediaError("holds no picture", path) from exc
    raise CorruptMediaError("does not decode to a picture", path)
