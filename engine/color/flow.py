"""Dense optical flow on luma, its forward–backward confidence, and warping on the device.

Flow is estimated by OpenCV's DIS (Kroeger et al. 2016) on 8-bit luma — fast and
good enough to carry smooth chroma, which forgives sub-pixel error far more than
luma would. Warping runs in torch (``grid_sample``) so chroma stays on the
device between frames.
"""

from __future__ import annotations

import cv2
import numpy as np
import torch
import torch.nn.functional as F

# A pixel whose round trip t → t±1 → t misses by more than this (pixels²,
# plus 1 % of the motion²) is treated as occluded (Sundaram et al. 2010).
_ROUND_TRIP_TOLERANCE_PX2 = 0.5
# Luma disagreement (0–1 scale) after warping at which confidence falls to 1/e.
_LUMA_TOLERANCE = 0.06


def luma8(luma: np.ndarray) -> np.ndarray:
    """8-bit luma for the flow estimator (16-bit is shifted down)."""
    return luma if luma.dtype == np.uint8 else (luma >> 8).astype(np.uint8)


class LumaFlow:
    """DIS optical flow between two luma frames.

    Parameters
    ----------
    preset
        One of OpenCV's ``DISOPTICAL_FLOW_PRESET_*``; MEDIUM by default.
    """

    def __init__(self, preset: int = cv2.DISOPTICAL_FLOW_PRESET_MEDIUM) -> None:
        self._dis = cv2.DISOpticalFlow_create(preset)

    def __call__(self, source: np.ndarray, target: np.ndarray) -> np.ndarray:
        """Flow ``(H, W, 2)`` (dx, dy) such that ``source(p) ≈ target(p + flow(p))``."""
        return self._dis.calc(luma8(source), luma8(target), None)


def _grid(flow: torch.Tensor) -> torch.Tensor:
    h, w = flow.shape[:2]
    ys, xs = torch.meshgrid(
        torch.arange(h, device=flow.device, dtype=torch.float32),
        torch.arange(w, device=flow.device, dtype=torch.float32),
        indexing="ij",
    )
    gx = (xs + flow[..., 0]) * (2.0 / max(w - 1, 1)) - 1.0
    gy = (ys + flow[..., 1]) * (2.0 / max(h - 1, 1)) - 1.0
    return torch.stack([gx, gy], dim=-1)[None]


def warp(field: torch.Tensor, flow: torch.Tensor, mode: str = "bilinear") -> torch.Tensor:
    """Sample ``field`` (``(C, H, W)``) at ``p + flow(p)``: bring a neighbour frame onto this one."""
    return F.grid_sample(field[None], _grid(flow), mode=mode, padding_mode="border", align_corners=True)[0]


def flow_confidence(
    flow_to: torch.Tensor, flow_back: torch.Tensor, luma: torch.Tensor, other_luma: torch.Tensor
) -> torch.Tensor:
    """Per-pixel trust ``(H, W)`` in 0–1 of a flow from this frame to another.

    Parameters
    ----------
    flow_to
        ``(H, W, 2)`` flow from this frame into the other one.
    flow_back
        ``(H, W, 2)`` flow from the other frame back into this one.
    luma, other_luma
        ``(H, W)`` luma (0–1) of this frame and of the other.
    """
    h, w = luma.shape
    back = warp(flow_back.permute(2, 0, 1), flow_to).permute(1, 2, 0)
    miss2 = ((flow_to + back) ** 2).sum(-1)
    motion2 = (flow_to**2).sum(-1) + (back**2).sum(-1)
    confidence = torch.exp(-miss2 / (0.01 * motion2 + _ROUND_TRIP_TOLERANCE_PX2))
    warped_luma = warp(other_luma[None], flow_to)[0]
    confidence = confidence * torch.exp(-(((luma - warped_luma) / _LUMA_TOLERANCE) ** 2))
    ys, xs = torch.meshgrid(
        torch.arange(h, device=luma.device, dtype=torch.float32),
        torch.arange(w, device=luma.device, dtype=torch.float32),
        indexing="ij",
    )
    tx, ty = xs + flow_to[..., 0], ys + flow_to[..., 1]
    inside = (tx >= 0) & (tx <= w - 1) & (ty >= 0) & (ty <= h - 1)
    return confidence * inside
