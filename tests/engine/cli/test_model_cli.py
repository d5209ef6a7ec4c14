"""``relume model FILE``: what a model file is, read weights-only; one line and exit 2 for what cannot be used."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from spandrel.architectures.Compact import Compact

from engine.cli import main
from engine.upscale.upscaler import BUILTIN_FILES, MODEL_FOLDER


def test_a_community_model_is_described(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "compact-x2.pth"
    torch.save(Compact(num_in_ch=3, num_out_ch=3, num_feat=8, num_conv=2, upscale=2).state_dict(), path)
    assert main(["model", str(path)]) == 0
    out = capsys.readouterr().out
    assert "RealESRGAN Compact" in out and "×2" in out and "3 in, 3 out" in out and "float16" in out
    assert main(["model", str(path), "--json"]) == 0
    facts = json.loads(capsys.readouterr().out)
    assert facts["kind"] == "spandrel" and facts["scale"] == 2 and facts["input_channels"] == 3
    assert facts["parameters"] == sum(p.numel() for p in Compact(num_feat=8, num_conv=2, upscale=2).parameters())


def test_relumes_own_network_is_described(capsys: pytest.CaptureFixture[str]) -> None:
    path = MODEL_FOLDER / BUILTIN_FILES[4]
    assert main(["model", str(path), "--json"]) == 0
    facts = json.loads(capsys.readouterr().out)
    assert facts["kind"] == "relume" and facts["scale"] == 4 and facts["input_channels"] == 1


@pytest.mark.parametrize("name, content", [("notes.txt", "hello"), ("broken.pth", "not a model")])
def test_what_cannot_be_used_gets_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content)
    assert main(["model", str(path)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and str(path) in err and "Traceback" not in err
