"""Shots derived from cuts, per-shot data, the settings a shot resolves to."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from engine.errors import ProjectError
from engine.project.events import EventEmitter, ProjectEvent
from engine.project.model import Cut, Project, ShotData


def test_shots_are_the_spans_between_cuts() -> None:
    project = Project(Fraction(24000, 1001), 300, cuts=(Cut(200, shot="c"), Cut(50, shot="b")), opening_shot="a")
    assert [(s.id, s.index, s.start, s.end, s.frame_count) for s in project.shots()] == [
        ("a", 0, 0, 50, 50), ("b", 1, 50, 200, 150), ("c", 2, 200, 300, 100)]
    assert [project.shot_at(f).id for f in (0, 49, 50, 199, 200, 299)] == ["a", "a", "b", "b", "c", "c"]
    assert project.shot_at(120) == project.shots()[1] and 120 in project.shot_at(120)
    with pytest.raises(IndexError):
        project.shot_at(300)
    assert project.fps == Fraction(24000, 1001) and isinstance(project.fps, Fraction)


def test_a_film_without_cuts_is_one_shot() -> None:
    project = Project(Fraction(25), 132)
    (shot,) = project.shots()
    assert (shot.start, shot.end, shot.id) == (0, 132, project.opening_shot)


def test_shot_data_is_immutable_and_empty_data_is_not_stored() -> None:
    data = ShotData({"color.strength": 0.5})
    with pytest.raises(TypeError):
        data.overrides["color.strength"] = 0.1  # type: ignore[index]
    project = Project(Fraction(25), 100, opening_shot="a", shot_data={"a": ShotData(), "b": data})
    assert set(project.shot_data) == {"b"}
    assert project.data("zzz") == ShotData()


def test_the_reference_image_is_the_shots_color_reference_setting() -> None:
    data = ShotData({"color.reference": "/refs/sky.jpg", "color.strength": 0.5})
    assert data.reference == Path("/refs/sky.jpg") and "color.reference" not in data.overrides
    project = Project(Fraction(25), 100, opening_shot="a", shot_data={"a": data},
                      defaults={"color.reference": "/refs/default.jpg"})
    spec = project.settings_for("a")
    assert spec["color.reference"] == "/refs/sky.jpg" and spec.origin("color.reference") == "shot"
    assert project.settings_for("other")["color.reference"] == "/refs/default.jpg"


def test_equality_ignores_the_file_path_and_listeners() -> None:
    a = Project(Fraction(25), 100, opening_shot="a", path=Path("/x.relume"))
    b = Project(Fraction(25), 100, opening_shot="a")
    b.events.connect(print)
    assert a == b
    assert a != Project(Fraction(25), 101, opening_shot="a")


def test_emitter_calls_listeners_in_order_once_each() -> None:
    heard: list[tuple[str, str]] = []
    emitter = EventEmitter()

    def first(event: ProjectEvent) -> None:
        heard.append(("first", event.kind))

    def second(event: ProjectEvent) -> None:
        heard.append(("second", event.kind))

    emitter.connect(first)
    emitter.connect(second)
    emitter.connect(first)
    emitter.emit(ProjectEvent("pins"))
    emitter.disconnect(first)
    emitter.emit(ProjectEvent("cuts"))
    assert heard == [("first", "pins"), ("second", "pins"), ("second", "cuts")]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"fps": 23.976}, "fps must be a positive Fraction"),
        ({"frame_count": 0}, "frame_count must be a whole number ≥ 1"),
        ({"cuts": (Cut(0),)}, "cuts must be distinct frames from 1 to 99"),
        ({"cuts": (Cut(100),)}, "cuts must be distinct frames from 1 to 99"),
        ({"cuts": (Cut(10), Cut(10))}, "cuts must be distinct frames"),
        ({"cuts": (Cut(10, shot="a"),), "opening_shot": "a"}, "two shots share one id"),
    ],
)
def test_a_project_refuses_impossible_timing(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"fps": Fraction(24), "frame_count": 100, **kwargs}
    with pytest.raises(ProjectError, match=message):
        Project(**args)  # type: ignore[arg-type]
