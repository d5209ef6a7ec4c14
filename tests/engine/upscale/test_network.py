"""The luma network: saved and loaded through safetensors, tiled like untiled, any output size."""

from __future__ import annotations

from pathlib import Path

import av
import cv2
import numpy as np
import pytest
import torch

from engine.color.luma import integer_luma
from engine.errors import SettingsError
from engine.upscale.network import LumaUpscaler, NetworkShape, load_network, save_network
from engine.upscale.tiles import upscale_plane
from engine.upscale.upscaler import NetworkUpscaler, upscaler_named


def _random_network(scale: int, seed: int = 0, channels: int = 8, layers: int = 3) -> LumaUpscaler:
    torch.manual_seed(seed)
    network = LumaUpscaler(NetworkShape(scale, channels, layers))
    for parameter in network.parameters():  # large enough that the residual is visible
        parameter.data.normal_(0.0, 0.2)
    return network.eval()


@pytest.fixture(scope="module")
def luma(carphone: Path) -> np.ndarray:
    """Luma of a real frame (carphone, 176×144)."""
    with av.open(str(carphone)) as container:
        rgb = next(container.decode(video=0)).to_ndarray(format="rgb24")
    return integer_luma(rgb)


def test_a_saved_network_loads_back_identical(tmp_path: Path, luma: np.ndarray) -> None:
    network = _random_network(4, channels=6, layers=4)
    path = tmp_path / "net.safetensors"
    save_network(network, path)
    loaded = load_network(path)
    assert loaded.shape == NetworkShape(4, 6, 4)
    device = torch.device("cpu")
    np.testing.assert_array_equal(upscale_plane(network, luma[:40, :50], device),
                                  upscale_plane(loaded, luma[:40, :50], device))
    # The same file works as the upscale.upscaler setting (a model file path).
    upscaler = upscaler_named(str(path), "cpu")
    assert upscaler.luma(luma[:40, :50], (200, 160)).shape == (160, 200)


def test_files_that_are_not_networks_are_refused_naming_the_setting(tmp_path: Path) -> None:
    junk = tmp_path / "junk.safetensors"
    junk.write_bytes(b"not a model")
    for path in (junk, tmp_path / "missing.safetensors"):
        with pytest.raises(SettingsError, match=r"^upscale\.upscaler: .*safetensors"):
            load_network(path)
    with pytest.raises(SettingsError, match=r"^upscale\.upscaler: unknown upscaler 'sharpest'"):
        upscaler_named("sharpest")


def test_tiles_give_the_untiled_picture(luma: np.ndarray) -> None:
    network = _random_network(4)
    plane = luma[:70, :94]  # odd tiles on purpose: 94 = 3 × 30 + 4
    whole = upscale_plane(network, plane, torch.device("cpu"), tile=512)
    tiled = upscale_plane(network, plane, torch.device("cpu"), tile=30)
    assert whole.shape == tiled.shape == (280, 376)
    difference = np.abs(whole.astype(np.int16) - tiled.astype(np.int16))
    assert difference.max() <= 1 and np.count_nonzero(difference) <= difference.size // 1000
    # The network changes the picture: the tiles are not equal because nothing happens.
    bicubic = cv2.resize(plane, (376, 280), interpolation=cv2.INTER_CUBIC)
    assert np.abs(whole.astype(np.int16) - bicubic).mean() > 2


@pytest.mark.parametrize("source, size", [((53, 37), (201, 150)), ((64, 48), (288, 216)),
                                          ((64, 48), (100, 75)), ((61, 45), (61, 200)), ((40, 30), (40, 30))])
def test_any_size_is_made_exactly(luma: np.ndarray, source: tuple[int, int], size: tuple[int, int]) -> None:
    upscaler = NetworkUpscaler("test", {2: _random_network(2), 4: _random_network(4, 1)}, torch.device("cpu"))
    plane = np.ascontiguousarray(luma[: source[1], : source[0]])
    out = upscaler.luma(plane, size)
    assert out.shape == (size[1], size[0]) and out.dtype == np.uint8
    deep = upscaler.luma(plane.astype(np.uint16) * 257, size)
    assert deep.shape == (size[1], size[0]) and deep.dtype == np.uint16


def test_the_trained_factor_is_chosen_by_the_enlargement() -> None:
    upscaler = NetworkUpscaler("test", {2: _random_network(2), 4: _random_network(4)}, torch.device("cpu"))
    assert upscaler.factor_for((640, 480), (640, 480)) is None
    assert upscaler.factor_for((640, 480), (1280, 960)) == 2
    assert upscaler.factor_for((640, 480), (1440, 1080)) == 4  # ×2.25: ×4, then shrunk by area
    assert upscaler.factor_for((640, 480), (2880, 2160)) == 4  # ×4.5: ×4, then Lanczos
