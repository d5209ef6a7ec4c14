"""The motion behind in-betweens on real footage: splatting, the way back turned around, and the reused canvas."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
import torch

from engine.interp import Inbetweener
from engine.interp.motion import finest_scale, planes, turned_around, warp
from engine.interp.splat import splat
from engine.testing.clips import frames_of

CPU = torch.device("cpu")


@pytest.fixture(scope="module")
def bikes_frames(bikes: Path) -> list[np.ndarray]:
    """Frames 40–46 of the real 640×272 bikes clip (RGB)."""
    return frames_of(bikes, range(40, 47))


def _lumas(first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """8-bit lumas of two frames at the in-betweener's working width (400 px)."""
    return tuple(cv2.resize(cv2.cvtColor(f, cv2.COLOR_RGB2GRAY), (400, 170), interpolation=cv2.INTER_AREA)
                 for f in (first, second))


def test_splatting_moves_each_pixel_by_its_motion_and_loses_only_what_leaves_the_frame(
        bikes_frames: list[np.ndarray]) -> None:
    luma0, luma1 = _lumas(bikes_frames[0], bikes_frames[2])
    flow = planes(cv2.DISOpticalFlow_create(cv2.DISOPTICAL_FLOW_PRESET_MEDIUM).calc(luma0, luma1, None))
    picture = luma0.astype(np.float32)
    carried = np.stack([picture, np.ones_like(picture)])
    landed = splat(carried, flow)
    # Each pixel's bilinear shares sum to one: all of a pixel landing inside the frame counts, none of one
    # landing wholly outside, part of one landing on the edge.
    h, w = picture.shape
    xs, ys = np.meshgrid(np.arange(w), np.arange(h))
    x, y = xs + flow[0], ys + flow[1]
    inside = (x >= 0) & (x <= w - 1) & (y >= 0) & (y <= h - 1)
    touching = (x > -1) & (x < w) & (y > -1) & (y < h)
    assert inside.sum() - 0.01 <= landed[1].sum() <= touching.sum() + 0.01 < h * w
    assert picture[inside].sum() * 0.9999 <= landed[0].sum() <= picture[touching].sum() * 1.0001
    # A whole-pixel move lands exactly, and a move off the frame lands nowhere.
    shifted = splat(carried, np.stack([np.full_like(picture, 3), np.full_like(picture, -2)]))
    np.testing.assert_array_equal(shifted[0, : h - 2, 3:], picture[2:, : w - 3])
    assert shifted[1, h - 2 :].sum() == 0 and shifted[1, :, :3].sum() == 0
    gone = splat(carried, np.stack([np.full_like(picture, w + 5), np.zeros_like(picture)]))
    assert not gone.any()


def test_the_way_back_turned_around_agrees_with_a_second_estimate(bikes_frames: list[np.ndarray]) -> None:
    luma0, luma1 = _lumas(bikes_frames[0], bikes_frames[2])
    dis = cv2.DISOpticalFlow_create(cv2.DISOPTICAL_FLOW_PRESET_MEDIUM)
    forward = planes(dis.calc(luma0, luma1, None))
    estimated = planes(dis.calc(luma1, luma0, None))
    y0, y1 = (y.astype(np.float32) / 255 for y in (luma0, luma1))
    turned = turned_around(forward, y0, y1)
    assert turned.shape == estimated.shape and turned.dtype == np.float32
    miss = np.hypot(*(turned - estimated))
    assert float(np.median(miss)) < 0.3
    # It brings the first frame onto the second about as well as the second estimate does.
    error = [float(np.mean(np.abs(warp(y0, back) - y1))) for back in (turned, estimated)]
    assert error[0] < error[1] * 1.1


def test_patches_are_matched_about_four_full_size_pixels_apart() -> None:
    # 176×144 at its own size, 640×272 and 1280×720 worked out at 400 px wide.
    assert [finest_scale(w / min(w, 400)) for w in (176, 640, 1280)] == [2, 1, 0]


def test_a_reused_canvas_leaves_nothing_behind(bikes_frames: list[np.ndarray]) -> None:
    maker = Inbetweener(CPU)
    first = [maker.pictures(bikes_frames[k], bikes_frames[k + 2], [0.5])[0] for k in (0, 2, 4)]
    again = maker.pictures(bikes_frames[0], bikes_frames[2], [0.25, 0.5])
    assert np.array_equal(again[1], first[0])
    assert np.array_equal(again[0], Inbetweener(CPU).pictures(bikes_frames[0], bikes_frames[2], [0.25])[0])
    # Another frame size gets a canvas of its own.
    small = [f[::2, ::2].copy() for f in bikes_frames[:3]]
    assert maker.pictures(small[0], small[2], [0.5])[0].shape == small[1].shape
