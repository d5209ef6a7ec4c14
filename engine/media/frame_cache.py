"""A small least-recently-used cache of decoded frames, bounded by bytes."""

from __future__ import annotations

from collections import OrderedDict

import numpy as np

DEFAULT_CACHE_BYTES = 256 * 1024 * 1024


class FrameCache:
    """Keeps the most recently used frames while their sizes sum to at most ``budget_bytes``.

    Frames are stored read-only so that a caller cannot change a cached picture
    in place; callers that need to write copy first. Not thread-safe: it belongs
    to one frame source, which is used from one thread.
    """

    def __init__(self, budget_bytes: int = DEFAULT_CACHE_BYTES) -> None:
        self.budget_bytes = budget_bytes
        self._frames: OrderedDict[int, np.ndarray] = OrderedDict()
        self._bytes = 0

    def get(self, index: int) -> np.ndarray | None:
        """The frame at ``index`` (marking it recently used), or ``None``."""
        frame = self._frames.get(index)
        if frame is not None:
            self._frames.move_to_end(index)
        return frame

    def put(self, index: int, frame: np.ndarray) -> np.ndarray:
        """Store ``frame`` (made read-only) and return it; evicts the oldest to stay in budget."""
        frame.flags.writeable = False
        if frame.nbytes > self.budget_bytes:
            return frame
        old = self._frames.pop(index, None)
        if old is not None:
            self._bytes -= old.nbytes
        self._frames[index] = frame
        self._bytes += frame.nbytes
        while self._bytes > self.budget_bytes:
            _, evicted = self._frames.popitem(last=False)
            self._bytes -= evicted.nbytes
        return frame

    def clear(self) -> None:
        """Drop every frame."""
        self._frames.clear()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._frames)

    @property
    def size_bytes(self) -> int:
        """Bytes held now."""
        return self._bytes
