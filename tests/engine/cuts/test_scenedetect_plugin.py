"""The detector inside PySceneDetect's own machinery."""

from __future__ import annotations

from pathlib import Path

from scenedetect import SceneManager, open_video

from engine.cuts.scenedetect_plugin import OldFilmDetector


def test_scene_manager_finds_bikes_cuts(bikes: Path) -> None:
    manager = SceneManager()
    manager.add_detector(OldFilmDetector())
    manager.detect_scenes(open_video(str(bikes), backend="pyav"))
    assert [start.frame_num for start, _ in manager.get_scene_list()] == [0, 30, 76, 137, 187, 242]
