"""Cut lists in and out as OpenTimelineIO timelines (``.otio``).

A film becomes one video track of clips, one per shot, all referring to the
film; a dissolve or fade is an OTIO ``Transition`` between two clips, centred on
the cut by its in and out offsets (the frames before and after the cut). OTIO
has no kind for a fade through black, so a fade is an ``SMPTE_Dissolve`` marked
``{"relume": {"kind": "fade"}}`` in its metadata; other tools read it as a dissolve.
"""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path

import opentimelineio as otio
from opentimelineio import opentime

from engine.cuts.cutlist import TRANSITION_KINDS, Cut, CutList, Transition
from engine.cuts.textfile import write_text_atomically
from engine.errors import CutListError


def timeline_of(
    cut_list: CutList, media: str | os.PathLike[str] | None = None, name: str = "Relume"
) -> otio.schema.Timeline:
    """The cut list as an OTIO timeline; ``media`` becomes every clip's external reference."""
    rate = float(cut_list.fps)
    track = otio.schema.Track(name="V1", kind=otio.schema.TrackKind.Video)
    reference = None
    if media is not None:
        reference = otio.schema.ExternalReference(
            target_url=Path(media).absolute().as_uri(),
            available_range=_span(0, cut_list.frames, rate),
        )
    bounds = [0, *cut_list.cut_frames, cut_list.frames]
    confidence = {c.frame: c.confidence for c in cut_list.cuts}
    for number, (first, stop) in enumerate(zip(bounds, bounds[1:]), 1):
        transition = cut_list.transition_at(first) if first else None
        if transition is not None:
            item = otio.schema.Transition(
                name=transition.kind,
                transition_type=otio.schema.TransitionTypes.SMPTE_Dissolve,
                in_offset=opentime.RationalTime(first - transition.start, rate),
                out_offset=opentime.RationalTime(transition.end - first + 1, rate),
                metadata={"relume": {"kind": transition.kind}},
            )
            track.append(item)
        clip = otio.schema.Clip(
            name=f"shot {number:03d}",
            media_reference=reference.clone() if reference is not None else None,
            source_range=_span(first, stop - first, rate),
            metadata={"relume": {"confidence": confidence.get(first, 1.0)}},
        )
        track.append(clip)
    timeline = otio.schema.Timeline(name=name)
    timeline.tracks.append(track)
    timeline.metadata["relume"] = {"fps": f"{cut_list.fps.numerator}/{cut_list.fps.denominator}"}
    return timeline


def write_otio(
    cut_list: CutList, path: str | os.PathLike[str], *, media: str | os.PathLike[str] | None = None,
    protect: tuple[Path, ...] = (),
) -> Path:
    """Write the cut list as an ``.otio`` timeline, atomically."""
    text = otio.adapters.write_to_string(timeline_of(cut_list, media, Path(path).stem), "otio_json")
    return write_text_atomically(path, text, protect)


def read_otio(path: str | os.PathLike[str], fps: Fraction | None = None) -> CutList:
    """Read the cuts and transitions of the first video track of an OTIO timeline.

    ``fps`` defaults to the rate Relume stored, else the first clip's rate.

    Raises
    ------
    CutListError
        The file is missing, not OTIO, or has no video track (one line naming it).
    """
    path = Path(path)
    if not path.is_file():
        raise CutListError("no such file", path)
    try:
        timeline = otio.adapters.read_from_file(str(path), adapter_name="otio_json")
    except (otio.exceptions.OTIOError, ValueError, OSError) as exc:
        raise CutListError(f"not an OpenTimelineIO timeline: {exc}", path) from exc
    if not isinstance(timeline, otio.schema.Timeline) or not timeline.video_tracks():
        raise CutListError("holds no video track", path)
    track = timeline.video_tracks()[0]
    stored = timeline.metadata.get("relume", {}).get("fps") if hasattr(timeline.metadata, "get") else None
    if fps is None:
        fps = Fraction(str(stored)) if stored else _rate_of(track, path)
    rate = float(fps)
    cuts: list[Cut] = []
    transitions: list[Transition] = []
    position = 0
    pending: otio.schema.Transition | None = None
    for item in track:
        if isinstance(item, otio.schema.Transition):
            pending = item
            continue
        duration = round(item.duration().rescaled_to(rate).value)
        if position > 0:
            meta = item.metadata.get("relume", {}) if isinstance(item, otio.schema.Clip) else {}
            cuts.append(Cut(position, float(meta.get("confidence", 1.0))))
            if pending is not None:
                before = round(pending.in_offset.rescaled_to(rate).value)
                after = round(pending.out_offset.rescaled_to(rate).value)
                kind = pending.metadata.get("relume", {}).get("kind", "dissolve")
                kind = kind if kind in TRANSITION_KINDS else "dissolve"
                transitions.append(Transition(position - before, position + after - 1, kind))
        pending = None
        position += duration
    return CutList(fps, position, tuple(cuts), tuple(transitions))


def _span(first: int, frames: int, rate: float) -> opentime.TimeRange:
    return opentime.TimeRange(opentime.RationalTime(first, rate), opentime.RationalTime(frames, rate))


def _rate_of(track: otio.schema.Track, path: Path) -> Fraction:
    for item in track:
        if isinstance(item, otio.schema.Clip):
            return Fraction(item.duration().rate).limit_denominator(1001)
    raise CutListError("holds no clips", path)
