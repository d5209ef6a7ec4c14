"""Screenshots of the real editor for the README: ``python -m gui.screenshots OUT_DIR``.

Run it under Xvfb (``xvfb-run -s "-screen 0 1600x1000x24" python -m gui.screenshots docs/``)
for the xcb platform, or as is for Qt's offscreen platform: either way the
pictures are the real window's widgets painting the bundled sample project.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    """Write ``editor.png``, ``hints.png``, ``export-dialog.png``, ``restore.png`` (and ``reference.png``) there."""
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print("usage: python -m gui.screenshots OUT_DIR", file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from gui.app import SAMPLE_PROJECT, film_look
    from gui.dialogs.export_dialog import ExportDialog
    from gui.main_window import MainWindow
    from gui.theme import apply_dark_theme

    app = QApplication.instance() or QApplication([])
    apply_dark_theme(app)  # type: ignore[arg-type]
    written = ["editor.png", "hints.png", "export-dialog.png"]
    with tempfile.TemporaryDirectory() as scratch:
        window = MainWindow(settings=QSettings(str(Path(scratch) / "s.ini"), QSettings.Format.IniFormat),
                            look=film_look)
        window.resize(1600, 960)
        window.show()
        window.flow.open_project(SAMPLE_PROJECT)
        window.timeline.zoom_to_fit()
        window.go_to(60)  # the bunny's keyframe: its hints colorize the "after" side
        _wait_for(lambda: window.viewer.has_picture_of(60))
        window.editor_actions["split_wipe"].trigger()
        strip = window.flow.thumbnails
        _wait_for(lambda: strip is None or not strip.job.running)
        QTest.qWait(100)
        window.grab().save(str(out / "editor.png"))
        _hints(window, out / "hints.png")
        if _reference(window, out / "reference.png"):
            written.append("reference.png")
        _restoration(window, out / "restore.png")
        written.append("restore.png")
        assert window.flow.document is not None
        dialog = ExportDialog(window.flow.document.project, window)
        dialog.show()
        QTest.qWait(50)
        dialog.grab().save(str(out / "export-dialog.png"))
        dialog.close()
        window.close()
    print(f"wrote {', '.join(str(out / name) for name in written)}")
    return 0


def _hints(window: object, path: Path) -> None:
    """The brush in hand over the bunny's keyframe: its strokes drawn on the colorized picture, the palette open."""
    from PySide6.QtTest import QTest

    from gui.main_window import MainWindow
    from gui.widgets.hint_tools import Tool

    assert isinstance(window, MainWindow)
    window.editor_actions["split_wipe"].trigger()  # the whole "after" picture, under its strokes
    window.palette_dock.show()
    window.palette_dock.raise_()
    window.palette_area.select_pin("pin-grass")  # the brush takes the pinned grass green
    window.hint_tools.set_tool(Tool.BRUSH)
    window.hint_tools.set_radius(12)
    layer = window.hint_layer
    QTest.mouseMove(layer, layer.to_widget(430.0, 330.0).toPoint())  # the brush's ring where the hand is
    QTest.qWait(100)
    window.grab().save(str(path))
    window.hint_tools.set_tool(Tool.VIEW)


def _reference(window: object, path: Path) -> bool:
    """A color photograph beside the shot, its color picked into the brush; ``False`` without one at hand.

    The photograph is scikit-image's "coffee", located without importing
    scikit-image; the edit is undone afterwards, so the sample stays as shipped.
    """
    import importlib.util

    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    from engine.project.commands import SetReference
    from gui.main_window import MainWindow

    assert isinstance(window, MainWindow) and window.flow.document is not None
    spec = importlib.util.find_spec("skimage")
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    photograph = next((Path(f) / "data" / "coffee.png" for f in folders if (Path(f) / "data" / "coffee.png").is_file()),
                      None)
    if photograph is None:
        return False
    document = window.flow.document
    window.push(SetReference(document.project.shot_at(window.position).id, photograph))
    window.reference_dock.show()
    window.reference_dock.raise_()
    QTest.qWait(50)
    view = window.reference_panel.view
    rect = view.image_rect()
    QTest.mouseClick(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(round(rect.left() + rect.width() * 0.42), round(rect.top() + rect.height() * 0.36)))
    QTest.qWait(100)
    window.grab().save(str(path))
    document.undo()
    window.palette_dock.raise_()
    return True


def _restoration(window: object, path: Path) -> None:
    """The bunny's shot with its restoration on, before beside after: weave, flicker, dust and scratches.

    The settings are undone afterwards, so the sample stays as shipped.
    """
    import time

    import numpy as np

    from gui.main_window import MainWindow

    assert isinstance(window, MainWindow) and window.flow.document is not None
    frame = 60  # the bunny: two scratches down the grass, specks of dust, the print weaving
    window.go_to(frame)
    _wait_for(lambda: window.viewer.has_picture_of(frame))
    before = window.viewer.shown_image().copy()
    keys = ("restore.stabilize.enabled", "restore.deflicker.enabled", "restore.dust.enabled",
            "restore.scratches.enabled")
    for key in keys:
        window.shot_inspector.set_value(key, True)
    split = window.editor_actions["split_wipe"]
    if split.isCheckable() and not split.isChecked():
        split.trigger()  # before on the left, after on the right
    _wait_for(lambda: window.viewer.has_picture_of(frame) and not np.array_equal(window.viewer.shown_image(), before))
    settled = time.monotonic() + 1.5  # the full picture right behind the draft
    _wait_for(lambda: time.monotonic() > settled)
    window.grab().save(str(path))
    for _ in keys:
        window.flow.document.undo()


def _wait_for(condition: Callable[[], bool], timeout_s: float = 120.0) -> None:
    """Run the event loop until ``condition()`` holds.

    In an event loop of its own rather than ``QTest.qWait`` steps, between
    which the preview thread waits for the interpreter: it imports torch on its
    first colorized frame, which takes a minute that way and seconds this way.
    """
    import time

    from PySide6.QtCore import QEventLoop, QTimer

    deadline = time.monotonic() + timeout_s
    loop = QEventLoop()
    timer = QTimer()
    timer.timeout.connect(lambda: loop.quit() if condition() or time.monotonic() > deadline else None)
    timer.start(20)
    loop.exec()
    timer.stop()


if __name__ == "__main__":
    sys.exit(main())
