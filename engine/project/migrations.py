"""Upgrades of older project files, one schema version at a time.

Each migration takes the parsed JSON of version ``n`` and returns version
``n + 1``; :func:`migrate` chains them up to the current version before the
codec validates anything, so the codec only ever knows the current layout.
Migrations work on plain dicts and never import the model: a migration written
today must still read the same way after the model has moved on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.project import fields as f
from engine.project.fields import FieldError

Migration = Callable[[dict[str, Any]], dict[str, Any]]


def _v0_to_v1(old: dict[str, Any]) -> dict[str, Any]:
    """Version 0, the prototype's layout, to version 1.

    Version 0 (files without ``schema_version``) held the media as a bare path,
    the cut list as frame numbers and the project settings under ``defaults``::

        {"media": "reel1.mov", "fps": "24/1", "frame_count": 1440,
         "cuts": [120, 300], "defaults": {"color.strength": 0.8}}

    It had no fingerprint, no per-shot data and no palette. Shot ids are made
    from the shot's position so migrating the same file twice gives the same ids.
    """
    f.obj(old, "", allowed=("schema_version", "media", "fps", "frame_count", "cuts", "defaults"),
          required=("fps", "frame_count"))
    cuts = sorted(f.integer(c, f"cuts[{i}]", minimum=1) for i, c in enumerate(f.array(old.get("cuts", []), "cuts")))
    shots = [{"id": "v0-shot-0", "start": 0, "cut": None}]
    shots += [{"id": f"v0-shot-{i + 1}", "start": frame, "cut": {"confidence": 1.0, "source": "manual"}}
              for i, frame in enumerate(cuts)]
    media = old.get("media")
    return {
        "schema_version": 1,
        "fps": old["fps"],
        "frame_count": old["frame_count"],
        "media": None if media is None else {"path": f.text(media, "media")},
        "settings": old.get("defaults", {}),
        "pins": [],
        "shots": shots,
        "transitions": [],
    }


# version n → the function that makes version n + 1 of it
MIGRATIONS: dict[int, Migration] = {0: _v0_to_v1}


def version_of(raw: object) -> int:
    """The schema version a parsed project file declares (0 when it declares none)."""
    top = f.obj(raw, "")
    if "schema_version" not in top:
        return 0
    return f.integer(top["schema_version"], "schema_version", minimum=0)


def migrate(raw: dict[str, Any], target: int) -> dict[str, Any]:
    """``raw`` upgraded from its own version to ``target``.

    Raises
    ------
    FieldError
        A version newer than ``target``, or a field an old layout required is bad.
    """
    version = version_of(raw)
    if version > target:
        raise FieldError("", f"made by a newer Relume (schema {version}; this Relume reads up to {target})")
    while version < target:
        raw = MIGRATIONS[version](raw)
        version += 1
    return raw
