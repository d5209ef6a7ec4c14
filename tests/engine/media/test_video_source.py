"""VideoSource: frame-exact random access, deep and gray pixels, corrupt frames survived."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from engine.errors import CorruptMediaError
from engine.media.source import open_source
from engine.media.types import FrameSource
from engine.media.video_source import VideoSource
from engine.testing.make_media import frame_picture, make_clip


def _sequential(path: Path) -> list[np.ndarray]:
    with open_source(path) as source:
        return [frame.copy() for frame in source.frames()]


def _visit_order(count: int, samples: int, seed: int, runs: int) -> list[int]:
    """Random indices visited in ``runs`` ascending runs: every run after the first jumps backwards."""
    indices = np.random.default_rng(seed).integers(0, count, samples)
    return [int(i) for run in np.array_split(indices, runs) for i in sorted(run)]


def test_random_access_equals_sequential_decode_on_long_gop_h264(bigbuckbunny: Path) -> None:
    reference = _sequential(bigbuckbunny)
    assert len(reference) == 132
    order = _visit_order(len(reference), 200, seed=2, runs=8)
    # A cache of ~20 frames, so most visits really decode (one keyframe: backwards means from frame 0).
    with open_source(bigbuckbunny, cache_bytes=56 * 2**20) as source:
        for index in order:
            assert np.array_equal(source.frame(index), reference[index]), index
        assert source.corrupt_frames == []


def test_random_access_with_b_frames_and_backward_seeks(tmp_path: Path, carphone: Path) -> None:
    path = make_clip(tmp_path / "gop.mp4", frames=60, size=(176, 144), gop=12, b_frames=3, from_clip=carphone)
    reference = _sequential(path)
    order = [int(i) for i in np.random.default_rng(5).integers(0, 60, 200)]  # fully random, many backward jumps
    with open_source(path, cache_bytes=0) as source:
        assert [i for i in order if not np.array_equal(source.frame(i), reference[i])] == []


def test_ten_bit_prores_is_uint16_and_frame_exact(tmp_path: Path, carphone: Path) -> None:
    path = make_clip(tmp_path / "p.mov", frames=24, size=(176, 144), codec="prores_ks", from_clip=carphone)
    reference = _sequential(path)
    assert reference[0].dtype == np.uint16 and reference[0].shape == (144, 176, 3)
    assert any(int(frame.max()) & 0xFF for frame in reference)  # full 16-bit scale, not 8-bit shifted
    with open_source(path, cache_bytes=0) as source:
        for index in _visit_order(24, 200, seed=3, runs=10):
            assert np.array_equal(source.frame(index), reference[index]), index


def test_pictures_match_what_was_encoded(tmp_path: Path) -> None:
    path = make_clip(tmp_path / "lossless.mkv", frames=6, size=(64, 48), codec="ffv1", pix_fmt="yuv444p")
    with VideoSource(path) as source:
        assert isinstance(source, FrameSource) and len(source) == 6
        for index in (5, 2, 0, 4):
            error = np.abs(source.frame(index).astype(int) - frame_picture(index, (64, 48)))
            assert error.mean() < 2.0, index  # only the RGB→YUV→RGB rounding


def test_gray_sources(tmp_path: Path) -> None:
    gray10 = make_clip(tmp_path / "g.mkv", frames=8, codec="ffv1", pix_fmt="gray10le")
    with open_source(gray10) as source:
        picture = source.frame(3)
        assert picture.dtype == np.uint16 and np.array_equal(picture[..., 0], picture[..., 2])
        assert source.is_grayscale()
    bw_in_color = make_clip(tmp_path / "bw.mp4", frames=8, gray=True, pix_fmt="yuv420p")
    color = make_clip(tmp_path / "color.mp4", frames=8)
    with open_source(bw_in_color) as bw, open_source(color) as colored:
        assert bw.is_grayscale() and not colored.is_grayscale()


def test_real_color_clip_is_not_grayscale(bikes: Path) -> None:
    with open_source(bikes) as source:
        assert not source.is_grayscale(samples=3)


def _corrupt_packets(path: Path, frames: tuple[int, ...]) -> Path:
    with av.open(str(path)) as container:
        packets = [(p.pos, p.size) for p in container.demux(video=0) if p.size]
    data = bytearray(path.read_bytes())
    for index in frames:
        position, size = packets[index]
        data[position : position + size] = bytes(size)
    damaged = path.with_name("damaged" + path.suffix)
    damaged.write_bytes(bytes(data))
    return damaged


def test_a_few_corrupt_frames_are_held_from_the_nearest_good_one(tmp_path: Path) -> None:
    damaged = _corrupt_packets(make_clip(tmp_path / "mj.avi", frames=20, codec="mjpeg"), (7, 12, 13))
    with open_source(damaged) as source:
        frames = [f.copy() for f in source.frames()]
        assert len(frames) == 20 and source.corrupt_frames == [7, 12, 13]
        assert np.array_equal(frames[7], frames[6]) and np.array_equal(frames[13], frames[14])
        assert np.array_equal(source.frame(12), frames[11])
    with open_source(damaged, cache_bytes=0) as source:  # random access substitutes the same way
        assert np.array_equal(source.frame(13), frames[13]) and np.array_equal(source.frame(7), frames[7])


def test_many_corrupt_frames_in_a_row_give_up(tmp_path: Path) -> None:
    damaged = _corrupt_packets(make_clip(tmp_path / "mj.avi", frames=40, codec="mjpeg"), tuple(range(5, 35)))
    with open_source(damaged) as source, pytest.raises(CorruptMediaError, match="do not decode"):
        list(source.frames())


def test_short_file_reads_every_frame_it_has(tmp_path: Path) -> None:
    data = make_clip(tmp_path / "full.mp4", frames=30, container_options={"movflags": "faststart"}).read_bytes()
    short = tmp_path / "short.mp4"
    short.write_bytes(data[: int(len(data) * 0.6)])
    with open_source(short) as source:
        frames = list(source.frames())
        assert len(frames) == len(source) < 30 and source.corrupt_frames == []


def test_index_out_of_range_and_close(tmp_path: Path) -> None:
    source = open_source(make_clip(tmp_path / "a.mp4", frames=4), fps=Fraction(24))
    assert source.info.fps == 24
    with pytest.raises(IndexError):
        source.frame(4)
    frame = source.frame(0)
    with pytest.raises(ValueError):
        frame[0, 0, 0] = 1  # cached frames are read-only
    source.close()


@pytest.mark.parametrize(
    ("name", "codec"),
    [("ts.ts", "mpeg2video"), ("ps.mpg", "mpeg2video"), ("h264.ts", "libx264"), ("d10.mxf", "mpeg2video"),
     ("xvid.avi", "mpeg4"), ("h264.mkv", "libx264")],
)
def test_random_access_in_every_container(tmp_path: Path, carphone: Path, name: str, codec: str) -> None:
    """Containers without an index (MPEG-TS/PS) seek approximately; frames must still be exact."""
    path = make_clip(tmp_path / name, frames=48, size=(176, 144), codec=codec, gop=12, b_frames=2, from_clip=carphone)
    reference = _sequential(path)
    assert len(reference) == 48
    with open_source(path, cache_bytes=0) as source:
        order = [int(i) for i in np.random.default_rng(11).integers(0, 48, 60)]
        assert [i for i in order if not np.array_equal(source.frame(i), reference[i])] == []
        assert source.corrupt_frames == []


def test_interlaced_mpeg2_reports_its_field_order(tmp_path: Path) -> None:
    path = make_clip(
        tmp_path / "pal.mpg", frames=6, size=(720, 576), codec="mpeg2video", options={"flags": "+ilme+ildct"}
    )
    with open_source(path) as source:
        assert source.info.interlaced and source.info.field_order in ("tff", "bff")
        assert len(list(source.frames())) == 6
    progressive = make_clip(tmp_path / "p.mpg", frames=3, size=(720, 576), codec="mpeg2video")
    with open_source(progressive) as source:
        assert source.info.field_order == "progressive"


def test_frames_before_a_broken_stretch_stay_readable(tmp_path: Path) -> None:
    damaged = _corrupt_packets(make_clip(tmp_path / "mj.avi", frames=40, codec="mjpeg"), tuple(range(5, 35)))
    with open_source(damaged) as fresh:
        expected = fresh.frame(2).copy()
    with open_source(damaged) as source:
        with pytest.raises(CorruptMediaError):
            source.frame(20)
        assert np.array_equal(source.frame(2), expected)


@pytest.mark.parametrize(
    ("name", "settings"),
    [
        ("odd.mkv", {"frames": 5, "size": (641, 481), "codec": "ffv1", "pix_fmt": "yuv420p"}),
        ("one.mp4", {"frames": 1, "size": (64, 48)}),
        ("vfr.mkv", {"frames": 15, "size": (64, 48), "durations": [40, 40, 80, 40, 20]}),
        ("dvd.mp4", {"frames": 5, "size": (720, 480), "sar": Fraction(10, 11)}),
    ],
)
def test_edge_cases_read_every_frame(tmp_path: Path, name: str, settings: dict) -> None:
    path = make_clip(tmp_path / name, **settings)
    width, height = settings["size"]
    with open_source(path) as source:
        frames = [frame.copy() for frame in source.frames()]
        assert len(frames) == len(source) == settings["frames"]
        assert all(frame.shape == (height, width, 3) for frame in frames)
        assert np.array_equal(source.frame(len(source) - 1), frames[-1]) and np.array_equal(source.frame(0), frames[0])
        assert source.corrupt_frames == []
        # each picture is the one encoded at its index: nearer to it than to its neighbours' pictures
        for index in range(len(frames)):
            errors = {
                k: np.abs(frames[index].astype(int) - frame_picture(k, (width, height))).mean()
                for k in (index - 1, index, index + 1)
            }
            assert min(errors, key=errors.get) == index and errors[index] < 8.0, (index, errors)


def test_cache_keeps_the_latest_frames_within_its_byte_budget(tmp_path: Path) -> None:
    path = make_clip(tmp_path / "a.mp4", frames=8)
    frame_bytes = 64 * 48 * 3
    with VideoSource(path, cache_bytes=3 * frame_bytes) as source:
        first = [source.frame(i) for i in range(6)]
        assert len(source._cache) == 3 and source._cache.size_bytes <= 3 * frame_bytes
        assert source.frame(5) is first[5]  # a hit hands back the cached array
        again = source.frame(0)  # evicted: decoded anew, same picture
        assert again is not first[0] and np.array_equal(again, first[0])
        streamed = list(source.frames(0, 8))  # sequential reads leave the cache alone
        assert source.frame(0) is again and len(streamed) == 8
