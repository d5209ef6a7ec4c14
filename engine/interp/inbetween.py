"""One in-between picture from its two neighbours, by occlusion-aware motion.

1. Dense flow both ways between the neighbours (OpenCV's DIS on luma, at a
   reduced working size for large frames), and how well each pixel's match
   agrees in brightness and in the round trip. This is worked out once per pair
   of neighbours, for every in-between time they need.
2. Flow at the in-between time ``t`` by flow projection: each neighbour's flow
   is splatted forward to where its pixels are at ``t`` (:mod:`engine.interp.splat`),
   the better-matching pixel winning where several land on one place. A place
   no pixel of a neighbour reaches is one that neighbour does not see (it was
   hidden there): its visibility from that neighbour is low, and its flow is
   taken from the other neighbour's under constant motion.
3. A second motion hypothesis, constant motion along the two-way flows at each
   place, is checked against the projected one: each place takes the
   hypothesis whose two warped neighbours agree best around it. Both
   neighbours' weights (by time and visibility) are settled here too, so steps
   1–3 all run at the working size, on the CPU, beside the flow estimator.
4. Only the painting runs at full size: the chosen flows and weights are
   enlarged, each neighbour is warped backward to ``t`` (bicubic, sub-pixel
   accurate) and the two are blended by their weights; where neither neighbour
   is trusted the plain time-weighted blend of the two frames takes over. On
   the CPU this is OpenCV's ``remap``; on another device torch's ``grid_sample``,
   where the pixels are many and the device is fast.
5. On grainy footage (old film) the grain of the frame to be rebuilt is new
   and cannot be predicted, so the in-between's leftover grain is evened out
   where it is only grain (a local Wiener filter, its strength the grain
   measured on the pair); clean footage is left as painted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np
import torch
import torch.nn.functional as F

from engine.interp.splat import pixel_grid, splat

# Frames wider than this have their motion (flow, visibility, in-between flow)
# worked out at this width and enlarged; only the final warp and blend run at
# full size. On real 640×272 and 1280×720 footage (benchmarks/interp.py), 400 px
# with patches matched at this width (below) was within 0.05 dB of 480 px and
# 0.3 dB better than 480 px with patches matched at half of it, at less cost than either.
FLOW_WIDTH_PX = 400
# Working widths from which the flow's patches are matched at the working size itself (DIS's finest scale 0)
# rather than at half of it. On real 640×272 and 1280×720 footage this gained 0.2–0.3 dB at about twice the
# flow's cost; on 176×144 footage it gained nothing, at three times the cost.
_FINE_FLOW_WIDTH_PX = 400
# DIS's variational refinement of its flow: on the four clips of benchmarks/interp.py five iterations (the
# presets' own) scored 0.02 dB below none, at a large share of the flow's cost. The trust, projection and
# hypothesis choice below already judge each place's motion by how well it matches.
_REFINEMENT_ITERATIONS = 0
# Brightness disagreement (0–1 scale) at which a pixel's splatting weight falls by e.
_MATCH_TOLERANCE = 0.04
# Round-trip miss (px²) at which a pixel's trust falls by e, plus 2 % of its motion².
_ROUND_TRIP_PX2 = 1.0
# Disagreement (0–1 scale) of the warped neighbours at which a motion hypothesis's fit falls by e.
_AGREEMENT_TOLERANCE = 0.01
# Weight of the plain blend where neither warped neighbour is trusted.
_BLEND_FLOOR = 0.05
# Grain is the part of a picture finer than this blur (Gaussian sigma, px), for measuring and for evening it.
_GRAIN_SIGMA_PX = 1.5
# Grain (standard deviation, 0–1 scale) below which footage counts as clean and in-betweens are left as painted:
# the compression noise of clean real footage measures about 0.005.
_GRAIN_VISIBLE = 0.012


def _luma8(rgb: np.ndarray) -> np.ndarray:
    """8-bit luma of an RGB frame (8 or 16 bit) for the flow estimator."""
    if rgb.dtype != np.uint8:
        rgb = (rgb >> 8).astype(np.uint8)
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)


def warp(picture: np.ndarray, flow: np.ndarray, interpolation: int = cv2.INTER_LINEAR) -> np.ndarray:
    """``picture`` (``(H, W[, C])``) sampled at ``p + flow(p)`` (``flow`` is ``(H, W, 2)`` float32)."""
    xs, ys = pixel_grid(*flow.shape[:2])
    return cv2.remap(picture, xs + flow[..., 0], ys + flow[..., 1], interpolation, borderMode=cv2.BORDER_REPLICATE)


def _fill_holes(flow: np.ndarray, known: np.ndarray) -> np.ndarray:
    """Flow where ``known`` is false filled from its known surroundings (masked averages, coarse to fine)."""
    if bool(known.all()):
        return flow
    mask = known.astype(np.float32)
    levels = [(flow * mask[..., None], mask)]
    while min(levels[-1][1].shape) > 4 and bool((levels[-1][1] <= 0).any()):
        total, weight = levels[-1]
        size = ((weight.shape[1] + 1) // 2, (weight.shape[0] + 1) // 2)
        levels.append((cv2.resize(total, size, interpolation=cv2.INTER_AREA),
                       cv2.resize(weight, size, interpolation=cv2.INTER_AREA)))
    total, weight = levels[-1]
    filled = total / np.maximum(weight, 1e-6)[..., None]
    for total, weight in reversed(levels[:-1]):
        coarse = cv2.resize(filled, weight.shape[::-1], interpolation=cv2.INTER_LINEAR)
        filled = np.where((weight > 0)[..., None], total / np.maximum(weight, 1e-6)[..., None], coarse)
    return np.where(known[..., None], flow, filled)


@dataclass(frozen=True, slots=True)
class _PairMotion:
    """The motion between two neighbours at the working size, shared by all their in-between times.

    Flows are ``(h, w, 2)`` with ``first(p) ≈ second(p + forward(p))`` and
    ``second(p) ≈ first(p + backward(p))``; trusts (round trip, 0–1) and
    splatting weights (brightness match) are ``(h, w)``; lumas are 0–1.
    """

    forward: np.ndarray
    backward: np.ndarray
    trust0: np.ndarray
    trust1: np.ndarray
    weight0: np.ndarray
    weight1: np.ndarray
    luma0: np.ndarray
    luma1: np.ndarray
    grain: float


@dataclass(frozen=True, slots=True)
class _Painting:
    """How to paint the picture at time ``t`` (working size): a flow into each neighbour, and the shares.

    ``flows`` is ``(h, w, 4)``: the flow into the first neighbour, then into the
    second, in working-size pixels. ``shares`` is ``(h, w, 4)``: the weights of
    the first and second neighbours warped (relative to each other), then the
    shares of their warped blend and of the plain time-weighted blend of the
    unwarped frames (where neither warped one is trusted), which sum to one.
    """

    t: float
    flows: np.ndarray
    shares: np.ndarray


class Inbetweener:
    """Makes in-between pictures of one pair of neighbouring frames.

    Parameters
    ----------
    device
        Torch device for the full-size warping and blending (OpenCV on the CPU).
    flow_width_px
        Frames wider than this get their motion worked out at this width.
    preset
        OpenCV DIS preset for the flow (its variational refinement is left out, and its patches
        are matched at the working size itself from ``_FINE_FLOW_WIDTH_PX``).
    """

    def __init__(self, device: torch.device, flow_width_px: int = FLOW_WIDTH_PX,
                 preset: int = cv2.DISOPTICAL_FLOW_PRESET_MEDIUM) -> None:
        self.device = device
        self.flow_width_px = flow_width_px
        self._dis = cv2.DISOpticalFlow_create(preset)
        # The same estimator matching patches at the working size itself rather than at half of it.
        self._fine_dis = cv2.DISOpticalFlow_create(preset)
        self._fine_dis.setFinestScale(0)
        for dis in (self._dis, self._fine_dis):
            dis.setVariationalRefinementIterations(_REFINEMENT_ITERATIONS)

    def pictures(self, first: np.ndarray, second: np.ndarray, times: Sequence[float]) -> list[np.ndarray]:
        """The pictures at each time ``t`` in ``times`` (0 < t < 1) between ``first`` and ``second``.

        Frames are ``(H, W, 3)`` RGB, 8 or 16 bit; the results have the same type.
        """
        if not times:
            return []
        motion = self._pair_motion(first, second)
        paintings = [_painting(float(t), motion) for t in times]
        if self.device.type == "cpu":
            return [_paint(first, second, p, motion.grain) for p in paintings]
        return _paint_on_device(first, second, paintings, motion.grain, self.device)

    def _pair_motion(self, first: np.ndarray, second: np.ndarray) -> _PairMotion:
        """Flows both ways and their trust, at the working size."""
        h, w = first.shape[:2]
        luma0, luma1 = _luma8(first), _luma8(second)
        if w > self.flow_width_px:
            work = (self.flow_width_px, round(h * self.flow_width_px / w))
            luma0, luma1 = (cv2.resize(y, work, interpolation=cv2.INTER_AREA) for y in (luma0, luma1))
        dis = self._fine_dis if luma0.shape[1] >= _FINE_FLOW_WIDTH_PX else self._dis
        forward = dis.calc(luma0, luma1, None)
        backward = dis.calc(luma1, luma0, None)
        y0 = luma0.astype(np.float32) * np.float32(1 / 255)
        y1 = luma1.astype(np.float32) * np.float32(1 / 255)
        trust0, weight0 = _trust(y0, y1, forward, backward)
        trust1, weight1 = _trust(y1, y0, backward, forward)
        return _PairMotion(forward, backward, trust0, trust1, weight0, weight1, y0, y1, _grain(y0, y1, forward))


def _falloff(x: np.ndarray) -> np.ndarray:
    """``exp(-x)`` for ``x ≥ 0``, never so small that float32 goes subnormal (which slows every later sum tenfold)."""
    return np.exp(-np.minimum(x, 40))


def _trust(luma: np.ndarray, other: np.ndarray, flow: np.ndarray, back: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-pixel trust (round trip, 0–1) and splatting weight (brightness match) of ``flow``."""
    # One warp brings both the other picture and its flow back here.
    fetched = warp(np.dstack([back, other]), flow)
    miss = np.abs(luma - fetched[..., 2])
    motion2 = (flow * flow).sum(2)
    returned = flow + fetched[..., :2]
    miss2 = (returned * returned).sum(2)
    trust = _falloff(miss2 / (_ROUND_TRIP_PX2 + 0.02 * motion2))
    weight = _falloff(miss * np.float32(1 / _MATCH_TOLERANCE)) * (0.1 + trust)
    return trust, weight


def _grain(luma0: np.ndarray, luma1: np.ndarray, forward: np.ndarray) -> float:
    """Standard deviation (0–1 scale) of the film grain of one frame, measured on a pair of neighbours.

    Grain is new in every frame, so the fine detail of one neighbour minus the
    other's brought onto it by the flow is the two frames' grain (and whatever
    the flow missed, which the median ignores): its spread is √2 times one
    frame's grain.
    """
    fine0 = luma0 - cv2.GaussianBlur(luma0, (0, 0), _GRAIN_SIGMA_PX)
    fine1 = luma1 - cv2.GaussianBlur(luma1, (0, 0), _GRAIN_SIGMA_PX)
    # The median absolute deviation of a normal spread is 0.6745 of its standard deviation.
    return float(np.median(np.abs(fine0 - warp(fine1, forward)))) / (0.6745 * np.sqrt(2))


def _painting(t: float, m: _PairMotion) -> _Painting:
    """Flows from time ``t`` into each neighbour and their shares of the picture (working size)."""
    ones = np.ones_like(m.weight0)
    moved0 = splat(np.dstack([m.forward * m.weight0[..., None], m.weight0, ones]), np.float32(t) * m.forward)
    moved1 = splat(np.dstack([m.backward * m.weight1[..., None], m.weight1, ones]), np.float32(1 - t) * m.backward)
    reach0, reach1 = moved0[..., 3], moved1[..., 3]
    # Flow from time t back into each neighbour; under constant motion one gives the other.
    ft0 = moved0[..., :2] * (-t / np.maximum(moved0[..., 2:3], 1e-8))
    ft1 = moved1[..., :2] * (-(1 - t) / np.maximum(moved1[..., 2:3], 1e-8))
    has0 = reach0 > 0.3
    has1 = reach1 > 0.3
    ft0 = np.where(has0[..., None], ft0, -(t / (1 - t)) * ft1)
    ft1 = np.where(has1[..., None], ft1, -((1 - t) / t) * ft0)
    both = has0 | has1
    ft0 = _fill_holes(ft0, both)
    ft1 = _fill_holes(ft1, both)
    seen0 = np.minimum(reach0, 1) * (0.05 + warp(m.trust0, ft0))
    seen1 = np.minimum(reach1, 1) * (0.05 + warp(m.trust1, ft1))
    # The second hypothesis: constant motion along the two-way flows at each place (Jiang et al. 2018).
    lt0 = np.float32(-(1 - t) * t) * m.forward + np.float32(t * t) * m.backward
    lt1 = np.float32((1 - t) ** 2) * m.forward - np.float32(t * (1 - t)) * m.backward
    # Where a hypothesis is right its two warped neighbours agree (judged on luma over 5×5; ties go to
    # the projected one); the constant one carries no occlusion reasoning, so it counts both as visible.
    misfit_a = cv2.blur(np.abs(warp(m.luma0, ft0) - warp(m.luma1, ft1)), (5, 5))
    misfit_c = cv2.blur(np.abs(warp(m.luma0, lt0) - warp(m.luma1, lt1)), (5, 5))
    # exp(-a/τ) / (exp(-a/τ) + 0.999·exp(-c/τ)), written so it neither overflows nor underflows.
    chosen = 1 / (1 + 0.999 * np.exp(np.clip((misfit_a - misfit_c) * (1 / _AGREEMENT_TOLERANCE), -60, 60)))
    flow0 = lt0 + chosen[..., None] * (ft0 - lt0)
    flow1 = lt1 + chosen[..., None] * (ft1 - lt1)
    v0 = (1 - t) * (chosen * seen0 + (1 - chosen))
    v1 = t * (chosen * seen1 + (1 - chosen))
    seen = np.maximum(v0 + v1, 1e-12)
    total = seen + _BLEND_FLOOR
    # Relative weights that sum to one: blendLinear's own normalizing has a floor of 1e-5.
    shares = np.dstack([v0 / seen, v1 / seen, seen / total, _BLEND_FLOOR / total])
    return _Painting(t, np.dstack([flow0, flow1]), shares)


def _sample_points(p: _Painting, size: tuple[int, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where each full-``size`` pixel samples each neighbour (two ``(H, W, 2)`` maps for ``cv2.remap``) and the shares.

    The sample points are made at the working size and enlarged: enlarging is
    linear, so this equals enlarging the flows and adding each pixel's place,
    except that the outermost row and column, which enlarging cannot
    extrapolate, sample up to half a working pixel inward.
    """
    h, w = size
    small_h, small_w = p.shares.shape[:2]
    sx, sy = w / small_w, h / small_h
    xs, ys = pixel_grid(small_h, small_w)
    # A working pixel's centre lies at (i + ½)·scale - ½ in full-size pixels.
    points = p.flows * np.float32([sx, sy, sx, sy])
    points[..., 0::2] += (xs * np.float32(sx) + np.float32(sx / 2 - 0.5))[..., None]
    points[..., 1::2] += (ys * np.float32(sy) + np.float32(sy / 2 - 0.5))[..., None]
    if (small_h, small_w) == (h, w):
        return points[..., :2].copy(), points[..., 2:].copy(), p.shares
    return (cv2.resize(np.ascontiguousarray(points[..., :2]), (w, h), interpolation=cv2.INTER_LINEAR),
            cv2.resize(np.ascontiguousarray(points[..., 2:]), (w, h), interpolation=cv2.INTER_LINEAR),
            cv2.resize(p.shares, (w, h), interpolation=cv2.INTER_LINEAR))


def _even_grain(picture: np.ndarray, grain: float) -> np.ndarray:
    """``picture`` (float32, ``(H, W, 3)``) with its grain (a standard deviation on its scale) evened out.

    The grain of the frame to be rebuilt is new and cannot be predicted, so the
    best guess for it is the picture without grain. The in-between carries the
    blended leftovers of its neighbours' grain; where the picture's fine detail
    varies no more than grain does it is taken as grain and smoothed, where it
    varies more (edges, texture) it is kept in proportion (a local Wiener
    filter, Lee 1980).
    """
    smooth = cv2.GaussianBlur(picture, (0, 0), _GRAIN_SIGMA_PX)
    fine = picture - smooth
    spread = cv2.blur((fine * fine).mean(2), (7, 7))
    keep = np.maximum(spread - grain * grain, 0) / np.maximum(spread, 1e-12)
    fine *= keep[..., None]
    return smooth + fine


def _paint(first: np.ndarray, second: np.ndarray, p: _Painting, grain: float) -> np.ndarray:
    """The picture painted on the CPU: both neighbours warped (bicubic) and blended by their shares, in float32.

    Each blend is one pass of OpenCV's ``blendLinear``; warping the frames as
    float32 rather than in their own type keeps the warped neighbours unrounded
    (about 0.04 dB on real footage).
    """
    kind = first.dtype
    peak = 255.0 if kind == np.uint8 else 65535.0
    points0, points1, shares = _sample_points(p, first.shape[:2])
    weight0, weight1, warped, plain = cv2.split(shares)
    first, second = first.astype(np.float32), second.astype(np.float32)
    moved = cv2.blendLinear(
        cv2.remap(first, points0, None, cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE),
        cv2.remap(second, points1, None, cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE),
        weight0, weight1)
    still = cv2.addWeighted(first, 1 - p.t, second, p.t, 0)
    out = cv2.blendLinear(moved, still, warped, plain)
    if grain > _GRAIN_VISIBLE:
        out = _even_grain(out, grain * peak)
    return np.clip(out + 0.5, 0, peak).astype(kind)


def _grid(flow: torch.Tensor) -> torch.Tensor:
    """Sampling grid for ``grid_sample`` at ``p + flow(p)`` (``flow`` is ``(2, H, W)``)."""
    _, h, w = flow.shape
    ys, xs = torch.meshgrid(torch.arange(h, device=flow.device, dtype=flow.dtype),
                            torch.arange(w, device=flow.device, dtype=flow.dtype), indexing="ij")
    scale = torch.tensor([2.0 / max(w - 1, 1), 2.0 / max(h - 1, 1)], device=flow.device, dtype=flow.dtype)
    return ((torch.stack([xs, ys]) + flow) * scale[:, None, None] - 1.0).permute(1, 2, 0)[None]


def backward_warp(picture: torch.Tensor, flow: torch.Tensor) -> torch.Tensor:
    """Sample ``picture`` (``(C, H, W)``) at ``p + flow(p)``, bicubic."""
    return F.grid_sample(picture[None], _grid(flow), mode="bicubic", padding_mode="border", align_corners=True)[0]


def _even_grain_on_device(picture: torch.Tensor, grain: float) -> torch.Tensor:
    """:func:`_even_grain` of a ``(3, H, W)`` picture with torch."""
    radius = int(np.ceil(3 * _GRAIN_SIGMA_PX))
    taps = torch.arange(-radius, radius + 1, device=picture.device, dtype=picture.dtype)
    kernel = torch.exp(-taps * taps / (2 * _GRAIN_SIGMA_PX**2))
    kernel = kernel / kernel.sum()
    padded = F.pad(picture[:, None], (radius, radius, radius, radius), mode="replicate")
    smooth = F.conv2d(F.conv2d(padded, kernel.view(1, 1, 1, -1)), kernel.view(1, 1, -1, 1))[:, 0]
    fine = picture - smooth
    spread = F.avg_pool2d((fine * fine).mean(0)[None, None], 7, stride=1, padding=3, count_include_pad=False)[0, 0]
    keep = (spread - grain * grain).clamp_min(0) / spread.clamp_min(1e-12)
    return smooth + keep * fine


def _paint_on_device(first: np.ndarray, second: np.ndarray, paintings: list[_Painting], grain: float,
                     device: torch.device) -> list[np.ndarray]:
    """The pictures painted with torch on ``device``: the neighbours go up once for all of them."""
    peak = 255.0 if first.dtype == np.uint8 else 65535.0
    h, w = first.shape[:2]
    i0, i1 = (torch.from_numpy(np.ascontiguousarray(f.transpose(2, 0, 1))).to(device, torch.float32) / peak
              for f in (first, second))
    out = []
    for p in paintings:
        small_h, small_w = p.shares.shape[:2]
        small = torch.from_numpy(np.dstack([p.flows, p.shares]).transpose(2, 0, 1).copy()).to(device)
        maps = F.interpolate(small[None], size=(h, w), mode="bilinear", align_corners=False)[0]
        scale = torch.tensor([w / small_w, h / small_h] * 2, device=device, dtype=torch.float32)[:, None, None]
        flows = maps[:4] * scale
        weight0, weight1, warped, plain = maps[4:]
        moved = (weight0 * backward_warp(i0, flows[:2]) + weight1 * backward_warp(i1, flows[2:])) / (
            weight0 + weight1).clamp_min(1e-12)
        picture = warped * moved + plain * ((1 - p.t) * i0 + p.t * i1)
        if grain > _GRAIN_VISIBLE:
            picture = _even_grain_on_device(picture, grain)
        out.append((picture.clamp(0, 1) * peak).round().permute(1, 2, 0).cpu().numpy().astype(first.dtype))
    return out
