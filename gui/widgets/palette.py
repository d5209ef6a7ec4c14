"""The palette of pinned colors: named swatches every shot's hints may paint with.

A thin view over the project's pins. The list is a Qt model that re-reads the
project whenever the document announces a palette change (an edit, an undo, a
redo); every gesture becomes one undoable command pushed through the window,
never a change made here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QEvent,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from engine.project import Project
from engine.project.commands import AddPin, Command, RecolorPin, RemovePin, RenamePin, ReorderPin
from engine.project.hints import ColorPin
from gui.bridge.document import Document
from gui.dialogs.prompts import PinQuestions

__all__ = ["PIN_MIME", "PalettePanel", "PinListModel", "PinQuestions"]

SWATCH_PX = 22
# what a dragged swatch carries: the pin's id, so a drop becomes a ReorderPin command
PIN_MIME = "application/x-relume-pin"
ModelIndex = QModelIndex | QPersistentModelIndex


def _tr(text: str) -> str:
    return QCoreApplication.translate("Palette", text)


class PinListModel(QAbstractListModel):
    """The project's pins in palette order: the name as text, the color as a swatch.

    Parameters
    ----------
    reorder
        Called with ``(pin_id, row)`` when a swatch is dropped at ``row``; the
        model never moves rows itself, it shows the project after the command.
    parent
        The owning object.
    """

    PinIdRole = int(Qt.ItemDataRole.UserRole) + 1

    def __init__(self, reorder: Callable[[str, int], object] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._reorder = reorder
        self._pins: tuple[ColorPin, ...] = ()
        self._project: Project | None = None

    def set_project(self, project: Project | None) -> None:
        """Show ``project``'s palette (``None``: empty)."""
        self._project = project
        self.refresh()

    def refresh(self) -> None:
        """Re-read the pins; a pin's identity is its id, so views keep their selection by id."""
        self.beginResetModel()
        self._pins = self._project.pins if self._project is not None else ()
        self.endResetModel()

    def pin(self, row: int) -> ColorPin:
        """The pin on ``row``."""
        return self._pins[row]

    def row_of(self, pin_id: str) -> int:
        """The row of pin ``pin_id``, or -1."""
        return next((row for row, pin in enumerate(self._pins) if pin.id == pin_id), -1)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008 (Qt's name and default)
        return 0 if parent.isValid() else len(self._pins)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._pins):
            return None
        pin = self._pins[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return pin.name
        if role == Qt.ItemDataRole.DecorationRole:
            swatch = QPixmap(SWATCH_PX, SWATCH_PX)
            swatch.fill(QColor(pin.color))
            return QIcon(swatch)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{pin.name}  {pin.color}"
        if role == self.PinIdRole:
            return pin.id
        return None

    # -- drag and drop: a dropped swatch is a reorder ------------------------------------------------
    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid():
            return base | Qt.ItemFlag.ItemIsDragEnabled
        return Qt.ItemFlag.ItemIsDropEnabled  # drops land between swatches, never onto one

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802 (Qt's name)
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [PIN_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # noqa: N802
        mime = QMimeData()
        if indexes:
            mime.setData(PIN_MIME, self._pins[indexes[0].row()].id.encode("utf-8"))
        return mime

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,  # noqa: N802
                     parent: ModelIndex) -> bool:
        if action != Qt.DropAction.MoveAction or not data.hasFormat(PIN_MIME) or self._reorder is None:
            return False
        pin_id = bytes(data.data(PIN_MIME).data()).decode("utf-8")
        source = self.row_of(pin_id)
        if source < 0:
            return False
        target = len(self._pins) if row < 0 else row
        # dropping below itself: the swatch leaves its own row first
        target = min(target - 1 if target > source else target, len(self._pins) - 1)
        if target != source:
            self._reorder(pin_id, target)
        # False: the view must not delete the dragged row; the project's pins event redraws the list
        return False


class PalettePanel(QWidget):
    """The palette dock's content: the swatch list and its add/rename/recolor/reorder/remove buttons.

    Parameters
    ----------
    push
        Pushes an undoable command on the open project (the window's ``push``);
        returns whether it took effect.
    questions
        Asks for a color and a name (tests script answers).
    parent
        The owning widget.
    """

    def __init__(
        self,
        push: Callable[[Command], bool],
        questions: PinQuestions | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("palette")
        self._push = push
        self.questions = questions if questions is not None else PinQuestions(self)
        self.document: Document | None = None
        self.model = PinListModel(self._drop_pin, self)
        self.swatches = QListView(self)
        self.swatches.setObjectName("palette-swatches")
        self.swatches.setModel(self.model)
        self.swatches.setIconSize(QSize(SWATCH_PX, SWATCH_PX))
        self.swatches.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.swatches.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.swatches.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.swatches.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.swatches.doubleClicked.connect(lambda _index: self.recolor_pin())
        self.swatches.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self.buttons: dict[str, QToolButton] = {}
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        gestures: dict[str, Callable[[], object]] = {
            "add": self.add_pin, "rename": self.rename_pin, "recolor": self.recolor_pin,
            "up": lambda: self.move_pin(-1), "down": lambda: self.move_pin(+1), "remove": self.remove_pin,
        }
        for name, gesture in gestures.items():
            button = QToolButton(self)
            button.setObjectName(f"palette-{name}")
            button.clicked.connect(gesture)
            row.addWidget(button)
            self.buttons[name] = button
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.swatches, 1)
        layout.addLayout(row)
        self.retranslate()
        self._enable()

    # -- the document ---------------------------------------------------------------------------------
    def set_document(self, document: Document | None) -> None:
        """Show ``document``'s palette and follow its changes (the same document again is a no-op)."""
        if document is self.document:
            return
        if self.document is not None:
            self.document.settingsChanged.disconnect(self._palette_changed)
        self.document = document
        if document is not None:
            document.settingsChanged.connect(self._palette_changed)
        self.model.set_project(document.project if document is not None else None)
        self._enable()

    def _palette_changed(self) -> None:
        # settingsChanged also covers project defaults; a reset of a few rows is cheap either way
        chosen = self.selected_pin()
        self.model.refresh()
        if chosen is not None:
            self.select_pin(chosen.id)
        self._enable()

    # -- selection ------------------------------------------------------------------------------------
    def selected_pin(self) -> ColorPin | None:
        """The pin the restorer selected, or ``None``."""
        rows = self.swatches.selectionModel().selectedRows()
        return self.model.pin(rows[0].row()) if rows else None

    def select_pin(self, pin_id: str) -> None:
        """Select pin ``pin_id`` (nothing when it is not in the palette)."""
        row = self.model.row_of(pin_id)
        if row >= 0:
            self.swatches.setCurrentIndex(self.model.index(row))
        else:
            self.swatches.clearSelection()
        self._enable()

    # -- gestures -------------------------------------------------------------------------------------
    def add_pin(self) -> ColorPin | None:
        """Pick a color, name it, add it to the palette (one undo step); returns the new pin."""
        if self.document is None:
            return None
        color = self.questions.pin_color(None)
        if color is None:
            return None
        pin = self.questions.new_pin(color)
        if pin is None or not self._push(AddPin(pin)):
            return None
        self.select_pin(pin.id)
        return pin

    def rename_pin(self) -> None:
        """Give the selected pin a new name; its hints keep using it."""
        pin = self.selected_pin()
        if pin is None:
            return
        name = self.questions.pin_name(pin.name)
        if name is not None and name != pin.name:
            self._push(RenamePin(pin.id, name))

    def recolor_pin(self) -> None:
        """Pick a new color for the selected pin: every shot painted with it changes, as one undo step."""
        pin = self.selected_pin()
        if pin is None:
            return
        color = self.questions.pin_color(pin.color)
        if color is not None and color.lower() != pin.color.lower():
            self._push(RecolorPin(pin.id, color))

    def move_pin(self, step: int) -> None:
        """Move the selected swatch ``step`` places up (negative) or down the palette."""
        pin = self.selected_pin()
        if pin is None:
            return
        target = self.model.row_of(pin.id) + step
        if 0 <= target < self.model.rowCount() and self._push(ReorderPin(pin.id, target)):
            self.select_pin(pin.id)

    def _drop_pin(self, pin_id: str, index: int) -> None:
        def reorder() -> None:
            if self._push(ReorderPin(pin_id, index)):
                self.select_pin(pin_id)

        # only once the view's drop handling has returned: the palette event resets the model under it
        QTimer.singleShot(0, reorder)

    def remove_pin(self) -> None:
        """Take the selected pin out of the palette; hints that used it keep its color."""
        pin = self.selected_pin()
        if pin is not None:
            self._push(RemovePin(pin.id))

    # -- looks ----------------------------------------------------------------------------------------
    def _enable(self) -> None:
        pin = self.selected_pin()
        row = self.model.row_of(pin.id) if pin is not None else -1
        self.buttons["add"].setEnabled(self.document is not None)
        for name in ("rename", "recolor", "remove"):
            self.buttons[name].setEnabled(pin is not None)
        self.buttons["up"].setEnabled(row > 0)
        self.buttons["down"].setEnabled(0 <= row < self.model.rowCount() - 1)

    def retranslate(self) -> None:
        """Label the buttons in the current language."""
        labels = {
            "add": (_tr("Add"), _tr("Pick a color and add it to the palette")),
            "rename": (_tr("Rename"), _tr("Rename the selected pinned color")),
            "recolor": (_tr("Recolor"), _tr("Change the selected color in every shot that uses it")),
            "up": ("▲", _tr("Move the selected color up")),
            "down": ("▼", _tr("Move the selected color down")),
            "remove": (_tr("Remove"), _tr("Remove the selected color; its strokes keep their color")),
        }
        for name, (text, tip) in labels.items():
            self.buttons[name].setText(text)
            self.buttons[name].setToolTip(tip)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
