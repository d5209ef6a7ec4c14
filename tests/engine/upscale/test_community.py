"""Community upscaling models (spandrel): loaded weights-only, run in tiles on the luma, refused clearly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from safetensors.torch import save_file
from spandrel.architectures.Compact import Compact

from engine.color.luma import KB, KG, KR, integer_luma
from engine.errors import SettingsError
from engine.upscale.community import ModelUpscaler, load_model
from engine.upscale.upscaler import upscale_frame, upscaler_named

CPU = torch.device("cpu")


def _compact(scale: int = 2, seed: int = 0) -> Compact:
    """A small Real-ESRGAN Compact network, random but fixed: what a user's model file holds."""
    torch.manual_seed(seed)
    network = Compact(num_in_ch=3, num_out_ch=3, num_feat=8, num_conv=2, upscale=scale)
    with torch.no_grad():
        for parameter in network.parameters():
            parameter.mul_(0.5)
    return network.eval()


@pytest.fixture(scope="module")
def model_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("models")
    network = _compact()
    files = {"pth": folder / "compact-x2.pth", "safetensors": folder / "compact-x2.safetensors",
             "nested": folder / "compact-x2-ema.pth"}
    state = {k: v.contiguous() for k, v in network.state_dict().items()}
    torch.save(state, files["pth"])
    save_file(state, str(files["safetensors"]))
    torch.save({"params_ema": state}, files["nested"])  # how BasicSR training saves its models
    return files


@pytest.fixture(scope="module")
def gray_plane(carphone: Path) -> np.ndarray:
    from engine.testing.clips import clip_frames

    return integer_luma(clip_frames("carphone", (10,))[0])


def test_pth_safetensors_and_nested_checkpoints_load_as_the_same_model(
    model_files: dict[str, Path], gray_plane: np.ndarray
) -> None:
    results = []
    for path in model_files.values():
        upscaler = upscaler_named(str(path), "cpu")
        assert isinstance(upscaler, ModelUpscaler) and upscaler.scale == 2
        results.append(upscaler.luma(gray_plane, (352, 288)))
    assert all(r.shape == (288, 352) and r.dtype == np.uint8 for r in results)
    assert all(np.array_equal(results[0], r) for r in results[1:])


def test_tiles_give_what_one_pass_over_the_whole_frame_gives(model_files: dict[str, Path],
                                                             gray_plane: np.ndarray) -> None:
    whole = load_model(model_files["pth"], CPU)
    whole.tile = 10_000
    tiled = load_model(model_files["pth"], CPU)
    tiled.tile = 40  # 176×144 in 5×4 tiles
    a, b = whole.luma(gray_plane, (352, 288)), tiled.luma(gray_plane, (352, 288))
    assert np.abs(a.astype(int) - b).max() <= 1


def test_the_model_sees_the_luma_as_grey_and_gives_back_its_output_as_luma(
    model_files: dict[str, Path], gray_plane: np.ndarray
) -> None:
    upscaler = load_model(model_files["pth"], CPU)
    upscaler.tile = 10_000
    got = upscaler.luma(gray_plane, (352, 288))
    network = _compact()
    grey = torch.from_numpy(gray_plane.astype(np.float32) / 255)[None, None].expand(1, 3, -1, -1)
    with torch.no_grad():
        out = network(torch.nn.functional.pad(grey, (16, 16, 16, 16), mode="replicate"))[0, :, 32:-32, 32:-32]
    out = out.clamp(0, 1)
    want = np.round((KR * out[0] + KG * out[1] + KB * out[2]).clamp(0, 1).numpy() * 255)
    assert np.abs(got.astype(int) - want).max() <= 1
    assert not np.array_equal(got, np.repeat(np.repeat(gray_plane, 2, 0), 2, 1)), "the model did something"


def test_a_colour_frame_keeps_its_colour_and_takes_the_models_luma(model_files: dict[str, Path],
                                                                  carphone: Path) -> None:
    from engine.testing.clips import clip_frames

    rgb = clip_frames("carphone", (10,))[0]
    upscaler = upscaler_named(str(model_files["safetensors"]), "cpu")
    out = upscale_frame(rgb, (352, 288), upscaler)
    assert out.shape == (288, 352, 3)
    np.testing.assert_array_equal(integer_luma(out), upscaler.luma(integer_luma(rgb), (352, 288)))
    assert np.abs(out[..., 0].astype(int) - out[..., 2]).mean() > 3, "colour is carried over"


def test_a_file_that_would_run_code_is_refused_and_runs_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self) -> tuple:
            return (os.mkdir, (str(marker),))

    path = tmp_path / "evil.pth"
    torch.save({"weight": torch.zeros(3), "payload": Payload()}, path)
    with pytest.raises(SettingsError, match="more than weights"):
        upscaler_named(str(path), "cpu")
    assert not marker.exists()


@pytest.mark.parametrize("case", ["missing", "garbage", "unknown", "not-enlarging", "text-safetensors"])
def test_bad_model_files_are_refused_with_the_reason(tmp_path: Path, case: str) -> None:
    path = tmp_path / ("m.safetensors" if case == "text-safetensors" else "m.pth")
    expected = {
        "missing": "not found",
        "garbage": "not a readable model file",
        "unknown": "no upscaling model",
        "not-enlarging": "does not enlarge",
        "text-safetensors": "not a safetensors model file",
    }[case]
    if case in ("garbage", "text-safetensors"):
        path.write_text("not a model")
    elif case == "unknown":
        torch.save({"encoder.weight": torch.zeros(4, 4)}, path)
    elif case == "not-enlarging":
        torch.save(_compact(scale=1).state_dict(), path)
    with pytest.raises(SettingsError, match=expected) as caught:
        upscaler_named(str(path), "cpu")
    assert str(path) in str(caught.value)


def test_export_with_a_community_model_and_a_bad_one(model_files: dict[str, Path], carphone: Path,
                                                     tmp_path: Path) -> None:
    from engine.media.probe import probe

    target = tmp_path / "x2.mkv"
    run = [sys.executable, "-m", "engine.cli", "export", str(carphone), "--out", str(target), "--preset", "ffv1",
           "--size", "352x288", "--upscaler", str(model_files["pth"])]
    done = subprocess.run(run, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    info = probe(target)
    assert (info.width, info.height) == (352, 288) and info.frame_count == 120
    bad = tmp_path / "bad.pth"
    bad.write_text("not a model")
    run[run.index(str(target))] = str(tmp_path / "never.mkv")
    done = subprocess.run(run[:-1] + [str(bad)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and str(bad) in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "never.mkv").exists()


def test_the_device_batch_path_agrees_with_the_host_path(model_files: dict[str, Path], carphone: Path) -> None:
    """On CUDA the pipeline keeps frames on the device (engine.upscale.on_device): same model, same picture."""
    from engine.testing.clips import clip_frames
    from engine.upscale.on_device import upscale_pictures

    rgb = clip_frames("carphone", (10,))[0]
    upscaler = upscaler_named(str(model_files["pth"]), "cpu")
    host = upscale_frame(rgb, (352, 288), upscaler)
    pictures = torch.from_numpy(rgb.astype(np.float32) / 255).permute(2, 0, 1)[None]
    device = upscale_pictures(pictures, (352, 288), upscaler, 255)[0].permute(1, 2, 0).numpy() * 255
    assert device.shape == host.shape
    # The guided chroma is OpenCV's on the host and torch's here: luma agrees to a code, colour closely.
    np.testing.assert_allclose(integer_luma(np.round(device).astype(np.uint8)), integer_luma(host), atol=1)
    assert np.abs(np.round(device) - host).mean() < 1.0
