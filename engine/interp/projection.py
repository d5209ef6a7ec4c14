"""The plan of one in-between picture at the working size: a flow into each neighbour, and their shares.

Steps 2 and 3 of :mod:`engine.interp.inbetween`: flow at the in-between time by
flow projection (each neighbour's flow splatted forward, the better-matching
pixel winning), holes taken as occlusions, and a second hypothesis (constant
motion along the two-way flows) chosen where its warped neighbours agree better.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from engine.interp.motion import REACHED, PairMotion, fill_holes, warp
from engine.interp.splat import pixel_grid, splat

# Disagreement (0–1 scale) of the warped neighbours at which a motion hypothesis's fit falls by e.
_AGREEMENT_TOLERANCE = 0.01
# Weight of the plain blend where neither warped neighbour is trusted.
_BLEND_FLOOR = 0.05


@dataclass(frozen=True, slots=True)
class Painting:
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


def painting_at(t: float, m: PairMotion) -> Painting:
    """Flows from time ``t`` into each neighbour and their shares of the picture (working size)."""
    h, w = m.luma0.shape
    xs, ys = pixel_grid(h, w)
    moved0 = splat(m.carried0, np.float32(t) * m.forward)
    moved1 = splat(m.carried1, np.float32(1 - t) * m.backward)
    reach0, reach1 = moved0[3], moved1[3]
    # Flow from time t back into each neighbour; under constant motion one gives the other.
    ft0 = moved0[:2] * (np.float32(-t) / np.maximum(moved0[2], np.float32(1e-8)))
    ft1 = moved1[:2] * (np.float32(-(1 - t)) / np.maximum(moved1[2], np.float32(1e-8)))
    has0 = reach0 > REACHED
    has1 = reach1 > REACHED
    ft0 = np.where(has0, ft0, np.float32(-(t / (1 - t))) * ft1)
    ft1 = np.where(has1, ft1, np.float32(-((1 - t) / t)) * ft0)
    both = has0 | has1
    ft0, ft1 = np.split(fill_holes(np.concatenate([ft0, ft1]), both), 2)
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
    return Painting(t, flows, shares)
