"""Find a project's film after it moved: pick the file, or let Relume search a folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from engine.errors import ProjectError
from engine.project import Project, find_media
from engine.project.media_ref import MediaRef


class RelinkDialog(QDialog):
    """Says which film is missing and lets the restorer point at it again.

    A chosen file is accepted only when its fingerprint matches the film the
    project was made with, so a different transfer is never taken for it.

    Attributes
    ----------
    chosen
        The verified file, once accepted.
    """

    def __init__(self, project: Project, problem: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Relink media"))
        self.project = project
        self.chosen: Path | None = None
        layout = QVBoxLayout(self)
        message = QLabel(self.tr("The film of this project cannot be used:\n{0}").format(problem), self)
        message.setWordWrap(True)
        layout.addWidget(message)
        self.status = QLabel(self)
        self.status.setObjectName("problem")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        locate = QPushButton(self.tr("Locate the file…"), self)
        search = QPushButton(self.tr("Search a folder…"), self)
        locate.clicked.connect(self._locate)
        search.clicked.connect(self._search)
        layout.addWidget(locate)
        layout.addWidget(search)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Open without media"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def try_file(self, path: Path) -> bool:
        """Accept ``path`` if it is the project's film; otherwise say why and stay open."""
        media: MediaRef | None = self.project.media
        try:
            if media is not None and not media.matches(path):
                self.status.setText(self.tr("{0} is not this project's film (its size or content differ)").format(path))
                return False
        except ProjectError as exc:
            self.status.setText(str(exc))
            return False
        self.chosen = path
        self.accept()
        return True

    def try_folder(self, folder: Path) -> bool:
        """Search ``folder`` (recursively) by fingerprint and accept what is found."""
        found = find_media(self.project, [folder])
        if found is None:
            self.status.setText(self.tr("The film is not in {0}").format(folder))
            return False
        return self.try_file(found)

    def _locate(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Locate the film"))
        if path:
            self.try_file(Path(path))

    def _search(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Search for the film in"))
        if folder:
            self.try_folder(Path(folder))
