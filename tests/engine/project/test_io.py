"""Saving and loading .relume files: round trip, atomicity, backup, migrations, errors naming the field."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from engine.errors import ProjectError
from engine.project.commands import AddHint, AddPin, SetNotes, SetOverride, SetReference, UndoStack
from engine.project.hints import ColorPin, Hint
from engine.project.io import backup_path, load_project, save_project
from engine.project.media_ref import MediaRef
from engine.project.model import Cut, Project, Transition
from engine.project.relinking import check_media


@pytest.fixture
def restored(tmp_path: Path, carphone: Path) -> Project:
    """A project on a real clip (carphone, 120 frames at 30000/1001) with every kind of decision."""
    media = tmp_path / "scans" / "carphone.mp4"
    media.parent.mkdir()
    shutil.copy(carphone, media)
    project = Project(Fraction(30000, 1001), 120,
                      MediaRef.to_file(media, frame_count=120, fps=Fraction(30000, 1001), width=176, height=144),
                      cuts=(Cut(40, 0.91, "detected", "b"), Cut(90, 1.0, "manual", "c")), opening_shot="a",
                      transitions=(Transition(85, 95, "dissolve"),))
    stack = UndoStack(project)
    stack.push(AddPin(ColorPin("skin", "#c08a6b", "p-skin")))
    stack.push(AddHint(Hint(12, ((30.5, 40.0), (34.0, 44.25)), 2.5, None, "p-skin", "h1")))
    stack.push(AddHint(Hint(60, ((100.0, 20.0),), 3.0, "#6f8fb3", None, "h2")))
    stack.push(SetOverride("color.strength", 0.75, "b"))
    stack.push(SetOverride("export.fps", Fraction(24000, 1001)))
    stack.push(SetOverride("export.preset", "ffv1"))
    stack.push(SetReference("c", tmp_path / "refs" / "kitchen.jpg"))
    stack.push(SetNotes("a", 'splice at [12,13] — "repair"\nsee reel 2 列表'))
    return project


def test_round_trip_keeps_everything(tmp_path: Path, restored: Project) -> None:
    path = save_project(restored, tmp_path / "carphone.relume")
    again = load_project(path)
    assert again == restored
    assert again.path == path and again.pin_table()["p-skin"].color == "#c08a6b"
    assert [h.id for h in again.hints()] == ["h1", "h2"]
    assert again.settings_for("b")["export.fps"] == Fraction(24000, 1001)
    on_disk = json.loads(path.read_text(encoding="utf-8"))
    assert on_disk["media"]["path"] == "scans/carphone.mp4"
    assert on_disk["shots"][2]["reference"] == "refs/kitchen.jpg"
    assert '"points": [\n' in path.read_text(encoding="utf-8")
    assert "[30.5, 40.0],\n" in path.read_text(encoding="utf-8")  # one point per line
    assert check_media(again) == tmp_path / "scans" / "carphone.mp4"


def test_a_project_moved_with_its_media_finds_it_by_relative_path(tmp_path: Path, restored: Project) -> None:
    save_project(restored, tmp_path / "carphone.relume")
    moved = tmp_path.parent / (tmp_path.name + "-moved")
    shutil.copytree(tmp_path, moved)
    shutil.rmtree(tmp_path / "scans")
    again = load_project(moved / "carphone.relume")
    assert again.media is not None and again.media.path == moved / "scans" / "carphone.mp4"
    assert check_media(again) == moved / "scans" / "carphone.mp4"
    shutil.rmtree(moved)


def test_missing_media_loads_but_check_media_says_so_in_one_line(tmp_path: Path, restored: Project) -> None:
    path = save_project(restored, tmp_path / "carphone.relume")
    (tmp_path / "scans" / "carphone.mp4").unlink()
    project = load_project(path)
    with pytest.raises(ProjectError) as info:
        check_media(project)
    message = str(info.value)
    assert message.startswith(f"{path}: media ") and "carphone.mp4 is missing" in message and "\n" not in message


def test_check_media_refuses_a_different_file_at_the_same_path(tmp_path: Path, restored: Project, bikes: Path) -> None:
    shutil.copy(bikes, tmp_path / "scans" / "carphone.mp4")
    with pytest.raises(ProjectError, match="not the file this project was made with"):
        check_media(restored)


def test_saving_again_keeps_one_backup_of_the_previous_version(tmp_path: Path, restored: Project) -> None:
    path = tmp_path / "carphone.relume"
    save_project(restored, path)
    first = path.read_bytes()
    UndoStack(restored).push(SetOverride("color.saturation", 1.4))
    save_project(restored, path)
    assert backup_path(path).read_bytes() == first
    assert load_project(backup_path(path)).settings_for("a")["color.saturation"] == 1.0
    assert load_project(path).settings_for("a")["color.saturation"] == 1.4
    assert {p.name for p in tmp_path.iterdir()} == {"carphone.relume", "carphone.relume.bak", "scans"}


def test_a_failed_write_leaves_the_previous_file_and_no_temporary(tmp_path: Path, restored: Project,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = save_project(restored, tmp_path / "carphone.relume")
    before = path.read_bytes()
    UndoStack(restored).push(SetOverride("color.saturation", 2.0))

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(ProjectError, match="cannot save: No space left on device"):
        save_project(restored, path)
    assert path.read_bytes() == before
    assert {p.name for p in tmp_path.iterdir()} == {"carphone.relume", "scans"}


def test_saving_into_a_missing_folder_names_it(tmp_path: Path, restored: Project) -> None:
    with pytest.raises(ProjectError, match="folder does not exist"):
        save_project(restored, tmp_path / "nowhere" / "x.relume")


def _valid(tmp_path: Path, restored: Project) -> dict[str, Any]:
    return json.loads(save_project(restored, tmp_path / "carphone.relume").read_text(encoding="utf-8"))


def _set(*path: str | int, value: object) -> Callable[[dict[str, Any]], None]:
    def edit(doc: dict[str, Any]) -> None:
        node: Any = doc
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return edit


def _drop(*path: str | int) -> Callable[[dict[str, Any]], None]:
    def edit(doc: dict[str, Any]) -> None:
        node: Any = doc
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]
    return edit


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (_set("shots", 1, "overrides", "color.strength", value="x"),
         "shots[1].overrides.color.strength: expected a number from 0 to 1, got 'x'"),
        (_set("shots", 1, "overrides", "export.fit", value="crop"),
         "shots[1].overrides.export.fit: is project-wide; a shot cannot override it"),
        (_set("shots", 1, "overrides", "color.strenght", value=1),
         "shots[1].overrides.color.strenght: unknown setting"),
        (_set("settings", "export.preset", value="mpeg1"), "settings.export.preset: expected one of"),
        (_set("fps", value="fast"), "fps: expected a rate like '24000/1001', got 'fast'"),
        (_set("fps", value="0/1"), "fps: expected a positive rate"),
        (_set("frame_count", value=-3), "frame_count: expected a whole number ≥ 1, got -3"),
        (_drop("shots"), "shots: missing"),
        (_set("shots", value=[]), "shots: expected at least one shot"),
        (_set("shots", 0, "start", value=5), "shots[0].start: expected a whole number from 0 to 0, got 5"),
        (_set("shots", 2, "start", value=30), "shots[2].start: expected a whole number from 41 to 119, got 30"),
        (_set("shots", 2, "id", value="b"), "shots[2].id: shot id 'b' is used twice"),
        (_set("shots", 1, "cut", value=None), "shots[1].cut: expected an object, got None"),
        (_set("shots", 1, "cut", "source", value="guessed"), "shots[1].cut.source: expected one of 'detected', 'manual'"),
        (_set("shots", 1, "cut", "confidence", value=1.5), "shots[1].cut.confidence: expected a number from 0 to 1"),
        (_set("shots", 0, "hints", 0, "frame", value=50), "shots[0].hints[0].frame: expected a whole number from 0 to 39, got 50"),
        (_set("shots", 0, "hints", 0, "radius", value=-2), "shots[0].hints[0].radius: expected a number ≥ 0, got -2"),
        (_set("shots", 0, "hints", 0, "points", value=[[1, "a"]]), "shots[0].hints[0].points[0][1]: expected a number, got 'a'"),
        (_set("shots", 0, "hints", 0, "points", value=[]), "shots[0].hints[0].points: expected at least one [x, y] point"),
        (_set("shots", 0, "hints", 0, "pin", value="ghost"), "shots[0].hints[0].pin: refers to pin 'ghost'"),
        (_set("shots", 1, "hints", 0, "color", value="teal"), "shots[1].hints[0].color: expected a color like '#8a6b4f', got 'teal'"),
        (_set("shots", 1, "hints", 0, "color", value=None), "shots[1].hints[0]: needs a color or a pin"),
        (_set("shots", 0, "sparkle", value=True), "shots[0].sparkle: unknown field"),
        (_set("pins", 0, "color", value="#12345"), "pins[0].color: expected a color like '#8a6b4f'"),
        (_drop("pins", 0, "name"), "pins[0].name: missing"),
        (_set("transitions", 0, "end", value=80), "transitions[0].end: expected a whole number from 86 to 120, got 80"),
        (_set("transitions", 0, "kind", value="wipe"), "transitions[0].kind: expected one of 'dissolve', 'fade'"),
        (_set("media", "fingerprint", "size", value="big"), "media.fingerprint.size: expected a whole number ≥ 0"),
        (_set("media", value="carphone.mp4"), "media: expected an object, got 'carphone.mp4'"),
        (_set("schema_version", value="1"), "schema_version: expected a whole number ≥ 0, got '1'"),
    ],
)
def test_validation_errors_name_the_file_and_the_field(tmp_path: Path, restored: Project,
                                                       edit: Callable[[dict[str, Any]], None], message: str) -> None:
    doc = _valid(tmp_path, restored)
    edit(doc)
    bad = tmp_path / "bad.relume"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ProjectError) as info:
        load_project(bad)
    assert str(info.value).startswith(f"{bad}: {message}")
    assert "\n" not in str(info.value)


def test_broken_json_gives_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "broken.relume"
    bad.write_text('{\n  "schema_version": 1,\n  "fps": "24/1",,\n}\n', encoding="utf-8")
    with pytest.raises(ProjectError, match=r"broken JSON at line 3, column 17"):
        load_project(bad)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "broken JSON at line 1, column 1"),
        (b"\x89PNG\r\n\x1a\n\x00\xff", "not a Relume project (not UTF-8 JSON text)"),
        (b"[1, 2]", "not a Relume project (expected a JSON object at the top)"),
        (b'{"schema_version": 1, "fps": NaN}', "broken JSON: NaN is not a JSON number"),
    ],
)
def test_files_that_are_no_project_at_all(tmp_path: Path, content: bytes, message: str) -> None:
    bad = tmp_path / "odd.relume"
    bad.write_bytes(content)
    with pytest.raises(ProjectError, match=re.escape(message)):
        load_project(bad)


def test_missing_project_file(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="project file not found"):
        load_project(tmp_path / "absent.relume")


def test_a_future_schema_version_is_refused_plainly(tmp_path: Path, restored: Project) -> None:
    doc = _valid(tmp_path, restored)
    doc["schema_version"] = 7
    doc["something_new"] = {"we": "cannot know"}
    future = tmp_path / "future.relume"
    future.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ProjectError) as info:
        load_project(future)
    assert str(info.value) == f"{future}: made by a newer Relume (schema 7; this Relume reads up to 1)"


def test_a_version_0_file_is_migrated(tmp_path: Path, carphone: Path) -> None:
    shutil.copy(carphone, tmp_path / "reel.mp4")
    old = tmp_path / "old.relume"
    old.write_text(json.dumps({
        "media": "reel.mp4", "fps": "30000/1001", "frame_count": 120,
        "cuts": [90, 40], "defaults": {"color.strength": 0.8, "export.preset": "dpx"},
    }), encoding="utf-8")
    project = load_project(old)
    assert [(s.start, s.end) for s in project.shots()] == [(0, 40), (40, 90), (90, 120)]
    assert [s.id for s in project.shots()] == ["v0-shot-0", "v0-shot-1", "v0-shot-2"]
    assert all(c.source == "manual" for c in project.cuts)
    assert project.settings_for("v0-shot-1")["color.strength"] == 0.8
    assert project.defaults["export.preset"] == "dpx"
    assert project.media is not None and project.media.fingerprint is None
    assert check_media(project) == tmp_path / "reel.mp4"
    # saved again it is a version 1 file that loads to the same project
    again = load_project(save_project(project, tmp_path / "new.relume"))
    assert json.loads((tmp_path / "new.relume").read_text(encoding="utf-8"))["schema_version"] == 1
    assert again == project


def test_a_broken_version_0_file_names_its_field(tmp_path: Path) -> None:
    old = tmp_path / "old.relume"
    old.write_text(json.dumps({"fps": "24/1", "frame_count": 10, "cuts": [3, "x"]}), encoding="utf-8")
    with pytest.raises(ProjectError, match=r"cuts\[1\]: expected a whole number ≥ 1, got 'x'"):
        load_project(old)


def test_a_snapshot_is_equal_but_independent_of_later_edits() -> None:
    from fractions import Fraction

    from engine.project import ColorPin, Project
    from engine.project.commands import AddCut, RecolorPin
    from engine.project.io import snapshot
    from engine.project.undo import UndoStack

    project = Project(fps=Fraction(24), frame_count=100, pins=(ColorPin("sky", "#87a9cf", id="sky"),))
    copy = snapshot(project)
    assert copy == project
    stack = UndoStack(project)
    stack.push(AddCut(50))
    stack.push(RecolorPin("sky", "#000000"))
    assert [s.start for s in copy.shots()] == [0] and copy.pins[0].color == "#87a9cf"
