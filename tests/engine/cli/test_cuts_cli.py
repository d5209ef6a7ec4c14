"""``relume cuts``: JSON contract, exports, and bad input."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from engine.cli import main
from engine.cuts.edl import read_edl
from engine.cuts.otio_exchange import read_otio
from engine.testing.oldfilm import OldFilm
from engine.testing.splice import Join, Shot, assemble_film, film_truth, real_clips, write_film


@pytest.fixture(scope="module")
def worn_film(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[int]]:
    bunny, bikes, carphone = (c.path for c in real_clips())
    shots = [Shot(carphone, 0, 30), Shot(bikes, 80, 40), Shot(bunny, 20, 40)]
    joins = [Join("cut"), Join("dissolve", 12)]
    truth = film_truth(shots, joins, Fraction(25))
    frames = OldFilm(2).stream(assemble_film(shots, joins, (176, 144)))
    path = write_film(frames, tmp_path_factory.mktemp("cli") / "worn film.mkv", Fraction(25))
    return path, list(truth.cuts)


def test_json_shape(worn_film: tuple[Path, list[int]], capsys: pytest.CaptureFixture[str]) -> None:
    path, cuts = worn_film
    assert main(["cuts", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"fps", "frames", "cuts", "transitions"}
    assert data["fps"] == "25/1" and data["frames"] == 98
    assert len(data["cuts"]) == 2 and data["cuts"][0] == cuts[0]
    assert abs(data["cuts"][1] - cuts[1]) <= 2
    (transition,) = data["transitions"]
    assert set(transition) == {"start", "end", "kind"} and transition["kind"] == "dissolve"
    assert transition["start"] <= data["cuts"][1] <= transition["end"]


def test_listing_and_exports(worn_film: tuple[Path, list[int]], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, _ = worn_film
    edl, timeline = tmp_path / "film.edl", tmp_path / "film.otio"
    assert main(["cuts", str(path), "--edl", str(edl), "--otio", str(timeline)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("3 shots in 98 frames at 25 fps")
    assert "dissolve" in out
    from_edl, from_otio = read_edl(edl, Fraction(25)), read_otio(timeline)
    assert from_edl.cut_frames == from_otio.cut_frames
    assert from_otio.transitions[0].kind == "dissolve"
    assert "FROM CLIP NAME: worn film.mkv" in edl.read_text()


def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, worn_film: tuple[Path, list[int]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["cuts", str(tmp_path / "missing.mov")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "missing.mov" in err
    corrupt = tmp_path / "corrupt.mov"
    corrupt.write_bytes(worn_film[0].read_bytes()[:300])
    assert main(["cuts", str(corrupt), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1 and "corrupt.mov" in captured.err
    assert main(["cuts", str(worn_film[0]), "--edl", str(tmp_path / "no" / "film.edl")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["cuts", str(worn_film[0]), "--sensitivity", "3"]) == 2
    assert "--sensitivity" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corrupt.mov"]
