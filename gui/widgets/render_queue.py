"""The render queue: exports run one after another in the background, with progress, fps and ETA."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.media.atomic import remove_path
from engine.progress import CancelToken, Progress, ProgressCallback
from engine.project import Project
from engine.render.export import ExportRequest, ExportResult, export_master
from engine.render.film_export import FilmExport, export_film
from engine.render.segments import parts_folder
from gui.bridge.jobs import Job


@dataclass(eq=False)
class RenderItem:
    """One export in the queue: its request, the project as it was queued, and its latest state.

    With a project, the film is rendered shot by shot with every shot's look
    (the render engine's segmented export); without one, the media is
    transcoded as it is.
    """

    request: ExportRequest
    project: Project | None = None
    resuming: bool = False
    state: str = "queued"  # queued, rendering, verifying, done, failed, cancelled, paused
    pausing: bool = False
    progress: Progress | None = None
    message: str = ""
    job: Job | None = field(default=None, repr=False)
    result: ExportResult | None = None


class RenderQueue(QObject):
    """Runs queued exports one at a time on a worker thread.

    Signals
    -------
    itemChanged(object)
        A :class:`RenderItem` changed state or progressed.
    itemFinished(object)
        A :class:`RenderItem` reached done, failed, cancelled or paused.
    """

    itemChanged = Signal(object)
    itemFinished = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.items: list[RenderItem] = []
        self._current: RenderItem | None = None

    def add(self, request: ExportRequest, project: Project | None = None) -> RenderItem:
        """Queue an export (of ``project``'s shots when given: pass a snapshot, not the live project)."""
        item = RenderItem(request, project)
        self.items.append(item)
        self.itemChanged.emit(item)
        self._next()
        return item

    def cancel(self, item: RenderItem) -> None:
        """Stop a running export (its partial output is removed), unqueue a waiting one, or drop a paused one's shots."""
        if item.state not in ("paused", "queued") and item.job is not None and item.job.running:
            item.pausing = False
            item.job.cancel()
        elif item.state in ("queued", "paused"):
            if item.state == "paused":
                remove_path(parts_folder(item.request.target))
            item.state = "cancelled"
            self.itemChanged.emit(item)
            self.itemFinished.emit(item)

    def pause(self, item: RenderItem) -> None:
        """Stop a running project export keeping its finished shots, so that :meth:`resume` goes on from there.

        A plain transcode has no shots to keep: pausing it cancels it.
        """
        if item.job is not None and item.job.running:
            if item.project is None:
                item.job.cancel()
                return
            item.pausing = True
            item.job.pause()

    def resume(self, item: RenderItem) -> None:
        """Queue a paused, cancelled or failed export again.

        A project export that was paused or failed keeps its finished shots and
        renders only the rest; a cancelled one was cleaned up, so it starts over.
        """
        if item.state in ("cancelled", "failed", "paused"):
            item.resuming = item.project is not None and item.state in ("failed", "paused")
            item.pausing = False
            item.state, item.progress, item.message, item.job = "queued", None, "", None
            self.itemChanged.emit(item)
            self._next()

    @property
    def busy(self) -> bool:
        """Whether an export is running."""
        return self._current is not None

    def shutdown(self) -> None:
        """Cancel everything and wait for the running export to clean up (on quit)."""
        for item in self.items:
            if item.state == "queued":
                item.state = "cancelled"
        if self._current is not None and self._current.job is not None:
            self._current.job.cancel()
            self._current.job.wait()

    def _next(self) -> None:
        if self._current is not None:
            return
        item = next((i for i in self.items if i.state == "queued"), None)
        if item is None:
            return
        request, project, resuming = item.request, item.project, item.resuming

        def work(progress: ProgressCallback, cancel: CancelToken) -> ExportResult:
            if project is None:
                return export_master(request, progress=progress, cancel=cancel)
            return export_film(project, film_export(request, resuming), progress=progress, cancel=cancel)

        job = Job(request.target.name, work, self)
        item.job, item.state = job, "rendering"
        self._current = item
        job.progressed.connect(lambda p, item=item: self._progressed(item, p))
        job.succeeded.connect(lambda r, item=item: self._ended(item, "done", result=r))
        job.failed.connect(lambda m, item=item: self._ended(item, "failed", message=m))
        job.cancelled.connect(lambda item=item: self._ended(item, "paused" if item.pausing else "cancelled"))
        job.ended.connect(self._job_ended)
        self.itemChanged.emit(item)
        job.start()

    def _progressed(self, item: RenderItem, progress: Progress) -> None:
        item.progress = progress
        item.state = "verifying" if progress.stage == "verifying" else "rendering"
        self.itemChanged.emit(item)

    def _ended(self, item: RenderItem, state: str, result: ExportResult | None = None, message: str = "") -> None:
        item.state, item.result, item.message = state, result, message
        self.itemChanged.emit(item)
        self.itemFinished.emit(item)

    def _job_ended(self) -> None:
        self._current = None
        self._next()


def film_export(request: ExportRequest, resume: bool = False) -> FilmExport:
    """The dialog's choices as the export overrides of a project export."""
    overrides = {
        "export.preset": request.preset,
        "export.size": "source" if request.size is None else str(request.size),
        "export.fit": request.fit.value,
        "export.audio": request.audio,
        "export.fps": "source" if request.fps is None else str(request.fps),
    }
    return FilmExport(request.target, overrides, overwrite=request.overwrite, resume=resume)


def _eta_text(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    minutes, secs = divmod(int(seconds + 0.5), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class RenderQueuePanel(QWidget):
    """The queue as a list: target, state, progress bar, fps, ETA; cancel and resume."""

    COLUMNS = 5

    def __init__(self, queue: RenderQueue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.queue = queue
        self.list = QTreeWidget(self)
        self.list.setRootIsDecorated(False)
        self.list.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.cancel_button = QPushButton(self)
        self.pause_button = QPushButton(self)
        self.resume_button = QPushButton(self)
        self.cancel_button.clicked.connect(lambda: self._on_selected(queue.cancel))
        self.pause_button.clicked.connect(lambda: self._on_selected(queue.pause))
        self.resume_button.clicked.connect(lambda: self._on_selected(queue.resume))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.pause_button)
        buttons.addWidget(self.resume_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self._rows: dict[int, QTreeWidgetItem] = {}
        self._bars: dict[int, QProgressBar] = {}
        queue.itemChanged.connect(self._show)
        self.retranslate()

    def retranslate(self) -> None:
        """Label the panel in the current language."""
        self.list.setHeaderLabels([self.tr("Master"), self.tr("State"), self.tr("Progress"), self.tr("fps"), self.tr("ETA")])
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop the export and remove everything it wrote"))
        self.pause_button.setText(self.tr("Pause"))
        self.pause_button.setToolTip(self.tr("Stop the export after keeping the shots it finished"))
        self.resume_button.setText(self.tr("Resume"))
        self.resume_button.setToolTip(self.tr("Queue a paused, cancelled or failed export again; a paused or failed "
                                              "project export renders only the shots it had not finished"))
        self._states = {
            "queued": self.tr("Queued"), "rendering": self.tr("Rendering"), "verifying": self.tr("Verifying"),
            "done": self.tr("Done"), "failed": self.tr("Failed"), "cancelled": self.tr("Cancelled"),
            "paused": self.tr("Paused"),
        }
        for item in self.queue.items:
            self._show(item)

    def _on_selected(self, action: Callable[[RenderItem], None]) -> None:
        row = self.list.currentItem()
        if row is not None:
            action(row.data(0, Qt.ItemDataRole.UserRole))

    def _show(self, item: RenderItem) -> None:
        key = id(item)
        row = self._rows.get(key)
        if row is None:
            row = QTreeWidgetItem([str(item.request.target.name), "", "", "", ""])
            row.setData(0, Qt.ItemDataRole.UserRole, item)
            row.setToolTip(0, str(item.request.target))
            self.list.addTopLevelItem(row)
            bar = QProgressBar(self.list)
            bar.setRange(0, 1000)
            self.list.setItemWidget(row, 2, bar)
            self._rows[key], self._bars[key] = row, bar
            self.list.setCurrentItem(row)
        row.setText(1, self._states.get(item.state, item.state))
        row.setToolTip(1, item.message)
        progress = item.progress
        bar = self._bars[key]
        if item.state == "done":
            bar.setValue(1000)
        elif progress is not None and progress.total and progress.stage != "verifying":
            bar.setValue(int(1000 * progress.done / progress.total))
        row.setText(3, f"{progress.fps:.1f}" if progress is not None and progress.stage == "encoding" else "")
        row.setText(4, _eta_text(progress.eta_seconds) if progress is not None and item.state == "rendering" else "")
