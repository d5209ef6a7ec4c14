"""The preview service renders the newest request and drops superseded ones."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from engine.errors import MediaError
from engine.progress import CancelToken
from engine.render.lru import ByteLRU
from engine.render.preview import PreviewRequest, PreviewResult, PreviewService


class SlowRenderer:
    """Renders a frame whose pixels encode the frame index, taking a while, cancellable."""

    def __init__(self, seconds: float = 0.05) -> None:
        self.seconds = seconds
        self.started: list[int] = []
        self.cancelled: list[int] = []

    def __call__(self, req: PreviewRequest, cancel: CancelToken) -> np.ndarray:
        self.started.append(req.frame)
        steps = 10
        for _ in range(steps):
            time.sleep(self.seconds / steps)
            if cancel.cancelled:
                self.cancelled.append(req.frame)
                cancel.raise_if_cancelled()
        return np.full((4, req.width, 3), req.frame % 256, np.uint8)


@pytest.fixture
def delivered() -> list[PreviewResult]:
    return []


def _service(renderer: SlowRenderer, delivered: list[PreviewResult]) -> PreviewService:
    lock = threading.Lock()

    def keep(result: PreviewResult) -> None:
        with lock:
            delivered.append(result)

    return PreviewService(renderer, keep)


def test_only_the_newest_of_a_burst_is_delivered(delivered: list[PreviewResult]) -> None:
    renderer = SlowRenderer(0.05)
    service = _service(renderer, delivered)
    try:
        ids = [service.request(frame, width=8, spec_key="a") for frame in range(40)]
        assert service.wait_until_idle(5)
    finally:
        service.close()
    assert [r.request.id for r in delivered] == [ids[-1]]
    assert delivered[0].request.frame == 39
    assert int(delivered[0].image[0, 0, 0]) == 39
    # the burst cost at most the frame being rendered when it began plus the last one
    assert len(renderer.started) <= 3
    assert service.dropped >= 38


def test_a_superseded_render_is_cancelled_mid_way(delivered: list[PreviewResult]) -> None:
    renderer = SlowRenderer(0.5)
    service = _service(renderer, delivered)
    try:
        service.request(1, width=8)
        deadline = time.monotonic() + 2
        while not renderer.started and time.monotonic() < deadline:
            time.sleep(0.005)
        t0 = time.monotonic()
        service.request(2, width=8)
        assert service.wait_until_idle(5)
        elapsed = time.monotonic() - t0
    finally:
        service.close()
    assert renderer.cancelled == [1]
    assert [r.request.frame for r in delivered] == [2]
    assert elapsed < 0.5 + 0.4  # frame 1 did not run to its end before frame 2 started


def test_cache_serves_repeat_requests_and_misses_on_a_new_spec(delivered: list[PreviewResult]) -> None:
    renderer = SlowRenderer(0.01)
    service = _service(renderer, delivered)
    try:
        for key in ("a", "a", "b"):
            service.request(5, width=8, spec_key=key)
            assert service.wait_until_idle(5)
        service.invalidate("b")
        service.request(5, width=8, spec_key="b")
        assert service.wait_until_idle(5)
    finally:
        service.close()
    assert [r.from_cache for r in delivered] == [False, True, False, False]
    assert renderer.started == [5, 5, 5]


def test_engine_errors_come_back_as_results(delivered: list[PreviewResult]) -> None:
    def broken(req: PreviewRequest, cancel: CancelToken) -> np.ndarray:
        raise MediaError("frame 3 cannot be decoded", "film.mp4")

    service = PreviewService(broken, delivered.append)
    try:
        service.request(3, width=8)
        assert service.wait_until_idle(5)
    finally:
        service.close()
    assert delivered[0].image is None
    assert str(delivered[0].error) == "film.mp4: frame 3 cannot be decoded"


def test_a_renderer_bug_is_reported_and_the_worker_survives(delivered: list[PreviewResult]) -> None:
    def buggy(req: PreviewRequest, cancel: CancelToken) -> np.ndarray:
        if req.frame == 1:
            raise ZeroDivisionError("division by zero")
        return np.zeros((2, req.width, 3), np.uint8)

    service = PreviewService(buggy, delivered.append)
    try:
        service.request(1, width=4)
        assert service.wait_until_idle(5)
        service.request(2, width=4)
        assert service.wait_until_idle(5)
    finally:
        service.close()
    assert "internal error while rendering frame 1: ZeroDivisionError" in str(delivered[0].error)
    assert delivered[1].image is not None and delivered[1].request.frame == 2


def test_byte_lru_evicts_least_recently_used() -> None:
    cache: ByteLRU[str, bytes] = ByteLRU(10)
    cache.put("a", b"aaaa", 4)
    cache.put("b", b"bbbb", 4)
    assert cache.get("a") == b"aaaa"  # a is now the most recent
    cache.put("c", b"cccc", 4)
    assert "b" not in cache and "a" in cache and "c" in cache
    assert cache.size_bytes == 8
    cache.put("huge", b"x" * 11, 11)
    assert "huge" not in cache
