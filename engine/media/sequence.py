"""Numbered image sequences (scans): telling a pattern from a file, and finding its frames.

A sequence may be named by a printf pattern (``scan.%06d.dpx``), a hash pattern
(``scan.####.dpx``), its folder, or the path of any one of its frames
(``scan.000123.dpx``). Frame ``i`` is the file numbered ``first + i``: a gap in
the numbering is *kept* as missing frames rather than closed up, because a scan
is timed by its frame numbers — closing the gap would slide every later frame
against the soundtrack and the timecode. The missing frames are held from their
nearest neighbour and reported, the way conform tools flag offline frames.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from engine.errors import MediaError, UnsupportedMediaError

SEQUENCE_EXTENSIONS = (".dpx", ".tif", ".tiff", ".png", ".exr")
_OTHER_IMAGES = (".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".cin", ".tga", ".jp2")
_PRINTF = re.compile(r"%(0?)(\d*)d")
_HASHES = re.compile(r"#+")
_LAST_NUMBER = re.compile(r"^(.*?)(\d+)(\D*)$")


@dataclass(frozen=True, slots=True)
class ImageSequence:
    """A numbered image sequence found on disk.

    Attributes
    ----------
    folder, prefix, suffix
        Frame ``n`` lives at ``folder / f"{prefix}{n:0{digits}d}{suffix}"``.
    digits
        Zero padding of the numbers (0 for unpadded).
    numbers
        Frame numbers present on disk, ascending.
    """

    folder: Path
    prefix: str
    suffix: str
    digits: int
    numbers: tuple[int, ...]

    @property
    def first(self) -> int:
        """Number of the first frame."""
        return self.numbers[0]

    @property
    def last(self) -> int:
        """Number of the last frame."""
        return self.numbers[-1]

    @property
    def frame_count(self) -> int:
        """Frames from first to last number, missing ones included."""
        return self.last - self.first + 1

    @property
    def missing(self) -> tuple[int, ...]:
        """Frame numbers inside the range that have no file."""
        present = set(self.numbers)
        return tuple(n for n in range(self.first, self.last + 1) if n not in present)

    @property
    def pattern(self) -> Path:
        """The printf pattern, e.g. ``/scans/reel1/scan.%06d.dpx``."""
        field = f"%0{self.digits}d" if self.digits else "%d"
        return self.folder / f"{self.prefix}{field}{self.suffix}"

    def path_of(self, number: int) -> Path:
        """File of frame number ``number``."""
        return self.folder / f"{self.prefix}{number:0{self.digits}d}{self.suffix}"


def looks_like_sequence(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` names an image sequence rather than a single media file.

    True for folders and for image files or patterns (``scan.%06d.dpx``,
    ``scan.####.dpx``, ``scan.000123.dpx``; JPEG and other images too, so that
    they are refused with a clear reason). Nothing on disk is read except
    whether ``path`` is a folder.
    """
    path = Path(path)
    if path.is_dir():
        return True
    # Only the extension decides for files: "reel#1.mov" is a film, "scan.####.dpx" a scan.
    return path.suffix.lower() in SEQUENCE_EXTENSIONS + _OTHER_IMAGES


def find_sequence(path: str | os.PathLike[str]) -> ImageSequence:
    """Find the frames of the sequence ``path`` names (pattern, folder or one frame).

    Raises
    ------
    MediaError
        The folder does not exist or holds no frames of the pattern.
    UnsupportedMediaError
        The images are not DPX, TIFF, PNG or EXR, or a folder holds several sequences.
    """
    path = Path(path)
    if path.is_dir():
        return _sequence_in_folder(path)
    folder, name = path.parent, path.name
    if not folder.is_dir():
        raise MediaError("no such folder for this image sequence", path)
    _check_extension(path)
    if match := _PRINTF.search(name):
        prefix, suffix = name[: match.start()], name[match.end() :]
        digits = int(match.group(2) or 0)
    elif match := _HASHES.search(name):
        prefix, suffix = name[: match.start()], name[match.end() :]
        digits = len(match.group(0))
    elif match := _LAST_NUMBER.match(name):
        prefix, _, suffix = match.groups()
        if not path.exists():
            raise MediaError("no such file", path)
        digits = -1  # read from the files on disk
    else:
        if not path.exists():
            raise MediaError("no such file", path)
        # An unnumbered still: a sequence of one frame.
        return ImageSequence(folder, path.stem, path.suffix, 0, (0,))
    found = _numbers_on_disk(folder, prefix, suffix)
    if not found:
        raise MediaError("no frames of this image sequence were found", path)
    if digits < 0:
        digits = _padding(found)
    return ImageSequence(folder, prefix, suffix, digits, tuple(sorted(int(n) for n in found)))


def _check_extension(path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix not in SEQUENCE_EXTENSIONS:
        raise UnsupportedMediaError(
            f"'{suffix or 'no extension'}' images are not supported for sequences; "
            "use DPX, TIFF, PNG or EXR",
            path,
        )


def _numbers_on_disk(folder: Path, prefix: str, suffix: str) -> list[str]:
    shape = re.compile(re.escape(prefix) + r"(\d+)" + re.escape(suffix) + "$")
    return [m.group(1) for entry in os.scandir(folder) if (m := shape.match(entry.name))]


def _padding(numbers: list[str]) -> int:
    """Zero padding shared by frame numbers as written (``0`` when unpadded)."""
    padded = {len(n) for n in numbers if n.startswith("0") and len(n) > 1}
    return min(padded) if padded else 0


def _sequence_in_folder(folder: Path) -> ImageSequence:
    groups: dict[tuple[str, str], list[str]] = {}
    others: set[str] = set()
    for entry in os.scandir(folder):
        match = _LAST_NUMBER.match(entry.name)
        suffix = Path(entry.name).suffix.lower()
        if not match or not entry.is_file():
            continue
        if suffix in SEQUENCE_EXTENSIONS:
            groups.setdefault((match.group(1), match.group(3)), []).append(match.group(2))
        elif suffix in _OTHER_IMAGES:
            others.add(suffix)
    if not groups:
        if others:
            raise UnsupportedMediaError(
                f"holds only {', '.join(sorted(others))} images; sequences must be DPX, TIFF, PNG or EXR", folder
            )
        raise MediaError("holds no numbered DPX, TIFF, PNG or EXR frames", folder)
    if len(groups) > 1:
        names = ", ".join(sorted(f"{p}#{s}" for p, s in groups))
        raise UnsupportedMediaError(f"holds several image sequences ({names}); name one of them", folder)
    (prefix, suffix), numbers = next(iter(groups.items()))
    return ImageSequence(folder, prefix, suffix, _padding(numbers), tuple(sorted(int(n) for n in numbers)))
