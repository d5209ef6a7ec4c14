"""Which source position each output frame shows, with exact fractions.

Output frame ``k`` is shown at ``k / out_fps`` seconds, which is source position
``k · in_fps / out_fps`` (in source frames). A whole position is a source frame
itself; anything else lies between two neighbours. A shot of source frames
``[start, end)`` owns the output frames whose position falls in ``[start, end)``,
so shots tile the output without gap or overlap, and a film of ``n`` frames has
``ceil(n · out_fps / in_fps)`` output frames: its duration equals the source's
within one output frame, and audio copied unchanged stays in sync.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True, slots=True)
class Retiming:
    """A change of rate from ``source_fps`` to ``output_fps``."""

    source_fps: Fraction
    output_fps: Fraction

    def __post_init__(self) -> None:
        if self.source_fps <= 0 or self.output_fps <= 0:
            raise ValueError(f"frame rates must be positive, not {self.source_fps} and {self.output_fps}")

    @property
    def step(self) -> Fraction:
        """Source frames advanced per output frame."""
        return Fraction(self.source_fps) / Fraction(self.output_fps)

    @property
    def changes_rate(self) -> bool:
        """Whether the output rate differs from the source's."""
        return self.source_fps != self.output_fps

    def position(self, output_frame: int) -> Fraction:
        """Source position (in source frames, exact) shown by ``output_frame``."""
        return output_frame * self.step

    def first_output(self, source_frame: int) -> int:
        """The first output frame whose position is at or after ``source_frame``."""
        return math.ceil(source_frame / self.step)

    def output_range(self, start: int, end: int) -> range:
        """Output frames whose positions lie in source frames ``[start, end)``."""
        return range(self.first_output(start), self.first_output(end))

    def output_count(self, source_frames: int) -> int:
        """Output frames of a film of ``source_frames`` frames."""
        return self.first_output(source_frames)
