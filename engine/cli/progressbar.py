"""A one-line terminal progress bar with fps and ETA; silent when not on a terminal."""

from __future__ import annotations

import sys
from typing import TextIO

from engine.progress import Progress


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


class ProgressBar:
    """Callable that draws :class:`~engine.progress.Progress` reports on a terminal.

    Parameters
    ----------
    label
        Printed before the bar.
    stream
        Where to draw (stderr by default).
    enabled
        Force on or off; by default on only when ``stream`` is a terminal.
    """

    def __init__(self, label: str, stream: TextIO | None = None, enabled: bool | None = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self._drawn = False

    def __call__(self, report: Progress) -> None:
        if not self.enabled:
            return
        width = 28
        if report.total > 0:
            fraction = min(1.0, report.done / report.total)
            filled = int(fraction * width)
            bar = "█" * filled + "·" * (width - filled)
            count = f"{report.done}/{report.total}"
        else:
            bar = "·" * width
            count = f"{report.done}"
        stage = f" {report.stage}" if report.stage else ""
        line = (
            f"\r{self.label}{stage} {bar} {count} "
            f"{report.fps:5.1f} fps  ETA {_clock(report.eta_seconds)}"
        )
        self.stream.write(line)
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        """End the bar's line."""
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False
