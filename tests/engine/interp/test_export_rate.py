"""Exporting at another frame rate: exact frame counts, sound in sync, source frames kept, resume per rate."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from engine.cli import main
from engine.errors import Cancelled, OutputError
from engine.media.verify import inspect_master
from engine.project import Cut, MediaRef, Project, ShotData
from engine.render.film_export import FilmExport, export_film
from engine.testing.make_media import make_clip

FRAMES = 14
CUT = 8


@pytest.fixture(scope="module")
def film(bigbuckbunny: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """14 real frames of bigbuckbunny at 25 fps, small, with AAC sound."""
    folder = tmp_path_factory.mktemp("film")
    return make_clip(folder / "bunny.mp4", frames=FRAMES, size=(160, 90), audio=True, from_clip=bigbuckbunny)


def _project(film: Path, second: dict[str, object] | None = None) -> Project:
    return Project(fps=Fraction(25), frame_count=FRAMES, media=MediaRef.to_file(film),
                   cuts=(Cut(CUT, shot="second"),), opening_shot="first",
                   shot_data={"second": ShotData(overrides=second or {})})


def _pictures(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="rgb48le") for f in container.decode(video=0)]


def _check_timing(path: Path, source: Path, fps: Fraction, frames: int) -> None:
    """Frame count, rate, picture times and sound length of ``path`` against the source."""
    facts, original = inspect_master(path), inspect_master(source)
    assert facts.frame_count == frames
    assert facts.fps is not None and abs(facts.fps - fps) < fps / 10000  # Matroska rounds the rate it reports
    step = 1 / fps
    video_seconds = frames * step
    source_seconds = Fraction(original.frame_count) / Fraction(25)
    assert abs(video_seconds - source_seconds) < step
    (audio_seconds,) = facts.audio_seconds
    assert abs(audio_seconds - original.audio_seconds[0]) < float(step) + 0.025  # one picture, one AAC packet
    assert abs(audio_seconds - float(video_seconds)) < float(step) + 0.025
    with av.open(str(path)) as container:
        times = [f.time for f in container.decode(video=0)]
    assert times == pytest.approx([float(k * step) for k in range(frames)], abs=1e-3)


def test_50_fps_from_25_keeps_sync_and_the_source_frames(film: Path, tmp_path: Path) -> None:
    plain = export_film(_project(film), FilmExport(tmp_path / "25.mkv", {"export.preset": "ffv1"}))
    fifty = export_film(_project(film), FilmExport(tmp_path / "50.mkv", {"export.preset": "ffv1",
                                                                          "export.fps": Fraction(50)}))
    _check_timing(fifty.target, film, Fraction(50), 2 * FRAMES)
    source, doubled = _pictures(plain.target), _pictures(fifty.target)
    # Whole positions are the rendered source frames, bit for bit.
    for k, picture in enumerate(source):
        assert np.array_equal(doubled[2 * k], picture)
    # In-betweens inside a shot are new pictures; the one after the first shot's last frame holds it.
    assert not np.array_equal(doubled[3], source[1]) and not np.array_equal(doubled[3], source[2])
    assert np.array_equal(doubled[2 * CUT - 1], source[CUT - 1])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["25.mkv", "50.mkv"]


def test_cli_fps_to_ntsc_rate_and_a_shot_without_interpolation(film: Path, tmp_path: Path) -> None:
    target = tmp_path / "ntsc.mkv"
    assert main(["export", str(film), "--out", str(target), "--preset", "ffv1", "--fps", "60000/1001",
                 "--set", "interp.enabled=false"]) == 0
    rate = Fraction(60000, 1001)
    frames = -(-FRAMES * rate // 25)  # ceil: 34 frames
    _check_timing(target, film, rate, int(frames))
    pictures = _pictures(target)
    plain = _pictures(export_film(_project(film), FilmExport(tmp_path / "25.mkv", {"export.preset": "ffv1"})).target)
    # Without interpolation every picture is the nearest source frame.
    for k, picture in enumerate(pictures):
        nearest = min(int(k * Fraction(25) / rate + Fraction(1, 2)), FRAMES - 1)
        assert np.array_equal(picture, plain[nearest])


def test_segments_are_per_rate(film: Path, tmp_path: Path) -> None:
    from engine.render.interp_stage import film_retiming
    from engine.render.pipeline import default_stages

    project = _project(film, {"interp.enabled": False})
    fifty = film_retiming(project, Fraction(50), default_stages())
    sixty = film_retiming(project, Fraction(60), default_stages())
    assert fifty is not None and sixty is not None
    assert film_retiming(project, "source", default_stages()) is None
    assert fifty.segment_key("k") != sixty.segment_key("k")
    # Shots own whole ranges of the master: the first shot ends where the second starts.
    first, second = project.shots()
    assert fifty.retiming.output_range(first.start, first.end).stop == 2 * CUT
    assert fifty.retiming.output_range(second.start, second.end) == range(2 * CUT, 2 * FRAMES)


class _Interrupted:
    """A deflicker stage that unwinds the export (as SIGTERM does) when the shot asking for it starts."""

    name = "deflicker"

    def wanted(self, spec: object) -> bool:
        return bool(spec.flag("restore.deflicker.enabled"))  # type: ignore[attr-defined]

    def apply(self, frames: Iterator[np.ndarray], spec: object, context: object) -> Iterator[np.ndarray]:
        raise Cancelled("unwound mid-way, as by SIGTERM")
        yield from frames


def test_an_interrupted_export_at_another_rate_resumes_only_at_that_rate(film: Path, tmp_path: Path) -> None:
    from engine.render.interp_stage import InterpolateStage
    from engine.render.pipeline import StageRegistry

    project = _project(film, {"restore.deflicker.enabled": True})
    settings = {"export.preset": "ffv1", "export.fps": Fraction(50)}
    whole = export_film(project, FilmExport(tmp_path / "whole.mkv", settings))
    interrupting = StageRegistry()
    interrupting.add(_Interrupted())
    interrupting.add(InterpolateStage())
    target = tmp_path / "m.mkv"
    with pytest.raises(Cancelled):
        export_film(project, FilmExport(target, settings), stages=interrupting)
    assert not target.exists()
    with pytest.raises(OutputError, match="another source, format or size"):
        export_film(project, FilmExport(target, settings | {"export.fps": Fraction(60)}, resume=True))
    resumed = export_film(project, FilmExport(target, settings, resume=True))
    assert any("1 of 2 shots" in note for note in resumed.notices)
    assert all(np.array_equal(a, b) for a, b in zip(_pictures(target), _pictures(whole.target), strict=True))


def test_a_blended_boundary_fades_into_the_next_shot(film: Path, tmp_path: Path) -> None:
    settings = {"export.preset": "ffv1", "interp.enabled": False}
    plain = _pictures(export_film(_project(film), FilmExport(tmp_path / "25.mkv", settings)).target)
    blended = _pictures(export_film(_project(film), FilmExport(
        tmp_path / "50.mkv", settings | {"export.fps": Fraction(50), "interp.boundary": "blend"})).target)
    halfway = (plain[CUT - 1].astype(np.int64) + plain[CUT]) / 2
    # Mixed in RGB before the master's Y'CbCr: equal to the halfway picture within rounding.
    assert np.abs(blended[2 * CUT - 1] - halfway).mean() < 0.01 * 65535
    assert np.abs(blended[2 * CUT - 1] - halfway).mean() < np.abs(plain[CUT - 1] - halfway).mean() / 4
    # After the film's last frame there is no next shot: the last frame is held.
    assert np.array_equal(blended[-1], plain[-1])


def test_in_betweens_of_upscaled_shots_know_the_film_they_were_enlarged_from() -> None:
    from engine.media.geometry import Placement
    from engine.render.interp_stage import _film_width
    from engine.render.pipeline import StageContext
    from engine.render.spec import shot_spec

    project = Project(fps=Fraction(24), frame_count=20, cuts=(Cut(10, shot="b"),), opening_shot="a",
                      shot_data={"b": ShotData(overrides={"upscale.upscaler": "lanczos"})})
    enlarged = StageContext(placement=Placement(8, 0, 624, 480, 2808, 2160, 516, 0, 3840, 2160))
    # Shot a's frames are enlarged by the upscale stage (auto: Relume's network) from the 624-pixel window;
    # shot b's reach the retiming at the source's size (the writer's own Lanczos scales them afterwards).
    assert _film_width(shot_spec(project, project.shot("a")), enlarged) == 624
    assert _film_width(shot_spec(project, project.shot("b")), enlarged) is None
    assert _film_width(shot_spec(project, project.shot("a")), StageContext()) is None
