"""A DPX scan keeps the timecode and frame rate its scanner wrote, through probe and export."""

from __future__ import annotations

import struct
from fractions import Fraction
from pathlib import Path

import pytest

from engine.cli import main
from engine.media.dpx_header import read_dpx_time
from engine.media.probe import probe
from engine.testing.make_media import make_sequence


def _stamp(path: Path, timecode: int, film_fps: float | None, tv_fps: float | None) -> None:
    """Write a scanner's time code (BCD) and frame rates into a DPX header, in the file's byte order."""
    header = bytearray(path.read_bytes())
    order = ">" if header[:4] == b"SDPX" else "<"
    struct.pack_into(order + "I", header, 1920, timecode)
    for offset, fps in ((1724, film_fps), (1940, tv_fps)):
        if fps is None:
            struct.pack_into(order + "I", header, offset, 0xFFFFFFFF)  # undefined
        else:
            struct.pack_into(order + "f", header, offset, fps)
    path.write_bytes(bytes(header))


@pytest.fixture
def scan(bikes: Path, tmp_path: Path) -> Path:
    """Four real frames (bikes) as a 10-bit DPX scan."""
    return make_sequence(tmp_path / "scan", frames=4, ext="dpx", bit_depth=10, size=(96, 64), from_clip=bikes)


def test_the_header_gives_timecode_and_rate(scan: Path) -> None:
    files = sorted(scan.parent.glob("*.dpx"))
    assert read_dpx_time(files[0]).timecode is None  # FFmpeg's encoder writes zeros: not a time
    _stamp(files[0], 0x01000012, None, 23.976)
    assert read_dpx_time(files[0]).timecode == "01:00:00:12"
    assert read_dpx_time(files[0]).fps == Fraction(24000, 1001)
    _stamp(files[0], 0x10203004, 25.0, 23.976)  # the film header's rate wins
    assert read_dpx_time(files[0]).fps == 25
    _stamp(files[0], 0x0A000000, None, None)  # not BCD, no rates: nothing invented
    assert read_dpx_time(files[0]) == read_dpx_time(files[1])


def test_probe_and_export_carry_the_scanners_timecode(scan: Path, tmp_path: Path) -> None:
    first = sorted(scan.parent.glob("*.dpx"))[0]
    _stamp(first, 0x01000012, 25.0, None)
    info = probe(scan)
    assert (info.start_timecode, info.fps) == ("01:00:00:12", 25)
    assert not any("assumed" in n for n in info.notices)
    assert probe(scan, Fraction(24)).fps == 24  # --source-fps still wins
    target = tmp_path / "master.mov"
    assert main(["export", str(scan), "--out", str(target)]) == 0
    master = probe(target)
    assert (master.start_timecode, master.fps) == ("01:00:00:12", 25)


def test_a_dpx_master_gives_every_frame_its_own_timecode(scan: Path, tmp_path: Path) -> None:
    """FFmpeg's encoder writes zeros; a conform needs each frame's place on the reel."""
    _stamp(sorted(scan.parent.glob("*.dpx"))[0], 0x01000023, 25.0, None)
    target = tmp_path / "reel"
    assert main(["export", str(scan), "--out", str(target), "--preset", "dpx"]) == 0
    frames = sorted(target.glob("*.dpx"))
    times = [read_dpx_time(f) for f in frames]
    assert [t.timecode for t in times] == ["01:00:00:23", "01:00:00:24", "01:00:01:00", "01:00:01:01"]
    assert {t.fps for t in times} == {25}
    assert (probe(target).start_timecode, probe(target).fps) == ("01:00:00:23", 25)


def test_a_retimed_dpx_master_counts_its_timecode_at_the_new_rate(bikes: Path, tmp_path: Path) -> None:
    from engine.project import Cut, MediaRef, Project
    from engine.render.film_export import FilmExport, export_film
    from engine.testing.make_media import make_clip

    source = make_clip(tmp_path / "reel.mov", frames=6, size=(96, 64), codec="prores_ks",
                       timecode="01:00:00:12", from_clip=bikes, fps=Fraction(24))
    project = Project(fps=Fraction(24), frame_count=6, media=MediaRef.to_file(source), cuts=(Cut(3, shot="b"),),
                      opening_shot="a")
    result = export_film(project, FilmExport(tmp_path / "reel48", {"export.preset": "dpx", "export.fps": "48"}))
    times = [read_dpx_time(f) for f in sorted(result.target.glob("*.dpx"))]
    assert len(times) == 12
    # 01:00:00:12 at 24 fps is 01:00:00:24 at 48, and the frames count on from there across both shots.
    assert [t.timecode for t in times[:2]] == ["01:00:00:24", "01:00:00:25"]
    assert times[-1].timecode == "01:00:00:35"
    assert {t.fps for t in times} == {48}
