"""Screenshots of the real editor for the README: ``python -m gui.screenshots OUT_DIR``.

Run it under Xvfb (``xvfb-run -s "-screen 0 1600x1000x24" python -m gui.screenshots docs/``)
for the xcb platform, or as is for Qt's offscreen platform: either way the
pictures are the real window's widgets painting the bundled sample project.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    """Write ``editor.png`` and ``export-dialog.png`` into the folder given."""
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
    with tempfile.TemporaryDirectory() as scratch:
        window = MainWindow(settings=QSettings(str(Path(scratch) / "s.ini"), QSettings.Format.IniFormat),
                            look=film_look)
        window.resize(1600, 960)
        window.show()
        window.flow.open_project(SAMPLE_PROJECT)
        window.timeline.zoom_to_fit()
        window.go_to(60)  # the bunny's keyframe: its hints colorize the "after" side
        while not window.viewer.has_picture_of(60):
            QTest.qWait(20)
        window.editor_actions["split_wipe"].trigger()
        strip = window.flow.thumbnails
        while strip is not None and strip.job.running:
            QTest.qWait(20)
        QTest.qWait(100)
        window.grab().save(str(out / "editor.png"))
        assert window.flow.document is not None
        dialog = ExportDialog(window.flow.document.project, window)
        dialog.show()
        QTest.qWait(50)
        dialog.grab().save(str(out / "export-dialog.png"))
        dialog.close()
        window.close()
    print(f"wrote {out / 'editor.png'} and {out / 'export-dialog.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
