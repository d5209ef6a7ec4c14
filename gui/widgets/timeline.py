"""The timeline: ruler, thumbnails, shots as colored segments, transitions as ramps, keyframes, playhead.

It shows the project and turns gestures into requests (scrub here, move that
cut there); the main window turns requests into undoable commands. It never
changes the project itself.
"""

from __future__ import annotations

import bisect
import math
from fractions import Fraction

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPolygonF,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from engine.project import Project
from gui.timecode import format_timecode
from gui.widgets.timeline_scale import TimelineScale, tick_step

RULER_H, THUMBS_H, SHOTS_H = 28, 56, 34
CUT_GRAB_PX = 5
# Muted hues, so a long cut list reads as alternating shots without shouting over the picture.
SHOT_COLORS = ("#3b5b7a", "#5b4a7a", "#3f6e5c", "#7a5a3b", "#6a3f52", "#4f6b2f")
BACKGROUND, RULER_BG, TEXT, PLAYHEAD = "#1b1c1f", "#232428", "#a8abb2", "#e8b04a"
KEYFRAME, KEYFRAME_PX = "#f2efe6", 5.0  # a keyframe that carries hints: a small diamond on its shot


class Timeline(QWidget):
    """A zoomable, scrollable view of the film's shots.

    Signals
    -------
    scrubbed(int)
        The restorer clicked or dragged to a frame.
    cutMoveRequested(int, int)
        A cut was dragged from one frame to another.
    cutSelected(int)
        A cut was clicked (its frame; -1 when none is selected any more).
    """

    scrubbed = Signal(int)
    cutMoveRequested = Signal(int, int)
    cutSelected = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(RULER_H + THUMBS_H + SHOTS_H + 6)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setMouseTracking(True)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.project: Project | None = None
        self.playhead = 0
        self.selected_cut = -1
        self.scale = TimelineScale(1.0)
        self._thumbs: dict[int, QImage] = {}
        self._thumb_frames: list[int] = []
        self._drag: tuple[str, int] | None = None  # ("scrub", 0) or ("cut", original frame)
        self._drag_to = -1

    # -- model --------------------------------------------------------------------------------------
    def set_project(self, project: Project | None) -> None:
        """Show ``project`` (``None``: an empty timeline), zoomed to fit."""
        self.project = project
        self.playhead, self.selected_cut = 0, -1
        self._thumbs.clear()
        self._thumb_frames = []
        self.zoom_to_fit()

    def set_playhead(self, frame: int) -> None:
        """Move the playhead, scrolling to keep it in view."""
        if frame == self.playhead:
            return
        self.playhead = frame
        self._keep_visible(frame)
        self.update()

    def add_thumbnail(self, frame: int, image: QImage) -> None:
        """Remember the thumbnail of ``frame`` (the strip draws the nearest one before each slot)."""
        self._thumbs[frame] = image
        self._thumb_frames = sorted(self._thumbs)
        self.update()

    def refresh(self) -> None:
        """Repaint after the cut list changed; forget a selected cut that no longer exists."""
        if self.project is not None and self.selected_cut not in {c.frame for c in self.project.cuts}:
            self.selected_cut = -1
        self.update()

    # -- zoom and scroll ------------------------------------------------------------------------------
    def zoom_to_fit(self) -> None:
        """Show the whole film."""
        count = self.project.frame_count if self.project else 100
        self.scale = TimelineScale(max(self.width(), 100) / count)
        self.update()

    def zoom_by(self, factor: float, anchor_x: float | None = None) -> None:
        """Zoom by ``factor`` around ``anchor_x`` (default: the playhead)."""
        if anchor_x is None:
            anchor_x = self.scale.x_of(self.playhead)
        self._set_scale(self.scale.zoomed(factor, anchor_x))

    def scroll_by(self, frames: float) -> None:
        """Scroll the view by ``frames``."""
        self._set_scale(TimelineScale(self.scale.px_per_frame, self.scale.first_frame + frames))

    def _set_scale(self, scale: TimelineScale) -> None:
        count = self.project.frame_count if self.project else 100
        self.scale = scale.scrolled_to(scale.first_frame, count, self.width())
        self.update()

    def _keep_visible(self, frame: int) -> None:
        x = self.scale.x_of(frame)
        if x < 0 or x > self.width() - 2:
            self.scroll_by((x - self.width() * 0.25) / self.scale.px_per_frame)

    # -- geometry --------------------------------------------------------------------------------------
    def _frame_at(self, x: float) -> int:
        count = self.project.frame_count if self.project else 1
        return min(count - 1, max(0, math.floor(self.scale.frame_at(x))))

    def _cut_near(self, x: float) -> int:
        if self.project is None:
            return -1
        best, best_dx = -1, CUT_GRAB_PX + 1.0
        for cut in self.project.cuts:
            dx = abs(self.scale.x_of(cut.frame) - x)
            if dx < best_dx:
                best, best_dx = cut.frame, dx
        return best

    def _cut_bounds(self, frame: int) -> tuple[int, int]:
        """The frames a cut may move to: strictly between its neighbours."""
        assert self.project is not None
        frames = [c.frame for c in self.project.cuts]
        i = frames.index(frame)
        low = frames[i - 1] + 1 if i > 0 else 1
        high = frames[i + 1] - 1 if i + 1 < len(frames) else self.project.frame_count - 1
        return low, high

    # -- gestures --------------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        if self.project is None:
            return
        pos = event.position()
        cut = self._cut_near(pos.x()) if pos.y() >= RULER_H + THUMBS_H else -1
        if cut >= 0:
            self.selected_cut = cut
            self.cutSelected.emit(cut)
            if event.button() == Qt.MouseButton.LeftButton:
                self._drag, self._drag_to = ("cut", cut), cut
            self.update()
            return
        if event.button() == Qt.MouseButton.LeftButton:
            if self.selected_cut >= 0:
                self.selected_cut = -1
                self.cutSelected.emit(-1)
            self._drag = ("scrub", 0)
            self.scrubbed.emit(self._frame_at(pos.x()))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self.project is None:
            return
        pos = event.position()
        if self._drag is None:
            over_cut = pos.y() >= RULER_H + THUMBS_H and self._cut_near(pos.x()) >= 0
            self.setCursor(Qt.CursorShape.SizeHorCursor if over_cut else Qt.CursorShape.ArrowCursor)
            return
        kind, frame = self._drag
        if kind == "scrub":
            self.scrubbed.emit(self._frame_at(pos.x()))
        else:
            low, high = self._cut_bounds(frame)
            self._drag_to = min(high, max(low, round(self.scale.frame_at(pos.x()))))
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._drag is not None and self._drag[0] == "cut" and self._drag_to != self._drag[1]:
            origin, target = self._drag[1], self._drag_to
            self.selected_cut = target
            self._drag = None
            self.cutMoveRequested.emit(origin, target)
        self._drag = None
        self.update()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        steps = event.angleDelta().y() / 120 or event.angleDelta().x() / 120
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_by(1.25**steps, event.position().x())
        else:
            self.scroll_by(-steps * 80 / self.scale.px_per_frame)
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(1.5)
        elif event.key() == Qt.Key.Key_Minus:
            self.zoom_by(1 / 1.5)
        else:
            super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        if self.project is not None and event.oldSize().width() > 0:
            # keep the same span of film in view when the window grows
            ratio = event.size().width() / max(1, event.oldSize().width())
            self._set_scale(TimelineScale(self.scale.px_per_frame * ratio, self.scale.first_frame))
        else:
            self.zoom_to_fit()

    # -- painting --------------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(BACKGROUND))
        if self.project is None:
            painter.setPen(QColor(TEXT))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("Open a film or a project to begin"))
            return
        self._paint_ruler(painter, self.project.fps)
        self._paint_thumbnails(painter)
        self._paint_shots(painter)
        self._paint_playhead(painter)

    def _visible_frames(self) -> tuple[int, int]:
        assert self.project is not None
        first = max(0, math.floor(self.scale.first_frame))
        last = min(self.project.frame_count, math.ceil(self.scale.frame_at(self.width())) + 1)
        return first, last

    def _paint_ruler(self, painter: QPainter, fps: Fraction) -> None:
        painter.fillRect(QRectF(0, 0, self.width(), RULER_H), QColor(RULER_BG))
        step = tick_step(self.scale.px_per_frame, fps)
        minor = max(1, step // 5)
        first, last = self._visible_frames()
        painter.setPen(QColor(TEXT))
        font = painter.font()
        font.setPointSizeF(max(7.0, font.pointSizeF() - 1.5))
        painter.setFont(font)
        for frame in range(first - first % minor, last, minor):
            x = self.scale.x_of(frame)
            major = frame % step == 0
            painter.drawLine(QPointF(x, RULER_H - (10 if major else 4)), QPointF(x, RULER_H))
            if major:
                label = f"{format_timecode(frame, fps)}  {frame}"
                painter.drawText(QPointF(x + 3, 12), label)

    def _paint_thumbnails(self, painter: QPainter) -> None:
        top = RULER_H
        painter.fillRect(QRectF(0, top, self.width(), THUMBS_H), QColor("#141518"))
        if not self._thumb_frames:
            return
        sample = self._thumbs[self._thumb_frames[0]]
        slot_w = max(8.0, THUMBS_H * sample.width() / max(1, sample.height()))
        origin = self.scale.x_of(0)
        # slots stay anchored to the film's start, so thumbnails slide with the scroll instead of swapping
        x = origin if origin >= 0 else -((-origin) % slot_w)
        end_x = min(self.width(), self.scale.x_of(self.project.frame_count if self.project else 0))
        while x < end_x:
            frame = self._frame_at(x + 1)
            i = bisect.bisect_right(self._thumb_frames, frame) - 1
            if i >= 0:
                image = self._thumbs[self._thumb_frames[i]]
                painter.drawImage(QRectF(x, top + 1, slot_w, THUMBS_H - 2), image)
            x += slot_w

    def _paint_shots(self, painter: QPainter) -> None:
        assert self.project is not None
        top = RULER_H + THUMBS_H + 2
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        shots = self.project.shots()
        for shot in shots:
            x0, x1 = self.scale.x_of(shot.start), self.scale.x_of(shot.end)
            if x1 < 0 or x0 > self.width():
                continue
            color = QColor(SHOT_COLORS[shot.index % len(SHOT_COLORS)])
            if shot.start <= self.playhead < shot.end:
                color = color.lighter(125)
            painter.fillRect(QRectF(x0, top, max(1.0, x1 - x0), SHOTS_H - 4), color)
        self._paint_transitions(painter, top)
        # numbers last, past any transition ramp at the shot's head, so a ramp never hides them
        painter.setPen(QColor("#e6e6e6"))
        for shot in shots:
            head = max([shot.start] + [t.end for t in self.project.transitions if t.start <= shot.start < t.end])
            x0, x1 = self.scale.x_of(head), self.scale.x_of(shot.end)
            if x1 - x0 > 24 and x1 > 0 and x0 < self.width():
                label = QRectF(max(0.0, x0) + 4, top, x1 - max(0.0, x0) - 6, SHOTS_H - 4)
                painter.drawText(label, Qt.AlignmentFlag.AlignVCenter, str(shot.index + 1))
        for cut in self.project.cuts:
            x = self.scale.x_of(cut.frame)
            selected = cut.frame == self.selected_cut
            pen = QPen(QColor("#f2f2f2" if selected else "#0c0c0e"), 3 if selected else 2)
            if cut.source == "detected" and not selected:
                pen.setColor(QColor(12, 12, 14, int(120 + 135 * cut.confidence)))
            painter.setPen(pen)
            painter.drawLine(QPointF(x, top - 2), QPointF(x, top + SHOTS_H - 4))
        self._paint_keyframes(painter, top + SHOTS_H - 12)
        if self._drag is not None and self._drag[0] == "cut":
            x = self.scale.x_of(self._drag_to)
            painter.setPen(QPen(QColor(PLAYHEAD), 2, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(x, RULER_H), QPointF(x, self.height()))

    def keyframes(self) -> list[int]:
        """The frames that carry hints, in order (each drawn as a diamond on its shot)."""
        return sorted({hint.frame for hint in self.project.hints()}) if self.project is not None else []

    def keyframe_x(self, frame: int) -> float:
        """Where the diamond of keyframe ``frame`` is drawn (the middle of the frame's slot)."""
        return self.scale.x_of(frame + 0.5)

    def _paint_keyframes(self, painter: QPainter, y: float) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(QColor("#141518"), 1.2))
        for frame in self.keyframes():
            x = self.keyframe_x(frame)
            if -KEYFRAME_PX <= x <= self.width() + KEYFRAME_PX:
                painter.setBrush(QColor(PLAYHEAD if frame == self.playhead else KEYFRAME))
                painter.drawPolygon(QPolygonF([QPointF(x, y - KEYFRAME_PX), QPointF(x + KEYFRAME_PX, y),
                                               QPointF(x, y + KEYFRAME_PX), QPointF(x - KEYFRAME_PX, y)]))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)

    def _paint_transitions(self, painter: QPainter, top: float) -> None:
        assert self.project is not None
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        bottom = top + SHOTS_H - 4
        for transition in self.project.transitions:
            x0, x1 = self.scale.x_of(transition.start), self.scale.x_of(transition.end)
            if x1 < 0 or x0 > self.width():
                continue
            ramp = QPainterPath()
            if transition.kind == "fade":
                # down to black and up again: a valley
                mid = (x0 + x1) / 2
                ramp.addPolygon(QPolygonF([QPointF(x0, top), QPointF(mid, bottom), QPointF(x1, top)]))
            else:
                # one picture falls as the other rises: a cross
                ramp.moveTo(x0, bottom)
                ramp.lineTo(x1, top)
                ramp.moveTo(x0, top)
                ramp.lineTo(x1, bottom)
            painter.fillRect(QRectF(x0, top, x1 - x0, bottom - top), QColor(0, 0, 0, 90))
            painter.setPen(QPen(QColor("#d9d9d9"), 1.5))
            painter.drawPath(ramp)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)

    def _paint_playhead(self, painter: QPainter) -> None:
        x = self.scale.x_of(self.playhead) + self.scale.px_per_frame / 2
        painter.setPen(QPen(QColor(PLAYHEAD), 2))
        painter.drawLine(QPointF(x, 0), QPointF(x, self.height()))
        painter.setBrush(QColor(PLAYHEAD))
        painter.drawPolygon(QPolygonF([QPointF(x - 6, 0), QPointF(x + 6, 0), QPointF(x, 8)]))
