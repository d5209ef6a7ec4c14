"""A project's life in the editor: new from film, open, relink, detect, save, autosave, recover, close.

Every question goes through the window's :class:`~gui.dialogs.prompts.Prompts`;
every slow step (reading a film, detecting its shots) runs as a
:class:`~gui.bridge.jobs.Job`, so the window answers while it happens.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject

from engine.cuts.cutlist import CutList
from engine.cuts.detect import detect_cuts
from engine.cuts.into_project import set_cut_list
from engine.errors import CutListError, ProjectError, RelumeError
from engine.media.probe import probe
from engine.progress import CancelToken, Progress, ProgressCallback
from engine.project import MediaRef, Project, check_media, load_project, relink
from gui.bridge.autosave import AutosaveStore
from gui.bridge.document import Document
from gui.bridge.jobs import Job
from gui.bridge.preview_bridge import PreviewBridge
from gui.bridge.preview_renderer import LookFactory, SourcePreview
from gui.bridge.thumbnails import ThumbnailStrip

if TYPE_CHECKING:
    from gui.main_window import MainWindow

RECENT_KEY, RECENT_LIMIT = "recent/projects", 10


def _tr(text: str) -> str:
    return QCoreApplication.translate("ProjectFlow", text)


class ProjectFlow(QObject):
    """Opens, saves and closes the window's project, and owns what serves it.

    Attributes
    ----------
    document
        The open project, or ``None``.
    preview
        The preview bridge over the project's film (``None`` without a usable film).
    detection
        The running shot detection, if any.
    """

    def __init__(self, window: MainWindow, autosave: AutosaveStore | None, look: LookFactory | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.autosave_store = autosave
        self.look = look
        self.document: Document | None = None
        self.preview: PreviewBridge | None = None
        self.preview_renderer: SourcePreview | None = None
        self.thumbnails: ThumbnailStrip | None = None
        self.detection: Job | None = None
        self.reading: Job | None = None
        self._shut = False

    # -- naming ---------------------------------------------------------------------------------------
    def display_name(self) -> str:
        """The project's file name, or the film's name for a project not yet saved."""
        document = self.document
        if document is None:
            return ""
        if document.path is not None:
            return document.path.name
        media = document.project.media
        return _tr("{0} (unsaved)").format(media.path.name) if media else _tr("Untitled")

    # -- opening --------------------------------------------------------------------------------------
    def new_from_media(self, path: Path | None = None) -> Job | None:
        """Start a project from a film: read it in the background, then detect its shots."""
        path = path if path is not None else self.window.prompts.media_to_open()
        if path is None or not self.close_document():
            return None
        path = Path(path).absolute()

        def read(progress: ProgressCallback, cancel: CancelToken) -> Project:
            info = probe(path)
            cancel.raise_if_cancelled()
            ref = MediaRef.to_file(path, frame_count=info.frame_count, fps=info.fps, width=info.width, height=info.height)
            return Project(info.fps, info.frame_count, ref)

        job = Job(_tr("Reading film"), read, self)
        job.succeeded.connect(self._film_read)
        job.failed.connect(self._job_failed)
        job.ended.connect(self._reading_ended)
        self.reading = job
        self.window.show_job(_tr("Reading {0}").format(path.name), cancellable=False)
        job.start()
        return job

    def _reading_ended(self) -> None:
        self.reading = None
        if self.detection is None:  # on success detection has taken over the status bar
            self.window.show_job("")

    def _film_read(self, project: Project) -> None:
        if self._shut:
            return  # the window closed while the film was being read
        self.set_document(Document(project, self.autosave_store))
        self.detect_shots()

    def open_project(self, path: Path | None = None) -> bool:
        """Open a ``.relume`` file, asking to relink its film when it moved."""
        path = path if path is not None else self.window.prompts.project_to_open()
        if path is None or not self.close_document():
            return False
        try:
            project = load_project(path)
        except ProjectError as exc:
            self.window.prompts.error(str(exc))
            return False
        document = Document(project, self.autosave_store)
        problem = self._media_problem(project)
        self.set_document(document, with_media=problem is None)
        if problem is not None:
            self._offer_relink(problem)
        self.remember_recent(Path(path))
        return True

    @staticmethod
    def _media_problem(project: Project) -> str | None:
        try:
            check_media(project)
        except ProjectError as exc:
            return str(exc)
        return None

    def relink(self) -> None:
        """File ▸ Relink Media: point the project at another copy of its film."""
        if self.document is not None:
            problem = self._media_problem(self.document.project) or _tr("Choose another copy of the film.")
            self._offer_relink(problem)

    def _offer_relink(self, problem: str) -> None:
        assert self.document is not None
        chosen = self.window.prompts.relink(self.document.project, problem)
        if chosen is None:
            if self._media_problem(self.document.project) is not None:
                self.window.viewer.set_message(_tr("The film is missing. Use File ▸ Relink Media to find it."))
            return
        try:
            command = relink(self.document.project, chosen)
        except RelumeError as exc:
            self.window.prompts.error(str(exc))
            return
        self.document.push(command)  # mediaChanged restarts the preview

    def recover_crashed(self) -> bool:
        """Offer the edits an editor left behind when it stopped unexpectedly (called at start-up)."""
        store = self.autosave_store
        if store is None:
            return False
        for leftover in store.leftovers():
            if not self.window.prompts.recover(leftover):
                store.discard(leftover)
                continue
            try:
                project = store.recover(leftover)
            except ProjectError as exc:
                self.window.prompts.error(str(exc))
                store.discard(leftover)
                continue
            if not self.close_document():
                return False
            store.discard(leftover)
            document = Document(project, store)
            self.set_document(document, with_media=self._media_problem(project) is None)
            document.mark_recovered()
            return True
        return False

    # -- the open project -------------------------------------------------------------------------------
    def set_document(self, document: Document, with_media: bool = True) -> None:
        """Show ``document``: timeline, transport, previews and thumbnails of its film."""
        self._release()
        self.document = document
        window = self.window
        project = document.project
        document.historyChanged.connect(window.refresh_actions)
        document.cutsChanged.connect(self._cuts_changed)
        document.shotChanged.connect(self._look_changed)
        document.settingsChanged.connect(self._look_changed)
        document.mediaChanged.connect(self._media_changed)
        document.editRefused.connect(lambda message: window.statusBar().showMessage(message, 6000))
        window.position = 0
        window.timeline.set_project(project)
        window.shot_model.set_project(project)
        window.clock.configure(project.fps, project.frame_count)
        window.transport.configure(project.fps, project.frame_count)
        window.viewer.set_message("")
        if with_media:
            self._serve_media()
        window.refresh_actions()
        window.show_shot()
        window.go_to(0)

    def _serve_media(self) -> None:
        assert self.document is not None
        media = self.document.project.media
        if media is None:
            return
        window = self.window
        fp = media.fingerprint
        if fp is not None and fp.width and fp.height:
            window.viewer.set_frame_size(fp.width, fp.height)
        look = self.look(self.document.project) if self.look is not None else None
        self.preview_renderer = SourcePreview(media.path, look)
        self.preview = PreviewBridge(self.preview_renderer, self)
        self.preview.previewReady.connect(window.show_preview)
        self.preview.previewFailed.connect(window.viewer.set_message)
        self.thumbnails = ThumbnailStrip(media.path, self)
        self.thumbnails.thumbnailReady.connect(window.timeline.add_thumbnail)
        self.thumbnails.start()

    def _release_media(self) -> None:
        renderer, self.preview_renderer = self.preview_renderer, None
        if self.preview is not None:
            self.preview.close()
            # close the film only once its worker is done with it (a frame source serves one thread)
            if renderer is not None and self.preview.wait_until_idle(5.0):
                renderer.close()
            self.preview.deleteLater()
            self.preview = None
        if self.thumbnails is not None:
            self.thumbnails.stop()
            self.thumbnails.deleteLater()
            self.thumbnails = None

    def _release(self) -> None:
        self.cancel_detection(wait=True)
        self._release_media()
        if self.document is not None:
            self.document.close()
            self.document.deleteLater()
            self.document = None

    def _cuts_changed(self) -> None:
        self.window.timeline.refresh()
        self.window.shot_model.refresh()
        self.window.show_shot()
        self.window.request_preview()

    def _look_changed(self, *_args: object) -> None:
        self.window.request_preview()

    def _media_changed(self) -> None:
        self._release_media()
        self.window.timeline.set_project(self.document.project if self.document else None)
        if self.document is not None and self._media_problem(self.document.project) is None:
            self._serve_media()
            self.window.go_to(self.window.position)

    # -- shot detection ---------------------------------------------------------------------------------
    def detect_shots(self) -> Job | None:
        """Find the film's cuts and transitions in the background; the result is one undoable edit."""
        document = self.document
        if document is None or document.project.media is None or self.detection is not None:
            return None
        project = document.project
        media = project.media.path
        settings = project.settings_for(project.opening_shot)
        min_frames, sensitivity = int(settings["cuts.min_shot_frames"]), float(settings["cuts.sensitivity"])

        def detect(progress: ProgressCallback, cancel: CancelToken) -> CutList:
            return detect_cuts(media, fps=project.fps, min_shot_frames=min_frames, sensitivity=sensitivity,
                               progress=progress, cancel=cancel)

        job = Job(_tr("Detecting shots"), detect, self)
        job.progressed.connect(self._detection_progress)
        job.succeeded.connect(lambda cutlist, document=document: self._detected(document, cutlist))
        job.failed.connect(self._job_failed)
        job.ended.connect(self._detection_ended)
        self.detection = job
        self.window.show_job(_tr("Detecting shots…"), 0, project.frame_count)
        job.start()
        return job

    def _detection_progress(self, progress: Progress) -> None:
        self.window.show_job(_tr("Detecting shots…"), progress.done, progress.total)

    def _detected(self, document: Document, cutlist: CutList) -> None:
        if document is not self.document:
            return  # the project was closed while its shots were being detected
        try:
            command = set_cut_list(document.project, cutlist)
        except CutListError as exc:
            self.window.prompts.error(str(exc))
            return
        cuts = len(cutlist.cuts)
        command.name = _tr("Detect shots ({0} cuts)").format(cuts)
        document.push(command)
        self.window.statusBar().showMessage(_tr("Found {0} shots").format(cuts + 1), 6000)

    def _detection_ended(self) -> None:
        self.detection = None
        self.window.show_job("")

    def cancel_detection(self, wait: bool = False) -> None:
        """Stop detecting shots (the cut list stays as it was)."""
        if self.detection is not None:
            job = self.detection
            job.cancel()
            if wait:
                job.wait()
                self.detection = None
                self.window.show_job("")

    def _job_failed(self, message: str) -> None:
        self.window.prompts.error(message)

    # -- saving and closing ------------------------------------------------------------------------------
    def save(self) -> bool:
        """Save to the project's file, asking for one the first time."""
        document = self.document
        if document is None:
            return False
        if document.path is None:
            return self.save_as()
        return self._save_to(document.path)

    def save_as(self) -> bool:
        """Save under a new name."""
        document = self.document
        if document is None:
            return False
        media = document.project.media
        suggestion = document.path or (media.path.with_suffix(".relume") if media else Path.home() / "film.relume")
        path = self.window.prompts.save_path(suggestion)
        return path is not None and self._save_to(path)

    def _save_to(self, path: Path) -> bool:
        assert self.document is not None
        try:
            written = self.document.save(path)
        except RelumeError as exc:
            self.window.prompts.error(str(exc))
            return False
        self.remember_recent(written)
        self.window.refresh_actions()
        self.window.statusBar().showMessage(_tr("Saved {0}").format(written), 4000)
        return True

    def autosave(self) -> None:
        """Write the side file if there are new edits (the timer calls this)."""
        if self.document is None:
            return
        try:
            self.document.autosave()
        except ProjectError as exc:
            self.window.statusBar().showMessage(str(exc), 8000)

    def close_document(self) -> bool:
        """Close the project, asking about unsaved edits; ``False`` if the restorer cancelled."""
        document = self.document
        if document is None:
            return True
        if document.modified:
            answer = self.window.prompts.unsaved_changes(self.display_name())
            if answer == "cancel" or (answer == "save" and not self.save()):
                return False
        self._release()
        self.window.timeline.set_project(None)
        self.window.shot_model.set_project(None)
        self.window.viewer.set_message("")
        self.window.refresh_actions()
        self.window.show_shot()
        return True

    def shutdown(self) -> None:
        """Stop every worker (the window is closing; the document is already closed)."""
        self._shut = True
        self._release()
        if self.reading is not None:
            self.reading.cancel()
            self.reading.wait()

    # -- recent projects ---------------------------------------------------------------------------------
    def recent(self) -> list[Path]:
        """Recently opened or saved projects, newest first."""
        stored = self.window.settings.value(RECENT_KEY, [])
        items = [stored] if isinstance(stored, str) else list(stored or [])
        return [Path(p) for p in items if p]

    def remember_recent(self, path: Path) -> None:
        """Put ``path`` first in the recent list and rebuild the menu."""
        items = [str(path)] + [str(p) for p in self.recent() if p != path]
        self.window.settings.setValue(RECENT_KEY, items[:RECENT_LIMIT])
        self.fill_recent_menu()

    def fill_recent_menu(self) -> None:
        """Rebuild File ▸ Open Recent."""
        menu = self.window.editor_actions.recent_menu
        menu.clear()
        for path in self.recent():
            action = menu.addAction(path.name)
            action.setToolTip(str(path))
            action.triggered.connect(lambda _checked=False, p=path: self.open_project(p))
        menu.setEnabled(bool(menu.actions()))
