"""The settings registry: typed parsing, validation messages, schema."""

from __future__ import annotations

from fractions import Fraction

import pytest

from engine.errors import SettingsError
from engine.project.settings import REGISTRY, Kind, Registry, Setting, parse_assignment, schema


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("restore.deflicker.enabled=true", ("restore.deflicker.enabled", True)),
        ("restore.deflicker.enabled=off", ("restore.deflicker.enabled", False)),
        ("restore.deflicker.window=31", ("restore.deflicker.window", 31)),
        ("color.strength=0.25", ("color.strength", 0.25)),
        ("color.strength=1", ("color.strength", 1.0)),
        ("export.fps=24000/1001", ("export.fps", Fraction(24000, 1001))),
        ("export.fps=24", ("export.fps", Fraction(24))),
        ("export.fps=source", ("export.fps", "source")),
        ("export.size=1440x1080", ("export.size", "1440x1080")),
        ("export.size=uhd", ("export.size", "uhd")),
        ("color.reference=none", ("color.reference", None)),
        ("color.reference=/refs/sky.jpg", ("color.reference", "/refs/sky.jpg")),
        ("upscale.upscaler=lanczos", ("upscale.upscaler", "lanczos")),
        ("upscale.upscaler=models/4x.safetensors", ("upscale.upscaler", "models/4x.safetensors")),
        ("interp.boundary=blend", ("interp.boundary", "blend")),
    ],
)
def test_assignment_gives_typed_values(text: str, expected: tuple[str, object]) -> None:
    key, value = parse_assignment(text)
    assert (key, value) == expected
    assert type(value) is type(expected[1])


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("color.strength=x", "color.strength: expected a number from 0 to 1, got 'x'"),
        ("color.strength=1.5", "color.strength: expected a number from 0 to 1"),
        ("color.strength=nan", "color.strength: expected a number from 0 to 1"),
        ("restore.deflicker.enabled=maybe", "restore.deflicker.enabled: expected true or false, got 'maybe'"),
        ("restore.deflicker.window=2.5", "restore.deflicker.window: expected a whole number from 3 to 301"),
        ("restore.deflicker.window=1", "restore.deflicker.window: expected a whole number from 3 to 301"),
        ("export.fit=squash", "export.fit: expected one of 'pad', 'crop', 'stretch', got 'squash'"),
        ("export.fps=0", "export.fps: expected a positive rate"),
        ("export.fps=24/0", "export.fps: expected a positive rate"),
        ("export.size=4k", "export.size: expected WIDTHxHEIGHT or 'source'"),
        ("upscale.upscaler=none", "upscale.upscaler: expected 'auto' or 'lanczos'"),
        ("color.strenght=1", "unknown setting 'color.strenght'; did you mean 'color.strength'?"),
        ("restore.sharpen=1", "unknown setting 'restore.sharpen' (see `relume settings --schema`)"),
        ("upscale.upscaler=lanczoss", "upscale.upscaler: expected 'auto' or 'lanczos' or 'bicubic' or 'relume' or a file"),
        ("colorstrength", "expected KEY=VALUE"),
    ],
)
def test_bad_assignment_names_key_and_what_is_allowed(text: str, fragment: str) -> None:
    with pytest.raises(SettingsError) as info:
        parse_assignment(text)
    assert fragment in str(info.value)
    assert "\n" not in str(info.value)


def test_scopes_follow_the_sections() -> None:
    for key, row in REGISTRY.items():
        assert row.per_shot == (row.section in {"restore", "color", "upscale", "interp"}), key
    with pytest.raises(SettingsError, match="export.preset: is project-wide"):
        REGISTRY.validate("export.preset", "ffv1", per_shot=True)


def test_every_default_passes_its_own_check_and_duplicates_are_refused() -> None:
    for row in REGISTRY.values():
        assert row.check(row.default) == row.default
    row = Setting("a.b", Kind.BOOL, False, "x")
    with pytest.raises(ValueError, match="declared twice"):
        Registry((row, row))
    with pytest.raises(ValueError):
        Registry((Setting("a.c", Kind.FLOAT, 2.0, "x", 0, 1),))


def test_adding_a_setting_is_one_row() -> None:
    registry = Registry((Setting("restore.regrain.amount", Kind.FLOAT, 0.2, "Grain put back", 0, 1),))
    assert parse_assignment("restore.regrain.amount=0.4", registry) == ("restore.regrain.amount", 0.4)
    (row,) = schema(registry)
    assert row["key"] == "restore.regrain.amount" and row["scope"] == "shot" and row["maximum"] == 1


def test_schema_lists_every_setting_with_json_ready_defaults() -> None:
    rows = schema()
    assert [r["key"] for r in rows] == list(REGISTRY)
    by_key = {r["key"]: r for r in rows}
    assert by_key["export.preset"]["default"] == "prores-422hq"
    assert by_key["export.fps"]["type"] == "fraction"
    assert by_key["color.reference"]["default"] is None
    assert all(r["meaning"] and r["allowed"] for r in rows)
