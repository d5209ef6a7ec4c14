"""The cascade: precedence, validation, hashing and a digest stable across processes."""

from __future__ import annotations

import subprocess
import sys
from fractions import Fraction

import pytest

from engine.errors import SettingsError
from engine.project.cascade import resolve


def test_later_layers_win_and_remember_where_values_came_from() -> None:
    spec = resolve(
        {"color.strength": 0.8, "color.saturation": 1.2, "export.preset": "ffv1"},
        {"color.strength": 0.5, "restore.dust.enabled": True},
        {"color.saturation": 0.9},
    )
    assert spec["color.strength"] == 0.5 and spec.origin("color.strength") == "shot"
    assert spec["color.saturation"] == 0.9 and spec.origin("color.saturation") == "export"
    assert spec["export.preset"] == "ffv1" and spec.origin("export.preset") == "project"
    assert spec["restore.deflicker.window"] == 15 and spec.origin("restore.deflicker.window") == "default"
    assert spec.section("restore.dust") == {"restore.dust.enabled": True, "restore.dust.strength": 0.5}


def test_shot_layer_may_not_hold_project_wide_settings() -> None:
    with pytest.raises(SettingsError, match="export.fit: is project-wide"):
        resolve({}, {"export.fit": "crop"})
    with pytest.raises(SettingsError, match="color.strength: expected a number from 0 to 1"):
        resolve({"color.strength": "x"})


def test_equal_values_hash_alike_whatever_their_origin() -> None:
    a = resolve({"color.strength": 0.5})
    b = resolve({}, {"color.strength": 0.5})
    c = resolve({}, {"color.strength": 0.6})
    assert a == b and hash(a) == hash(b) and a.digest() == b.digest()
    assert a != c and a.digest() != c.digest()
    assert len({a, b, c}) == 2
    # an int where a float belongs is the same value, hence the same cache key
    assert resolve({"color.strength": 1}).digest() == resolve({}).digest()


def test_digest_can_ignore_sections_a_preview_does_not_use() -> None:
    a = resolve({"export.preset": "ffv1"})
    b = resolve({"export.preset": "h264"})
    assert a.digest() != b.digest()
    assert a.digest(("restore", "color", "upscale", "interp")) == b.digest(("restore", "color", "upscale", "interp"))


def test_digest_is_stable_across_processes() -> None:
    layers = ({"export.fps": Fraction(24000, 1001)}, {"color.reference": "/r/a.jpg", "restore.dust.enabled": True})
    code = (
        "from fractions import Fraction\n"
        "from engine.project.cascade import resolve\n"
        f"print(resolve(*{layers!r}).digest())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONHASHSEED": "123"})
    assert out.stdout.strip() == resolve(*layers).digest()
    assert '"export.fps":"24000/1001"' in resolve(*layers).canonical_json()
