"""The reference panel: a photograph per shot, its eyedropper into the brush and into the palette, undo/redo."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage

from gui.main_window import MainWindow
from gui.widgets.reference_panel import ReferencePanel
from tests.gui.conftest import ScriptedPinQuestions

RED, BLUE = (200, 40, 30), (30, 60, 190)


@pytest.fixture
def photograph(tmp_path: Path) -> Path:
    """A small color "photograph": a red poster on the left, a blue door on the right."""
    pixels = np.zeros((48, 64, 3), np.uint8)
    pixels[:, :32] = RED
    pixels[:, 32:] = BLUE
    image = QImage(pixels.data, 64, 48, 64 * 3, QImage.Format.Format_RGB888).copy()
    path = tmp_path / "poster.png"
    assert image.save(str(path))
    return path


def _panel(qtbot, window: MainWindow, sample_copy: Path, frame: int) -> tuple[ReferencePanel, ScriptedPinQuestions]:
    assert window.flow.open_project(sample_copy)
    window.go_to(frame)
    window.reference_dock.show()
    window.reference_dock.raise_()
    panel = window.reference_panel
    questions = ScriptedPinQuestions()
    panel.questions = questions
    qtbot.waitUntil(lambda: panel.view.isVisible() and panel.view.width() > 0)
    return panel, questions


def _click_image(qtbot, panel: ReferencePanel, fx: float, fy: float) -> None:
    """Click the photograph at fraction ``(fx, fy)`` of its width and height."""
    rect = panel.view.image_rect()
    assert not rect.isEmpty()
    qtbot.mouseClick(panel.view, Qt.MouseButton.LeftButton,
                     pos=QPoint(round(rect.left() + fx * rect.width()), round(rect.top() + fy * rect.height())))


def test_a_reference_photograph_gives_the_brush_and_the_palette_its_colors(
    qtbot, window: MainWindow, sample_copy: Path, photograph: Path
) -> None:
    panel, questions = _panel(qtbot, window, sample_copy, frame=60)
    document = window.flow.document
    assert document is not None
    shot = document.project.shot_at(60).id
    assert panel.view.image.isNull() and not panel.buttons["clear"].isEnabled()

    questions.images.append(photograph)
    panel.buttons["load"].click()
    assert document.project.data(shot).reference == photograph.absolute()
    assert document.undo_stack.undo_text() == "Set reference image poster.png"
    assert (panel.view.image.width(), panel.view.image.height()) == (64, 48)

    # the eyedropper: a click on the poster puts its red in the brush
    _click_image(qtbot, panel, 0.25, 0.5)
    assert window.hint_tools.paint.color == "#c8281e" and window.hint_tools.paint.pin is None
    assert panel.picked == "#c8281e" and panel.buttons["add_pin"].isEnabled()

    # … and "Add to palette" pins it under a name; the brush then paints with the pin
    questions.names.append("poster red")
    panel.buttons["add_pin"].click()
    pins = document.project.pins
    assert (pins[-1].name, pins[-1].color) == ("poster red", "#c8281e")
    assert window.hint_tools.paint.pin == pins[-1].id
    assert document.undo_stack.undo_text() == "Add pin “poster red”"
    assert window.palette_area.model.rowCount() == 4

    _click_image(qtbot, panel, 0.75, 0.5)  # the blue door
    assert window.hint_tools.paint.color == "#1e3cbe" and window.hint_tools.paint.pin is None

    # each shot has its own reference: the night street has none
    window.go_to(0)
    assert panel.view.image.isNull() and panel.reference() is None
    window.go_to(60)
    assert not panel.view.image.isNull()

    # clear, then undo and redo each step
    panel.buttons["clear"].click()
    assert document.project.data(shot).reference is None and panel.view.image.isNull()
    assert document.undo_stack.undo_text() == "Clear reference image"
    window.editor_actions["undo"].trigger()
    assert document.project.data(shot).reference == photograph.absolute() and not panel.view.image.isNull()
    window.editor_actions["undo"].trigger()  # the pin
    assert len(document.project.pins) == 3
    window.editor_actions["undo"].trigger()  # the photograph
    assert document.project.data(shot).reference is None and panel.view.image.isNull()
    window.editor_actions["redo"].trigger()
    assert not panel.view.image.isNull()
    window.editor_actions["redo"].trigger()
    assert document.project.pins[-1].name == "poster red"


def test_a_file_that_is_no_photograph_is_refused_and_cancels_change_nothing(
    qtbot, window: MainWindow, sample_copy: Path, tmp_path: Path
) -> None:
    panel, questions = _panel(qtbot, window, sample_copy, frame=60)
    document = window.flow.document
    assert document is not None
    damaged = tmp_path / "scan.png"
    damaged.write_bytes(b"\x89PNG\r\n\x1a\n cut short")
    questions.images.extend([damaged, None])
    panel.buttons["load"].click()
    assert "scan.png" in panel.view.message and not document.undo_stack.can_undo()
    panel.buttons["load"].click()  # the restorer closed the file dialog
    assert not document.undo_stack.can_undo()
    questions.names.append(None)
    panel.use_color("#336699")
    panel.buttons["add_pin"].click()  # … or the name prompt
    assert len(document.project.pins) == 3 and window.hint_tools.paint.color == "#336699"


def test_the_screen_eyedropper_picks_what_the_screen_shows(qtbot, window: MainWindow, sample_copy: Path,
                                                            photograph: Path) -> None:
    window.move(0, 0)
    window.resize(window.minimumSizeHint())  # all of it on the offscreen platform's 800×600 screen
    panel, questions = _panel(qtbot, window, sample_copy, frame=60)
    questions.images.append(photograph)
    panel.buttons["load"].click()
    qtbot.waitUntil(lambda: not panel.view.image_rect().isEmpty())
    panel.view.repaint()  # on screen, as it is long before a hand reaches it
    qtbot.wait(20)
    window.editor_actions["pick_screen"].trigger()  # I
    # the click lands on the blue half of the photograph as the screen shows it, not through its own eyedropper
    _click_image(qtbot, panel, 0.75, 0.5)
    assert panel.view.marker is None
    assert window.hint_tools.paint.color == "#1e3cbe" and panel.picked == "#1e3cbe"

    # one pick, then the eyedropper is put down: the next click is the photograph's own eyedropper
    _click_image(qtbot, panel, 0.25, 0.5)
    assert panel.view.marker is not None and window.hint_tools.paint.color == "#c8281e"
    # Esc puts it down unused
    window.editor_actions["pick_screen"].trigger()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    panel.view.marker = None
    _click_image(qtbot, panel, 0.75, 0.5)
    assert panel.view.marker is not None
