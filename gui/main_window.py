"""The editor's window: viewer, transport and timeline in the middle, panels at the side.

Wiring only: gestures become commands pushed on the document, positions
become preview requests, long work goes to jobs. The project's life (new,
open, save, recover, relink, detect) lives in :mod:`gui.project_flow`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMainWindow,
    QProgressBar,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from engine.errors import RelumeError
from engine.project.commands import (
    AddCut,
    AddHint,
    Command,
    EditHint,
    Macro,
    MergeWithNext,
    MoveCut,
    MoveHint,
    RemoveCut,
    RemoveHint,
)
from engine.project.io import snapshot
from engine.render.preview import PreviewResult
from gui.actions import HINT_TOOLS, TRANSPORT, ActionSet
from gui.bridge.autosave import AutosaveStore
from gui.bridge.document import Document
from gui.bridge.preview_renderer import LookFactory
from gui.bridge.shot_model import ShotListModel
from gui.dialogs.prompts import Prompts
from gui.i18n import edit_name, install_language
from gui.project_flow import ProjectFlow
from gui.timecode import format_timecode, parse_position
from gui.widgets.hint_layer import HintLayer
from gui.widgets.hint_tools import HintTools, HintToolBar, Tool
from gui.widgets.inspector import ShotInspector
from gui.widgets.palette import PalettePanel
from gui.widgets.reference_panel import ReferencePanel
from gui.widgets.render_queue import RenderItem, RenderQueue, RenderQueuePanel
from gui.widgets.timeline import Timeline
from gui.widgets.transport import PlaybackClock, TransportBar
from gui.widgets.viewer import Compare, Viewer

AUTOSAVE_EVERY_MS = 30_000
# Only these sections change how a frame looks; an export preset change keeps the preview cache.
LOOK_SECTIONS = ("restore", "color", "upscale")
# After a brush gesture the restorer watches the stroke take: a half-width draft of the frame comes
# first (the look costs about a third there), the full picture right after it.
HINT_EDITS = (AddHint, EditHint, MoveHint, RemoveHint, Macro)
DRAFT_DIVISOR, DRAFT_MIN_PX = 2, 160


class MainWindow(QMainWindow):
    """The Relume editor.

    Parameters
    ----------
    settings
        Where layout, recent projects and language are remembered.
    autosave
        Where autosave side files and their ledger go (``None``: no autosave).
    prompts
        Who answers the window's questions (tests script one).
    look
        Makes the restored picture ("after") of a project's frames for the
        viewer; ``None`` shows the film as it is, and the wipe stays off.
    """

    def __init__(
        self,
        settings: QSettings | None = None,
        autosave: AutosaveStore | None = None,
        prompts: Prompts | None = None,
        look: LookFactory | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("relume-main-window")
        self.setAcceptDrops(True)
        self.settings = settings if settings is not None else QSettings("Relume", "Relume")
        self.prompts = prompts if prompts is not None else Prompts(self)
        self.position = 0
        self.queue = RenderQueue(self)
        self.editor_actions = ActionSet(self)
        self.hint_tools = HintTools(self)
        self._followed: Document | None = None
        self._chosen_pin = ""
        self._draft_first = False
        self._build_central()
        self._build_docks()
        self._build_status()
        self.flow = ProjectFlow(self, autosave, look)
        self._connect()
        self._autosave_timer = QTimer(self)
        self._autosave_timer.timeout.connect(self.flow.autosave)
        if autosave is not None:
            self._autosave_timer.start(AUTOSAVE_EVERY_MS)
        self.language = install_language(str(self.settings.value("language", "en")))
        self.retranslate()
        self._restore_layout()
        self.refresh_actions()

    # -- construction -------------------------------------------------------------------------------
    def _build_central(self) -> None:
        self.viewer = Viewer(self)
        self.clock = PlaybackClock(self)
        self.transport = TransportBar([self.editor_actions[k] for k in TRANSPORT], self)
        self.timeline = Timeline(self)
        self.timeline.addActions([self.editor_actions[k] for k in ("add_cut", "delete_cut", "merge_next")])
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.hint_layer = HintLayer(self.viewer, self.hint_tools, self.push)
        tools = dict(zip((Tool.VIEW, Tool.BRUSH, Tool.ERASER, Tool.SELECT),
                         (self.editor_actions[k] for k in HINT_TOOLS), strict=True))
        self.hint_toolbar = HintToolBar(self.hint_tools, tools, central)
        layout.addWidget(self.hint_toolbar)  # above the picture it paints on
        layout.addWidget(self.viewer, 1)
        layout.addWidget(self.transport)
        layout.addWidget(self.timeline)
        self.setCentralWidget(central)

    def _build_docks(self) -> None:
        self.shot_summary = QLabel(self)
        self.shot_summary.setObjectName("shot-summary")
        self.shot_summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.shot_summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.shot_inspector = ShotInspector(self.push, self)
        inspector_page = QWidget(self)
        inspector_layout = QVBoxLayout(inspector_page)
        inspector_layout.addWidget(self.shot_summary)
        inspector_layout.addWidget(self.shot_inspector, 1)
        self.inspector = self._dock("inspector", inspector_page, Qt.DockWidgetArea.RightDockWidgetArea)
        self.shot_model = ShotListModel()
        self.shot_list = QTableView(self)
        self.shot_list.setObjectName("shot-list")
        self.shot_list.setModel(self.shot_model)
        self.shot_list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.shot_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.shot_list.verticalHeader().hide()
        self.shot_list.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.shot_list.horizontalHeader().setStretchLastSection(True)
        self.shot_list.activated.connect(lambda index: self.go_to(self.shot_model.shot(index.row()).start))
        self.shot_list.clicked.connect(lambda index: self.go_to(self.shot_model.shot(index.row()).start))
        self.shots_dock = self._dock("shots", self.shot_list, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.palette_area = PalettePanel(self.push, parent=self)
        self.palette_dock = self._dock("palette", self.palette_area, Qt.DockWidgetArea.RightDockWidgetArea)
        self.reference_panel = ReferencePanel(self.push, self.hint_tools, parent=self)
        self.reference_dock = self._dock("reference", self.reference_panel, Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(self.palette_dock, self.reference_dock)
        self.palette_dock.raise_()
        self.queue_panel = RenderQueuePanel(self.queue, self)
        self.queue_dock = self._dock("render-queue", self.queue_panel, Qt.DockWidgetArea.RightDockWidgetArea)

    def _dock(self, name: str, content: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(self)
        dock.setObjectName(name)
        dock.setWidget(content)
        self.addDockWidget(area, dock)
        self.editor_actions.docks_menu.addAction(dock.toggleViewAction())
        return dock

    def _build_status(self) -> None:
        self.job_label = QLabel(self)
        self.job_bar = QProgressBar(self)
        self.job_bar.setMaximumWidth(220)
        self.job_cancel = QToolButton(self)
        self.job_cancel.clicked.connect(lambda: self.flow.cancel_detection())
        for widget in (self.job_label, self.job_bar, self.job_cancel):
            self.statusBar().addPermanentWidget(widget)
            widget.hide()

    def _connect(self) -> None:
        a = self.editor_actions
        flow = self.flow
        a["new_from_media"].triggered.connect(flow.new_from_media)
        a["open"].triggered.connect(flow.open_project)
        a["save"].triggered.connect(flow.save)
        a["save_as"].triggered.connect(flow.save_as)
        a["relink"].triggered.connect(flow.relink)
        a["export"].triggered.connect(self.export)
        a["quit"].triggered.connect(self.close)
        a["undo"].triggered.connect(self.undo)
        a["redo"].triggered.connect(self.redo)
        a["add_cut"].triggered.connect(self.add_cut)
        a["delete_cut"].triggered.connect(self.delete_cut)
        a["merge_next"].triggered.connect(self.merge_with_next)
        a["nudge_cut_back"].triggered.connect(lambda: self.nudge_cut(-1))
        a["nudge_cut_forward"].triggered.connect(lambda: self.nudge_cut(+1))
        a["detect"].triggered.connect(flow.detect_shots)
        a["fit"].triggered.connect(self.viewer.fit)
        a["actual_pixels"].triggered.connect(self.viewer.actual_pixels)
        a["zoom_in"].triggered.connect(lambda: self.viewer.zoom_by(1))
        a["zoom_out"].triggered.connect(lambda: self.viewer.zoom_by(-1))
        a["toggle_before"].toggled.connect(self._compare_changed)
        a["split_wipe"].toggled.connect(self._compare_changed)
        a["timeline_fit"].triggered.connect(self.timeline.zoom_to_fit)
        a["play"].triggered.connect(self.play_pause)
        a["reverse"].triggered.connect(lambda: self.clock.shuttle(-1, self.position))
        a["pause"].triggered.connect(self.clock.stop)
        a["forward"].triggered.connect(lambda: self.clock.shuttle(+1, self.position))
        a["previous_frame"].triggered.connect(lambda: self.step(-1))
        a["next_frame"].triggered.connect(lambda: self.step(+1))
        a["previous_cut"].triggered.connect(lambda: self.jump_to_cut(-1))
        a["next_cut"].triggered.connect(lambda: self.jump_to_cut(+1))
        a["first_frame"].triggered.connect(lambda: self.go_to(0))
        a["last_frame"].triggered.connect(lambda: self.go_to(self._frame_count() - 1))
        a["go_to"].triggered.connect(self.ask_go_to)
        a["brush_smaller"].triggered.connect(lambda: self.hint_tools.grow(-1))
        a["brush_larger"].triggered.connect(lambda: self.hint_tools.grow(+1))
        a["brush_color"].triggered.connect(self.choose_brush_color)
        a["pick_screen"].triggered.connect(self.reference_panel.pick_from_screen)
        a["previous_keyframe"].triggered.connect(lambda: self.jump_to_keyframe(-1))
        a["next_keyframe"].triggered.connect(lambda: self.jump_to_keyframe(+1))
        self.hint_toolbar.colorButtonClicked.connect(self.choose_brush_color)
        self.palette_area.swatches.selectionModel().selectionChanged.connect(lambda *_: self._pin_chosen(False))
        self.palette_area.swatches.clicked.connect(lambda _index: self._pin_chosen(True))
        a["english"].triggered.connect(lambda: self.set_language("en"))
        a["chinese"].triggered.connect(lambda: self.set_language("zh_CN"))
        self.clock.frameDue.connect(self.go_to)
        self.clock.stateChanged.connect(self.transport.show_speed)
        self.transport.positionEntered.connect(self.go_to)
        self.timeline.scrubbed.connect(self._scrubbed)
        self.timeline.cutMoveRequested.connect(lambda a_, b: self.push(MoveCut(a_, b)))
        self.viewer.wantedWidthChanged.connect(lambda _w: self.request_preview())
        self.queue.itemFinished.connect(self._export_finished)

    # -- language and layout --------------------------------------------------------------------------
    def set_language(self, language: str) -> None:
        """Switch every label to ``language`` (``"en"`` or ``"zh_CN"``) and remember it."""
        self.language = install_language(language)
        self.settings.setValue("language", self.language)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Label everything in the current language."""
        if not hasattr(self, "flow"):
            return  # Qt announces the first translator before the window is built
        self.editor_actions.retranslate()
        self.editor_actions["english"].setChecked(self.language == "en")
        self.editor_actions["chinese"].setChecked(self.language == "zh_CN")
        self.inspector.setWindowTitle(self.tr("Shot"))
        self.palette_dock.setWindowTitle(self.tr("Palette"))
        self.reference_dock.setWindowTitle(self.tr("Reference"))
        self.hint_toolbar.retranslate()
        self.shots_dock.setWindowTitle(self.tr("Shots"))
        self.shot_model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, ShotListModel.COLUMNS - 1)
        self.queue_dock.setWindowTitle(self.tr("Render Queue"))
        self.job_cancel.setText(self.tr("Cancel"))
        self.transport.retranslate()
        self.queue_panel.retranslate()
        self.refresh_actions()
        self.show_shot()

    def _restore_layout(self) -> None:
        geometry, state = self.settings.value("window/geometry"), self.settings.value("window/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 860)
            self.resizeDocks([self.shots_dock], [340], Qt.Orientation.Horizontal)
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls() and len(event.mimeData().urls()) == 1:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        """A film or project dropped on the window opens it, like File ▸ New/Open."""
        path = Path(event.mimeData().urls()[0].toLocalFile())
        event.acceptProposedAction()
        if path.suffix.lower() == ".relume":
            self.flow.open_project(path)
        else:
            self.flow.new_from_media(path)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self.flow.close_document():
            event.ignore()
            return
        self.clock.stop()
        self.queue.shutdown()
        self.flow.shutdown()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.sync()
        event.accept()

    # -- position and preview -------------------------------------------------------------------------
    def _frame_count(self) -> int:
        document = self.flow.document
        return document.project.frame_count if document is not None else 1

    def go_to(self, frame: int) -> None:
        """Put the playhead on ``frame`` (clamped to the film) and ask for its preview."""
        if self.flow.document is None:
            return
        frame = min(max(0, int(frame)), self._frame_count() - 1)
        shot_changed = self.flow.document.project.shot_at(frame) != self.flow.document.project.shot_at(self.position)
        self.position = frame
        self.hint_layer.set_frame(frame)
        self.timeline.set_playhead(frame)
        self.transport.show_position(frame)
        if shot_changed:
            self.show_shot()
            self.shot_list.selectRow(self.shot_model.row_of_frame(frame))
        self.request_preview()

    def _scrubbed(self, frame: int) -> None:
        self.clock.stop()
        self.go_to(frame)

    def step(self, frames: int) -> None:
        """Move the playhead by ``frames`` (arrow keys)."""
        self.clock.stop()
        self.go_to(self.position + frames)

    def play_pause(self) -> None:
        """Space: play forward at real time, or stop."""
        if self.clock.playing:
            self.clock.stop()
        else:
            start = 0 if self.position >= self._frame_count() - 1 else self.position
            self.clock.play(start, 1.0)

    def jump_to_cut(self, direction: int) -> None:
        """Up/Down: the previous or next shot's first frame."""
        if self.flow.document is None:
            return
        starts = [s.start for s in self.flow.document.project.shots()] + [self._frame_count() - 1]
        if direction > 0:
            target = next((s for s in starts if s > self.position), self.position)
        else:
            target = next((s for s in reversed(starts) if s < self.position), 0)
        self.step(target - self.position)

    def jump_to_keyframe(self, direction: int) -> None:
        """; and ': the previous or next frame that carries hints."""
        frames = self.timeline.keyframes()
        if direction > 0:
            target = next((f for f in frames if f > self.position), None)
        else:
            target = next((f for f in reversed(frames) if f < self.position), None)
        if target is not None:
            self.step(target - self.position)

    def ask_go_to(self) -> None:
        """Ctrl+G: type a frame number or a timecode."""
        document = self.flow.document
        if document is None:
            return
        text, ok = QInputDialog.getText(self, self.tr("Go to"), self.tr("Frame number or timecode HH:MM:SS:FF"),
                                        text=format_timecode(self.position, document.project.fps))
        if ok:
            try:
                self.go_to(parse_position(text, document.project.fps))
            except ValueError as exc:
                self.statusBar().showMessage(str(exc), 5000)

    def request_preview(self) -> None:
        """Ask the engine for the picture under the playhead, at the viewer's size."""
        bridge, document = self.flow.preview, self.flow.document
        if bridge is None or document is None:
            return
        project = document.project
        shot = project.shot_at(self.position)
        try:
            settings = project.settings_for(shot.id).digest(LOOK_SECTIONS)
        except RelumeError as exc:
            self.viewer.set_message(str(exc))
            return
        # hints and pins change the look as much as settings do: a repainted shot must miss the cache
        data = project.data(shot.id)
        painted = hash((data.hints, data.reference, project.pins)) & 0xFFFF_FFFF_FFFF
        width, key = self.viewer.wanted_width(), f"{settings}:{painted:012x}"
        if self._draft_first and width // DRAFT_DIVISOR >= DRAFT_MIN_PX:
            # the bridge posts the draft at once when idle and keeps the full picture waiting behind it
            bridge.request(self.position, width // DRAFT_DIVISOR, spec_key=key)
        bridge.request(self.position, width, spec_key=key)

    def show_preview(self, result: PreviewResult) -> None:
        """Put a delivered preview on screen."""
        image = result.image
        assert image is not None
        if self.viewer.picture_rect().isEmpty():
            # a film probed without its size: take the aspect from the picture itself
            h, w = image.shape[-3], image.shape[-2]
            self.viewer.set_frame_size(w, h)
        self.viewer.set_preview(image, result.request.frame)
        self.editor_actions["toggle_before"].setEnabled(self.viewer.has_after)
        self.editor_actions["split_wipe"].setEnabled(self.viewer.has_after)

    def _compare_changed(self) -> None:
        if self.editor_actions["split_wipe"].isChecked():
            self.viewer.compare = Compare.SPLIT
        elif self.editor_actions["toggle_before"].isChecked():
            self.viewer.compare = Compare.BEFORE
        else:
            self.viewer.compare = Compare.AFTER
        self.viewer.update()

    # -- edits ----------------------------------------------------------------------------------------
    def push(self, command: Command) -> bool:
        """Push an undoable command on the open project; ``False`` if refused or without effect."""
        document = self.flow.document
        if document is None:
            return False
        self._draft_first = isinstance(command, HINT_EDITS)
        try:
            return document.push(command)
        finally:
            self._draft_first = False

    def undo(self) -> None:
        """Ctrl+Z: revert the last edit."""
        if self.flow.document is not None:
            self.flow.document.undo()

    def redo(self) -> None:
        """Ctrl+Shift+Z: re-apply the last undone edit."""
        if self.flow.document is not None:
            self.flow.document.redo()

    def _cut_in_focus(self) -> int:
        """The selected cut, else the cut that opens the shot under the playhead (-1: none)."""
        if self.timeline.selected_cut >= 0:
            return self.timeline.selected_cut
        document = self.flow.document
        if document is None:
            return -1
        start = document.project.shot_at(self.position).start
        return start if start > 0 else -1

    def add_cut(self) -> None:
        """S: split the shot at the playhead."""
        self.push(AddCut(self.position))

    def delete_cut(self) -> None:
        """Delete: erase the selected hint stroke, else remove the cut in focus (the shot joins the one before)."""
        if self.hint_layer.delete_selected():
            return
        frame = self._cut_in_focus()
        if frame > 0 and self.push(RemoveCut(frame)):
            self.timeline.selected_cut = -1
            self.timeline.update()

    def merge_with_next(self) -> None:
        """M: merge the shot under the playhead with the next one."""
        document = self.flow.document
        if document is not None:
            self.push(MergeWithNext(document.project.shot_at(self.position).id))

    def nudge_cut(self, frames: int) -> None:
        """Alt+←/→: move the cut in focus by one frame."""
        frame = self._cut_in_focus()
        if frame > 0 and self.push(MoveCut(frame, frame + frames)):
            self.timeline.selected_cut = frame + frames
            self.timeline.update()

    def choose_brush_color(self) -> None:
        """Pick the brush's color; a selected stroke takes it too."""
        color = self.reference_panel.questions.brush_color(self.hint_tools.paint.color)
        if color is not None:
            self.hint_tools.set_color(color)
            self.hint_layer.recolor_selected(self.hint_tools.paint)

    def _pin_chosen(self, again: bool) -> None:
        """A swatch chosen in the palette: the brush paints with that pin, and so does a selected stroke.

        The palette re-selects its swatch after every palette edit; that is no
        choice (``again`` is ``False``), and must not take back a color picked since.
        """
        pin = self.palette_area.selected_pin()
        if pin is None or (pin.id == self._chosen_pin and not again):
            return
        self._chosen_pin = pin.id
        self.hint_tools.set_pin(pin)
        self.hint_layer.recolor_selected(self.hint_tools.paint)

    def export(self) -> None:
        """Open the export dialog and queue what it describes."""
        document = self.flow.document
        if document is None:
            return
        try:
            request = self.prompts.export(document.project)
        except RelumeError as exc:
            self.prompts.error(str(exc))
            return
        if request is not None:
            self.queue.add(request, snapshot(document.project))
            self.queue_dock.show()
            self.queue_dock.raise_()

    def _export_finished(self, item: RenderItem) -> None:
        if item.state == "done":
            self.statusBar().showMessage(self.tr("Master written and verified: {0}").format(item.request.target), 10_000)
        elif item.state == "failed":
            self.prompts.error(item.message)

    # -- what the window shows -------------------------------------------------------------------------
    def refresh_actions(self) -> None:
        """Enable, label and title everything from the document's state."""
        document = self.flow.document if hasattr(self, "flow") else None
        has = document is not None
        for key in ("save", "save_as", "export", "add_cut", "delete_cut", "merge_next", "nudge_cut_back",
                    "nudge_cut_forward", "detect", "relink", "play", "reverse", "pause", "forward", "previous_frame",
                    "next_frame", "previous_cut", "next_cut", "first_frame", "last_frame", "go_to",
                    "previous_keyframe", "next_keyframe"):
            self.editor_actions[key].setEnabled(has)
        undo, redo = self.editor_actions["undo"], self.editor_actions["redo"]
        stack = document.undo_stack if document is not None else None
        undo.setEnabled(bool(stack and stack.can_undo()))
        redo.setEnabled(bool(stack and stack.can_redo()))
        undo.setText(self.tr("&Undo {0}").format(edit_name(stack.undo_text())) if stack and stack.can_undo()
                     else self.tr("&Undo"))
        redo.setText(self.tr("&Redo {0}").format(edit_name(stack.redo_text())) if stack and stack.can_redo()
                     else self.tr("&Redo"))
        name = self.flow.display_name() if hasattr(self, "flow") else ""
        self.setWindowTitle(f"{name}[*] — Relume" if name else "Relume")
        self.setWindowModified(bool(document and document.modified))

    def show_shot(self) -> None:
        """Describe the shot under the playhead in the inspector."""
        document = self.flow.document if hasattr(self, "flow") else None
        self.palette_area.set_document(document)
        self.hint_layer.set_document(document)
        self.reference_panel.set_document(document)
        self._follow(document)
        if document is None:
            self.shot_summary.setText(self.tr("No project open"))
            self.shot_inspector.set_shot(None, None)
            self.reference_panel.set_shot(None)
            return
        project = document.project
        shot = project.shot_at(min(self.position, project.frame_count - 1))
        self.shot_inspector.set_shot(document, shot.id)
        self.reference_panel.set_shot(shot.id)
        fps = project.fps
        lines = [
            self.tr("Shot {0} of {1}").format(shot.index + 1, len(project.cuts) + 1),
            self.tr("Frames {0}–{1} ({2} frames)").format(shot.start, shot.end - 1, shot.frame_count),
            self.tr("In {0}   Out {1}").format(format_timecode(shot.start, fps), format_timecode(shot.end - 1, fps)),
        ]
        self.shot_summary.setText("\n".join(lines))

    def _follow(self, document: Document | None) -> None:
        """Repaint the timeline's keyframe marks whenever a shot's hints change."""
        if document is self._followed:
            return
        if self._followed is not None:
            self._followed.shotChanged.disconnect(self._shot_edited)
        self._followed = document
        if document is not None:
            document.shotChanged.connect(self._shot_edited)

    def _shot_edited(self, _shot_id: str) -> None:
        self.timeline.update()

    def show_job(self, text: str, done: int = 0, total: int = 0, cancellable: bool = True) -> None:
        """Show a background job's progress in the status bar (empty ``text`` hides it)."""
        visible = bool(text)
        self.job_label.setText(text)
        self.job_bar.setRange(0, max(0, total))
        self.job_bar.setValue(done)
        for widget in (self.job_label, self.job_bar):
            widget.setVisible(visible)
        self.job_cancel.setVisible(visible and cancellable)
