"""The project: one film, its cut list, and what the restorer decided for each shot.

Time is a frame index; rates are :class:`~fractions.Fraction`. Shots are not
stored as such: they are the spans between cuts. Each cut carries the stable id
of the shot it opens (the film's first shot has :attr:`Project.opening_shot`),
so a shot keeps its identity — and its overrides and hints — when cuts around
it are added, moved or removed.

Every value a :class:`Project` holds is immutable (frozen dataclasses, tuples,
read-only mappings); edits replace values through the ``replace_*``/``set_*``
methods, which announce real changes on :attr:`Project.events`. Views and the
editor change a project only through the undoable commands of
:mod:`engine.project.commands`.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from engine.errors import ProjectError
from engine.project.cascade import ResolvedSettings, resolve
from engine.project.events import EventEmitter, ProjectEvent
from engine.project.hints import ColorPin, Hint, new_id
from engine.project.media_ref import MediaRef
from engine.project.settings import SettingValue

CutSource = Literal["detected", "manual"]
REFERENCE_KEY = "color.reference"
TransitionKind = Literal["dissolve", "fade"]


def _frozen(mapping: Mapping[str, SettingValue] | None) -> Mapping[str, SettingValue]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True, slots=True)
class Cut:
    """The first frame of a new shot.

    Attributes
    ----------
    frame
        Frame index where the new shot starts (≥ 1).
    confidence
        0–1; how sure the detector was (1 for a cut placed by hand).
    source
        ``"detected"`` or ``"manual"``.
    shot
        Stable id of the shot this cut opens.
    """

    frame: int
    confidence: float = 1.0
    source: CutSource = "manual"
    shot: str = field(default_factory=new_id)


@dataclass(frozen=True, slots=True)
class Transition:
    """A gradual change between shots over ``[start, end)``: a dissolve or a fade."""

    start: int
    end: int
    kind: TransitionKind = "dissolve"


@dataclass(frozen=True, slots=True)
class ShotData:
    """What the restorer decided for one shot.

    Attributes
    ----------
    overrides
        Setting key → value, over the project defaults (shot-overridable keys only).
    hints
        Color hints on this shot's keyframes, each on a frame inside the shot.
    reference
        A color photograph whose palette starts the shot, or ``None``. It is the
        shot's ``color.reference`` setting: an override of that key given in
        ``overrides`` is moved here, so there is one place that holds it.
    notes
        Free text for the restorer.
    """

    overrides: Mapping[str, SettingValue] = field(default_factory=lambda: MappingProxyType({}))
    hints: tuple[Hint, ...] = ()
    reference: Path | None = None
    notes: str = ""

    def __post_init__(self) -> None:
        overrides = dict(self.overrides)
        if REFERENCE_KEY in overrides:
            value = overrides.pop(REFERENCE_KEY)
            object.__setattr__(self, "reference", None if value is None else Path(str(value)))
        object.__setattr__(self, "overrides", _frozen(overrides))
        object.__setattr__(self, "hints", tuple(sorted(self.hints, key=lambda h: h.frame)))

    def settings_layer(self) -> dict[str, SettingValue]:
        """The shot's layer of the settings cascade: its overrides and its reference image."""
        layer = dict(self.overrides)
        if self.reference is not None:
            layer[REFERENCE_KEY] = str(self.reference)
        return layer

    def is_empty(self) -> bool:
        """Whether nothing was decided for the shot."""
        return not self.overrides and not self.hints and self.reference is None and not self.notes


EMPTY_SHOT = ShotData()


@dataclass(frozen=True, slots=True)
class Shot:
    """A span ``[start, end)`` of frames between two cuts, with its stable id."""

    id: str
    index: int
    start: int
    end: int

    @property
    def frame_count(self) -> int:
        """Number of frames in the shot."""
        return self.end - self.start

    def __contains__(self, frame: object) -> bool:
        return isinstance(frame, int) and self.start <= frame < self.end


@dataclass(eq=False)
class Project:
    """One film being restored.

    Attributes
    ----------
    fps
        Frame rate of the source.
    frame_count
        Number of source frames.
    media
        The source film, or ``None`` for a project not yet linked.
    cuts
        Cuts sorted by frame, all inside ``(0, frame_count)``.
    opening_shot
        Id of the shot that starts at frame 0.
    transitions
        Dissolves and fades.
    defaults
        Project-wide setting values over the built-in defaults (export settings included).
    pins
        The palette of pinned colors, in the restorer's order.
    shot_data
        Shot id → its data; shots with nothing decided may be absent.
    path
        The ``.relume`` file it was loaded from or last saved to (not part of its identity).
    """

    fps: Fraction
    frame_count: int
    media: MediaRef | None = None
    cuts: tuple[Cut, ...] = ()
    opening_shot: str = field(default_factory=new_id)
    transitions: tuple[Transition, ...] = ()
    defaults: Mapping[str, SettingValue] = field(default_factory=lambda: MappingProxyType({}))
    pins: tuple[ColorPin, ...] = ()
    shot_data: Mapping[str, ShotData] = field(default_factory=lambda: MappingProxyType({}))
    path: Path | None = None
    events: EventEmitter = field(default_factory=EventEmitter, repr=False)

    def __post_init__(self) -> None:
        if isinstance(self.fps, float) or not isinstance(self.fps, (int, Fraction)) or self.fps <= 0:
            # a float rate (23.976) is never exact; the house rule is Fraction(24000, 1001)
            raise ProjectError(f"fps must be a positive Fraction, got {self.fps!r}")
        if isinstance(self.frame_count, bool) or not isinstance(self.frame_count, int) or self.frame_count < 1:
            raise ProjectError(f"frame_count must be a whole number ≥ 1, got {self.frame_count!r}")
        self.fps = Fraction(self.fps)
        self.cuts = tuple(sorted(self.cuts, key=lambda c: c.frame))
        frames = [c.frame for c in self.cuts]
        if frames and (frames[0] < 1 or frames[-1] >= self.frame_count or len(set(frames)) != len(frames)):
            raise ProjectError(f"cuts must be distinct frames from 1 to {self.frame_count - 1}, got {frames}")
        ids = [self.opening_shot, *(c.shot for c in self.cuts)]
        if len(set(ids)) != len(ids):
            raise ProjectError("two shots share one id")
        self.defaults = _frozen(self.defaults)
        self.shot_data = MappingProxyType({k: v for k, v in self.shot_data.items() if not v.is_empty()})

    # -- identity -----------------------------------------------------------------------------
    def state(self) -> tuple[object, ...]:
        """Everything the restorer decided, as a comparable value (no path, no listeners)."""
        return (
            self.fps,
            self.frame_count,
            self.media,
            self.cuts,
            self.opening_shot,
            self.transitions,
            dict(self.defaults),
            self.pins,
            {k: v for k, v in self.shot_data.items() if not v.is_empty()},
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Project):
            return NotImplemented
        return self.state() == other.state()

    __hash__ = None  # type: ignore[assignment]  # mutable

    # -- shots --------------------------------------------------------------------------------
    def shots(self) -> tuple[Shot, ...]:
        """The shots, in film order."""
        starts = [(0, self.opening_shot)] + [(c.frame, c.shot) for c in self.cuts]
        ends = [s for s, _ in starts[1:]] + [self.frame_count]
        return tuple(Shot(sid, i, start, end) for i, ((start, sid), end) in enumerate(zip(starts, ends)))

    def shot_at(self, frame: int) -> Shot:
        """The shot containing ``frame``.

        Raises
        ------
        IndexError
            ``frame`` is outside the film.
        """
        if not 0 <= frame < self.frame_count:
            raise IndexError(f"frame {frame} is outside the film (0 to {self.frame_count - 1})")
        i = bisect.bisect_right(self.cuts, frame, key=lambda c: c.frame)
        start, shot_id = (0, self.opening_shot) if i == 0 else (self.cuts[i - 1].frame, self.cuts[i - 1].shot)
        end = self.cuts[i].frame if i < len(self.cuts) else self.frame_count
        return Shot(shot_id, i, start, end)

    def shot(self, shot_id: str) -> Shot:
        """The shot with id ``shot_id``; :class:`KeyError` if there is none."""
        for shot in self.shots():
            if shot.id == shot_id:
                return shot
        raise KeyError(f"no shot {shot_id!r}")

    def data(self, shot_id: str) -> ShotData:
        """The data of shot ``shot_id`` (empty when nothing was decided)."""
        return self.shot_data.get(shot_id, EMPTY_SHOT)

    def pin_table(self) -> dict[str, ColorPin]:
        """Pin id → pin, the lookup :meth:`Hint.resolved_color` takes."""
        return {pin.id: pin for pin in self.pins}

    def hints(self) -> tuple[Hint, ...]:
        """Every hint of every shot, in frame order."""
        return tuple(sorted((h for d in self.shot_data.values() for h in d.hints), key=lambda h: h.frame))

    def find_hint(self, hint_id: str) -> tuple[str, Hint]:
        """``(shot id, hint)`` of the hint ``hint_id``; :class:`KeyError` if there is none."""
        for shot_id, data in self.shot_data.items():
            for hint in data.hints:
                if hint.id == hint_id:
                    return shot_id, hint
        raise KeyError(f"no hint {hint_id!r}")

    def settings_for(
        self, shot_id: str, export_overrides: Mapping[str, SettingValue] | None = None
    ) -> ResolvedSettings:
        """The settings in force for shot ``shot_id`` (built-in ← project ← shot ← export)."""
        return resolve(self.defaults, self.data(shot_id).settings_layer(), export_overrides)

    def export_settings(self, export_overrides: Mapping[str, SettingValue] | None = None) -> dict[str, SettingValue]:
        """The ``export.*`` settings in force (project defaults ← export overrides), keys kept whole."""
        return resolve(self.defaults, None, export_overrides).section("export")

    # -- changes (used by commands; each emits only on a real change) ---------------------------
    def replace_cuts(
        self,
        cuts: tuple[Cut, ...],
        shot_data: Mapping[str, ShotData],
        transitions: tuple[Transition, ...] | None = None,
        opening_shot: str | None = None,
    ) -> None:
        """Replace the cut list with the shot data that goes with it."""
        old = self.state()
        self.cuts = tuple(sorted(cuts, key=lambda c: c.frame))
        self.shot_data = MappingProxyType({k: v for k, v in shot_data.items() if not v.is_empty()})
        if transitions is not None:
            self.transitions = tuple(sorted(transitions, key=lambda t: t.start))
        if opening_shot is not None:
            self.opening_shot = opening_shot
        if self.state() != old:
            self.events.emit(ProjectEvent("cuts"))

    def set_shot_data(self, shot_id: str, data: ShotData) -> None:
        """Replace one shot's data."""
        old = self.data(shot_id)
        if old == data:
            return
        table = dict(self.shot_data)
        if data.is_empty():
            table.pop(shot_id, None)
        else:
            table[shot_id] = data
        self.shot_data = MappingProxyType(table)
        before, after = old.settings_layer(), data.settings_layer()
        keys = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        self.events.emit(ProjectEvent("shot", shot=shot_id, keys=frozenset(keys)))

    def set_defaults(self, defaults: Mapping[str, SettingValue]) -> None:
        """Replace the project-wide setting defaults."""
        old = self.defaults
        new = _frozen(defaults)
        keys = {k for k in set(old) | set(new) if old.get(k) != new.get(k) or (k in old) != (k in new)}
        if keys:
            self.defaults = new
            self.events.emit(ProjectEvent("defaults", keys=frozenset(keys)))

    def set_pins(self, pins: tuple[ColorPin, ...], shot_data: Mapping[str, ShotData] | None = None) -> None:
        """Replace the palette, and with it the shot data when hints were repainted."""
        pins = tuple(pins)
        if pins != self.pins:
            self.pins = pins
            self.events.emit(ProjectEvent("pins"))
        if shot_data is not None:
            for shot_id in sorted(set(self.shot_data) | set(shot_data)):
                self.set_shot_data(shot_id, shot_data.get(shot_id, EMPTY_SHOT))

    def set_media(self, media: MediaRef | None) -> None:
        """Point the project at another copy of its film."""
        if media != self.media:
            self.media = media
            self.events.emit(ProjectEvent("media"))
