"""Long engine calls (probe, shot detection, export) on their own QThread.

The engine's long jobs are plain functions that take a progress callback and a
:class:`~engine.progress.CancelToken`. A :class:`Job` runs one of them on a
QThread and re-emits its reports and its outcome on the main thread, so the
event loop keeps turning while a film is detected or a master written.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from typing import ClassVar

from PySide6.QtCore import QObject, QThread, Signal, Slot

from engine.errors import Cancelled, RelumeError
from engine.progress import CancelToken, Progress, ProgressCallback

log = logging.getLogger(__name__)

Work = Callable[[ProgressCallback, CancelToken], object]

# Niceness of worker threads: an export or a detection may take every core it can,
# but the thread that answers the restorer's hand must come first.
BACKGROUND_NICENESS = 10


def run_in_background(niceness: int = BACKGROUND_NICENESS) -> None:
    """Lower the OS priority of the calling thread (Linux schedules threads by their own nice value).

    Elsewhere this does nothing: ``QThread.setPriority`` is ignored for normal
    scheduling on Linux, and other systems have no per-thread niceness.
    """
    if not hasattr(os, "setpriority") or not os.uname().sysname == "Linux":
        return
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), niceness)
    except OSError as exc:  # a sandbox may refuse; the job still runs, only less politely
        log.debug("could not lower the priority of %s: %s", threading.current_thread().name, exc)


class _Runner(QObject):
    """Lives on the worker thread; calls the work and reports through queued signals."""

    progressed = Signal(object)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, work: Work, token: CancelToken) -> None:
        super().__init__()
        self._work = work
        self._token = token

    @Slot()
    def run(self) -> None:
        run_in_background()
        try:
            result = self._work(self.progressed.emit, self._token)
        except Cancelled:
            self.cancelled.emit()
        except RelumeError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # a bug in the engine: keep the traceback in the log, tell the user in one line
            log.exception("job failed")
            self.failed.emit(f"internal error: {type(exc).__name__}: {exc}")
        else:
            self.succeeded.emit(result)
        finally:
            thread = self.thread()
            if thread is not None:
                thread.quit()


class Job(QObject):
    """One engine call on a worker thread, reporting on the main thread.

    Parameters
    ----------
    name
        What the restorer sees ("Detecting shots").
    work
        ``work(progress, cancel) -> result``; raises ``Cancelled`` when cancelled
        and a ``RelumeError`` for anything the restorer must fix.

    Signals
    -------
    progressed(Progress), succeeded(object), failed(str), cancelled(), ended()
        ``ended`` follows each of the three outcomes, once the thread is done.
    """

    progressed = Signal(object)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    ended = Signal()

    _alive: ClassVar[set[Job]] = set()

    def __init__(self, name: str, work: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._work = work
        self._token = CancelToken()
        self._thread: QThread | None = None
        self._runner: _Runner | None = None
        self.last_progress: Progress | None = None
        self.result: object = None
        self.outcome: str = "waiting"  # waiting, running, done, failed, cancelled
        self.message = ""

    def start(self) -> None:
        """Start the work on a new thread (once)."""
        if self._thread is not None:
            raise RuntimeError(f"job {self.name!r} was already started")
        self._thread = QThread()
        self._thread.setObjectName(f"relume-job-{self.name}")
        self._runner = _Runner(self._work, self._token)
        self._runner.moveToThread(self._thread)
        self._thread.started.connect(self._runner.run)
        self._runner.progressed.connect(self._on_progress)
        self._runner.succeeded.connect(self._on_success)
        self._runner.failed.connect(self._on_failure)
        self._runner.cancelled.connect(self._on_cancel)
        self._thread.finished.connect(self._on_thread_finished)
        self.outcome = "running"
        Job._alive.add(self)
        self._thread.start()

    def cancel(self) -> None:
        """Ask the work to stop at its next check (it then removes what it was writing)."""
        self._token.cancel()
        if self._thread is None:
            self.outcome = "cancelled"

    def pause(self) -> None:
        """Ask the work to stop at its next check, keeping what it finished (ends as cancelled)."""
        self._token.pause()
        if self._thread is None:
            self.outcome = "cancelled"

    @property
    def running(self) -> bool:
        """Whether the work has started and its thread has not finished."""
        return self._thread is not None and self in Job._alive

    def wait(self, milliseconds: int = 30_000) -> bool:
        """Block until the thread ends (for shutdown and tests); ``False`` on timeout."""
        if self._thread is None:
            return True
        finished = self._thread.wait(milliseconds)
        if finished:
            # the queued "finished" slot may never run if this job is deleted first
            Job._alive.discard(self)
        return finished

    @classmethod
    def alive(cls) -> tuple[Job, ...]:
        """Jobs whose thread has not yet been reaped on the main thread."""
        return tuple(cls._alive)

    # -- main-thread slots ------------------------------------------------------------------------
    @Slot(object)
    def _on_progress(self, progress: Progress) -> None:
        self.last_progress = progress
        self.progressed.emit(progress)

    @Slot(object)
    def _on_success(self, result: object) -> None:
        self.outcome = "done"
        self.result = result
        self.succeeded.emit(result)

    @Slot(str)
    def _on_failure(self, message: str) -> None:
        self.outcome, self.message = "failed", message
        self.failed.emit(message)

    @Slot()
    def _on_cancel(self) -> None:
        self.outcome = "cancelled"
        self.cancelled.emit()

    @Slot()
    def _on_thread_finished(self) -> None:
        Job._alive.discard(self)
        if self._runner is not None:
            self._runner.deleteLater()
        self.ended.emit()
