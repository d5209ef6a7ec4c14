"""What Relume knows about a piece of media, and the frame-source contract.

Frames travel through the engine as numpy arrays of shape ``(height, width, 3)``
in RGB order: ``uint8`` for sources of 8 bits or less, ``uint16`` (full 0–65535
scale) for deeper ones. Time is a frame index; rates are :class:`~fractions.Fraction`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np


@dataclass(frozen=True, slots=True)
class AudioStreamInfo:
    """One audio stream of a media file."""

    index: int
    codec: str
    sample_rate: int
    channels: int
    layout: str
    duration_seconds: float | None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class MediaInfo:
    """The facts of a media file or image sequence that Relume relies on.

    Attributes
    ----------
    frame_count
        Exact number of decodable frames (counted by decoding when the container
        cannot be trusted).
    fps
        Constant frame rate as an exact fraction (``24000/1001`` stays exact).
    sar
        Sample (pixel) aspect ratio; ``1`` for square pixels.
    bit_depth
        Bits per component of the stored pixels (8, 10, 12, 16, 32 for float).
    field_order
        ``"progressive"``, ``"tff"``, ``"bff"`` or ``"unknown"``.
    notices
        Things the restorer should know (variable frame rate mapped to constant,
        header promising more frames than the file holds, ...).
    """

    path: Path
    container: str
    codec: str
    frame_count: int
    fps: Fraction
    width: int
    height: int
    sar: Fraction = Fraction(1)
    pix_fmt: str = "yuv420p"
    bit_depth: int = 8
    color_primaries: str | None = None
    color_transfer: str | None = None
    color_space: str | None = None
    color_range: str | None = None
    field_order: str = "progressive"
    start_timecode: str | None = None
    variable_frame_rate: bool = False
    audio: tuple[AudioStreamInfo, ...] = ()
    notices: tuple[str, ...] = field(default_factory=tuple)

    @property
    def duration_seconds(self) -> float:
        """Length of the picture in seconds."""
        return float(self.frame_count / self.fps) if self.fps else 0.0

    @property
    def dar(self) -> Fraction:
        """Display aspect ratio (width × SAR / height)."""
        return Fraction(self.width) * self.sar / self.height

    @property
    def interlaced(self) -> bool:
        """Whether the picture is stored as fields."""
        return self.field_order in ("tff", "bff")

    @property
    def is_image_sequence(self) -> bool:
        """Whether this is a numbered image sequence (DPX, TIFF, PNG, EXR)."""
        return self.container == "image-sequence"

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict: fractions as ``"num/den"`` strings, paths as strings."""
        data = asdict(self)
        data["path"] = str(self.path)
        data["fps"] = f"{self.fps.numerator}/{self.fps.denominator}"
        data["sar"] = f"{self.sar.numerator}/{self.sar.denominator}"
        data["dar"] = f"{self.dar.numerator}/{self.dar.denominator}"
        data["duration_seconds"] = self.duration_seconds
        data["interlaced"] = self.interlaced
        data["audio"] = [asdict(a) for a in self.audio]
        data["notices"] = list(self.notices)
        return data


@runtime_checkable
class FrameSource(Protocol):
    """Frame-exact access to the pictures of a media file or image sequence.

    ``frame(i)`` always equals the ``i``-th frame of a sequential decode, whatever
    was read before. Frames that fail to decode are replaced by the nearest good
    frame and listed in :attr:`corrupt_frames`.
    """

    info: MediaInfo

    def __len__(self) -> int: ...

    def frame(self, index: int) -> np.ndarray:
        """The frame at ``index`` (0-based) as an RGB array."""
        ...

    def frames(self, start: int = 0, stop: int | None = None) -> Iterator[np.ndarray]:
        """Decode ``[start, stop)`` sequentially, fast."""
        ...

    @property
    def corrupt_frames(self) -> list[int]:
        """Indices that could not be decoded and were substituted."""
        ...

    def close(self) -> None: ...
