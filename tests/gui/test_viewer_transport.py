"""The viewer (zoom, pan, 1:1, fit, before/after wipe) and the transport (J/K/L, arrows, go to)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QPoint, QPointF, Qt

from engine.progress import CancelToken
from engine.render.preview import PreviewRequest
from gui.bridge.preview_renderer import SourcePreview
from gui.main_window import MainWindow
from gui.widgets.viewer import Compare, Viewer
from tests.gui.conftest import wait_for_preview


def _negative(frame: int, rgb: np.ndarray) -> np.ndarray:
    return 255 - rgb


def test_renderer_gives_before_and_after_at_viewer_width(bikes: Path) -> None:
    renderer = SourcePreview(bikes, look=_negative)
    try:
        pair = renderer(PreviewRequest(1, 100, 320, "full", ""), CancelToken())
        source_only = SourcePreview(bikes)(PreviewRequest(2, 100, 4000, "full", ""), CancelToken())
    finally:
        renderer.close()
    assert pair.shape == (2, 136, 320, 3) and pair.dtype == np.uint8
    np.testing.assert_array_equal(pair[1], 255 - pair[0])
    assert source_only.shape == (272, 640, 3)  # never enlarged beyond the source


def test_split_wipe_shows_before_left_and_after_right(qtbot, bikes: Path) -> None:
    viewer = Viewer()
    qtbot.addWidget(viewer)
    viewer.resize(640, 272)
    viewer.show()
    viewer.set_frame_size(640, 272)
    renderer = SourcePreview(bikes, look=_negative)
    pair = renderer(PreviewRequest(1, 60, 640, "full", ""), CancelToken())
    renderer.close()
    viewer.set_preview(pair, 60)
    viewer.compare = Compare.SPLIT
    viewer.split = 0.5
    shot = viewer.grab().toImage()
    left, right = shot.pixelColor(100, 200), shot.pixelColor(540, 200)
    assert left.red() == pair[0][200, 100, 0]
    assert right.red() == pair[1][200, 540, 0]
    # dragging the wipe line moves it
    qtbot.mousePress(viewer, Qt.MouseButton.LeftButton, pos=QPoint(320, 100))
    qtbot.mouseMove(viewer, QPoint(160, 100))
    qtbot.mouseRelease(viewer, Qt.MouseButton.LeftButton, pos=QPoint(160, 100))
    assert abs(viewer.split - 0.25) < 0.01


def test_zoom_pan_actual_pixels_and_fit(qtbot, window: MainWindow, sample_copy: Path) -> None:
    window.resize(820, 640)  # a viewer narrower than the film, so fitting shrinks it
    window.flow.open_project(sample_copy)
    wait_for_preview(qtbot, window, 0)
    viewer = window.viewer
    qtbot.waitUntil(lambda: viewer.width() < 640)
    fitted_width = viewer.wanted_width()
    assert viewer.fitted and fitted_width < 640
    window.editor_actions["actual_pixels"].trigger()
    assert viewer.scale == 1.0 and viewer.wanted_width() == 640
    # a sharper preview is asked for and shown
    qtbot.waitUntil(lambda: window.viewer.shown_image().shape[1] == 640, timeout=10_000)
    anchor = QPointF(100, 100)
    film_point = (anchor - viewer.picture_rect().topLeft()) / viewer.scale
    viewer.zoom_by(2, anchor)
    assert abs(viewer.scale - 2.0) < 1e-9
    assert ((anchor - viewer.picture_rect().topLeft()) / viewer.scale - film_point).manhattanLength() < 1e-6
    before = viewer.picture_rect().topLeft()
    qtbot.mousePress(viewer, Qt.MouseButton.LeftButton, pos=QPoint(300, 300))
    qtbot.mouseMove(viewer, QPoint(340, 280))
    qtbot.mouseRelease(viewer, Qt.MouseButton.LeftButton, pos=QPoint(340, 280))
    assert viewer.picture_rect().topLeft() - before == QPointF(40, -20)
    qtbot.keyClick(window, Qt.Key.Key_F)
    assert viewer.fitted and viewer.wanted_width() == fitted_width


def test_keyboard_transport(qtbot, window: MainWindow, sample_copy: Path) -> None:
    window.flow.open_project(sample_copy)
    last = window.flow.document.project.frame_count - 1
    qtbot.keyClick(window, Qt.Key.Key_End)
    assert window.position == last
    qtbot.keyClick(window, Qt.Key.Key_Left)
    assert window.position == last - 1
    qtbot.keyClick(window, Qt.Key.Key_Home)
    assert window.position == 0
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert window.position == 1
    qtbot.keyClick(window, Qt.Key.Key_Down)  # next cut
    assert window.position == window.flow.document.project.cuts[0].frame
    qtbot.keyClick(window, Qt.Key.Key_Up)
    assert window.position == 0
    # L plays forward, L again doubles the speed, K stops, J reverses
    qtbot.keyClick(window, Qt.Key.Key_L)
    assert window.clock.speed == 1
    qtbot.keyClick(window, Qt.Key.Key_L)
    assert window.clock.speed == 2
    qtbot.waitUntil(lambda: window.position >= 10, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_K)
    assert not window.clock.playing
    stopped = window.position
    qtbot.keyClick(window, Qt.Key.Key_J)
    assert window.clock.speed == -1
    qtbot.waitUntil(lambda: window.position < stopped, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert not window.clock.playing
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert window.clock.playing
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert window.transport.speed_label.text() == ""


def test_go_to_frame_or_timecode_in_the_transport_field(qtbot, window: MainWindow, sample_copy: Path) -> None:
    window.flow.open_project(sample_copy)
    field = window.transport.position
    field.setFocus()
    field.setText("00:00:04:05")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert window.position == 4 * 25 + 5
    field.setFocus()
    field.setText("57")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert window.position == 57
    field.setFocus()
    field.setText("soon")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert window.position == 57 and "not a frame" in window.transport.frame_label.text()
    wait_for_preview(qtbot, window, 57)


def test_before_after_toggle_and_wipe_through_the_window(qtbot, settings, autosave, prompts, sample_copy: Path) -> None:
    looked_at: list[int] = []

    def negative_look(project):
        def look(frame: int, rgb: np.ndarray) -> np.ndarray:
            looked_at.append(frame)
            return 255 - rgb
        return look

    window = MainWindow(settings=settings, autosave=autosave, prompts=prompts, look=negative_look)
    prompts.window = window
    qtbot.addWidget(window)
    window.show()
    window.flow.open_project(sample_copy)
    window.go_to(60)
    wait_for_preview(qtbot, window, 60)
    assert 60 in looked_at and window.editor_actions["split_wipe"].isEnabled()
    after = window.viewer.shown_image()
    qtbot.keyClick(window, Qt.Key.Key_B)
    assert window.viewer.compare == Compare.BEFORE
    np.testing.assert_array_equal(window.viewer.shown_image(), 255 - after)
    qtbot.keyClick(window, Qt.Key.Key_W)
    assert window.viewer.compare == Compare.SPLIT
    qtbot.keyClick(window, Qt.Key.Key_W)
    qtbot.keyClick(window, Qt.Key.Key_B)
    assert window.viewer.compare == Compare.AFTER
    window.close()


def test_playback_keeps_wall_clock_time_from_the_first_frame(qtbot) -> None:
    from fractions import Fraction

    from gui.widgets.transport import PlaybackClock

    clock = PlaybackClock()
    clock.configure(Fraction(100), 50)
    shown: list[int] = []
    clock.frameDue.connect(shown.append)
    clock.play(0, 1.0)
    qtbot.waitUntil(lambda: not clock.playing, timeout=5000)  # 49 frames at 100 fps: about half a second
    assert shown[-1] == 49
    assert shown == sorted(shown) and len(set(shown)) == len(shown)
    clock.play(10, -4.0)
    qtbot.waitUntil(lambda: not clock.playing, timeout=5000)
    assert shown[-1] == 0
