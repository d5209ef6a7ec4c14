"""Every edit is undoable and restores the project exactly; split/merge/pin semantics."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest

from engine.errors import HintsError, ProjectError, RelumeError, SettingsError
from engine.project.commands import (
    AddCut, AddHint, AddPin, ClearReference, Command, CopySettings, EditHint, MergeWithNext, MoveCut,
    MoveHint, RecolorPin, RelinkMedia, RemoveCut, RemoveHint, RemovePin, RenamePin, ReorderPin,
    ResetOverride, ResetShot, SetCutList, SetNotes, SetOverride, SetReference, SplitShot, UndoStack,
)
from engine.project.events import ProjectEvent
from engine.project.hints import ColorPin, Hint
from engine.project.media_ref import MediaRef
from engine.project.model import Cut, Project, Transition


@pytest.fixture
def film() -> Project:
    """250 frames at 24 fps in three shots [0,100) [100,180) [180,250), with pins, hints and overrides."""
    project = Project(Fraction(24), 250, opening_shot="s0",
                      cuts=(Cut(100, 0.9, "detected", "s1"), Cut(180, 0.7, "detected", "s2")),
                      transitions=(Transition(175, 185, "dissolve"),))
    stack = UndoStack(project)
    stack.push(AddPin(ColorPin("sky", "#6f8fb3", "sky")))
    stack.push(AddPin(ColorPin("skin", "#c08a6b", "skin")))
    stack.push(AddHint(Hint(10, ((5.0, 5.0),), 3.0, "#112233", None, "h-a")))
    stack.push(AddHint(Hint(130, ((20.0, 8.0), (40.0, 9.0)), 2.0, None, "sky", "h-b")))
    stack.push(AddHint(Hint(160, ((1.0, 1.0),), 4.0, None, "sky", "h-c")))
    stack.push(AddHint(Hint(200, ((3.0, 3.0),), 1.0, None, "skin", "h-d")))
    stack.push(SetOverride("color.strength", 0.6, "s1"))
    stack.push(SetOverride("restore.dust.enabled", True, "s1"))
    stack.push(SetOverride("color.saturation", 1.3))
    stack.push(SetReference("s1", "/refs/street.jpg"))
    return project


def _spans(project: Project) -> list[tuple[str, int, int]]:
    return [(s.id, s.start, s.end) for s in project.shots()]


def _hint_homes(project: Project) -> dict[str, str]:
    return {h.id: sid for sid, d in project.shot_data.items() for h in d.hints}


EDITS: dict[str, Callable[[Project], Command]] = {
    "add cut": lambda p: AddCut(140),
    "split shot": lambda p: SplitShot(40),
    "remove cut": lambda p: RemoveCut(180),
    "merge with next": lambda p: MergeWithNext("s1"),
    "move cut": lambda p: MoveCut(100, 150),
    "set cut list": lambda p: SetCutList([Cut(60, 0.8, "detected"), Cut(180, 0.95, "detected")]),
    "set shot override": lambda p: SetOverride("color.strength", 0.3, "s2"),
    "set project default": lambda p: SetOverride("export.preset", "ffv1"),
    "reset shot override": lambda p: ResetOverride("color.strength", "s1"),
    "reset project default": lambda p: ResetOverride("color.saturation"),
    "reset shot": lambda p: ResetShot("s1"),
    "copy settings": lambda p: CopySettings("s1", ["s0", "s2"]),
    "set reference": lambda p: SetReference("s0", "/refs/sky.jpg"),
    "clear reference": lambda p: ClearReference("s1"),
    "set notes": lambda p: SetNotes("s2", "splice damage at 201"),
    "add hint": lambda p: AddHint(Hint(50, ((7.0, 7.0),), 2.0, "#445566")),
    "edit hint": lambda p: EditHint("h-b", radius=6.0, color="#aabbcc"),
    "edit hint frame across a cut": lambda p: EditHint("h-a", frame=190),
    "move hint": lambda p: MoveHint("h-c", 4.0, -1.0),
    "remove hint": lambda p: RemoveHint("h-d"),
    "add pin": lambda p: AddPin(ColorPin("uniform", "#334455"), 0),
    "rename pin": lambda p: RenamePin("sky", "evening sky"),
    "recolor pin": lambda p: RecolorPin("sky", "#8899aa"),
    "reorder pin": lambda p: ReorderPin("skin", 0),
    "remove pin": lambda p: RemovePin("sky"),
    "relink media": lambda p: RelinkMedia(MediaRef(Path("/elsewhere/reel1.mov"))),
}


@pytest.mark.parametrize("name", sorted(EDITS))
def test_undo_and_redo_restore_equality(film: Project, name: str) -> None:
    stack = UndoStack(film)
    before = film.state()
    assert stack.push(EDITS[name](film))
    after = film.state()
    assert after != before
    stack.undo()
    assert film.state() == before
    stack.redo()
    assert film.state() == after
    stack.undo()
    assert film.state() == before
    assert stack.redo_text() and not stack.can_undo()


def test_command_names_read_like_the_edit_menu(film: Project) -> None:
    stack = UndoStack(film)
    stack.push(AddCut(1234 % 250))
    assert stack.undo_text() == "Add cut at 234"
    stack.push(RecolorPin("sky", "#000000"))
    assert stack.undo_text() == "Recolor pin “sky”"
    stack.push(SetOverride("color.strength", 0.25, "s1"))
    assert stack.undo_text() == "Set color.strength to 0.25 (shot 2)"
    stack.push(MergeWithNext("s0"))
    assert stack.undo_text() == "Merge shot 1 with next"


def test_split_gives_both_halves_the_overrides_and_hints_follow_their_frames(film: Project) -> None:
    UndoStack(film).push(SplitShot(150))
    (s0, _, _), (s1, a1, b1), (new, a2, b2), (s2, _, _) = _spans(film)
    assert (s1, a1, b1, a2, b2) == ("s1", 100, 150, 150, 180)
    assert film.data(new).overrides == film.data("s1").overrides == {"color.strength": 0.6, "restore.dust.enabled": True}
    assert film.data(new).reference == Path("/refs/street.jpg")
    assert _hint_homes(film) == {"h-a": "s0", "h-b": "s1", "h-c": new, "h-d": "s2"}
    assert film.settings_for(new)["color.strength"] == 0.6


def test_merge_keeps_the_first_shots_overrides_and_every_hint(film: Project) -> None:
    UndoStack(film).push(MergeWithNext("s0"))
    assert _spans(film) == [("s0", 0, 180), ("s2", 180, 250)]
    assert film.data("s0").overrides == {}
    assert "s1" not in film.shot_data
    assert _hint_homes(film) == {"h-a": "s0", "h-b": "s0", "h-c": "s0", "h-d": "s2"}


def test_removing_a_cut_drops_the_transition_over_it(film: Project) -> None:
    UndoStack(film).push(RemoveCut(180))
    assert film.transitions == ()
    assert _hint_homes(film)["h-d"] == "s1"


def test_moving_a_cut_keeps_identities_and_rehomes_hints(film: Project) -> None:
    UndoStack(film).push(MoveCut(100, 140))
    assert _spans(film)[1] == ("s1", 140, 180)
    assert _hint_homes(film) == {"h-a": "s0", "h-b": "s0", "h-c": "s1", "h-d": "s2"}
    assert film.cuts[0].source == "manual"


def test_set_cut_list_keeps_shots_whose_cut_survives(film: Project) -> None:
    UndoStack(film).push(SetCutList([Cut(60, 0.8, "detected"), Cut(180, 0.95, "detected")],
                                    [Transition(58, 62, "fade")]))
    (s0, _, _), (new, start, _), (kept, _, _) = _spans(film)
    assert (s0, start, kept) == ("s0", 60, "s2")
    assert film.cuts[1].confidence == 0.95 and film.transitions == (Transition(58, 62, "fade"),)
    assert "s1" not in film.shot_data  # its frames now belong to the new shot
    assert _hint_homes(film) == {"h-a": "s0", "h-b": new, "h-c": new, "h-d": "s2"}


def test_recoloring_a_pin_reaches_every_hint_using_it(film: Project) -> None:
    stack = UndoStack(film)
    stack.push(RecolorPin("sky", "#0a0b0c"))
    pins = film.pin_table()
    colors = {h.id: h.resolved_color(pins) for h in film.hints()}
    assert colors == {"h-a": "#112233", "h-b": "#0a0b0c", "h-c": "#0a0b0c", "h-d": "#c08a6b"}


def test_removing_a_pin_leaves_its_hints_with_its_last_color(film: Project) -> None:
    stack = UndoStack(film)
    stack.push(RecolorPin("sky", "#0a0b0c"))
    stack.push(RemovePin("sky"))
    hints = {h.id: h for h in film.hints()}
    assert hints["h-b"].pin is None and hints["h-b"].color == "#0a0b0c"
    assert hints["h-c"].resolved_color(film.pin_table()) == "#0a0b0c"
    stack.undo()
    assert {h.id: h.pin for h in film.hints()}["h-b"] == "sky"


def test_a_color_drag_is_one_undo_step_but_never_merges_into_the_saved_state(film: Project) -> None:
    stack = UndoStack(film)
    stack.push(RecolorPin("sky", "#101010"))
    stack.set_clean()
    for shade in ("#202020", "#303030", "#404040"):
        stack.push(RecolorPin("sky", shade))
    assert len(stack) == 2 and not stack.is_clean()
    stack.undo()
    assert film.pin_table()["sky"].color == "#101010" and stack.is_clean()
    stack.redo()
    assert film.pin_table()["sky"].color == "#404040"


def test_macro_is_one_step_and_a_failing_macro_leaves_nothing(film: Project) -> None:
    stack = UndoStack(film)
    before = film.state()
    with stack.macro("Recolor pin “sky” and retouch"):
        stack.push(RecolorPin("sky", "#123456"))
        stack.push(MoveHint("h-b", 1.0, 1.0))
        assert not stack.can_undo()
    assert len(stack) == 1 and stack.undo_text() == "Recolor pin “sky” and retouch"
    stack.undo()
    assert film.state() == before
    with pytest.raises(HintsError):
        with stack.macro("half an edit"):
            stack.push(RecolorPin("sky", "#654321"))
            stack.push(RemoveHint("no-such-hint"))
    assert film.state() == before and stack.redo_text() == "Recolor pin “sky” and retouch"


def test_new_edit_after_undo_drops_the_redo_branch_and_the_clean_mark(film: Project) -> None:
    stack = UndoStack(film)
    stack.push(AddCut(50))
    stack.set_clean()
    stack.undo()
    stack.push(AddCut(60))
    assert not stack.can_redo() and not stack.is_clean()
    stack.undo()
    assert not stack.is_clean()  # the saved state (cut at 50) is gone for good


@pytest.mark.parametrize(
    ("edit", "error", "fragment"),
    [
        (lambda: AddCut(0), ProjectError, "between frame 1 and 249"),
        (lambda: AddCut(250), ProjectError, "between frame 1 and 249"),
        (lambda: AddCut(100), ProjectError, "already a cut at frame 100"),
        (lambda: RemoveCut(99), ProjectError, "no cut at frame 99"),
        (lambda: MoveCut(100, 190), ProjectError, "between frames 1 and 179"),
        (lambda: MergeWithNext("s2"), ProjectError, "last shot"),
        (lambda: SetCutList([Cut(10), Cut(10)]), ProjectError, "same frame"),
        (lambda: SetOverride("export.fit", "crop", "s1"), SettingsError, "project-wide"),
        (lambda: SetOverride("color.strength", 2.0, "s1"), SettingsError, "from 0 to 1"),
        (lambda: SetOverride("color.strength", 0.5, "nope"), ProjectError, "no shot 'nope'"),
        (lambda: AddHint(Hint(250, ((0.0, 0.0),), 1.0, "#000000")), HintsError, "frame from 0 to 249"),
        (lambda: AddHint(Hint(5, ((0.0, 0.0),), -1.0, "#000000")), HintsError, "radius"),
        (lambda: AddHint(Hint(5, (), 1.0, "#000000")), HintsError, "points"),
        (lambda: AddHint(Hint(5, ((0.0, 0.0),), 1.0, None, "ghost")), HintsError, "not in the palette"),
        (lambda: AddHint(Hint(5, ((0.0, 0.0),), 1.0, "red")), HintsError, "#rrggbb"),
        (lambda: RecolorPin("sky", "blue"), HintsError, "#rrggbb"),
        (lambda: RenamePin("sky", " "), HintsError, "needs a name"),
        (lambda: ReorderPin("sky", 5), HintsError, "palette position"),
        (lambda: RemovePin("ghost"), HintsError, "no pinned color"),
    ],
)
def test_invalid_edits_raise_and_change_nothing(film: Project, edit: Callable[[], Command],
                                                error: type[RelumeError], fragment: str) -> None:
    stack = UndoStack(film)
    before = film.state()
    with pytest.raises(error, match=fragment):
        stack.push(edit())
    assert film.state() == before and len(stack) == 0


def test_events_announce_real_changes_only(film: Project) -> None:
    heard: list[ProjectEvent] = []
    film.events.connect(heard.append)
    stack = UndoStack(film)
    assert not stack.push(SetOverride("color.strength", 0.6, "s1"))  # already 0.6: no change, no entry
    assert heard == [] and len(stack) == 0
    stack.push(SetOverride("color.strength", 0.4, "s1"))
    assert heard == [ProjectEvent("shot", "s1", frozenset({"color.strength"}))]
    heard.clear()
    stack.push(RecolorPin("skin", "#010203"))
    assert [e.kind for e in heard] == ["pins"]
    heard.clear()
    stack.push(AddCut(20))
    assert [e.kind for e in heard] == ["cuts"]
    heard.clear()
    stack.undo()
    assert [e.kind for e in heard] == ["cuts"]
    film.events.disconnect(heard.append)
    stack.undo()
    assert len(heard) == 1


def test_editing_a_hint_keeps_its_paint_order(film: Project) -> None:
    stack = UndoStack(film)
    stack.push(AddHint(Hint(130, ((50.0, 50.0),), 2.0, "#ffffff", None, "h-top")))
    stack.push(EditHint("h-b", radius=9.0))
    assert [h.id for h in film.data("s1").hints if h.frame == 130] == ["h-b", "h-top"]


def test_a_slider_drag_on_one_setting_of_one_shot_is_one_undo_step(film: Project) -> None:
    stack = UndoStack(film)
    for value in (0.5, 0.45, 0.4, 0.35):  # the inspector's slider, dragged
        stack.push(SetOverride("color.strength", value, "s1"))
    assert len(stack) == 1 and stack.undo_text() == "Set color.strength to 0.35 (shot 2)"
    assert film.data("s1").overrides["color.strength"] == 0.35
    stack.push(SetOverride("color.strength", 0.2, "s2"))  # another shot: its own step
    stack.push(SetOverride("color.saturation", 1.1, "s2"))  # another setting: its own step
    assert len(stack) == 3
    stack.undo()
    stack.undo()
    stack.undo()
    assert film.data("s1").overrides["color.strength"] == 0.6 and "color.strength" not in film.data("s2").overrides
    stack.redo()
    assert film.data("s1").overrides["color.strength"] == 0.35  # redo replays the end of the drag
    stack.set_clean()
    stack.push(SetOverride("color.strength", 0.3, "s1"))  # never merged into the saved state
    assert len(stack) == 2


def test_moves_of_one_drag_merge_but_two_drags_stay_two_steps(film: Project) -> None:
    stack = UndoStack(film)
    for _ in range(3):
        stack.push(MoveHint("h-b", 1.0, 2.0, gesture=1))
    for _ in range(2):
        stack.push(MoveHint("h-b", -1.0, 0.0, gesture=2))
    assert len(stack) == 2
    assert film.find_hint("h-b")[1].points == ((21.0, 14.0), (41.0, 15.0))
    stack.undo()
    assert film.find_hint("h-b")[1].points == ((23.0, 14.0), (43.0, 15.0))
    stack.undo()
    assert film.find_hint("h-b")[1].points == ((20.0, 8.0), (40.0, 9.0))
