"""Detect the shots of a film in one streaming pass: ``detect_cuts``."""

from __future__ import annotations

import os
from collections.abc import Iterable
from fractions import Fraction

import numpy as np

from engine.cuts.cutlist import CutList
from engine.cuts.features import frame_features
from engine.cuts.tracker import DEFAULT_MIN_SHOT_FRAMES, DEFAULT_SENSITIVITY, DetectionSettings, ShotChangeTracker
from engine.media.source import open_source
from engine.media.types import FrameSource
from engine.progress import CancelToken, ProgressCallback, ProgressMeter

__all__ = ["DEFAULT_MIN_SHOT_FRAMES", "DEFAULT_SENSITIVITY", "detect_cuts", "detect_cuts_in_frames"]


def detect_cuts(
    source: FrameSource | str | os.PathLike[str],
    *,
    fps: Fraction | None = None,
    min_shot_frames: int = DEFAULT_MIN_SHOT_FRAMES,
    sensitivity: float = DEFAULT_SENSITIVITY,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> CutList:
    """Find the cuts, dissolves and fades of a film, decoding each frame once.

    Parameters
    ----------
    source
        An open :class:`~engine.media.types.FrameSource`, or the path of a media
        file or image sequence (opened, read and closed here).
    fps
        Frame rate for an image sequence or to override the file's.
    min_shot_frames
        No shot is shorter than this (see :class:`DetectionSettings`).
    sensitivity
        0–1; higher finds more cuts and transitions.
    progress
        Receives frame counts as detection runs (stage ``"detecting cuts"``).
    cancel
        Checked between frames; cancelling raises :class:`~engine.errors.Cancelled`.

    Returns
    -------
    CutList

    Raises
    ------
    MediaError
        The input cannot be opened or decoded (one line naming the file).
    Cancelled
        ``cancel`` was set.
    """
    settings = DetectionSettings(min_shot_frames, sensitivity)
    if isinstance(source, (str, os.PathLike)):
        with open_source(source, fps) as opened:
            return _detect(opened, settings, progress, cancel)
    return _detect(source, settings, progress, cancel)


def _detect(
    source: FrameSource,
    settings: DetectionSettings,
    progress: ProgressCallback | None,
    cancel: CancelToken | None,
) -> CutList:
    return detect_cuts_in_frames(
        source.frames(), source.info.fps, settings=settings, total=len(source), progress=progress, cancel=cancel
    )


def detect_cuts_in_frames(
    frames: Iterable[np.ndarray],
    fps: Fraction,
    *,
    settings: DetectionSettings = DetectionSettings(),
    total: int = 0,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> CutList:
    """Find the cuts of frames already at hand (RGB or gray, ``uint8`` or ``uint16``), in order.

    ``total`` is only for progress reports (0 when unknown).
    """
    tracker = ShotChangeTracker(settings)
    meter = ProgressMeter(total, progress, stage="detecting cuts")
    for frame in frames:
        if cancel is not None:
            cancel.raise_if_cancelled()
        tracker.push(frame_features(frame))
        meter.advance()
    cuts, transitions = tracker.finish()
    meter.finish()
    return CutList(Fraction(fps), tracker.frames, tuple(cuts), tuple(transitions))
