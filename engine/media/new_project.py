"""A new project over a media file: the first step of every restoration."""

from __future__ import annotations

import os
from fractions import Fraction

from engine.media.probe import probe
from engine.project.media_ref import MediaRef
from engine.project.model import Project


def project_for_media(media: str | os.PathLike[str], fps: Fraction | None = None) -> Project:
    """A project of one shot over the whole of ``media``, nothing decided yet.

    Parameters
    ----------
    media
        Media file or image sequence.
    fps
        Frame rate of an image sequence (or to override a file's).

    Raises
    ------
    MediaError
        The media cannot be probed.
    """
    info = probe(media, fps)
    ref = MediaRef.to_file(info.path, frame_count=info.frame_count, fps=info.fps, width=info.width, height=info.height)
    return Project(fps=info.fps, frame_count=info.frame_count, media=ref)
