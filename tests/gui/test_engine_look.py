"""The editor's "after" picture is the render engine's look: hints colorize the keyframe, luma untouched."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from gui.app import film_look
from gui.main_window import MainWindow


def test_the_viewer_shows_the_sample_keyframe_colorized_beside_the_gray_film(
    qtbot, settings, autosave, prompts, sample_copy: Path
) -> None:
    window = MainWindow(settings=settings, autosave=autosave, prompts=prompts, look=film_look)
    prompts.window = window
    qtbot.addWidget(window)
    window.show()
    window.flow.open_project(sample_copy)
    window.go_to(60)  # the bunny shot's keyframe: grass, fur and trees are painted there
    qtbot.waitUntil(lambda: window.viewer.has_picture_of(60), timeout=30_000)
    before, after = window.viewer._pair
    assert after is not None and before.shape == after.shape
    spread = lambda rgb: np.abs(rgb.astype(int) - rgb.mean(axis=2, keepdims=True)).mean()  # noqa: E731
    assert spread(before) < 1.0  # the film is black and white
    assert spread(after) > 4.0  # the look invented color
    luma = lambda rgb: rgb.astype(float) @ np.array([0.2126, 0.7152, 0.0722])  # noqa: E731
    assert np.abs(luma(after) - luma(before)).mean() < 2.0  # and kept the film's brightness
    window.close()
