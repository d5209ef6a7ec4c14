"""``relume export MEDIA --hints …``: a bare media file is cut into shots first, so colour never crosses a cut."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from engine.cli import main
from engine.testing.make_media import clip_pictures

SIZE = (160, 120)
SHOT = 14  # frames of each of the two shots


@pytest.fixture(scope="module")
def film(bikes: Path, carphone: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two real shots (bikes, then carphone) joined by a hard cut at frame 14, gray, H.264."""
    pictures = clip_pictures(bikes, SIZE, gray=True)[:SHOT] + clip_pictures(carphone, SIZE, gray=True)[:SHOT]
    path = tmp_path_factory.mktemp("film") / "reel.mp4"
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=25, options={"crf": "12", "preset": "veryfast"})
        stream.width, stream.height, stream.pix_fmt = *SIZE, "yuv420p"
        for index, rgb in enumerate(pictures):
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb[..., 0]), format="gray").reformat(
                format="yuv420p")
            frame.pts, frame.time_base = index, Fraction(1, 25)
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    return path


@pytest.fixture(scope="module")
def hints(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Red strokes all over the first frame."""
    strokes = [{"frame": 0, "points": [[10, y], [150, y]], "radius": 4, "color": "#c03020"} for y in range(10, 120, 20)]
    path = tmp_path_factory.mktemp("hints") / "hints.json"
    path.write_text(json.dumps({"hints": strokes}))
    return path


def _chroma_per_frame(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        rgb = np.stack([f.to_ndarray(format="rgb24") for f in container.decode(video=0)]).astype(np.int16)
    return np.abs(rgb - rgb.mean(axis=3, keepdims=True)).mean(axis=(1, 2, 3))


def _export(film: Path, hints: Path, target: Path, *flags: str) -> np.ndarray:
    assert main(["export", str(film), "--out", str(target), "--preset", "ffv1", "--hints", str(hints), *flags]) == 0
    return _chroma_per_frame(target)


def test_colour_from_the_first_shot_stops_at_the_detected_cut(film: Path, hints: Path, tmp_path: Path) -> None:
    chroma = _export(film, hints, tmp_path / "detected.mkv")
    assert len(chroma) == 2 * SHOT
    assert chroma[:SHOT].min() > 8  # the painted shot is red throughout
    assert chroma[SHOT:].max() < 1  # the next shot has no hints: it stays gray
    # The whole file taken as one shot (--cuts none) carries the red across the cut.
    whole = _export(film, hints, tmp_path / "whole.mkv", "--cuts", "none")
    assert whole[SHOT:].mean() > 4


def test_a_cut_list_file_gives_the_shots(film: Path, hints: Path, tmp_path: Path) -> None:
    edl = tmp_path / "reel.edl"
    assert main(["cuts", str(film), "--edl", str(edl)]) == 0
    chroma = _export(film, hints, tmp_path / "edl.mkv", "--cuts", str(edl))
    assert chroma[:SHOT].min() > 8 and chroma[SHOT:].max() < 1


@pytest.mark.parametrize("name", ["cuts.txt", "missing.edl", "other.edl"])
def test_a_bad_cut_list_is_one_line_and_exit_2(film: Path, hints: Path, tmp_path: Path, capsys, name: str) -> None:
    cuts = tmp_path / name
    if name.endswith(".txt"):
        cuts.write_text("0 14 28\n")
    if name == "other.edl":  # another film's cut list: 20 frames long
        from engine.cuts.cutlist import CutList
        from engine.cuts.edl import write_edl

        write_edl(CutList(fps=Fraction(25), frames=20), cuts)
    target = tmp_path / "never.mkv"
    assert main(["export", str(film), "--out", str(target), "--hints", str(hints), "--cuts", str(cuts)]) == 2
    err = capsys.readouterr().err.strip()
    assert str(cuts) in err and "\n" not in err
    assert not target.exists()
