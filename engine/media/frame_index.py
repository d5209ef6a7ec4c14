"""The frame index of a video stream: every picture's timestamp and which are keyframes.

Built by demuxing packets (cheap: nothing is decoded), it is what makes random
access frame-exact. Frame ``i`` is the ``i``-th picture in presentation order,
i.e. the ``i``-th smallest packet timestamp; a seek goes to the keyframe at or
before it and decodes forward. Demuxers disagree on what a seek timestamp
means: MP4/MOV/Matroska search presentation time, MPEG-TS/PS decode time (and
aiming a TS seek at a keyframe's later presentation time lands one group of
pictures late), so the index keeps both.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

import av
import av.container


@dataclass(frozen=True, slots=True)
class FrameIndex:
    """Presentation timestamps of every frame, in order, and the keyframe positions.

    Attributes
    ----------
    pts
        Timestamp of frame ``i`` in ``time_base`` units, strictly increasing.
    keyframes
        Indices of frames that start a decodable run (ascending, always with 0).
    time_base
        Unit of ``pts`` in seconds.
    seek_stamps
        For each keyframe, the timestamp to seek to (its packet's decode timestamp).
    cut_packets
        Packets at the very end that the demuxer could read only partly (a file cut
        short while copying); they are left out of the index.
    """

    pts: tuple[int, ...]
    keyframes: tuple[int, ...]
    time_base: Fraction
    seek_stamps: tuple[int, ...] = ()
    cut_packets: int = 0

    def __len__(self) -> int:
        return len(self.pts)

    def position_of(self, pts: int | None) -> int | None:
        """Frame index of a decoded picture's timestamp, or ``None`` when it is not a frame of the index."""
        if pts is None:
            return None
        i = bisect.bisect_left(self.pts, pts)
        return i if i < len(self.pts) and self.pts[i] == pts else None

    def keyframe_at_or_before(self, index: int) -> int:
        """The last keyframe index at or before ``index`` (0 when there is none)."""
        k = bisect.bisect_right(self.keyframes, index) - 1
        return self.keyframes[k] if k >= 0 else 0

    def keyframe_before(self, keyframe: int) -> int:
        """The keyframe preceding ``keyframe`` (0 when there is none), to retry a seek from earlier."""
        k = bisect.bisect_left(self.keyframes, keyframe) - 1
        return self.keyframes[k] if k >= 0 else 0

    def seek_stamp(self, keyframe: int) -> int:
        """Timestamp to give the demuxer's seek to land on keyframe ``keyframe``."""
        k = bisect.bisect_left(self.keyframes, keyframe)
        if k < len(self.seek_stamps) and self.keyframes[k] == keyframe:
            return self.seek_stamps[k]
        return self.pts[keyframe]

    def durations(self) -> list[int]:
        """Gaps between consecutive timestamps, in ``time_base`` units."""
        return [b - a for a, b in zip(self.pts, self.pts[1:])]

    def truncated(self, frame_count: int) -> FrameIndex:
        """The index of the first ``frame_count`` frames only."""
        kept = [(k, s) for k, s in zip(self.keyframes, self.seek_stamps) if k < frame_count]
        return FrameIndex(
            self.pts[:frame_count], tuple(k for k, _ in kept), self.time_base, tuple(s for _, s in kept)
        )


def build_frame_index(container: av.container.InputContainer, stream: av.video.stream.VideoStream) -> FrameIndex:
    """Demux every packet of ``stream`` (without decoding) into a :class:`FrameIndex`.

    Packets without a presentation timestamp take their decode timestamp; when
    neither is known, timestamps are counted so that order is kept.

    Raises
    ------
    av.error.FFmpegError
        When demuxing fails before the first packet (the caller maps it to a typed error).
    """
    stamps: list[tuple[int, int, bool]] = []
    cut = 0
    last = -1
    try:
        for packet in container.demux(stream):
            if packet.size == 0:  # the flush packet at the end
                continue
            stamp = packet.pts if packet.pts is not None else packet.dts
            stamp = last + 1 if stamp is None else stamp
            last = max(last, stamp)
            decode_stamp = packet.dts if packet.dts is not None else stamp
            # Only a run of short reads at the very end counts as cut: a damaged packet in the
            # middle keeps its place, and the frame source fills it if it fails to decode.
            cut = cut + 1 if packet.is_corrupt else 0
            stamps.append((stamp, decode_stamp, bool(packet.is_keyframe)))
    except av.error.FFmpegError:
        if not stamps:
            raise
        # A damaged tail ends the index; the frames before it are still good.
    index = _index_from_stamps(stamps[: len(stamps) - cut], stream.time_base or Fraction(1, 90000))
    return replace(index, cut_packets=cut)


def _index_from_stamps(stamps: Sequence[tuple[int, int, bool]], time_base: Fraction) -> FrameIndex:
    key_of: dict[int, bool] = {}
    decode_of: dict[int, int] = {}
    for stamp, decode_stamp, key in stamps:
        # A duplicated timestamp is one picture (e.g. a repeated packet); keep it once.
        key_of[stamp] = key_of.get(stamp, False) or key
        decode_of[stamp] = min(decode_of.get(stamp, decode_stamp), decode_stamp)
    ordered = sorted(key_of)
    # Frame 0 always counts, and is sought at the earliest decode timestamp: decoding from
    # the start is the sequential decode by definition, even when a stream forgets to flag
    # its first packet.
    keyframes = tuple(i for i, stamp in enumerate(ordered) if key_of[stamp] or i == 0)
    seek_stamps = tuple(min(decode_of.values()) if i == 0 else decode_of[ordered[i]] for i in keyframes)
    return FrameIndex(tuple(ordered), keyframes, Fraction(time_base), seek_stamps)
