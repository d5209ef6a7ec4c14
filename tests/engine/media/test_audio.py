"""Audio carry-over: every stream, copied or re-encoded losslessly, in sync, cut to the picture."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from engine.media.audio import carried_codec
from engine.media.geometry import Size
from engine.render.export import ExportRequest, export_master
from engine.testing.make_media import clip_pictures

RATE = 48000
FPS = 25
FRAMES = 30  # 1.2 s of picture
CLICK_FRAME = 10  # the clapper: a burst that starts exactly with picture 10
AUDIO_SECONDS = 1.5  # the soundtrack runs on past the last picture


def test_codec_rules() -> None:
    assert carried_codec("aac", ".mov") is None
    assert carried_codec("aac", ".mkv") is None
    assert carried_codec("pcm_s16le", ".mov") is None
    assert carried_codec("opus", ".mov") == "pcm_s24le"
    assert carried_codec("mp2", ".mkv") == "flac"
    assert carried_codec("aac", ".mxf") == "pcm_s24le"
    assert carried_codec("pcm_s24le", ".wav") == "pcm_s24le"
    assert carried_codec("pcm_s16le", ".mp4") == "aac"


def _clapper(samples: int, channels: int) -> np.ndarray:
    """Silence with a 1 kHz burst from the click on, as int16 interleaved."""
    t = np.arange(samples) / RATE
    wave = np.where(t >= CLICK_FRAME / FPS, 12000 * np.sin(2 * np.pi * 1000 * t), 0).astype(np.int16)
    return np.repeat(wave[:, None], channels, axis=1).reshape(1, -1)


@pytest.fixture(scope="module")
def clapper_film(bikes: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Real pictures (bikes) with two soundtracks: PCM s16 stereo and AAC mono, both with the clapper."""
    path = tmp_path_factory.mktemp("clapper") / "clapper.mov"
    pictures = clip_pictures(bikes, (320, 136))[:FRAMES]
    samples = int(AUDIO_SECONDS * RATE)
    with av.open(str(path), "w") as out:
        video = out.add_stream("libx264", rate=FPS, options={"preset": "ultrafast"})
        video.width, video.height, video.pix_fmt = 320, 136, "yuv420p"
        pcm = out.add_stream("pcm_s16le", rate=RATE, layout="stereo")
        aac = out.add_stream("aac", rate=RATE, layout="mono")
        for index, rgb in enumerate(pictures):
            frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
            frame.pts, frame.time_base = index, Fraction(1, FPS)
            out.mux(video.encode(frame))
        out.mux(video.encode(None))
        for stream, channels, layout, fmt in ((pcm, 2, "stereo", "s16"), (aac, 1, "mono", "s16")):
            data = _clapper(samples, channels)
            for start in range(0, samples, 1024):
                chunk = np.ascontiguousarray(data[:, start * channels : (start + 1024) * channels])
                frame = av.AudioFrame.from_ndarray(chunk, format=fmt, layout=layout)
                frame.sample_rate, frame.pts, frame.time_base = RATE, start, Fraction(1, RATE)
                out.mux(stream.encode(frame))
            out.mux(stream.encode(None))
    return path


def _decoded(path: Path, stream_index: int) -> tuple[np.ndarray, int, str]:
    """Mono float samples of an audio stream, its rate, and its codec."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[stream_index]
        to_mono = av.AudioResampler(format="flt", layout="mono", rate=stream.sample_rate)
        chunks = [
            f.to_ndarray().reshape(-1)
            for frame in (*container.decode(stream), None)
            for f in to_mono.resample(frame)
        ]
        return np.concatenate(chunks), stream.sample_rate, stream.codec_context.name


def _onset_seconds(samples: np.ndarray, rate: int) -> float:
    return float(np.argmax(np.abs(samples) > 0.05) / rate)


@pytest.mark.parametrize(
    ("preset", "name", "codecs"),
    [("prores-422hq", "m.mov", ("pcm_s16le", "aac")), ("ffv1", "m.mkv", ("flac", "aac")),
     ("dnxhr-hqx", "m.mxf", ("pcm_s24le", "pcm_s24le"))],
)
def test_every_stream_is_carried_in_sync_and_cut_to_the_picture(
    preset: str, name: str, codecs: tuple[str, str], clapper_film: Path, tmp_path: Path
) -> None:
    target = tmp_path / name
    export_master(ExportRequest(clapper_film, target, preset, Size(320, 136)))
    picture_seconds = FRAMES / FPS
    for index, codec in enumerate(codecs):
        samples, rate, written_codec = _decoded(target, index)
        assert written_codec == codec
        assert rate == RATE
        # AAC is carried packet for packet: it may overhang the last picture by under one packet.
        slack = 1024 / RATE if codec == "aac" else 1 / RATE
        assert picture_seconds - 1 / RATE <= len(samples) / rate <= picture_seconds + slack + 2048 / RATE
        # The clapper lands on its picture within a millisecond (AAC: within its encoder delay, 1024 samples).
        tolerance = 1e-3 if codec != "aac" else 1100 / RATE
        assert _onset_seconds(samples, rate) == pytest.approx(CLICK_FRAME / FPS, abs=tolerance)


def test_audio_can_be_left_out(clapper_film: Path, tmp_path: Path) -> None:
    target = tmp_path / "silent.mov"
    export_master(ExportRequest(clapper_film, target, "prores-422hq", Size(320, 136), audio=False))
    with av.open(str(target)) as container:
        assert not container.streams.audio


def test_sequence_gets_one_24_bit_wav_per_stream(clapper_film: Path, tmp_path: Path) -> None:
    result = export_master(ExportRequest(clapper_film, tmp_path / "reel", "dpx", Size(160, 68)))
    assert result.sidecars == (tmp_path / "reel.wav", tmp_path / "reel.a2.wav")
    for wav in result.sidecars:
        samples, rate, codec = _decoded(wav, 0)
        assert codec == "pcm_s24le" and rate == RATE
        assert len(samples) == FRAMES * RATE // FPS  # cut to the sample
        assert _onset_seconds(samples, rate) == pytest.approx(CLICK_FRAME / FPS, abs=1100 / RATE)
