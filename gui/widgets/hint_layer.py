"""The hint layer: the strokes of the keyframe under the playhead, drawn over the viewer, and the tools' gestures.

A transparent child of the viewer, the same size. Strokes are stored in source
pixels and mapped through the viewer's zoom and pan when drawn, so they stay
on the picture however it is framed. With the view tool in hand the layer lets
every mouse event through to the viewer (pan, zoom, wipe); with a hint tool it
takes the left button and passes the others on (middle-drag still pans, the
wheel still zooms).

Gestures become commands, pushed once a gesture means something: a brush
stroke is one :class:`AddHint` on release, an eraser drag one step that
removes every stroke it touched, a drag of a selected stroke
:class:`MoveHint` commands that merge into one step. The layer computes no
pixels: the window asks the preview bridge for the new picture when the
project announces the change.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from engine.project.commands import AddHint, Command, EditHint, Macro, MoveHint, RemoveHint
from engine.project.hints import Hint
from gui.bridge.document import Document
from gui.widgets.hint_tools import HintTools, Paint, Tool, stroke_under
from gui.widgets.viewer import Viewer

PICK_SLACK_PX = 6  # screen pixels of grace around a stroke for the select tool
_gestures = itertools.count(1)


def _tr(text: str) -> str:
    return QCoreApplication.translate("HintLayer", text)


class HintLayer(QWidget):
    """Shows and edits the hints on the frame under the playhead.

    Parameters
    ----------
    viewer
        The viewer this layer lies over (its parent).
    tools
        The tool in hand and the brush.
    push
        Pushes an undoable command on the open project; returns whether it took effect.

    Signals
    -------
    selectionChanged(str)
        The selected stroke's hint id ("" when none).
    """

    selectionChanged = Signal(str)

    def __init__(self, viewer: Viewer, tools: HintTools, push: Callable[[Command], bool]) -> None:
        super().__init__(viewer)
        self.setObjectName("hint-layer")
        self.viewer = viewer
        self.tools = tools
        self._push = push
        self.document: Document | None = None
        self.frame = -1
        self.selected = ""
        self._stroke: list[tuple[float, float]] | None = None  # the brush stroke being painted
        self._erased: list[str] = []  # strokes the eraser touched in this drag, hidden until release
        self._erasing = False
        self._drag: tuple[str, tuple[float, float], int] | None = None  # (hint id, last point, gesture)
        self._hover: QPointF | None = None
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # Esc drops the selection
        self.setGeometry(viewer.rect())
        viewer.installEventFilter(self)
        tools.changed.connect(self._tools_changed)
        self._tools_changed()

    # -- what it shows --------------------------------------------------------------------------------
    def set_document(self, document: Document | None) -> None:
        """Show ``document``'s hints (``None``: nothing)."""
        if document is self.document:
            return
        if self.document is not None:
            self.document.shotChanged.disconnect(self._project_changed)
            self.document.cutsChanged.disconnect(self._project_changed)
            self.document.settingsChanged.disconnect(self._project_changed)
        self.document = document
        if document is not None:
            document.shotChanged.connect(self._project_changed)
            document.cutsChanged.connect(self._project_changed)
            document.settingsChanged.connect(self._project_changed)
        self._select("")
        self.update()

    def set_frame(self, frame: int) -> None:
        """Follow the playhead: only the strokes of this frame are shown and editable."""
        if frame != self.frame:
            self.frame = frame
            self._stroke, self._drag, self._erased, self._erasing = None, None, [], False
            self._select("")
            self.update()

    def hints_here(self) -> list[Hint]:
        """The strokes on the current frame, in paint order (the eraser's pending ones left out)."""
        if self.document is None or self.frame < 0:
            return []
        project = self.document.project
        if self.frame >= project.frame_count:
            return []
        data = project.data(project.shot_at(self.frame).id)
        return [h for h in data.hints if h.frame == self.frame and h.id not in self._erased]

    def source_size(self) -> tuple[int, int] | None:
        """The film's size in source pixels (the units of hint points), or ``None`` before it is known."""
        media = self.document.project.media if self.document is not None else None
        fingerprint = media.fingerprint if media is not None else None
        if fingerprint is not None and fingerprint.width and fingerprint.height:
            return fingerprint.width, fingerprint.height
        return self.viewer.frame_size

    # -- mapping --------------------------------------------------------------------------------------
    def to_source(self, pos: QPointF) -> tuple[float, float]:
        """Widget position → source pixel ``(x, y)`` through the viewer's zoom and pan."""
        rect, size = self.viewer.picture_rect(), self.source_size()
        assert size is not None and not rect.isEmpty()
        return ((pos.x() - rect.left()) * size[0] / rect.width(), (pos.y() - rect.top()) * size[1] / rect.height())

    def to_widget(self, x: float, y: float) -> QPointF:
        """Source pixel ``(x, y)`` → widget position."""
        rect, size = self.viewer.picture_rect(), self.source_size()
        assert size is not None
        return QPointF(rect.left() + x * rect.width() / size[0], rect.top() + y * rect.height() / size[1])

    def _px_per_source(self) -> float:
        size = self.source_size()
        return self.viewer.picture_rect().width() / size[0] if size else 1.0

    def can_paint(self) -> bool:
        """Whether the frame under the playhead is on screen to be painted on."""
        return (self.document is not None and self.frame >= 0 and self.source_size() is not None
                and not self.viewer.picture_rect().isEmpty() and self.frame < self.document.project.frame_count)

    # -- edits ----------------------------------------------------------------------------------------
    def recolor_selected(self, paint: Paint) -> bool:
        """Give the selected stroke ``paint`` (a plain color, or a pin); one undo step."""
        if not self.selected:
            return False
        if paint.pin is not None:
            return self._push(EditHint(self.selected, pin=paint.pin))
        return self._push(EditHint(self.selected, color=paint.color))

    def delete_selected(self) -> bool:
        """Erase the selected stroke; ``False`` when none is selected."""
        if not self.selected:
            return False
        removed = self._push(RemoveHint(self.selected))
        self._select("")
        return removed

    def _select(self, hint_id: str) -> None:
        if hint_id != self.selected:
            self.selected = hint_id
            self.selectionChanged.emit(hint_id)
            self.update()

    def _paint_stroke(self) -> None:
        points, self._stroke = self._stroke, None
        if not points:
            return
        paint = self.tools.paint
        hint = Hint(self.frame, tuple(points), self.tools.radius,
                    color=None if paint.pin is not None else paint.color, pin=paint.pin)
        self._push(AddHint(hint))
        self.update()

    def _erase_at(self, pos: QPointF) -> None:
        x, y = self.to_source(pos)
        touched = stroke_under(self.hints_here(), x, y, self.tools.radius)
        while touched is not None:
            self._erased.append(touched.id)
            touched = stroke_under(self.hints_here(), x, y, self.tools.radius)
        self.update()

    def _commit_erase(self) -> None:
        erased, self._erased = self._erased, []
        if len(erased) == 1:
            self._push(RemoveHint(erased[0]))
        elif erased:
            self._push(Macro(_tr("Erase {0} hints").format(len(erased)), [RemoveHint(h) for h in erased]))
        self.update()

    # -- gestures -------------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        pos = event.position()
        if event.button() != Qt.MouseButton.LeftButton or not self.can_paint() \
                or not self.viewer.picture_rect().contains(pos) or self.viewer.near_split(pos):
            event.ignore()  # the viewer pans, zooms and wipes as ever
            return
        tool = self.tools.tool
        if tool == Tool.BRUSH:
            self._stroke = [self.to_source(pos)]
        elif tool == Tool.ERASER:
            self._erased, self._erasing = [], True
            self._erase_at(pos)
        elif tool == Tool.SELECT:
            x, y = self.to_source(pos)
            hit = stroke_under(self.hints_here(), x, y, PICK_SLACK_PX / self._px_per_source())
            self._select(hit.id if hit is not None else "")
            self._drag = (hit.id, (x, y), next(_gestures)) if hit is not None else None
        self.update()
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        pos = event.position()
        self._hover = pos
        if not self.can_paint():
            event.ignore()
            return
        if self._stroke is not None:
            x, y = self.to_source(pos)
            last = self._stroke[-1]
            # a point every quarter brush keeps the polyline smooth without thousands of points
            if math.hypot(x - last[0], y - last[1]) >= max(0.5, self.tools.radius / 4):
                self._stroke.append((x, y))
        elif self._erasing:
            self._erase_at(pos)
        elif self._drag is not None:
            hint_id, (x0, y0), gesture = self._drag
            x, y = self.to_source(pos)
            if (x, y) != (x0, y0):
                self._push(MoveHint(hint_id, x - x0, y - y0, gesture))
                self._drag = (hint_id, (x, y), gesture)
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        if self._stroke is not None:
            self._paint_stroke()
        elif self._erased:
            self._commit_erase()
        self._drag, self._erasing = None, False
        event.accept()

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802
        self._hover = None
        self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape and self.selected:
            self._select("")
        else:
            super().keyPressEvent(event)

    # -- painting -------------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        if self.tools.tool == Tool.VIEW or not self.can_paint():
            return  # the view tool shows the picture clean
        assert self.document is not None
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setClipRect(self.viewer.picture_rect())
        pins = self.document.project.pin_table()
        for hint in self.hints_here():
            self._draw(painter, hint.points, hint.radius, QColor(hint.resolved_color(pins)), hint.id == self.selected)
        if self._stroke:
            self._draw(painter, self._stroke, self.tools.radius, QColor(self.tools.paint.color), False)
        if self._hover is not None and self.tools.tool in (Tool.BRUSH, Tool.ERASER):
            r = self.tools.radius * self._px_per_source()
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor(0, 0, 0, 160), 2.5))
            painter.drawEllipse(self._hover, r, r)
            painter.setPen(QPen(QColor(255, 255, 255, 220), 1))
            painter.drawEllipse(self._hover, r, r)

    def _draw(self, painter: QPainter, points: tuple[tuple[float, float], ...] | list[tuple[float, float]],
              radius: float, color: QColor, selected: bool) -> None:
        width = max(2.0, 2 * radius * self._px_per_source())
        path = QPainterPath(self.to_widget(*points[0]))
        for x, y in points[1:]:
            path.lineTo(self.to_widget(x, y))
        if len(points) == 1:
            path.lineTo(self.to_widget(*points[0]) + QPointF(0.01, 0))  # a dot: a round cap on a tiny line
        rim = QColor(255, 255, 255) if selected else QColor(0, 0, 0, 150)
        for pen_color, pen_width in ((rim, width + (4 if selected else 2)), (color, width)):
            pen = QPen(pen_color, pen_width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            painter.drawPath(path)

    # -- following the viewer and the project ------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.viewer and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.viewer.rect())
        return False

    def _tools_changed(self) -> None:
        tool = self.tools.tool
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, tool == Tool.VIEW)
        self.setCursor(Qt.CursorShape.ArrowCursor if tool in (Tool.VIEW, Tool.SELECT) else Qt.CursorShape.CrossCursor)
        if tool != Tool.SELECT:
            self._select("")
        self.update()

    def _project_changed(self, *_args: object) -> None:
        if self.document is not None:
            self.tools.follow_pins(self.document.project.pins)
        if self.selected and not any(h.id == self.selected for h in self.hints_here()):
            self._select("")
        self.update()
