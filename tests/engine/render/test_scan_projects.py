"""Projects over an image-sequence scan (DPX): made, saved, reopened, checked, moved, exported with stages."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import av
import pytest

from engine.cli import main
from engine.errors import ProjectError
from engine.media.new_project import project_for_media
from engine.project.io import load_project, save_project
from engine.project.media_ref import stand_in_file
from engine.project.model import Project
from engine.project.relinking import check_media, relink
from engine.testing.make_media import make_sequence

FRAMES = 12


@pytest.fixture
def scan(tmp_path: Path, bikes: Path) -> Path:
    """Twelve 10-bit DPX frames of real footage, numbered from 1, as a scanner delivers them."""
    return make_sequence(tmp_path / "reel1", frames=FRAMES, ext="dpx", bit_depth=10, size=(320, 240),
                         from_clip=bikes, gray=True)


def test_the_pattern_stands_for_its_first_frame_on_disk(scan: Path) -> None:
    assert "%06d" in scan.name
    assert stand_in_file(scan) == scan.parent / scan.name.replace("%06d", "000001")
    assert stand_in_file(scan.parent / scan.name.replace("%06d", "######")) == stand_in_file(scan)
    assert stand_in_file(scan.parent / "other.%06d.dpx") == scan.parent / "other.%06d.dpx"  # nothing: unchanged


def test_a_scan_project_is_saved_reopened_checked_and_relinked_after_a_move(scan: Path, tmp_path: Path) -> None:
    # What the editor does when the restorer opens a DPX scan (a frame, the folder or the pattern).
    for given in (scan, scan.parent, stand_in_file(scan)):
        project = project_for_media(given)
        assert project.media is not None and project.media.path == scan and project.frame_count == FRAMES
    assert project.media.fingerprint is not None and project.media.fingerprint.frame_count == FRAMES
    saved = save_project(project, tmp_path / "reel1.relume")
    reopened = load_project(saved)
    assert check_media(reopened) == scan

    moved = tmp_path / "archive" / "reel1"
    moved.parent.mkdir()
    shutil.move(scan.parent, moved)
    with pytest.raises(ProjectError, match="is missing"):
        check_media(load_project(saved))
    command = relink(reopened, moved / scan.name)
    assert command.media.path == moved / scan.name

    # Another scan at the same place is not the project's film.
    other = make_sequence(tmp_path / "other", frames=FRAMES, ext="dpx", bit_depth=10, size=(320, 240))
    with pytest.raises(ProjectError, match="not the file"):
        check_media(load_project(save_project(_pointing_at(reopened, other), tmp_path / "x.relume")))


def _pointing_at(project: Project, pattern: Path) -> Project:
    """``project`` with its media path (not its fingerprint) moved to ``pattern``."""
    assert project.media is not None
    return replace(project, media=replace(project.media, path=pattern))


def test_a_scan_exports_with_hints_and_restoration(scan: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """`relume export scan.%06d.dpx --hints … --set restore.…`: the film path, shot by shot, from a scan."""
    hints = tmp_path / "hints.json"
    hints.write_text(json.dumps({"hints": [
        {"frame": 0, "points": [[40, 60], [120, 70]], "radius": 4, "color": "#87a9cf"},
        {"frame": 0, "points": [[60, 200], [260, 210]], "radius": 4, "color": "#6b8f4f"},
    ]}))
    target = tmp_path / "reel1.mov"
    code = main(["export", str(scan), "--out", str(target), "--hints", str(hints), "--size", "640x480",
                 "--set", "restore.dust.enabled=true", "--set", "restore.deflicker.enabled=true", "--cuts", "none"])
    assert code == 0, capsys.readouterr().err
    with av.open(str(target)) as container:
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    assert len(frames) == FRAMES and frames[0].shape == (480, 640, 3)
    sky = frames[0][40:100, 60:200].astype(int)
    assert (sky[..., 2] - sky[..., 0]).mean() > 8, "the blue hint coloured the picture"
