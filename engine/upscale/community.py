"""Upscaling models from elsewhere — ESRGAN, Real-ESRGAN, SwinIR, HAT, SPAN, … — loaded by spandrel.

Restorers collect single-image super-resolution models trained for film,
faces or grain; any file that spandrel recognises can stand in for Relume's
network (``upscale.upscaler`` = the file). Only weights are read: a
``.safetensors`` file through safetensors, a ``.pth``/``.pt``/``.ckpt`` file
through torch's weights-only unpickler, which refuses anything but tensors and
plain containers — a file that would run code when unpickled is refused, and
TorchScript (a program, not weights) is never loaded.

Relume upscales the film's luma (colour is upsampled guided by it, see
:mod:`engine.upscale.upscaler`), so the model is fed the luma as a grey picture
on every input channel and its output is taken back to luma by BT.709's
weights. It runs in tiles with a margin of real neighbouring pixels, so memory
stays bounded at any frame size; on CUDA in float16 where the architecture
allows it.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from engine.color.luma import KB, KG, KR, peak_of
from engine.errors import SettingsError
from engine.upscale.tiles import tile_spans

# File kinds a model may come in (weights only; see the module's docstring).
MODEL_SUFFIXES = (".safetensors", ".pth", ".pt", ".ckpt")
# Largest tile side in input pixels, and the neighbouring pixels each tile sees beyond it:
# most of these networks look about a dozen pixels around each output pixel.
TILE = 256
MARGIN = 16


@dataclass(slots=True)
class ModelUpscaler:
    """A community model, run on ``device`` over a luma plane in tiles.

    Attributes
    ----------
    name
        The model file as the restorer named it.
    model
        spandrel's descriptor of the loaded network (already on ``device``).
    device
        Where the model runs.
    tile, margin
        Tile side and context margin, in input pixels.
    """

    name: str
    model: object  # spandrel.ImageModelDescriptor (imported lazily)
    device: torch.device
    tile: int = TILE
    margin: int = MARGIN

    @property
    def scale(self) -> int:
        """The model's fixed enlargement."""
        return int(self.model.scale)  # type: ignore[attr-defined]

    def luma(self, plane: np.ndarray, size: tuple[int, int]) -> np.ndarray:
        """``plane`` ``(h, w)`` uint8/uint16 enlarged by the model, then resampled to ``size``."""
        from engine.upscale.upscaler import resample

        height, width = plane.shape
        if size[0] <= width and size[1] <= height:
            return resample(plane, size)
        peak = peak_of(plane.dtype)
        source = torch.from_numpy(plane.astype(np.float32)).to(self.device)[None, None] / peak
        enlarged = self.enlarge(source)[0, 0]
        codes = torch.round(enlarged * peak).to(torch.int32).cpu().numpy().astype(plane.dtype)
        return resample(codes, size)

    def enlarge(self, pictures: torch.Tensor) -> torch.Tensor:
        """``(N, 1, h, w)`` float luma (0–1) on ``device`` → ``(N, 1, h·scale, w·scale)`` float32 (0–1)."""
        s, m = self.scale, self.margin
        count, _, height, width = pictures.shape
        padded = F.pad(pictures.float(), (m, m, m, m), mode="replicate")
        out = torch.empty((count, 1, height * s, width * s), dtype=torch.float32, device=pictures.device)
        for k in range(count):
            for y0, y1 in tile_spans(height, self.tile, fold=1):
                for x0, x1 in tile_spans(width, self.tile, fold=1):
                    window = padded[k : k + 1, :, y0 : y1 + 2 * m, x0 : x1 + 2 * m]
                    result = self._run(window)
                    out[k : k + 1, :, y0 * s : y1 * s, x0 * s : x1 * s] = \
                        result[:, :, m * s : (m + y1 - y0) * s, m * s : (m + x1 - x0) * s]
        return out

    def _run(self, grey: torch.Tensor) -> torch.Tensor:
        """One ``(1, 1, h, w)`` tile through the model; its output as luma."""
        model = self.model
        channels = int(model.input_channels)  # type: ignore[attr-defined]
        dtype = model.dtype  # type: ignore[attr-defined]
        with torch.inference_mode():
            result = model(grey.expand(-1, channels, -1, -1).to(dtype).contiguous())  # type: ignore[operator]
        result = result.float()
        if result.shape[1] >= 3:
            result = KR * result[:, 0:1] + KG * result[:, 1:2] + KB * result[:, 2:3]
        return result[:, 0:1].clamp(0.0, 1.0)


def load_model(path: Path, device: torch.device) -> ModelUpscaler:
    """The upscaling model in ``path``, on ``device``.

    Raises
    ------
    SettingsError
        The file is missing or unreadable, holds more than weights, is of no
        architecture spandrel knows, or is not a single-image upscaler.
    """
    import spandrel

    state = _weights(path)
    try:
        descriptor = spandrel.ModelLoader().load_from_state_dict(spandrel.canonicalize_state_dict(state))
    except spandrel.UnsupportedModelError:
        raise SettingsError(f"upscale.upscaler: {path} holds no upscaling model that Relume can read "
                            "(supported: the architectures spandrel knows, e.g. ESRGAN, Real-ESRGAN, SwinIR, "
                            "HAT, SPAN)") from None
    except (KeyError, ValueError, RuntimeError) as exc:
        raise SettingsError(f"upscale.upscaler: {path} could not be read as a model ({exc})") from exc
    if not isinstance(descriptor, spandrel.ImageModelDescriptor):
        raise SettingsError(f"upscale.upscaler: {path} is a {descriptor.architecture.name} model for "
                            f"{descriptor.purpose.lower()}, not an upscaler")
    if descriptor.scale < 2:
        raise SettingsError(f"upscale.upscaler: {path} is a {descriptor.architecture.name} model that does not "
                            "enlarge (×1), not an upscaler")
    if descriptor.input_channels not in (1, 3):
        raise SettingsError(f"upscale.upscaler: {path} takes {descriptor.input_channels} channels; "
                            "Relume feeds 1 (grey) or 3 (RGB)")
    descriptor.to(device).eval()
    if device.type == "cuda" and descriptor.supports_half:
        descriptor.half()
    return ModelUpscaler(str(path), descriptor, device)


def _weights(path: Path) -> dict[str, torch.Tensor]:
    """The tensors of a model file, read without running anything it might hold."""
    if not path.is_file():
        raise SettingsError(f"upscale.upscaler: model file {path} not found")
    if path.suffix.lower() == ".safetensors":
        from safetensors import SafetensorError
        from safetensors.torch import load_file

        try:
            return load_file(str(path))
        except (SafetensorError, OSError, ValueError) as exc:
            raise SettingsError(f"upscale.upscaler: {path} is not a safetensors model file ({exc})") from exc
    try:
        loaded = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as exc:
        if "GLOBAL" not in str(exc):  # no refused class or function: the file is damaged or no pickle at all
            raise SettingsError(f"upscale.upscaler: {path} is not a readable model file "
                                f"({_unpickler_reason(exc)})") from None
        raise SettingsError(f"upscale.upscaler: {path} holds more than weights (code or objects), "
                            "so it is refused; a .safetensors copy of its weights can be used") from None
    except (RuntimeError, OSError, EOFError, ValueError) as exc:
        raise SettingsError(f"upscale.upscaler: {path} is not a readable model file ({exc})") from exc
    if not isinstance(loaded, dict):
        raise SettingsError(f"upscale.upscaler: {path} holds no weights Relume can read")
    return loaded


def _unpickler_reason(exc: Exception) -> str:
    """The line of torch's weights-only refusal that says what it met (its message is a page long)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    for before, line in zip(lines, lines[1:]):
        if before.endswith("WeightsUnpickler error:"):
            return line
    return lines[0] if lines else type(exc).__name__
