"""Write a small text file (an EDL, an OTIO timeline) so that it is whole or absent."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from engine.errors import OutputError
from engine.media.atomic import check_target, temporary_beside


def write_text_atomically(
    target: str | os.PathLike[str], text: str, protect: Sequence[Path] = ()
) -> Path:
    """Write ``text`` to a temporary name beside ``target``, read it back, then rename it over.

    A cut list beside the film is a sidecar the restorer regenerates, so an
    existing one is replaced; ``protect`` (the source media) never is.

    Raises
    ------
    OutputError
        The folder is missing or not writable, or the target is a protected path.
    """
    path = check_target(target, overwrite=True, protect=protect)
    if path.is_dir():
        raise OutputError("is a folder, not a file", path)
    temporary = temporary_beside(path)
    try:
        data = text.encode("utf-8")
        temporary.write_bytes(data)
        if temporary.read_bytes() != data:
            raise OutputError("did not read back as written", temporary)
        os.replace(temporary, path)
    except OSError as exc:
        raise OutputError(f"cannot be written: {exc.strerror or exc}", path) from exc
    finally:
        if temporary.exists():
            temporary.unlink()
    return path
