"""Frames of a numbered image sequence (DPX, TIFF, PNG, EXR scans) by index.

Frame ``i`` is the file numbered ``first + i``. A frame whose file is missing
from the numbering, or does not decode, is held from its nearest good
neighbour and listed in :attr:`ImageSequenceSource.corrupt_frames`. EXR
(float) frames are clipped to 0–1 and delivered as 16-bit.

Thread-safety: :meth:`ImageSequenceSource.frames` reads ahead on worker
threads of its own, but a source and its cache are for one calling thread.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import islice
from fractions import Fraction

import numpy as np
from av.video.reformatter import VideoReformatter

from engine.errors import CorruptMediaError, MediaError, UnsupportedMediaError
from engine.media.frame_cache import DEFAULT_CACHE_BYTES, FrameCache
from engine.media.grayscale import looks_gray, sample_indices
from engine.media.pixels import is_gray_format, output_format, to_rgb
from engine.media.probe import probe_sequence
from engine.media.stills import read_still
from engine.media.source_base import SourceBase
from engine.media.types import MediaInfo

# More unreadable files than this around one frame means the scan is broken, not scratched.
MAX_CONSECUTIVE_CORRUPT = 24
# Sequential reads decode this many files ahead on this many threads (PyAV releases the GIL
# while decoding, so a DPX/EXR scan reads about twice as fast on two cores).
READ_AHEAD = 4
READ_AHEAD_THREADS = 2


class ImageSequenceSource(SourceBase):
    """Frames of an image sequence by index, with a small LRU cache.

    Parameters
    ----------
    path
        ``scan.%06d.dpx``, ``scan.####.dpx``, the folder, or one frame of it.
    fps
        Frame rate (24 when not given, with a notice).
    cache_bytes
        Budget of the decoded-frame cache.

    Notes
    -----
    Returned frames are read-only (they may be shared with the cache).
    """

    def __init__(
        self, path: str | os.PathLike[str], fps: Fraction | None = None, cache_bytes: int = DEFAULT_CACHE_BYTES
    ) -> None:
        self.info: MediaInfo
        self.info, self.sequence = probe_sequence(path, fps)
        self.path = self.info.path
        self._present = set(self.sequence.numbers)
        self._out_format = output_format(self.info.pix_fmt)
        self._reformatters = threading.local()
        self._cache = FrameCache(cache_bytes)
        self._corrupt: set[int] = set()
        self._unreadable: set[int] = set()

    def frame(self, index: int) -> np.ndarray:
        """The frame at ``index`` as an RGB array (``uint16`` for deeper than 8-bit scans).

        Raises
        ------
        IndexError
            ``index`` is outside ``[0, len(self))``.
        CorruptMediaError
            Too many unreadable files around ``index``.
        UnsupportedMediaError
            The frame's size differs from the first frame's.
        """
        self._check_index(index)
        cached = self._cache.get(index)
        if cached is not None:
            return cached
        return self._deliver(index, self._read(index))

    def frames(self, start: int = 0, stop: int | None = None) -> Iterator[np.ndarray]:
        """Read ``[start, stop)`` in order, decoding the next few files on worker threads meanwhile.

        Frames read this way are not added to the cache (an export streaming through
        the scan should not push out the frames a viewer keeps coming back to).
        """
        stop = len(self) if stop is None else min(stop, len(self))
        indices = iter(range(max(start, 0), stop))
        pool = ThreadPoolExecutor(max_workers=READ_AHEAD_THREADS, thread_name_prefix="relume-scan")
        pending: deque[tuple[int, Future[np.ndarray | None]]] = deque()
        try:
            for index in islice(indices, READ_AHEAD):
                pending.append((index, pool.submit(self._read, index)))
            while pending:
                index, future = pending.popleft()
                for following in islice(indices, 1):
                    pending.append((following, pool.submit(self._read, following)))
                cached = self._cache.get(index)
                yield cached if cached is not None else self._deliver(index, future.result(), keep=False)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def is_grayscale(self, samples: int = 8) -> bool:
        """Whether the scan is black and white: a gray pixel format, or no chroma in ``samples`` frames."""
        if is_gray_format(self.info.pix_fmt):
            return True
        return looks_gray(self.frame(i) for i in sample_indices(len(self), samples))

    def close(self) -> None:
        """Drop the cache (no file stays open between reads)."""
        self._cache.clear()

    def _deliver(self, index: int, picture: np.ndarray | None, keep: bool = True) -> np.ndarray:
        """Return a read frame (cached when ``keep``), or its nearest good neighbour when it could not be read."""
        if picture is None:
            self._corrupt.add(index)
            picture = self._nearest_good(index).copy()
        if keep:
            return self._cache.put(index, picture)
        picture.flags.writeable = False
        return picture

    def _read(self, index: int) -> np.ndarray | None:
        """The decoded frame, or ``None`` when its file is missing or does not decode.

        Runs on read-ahead threads too: it only adds to ``_unreadable`` (a set add is
        atomic) and converts with a reformatter of its own thread.
        """
        number = self.sequence.first + index
        if number not in self._present or index in self._unreadable:
            return None
        path = self.sequence.path_of(number)
        try:
            still = read_still(path)
        except MediaError:
            self._unreadable.add(index)
            return None
        if (still.width, still.height) != (self.info.width, self.info.height):
            raise UnsupportedMediaError(
                f"is {still.width}×{still.height} but the sequence is {self.info.width}×{self.info.height}", path
            )
        return to_rgb(still, self._out_format, self._reformatter_of_this_thread())

    def _reformatter_of_this_thread(self) -> VideoReformatter:
        reformatter = getattr(self._reformatters, "reformatter", None)
        if reformatter is None:
            reformatter = self._reformatters.reformatter = VideoReformatter()
        return reformatter

    def _nearest_good(self, index: int) -> np.ndarray:
        unreadable_in_a_row = 0
        for distance in range(1, len(self)):
            for neighbour in (index - distance, index + distance):
                if not 0 <= neighbour < len(self):
                    continue
                cached = self._cache.get(neighbour)
                if cached is not None and neighbour not in self._corrupt:
                    return cached
                picture = self._read(neighbour)
                if picture is not None:
                    return self._cache.put(neighbour, picture)
                if self.sequence.first + neighbour in self._present:
                    unreadable_in_a_row += 1
            if unreadable_in_a_row > MAX_CONSECUTIVE_CORRUPT:
                break
        raise CorruptMediaError(f"no readable frame near frame {index}", self.path)
