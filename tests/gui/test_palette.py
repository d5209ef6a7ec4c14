"""The palette dock on the sample project: pins added, renamed, recolored, reordered, removed, undone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from gui.app import film_look
from gui.main_window import MainWindow
from gui.widgets.palette import PalettePanel
from tests.gui.conftest import ScriptedPinQuestions


@pytest.fixture
def looked_window(qtbot, settings, autosave, prompts) -> Iterator[MainWindow]:
    """The editor with the render engine's look, so the "after" picture shows hints and pins."""
    win = MainWindow(settings=settings, autosave=autosave, prompts=prompts, look=film_look)
    prompts.window = win
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    yield win
    win.close()


def _palette(window: MainWindow) -> tuple[PalettePanel, ScriptedPinQuestions]:
    panel = window.palette_area
    assert isinstance(panel, PalettePanel)
    questions = ScriptedPinQuestions()
    panel.questions = questions
    return panel, questions


def _shown(panel: PalettePanel) -> list[tuple[str, str]]:
    """(name, color) of every swatch, as the list view's model shows them."""
    model = panel.model
    return [(model.index(r).data(), model.pin(r).color) for r in range(model.rowCount())]


SAMPLE_PALETTE = [("uniform", "#2b3a55"), ("grass", "#5f7f3a"), ("brick", "#8b5a4a")]


def test_each_palette_gesture_is_one_named_undo_step(window: MainWindow, sample_copy: Path) -> None:
    assert window.flow.open_project(sample_copy)
    panel, questions = _palette(window)
    document = window.flow.document
    assert document is not None and _shown(panel) == SAMPLE_PALETTE

    # add: the color picker, then the name
    questions.colors.append("#d9a08b")
    questions.names.append("skin")
    panel.buttons["add"].click()
    assert _shown(panel) == SAMPLE_PALETTE + [("skin", "#d9a08b")]
    assert document.undo_stack.undo_text() == "Add pin “skin”"
    assert panel.selected_pin() is not None and panel.selected_pin().name == "skin"

    # rename keeps the id (and so every hint that uses it)
    skin_id = panel.selected_pin().id
    questions.names.append("face")
    panel.buttons["rename"].click()
    assert _shown(panel)[-1] == ("face", "#d9a08b")
    assert document.project.pin_table()[skin_id].name == "face"
    assert document.undo_stack.undo_text() == "Rename pin “skin” to “face”"

    # recolor
    questions.colors.append("#c08870")
    panel.buttons["recolor"].click()
    assert _shown(panel)[-1] == ("face", "#c08870")
    assert document.undo_stack.undo_text() == "Recolor pin “face”"

    # reorder: up twice, then down once
    panel.buttons["up"].click()
    panel.buttons["up"].click()
    assert [n for n, _ in _shown(panel)] == ["uniform", "face", "grass", "brick"]
    panel.buttons["down"].click()
    assert [n for n, _ in _shown(panel)] == ["uniform", "grass", "face", "brick"]
    assert panel.selected_pin().id == skin_id  # the selection follows the swatch
    assert document.undo_stack.undo_text() == "Reorder palette"

    # remove
    panel.buttons["remove"].click()
    assert _shown(panel) == SAMPLE_PALETTE
    assert document.undo_stack.undo_text() == "Remove pin “face”"

    # undo walks back through every step, one at a time, and the view follows the project
    expected_after_undo = [
        [("uniform", "#2b3a55"), ("grass", "#5f7f3a"), ("face", "#c08870"), ("brick", "#8b5a4a")],
        [("uniform", "#2b3a55"), ("face", "#c08870"), ("grass", "#5f7f3a"), ("brick", "#8b5a4a")],
        [("uniform", "#2b3a55"), ("grass", "#5f7f3a"), ("face", "#c08870"), ("brick", "#8b5a4a")],
        SAMPLE_PALETTE + [("face", "#c08870")],
        SAMPLE_PALETTE + [("face", "#d9a08b")],
        SAMPLE_PALETTE + [("skin", "#d9a08b")],
        SAMPLE_PALETTE,
    ]
    for expected in expected_after_undo:
        window.editor_actions["undo"].trigger()
        assert _shown(panel) == expected
    assert not document.undo_stack.can_undo()
    for expected in reversed(expected_after_undo[:-1]):
        window.editor_actions["redo"].trigger()
        assert _shown(panel) == expected
    window.editor_actions["redo"].trigger()
    assert _shown(panel) == SAMPLE_PALETTE
    assert not document.undo_stack.can_redo()


def test_cancelled_questions_and_removing_a_used_pin(window: MainWindow, sample_copy: Path) -> None:
    assert window.flow.open_project(sample_copy)
    panel, questions = _palette(window)
    document = window.flow.document
    assert document is not None
    questions.colors.append(None)  # the restorer closed the color picker
    panel.buttons["add"].click()
    questions.colors.append("#ffffff")
    questions.names.append(None)  # … or the name prompt
    panel.buttons["add"].click()
    assert _shown(panel) == SAMPLE_PALETTE and not document.undo_stack.can_undo()
    assert not panel.buttons["remove"].isEnabled()  # nothing selected yet

    # removing "grass" repaints the bunny's grass stroke with the pin's last color: the picture stays
    panel.select_pin("pin-grass")
    assert panel.buttons["up"].isEnabled() and panel.buttons["down"].isEnabled()  # grass is in the middle
    panel.buttons["remove"].click()
    _, grass = document.project.find_hint("shot-bunny-1")
    assert grass.pin is None and grass.color == "#5f7f3a"
    window.editor_actions["undo"].trigger()
    _, grass = document.project.find_hint("shot-bunny-1")
    assert grass.pin == "pin-grass" and [n for n, _ in _shown(panel)] == ["uniform", "grass", "brick"]


def test_recoloring_the_grass_pin_recolors_the_bunny_keyframe_preview(
    qtbot, looked_window: MainWindow, sample_copy: Path
) -> None:
    window = looked_window
    assert window.flow.open_project(sample_copy)
    panel, questions = _palette(window)
    window.go_to(60)  # shot 2's keyframe: its grass stroke takes the "grass" pin
    qtbot.waitUntil(lambda: window.viewer.has_picture_of(60) and window.viewer._pair[1] is not None, timeout=30_000)
    before_recolor = window.viewer._pair[1].copy()

    def grass_mean(after: np.ndarray) -> np.ndarray:
        # the stroke runs along y≈420–440 of the 640×480 film; compare the area under it at viewer scale
        h, w = after.shape[:2]
        return after[int(h * 0.84):int(h * 0.93), int(w * 0.1):int(w * 0.5)].reshape(-1, 3).mean(axis=0)

    panel.select_pin("pin-grass")
    questions.colors.append("#b03020")  # from grass green to brick red
    panel.buttons["recolor"].click()
    document = window.flow.document
    assert document is not None and document.undo_stack.undo_text() == "Recolor pin “grass”"
    qtbot.waitUntil(lambda: not np.array_equal(window.viewer._pair[1], before_recolor), timeout=30_000)
    recolored = window.viewer._pair[1]
    old_r, old_g, _ = grass_mean(before_recolor)
    new_r, new_g, _ = grass_mean(recolored)
    assert old_g > old_r  # green grass before
    assert new_r - new_g > (old_r - old_g) + 5  # redder after: the pin reached the picture

    # one undo brings the green back, the same picture as before
    window.editor_actions["undo"].trigger()
    qtbot.waitUntil(lambda: np.array_equal(window.viewer._pair[1], before_recolor), timeout=30_000)


def test_a_new_pin_used_in_two_shots_recolors_both_previews_in_one_step(
    qtbot, looked_window: MainWindow, sample_copy: Path
) -> None:
    window = looked_window
    assert window.flow.open_project(sample_copy)
    document = window.flow.document
    assert document is not None
    panel, questions = _palette(window)
    questions.colors.append("#c03030")
    questions.names.append("poster")
    pin = panel.add_pin()
    assert pin is not None
    # the hint brush is another panel's; its strokes arrive as the same commands
    from engine.project.commands import AddHint
    from engine.project.hints import Hint

    for frame in (2, 60):  # the night street's and the bunny's keyframes
        assert window.push(AddHint(Hint(frame, ((300.0, 200.0), (340.0, 230.0)), radius=12.0, pin=pin.id)))

    def after_of(frame: int) -> np.ndarray:
        window.go_to(frame)
        qtbot.waitUntil(lambda: window.viewer.has_picture_of(frame) and window.viewer._pair[1] is not None,
                        timeout=30_000)
        return window.viewer._pair[1].copy()

    red = {frame: after_of(frame) for frame in (2, 60)}
    questions.colors.append("#3040c0")
    panel.select_pin(pin.id)
    panel.buttons["recolor"].click()
    assert document.undo_stack.undo_text() == "Recolor pin “poster”"
    for frame in (2, 60):
        blue = after_of(frame)
        h, w = blue.shape[:2]
        patch = (slice(int(h * 200 / 480), int(h * 230 / 480) + 1), slice(int(w * 300 / 640), int(w * 340 / 640) + 1))
        old_r, _, old_b = red[frame][patch].reshape(-1, 3).mean(axis=0)
        new_r, _, new_b = blue[patch].reshape(-1, 3).mean(axis=0)
        assert new_b - new_r > old_b - old_r + 5, frame  # bluer where the stroke lies, in both shots
    window.editor_actions["undo"].trigger()  # one step takes both shots back
    assert document.project.pin_table()[pin.id].color == "#c03030"
    qtbot.waitUntil(lambda: np.array_equal(window.viewer._pair[1], red[60]), timeout=30_000)  # still on frame 60


def test_dragging_a_swatch_reorders_the_palette_as_one_undo_step(qtbot, window: MainWindow, sample_copy: Path) -> None:
    from PySide6.QtCore import QModelIndex, Qt

    assert window.flow.open_project(sample_copy)
    panel, _ = _palette(window)
    document = window.flow.document
    assert document is not None
    model = panel.model
    # what the list view does on a drop: the dragged swatch's data, dropped between rows
    brick_drag = model.mimeData([model.index(2)])
    model.dropMimeData(brick_drag, Qt.DropAction.MoveAction, 0, 0, QModelIndex())  # above "uniform"
    qtbot.waitUntil(lambda: [n for n, _ in _shown(panel)] == ["brick", "uniform", "grass"])
    assert document.undo_stack.undo_text() == "Reorder palette" and panel.selected_pin().id == "pin-brick"
    uniform_drag = model.mimeData([model.index(1)])
    model.dropMimeData(uniform_drag, Qt.DropAction.MoveAction, -1, -1, QModelIndex())  # below the last row
    qtbot.waitUntil(lambda: [n for n, _ in _shown(panel)] == ["brick", "grass", "uniform"])
    window.editor_actions["undo"].trigger()
    assert [n for n, _ in _shown(panel)] == ["brick", "uniform", "grass"]
    window.editor_actions["undo"].trigger()
    assert _shown(panel) == SAMPLE_PALETTE
