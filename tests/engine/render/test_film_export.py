"""Exporting a project: per-shot looks, segments, resume after SIGKILL, cancel."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from engine.errors import Cancelled, OutputError, SettingsError
from engine.progress import CancelToken, Progress
from engine.project import Cut, MediaRef, Project, ShotData, load_project, save_project
from engine.render.film_export import FilmExport, export_film
from engine.render.pipeline import StageRegistry
from engine.render.segments import parts_folder
from engine.testing.make_media import make_clip

FRAMES = 36
CUTS = (12, 24)
SIZE = (192, 108)


@pytest.fixture(scope="module")
def film(bikes: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """36 real frames of bikes, gray, as an archive's H.264 transfer with sound."""
    folder = tmp_path_factory.mktemp("film")
    return make_clip(folder / "film.mp4", frames=FRAMES, size=SIZE, gray=True, audio=True, from_clip=bikes)


def _project(film: Path, middle: dict[str, object] | None = None) -> Project:
    return Project(
        fps=Fraction(25),
        frame_count=FRAMES,
        media=MediaRef.to_file(film),
        cuts=(Cut(CUTS[0], shot="middle"), Cut(CUTS[1], shot="last")),
        opening_shot="first",
        shot_data={"middle": ShotData(overrides=middle or {})},
    )


def _pictures(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        return np.stack([f.to_ndarray(format="rgb48le") for f in container.decode(video=0)])


def _ffv1(target: Path, **kwargs: object) -> FilmExport:
    return FilmExport(target, {"export.preset": "ffv1"}, **kwargs)  # type: ignore[arg-type]


def test_an_override_on_one_shot_changes_only_that_shot(film: Path, tmp_path: Path) -> None:
    plain = export_film(_project(film), _ffv1(tmp_path / "plain.mkv"))
    # A lift of the exposure on every other frame is what deflicker is there to remove.
    flickered = export_film(_project(film, {"restore.deflicker.enabled": True, "restore.deflicker.window": 5}),
                            _ffv1(tmp_path / "deflickered.mkv"))
    a, b = _pictures(plain.target), _pictures(flickered.target)
    assert a.shape == b.shape == (FRAMES, SIZE[1], SIZE[0], 3)
    assert np.array_equal(a[: CUTS[0]], b[: CUTS[0]])
    assert np.array_equal(a[CUTS[1] :], b[CUTS[1] :])
    assert not np.array_equal(a[CUTS[0] : CUTS[1]], b[CUTS[0] : CUTS[1]])
    # The master carries the source's sound and nothing is left beside it.
    with av.open(str(plain.target)) as container:
        assert len(container.streams.audio) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deflickered.mkv", "plain.mkv"]


def test_export_overrides_win_over_shot_overrides(film: Path, tmp_path: Path) -> None:
    project = _project(film, {"restore.deflicker.enabled": True})
    off = export_film(project, FilmExport(tmp_path / "off.mkv", {"export.preset": "ffv1",
                                                                "restore.deflicker.enabled": False}))
    plain = export_film(_project(film), _ffv1(tmp_path / "plain.mkv"))
    assert np.array_equal(_pictures(off.target), _pictures(plain.target))


def test_a_stage_this_build_lacks_is_refused_before_any_work(film: Path, tmp_path: Path) -> None:
    # A build (or a plug-in registry) without a dust stage.
    with pytest.raises(SettingsError, match="restore.dust.enabled.*shot 2"):
        export_film(_project(film, {"restore.dust.enabled": True}), _ffv1(tmp_path / "m.mkv"), stages=StageRegistry())
    assert list(tmp_path.iterdir()) == []


def test_cancel_returns_promptly_and_leaves_nothing(film: Path, tmp_path: Path) -> None:
    cancel = CancelToken()
    seen: list[float] = []

    def progress(report: Progress) -> None:
        if report.stage == "rendering" and report.done > 0 and not seen:
            seen.append(time.perf_counter())
            cancel.cancel()

    with pytest.raises(Cancelled):
        export_film(_project(film), FilmExport(tmp_path / "m.mov", {"export.size": "hd"}), progress, cancel)
    assert seen and time.perf_counter() - seen[0] < 2.0
    assert list(tmp_path.iterdir()) == []


def test_pause_keeps_finished_shots_and_resume_equals_an_uninterrupted_export(
    film: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from engine.render.segments import SegmentStore

    pause = CancelToken()
    finish = SegmentStore.finish

    def finish_then_pause(store: SegmentStore, segment, temporary: Path, frames: int) -> None:  # type: ignore[no-untyped-def]
        finish(store, segment, temporary, frames)
        pause.pause()  # the restorer presses pause as the first shot is done

    monkeypatch.setattr(SegmentStore, "finish", finish_then_pause)
    target = tmp_path / "paused" / "m.mkv"
    target.parent.mkdir()
    with pytest.raises(Cancelled):
        export_film(_project(film), _ffv1(target), cancel=pause)
    monkeypatch.undo()
    assert not target.exists()
    assert [p.name for p in parts_folder(target).glob("seg-*.json")] == ["seg-00000.json"]
    reports: list[Progress] = []
    export_film(_project(film), _ffv1(target, resume=True), reports.append)
    assert [r for r in reports if r.stage == "rendering"][-1].total == FRAMES - CUTS[0]
    straight = export_film(_project(film), _ffv1(tmp_path / "straight.mkv"))
    assert np.array_equal(_pictures(target), _pictures(straight.target))
    assert not parts_folder(target).exists()


def test_leftover_segments_need_resume_and_the_same_deliverable(film: Path, tmp_path: Path) -> None:
    target = tmp_path / "m.mkv"
    parts_folder(target).mkdir()
    (parts_folder(target) / "job.json").write_text('{"preset": "dpx"}')
    with pytest.raises(OutputError, match="--resume"):
        export_film(_project(film), _ffv1(target))
    with pytest.raises(OutputError, match="another source, format or size"):
        export_film(_project(film), _ffv1(target, resume=True))
    assert not target.exists()
    # Killed before it named its job: the folder holds nothing trusted, and resuming starts afresh.
    (parts_folder(target) / "job.json").unlink()
    export_film(_project(film), _ffv1(target, resume=True))
    assert [p.name for p in tmp_path.iterdir()] == ["m.mkv"]


def _run_export(project: Path, target: Path, *extra: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "engine.cli", "export", str(project), "--out", str(target),
               "--preset", "ffv1", "--size", "hd", "--set", "restore.deflicker.enabled=true", *extra]
    return subprocess.Popen(command, stderr=subprocess.PIPE, text=True)


def test_sigkill_then_resume_equals_an_uninterrupted_export(film: Path, tmp_path: Path) -> None:
    project = tmp_path / "reel.relume"
    save_project(_project(film), project)
    killed = tmp_path / "killed"
    killed.mkdir()
    target = killed / "master.mkv"
    process = _run_export(project, target)
    parts = parts_folder(target)
    deadline = time.monotonic() + 90
    while not (parts.is_dir() and any(parts.glob("seg-*.json"))):
        assert process.poll() is None, process.communicate()[1]
        assert time.monotonic() < deadline, "no segment was finished in time"
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert not target.exists()
    finished = sorted(p.name for p in parts.glob("seg-*.json"))
    assert 1 <= len(finished) < 3

    done_frames = len(finished) * CUTS[0]  # every shot is 12 frames
    reports: list[Progress] = []
    overrides = {"export.preset": "ffv1", "export.size": "hd", "restore.deflicker.enabled": True}
    export_film(load_project(project), FilmExport(target, overrides, resume=True), reports.append)
    rendering = [r for r in reports if r.stage == "rendering"]
    assert rendering[-1].total == rendering[-1].done == FRAMES - done_frames  # finished segments were skipped
    assert not parts.exists()
    assert [p.name for p in killed.iterdir()] == ["master.mkv"]

    whole = tmp_path / "whole"
    whole.mkdir()
    straight = _run_export(project, whole / "master.mkv")
    assert straight.wait(timeout=120) == 0
    assert np.array_equal(_pictures(target), _pictures(whole / "master.mkv"))
    assert os.path.getsize(target) == os.path.getsize(whole / "master.mkv")


def test_joined_master_keeps_rate_timecode_and_every_frame(bikes: Path, tmp_path: Path) -> None:
    from engine.media.probe import probe

    source = make_clip(tmp_path / "reel.mov", frames=10, size=(160, 120), codec="prores_ks",
                       timecode="01:00:00:00", from_clip=bikes, fps=Fraction(24000, 1001))
    project = Project(fps=Fraction(24000, 1001), frame_count=10, media=MediaRef.to_file(source),
                      cuts=(Cut(4, shot="b"),), opening_shot="a")
    result = export_film(project, FilmExport(tmp_path / "master.mov"))
    info = probe(result.target)
    assert (info.frame_count, info.fps, info.start_timecode) == (10, Fraction(24000, 1001), "01:00:00:00")
    assert info.codec == "prores"


@pytest.mark.parametrize("preset, name", [("dpx", "reel"), ("h264", "review.mp4")])
def test_sequences_and_review_copies_join_too(preset: str, name: str, film: Path, tmp_path: Path) -> None:
    """A sequence is joined by renumbering frame files; a long-GOP copy by one encode of lossless chunks."""
    result = export_film(_project(film), FilmExport(tmp_path / name, {"export.preset": preset}))
    assert result.facts.frame_count == FRAMES
    if preset == "dpx":
        frames = sorted(p.name for p in result.target.iterdir())
        assert frames[0] == "reel.000000.dpx" and frames[-1] == f"reel.{FRAMES - 1:06d}.dpx"
        assert [s.name for s in result.sidecars] == ["reel.wav"]
    else:
        with av.open(str(result.target)) as container:
            assert container.streams.video[0].codec_context.name == "h264"
            assert len(container.streams.audio) == 1
    assert not any(".relume-" in p.name for p in tmp_path.iterdir())
