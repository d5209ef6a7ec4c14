"""Drive the real window through a project's life: new from film, save, reopen, crash, relink, language."""

from __future__ import annotations

import shutil
import subprocess
import sys
import json
from pathlib import Path

from PySide6.QtCore import Qt

from engine.cuts.detect import detect_cuts
from engine.project import load_project
from gui.bridge.autosave import AutosaveStore
from gui.main_window import MainWindow
from tests.gui.conftest import SAMPLE, ScriptedPrompts, wait_for_preview


def test_new_project_from_film_detects_its_shots_in_the_background(qtbot, window: MainWindow, tmp_path: Path) -> None:
    film = tmp_path / "reel.mp4"
    shutil.copy2(SAMPLE / "sample.mp4", film)
    job = window.flow.new_from_media(film)
    assert job is not None
    qtbot.waitUntil(lambda: window.flow.document is not None, timeout=20_000)
    detection = window.flow.detection
    assert detection is not None and window.job_label.isVisible()  # progress shown while it runs
    wait_for_preview(qtbot, window, 0)  # the viewer works while detection runs
    qtbot.waitUntil(lambda: window.flow.detection is None, timeout=60_000)
    project = window.flow.document.project
    # the editor carries the engine's detection over exactly: cuts, confidences, transitions
    engine_says = detect_cuts(film)
    assert [(c.frame, c.confidence) for c in project.cuts] == [(c.frame, c.confidence) for c in engine_says.cuts]
    assert [(t.start, t.end - 1, t.kind) for t in project.transitions] == [
        (t.start, t.end, t.kind) for t in engine_says.transitions
    ]
    assert all(c.source == "detected" for c in project.cuts)
    assert {98, 152} <= {c.frame for c in project.cuts}  # the sample's hard cut and fade, found
    assert window.editor_actions["undo"].text().startswith("&Undo Detect shots")
    window.editor_actions["undo"].trigger()
    assert project.cuts == ()
    assert not window.job_label.isVisible()


def test_save_and_reopen_keeps_every_edit(qtbot, window: MainWindow, prompts: ScriptedPrompts,
                                          sample_copy: Path, tmp_path: Path) -> None:
    window.flow.open_project(sample_copy)
    window.go_to(17)
    window.add_cut()
    edited = window.flow.document.project.state()
    prompts.save_to = tmp_path / "sample" / "restored.relume"
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert prompts.save_to.is_file()
    assert not window.isWindowModified()
    assert window.windowTitle().startswith("restored.relume")
    window.flow.open_project(prompts.save_to)
    assert window.flow.document.project.state() == edited
    assert window.flow.recent()[0] == prompts.save_to


def test_closing_with_unsaved_edits_asks_and_cancel_keeps_the_project(qtbot, window: MainWindow,
                                                                      prompts: ScriptedPrompts, sample_copy: Path) -> None:
    window.flow.open_project(sample_copy)
    window.go_to(30)
    window.add_cut()
    prompts.unsaved_answer = "cancel"
    assert not window.flow.close_document()
    assert window.flow.document is not None and prompts.asked == ["unsaved"]
    prompts.unsaved_answer = "save"
    assert window.flow.close_document()
    assert 30 in [c.frame for c in load_project(sample_copy).cuts]


def _dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(done.stdout)


def test_recovers_edits_after_a_crash(qtbot, window: MainWindow, settings, autosave: AutosaveStore,
                                      sample_copy: Path) -> None:
    window.flow.open_project(sample_copy)
    window.go_to(25)
    window.add_cut()
    window.flow.autosave()
    side = window.flow.document.autosave_file
    assert side is not None and side.is_file() and side.parent == sample_copy.parent
    edited = window.flow.document.project.state()
    # the editor "crashes": its process is gone, its ledger entry and side file stay behind
    (ledger,) = autosave.folder.glob("session-*.json")
    record = json.loads(ledger.read_text())
    ledger.write_text(json.dumps({**record, "pid": _dead_pid()}))

    prompts = ScriptedPrompts()
    second = MainWindow(settings=settings, autosave=autosave, prompts=prompts)
    prompts.window = second
    qtbot.addWidget(second)
    assert second.flow.recover_crashed()
    assert prompts.asked == ["recover"]
    recovered = second.flow.document
    assert recovered.project.state() == edited
    assert recovered.path == sample_copy and recovered.modified and second.isWindowModified()
    assert not side.exists() and not ledger.exists()  # the leftover is consumed
    assert load_project(sample_copy).state() != edited  # the project file itself was never touched
    prompts.unsaved_answer = "discard"
    second.close()


def test_a_clean_close_leaves_nothing_to_recover(qtbot, window: MainWindow, autosave: AutosaveStore,
                                                 sample_copy: Path) -> None:
    window.flow.open_project(sample_copy)
    window.go_to(25)
    window.add_cut()
    window.flow.autosave()
    assert list(autosave.folder.glob("session-*.json"))
    window.close()
    assert autosave.leftovers() == []
    assert not list(sample_copy.parent.glob("*.autosave"))


def test_relinks_a_moved_film(qtbot, window: MainWindow, prompts: ScriptedPrompts, sample_copy: Path,
                              tmp_path: Path) -> None:
    moved = tmp_path / "elsewhere" / "renamed.mp4"
    moved.parent.mkdir()
    shutil.move(sample_copy.parent / "sample.mp4", moved)
    prompts.relink_to = moved
    assert window.flow.open_project(sample_copy)
    assert any(q.startswith("relink:") and "missing" in q for q in prompts.asked)
    project = window.flow.document.project
    assert project.media.path == moved
    wait_for_preview(qtbot, window, 0)
    assert window.isWindowModified()
    window.editor_actions["undo"].trigger()
    assert project.media.path == sample_copy.parent / "sample.mp4"


def test_refuses_a_different_film_when_relinking(qtbot, window: MainWindow, sample_copy: Path, bikes: Path) -> None:
    from gui.dialogs.relink_dialog import RelinkDialog

    project = load_project(sample_copy)
    dialog = RelinkDialog(project, "missing", window)
    qtbot.addWidget(dialog)
    assert not dialog.try_file(bikes)
    assert "not this project's film" in dialog.status.text() and dialog.chosen is None
    assert dialog.try_folder(sample_copy.parent)
    assert dialog.chosen == sample_copy.parent / "sample.mp4"


def test_switches_to_chinese_and_back(qtbot, window: MainWindow, settings, sample_copy: Path) -> None:
    window.flow.open_project(sample_copy)
    menus = lambda: [a.text() for a in window.menuBar().actions()]  # noqa: E731
    assert menus()[0] == "&File"
    window.editor_actions["chinese"].trigger()
    assert menus()[:2] == ["文件(&F)", "编辑(&E)"]
    assert window.editor_actions["add_cut"].text() == "在播放头处添加剪切点(&C)"
    assert window.queue_dock.windowTitle() == "渲染队列"
    assert "第 1 个镜头" in window.shot_summary.text()
    assert settings.value("language") == "zh_CN"
    # the inspector names settings and their origins in Chinese too
    deflicker = window.shot_inspector.rows["restore.deflicker.enabled"]
    qtbot.waitUntil(lambda: deflicker.label.text() == "去闪烁")  # on Qt's LanguageChange event
    assert deflicker.note.text() == "内置默认值" and window.shot_inspector.groups["restore"].title() == "修复"
    # the engine's edits are named in the chosen language too
    window.go_to(30)
    window.editor_actions["add_cut"].trigger()
    assert window.editor_actions["undo"].text() == "撤销 在第 30 帧添加剪切点(&U)"
    window.editor_actions["english"].trigger()
    assert menus()[0] == "&File" and window.queue_dock.windowTitle() == "Render Queue"
    assert window.editor_actions["undo"].text() == "&Undo Add cut at 30"
    qtbot.waitUntil(lambda: deflicker.label.text() == "Deflicker")
    assert deflicker.note.text() == "built-in default"


def test_a_damaged_film_is_reported_in_one_line_and_the_editor_carries_on(qtbot, window: MainWindow,
                                                                          prompts: ScriptedPrompts,
                                                                          tmp_path: Path) -> None:
    damaged = tmp_path / "reel2.mp4"
    damaged.write_bytes((SAMPLE / "sample.mp4").read_bytes()[:4096])  # a transfer cut short
    window.flow.new_from_media(damaged)
    qtbot.waitUntil(lambda: bool(prompts.errors), timeout=20_000)
    (message,) = prompts.errors
    assert message.startswith(str(damaged)) and "\n" not in message
    assert window.flow.document is None and not window.job_label.isVisible()
    qtbot.waitUntil(lambda: window.flow.reading is None)


def test_window_layout_and_recent_projects_are_remembered(qtbot, window: MainWindow, settings, autosave,
                                                          sample_copy: Path) -> None:
    window.flow.open_project(sample_copy)
    window.queue_dock.hide()
    window.resize(760, 540)  # within the offscreen screen, which restoreGeometry clamps to
    size = window.size()
    window.close()
    again = MainWindow(settings=settings, autosave=autosave, prompts=ScriptedPrompts())
    qtbot.addWidget(again)
    again.show()
    assert again.queue_dock.isHidden()
    assert again.size() == size and size.height() == 540
    again.flow.fill_recent_menu()
    (recent,) = again.editor_actions.recent_menu.actions()
    assert recent.text() == "sample.relume" and recent.toolTip() == str(sample_copy)
    again.close()


def test_cancelling_detection_keeps_the_cut_list(qtbot, window: MainWindow, tmp_path: Path, bikes: Path) -> None:
    window.flow.new_from_media(bikes)
    qtbot.waitUntil(lambda: window.flow.detection is not None, timeout=20_000)
    job = window.flow.detection
    window.job_cancel.click()
    qtbot.waitUntil(lambda: window.flow.detection is None, timeout=20_000)
    assert job.outcome == "cancelled"
    assert window.flow.document.project.cuts == ()
    assert not window.editor_actions["undo"].isEnabled()
    assert not window.job_label.isVisible()
