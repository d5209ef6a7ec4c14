"""`relume probe`: a readable summary, JSON, and one line with exit 2 on bad input."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from engine.cli import main
from engine.testing.make_media import make_audio_only, make_clip, make_sequence


def test_summary_of_a_real_clip(bigbuckbunny: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["probe", str(bigbuckbunny)]) == 0
    out = capsys.readouterr().out
    assert "1280×720" in out and "132 at 25 fps" in out and "aac, 48000 Hz" in out


def test_json_is_media_info(carphone: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["probe", str(carphone), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["fps"] == "30000/1001" and data["frame_count"] == 120 and data["width"] == 176


def test_fps_for_a_sequence(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pattern = make_sequence(tmp_path / "s", frames=3, ext="png", bit_depth=8)
    assert main(["probe", str(pattern), "--json", "--fps", "23.976"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert Fraction(data["fps"]) == Fraction(24000, 1001) and data["frame_count"] == 3


def _bad_inputs(folder: Path) -> dict[str, Path]:
    cut = make_clip(folder / "whole.mp4", frames=20).read_bytes()
    files = {
        "missing": folder / "missing.mp4",
        "zero-byte": folder / "empty.mp4",
        "random-bytes": folder / "noise.mp4",
        "truncated-mp4": folder / "cut.mp4",
        "text-as-mkv": folder / "notes.mkv",
        "audio-only": make_audio_only(folder / "sound.mkv"),
        "jpeg-sequence": folder / "scan.%04d.jpg",
    }
    files["zero-byte"].write_bytes(b"")
    files["random-bytes"].write_bytes(np.random.default_rng(1).bytes(10_000))
    files["truncated-mp4"].write_bytes(cut[: len(cut) // 2])
    files["text-as-mkv"].write_text("reel 3, shot 12\n" * 40)
    return files


@pytest.mark.parametrize(
    "case", ["missing", "zero-byte", "random-bytes", "truncated-mp4", "text-as-mkv", "audio-only", "jpeg-sequence"]
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = _bad_inputs(tmp_path)[case]
    assert main(["probe", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and "Traceback" not in captured.err


def test_bad_fps_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = make_clip(tmp_path / "a.mp4", frames=2)
    assert main(["probe", str(path), "--fps", "fast"]) == 2
    assert "--fps 'fast'" in capsys.readouterr().err
