"""The luma network: saved and loaded through safetensors, tiled like untiled, any output size."""

from __future__ import annotations

from pathlib import Path

import av
import cv2
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from safetensors.torch import save_file

from engine.color.luma import integer_luma
from engine.errors import SettingsError
from engine.upscale.network import LumaUpscaler, NetworkShape, load_network, save_network
from engine.upscale.tiles import upscale_plane
from engine.upscale.train import main as train_main
from engine.upscale.train import split_photographs
from engine.upscale.upscaler import NetworkUpscaler, upscaler_named


def _random_network(scale: int, seed: int = 0, channels: int = 8, layers: int = 3,
                    base: str = "bicubic") -> LumaUpscaler:
    torch.manual_seed(seed)
    network = LumaUpscaler(NetworkShape(scale, channels, layers, base))
    for parameter in network.parameters():  # large enough that the residual is visible
        parameter.data.normal_(0.0, 0.2)
    return network.eval()


@pytest.fixture(scope="module")
def luma(carphone: Path) -> np.ndarray:
    """Luma of a real frame (carphone, 176×144)."""
    with av.open(str(carphone)) as container:
        rgb = next(container.decode(video=0)).to_ndarray(format="rgb24")
    return integer_luma(rgb)


@pytest.mark.parametrize("base", ["bicubic", "linear"])
def test_a_saved_network_loads_back_identical(tmp_path: Path, luma: np.ndarray, base: str) -> None:
    network = _random_network(4, channels=6, layers=4, base=base)
    path = tmp_path / "net.safetensors"
    save_network(network, path)
    loaded = load_network(path)
    assert loaded.shape == NetworkShape(4, 6, 4, base)
    device = torch.device("cpu")
    np.testing.assert_array_equal(upscale_plane(network, luma[:40, :50], device),
                                  upscale_plane(loaded, luma[:40, :50], device))
    # The same file works as the upscale.upscaler setting (a model file path).
    upscaler = upscaler_named(str(path), "cpu")
    assert upscaler.luma(luma[:40, :50], (200, 160)).shape == (160, 200)


def test_a_file_from_before_the_base_was_recorded_loads_as_bicubic(tmp_path: Path, luma: np.ndarray) -> None:
    # The first shipped file's metadata has no "base": its residual is added to bicubic.
    network = _random_network(4)
    path = tmp_path / "first.safetensors"
    tensors = {name: value.contiguous() for name, value in network.state_dict().items()}
    save_file(tensors, str(path), metadata={"architecture": "relume-luma-upscale", "scale": "4",
                                            "channels": "8", "layers": "3"})
    loaded = load_network(path)
    assert loaded.shape.base == "bicubic"
    device = torch.device("cpu")
    np.testing.assert_array_equal(upscale_plane(loaded, luma[:40, :50], device),
                                  upscale_plane(network, luma[:40, :50], device))


@pytest.mark.parametrize("scale", [2, 4])
def test_a_learnt_base_starts_as_exactly_bicubic(luma: np.ndarray, scale: int) -> None:
    # With no residual, the linear base alone is torch's bicubic wherever the picture's edge is
    # out of reach (the tiles always give it real or repeated neighbours there).
    network = LumaUpscaler(NetworkShape(scale, 8, 3, "linear")).eval()
    torch.nn.init.zeros_(network.convs[-1].weight)
    torch.nn.init.zeros_(network.convs[-1].bias)
    picture = torch.from_numpy(luma[:48, :64] / np.float32(255.0))[None, None]
    with torch.inference_mode():
        ours = network(picture)
    bicubic = F.interpolate(picture, scale_factor=scale, mode="bicubic", align_corners=False)
    inside = (slice(None), slice(None), slice(4 * scale, -4 * scale), slice(4 * scale, -4 * scale))
    assert torch.abs(ours - bicubic)[inside].max() < 1e-5
    # And through the tiles, at the picture's edges too, it is bicubic with the edge repeated.
    plane = luma[:48, :64]
    cv2_bicubic = cv2.resize(plane, (64 * scale, 48 * scale), interpolation=cv2.INTER_CUBIC)
    tiled = upscale_plane(network, plane, torch.device("cpu"))
    assert np.abs(tiled.astype(np.int16) - cv2_bicubic).max() <= 1


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


def test_the_training_script_is_reproducible_and_keeps_photographs_apart(tmp_path: Path) -> None:
    # The held-out check uses the bottom of every photograph, never trained on.
    training, held_out = split_photographs()
    assert all(t.shape[0] > 3 * h.shape[0] > 0 for t, h in zip(training, held_out))
    # A few steps of a tiny network, twice from the same seed: the same weights, a loadable file.
    arguments = ["--steps", "4", "--channels", "4", "--layers", "2", "--batch", "2", "--check-every", "2"]
    paths = [tmp_path / "a.safetensors", tmp_path / "b.safetensors"]
    for path in paths:
        assert train_main([*arguments, "--out", str(path)]) == 0
    first, second = (load_network(path) for path in paths)
    assert first.shape == NetworkShape(4, 4, 2, "linear")
    for (name, a), (_, b) in zip(first.state_dict().items(), second.state_dict().items()):
        assert torch.equal(a, b), name


def test_training_can_continue_a_network_on_softened_patches(tmp_path: Path) -> None:
    from engine.upscale.train import sample_batch

    pool = [split_photographs()[0][0]]
    sharp = sample_batch(pool, 4, 8, 4, np.random.default_rng(5))[1]
    soft = sample_batch(pool, 4, 8, 4, np.random.default_rng(5), soften=1.5)[1]
    detail = [float((patch[:, :, 1:] - patch[:, :, :-1]).abs().mean()) for patch in (sharp, soft)]
    assert detail[1] < detail[0]  # blurred before shrinking: softer truths to restore
    base = tmp_path / "base.safetensors"
    arguments = ["--steps", "2", "--channels", "4", "--layers", "2", "--batch", "2", "--check-every", "1"]
    assert train_main([*arguments, "--out", str(base)]) == 0
    continued = tmp_path / "continued.safetensors"
    assert train_main([*arguments, "--soften", "1.0", "--init", str(base), "--out", str(continued)]) == 0
    assert load_network(continued).shape == load_network(base).shape
    with pytest.raises(SettingsError, match="cannot grow"):
        train_main(["--steps", "1", "--channels", "8", "--layers", "2", "--init", str(base), "--out", str(tmp_path / "x")])


def test_a_network_grows_deeper_from_what_it_already_does(luma: np.ndarray) -> None:
    from engine.upscale.train import grown

    torch.manual_seed(0)
    shallow = LumaUpscaler(NetworkShape(4, 8, 3, "linear")).eval()
    deeper = grown(shallow, NetworkShape(4, 8, 5, "linear"), Path("shallow.safetensors")).eval()
    assert deeper.shape.layers == 5
    for kept, source in ((deeper.convs[0], shallow.convs[0]), (deeper.convs[1], shallow.convs[1]),
                         (deeper.convs[-1], shallow.convs[-1]), (deeper.base, shallow.base)):
        assert torch.equal(kept.weight, source.weight) and torch.equal(kept.bias, source.bias)
    picture = torch.from_numpy(luma[:64, :64].astype(np.float32) / 255)[None, None]
    with torch.inference_mode():
        before, after = shallow(picture), deeper(picture)
        plain = F.pixel_shuffle(shallow.base(F.pixel_unshuffle(picture - 0.5, 2)), 8)
    # The new layers pass features through (only the leaky unit's slope on negative ones differs): the
    # detail the network adds to its plain enlargement is kept, not started again.
    added = float((before - plain).abs().mean())
    changed = float((after - before).abs().mean())
    assert changed < 0.2 * added
    assert grown(shallow, shallow.shape, Path("same")) is shallow
