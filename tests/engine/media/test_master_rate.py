"""Rates and timecode of a master: a new rate keeps the reel's timecode; approximate declared rates snap."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from engine.cli import main
from engine.media.frame_rate import retimed_timecode
from engine.media.probe import probe
from engine.testing.make_media import make_clip


@pytest.mark.parametrize(
    ("code", "source", "target", "expected"),
    [("01:00:00:12", Fraction(24), Fraction(48), "01:00:00:24"),
     ("10:00:00:00", Fraction(25), Fraction(50), "10:00:00:00"),
     ("01:00:00:23", Fraction(24), Fraction(60), "01:00:00:57"),
     ("01:00:00:12", Fraction(24000, 1001), Fraction(60000, 1001), "01:00:00;30"),
     # 01:01:00;00 and ;01 do not exist in 29.97 drop-frame counting
     ("01:01:00:00", Fraction(24000, 1001), Fraction(30000, 1001), "01:01:00;02"),
     ("00:59:59;28", Fraction(30000, 1001), Fraction(60000, 1001), "00:59:59;56")],
)
def test_the_label_keeps_its_seconds_and_scales_its_frames(code: str, source: Fraction, target: Fraction,
                                                           expected: str) -> None:
    assert retimed_timecode(code, source, target) == expected


def test_an_export_at_double_rate_starts_at_the_same_second(bikes: Path, tmp_path: Path) -> None:
    film = make_clip(tmp_path / "reel.mov", frames=8, size=(96, 64), fps=24, codec="prores_ks",
                     pix_fmt="yuv422p10le", timecode="01:00:00:12", from_clip=bikes, gray=True)
    assert probe(film).start_timecode == "01:00:00:12"
    target = tmp_path / "master.mov"
    assert main(["export", str(film), "--out", str(target), "--fps", "48", "--cuts", "none"]) == 0
    master = probe(target)
    assert master.fps == 48 and master.start_timecode == "01:00:00:24"


def test_a_declared_rate_that_approximates_a_standard_one_is_read_as_it() -> None:
    from engine.media.frame_rate import read_frame_rate

    # Matroska keeps millisecond timestamps and declares 59.94 fps as 19001/317.
    pts = [round(i * 1000 * Fraction(1001, 60000)) for i in range(240)]
    reading = read_frame_rate(pts, Fraction(1, 1000), [Fraction(19001, 317)])
    assert reading.fps == Fraction(60000, 1001) and not reading.variable
    # A rate that is no standard one stays as declared.
    pts = [round(i * 1000 / Fraction(18)) for i in range(50)]
    assert read_frame_rate(pts, Fraction(1, 1000), [Fraction(18)]).fps == 18
    assert read_frame_rate([i * 70 for i in range(50)], Fraction(1, 1000), [Fraction(100, 7)]).fps == Fraction(100, 7)
