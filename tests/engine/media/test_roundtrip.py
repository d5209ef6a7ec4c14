"""Every preset round-trips a real clip: frames, size, rate and sound come back as asked."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from engine.media.geometry import Size
from engine.media.presets import PRESETS
from engine.media.probe import probe
from engine.media.source import open_source
from engine.render.export import ExportRequest, export_master

SMALL = Size(320, 180)
BBB_FRAMES = 132
SLICE_FRAMES = 40
SLICE_SECONDS = SLICE_FRAMES / 25


def slice_of_bigbuckbunny(bigbuckbunny: Path, target: Path, frames: int = SLICE_FRAMES) -> Path:
    """The first ``frames`` pictures of bigbuckbunny at 480×270 (H.264) with its own AAC packets.

    Keeps the round trips fast on two cores while every preset still meets real
    footage and real 5.1 AAC.
    """
    with av.open(str(bigbuckbunny)) as source, av.open(str(target), "w") as out:
        video_in, audio_in = source.streams.video[0], source.streams.audio[0]
        video = out.add_stream("libx264", rate=25, options={"preset": "ultrafast", "crf": "12"})
        video.width, video.height, video.pix_fmt = 480, 270, "yuv420p"
        audio = out.add_stream_from_template(audio_in)
        seconds = frames / 25
        written = 0
        for packet in source.demux(video_in, audio_in):
            if packet.stream is audio_in:
                if packet.pts is not None and packet.pts * audio_in.time_base < seconds + 0.05:
                    packet.stream = audio
                    out.mux(packet)
                continue
            for frame in packet.decode():
                if written < frames:
                    small = frame.reformat(480, 270, "yuv420p")
                    small.pts, small.time_base = written, Fraction(1, 25)
                    out.mux(video.encode(small))
                    written += 1
        out.mux(video.encode(None))
    return target


@pytest.fixture(scope="module")
def bbb_slice(bigbuckbunny: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 40-frame slice of bigbuckbunny with its AAC audio."""
    return slice_of_bigbuckbunny(bigbuckbunny, tmp_path_factory.mktemp("slice") / "bbb40.mp4")


def _no_temporaries(folder: Path) -> None:
    assert not [p.name for p in folder.iterdir() if ".relume-tmp-" in p.name or ".relume-write-probe" in p.name]


@pytest.mark.parametrize("name", [p.name for p in PRESETS if not p.sequence])
def test_container_preset_round_trips_bigbuckbunny(name: str, bbb_slice: Path, tmp_path: Path) -> None:
    preset = PRESETS.get(name)
    target = tmp_path / f"master{preset.extension}"
    result = export_master(ExportRequest(bbb_slice, target, name, SMALL))
    assert result.target == target and target.is_file()
    info = probe(target)
    assert info.frame_count == SLICE_FRAMES
    assert (info.width, info.height) == (320, 180)
    assert info.fps == 25
    # FFmpeg's ProRes decoder hands 4444 out at 12 bits whatever was stored.
    assert info.pix_fmt == {"prores-4444": "yuv444p12le"}.get(name, preset.pix_fmt)
    assert (info.color_primaries, info.color_transfer) == ("bt709", "bt709")
    assert len(info.audio) == 1
    assert info.audio[0].duration_seconds == pytest.approx(SLICE_SECONDS, abs=0.045)
    _no_temporaries(tmp_path)


@pytest.mark.parametrize("name", [p.name for p in PRESETS if p.sequence])
def test_sequence_preset_round_trips_with_sidecar_wav(name: str, bbb_slice: Path, tmp_path: Path) -> None:
    preset = PRESETS.get(name)
    target = tmp_path / "reel1"
    result = export_master(ExportRequest(bbb_slice, target, name, Size(160, 90)))
    files = sorted(target.iterdir())
    assert len(files) == SLICE_FRAMES
    assert files[0].name == f"reel1.000000{preset.extension}" and files[-1].name == f"reel1.000039{preset.extension}"
    info = probe(target, fps=Fraction(25))
    assert info.frame_count == SLICE_FRAMES and (info.width, info.height) == (160, 90)
    wav = tmp_path / "reel1.wav"
    assert result.sidecars == (wav,)
    sound = probe_audio(wav)
    assert sound == pytest.approx(SLICE_SECONDS, abs=1e-3)  # re-encoded: cut to the sample
    with av.open(str(wav)) as container:
        assert container.streams.audio[0].codec_context.name == "pcm_s24le"
    _no_temporaries(tmp_path)


def probe_audio(path: Path) -> float:
    """Seconds of the first audio stream, from the samples actually decoded."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        return sum(frame.samples for frame in container.decode(stream)) / stream.sample_rate


def test_full_clip_full_size_prores_keeps_every_frame_in_order(bigbuckbunny: Path, tmp_path: Path) -> None:
    """The whole 720p clip at source size: frame i of the master is frame i of the source."""
    target = tmp_path / "bbb.mov"
    export_master(ExportRequest(bigbuckbunny, target, "prores-422hq"))
    with open_source(bigbuckbunny) as source, open_source(target) as master:
        info = master.info
        assert (info.frame_count, info.width, info.height, info.fps) == (BBB_FRAMES, 1280, 720, 25)
        assert info.audio[0].duration_seconds == pytest.approx(BBB_FRAMES / 25, abs=0.045)
        for index in (0, 1, 64, 131):
            original = source.frame(index).astype(np.float64)
            written = master.frame(index).astype(np.float64) / 257  # the 10-bit master decodes to 16-bit RGB
            error = np.abs(original - written).mean()
            assert error < 1.5  # ProRes 422 HQ: visually lossless
            # and not the neighbour: a one-frame slip would show a larger difference
            if index:
                assert np.abs(source.frame(index - 1) - written).mean() > error


def test_ffv1_is_lossless_for_16_bit_rgb(tmp_path: Path, bikes: Path) -> None:
    """A 16-bit scan goes into FFV1 as 16-bit RGB and comes back bit for bit."""
    from engine.testing.make_media import make_sequence

    scan = make_sequence(tmp_path / "scan", frames=4, ext="tif", bit_depth=16, size=(96, 64))
    target = tmp_path / "scan.mkv"
    export_master(ExportRequest(scan, target, "ffv1", source_fps=Fraction(24)))
    info = probe(target)
    assert info.pix_fmt == "gbrp16le" and info.frame_count == 4 and info.fps == 24
    with open_source(scan, Fraction(24)) as source, open_source(target) as master:
        for index in range(4):
            assert source.frame(index).dtype == np.uint16
            assert np.array_equal(source.frame(index), master.frame(index))
