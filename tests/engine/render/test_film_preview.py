"""Previews of a project: proxy frames equal the source's, looks follow shots and strokes (one solve per frame
and look, whatever the width), superseded requests are dropped."""

from __future__ import annotations

import threading
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import cv2
import numpy as np
import pytest

import engine.color.frame
from engine.color.luma import integer_luma, rgb_to_chroma
from engine.errors import Cancelled
from engine.progress import CancelToken
from engine.project import Cut, Hint, MediaRef, Project, ShotData
from engine.render.chroma_upsample import guided_upsample
from engine.render.film_preview import RENDER_FACTOR_PX, FilmPreview
from engine.render.preview import PreviewRequest, PreviewResult, PreviewService
from engine.render.proxy import build_proxy, proxy_path
from engine.testing.make_media import make_clip

FRAMES = 30


@pytest.fixture(scope="module")
def film(bikes: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """30 gray frames of bikes at 640×272, long GOP (one keyframe)."""
    folder = tmp_path_factory.mktemp("film")
    return make_clip(folder / "film.mp4", frames=FRAMES, size=(640, 272), gray=True, gop=250, from_clip=bikes)


def _project(film: Path) -> Project:
    hints = (Hint(18, ((100.0, 200.0), (200.0, 210.0)), 6, "#5f7f3a"), Hint(18, ((500.0, 40.0),), 8, "#6f8fb3"))
    return Project(fps=Fraction(25), frame_count=FRAMES, media=MediaRef.to_file(film),
                   cuts=(Cut(15, shot="b"),), opening_shot="a", shot_data={"b": ShotData(hints=hints)})


def _request(frame: int, width: int = 320) -> PreviewRequest:
    return PreviewRequest(1, frame, width, "full", "")


def test_proxy_frames_are_the_source_frames(film: Path, tmp_path: Path) -> None:
    with_proxy = FilmPreview(_project(film), proxy_folder=tmp_path / "proxies", proxy_width=320)
    assert with_proxy.proxy is not None and with_proxy.proxy.wait(60)
    assert with_proxy.proxy.path == proxy_path(film, tmp_path / "proxies", 320)
    assert [p.name for p in (tmp_path / "proxies").iterdir()] == [with_proxy.proxy.path.name]
    direct = FilmPreview(_project(film))
    try:
        for frame in (0, 29, 7, 22, 3):
            a, b = with_proxy.frame(frame, 320), direct.frame(frame, 320)
            assert a.shape == b.shape == (136, 320, 3)
            # JPEG at quality 3 is close; a wrong frame of moving footage is far.
            assert np.abs(a.astype(int) - b.astype(int)).mean() < 2.5
            other = direct.frame((frame + 5) % FRAMES, 320)
            assert np.abs(a.astype(int) - other.astype(int)).mean() > 5
    finally:
        with_proxy.close()
        direct.close()


def test_a_colorized_shot_keeps_its_luma_and_the_other_stays_gray(film: Path) -> None:
    preview = FilmPreview(_project(film), device="cpu")
    try:
        gray = preview(_request(5), CancelToken())
        colored = preview(_request(18), CancelToken())
        source = preview.frame(18, 320)
    finally:
        preview.close()
    assert np.abs(rgb_to_chroma(gray)).max() < 0.02
    chroma = rgb_to_chroma(colored)
    assert np.abs(chroma).mean() > 0.02
    assert np.array_equal(integer_luma(colored), integer_luma(source))
    # The green stroke at (100..200, 200..210) in source pixels is green in the preview.
    cb, cr = chroma[:, 100:106, 50:100].mean(axis=(1, 2))
    assert cb < 0 and cr < 0


def test_a_cancelled_proxy_build_leaves_nothing(film: Path, tmp_path: Path) -> None:
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        build_proxy(film, tmp_path / "p.mkv", cancel=token)
    assert list(tmp_path.iterdir()) == []


def test_spec_key_follows_the_shot(film: Path) -> None:
    preview = FilmPreview(_project(film))
    assert preview.spec_key(3) == preview.spec_key(14) != preview.spec_key(15)


def test_guided_upsampling_puts_chroma_edges_on_luma_edges() -> None:
    luma = np.zeros((64, 64), np.uint8)
    luma[:, 29:] = 200  # an edge at x = 29, off the coarse grid
    chroma = np.zeros((2, 8, 8), np.float32)
    chroma[0, :, 4:] = 0.2
    up = guided_upsample(chroma, luma)
    assert up.shape == (2, 64, 64)
    assert up[0, 32, 26] < 0.05 and up[0, 32, 31] > 0.15


def test_a_draft_and_the_full_picture_share_one_solve_and_a_stroke_solves_anew(
    film: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    solved: list[tuple[int, int]] = []
    solve = engine.color.frame.solve_frame_chroma

    def counting(luma: np.ndarray, *args: object, **kwargs: object) -> object:
        solved.append(luma.shape)
        return solve(luma, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine.color.frame, "solve_frame_chroma", counting)
    project = _project(film)
    preview = FilmPreview(project, device="cpu")
    try:
        draft = preview(_request(18, 320), CancelToken())
        full = preview(_request(18, 640), CancelToken())
        assert solved == [(109, RENDER_FACTOR_PX)]
        # the full picture is the film's own at full width, colored like the draft
        assert full.shape == (272, 640, 3)
        assert np.array_equal(integer_luma(full), integer_luma(preview.frame(18, 640)))
        halved = cv2.resize(full, (320, 136), interpolation=cv2.INTER_AREA)
        assert np.abs(rgb_to_chroma(halved) - rgb_to_chroma(draft)).mean() < 0.005
        # a red stroke on the keyframe: solved anew, and where it is painted the preview is red
        data = project.data("b")
        stroke = Hint(18, ((400.0, 150.0), (460.0, 150.0)), 8, "#c03020")
        project.set_shot_data("b", replace(data, hints=(*data.hints, stroke)))
        painted = preview(_request(18, 640), CancelToken())
        assert len(solved) == 2
        before_cr = rgb_to_chroma(full)[1, 146:155, 405:455].mean()
        cr = rgb_to_chroma(painted)[1, 146:155, 405:455].mean()
        assert cr > 0.05 and cr > before_cr + 0.05
        # strength is applied after the solve; deflicker changes the picture it is solved on
        project.set_shot_data("b", replace(project.data("b"), overrides={"color.strength": 0.5}))
        weaker = preview(_request(18, 640), CancelToken())
        assert len(solved) == 2
        weaker_chroma, painted_chroma = np.abs(rgb_to_chroma(weaker)).mean(), np.abs(rgb_to_chroma(painted)).mean()
        assert 0.4 * painted_chroma < weaker_chroma < 0.6 * painted_chroma
        # a look keeps the luma of the very picture it is given, even of a frame it has colored before
        brighter = np.clip(preview.frame(18, 640).astype(int) + 40, 0, 255).astype(np.uint8)
        assert np.array_equal(integer_luma(preview.look(18, brighter)), integer_luma(brighter))
        project.set_shot_data("b", replace(project.data("b"), overrides={"restore.deflicker.enabled": True}))
        preview(_request(18, 640), CancelToken())
        assert len(solved) == 3
    finally:
        preview.close()


def test_superseded_requests_are_dropped(film: Path) -> None:
    preview = FilmPreview(_project(film))
    delivered: list[PreviewResult] = []
    done = threading.Event()

    def on_result(result: PreviewResult) -> None:
        delivered.append(result)
        done.set()

    service = PreviewService(preview, on_result)
    try:
        ids = [service.request(frame, width=320) for frame in range(0, FRAMES, 3)]
        assert service.wait_until_idle(30)
    finally:
        service.close()
        preview.close()
    assert [r.request.id for r in delivered] == [ids[-1]]
    assert delivered[0].image is not None and delivered[0].request.frame == 27
    assert service.dropped >= len(ids) - 2
