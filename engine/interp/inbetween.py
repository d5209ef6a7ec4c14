"""One in-between picture from its two neighbours, by occlusion-aware motion.

1. Dense flow both ways between the neighbours (OpenCV's DIS on luma, at a
   reduced working size for large frames; the way back is the forward flow
   turned around by splatting, unless a second DIS flow costs less), and how
   well each pixel's match agrees in brightness and in the round trip. This is
   worked out once per pair of neighbours, for every in-between time they need.
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
   the CPU this is OpenCV's ``remap``, in full-size buffers kept from one
   picture to the next; on another device torch's ``grid_sample``, where the
   pixels are many and the device is fast.
5. On grainy footage (old film) the grain of the frame to be rebuilt is new
   and cannot be predicted, so the in-between's leftover grain is evened out
   where it is only grain (a local Wiener filter, its strength set by the
   grain measured on the pair); clean footage is left as painted.
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
# with patches matched at this width was within 0.05 dB of 480 px and 0.3 dB
# better than 480 px with patches matched at half of it, at less cost than either.
FLOW_WIDTH_PX = 400
# The flow's patches are matched at the coarsest of DIS's scales (the working size halved per scale) whose
# spacing is at most this many full-size pixels. On the clips of benchmarks/interp.py one scale finer gained
# nothing on 640×272 (scale 1, 3.2 px) and 0.03 dB on 176×144 (scale 2, 4 px), each at three times the flow's
# cost; on 1280×720 it is needed (scale 0, 3.2 px: 0.4 dB above scale 1, 6.4 px).
_FLOW_SPACING_PX = 4.0
# The way back is the forward flow turned around (:func:`_turned_around`) where DIS matches patches finer than
# this scale; from it a second DIS flow costs less (on 176×144 footage, scale 2, 0.9 ms less a picture, at the same
# PSNR).
_TURN_AROUND_BELOW_SCALE = 2
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
# Splatted weight (in pixels' worth) below which a place counts as reached by no pixel: a hole.
_REACHED = 0.3
# Weight of the plain blend where neither warped neighbour is trusted.
_BLEND_FLOOR = 0.05
# Grain is the part of a picture finer than this blur (Gaussian sigma, px), for measuring it.
_GRAIN_SIGMA_PX = 1.5
# The in-between's grain is evened out over this blur (Gaussian sigma, px), where its detail varies no more than
# this many times the grain measured: of the in-between's fine detail only what stands well clear of grain is
# shared with the frame it stands for. On the old-film clip of benchmarks/interp.py this scored 0.3 dB above
# evening once the grain over 1.5 px; more of either gained at most 0.02 dB more.
_EVEN_SIGMA_PX = 2.5
_EVEN_GRAIN_FACTOR = 2.0
# Grain (standard deviation, 0–1 scale) below which footage counts as clean and in-betweens are left as painted:
# the compression noise of clean real footage measures about 0.005.
_GRAIN_VISIBLE = 0.012


def _luma8(rgb: np.ndarray) -> np.ndarray:
    """8-bit luma of an RGB frame (8 or 16 bit) for the flow estimator."""
    if rgb.dtype != np.uint8:
        rgb = (rgb >> 8).astype(np.uint8)
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)


def _planes(flow: np.ndarray) -> np.ndarray:
    """A ``(H, W, 2)`` flow as ``(2, H, W)`` planes (x then y): every later step reads one plane at a time."""
    return np.ascontiguousarray(flow.transpose(2, 0, 1))


def warp(picture: np.ndarray, flow: np.ndarray, interpolation: int = cv2.INTER_LINEAR) -> np.ndarray:
    """``picture`` (``(H, W[, C])``) sampled at ``p + flow(p)`` (``flow`` is ``(2, H, W)`` float32 planes)."""
    xs, ys = pixel_grid(*flow.shape[1:])
    return cv2.remap(picture, xs + flow[0], ys + flow[1], interpolation, borderMode=cv2.BORDER_REPLICATE)


def _fill_holes(flows: np.ndarray, known: np.ndarray) -> np.ndarray:
    """Flows (``(C, H, W)`` planes, ``C`` ≤ 4) where ``known`` is false filled from their known surroundings.

    Masked averages, coarse to fine: each level of a pyramid of the known values
    and their weight takes its own average where it has weight and the coarser
    level's, enlarged, where it has none. All planes go through one pyramid.
    """
    if bool(known.all()):
        return flows
    mask = known.astype(np.float32)
    total, weight = cv2.merge(list(flows * mask)), mask
    levels = []
    while min(weight.shape) > 4 and bool((weight <= 0).any()):
        size = ((weight.shape[1] + 1) // 2, (weight.shape[0] + 1) // 2)
        total = cv2.resize(total, size, interpolation=cv2.INTER_AREA)
        weight = cv2.resize(weight, size, interpolation=cv2.INTER_AREA)
        levels.append((total, weight))
    filled = total / np.maximum(weight, 1e-6)[..., None]
    for total, weight in reversed(levels[:-1]):
        coarse = cv2.resize(filled, weight.shape[::-1], interpolation=cv2.INTER_LINEAR)
        filled = np.where((weight > 0)[..., None], total / np.maximum(weight, 1e-6)[..., None], coarse)
    # The finest level is the flows themselves where they are known: only the holes take the coarser fill.
    filled = cv2.resize(filled, known.shape[::-1], interpolation=cv2.INTER_LINEAR)
    return np.where(known, flows, filled.transpose(2, 0, 1))


@dataclass(frozen=True, slots=True)
class _PairMotion:
    """The motion between two neighbours at the working size, shared by all their in-between times.

    Flows are ``(2, h, w)`` planes with ``first(p) ≈ second(p + forward(p))`` and
    ``second(p) ≈ first(p + backward(p))``; trusts (round trip, 0–1) are
    ``(h, w)``; what each neighbour's pixels carry when splatted is ``(4, h, w)``
    (their flow times their splatting weight, the weight by brightness match,
    and one); lumas are 0–1.
    """

    forward: np.ndarray
    backward: np.ndarray
    trust0: np.ndarray
    trust1: np.ndarray
    carried0: np.ndarray
    carried1: np.ndarray
    luma0: np.ndarray
    luma1: np.ndarray
    grain: float


@dataclass(frozen=True, slots=True)
class _Painting:
    """How to paint the picture at time ``t`` (working size): a flow into each neighbour, and the shares.

    ``flows`` is ``(4, h, w)``: the flow into the first neighbour (x, y), then
    into the second, in working-size pixels. ``shares`` is ``(4, h, w)``: the
    weights of the first and second neighbours warped (relative to each other),
    then the shares of their warped blend and of the plain time-weighted blend
    of the unwarped frames (where neither warped one is trusted), which sum to one.
    """

    t: float
    flows: np.ndarray
    shares: np.ndarray


class _Canvas:
    """The full-size float32 pictures and maps of the painting, kept from one in-between to the next.

    Made afresh for every picture they cost more than the painting itself (on
    real 640×272 footage 21 ms against 9.5 ms a picture): memory this large goes
    back to the system when it is freed and is faulted in again, page by page,
    when it is next needed.
    """

    def __init__(self, h: int, w: int) -> None:
        self.size = (h, w)
        self._buffers: dict[tuple[str, int], np.ndarray] = {}

    def __call__(self, name: str, channels: int = 1) -> np.ndarray:
        """The ``(H, W[, channels])`` buffer called ``name``, made on first use; its content is left over."""
        buffer = self._buffers.get((name, channels))
        if buffer is None:
            shape = self.size if channels == 1 else (*self.size, channels)
            buffer = self._buffers[(name, channels)] = np.empty(shape, np.float32)
        return buffer


class Inbetweener:
    """Makes in-between pictures of one pair of neighbouring frames.

    Parameters
    ----------
    device
        Torch device for the full-size warping and blending (OpenCV on the CPU).
    flow_width_px
        Frames wider than this get their motion worked out at this width.
    preset
        OpenCV DIS preset for the flow (its variational refinement is left out, and its finest
        scale follows ``_FLOW_SPACING_PX``).
    """

    def __init__(self, device: torch.device, flow_width_px: int = FLOW_WIDTH_PX,
                 preset: int = cv2.DISOPTICAL_FLOW_PRESET_MEDIUM) -> None:
        self.device = device
        self.flow_width_px = flow_width_px
        self._dis = cv2.DISOpticalFlow_create(preset)
        self._dis.setVariationalRefinementIterations(_REFINEMENT_ITERATIONS)
        self._canvas = _Canvas(0, 0)

    def pictures(self, first: np.ndarray, second: np.ndarray, times: Sequence[float]) -> list[np.ndarray]:
        """The pictures at each time ``t`` in ``times`` (0 < t < 1) between ``first`` and ``second``.

        Frames are ``(H, W, 3)`` RGB, 8 or 16 bit; the results have the same type.
        """
        if not times:
            return []
        motion = self._pair_motion(first, second)
        paintings = [_painting(float(t), motion) for t in times]
        if self.device.type == "cpu":
            if self._canvas.size != first.shape[:2]:
                self._canvas = _Canvas(*first.shape[:2])
            return [_paint(first, second, p, motion.grain, self._canvas) for p in paintings]
        return _paint_on_device(first, second, paintings, motion.grain, self.device)

    def _pair_motion(self, first: np.ndarray, second: np.ndarray) -> _PairMotion:
        """Flows both ways and their trust, at the working size."""
        h, w = first.shape[:2]
        luma0, luma1 = _luma8(first), _luma8(second)
        if w > self.flow_width_px:
            work = (self.flow_width_px, round(h * self.flow_width_px / w))
            luma0, luma1 = (cv2.resize(y, work, interpolation=cv2.INTER_AREA) for y in (luma0, luma1))
        scale = _finest_scale(w / luma0.shape[1])
        self._dis.setFinestScale(scale)
        forward = _planes(self._dis.calc(luma0, luma1, None))
        y0 = luma0.astype(np.float32) * np.float32(1 / 255)
        y1 = luma1.astype(np.float32) * np.float32(1 / 255)
        if scale < _TURN_AROUND_BELOW_SCALE:
            backward = _turned_around(forward, y0, y1)
        else:
            backward = _planes(self._dis.calc(luma1, luma0, None))
        trust0, carried0 = _trust(y0, y1, forward, backward)
        trust1, carried1 = _trust(y1, y0, backward, forward)
        return _PairMotion(forward, backward, trust0, trust1, carried0, carried1, y0, y1, _grain(y0, y1, forward))


def _finest_scale(reduction: float) -> int:
    """DIS's finest scale for a working size ``reduction`` times smaller than the frames (see ``_FLOW_SPACING_PX``).

    Never coarser than 2, the coarsest of OpenCV's own presets.
    """
    scale = 0
    while scale < 2 and reduction * 2 ** (scale + 1) <= _FLOW_SPACING_PX:
        scale += 1
    return scale


def _turned_around(forward: np.ndarray, luma0: np.ndarray, luma1: np.ndarray) -> np.ndarray:
    """The backward flow (second neighbour to first) made from the forward one rather than estimated again.

    Each pixel of the first neighbour, splatted to where it lands in the
    second, brings its motion back; where several land on one place the one
    matching its counterpart best wins, as in the painting. Places none reaches
    (uncovered in the second neighbour) take the motion of their surroundings.
    On the clips of benchmarks/interp.py this scored 0.03 dB above a second DIS
    flow on average (640×272 bikes 0.26 dB above, 1280×720 0.10 below) at about
    60 % of its cost on 640×272 and an eighth on 1280×720.
    """
    h, w = luma0.shape
    weight = _falloff(np.abs(luma0 - warp(luma1, forward)) * np.float32(1 / _MATCH_TOLERANCE))
    carried = np.empty((3, h, w), np.float32)
    np.multiply(forward, weight, out=carried[:2])
    carried[2] = weight
    landed = splat(carried, forward)
    backward = landed[:2] * (np.float32(-1) / np.maximum(landed[2], np.float32(1e-8)))
    return _fill_holes(backward, landed[2] > _REACHED)


def _falloff(x: np.ndarray) -> np.ndarray:
    """``exp(-x)`` for ``x ≥ 0``, never so small that float32 goes subnormal (which slows every later sum tenfold)."""
    return np.exp(-np.minimum(x, 40))


def _trust(luma: np.ndarray, other: np.ndarray, flow: np.ndarray, back: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-pixel trust (round trip, 0–1) of ``flow``, and what its pixels carry when splatted (:class:`_PairMotion`)."""
    # One warp brings both the other picture and its flow back here.
    fetched = warp(cv2.merge([back[0], back[1], other]), flow)
    return_x = flow[0] + fetched[..., 0]
    return_y = flow[1] + fetched[..., 1]
    miss2 = return_x * return_x + return_y * return_y
    motion2 = flow[0] * flow[0] + flow[1] * flow[1]
    trust = _falloff(miss2 / (np.float32(0.02) * motion2 + np.float32(_ROUND_TRIP_PX2)))
    miss = np.abs(luma - fetched[..., 2])
    weight = _falloff(miss * np.float32(1 / _MATCH_TOLERANCE)) * (trust + np.float32(0.1))
    carried = np.empty((4, *weight.shape), np.float32)
    np.multiply(flow, weight, out=carried[:2])
    carried[2] = weight
    carried[3] = 1
    return trust, carried


def _grain(luma0: np.ndarray, luma1: np.ndarray, forward: np.ndarray) -> float:
    """Standard deviation (0–1 scale) of the film grain of one frame, measured on a pair of neighbours.

    Grain is new in every frame, so the fine detail of one neighbour minus the
    other's brought onto it by the flow is the two frames' grain (and whatever
    the flow missed, which the median ignores): its spread is √2 times one
    frame's grain.
    """
    fine0 = luma0 - cv2.GaussianBlur(luma0, (0, 0), _GRAIN_SIGMA_PX)
    fine1 = luma1 - cv2.GaussianBlur(luma1, (0, 0), _GRAIN_SIGMA_PX)
    # The median absolute deviation of a normal spread is 0.6745 of its standard deviation; every other
    # row and column are plenty for it, at a quarter of the cost.
    spread = np.median(np.abs(fine0 - warp(fine1, forward))[::2, ::2])
    return float(spread / (0.6745 * np.sqrt(2)))


def _painting(t: float, m: _PairMotion) -> _Painting:
    """Flows from time ``t`` into each neighbour and their shares of the picture (working size)."""
    h, w = m.luma0.shape
    xs, ys = pixel_grid(h, w)
    moved0 = splat(m.carried0, np.float32(t) * m.forward)
    moved1 = splat(m.carried1, np.float32(1 - t) * m.backward)
    reach0, reach1 = moved0[3], moved1[3]
    # Flow from time t back into each neighbour; under constant motion one gives the other.
    ft0 = moved0[:2] * (np.float32(-t) / np.maximum(moved0[2], np.float32(1e-8)))
    ft1 = moved1[:2] * (np.float32(-(1 - t)) / np.maximum(moved1[2], np.float32(1e-8)))
    has0 = reach0 > _REACHED
    has1 = reach1 > _REACHED
    ft0 = np.where(has0, ft0, np.float32(-(t / (1 - t))) * ft1)
    ft1 = np.where(has1, ft1, np.float32(-((1 - t) / t)) * ft0)
    both = has0 | has1
    ft0, ft1 = np.split(_fill_holes(np.concatenate([ft0, ft1]), both), 2)
    # Each neighbour's luma and trust, brought to time t along the projected flows in one warp.
    x0, y0, x1, y1 = xs + ft0[0], ys + ft0[1], xs + ft1[0], ys + ft1[1]
    at0 = cv2.remap(cv2.merge([m.luma0, m.trust0]), x0, y0, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    at1 = cv2.remap(cv2.merge([m.luma1, m.trust1]), x1, y1, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    seen0 = np.minimum(reach0, 1) * (at0[..., 1] + np.float32(0.05))
    seen1 = np.minimum(reach1, 1) * (at1[..., 1] + np.float32(0.05))
    # The second hypothesis: constant motion along the two-way flows at each place (Jiang et al. 2018).
    fw, bw = m.forward.reshape(2 * h, w), m.backward.reshape(2 * h, w)
    lt0 = cv2.addWeighted(fw, -(1 - t) * t, bw, t * t, 0).reshape(2, h, w)
    lt1 = cv2.addWeighted(fw, (1 - t) ** 2, bw, -t * (1 - t), 0).reshape(2, h, w)
    # Where a hypothesis is right its two warped neighbours agree (judged on luma over 5×5; ties go to
    # the projected one); the constant one carries no occlusion reasoning, so it counts both as visible.
    misfit_a = cv2.blur(cv2.absdiff(at0[..., 0], at1[..., 0]), (5, 5))
    misfit_c = cv2.blur(cv2.absdiff(warp(m.luma0, lt0), warp(m.luma1, lt1)), (5, 5))
    # exp(-a/τ) / (exp(-a/τ) + 0.999·exp(-c/τ)), written so it neither overflows nor underflows.
    odds = np.exp(np.clip((misfit_a - misfit_c) * np.float32(1 / _AGREEMENT_TOLERANCE), -60, 60))
    chosen = 1 / (odds * np.float32(0.999) + 1)
    flows = np.empty((4, h, w), np.float32)
    np.add(lt0, chosen * (ft0 - lt0), out=flows[:2])
    np.add(lt1, chosen * (ft1 - lt1), out=flows[2:])
    # Each neighbour's share, by time and by how much of it is seen (the constant hypothesis sees all).
    v0 = (1 - chosen * (1 - seen0)) * np.float32(1 - t)
    v1 = (1 - chosen * (1 - seen1)) * np.float32(t)
    seen = np.maximum(v0 + v1, np.float32(1e-12))
    total = seen + np.float32(_BLEND_FLOOR)
    # Relative weights that sum to one: blendLinear's own normalizing has a floor of 1e-5.
    shares = np.empty((4, h, w), np.float32)
    np.divide(v0, seen, out=shares[0])
    np.divide(v1, seen, out=shares[1])
    np.divide(seen, total, out=shares[2])
    np.divide(np.float32(_BLEND_FLOOR), total, out=shares[3])
    return _Painting(t, flows, shares)


def _sample_points(p: _Painting, canvas: _Canvas) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Where each full-size pixel samples each neighbour (two ``(H, W, 2)`` maps for ``cv2.remap``) and the shares.

    The sample points are made at the working size and enlarged: enlarging is
    linear, so this equals enlarging the flows and adding each pixel's place,
    except that the outermost row and column, which enlarging cannot
    extrapolate, sample up to half a working pixel inward. The four shares come
    as ``(H, W)`` planes.
    """
    h, w = canvas.size
    small_h, small_w = p.shares.shape[1:]
    sx, sy = w / small_w, h / small_h
    xs, ys = pixel_grid(small_h, small_w)
    # A working pixel's centre lies at (i + ½)·scale - ½ in full-size pixels.
    px = xs * np.float32(sx) + np.float32(sx / 2 - 0.5)
    py = ys * np.float32(sy) + np.float32(sy / 2 - 0.5)
    points0 = cv2.merge([p.flows[0] * np.float32(sx) + px, p.flows[1] * np.float32(sy) + py])
    points1 = cv2.merge([p.flows[2] * np.float32(sx) + px, p.flows[3] * np.float32(sy) + py])
    if (small_h, small_w) == (h, w):
        return points0, points1, list(p.shares)
    return (cv2.resize(points0, (w, h), dst=canvas("points0", 2), interpolation=cv2.INTER_LINEAR),
            cv2.resize(points1, (w, h), dst=canvas("points1", 2), interpolation=cv2.INTER_LINEAR),
            [cv2.resize(share, (w, h), dst=canvas(f"share{i}"), interpolation=cv2.INTER_LINEAR)
             for i, share in enumerate(p.shares)])


def _even_grain(picture: np.ndarray, grain: float, canvas: _Canvas) -> np.ndarray:
    """``picture`` (float32, ``(H, W, 3)``) evened out, in place, where its detail varies no more than ``grain`` does.

    ``grain`` is a standard deviation on the picture's scale.

    The grain of the frame to be rebuilt is new and cannot be predicted, so the
    best guess for it is the picture without grain. The in-between carries the
    blended leftovers of its neighbours' grain; where the picture's fine detail
    varies no more than grain does it is taken as grain and smoothed, where it
    varies more (edges, texture) it is kept in proportion (a local Wiener
    filter, Lee 1980).
    """
    smooth = cv2.GaussianBlur(picture, (0, 0), _EVEN_SIGMA_PX, dst=canvas("smooth", 3))
    fine = cv2.subtract(picture, smooth, dst=canvas("fine", 3))
    # The picture itself is not needed past here: it holds the squares of the detail, then the result.
    spread = cv2.transform(cv2.multiply(fine, fine, dst=picture), np.full((1, 3), 1 / 3, np.float32),
                           dst=canvas("spread"))
    spread = cv2.blur(spread, (7, 7), dst=canvas("local spread"))
    # The share of the detail kept, max(spread - grain², 0) / spread, worked out in the canvas's buffers.
    keep = cv2.max(cv2.subtract(spread, grain * grain, dst=canvas("kept")), 0.0, dst=canvas("kept"))
    cv2.divide(keep, cv2.max(spread, 1e-12, dst=spread), dst=keep)
    cv2.multiply(fine, cv2.merge([keep, keep, keep], dst=canvas("keep", 3)), dst=fine)
    return cv2.add(smooth, fine, dst=picture)


def _paint(first: np.ndarray, second: np.ndarray, p: _Painting, grain: float,
           canvas: _Canvas | None = None) -> np.ndarray:
    """The picture painted on the CPU: both neighbours warped (bicubic) and blended by their shares, in float32.

    Each blend is one pass of OpenCV's ``blendLinear``; warping the frames as
    float32 rather than in their own type keeps the warped neighbours unrounded
    (about 0.04 dB on real footage). ``canvas`` (of the frames' size) holds the
    work; a new one is made when it is not given.
    """
    kind = first.dtype
    peak = 255.0 if kind == np.uint8 else 65535.0
    if canvas is None:
        canvas = _Canvas(*first.shape[:2])
    points0, points1, (weight0, weight1, warped, plain) = _sample_points(p, canvas)
    float0, float1 = canvas("first", 3), canvas("second", 3)
    float0[...] = first
    float1[...] = second
    moved = cv2.blendLinear(
        cv2.remap(float0, points0, None, cv2.INTER_CUBIC, dst=canvas("warped first", 3),
                  borderMode=cv2.BORDER_REPLICATE),
        cv2.remap(float1, points1, None, cv2.INTER_CUBIC, dst=canvas("warped second", 3),
                  borderMode=cv2.BORDER_REPLICATE),
        weight0, weight1, dst=canvas("moved", 3))
    still = cv2.addWeighted(float0, 1 - p.t, float1, p.t, 0, dst=canvas("still", 3))
    out = cv2.blendLinear(moved, still, warped, plain, dst=canvas("picture", 3))
    if grain > _GRAIN_VISIBLE:
        out = _even_grain(out, _EVEN_GRAIN_FACTOR * grain * peak, canvas)
    out += 0.5
    return np.clip(out, 0, peak, out=out).astype(kind)


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
    radius = int(np.ceil(3 * _EVEN_SIGMA_PX))
    taps = torch.arange(-radius, radius + 1, device=picture.device, dtype=picture.dtype)
    kernel = torch.exp(-taps * taps / (2 * _EVEN_SIGMA_PX**2))
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
        small_h, small_w = p.shares.shape[1:]
        small = torch.from_numpy(np.concatenate([p.flows, p.shares])).to(device)
        maps = F.interpolate(small[None], size=(h, w), mode="bilinear", align_corners=False)[0]
        scale = torch.tensor([w / small_w, h / small_h] * 2, device=device, dtype=torch.float32)[:, None, None]
        flows = maps[:4] * scale
        weight0, weight1, warped, plain = maps[4:]
        moved = (weight0 * backward_warp(i0, flows[:2]) + weight1 * backward_warp(i1, flows[2:])) / (
            weight0 + weight1).clamp_min(1e-12)
        picture = warped * moved + plain * ((1 - p.t) * i0 + p.t * i1)
        if grain > _GRAIN_VISIBLE:
            picture = _even_grain_on_device(picture, _EVEN_GRAIN_FACTOR * grain)
        out.append((picture.clamp(0, 1) * peak).round().permute(1, 2, 0).cpu().numpy().astype(first.dtype))
    return out
