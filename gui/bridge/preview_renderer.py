"""The renderer the preview service calls on its worker thread: a source frame at viewer size.

It returns the film as it is ("before") and, when a look is plugged in (the
render engine's per-shot stages), the restored frame ("after") stacked on top,
as one ``(2, H, W, 3)`` array, so the cache holds both halves of a split wipe
together and a comparison never shows halves of two different frames.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import cv2
import numpy as np

from engine.media.source import open_source
from engine.media.types import FrameSource
from engine.project import Project
from engine.progress import CancelToken
from engine.render.preview import PreviewRequest

# (frame index, source RGB at viewer size, uint8) -> restored RGB of the same shape; called on the
# preview worker thread
Look = Callable[[int, np.ndarray], np.ndarray]
# the project -> its Look (the render engine's per-shot stages plug in here)
LookFactory = Callable[[Project], Look]


def to_display(frame: np.ndarray) -> np.ndarray:
    """An 8-bit RGB view of a frame of any depth (16-bit scans keep their top 8 bits)."""
    if frame.dtype == np.uint8:
        return frame
    if frame.dtype == np.uint16:
        return (frame >> 8).astype(np.uint8)
    return np.clip(frame * 255.0 + 0.5, 0, 255).astype(np.uint8)


def viewer_size(width: int, height: int, sar: Fraction, wanted_width: int) -> tuple[int, int]:
    """``(w, h)`` of a preview no wider than ``wanted_width``, square pixels, never enlarged."""
    display_width = width * sar
    w = int(min(Fraction(max(16, wanted_width)), display_width))
    h = max(1, round(w * height / display_width))
    return max(1, w), h


class SourcePreview:
    """Previews of one media file, rendered at viewer resolution.

    Parameters
    ----------
    media
        The film (video file or image sequence).
    look
        The restored picture of a frame, or ``None`` while no stages apply:
        then only the source is returned.

    Notes
    -----
    The source is opened on first use, on the preview worker thread, and only
    used there (a frame source serves one thread).
    """

    def __init__(self, media: str | os.PathLike[str], look: Look | None = None) -> None:
        self.media = Path(media)
        self.look = look
        self._source: FrameSource | None = None

    def __call__(self, request: PreviewRequest, cancel: CancelToken) -> np.ndarray:
        """The preview of ``request.frame``: ``(H, W, 3)``, or ``(2, H, W, 3)`` with a look."""
        if self._source is None:
            self._source = open_source(self.media)
        source = self._source
        index = min(max(0, request.frame), len(source) - 1)
        frame = source.frame(index)
        cancel.raise_if_cancelled()
        info = source.info
        w, h = viewer_size(info.width, info.height, info.sar, request.width)
        small = to_display(frame)
        if (w, h) != (small.shape[1], small.shape[0]):
            # INTER_AREA averages every source pixel: no aliasing shimmer on grain while scrubbing
            small = cv2.resize(small, (w, h), interpolation=cv2.INTER_AREA)
        small = np.ascontiguousarray(small)
        if self.look is None:
            return small
        cancel.raise_if_cancelled()
        after = self.look(index, small)
        return np.stack([small, np.ascontiguousarray(after, dtype=np.uint8)])

    def close(self) -> None:
        """Close the source (call once the worker thread has stopped)."""
        if self._source is not None:
            self._source.close()
            self._source = None
