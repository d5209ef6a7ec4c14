"""Real frames for the interpolation tests."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np


def clip_run(path: Path, first: int, count: int) -> list[np.ndarray]:
    """``count`` consecutive frames of the real clip ``path`` from frame ``first``, as RGB."""
    frames = []
    with av.open(str(path)) as container:
        for i, frame in enumerate(container.decode(video=0)):
            if i >= first:
                frames.append(frame.to_ndarray(format="rgb24"))
            if len(frames) == count:
                return frames
    raise AssertionError(f"{path.name} is too short")
