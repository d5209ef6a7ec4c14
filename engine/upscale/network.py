"""Relume's luma upscaling network, and loading it from a safetensors file.

A deliberately small network (tens of thousands of weights, a few hundred
kilobytes) so that a laptop CPU upscales 480p film to 4K at a few frames per
second. It predicts only the detail a plain enlargement misses: the picture
is folded 2×2 into four channels (pixel unshuffle) so that every 3×3
convolution sees a wider neighbourhood for the same cost, a few convolutions
run at that half size, and a pixel shuffle unfolds their output into the
``scale``-times larger residual that is added to the plain enlargement.

The plain enlargement (the network's *base*) is either torch's bicubic
(``bicubic``, the first shipped file) or a learnt linear filter (``linear``):
one more 3×3 convolution on the folded picture, started as exactly bicubic —
a bicubic enlargement reads a 6×6 neighbourhood of each 2×2 block, which is
a 3×3 window of the folded picture — and trained with the rest. Added to the
residual before the unfold, it costs less than torch's bicubic on the CPU and
can learn a better filter than bicubic.

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
BASES = ("bicubic", "linear")  # what the residual is added to (files without the key: bicubic)


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
    base
        The enlargement the residual is added to: ``bicubic`` or ``linear`` (learnt, started as bicubic).
    """

    scale: int
    channels: int
    layers: int
    base: str = "bicubic"

    @property
    def reach(self) -> int:
        """How far, in input pixels, the network looks around a pixel (its receptive radius)."""
        return self.layers * FOLD + FOLD


class LumaUpscaler(nn.Module):
    """Luma ``(N, 1, h, w)`` on the 0–1 scale → ``(N, 1, h·scale, w·scale)``; ``h``, ``w`` even."""

    def __init__(self, shape: NetworkShape) -> None:
        super().__init__()
        if shape.layers < 2 or shape.scale < 1 or shape.channels < 1 or shape.base not in BASES:
            raise ValueError(f"not a valid network shape: {shape}")
        self.shape = shape
        width, block = shape.channels, shape.scale * FOLD
        convs = [nn.Conv2d(FOLD * FOLD, width, 3, padding=1)]
        convs += [nn.Conv2d(width, width, 3, padding=1) for _ in range(shape.layers - 2)]
        convs.append(nn.Conv2d(width, block**2, 3, padding=1))
        self.convs = nn.ModuleList(convs)
        if shape.base == "linear":
            self.base = nn.Conv2d(FOLD * FOLD, block**2, 3, padding=1)
            with torch.no_grad():
                self.base.weight.copy_(bicubic_filter(shape.scale))
                # The input is centred on 0.5 and bicubic's weights sum to one: the bias puts it back.
                self.base.bias.fill_(0.5)

    def forward(self, luma: torch.Tensor) -> torch.Tensor:
        # Centred input and leaky units: a small network trained briefly keeps every unit alive.
        folded = F.pixel_unshuffle(luma - 0.5, FOLD)
        x = folded
        for conv in self.convs[:-1]:
            x = F.leaky_relu(conv(x), SLOPE, inplace=True)
        block = self.shape.scale * FOLD
        if self.shape.base == "linear":
            return F.pixel_shuffle(self.convs[-1](x) + self.base(folded), block)
        detail = F.pixel_shuffle(self.convs[-1](x), block)
        base = F.interpolate(luma, scale_factor=self.shape.scale, mode="bicubic", align_corners=False)
        return base + detail


def bicubic_filter(scale: int) -> torch.Tensor:
    """Torch's bicubic ×``scale`` enlargement as a 3×3 convolution of the 2×2-folded picture.

    Returns
    -------
    torch.Tensor
        ``((scale·FOLD)², FOLD², 3, 3)`` weights: output channel ``i·block + j`` is the
        enlarged pixel ``(i, j)`` of a folded position's block, as the pixel shuffle lays it out.
    """
    block = scale * FOLD
    weights = torch.zeros(block * block, FOLD * FOLD, 3, 3)
    # Impulses at each pixel of the 6×6 neighbourhood of the centre block of a 10×10 picture
    # (far enough from its edges that torch's edge clamping never reaches the block).
    centre = 2 * FOLD
    impulses = torch.zeros(FOLD * FOLD * 9, 1, 5 * FOLD, 5 * FOLD)
    places = [(c, ky, kx) for c in range(FOLD * FOLD) for ky in range(3) for kx in range(3)]
    for n, (c, ky, kx) in enumerate(places):
        y = centre + (ky - 1) * FOLD + c // FOLD
        x = centre + (kx - 1) * FOLD + c % FOLD
        impulses[n, 0, y, x] = 1.0
    enlarged = F.interpolate(impulses, scale_factor=scale, mode="bicubic", align_corners=False)
    responses = enlarged[:, 0, centre * scale : centre * scale + block, centre * scale : centre * scale + block]
    for n, (c, ky, kx) in enumerate(places):
        weights[:, c, ky, kx] = responses[n].reshape(-1)
    return weights


def save_network(network: LumaUpscaler, path: str | os.PathLike[str], notes: dict[str, str] | None = None) -> None:
    """Write ``network`` as safetensors with its shape in the metadata."""
    shape = network.shape
    metadata = {
        "architecture": ARCHITECTURE,
        "scale": str(shape.scale),
        "channels": str(shape.channels),
        "layers": str(shape.layers),
        "base": shape.base,
        **(notes or {}),
    }
    tensors = {name: value.detach().cpu().contiguous() for name, value in network.state_dict().items()}
    save_file(tensors, str(path), metadata=metadata)


def is_relume_network(path: Path) -> bool:
    """Whether ``path`` is a safetensors file that says it holds a Relume luma upscaler."""
    try:
        from safetensors import safe_open

        with safe_open(str(path), framework="pt") as handle:
            return (handle.metadata() or {}).get("architecture") == ARCHITECTURE
    except (SafetensorError, OSError, ValueError):
        return False


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
        shape = NetworkShape(int(metadata["scale"]), int(metadata["channels"]), int(metadata["layers"]),
                             metadata.get("base", "bicubic"))
        network = LumaUpscaler(shape)
        network.load_state_dict(tensors)
    except (KeyError, ValueError, RuntimeError) as exc:
        raise SettingsError(f"upscale.upscaler: {path} does not match its recorded shape ({exc})") from exc
    return network.eval()
