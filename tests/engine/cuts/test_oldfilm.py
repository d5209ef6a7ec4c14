"""The old-film degradation model: reproducible, and it looks like old film."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from engine.testing.oldfilm import CLEAN, OldFilm, Wear
from engine.testing.splice import Shot, assemble_film, dissolve, fade_in, fade_out, film_truth, plan_film, real_clips


def _picture(carphone_frames: int = 12) -> list[np.ndarray]:
    carphone = next(c for c in real_clips() if c.path.name.startswith("carphone"))
    return list(assemble_film([Shot(carphone.path, 0, carphone_frames)], [], (176, 144)))


def test_same_seed_same_film_and_gray_output() -> None:
    frames = _picture()
    a = list(OldFilm(4).stream(frames))
    b = list(OldFilm(4).stream(frames))
    c = list(OldFilm(5).stream(frames))
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert not np.array_equal(a[3], c[3])
    assert a[0].shape == frames[0].shape and a[0].dtype == np.uint8
    assert np.array_equal(a[0][..., 0], a[0][..., 2])


def test_wear_adds_flicker_grain_and_dirt_but_keeps_the_picture() -> None:
    still = [_picture(1)[0]] * 40
    worn = np.stack(list(OldFilm(1, Wear(dust_per_frame=0, scratch_rate=0)).stream(still))).astype(np.float32)
    levels = worn.mean(axis=(1, 2, 3))
    assert levels.std() > 2.0  # exposure flicker
    assert np.abs(np.diff(worn, axis=0)).mean() > 3.0  # fresh grain every frame
    clean = np.stack(list(OldFilm(1, CLEAN).stream(still[:1]))).astype(np.float32)
    assert np.corrcoef(worn[5].ravel(), clean[0].ravel())[0, 1] > 0.8
    dusty = np.stack(list(OldFilm(2, Wear(dust_per_frame=30, grain=0, flicker_slow=0, flicker_fast=0,
                                          flicker_offset=0, weave_px=0, scratch_rate=0)).stream(still[:2])))
    changed = np.abs(dusty[0].astype(int) - dusty[1].astype(int))[..., 0] > 40
    assert 0 < changed.mean() < 0.2  # specks differ from frame to frame, and are small


def test_scratches_persist_over_frames() -> None:
    still = [_picture(1)[0]] * 30
    wear = Wear(flicker_slow=0, flicker_fast=0, flicker_offset=0, grain=0, dust_per_frame=0, scratch_rate=0.5, weave_px=0)
    film = np.stack(list(OldFilm(3, wear).stream(still))).astype(np.float32)[..., 0]
    base = np.stack(list(OldFilm(3, CLEAN).stream(still[:1]))).astype(np.float32)[0, ..., 0]
    columns = np.abs(film - base).mean(axis=1)  # (frames, width): vertical lines show as columns
    marked = columns > 10
    assert marked[10:].any(axis=1).all()
    # Some column stays marked for several frames in a row.
    assert max(marked[i:i + 5].all(axis=0).sum() for i in range(25)) >= 1


def test_transitions_are_mixes() -> None:
    a, b = _picture(8), [255 - f for f in _picture(8)]
    mixed = dissolve(a, b, 4)
    assert len(mixed) == 4
    middle = (a[-4 + 1].astype(float) * 3 / 5 + b[1].astype(float) * 2 / 5)
    assert np.abs(mixed[1] - middle).max() <= 1
    out, into = fade_out(a[:4]), fade_in(b[:4])
    assert out[-1].mean() < out[0].mean() and into[0].mean() < into[-1].mean()


def test_truth_matches_what_is_assembled() -> None:
    plan, joins = plan_film(8, real_clips(), 5, dissolve_share=0.4, fade_share=0.3, shot_frames=(24, 30))
    truth = film_truth(plan, joins, Fraction(25))
    frames = list(assemble_film(plan, joins, (64, 48)))
    assert len(frames) == truth.frames
    assert len(truth.cuts) == 4
    for join, cut in zip(joins, truth.cuts):
        assert (join.kind == "cut") == (cut in truth.hard_cuts)
    gradual = [j for j in joins if j.kind != "cut"]
    assert [(t.kind, t.end - t.start + 1) for t in truth.transitions] == [(j.kind, j.frames) for j in gradual]
    for t, cut in zip(truth.transitions, [c for c in truth.cuts if c not in truth.hard_cuts]):
        assert t.start <= cut <= t.end
    # A fade darkens toward its cut; a dissolve's frames are neither shot alone.
    for t in truth.transitions:
        if t.kind == "fade":
            assert frames[t.start].mean() > frames[t.start + (t.end - t.start) // 2].mean()
