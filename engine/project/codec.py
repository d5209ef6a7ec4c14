"""A project as JSON-ready data and back, validating every field on the way in.

Layout of schema version 1::

    {"schema_version": 1,
     "fps": "24000/1001", "frame_count": 1440,
     "media": {"path": "scans/reel1.mov", "absolute": "/archive/scans/reel1.mov",
               "fingerprint": {"size": 123, "hash": "blake2b:…", "frame_count": 1440,
                               "fps": "24000/1001", "width": 640, "height": 480}},
     "settings": {"export.preset": "prores-4444"},
     "pins": [{"id": "…", "name": "sky", "color": "#6f8fb3"}],
     "shots": [{"id": "…", "start": 0, "cut": null, "overrides": {}, "hints": [],
                "reference": null, "notes": ""},
               {"id": "…", "start": 120, "cut": {"confidence": 0.93, "source": "detected"}, …}],
     "transitions": [{"start": 300, "end": 324, "kind": "dissolve"}]}

Unknown fields are refused, naming the field, rather than dropped or carried:
a misspelt ``"color.strenght"`` silently ignored would put a wrong master on
the archive's shelf, and a real format change bumps ``schema_version`` and
brings its migration.
"""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path
from typing import Any

from engine.project import fields as f
from engine.project.fields import FieldError
from engine.project.hints import ColorPin, Hint
from engine.project.media_ref import Fingerprint, MediaRef
from engine.project.model import Cut, Project, ShotData, Transition
from engine.project.settings import REGISTRY, InvalidValue, SettingValue, to_json

SCHEMA_VERSION = 1


def _rate_text(rate: Fraction) -> str:
    return f"{rate.numerator}/{rate.denominator}"


def _stored_path(path: Path, folder: Path) -> str:
    """``path`` relative to ``folder`` when they share a drive, else absolute; always with ``/``."""
    try:
        return Path(os.path.relpath(path, folder)).as_posix()
    except ValueError:  # another drive on Windows: no relative path exists
        return path.as_posix()


# -- out -------------------------------------------------------------------------------------------
def encode(project: Project, folder: Path) -> dict[str, Any]:
    """``project`` as JSON-ready data; paths are written relative to ``folder`` (the project file's)."""
    shots = []
    cuts = {c.shot: c for c in project.cuts}
    for shot in project.shots():
        data = project.data(shot.id)
        cut = cuts.get(shot.id)
        shots.append({
            "id": shot.id,
            "start": shot.start,
            "cut": None if cut is None else {"confidence": cut.confidence, "source": cut.source},
            "overrides": {k: to_json(v) for k, v in data.overrides.items()},
            "hints": [_encode_hint(h) for h in data.hints],
            "reference": None if data.reference is None else _stored_path(data.reference, folder),
            "notes": data.notes,
        })
    return {
        "schema_version": SCHEMA_VERSION,
        "fps": _rate_text(project.fps),
        "frame_count": project.frame_count,
        "media": None if project.media is None else _encode_media(project.media, folder),
        "settings": {k: to_json(v) for k, v in project.defaults.items()},
        "pins": [{"id": p.id, "name": p.name, "color": p.color} for p in project.pins],
        "shots": shots,
        "transitions": [{"start": t.start, "end": t.end, "kind": t.kind} for t in project.transitions],
    }


def _encode_hint(hint: Hint) -> dict[str, Any]:
    return {
        "id": hint.id,
        "frame": hint.frame,
        "points": [[x, y] for x, y in hint.points],
        "radius": hint.radius,
        "color": hint.color,
        "pin": hint.pin,
    }


def _encode_media(media: MediaRef, folder: Path) -> dict[str, Any]:
    fp = media.fingerprint
    return {
        "path": _stored_path(media.path, folder),
        "absolute": media.path.as_posix(),
        "fingerprint": None if fp is None else {
            "size": fp.size,
            "hash": fp.content_hash,
            "frame_count": fp.frame_count,
            "fps": None if fp.fps is None else _rate_text(fp.fps),
            "width": fp.width,
            "height": fp.height,
        },
    }


# -- in --------------------------------------------------------------------------------------------
_TOP = ("schema_version", "fps", "frame_count", "media", "settings", "pins", "shots", "transitions")
_SHOT = ("id", "start", "cut", "overrides", "hints", "reference", "notes")
_HINT = ("id", "frame", "points", "radius", "color", "pin")


def decode(raw: object, folder: Path) -> Project:
    """A :class:`Project` from current-schema data; relative paths are resolved against ``folder``.

    Raises
    ------
    FieldError
        The first field that is missing, unknown or invalid.
    """
    top = f.obj(raw, "", allowed=_TOP, required=("schema_version", "fps", "frame_count", "shots"))
    fps = f.rate(top["fps"], "fps")
    frame_count = f.integer(top["frame_count"], "frame_count", minimum=1)
    media = None if top.get("media") is None else _decode_media(top["media"], folder)
    defaults = _decode_settings(top.get("settings", {}), "settings", per_shot=False)
    pins = _decode_pins(top.get("pins", []))
    pin_ids = {p.id for p in pins}
    shots = f.array(top["shots"], "shots")
    if not shots:
        raise FieldError("shots", "expected at least one shot, got none")
    cuts: list[Cut] = []
    table: dict[str, ShotData] = {}
    starts = []
    ids: set[str] = set()
    for i, item in enumerate(shots):
        where = f"shots[{i}]"
        shot = f.obj(item, where, allowed=_SHOT, required=("id", "start"))
        shot_id = f.text(shot["id"], f"{where}.id")
        if shot_id in ids:
            raise FieldError(f"{where}.id", f"shot id {shot_id!r} is used twice")
        ids.add(shot_id)
        low = 0 if i == 0 else starts[-1] + 1
        start = f.integer(shot["start"], f"{where}.start", minimum=low, maximum=0 if i == 0 else frame_count - 1)
        starts.append(start)
        if i == 0:
            opening = shot_id
            if shot.get("cut") is not None:
                raise FieldError(f"{where}.cut", "the first shot has no cut before it; expected null")
        else:
            cut = f.obj(shot.get("cut"), f"{where}.cut", allowed=("confidence", "source"), required=("source",))
            confidence = f.number(cut.get("confidence", 1.0), f"{where}.cut.confidence", 0, 1)
            source = f.choice(cut["source"], f"{where}.cut.source", ("detected", "manual"))
            cuts.append(Cut(start, confidence, source, shot_id))  # type: ignore[arg-type]
    for i, item in enumerate(shots):
        where = f"shots[{i}]"
        end = starts[i + 1] if i + 1 < len(starts) else frame_count
        table[item["id"]] = _decode_shot_data(item, where, starts[i], end, pin_ids, folder)
    transitions = tuple(_decode_transition(t, f"transitions[{i}]", frame_count)
                        for i, t in enumerate(f.array(top.get("transitions", []), "transitions")))
    return Project(fps, frame_count, media, tuple(cuts), opening, transitions, defaults, tuple(pins), table)


def _decode_shot_data(shot: dict[str, Any], where: str, start: int, end: int, pin_ids: set[str],
                      folder: Path) -> ShotData:
    overrides = _decode_settings(shot.get("overrides", {}), f"{where}.overrides", per_shot=True)
    hints = tuple(_decode_hint(h, f"{where}.hints[{j}]", start, end, pin_ids)
                  for j, h in enumerate(f.array(shot.get("hints", []), f"{where}.hints")))
    reference = shot.get("reference")
    ref = None if reference is None else f.path_relative_to(folder, f.text(reference, f"{where}.reference"))
    notes = f.text(shot.get("notes", ""), f"{where}.notes", empty=True)
    return ShotData(overrides, hints, ref, notes)


def _decode_settings(raw: object, where: str, *, per_shot: bool) -> dict[str, SettingValue]:
    values: dict[str, SettingValue] = {}
    for key, value in f.obj(raw, where).items():
        field = f"{where}.{key}"
        row = REGISTRY.get(key)
        if row is None:
            raise FieldError(field, "unknown setting (from a newer Relume? see `relume settings --schema`)")
        if per_shot and not row.per_shot:
            raise FieldError(field, "is project-wide; a shot cannot override it")
        try:
            values[key] = row.check(value)
        except InvalidValue as exc:
            raise FieldError(field, str(exc)) from None
    return values


def _decode_pins(raw: object) -> list[ColorPin]:
    pins = []
    for i, item in enumerate(f.array(raw, "pins")):
        where = f"pins[{i}]"
        pin = f.obj(item, where, allowed=("id", "name", "color"), required=("id", "name", "color"))
        pin_id = f.text(pin["id"], f"{where}.id")
        if any(p.id == pin_id for p in pins):
            raise FieldError(f"{where}.id", f"pin id {pin_id!r} is used twice")
        pins.append(ColorPin(f.text(pin["name"], f"{where}.name"), f.color(pin["color"], f"{where}.color"), pin_id))
    return pins


def _decode_hint(raw: object, where: str, start: int, end: int, pin_ids: set[str]) -> Hint:
    hint = f.obj(raw, where, allowed=_HINT, required=("id", "frame", "points"))
    frame = f.integer(hint["frame"], f"{where}.frame", minimum=start, maximum=end - 1)
    color = None if hint.get("color") is None else f.color(hint["color"], f"{where}.color")
    pin = None if hint.get("pin") is None else f.text(hint["pin"], f"{where}.pin")
    if pin is not None and pin not in pin_ids:
        raise FieldError(f"{where}.pin", f"refers to pin {pin!r}, which is not in the palette")
    if pin is None and color is None:
        raise FieldError(where, "needs a color or a pin")
    return Hint(
        frame,
        f.points(hint["points"], f"{where}.points"),
        f.number(hint.get("radius", 3.0), f"{where}.radius", minimum=0),
        color,
        pin,
        f.text(hint["id"], f"{where}.id"),
    )


def _decode_transition(raw: object, where: str, frame_count: int) -> Transition:
    t = f.obj(raw, where, allowed=("start", "end", "kind"), required=("start", "end"))
    start = f.integer(t["start"], f"{where}.start", 0, frame_count - 1)
    end = f.integer(t["end"], f"{where}.end", start + 1, frame_count)
    return Transition(start, end, f.choice(t.get("kind", "dissolve"), f"{where}.kind", ("dissolve", "fade")))  # type: ignore[arg-type]


def _decode_media(raw: object, folder: Path) -> MediaRef:
    media = f.obj(raw, "media", allowed=("path", "absolute", "fingerprint"), required=("path",))
    relative = f.path_relative_to(folder, f.text(media["path"], "media.path"))
    absolute = None if media.get("absolute") is None else Path(f.text(media["absolute"], "media.absolute"))
    # The relative path wins (a project moved with its media); the absolute one is the fallback.
    path = relative if relative.exists() or absolute is None or not absolute.exists() else absolute
    fp = media.get("fingerprint")
    fingerprint = None
    if fp is not None:
        fpd = f.obj(fp, "media.fingerprint", allowed=("size", "hash", "frame_count", "fps", "width", "height"),
                    required=("size", "hash"))

        def optional_int(key: str) -> int | None:
            return None if fpd.get(key) is None else f.integer(fpd[key], f"media.fingerprint.{key}", minimum=1)

        fingerprint = Fingerprint(
            f.integer(fpd["size"], "media.fingerprint.size", minimum=0),
            f.text(fpd["hash"], "media.fingerprint.hash"),
            optional_int("frame_count"),
            None if fpd.get("fps") is None else f.rate(fpd["fps"], "media.fingerprint.fps"),
            optional_int("width"),
            optional_int("height"),
        )
    return MediaRef(Path(os.path.normpath(path)), fingerprint)
