"""HINTS.json: strokes, dots and pins parsed; every malformed entry named."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from engine.errors import HintsError
from engine.project.hints import ColorPin
from engine.project.hints_file import read_hints_file


def _write(tmp_path: Path, doc: object) -> Path:
    path = tmp_path / "HINTS.json"
    path.write_text(json.dumps(doc) if not isinstance(doc, str) else doc, encoding="utf-8")
    return path


def test_strokes_dots_and_pins(tmp_path: Path) -> None:
    path = _write(tmp_path, {
        "pins": [{"name": "sky", "color": "#6F8FB3"}],
        "hints": [
            {"frame": 0, "points": [[120, 40], [180, 42.5]], "radius": 3, "color": "#8a6b4f"},
            {"frame": 7, "points": [[300, 20]], "pin": "sky"},
            {"frame": 7, "points": [[10, 20]], "pin": "skin", "color": "#000000"},
        ],
    })
    project_palette = [ColorPin("skin", "#c08a6b", "p-skin")]
    parsed = read_hints_file(path, frame_count=8, known_pins=project_palette)
    (sky,) = parsed.pins
    assert (sky.name, sky.color) == ("sky", "#6f8fb3")
    stroke, dot, pinned = parsed.hints
    assert stroke.points == ((120.0, 40.0), (180.0, 42.5)) and stroke.radius == 3.0 and stroke.pin is None
    assert len(dot.points) == 1 and dot.radius == 3.0 and dot.pin == sky.id and dot.color is None
    assert pinned.pin == "p-skin" and pinned.color == "#000000"
    pins = {p.id: p for p in (*parsed.pins, *project_palette)}
    assert [h.resolved_color(pins) for h in parsed.hints] == ["#8a6b4f", "#6f8fb3", "#c08a6b"]


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ('{"hints": [', "broken JSON at line 1, column 12"),
        ([], "expected an object, got a list"),
        ({"strokes": []}, "hints: missing"),
        ({"hints": [{"points": [[1, 2]], "color": "#000000"}]}, "hints[0].frame: missing"),
        ({"hints": [{"frame": 0, "color": "#000000"}]}, "hints[0].points: missing"),
        ({"hints": [{"frame": 0, "points": [[1, 2]], "color": "brown"}]},
         "hints[0].color: expected a color like '#8a6b4f', got 'brown'"),
        ({"hints": [{"frame": 0, "points": [[1, 2]], "radius": -1, "color": "#000000"}]},
         "hints[0].radius: expected a number ≥ 0, got -1"),
        ({"hints": [{"frame": 0, "points": [["a", 2]], "color": "#000000"}]},
         "hints[0].points[0][0]: expected a number, got 'a'"),
        ({"hints": [{"frame": 0, "points": [[1, 2, 3]], "color": "#000000"}]},
         "hints[0].points[0]: expected an [x, y] pair"),
        ({"hints": [{"frame": 0, "points": [], "color": "#000000"}]}, "hints[0].points: expected at least one"),
        ({"hints": [{"frame": 1, "points": [[1, 2]], "color": "#000000"},
                    {"frame": 8, "points": [[1, 2]], "color": "#000000"}]},
         "hints[1].frame: expected a whole number from 0 to 7, got 8"),
        ({"hints": [{"frame": -1, "points": [[1, 2]], "color": "#000000"}]}, "hints[0].frame: expected a whole number"),
        ({"hints": [{"frame": 0, "points": [[1, 2]]}]}, 'hints[0]: needs a "color" or a "pin"'),
        ({"hints": [{"frame": 0, "points": [[1, 2]], "pin": "sea"}]}, "hints[0].pin: unknown pin 'sea' (known: none)"),
        ({"hints": [{"frame": 0, "points": [[1, 2]], "colour": "#000000"}]}, "hints[0].colour: unknown field"),
        ({"pins": [{"name": "sky"}], "hints": []}, "pins[0].color: missing"),
        ({"pins": [{"name": "sky", "color": "#000000"}, {"name": "sky", "color": "#111111"}], "hints": []},
         "pins[1].name: pin 'sky' is declared twice"),
    ],
)
def test_malformed_entries_are_named(tmp_path: Path, doc: object, message: str) -> None:
    path = _write(tmp_path, doc)
    with pytest.raises(HintsError) as info:
        read_hints_file(path, frame_count=8)
    assert re.fullmatch(re.escape(f"{path}: {message}") + ".*", str(info.value))


def test_missing_hints_file(tmp_path: Path) -> None:
    with pytest.raises(HintsError, match="hints file not found"):
        read_hints_file(tmp_path / "nope.json")


def test_frame_range_is_only_checked_when_the_length_is_known(tmp_path: Path) -> None:
    path = _write(tmp_path, {"hints": [{"frame": 5000, "points": [[1, 2]], "color": "#000000"}]})
    assert read_hints_file(path).hints[0].frame == 5000
