"""Dust and dirt: repair the specks that live one frame from the frame's neighbours in the shot.

A speck of dust or dirt on the print sits on one frame only; the picture under
it is in the frames before and after, moved a little by the camera and the
action. So each neighbour is brought onto the frame by its optical flow
(OpenCV's DIS on luma, worked out at a reduced size for wide frames and on
pictures a 5 px median has cleared of specks, so the dirt cannot pull it), and a
pixel is judged dirt when it is darker than *both* motion-compensated
neighbours, or brighter than both, by clearly more than the footage's grain,
while those two neighbours agree with each other there: Kokaram's spike
detection index (SDI) with the order test of his rank-ordered detector. Where
the picture moves in a way the flow misses (an occlusion, a hand flying past)
the two neighbours disagree, or the odd patch is too large to be a speck, and
the frame is left alone.

The threshold follows the frame's own noise: the median absolute difference
between the frame and its compensated neighbours is a robust measure of grain
and compression noise together (a speck is too small to move a median), and a
misregistration of a fraction of a pixel is forgiven in proportion to the
local contrast of the neighbours. ``strength`` sets how many noise spreads a
spike must stand out by. Detected specks are grown a pixel (dust has a soft
edge), filled with the mean of the two compensated neighbours and feathered
into the frame; every pixel outside a speck and its feather keeps its exact
code value.

At a shot's first and last frame only one neighbour exists, and a single
difference cannot tell dust from motion; there the test is stricter (a
larger spike, and the speck must also stand out from its own surroundings in
the frame and be small) and the one neighbour fills it. A one-frame shot is
left as it is.

Long vertical scratches persist over many frames, so they are in the
neighbours too and this stage does not see them; they are another stage's job.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import cv2
import numpy as np

from engine.interp.motion import warp
from engine.interp.splat import pixel_grid
from engine.progress import CancelToken
from engine.restore.flow import flow_to
from engine.restore.pixels import full_scale, luma_of, written
from engine.restore.window import neighbourhoods

# Neighbours read on each side of a frame: the stage's look-ahead.
REACH = 1
# Noise spreads (of a frame-minus-neighbour difference) a spike must stand out
# by at strength 0 (cautious) and 1 (eager). The spike is already measured
# against the darkest (or brightest) of 18 witness pixels, so even 2 spreads
# is beyond what grain reaches on its own.
CAUTIOUS_SPREADS, EAGER_SPREADS = 4.0, 2.0
# The least noise spread assumed (0–1 scale): clean digital footage differs
# from its compensated neighbours by compression and interpolation, not grain;
# at strength 0.5 a speck must stand out by 12 codes of 255.
NOISE_FLOOR = 4 / 255
# Share of the neighbours' local contrast (3×3 range, less what grain alone
# spans: GRAIN_RANGE noise spreads) added to the threshold: a flow off by a
# third of a pixel at an edge, or detail the warp softened, leaves that much.
EDGE_FORGIVENESS = 0.35
GRAIN_RANGE = 1.8
# A speck reaches out to where it stands out by this share of the threshold
# (its soft edge); a patch that large with no clear spike inside is not dust.
SPECK_EDGE_SHARE = 0.5
# The compensated neighbours may disagree by at most this share of the spike:
# dust is an outlier against two witnesses that agree.
AGREEMENT = 0.5
# The largest speck, as the side of a square of equal area, in shares of the
# frame's longer side (8 px of a 320 px frame is a large speck of dust).
LARGEST_SPECK_SHARE = 0.04
# With one neighbour only (a shot's end) the spike must be this much larger,
# and the speck at most this share of the largest size.
ONE_WITNESS_STRICTNESS = 2.0
ONE_WITNESS_SIZE_SHARE = 0.5
# Soft edge of a repair: the speck grows by a pixel, then fades over this blur (Gaussian sigma, px).
FEATHER_SIGMA_PX = 0.8
# A witness whose flow points more than this far outside the neighbour saw the edge, not the picture.
OFF_FRAME_PX = 2.0
# Width of the median that wipes specks from the pictures the flow is worked out on (px, at the working size).
FLOW_MEDIAN_PX = 5


def _off_frame(flow: np.ndarray) -> np.ndarray:
    """Where ``p + flow(p)`` falls outside the neighbour (by more than half a pixel)."""
    h, w = flow.shape[1:]
    xs, ys = pixel_grid(h, w)
    x, y = xs + flow[0], ys + flow[1]
    return (x < -OFF_FRAME_PX) | (x > w - 1 + OFF_FRAME_PX) | (y < -OFF_FRAME_PX) | (y > h - 1 + OFF_FRAME_PX)


def _noise_spread(differences: list[np.ndarray]) -> float:
    """Standard deviation (0–1 scale) of frame-minus-neighbour differences, from their median absolute value."""
    samples = np.concatenate([np.abs(d[::2, ::2]).ravel() for d in differences])
    return max(float(np.median(samples)) / 0.6745, NOISE_FLOOR)


def _local_contrast(picture: np.ndarray) -> np.ndarray:
    """The range of ``picture`` over each pixel's 3×3 neighbourhood."""
    kernel = np.ones((3, 3), np.uint8)
    return cv2.dilate(picture, kernel) - cv2.erode(picture, kernel)


def _keep_specks(seeds: np.ndarray, outliers: np.ndarray, largest_px: float) -> np.ndarray:
    """The patches of ``outliers`` that hold a seed and are small enough to be a speck."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(outliers.astype(np.uint8), connectivity=8)
    seeded = np.zeros(count, bool)
    seeded[labels[seeds & outliers]] = True
    keep = seeded & (stats[:, cv2.CC_STAT_AREA] <= largest_px * largest_px)
    keep[0] = False
    return keep[labels]


def dust_mask(luma: np.ndarray, witnesses: list[np.ndarray], strength: float = 0.5) -> np.ndarray:
    """Where a frame holds one-frame dust or dirt, judged against its compensated neighbours.

    Parameters
    ----------
    luma
        The frame's luma, ``(H, W)`` float32 on 0–1.
    witnesses
        One or two neighbours' luma brought onto the frame by their flow, same shape.
    strength
        How eagerly specks are judged dust: 0 cautious, 1 eager.

    Returns
    -------
    numpy.ndarray
        ``(H, W)`` bool, true on the dust (before it is grown for the repair).
    """
    spreads = CAUTIOUS_SPREADS + (EAGER_SPREADS - CAUTIOUS_SPREADS) * float(np.clip(strength, 0.0, 1.0))
    noise = _noise_spread([luma - w for w in witnesses])
    largest_px = LARGEST_SPECK_SHARE * max(luma.shape)
    # Dark dirt is darker than all of both witnesses' 3×3 neighbourhoods, bright dirt brighter: a flow off by
    # up to a pixel at an edge makes no spike. The spike is what the frame stands out by against both.
    kernel = np.ones((3, 3), np.uint8)
    darker = np.minimum.reduce([cv2.erode(w, kernel) - luma for w in witnesses])
    brighter = np.minimum.reduce([luma - cv2.dilate(w, kernel) for w in witnesses])
    spike = np.maximum(darker, brighter)
    contrast = np.maximum(np.maximum.reduce([_local_contrast(w) for w in witnesses]) - GRAIN_RANGE * noise, 0)
    allowed = spreads * noise + EDGE_FORGIVENESS * contrast
    if len(witnesses) == 2:
        agree = np.abs(witnesses[0] - witnesses[1]) <= AGREEMENT * spike
        return _keep_specks((spike > allowed) & agree, spike > SPECK_EDGE_SHARE * allowed, largest_px)
    # One witness cannot tell dust from motion: the speck must also stand out from its own surroundings.
    surroundings = cv2.medianBlur(luma, 5)
    own = np.where(darker > 0, surroundings - luma, luma - surroundings)
    allowed *= ONE_WITNESS_STRICTNESS
    return _keep_specks(
        (spike > allowed) & (own > allowed), spike > SPECK_EDGE_SHARE * allowed, ONE_WITNESS_SIZE_SHARE * largest_px
    )


def repair_dust_frame(
    frame: np.ndarray, before: np.ndarray | None, after: np.ndarray | None, strength: float = 0.5
) -> np.ndarray:
    """One frame with its dust and dirt repaired from its neighbours in the same shot.

    Parameters
    ----------
    frame
        ``(H, W, 3)`` RGB or ``(H, W)`` luma, uint8 or uint16.
    before, after
        The shot's previous and next frames as they came (not repaired), alike
        in shape and dtype; ``None`` at the shot's first or last frame.
    strength
        How eagerly specks are judged dust: 0 cautious, 1 eager.

    Returns
    -------
    numpy.ndarray
        A new array of the same shape and dtype: specks filled from the
        neighbours, every other pixel exactly as it was.
    """
    neighbours = [n for n in (before, after) if n is not None]
    if not neighbours:
        return frame.copy()
    scale = np.float32(1 / full_scale(frame))
    picture = frame.astype(np.float32) * scale
    luma = luma_of(picture)
    luma8 = np.clip(luma * 255 + 0.5, 0, 255).astype(np.uint8)
    compensated, witnesses = [], []
    for neighbour in neighbours:
        other = neighbour.astype(np.float32) * scale
        other8 = np.clip(luma_of(other) * 255 + 0.5, 0, 255).astype(np.uint8)
        # The specks themselves would pull the flow (a dark speck matched to a dark neighbour's shadow): it is
        # worked out on pictures whose specks a median has wiped away.
        flow = flow_to(luma8, other8, FLOW_MEDIAN_PX)
        compensated.append(warp(other, flow))
        # Where the picture came in over the frame's edge the neighbour has no witness: there it is given the
        # frame's own value, which makes no spike.
        witnesses.append(np.where(_off_frame(flow), luma, luma_of(compensated[-1])))
    dust = dust_mask(luma, witnesses, strength)
    if not dust.any():
        return frame.copy()
    grown = cv2.dilate(dust.astype(np.uint8), np.ones((3, 3), np.uint8))
    weight = np.maximum(cv2.GaussianBlur(grown.astype(np.float32), (0, 0), FEATHER_SIGMA_PX), grown)
    # Below half a code value's worth the blend could only add rounding: those pixels stay exact.
    touched = weight > 0.5 / 255
    fill = sum(compensated) * np.float32(1 / len(compensated))
    blend = weight[touched]
    if picture.ndim == 3:
        blend = blend[:, None]
    return written(frame, touched, picture[touched] * (1 - blend) + fill[touched] * blend)


def repair_dust(
    frames: Iterable[np.ndarray], strength: float = 0.5, cancel: CancelToken | None = None
) -> Iterator[np.ndarray]:
    """Repair the dust and dirt of one shot's frames, in order (three frames held at a time).

    Parameters
    ----------
    frames
        The shot's frames, ``(H, W, 3)`` RGB or ``(H, W)`` luma, uint8 or uint16 (all alike).
    strength
        How eagerly specks are judged dust: 0 cautious, 1 eager.
    cancel
        Checked once per frame.

    Yields
    ------
    numpy.ndarray
        Each frame with its specks repaired, same shape and dtype.
    """
    for before, frame, after in neighbourhoods(frames, REACH, cancel):
        yield repair_dust_frame(frame, before[-1] if before else None, after[0] if after else None, strength)
