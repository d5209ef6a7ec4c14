"""Scrub 200 random positions while previews render: the GUI thread never renders a pixel.

The longest event-loop stall is printed here and measured against a peer by
``python -m gui.scrub_benchmark`` (numbers belong to benchmarks, not to timed
tests on shared machines); this test checks what makes it short: every frame
is rendered off the GUI thread, the viewer follows the drag, and it ends on
the frame under the playhead.
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from gui.main_window import MainWindow
from gui.scrub_benchmark import scrub


def test_scrubbing_200_positions_renders_off_the_gui_thread(qtbot, settings, autosave, prompts,
                                                            sample_copy: Path) -> None:
    rendered_on: set[int] = set()

    def recording_look(project):
        def look(frame: int, rgb: np.ndarray) -> np.ndarray:
            rendered_on.add(threading.get_ident())
            return rgb
        return look

    window = MainWindow(settings=settings, autosave=autosave, prompts=prompts, look=recording_look)
    prompts.window = window
    qtbot.addWidget(window)
    window.show()
    window.flow.open_project(sample_copy)
    report = scrub(window, positions=200, seed=3)
    print(f"\nlongest event-loop stall {report.longest_stall_ms:.1f} ms over {report.positions} scrubs; "
          f"{report.previews_shown} previews shown ({report.shown_during_drag} during the drag), "
          f"{report.stale_dropped} superseded")
    assert rendered_on and threading.main_thread().ident not in rendered_on
    assert report.last_frame_shown  # it always ends on the frame under the playhead
    assert report.shown_during_drag >= 1  # and shows pictures during the drag, not only after it
    assert report.stale_dropped > 100  # superseded wishes were never rendered
    window.close()
