"""Preview service: the newest frame the restorer asked for, as soon as possible.

Usable without Qt. Requests are frozen values posted from any thread; one
worker renders them. A newer request supersedes the pending one and cancels the
one being rendered (the renderer checks its :class:`~engine.progress.CancelToken`
between stages), so scrubbing never queues stale work. Results carry the id of
their request; a result whose request was superseded is dropped, never
delivered. Rendered images sit in an LRU cache keyed by
``(frame, width, quality, spec_key)``: the spec key is the digest of the shot's
render settings, so an edit that changes a shot's look misses the cache while
every other shot keeps its entries.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from engine.errors import Cancelled, RelumeError
from engine.progress import CancelToken
from engine.render.lru import ByteLRU


@dataclass(frozen=True, slots=True)
class PreviewRequest:
    """What the viewer wants to see.

    Attributes
    ----------
    id
        Increasing request number, given by :meth:`PreviewService.request`.
    frame
        Source frame index.
    width
        Viewer width in pixels; the preview is rendered no wider.
    quality
        ``"draft"`` (proxy source, fast settings) or ``"full"``.
    spec_key
        Digest of the render settings in force for this frame's shot.
    """

    id: int
    frame: int
    width: int
    quality: str
    spec_key: str

    @property
    def cache_key(self) -> tuple[int, int, str, str]:
        """What identifies the picture regardless of who asked for it."""
        return (self.frame, self.width, self.quality, self.spec_key)


@dataclass(frozen=True, slots=True)
class PreviewResult:
    """A rendered preview, or the error that prevented it."""

    request: PreviewRequest
    image: np.ndarray | None
    seconds: float
    from_cache: bool
    error: RelumeError | None = None


log = logging.getLogger(__name__)

Renderer = Callable[[PreviewRequest, CancelToken], np.ndarray]
ResultCallback = Callable[[PreviewResult], None]


class PreviewService:
    """Renders previews on one worker thread, newest request first, stale ones dropped.

    Parameters
    ----------
    renderer
        ``renderer(request, cancel) -> RGB image``; should call
        ``cancel.raise_if_cancelled()`` between expensive steps.
    on_result
        Called on the worker thread with each delivered result (the GUI's
        bridge re-emits it on the main thread).
    cache_bytes
        Budget of the LRU cache of rendered previews.
    """

    def __init__(self, renderer: Renderer, on_result: ResultCallback, cache_bytes: int = 256 << 20) -> None:
        self._renderer = renderer
        self._on_result = on_result
        self._cache: ByteLRU[tuple[int, int, str, str], np.ndarray] = ByteLRU(cache_bytes)
        self._ids = itertools.count(1)
        self._lock = threading.Condition()
        self._pending: PreviewRequest | None = None
        self._current: tuple[PreviewRequest, CancelToken] | None = None
        self._latest_id = 0
        self._closed = False
        self.dropped = 0
        self._thread = threading.Thread(target=self._run, name="relume-preview", daemon=True)
        self._thread.start()

    def request(self, frame: int, *, width: int, quality: str = "full", spec_key: str = "") -> int:
        """Ask for a preview; supersedes every earlier request. Returns the request id."""
        with self._lock:
            if self._closed:
                raise RuntimeError("preview service is closed")
            req = PreviewRequest(next(self._ids), frame, width, quality, spec_key)
            self._latest_id = req.id
            if self._pending is not None:
                self.dropped += 1
            self._pending = req
            if self._current is not None:
                self._current[1].cancel()
            self._lock.notify_all()
            return req.id

    def invalidate(self, spec_key: str | None = None) -> None:
        """Forget cached previews (of one spec key, or all)."""
        if spec_key is None:
            self._cache.clear()
        else:
            self._cache.discard_where(lambda key: key[3] == spec_key)

    def wait_until_idle(self, timeout: float = 10.0) -> bool:
        """Block until nothing is pending or rendering (for tests and scripts)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._pending is not None or self._current is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._lock.wait(left)
            return True

    def close(self) -> None:
        """Stop the worker; pending work is dropped."""
        with self._lock:
            self._closed = True
            self._pending = None
            if self._current is not None:
                self._current[1].cancel()
            self._lock.notify_all()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while True:
            with self._lock:
                while self._pending is None and not self._closed:
                    self._lock.wait()
                if self._closed:
                    return
                req, self._pending = self._pending, None
                assert req is not None
                token = CancelToken()
                self._current = (req, token)
            try:
                self._serve(req, token)
            finally:
                with self._lock:
                    self._current = None
                    self._lock.notify_all()

    def _serve(self, req: PreviewRequest, token: CancelToken) -> None:
        start = time.perf_counter()
        cached = self._cache.get(req.cache_key)
        if cached is not None:
            self._deliver(PreviewResult(req, cached, time.perf_counter() - start, True))
            return
        try:
            image = self._renderer(req, token)
        except Cancelled:
            self.dropped += 1
            return
        except RelumeError as exc:
            self._deliver(PreviewResult(req, None, time.perf_counter() - start, False, exc))
            return
        except Exception as exc:  # a bug in a renderer must not kill the only preview worker
            log.exception("rendering the preview of frame %d failed", req.frame)
            error = RelumeError(f"internal error while rendering frame {req.frame}: {type(exc).__name__}: {exc}")
            self._deliver(PreviewResult(req, None, time.perf_counter() - start, False, error))
            return
        self._cache.put(req.cache_key, image, image.nbytes)
        self._deliver(PreviewResult(req, image, time.perf_counter() - start, False))

    def _deliver(self, result: PreviewResult) -> None:
        with self._lock:
            stale = result.request.id != self._latest_id
        if stale:
            self.dropped += 1
            return
        self._on_result(result)
