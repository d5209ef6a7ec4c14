"""Frames on the device in batches: one upload before a run of torch stages, one download after.

Stages that compute with torch (upscaling, interpolation)
would each pay a host→device copy and back per frame if the pipeline handed
them numpy pictures. Instead the pipeline finds runs of consecutive
:class:`~engine.render.pipeline.BatchStage` stages, uploads the shot's frames
once into :class:`FrameBatch` es of a few frames, chains the run's stages on
those tensors, and downloads once at the end of the run — so on CUDA a
picture stays in GPU memory from the first torch stage to the last. Memory
stays bounded: a batch holds ``batch_frames`` pictures, never the shot.

Pixels on the device are float32 on the 0–1 scale, ``(N, C, H, W)`` with
``C`` = 3 for RGB and 1 for gray; the integer type of the decoded frames is
remembered so that the download gives back the same type (rounded, clipped).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import torch

from engine.progress import CancelToken


@dataclass(frozen=True, slots=True)
class FrameBatch:
    """A few consecutive frames of one shot on the render device.

    Attributes
    ----------
    pixels
        ``(N, C, H, W)`` float32 on the 0–1 scale.
    dtype
        The integer type the frames came in as (``uint8`` or ``uint16``), and go back out as.
    gray
        Whether the frames were two-dimensional (one channel without an axis) on the host.
    """

    pixels: torch.Tensor
    dtype: np.dtype
    gray: bool = False

    def __len__(self) -> int:
        return int(self.pixels.shape[0])

    def with_pixels(self, pixels: torch.Tensor) -> FrameBatch:
        """The same frames' bookkeeping around new ``pixels`` (another size or count is fine)."""
        return FrameBatch(pixels, self.dtype, self.gray and pixels.shape[1] == 1)


def _peak(dtype: np.dtype) -> float:
    if not np.issubdtype(dtype, np.integer):
        raise TypeError(f"frames must be integer pictures, not {dtype}")
    return float(np.iinfo(dtype).max)


def upload(
    frames: Iterable[np.ndarray],
    device: torch.device,
    batch_frames: int,
    cancel: CancelToken | None = None,
) -> Iterator[FrameBatch]:
    """``frames`` (``(H, W)`` or ``(H, W, C)`` integer arrays of one size) as batches on ``device``.

    A batch closes early where the picture size changes, so every batch is one tensor.
    """
    if batch_frames < 1:
        raise ValueError("batch_frames must be at least 1")
    pending: list[np.ndarray] = []

    def flush() -> FrameBatch:
        host = np.stack(pending)
        gray = host.ndim == 3
        if gray:
            host = host[..., None]
        dtype = host.dtype
        # Convert on the device: the copy over the bus moves the compact integer pictures.
        pixels = torch.from_numpy(np.ascontiguousarray(host)).to(device, non_blocking=True)
        pixels = pixels.permute(0, 3, 1, 2).to(torch.float32).div_(_peak(dtype))
        pending.clear()
        return FrameBatch(pixels.contiguous(), dtype, gray)

    for frame in frames:
        if cancel is not None:
            cancel.raise_if_cancelled()
        if pending and frame.shape != pending[0].shape:
            yield flush()
        pending.append(frame)
        if len(pending) == batch_frames:
            yield flush()
    if pending:
        yield flush()


def download(batches: Iterable[FrameBatch]) -> Iterator[np.ndarray]:
    """The frames of ``batches`` back on the host, in order, in their original integer type."""
    for batch in batches:
        peak = _peak(batch.dtype)
        pixels = batch.pixels.mul(peak).round_().clamp_(0, peak).permute(0, 2, 3, 1)
        # Converted on the device, so the bus carries 1 or 2 bytes a sample rather than 4.
        if batch.dtype == np.uint8:
            host = pixels.to(torch.uint8).contiguous().cpu().numpy()
        else:
            # uint16 has no torch type on every build: shifted into int16's range (exact), and back by
            # flipping the top bit, which is what adding 32768 does to 16 bits.
            shifted = pixels.sub_(32768).to(torch.int16).contiguous().cpu().numpy()
            host = shifted.view(np.uint16) ^ np.uint16(0x8000)
        for frame in host:
            yield frame[..., 0] if batch.gray else frame
