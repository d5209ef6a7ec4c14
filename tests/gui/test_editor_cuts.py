"""Drive the real window: open the sample film's project, scrub, and edit cuts with undo/redo."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from engine.project import load_project
from gui.main_window import MainWindow
from gui.widgets.timeline import RULER_H, SHOTS_H, THUMBS_H
from tests.gui.conftest import wait_for_preview

def shots_y() -> int:
    return RULER_H + THUMBS_H + SHOTS_H // 2


def test_open_project_shows_film_and_shots(qtbot, window: MainWindow, sample_copy: Path) -> None:
    assert window.flow.open_project(sample_copy)
    project = window.flow.document.project
    assert [c.frame for c in project.cuts] == [c.frame for c in load_project(sample_copy).cuts]
    wait_for_preview(qtbot, window, 0)
    image = window.viewer.shown_image()
    assert image.shape[1] <= window.viewer.wanted_width()
    assert image.std() > 10  # real picture, not a blank frame
    assert window.windowTitle().startswith("sample.relume")
    assert not window.isWindowModified()


def test_scrubbing_the_timeline_moves_playhead_and_preview(qtbot, window: MainWindow, sample_copy: Path) -> None:
    window.flow.open_project(sample_copy)
    timeline = window.timeline
    project = window.flow.document.project
    x_for = lambda frame: round(timeline.scale.x_of(frame + 0.5))  # noqa: E731
    qtbot.mousePress(timeline, Qt.MouseButton.LeftButton, pos=QPoint(x_for(10), RULER_H // 2))
    for frame in (20, 60, 120, 170):
        qtbot.mouseMove(timeline, QPoint(x_for(frame), RULER_H // 2))
    qtbot.mouseRelease(timeline, Qt.MouseButton.LeftButton, pos=QPoint(x_for(170), RULER_H // 2))
    assert window.position == 170 and timeline.playhead == 170
    wait_for_preview(qtbot, window, 170)
    assert window.transport.position.text() == "00:00:06:20"
    assert f"{project.shot_at(170).index + 1} of" in window.shot_summary.text()


def test_add_move_delete_merge_split_cuts_each_undo_and_redo(qtbot, window: MainWindow, sample_copy: Path) -> None:
    window.flow.open_project(sample_copy)
    document = window.flow.document
    project = document.project
    original = [c.frame for c in project.cuts]
    frames = lambda: [c.frame for c in project.cuts]  # noqa: E731

    # add a cut at the playhead with the S key
    window.go_to(20)
    qtbot.keyClick(window, Qt.Key.Key_S)
    assert frames() == sorted(original + [20])
    assert window.editor_actions["undo"].text().endswith("Add cut at 20")
    assert window.isWindowModified()

    # drag it three frames later on the timeline, frame by frame
    timeline = window.timeline
    timeline.zoom_by(4, timeline.scale.x_of(20))
    x20 = timeline.scale.x_of(20)
    qtbot.mousePress(timeline, Qt.MouseButton.LeftButton, pos=QPoint(round(x20), shots_y()))
    qtbot.mouseMove(timeline, QPoint(round(timeline.scale.x_of(23)), shots_y()))
    qtbot.mouseRelease(timeline, Qt.MouseButton.LeftButton, pos=QPoint(round(timeline.scale.x_of(23)), shots_y()))
    assert frames() == sorted(original + [23])
    assert timeline.selected_cut == 23

    # nudge it one frame back with Alt+Left
    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert frames() == sorted(original + [22])

    # delete the selected cut
    qtbot.keyClick(window, Qt.Key.Key_Delete)
    assert frames() == original

    # merge the shot under the playhead with the next one (removes the cut that ends it)
    window.go_to(10)
    first_end = project.shot_at(10).end
    qtbot.keyClick(window, Qt.Key.Key_M)
    assert frames() == [f for f in original if f != first_end]

    # split the merged shot again at a frame of our choosing
    window.go_to(first_end + 2)
    window.editor_actions["add_cut"].trigger()
    assert frames() == sorted([f for f in original if f != first_end] + [first_end + 2])

    # every step undoes in reverse order, and redoes forward
    history = [
        sorted([f for f in original if f != first_end] + [first_end + 2]),
        [f for f in original if f != first_end],
        original,
        sorted(original + [22]),
        sorted(original + [23]),
        sorted(original + [20]),
        original,
    ]
    for expected_before, expected_after in zip(history, history[1:]):
        assert frames() == expected_before
        qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        assert frames() == expected_after
    assert not window.isWindowModified()
    for expected in reversed(history[:-1]):
        qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        assert frames() == expected


def test_an_invalid_edit_is_refused_with_a_message(qtbot, window: MainWindow, sample_copy: Path) -> None:
    window.flow.open_project(sample_copy)
    before = window.flow.document.project.state()
    window.go_to(0)
    window.add_cut()  # a cut at frame 0 is not a cut
    assert window.flow.document.project.state() == before
    assert "frame 1" in window.statusBar().currentMessage()
    assert not window.editor_actions["undo"].isEnabled()


def _wheel(widget, x: float, steps: int, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    pos = QPointF(x, 20)
    event = QWheelEvent(pos, widget.mapToGlobal(pos), QPoint(0, 0), QPoint(0, 120 * steps),
                        Qt.MouseButton.NoButton, modifiers, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_timeline_zooms_about_the_cursor_scrolls_and_follows_the_playhead(qtbot, window: MainWindow,
                                                                          sample_copy: Path) -> None:
    window.flow.open_project(sample_copy)
    timeline = window.timeline
    whole = timeline.scale.px_per_frame
    assert timeline.scale.x_of(204) == pytest.approx(timeline.width(), rel=0.01)  # the whole film fits
    under = timeline.scale.frame_at(300)
    _wheel(timeline, 300, 3, Qt.KeyboardModifier.ControlModifier)
    assert timeline.scale.px_per_frame == pytest.approx(whole * 1.25**3)
    assert timeline.scale.frame_at(300) == pytest.approx(under)
    first = timeline.scale.first_frame
    _wheel(timeline, 300, -1)
    assert timeline.scale.first_frame > first
    window.go_to(203)  # off screen to the right: the view follows
    assert 0 <= timeline.scale.x_of(203) <= timeline.width()
    window.editor_actions["timeline_fit"].trigger()
    assert timeline.scale.px_per_frame == pytest.approx(whole)


def test_shot_list_follows_the_cut_list_and_jumps_to_shots(qtbot, window: MainWindow, sample_copy: Path) -> None:
    window.flow.open_project(sample_copy)
    model = window.shot_model
    project = window.flow.document.project
    assert model.rowCount() == len(project.cuts) + 1
    assert [model.data(model.index(r, 1)) for r in range(2)] == ["00:00:00:00", "00:00:01:15"]  # cut at 40
    assert model.data(model.index(1, 4)) == "by hand" or model.data(model.index(1, 4)).startswith("detected")
    window.go_to(60)
    window.add_cut()
    assert model.rowCount() == len(project.cuts) + 1 and model.data(model.index(2, 4)) == "by hand"
    index = model.index(3, 0)
    window.shot_list.clicked.emit(index)
    assert window.position == project.shots()[3].start
    assert window.shot_list.currentIndex().row() == 3
