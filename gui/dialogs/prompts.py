"""Every question the editor asks the restorer, in one place.

The main window never opens a modal dialog itself; it asks a :class:`Prompts`.
Tests give the window a :class:`Prompts` whose answers are scripted, so they
drive the real window through its real code paths without a modal loop. The
color panels ask their own, smaller sets of questions (:class:`PinQuestions`,
:class:`ReferenceQuestions`), scripted the same way.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QColorDialog, QDialog, QFileDialog, QInputDialog, QMessageBox, QWidget

from engine.errors import RelumeError
from engine.project import Project
from engine.project.hints import ColorPin
from engine.render.export import ExportRequest
from gui.bridge.autosave import Recovery
from gui.dialogs.export_dialog import ExportDialog
from gui.dialogs.relink_dialog import RelinkDialog

MEDIA_FILTER = "Film (*.mov *.mp4 *.mkv *.mxf *.avi *.m2v *.mpg *.mpeg *.ts *.dv *.dpx *.tif *.tiff *.exr *.png);;All files (*)"
PROJECT_FILTER = "Relume project (*.relume)"
IMAGE_FILTER = "Photographs (*.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp);;All files (*)"


def _tr(text: str) -> str:
    return QCoreApplication.translate("Prompts", text)


class Prompts:
    """Modal questions, parented to ``window``."""

    def __init__(self, window: QWidget) -> None:
        self.window = window

    def unsaved_changes(self, name: str) -> str:
        """``"save"``, ``"discard"`` or ``"cancel"`` for a project with unsaved edits."""
        box = QMessageBox(QMessageBox.Icon.Warning, _tr("Unsaved changes"),
                          _tr("Save the changes to {0} before closing it?").format(name), parent=self.window)
        box.setStandardButtons(
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel
        )
        answer = box.exec()
        return {QMessageBox.StandardButton.Save: "save", QMessageBox.StandardButton.Discard: "discard"}.get(
            QMessageBox.StandardButton(answer), "cancel"
        )

    def recover(self, recovery: Recovery) -> bool:
        """Whether to reopen the edits an editor left behind when it stopped unexpectedly."""
        name = recovery.origin.name if recovery.origin else _tr("an unsaved project")
        answer = QMessageBox.question(
            self.window, _tr("Recover unsaved edits"),
            _tr("Relume did not close properly. Recover the unsaved edits of {0}?").format(name),
        )
        return answer == QMessageBox.StandardButton.Yes

    def media_to_open(self) -> Path | None:
        """A film to start a new project from."""
        path, _ = QFileDialog.getOpenFileName(self.window, _tr("New project from film"), "", MEDIA_FILTER)
        return Path(path) if path else None

    def project_to_open(self) -> Path | None:
        """A ``.relume`` file."""
        path, _ = QFileDialog.getOpenFileName(self.window, _tr("Open project"), "", PROJECT_FILTER)
        return Path(path) if path else None

    def save_path(self, suggestion: Path) -> Path | None:
        """Where to save the project."""
        path, _ = QFileDialog.getSaveFileName(self.window, _tr("Save project as"), str(suggestion), PROJECT_FILTER)
        if not path:
            return None
        chosen = Path(path)
        return chosen if chosen.suffix == ".relume" else chosen.with_name(chosen.name + ".relume")

    def relink(self, project: Project, problem: str) -> Path | None:
        """The moved film, found by the restorer; ``None`` to open the project without it."""
        dialog = RelinkDialog(project, problem, self.window)
        return dialog.chosen if dialog.exec() == QDialog.DialogCode.Accepted else None

    def export(self, project: Project) -> ExportRequest | None:
        """The master to queue, or ``None``."""
        dialog = ExportDialog(project, self.window)
        return dialog.request() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def error(self, message: str) -> None:
        """Tell the restorer what went wrong (one line from a ``RelumeError``)."""
        QMessageBox.warning(self.window, _tr("Relume"), message)

    @staticmethod
    def describe(exc: RelumeError) -> str:
        """The line shown for ``exc``."""
        return str(exc)


class PinQuestions:
    """The palette's questions to the restorer (a color, a name); tests script a subclass.

    Parameters
    ----------
    parent
        The widget the dialogs are modal over.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent

    def pin_color(self, current: str | None) -> str | None:
        """A ``#rrggbb`` color from the color picker, starting at ``current``; ``None`` if cancelled."""
        start = QColor(current) if current else QColor("#808080")
        chosen = QColorDialog.getColor(start, self.parent, _tr("Pinned color"))
        return chosen.name() if chosen.isValid() else None

    def pin_name(self, current: str) -> str | None:
        """The pin's name ("skin", "sky"); ``None`` if cancelled or left blank."""
        text, ok = QInputDialog.getText(self.parent, _tr("Pinned color"), _tr("Name"), text=current)
        return text.strip() if ok and text.strip() else None

    def new_pin(self, color: str) -> ColorPin | None:
        """A new pin of ``color`` under the name the restorer gives (:meth:`pin_name`); ``None`` if cancelled."""
        name = self.pin_name("")
        return ColorPin(name, color) if name is not None else None


class ReferenceQuestions(PinQuestions):
    """The reference panel's questions: a photograph to open, and a name for a color it adds to the palette."""

    def reference_image(self) -> Path | None:
        """A color photograph to guide the shot; ``None`` if cancelled."""
        path, _ = QFileDialog.getOpenFileName(self.parent, _tr("Reference photograph"), "", IMAGE_FILTER)
        return Path(path) if path else None

    def brush_color(self, current: str) -> str | None:
        """A ``#rrggbb`` color for the hint brush, starting at ``current``; ``None`` if cancelled."""
        chosen = QColorDialog.getColor(QColor(current), self.parent, _tr("Brush color"))
        return chosen.name() if chosen.isValid() else None
