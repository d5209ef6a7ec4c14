"""The open project as Qt sees it: its undo history, its file, its autosave.

Widgets never change the project. They ask the main window, which pushes a
command here; the project announces what changed through its own events,
which this adapter re-emits as Qt signals so every view repaints from the model.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from engine.errors import ProjectError, RelumeError
from engine.project import Project, ProjectEvent, save_project
from engine.project.undo import Command, UndoStack
from gui.bridge.autosave import AutosaveSlot, AutosaveStore


class Document(QObject):
    """One open project with its undo stack and autosave side file.

    Parameters
    ----------
    project
        The project (its ``path`` says where it is saved, ``None`` if never).
    autosave
        Where side files go; ``None`` disables autosave.

    Signals
    -------
    historyChanged()
        Undo index, names or clean state changed (titles and menus follow).
    cutsChanged()
        The cut list, transitions or shot identities changed.
    shotChanged(str)
        One shot's overrides, hints, reference or notes changed.
    settingsChanged()
        Project defaults or the palette changed.
    mediaChanged()
        The project points at another copy of its film.
    editRefused(str)
        An edit was invalid; nothing changed (one line for the status bar).
    """

    historyChanged = Signal()
    cutsChanged = Signal()
    shotChanged = Signal(str)
    settingsChanged = Signal()
    mediaChanged = Signal()
    editRefused = Signal(str)

    def __init__(self, project: Project, autosave: AutosaveStore | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.undo_stack = UndoStack(project)
        self._slot: AutosaveSlot | None = autosave.open_slot(project.path) if autosave else None
        self._history_serial = 0
        self._autosaved_serial = 0
        self._recovered = False
        project.events.connect(self._on_event)
        self.undo_stack.on_change(self._on_history)

    # -- editing ------------------------------------------------------------------------------------
    def push(self, command: Command) -> bool:
        """Apply and record ``command``; an invalid edit is refused with a message, never raised."""
        try:
            return self.undo_stack.push(command)
        except RelumeError as exc:
            self.editRefused.emit(str(exc))
            return False

    def undo(self) -> None:
        """Revert the last edit."""
        self.undo_stack.undo()

    def redo(self) -> None:
        """Re-apply the last undone edit."""
        self.undo_stack.redo()

    @property
    def modified(self) -> bool:
        """Whether there are edits since the last save (a never-saved project counts when edited)."""
        return self._recovered or not self.undo_stack.is_clean()

    def mark_recovered(self) -> None:
        """The project came from an autosave side file: it differs from its file until saved."""
        self._recovered = True
        self._history_serial += 1
        self.historyChanged.emit()

    @property
    def path(self) -> Path | None:
        """The project file, or ``None`` before the first save."""
        return self.project.path

    @property
    def title(self) -> str:
        """The file's name, or "Untitled"-style text chosen by the caller when ``None``."""
        return self.project.path.name if self.project.path else ""

    # -- files ----------------------------------------------------------------------------------------
    def save(self, path: str | os.PathLike[str] | None = None) -> Path:
        """Save to ``path`` (or the current file) and drop the autosave side file.

        Raises
        ------
        ProjectError
            No path is known, or the file cannot be written.
        """
        target = Path(path) if path is not None else self.project.path
        if target is None:
            raise ProjectError("the project has not been saved yet; choose a file name")
        written = save_project(self.project, target)
        self._recovered = False
        self.undo_stack.set_clean()
        if self._slot is not None:
            self._slot.move_to(written)
        self._autosaved_serial = self._history_serial
        self.historyChanged.emit()
        return written

    def needs_autosave(self) -> bool:
        """Whether edits were made since the last save or autosave."""
        return self._slot is not None and self.modified and self._autosaved_serial != self._history_serial

    def autosave(self) -> Path | None:
        """Write the side file if there is anything new; returns it, or ``None`` when nothing was due.

        Raises
        ------
        ProjectError
            The side file cannot be written.
        """
        if not self.needs_autosave():
            return None
        assert self._slot is not None
        side = self._slot.write(self.project)
        self._autosaved_serial = self._history_serial
        return side

    @property
    def autosave_file(self) -> Path | None:
        """Where this project's side file is (or would be) written."""
        return self._slot.side_file if self._slot is not None else None

    def close(self) -> None:
        """Stop listening to the project and remove the side file (a clean close)."""
        self.project.events.disconnect(self._on_event)
        if self._slot is not None:
            self._slot.discard()

    # -- project events -----------------------------------------------------------------------------
    def _on_history(self) -> None:
        self._history_serial += 1
        self.historyChanged.emit()

    def _on_event(self, event: ProjectEvent) -> None:
        if event.kind == "cuts":
            self.cutsChanged.emit()
        elif event.kind == "shot" and event.shot is not None:
            self.shotChanged.emit(event.shot)
        elif event.kind in ("defaults", "pins"):
            self.settingsChanged.emit()
        elif event.kind == "media":
            self.mediaChanged.emit()
