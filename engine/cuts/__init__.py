"""Shot and transition detection for old film, and cut lists in and out (EDL, OTIO)."""

from __future__ import annotations

from engine.cuts.cutlist import Cut, CutList, Transition, TransitionKind
from engine.cuts.detect import DEFAULT_MIN_SHOT_FRAMES, DEFAULT_SENSITIVITY, detect_cuts, detect_cuts_in_frames
from engine.cuts.edl import read_edl, write_edl
from engine.cuts.otio_exchange import read_otio, write_otio
from engine.cuts.tracker import DetectionSettings

__all__ = [
    "DEFAULT_MIN_SHOT_FRAMES",
    "DEFAULT_SENSITIVITY",
    "Cut",
    "CutList",
    "DetectionSettings",
    "Transition",
    "TransitionKind",
    "detect_cuts",
    "detect_cuts_in_frames",
    "read_edl",
    "read_otio",
    "write_edl",
    "write_otio",
]
