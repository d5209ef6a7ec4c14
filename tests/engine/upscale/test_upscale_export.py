"""``relume export --upscaler``: the picture's size, the default when it grows, per-shot choice, refusals."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from engine.cli import main
from engine.project import Cut, MediaRef, Project, ShotData
from engine.render.film_export import FilmExport, export_film
from engine.testing.make_media import make_clip

FRAMES = 6
CUT = 3


@pytest.fixture(scope="module")
def film(bikes: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six real frames (bikes), small, gray, as an archive's transfer."""
    return make_clip(tmp_path_factory.mktemp("film") / "film.mp4", frames=FRAMES, size=(160, 68), gray=True,
                     from_clip=bikes)


def _pictures(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        return np.stack([f.to_ndarray(format="rgb24") for f in container.decode(video=0)])


def _export(film: Path, target: Path, *flags: str) -> np.ndarray:
    assert main(["export", str(film), "--out", str(target), "--preset", "ffv1", "--size", "hd", *flags]) == 0
    return _pictures(target)


def test_the_network_is_the_default_when_the_picture_grows(film: Path, tmp_path: Path) -> None:
    lanczos = _export(film, tmp_path / "lanczos.mkv", "--upscaler", "lanczos")
    relume = _export(film, tmp_path / "relume.mkv", "--upscaler", "relume")
    default = _export(film, tmp_path / "default.mkv")
    assert lanczos.shape == relume.shape == (FRAMES, 1080, 1920, 3)
    # 160×68 padded into HD: a 1920×816 picture between black bars.
    assert relume[:, :100].max() <= 2 and relume[:, -100:].max() <= 2 and relume[:, 140:940].mean() > 20
    assert np.array_equal(default, relume)
    difference = np.abs(relume.astype(np.int16) - lanczos.astype(np.int16))[:, 140:940]
    assert 0.5 < difference.mean() < 20  # another enlargement of the same picture
    # A gray film stays gray (up to the master's Y'CbCr rounding).
    assert np.abs(relume.astype(np.int16) - relume[..., 1:2]).max() <= 2


def test_a_shot_can_keep_lanczos(film: Path, tmp_path: Path) -> None:
    def project(override: dict[str, object]) -> Project:
        return Project(fps=Fraction(25), frame_count=FRAMES, media=MediaRef.to_file(film),
                       cuts=(Cut(CUT, shot="second"),), opening_shot="first",
                       shot_data={"second": ShotData(overrides=override)})  # type: ignore[arg-type]

    size = {"export.preset": "ffv1", "export.size": "640x272"}
    lanczos = export_film(project({}), FilmExport(tmp_path / "l.mkv", {**size, "upscale.upscaler": "lanczos"}))
    mixed = export_film(project({"upscale.upscaler": "lanczos"}), FilmExport(tmp_path / "m.mkv", size))
    a, b = _pictures(lanczos.target), _pictures(mixed.target)
    assert a.shape == b.shape == (FRAMES, 272, 640, 3)
    assert not np.array_equal(a[:CUT], b[:CUT])  # the first shot: the network (auto, enlarged)
    assert np.array_equal(a[CUT:], b[CUT:])  # the second shot kept the writer's Lanczos


@pytest.mark.parametrize("name, words", [("lanczoss", ["upscale.upscaler", "lanczoss"]),
                                         ("sharp.safetensors", ["upscale.upscaler", "sharp.safetensors"])])
def test_a_bad_upscaler_is_one_line_and_exit_2(film: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               name: str, words: list[str]) -> None:
    code = main(["export", str(film), "--out", str(tmp_path / "m.mov"), "--size", "hd", "--upscaler", name])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("relume: ") and "Traceback" not in err, err
    assert all(word in err for word in words), err
    assert list(tmp_path.iterdir()) == []
