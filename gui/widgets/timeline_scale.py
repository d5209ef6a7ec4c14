"""Frame ↔ pixel mapping of the timeline and the spacing of its ruler ticks."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from gui.timecode import nominal_rate

MIN_LABEL_SPACING_PX = 90
MIN_PX_PER_FRAME, MAX_PX_PER_FRAME = 1 / 512, 64.0


@dataclass(frozen=True, slots=True)
class TimelineScale:
    """Which frames the timeline shows: ``first_frame`` at x = 0, ``px_per_frame`` wide each."""

    px_per_frame: float
    first_frame: float = 0.0

    def x_of(self, frame: float) -> float:
        """Left edge of ``frame`` in widget pixels."""
        return (frame - self.first_frame) * self.px_per_frame

    def frame_at(self, x: float) -> float:
        """The (fractional) frame under pixel ``x``."""
        return self.first_frame + x / self.px_per_frame

    def zoomed(self, factor: float, anchor_x: float) -> TimelineScale:
        """Zoom by ``factor`` keeping the frame under ``anchor_x`` in place."""
        anchor = self.frame_at(anchor_x)
        ppf = min(MAX_PX_PER_FRAME, max(MIN_PX_PER_FRAME, self.px_per_frame * factor))
        return TimelineScale(ppf, anchor - anchor_x / ppf)

    def scrolled_to(self, first_frame: float, frame_count: int, width_px: float) -> TimelineScale:
        """Scrolled so ``first_frame`` is at the left, never past either end of the film."""
        visible = width_px / self.px_per_frame
        first = min(first_frame, frame_count - visible)
        return TimelineScale(self.px_per_frame, max(0.0, first))


def tick_step(px_per_frame: float, fps: Fraction) -> int:
    """Frames between labelled ruler ticks: whole frames, seconds or minutes, labels never crowded."""
    rate = nominal_rate(fps)
    candidates = [1, 2, 5, 10]
    candidates += [rate * s for s in (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600)]
    for step in candidates:
        if step * px_per_frame >= MIN_LABEL_SPACING_PX:
            return step
    return candidates[-1]
