"""Where a project's film lives, and a fingerprint that recognizes it after a move.

A scan travels: from the archive's server to a workstation, from one drive to
another. The project stores the media path relative to the project file (so a
folder moved as a whole still works) and the absolute path as a fallback, plus
a fingerprint — the file size and a hash of its head, middle and tail — that
identifies the same file under another name or folder without reading
gigabytes.

A scan delivered as an image sequence is referred to by its pattern
(``scan.%06d.dpx``); its fingerprint is that of its first frame on disk
(:func:`stand_in_file`), with the frame count the probe gave.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from engine.errors import ProjectError

# Three 1 MiB samples: enough to tell apart two transfers of the same film (their
# headers and first GOPs differ) while fingerprinting a 100 GB file in milliseconds.
SAMPLE_BYTES = 1 << 20
HASH_NAME = "blake2b"
# The frame number in an image-sequence pattern, as engine.media.sequence writes it: %06d, %d or ####.
_FRAME_NUMBER = re.compile(r"%0?(\d*)d|#+")


def stand_in_file(path: str | os.PathLike[str]) -> Path:
    """The file on disk that stands for the media ``path``.

    ``path`` itself, or for an image-sequence pattern (``scan.%06d.dpx``,
    ``scan.####.dpx``) the lowest-numbered frame of it in its folder — ``path``
    unchanged when there is none, so that callers report the pattern as missing.
    """
    path = Path(path)
    match = _FRAME_NUMBER.search(path.name)
    if match is None:
        return path
    width = len(match.group(0)) if match.group(0).startswith("#") else int(match.group(1) or 0)
    digits = rf"(\d{{{width},}})" if width else r"(\d+)"
    numbered = re.compile(re.escape(path.name[: match.start()]) + digits + re.escape(path.name[match.end() :]) + "$")
    try:
        names = os.listdir(path.parent)
    except OSError:
        return path
    frames = [(int(found.group(1)), name) for name in names if (found := numbered.match(name))]
    return path.parent / min(frames)[1] if frames else path


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """Identity of a media file that survives renaming and moving.

    Attributes
    ----------
    size
        File size in bytes.
    content_hash
        ``"blake2b:<hex>"`` of the size and up to three 1 MiB samples (head,
        middle, tail).
    frame_count, fps, width, height
        What the probe said, when known; compared when both sides know them.
    """

    size: int
    content_hash: str
    frame_count: int | None = None
    fps: Fraction | None = None
    width: int | None = None
    height: int | None = None

    def same_content(self, other: Fingerprint) -> bool:
        """Whether ``other`` describes the same bytes (size and hash; probe facts when both have them)."""
        if (self.size, self.content_hash) != (other.size, other.content_hash):
            return False
        pairs = (
            (self.frame_count, other.frame_count),
            (self.fps, other.fps),
            (self.width, other.width),
            (self.height, other.height),
        )
        return all(a is None or b is None or a == b for a, b in pairs)


def content_hash(path: str | os.PathLike[str]) -> tuple[int, str]:
    """``(size, "blake2b:<hex>")`` of ``path`` (of its first frame for a sequence) from head, middle and tail samples.

    Raises
    ------
    ProjectError
        The file cannot be read.
    """
    path = Path(path)
    try:
        with stand_in_file(path).open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            digest = hashlib.blake2b(size.to_bytes(8, "little"), digest_size=16)
            starts = sorted({0, max(0, size // 2 - SAMPLE_BYTES // 2), max(0, size - SAMPLE_BYTES)})
            for start in starts:
                fh.seek(start)
                digest.update(fh.read(SAMPLE_BYTES))
    except OSError as exc:
        raise ProjectError(f"cannot read media to fingerprint it: {exc.strerror or exc}", path) from None
    return size, f"{HASH_NAME}:{digest.hexdigest()}"


def fingerprint(
    path: str | os.PathLike[str],
    *,
    frame_count: int | None = None,
    fps: Fraction | None = None,
    width: int | None = None,
    height: int | None = None,
) -> Fingerprint:
    """The :class:`Fingerprint` of ``path``, with the probe's facts when the caller has them."""
    size, digest = content_hash(path)
    return Fingerprint(size, digest, frame_count, fps, width, height)


@dataclass(frozen=True, slots=True)
class MediaRef:
    """The project's film: its path and fingerprint.

    Attributes
    ----------
    path
        Absolute path where the media is (or was last seen). On disk the
        project writes it relative to the project file too, and prefers that
        relative path on load.
    fingerprint
        Identity used to find and verify the file after a move, or ``None``
        for a reference made without reading the file.
    """

    path: Path
    fingerprint: Fingerprint | None = None

    @classmethod
    def to_file(cls, path: str | os.PathLike[str], **probe: int | Fraction | None) -> MediaRef:
        """A reference to an existing file, fingerprinted now.

        Parameters
        ----------
        path
            The media file (or, for an image sequence, its first file).
        **probe
            ``frame_count``, ``fps``, ``width``, ``height`` when known.
        """
        path = Path(path).absolute()
        return cls(path, fingerprint(path, **probe))  # type: ignore[arg-type]

    def matches(self, candidate: str | os.PathLike[str]) -> bool:
        """Whether ``candidate`` is this media (by fingerprint; by existence if there is none)."""
        candidate = Path(candidate)
        if not stand_in_file(candidate).is_file():
            return False
        if self.fingerprint is None:
            return True
        try:
            if stand_in_file(candidate).stat().st_size != self.fingerprint.size:
                return False  # cheap rejection before reading anything
        except OSError:
            return False
        size, digest = content_hash(candidate)
        return (size, digest) == (self.fingerprint.size, self.fingerprint.content_hash)
