"""Image sequences: naming, DPX 10-bit and TIFF 16-bit reading, gaps, frame-exact access."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from engine.errors import MediaError, UnsupportedMediaError
from engine.media.probe import probe
from engine.media.sequence import find_sequence, looks_like_sequence
from engine.media.sequence_source import ImageSequenceSource
from engine.media.source import open_source
from engine.testing.make_media import frame_picture, make_sequence


def test_telling_a_sequence_from_a_file(tmp_path: Path) -> None:
    assert looks_like_sequence("scan.%06d.dpx") and looks_like_sequence("scan.####.dpx")
    assert looks_like_sequence("reel1/scan.000123.dpx") and looks_like_sequence(tmp_path)
    assert not looks_like_sequence("reel1.mov") and not looks_like_sequence("reel#1 take 100%.mkv")


def test_every_way_of_naming_finds_the_same_frames(tmp_path: Path) -> None:
    pattern = make_sequence(tmp_path / "reel", frames=5, ext="png", bit_depth=8, first=86400, digits=7)
    names = [pattern, tmp_path / "reel" / "scan.#######.png", tmp_path / "reel", tmp_path / "reel" / "scan.0086402.png"]
    found = {find_sequence(name) for name in names}
    assert len(found) == 1
    (sequence,) = found
    assert (sequence.first, sequence.last, sequence.digits, sequence.pattern) == (86400, 86404, 7, pattern)


def test_dpx_ten_bit_sequence(tmp_path: Path) -> None:
    pattern = make_sequence(tmp_path / "dpx", frames=6, ext="dpx", bit_depth=10)
    info = probe(pattern, fps=Fraction(24))
    assert (info.container, info.codec, info.frame_count, info.bit_depth) == ("image-sequence", "dpx", 6, 10)
    assert info.fps == 24 and info.notices == ()
    with open_source(pattern) as source:
        picture = source.frame(4)
        assert picture.dtype == np.uint16 and picture.shape == (48, 64, 3)
        # 10-bit quantisation: within one 10-bit step of the 16-bit original
        assert np.abs(picture.astype(int) - frame_picture(4, (64, 48), bit_depth=16)).max() <= 65535 // 1023


def test_tiff_sixteen_bit_sequence_is_lossless(tmp_path: Path) -> None:
    pattern = make_sequence(tmp_path / "tif", frames=4, ext="tif", bit_depth=16)
    with open_source(pattern) as source:
        assert source.info.bit_depth == 16
        assert any("24 fps assumed" in n for n in source.info.notices)
        for index in (3, 0, 2):
            assert np.array_equal(source.frame(index), frame_picture(index, (64, 48), bit_depth=16))


def test_random_access_equals_sequential_read(tmp_path: Path) -> None:
    pattern = make_sequence(tmp_path / "exr", frames=12, ext="exr")
    with ImageSequenceSource(pattern, cache_bytes=0) as source:
        reference = [frame.copy() for frame in source.frames()]
        order = [int(i) for i in np.random.default_rng(4).integers(0, 12, 200)]
        assert [i for i in order if not np.array_equal(source.frame(i), reference[i])] == []


def test_gap_in_the_numbering_keeps_timing_and_holds_the_nearest_frame(tmp_path: Path) -> None:
    pattern = make_sequence(tmp_path / "gap", frames=10, ext="png", bit_depth=8, skip=(4, 5, 6))
    info = probe(pattern)
    assert info.frame_count == 10 and any("3 frame(s) missing" in n for n in info.notices)
    with open_source(pattern) as source:
        frames = list(source.frames())
        assert source.corrupt_frames == [4, 5, 6]
        assert np.array_equal(frames[4], frames[3]) and np.array_equal(frames[6], frames[7])
        assert np.array_equal(frames[7], frame_picture(7, (64, 48)))


def test_an_undecodable_frame_is_substituted(tmp_path: Path) -> None:
    pattern = make_sequence(tmp_path / "bad", frames=5, ext="png", bit_depth=8)
    (tmp_path / "bad" / "scan.000003.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))
    with open_source(pattern) as source:
        assert np.array_equal(source.frame(2), frame_picture(1, (64, 48)))
        assert source.corrupt_frames == [2]


def test_unsupported_and_missing_sequences(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedMediaError, match=r"'\.jpg' images are not supported"):
        probe(tmp_path / "scan.%04d.jpg")
    (tmp_path / "jpegs").mkdir()
    (tmp_path / "jpegs" / "scan.0001.jpg").write_bytes(b"\xff\xd8")
    with pytest.raises(UnsupportedMediaError, match="DPX, TIFF, PNG or EXR"):
        probe(tmp_path / "jpegs")
    with pytest.raises(MediaError, match="no frames"):
        probe(tmp_path / "scan.%06d.dpx")
