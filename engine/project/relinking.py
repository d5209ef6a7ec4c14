"""Finding a project's film after it moved, and refusing to render a missing one."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from engine.errors import ProjectError
from engine.project.commands import RelinkMedia
from engine.project.media_ref import MediaRef, stand_in_file
from engine.project.model import Project


def check_media(project: Project) -> Path:
    """The path of the project's media, verified to be there and to be the same file.

    Raises
    ------
    ProjectError
        The project has no media, the file is missing (one line naming the
        project and the media, and what to do), or a different file now sits
        at that path (its fingerprint differs).
    """
    media = project.media
    if media is None:
        raise ProjectError("the project has no media linked", project.path)
    on_disk = stand_in_file(media.path)
    if not on_disk.exists():
        raise ProjectError(
            f"media {media.path} is missing (moved or deleted?); relink it in the editor or put it back",
            project.path,
        )
    if not on_disk.is_file():
        raise ProjectError(f"media {media.path} is not a file", project.path)
    if not media.matches(media.path):
        raise ProjectError(
            f"media {media.path} is not the file this project was made with (its size or content differ); "
            "relink the original",
            project.path,
        )
    return media.path


def find_media(project: Project, search_dirs: Iterable[str | os.PathLike[str]]) -> Path | None:
    """Look for the project's media in ``search_dirs`` (recursively) by fingerprint.

    Files with the media's name are tried first, then any file of the same
    size (the film may have been renamed). Only a file whose fingerprint
    matches is returned, so a different transfer of the same film is never
    taken for the original.

    Returns
    -------
    Path or None
        The first matching file, or ``None``.
    """
    media = project.media
    if media is None:
        return None
    folders = [Path(d) for d in search_dirs if Path(d).is_dir()]
    same_size: list[Path] = []
    for folder in folders:
        for root, _dirs, files in os.walk(folder):
            for name in files:
                candidate = Path(root) / name
                if name == media.path.name:
                    if media.matches(candidate):
                        return candidate
                elif media.fingerprint is not None and _size(candidate) == media.fingerprint.size:
                    same_size.append(candidate)
    for candidate in same_size:
        if media.matches(candidate):
            return candidate
    return None


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None  # vanished or unreadable while walking: simply not a candidate


def relink(project: Project, path: str | os.PathLike[str], *, force: bool = False) -> RelinkMedia:
    """An undoable command pointing ``project`` at ``path``, after checking it is the same film.

    Parameters
    ----------
    project
        The project whose media moved.
    path
        The file the restorer (or :func:`find_media`) chose.
    force
        Accept a file whose fingerprint differs (a re-transfer of the same
        film, say); the fingerprint is then taken anew from ``path``.

    Raises
    ------
    ProjectError
        ``path`` is missing, or its fingerprint differs and ``force`` is false.
    """
    path = Path(path).absolute()
    if not stand_in_file(path).is_file():
        raise ProjectError("cannot relink: no such file", path)
    old = project.media
    if old is not None and not force and not old.matches(path):
        raise ProjectError("cannot relink: this is not the project's film (its size or content differ)", path)
    if old is not None and old.fingerprint is not None and not force:
        return RelinkMedia(MediaRef(path, old.fingerprint))
    previous = old.fingerprint if old is not None else None
    probe = {}
    if previous is not None:
        probe = {"frame_count": previous.frame_count, "fps": previous.fps,
                 "width": previous.width, "height": previous.height}
    return RelinkMedia(MediaRef.to_file(path, **probe))
