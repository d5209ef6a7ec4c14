"""Run a luma network over a picture of any size in tiles, so memory stays bounded.

The picture is cut into tiles of at most ``tile`` pixels a side; each tile is
run with a margin of real neighbouring pixels (the edge of the picture is
repeated outward) as wide as the network's reach, and only its centre is kept.
Every kept pixel so sees exactly what it would in one pass over the whole
picture: a tiled result equals an untiled one up to float rounding. Tiles
start on multiples of the network's fold, for the same reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import nullcontext

import numpy as np
import torch
import torch.nn.functional as F

from engine.color.luma import peak_of
from engine.upscale.network import FOLD, LumaUpscaler

# Largest tile side, in input pixels: a 480p frame runs as a few tiles, and a
# tile's activations stay around a hundred megabytes whatever the picture.
TILE = 384


def tile_spans(length: int, tile: int, fold: int = FOLD) -> Iterator[tuple[int, int]]:
    """Near-equal spans covering ``0..length``, none longer than ``tile``, each starting on a multiple of ``fold``.

    ``length`` is a multiple of ``fold`` (Relume's network: even sides; ``fold=1`` for any side).
    """
    count = max(1, -(-length // tile))
    edges = [min(length, round(i * length / count / fold) * fold) for i in range(count + 1)]
    edges[-1] = length
    for start, end in zip(edges, edges[1:]):
        if end > start:
            yield start, end


def upscale_plane(network: LumaUpscaler, plane: np.ndarray, device: torch.device, tile: int = TILE) -> np.ndarray:
    """Enlarge one luma plane by the network's scale.

    Parameters
    ----------
    network
        A network on ``device``, in eval mode.
    plane
        ``(h, w)`` uint8 or uint16 code values.
    device
        Where to compute; half precision (autocast) on CUDA, float32 elsewhere.
    tile
        Largest tile side in input pixels.

    Returns
    -------
    numpy.ndarray
        ``(h·scale, w·scale)`` of ``plane``'s dtype.
    """
    peak = peak_of(plane.dtype)
    source = torch.from_numpy(plane.astype(np.float32)).to(device)[None, None] / peak
    enlarged = enlarge(network, source, tile)[0, 0]
    return torch.round(enlarged * peak).to(torch.int32).cpu().numpy().astype(plane.dtype)


def enlarge(network: LumaUpscaler, pictures: torch.Tensor, tile: int = TILE) -> torch.Tensor:
    """Enlarge luma pictures already on the network's device by its scale.

    Parameters
    ----------
    network
        A network in eval mode, on the device of ``pictures``.
    pictures
        ``(N, 1, h, w)`` float luma on the 0–1 scale.
    tile
        Largest tile side in input pixels.

    Returns
    -------
    torch.Tensor
        ``(N, 1, h·scale, w·scale)`` float32 on the 0–1 scale (clamped), on the same device.
    """
    scale = network.shape.scale
    count, _, height, width = pictures.shape
    margin = -(-network.shape.reach // FOLD) * FOLD
    tile = max(FOLD, tile // FOLD * FOLD)
    # An odd side is made even by repeating the last line (cropped off at the end).
    even_h, even_w = height + height % FOLD, width + width % FOLD
    padded = F.pad(pictures.float(), (margin, margin + even_w - width, margin, margin + even_h - height),
                   mode="replicate")
    out = torch.empty((count, 1, even_h * scale, even_w * scale), dtype=torch.float32, device=pictures.device)
    autocast = torch.autocast("cuda", dtype=torch.float16) if pictures.device.type == "cuda" else nullcontext()
    with torch.inference_mode(), autocast:
        for y0, y1 in tile_spans(even_h, tile):
            for x0, x1 in tile_spans(even_w, tile):
                window = padded[:, :, y0 : y1 + 2 * margin, x0 : x1 + 2 * margin]
                result = network(window)[:, :, margin * scale : (margin + y1 - y0) * scale,
                                         margin * scale : (margin + x1 - x0) * scale]
                out[:, :, y0 * scale : y1 * scale, x0 * scale : x1 * scale] = result.float().clamp(0.0, 1.0)
    return out[:, :, : height * scale, : width * scale]
