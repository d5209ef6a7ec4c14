"""A writer's own thread: frames are conformed and encoded while the next ones render.

Rendering (decode, stages, the download from a GPU) and encoding (swscale's
conform, the encoder) would otherwise take turns on one thread, each idle while
the other works. PyAV releases the GIL inside FFmpeg's filter graph and encoder,
so a thread of their own overlaps them with the rendering: a 4K export costs
about the longer of the two instead of their sum.

The queue is short (:data:`WRITE_AHEAD_FRAMES`): memory holds a few frames, and
a caller that renders faster than the encoder waits for it. A failure on the
thread (a full disk, an encoder refusing a frame) is raised in the caller at its
next :meth:`WriteAhead.put` or at :meth:`WriteAhead.finish`, and nothing queued
after it is encoded.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

Item = TypeVar("Item")

# Frames waiting for the encoder: enough to ride out one slow frame, few enough for 4K pictures.
WRITE_AHEAD_FRAMES = 3
# How often a caller waiting for room looks whether the thread has failed (seconds).
_POLL_S = 0.1


class _Stop:
    """The last item: the thread ends when it takes it."""


_STOP = _Stop()


def _nothing(item: object) -> None:
    """The work of a finished :class:`WriteAhead`."""


class WriteAhead(Generic[Item]):
    """Runs ``work`` on each item put, in order, on a thread of its own.

    Parameters
    ----------
    work
        What to do with one item (conform and encode a frame).
    name
        The thread's name.
    depth
        Items that may wait for the thread.
    """

    def __init__(self, work: Callable[[Item], None], name: str = "relume-writer",
                 depth: int = WRITE_AHEAD_FRAMES) -> None:
        self._work = work
        self._queue: queue.Queue[Item | _Stop] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._abandoned = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def put(self, item: Item) -> None:
        """Queue ``item``; waits while the queue is full. Raises what the thread raised, if it failed."""
        self._raise_failure()
        while True:
            try:
                self._queue.put(item, timeout=_POLL_S)
                return
            except queue.Full:
                # A failed thread takes nothing more: don't wait for room that never comes.
                self._raise_failure()

    def finish(self) -> None:
        """Wait until every queued item is done; raises what the thread raised, if it failed."""
        self._stop()
        self._raise_failure()

    def abandon(self) -> None:
        """Stop without doing what is still queued (an export that failed or was cancelled)."""
        self._abandoned = True
        self._stop()

    def _stop(self) -> None:
        while self._thread.is_alive():
            try:
                self._queue.put(_STOP, timeout=_POLL_S)
                break
            except queue.Full:
                continue
        self._thread.join()
        # ``work`` is usually a bound method of the owner, which holds this object: the cycle
        # would keep the owner's encoder and frame pools alive until a garbage collection.
        self._work = _nothing

    def _raise_failure(self) -> None:
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if isinstance(item, _Stop):
                return
            if self._error is not None or self._abandoned:
                continue  # drained, not done
            try:
                self._work(item)
            except BaseException as exc:  # handed to the caller's thread
                self._error = exc
