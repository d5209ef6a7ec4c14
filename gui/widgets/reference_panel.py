"""The reference panel: a color photograph for the current shot, and an eyedropper over it (and over the screen).

The photograph is the shot's ``reference`` in the project (set and cleared by
undoable commands); the panel reads it with QImage for display only — the
engine reads it again when it colorizes. A click on the photograph picks its
color into the hint brush; "Add to palette" pins the picked color. The
screen eyedropper picks from anywhere on the desktop where the window system
lets Qt read the screen.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QImage,
    QImageReader,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from engine.project.commands import AddPin, ClearReference, Command, SetReference
from engine.project.hints import ColorPin
from gui.bridge.document import Document
from gui.dialogs.prompts import ReferenceQuestions
from gui.widgets.hint_tools import HintTools


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReferencePanel", text)


def color_on_screen(point: QPoint) -> str | None:
    """The ``#rrggbb`` color of the screen at global ``point``; ``None`` where the screen cannot be read."""
    screen = QGuiApplication.screenAt(point)
    if screen is None:
        return None
    geometry = screen.geometry()
    shot = screen.grabWindow(0, point.x() - geometry.x(), point.y() - geometry.y(), 1, 1)
    if shot.isNull():
        return None
    image = shot.toImage()
    return image.pixelColor(0, 0).name() if image.width() and image.height() else None


class ReferenceView(QWidget):
    """A photograph fitted to the widget; a click picks the color under the pointer.

    Signals
    -------
    picked(str)
        ``#rrggbb`` of the photograph's pixel that was clicked.
    """

    picked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reference-view")
        self.setMinimumSize(120, 24)  # the dock may shrink to its buttons; the picture follows
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.image = QImage()
        self.message = ""
        self.marker: QPointF | None = None  # the last picked pixel, in image pixels

    def set_image(self, image: QImage, message: str = "") -> None:
        """Show ``image`` (a null image shows ``message`` instead)."""
        self.image, self.message, self.marker = image, message, None
        self.update()

    def image_rect(self) -> QRectF:
        """Where the photograph is drawn, fitted and centred."""
        if self.image.isNull():
            return QRectF()
        scale = min(self.width() / self.image.width(), self.height() / self.image.height())
        w, h = self.image.width() * scale, self.image.height() * scale
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def pixel_at(self, pos: QPointF) -> QPoint | None:
        """The image pixel under widget position ``pos``, or ``None`` off the photograph."""
        rect = self.image_rect()
        if rect.isEmpty() or not rect.contains(pos):
            return None
        x = int((pos.x() - rect.left()) * self.image.width() / rect.width())
        y = int((pos.y() - rect.top()) * self.image.height() / rect.height())
        return QPoint(min(x, self.image.width() - 1), min(y, self.image.height() - 1))

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        pixel = self.pixel_at(event.position()) if event.button() == Qt.MouseButton.LeftButton else None
        if pixel is None:
            event.ignore()
            return
        self.marker = QPointF(pixel.x() + 0.5, pixel.y() + 0.5)
        self.update()
        self.picked.emit(self.image.pixelColor(pixel).name())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(18, 18, 20))
        if self.image.isNull():
            painter.setPen(QColor(150, 150, 155))
            painter.drawText(self.rect().adjusted(8, 8, -8, -8),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.message)
            return
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        rect = self.image_rect()
        painter.drawImage(rect, self.image)
        if self.marker is not None:
            point = QPointF(rect.left() + self.marker.x() * rect.width() / self.image.width(),
                            rect.top() + self.marker.y() * rect.height() / self.image.height())
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setPen(QPen(QColor(0, 0, 0, 180), 3))
            painter.drawEllipse(point, 6, 6)
            painter.setPen(QPen(QColor(255, 255, 255), 1.5))
            painter.drawEllipse(point, 6, 6)


class ReferencePanel(QWidget):
    """The reference dock's content: the photograph, its buttons, the picked color.

    Parameters
    ----------
    push
        Pushes an undoable command on the open project; returns whether it took effect.
    tools
        The hint brush a picked color goes to.
    questions
        Asks for a photograph and a pin name (tests script answers).
    parent
        The owning widget.

    Signals
    -------
    colorPicked(str)
        A color was picked (from the photograph or the screen) into the brush.
    """

    colorPicked = Signal(str)

    def __init__(self, push: Callable[[Command], bool], tools: HintTools,
                 questions: ReferenceQuestions | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reference-panel")
        self._push = push
        self.tools = tools
        self.questions = questions if questions is not None else ReferenceQuestions(self)
        self.document: Document | None = None
        self.shot_id: str | None = None
        self.picked: str | None = None
        self._showing: Path | str | None = ""  # what the view shows; "" until it shows anything
        self.view = ReferenceView(self)
        self.view.picked.connect(self.use_color)
        self.swatch = QLabel(self)
        self.swatch.setObjectName("reference-swatch")
        self.swatch.setFixedSize(16, 16)
        self.picked_label = QLabel(self)
        # a long hint must never widen the dock
        self.picked_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.buttons: dict[str, QToolButton] = {}
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for name in ("load", "clear", "screen", "add_pin"):
            button = QToolButton(self)
            button.setObjectName(f"reference-{name}")
            row.addWidget(button)
            self.buttons[name] = button
        picked = QHBoxLayout()
        picked.setContentsMargins(0, 0, 0, 0)
        picked.addWidget(self.swatch)
        picked.addWidget(self.picked_label, 1)
        self.buttons["load"].clicked.connect(self.load_reference)
        self.buttons["clear"].clicked.connect(self.clear_reference)
        self.buttons["screen"].clicked.connect(self.pick_from_screen)
        self.buttons["add_pin"].clicked.connect(self.add_to_palette)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(row)
        layout.addWidget(self.view, 1)
        layout.addLayout(picked)
        self._picking_screen = False
        self.retranslate()
        self._enable()

    # -- the document and the shot --------------------------------------------------------------------
    def set_document(self, document: Document | None) -> None:
        """Follow ``document`` (the same document again is a no-op)."""
        if document is self.document:
            return
        if self.document is not None:
            self.document.shotChanged.disconnect(self._shot_changed)
            self.document.cutsChanged.disconnect(self.refresh)
        self.document = document
        if document is not None:
            document.shotChanged.connect(self._shot_changed)
            document.cutsChanged.connect(self.refresh)
        self.shot_id = None
        self._showing = ""
        self.refresh()

    def set_shot(self, shot_id: str | None) -> None:
        """Show the reference of shot ``shot_id``."""
        if shot_id != self.shot_id:
            self.shot_id = shot_id
            self.refresh()

    def reference(self) -> Path | None:
        """The current shot's reference photograph, or ``None``."""
        if self.document is None or self.shot_id is None:
            return None
        try:
            return self.document.project.data(self.shot_id).reference
        except KeyError:
            return None

    def refresh(self) -> None:
        """Re-read the current shot's reference (only when it changed: decoding a photograph is not free)."""
        path = self.reference()
        if path == self._showing:
            self._enable()
            return
        self._showing = path
        if path is None:
            message = _tr("No reference photograph for this shot") if self.shot_id else _tr("No project open")
            self.view.set_image(QImage(), message)
        else:
            image = QImage(str(path))
            self.view.set_image(image, "" if not image.isNull() else
                                _tr("{0}: cannot be read as a photograph").format(path.name))
        self._enable()

    def _shot_changed(self, shot_id: str) -> None:
        if shot_id == self.shot_id:
            self.refresh()

    # -- gestures -------------------------------------------------------------------------------------
    def load_reference(self) -> bool:
        """Ask for a photograph and make it the current shot's reference (one undo step)."""
        if self.document is None or self.shot_id is None:
            return False
        path = self.questions.reference_image()
        if path is None:
            return False
        if QImageReader(str(path)).size().isEmpty():
            self.view.set_image(QImage(), _tr("{0}: cannot be read as a photograph").format(path.name))
            self._showing = ""
            return False
        return self._push(SetReference(self.shot_id, path))

    def clear_reference(self) -> bool:
        """Remove the current shot's reference (one undo step)."""
        if self.shot_id is None or self.reference() is None:
            return False
        return self._push(ClearReference(self.shot_id))

    def use_color(self, color: str) -> None:
        """Take ``color`` (picked from the photograph or the screen) into the hint brush."""
        self.picked = color
        self.tools.set_color(color)
        self.swatch.setStyleSheet(f"background: {color}; border: 1px solid #55585e;")
        self.picked_label.setText(color)
        self.colorPicked.emit(color)
        self._enable()

    def add_to_palette(self) -> ColorPin | None:
        """Pin the picked color under a name the restorer gives; returns the new pin."""
        if self.picked is None or self.document is None:
            return None
        pin = self.questions.new_pin(self.picked)
        if pin is None or not self._push(AddPin(pin)):
            return None
        self.tools.set_pin(pin)
        return pin

    def pick_from_screen(self) -> None:
        """Arm the screen eyedropper: the next click anywhere picks the color under it (Esc cancels).

        Clicks on the editor's own windows are caught by an application-wide
        event filter; clicks elsewhere on the desktop reach the panel through a
        mouse grab, where the window system allows one.
        """
        if self._picking_screen:
            return
        self._picking_screen = True
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        self.grabMouse(Qt.CursorShape.CrossCursor)

    def _end_screen_pick(self) -> None:
        self._picking_screen = False
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.releaseMouse()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if not self._picking_screen:
            return False
        if event.type() == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            self._end_screen_pick()
            color = color_on_screen(event.globalPosition().toPoint())
            if color is None:
                self.picked_label.setText(_tr("The screen cannot be read here"))
            else:
                self.use_color(color)
            return True  # the click picked a color; it presses nothing
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() == Qt.Key.Key_Escape:
            self._end_screen_pick()
            return True
        if event.type() == QEvent.Type.MouseButtonRelease:
            return True
        return False

    # -- looks ----------------------------------------------------------------------------------------
    def _enable(self) -> None:
        has_shot = self.document is not None and self.shot_id is not None
        self.buttons["load"].setEnabled(has_shot)
        self.buttons["clear"].setEnabled(has_shot and self.reference() is not None)
        self.buttons["add_pin"].setEnabled(self.document is not None and self.picked is not None)

    def retranslate(self) -> None:
        """Label the panel in the current language."""
        labels = {
            "load": (_tr("Load…"), _tr("Choose a color photograph to guide this shot")),
            "clear": (_tr("Clear"), _tr("Remove this shot's reference photograph")),
            "screen": (_tr("Pick from Screen"), _tr("Click anywhere on the screen to pick its color")),
            "add_pin": (_tr("Add to Palette"), _tr("Pin the picked color under a name")),
        }
        for name, (text, tip) in labels.items():
            self.buttons[name].setText(text)
            self.buttons[name].setToolTip(tip)
        self.view.setToolTip(_tr("Click the photograph to pick a color into the brush"))
        if not self.picked:
            self.picked_label.setText(_tr("Click the photograph to pick a color"))
        self._showing = ""  # the "no reference" message is in the old language
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
