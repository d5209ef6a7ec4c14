"""Films cut from the real clips, shared by the detection tests (built once per session)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from engine.testing.oldfilm import CLEAN, OldFilm, Wear
from engine.testing.splice import FilmTruth, assemble_film, film_truth, plan_film, real_clips

SIZE = (320, 240)
FPS = Fraction(25)


def _film(seed: int, shots: int, wear: Wear, gradual: bool) -> tuple[list[np.ndarray], FilmTruth]:
    plan, joins = plan_film(
        seed, real_clips(), shots, dissolve_share=0.35 if gradual else 0.0, fade_share=0.25 if gradual else 0.0
    )
    frames = assemble_film(plan, joins, SIZE)
    if wear != CLEAN:
        frames = OldFilm(seed, wear).stream(frames)
    return list(frames), film_truth(plan, joins, FPS)


@pytest.fixture(scope="session")
def clean_film() -> tuple[list[np.ndarray], FilmTruth]:
    """Eight color shots joined by hard cuts, straight from the clips."""
    return _film(5, 8, CLEAN, gradual=False)


@pytest.fixture(scope="session")
def old_film() -> tuple[list[np.ndarray], FilmTruth]:
    """Ten shots with cuts, dissolves and fades, through a worn print."""
    return _film(3, 10, Wear(), gradual=True)
