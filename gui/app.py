"""Start the editor: ``relume gui [PROJECT|MEDIA]`` and ``relume demo``."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from typing import TYPE_CHECKING

from gui.platform_check import display_problem
from resources import SAMPLE_PROJECT

if TYPE_CHECKING:
    from engine.project import Project
    from gui.bridge.preview_renderer import Look


def main(argv: Sequence[str] = ()) -> int:
    """Open the editor, optionally on a project (``.relume``) or a film; returns the exit code.

    A missing window system is reported as one line (exit code 2) before Qt
    is loaded, because Qt would abort the process instead.
    """
    problem = display_problem()
    if problem is not None:
        print(f"relume: {problem}", file=sys.stderr)
        return 2
    from PySide6.QtCore import QStandardPaths, QTimer
    from PySide6.QtWidgets import QApplication

    from gui.bridge.autosave import AutosaveStore
    from gui.main_window import MainWindow
    from gui.theme import apply_dark_theme

    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.setOrganizationName("Relume")
    app.setApplicationName("Relume")
    apply_dark_theme(app)  # type: ignore[arg-type]
    data = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    window = MainWindow(autosave=AutosaveStore(data / "autosave"), look=film_look)
    window.flow.fill_recent_menu()
    window.show()

    def start() -> None:
        if window.flow.recover_crashed():
            return
        if argv:
            path = Path(argv[0])
            if path.suffix.lower() == ".relume":
                window.flow.open_project(path)
            else:
                window.flow.new_from_media(path)

    QTimer.singleShot(0, start)
    return int(app.exec())


def film_look(project: Project) -> Look:
    """The render engine's per-shot look (deflicker, hint colorization) for the viewer's "after" side."""
    from engine.render.film_preview import FilmPreview

    return FilmPreview(project).look


def demo() -> int:
    """Open the bundled sample project."""
    if not SAMPLE_PROJECT.is_file():
        print(f"relume: {SAMPLE_PROJECT}: the sample project is not installed", file=sys.stderr)
        return 2
    return main([str(SAMPLE_PROJECT)])
