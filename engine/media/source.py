"""Open any input Relume reads — a video file or an image sequence — as a frame source."""

from __future__ import annotations

import os
from fractions import Fraction

from engine.media.frame_cache import DEFAULT_CACHE_BYTES
from engine.media.sequence import looks_like_sequence
from engine.media.sequence_source import ImageSequenceSource
from engine.media.video_source import VideoSource


def open_source(
    path: str | os.PathLike[str], fps: Fraction | None = None, cache_bytes: int = DEFAULT_CACHE_BYTES
) -> VideoSource | ImageSequenceSource:
    """Open ``path`` for frame-exact reading.

    Parameters
    ----------
    path
        A media file PyAV decodes, or an image sequence (``scan.%06d.dpx``,
        ``scan.####.dpx``, its folder, or one of its frames).
    fps
        Frame rate to use instead of the file's (sequences: 24 when not given).
    cache_bytes
        Budget of the decoded-frame cache.

    Returns
    -------
    VideoSource | ImageSequenceSource
        A :class:`~engine.media.types.FrameSource`; use it as a context manager
        or call ``close()``. One source per thread.

    Raises
    ------
    MediaError
        One line naming the file and why it cannot be read.
    """
    if looks_like_sequence(path):
        return ImageSequenceSource(path, fps, cache_bytes)
    return VideoSource(path, fps, cache_bytes)
