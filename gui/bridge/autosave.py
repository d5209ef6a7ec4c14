"""Autosave side files and crash recovery.

While a project has unsaved edits, the editor writes them every little while
to a side file: ``film.relume.autosave`` beside a saved project, or a file in
the editor's data folder for one never saved. A small ledger entry in that data
folder records each live side file, the project it belongs to and the editor
process writing it. A clean close removes both; so an entry found at start-up
whose process is gone is the trace of a crash, and its side file holds the
restorer's last edits.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from engine.errors import ProjectError
from engine.project import Project, load_project
from engine.project.codec import encode

SIDE_SUFFIX = ".autosave"


@dataclass(frozen=True, slots=True)
class Recovery:
    """Edits left behind by an editor that did not close cleanly.

    Attributes
    ----------
    side_file
        The autosaved project.
    origin
        The project file it belongs to, or ``None`` for a never-saved project.
    saved_at
        When it was last written (seconds since the epoch).
    ledger
        The ledger entry that names it.
    """

    side_file: Path
    origin: Path | None
    saved_at: float
    ledger: Path


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return False  # no cheap check: treat as a crash and offer the recovery
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, belongs to someone else
    return True


class AutosaveStore:
    """Writes side files and finds the ones a crash left behind.

    Parameters
    ----------
    folder
        The editor's data folder (ledger entries, side files of untitled projects).
    """

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)

    def open_slot(self, origin: Path | None) -> AutosaveSlot:
        """A new side file for a project at ``origin`` (``None``: not yet saved)."""
        return AutosaveSlot(self, origin, secrets.token_hex(6))

    def leftovers(self) -> list[Recovery]:
        """Side files of editors that crashed, newest first."""
        found: list[Recovery] = []
        if not self.folder.is_dir():
            return found
        for entry in sorted(self.folder.glob("session-*.json")):
            try:
                record = json.loads(entry.read_text(encoding="utf-8"))
                side, pid = Path(record["side_file"]), int(record["pid"])
                origin = Path(record["origin"]) if record.get("origin") else None
            except (OSError, ValueError, KeyError, TypeError):
                entry.unlink(missing_ok=True)  # a torn ledger entry says nothing recoverable
                continue
            if _process_alive(pid):
                continue
            if not side.is_file():
                entry.unlink(missing_ok=True)
                continue
            found.append(Recovery(side, origin, side.stat().st_mtime, entry))
        return sorted(found, key=lambda r: r.saved_at, reverse=True)

    @staticmethod
    def recover(recovery: Recovery) -> Project:
        """The autosaved project, pointing at its original file again.

        Raises
        ------
        ProjectError
            The side file cannot be read.
        """
        project = load_project(recovery.side_file)
        project.path = recovery.origin
        return project

    @staticmethod
    def discard(recovery: Recovery) -> None:
        """Forget a leftover (after recovering it or declining)."""
        recovery.side_file.unlink(missing_ok=True)
        recovery.ledger.unlink(missing_ok=True)


class AutosaveSlot:
    """The side file of one open project in this editor session."""

    def __init__(self, store: AutosaveStore, origin: Path | None, token: str) -> None:
        self.store = store
        self.token = token
        self.origin = origin
        self.written_at: float | None = None

    @property
    def side_file(self) -> Path:
        """Beside the project when it has a file, else in the data folder."""
        if self.origin is not None:
            return self.origin.with_name(self.origin.name + SIDE_SUFFIX)
        return self.store.folder / f"untitled-{self.token}.relume{SIDE_SUFFIX}"

    @property
    def ledger(self) -> Path:
        """This session's ledger entry."""
        return self.store.folder / f"session-{self.token}.json"

    def move_to(self, origin: Path) -> None:
        """The project was saved under ``origin``: later side files go beside it."""
        self.discard()
        self.origin = origin

    def write(self, project: Project) -> Path:
        """Write ``project`` to the side file atomically and record it in the ledger.

        Raises
        ------
        ProjectError
            The folder is not writable (the editor reports it once and keeps going).
        """
        side = self.side_file
        text = json.dumps(encode(project, side.parent), indent=1, ensure_ascii=False, allow_nan=False)
        record = {"side_file": str(side), "origin": str(self.origin) if self.origin else None, "pid": os.getpid()}
        try:
            self.store.folder.mkdir(parents=True, exist_ok=True)
            _write_atomically(side, text)
            _write_atomically(self.ledger, json.dumps(record))
        except OSError as exc:
            raise ProjectError(f"cannot autosave: {exc.strerror or exc}", side) from None
        self.written_at = time.time()
        return side

    def discard(self) -> None:
        """Remove the side file and the ledger entry (after a save or a clean close)."""
        self.side_file.unlink(missing_ok=True)
        self.ledger.unlink(missing_ok=True)
        self.written_at = None


def _write_atomically(path: Path, text: str) -> None:
    temp = path.with_name(f".{path.name}.tmp-{secrets.token_hex(4)}")
    try:
        with open(temp, "x", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
