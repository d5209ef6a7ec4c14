"""The cut list as a Qt table model: one row per shot, refreshed from the project's events."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from engine.project import Project, Shot
from gui.timecode import format_timecode

Index = QModelIndex | QPersistentModelIndex


class ShotListModel(QAbstractTableModel):
    """Shots of a project: number, in, out, length and how its opening cut was found.

    It reads the project and never changes it; :meth:`refresh` is called when
    the cut list changes (the document's ``cutsChanged``).
    """

    COLUMNS = 5

    def __init__(self, project: Project | None = None) -> None:
        super().__init__()
        self._project = project
        self._shots: tuple[Shot, ...] = project.shots() if project else ()

    def set_project(self, project: Project | None) -> None:
        """Show another project's shots (``None``: none)."""
        self.beginResetModel()
        self._project = project
        self._shots = project.shots() if project else ()
        self.endResetModel()

    def refresh(self) -> None:
        """Re-read the cut list."""
        self.set_project(self._project)

    def shot(self, row: int) -> Shot:
        """The shot shown in ``row``."""
        return self._shots[row]

    def row_of_frame(self, frame: int) -> int:
        """The row of the shot containing ``frame`` (-1 when there is no project)."""
        if self._project is None:
            return -1
        return self._project.shot_at(min(max(0, frame), self._project.frame_count - 1)).index

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._shots)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (self.tr("Shot"), self.tr("In"), self.tr("Out"), self.tr("Frames"), self.tr("Cut"))[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or self._project is None:
            return None
        shot = self._shots[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole and column != 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        fps = self._project.fps
        if column == 0:
            return shot.index + 1
        if column == 1:
            return format_timecode(shot.start, fps)
        if column == 2:
            return format_timecode(shot.end - 1, fps)
        if column == 3:
            return shot.frame_count
        if shot.index == 0:
            return ""
        cut = self._project.cuts[shot.index - 1]
        return self.tr("by hand") if cut.source == "manual" else self.tr("detected {0:.0%}").format(cut.confidence)
