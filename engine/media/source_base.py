"""What every frame source shares: its length, the context manager, the corrupt-frame list, index checks."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Self

from engine.media.types import MediaInfo


class SourceBase:
    """Mixin for a :class:`~engine.media.types.FrameSource`; subclasses set the attributes and ``close``.

    Attributes
    ----------
    info
        What the probe found.
    path
        The file, pattern or folder opened.
    """

    info: MediaInfo
    path: Path
    _corrupt: set[int]

    def __len__(self) -> int:
        return self.info.frame_count

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release what the source holds."""
        raise NotImplementedError

    @property
    def corrupt_frames(self) -> list[int]:
        """Indices that could not be read and were held from their nearest good frame."""
        return sorted(self._corrupt)

    def _check_index(self, index: int) -> None:
        """Raise ``IndexError`` for an ``index`` outside ``[0, len(self))``."""
        if not 0 <= index < len(self):
            raise IndexError(f"frame {index} is outside 0..{len(self) - 1} of {self.path}")
