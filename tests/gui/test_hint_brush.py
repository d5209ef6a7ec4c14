"""The hint brush on the sample project: paint, recolor, move and erase strokes with the mouse; keyframes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from engine.project.hints import Hint
from gui.main_window import MainWindow
from gui.widgets.hint_tools import Tool
from gui.widgets.timeline import RULER_H, SHOTS_H, THUMBS_H
from tests.gui.conftest import ScriptedPinQuestions

EMPTY_FRAME = 20  # in the night street shot, whose only keyframe is frame 2


def _open(qtbot, window: MainWindow, sample_copy: Path, frame: int = EMPTY_FRAME) -> None:
    assert window.flow.open_project(sample_copy)
    window.go_to(frame)
    qtbot.waitUntil(lambda: window.viewer.has_picture_of(frame), timeout=15_000)


def _at(window: MainWindow, x: float, y: float) -> QPoint:
    """Where source pixel ``(x, y)`` is on screen, through the viewer's zoom and pan."""
    return window.hint_layer.to_widget(x, y).toPoint()


def _drag(qtbot, window: MainWindow, points: list[tuple[float, float]]) -> None:
    layer = window.hint_layer
    qtbot.mousePress(layer, Qt.MouseButton.LeftButton, pos=_at(window, *points[0]))
    for x, y in points[1:]:
        qtbot.mouseMove(layer, _at(window, x, y))
    qtbot.mouseRelease(layer, Qt.MouseButton.LeftButton, pos=_at(window, *points[-1]))


def _strokes(window: MainWindow, frame: int = EMPTY_FRAME) -> list[Hint]:
    document = window.flow.document
    assert document is not None
    return [h for h in document.project.hints() if h.frame == frame]


def test_paint_recolor_move_and_erase_a_stroke_each_one_named_undo_step(
    qtbot, window: MainWindow, sample_copy: Path
) -> None:
    _open(qtbot, window, sample_copy)
    document = window.flow.document
    assert document is not None
    questions = ScriptedPinQuestions()
    window.reference_panel.questions = questions
    layer, tools = window.hint_layer, window.hint_tools

    # P takes the brush; ] makes it larger; a click is a dot, a drag a stroke
    qtbot.keyClick(window, Qt.Key.Key_P)
    assert tools.tool == Tool.BRUSH and window.editor_actions["tool_brush"].isChecked()
    radius = tools.radius
    qtbot.keyClick(window, Qt.Key.Key_BracketRight)
    assert tools.radius > radius and window.hint_toolbar.size_box.value() == round(tools.radius)
    tools.set_color("#a04020")
    qtbot.mouseClick(layer, Qt.MouseButton.LeftButton, pos=_at(window, 500.0, 100.0))
    (dot,) = _strokes(window)
    assert len(dot.points) == 1 and dot.color == "#a04020" and dot.pin is None
    assert document.undo_stack.undo_text() == f"Add hint on frame {EMPTY_FRAME}"
    _drag(qtbot, window, [(100.0, 300.0), (140.0, 310.0), (180.0, 320.0), (220.0, 330.0)])
    dot_, stroke = _strokes(window)
    assert dot_ == dot and len(stroke.points) >= 3
    # the stroke lies where the mouse went, in source pixels, whatever the viewer's scale
    assert np.allclose(stroke.points[0], (100.0, 300.0), atol=2.5)
    assert np.allclose(stroke.points[-1], (220.0, 330.0), atol=2.5)
    assert stroke.radius == tools.radius
    assert EMPTY_FRAME in window.timeline.keyframes()  # painting made the frame a keyframe

    # V: select the stroke by clicking it, recolor it from the color picker, then from a pin
    qtbot.keyClick(window, Qt.Key.Key_V)
    qtbot.mouseClick(layer, Qt.MouseButton.LeftButton, pos=_at(window, 160.0, 315.0))
    assert layer.selected == stroke.id
    questions.colors.append("#2050c0")
    window.editor_actions["brush_color"].trigger()
    assert _strokes(window)[1].color == "#2050c0" and document.undo_stack.undo_text() == "Recolor hint"
    window.palette_area.select_pin("pin-grass")  # a swatch clicked in the palette
    recolored = _strokes(window)[1]
    assert recolored.pin == "pin-grass" and tools.paint.pin == "pin-grass"
    assert document.undo_stack.undo_text() == "Recolor hint"

    # drag it 30 px right and 20 up: many mouse moves, one undo step
    steps = len(document.undo_stack)
    _drag(qtbot, window, [(160.0, 315.0), (170.0, 310.0), (180.0, 305.0), (190.0, 295.0)])
    moved = _strokes(window)[1]
    assert len(document.undo_stack) == steps + 1 and document.undo_stack.undo_text() == "Move hint"
    shift = np.array(moved.points) - np.array(recolored.points)
    assert np.allclose(shift, shift[0]) and np.allclose(shift[0], (30.0, -20.0), atol=2.5)

    # Delete erases the selected stroke (not a cut)
    cuts = document.project.cuts
    qtbot.keyClick(window, Qt.Key.Key_Delete)
    assert _strokes(window) == [dot] and document.project.cuts == cuts
    assert document.undo_stack.undo_text() == "Erase hint" and layer.selected == ""

    # undo walks back through each step, redo forward again
    history = [
        [dot, moved],
        [dot, recolored],
        [dot, _strokes_with_color(stroke, "#2050c0")],
        [dot, stroke],
        [dot],
        [],
    ]
    for expected in history:
        window.editor_actions["undo"].trigger()
        assert _strokes(window) == expected
    for expected in reversed([[dot]] + history[:-1]):
        window.editor_actions["redo"].trigger()
        assert _strokes(window) == expected


def _strokes_with_color(hint: Hint, color: str) -> Hint:
    from dataclasses import replace

    return replace(hint, color=color, pin=None)


def test_the_eraser_removes_every_stroke_it_touches_in_one_step(qtbot, window: MainWindow, sample_copy: Path) -> None:
    _open(qtbot, window, sample_copy, frame=60)  # the bunny's keyframe: grass, bunny, leaves
    document = window.flow.document
    assert document is not None
    before = _strokes(window, 60)
    assert len(before) == 3
    qtbot.keyClick(window, Qt.Key.Key_E)
    window.hint_tools.set_radius(6)
    # across the grass stroke (y≈420–440) and on to the bunny's (230,170)–(270,200)
    _drag(qtbot, window, [(200.0, 470.0), (200.0, 430.0), (240.0, 300.0), (250.0, 185.0)])
    assert _strokes(window, 60) == [before[2]]
    assert document.undo_stack.undo_text() == "Erase 2 hints"
    window.editor_actions["undo"].trigger()
    assert _strokes(window, 60) == before
    window.editor_actions["redo"].trigger()
    assert _strokes(window, 60) == [before[2]]
    # a click away from every stroke erases nothing and records nothing
    steps = len(document.undo_stack)
    qtbot.mouseClick(window.hint_layer, Qt.MouseButton.LeftButton, pos=_at(window, 400.0, 300.0))
    assert len(document.undo_stack) == steps


def test_the_view_tool_leaves_the_viewer_its_gestures_and_painting_needs_a_picture(
    qtbot, window: MainWindow, sample_copy: Path
) -> None:
    layer = window.hint_layer
    qtbot.keyClick(window, Qt.Key.Key_P)
    assert not layer.can_paint()  # no project: nothing to paint on
    qtbot.mouseClick(layer, Qt.MouseButton.LeftButton, pos=QPoint(300, 300))
    _open(qtbot, window, sample_copy)
    qtbot.keyClick(window, Qt.Key.Key_H)
    assert window.hint_tools.tool == Tool.VIEW
    assert layer.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    assert window.viewer.fitted
    qtbot.mousePress(window.viewer, Qt.MouseButton.LeftButton, pos=QPoint(300, 300))
    qtbot.mouseMove(window.viewer, QPoint(340, 280))
    qtbot.mouseRelease(window.viewer, Qt.MouseButton.LeftButton, pos=QPoint(340, 280))
    assert not window.viewer.fitted and _strokes(window) == []  # it panned; nothing was painted


def test_keyframes_are_marked_on_the_timeline_and_reached_with_keys(qtbot, window: MainWindow,
                                                                    sample_copy: Path) -> None:
    _open(qtbot, window, sample_copy, frame=0)
    timeline = window.timeline
    assert timeline.keyframes() == [2, 60, 105, 165]
    # a diamond is drawn on each keyframe's shot: its colour differs from the shot band's at that spot
    picture = timeline.grab().toImage()
    y = RULER_H + THUMBS_H + 2 + SHOTS_H - 12
    for frame in timeline.keyframes():
        x = round(timeline.keyframe_x(frame))
        assert picture.pixelColor(x, y).name() in ("#f2efe6", "#e8b04a"), frame
    x_plain = round(timeline.keyframe_x(30))
    assert picture.pixelColor(x_plain, y).name() not in ("#f2efe6", "#e8b04a")

    # ' and ; go to the next and previous keyframe
    visited = []
    for _ in range(5):
        qtbot.keyClick(window, Qt.Key.Key_Apostrophe)
        visited.append(window.position)
    assert visited == [2, 60, 105, 165, 165]
    qtbot.keyClick(window, Qt.Key.Key_Semicolon)
    qtbot.keyClick(window, Qt.Key.Key_Semicolon)
    assert window.position == 60

    # painting a stroke on another frame adds a keyframe, and its undo takes it away
    window.go_to(120)
    qtbot.keyClick(window, Qt.Key.Key_P)
    qtbot.mouseClick(window.hint_layer, Qt.MouseButton.LeftButton, pos=_at(window, 320.0, 240.0))
    assert timeline.keyframes() == [2, 60, 105, 120, 165]
    window.editor_actions["undo"].trigger()
    assert timeline.keyframes() == [2, 60, 105, 165]


@pytest.mark.parametrize("language", ["zh_CN"])
def test_the_hint_tools_speak_the_chosen_language(window: MainWindow, language: str) -> None:
    window.set_language(language)
    assert window.editor_actions["tool_brush"].text() != "Hint &Brush"
    assert window.reference_dock.windowTitle() != "Reference"
    window.set_language("en")
    assert window.editor_actions["tool_brush"].text() == "Hint &Brush"


def test_a_stroke_recolors_the_preview_without_blocking_and_undo_takes_it_back(
    qtbot, settings, autosave, prompts, sample_copy: Path
) -> None:
    from gui.app import film_look

    window = MainWindow(settings=settings, autosave=autosave, prompts=prompts, look=film_look)
    prompts.window = window
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    try:
        assert window.flow.open_project(sample_copy)
        window.go_to(60)
        qtbot.waitUntil(lambda: window.viewer.has_picture_of(60) and window.viewer.has_after, timeout=30_000)
        before = window.viewer.shown_image().copy()

        def redness(after: np.ndarray) -> float:
            h, w = after.shape[:2]  # the stroke's band, y 285–315 and x 400–480 of the 640×480 film
            patch = after[int(h * 290 / 480):int(h * 310 / 480), int(w * 405 / 640):int(w * 475 / 640)]
            r, g, b = patch.reshape(-1, 3).astype(float).mean(axis=0)
            return r - (g + b) / 2

        qtbot.keyClick(window, Qt.Key.Key_P)
        window.hint_tools.set_color("#c03020")
        window.hint_tools.set_radius(14)
        _drag(qtbot, window, [(400.0, 300.0), (440.0, 300.0), (480.0, 300.0)])
        # the push returned at once; the new picture arrives from the preview worker, a half-width draft first
        qtbot.waitUntil(lambda: not np.array_equal(window.viewer.shown_image(), before), timeout=30_000)
        assert redness(window.viewer.shown_image()) > redness(before) + 5
        qtbot.waitUntil(lambda: window.viewer.shown_image().shape == before.shape
                        and not np.array_equal(window.viewer.shown_image(), before), timeout=30_000)
        assert redness(window.viewer.shown_image()) > redness(before) + 5
        window.editor_actions["undo"].trigger()
        qtbot.waitUntil(lambda: np.array_equal(window.viewer.shown_image(), before), timeout=30_000)
    finally:
        window.close()


def test_a_brush_painting_with_a_pin_follows_the_palette(qtbot, window: MainWindow, sample_copy: Path) -> None:
    from engine.project.commands import RecolorPin, RemovePin

    _open(qtbot, window, sample_copy)
    tools = window.hint_tools
    window.palette_area.select_pin("pin-brick")
    assert (tools.paint.color, tools.paint.pin) == ("#8b5a4a", "pin-brick")
    assert window.push(RecolorPin("pin-brick", "#993322"))
    assert (tools.paint.color, tools.paint.pin) == ("#993322", "pin-brick")
    qtbot.keyClick(window, Qt.Key.Key_P)
    qtbot.mouseClick(window.hint_layer, Qt.MouseButton.LeftButton, pos=_at(window, 320.0, 240.0))
    (dot,) = _strokes(window)
    assert dot.pin == "pin-brick" and dot.color is None  # the stroke refers to the pin, not its color
    assert window.push(RemovePin("pin-brick"))
    assert (tools.paint.color, tools.paint.pin) == ("#993322", None)  # the pin's last color, as its strokes keep


def test_a_color_picked_since_survives_palette_edits_until_a_swatch_is_chosen_again(
    qtbot, window: MainWindow, sample_copy: Path
) -> None:
    from engine.project.commands import RenamePin

    _open(qtbot, window, sample_copy)
    palette, tools = window.palette_area, window.hint_tools
    palette.select_pin("pin-grass")
    tools.set_color("#e48a32")  # then the eyedropper picked a color
    assert window.push(RenamePin("pin-grass", "lawn"))  # the palette re-selects its swatch: no choice
    assert (tools.paint.color, tools.paint.pin) == ("#e48a32", None)
    index = palette.model.index(palette.model.row_of("pin-grass"))
    qtbot.mouseClick(palette.swatches.viewport(), Qt.MouseButton.LeftButton,
                     pos=palette.swatches.visualRect(index).center())  # the same swatch, clicked again
    assert tools.paint.pin == "pin-grass"
