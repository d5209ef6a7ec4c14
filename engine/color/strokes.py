"""Hint strokes rasterized into hard chroma constraints at source resolution.

A stroke covers every pixel whose centre lies within ``radius`` of its polyline
(a capsule per segment; a one-point stroke is a disc). Coverage is binary —
no antialiasing — so a hint's chroma is imposed exactly where it is painted and
nowhere else. Pixel ``(row, col)`` has its centre at ``x = col``, ``y = row``;
a radius below one half still covers the pixel nearest to each point. Later
hints paint over earlier ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from engine.color.luma import color_to_chroma
from engine.errors import HintsError
from engine.project.hints import ColorPin, Hint, hex_to_rgb, is_hex_color


@dataclass(frozen=True, slots=True)
class ChromaConstraints:
    """Where the chroma of a frame is fixed, and to what.

    Attributes
    ----------
    mask
        ``(H, W)`` bool, True where a hint fixes the chroma.
    chroma
        ``(2, H, W)`` float32 Cb, Cr (0–1 scale); zero where ``mask`` is False.
    """

    mask: np.ndarray
    chroma: np.ndarray

    @property
    def count(self) -> int:
        """Number of constrained pixels."""
        return int(self.mask.sum())


def empty_constraints(height: int, width: int) -> ChromaConstraints:
    """Constraints that fix nothing."""
    return ChromaConstraints(np.zeros((height, width), bool), np.zeros((2, height, width), np.float32))


def hint_chroma(hint: Hint, pins: Mapping[str, ColorPin]) -> tuple[float, float]:
    """The (Cb, Cr) a hint paints with, through its pin when it has one.

    Raises
    ------
    HintsError
        The hint names an unknown pin and has no colour of its own, or its colour is not ``#rrggbb``.
    """
    try:
        color = hint.resolved_color(dict(pins))
    except KeyError as err:
        raise HintsError(str(err.args[0])) from err
    if not is_hex_color(color):
        raise HintsError(f"hint {hint.id} has colour {color!r}, expected #rrggbb")
    return color_to_chroma(hex_to_rgb(color))


def stroke_mask(points: Iterable[tuple[float, float]], radius: float, height: int, width: int) -> np.ndarray:
    """Binary coverage ``(H, W)`` of a stroke: pixel centres within ``radius`` of the polyline."""
    pts = np.asarray(list(points), dtype=np.float64).reshape(-1, 2)
    mask = np.zeros((height, width), bool)
    if len(pts) == 0:
        return mask
    r = max(float(radius), 0.0)
    segments = list(zip(pts[:-1], pts[1:])) if len(pts) > 1 else [(pts[0], pts[0])]
    for a, b in segments:
        x0 = max(int(np.floor(min(a[0], b[0]) - r)), 0)
        x1 = min(int(np.ceil(max(a[0], b[0]) + r)), width - 1)
        y0 = max(int(np.floor(min(a[1], b[1]) - r)), 0)
        y1 = min(int(np.ceil(max(a[1], b[1]) + r)), height - 1)
        if x0 > x1 or y0 > y1:
            continue
        ys, xs = np.mgrid[y0 : y1 + 1, x0 : x1 + 1].astype(np.float64)
        d = b - a
        length2 = float(d @ d)
        t = np.zeros_like(xs) if length2 == 0 else np.clip(((xs - a[0]) * d[0] + (ys - a[1]) * d[1]) / length2, 0, 1)
        dist2 = (xs - a[0] - t * d[0]) ** 2 + (ys - a[1] - t * d[1]) ** 2
        mask[y0 : y1 + 1, x0 : x1 + 1] |= dist2 <= r * r
    if r < 0.5:
        # A thin brush still marks the pixel under each point.
        for x, y in pts:
            col, row = int(np.floor(x + 0.5)), int(np.floor(y + 0.5))
            if 0 <= row < height and 0 <= col < width:
                mask[row, col] = True
    return mask


def rasterize_hints(
    hints: Iterable[Hint], pins: Mapping[str, ColorPin], height: int, width: int
) -> ChromaConstraints:
    """Rasterize hints into hard chroma constraints of a ``height × width`` frame.

    Parameters
    ----------
    hints
        Strokes on this frame (their ``frame`` field is not checked here).
    pins
        Pin id → :class:`ColorPin`; a hint with a pin paints with the pin's colour.
    height, width
        Source frame size in pixels.
    """
    out = empty_constraints(height, width)
    for hint in hints:
        cb, cr = hint_chroma(hint, pins)
        if not np.isfinite(hint.radius) or hint.radius < 0:
            raise HintsError(f"hint {hint.id} has radius {hint.radius}, expected a non-negative number")
        covered = stroke_mask(hint.points, hint.radius, height, width)
        out.mask[covered] = True
        out.chroma[0][covered] = cb
        out.chroma[1][covered] = cr
    return out
