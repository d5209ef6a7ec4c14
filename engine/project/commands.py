"""Undoable edits of the cut list, the settings and the media link.

Semantics a restorer relies on:

- Adding a cut splits a shot: both halves keep the shot's overrides, reference
  and notes; each hint goes with the frame it sits on.
- Removing a cut merges the shot with the previous one: the earlier shot's
  overrides win, every hint is kept.
- Moving a cut keeps both shots' identities; hints follow their frames.

Color edits (hints and pins) live in :mod:`engine.project.color_commands` and
are re-exported here, so ``from engine.project.commands import …`` finds every
command.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from engine.errors import ProjectError
from engine.project.color_commands import (
    AddHint,
    AddPin,
    EditHint,
    MoveHint,
    RecolorPin,
    RemoveHint,
    RemovePin,
    RenamePin,
    ReorderPin,
)
from engine.project.hints import Hint, new_id
from engine.project.media_ref import MediaRef
from engine.project.model import EMPTY_SHOT, REFERENCE_KEY, Cut, CutSource, Project, Shot, ShotData, Transition
from engine.project.settings import REGISTRY, SettingValue, to_json
from engine.project.undo import Command, EditName, Macro, UndoStack

__all__ = [
    "AddCut", "AddHint", "AddPin", "ClearReference", "Command", "CopySettings", "EditHint", "EditName", "Macro",
    "MergeWithNext", "MoveCut", "MoveHint", "RecolorPin", "RelinkMedia", "RemoveCut", "RemoveHint",
    "RemovePin", "RenamePin", "ReorderPin", "ResetOverride", "ResetShot", "SetCutList", "SetOverride",
    "SetNotes", "SetReference", "SplitShot", "UndoStack", "rehome_hints",
]


def rehome_hints(shots: Sequence[Shot], shot_data: Mapping[str, ShotData]) -> dict[str, ShotData]:
    """``shot_data`` with every hint moved into the shot (of ``shots``) that contains its frame.

    Data of shots that no longer exist is dropped; their hints are kept.
    """
    ids = {shot.id for shot in shots}
    table = {k: replace(v, hints=()) for k, v in shot_data.items() if k in ids}
    starts = [shot.start for shot in shots]
    homes: dict[str, list[Hint]] = {}
    for data in shot_data.values():
        for hint in data.hints:
            index = max(0, bisect.bisect_right(starts, hint.frame) - 1)
            homes.setdefault(shots[index].id, []).append(hint)
    for shot_id, hints in homes.items():
        table[shot_id] = replace(table.get(shot_id, EMPTY_SHOT), hints=tuple(hints))
    return table


def _shots_for(project: Project, cuts: Iterable[Cut]) -> list[Shot]:
    probe = Project(project.fps, project.frame_count, cuts=tuple(cuts), opening_shot=project.opening_shot)
    return list(probe.shots())


def _commit_cuts(project: Project, cuts: tuple[Cut, ...], shot_data: Mapping[str, ShotData],
                 transitions: tuple[Transition, ...] | None = None) -> None:
    project.replace_cuts(cuts, rehome_hints(_shots_for(project, cuts), shot_data), transitions)


def _check_cut_frame(project: Project, frame: int) -> None:
    if isinstance(frame, bool) or not isinstance(frame, int):
        raise ProjectError(f"a cut is a frame index, got {frame!r}")
    if not 0 < frame < project.frame_count:
        raise ProjectError(f"a cut must lie between frame 1 and {project.frame_count - 1}, got {frame}")


# -- cuts ------------------------------------------------------------------------------------------
class AddCut(Command):
    """Cut the shot containing ``frame`` in two; the new shot starts at ``frame``."""

    def __init__(self, frame: int, confidence: float = 1.0, source: CutSource = "manual") -> None:
        super().__init__()
        self.frame, self.confidence, self.source = frame, confidence, source
        self.name = EditName("Add cut at {frame}", frame=frame)

    def change(self, project: Project) -> None:
        """Insert the cut; the new shot inherits the split shot's overrides, reference and notes."""
        _check_cut_frame(project, self.frame)
        if any(c.frame == self.frame for c in project.cuts):
            raise ProjectError(f"there is already a cut at frame {self.frame}")
        parent = project.shot_at(self.frame)
        cut = Cut(self.frame, self.confidence, self.source, new_id())
        table = dict(project.shot_data)
        inherited = project.data(parent.id)
        table[cut.shot] = replace(inherited, hints=())
        _commit_cuts(project, project.cuts + (cut,), table)


class SplitShot(AddCut):
    """The restorer's words for :class:`AddCut`: split the shot at ``frame``."""

    def __init__(self, frame: int) -> None:
        super().__init__(frame)
        self.name = EditName("Split shot at {frame}", frame=frame)


class RemoveCut(Command):
    """Remove the cut at ``frame``: the shot it opened joins the one before."""

    def __init__(self, frame: int) -> None:
        super().__init__()
        self.frame = frame
        self.name = EditName("Remove cut at {frame}", frame=frame)

    def change(self, project: Project) -> None:
        """Drop the cut (and transitions over it); the earlier shot's data wins, hints all stay."""
        if not any(c.frame == self.frame for c in project.cuts):
            raise ProjectError(f"there is no cut at frame {self.frame}")
        cuts = tuple(c for c in project.cuts if c.frame != self.frame)
        transitions = tuple(t for t in project.transitions if not t.start <= self.frame < t.end)
        _commit_cuts(project, cuts, project.shot_data, transitions)


class MergeWithNext(Command):
    """Merge shot ``shot_id`` with the shot after it."""

    def __init__(self, shot_id: str) -> None:
        super().__init__()
        self.shot_id = shot_id
        self.name = EditName("Merge shot with next")

    def change(self, project: Project) -> None:
        """Remove the cut that ends the shot."""
        shot = _existing_shot(project, self.shot_id)
        if shot.end >= project.frame_count:
            raise ProjectError(f"shot {shot.index + 1} is the last shot; there is nothing to merge it with")
        self.name = EditName("Merge shot {shot} with next", shot=shot.index + 1)
        RemoveCut(shot.end).change(project)


class MoveCut(Command):
    """Move the cut at ``frame`` to ``to``, staying between its neighbours."""

    def __init__(self, frame: int, to: int) -> None:
        super().__init__()
        self.frame, self.to = frame, to
        self.name = EditName("Move cut from {frame} to {to}", frame=frame, to=to)

    def change(self, project: Project) -> None:
        """Move the cut; both shots keep their ids and data, hints follow their frames."""
        frames = [c.frame for c in project.cuts]
        if self.frame not in frames:
            raise ProjectError(f"there is no cut at frame {self.frame}")
        _check_cut_frame(project, self.to)
        i = frames.index(self.frame)
        low = frames[i - 1] if i > 0 else 0
        high = frames[i + 1] if i + 1 < len(frames) else project.frame_count
        if not low < self.to < high:
            raise ProjectError(f"the cut at {self.frame} can move between frames {low + 1} and {high - 1}, not to {self.to}")
        cuts = tuple(replace(c, frame=self.to, confidence=1.0, source="manual") if c.frame == self.frame else c for c in project.cuts)
        _commit_cuts(project, cuts, project.shot_data)


class SetCutList(Command):
    """Replace the whole cut list (after shot detection).

    A new cut at a frame that already had one keeps that shot's id and data; any
    other new shot starts as a copy of the shot that contained its first frame
    (like a split). Hints follow their frames.
    """

    def __init__(self, cuts: Sequence[Cut], transitions: Sequence[Transition] = ()) -> None:
        super().__init__()
        self.cuts, self.transitions = tuple(cuts), tuple(transitions)
        self.name = EditName("Set cut list ({count} cuts)", count=len(self.cuts))

    def change(self, project: Project) -> None:
        """Validate every cut and transition, then swap the list in."""
        frames = [c.frame for c in self.cuts]
        for frame in frames:
            _check_cut_frame(project, frame)
        if len(set(frames)) != len(frames):
            raise ProjectError("the cut list has two cuts on the same frame")
        for t in self.transitions:
            if not 0 <= t.start < t.end <= project.frame_count:
                raise ProjectError(f"transition {t.start}–{t.end} lies outside the film (0–{project.frame_count})")
        old = {c.frame: c for c in project.cuts}
        table = dict(project.shot_data)
        cuts = []
        for cut in self.cuts:
            if cut.frame in old:
                cut = replace(cut, shot=old[cut.frame].shot)
            else:
                if cut.shot in table or any(cut.shot == c.shot for c in project.cuts):
                    cut = replace(cut, shot=new_id())
                table[cut.shot] = replace(project.data(project.shot_at(cut.frame).id), hints=())
            cuts.append(cut)
        _commit_cuts(project, tuple(cuts), table, self.transitions)


# -- settings --------------------------------------------------------------------------------------
def _existing_shot(project: Project, shot_id: str) -> Shot:
    try:
        return project.shot(shot_id)
    except KeyError:
        raise ProjectError(f"no shot {shot_id!r} in this project") from None


def _shot_number(project: Project, shot_id: str) -> int:
    """The shot's number as the editor shows it (from 1)."""
    return _existing_shot(project, shot_id).index + 1


class SetOverride(Command):
    """Set setting ``key`` to ``value`` on shot ``shot_id``, or as project default when ``None``."""

    def __init__(self, key: str, value: SettingValue, shot_id: str | None = None) -> None:
        super().__init__()
        self.key, self.value, self.shot_id = key, value, shot_id
        self.name = EditName("Set {key} to {value}", key=key, value=to_json(value))

    def change(self, project: Project) -> None:
        """Validate against the registry, then set."""
        value = REGISTRY.validate(self.key, self.value, per_shot=self.shot_id is not None)
        self.name = (EditName("Set {key} to {value} (project default)", key=self.key, value=to_json(value))
                     if self.shot_id is None else
                     EditName("Set {key} to {value} (shot {shot})", key=self.key, value=to_json(value),
                              shot=_shot_number(project, self.shot_id)))
        if self.shot_id is None:
            project.set_defaults({**project.defaults, self.key: value})
        else:
            data = project.data(self.shot_id)
            project.set_shot_data(self.shot_id, replace(data, overrides={**data.overrides, self.key: value}))

    def merge(self, other: Command) -> bool:
        """Dragging a slider on the same setting of the same shot is one undo step."""
        if isinstance(other, SetOverride) and (other.key, other.shot_id) == (self.key, self.shot_id):
            self.value, self.name = other.value, other.name
            return True
        return False


class ResetOverride(Command):
    """Drop the override of ``key`` on shot ``shot_id`` (or the project default when ``None``)."""

    def __init__(self, key: str, shot_id: str | None = None) -> None:
        super().__init__()
        self.key, self.shot_id = key, shot_id
        self.name = EditName("Reset {key}", key=key)

    def change(self, project: Project) -> None:
        """Remove the key so the value is inherited again."""
        REGISTRY.lookup(self.key, per_shot=self.shot_id is not None)
        self.name = (EditName("Reset {key} (project default)", key=self.key) if self.shot_id is None else
                     EditName("Reset {key} (shot {shot})", key=self.key, shot=_shot_number(project, self.shot_id)))
        if self.shot_id is None:
            project.set_defaults({k: v for k, v in project.defaults.items() if k != self.key})
        else:
            data = project.data(self.shot_id)
            kept = {k: v for k, v in data.overrides.items() if k != self.key}
            reference = None if self.key == REFERENCE_KEY else data.reference
            project.set_shot_data(self.shot_id, replace(data, overrides=kept, reference=reference))


class ResetShot(Command):
    """Drop every setting override of a shot, its reference image included (hints and notes stay)."""

    def __init__(self, shot_id: str) -> None:
        super().__init__()
        self.shot_id = shot_id
        self.name = EditName("Reset shot to project defaults")

    def change(self, project: Project) -> None:
        """Clear the overrides."""
        self.name = EditName("Reset shot {shot} to project defaults", shot=_shot_number(project, self.shot_id))
        project.set_shot_data(self.shot_id, replace(project.data(self.shot_id), overrides={}, reference=None))


class CopySettings(Command):
    """Give shots ``targets`` exactly the setting overrides (and reference image) of shot ``source``."""

    def __init__(self, source: str, targets: Sequence[str]) -> None:
        super().__init__()
        self.source, self.targets = source, tuple(targets)
        self.name = EditName("Copy settings to {count} shots", count=len(self.targets))

    def change(self, project: Project) -> None:
        """Replace each target's overrides with a copy of the source's."""
        for shot_id in (self.source, *self.targets):
            _existing_shot(project, shot_id)
        self.name = EditName("Copy settings of shot {shot} to {count} shot(s)", shot=_shot_number(project, self.source),
                             count=len(self.targets))
        source = project.data(self.source)
        for shot_id in self.targets:
            copy = replace(project.data(shot_id), overrides=source.overrides, reference=source.reference)
            project.set_shot_data(shot_id, copy)


class SetReference(Command):
    """Set (or, with ``None``, clear) the color reference photograph of a shot."""

    def __init__(self, shot_id: str, image: str | Path | None) -> None:
        super().__init__()
        self.shot_id, self.image = shot_id, None if image is None else Path(image)
        self.name = (EditName("Clear reference image") if self.image is None else
                     EditName("Set reference image {file}", file=self.image.name))

    def change(self, project: Project) -> None:
        """Store the path (absolute: it is written relative to the project file on save)."""
        _existing_shot(project, self.shot_id)
        image = None if self.image is None else self.image.absolute()
        project.set_shot_data(self.shot_id, replace(project.data(self.shot_id), reference=image))


class ClearReference(SetReference):
    """Remove a shot's reference photograph."""

    def __init__(self, shot_id: str) -> None:
        super().__init__(shot_id, None)


class SetNotes(Command):
    """Replace a shot's notes."""

    def __init__(self, shot_id: str, notes: str) -> None:
        super().__init__()
        self.shot_id, self.notes = shot_id, notes
        self.name = EditName("Edit shot notes")

    def change(self, project: Project) -> None:
        """Store the text."""
        _existing_shot(project, self.shot_id)
        project.set_shot_data(self.shot_id, replace(project.data(self.shot_id), notes=self.notes))


class RelinkMedia(Command):
    """Point the project at another copy of its film (see :func:`engine.project.relinking.relink`)."""

    def __init__(self, media: MediaRef) -> None:
        super().__init__()
        self.media = media
        self.name = EditName("Relink media to {file}", file=media.path.name)

    def change(self, project: Project) -> None:
        """Swap the reference."""
        project.set_media(self.media)
