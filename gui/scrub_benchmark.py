"""How long can scrubbing freeze the editor? ``python -m gui.scrub_benchmark [FILM]``.

Drags the playhead to 200 random frames of a real film, through the real
window's timeline, while previews render, and measures the longest gap
between two beats of a 2 ms heartbeat timer on the event loop: the longest
moment the editor could not answer the restorer. The peer, measured in the
same run on the same frames, is the naive editor that decodes and scales the
preview on the GUI thread. (This lives beside the editor rather than in
``benchmarks/``, which must not import Qt.)
"""

from __future__ import annotations

import os
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QElapsedTimer, QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from engine.progress import CancelToken
from engine.render.preview import PreviewRequest
from gui.widgets.timeline import RULER_H

GOAL_MS = 100.0
HEARTBEAT_MS = 2


@dataclass(frozen=True, slots=True)
class ScrubReport:
    """What one scrub run measured."""

    positions: int
    longest_stall_ms: float
    previews_shown: int
    shown_during_drag: int
    stale_dropped: int
    last_frame_shown: bool
    seconds: float


class Heartbeat:
    """Measures the longest gap between timer beats on the event loop."""

    def __init__(self) -> None:
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._beat)
        self._clock = QElapsedTimer()
        self.longest_ms = 0.0
        self._last = 0.0

    def start(self) -> None:
        """Start beating."""
        self._clock.start()
        self._last = 0.0
        self._timer.start(HEARTBEAT_MS)

    def stop(self) -> None:
        """Stop beating."""
        self._timer.stop()
        self._beat()

    def _beat(self) -> None:
        now = self._clock.nsecsElapsed() / 1e6
        self.longest_ms = max(self.longest_ms, now - self._last - HEARTBEAT_MS)
        self._last = now


def scrub(window: object, positions: int = 200, seed: int = 1, pause_ms: tuple[int, int] = (0, 12),
          settle: Callable[[], None] | None = None) -> ScrubReport:
    """Drag the real timeline to ``positions`` random frames and measure the longest event-loop stall.

    Parameters
    ----------
    window
        A :class:`~gui.main_window.MainWindow` with a film open.
    positions
        How many places to scrub to.
    seed
        Seed of the random positions (the same frames for every contender).
    pause_ms
        Range of the random wait between two mouse moves (a hand, not a script).
    settle
        Called at the end to let the last preview arrive (default: wait for it).
    """
    from gui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    document = window.flow.document
    assert document is not None
    timeline = window.timeline
    rng = random.Random(seed)
    frames = [rng.randrange(document.project.frame_count) for _ in range(positions)]
    shown = 0

    def count(_result: object) -> None:
        nonlocal shown
        shown += 1

    bridge = window.flow.preview
    if bridge is not None:
        bridge.previewReady.connect(count)
    beat = Heartbeat()
    start = time.perf_counter()
    beat.start()
    y = RULER_H // 2
    QTest.mousePress(timeline, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(round(timeline.scale.x_of(frames[0] + 0.5)), y))
    for frame in frames:
        QTest.mouseMove(timeline, QPoint(round(timeline.scale.x_of(frame + 0.5)), y))
        QTest.qWait(rng.randint(*pause_ms))
    during_drag = shown
    QTest.mouseRelease(timeline, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                       QPoint(round(timeline.scale.x_of(frames[-1] + 0.5)), y))
    if settle is not None:
        settle()
    else:
        deadline = time.monotonic() + 10
        while not window.viewer.has_picture_of(frames[-1]) and time.monotonic() < deadline:
            QTest.qWait(5)
    beat.stop()
    seconds = time.perf_counter() - start
    if bridge is not None:
        bridge.previewReady.disconnect(count)
    return ScrubReport(positions, beat.longest_ms, shown, during_drag, bridge.dropped if bridge else 0,
                       window.viewer.has_picture_of(frames[-1]), seconds)


def _naive_scrub(window: object, positions: int, seed: int) -> ScrubReport:
    """The peer: render each preview on the GUI thread as the playhead moves."""
    from gui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    bridge, document = window.flow.preview, window.flow.document
    assert bridge is not None and document is not None
    renderer = type(window.flow.preview_renderer)(window.flow.preview_renderer.media)
    token = CancelToken()

    def render_here(frame: int) -> None:
        request = PreviewRequest(0, frame, window.viewer.wanted_width(), "full", "")
        window.viewer.set_preview(renderer(request, token), frame)

    window.timeline.scrubbed.disconnect(window._scrubbed)
    window.timeline.scrubbed.connect(render_here)
    try:
        return scrub(window, positions, seed, settle=lambda: None)
    finally:
        window.timeline.scrubbed.disconnect(render_here)
        window.timeline.scrubbed.connect(window._scrubbed)
        renderer.close()


def main(argv: list[str] | None = None) -> int:
    """Print Relume's longest stall beside the GUI-thread peer's, on one film."""
    argv = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings

    from engine.testing.clips import clip
    from gui.main_window import MainWindow

    film = Path(argv[0]) if argv else clip("bigbuckbunny")
    app = QApplication.instance() or QApplication([])
    window = MainWindow(settings=QSettings(os.devnull, QSettings.Format.IniFormat))
    window.resize(1280, 800)
    window.show()
    job = window.flow.new_from_media(film)
    while window.flow.document is None and job is not None and job.outcome == "running":
        QTest.qWait(20)
    window.flow.cancel_detection(wait=True)
    relume = scrub(window, 200, seed=7)
    peer = _naive_scrub(window, 200, seed=7)
    print(f"scrub 200 random positions of {film.name} ({window.flow.document.project.frame_count} frames)")
    print(f"{'case':<34}{'Relume':>10}{'GUI-thread peer':>18}{'ratio':>8}{'goal':>9}")
    ratio = peer.longest_stall_ms / max(relume.longest_stall_ms, 1e-3)
    print(f"{'longest event-loop stall (ms)':<34}{relume.longest_stall_ms:>10.1f}{peer.longest_stall_ms:>18.1f}"
          f"{ratio:>7.1f}×{'< ' + str(int(GOAL_MS)):>9}")
    print(f"{'scrub wall time (s)':<34}{relume.seconds:>10.2f}{peer.seconds:>18.2f}")
    print(f"{'previews shown (during the drag)':<34}{relume.previews_shown:>5} ({relume.shown_during_drag})")
    verdict = "meets" if relume.longest_stall_ms < GOAL_MS else "misses"
    print(f"Relume {verdict} the {GOAL_MS:.0f} ms goal: longest stall {relume.longest_stall_ms:.1f} ms "
          f"vs {peer.longest_stall_ms:.1f} ms rendering on the GUI thread")
    window.close()
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
