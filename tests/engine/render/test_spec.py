"""Per-shot render specs: the cascade frozen per shot, keys that follow the look and only the look."""

from __future__ import annotations

from fractions import Fraction

import pytest

from engine.errors import SettingsError
from engine.project import ColorPin, Cut, Hint, Project, ShotData
from engine.render.pipeline import STAGE_ORDER, StageRegistry, default_stages
from engine.render.spec import plan_film, shot_spec


def _project(**middle: object) -> Project:
    pins = (ColorPin("sky", "#6f8fb3", id="sky"),)
    return Project(
        fps=Fraction(24),
        frame_count=100,
        cuts=(Cut(40, shot="b"), Cut(70, shot="c")),
        opening_shot="a",
        pins=pins,
        shot_data={"b": ShotData(**middle)},  # type: ignore[arg-type]
    )


def test_a_shot_override_changes_only_that_shots_key() -> None:
    plain = {r.shot.id: r.spec.key for r in plan_film(_project())}
    changed = {r.shot.id: r.spec.key for r in plan_film(_project(overrides={"restore.deflicker.enabled": True}))}
    assert plain["a"] == changed["a"] and plain["c"] == changed["c"]
    assert plain["b"] != changed["b"]
    assert plain["a"] == plain["c"]  # same look, same key: the cache is shared


def test_hints_are_relative_to_the_shot_and_pins_resolved() -> None:
    hint = Hint(45, ((10.0, 20.0),), 4.0, pin="sky")
    project = _project(hints=(hint,))
    spec = shot_spec(project, project.shot("b"))
    assert [h.frame for h in spec.hints] == [5]
    assert spec.hints[0].color == "#6f8fb3" and spec.hints[0].pin is None
    assert spec.colorizes and spec.keyframe_hints == {5: spec.hints}
    # Recoloring the pin changes the look; a rename does not.
    recolored = _project(hints=(hint,))
    recolored.set_pins((ColorPin("sky", "#203040", id="sky"),))
    renamed = _project(hints=(hint,))
    renamed.set_pins((ColorPin("heaven", "#6f8fb3", id="sky"),))
    assert shot_spec(recolored, recolored.shot("b")).key != spec.key
    assert shot_spec(renamed, renamed.shot("b")).key == spec.key


def test_export_settings_do_not_change_the_look_key() -> None:
    project = _project()
    shot = project.shot("a")
    assert shot_spec(project, shot).key == shot_spec(project, shot, {"export.preset": "ffv1"}).key
    assert shot_spec(project, shot).key != shot_spec(project, shot, {"color.saturation": 2.0}).key


def test_the_registry_refuses_missing_stages_and_keeps_the_order() -> None:
    project = _project(overrides={"restore.denoise.enabled": True})
    spec = shot_spec(project, project.shot("b"))
    default_stages().check(spec)
    every, without = default_stages(), StageRegistry()
    for name in every.names():
        if name != "denoise":
            without.add(every[name])
    with pytest.raises(SettingsError, match="restore.denoise.enabled"):
        without.check(spec)
    names = default_stages().names()
    assert names == STAGE_ORDER
    assert names == tuple(n for n in STAGE_ORDER if n in names)
    registry = StageRegistry()
    with pytest.raises(ValueError):
        registry.add(type("Sharpen", (), {"name": "sharpen"})())  # type: ignore[arg-type]
    assert STAGE_ORDER.index("colorize") < STAGE_ORDER.index("upscale")


def test_spec_is_hashable_and_equal_for_equal_looks() -> None:
    a = shot_spec(_project(), _project().shot("a"))
    b = shot_spec(_project(), _project().shot("c"))
    assert a == b and hash(a) == hash(b)
