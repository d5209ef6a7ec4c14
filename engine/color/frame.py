"""Colorize one frame: hints (and optionally a reference prior) → RGB with the film's luma."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import torch

from engine.color.luma import as_luma, compose_rgb
from engine.color.reference import transfer_reference
from engine.color.spatial import luma_tensor, propagate_chroma, resolve_device
from engine.color.strokes import rasterize_hints
from engine.errors import SettingsError
from engine.project.hints import ColorPin, Hint

# How strongly a reference prior pulls free pixels (hints are hard, and the
# neighbour term has weight 1): weak enough that a few hints override it.
REFERENCE_PULL = 0.05


@dataclass(frozen=True, slots=True)
class ColorSettings:
    """The per-shot colour settings the engine honours.

    Attributes
    ----------
    strength
        0–1: blends the chroma towards neutral (0 leaves the film gray).
    saturation
        Multiplier of the chroma (1 keeps it).
    temporal
        Carry colour through the shot by optical flow; when False every frame is
        colored alone from the hints of its nearest keyframe.
    iterations
        Solver iterations on a keyframe (one multigrid cycle each).
    """

    strength: float = 1.0
    saturation: float = 1.0
    temporal: bool = True
    iterations: int = 4

    def __post_init__(self) -> None:
        if not 0.0 <= self.strength <= 1.0:
            raise SettingsError(f"color.strength must be within 0–1, got {self.strength}")
        if not 0.0 <= self.saturation <= 4.0:
            raise SettingsError(f"color.saturation must be within 0–4, got {self.saturation}")
        if self.iterations < 1:
            raise SettingsError(f"color iterations must be at least 1, got {self.iterations}")

    @property
    def chroma_gain(self) -> float:
        """The factor applied to solved chroma before composing RGB."""
        return self.strength * self.saturation


def reference_prior(
    luma: np.ndarray, reference_rgb: np.ndarray | None, device: torch.device
) -> tuple[torch.Tensor | None, torch.Tensor | None]:
    """Soft pull and prior chroma from a reference image, or ``(None, None)`` without one."""
    if reference_rgb is None:
        return None, None
    prior = torch.from_numpy(transfer_reference(luma, reference_rgb)).to(device)
    return torch.full(luma.shape, REFERENCE_PULL, device=device), prior


def solve_frame_chroma(
    luma: np.ndarray,
    hints: Iterable[Hint],
    pins: Mapping[str, ColorPin],
    *,
    device: torch.device,
    reference_rgb: np.ndarray | None = None,
    iterations: int = 4,
) -> torch.Tensor:
    """The propagated chroma ``(2, H, W)`` of one frame, on ``device``, before strength and saturation."""
    h, w = luma.shape
    constraints = rasterize_hints(hints, pins, h, w)
    soft_weight, soft_chroma = reference_prior(luma, reference_rgb, device)
    return propagate_chroma(
        luma_tensor(luma, device),
        torch.from_numpy(constraints.mask).to(device),
        torch.from_numpy(constraints.chroma).to(device),
        soft_weight=soft_weight,
        soft_chroma=soft_chroma,
        iterations=iterations,
    )


def finish_frame(luma: np.ndarray, chroma: torch.Tensor | np.ndarray, settings: ColorSettings) -> np.ndarray:
    """Apply strength and saturation, then compose RGB with exactly ``luma``."""
    if isinstance(chroma, torch.Tensor):
        chroma = chroma.detach().float().cpu().numpy()
    return compose_rgb(luma, chroma * settings.chroma_gain)


def colorize_frame(
    frame: np.ndarray,
    hints: Iterable[Hint],
    pins: Mapping[str, ColorPin],
    *,
    device: str | torch.device | None = None,
    settings: ColorSettings = ColorSettings(),
    reference_rgb: np.ndarray | None = None,
) -> np.ndarray:
    """Colorize one frame from hints painted on it.

    Parameters
    ----------
    frame
        ``(H, W)`` luma or ``(H, W, 3)`` RGB (its luma is used), uint8 or uint16.
    hints
        Strokes on this frame.
    pins
        Pin id → :class:`ColorPin`.
    device
        Torch device; CUDA when present, else the CPU, when None.
    settings
        Strength, saturation and solver iterations.
    reference_rgb
        Optional colour photograph whose palette is the prior the hints refine.

    Returns
    -------
    numpy.ndarray
        ``(H, W, 3)`` RGB of the frame's dtype whose luma equals the input's bit for bit.
    """
    luma = as_luma(frame)
    chroma = solve_frame_chroma(
        luma, hints, pins, device=resolve_device(device), reference_rgb=reference_rgb, iterations=settings.iterations
    )
    return finish_frame(luma, chroma, settings)
