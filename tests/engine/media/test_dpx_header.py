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
