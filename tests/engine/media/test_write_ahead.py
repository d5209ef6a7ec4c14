"""The writer's own thread: order kept, failures handed back, nothing done after a failure or abandon."""

from __future__ import annotations

import threading
import time

import pytest

from engine.errors import OutputError
from engine.media.write_ahead import WriteAhead


def test_items_are_done_in_order_and_finish_waits_for_all() -> None:
    done: list[int] = []

    def slow(item: int) -> None:
        time.sleep(0.002)
        done.append(item)

    ahead = WriteAhead(slow, depth=2)
    for k in range(20):
        ahead.put(k)
    ahead.finish()
    assert done == list(range(20))


def test_work_runs_on_another_thread_while_the_caller_goes_on() -> None:
    started, release = threading.Event(), threading.Event()

    def blocking(item: int) -> None:
        started.set()
        assert threading.current_thread() is not threading.main_thread()
        release.wait(5)

    ahead = WriteAhead(blocking, depth=1)
    ahead.put(0)
    assert started.wait(5)
    ahead.put(1)  # queued while item 0 is still being done: the caller is not held
    release.set()
    ahead.finish()


def test_a_failure_reaches_the_caller_and_stops_the_work() -> None:
    done: list[int] = []

    def failing(item: int) -> None:
        if item == 3:
            raise OutputError("writing failed (No space left on device)", "/tmp/x.mov")
        done.append(item)

    ahead = WriteAhead(failing, depth=2)
    with pytest.raises(OutputError, match="No space left"):
        for k in range(1000):  # the queue fills once the thread stops taking: put must raise, not hang
            ahead.put(k)
    ahead.abandon()
    assert done == [0, 1, 2]


def test_finish_raises_a_failure_of_the_last_items() -> None:
    def failing(item: int) -> None:
        raise OutputError("writing failed (I/O error)", "/tmp/x.mov")

    ahead = WriteAhead(failing)
    ahead.put(0)
    with pytest.raises(OutputError, match="I/O error"):
        ahead.finish()


def test_abandon_leaves_queued_items_undone() -> None:
    done: list[int] = []
    release = threading.Event()

    def gated(item: int) -> None:
        release.wait(5)
        done.append(item)

    ahead = WriteAhead(gated, depth=4)
    for k in range(4):
        ahead.put(k)
    threading.Timer(0.05, release.set).start()
    ahead.abandon()
    assert done in ([], [0])  # at most the item already being done when abandoned
