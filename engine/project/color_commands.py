"""Undoable edits of color hints and of the palette of pinned colors.

A hint lives in the shot that contains its frame. A hint may take its color
from a pin; recoloring the pin recolors every such hint at once, and removing
the pin leaves its hints painted with the pin's last color.
"""

from __future__ import annotations

import math
from dataclasses import replace

from engine.errors import HintsError
from engine.project.hints import ColorPin, Hint, is_hex_color
from engine.project.model import Project, ShotData
from engine.project.undo import Command, EditName


def check_hint(project: Project, hint: Hint) -> None:
    """Raise :class:`HintsError` naming what is wrong with ``hint`` in ``project``."""
    where = f"hint on frame {hint.frame}"
    if isinstance(hint.frame, bool) or not isinstance(hint.frame, int) or not 0 <= hint.frame < project.frame_count:
        raise HintsError(f"hint frame: expected a frame from 0 to {project.frame_count - 1}, got {hint.frame!r}")
    if not hint.points or not all(
        len(p) == 2 and all(isinstance(c, (int, float)) and not isinstance(c, bool) and math.isfinite(c) for c in p)
        for p in hint.points
    ):
        raise HintsError(f"{where}: points must be one or more finite (x, y) pairs")
    if isinstance(hint.radius, bool) or not isinstance(hint.radius, (int, float)) or not (
        math.isfinite(hint.radius) and hint.radius >= 0
    ):
        raise HintsError(f"{where}: radius: expected a number ≥ 0, got {hint.radius!r}")
    if hint.color is not None and not is_hex_color(hint.color):
        raise HintsError(f"{where}: color: expected #rrggbb, got {hint.color!r}")
    if hint.pin is not None and hint.pin not in project.pin_table():
        raise HintsError(f"{where}: refers to pin {hint.pin!r}, which is not in the palette")
    if hint.pin is None and hint.color is None:
        raise HintsError(f"{where}: needs a color or a pin")


def _put_hint(project: Project, hint: Hint, replacing: str | None = None) -> None:
    """Store ``hint`` in the shot containing its frame, in place of hint ``replacing`` if given.

    Order matters (a later stroke paints over an earlier one), so an edited hint
    that stays in its shot keeps its place; one that moves to another shot goes on top there.
    """
    shot = project.shot_at(hint.frame).id
    if replacing is not None:
        old_shot, _ = project.find_hint(replacing)
        data = project.data(old_shot)
        if old_shot == shot:
            project.set_shot_data(shot, replace(data, hints=tuple(hint if h.id == replacing else h for h in data.hints)))
            return
        project.set_shot_data(old_shot, replace(data, hints=tuple(h for h in data.hints if h.id != replacing)))
    data = project.data(shot)
    project.set_shot_data(shot, replace(data, hints=data.hints + (hint,)))


def _hint(project: Project, hint_id: str) -> Hint:
    try:
        return project.find_hint(hint_id)[1]
    except KeyError:
        raise HintsError(f"no hint {hint_id!r} in this project") from None


class AddHint(Command):
    """Paint a hint (a stroke, or a dot when it has one point) on a keyframe."""

    def __init__(self, hint: Hint) -> None:
        super().__init__()
        self.hint = hint
        self.name = EditName("Add hint on frame {frame}", frame=hint.frame)

    def change(self, project: Project) -> None:
        """Validate and store in the shot containing the hint's frame."""
        check_hint(project, self.hint)
        if any(h.id == self.hint.id for h in project.hints()):
            raise HintsError(f"hint {self.hint.id!r} is already in the project")
        _put_hint(project, self.hint)


class EditHint(Command):
    """Change some fields of a hint (``points``, ``radius``, ``color``, ``pin``, ``frame``)."""

    FIELDS = frozenset({"frame", "points", "radius", "color", "pin"})

    def __init__(self, hint_id: str, **changes: object) -> None:
        super().__init__()
        unknown = set(changes) - self.FIELDS
        if unknown:
            raise HintsError(f"a hint has no field {sorted(unknown)[0]!r}")
        self.hint_id, self.changes = hint_id, changes
        self.name = EditName("Edit hint")

    def change(self, project: Project) -> None:
        """Replace the hint by its edited copy (moving it to another shot if its frame moved)."""
        old = _hint(project, self.hint_id)
        changes = dict(self.changes)
        if "points" in changes:
            changes["points"] = tuple(tuple(p) for p in changes["points"])  # type: ignore[union-attr]
        if "color" in changes and "pin" not in changes and changes["color"] is not None:
            changes["pin"] = None  # painting a plain color detaches the hint from its pin
        new = replace(old, **changes)  # type: ignore[arg-type]
        check_hint(project, new)
        self.name = EditName("Recolor hint") if set(changes) <= {"color", "pin"} else EditName("Edit hint")
        _put_hint(project, new, replacing=old.id)


class MoveHint(Command):
    """Shift a hint by ``(dx, dy)`` source pixels on its keyframe.

    ``gesture`` names the drag the move belongs to (the editor numbers its
    drags): moves of one drag merge into one undo step, two drags stay two.
    """

    def __init__(self, hint_id: str, dx: float, dy: float, gesture: int | None = None) -> None:
        super().__init__()
        self.hint_id, self.dx, self.dy, self.gesture = hint_id, dx, dy, gesture
        self.name = EditName("Move hint")

    def change(self, project: Project) -> None:
        """Translate every point of the stroke."""
        old = _hint(project, self.hint_id)
        new = replace(old, points=tuple((x + self.dx, y + self.dy) for x, y in old.points))
        check_hint(project, new)
        _put_hint(project, new, replacing=old.id)

    def merge(self, other: Command) -> bool:
        """One drag is one undo step."""
        if isinstance(other, MoveHint) and (other.hint_id, other.gesture) == (self.hint_id, self.gesture):
            self.dx, self.dy = self.dx + other.dx, self.dy + other.dy
            return True
        return False


class RemoveHint(Command):
    """Erase a hint."""

    def __init__(self, hint_id: str) -> None:
        super().__init__()
        self.hint_id = hint_id
        self.name = EditName("Erase hint")

    def change(self, project: Project) -> None:
        """Drop the hint from its shot."""
        _hint(project, self.hint_id)
        shot, _ = project.find_hint(self.hint_id)
        data = project.data(shot)
        project.set_shot_data(shot, replace(data, hints=tuple(h for h in data.hints if h.id != self.hint_id)))


# -- pins ------------------------------------------------------------------------------------------
def _pin(project: Project, pin_id: str) -> ColorPin:
    for pin in project.pins:
        if pin.id == pin_id:
            return pin
    raise HintsError(f"no pinned color {pin_id!r} in the palette")


def _check_pin_fields(name: str, color: str) -> None:
    if not isinstance(name, str) or not name.strip():
        raise HintsError(f"a pinned color needs a name, got {name!r}")
    if not is_hex_color(color):
        raise HintsError(f"pin “{name}”: color: expected #rrggbb, got {color!r}")


def _replace_pin(project: Project, new: ColorPin) -> None:
    project.set_pins(tuple(new if p.id == new.id else p for p in project.pins))


class AddPin(Command):
    """Add a named color to the palette (at ``index``, or at the end)."""

    def __init__(self, pin: ColorPin, index: int | None = None) -> None:
        super().__init__()
        self.pin, self.index = pin, index
        self.name = EditName("Add pin “{pin}”", pin=pin.name)

    def change(self, project: Project) -> None:
        """Validate and insert."""
        _check_pin_fields(self.pin.name, self.pin.color)
        if self.pin.id in project.pin_table():
            raise HintsError(f"pin {self.pin.id!r} is already in the palette")
        pins = list(project.pins)
        pins.insert(len(pins) if self.index is None else self.index, self.pin)
        project.set_pins(tuple(pins))


class RenamePin(Command):
    """Rename a pinned color; hints refer to it by id, so nothing else changes."""

    def __init__(self, pin_id: str, name: str) -> None:
        super().__init__()
        self.pin_id, self.new_name = pin_id, name
        self.name = EditName("Rename pin to “{name}”", name=name)

    def change(self, project: Project) -> None:
        """Validate and rename."""
        old = _pin(project, self.pin_id)
        _check_pin_fields(self.new_name, old.color)
        self.name = EditName("Rename pin “{old}” to “{name}”", old=old.name, name=self.new_name)
        _replace_pin(project, replace(old, name=self.new_name))


class RecolorPin(Command):
    """Change a pinned color: every hint using it, in every shot, takes the new color."""

    def __init__(self, pin_id: str, color: str) -> None:
        super().__init__()
        self.pin_id, self.color = pin_id, color
        self.name = EditName("Recolor pin")

    def change(self, project: Project) -> None:
        """Validate and recolor."""
        old = _pin(project, self.pin_id)
        _check_pin_fields(old.name, self.color)
        self.name = EditName("Recolor pin “{pin}”", pin=old.name)
        _replace_pin(project, replace(old, color=self.color))

    def merge(self, other: Command) -> bool:
        """Dragging the color picker over the same pin is one undo step."""
        if isinstance(other, RecolorPin) and other.pin_id == self.pin_id:
            self.color = other.color
            return True
        return False


class ReorderPin(Command):
    """Move a pinned color to position ``index`` of the palette."""

    def __init__(self, pin_id: str, index: int) -> None:
        super().__init__()
        self.pin_id, self.index = pin_id, index
        self.name = EditName("Reorder palette")

    def change(self, project: Project) -> None:
        """Move the swatch."""
        pin = _pin(project, self.pin_id)
        if not 0 <= self.index < len(project.pins):
            raise HintsError(f"palette position must be 0 to {len(project.pins) - 1}, got {self.index}")
        pins = [p for p in project.pins if p.id != self.pin_id]
        pins.insert(self.index, pin)
        project.set_pins(tuple(pins))


class RemovePin(Command):
    """Remove a pinned color; hints that used it keep its last color as their own."""

    def __init__(self, pin_id: str) -> None:
        super().__init__()
        self.pin_id = pin_id
        self.name = EditName("Remove pin")

    def change(self, project: Project) -> None:
        """Repaint the pin's hints with its color, then drop it."""
        pin = _pin(project, self.pin_id)
        self.name = EditName("Remove pin “{pin}”", pin=pin.name)
        table: dict[str, ShotData] = {}
        for shot_id, data in project.shot_data.items():
            hints = tuple(replace(h, pin=None, color=pin.color) if h.pin == pin.id else h for h in data.hints)
            table[shot_id] = replace(data, hints=hints)
        project.set_pins(tuple(p for p in project.pins if p.id != pin.id), table)
