"""Shot detection on real footage, clean and through a worn print."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from engine.cuts import Cut, CutList, DetectionSettings, Transition, detect_cuts, detect_cuts_in_frames
from engine.errors import Cancelled, CutListError, MediaError
from engine.progress import CancelToken, Progress
from engine.testing.oldfilm import OldFilm, Wear, flash
from engine.testing.splice import FilmTruth, Shot, assemble_film, real_clips, write_film

BIKES_CUTS = [30, 76, 137, 187, 242]  # bikes.mp4 is six shots, checked frame by frame


def test_hard_cuts_on_clean_color_footage_are_exact(clean_film: tuple[list[np.ndarray], FilmTruth]) -> None:
    frames, truth = clean_film
    found = detect_cuts_in_frames(frames, truth.fps)
    assert found.frames == truth.frames
    assert found.cut_frames == list(truth.cuts)
    assert found.transitions == ()
    assert all(0.5 < c.confidence <= 1.0 for c in found.cuts)


def test_worn_print_cuts_within_two_frames_and_transitions_overlap(old_film: tuple[list[np.ndarray], FilmTruth]) -> None:
    frames, truth = old_film
    assert {t.kind for t in truth.transitions} == {"dissolve", "fade"}
    found = detect_cuts_in_frames(frames, truth.fps)
    for cut in truth.hard_cuts:
        assert any(abs(c - cut) <= 2 for c in found.cut_frames), f"hard cut at {cut} missed: {found.cut_frames}"
    for real in truth.transitions:
        overlapping = [t for t in found.transitions if t.start <= real.end and real.start <= t.end]
        assert overlapping, f"{real} missed: {found.transitions}"
        assert overlapping[0].kind == real.kind
        assert any(overlapping[0].contains(c) for c in found.cut_frames)
    # Nothing beyond the truth: every reported cut is near a true shot change.
    for c in found.cut_frames:
        assert any(abs(c - t) <= 2 for t in truth.hard_cuts) or any(
            t.start - 2 <= c <= t.end + 2 for t in truth.transitions
        ), f"false cut at {c}"


def test_bikes_has_exactly_its_five_cuts_through_its_pans(bikes: Path) -> None:
    found = detect_cuts(bikes)
    assert found.fps == Fraction(25)
    assert found.frames == 250
    assert found.cut_frames == BIKES_CUTS


def test_flash_frames_and_strong_flicker_make_no_cut() -> None:
    carphone = next(c for c in real_clips() if c.path.name.startswith("carphone"))
    shot = list(assemble_film([Shot(carphone.path, 0, 120)], [], (176, 144)))
    for index in (30, 31 + 40):
        shot[index] = flash(shot[index])
    flickering = Wear(flicker_slow=0.2, flicker_fast=0.12, flicker_offset=0.04)
    film = list(OldFilm(9, flickering).stream(shot))
    levels = [f.mean() for f in film]
    assert max(levels) / min(levels) > 1.5  # the flicker is strong indeed
    assert detect_cuts_in_frames(film, Fraction(25)).cuts == ()


def test_a_single_real_shot_has_no_cut(bigbuckbunny: Path) -> None:
    assert detect_cuts(bigbuckbunny).cuts == ()


def test_reading_a_file_equals_reading_the_frames(tmp_path: Path, clean_film: tuple[list[np.ndarray], FilmTruth]) -> None:
    frames, truth = clean_film
    path = write_film(frames[:150], tmp_path / "film.mkv", truth.fps)
    reports: list[Progress] = []
    from_file = detect_cuts(path, progress=reports.append)
    assert from_file.cut_frames == detect_cuts_in_frames(frames[:150], truth.fps).cut_frames
    assert reports[-1].done == reports[-1].total == 150


def test_deep_frames_give_the_same_cuts(clean_film: tuple[list[np.ndarray], FilmTruth]) -> None:
    frames, truth = clean_film
    deep = (f.astype(np.uint16) * 257 for f in frames[:120])
    assert detect_cuts_in_frames(deep, truth.fps).cut_frames == detect_cuts_in_frames(frames[:120], truth.fps).cut_frames


def test_cancel_stops_promptly(clean_film: tuple[list[np.ndarray], FilmTruth]) -> None:
    frames, truth = clean_film
    token = CancelToken()
    seen = 0

    def counted():
        nonlocal seen
        for frame in frames:
            seen += 1
            if seen == 20:
                token.cancel()
            yield frame

    with pytest.raises(Cancelled):
        detect_cuts_in_frames(counted(), truth.fps, cancel=token)
    assert seen <= 21


def test_min_shot_length_keeps_the_surer_cut(clean_film: tuple[list[np.ndarray], FilmTruth]) -> None:
    frames, truth = clean_film
    first, second = truth.cuts[0], truth.cuts[1]
    settings = DetectionSettings(min_shot_frames=second - first + 1)
    found = detect_cuts_in_frames(frames, truth.fps, settings=settings)
    assert (first in found.cut_frames) != (second in found.cut_frames)
    assert all(b - a >= settings.min_shot_frames for a, b in zip(found.cut_frames, found.cut_frames[1:]))


def test_missing_and_corrupt_input_raise_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(MediaError, match="nothing.mov"):
        detect_cuts(tmp_path / "nothing.mov")
    junk = tmp_path / "junk.mov"
    junk.write_bytes(b"\x00\x01not a movie" * 100)
    with pytest.raises(MediaError) as caught:
        detect_cuts(junk)
    assert "\n" not in str(caught.value) and "junk.mov" in str(caught.value)


def test_settings_are_checked() -> None:
    with pytest.raises(ValueError):
        DetectionSettings(min_shot_frames=0)
    with pytest.raises(ValueError):
        DetectionSettings(sensitivity=1.5)


def test_cut_list_json_shape_and_back() -> None:
    found = CutList(Fraction(24000, 1001), 100, (Cut(60), Cut(20)), (Transition(55, 64, "dissolve"),))
    assert found.to_json() == {
        "fps": "24000/1001",
        "frames": 100,
        "cuts": [20, 60],
        "transitions": [{"start": 55, "end": 64, "kind": "dissolve"}],
    }
    assert found.shots() == [(0, 20), (20, 60), (60, 100)]
    assert CutList.from_json(found.to_json()) == found
    with pytest.raises(CutListError, match="not a cut list"):
        backwards = {"start": 5, "end": 2, "kind": "fade"}
        CutList.from_json({"fps": "25/1", "frames": 10, "cuts": [3], "transitions": [backwards]})
