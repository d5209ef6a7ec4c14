"""The result of shot detection: where shots change, and how.

A **cut** is the first frame of a new shot. A gradual change (dissolve, fade
through black) is also a :class:`Transition` spanning its frames; the shot
boundary inside it is listed among the cuts too (for a dissolve, the first frame
that is mostly the new shot; for a fade, the first frame of the new shot), so
the cuts alone always split the film into shots.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal

from engine.errors import CutListError

TransitionKind = Literal["dissolve", "fade"]
TRANSITION_KINDS: tuple[str, ...] = ("dissolve", "fade")


@dataclass(frozen=True, slots=True, order=True)
class Cut:
    """The first frame of a new shot, and how sure the detector is (0–1)."""

    frame: int
    confidence: float = 1.0


@dataclass(frozen=True, slots=True, order=True)
class Transition:
    """A gradual change of shot over frames ``start`` to ``end`` (both inclusive)."""

    start: int
    end: int
    kind: TransitionKind = "dissolve"
    confidence: float = 1.0

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"a transition cannot end (frame {self.end}) before it starts (frame {self.start})")
        if self.kind not in TRANSITION_KINDS:
            raise ValueError(f"unknown transition kind {self.kind!r}")

    @property
    def frames(self) -> int:
        """Length of the transition in frames."""
        return self.end - self.start + 1

    def contains(self, frame: int) -> bool:
        """Whether ``frame`` lies within the transition."""
        return self.start <= frame <= self.end


@dataclass(frozen=True, slots=True)
class CutList:
    """The cuts and transitions of a film of ``frames`` frames at ``fps``.

    Cuts and transitions are sorted by frame; cuts lie in ``1 .. frames - 1``.
    """

    fps: Fraction
    frames: int
    cuts: tuple[Cut, ...] = ()
    transitions: tuple[Transition, ...] = field(default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "cuts", tuple(sorted(self.cuts)))
        object.__setattr__(self, "transitions", tuple(sorted(self.transitions)))

    @property
    def cut_frames(self) -> list[int]:
        """The frames of the cuts."""
        return [c.frame for c in self.cuts]

    def transition_at(self, cut: int) -> Transition | None:
        """The transition the cut at frame ``cut`` lies in, if any."""
        return next((t for t in self.transitions if t.contains(cut)), None)

    def shots(self) -> list[tuple[int, int]]:
        """Each shot as ``(first frame, stop frame)``, covering the whole film."""
        bounds = [0, *self.cut_frames, self.frames]
        return [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]

    def to_json(self) -> dict[str, Any]:
        """The public JSON shape (``relume cuts --json``)."""
        return {
            "fps": f"{self.fps.numerator}/{self.fps.denominator}",
            "frames": self.frames,
            "cuts": self.cut_frames,
            "transitions": [{"start": t.start, "end": t.end, "kind": t.kind} for t in self.transitions],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CutList:
        """Read the shape :meth:`to_json` writes; a malformed one raises :class:`~engine.errors.CutListError`."""
        try:
            fps = Fraction(str(data["fps"]))
            frames = int(data["frames"])
            cuts = tuple(Cut(int(f)) for f in data["cuts"])
            transitions = tuple(
                Transition(int(t["start"]), int(t["end"]), t["kind"]) for t in data.get("transitions", ())
            )
        except (KeyError, TypeError, ValueError, ZeroDivisionError) as exc:
            raise CutListError(f"not a cut list: {exc}") from exc
        return cls(fps, frames, cuts, transitions)
