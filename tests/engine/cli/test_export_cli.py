"""``relume export``: exit codes, one-line errors, nothing left behind, SIGTERM unwinds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from engine.cli import main
from engine.testing.make_media import make_audio_only, make_clip


@pytest.fixture(scope="module")
def film(bikes: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """20 real frames (bikes) with AAC audio."""
    return make_clip(tmp_path_factory.mktemp("film") / "film.mp4", frames=20, size=(320, 136), audio=True, from_clip=bikes)


def _one_line_error(capsys: pytest.CaptureFixture[str], *names: str) -> str:
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert err.startswith("relume: ") and "Traceback" not in err
    for name in names:
        assert name in err
    return err


def _clean(folder: Path) -> None:
    assert not [p for p in folder.iterdir() if ".relume-" in p.name]


def test_export_succeeds_quietly_off_a_terminal(film: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "m.mov"
    assert main(["export", str(film), "--out", str(target), "--size", "hd", "--fit", "crop"]) == 0
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""
    with av.open(str(target)) as container:
        video = container.streams.video[0]
        assert (video.codec_context.name, video.width, video.height) == ("prores", 1920, 1080)
        assert len(container.streams.audio) == 1
    _clean(tmp_path)


def test_set_export_keys_choose_the_master(film: Path, tmp_path: Path) -> None:
    target = tmp_path / "m.mkv"
    code = main(["export", str(film), "--out", str(target), "--set", "export.preset=ffv1",
                 "--set", "export.size=640x272", "--set", "export.audio=false"])
    assert code == 0
    with av.open(str(target)) as container:
        assert container.streams.video[0].codec_context.name == "ffv1"
        assert container.streams.video[0].width == 640
        assert not container.streams.audio


def _bad_inputs(tmp_path: Path, film: Path) -> dict[str, Path]:
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    noise = tmp_path / "noise.mp4"
    noise.write_bytes(np.random.default_rng(1).bytes(40_000))
    text = tmp_path / "notes.mkv"
    text.write_text("reel 3: scratches at 01:02:03:04\n" * 50)
    truncated = tmp_path / "truncated.mp4"
    data = film.read_bytes()
    truncated.write_bytes(data[: len(data) // 2] if data.find(b"moov") > len(data) // 2 else data[data.find(b"mdat") - 4 :])
    return {
        "empty": empty,
        "noise": noise,
        "text": text,
        "truncated": truncated,
        "audio-only": make_audio_only(tmp_path / "sound.m4a"),
        "missing": tmp_path / "missing.mov",
    }


def test_bad_inputs_exit_2_with_one_line_and_write_nothing(
    film: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    for kind, source in _bad_inputs(tmp_path, film).items():
        target = out / f"{kind}.mov"
        assert main(["export", str(source), "--out", str(target)]) == 2, kind
        _one_line_error(capsys, source.name)
        assert list(out.iterdir()) == [], kind


def test_existing_target_without_overwrite(film: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "m.mov"
    target.write_bytes(b"keep me")
    assert main(["export", str(film), "--out", str(target)]) == 2
    _one_line_error(capsys, "m.mov", "--overwrite")
    assert target.read_bytes() == b"keep me"
    _clean(tmp_path)


def test_unwritable_or_missing_output_folder(film: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(film), "--out", str(tmp_path / "gone" / "m.mov")]) == 2
    _one_line_error(capsys, "gone", "does not exist")
    locked = Path("/proc") if os.geteuid() == 0 else tmp_path / "locked"
    if locked != Path("/proc"):
        locked.mkdir()
        locked.chmod(0o555)
    assert main(["export", str(film), "--out", str(locked / "m.mov")]) == 2
    _one_line_error(capsys, str(locked), "not writable")


@pytest.mark.parametrize(
    ("extra", "words"),
    [(["--preset", "prores-xq"], ["unknown preset", "prores-422hq"]), (["--size", "4k"], ["unknown size"]),
     (["--fit", "zoom"], ["unknown fit"]), (["--set", "deflicker"], ["KEY=VALUE"]),
     (["--set", "export.fit=zoom"], ["export.fit"]), (["--fps", "29.97"], ["export.fps"]),
     (["--preset", "h264", "--size", "1919x1080"], ["multiple of 2"]),
     (["--source-fps", "fast"], ["--source-fps 'fast'", "not a frame rate"])],
)
def test_bad_settings_exit_2(
    extra: list[str], words: list[str], film: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", str(film), "--out", str(tmp_path / "m"), *extra]) == 2
    _one_line_error(capsys, *words)
    assert list(tmp_path.iterdir()) == []


def test_project_input_is_refused_clearly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "reel.relume"
    project.write_text("{}")
    assert main(["export", str(project), "--out", str(tmp_path / "m.mov")]) == 2
    _one_line_error(capsys, "reel.relume")


def test_sigterm_mid_export_leaves_nothing(bigbuckbunny: Path, tmp_path: Path) -> None:
    """A UHD master takes a while; SIGTERM during it unwinds and removes the temporary file."""
    target = tmp_path / "uhd.mov"
    process = subprocess.Popen(
        [sys.executable, "-m", "engine.cli", "export", str(bigbuckbunny), "--out", str(target), "--size", "uhd"],
        stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 60
    while not any(".relume-tmp-" in p.name for p in tmp_path.iterdir()):
        assert process.poll() is None and time.monotonic() < deadline, "the export never started writing"
        time.sleep(0.05)
    time.sleep(0.3)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "SIGTERM" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_dpx_scan_to_prores(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Archives deliver DPX scans: a pattern in, a ProRes master at the given rate out."""
    from engine.testing.make_media import make_sequence

    scan = make_sequence(tmp_path / "scan", frames=6, ext="dpx", bit_depth=10, size=(128, 96))
    target = tmp_path / "scan.mov"
    assert main(["export", str(scan), "--out", str(target), "--source-fps", "24000/1001", "--size", "hd"]) == 0
    with av.open(str(target)) as container:
        video = container.streams.video[0]
        assert video.average_rate == Fraction(24000, 1001)
        assert (video.width, video.height) == (1920, 1080)
        assert sum(1 for p in container.demux(video) if p.size) == 6
