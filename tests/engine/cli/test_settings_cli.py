"""`relume settings --schema [--json]` prints every setting."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from engine.cli import main
from engine.project.settings import REGISTRY


def test_schema_table_lists_every_setting_with_type_default_and_meaning(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["settings", "--schema"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:4] == ["KEY", "TYPE", "DEFAULT", "SCOPE"]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert list(rows) == list(REGISTRY)
    assert rows["export.preset"].split()[1:4] == ["choice", "prores-422hq", "project"]
    assert rows["restore.deflicker.enabled"].split()[1:4] == ["bool", "false", "shot"]
    assert "0 gray, 1 full" in rows["color.strength"] and "from 0 to 1" in rows["color.strength"]


def test_schema_json_is_machine_readable(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["settings", "--schema", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    by_key = {r["key"]: r for r in rows}
    assert set(by_key) == set(REGISTRY)
    assert by_key["restore.deflicker.window"] == {
        "key": "restore.deflicker.window", "type": "int", "default": 15, "minimum": 3, "maximum": 301,
        "meaning": REGISTRY["restore.deflicker.window"].meaning, "allowed": "a whole number from 3 to 301",
        "scope": "shot",
    }
    assert by_key["export.fit"]["choices"] == ["pad", "crop", "stretch"]


def test_the_installed_command_runs() -> None:
    out = subprocess.run([sys.executable, "-m", "engine.cli", "settings", "--schema", "--json"],
                         capture_output=True, text=True, check=True)
    assert len(json.loads(out.stdout)) == len(REGISTRY) and out.stderr == ""
