"""Upscalers by name: Relume's network, or plain resampling; and a whole frame upscaled as luma plus chroma.

An upscaler enlarges a luma plane to any size. Relume's built-in runs its
network at the smallest trained factor that reaches the asked size (the largest
it has beyond that) and resamples the remainder (area averaging down, Lanczos
up), so 640×480 → 2880×2160 is ×4 by the network then ×1.125 by Lanczos, and
640×480 → 1440×1080 is ×4 then shrunk by area. A frame in colour is
upscaled as its luma (by the upscaler) and its chroma (upsampled guided by the
upscaled luma, :func:`engine.render.chroma_upsample.guided_upsample`), so
colours stay crisp at edges without colorizing at 4K; the luma of the result
is exactly the upscaled luma by Relume's integer formula. A grey frame is luma
only.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Protocol

import cv2
import numpy as np
import torch

from engine.color.luma import compose_rgb, integer_luma, rgb_to_chroma
from engine.color.spatial import resolve_device
from engine.errors import SettingsError
from engine.upscale.community import MODEL_SUFFIXES, ModelUpscaler, load_model
from engine.upscale.network import LumaUpscaler, is_relume_network, load_network
from engine.upscale.tiles import upscale_plane

# The built-in network files, one per trained factor, shipped in resources/models. One
# ×4 network serves every enlargement: ×2 runs it and shrinks by area (still well
# above Lanczos, see benchmarks/upscale.py); a ×2 file would be added here.
MODEL_FOLDER = Path(__file__).resolve().parents[2] / "resources" / "models"
BUILTIN_FILES = {4: "relume-upscale-x4.safetensors"}
RELUME = "relume"
RESAMPLERS = {"lanczos": cv2.INTER_LANCZOS4, "bicubic": cv2.INTER_CUBIC}

Size = tuple[int, int]  # (width, height)


class Upscaler(Protocol):
    """Enlarges a luma plane."""

    name: str

    def luma(self, plane: np.ndarray, size: Size) -> np.ndarray:
        """``plane`` ``(h, w)`` uint8/uint16 resized to ``size`` (width, height), same dtype."""
        ...


def resample(plane: np.ndarray, size: Size, interpolation: int = cv2.INTER_LANCZOS4) -> np.ndarray:
    """``plane`` resized to ``size``: area averaging where it shrinks, ``interpolation`` where it grows."""
    height, width = plane.shape[:2]
    if (width, height) == size:
        return plane
    shrinks = size[0] <= width and size[1] <= height
    return cv2.resize(plane, size, interpolation=cv2.INTER_AREA if shrinks else interpolation)


@dataclass(frozen=True, slots=True)
class Resampler:
    """Plain resampling (OpenCV): ``lanczos`` or ``bicubic``."""

    name: str

    def luma(self, plane: np.ndarray, size: Size) -> np.ndarray:
        return resample(plane, size, RESAMPLERS[self.name])


@dataclass(slots=True)
class NetworkUpscaler:
    """Relume's networks (one per trained factor), run in tiles on ``device``.

    Attributes
    ----------
    name
        What the restorer chose (``relume`` or a model file).
    networks
        Trained factor → network, already on ``device``.
    device
        Where the networks run.
    tile
        Largest tile side, in input pixels.
    """

    name: str
    networks: dict[int, LumaUpscaler]
    device: torch.device
    tile: int = 384

    def factor_for(self, plane_size: Size, size: Size) -> int | None:
        """The trained factor to run for enlarging ``plane_size`` to ``size`` (``None``: not enlarged)."""
        enlargement = max(size[0] / plane_size[0], size[1] / plane_size[1])
        if enlargement <= 1:
            return None
        factors = sorted(self.networks)
        # The smallest factor that reaches the size (then shrunk by area), else the largest.
        return next((f for f in factors if f >= enlargement), factors[-1])

    def luma(self, plane: np.ndarray, size: Size) -> np.ndarray:
        height, width = plane.shape
        factor = self.factor_for((width, height), size)
        if factor is None:
            return resample(plane, size)
        enlarged = upscale_plane(self.networks[factor], plane, self.device, self.tile)
        return resample(enlarged, size)


def upscale_frame(rgb: np.ndarray, size: Size, upscaler: Upscaler) -> np.ndarray:
    """An ``(h, w, 3)`` RGB frame enlarged to ``size``: luma by ``upscaler``, chroma guided by it.

    A grey frame (R = G = B) stays grey and its luma is the upscaled luma; a
    colour frame's result has the upscaled luma exactly (by
    :func:`engine.color.luma.integer_luma`).
    """
    from engine.render.chroma_upsample import guided_upsample

    luma = integer_luma(rgb)
    enlarged = upscaler.luma(luma, size)
    grey = np.array_equal(rgb[..., 0], rgb[..., 1]) and np.array_equal(rgb[..., 1], rgb[..., 2])
    if grey:
        return np.repeat(enlarged[..., None], 3, axis=2)
    chroma = guided_upsample(rgb_to_chroma(rgb), enlarged)
    return compose_rgb(enlarged, chroma)


_LOADED: dict[tuple[str, str], NetworkUpscaler] = {}
_COMMUNITY: dict[tuple[str, str], ModelUpscaler] = {}
_LOADING = threading.Lock()


def _networks(paths: dict[int, Path], name: str, device: torch.device) -> NetworkUpscaler:
    key = (name, str(device))
    with _LOADING:
        if key not in _LOADED:
            networks = {}
            for factor, path in paths.items():
                network = load_network(path)
                if network.shape.scale != factor:
                    raise SettingsError(f"upscale.upscaler: {path} enlarges ×{network.shape.scale}, not ×{factor}")
                # Features stored pixel by pixel (NHWC) let oneDNN's convolutions run without reordering
                # them: a 640×480 frame's network pass took 0.07 s against 0.10 s on one CPU core.
                networks[factor] = network.to(device, memory_format=torch.channels_last)
            _LOADED[key] = NetworkUpscaler(name, networks, device)
        return _LOADED[key]


def upscaler_named(name: str, device: str | None = None) -> Upscaler:
    """The upscaler the setting ``upscale.upscaler`` names (``auto`` must be resolved first).

    Parameters
    ----------
    name
        ``relume``, ``lanczos``, ``bicubic``, a Relume network file (``.safetensors``), or
        another upscaling model's file (:mod:`engine.upscale.community`).
    device
        Torch device for a network (CUDA when present when ``None``).

    Raises
    ------
    SettingsError
        An unknown name, or a file that holds no upscaler Relume can read.
    """
    if name in RESAMPLERS:
        return Resampler(name)
    if name == RELUME:
        paths = {factor: MODEL_FOLDER / file for factor, file in BUILTIN_FILES.items()}
        missing = [p for p in paths.values() if not p.is_file()]
        if missing:
            raise SettingsError(f"upscale.upscaler: the built-in model {missing[0]} is missing from this installation")
        return _networks(paths, name, resolve_device(device))
    suffix = PurePath(name).suffix.lower()
    if suffix in MODEL_SUFFIXES:
        path = Path(name).expanduser()
        if suffix == ".safetensors" and is_relume_network(path):
            network = load_network(path)
            return _networks({network.shape.scale: path}, str(path.resolve()), resolve_device(device))
        return _community(path, resolve_device(device))
    choices = ", ".join(["auto", RELUME, *RESAMPLERS])
    raise SettingsError(f"upscale.upscaler: unknown upscaler {name!r}; choose {choices} or a model file "
                        f"({', '.join(MODEL_SUFFIXES)})")


def _community(path: Path, device: torch.device) -> ModelUpscaler:
    key = (str(path.resolve()), str(device))
    with _LOADING:
        if key not in _COMMUNITY:
            _COMMUNITY[key] = load_model(path, device)
        return _COMMUNITY[key]


def model_facts(path: str | Path) -> dict[str, object]:
    """What a model file holds, for ``relume model``: read weights-only, on the CPU, nothing run.

    Raises
    ------
    SettingsError
        The file holds no upscaler Relume can use (the same line an export would give).
    """
    path = Path(path).expanduser()
    if path.suffix.lower() not in MODEL_SUFFIXES:
        raise SettingsError(f"upscale.upscaler: {path} is not a model file ({', '.join(MODEL_SUFFIXES)})")
    if path.suffix.lower() == ".safetensors" and is_relume_network(path):
        network = load_network(path)
        shape = network.shape
        return {"file": str(path), "kind": "relume", "architecture": "Relume luma upscaler", "scale": shape.scale,
                "input_channels": 1, "output_channels": 1, "float16": True, "bfloat16": True,
                "parameters": sum(p.numel() for p in network.parameters()), "tags": [f"{shape.channels} channels",
                                                                                   f"{shape.layers} layers"]}
    model = load_model(path, torch.device("cpu")).model
    return {"file": str(path), "kind": "spandrel", "architecture": model.architecture.name,  # type: ignore[attr-defined]
            "scale": int(model.scale), "input_channels": int(model.input_channels),  # type: ignore[attr-defined]
            "output_channels": int(model.output_channels),  # type: ignore[attr-defined]
            "float16": bool(model.supports_half), "bfloat16": bool(model.supports_bfloat16),  # type: ignore[attr-defined]
            "parameters": sum(p.numel() for p in model.model.parameters()),  # type: ignore[attr-defined]
            "tags": list(model.tags)}  # type: ignore[attr-defined]

