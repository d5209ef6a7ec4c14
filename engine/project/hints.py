"""Color hints painted on keyframes and the palette of pinned colors."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def new_id() -> str:
    """A short random identifier for hints and pins."""
    return uuid.uuid4().hex[:12]


def is_hex_color(value: object) -> bool:
    """Whether ``value`` is a ``#rrggbb`` string."""
    return isinstance(value, str) and bool(_HEX.match(value))


def hex_to_rgb(color: str) -> tuple[int, int, int]:
    """``"#8a6b4f"`` → ``(138, 107, 79)`` (sRGB, 0–255)."""
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def rgb_to_hex(rgb: tuple[int, int, int]) -> str:
    """``(138, 107, 79)`` → ``"#8a6b4f"``."""
    return "#{:02x}{:02x}{:02x}".format(*(max(0, min(255, int(round(c)))) for c in rgb))


@dataclass(frozen=True, slots=True)
class ColorPin:
    """A named reference color shared by all shots ("uniform", "sky", "skin").

    Hints refer to a pin by its ``id``, so renaming or recoloring the pin reaches
    every hint that uses it.
    """

    name: str
    color: str
    id: str = field(default_factory=new_id)


@dataclass(frozen=True, slots=True)
class Hint:
    """A stroke (or, with one point, a dot) of color on a keyframe.

    Attributes
    ----------
    frame
        Source frame index of the keyframe.
    points
        Stroke polyline in source pixels, ``(x, y)``.
    radius
        Brush radius in source pixels.
    color
        ``#rrggbb``; used when ``pin`` is ``None``.
    pin
        Id of a :class:`ColorPin` whose color this hint takes, or ``None``.
    """

    frame: int
    points: tuple[tuple[float, float], ...]
    radius: float = 3.0
    color: str | None = None
    pin: str | None = None
    id: str = field(default_factory=new_id)

    def resolved_color(self, pins: dict[str, ColorPin]) -> str:
        """The color this hint paints with, looking its pin up in ``pins`` (id → pin)."""
        if self.pin is not None and self.pin in pins:
            return pins[self.pin].color
        if self.color is None:
            raise KeyError(f"hint {self.id} refers to unknown pin {self.pin!r} and has no color")
        return self.color
