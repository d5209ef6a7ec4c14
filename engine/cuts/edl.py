"""CMX 3600 edit decision lists in and out, as scan houses and DaVinci Resolve write them.

A film's cut list becomes one event per shot on the record side, from
``01:00:00:00`` (the editors' convention); the source side is the film itself
from ``00:00:00:00``. A dissolve is the classic pair: a zero-length ``C`` event
on the outgoing shot and a ``D nnn`` event into the incoming one, starting at
the first frame of the dissolve. A fade through black is two such dissolves, to
and from ``BL`` (black). Timecode is drop-frame at 29.97 and 59.94 fps and
non-drop elsewhere (23.976 counts as 24).

OpenTimelineIO dropped its bundled ``cmx_3600`` adapter (it lives in a separate
plug-in), so this module writes and reads the few event shapes a cut list needs
and skips everything else a real EDL may hold (audio events, comments, ``M2``
speed lines), converting timecode with :mod:`engine.media.frame_rate`
(OpenTimelineIO's opentime).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from engine.cuts.cutlist import Cut, CutList, Transition
from engine.cuts.textfile import write_text_atomically
from engine.errors import CutListError
from engine.media.frame_rate import drop_frame, frame_of, timecode

RECORD_START = "01:00:00:00"
_REEL = "AX"
_BLACK = "BL"
_EVENT = re.compile(
    r"^\s*(?P<number>\d+)\s+(?P<reel>\S+)\s+(?P<track>\S+)\s+(?P<edit>C|D|W\d+|KB?|K\s*O)\s*(?P<frames>\d+)?\s+"
    r"(?P<src_in>\d\d[:;.]\d\d[:;.]\d\d[:;.]\d\d)\s+(?P<src_out>\d\d[:;.]\d\d[:;.]\d\d[:;.]\d\d)\s+"
    r"(?P<rec_in>\d\d[:;.]\d\d[:;.]\d\d[:;.]\d\d)\s+(?P<rec_out>\d\d[:;.]\d\d[:;.]\d\d[:;.]\d\d)\s*$"
)


def edl_text(cut_list: CutList, title: str = "Relume", clip_name: str | None = None) -> str:
    """The cut list as CMX 3600 text."""
    fps = cut_list.fps
    start = frame_of(RECORD_START[:8] + (";" if drop_frame(fps) else ":") + RECORD_START[9:], fps)
    lines = [f"TITLE: {title}", f"FCM: {'DROP FRAME' if drop_frame(fps) else 'NON-DROP FRAME'}", ""]
    number = 0

    def event(reel: str, edit: str, src_in: int, src_out: int, rec_in: int, rec_out: int, name: bool = True) -> None:
        lines.append(
            f"{number:03d}  {reel:<8} V     {edit:<8} {timecode(src_in, fps)} {timecode(src_out, fps)} "
            f"{timecode(start + rec_in, fps)} {timecode(start + rec_out, fps)}"
        )
        if name and clip_name and reel != _BLACK:
            lines.append(f"* FROM CLIP NAME: {clip_name}")

    bounds = [0, *cut_list.cut_frames, cut_list.frames]
    for first, stop in zip(bounds, bounds[1:]):
        incoming = cut_list.transition_at(first) if first else None
        outgoing = cut_list.transition_at(stop) if stop < cut_list.frames else None
        # A shot runs until the next transition starts; a dissolve's D event carries it in.
        shot_in = incoming.start if incoming is not None and incoming.kind == "dissolve" else first
        shot_out = outgoing.start if outgoing is not None else stop
        if incoming is None:
            number += 1
            event(_REEL, "C", shot_in, shot_out, shot_in, shot_out)
        elif incoming.kind == "dissolve":
            number += 1
            event(_REEL, "C", shot_in, shot_in, shot_in, shot_in, name=False)
            event(_REEL, f"D    {incoming.frames:03d}", shot_in, shot_out, shot_in, shot_out)
        else:  # fade: in from black over the frames from the cut to the end of the fade
            number += 1
            event(_BLACK, "C", 0, 0, first, first, name=False)
            event(_REEL, f"D    {incoming.end - first + 1:03d}", first, shot_out, first, shot_out)
        if outgoing is not None and outgoing.kind == "fade":
            number += 1
            event(_REEL, "C", shot_out, shot_out, shot_out, shot_out, name=False)
            event(_BLACK, f"D    {stop - outgoing.start:03d}", 0, stop - outgoing.start, shot_out, stop)
    return "\r\n".join(lines) + "\r\n"


def write_edl(
    cut_list: CutList, path: str | os.PathLike[str], *, clip_name: str | None = None, protect: tuple[Path, ...] = ()
) -> Path:
    """Write the cut list as a CMX 3600 EDL, atomically."""
    title = Path(path).stem
    return write_text_atomically(path, edl_text(cut_list, title, clip_name), protect)


@dataclass(slots=True)
class _Event:
    reel: str
    edit: str
    frames: int
    rec_in: int
    rec_out: int


def read_edl(path: str | os.PathLike[str], fps: Fraction) -> CutList:
    """Read the picture cuts, dissolves and fades of a CMX 3600 EDL at ``fps``.

    Raises
    ------
    CutListError
        The file is missing, unreadable or holds no picture events (one line naming it).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError as exc:
        raise CutListError(f"cannot read the EDL: {exc.strerror or exc}", path) from exc
    events = _picture_events(text, fps, path)
    if not events:
        raise CutListError("holds no picture events; is it a CMX 3600 EDL?", path)
    origin = min(e.rec_in for e in events)
    cuts: list[Cut] = []
    transitions: list[Transition] = []
    fade_out: int | None = None
    end = 0
    for event in events:
        rec_in, rec_out = event.rec_in - origin, event.rec_out - origin
        end = max(end, rec_out)
        if event.edit == "D" and event.frames > 0:
            if event.reel == _BLACK:  # fading out to black from here
                fade_out = rec_in
            elif fade_out is not None:  # fading in from black
                transitions.append(Transition(fade_out, rec_in + event.frames - 1, "fade"))
                cuts.append(Cut(rec_in))
                fade_out = None
            else:
                transitions.append(Transition(rec_in, rec_in + event.frames - 1, "dissolve"))
                cuts.append(Cut(rec_in + event.frames // 2))
        elif rec_out > rec_in and event.reel != _BLACK and rec_in > 0:
            if fade_out is not None:  # a hard cut in from black after a fade out
                transitions.append(Transition(fade_out, rec_in - 1, "fade"))
                fade_out = None
            cuts.append(Cut(rec_in))
    return CutList(fps, end, tuple(_unique(cuts)), tuple(transitions))


def _unique(cuts: list[Cut]) -> list[Cut]:
    seen: dict[int, Cut] = {}
    for cut in cuts:
        seen.setdefault(cut.frame, cut)
    return list(seen.values())


def _picture_events(text: str, fps: Fraction, path: Path) -> list[_Event]:
    events: list[_Event] = []
    for number, line in enumerate(text.splitlines(), 1):
        match = _EVENT.match(line)
        if match is None:
            continue
        track = match["track"].upper()
        if not (track.startswith("V") or track == "B"):  # audio-only events cut nothing
            continue
        try:
            rec_in, rec_out = frame_of(match["rec_in"], fps), frame_of(match["rec_out"], fps)
        except ValueError as exc:
            raise CutListError(f"line {number}: bad timecode: {exc}", path) from exc
        edit = match["edit"][0].upper()
        frames = int(match["frames"]) if match["frames"] else 0
        events.append(_Event(match["reel"].upper(), edit, frames, rec_in, rec_out))
    return events
