"""Relume's luma upscaling network, and loading it from a safetensors file.

A deliberately small network (tens of thousands of weights, a few hundred
kilobytes) so that a laptop CPU upscales 480p film to 4K at a few frames per
second. It predicts only the detail a bicubic enlargement misses: the picture
is folded 2×2 into four channels (pixel unshuffle) so that every 3×3
convolution sees a wider neighbourhood for the same cost, a few convolutions
run at that half size, and a pixel shuffle unfolds their output into the
``scale``-times larger residual that is added to the bicubic enlargement.

The architecture is recorded in the file's metadata, so a file alone says what
it is; weights load through safetensors (no pickle, nothing executed).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn.functional as F
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file
from torch import nn

from engine.errors import SettingsError

# The picture is folded by this factor before the convolutions (and the tiles
# must start on multiples of it so that a tiled pass equals an untiled one).
FOLD = 2
ARCHITECTURE = "relume-luma-upscale"
SLOPE = 0.1  # of the leaky rectifier below zero


@dataclass(frozen=True, slots=True)
class NetworkShape:
    """What a network file holds.

    Attributes
    ----------
    scale
        Enlargement factor the network was trained for (2 or 4).
    channels
        Features per convolution.
    layers
        Number of 3×3 convolutions (at least 2).
    """

    scale: int
    channels: int
    layers: int

    @property
    def reach(self) -> int:
        """How far, in input pixels, the network looks around a pixel (its receptive radius)."""
        return self.layers * FOLD + FOLD


class LumaUpscaler(nn.Module):
    """Luma ``(N, 1, h, w)`` on the 0–1 scale → ``(N, 1, h·scale, w·scale)``; ``h``, ``w`` even."""

    def __init__(self, shape: NetworkShape) -> None:
        super().__init__()
        if shape.layers < 2 or shape.scale < 1 or shape.channels < 1:
            raise ValueError(f"not a valid network shape: {shape}")
        self.shape = shape
        width = shape.channels
        convs = [nn.Conv2d(FOLD * FOLD, width, 3, padding=1)]
        convs += [nn.Conv2d(width, width, 3, padding=1) for _ in range(shape.layers - 2)]
        convs.append(nn.Conv2d(width, (shape.scale * FOLD) ** 2, 3, padding=1))
        self.convs = nn.ModuleList(convs)

    def forward(self, luma: torch.Tensor) -> torch.Tensor:
        # Centred input and leaky units: a small network trained briefly keeps every unit alive.
        x = F.pixel_unshuffle(luma - 0.5, FOLD)
        for conv in self.convs[:-1]:
            x = F.leaky_relu(conv(x), SLOPE)
        detail = F.pixel_shuffle(self.convs[-1](x), self.shape.scale * FOLD)
        base = F.interpolate(luma, scale_factor=self.shape.scale, mode="bicubic", align_corners=False)
        return base + detail


def save_network(network: LumaUpscaler, path: str | os.PathLike[str], notes: dict[str, str] | None = None) -> None:
    """Write ``network`` as safetensors with its shape in the metadata."""
    shape = network.shape
    metadata = {
        "architecture": ARCHITECTURE,
        "scale": str(shape.scale),
        "channels": str(shape.channels),
        "layers": str(shape.layers),
        **(notes or {}),
    }
    tensors = {name: value.detach().cpu().contiguous() for name, value in network.state_dict().items()}
    save_file(tensors, str(path), metadata=metadata)


def load_network(path: str | os.PathLike[str]) -> LumaUpscaler:
    """Load a network file written by :func:`save_network` (on the CPU, in eval mode).

    Raises
    ------
    SettingsError
        The file is missing, is not safetensors, or is not a Relume luma upscaler.
    """
    path = Path(path)
    if not path.is_file():
        raise SettingsError(f"upscale.upscaler: model file {path} not found")
    try:
        from safetensors import safe_open

        with safe_open(str(path), framework="pt") as handle:
            metadata = handle.metadata() or {}
        tensors = load_file(str(path))
    except (SafetensorError, OSError, ValueError) as exc:
        raise SettingsError(f"upscale.upscaler: {path} is not a safetensors model file ({exc})") from exc
    if metadata.get("architecture") != ARCHITECTURE:
        raise SettingsError(f"upscale.upscaler: {path} is not a Relume luma upscaler")
    try:
        shape = NetworkShape(int(metadata["scale"]), int(metadata["channels"]), int(metadata["layers"]))
        network = LumaUpscaler(shape)
        network.load_state_dict(tensors)
    except (KeyError, ValueError, RuntimeError) as exc:
        raise SettingsError(f"upscale.upscaler: {path} does not match its recorded shape ({exc})") from exc
    return network.eval()
