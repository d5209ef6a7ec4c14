"""A colour photograph's palette as a prior; pin colours picked from it."""

from __future__ import annotations

import numpy as np
import pytest
import skimage.data

from engine.color import colorize_frame, pick_color, rgb_to_chroma, transfer_reference
from engine.errors import HintsError
from tests.engine.color.conftest import chroma_psnr, chroma_psnr_of, true_hints


@pytest.mark.parametrize("image", ["coffee", "chelsea"])
def test_transfer_gives_plausible_chroma_from_another_part_of_the_scene(image: str) -> None:
    rgb = getattr(skimage.data, image)()[::2, ::2]
    half = rgb.shape[1] // 2
    reference, film = rgb[:, :half], np.ascontiguousarray(rgb[:, half:])
    prior = transfer_reference(film, reference)
    assert prior.shape == (2, *film.shape[:2])
    mean = rgb_to_chroma(reference).reshape(2, -1).mean(1)[:, None, None]
    # Better than leaving it gray, and better than the reference's average colour everywhere.
    assert chroma_psnr_of(prior, film) > chroma_psnr_of(np.zeros_like(prior), film) + 3.0
    assert chroma_psnr_of(prior, film) > chroma_psnr_of(np.broadcast_to(mean, prior.shape), film) + 0.5


def test_hints_refine_a_reference_prior() -> None:
    rgb = skimage.data.coffee()[::4, ::4]
    half = rgb.shape[1] // 2
    reference, film = rgb[:, :half], np.ascontiguousarray(rgb[:, half:])
    hints = true_hints(film, 20, seed=5)
    prior_only = chroma_psnr(colorize_frame(film, [], {}, device="cpu", reference_rgb=reference), film)
    both = chroma_psnr(colorize_frame(film, hints, {}, device="cpu", reference_rgb=reference), film)
    assert prior_only > chroma_psnr(np.repeat(film.mean(-1, keepdims=True).astype(np.uint8), 3, -1), film)
    assert both > prior_only


def test_pick_color_averages_a_disc() -> None:
    image = np.zeros((20, 20, 3), np.uint8)
    image[:, :, 0] = 200
    image[8:13, 8:13] = (10, 120, 250)
    assert pick_color(image, 10, 10, radius=2) == "#0a78fa"
    assert pick_color(image, 2, 2, radius=0) == "#c80000"
    assert pick_color((image.astype(np.uint16) * 257), 10, 10) == "#0a78fa"
    with pytest.raises(HintsError, match="outside"):
        pick_color(image, 25, 3)
