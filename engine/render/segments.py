"""Finished pieces of an export, kept beside the target so a killed export can resume.

An export of a project is cut at shot boundaries into segments, each written as
an intra-only chunk in a hidden folder beside the target
(``.NAME.relume-parts/``). A segment is first written under a temporary name,
read back, flushed to disk and renamed; only then is its record
(``seg-00003.json``: frame range, spec key, frame count, bytes) written, also
by rename. So after a crash or a SIGKILL every segment is either complete and
recorded or ignored, and ``--resume`` re-renders only what was not finished —
or what was finished with another look (its spec key differs), so an edit made
between the crash and the resume is honoured.

The folder's ``job.json`` names the deliverable (media fingerprint, preset,
frame size, rate); segments of a different deliverable are never joined.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from engine.errors import OutputError
from engine.media.atomic import remove_path

PARTS_MARK = ".relume-parts"
JOB_FILE = "job.json"
_TEMP_PREFIX = ".tmp-"


def parts_folder(target: Path) -> Path:
    """The hidden folder that holds the finished segments of an export to ``target``."""
    return target.with_name(f".{target.name}{PARTS_MARK}")


@dataclass(frozen=True, slots=True)
class Segment:
    """Frames ``[start, end)`` of the film, rendered with the look ``spec_key``."""

    index: int
    start: int
    end: int
    spec_key: str

    @property
    def name(self) -> str:
        """File stem of the segment: ``seg-00003``."""
        return f"seg-{self.index:05d}"

    @property
    def frame_count(self) -> int:
        """Frames in the segment."""
        return self.end - self.start


def _size_of(path: Path) -> int:
    """Bytes of a segment file, or of every frame file of a segment folder."""
    if path.is_dir():
        return sum(p.stat().st_size for p in path.iterdir() if p.is_file())
    return path.stat().st_size


def _fsync(path: Path) -> None:
    """Flush a written file (or every file of a folder) to disk before it is recorded as finished."""
    for item in sorted(path.iterdir()) if path.is_dir() else [path]:
        with open(item, "rb") as handle:
            os.fsync(handle.fileno())


def _write_json_atomically(path: Path, data: dict[str, object]) -> None:
    """Write a small JSON record so that a kill leaves the old one or the new one, never half."""
    temporary = path.with_name(_TEMP_PREFIX + path.name)
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(data, handle, sort_keys=True)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


class SegmentStore:
    """The segments folder of one export.

    Parameters
    ----------
    target
        Final path of the master.
    job
        What identifies the deliverable (JSON-ready); compared on resume.
    extension
        Extension of a segment file (``".mov"``), or ``""`` for a folder of frames.
    resume
        Whether finished segments of an earlier run may be kept.

    Raises
    ------
    OutputError
        An earlier run left segments and ``resume`` is false (nothing is deleted
        behind the restorer's back), or they belong to a different deliverable.
    """

    def __init__(self, target: Path, job: dict[str, object], extension: str, resume: bool) -> None:
        self.folder = parts_folder(target)
        self.extension = extension
        job_path = self.folder / JOB_FILE
        if self.folder.exists():
            if not resume:
                raise OutputError(
                    f"an interrupted export left its finished segments in {self.folder.name}; "
                    "pass --resume to finish it, or delete that folder to start over",
                    target,
                )
            try:
                earlier = json.loads(job_path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                # Killed between creating the folder and naming its job: nothing in it is trusted.
                for item in self.folder.iterdir():
                    remove_path(item)
                _write_json_atomically(job_path, job)
                earlier = job
            except (OSError, ValueError):
                earlier = None
            if earlier != job:
                raise OutputError(
                    f"the unfinished export in {self.folder.name} was made for another source, format or size; "
                    "delete that folder to start over",
                    target,
                )
            for stray in self.folder.glob(_TEMP_PREFIX + "*"):
                remove_path(stray)  # half-written when the earlier run died
        else:
            try:
                self.folder.mkdir()
            except OSError as exc:
                raise OutputError(f"cannot create {self.folder.name} ({exc.strerror or exc})", target) from exc
            _write_json_atomically(job_path, job)

    def path(self, segment: Segment) -> Path:
        """Where the finished segment lives."""
        return self.folder / (segment.name + self.extension)

    def temporary(self, segment: Segment) -> Path:
        """Where the segment is written before it is finished (a fresh, empty place)."""
        path = self.folder / (_TEMP_PREFIX + segment.name + self.extension)
        remove_path(path)
        if not self.extension:
            path.mkdir()
        return path

    def _record_path(self, segment: Segment) -> Path:
        return self.folder / f"{segment.name}.json"

    def _record(self, segment: Segment) -> dict[str, object]:
        return {"start": segment.start, "end": segment.end, "spec": segment.spec_key}

    def is_finished(self, segment: Segment) -> bool:
        """Whether the segment was finished, with this range and look, and is still intact on disk."""
        try:
            record = json.loads(self._record_path(segment).read_text(encoding="utf-8"))
            path = self.path(segment)
            return (
                isinstance(record, dict)
                and {k: record.get(k) for k in ("start", "end", "spec")} == self._record(segment)
                and record.get("frames") == segment.frame_count
                and path.exists()
                and record.get("bytes") == _size_of(path)
            )
        except (OSError, ValueError):
            return False

    def finish(self, segment: Segment, temporary: Path, frames: int) -> None:
        """Flush ``temporary`` to disk, rename it into place and record the segment as finished."""
        _fsync(temporary)
        final = self.path(segment)
        self._record_path(segment).unlink(missing_ok=True)
        remove_path(final)
        os.replace(temporary, final)
        record = self._record(segment) | {"frames": frames, "bytes": _size_of(final)}
        _write_json_atomically(self._record_path(segment), record)

    def discard(self) -> None:
        """Remove the folder and everything in it (after a successful join)."""
        remove_path(self.folder)
