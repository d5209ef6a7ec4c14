"""The timeline's thumbnail strip, decoded in the background.

Frames are sampled at an even stride over the film and decoded in order, so
the decoder runs forward without seeking; each thumbnail reaches the timeline
as soon as it exists, through a queued signal.
"""

from __future__ import annotations

import os
from pathlib import Path

import cv2
import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from engine.media.source import open_source
from engine.progress import CancelToken, ProgressCallback, ProgressMeter
from gui.bridge.jobs import Job
from gui.bridge.preview_renderer import to_display

THUMB_HEIGHT_PX = 54
MAX_THUMBNAILS = 240


def sample_frames(frame_count: int, limit: int = MAX_THUMBNAILS) -> list[int]:
    """Evenly spaced frames to thumbnail, the first frame included."""
    stride = max(1, -(-frame_count // limit))
    return list(range(0, frame_count, stride))


def _as_qimage(rgb: np.ndarray) -> QImage:
    h, w, _ = rgb.shape
    # .copy() detaches the QImage from the numpy buffer, which is freed when this function returns
    return QImage(rgb.data, w, h, rgb.strides[0], QImage.Format.Format_RGB888).copy()


class ThumbnailStrip(QObject):
    """Decodes thumbnails of one film on a worker thread.

    Signals
    -------
    thumbnailReady(int, QImage)
        One thumbnail, with its frame index, on the main thread.
    """

    thumbnailReady = Signal(int, QImage)

    def __init__(self, media: str | os.PathLike[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.media = Path(media)
        self.job = Job("thumbnails", self._work, self)

    def start(self) -> None:
        """Begin decoding."""
        self.job.start()

    def stop(self) -> None:
        """Stop decoding and wait for the thread (on close or when another film opens)."""
        self.job.cancel()
        self.job.wait()

    def _work(self, progress: ProgressCallback, cancel: CancelToken) -> int:
        with open_source(self.media) as source:
            frames = sample_frames(len(source))
            meter = ProgressMeter(len(frames), progress, "thumbnails")
            for index in frames:
                cancel.raise_if_cancelled()
                rgb = to_display(source.frame(index))
                width = max(1, round(THUMB_HEIGHT_PX * rgb.shape[1] * float(source.info.sar) / rgb.shape[0]))
                small = np.ascontiguousarray(cv2.resize(rgb, (width, THUMB_HEIGHT_PX), interpolation=cv2.INTER_AREA))
                self.thumbnailReady.emit(index, _as_qimage(small))
                meter.advance()
            meter.finish()
        return len(frames)
