"""Detected shots land in a project as one undoable edit, and `relume cuts --project` writes one."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from engine.cli import main
from engine.cuts.cutlist import Cut, CutList, Transition
from engine.cuts.into_project import project_cuts, set_cut_list
from engine.errors import CutListError
from engine.project import Project, load_project
from engine.project.undo import UndoStack

SAMPLE = Path(__file__).resolve().parents[3] / "resources" / "sample" / "sample.mp4"


def _found() -> CutList:
    return CutList(
        Fraction(25), 100,
        (Cut(30, 0.9), Cut(60, 0.7)),
        (Transition(55, 64, "dissolve", 0.7),),
    )


def test_transitions_become_half_open_spans_and_cuts_are_marked_detected() -> None:
    cuts, transitions = project_cuts(_found())
    assert [(c.frame, c.source) for c in cuts] == [(30, "detected"), (60, "detected")]
    assert [(t.start, t.end, t.kind) for t in transitions] == [(55, 65, "dissolve")]


def test_detection_is_one_undoable_step() -> None:
    project = Project(fps=Fraction(25), frame_count=100)
    stack = UndoStack(project)
    stack.push(set_cut_list(project, _found()))
    assert [(s.start, s.end) for s in project.shots()] == [(0, 30), (30, 60), (60, 100)]
    stack.undo()
    assert [(s.start, s.end) for s in project.shots()] == [(0, 100)]


def test_a_cut_list_of_another_film_is_refused() -> None:
    with pytest.raises(CutListError, match="covers 100 frames but the project's film has 90"):
        set_cut_list(Project(fps=Fraction(25), frame_count=90), _found())


def test_cli_writes_a_project_with_the_detected_shots(tmp_path: Path) -> None:
    target = tmp_path / "reel.relume"
    assert main(["cuts", str(SAMPLE), "--project", str(target)]) == 0
    project = load_project(target)
    assert project.frame_count == 204
    starts = [s.start for s in project.shots()]
    assert len(starts) == 4
    # the sample's true shot changes: a dissolve around 40, a hard cut at 98, a fade at 152
    for got, truth in zip(starts[1:], (40, 98, 152)):
        assert abs(got - truth) <= 4
    assert {t.kind for t in project.transitions} == {"dissolve", "fade"}
    assert main(["cuts", str(SAMPLE), "--project", str(target)]) == 2  # never overwritten silently
