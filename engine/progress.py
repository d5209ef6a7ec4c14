"""Progress reports and cancellation for long jobs (detection, export).

The engine's long jobs take an optional ``progress`` callback and an optional
:class:`CancelToken`; the CLI draws a bar from the reports and the GUI forwards
them through its worker bridge. Nothing here knows about terminals or Qt.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from engine.errors import Cancelled


@dataclass(frozen=True, slots=True)
class Progress:
    """One progress report.

    Attributes
    ----------
    done, total
        Units finished and expected (frames, usually); ``total`` is 0 when unknown.
    elapsed_seconds
        Wall time since the job started.
    stage
        A short label of what is happening ("decoding", "encoding", "verifying").
    """

    done: int
    total: int
    elapsed_seconds: float
    stage: str = ""

    @property
    def fps(self) -> float:
        """Units per second so far."""
        return self.done / self.elapsed_seconds if self.elapsed_seconds > 0 else 0.0

    @property
    def eta_seconds(self) -> float | None:
        """Seconds left at the current pace, or ``None`` when it cannot be told."""
        if self.total <= 0 or self.done <= 0:
            return None
        return max(0.0, (self.total - self.done) / self.fps)


ProgressCallback = Callable[[Progress], None]


class CancelToken:
    """A thread-safe flag a job checks between units of work."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._keep = False

    def cancel(self) -> None:
        """Ask the job to stop at its next check."""
        self._event.set()

    def pause(self) -> None:
        """Ask the job to stop at its next check, keeping what it finished so that it can resume."""
        self._keep = True
        self._event.set()

    @property
    def keeps_work(self) -> bool:
        """Whether the stop is a pause: finished work stays for a resume (see :meth:`pause`)."""
        return self._keep

    @property
    def cancelled(self) -> bool:
        """Whether :meth:`cancel` was called."""
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        """Raise :class:`~engine.errors.Cancelled` if the job should stop."""
        if self._event.is_set():
            raise Cancelled()


class ProgressMeter:
    """Turns a running count into throttled :class:`Progress` reports.

    Parameters
    ----------
    total
        Expected units (0 when unknown).
    callback
        Receives the reports; may be ``None``.
    stage
        Label passed on in every report.
    every_seconds
        The least time between two reports (the last one is always sent).
    """

    def __init__(
        self,
        total: int,
        callback: ProgressCallback | None,
        stage: str = "",
        every_seconds: float = 0.1,
    ) -> None:
        self.total = total
        self.callback = callback
        self.stage = stage
        self.every_seconds = every_seconds
        self.done = 0
        self._start = time.perf_counter()
        self._last = -1e9

    def advance(self, n: int = 1) -> None:
        """Count ``n`` more units and report if enough time has passed."""
        self.done += n
        now = time.perf_counter()
        if self.callback is not None and now - self._last >= self.every_seconds:
            self._last = now
            self.callback(Progress(self.done, self.total, now - self._start, self.stage))

    def finish(self) -> None:
        """Send the final report."""
        if self.callback is not None:
            now = time.perf_counter()
            self.callback(Progress(self.done, self.total, now - self._start, self.stage))
