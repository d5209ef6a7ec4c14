"""The master writer: exact rate, BT.709 tags, timecode, deep frames, sequences."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from engine.media.geometry import Size, chroma_alignment, fit
from engine.media.presets import PRESETS
from engine.media.writer import MasterSpec, MasterWriter, sequence_frame_name
from engine.testing.make_media import clip_pictures

NTSC_FILM = Fraction(24000, 1001)


@pytest.fixture(scope="module")
def pictures(bikes: Path) -> list[np.ndarray]:
    """Six real frames of bikes.mp4 at 320×136."""
    return clip_pictures(bikes, (320, 136))[:6]


def _spec(preset: str, width: int, height: int, size: Size | None = None, **kwargs: object) -> MasterSpec:
    chosen = PRESETS.get(preset)
    placement = fit(width, height, size, align=chroma_alignment(chosen.pix_fmt_for(int(kwargs.get("source_bit_depth", 8)))))
    return MasterSpec(chosen, placement, kwargs.pop("fps", NTSC_FILM), **kwargs)  # type: ignore[arg-type]


def test_exact_ntsc_film_rate_tags_and_timecode(pictures: list[np.ndarray], tmp_path: Path) -> None:
    target = tmp_path / "a.mov"
    with MasterWriter(target, _spec("prores-422hq", 320, 136, start_timecode="01:00:00:00")) as writer:
        for rgb in pictures:
            writer.write(rgb)
    with av.open(str(target)) as container:
        stream = container.streams.video[0]
        assert stream.average_rate == NTSC_FILM
        packets = [p for p in container.demux(stream) if p.size]
        # QuickTime picks its own timescale; every picture must still sit exactly on i × 1001/24000 s.
        assert [p.pts * stream.time_base for p in packets] == [i / NTSC_FILM for i in range(6)]
        context = stream.codec_context
        assert (context.color_primaries, context.color_trc, context.colorspace, context.color_range) == (1, 1, 1, 1)
        assert stream.metadata.get("timecode") == "01:00:00:00"
        assert container.streams.data, "QuickTime carries the timecode in a tmcd track"


def test_timecode_in_matroska_and_mxf(pictures: list[np.ndarray], tmp_path: Path) -> None:
    for name, preset in (("a.mkv", "ffv1"), ("a.mxf", "dnxhr-hqx")):
        with MasterWriter(tmp_path / name, _spec(preset, 320, 136, fps=Fraction(25), start_timecode="10:00:00:00")) as w:
            w.write(pictures[0])
        with av.open(str(tmp_path / name)) as container:
            tags = {k.lower(): v for k, v in (*container.metadata.items(), *container.streams.video[0].metadata.items())}
            assert tags.get("timecode") == "10:00:00:00"


def test_pad_puts_real_picture_between_black_bars(pictures: list[np.ndarray], tmp_path: Path) -> None:
    target = tmp_path / "hd.mkv"
    with MasterWriter(target, _spec("ffv1", 320, 136, Size(1920, 1080))) as writer:
        writer.write(pictures[3])
    with av.open(str(target)) as container:
        frame = next(container.decode(video=0))
    rgb = frame.to_ndarray(format="rgb24").astype(int)
    assert rgb.shape == (1080, 1920, 3)
    scaled_height = round(1920 * 136 / 320)  # 816: letterbox
    top = (1080 - scaled_height) // 2
    assert rgb[: top - 2].max() <= 2 and rgb[top + scaled_height + 2 :].max() <= 2
    assert rgb[top + 4 : top + scaled_height - 4].std() > 20  # real picture, not black


def test_16_bit_frames_stay_16_bit_in_ffv1(tmp_path: Path) -> None:
    ramp = (np.arange(64 * 48 * 3, dtype=np.uint32) * 13 % 65536).astype(np.uint16).reshape(48, 64, 3)
    target = tmp_path / "deep.mkv"
    with MasterWriter(target, _spec("ffv1", 64, 48, source_bit_depth=16)) as writer:
        writer.write(ramp)
    with av.open(str(target)) as container:
        frame = next(container.decode(video=0))
    assert frame.format.name == "gbrp16le"
    assert np.array_equal(frame.to_ndarray(format="rgb48le"), ramp)


def test_sequence_frames_are_numbered(pictures: list[np.ndarray], tmp_path: Path) -> None:
    folder = tmp_path / "reel"
    folder.mkdir()
    with MasterWriter(folder, _spec("dpx", 320, 136), frame_stem="reel") as writer:
        for rgb in pictures[:3]:
            writer.write(rgb)
    assert sorted(p.name for p in folder.iterdir()) == [sequence_frame_name("reel", ".dpx", i) for i in range(3)]
    with av.open(str(folder / "reel.000002.dpx")) as container:
        frame = next(container.decode(video=0))
    assert (frame.width, frame.height) == (320, 136) and "10" in frame.format.name


def test_wrong_frame_shape_is_refused(pictures: list[np.ndarray], tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="expected"):
        with MasterWriter(tmp_path / "x.mov", _spec("prores-422hq", 320, 136)) as writer:
            writer.write(pictures[0])
            writer.write(pictures[0][:100])


def test_the_caller_may_reuse_its_frame_buffer_at_once(pictures: list[np.ndarray], tmp_path: Path) -> None:
    """Frames are encoded on the writer's thread: a buffer refilled after write() must not change the master."""
    target = tmp_path / "reused.mkv"
    buffer = np.empty_like(pictures[0])
    with MasterWriter(target, _spec("ffv1", 320, 136)) as writer:
        for rgb in pictures:
            buffer[...] = rgb
            writer.write(buffer)
        buffer[...] = 0
    with av.open(str(target)) as container:
        back = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    assert len(back) == len(pictures)
    for got, want in zip(back, pictures):
        # FFV1 is lossless, but RGB → 4:4:4 Y'CbCr 10-bit → RGB rounds by a level or two.
        assert np.abs(got.astype(int) - want).max() <= 2


def test_an_encoding_failure_on_the_writer_thread_reaches_the_caller(
    pictures: list[np.ndarray], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from engine.errors import OutputError

    target = tmp_path / "full.mov"
    writer = MasterWriter(target, _spec("prores-422hq", 320, 136))
    encode = writer._encode
    calls = []

    def full_disk(picture: av.VideoFrame | None) -> None:
        calls.append(picture)
        if len(calls) == 3:
            raise OutputError("writing failed (No space left on device)", target)
        encode(picture)

    monkeypatch.setattr(writer, "_encode", full_disk)
    with pytest.raises(OutputError, match="No space left"):
        with writer:
            for _ in range(50):
                for rgb in pictures:
                    writer.write(rgb)
    assert len(calls) == 3, "nothing is encoded after the failure"


@pytest.mark.parametrize("fails", [False, True])
def test_a_finished_writer_is_freed_at_once_not_by_a_later_collection(
    pictures: list[np.ndarray], tmp_path: Path, fails: bool
) -> None:
    """A film exports shot by shot, a writer each: one kept alive by a reference cycle holds its encoder's
    frame pools (about 90 MB a shot at UHD) until the garbage collector happens to run."""
    import gc
    import weakref

    gc.collect()
    gc.disable()
    try:
        writer = MasterWriter(tmp_path / "a.mov", _spec("prores-422hq", 320, 136))
        try:
            with writer:
                writer.write(pictures[0])
                if fails:
                    raise RuntimeError("cancelled")
        except RuntimeError:
            pass
        gone = weakref.ref(writer)
        del writer
        assert gone() is None
    finally:
        gc.enable()


@pytest.mark.parametrize("preset", ["prores-422hq", "dnxhr-hqx", "ffv1"])
def test_frame_threads_and_slice_threads_write_the_same_master(
    pictures: list[np.ndarray], tmp_path: Path, preset: str
) -> None:
    """The encoder's threading follows the machine's load, never the picture: a resumed export must match."""
    suffix = ".mkv" if preset == "ffv1" else ".mov"
    packets = []
    for busy in (False, True):
        target = tmp_path / f"{busy}{suffix}"
        with MasterWriter(target, _spec(preset, 320, 136), busy_cores=busy) as writer:
            assert writer._stream.codec_context.thread_type.name == ("SLICE" if busy else "AUTO")
            for rgb in pictures:
                writer.write(rgb)
        with av.open(str(target)) as container:
            packets.append([bytes(p) for p in container.demux(video=0) if p.size])
    assert len(packets[0]) == len(pictures) and packets[0] == packets[1]
