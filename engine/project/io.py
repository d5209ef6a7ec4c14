"""Saving and loading ``.relume`` project files.

Saving is atomic: the JSON is written to a hidden temporary file beside the
target, flushed to disk, and renamed over the target, so a crash or a full disk
never leaves a half-written project. The previous version is kept as
``NAME.relume.bak``. Loading upgrades older schema versions, refuses newer
ones, and names the file and the field of the first problem it finds.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
from pathlib import Path

from engine.errors import ProjectError
from engine.project.codec import SCHEMA_VERSION, decode, encode
from engine.project.fields import FieldError, parse_json
from engine.project.migrations import migrate
from engine.project.model import Project

SUFFIX = ".relume"
BACKUP_SUFFIX = ".bak"
_TEMP_MARK = ".relume-tmp-"


def backup_path(path: str | os.PathLike[str]) -> Path:
    """Where :func:`save_project` keeps the previous version of ``path`` (``film.relume.bak``)."""
    path = Path(path)
    return path.with_name(path.name + BACKUP_SUFFIX)


def load_project(path: str | os.PathLike[str]) -> Project:
    """Read a project file; the media need not exist (see :func:`~engine.project.relinking.check_media`).

    Raises
    ------
    ProjectError
        The file is missing or unreadable, not UTF-8, broken JSON (with line and
        column), from a newer Relume, or has an invalid field (named).
    """
    path = Path(path).absolute()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ProjectError("project file not found", path) from None
    except IsADirectoryError:
        raise ProjectError("is a folder, not a project file", path) from None
    except OSError as exc:
        raise ProjectError(f"cannot read project file: {exc.strerror or exc}", path) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ProjectError("not a Relume project (not UTF-8 JSON text)", path) from None
    try:
        raw = parse_json(text)
        if not isinstance(raw, dict):
            raise FieldError("", "not a Relume project (expected a JSON object at the top)")
        project = decode(migrate(raw, SCHEMA_VERSION), path.parent)
    except FieldError as exc:
        raise ProjectError(str(exc), path) from None
    project.path = path
    return project


def snapshot(project: Project) -> Project:
    """An independent copy of ``project`` (no listeners) for a background job such as an export.

    The editor keeps changing its project while a render runs; the render must
    see the film as it was when it was queued.
    """
    folder = project.path.parent if project.path is not None else Path.cwd()
    copy = decode(encode(project, folder), folder)
    copy.path = project.path
    return copy


def save_project(project: Project, path: str | os.PathLike[str]) -> Path:
    """Write ``project`` to ``path`` atomically, keeping the previous file as ``path.bak``.

    Paths inside (media, reference images) are written relative to the
    project file's folder. On success ``project.path`` becomes ``path``.

    Returns
    -------
    Path
        The absolute path written.

    Raises
    ------
    ProjectError
        The folder is missing or not writable, or the disk refused the write;
        the previous file is then untouched and no temporary file is left.
    """
    path = Path(path).absolute()
    folder = path.parent
    if not folder.is_dir():
        raise ProjectError("cannot save: the folder does not exist", folder)
    if path.is_dir():
        raise ProjectError("cannot save: a folder has that name", path)
    text = _compact_number_lists(json.dumps(encode(project, folder), indent=2, ensure_ascii=False, allow_nan=False))
    temp = folder / f".{path.name}{_TEMP_MARK}{secrets.token_hex(4)}"
    try:
        try:
            with open(temp, "x", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            if path.exists():
                _keep_backup(path)
            os.replace(temp, path)
        finally:
            temp.unlink(missing_ok=True)
        _sync_folder(folder)
    except OSError as exc:
        raise ProjectError(f"cannot save: {exc.strerror or exc}", path) from None
    project.path = path
    return path


# A list holding no string, list or object (so only numbers: splitting on commas is
# safe) that spans lines — which no JSON string can, so nothing inside one is touched.
_NUMBER_LIST = re.compile(r"\[(\n[^\[\]{}\"]*)\]")


def _compact_number_lists(text: str) -> str:
    """Put each ``[x, y]`` point on one line: a stroke of 200 points stays 200 lines, not 800."""
    return _NUMBER_LIST.sub(lambda m: "[" + ", ".join(v.strip() for v in m.group(1).split(",")) + "]", text) + "\n"


def _keep_backup(path: Path) -> None:
    """Copy the current file to ``.bak`` atomically too, so a crash never leaves a torn backup."""
    backup = backup_path(path)
    temp = backup.with_name(f".{backup.name}{_TEMP_MARK}{secrets.token_hex(4)}")
    try:
        shutil.copy2(path, temp)
        os.replace(temp, backup)
    finally:
        temp.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); Windows has no directory handles to sync."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
