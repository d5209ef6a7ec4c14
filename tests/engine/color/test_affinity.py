"""Levin's affinity as Relume builds it: the published weights, with links across strong edges cut."""

from __future__ import annotations

import torch

from engine.color.affinity import EDGE_STEP, OFFSETS, levin_weights

RIGHT = OFFSETS.index((0, 1))


def test_links_across_a_strong_edge_are_cut_and_the_published_weights_keep_them() -> None:
    luma = torch.full((9, 12), 0.2)
    luma[:, 6:] = 0.2 + 2 * EDGE_STEP
    cut, published = levin_weights(luma), levin_weights(luma, cut_edges=False)
    assert float(cut[RIGHT, 4, 5]) == 0.0
    assert float(published[RIGHT, 4, 5]) > 0.0
    # Away from the edge both are the same, and every row still sums to one.
    assert torch.equal(cut[:, :, :4], published[:, :, :4])
    assert torch.allclose(cut.sum(0), torch.ones(9, 12))


def test_a_lone_speck_keeps_its_closest_neighbour() -> None:
    luma = torch.full((7, 7), 0.1)
    luma[3, 3] = 0.1 + 3 * EDGE_STEP
    luma[3, 4] = 0.1 + 2 * EDGE_STEP  # the speck's closest neighbour, still across a strong step
    weights = levin_weights(luma)
    assert float(weights[RIGHT, 3, 3]) == 1.0
    assert float(weights[:, 3, 3].sum()) == 1.0
