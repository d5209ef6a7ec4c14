"""Frame-exact access to the pictures of a video file, with PyAV.

Frame ``i`` is the ``i``-th picture of a sequential decode, whatever was read
before: the probe's packet index gives every frame's timestamp, a seek goes to
the keyframe at or before it, and decoding runs forward until the picture with
that timestamp comes out. Reading a little ahead of the decoder just decodes
forward. Pictures that fail to decode are replaced by the nearest good one and
listed in :attr:`VideoSource.corrupt_frames`; a long run of them is an error.

Thread-safety: a source holds one decoder and is meant for one thread. Open one
source per thread (they are cheap) rather than sharing one.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from av.video.reformatter import VideoReformatter

from engine.errors import CorruptMediaError
from engine.media.container import open_container, video_stream_of
from engine.media.frame_cache import DEFAULT_CACHE_BYTES, FrameCache
from engine.media.grayscale import looks_gray, sample_indices
from engine.media.pixels import is_gray_format, output_format, to_rgb
from engine.media.probe import probe_video
from engine.media.source_base import SourceBase
from engine.media.types import MediaInfo

# More pictures than this failing in a row (about a second of film) means the file is broken,
# not scratched: stop instead of filling a shot with copies of one frame.
MAX_CONSECUTIVE_CORRUPT = 24
# Decoding this many frames forward is cheaper than a seek, which restarts at a keyframe.
FORWARD_DECODE_LIMIT = 12

Decoded = tuple[int, av.VideoFrame]
Picture = np.ndarray | av.VideoFrame


class VideoSource(SourceBase):
    """Frames of a video file by index, frame-exact, with a small LRU cache.

    Parameters
    ----------
    path
        A media file PyAV decodes.
    fps
        Frame rate to use instead of the file's.
    cache_bytes
        Budget of the decoded-frame cache.

    Notes
    -----
    Returned frames are read-only (they may be shared with the cache); copy one
    before changing it.
    """

    def __init__(
        self, path: str | os.PathLike[str], fps: Fraction | None = None, cache_bytes: int = DEFAULT_CACHE_BYTES
    ) -> None:
        self.path = Path(path)
        self.info: MediaInfo
        self.info, self._index = probe_video(self.path, fps)
        self._keyframes = frozenset(self._index.keyframes)
        self._container = open_container(self.path)
        self._stream = video_stream_of(self._container, self.path)
        self._stream.thread_type = "AUTO"
        self._out_format = output_format(self.info.pix_fmt)
        self._reformatter = VideoReformatter()
        self._cache = FrameCache(cache_bytes)
        self._corrupt: set[int] = set()
        self._run: Iterator[tuple[int, Picture]] | None = None
        self._next = 0
        self._seek_by_decode_time = False

    def frame(self, index: int) -> np.ndarray:
        """The frame at ``index`` as an RGB array, equal to the ``index``-th frame of a sequential decode.

        Raises
        ------
        IndexError
            ``index`` is outside ``[0, len(self))``.
        CorruptMediaError
            Too many frames around ``index`` do not decode.
        """
        self._check_index(index)
        return self._picture(index, keep=True)

    def frames(self, start: int = 0, stop: int | None = None) -> Iterator[np.ndarray]:
        """Decode ``[start, stop)`` in order (one seek at most, then straight decoding).

        Frames read this way are not added to the cache, so that an export streaming
        through the film does not push out the frames a viewer keeps coming back to.
        """
        stop = len(self) if stop is None else min(stop, len(self))
        for index in range(max(start, 0), stop):
            yield self._picture(index, keep=False)

    def is_grayscale(self, samples: int = 8) -> bool:
        """Whether the footage is black and white: a gray pixel format, or no chroma in ``samples`` frames."""
        if is_gray_format(self.info.pix_fmt):
            return True
        return looks_gray(self.frame(i) for i in sample_indices(len(self), samples))

    def close(self) -> None:
        """Release the file and the cache; the source cannot be used afterwards."""
        self._run = None
        self._cache.clear()
        self._container.close()

    # -- decoding -------------------------------------------------------------------------

    def _picture(self, index: int, keep: bool) -> np.ndarray:
        """The frame at ``index`` from the cache or the decoder; ``keep`` caches a decoded one."""
        cached = self._cache.get(index)
        if cached is not None:
            return cached
        if self._run is None or not self._can_decode_forward_to(index):
            self._run = self._decode_run(index)
        try:
            for position, picture in self._run:
                self._next = position + 1
                if position == index:
                    # Only the wanted picture is converted: frames decoded on the way are not.
                    rgb = self._as_rgb(picture)
                    if keep:
                        return self._cache.put(position, rgb)
                    rgb.flags.writeable = False
                    return rgb
        except CorruptMediaError:
            self._run = None  # the next read starts afresh with a seek
            raise
        self._run = None
        raise CorruptMediaError(f"frame {index} could not be decoded", self.path)

    def _can_decode_forward_to(self, index: int) -> bool:
        if index < self._next:
            return False
        no_keyframe_between = self._index.keyframe_at_or_before(index) <= self._next
        return no_keyframe_between or index - self._next <= FORWARD_DECODE_LIMIT

    def _decode_run(self, start: int) -> Iterator[tuple[int, Picture]]:
        """Yield ``(i, picture)`` for ``i = start, start + 1, ...`` to the end, filling failed frames."""
        keyframe = self._index.keyframe_at_or_before(start)
        while True:
            pictures = self._pictures_from(keyframe)
            first = next(pictures, None)
            if (first is not None and first[0] <= start) or keyframe == 0:
                break
            # Landed after the target. MP4/MOV/MKV seek by presentation time, MPEG-TS/PS by
            # decode time: switch to decode timestamps once, then back up a keyframe at a time.
            if not self._seek_by_decode_time:
                self._seek_by_decode_time = True
                continue
            keyframe = self._index.keyframe_before(keyframe)
        yield from self._filled(pictures, first, start)

    def _pictures_from(self, keyframe: int) -> Iterator[Decoded]:
        """Decoded pictures with their frame index, in order, from a seek to ``keyframe``."""
        by_decode_time = self._seek_by_decode_time or keyframe == 0
        stamp = self._index.seek_stamp(keyframe) if by_decode_time else self._index.pts[keyframe]
        self._container.seek(stamp, stream=self._stream, backward=True, any_frame=False)
        self._stream.codec_context.flush_buffers()
        keyframes = self._keyframes
        failures = 0
        last = -1
        for packet in self._container.demux(self._stream):
            try:
                decoded = packet.decode()
            except av.error.FFmpegError as exc:
                failures += 1
                if failures > MAX_CONSECUTIVE_CORRUPT:
                    raise CorruptMediaError(f"{failures} packets in a row do not decode ({exc})", self.path) from exc
                continue
            failures = 0
            for picture in decoded:
                stamp = picture.pts if picture.pts is not None else picture.dts
                position = self._index.position_of(stamp)
                # Until a keyframe comes out, pictures may lean on references from before the
                # seek (leading B-frames of an open GOP, a seek that landed mid-GOP): not exact.
                if position is None or position <= last or (last < 0 and position not in keyframes):
                    continue
                last = position
                yield position, picture

    def _filled(self, pictures: Iterator[Decoded], first: Decoded | None, start: int) -> Iterator[tuple[int, Picture]]:
        """Pictures from ``start`` on, each missing index replaced by its nearest decoded neighbour.

        Pictures stay decoded frames (converted to RGB only when asked for); substitutes
        are RGB copies.
        """
        expected = start
        previous: tuple[int, Picture] | None = None
        candidates = iter(()) if first is None else _chain_one(first, pictures)
        for position, picture in candidates:
            if position < start:
                previous = (position, picture)
                continue
            if position > expected:
                self._check_gap(expected, position)
                for missing in range(expected, position):
                    self._corrupt.add(missing)
                    use_previous = previous is not None and missing - previous[0] <= position - missing
                    nearest = previous[1] if use_previous and previous is not None else picture
                    yield missing, self._as_rgb(nearest).copy()
            yield position, picture
            previous, expected = (position, picture), position + 1
        if expected < len(self):
            if previous is None:
                raise CorruptMediaError(f"frames {expected}–{len(self) - 1} do not decode", self.path)
            self._check_gap(expected, len(self))
            held = self._as_rgb(previous[1])
            for missing in range(expected, len(self)):
                self._corrupt.add(missing)
                yield missing, held.copy()

    def _as_rgb(self, picture: Picture) -> np.ndarray:
        return picture if isinstance(picture, np.ndarray) else to_rgb(picture, self._out_format, self._reformatter)

    def _check_gap(self, begin: int, end: int) -> None:
        if end - begin > MAX_CONSECUTIVE_CORRUPT:
            raise CorruptMediaError(f"frames {begin}–{end - 1} do not decode ({end - begin} in a row)", self.path)


def _chain_one(first: Decoded, rest: Iterator[Decoded]) -> Iterator[Decoded]:
    yield first
    yield from rest
