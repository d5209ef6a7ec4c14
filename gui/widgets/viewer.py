"""The viewer: the preview at the viewer's resolution, zoom and pan, before/after wipe."""

from __future__ import annotations

import math
from enum import Enum

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

MIN_SCALE, MAX_SCALE = 1 / 32, 16.0
SPLIT_GRAB_PX = 6


class Compare(str, Enum):
    """What the viewer shows of a preview pair."""

    AFTER = "after"
    BEFORE = "before"
    SPLIT = "split"


def _qimage(rgb: np.ndarray) -> QImage:
    """A QImage over ``rgb``'s memory (no copy); the caller keeps the array alive."""
    h, w, _ = rgb.shape
    return QImage(rgb.data, w, h, rgb.strides[0], QImage.Format.Format_RGB888)


class Viewer(QWidget):
    """Shows the film at a zoom the restorer picks, fitted by default.

    The picture it receives is already at viewer resolution (the engine renders
    no wider than asked); ``wantedWidthChanged`` tells the bridge when a zoom or
    resize needs a sharper or smaller one.

    Signals
    -------
    wantedWidthChanged(int)
        Preview width in device pixels that would fill the current view.
    """

    wantedWidthChanged = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 90)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setMouseTracking(True)
        self._frame_size: tuple[int, int] | None = None  # display size of the source, square pixels
        self._pair: tuple[np.ndarray, np.ndarray | None] | None = None
        self._images: tuple[QImage, QImage | None] | None = None
        self._fit = True
        self._scale = 1.0
        self._pan = QPointF(0, 0)
        self._drag: tuple[str, QPointF, QPointF] | None = None
        self.compare = Compare.AFTER
        self.split = 0.5
        self.message = ""
        self._wanted = 0
        self.frame = -1

    # -- content ----------------------------------------------------------------------------------
    def set_frame_size(self, width: int, height: int) -> None:
        """The film's display size (source pixels, square); resets to fit."""
        self._frame_size = (width, height)
        self.fit()

    @property
    def frame_size(self) -> tuple[int, int] | None:
        """The film's display size (square pixels), or ``None`` before it is known."""
        return self._frame_size

    def set_preview(self, image: np.ndarray, frame: int = -1) -> None:
        """Show the preview of ``frame``: ``(H, W, 3)`` source only, or ``(2, H, W, 3)`` before and after."""
        self.frame = frame
        if image.ndim == 4:
            before, after = np.ascontiguousarray(image[0]), np.ascontiguousarray(image[1])
            self._pair = (before, after)
            self._images = (_qimage(before), _qimage(after))
        else:
            image = np.ascontiguousarray(image)
            self._pair = (image, None)
            self._images = (_qimage(image), None)
        self.message = ""
        self.update()

    def set_message(self, text: str) -> None:
        """Show ``text`` instead of a picture (no media, media missing, render error)."""
        self.message = text
        self._pair, self._images = None, None
        self.frame = -1
        self.update()

    def has_picture_of(self, frame: int) -> bool:
        """Whether the preview of ``frame`` is on screen."""
        return self._pair is not None and self.frame == frame

    def shown_image(self) -> np.ndarray:
        """The picture on screen (the restored one when there is one and it is shown).

        Raises
        ------
        LookupError
            Nothing is shown.
        """
        if self._pair is None:
            raise LookupError("the viewer shows no picture")
        before, after = self._pair
        return before if after is None or self.compare == Compare.BEFORE else after

    @property
    def has_after(self) -> bool:
        """Whether the shown preview carries a restored picture to compare with."""
        return self._images is not None and self._images[1] is not None

    # -- zoom -----------------------------------------------------------------------------------------
    @property
    def scale(self) -> float:
        """Screen pixels per source pixel."""
        return self._fit_scale() if self._fit else self._scale

    @property
    def fitted(self) -> bool:
        """Whether the picture is fitted to the view."""
        return self._fit

    def fit(self) -> None:
        """Fit the whole frame in the view."""
        self._fit, self._pan = True, QPointF(0, 0)
        self._changed_view()

    def actual_pixels(self) -> None:
        """One source pixel per screen pixel (1:1)."""
        self.zoom_to(1.0)

    def zoom_to(self, scale: float, anchor: QPointF | None = None) -> None:
        """Zoom to ``scale`` keeping the point under ``anchor`` (default: the centre) in place."""
        scale = min(MAX_SCALE, max(MIN_SCALE, scale))
        anchor = anchor if anchor is not None else QPointF(self.width() / 2, self.height() / 2)
        old = self.scale
        centre = QPointF(self.width() / 2, self.height() / 2)
        # keep the film point under the anchor fixed: p = centre + pan + film * scale
        film = (anchor - centre - self._pan) / old
        self._pan = anchor - centre - film * scale
        self._fit, self._scale = False, scale
        self._changed_view()

    def zoom_by(self, steps: float, anchor: QPointF | None = None) -> None:
        """Zoom in (positive) or out by ``steps`` of √2."""
        self.zoom_to(self.scale * math.sqrt(2) ** steps, anchor)

    def _fit_scale(self) -> float:
        if self._frame_size is None:
            return 1.0
        w, h = self._frame_size
        return max(MIN_SCALE, min(self.width() / w, self.height() / h))

    def picture_rect(self) -> QRectF:
        """Where the frame is drawn, in widget coordinates."""
        if self._frame_size is None:
            return QRectF()
        w, h = self._frame_size
        s = self.scale
        centre = QPointF(self.width() / 2, self.height() / 2) + self._pan
        return QRectF(centre.x() - w * s / 2, centre.y() - h * s / 2, w * s, h * s)

    def wanted_width(self) -> int:
        """Preview width (device pixels) that the current zoom can show, never above the source's."""
        if self._frame_size is None:
            return max(16, self.width())
        w = self._frame_size[0]
        return max(16, min(w, math.ceil(w * self.scale * self.devicePixelRatioF())))

    def _changed_view(self) -> None:
        wanted = self.wanted_width()
        if wanted != self._wanted:
            self._wanted = wanted
            self.wantedWidthChanged.emit(wanted)
        self.update()

    # -- painting -------------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(18, 18, 20))
        if self._images is None:
            painter.setPen(QColor(150, 150, 155))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.message)
            return
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, self.scale < 2)
        target = self.picture_rect()
        before, after = self._images
        if after is None or self.compare == Compare.BEFORE:
            painter.drawImage(target, before)
        elif self.compare == Compare.AFTER:
            painter.drawImage(target, after)
        else:
            self._paint_split(painter, target, before, after)

    def _paint_split(self, painter: QPainter, target: QRectF, before: QImage, after: QImage) -> None:
        x = target.left() + target.width() * self.split
        painter.save()
        painter.setClipRect(QRectF(target.left(), target.top(), x - target.left(), target.height()))
        painter.drawImage(target, before)
        painter.setClipRect(QRectF(x, target.top(), target.right() - x, target.height()))
        painter.drawImage(target, after)
        painter.restore()
        painter.setPen(QPen(QColor(240, 240, 240), 1))
        painter.drawLine(QPointF(x, target.top()), QPointF(x, target.bottom()))
        painter.drawText(QRectF(target.left() + 8, target.top() + 6, 200, 20), self.tr("Before"))
        painter.drawText(QRectF(x + 8, target.top() + 6, 200, 20), self.tr("After"))

    # -- gestures -------------------------------------------------------------------------------------
    def _split_x(self) -> float:
        target = self.picture_rect()
        return target.left() + target.width() * self.split

    def near_split(self, pos: QPointF) -> bool:
        """Whether ``pos`` is close enough to the wipe's line to drag it."""
        return self.compare == Compare.SPLIT and self.has_after and abs(pos.x() - self._split_x()) <= SPLIT_GRAB_PX

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        pos = event.position()
        if self.near_split(pos):
            self._drag = ("split", pos, QPointF(self.split, 0))
        elif event.button() in (Qt.MouseButton.LeftButton, Qt.MouseButton.MiddleButton):
            if self._fit:
                self._scale, self._fit = self._fit_scale(), False
            self._drag = ("pan", pos, QPointF(self._pan))
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        pos = event.position()
        if self._drag is None:
            self.setCursor(Qt.CursorShape.SplitHCursor if self.near_split(pos) else Qt.CursorShape.ArrowCursor)
            return
        kind, start, origin = self._drag
        if kind == "split":
            target = self.picture_rect()
            if target.width() > 0:
                self.split = min(1.0, max(0.0, (pos.x() - target.left()) / target.width()))
        else:
            self._pan = origin + (pos - start)
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._drag = None

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self.fit()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        self.zoom_by(event.angleDelta().y() / 120, event.position())
        event.accept()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        self._changed_view()
