"""One in-between picture from its two neighbours, by occlusion-aware motion.

1. Dense flow both ways between the neighbours (OpenCV's DIS on luma, at a
   reduced working size for large frames), and how well each pixel's match
   agrees in brightness and in the round trip.
2. Flow at the in-between time ``t`` by flow projection: each neighbour's flow
   is splatted forward to where its pixels are at ``t`` (:mod:`engine.interp.splat`),
   the better-matching pixel winning where several land on one place. A place
   no pixel of a neighbour reaches is one that neighbour does not see (it was
   hidden there): its visibility from that neighbour is low, and its flow is
   taken from the other neighbour's under constant motion.
3. The in-between flows and visibilities are enlarged to full size, each
   neighbour is warped backward to ``t`` with bicubic ``grid_sample``
   (sub-pixel accurate, on the device) under two motion hypotheses — the
   projected flow and constant motion along the two-way flows — and each place
   takes the hypothesis whose two warped neighbours agree best; the two are
   blended by time and visibility, and where neither neighbour is trusted the
   plain time-weighted blend of the two frames takes over.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np
import torch
import torch.nn.functional as F

from engine.interp.splat import pixel_grid, splat

# Frames wider than this have their motion (flow, visibility, in-between flow)
# worked out at this width and enlarged; only the final warp and blend run at
# full size. On real 640×272 and 1280×720 footage 480 px lost ≤ 0.2 dB against
# full size at about twice the speed.
FLOW_WIDTH_PX = 480
# Brightness disagreement (0–1 scale) at which a pixel's splatting weight falls by e.
_MATCH_TOLERANCE = 0.04
# Round-trip miss (px²) at which a pixel's trust falls by e, plus 2 % of its motion².
_ROUND_TRIP_PX2 = 1.0
# Disagreement (0–1 scale) of the warped neighbours at which a motion hypothesis's fit falls by e.
_AGREEMENT_TOLERANCE = 0.02
# Weight of the plain blend where neither warped neighbour is trusted.
_BLEND_FLOOR = 0.02


def _luma8(rgb: np.ndarray) -> np.ndarray:
    """8-bit luma of an RGB frame (8 or 16 bit) for the flow estimator."""
    if rgb.dtype != np.uint8:
        rgb = (rgb >> 8).astype(np.uint8)
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)


def _grid(flow: torch.Tensor) -> torch.Tensor:
    """Sampling grid for ``grid_sample`` at ``p + flow(p)`` (``flow`` is ``(2, H, W)``)."""
    _, h, w = flow.shape
    scale = torch.tensor([2.0 / max(w - 1, 1), 2.0 / max(h - 1, 1)], device=flow.device, dtype=flow.dtype)
    return ((pixel_grid(h, w, flow.device, flow.dtype) + flow) * scale[:, None, None] - 1.0).permute(1, 2, 0)[None]


def backward_warp(picture: torch.Tensor, flow: torch.Tensor, mode: str = "bicubic") -> torch.Tensor:
    """Sample ``picture`` (``(C, H, W)``) at ``p + flow(p)``."""
    return F.grid_sample(picture[None], _grid(flow), mode=mode, padding_mode="border", align_corners=True)[0]


def _fill_holes(flow: torch.Tensor, known: torch.Tensor) -> torch.Tensor:
    """Flow where ``known`` is false filled from its known surroundings (masked averages, coarse to fine)."""
    if bool(known.all()):
        return flow
    mask = known.to(flow.dtype)[None]
    levels = [(flow * mask, mask)]
    while min(levels[-1][1].shape[-2:]) > 4 and bool((levels[-1][1] <= 0).any()):
        total, weight = levels[-1]
        levels.append((F.avg_pool2d(total[None], 2, ceil_mode=True)[0],
                       F.avg_pool2d(weight[None], 2, ceil_mode=True)[0]))
    total, weight = levels[-1]
    filled = total / weight.clamp_min(1e-6)
    for total, weight in reversed(levels[:-1]):
        coarse = F.interpolate(filled[None], size=total.shape[-2:], mode="bilinear", align_corners=False)[0]
        filled = torch.where(weight > 0, total / weight.clamp_min(1e-6), coarse)
    return torch.where(known[None], flow, filled)


class Inbetweener:
    """Makes in-between pictures of one pair of neighbouring frames.

    Parameters
    ----------
    device
        Torch device for warping and blending.
    flow_width_px
        Frames wider than this get their motion worked out at this width.
    preset
        OpenCV DIS preset for the flow.
    """

    def __init__(self, device: torch.device, flow_width_px: int = FLOW_WIDTH_PX,
                 preset: int = cv2.DISOPTICAL_FLOW_PRESET_MEDIUM) -> None:
        self.device = device
        self.flow_width_px = flow_width_px
        self._dis = cv2.DISOpticalFlow_create(preset)

    def _flow(self, source: np.ndarray, target: np.ndarray) -> torch.Tensor:
        """``(2, h, w)`` flow at the working size with ``source(p) ≈ target(p + flow(p))``."""
        return torch.from_numpy(np.ascontiguousarray(self._dis.calc(source, target, None).transpose(2, 0, 1))).to(
            self.device)

    def pictures(self, first: np.ndarray, second: np.ndarray, times: Sequence[float]) -> list[np.ndarray]:
        """The pictures at each time ``t`` in ``times`` (0 < t < 1) between ``first`` and ``second``.

        Frames are ``(H, W, 3)`` RGB, 8 or 16 bit; the results have the same type.
        """
        if not times:
            return []
        scale = 255.0 if first.dtype == np.uint8 else 65535.0
        h, w = first.shape[:2]
        work = (h, w) if w <= self.flow_width_px else (round(h * self.flow_width_px / w), self.flow_width_px)
        luma0, luma1 = _luma8(first), _luma8(second)
        if work != (h, w):
            luma0, luma1 = (cv2.resize(y, work[::-1], interpolation=cv2.INTER_AREA) for y in (luma0, luma1))
        f01 = self._flow(luma0, luma1)
        f10 = self._flow(luma1, luma0)
        i0 = torch.from_numpy(np.ascontiguousarray(first.transpose(2, 0, 1))).to(self.device, torch.float32) / scale
        i1 = torch.from_numpy(np.ascontiguousarray(second.transpose(2, 0, 1))).to(self.device, torch.float32) / scale
        small0, small1 = i0, i1
        if work != (h, w):
            small0, small1 = (
                torch.from_numpy(cv2.resize(rgb, work[::-1], interpolation=cv2.INTER_AREA).transpose(2, 0, 1).copy())
                .to(self.device, torch.float32) / scale
                for rgb in (first, second)
            )
        trust0, weight0 = self._trust(small0, small1, f01, f10)
        trust1, weight1 = self._trust(small1, small0, f10, f01)
        out = []
        for t in times:
            ft0, ft1, seen0, seen1 = self._motion_at(float(t), f01, f10, trust0, trust1, weight0, weight1)
            # The second hypothesis: constant motion along the two-way flows at each place (Jiang et al. 2018).
            lt0 = -(1 - t) * t * f01 + t * t * f10
            lt1 = (1 - t) ** 2 * f01 - t * (1 - t) * f10
            if work != (h, w):
                ft0, ft1, lt0, lt1 = (_enlarged_flow(f, (h, w)) for f in (ft0, ft1, lt0, lt1))
                seen0, seen1 = (F.interpolate(v[None, None], size=(h, w), mode="bilinear")[0, 0]
                                for v in (seen0, seen1))
            picture = _blend(float(t), i0, i1, (ft0, ft1, seen0, seen1), (lt0, lt1))
            out.append((picture.clamp(0, 1) * scale).round().permute(1, 2, 0).cpu().numpy().astype(first.dtype))
        return out

    def _trust(self, picture: torch.Tensor, other: torch.Tensor, flow: torch.Tensor,
               back: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Per-pixel trust (round trip, 0–1) and splatting weight (brightness match) of ``flow``."""
        # One warp brings both the other picture and its flow back here.
        fetched = backward_warp(torch.cat([other, back]), flow, "bilinear")
        matched, returned = fetched[:-2], fetched[-2:]
        miss = (picture - matched).abs().mean(0)
        miss2 = ((flow + returned) ** 2).sum(0)
        trust = torch.exp(-miss2 / (_ROUND_TRIP_PX2 + 0.02 * (flow**2).sum(0)))
        weight = torch.exp(-miss / _MATCH_TOLERANCE) * (0.1 + trust)
        return trust, weight

    def _motion_at(self, t: float, f01: torch.Tensor, f10: torch.Tensor, trust0: torch.Tensor,
                   trust1: torch.Tensor, weight0: torch.Tensor, weight1: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """Flows from time ``t`` into each neighbour and how well each neighbour sees each place (working size)."""
        ones = torch.ones_like(weight0)
        moved0 = splat(torch.cat([f01 * weight0, weight0[None], ones[None]]), t * f01)
        moved1 = splat(torch.cat([f10 * weight1, weight1[None], ones[None]]), (1 - t) * f10)
        reach0, reach1 = moved0[3], moved1[3]
        # Flow from time t back into each neighbour; under constant motion one gives the other.
        ft0 = -t * moved0[:2] / moved0[2].clamp_min(1e-8)
        ft1 = -(1 - t) * moved1[:2] / moved1[2].clamp_min(1e-8)
        has0 = reach0 > 0.3
        has1 = reach1 > 0.3
        ft0 = torch.where(has0[None], ft0, -(t / (1 - t)) * ft1)
        ft1 = torch.where(has1[None], ft1, -((1 - t) / t) * ft0)
        both = has0 | has1
        ft0 = _fill_holes(ft0, both)
        ft1 = _fill_holes(ft1, both)
        seen0 = reach0.clamp(0, 1) * (0.05 + backward_warp(trust0[None], ft0, "bilinear")[0])
        seen1 = reach1.clamp(0, 1) * (0.05 + backward_warp(trust1[None], ft1, "bilinear")[0])
        return ft0, ft1, seen0, seen1


def _enlarged_flow(flow: torch.Tensor, size: tuple[int, int]) -> torch.Tensor:
    """A working-size flow brought to full ``size`` (values scaled with the picture)."""
    h, w = flow.shape[1:]
    big = F.interpolate(flow[None], size=size, mode="bilinear", align_corners=False)[0]
    return big * torch.tensor([size[1] / w, size[0] / h], device=flow.device, dtype=flow.dtype)[:, None, None]


def _blend(t: float, i0: torch.Tensor, i1: torch.Tensor, projected: tuple[torch.Tensor, ...],
           constant: tuple[torch.Tensor, torch.Tensor]) -> torch.Tensor:
    """Both neighbours warped to time ``t`` (bicubic) and blended by time and visibility.

    Two motion hypotheses are warped: the projected flows (with their
    visibilities) and constant motion. Where a hypothesis is right the two
    warped neighbours agree, so each place takes the hypothesis whose warps
    agree best around it (softly, over a 5×5 neighbourhood); the constant one
    carries no occlusion reasoning, so it counts both neighbours as visible.
    """
    ft0, ft1, seen0, seen1 = projected
    a0, a1 = backward_warp(i0, ft0), backward_warp(i1, ft1)
    c0, c1 = backward_warp(i0, constant[0]), backward_warp(i1, constant[1])
    fit_a = torch.exp(-_disagreement(a0, a1) / _AGREEMENT_TOLERANCE)
    # Ties go to the projected hypothesis.
    fit_c = torch.exp(-_disagreement(c0, c1) / _AGREEMENT_TOLERANCE) * 0.999
    chosen = fit_a / (fit_a + fit_c)
    warped0 = chosen * a0 + (1 - chosen) * c0
    warped1 = chosen * a1 + (1 - chosen) * c1
    v0 = (1 - t) * (chosen * seen0 + (1 - chosen))
    v1 = t * (chosen * seen1 + (1 - chosen))
    blend = (1 - t) * i0 + t * i1
    return (v0 * warped0 + v1 * warped1 + _BLEND_FLOOR * blend) / (v0 + v1 + _BLEND_FLOOR)


def _disagreement(first: torch.Tensor, second: torch.Tensor) -> torch.Tensor:
    """Mean absolute difference of two pictures around each place (5×5), ``(H, W)``."""
    return F.avg_pool2d((first - second).abs().mean(0)[None, None], 5, stride=1, padding=2,
                        count_include_pad=False)[0, 0]
