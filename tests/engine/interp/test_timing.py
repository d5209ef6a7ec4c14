"""Rate maths: which source position each output frame shows, exactly."""

from __future__ import annotations

from fractions import Fraction

import pytest

from engine.interp import Retiming


def test_ntsc_film_to_ntsc_video_is_exact() -> None:
    timing = Retiming(Fraction(24000, 1001), Fraction(60000, 1001))
    assert timing.step == Fraction(2, 5)
    # 5 output frames per 2 source frames: positions 0, 2/5, 4/5, 6/5, 8/5, then source frame 2 again exactly.
    assert [timing.position(k) for k in range(6)] == [0, Fraction(2, 5), Fraction(4, 5), Fraction(6, 5),
                                                      Fraction(8, 5), 2]
    assert timing.output_count(24000) == 60000
    # An hour of NTSC film (86 314 frames) stays within one output frame of the hour.
    frames = 86314
    seconds = Fraction(frames) / timing.source_fps
    out = timing.output_count(frames)
    assert abs(Fraction(out) / timing.output_fps - seconds) < 1 / timing.output_fps


@pytest.mark.parametrize(("source", "output"), [(24, 48), (24, 50), (24, 60), (25, 50),
                                                 (Fraction(24000, 1001), Fraction(60000, 1001))])
def test_shots_tile_the_output_without_gap_or_overlap(source: Fraction, output: Fraction) -> None:
    timing = Retiming(Fraction(source), Fraction(output))
    cuts = [0, 7, 8, 31, 100, 101, 250]
    ranges = [timing.output_range(a, b) for a, b in zip(cuts, cuts[1:])]
    assert ranges[0].start == 0
    assert all(r.stop == n.start for r, n in zip(ranges, ranges[1:]))
    assert ranges[-1].stop == timing.output_count(cuts[-1])
    # Every output frame of a shot shows a time inside that shot.
    for (a, b), r in zip(zip(cuts, cuts[1:]), ranges):
        assert all(a <= timing.position(k) < b for k in r)
    # Duration within one output frame of the source's.
    duration = Fraction(cuts[-1]) / timing.source_fps
    assert 0 <= Fraction(ranges[-1].stop) / timing.output_fps - duration < 1 / timing.output_fps


def test_rates_must_be_positive() -> None:
    with pytest.raises(ValueError):
        Retiming(Fraction(0), Fraction(50))
