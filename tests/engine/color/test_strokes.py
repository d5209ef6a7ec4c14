"""Hints become exact, antialias-free constraints; pins recolor every hint that uses them."""

from __future__ import annotations

import numpy as np
import pytest

from engine.color import colorize_frame, rasterize_hints, rgb_to_chroma
from engine.color.luma import color_to_chroma
from engine.color.strokes import stroke_mask
from engine.errors import HintsError
from engine.project.hints import ColorPin, Hint


def test_dot_covers_exactly_the_pixel_centres_within_its_radius() -> None:
    mask = stroke_mask([(10.0, 7.0)], 2.0, 20, 30)
    rows, cols = np.nonzero(mask)
    assert mask.sum() == 13  # centres at distance ≤ 2 from a lattice point
    assert ((cols - 10) ** 2 + (rows - 7) ** 2 <= 4).all()


def test_stroke_is_a_capsule_along_its_polyline() -> None:
    mask = stroke_mask([(2.0, 5.0), (12.0, 5.0)], 1.0, 11, 16)
    assert mask[4:7, 2:13].all() and mask.sum() == 3 * 11 + 2
    assert mask[5, 1] and mask[5, 13] and not mask[4, 1]


def test_thin_brush_still_marks_the_pixel_under_the_point() -> None:
    mask = stroke_mask([(3.4, 2.6)], 0.0, 5, 5)
    assert mask.sum() == 1 and mask[3, 3]


def test_hint_colour_and_later_hints_paint_over_earlier() -> None:
    first = Hint(frame=0, points=((5, 5),), radius=2, color="#ff0000")
    second = Hint(frame=0, points=((6, 5),), radius=0, color="#0000ff")
    constraints = rasterize_hints([first, second], {}, 10, 10)
    assert constraints.count == 13
    np.testing.assert_allclose(constraints.chroma[:, 5, 5], color_to_chroma((255, 0, 0)), atol=1e-6)
    np.testing.assert_allclose(constraints.chroma[:, 5, 6], color_to_chroma((0, 0, 255)), atol=1e-6)
    assert not constraints.mask[0, 0] and (constraints.chroma[:, ~constraints.mask] == 0).all()


def test_changing_a_pin_recolors_every_hint_that_uses_it() -> None:
    frame = np.full((60, 80), 120, np.uint8)
    frame[:, 40:] = 200
    sky = ColorPin(name="sky", color="#4080ff", id="sky")
    hints = [
        Hint(frame=0, points=((10, 10),), radius=3, pin="sky"),
        Hint(frame=0, points=((60, 50),), radius=3, pin="sky"),
        Hint(frame=0, points=((30, 50),), radius=3, color="#208020"),
    ]
    blue = rgb_to_chroma(colorize_frame(frame, hints, {"sky": sky}, device="cpu"))
    red_pin = ColorPin(name="sky", color="#ff4020", id="sky")
    red = rgb_to_chroma(colorize_frame(frame, hints, {"sky": red_pin}, device="cpu"))
    for x, y in ((10, 10), (60, 50)):
        assert blue[0, y, x] > 0.05 > red[0, y, x]  # Cb follows the pin
        assert red[1, y, x] > 0.1 > blue[1, y, x]  # and Cr
    # The hint with its own colour keeps it.
    np.testing.assert_allclose(blue[:, 50, 30], red[:, 50, 30], atol=0.02)


def test_unknown_pin_without_colour_is_a_hints_error() -> None:
    with pytest.raises(HintsError, match="unknown pin"):
        rasterize_hints([Hint(frame=0, points=((1, 1),), pin="nope")], {}, 4, 4)
