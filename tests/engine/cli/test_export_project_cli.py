"""``relume export`` of a project and of a media file with hints or look settings."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from engine.cli import main
from engine.color.luma import rgb_to_chroma
from engine.project import Cut, MediaRef, Project, ShotData, save_project
from engine.testing.make_media import make_clip


@pytest.fixture(scope="module")
def film(bikes: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """16 gray frames of bikes at 160×68."""
    folder = tmp_path_factory.mktemp("film")
    return make_clip(folder / "film.mp4", frames=16, size=(160, 68), gray=True, from_clip=bikes)


def _pictures(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        return np.stack([f.to_ndarray(format="rgb24") for f in container.decode(video=0)])


def test_hints_colorize_a_bare_media_file(film: Path, tmp_path: Path) -> None:
    hints = tmp_path / "hints.json"
    stroke = {"frame": 4, "points": [[20, 50], [140, 55]], "radius": 4, "pin": "grass"}
    hints.write_text(json.dumps({"pins": [{"name": "grass", "color": "#3f8f2a"}], "hints": [stroke]}))
    target = tmp_path / "color.mkv"
    assert main(["export", str(film), "--out", str(target), "--preset", "ffv1", "--hints", str(hints),
                 "--device", "cpu"]) == 0
    pictures = _pictures(target)
    assert pictures.shape[0] == 16
    chroma = rgb_to_chroma(pictures[4])
    assert chroma[:, 48:58, 30:130].mean(axis=(1, 2))[1] < -0.02  # green: Cr below neutral
    assert sorted(p.name for p in tmp_path.iterdir()) == ["color.mkv", "hints.json"]


def test_project_export_honours_shot_and_set_overrides(film: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    project = Project(fps=Fraction(25), frame_count=16, media=MediaRef.to_file(film), cuts=(Cut(8, shot="b"),),
                      opening_shot="a", shot_data={"b": ShotData(overrides={"color.saturation": 2.0})})
    path = save_project(project, tmp_path / "reel.relume")
    plain = tmp_path / "plain.mkv"
    assert main(["export", str(path), "--out", str(plain), "--set", "export.preset=ffv1"]) == 0
    deflickered = tmp_path / "deflickered.mkv"
    assert main(["export", str(path), "--out", str(deflickered), "--preset", "ffv1",
                 "--set", "restore.deflicker.enabled=true", "--set", "restore.deflicker.window=3"]) == 0
    assert not np.array_equal(_pictures(plain), _pictures(deflickered))
    capsys.readouterr()
    # A value out of the setting's range is one line naming it, before any work.
    assert main(["export", str(path), "--out", str(tmp_path / "x.mov"), "--set", "restore.dust.strength=2"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("relume: ") and "restore.dust.strength" in err and len(err.splitlines()) == 1
    assert not (tmp_path / "x.mov").exists()


def test_bad_hints_file_is_one_line(film: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hints = tmp_path / "hints.json"
    hints.write_text('{"hints": [{"frame": 99, "points": [[1, 2]], "color": "#ffffff"}]}')
    assert main(["export", str(film), "--out", str(tmp_path / "m.mkv"), "--hints", str(hints)]) == 2
    err = capsys.readouterr().err.strip()
    assert "hints.json" in err and "frame" in err and len(err.splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hints.json"]
