"""Write outputs under a hidden temporary name beside the target, then rename.

A master is written as ``.name.relume-tmp-XXXXXX.ext`` in the target's folder
(same filesystem, so the final :func:`os.replace` is atomic), verified, and only
then renamed. Whatever goes wrong — an exception, Ctrl-C, SIGTERM unwound by
the CLI — the temporary file or folder is removed and nothing appears at the
target. Everything is checked *before* any work starts, so a restorer learns
about an existing target or a read-only folder in the first second, not after
an hour of encoding.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from engine.errors import OutputError

TEMP_MARK = ".relume-tmp-"


def check_target(target: str | os.PathLike[str], overwrite: bool = False, protect: Sequence[Path] = ()) -> Path:
    """Check that ``target`` may be written, before any work is done.

    Parameters
    ----------
    target
        Final path of a file or a sequence folder.
    overwrite
        Whether an existing target may be replaced.
    protect
        Paths that must never be written (the sources).

    Returns
    -------
    Path
        ``target`` made absolute.

    Raises
    ------
    OutputError
        The folder is missing, not a folder, or not writable; the target exists
        and ``overwrite`` is false; or the target is one of ``protect``.
    """
    target = Path(target).absolute()
    folder = target.parent
    if not folder.exists():
        raise OutputError("output folder does not exist", folder)
    if not folder.is_dir():
        raise OutputError("output folder is not a folder", folder)
    _check_writable(folder)
    for source in protect:
        if _same_path(source, target):
            raise OutputError("is the source itself; a master is never written over its source", target)
    if target.exists() or target.is_symlink():
        if not overwrite:
            raise OutputError("already exists (pass --overwrite to replace it)", target)
        if target.is_dir() and not target.is_symlink() and any(target.iterdir()) and not _is_our_sequence(target):
            raise OutputError("is a folder holding other files; refusing to replace it", target)
    return target


def _check_writable(folder: Path) -> None:
    """Create and remove a hidden probe file: the only test that also holds for
    root, read-only mounts and full disks, where permission bits say nothing."""
    probe = folder / f".relume-write-probe-{secrets.token_hex(4)}"
    try:
        with probe.open("xb") as handle:
            handle.write(b"\0")
    except OSError as exc:
        raise OutputError(f"output folder is not writable ({exc.strerror or exc})", folder) from exc
    probe.unlink()


def _same_path(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _is_our_sequence(folder: Path) -> bool:
    """Whether every entry of ``folder`` is a frame file named after the folder."""
    stem = folder.name
    return all(entry.is_file() and entry.name.startswith(f"{stem}.") for entry in folder.iterdir())


def temporary_beside(target: Path) -> Path:
    """A fresh hidden name in ``target``'s folder: ``.name.relume-tmp-XXXXXX.ext``."""
    token = secrets.token_hex(3)
    return target.with_name(f".{target.stem}{TEMP_MARK}{token}{target.suffix}")


def remove_path(path: Path) -> None:
    """Remove a file or folder tree if it exists."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


@dataclass(slots=True)
class PendingOutput:
    """One output being written under a temporary name.

    Attributes
    ----------
    target
        Where it goes once committed.
    temporary
        Where it is written meanwhile (a file, or a folder for sequences).
    """

    target: Path
    temporary: Path

    def commit(self) -> None:
        """Move the temporary output onto the target atomically."""
        if self.temporary.is_dir():
            _replace_folder(self.temporary, self.target)
        else:
            os.replace(self.temporary, self.target)
        _sync_folder(self.target.parent)


def _replace_folder(new: Path, target: Path) -> None:
    """Rename folder ``new`` onto ``target``; an old ``target`` is moved aside first.

    POSIX cannot rename a folder over a non-empty one, so the old one is renamed
    to a temporary name (atomic), the new one into place (atomic), and only then
    is the old one deleted: at no moment is there a half-written folder at the target.
    """
    if not target.exists():
        os.replace(new, target)
        return
    old = temporary_beside(target)
    os.replace(target, old)
    try:
        os.replace(new, target)
    except OSError:
        os.replace(old, target)
        raise
    remove_path(old)


def _sync_folder(folder: Path) -> None:
    """Flush the rename itself to disk where the platform allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not supported (Windows); the rename is still atomic
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems refuse fsync on folders; durability is best effort there
    finally:
        os.close(fd)


@contextmanager
def atomic_outputs(targets: Sequence[Path], folders: Sequence[bool]) -> Iterator[list[PendingOutput]]:
    """Hand out temporary paths for ``targets`` and commit them all if the block succeeds.

    Parameters
    ----------
    targets
        Final paths, already checked with :func:`check_target`.
    folders
        For each target, whether it is a folder (an image sequence); the
        temporary folder is created, a temporary file is not.

    Yields
    ------
    list of PendingOutput
        One per target, in order.

    Notes
    -----
    On any exception — including ``KeyboardInterrupt`` and ``SystemExit`` —
    every temporary path is removed and the exception propagates; nothing is
    left at the targets. Targets are committed in order after the block, the
    first one last, so a sequence's folder appears only once its sidecar is in place.
    """
    pending = [PendingOutput(t, temporary_beside(t)) for t in targets]
    try:
        for item, is_folder in zip(pending, folders, strict=True):
            if is_folder:
                item.temporary.mkdir()
        yield pending
        committed: list[PendingOutput] = []
        try:
            for item in reversed(pending):
                item.commit()
                committed.append(item)
        except BaseException:
            for item in committed:  # an export is all or nothing
                remove_path(item.target)
            raise
    except BaseException:
        for item in pending:
            remove_path(item.temporary)
        raise
