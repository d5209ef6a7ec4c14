"""probe(): exact facts of real and generated media, and typed errors for bad input."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from engine.errors import CorruptMediaError, MediaError, UnsupportedMediaError
from engine.media.probe import probe
from engine.testing.make_media import make_audio_only, make_clip


def test_real_clip_with_audio(bigbuckbunny: Path) -> None:
    info = probe(bigbuckbunny)
    assert (info.frame_count, info.fps, info.width, info.height) == (132, Fraction(25), 1280, 720)
    assert info.codec == "h264" and info.bit_depth == 8 and info.field_order == "progressive"
    assert len(info.audio) == 1 and info.audio[0].codec == "aac" and info.audio[0].sample_rate == 48000
    assert info.audio[0].duration_seconds == pytest.approx(info.duration_seconds, abs=0.1)
    assert info.notices == ()


def test_ntsc_rate_stays_exact(carphone: Path, tmp_path: Path) -> None:
    assert probe(carphone).fps == Fraction(30000, 1001)
    for suffix in (".mp4", ".mkv"):  # Matroska stores milliseconds: the rate must still come back exact
        info = probe(make_clip(tmp_path / f"ntsc{suffix}", frames=30, fps=Fraction(24000, 1001)))
        assert info.fps == Fraction(24000, 1001) and not info.variable_frame_rate and info.frame_count == 30


def test_odd_size_and_one_frame(tmp_path: Path) -> None:
    odd = probe(make_clip(tmp_path / "odd.mkv", frames=3, size=(641, 481), codec="ffv1", pix_fmt="yuv444p"))
    assert (odd.width, odd.height, odd.frame_count) == (641, 481, 3)
    single = probe(make_clip(tmp_path / "one.mp4", frames=1))
    assert single.frame_count == 1 and single.notices == ()


def test_non_square_pixels(tmp_path: Path) -> None:
    info = probe(make_clip(tmp_path / "dvd.mp4", frames=3, size=(720, 480), sar=Fraction(8, 9)))
    assert info.sar == Fraction(8, 9) and info.dar == Fraction(4, 3)


def test_ten_bit_and_gray_sources(tmp_path: Path) -> None:
    prores = probe(make_clip(tmp_path / "p.mov", frames=3, codec="prores_ks", pix_fmt="yuv422p10le"))
    assert (prores.codec, prores.pix_fmt, prores.bit_depth) == ("prores", "yuv422p10le", 10)
    gray = probe(make_clip(tmp_path / "g.mkv", frames=3, codec="ffv1", pix_fmt="gray10le"))
    assert (gray.pix_fmt, gray.bit_depth) == ("gray10le", 10)


def test_variable_frame_rate_is_mapped_to_constant_with_a_notice(tmp_path: Path) -> None:
    info = probe(make_clip(tmp_path / "vfr.mkv", frames=20, durations=[40, 40, 80, 40, 20]))
    assert info.variable_frame_rate and info.frame_count == 20
    assert info.fps.denominator in (1, 1001)
    assert any("variable frame rate" in n for n in info.notices)


def test_timecode_and_audio_streams(tmp_path: Path) -> None:
    info = probe(make_clip(tmp_path / "tc.mov", frames=10, codec="prores_ks", timecode="01:00:00:00", audio=True))
    assert info.start_timecode == "01:00:00:00"
    assert [(a.codec, a.channels, a.sample_rate) for a in info.audio] == [("aac", 2, 48000)]


def test_file_shorter_than_its_header_warns_loudly(tmp_path: Path) -> None:
    full = make_clip(tmp_path / "full.mp4", frames=30, container_options={"movflags": "faststart"})
    data = full.read_bytes()
    short = tmp_path / "short.mp4"
    short.write_bytes(data[: int(len(data) * 0.6)])  # index at the front still promises 30 frames
    info = probe(short)
    assert 0 < info.frame_count < 30
    assert any(n.startswith("WARNING") and "30 frames" in n for n in info.notices)


def test_fps_override_is_noted(tmp_path: Path) -> None:
    info = probe(make_clip(tmp_path / "a.mp4", frames=5), fps=Fraction(18))
    assert info.fps == 18 and any("18" in n for n in info.notices)


def _written(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _random_bytes(path: Path) -> Path:
    path.write_bytes(np.random.default_rng(0).bytes(20_000))
    return path


def _truncated_mp4(path: Path) -> Path:
    data = make_clip(path.with_name("whole.mp4"), frames=20).read_bytes()  # index (moov) at the end
    path.write_bytes(data[: len(data) // 2])
    return path


@pytest.mark.parametrize(
    ("make", "error", "reason"),
    [
        (lambda d: d / "missing.mp4", MediaError, "no such file"),
        (lambda d: _written(d / "empty.mp4", b""), CorruptMediaError, "empty"),
        (lambda d: _random_bytes(d / "noise.mp4"), CorruptMediaError, "not a media file"),
        (lambda d: _truncated_mp4(d / "cut.mp4"), CorruptMediaError, "index (moov) is missing"),
        (lambda d: _written(d / "notes.mkv", b"reel 3, shot 12\n" * 40), UnsupportedMediaError, "text file"),
        (lambda d: make_audio_only(d / "sound.mkv"), UnsupportedMediaError, "has no video stream"),
    ],
    ids=["missing", "zero-byte", "random-bytes", "truncated-mp4", "text-as-mkv", "audio-only"],
)
def test_bad_input_is_one_clear_line(tmp_path: Path, make, error: type[MediaError], reason: str) -> None:  # noqa: ANN001
    path = make(tmp_path)
    with pytest.raises(error) as caught:
        probe(path)
    message = str(caught.value)
    assert message.startswith(str(path) + ": ") and reason in message and "\n" not in message


def test_frames_that_do_not_decode_at_the_end_are_not_counted(tmp_path: Path) -> None:
    import av

    path = make_clip(tmp_path / "mj.avi", frames=20, codec="mjpeg")
    with av.open(str(path)) as container:
        packets = [(p.pos, p.size) for p in container.demux(video=0) if p.size]
    data = bytearray(path.read_bytes())
    for position, size in packets[-2:]:  # whole packets, unreadable pictures: only decoding can tell
        data[position : position + size] = bytes(size)
    damaged = _written(tmp_path / "damaged.avi", bytes(data))
    info = probe(damaged)
    assert info.frame_count == 18
    assert any(n.startswith("WARNING: only 18 of 20 frames decode") for n in info.notices)


@pytest.mark.parametrize("name", ["tc.mxf", "tc.mkv"])
def test_start_timecode_in_other_containers(tmp_path: Path, name: str) -> None:
    codec = "mpeg2video" if name.endswith(".mxf") else "ffv1"
    path = make_clip(tmp_path / name, frames=3, size=(720, 576), codec=codec, timecode="10:00:00:00")
    assert probe(path).start_timecode == "10:00:00:00"
