"""Write the bundled sample project ``sample.relume`` beside ``sample.mp4``.

The cut list is the true edit of the sample (see ``make_sample.py``); the hints
are what a restorer would paint on one keyframe per shot, using three pinned
colors shared across shots. Rebuild with:

    .venv/bin/python resources/sample/make_project.py
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

from engine.project import ColorPin, Cut, Hint, MediaRef, Project, ShotData, Transition, save_project

HERE = Path(__file__).parent
FRAMES = 204
FPS = Fraction(25)

PINS = (
    ColorPin("uniform", "#2b3a55", id="pin-uniform"),
    ColorPin("grass", "#5f7f3a", id="pin-grass"),
    ColorPin("brick", "#8b5a4a", id="pin-brick"),
)

# (shot id, first frame, keyframe, strokes: (points, radius, color or pin id))
SHOTS = [
    ("shot-street-night", 0, 2, [
        ([(190, 230), (200, 300), (215, 380)], 9, "pin-uniform"),
        ([(40, 90), (70, 120)], 6, "#c9a36b"),
        ([(560, 420), (600, 440)], 6, "#5a4a3c"),
    ]),
    ("shot-bunny", 40, 60, [
        ([(60, 420), (200, 440), (320, 430)], 8, "pin-grass"),
        ([(230, 170), (270, 200)], 9, "#9a8a78"),
        ([(560, 40), (600, 80)], 6, "#3d5a3a"),
    ]),
    ("shot-street-day", 98, 105, [
        ([(250, 430), (380, 440)], 8, "#7a7268"),
        ([(480, 120), (540, 160)], 8, "pin-brick"),
    ]),
    ("shot-bicycle", 152, 165, [
        ([(120, 430), (260, 440)], 8, "#77706a"),
        ([(560, 260), (580, 330)], 7, "pin-uniform"),
    ]),
]


def build(target: Path = HERE / "sample.relume") -> Path:
    """Write the sample project and return its path."""
    media = MediaRef.to_file(HERE / "sample.mp4", frame_count=FRAMES, fps=FPS, width=640, height=480)
    cuts = tuple(Cut(first, 1.0, "manual", shot_id) for shot_id, first, _, _ in SHOTS[1:])
    shot_data = {}
    for shot_id, _, key, strokes in SHOTS:
        hints = tuple(
            Hint(key, tuple((float(x), float(y)) for x, y in points), float(radius),
                 color=None if paint.startswith("pin-") else paint,
                 pin=paint if paint.startswith("pin-") else None,
                 id=f"{shot_id}-{n}")
            for n, (points, radius, paint) in enumerate(strokes, 1)
        )
        shot_data[shot_id] = ShotData(hints=hints)
    project = Project(
        fps=FPS,
        frame_count=FRAMES,
        media=media,
        cuts=cuts,
        opening_shot=SHOTS[0][0],
        transitions=(Transition(34, 46, "dissolve"), Transition(146, 158, "fade")),
        pins=PINS,
        shot_data=shot_data,
    )
    save_project(project, target)
    # The sample travels inside the package with its media beside it: the
    # builder's absolute path would only name a folder on the builder's disk.
    data = json.loads(target.read_text(encoding="utf-8"))
    data["media"].pop("absolute", None)
    target.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    target.with_name(target.name + ".bak").unlink(missing_ok=True)
    return target


if __name__ == "__main__":
    print(build())
