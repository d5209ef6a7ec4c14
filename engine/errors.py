"""Typed errors that speak to a restorer.

Every error the engine raises on purpose derives from :class:`RelumeError`. Its
``str()`` is one line that names the file (when there is one) and the reason,
which is exactly what the CLI prints (exit code 2) and the GUI shows in a dialog.
"""

from __future__ import annotations

import os
from pathlib import Path


class RelumeError(Exception):
    """Base of every error the engine raises for a restorer to read.

    Parameters
    ----------
    reason
        What is wrong, and when useful what to do, as one sentence.
    path
        The file or folder concerned, if any.
    """

    def __init__(self, reason: str, path: str | os.PathLike[str] | None = None) -> None:
        self.reason = " ".join(str(reason).split())
        self.path = Path(path) if path is not None else None
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.path is None:
            return self.reason
        return f"{self.path}: {self.reason}"


class MediaError(RelumeError):
    """A media file cannot be opened, probed or decoded."""


class UnsupportedMediaError(MediaError):
    """The file is readable but its format or content is not something Relume can use."""


class CorruptMediaError(MediaError):
    """The file is damaged: truncated, missing its index, or undecodable."""


class OutputError(RelumeError):
    """An output cannot be written: bad folder, existing target, failed verification."""


class ProjectError(RelumeError):
    """A project file is malformed, from the future, or points at missing media."""


class CutListError(RelumeError):
    """A cut list (EDL, OTIO, JSON) is malformed or cannot be read."""


class SettingsError(RelumeError):
    """A setting key or value is unknown or invalid."""


class HintsError(RelumeError):
    """A hints file or hint is malformed."""


class ModelError(RelumeError):
    """A neural model file cannot be loaded or is not a supported architecture."""


class Cancelled(RelumeError):
    """A long job was cancelled by the user; whatever it was writing has been removed."""

    def __init__(self, reason: str = "cancelled", path: str | os.PathLike[str] | None = None) -> None:
        super().__init__(reason, path)
