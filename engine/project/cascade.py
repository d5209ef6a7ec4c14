"""The settings cascade: built-in defaults ← project defaults ← shot overrides ← export overrides.

The result, :class:`ResolvedSettings`, is frozen and hashable; its
:meth:`~ResolvedSettings.digest` is the cache key of anything rendered with it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

from engine.project.settings import REGISTRY, Registry, SettingValue, to_json

Origin = Literal["default", "project", "shot", "export"]


@dataclass(frozen=True, slots=True)
class ResolvedSettings(Mapping[str, SettingValue]):
    """Every setting's value in force for one shot, with where each came from.

    Equality and hashing look at the values only: where a value came from does
    not change a single pixel.
    """

    items_: tuple[tuple[str, SettingValue], ...]
    origins: Mapping[str, Origin] = field(default_factory=dict, compare=False, hash=False)

    def __getitem__(self, key: str) -> SettingValue:
        for k, v in self.items_:
            if k == key:
                return v
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return (k for k, _ in self.items_)

    def __len__(self) -> int:
        return len(self.items_)

    def origin(self, key: str) -> Origin:
        """Whether ``key`` holds the built-in default, a project default, a shot or an export override."""
        self[key]  # KeyError for an unknown key, like the mapping itself
        return self.origins.get(key, "default")

    def section(self, prefix: str) -> dict[str, SettingValue]:
        """The settings under ``prefix`` (``"restore"``, ``"restore.dust"``), keys kept whole."""
        dotted = prefix.rstrip(".") + "."
        return {k: v for k, v in self.items_ if k.startswith(dotted)}

    def canonical_json(self, sections: Iterable[str] | None = None) -> str:
        """Sorted, compact JSON of the values (of ``sections`` only, when given)."""
        wanted = None if sections is None else tuple(s.rstrip(".") + "." for s in sections)
        chosen = {k: to_json(v) for k, v in self.items_ if wanted is None or k.startswith(wanted)}
        return json.dumps(chosen, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)

    def digest(self, sections: Iterable[str] | None = None) -> str:
        """SHA-256 hex of :meth:`canonical_json`: the same values give the same digest in any process.

        Parameters
        ----------
        sections
            Restrict to these sections (e.g. ``("restore", "color")`` for a
            preview, so changing the export preset keeps the preview cache).
        """
        return hashlib.sha256(self.canonical_json(sections).encode("ascii")).hexdigest()


def resolve(
    project_defaults: Mapping[str, SettingValue] | None = None,
    shot_overrides: Mapping[str, SettingValue] | None = None,
    export_overrides: Mapping[str, SettingValue] | None = None,
    registry: Registry = REGISTRY,
) -> ResolvedSettings:
    """Resolve the cascade for one shot; later layers win.

    Every value is checked against the registry, so a resolved set is always
    valid whatever its layers came from.

    Parameters
    ----------
    project_defaults
        The project's own defaults (any setting).
    shot_overrides
        The shot's overrides (only settings a shot may override).
    export_overrides
        ``--set`` values of one export (any setting).

    Raises
    ------
    SettingsError
        An unknown key, a project-wide key among shot overrides, or a bad value.
    """
    values = registry.defaults()
    origins: dict[str, Origin] = {}
    layers: tuple[tuple[Origin, Mapping[str, SettingValue] | None, bool], ...] = (
        ("project", project_defaults, False),
        ("shot", shot_overrides, True),
        ("export", export_overrides, False),
    )
    for origin, layer, per_shot in layers:
        for key, value in (layer or {}).items():
            values[key] = registry.validate(key, value, per_shot=per_shot)
            origins[key] = origin
    return ResolvedSettings(tuple(values.items()), origins)
