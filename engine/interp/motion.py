"""The motion between two neighbouring frames, worked out once for every in-between time they need.

Dense flow both ways (OpenCV's DIS on luma, at a reduced working size for
large frames; the way back is the forward flow turned around by splatting,
unless a second DIS flow costs less), how well each pixel's match agrees in
the round trip and in brightness, and the film grain measured on the pair.
Step 1 of :mod:`engine.interp.inbetween`.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

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
# The way back is the forward flow turned around (:func:`turned_around`) where DIS matches patches finer than
# this scale; from it a second DIS flow costs less (on 176×144 footage, scale 2, 0.9 ms less a picture, at the same
# PSNR).
_TURN_AROUND_BELOW_SCALE = 2
# DIS's variational refinement of its flow: on the four clips of benchmarks/interp.py five iterations (the
# presets' own) scored 0.02 dB below none, at a large share of the flow's cost. The trust here and the
# projection and hypothesis choice (:mod:`engine.interp.projection`) already judge each place's motion by how well
# it matches.
_REFINEMENT_ITERATIONS = 0
# Brightness disagreement (0–1 scale) at which a pixel's splatting weight falls by e.
_MATCH_TOLERANCE = 0.04
# Round-trip miss (px²) at which a pixel's trust falls by e, plus 2 % of its motion².
_ROUND_TRIP_PX2 = 1.0
# Splatted weight (in pixels' worth) below which a place counts as reached by no pixel: a hole.
REACHED = 0.3
# Grain is the part of a picture finer than this blur (Gaussian sigma, px), for measuring it.
GRAIN_SIGMA_PX = 1.5


def _luma8(rgb: np.ndarray, width: int) -> np.ndarray:
    """8-bit luma of an RGB frame (8 or 16 bit) for the flow estimator, no wider than ``width``.

    A 16-bit picture's luma is taken at 16 bits and only that one plane brought
    to 8: on an upscaled 4K frame, bringing all three planes to 8 bits first cost
    more than the rest of the motion estimate.
    """
    h, w = rgb.shape[:2]
    luma = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    if luma.dtype != np.uint8:
        # 65535 / 257 = 255: a 16-bit picture made from an 8-bit one gives the 8-bit one's luma back.
        luma = cv2.convertScaleAbs(luma, alpha=1 / 257)
    if w > width:
        luma = cv2.resize(luma, (width, round(h * width / w)), interpolation=cv2.INTER_AREA)
    return luma


def planes(flow: np.ndarray) -> np.ndarray:
    """A ``(H, W, 2)`` flow as ``(2, H, W)`` planes (x then y): every later step reads one plane at a time."""
    return np.ascontiguousarray(flow.transpose(2, 0, 1))


def warp(picture: np.ndarray, flow: np.ndarray, interpolation: int = cv2.INTER_LINEAR) -> np.ndarray:
    """``picture`` (``(H, W[, C])``) sampled at ``p + flow(p)`` (``flow`` is ``(2, H, W)`` float32 planes)."""
    xs, ys = pixel_grid(*flow.shape[1:])
    return cv2.remap(picture, xs + flow[0], ys + flow[1], interpolation, borderMode=cv2.BORDER_REPLICATE)


def fill_holes(flows: np.ndarray, known: np.ndarray) -> np.ndarray:
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
class PairMotion:
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


class MotionEstimator:
    """Works out the motion between two neighbouring frames (:class:`PairMotion`).

    Parameters
    ----------
    flow_width_px
        Frames wider than this get their motion worked out at this width.
    preset
        OpenCV DIS preset for the flow (its variational refinement is left out, and its finest
        scale follows ``_FLOW_SPACING_PX``).
    """

    def __init__(self, flow_width_px: int = FLOW_WIDTH_PX, preset: int = cv2.DISOPTICAL_FLOW_PRESET_MEDIUM) -> None:
        self.flow_width_px = flow_width_px
        self._dis = cv2.DISOpticalFlow_create(preset)
        self._dis.setVariationalRefinementIterations(_REFINEMENT_ITERATIONS)

    def __call__(self, first: np.ndarray, second: np.ndarray) -> PairMotion:
        """Flows both ways and their trust, at the working size."""
        h, w = first.shape[:2]
        luma0, luma1 = _luma8(first, self.flow_width_px), _luma8(second, self.flow_width_px)
        scale = finest_scale(w / luma0.shape[1])
        self._dis.setFinestScale(scale)
        forward = planes(self._dis.calc(luma0, luma1, None))
        y0 = luma0.astype(np.float32) * np.float32(1 / 255)
        y1 = luma1.astype(np.float32) * np.float32(1 / 255)
        if scale < _TURN_AROUND_BELOW_SCALE:
            backward = turned_around(forward, y0, y1)
        else:
            backward = planes(self._dis.calc(luma1, luma0, None))
        trust0, carried0 = _trust(y0, y1, forward, backward)
        trust1, carried1 = _trust(y1, y0, backward, forward)
        return PairMotion(forward, backward, trust0, trust1, carried0, carried1, y0, y1, _grain(y0, y1, forward))


def finest_scale(reduction: float) -> int:
    """DIS's finest scale for a working size ``reduction`` times smaller than the frames (see ``_FLOW_SPACING_PX``).

    Never coarser than 2, the coarsest of OpenCV's own presets.
    """
    scale = 0
    while scale < 2 and reduction * 2 ** (scale + 1) <= _FLOW_SPACING_PX:
        scale += 1
    return scale


def turned_around(forward: np.ndarray, luma0: np.ndarray, luma1: np.ndarray) -> np.ndarray:
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
    return fill_holes(backward, landed[2] > REACHED)


def _falloff(x: np.ndarray) -> np.ndarray:
    """``exp(-x)`` for ``x ≥ 0``, never so small that float32 goes subnormal (which slows every later sum tenfold)."""
    return np.exp(-np.minimum(x, 40))


def _trust(luma: np.ndarray, other: np.ndarray, flow: np.ndarray, back: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-pixel trust (round trip, 0–1) of ``flow``, and what its pixels carry when splatted (:class:`PairMotion`)."""
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
    fine0 = luma0 - cv2.GaussianBlur(luma0, (0, 0), GRAIN_SIGMA_PX)
    fine1 = luma1 - cv2.GaussianBlur(luma1, (0, 0), GRAIN_SIGMA_PX)
    # The median absolute deviation of a normal spread is 0.6745 of its standard deviation; every other
    # row and column are plenty for it, at a quarter of the cost.
    spread = np.median(np.abs(fine0 - warp(fine1, forward))[::2, ::2])
    return float(spread / (0.6745 * np.sqrt(2)))
