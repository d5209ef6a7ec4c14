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
   grain measured on the pair); clean footage is left as painted. Frames
   enlarged from the film (the master's upscale) carry its grain enlarged,
   so it is judged, evened and (with ``regrain``) made anew at the film's own
   size.

Step 1 is :mod:`engine.interp.motion`, steps 2–3 :mod:`engine.interp.projection`,
step 4 :mod:`engine.interp.paint` and step 5 :mod:`engine.interp.grain`.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np
import torch

from engine.interp.motion import FLOW_WIDTH_PX, MotionEstimator
from engine.interp.grain import GRAIN_VISIBLE, fine_variance
from engine.interp.paint import Canvas, paint, paint_on_device
from engine.interp.projection import painting_at

# Enlargement from the film (frames' width over the film's) from which grain is judged and made at the film's size.
ENLARGED = 1.25


class Inbetweener:
    """Makes in-between pictures of one pair of neighbouring frames.

    Parameters
    ----------
    device
        Torch device for the full-size warping and blending (OpenCV on the CPU).
    flow_width_px
        Frames wider than this get their motion worked out at this width.
    preset
        OpenCV DIS preset for the flow (see :class:`~engine.interp.motion.MotionEstimator`).
    regrain
        Lay new grain on in-betweens of grainy film (:func:`~engine.interp.grain.new_grain`).
    film_width
        Width of the film's own pictures when the frames are enlarged from them
        (the master's upscale): the grain is judged and made at the film's size,
        where its clumps are. ``None``: the frames are the film's own size.
    """

    def __init__(self, device: torch.device, flow_width_px: int = FLOW_WIDTH_PX,
                 preset: int = cv2.DISOPTICAL_FLOW_PRESET_MEDIUM, regrain: bool = False,
                 film_width: int | None = None) -> None:
        self.device = device
        self.regrain = regrain
        self.film_width = film_width
        self.motion = MotionEstimator(flow_width_px, preset)
        self._canvas = Canvas(0, 0)

    def pictures(self, first: np.ndarray, second: np.ndarray, times: Sequence[float]) -> list[np.ndarray]:
        """The pictures at each time ``t`` in ``times`` (0 < t < 1) between ``first`` and ``second``.

        Frames are ``(H, W, 3)`` RGB, 8 or 16 bit; the results have the same type.
        """
        if not times:
            return []
        motion = self.motion(first, second)
        paintings = [painting_at(float(t), motion) for t in times]
        scale = self.grain_scale(first.shape[1])
        # The fine detail new grain brings an in-between back to: measured once for the pair.
        regrain = None
        if self.regrain and motion.grain > GRAIN_VISIBLE:
            regrain = (fine_variance(first, scale) + fine_variance(second, scale)) / 2
        if self.device.type == "cpu":
            if self._canvas.size != first.shape[:2]:
                self._canvas = Canvas(*first.shape[:2])
            return [paint(first, second, p, motion.grain, self._canvas, regrain, scale) for p in paintings]
        return paint_on_device(first, second, paintings, motion.grain, self.device, regrain, scale)

    def grain_scale(self, width: int) -> float:
        """How many times frames ``width`` pixels wide are enlarged from the film (1: not, or barely).

        Below :data:`ENLARGED` the film's grain is still about a pixel across and
        is judged as it is.
        """
        if self.film_width is None or width < ENLARGED * self.film_width:
            return 1.0
        return width / self.film_width
