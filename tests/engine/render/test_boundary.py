"""A blended shot boundary mixes in the next shot's first frame as that shot's own render makes it."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from engine.color.luma import rgb_to_chroma
from engine.project import Cut, MediaRef, Project, ShotData
from engine.project.hints import Hint
from engine.render.film_export import FilmExport, export_film
from engine.render.pipeline import default_stages
from engine.render.spec import shot_spec
from engine.testing.make_media import make_clip

FRAMES, CUT, KEYFRAME = 12, 6, 9  # the second shot's colour is painted on its fourth frame


def _pictures(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]


def test_the_blend_mixes_in_the_colour_carried_back_from_a_later_keyframe(bikes: Path, tmp_path: Path) -> None:
    film = make_clip(tmp_path / "film.mp4", frames=FRAMES, size=(160, 68), gray=True, from_clip=bikes)
    red = Hint(frame=KEYFRAME, points=((10, 10), (150, 10), (150, 58), (10, 58), (10, 10)), radius=12, color="#c03020")
    project = Project(fps=Fraction(25), frame_count=FRAMES, media=MediaRef.to_file(film),
                      cuts=(Cut(CUT, shot="second"),), opening_shot="first",
                      shot_data={"second": ShotData(hints=(red,))})
    settings = {"export.preset": "ffv1", "interp.enabled": False, "export.fps": Fraction(50), "interp.boundary": "blend"}
    master = _pictures(export_film(project, FilmExport(tmp_path / "50.mkv", settings)).target)
    last, between, first = master[2 * CUT - 2], master[2 * CUT - 1], master[2 * CUT]
    assert rgb_to_chroma(first)[1].mean() > 0.05  # the second shot opens red, carried back from its keyframe
    halfway = (last.astype(np.float64) + first) / 2
    assert np.abs(between - halfway).mean() < 1.5
    # Reading up to the keyframe is what its first frame takes, and no more.
    second = next(s for s in project.shots() if s.start == CUT)
    assert default_stages().lead_in(shot_spec(project, second)) == KEYFRAME - CUT
