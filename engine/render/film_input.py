"""What ``relume export`` renders: a project file, or a bare media file cut into shots, plus a hints file."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from engine.cuts.cutlist import CutList
from engine.cuts.into_project import with_detected_shots
from engine.errors import CutListError, SettingsError
from engine.media.probe import probe
from engine.progress import CancelToken, ProgressCallback
from engine.project.hints_file import read_hints_file
from engine.project.io import load_project
from engine.project.media_ref import MediaRef
from engine.project.model import Project, ShotData
from engine.project.settings import REGISTRY, SettingValue

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


def open_film(
    input_path: str | os.PathLike[str],
    hints_path: str | os.PathLike[str] | None = None,
    *,
    cuts: str | os.PathLike[str] | None = None,
    detection: Mapping[str, SettingValue] | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> Project:
    """The project to render for ``relume export INPUT [--hints FILE] [--cuts FILE]``.

    A project brings its own shots. A bare media file is cut into shots first —
    colors, deflicker and in-between frames must never cross a cut — by the
    detector (``cuts.*`` settings in ``detection``), or from an edit decision
    list or OpenTimelineIO file given as ``cuts``; ``cuts="none"`` takes the
    whole file as one shot.

    Raises
    ------
    RelumeError
        ``ProjectError`` for a bad project file, ``MediaError`` for an
        unreadable media file, ``CutListError`` for a bad cut list,
        ``HintsError`` for a bad hints file.
    """
    if is_project_file(input_path):
        if cuts is not None:
            raise SettingsError(f"--cuts applies to a media file; the project {input_path} has its own shots")
        project = load_project(input_path)
    else:
        project = film_of_media(input_path)
        if cuts is None:
            project = with_detected_shots(project, _detected(input_path, project, detection or {}, progress, cancel))
        elif str(cuts).lower() != NO_CUTS:
            project = with_detected_shots(project, read_cut_list(cuts, project))
    return project if hints_path is None else with_hints(project, hints_path)


# ``--cuts none``: the whole media file is one shot.
NO_CUTS = "none"


def read_cut_list(path: str | os.PathLike[str], project: Project) -> CutList:
    """The cut list of an EDL (``.edl``) or OpenTimelineIO (``.otio``) file, at the film's rate.

    Raises
    ------
    CutListError
        Another kind of file, or one that cannot be read.
    """
    from engine.cuts.edl import read_edl
    from engine.cuts.otio_exchange import read_otio

    readers = {".edl": read_edl, ".otio": read_otio}
    reader = readers.get(Path(path).suffix.lower())
    if reader is None:
        raise CutListError(f"{path}: a cut list must be an EDL (.edl) or OpenTimelineIO (.otio) file")
    found = reader(path, project.fps)
    if found.frames != project.frame_count:
        raise CutListError(f"{path}: the cut list covers {found.frames} frames but the film has "
                           f"{project.frame_count}; is it another film's?")
    return found


def _detected(media: str | os.PathLike[str], project: Project, detection: Mapping[str, SettingValue],
              progress: ProgressCallback | None, cancel: CancelToken | None) -> CutList:
    """The cuts the detector finds in ``media`` (over the film's whole length)."""
    from engine.cuts import detect_cuts

    settings = {key: REGISTRY.validate(key, detection.get(key, REGISTRY[key].default))
                for key in ("cuts.min_shot_frames", "cuts.sensitivity")}
    return detect_cuts(media, fps=project.fps, min_shot_frames=int(settings["cuts.min_shot_frames"]),  # type: ignore[arg-type]
                       sensitivity=float(settings["cuts.sensitivity"]), progress=progress,  # type: ignore[arg-type]
                       cancel=cancel)
