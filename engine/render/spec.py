"""Per-shot render specs: the settings cascade and the shot's hints, frozen into one hashable value.

A :class:`RenderSpec` is everything that decides how a shot's frames look:
the resolved ``restore``, ``color``, ``upscale`` and ``interp`` settings
(project defaults ← shot overrides ← export overrides) plus the shot's hints
with their pinned colors resolved. Its :attr:`RenderSpec.key` is the same in
every process for the same look, so it is the cache key of a rendered frame —
``(source frame, spec key)`` — and the identity of a finished export segment.
Export settings (preset, size) are deliberately not part of it: changing the
deliverable keeps every preview.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from engine.project.cascade import ResolvedSettings
from engine.project.hints import Hint
from engine.project.model import Project, Shot
from engine.project.settings import SettingValue

# The setting sections that change pixels of a shot.
LOOK_SECTIONS = ("restore", "color", "upscale", "interp")
# Upscalers the master writer's own Lanczos resample stands in for (no stage needed).
CONFORM_UPSCALERS = frozenset({"auto", "lanczos"})


@dataclass(frozen=True, slots=True)
class RenderSpec:
    """How one shot is rendered, frozen and hashable.

    Attributes
    ----------
    settings
        The resolved settings of the shot (every key, whatever its section).
    hints
        The shot's hints with ``frame`` made relative to the shot's first frame
        and ``color`` resolved from its pin (``pin`` cleared), so the spec alone
        says what is painted.
    """

    settings: ResolvedSettings
    hints: tuple[Hint, ...] = ()

    @property
    def key(self) -> str:
        """SHA-256 hex of the look: the look settings and the painted colors and strokes."""
        painted = [[h.frame, [list(p) for p in h.points], h.radius, h.color] for h in self.hints]
        text = json.dumps(
            {"settings": self.settings.canonical_json(LOOK_SECTIONS), "hints": painted},
            sort_keys=True,
            separators=(",", ":"),
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def value(self, key: str) -> SettingValue:
        """The value of setting ``key`` for this shot."""
        return self.settings[key]

    def flag(self, key: str) -> bool:
        """A boolean setting."""
        return bool(self.settings[key])

    @property
    def keyframe_hints(self) -> dict[int, tuple[Hint, ...]]:
        """Offset of each keyframe within the shot → its hints."""
        table: dict[int, list[Hint]] = {}
        for hint in self.hints:
            table.setdefault(hint.frame, []).append(hint)
        return {frame: tuple(hints) for frame, hints in table.items()}

    @property
    def reference(self) -> Path | None:
        """The shot's color reference photograph, if any."""
        value = self.settings["color.reference"]
        return None if value is None else Path(str(value))

    @property
    def colorizes(self) -> bool:
        """Whether the colorize stage has anything to do: enabled, with hints or a reference."""
        return self.flag("color.enabled") and (bool(self.hints) or self.reference is not None)


@dataclass(frozen=True, slots=True)
class ShotRender:
    """One shot of the film and the spec it is rendered with."""

    shot: Shot
    spec: RenderSpec

    @property
    def frames(self) -> range:
        """The source frame indices of the shot."""
        return range(self.shot.start, self.shot.end)


def shot_spec(
    project: Project, shot: Shot, export_overrides: Mapping[str, SettingValue] | None = None
) -> RenderSpec:
    """The render spec of ``shot`` of ``project``.

    Raises
    ------
    SettingsError
        A layer of the cascade holds an unknown key or a bad value.
    KeyError
        A hint names a pin the project does not have and carries no color.
    """
    settings = project.settings_for(shot.id, export_overrides)
    pins = project.pin_table()
    hints = tuple(
        replace(hint, frame=hint.frame - shot.start, color=hint.resolved_color(pins), pin=None)
        for hint in project.data(shot.id).hints
        if shot.start <= hint.frame < shot.end
    )
    return RenderSpec(settings, hints)


def plan_film(project: Project, export_overrides: Mapping[str, SettingValue] | None = None) -> tuple[ShotRender, ...]:
    """Every shot of the film with its render spec, in film order."""
    return tuple(ShotRender(shot, shot_spec(project, shot, export_overrides)) for shot in project.shots())
