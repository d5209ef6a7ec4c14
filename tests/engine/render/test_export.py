"""The export job's safety: refuse early, leave nothing behind, never touch the source."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from engine.errors import Cancelled, MediaError, OutputError, RelumeError
from engine.media.geometry import Fit, Size
from engine.progress import CancelToken, Progress
from engine.render.export import ExportRequest, export_master, resolve_target
from engine.media.presets import PRESETS
from engine.media.probe import probe
from engine.testing.make_media import make_clip

SMALL = Size(160, 90)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".relume-" in p.name)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def short_film(bikes: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """30 real frames (bikes) with an AAC soundtrack."""
    return make_clip(tmp_path_factory.mktemp("film") / "film.mp4", frames=30, size=(320, 136), audio=True, from_clip=bikes)


def test_existing_target_is_refused_before_any_work(short_film: Path, tmp_path: Path) -> None:
    target = tmp_path / "m.mov"
    target.write_bytes(b"an older master")
    with pytest.raises(OutputError, match="already exists.*--overwrite"):
        export_master(ExportRequest(short_film, target, size=SMALL))
    assert target.read_bytes() == b"an older master"
    assert _leftovers(tmp_path) == []


def test_overwrite_replaces_the_target(short_film: Path, tmp_path: Path) -> None:
    target = tmp_path / "m.mov"
    target.write_bytes(b"an older master")
    export_master(ExportRequest(short_film, target, size=SMALL, overwrite=True))
    with av.open(str(target)) as container:
        assert container.streams.video[0].codec_context.name == "prores"
    assert _leftovers(tmp_path) == []


def test_missing_or_file_as_folder_output_is_refused(short_film: Path, tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="output folder does not exist"):
        export_master(ExportRequest(short_film, tmp_path / "nowhere" / "m.mov"))
    (tmp_path / "plain").write_text("x")
    with pytest.raises(OutputError, match="not a folder"):
        export_master(ExportRequest(short_film, tmp_path / "plain" / "m.mov"))


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_unwritable_output_folder_is_refused(short_film: Path, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        folder = Path("/proc")  # root ignores permission bits; /proc refuses even root
    else:
        folder = tmp_path / "locked"
        folder.mkdir()
        folder.chmod(0o555)
    with pytest.raises(OutputError, match="not writable"):
        export_master(ExportRequest(short_film, folder / "m.mov"))
    assert not (folder / "m.mov").exists()


def test_missing_and_corrupt_inputs_are_refused_and_nothing_is_written(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    random_bytes = tmp_path / "noise.mp4"
    random_bytes.write_bytes(np.random.default_rng(0).bytes(50_000))
    for source in (tmp_path / "missing.mov", random_bytes):
        with pytest.raises(MediaError) as caught:
            export_master(ExportRequest(source, out / "m.mov"))
        assert str(source) in str(caught.value) and "\n" not in str(caught.value)
    assert list(out.iterdir()) == []


def test_wrong_extension_for_preset_is_refused() -> None:
    with pytest.raises(OutputError, match="prores-422hq writes .mov"):
        resolve_target(Path("m.mp4"), PRESETS.get("prores-422hq"))
    assert resolve_target(Path("m"), PRESETS.get("ffv1")) == Path("m.mkv")
    assert resolve_target(Path("reel.dpx"), PRESETS.get("dpx")) == Path("reel")


def test_failure_mid_encode_leaves_nothing_and_source_untouched(short_film: Path, tmp_path: Path) -> None:
    before = _digest(short_film)
    target = tmp_path / "m.mov"

    def failing_stage(frames: Iterator[np.ndarray]) -> Iterator[np.ndarray]:
        for index, frame in enumerate(frames):
            if index == 12:
                raise RuntimeError("a stage broke")
            yield frame

    with pytest.raises(RuntimeError, match="a stage broke"):
        export_master(ExportRequest(short_film, target, size=SMALL), stages=failing_stage)
    assert not target.exists() and _leftovers(tmp_path) == []
    assert _digest(short_film) == before


def test_ctrl_c_from_progress_leaves_nothing(short_film: Path, tmp_path: Path) -> None:
    target = tmp_path / "reel"  # a sequence: a whole temporary folder must go too

    def interrupt(report: Progress) -> None:
        if report.done >= 1:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        export_master(ExportRequest(short_film, target, "dpx", SMALL), progress=interrupt)
    assert list(tmp_path.iterdir()) == []


def test_cancel_token_leaves_nothing(short_film: Path, tmp_path: Path) -> None:
    token = CancelToken()

    def cancel_later(report: Progress) -> None:
        token.cancel()  # the first report comes after frame 1; the job stops before frame 2

    with pytest.raises(Cancelled):
        export_master(ExportRequest(short_film, tmp_path / "m.mkv", "ffv1", SMALL), progress=cancel_later, cancel=token)
    assert list(tmp_path.iterdir()) == []


def test_failed_verification_leaves_nothing(short_film: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A master that reads back wrong (here: one frame short) is never renamed into place."""
    from engine.media import verify

    real = verify.inspect_master

    def short_by_one(path: Path, decode_all: bool = False) -> verify.MasterFacts:
        facts = real(path, decode_all)
        return verify.MasterFacts(facts.frame_count - 1, facts.width, facts.height, facts.pix_fmt, facts.fps,
                                  facts.audio_seconds)

    monkeypatch.setattr("engine.render.export.inspect_master", short_by_one)
    with pytest.raises(OutputError, match="verification failed: 29 frames instead of 30"):
        export_master(ExportRequest(short_film, tmp_path / "m.mov", size=SMALL))
    assert list(tmp_path.iterdir()) == []


def test_sar_is_honoured_when_padding(bikes: Path, tmp_path: Path) -> None:
    """720×480 at SAR 8/9 is 4:3 on screen: 1440 wide in HD with 240-pixel pillars."""
    dvd = make_clip(tmp_path / "dvd.mp4", frames=3, size=(720, 480), sar=Fraction(8, 9), from_clip=bikes)
    target = tmp_path / "hd.mov"
    export_master(ExportRequest(dvd, target, size=Size(1920, 1080), fit=Fit.PAD))
    with av.open(str(target)) as container:
        rgb = next(container.decode(video=0)).to_ndarray(format="rgb24").astype(int)
    columns = rgb.max(axis=(0, 2))
    lit = np.flatnonzero(columns > 24)
    assert abs(lit[0] - 240) <= 2 and abs(lit[-1] - 1679) <= 2


def test_progress_reports_encoding_then_verifying(short_film: Path, tmp_path: Path) -> None:
    reports: list[Progress] = []
    result = export_master(ExportRequest(short_film, tmp_path / "m.mkv", "ffv1", SMALL), progress=reports.append)
    assert [(r.stage, r.done, r.total) for r in reports if r.stage == "verifying"][0] == ("verifying", 0, 1)
    assert (reports[-1].stage, reports[-1].done, reports[-1].total) == ("verifying", 1, 1)
    encoding = [r for r in reports if r.stage == "encoding"]
    assert encoding[-1].done == encoding[-1].total == 30
    assert result.facts.frame_count == 30 and len(result.facts.audio_seconds) == 1


def test_errors_are_one_line_relume_errors(tmp_path: Path) -> None:
    with pytest.raises(RelumeError) as caught:
        export_master(ExportRequest(tmp_path / "x.mov", tmp_path / "y.mov", preset="nope"))
    assert "\n" not in str(caught.value)


# Matroska and MXF are left out: their muxers read the pixel aspect from AVStream, which PyAV cannot set
# (FFV1 still carries it in its own slice headers).
@pytest.mark.parametrize(("preset", "name"), [("prores-422hq", "keep.mov"), ("prores-4444", "keep444.mov")])
def test_source_size_keeps_the_sar_tag(preset: str, name: str, bikes: Path, tmp_path: Path) -> None:
    dvd = make_clip(tmp_path / "dvd.mp4", frames=2, size=(720, 480), sar=Fraction(8, 9), from_clip=bikes)
    target = tmp_path / name
    export_master(ExportRequest(dvd, target, preset))
    info = probe(target)
    assert (info.width, info.height, info.sar, info.dar) == (720, 480, Fraction(8, 9), Fraction(4, 3))


def test_odd_size_source_gets_an_even_frame_without_resampling(bikes: Path, tmp_path: Path) -> None:
    odd = make_clip(tmp_path / "odd.mkv", frames=3, size=(641, 481), codec="ffv1", pix_fmt="yuv444p", from_clip=bikes)
    export_master(ExportRequest(odd, tmp_path / "odd.mov", "prores-422hq"))  # 4:2:2: width must be even
    assert (probe(tmp_path / "odd.mov").width, probe(tmp_path / "odd.mov").height) == (642, 481)
    export_master(ExportRequest(odd, tmp_path / "odd444.mov", "prores-4444"))  # 4:4:4 keeps every pixel as is
    assert (probe(tmp_path / "odd444.mov").width, probe(tmp_path / "odd444.mov").height) == (641, 481)


def test_untaggable_pixel_aspect_is_announced(bikes: Path, tmp_path: Path) -> None:
    dvd = make_clip(tmp_path / "dvd.mp4", frames=2, size=(720, 480), sar=Fraction(8, 9), from_clip=bikes)
    result = export_master(ExportRequest(dvd, tmp_path / "keep.mkv", "ffv1"))
    assert any("8/9" in notice and "--size" in notice for notice in result.notices)
    assert not export_master(ExportRequest(dvd, tmp_path / "square.mkv", "ffv1", Size(640, 480))).notices


def test_start_timecode_is_carried(bikes: Path, tmp_path: Path) -> None:
    source = make_clip(tmp_path / "tc.mov", frames=3, size=(320, 136), timecode="01:00:10:00", from_clip=bikes)
    export_master(ExportRequest(source, tmp_path / "m.mov", "prores-422hq"))
    assert probe(tmp_path / "m.mov").start_timecode == "01:00:10:00"


@pytest.mark.parametrize(
    ("kind", "options"),
    [("one frame", {"frames": 1}), ("gray only", {"frames": 4, "gray": True}),
     ("10-bit", {"frames": 4, "codec": "prores_ks", "pix_fmt": "yuv422p10le"})],
)
def test_edge_case_sources_simply_work(kind: str, options: dict[str, object], bikes: Path, tmp_path: Path) -> None:
    suffix = ".mov" if options.get("codec") == "prores_ks" else ".mp4"
    source = make_clip(tmp_path / f"src{suffix}", size=(320, 136), from_clip=bikes, **options)  # type: ignore[arg-type]
    result = export_master(ExportRequest(source, tmp_path / "m.mov", "prores-4444", Size(640, 360)))
    assert result.facts.frame_count == options["frames"]
    assert (result.facts.width, result.facts.height) == (640, 360)


def test_sequence_overwrite_replaces_the_whole_folder_but_never_a_foreign_one(short_film: Path, tmp_path: Path) -> None:
    target = tmp_path / "reel"
    export_master(ExportRequest(short_film, target, "tiff", SMALL))
    (target / "reel.000099.tif").write_bytes(b"a stale frame from an older, longer export")
    export_master(ExportRequest(short_film, target, "tiff", SMALL, overwrite=True))
    assert len(list(target.iterdir())) == 30  # the stale frame went with the old folder
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reel", "reel.wav"]
    foreign = tmp_path / "scans"
    foreign.mkdir()
    (foreign / "budget.xlsx").write_bytes(b"not a frame")
    with pytest.raises(OutputError, match="holding other files"):
        export_master(ExportRequest(short_film, foreign, "tiff", SMALL, overwrite=True))
    assert (foreign / "budget.xlsx").exists()
