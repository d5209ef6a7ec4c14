"""Cut lists out to and back from CMX 3600 EDL and OpenTimelineIO."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import opentimelineio as otio
import pytest

from engine.cuts import Cut, CutList, Transition
from engine.cuts.edl import edl_text, frame_of, read_edl, timecode, write_edl
from engine.cuts.otio_exchange import read_otio, write_otio
from engine.errors import OutputError, RelumeError


def _cut_list(fps: Fraction) -> CutList:
    return CutList(
        fps,
        2000,
        (Cut(40, 0.9), Cut(100, 0.8), Cut(160, 0.7), Cut(250), Cut(1900)),
        (Transition(94, 105, "dissolve"), Transition(150, 169, "fade")),
    )


@pytest.mark.parametrize("fps", [Fraction(24), Fraction(25), Fraction(24000, 1001), Fraction(30000, 1001)])
def test_edl_round_trip(tmp_path: Path, fps: Fraction) -> None:
    original = _cut_list(fps)
    path = write_edl(original, tmp_path / "film.edl", clip_name="film.mov")
    back = read_edl(path, fps)
    assert back.frames == original.frames
    assert back.cut_frames == original.cut_frames
    assert [(t.start, t.end, t.kind) for t in back.transitions] == [
        (t.start, t.end, t.kind) for t in original.transitions
    ]


def test_drop_frame_timecode_at_2997() -> None:
    fps = Fraction(30000, 1001)
    assert timecode(1800, fps) == "00:01:00;02"  # frames 00 and 01 of the minute do not exist
    assert frame_of("00:01:00;02", fps) == 1800
    assert frame_of("00:10:00;00", fps) == 17982
    assert "FCM: DROP FRAME" in edl_text(_cut_list(fps))
    assert "FCM: NON-DROP FRAME" in edl_text(_cut_list(Fraction(24000, 1001)))


RESOLVE_EDL = """TITLE: Timeline 1
FCM: NON-DROP FRAME

001  AX       V     C        00:00:00:00 00:00:02:00 01:00:00:00 01:00:02:00  
* FROM CLIP NAME: reel1.mov

002  AX       V     C        00:00:02:00 00:00:05:12 01:00:02:00 01:00:05:12  
* FROM CLIP NAME: reel1.mov

003  AX       AA    C        00:00:00:00 00:00:09:00 01:00:00:00 01:00:09:00  
* FROM CLIP NAME: reel1.mov

004  AX       V     C        00:00:05:12 00:00:05:12 01:00:05:12 01:00:05:12  
004  AX       V     D    024 00:00:07:00 00:00:09:00 01:00:05:12 01:00:07:12  
M2   AX       025.0                00:00:07:00 
* FROM CLIP NAME: reel1.mov
* TO CLIP NAME: reel2.mov
"""


def test_reads_an_edl_as_resolve_writes_it(tmp_path: Path) -> None:
    path = tmp_path / "Timeline 1.edl"
    path.write_bytes(RESOLVE_EDL.replace("\n", "\r\n").encode())
    found = read_edl(path, Fraction(25))
    assert found.frames == 7 * 25 + 12
    # 2 s = frame 50; 5 s 12 f = 137; the 24-frame dissolve starts there and changes shot halfway.
    assert found.cut_frames == [50, 137 + 12]
    assert [(t.start, t.end, t.kind) for t in found.transitions] == [(137, 160, "dissolve")]


def test_otio_round_trip_keeps_confidence_and_kinds(tmp_path: Path) -> None:
    original = _cut_list(Fraction(24000, 1001))
    path = write_otio(original, tmp_path / "film.otio", media=tmp_path / "film.mov")
    timeline = otio.adapters.read_from_file(str(path))
    clips = list(timeline.find_clips())
    assert len(clips) == len(original.cuts) + 1
    assert clips[0].media_reference.target_url.endswith("film.mov")
    back = read_otio(path)
    assert back == original


def test_bad_files_raise_one_line_errors(tmp_path: Path) -> None:
    text = tmp_path / "notes.edl"
    text.write_text("these are not edits\n")
    with pytest.raises(RelumeError, match="notes.edl: holds no picture events"):
        read_edl(text, Fraction(25))
    with pytest.raises(RelumeError, match="missing.otio"):
        read_otio(tmp_path / "missing.otio")
    broken = tmp_path / "broken.otio"
    broken.write_text("{ not json")
    with pytest.raises(RelumeError, match="broken.otio"):
        read_otio(broken)


def test_unwritable_target_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="does not exist"):
        write_edl(_cut_list(Fraction(25)), tmp_path / "absent" / "film.edl")
    folder = tmp_path / "is-a-folder.edl"
    folder.mkdir()
    with pytest.raises(OutputError):
        write_edl(_cut_list(Fraction(25)), folder)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["is-a-folder.edl"]
    assert list(folder.iterdir()) == []
