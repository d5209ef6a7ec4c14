"""The CLI's ``HINTS.json``: color strokes and pinned colors written by hand or by a script.

Layout::

    {"pins": [{"name": "sky", "color": "#6f8fb3"}],
     "hints": [{"frame": 0, "points": [[120, 40], [180, 42]], "radius": 3, "color": "#8a6b4f"},
               {"frame": 0, "points": [[300, 20]], "pin": "sky"}]}

A stroke of one point is a dot. ``radius`` (source pixels) defaults to 3. A
hint names a pin by its name, from the file's ``pins`` or from the project's
palette; it needs a pin or a color (with both, the pin wins and the color is
kept as the fallback).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from engine.errors import HintsError
from engine.project import fields as f
from engine.project.fields import FieldError
from engine.project.hints import ColorPin, Hint


@dataclass(frozen=True, slots=True)
class HintsFile:
    """What a hints file holds: its hints (in file order) and the pins it declared."""

    hints: tuple[Hint, ...]
    pins: tuple[ColorPin, ...]


def read_hints_file(
    path: str | os.PathLike[str],
    frame_count: int | None = None,
    known_pins: Sequence[ColorPin] = (),
) -> HintsFile:
    """Parse a hints file.

    Parameters
    ----------
    path
        The JSON file.
    frame_count
        The film's length, to refuse hints beyond it; ``None`` skips that check.
    known_pins
        The project's palette, for hints that name a pin the file does not declare.

    Raises
    ------
    HintsError
        Naming the file and the entry: unreadable file, broken JSON (line and
        column), a missing key, a bad color, a negative radius, non-numeric
        points, a frame out of range or an unknown pin.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise HintsError("hints file not found", path) from None
    except UnicodeDecodeError:
        raise HintsError("not a hints file (not UTF-8 JSON text)", path) from None
    except OSError as exc:
        raise HintsError(f"cannot read hints file: {exc.strerror or exc}", path) from None
    try:
        return parse_hints(f.parse_json(text), frame_count, known_pins)
    except FieldError as exc:
        raise HintsError(str(exc), path) from None


def parse_hints(raw: object, frame_count: int | None = None, known_pins: Sequence[ColorPin] = ()) -> HintsFile:
    """Parse the JSON value of a hints file (see :func:`read_hints_file`).

    Raises
    ------
    FieldError
        Naming the first bad entry, e.g. ``hints[2].radius``.
    """
    top = f.obj(raw, "", allowed=("hints", "pins"), required=("hints",))
    pins: list[ColorPin] = []
    for i, item in enumerate(f.array(top.get("pins", []), "pins")):
        where = f"pins[{i}]"
        pin = f.obj(item, where, allowed=("name", "color"), required=("name", "color"))
        name = f.text(pin["name"], f"{where}.name")
        if any(p.name == name for p in pins):
            raise FieldError(f"{where}.name", f"pin {name!r} is declared twice")
        pins.append(ColorPin(name, f.color(pin["color"], f"{where}.color")))
    by_name = {p.name: p for p in known_pins}
    by_name.update({p.name: p for p in pins})  # the file's own declaration wins
    last = None if frame_count is None else frame_count - 1
    hints = []
    for i, item in enumerate(f.array(top["hints"], "hints")):
        where = f"hints[{i}]"
        hint = f.obj(item, where, allowed=("frame", "points", "radius", "color", "pin"), required=("frame", "points"))
        frame = f.integer(hint["frame"], f"{where}.frame", minimum=0, maximum=last)
        points = f.points(hint["points"], f"{where}.points")
        radius = f.number(hint.get("radius", 3.0), f"{where}.radius", minimum=0)
        color = None if hint.get("color") is None else f.color(hint["color"], f"{where}.color")
        pin_id = None
        if hint.get("pin") is not None:
            name = f.text(hint["pin"], f"{where}.pin")
            if name not in by_name:
                known = ", ".join(repr(n) for n in by_name) or "none"
                raise FieldError(f"{where}.pin", f"unknown pin {name!r} (known: {known})")
            pin_id = by_name[name].id
        if color is None and pin_id is None:
            raise FieldError(where, "needs a \"color\" or a \"pin\"")
        hints.append(Hint(frame, points, radius, color, pin_id))
    return HintsFile(tuple(hints), tuple(pins))
