"""Export through the real dialog and the render queue: to completion, cancelled, resumed."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from fractions import Fraction
from pathlib import Path

import av
import pytest

from engine.media.probe import probe
from engine.project import MediaRef, Project, save_project
from gui.dialogs.export_dialog import ExportDialog
from gui.main_window import MainWindow
from gui.widgets.render_queue import RenderItem
from tests.gui.conftest import ScriptedPrompts


@pytest.fixture
def carphone_project(tmp_path: Path, carphone: Path) -> Path:
    info = probe(carphone)
    project = Project(info.fps, info.frame_count, MediaRef.to_file(carphone, frame_count=info.frame_count))
    return save_project(project, tmp_path / "carphone.relume")


def _fill(dialog: ExportDialog, target: Path, preset: str = "ffv1", size: str = "source") -> None:
    dialog.preset.setCurrentIndex(dialog.preset.findData(preset))
    dialog.size.setCurrentIndex(dialog.size.findData(size))
    dialog.destination.setText(str(target))


def test_exports_through_the_dialog_to_a_verified_master(qtbot, window: MainWindow, prompts: ScriptedPrompts,
                                                         carphone_project: Path, tmp_path: Path, carphone: Path) -> None:
    window.flow.open_project(carphone_project)
    target = tmp_path / "out" / "carphone-master.mkv"
    target.parent.mkdir()
    dialog = ExportDialog(window.flow.document.project, window)
    qtbot.addWidget(dialog)
    assert dialog.audio.isChecked() and dialog.fit.currentData() == "pad"
    _fill(dialog, target)
    dialog.accept()
    assert dialog.result() == ExportDialog.DialogCode.Accepted
    prompts.export_request = dialog.request()
    window.editor_actions["export"].trigger()
    (item,) = window.queue.items
    qtbot.waitUntil(lambda: item.state in ("done", "failed"), timeout=60_000)
    assert item.state == "done", item.message
    with av.open(str(target)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "ffv1"
        assert (stream.codec_context.width, stream.codec_context.height) == (176, 144)
    assert item.result.facts.frame_count == 120
    row = window.queue_panel.list.topLevelItem(0)
    assert row.text(1) == "Done"
    assert "verified" in window.statusBar().currentMessage()
    assert carphone.stat().st_size > 0  # the source is untouched


def test_a_master_at_double_rate_through_the_dialog(qtbot, window: MainWindow, prompts: ScriptedPrompts,
                                                    carphone_project: Path, tmp_path: Path) -> None:
    window.flow.open_project(carphone_project)
    dialog = ExportDialog(window.flow.document.project, window)
    qtbot.addWidget(dialog)
    # carphone runs at 29.97: the dialog offers the master rates above it, double rate among them
    offered = [dialog.fps.itemData(i) for i in range(dialog.fps.count())]
    assert offered == ["source", "48000/1001", "48", "50", "60000/1001", "60"]
    _fill(dialog, tmp_path / "double.mkv")
    dialog.fps.setCurrentIndex(dialog.fps.findData("60000/1001"))
    dialog.accept()
    prompts.export_request = dialog.request()
    window.editor_actions["export"].trigger()
    (item,) = window.queue.items
    qtbot.waitUntil(lambda: item.state in ("done", "failed"), timeout=120_000)
    assert item.state == "done", item.message
    assert item.result.facts.frame_count == 240
    assert probe(tmp_path / "double.mkv").fps == Fraction(60000, 1001)  # Matroska keeps milliseconds: snapped


def test_the_dialog_refuses_a_destination_its_preset_cannot_write(qtbot, window: MainWindow,
                                                                   carphone_project: Path, tmp_path: Path) -> None:
    window.flow.open_project(carphone_project)
    dialog = ExportDialog(window.flow.document.project, window)
    qtbot.addWidget(dialog)
    _fill(dialog, tmp_path / "master.mov", preset="prores-422hq")
    dialog.preset.setCurrentIndex(dialog.preset.findData("ffv1"))  # the extension follows the preset
    assert dialog.destination.text().endswith(".mkv")
    dialog.destination.setText(str(tmp_path / "master.mp4"))
    dialog.accept()
    assert dialog.result() != ExportDialog.DialogCode.Accepted
    assert "ffv1" in dialog.problem.text() and ".mp4" in dialog.problem.text()


def test_cancel_leaves_no_file_and_resume_finishes(qtbot, window: MainWindow, carphone_project: Path,
                                                   tmp_path: Path) -> None:
    from engine.render.export import ExportRequest

    window.flow.open_project(carphone_project)
    source = window.flow.document.project.media.path
    target = tmp_path / "cancelled.mkv"
    item = window.queue.add(ExportRequest(source, target, preset="ffv1"))
    window.queue.cancel(item)
    qtbot.waitUntil(lambda: item.state in ("cancelled", "done", "failed"), timeout=60_000)
    assert item.state == "cancelled"
    assert not target.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".cancelled")]  # no temporary left
    qtbot.waitUntil(lambda: not window.queue.busy, timeout=10_000)
    window.queue.resume(item)
    qtbot.waitUntil(lambda: item.state in ("done", "failed"), timeout=60_000)
    assert item.state == "done", item.message
    assert target.is_file()


@pytest.fixture
def first_shot_held(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[threading.Event, threading.Event]]:
    """(done, go): the export's worker sets ``done`` when its first shot is finished, then waits for ``go``."""
    from engine.render.segments import SegmentStore

    done, go = threading.Event(), threading.Event()
    finish = SegmentStore.finish

    def finish_and_hold(store: SegmentStore, segment, temporary: Path, frames: int) -> None:  # type: ignore[no-untyped-def]
        finish(store, segment, temporary, frames)
        if not done.is_set():
            done.set()
            go.wait(timeout=30)

    monkeypatch.setattr(SegmentStore, "finish", finish_and_hold)
    yield done, go
    go.set()


def _paused(qtbot, window: MainWindow, carphone: Path, target: Path,  # type: ignore[no-untyped-def]
            held: tuple[threading.Event, threading.Event], pause: Callable[[RenderItem], None]) -> RenderItem:
    """Export carphone cut into four shots to ``target``, paused (by ``pause``) as its first shot is done."""
    from engine.project import Cut
    from engine.render.export import ExportRequest

    info = probe(carphone)
    project = Project(info.fps, info.frame_count, MediaRef.to_file(carphone, frame_count=info.frame_count),
                      cuts=(Cut(30), Cut(60), Cut(90)))
    done, go = held
    item = window.queue.add(ExportRequest(carphone, target, preset="ffv1"), project)
    qtbot.waitUntil(done.is_set, timeout=60_000)
    pause(item)
    go.set()
    qtbot.waitUntil(lambda: item.state != "rendering", timeout=60_000)
    assert item.state == "paused" and not target.exists()
    return item


def test_pause_keeps_finished_shots_and_resume_renders_only_the_rest(
    qtbot, window: MainWindow, carphone: Path, tmp_path: Path, first_shot_held: tuple[threading.Event, threading.Event]
) -> None:
    from engine.render.segments import parts_folder

    def press_pause(item: RenderItem) -> None:
        window.queue_panel.list.setCurrentItem(window.queue_panel.list.topLevelItem(0))
        window.queue_panel.pause_button.click()

    target = tmp_path / "paused.mkv"
    item = _paused(qtbot, window, carphone, target, first_shot_held, press_pause)
    assert window.queue_panel.list.topLevelItem(0).text(1) == "Paused"
    assert [p.name for p in parts_folder(target).glob("seg-*.json")] == ["seg-00000.json"]
    qtbot.waitUntil(lambda: not window.queue.busy, timeout=10_000)
    window.queue.resume(item)
    qtbot.waitUntil(lambda: item.state in ("done", "failed"), timeout=120_000)
    assert item.state == "done", item.message
    assert item.result.facts.frame_count == 120
    assert any("1 of 4 shots were already finished" in n for n in item.result.notices)
    assert not parts_folder(target).exists()


def test_cancelling_a_paused_export_removes_its_shots(
    qtbot, window: MainWindow, carphone: Path, tmp_path: Path, first_shot_held: tuple[threading.Event, threading.Event]
) -> None:
    from engine.render.segments import parts_folder

    target = tmp_path / "dropped.mkv"
    item = _paused(qtbot, window, carphone, target, first_shot_held, window.queue.pause)
    assert parts_folder(target).exists()
    window.queue.cancel(item)
    assert item.state == "cancelled" and not parts_folder(target).exists() and not target.exists()
