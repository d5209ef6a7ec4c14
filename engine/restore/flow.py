"""The optical flow the repairs judge a frame's neighbours by: DIS on 8-bit luma, at a reduced size for wide frames.

Dust and scratch repair both ask where each pixel of a frame lies in a
neighbour; the motion is worked out as :mod:`engine.interp.motion` does it (at
``FLOW_WIDTH_PX`` wide, patches matched at the scale :func:`finest_scale`
picks, no variational refinement) and enlarged back to the frame's size.
"""

from __future__ import annotations

import cv2
import numpy as np

from engine.interp.motion import FLOW_WIDTH_PX, finest_scale, planes


def flow_to(luma8: np.ndarray, other8: np.ndarray, despeckle_px: int = 0) -> np.ndarray:
    """Flow planes ``(2, H, W)`` with ``luma(p) ≈ other(p + flow(p))``, in the frame's pixels.

    ``despeckle_px`` > 0 first wipes specks from both pictures (at the working
    size) with a median that wide, so dirt cannot pull the flow.
    """
    h, w = luma8.shape
    work = (w, h)
    if w > FLOW_WIDTH_PX:
        work = (FLOW_WIDTH_PX, round(h * FLOW_WIDTH_PX / w))
        luma8, other8 = (cv2.resize(y, work, interpolation=cv2.INTER_AREA) for y in (luma8, other8))
    if despeckle_px:
        luma8, other8 = cv2.medianBlur(luma8, despeckle_px), cv2.medianBlur(other8, despeckle_px)
    # A fresh estimator per pair: the preview and the export may run at once on different threads.
    dis = cv2.DISOpticalFlow_create(cv2.DISOPTICAL_FLOW_PRESET_MEDIUM)
    dis.setVariationalRefinementIterations(0)
    dis.setFinestScale(finest_scale(w / work[0]))
    flow = dis.calc(luma8, other8, None)
    if work[0] != w:
        flow = cv2.resize(flow, (w, h), interpolation=cv2.INTER_LINEAR) * np.float32(w / work[0])
    return planes(flow)
