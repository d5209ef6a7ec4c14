"""Spatial propagation of one frame's chroma along luminance edges, on a torch device."""

from __future__ import annotations

import numpy as np
import torch

from engine.color.affinity import levin_rhs, levin_stencil
from engine.color.luma import peak_of
from engine.color.multigrid import CARRIED_OVERCORRECTION, OVERCORRECTION, LevinMultigrid


def resolve_device(device: str | torch.device | None = None) -> torch.device:
    """The torch device to compute on: the one asked for, else CUDA, then MPS, then the CPU."""
    if device is not None:
        return torch.device(device)
    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def luma_tensor(luma: np.ndarray, device: torch.device) -> torch.Tensor:
    """Integer luma ``(H, W)`` as a float32 tensor on the 0–1 scale on ``device``."""
    peak = peak_of(luma.dtype)
    return torch.from_numpy(luma.astype(np.float32) / peak).to(device)


def propagate_chroma(
    luma: torch.Tensor,
    fixed: torch.Tensor,
    fixed_chroma: torch.Tensor,
    *,
    soft_weight: torch.Tensor | None = None,
    soft_chroma: torch.Tensor | None = None,
    initial: torch.Tensor | None = None,
    iterations: int = 4,
    sweeps: int = 1,
) -> torch.Tensor:
    """Fill a frame's chroma from hard and soft constraints by Levin's optimization.

    Parameters
    ----------
    luma
        ``(H, W)`` float luma on the 0–1 scale, on the device to compute on.
    fixed, fixed_chroma
        ``(H, W)`` bool and ``(2, H, W)``: chroma fixed by hints.
    soft_weight, soft_chroma
        Optional ``(H, W)`` pull and ``(2, H, W)`` prior (warped from a neighbouring
        frame, or transferred from a reference image).
    initial
        Starting guess ``(2, H, W)``; the prior or zero when omitted. A frame
        with neither a guess nor a prior is solved from nothing, and its
        multigrid over-scales its coarse corrections more
        (:data:`engine.color.multigrid.OVERCORRECTION`).
    iterations
        Preconditioned GMRES iterations (one multigrid K-cycle each).
    sweeps
        Gauss–Seidel sweeps before and after each coarse correction.

    Returns
    -------
    torch.Tensor
        ``(2, H, W)`` float32 chroma on ``luma``'s device.
    """
    device = luma.device
    fixed = fixed.to(device)
    fixed_chroma = fixed_chroma.to(device, torch.float32)
    if soft_weight is not None:
        soft_weight = soft_weight.to(device, torch.float32)
        soft_chroma = soft_chroma.to(device, torch.float32) if soft_chroma is not None else None
    if not bool(fixed.any()) and (soft_weight is None or not bool((soft_weight > 0).any())):
        return torch.zeros((2, *luma.shape), dtype=torch.float32, device=device)
    # Thousands of small tensor operations: inference mode spares each autograd's
    # version and view bookkeeping (about 5% of a 640×480 solve on the CPU, the
    # same result bit for bit); the clone hands callers an ordinary tensor.
    with torch.inference_mode():
        stencil = levin_stencil(luma, fixed, soft_weight)
        rhs = levin_rhs(fixed, fixed_chroma, soft_weight, soft_chroma)
        from_nothing = initial is None and soft_chroma is None
        if initial is None:
            initial = soft_chroma if soft_chroma is not None else torch.zeros_like(rhs)
        start = torch.where(fixed, fixed_chroma, initial.to(device, torch.float32))
        overcorrection = OVERCORRECTION if from_nothing else CARRIED_OVERCORRECTION
        solved = LevinMultigrid(stencil, fixed, luma, sweeps=sweeps, overcorrection=overcorrection).solve(
            rhs, start, iterations
        )
    return solved.clone()
