"""Files Relume ships: the sample film and project, theme, export presets, weights."""

from __future__ import annotations

from pathlib import Path

FOLDER = Path(__file__).resolve().parent
SAMPLE_FILM = FOLDER / "sample" / "sample.mp4"
SAMPLE_PROJECT = FOLDER / "sample" / "sample.relume"
