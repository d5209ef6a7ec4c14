"""The restoration stages in the pipeline: one shot only, never across a cut, the lead-in honoured, previews
made by the export's own per-frame functions, and ``relume export --set restore.*`` end to end."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from engine.cli import main
from engine.project import Cut, MediaRef, Project, ShotData
from engine.project.cascade import resolve
from engine.render.film_export import FilmExport, export_film
from engine.render.film_preview import FilmPreview
from engine.render.pipeline import StageContext, default_stages
from engine.render.spec import RenderSpec
from engine.restore.denoise import RADIUS, denoise_frame
from engine.restore.dust import repair_dust_frame
from engine.restore.scratches import REACH as SCRATCH_REACH
from engine.testing.make_media import clip_pictures
from engine.testing.oldfilm import OldFilm, Wear
from engine.testing.splice import write_film

FRAMES = 24
CUT = 12
SIZE = (320, 136)
ALL = {"restore.stabilize.enabled": True, "restore.deflicker.enabled": True, "restore.dust.enabled": True,
       "restore.scratches.enabled": True, "restore.denoise.enabled": True}
# An old print with a little of everything the restoration stages repair.
WORN = Wear(flicker_slow=0.04, flicker_fast=0.02, flicker_offset=0.01, grain=0.05, dust_per_frame=6.0,
            scratch_rate=0.15, weave_px=0.8, vignette=0.0)


@pytest.fixture(scope="module")
def truth(bikes: Path) -> list[np.ndarray]:
    """The clean gray frames of the film (bikes, which pans)."""
    return clip_pictures(bikes, SIZE, gray=True)[40 : 40 + FRAMES]


@pytest.fixture(scope="module")
def worn(truth: list[np.ndarray]) -> list[np.ndarray]:
    return list(OldFilm(seed=5, wear=WORN).stream(truth))


@pytest.fixture(scope="module")
def film(worn: list[np.ndarray], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The worn frames as a lossless scan."""
    return write_film(worn, tmp_path_factory.mktemp("worn") / "worn.mkv", Fraction(25))


def _project(film: Path, second: dict[str, object] | None = None) -> Project:
    return Project(fps=Fraction(25), frame_count=FRAMES, media=MediaRef.to_file(film), cuts=(Cut(CUT, shot="b"),),
                   opening_shot="a", shot_data={"b": ShotData(overrides=second or {})})


def _spec(overrides: dict[str, object]) -> RenderSpec:
    return RenderSpec(resolve(shot_overrides=overrides))


def _pictures(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        return np.stack([f.to_ndarray(format="rgb24") for f in container.decode(video=0)])


def _psnr(a: np.ndarray, b: np.ndarray) -> float:
    return float(10 * np.log10(255.0**2 / np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)))


def test_every_restoration_stage_is_built_in_and_runs_in_order() -> None:
    registry = default_stages()
    registry.check(_spec(ALL))
    restoring = ("stabilize", "deflicker", "dust", "scratches", "denoise")
    assert [s.name for s in registry.active(_spec(ALL)) if s.name in restoring] == list(restoring)
    nothing = _spec({"restore.denoise.enabled": True, "restore.denoise.strength": 0.0})
    assert not [s.name for s in registry.active(nothing) if s.name in restoring]


def test_the_first_frame_needs_only_the_lead_in(worn: list[np.ndarray]) -> None:
    # What a neighbouring shot's boundary (interpolation's blend) renders: the shot's first lead-in + 1 frames.
    registry, spec = default_stages(), _spec(ALL)
    lead_in = registry.lead_in(spec)
    assert lead_in >= 1 + SCRATCH_REACH + RADIUS
    shot = worn[: lead_in + 4]
    whole = list(registry.render(shot, spec, StageContext()))
    alone = list(registry.render(shot[: lead_in + 1], spec, StageContext()))
    assert len(whole) == len(shot) and len(alone) == lead_in + 1
    assert np.array_equal(whole[0], alone[0])


def test_export_restores_one_shot_and_brings_it_closer_to_the_truth(
    film: Path, truth: list[np.ndarray], tmp_path: Path
) -> None:
    plain = _pictures(export_film(_project(film), FilmExport(tmp_path / "plain.mkv", {"export.preset": "ffv1"})).target)
    restored = _pictures(export_film(_project(film, {"restore.dust.enabled": True, "restore.scratches.enabled": True,
                                                     "restore.denoise.enabled": True, "restore.denoise.strength": 1.0}),
                                     FilmExport(tmp_path / "restored.mkv", {"export.preset": "ffv1"})).target)
    assert plain.shape == restored.shape == (FRAMES, SIZE[1], SIZE[0], 3)
    assert np.array_equal(plain[:CUT], restored[:CUT])
    before = np.mean([_psnr(p, t) for p, t in zip(plain[CUT:], truth[CUT:])])
    after = np.mean([_psnr(r, t) for r, t in zip(restored[CUT:], truth[CUT:])])
    assert after > before + 1.5, (before, after)


def test_previews_use_the_exports_functions_and_stop_at_the_cut(film: Path) -> None:
    preview = FilmPreview(_project(film, {"restore.dust.enabled": True, "restore.dust.strength": 0.7}))
    try:
        at = lambda i: preview.frame(i, 320)  # noqa: E731
        for index, before, after in ((CUT + 3, CUT + 2, CUT + 4), (CUT, None, CUT + 1), (FRAMES - 1, FRAMES - 2, None)):
            expected = repair_dust_frame(at(index), None if before is None else at(before),
                                         None if after is None else at(after), 0.7)
            assert np.array_equal(preview.look(index, at(index)), expected), index
        # Frame CUT - 1 closes shot a, which has no restoration: it comes back as it is.
        assert np.array_equal(preview.look(CUT - 1, at(CUT - 1)), at(CUT - 1))
    finally:
        preview.close()


def test_a_preview_with_every_stage_is_denoised_from_repaired_neighbours(film: Path) -> None:
    preview = FilmPreview(_project(film, {"restore.dust.enabled": True, "restore.denoise.enabled": True}))
    try:
        index = CUT + 1  # its denoise window is cut short by the shot's start
        at = lambda i: preview.frame(i, 320)  # noqa: E731
        repaired = {i: repair_dust_frame(at(i), at(i - 1) if i > CUT else None, at(i + 1), 0.5)
                    for i in range(CUT, index + RADIUS + 1)}
        expected = denoise_frame(repaired[index], [repaired[i] for i in range(CUT, index)],
                                 [repaired[i] for i in range(index + 1, index + RADIUS + 1)], 0.3)
        picture = preview.look(index, at(index))
        assert np.array_equal(picture, expected)
        assert preview.look(index, at(index)) is picture  # kept: a stroke on it redoes no restoration
    finally:
        preview.close()


def test_a_preview_of_a_stabilized_shot_moves_the_frame(film: Path) -> None:
    preview = FilmPreview(_project(film, {"restore.stabilize.enabled": True}))
    try:
        frames = [preview.frame(i, 320) for i in range(CUT, FRAMES)]
        steadied = [preview.look(i, f) for i, f in zip(range(CUT, FRAMES), frames)]
        assert all(s.shape == f.shape and s.dtype == f.dtype for s, f in zip(steadied, frames))
        assert any(not np.array_equal(s, f) for s, f in zip(steadied, frames))
    finally:
        preview.close()


def test_relume_export_sets_restoration_from_the_command_line(film: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "restored.mkv"
    code = main(["export", str(film), "--out", str(target), "--set", "export.preset=ffv1",
                 *(arg for key in ALL for arg in ("--set", f"{key}=true"))])
    assert code == 0, capsys.readouterr().err
    pictures = _pictures(target)
    assert pictures.shape == (FRAMES, SIZE[1], SIZE[0], 3)
    # Gray film stays gray through every stage.
    assert np.array_equal(pictures[..., 0], pictures[..., 1]) and np.array_equal(pictures[..., 1], pictures[..., 2])
