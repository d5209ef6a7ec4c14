"""What ``relume export`` renders: a project file, or a bare media file taken as one shot, plus a hints file."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from engine.media.probe import probe
from engine.project.hints_file import read_hints_file
from engine.project.io import load_project
from engine.project.media_ref import MediaRef
from engine.project.model import Project, ShotData

PROJECT_SUFFIX = ".relume"


def is_project_file(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` names a Relume project (by its extension)."""
    return Path(path).suffix.lower() == PROJECT_SUFFIX


def film_of_media(media: str | os.PathLike[str]) -> Project:
    """A project of one shot over a whole media file (nothing decided yet).

    Raises
    ------
    MediaError
        The file cannot be probed.
    """
    info = probe(media)
    ref = MediaRef.to_file(info.path, frame_count=info.frame_count, fps=info.fps, width=info.width, height=info.height)
    return Project(fps=info.fps, frame_count=info.frame_count, media=ref)


def with_hints(project: Project, hints_path: str | os.PathLike[str]) -> Project:
    """``project`` with the strokes of a hints file added to the shots they fall in.

    Pins the file declares join the palette (a pin of the same name already in
    the project is used instead, as the file's hints were resolved against it).

    Raises
    ------
    HintsError
        The hints file is missing, malformed, or has a hint past the film's end.
    """
    loaded = read_hints_file(hints_path, project.frame_count, project.pins)
    known = {pin.name for pin in project.pins}
    pins = project.pins + tuple(p for p in loaded.pins if p.name not in known)
    table = dict(project.shot_data)
    for hint in loaded.hints:
        shot = project.shot_at(hint.frame).id
        data = table.get(shot, ShotData())
        table[shot] = replace(data, hints=data.hints + (hint,))
    return Project(
        fps=project.fps,
        frame_count=project.frame_count,
        media=project.media,
        cuts=project.cuts,
        opening_shot=project.opening_shot,
        transitions=project.transitions,
        defaults=project.defaults,
        pins=pins,
        shot_data=table,
        path=project.path,
    )


def open_film(input_path: str | os.PathLike[str], hints_path: str | os.PathLike[str] | None = None) -> Project:
    """The project to render for ``relume export INPUT [--hints FILE]``.

    Raises
    ------
    RelumeError
        ``ProjectError`` for a bad project file, ``MediaError`` for an
        unreadable media file, ``HintsError`` for a bad hints file.
    """
    project = load_project(input_path) if is_project_file(input_path) else film_of_media(input_path)
    return project if hints_path is None else with_hints(project, hints_path)
