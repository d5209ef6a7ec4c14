"""The in-between picture painted at full size from its plan.

Step 4 of :mod:`engine.interp.inbetween`: each neighbour warped backward
(bicubic) along the enlarged plan and blended by its share, on the CPU with
OpenCV in buffers kept from one picture to the next (:class:`Canvas`), on
another device with torch; on grainy footage the grain is then seen to
(:mod:`engine.interp.grain`).
"""

from __future__ import annotations

import cv2
import numpy as np
import torch
import torch.nn.functional as F

from engine.interp.grain import (
    EVEN_GRAIN_FACTOR,
    GRAIN_VISIBLE,
    even_grain,
    even_grain_on_device,
    grain_seed,
    new_grain,
)
from engine.interp.projection import Painting
from engine.interp.splat import pixel_grid

class Canvas:
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


def _sample_points(p: Painting, canvas: Canvas) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
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


def paint(first: np.ndarray, second: np.ndarray, p: Painting, grain: float,
          canvas: Canvas | None = None, regrain: float | None = None, scale: float = 1.0) -> np.ndarray:
    """The picture painted on the CPU: both neighbours warped (bicubic) and blended by their shares, in float32.

    Each blend is one pass of OpenCV's ``blendLinear``; warping the frames as
    float32 rather than in their own type keeps the warped neighbours unrounded
    (about 0.04 dB on real footage). ``canvas`` (of the frames' size) holds the
    work; a new one is made when it is not given. ``regrain``, the neighbours'
    fine variance (:func:`~engine.interp.grain.fine_variance`), lays new grain on an evened-out
    picture up to it (:func:`~engine.interp.grain.new_grain`). ``scale`` is how many times the
    frames are enlarged from the film's own pixels, for the grain's size.
    """
    kind = first.dtype
    peak = 255.0 if kind == np.uint8 else 65535.0
    if canvas is None:
        canvas = Canvas(*first.shape[:2])
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
    if grain > GRAIN_VISIBLE:
        out = even_grain(out, EVEN_GRAIN_FACTOR * grain * peak, canvas, scale)
        if regrain is not None:
            out += new_grain(out, regrain, grain_seed(first, p.t), scale)[..., None]
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


def paint_on_device(first: np.ndarray, second: np.ndarray, paintings: list[Painting], grain: float,
                    device: torch.device, regrain: float | None = None, scale: float = 1.0) -> list[np.ndarray]:
    """The pictures painted with torch on ``device``: the neighbours go up once for all of them (see :func:`paint`)."""
    peak = 255.0 if first.dtype == np.uint8 else 65535.0
    h, w = first.shape[:2]
    i0, i1 = (torch.from_numpy(np.ascontiguousarray(f.transpose(2, 0, 1))).to(device, torch.float32) / peak
              for f in (first, second))
    out = []
    for p in paintings:
        small_h, small_w = p.shares.shape[1:]
        small = torch.from_numpy(np.concatenate([p.flows, p.shares])).to(device)
        maps = F.interpolate(small[None], size=(h, w), mode="bilinear", align_corners=False)[0]
        stretch = torch.tensor([w / small_w, h / small_h] * 2, device=device, dtype=torch.float32)[:, None, None]
        flows = maps[:4] * stretch
        weight0, weight1, warped, plain = maps[4:]
        moved = (weight0 * backward_warp(i0, flows[:2]) + weight1 * backward_warp(i1, flows[2:])) / (
            weight0 + weight1).clamp_min(1e-12)
        picture = warped * moved + plain * ((1 - p.t) * i0 + p.t * i1)
        if grain > GRAIN_VISIBLE:
            picture = even_grain_on_device(picture, EVEN_GRAIN_FACTOR * grain, scale)
            if regrain is not None:
                host = picture.permute(1, 2, 0).cpu().numpy() * np.float32(peak)
                grain_image = new_grain(host, regrain, grain_seed(first, p.t), scale) / np.float32(peak)
                picture = picture + torch.from_numpy(grain_image).to(device)
        out.append((picture.clamp(0, 1) * peak).round().permute(1, 2, 0).cpu().numpy().astype(first.dtype))
    return out
