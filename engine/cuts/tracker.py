"""The streaming core of shot detection: frame features in, cuts and transitions out.

Three tests run side by side over a short sliding window of frame features:

* **Hard cut** at ``t``: the frames either side are unlike each other (the
  *closest* pair across the boundary among ``t−2, t−1`` × ``t, t+1`` is still far
  apart) while each side is like itself. Taking the closest pair makes a single
  odd frame — a flash, a splice-damaged frame, a dusty frame — unable to make a
  cut on its own, and discounting each side's own change keeps fast motion and
  pans (which change every frame, not once) from looking like cuts. Picture
  structure is the main cue; the level histogram, blind to motion, backs it up
  for cuts into blurred whip pans.
* **Dissolve** around ``t``: the frame is a mix of the pictures ``h`` frames before
  and after it (three-frame averages, against grain) that neither explains alone,
  for some ``h`` in :data:`DISSOLVE_HALF_WIDTHS`, with no hard cut in between, and
  the weight of the outgoing picture falls frame after frame through the run.
* **Fade** through black: the mean level falls to a fraction of the shot's level
  and comes back, ramping down and up over several frames.

PySceneDetect's detectors threshold one frame-to-frame score, which flicker,
grain and dissolves all defeat (see ``benchmarks/cuts.py``); hence this core.
Memory is a window of 2 × :data:`LOOKAHEAD` + 4 frames' features (a few kilobytes
each) plus the events found so far.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from engine.cuts.cutlist import Cut, Transition
from engine.cuts.features import FrameFeatures, difference, histogram_difference, mix_evidence

# Half-widths tried for dissolves: together they cover 6- to ~24-frame dissolves.
DISSOLVE_HALF_WIDTHS = (4, 7, 10)
LOOKAHEAD = max(DISSOLVE_HALF_WIDTHS) + 4
# Histogram differences run smaller than structural ones for the same change.
HISTOGRAM_WEIGHT = 1.5
# Least structural cross-boundary difference for the histogram cue to count.
HISTOGRAM_NEEDS_CHANGE = 0.3
# Through a dissolve the weight of the outgoing shot must fall, frame after frame
# (by 1/(n+1) for n frames); motion that merely resembles a mix does not trend.
MIN_MIX_PROGRESS = -0.03
# A frame is "dark" (inside a fade) below this share of the shot's level.
FADE_DARK_SHARE = 0.35
# A fade's ramp counts from this share of the shot's level (flicker stays within it).
FADE_RAMP_SHARE = 0.85


DEFAULT_MIN_SHOT_FRAMES = 6
DEFAULT_SENSITIVITY = 0.5


@dataclass(frozen=True, slots=True)
class DetectionSettings:
    """What the restorer can tune.

    Attributes
    ----------
    min_shot_frames
        No shot is shorter than this; of two cuts closer together, the surer one
        stays. Six frames (a quarter second at 24 fps) keeps the fastest montage
        of the silent era while a splice-damaged frame or two can never make a shot.
    sensitivity
        0–1; higher finds more (weaker) cuts and transitions, lower fewer.
    """

    min_shot_frames: int = DEFAULT_MIN_SHOT_FRAMES
    sensitivity: float = DEFAULT_SENSITIVITY

    def __post_init__(self) -> None:
        if self.min_shot_frames < 1:
            raise ValueError(f"the shortest shot must be at least 1 frame, not {self.min_shot_frames}")
        if not 0.0 <= self.sensitivity <= 1.0:
            raise ValueError(f"sensitivity is between 0 and 1, not {self.sensitivity}")

    @property
    def _scale(self) -> float:
        return max(0.1, 2.0 * (1.0 - self.sensitivity))

    @property
    def cut_threshold(self) -> float:
        """Least hard-cut score (cross-boundary minus within-shot difference)."""
        return 0.15 * self._scale

    @property
    def dissolve_threshold(self) -> float:
        """Least dissolve evidence (variance explained by the mix beyond either shot)."""
        return 0.18 * self._scale


@dataclass(slots=True)
class _Run:
    start: int
    end: int
    peak: float
    peak_frame: int
    weights: list[float]


class ShotChangeTracker:
    """Finds cuts, dissolves and fades in a stream of :class:`FrameFeatures`.

    Feed frames in order with :meth:`push`, then call :meth:`finish`.
    """

    def __init__(self, settings: DetectionSettings = DetectionSettings()) -> None:
        self.settings = settings
        self.frames = 0
        self._window: deque[FrameFeatures] = deque(maxlen=2 * LOOKAHEAD + 4)
        self._pairs: dict[tuple[int, int], tuple[float, float]] = {}
        self._means: dict[int, np.ndarray] = {}
        self._hard: list[Cut] = []
        self._dissolves: list[tuple[Transition, Cut]] = []
        self._fades: list[tuple[Transition, Cut]] = []
        self._run: _Run | None = None
        self._levels: deque[tuple[int, float]] = deque(maxlen=32)
        self._dark: list[tuple[int, float]] = []
        self._reference = 0.0
        self._next_hard = 1
        self._next_mix = 0

    # -- feeding ---------------------------------------------------------
    def push(self, features: FrameFeatures) -> None:
        """Take the next frame's features."""
        self._window.append(features)
        self.frames += 1
        self._follow_level(self.frames - 1, features.level)
        while self._next_hard <= self.frames - 3:
            self._test_hard(self._next_hard)
            self._next_hard += 1
        while self._next_mix <= self.frames - LOOKAHEAD:
            self._test_mix(self._next_mix)
            self._next_mix += 1
        oldest = self.frames - len(self._window)
        if len(self._pairs) > 64:
            self._pairs = {k: v for k, v in self._pairs.items() if k[0] >= oldest}
            self._means = {k: v for k, v in self._means.items() if k > oldest}

    def finish(self) -> tuple[list[Cut], list[Transition]]:
        """Test the last frames and settle everything: all cuts, and the transitions."""
        while self._next_hard < self.frames:
            self._test_hard(self._next_hard)
            self._next_hard += 1
        self._close_run()
        self._close_fade(self.frames)
        return self._settle()

    # -- window access ---------------------------------------------------
    def _at(self, frame: int) -> FrameFeatures | None:
        offset = frame - (self.frames - len(self._window))
        return self._window[offset] if 0 <= offset < len(self._window) and frame >= 0 else None

    def _difference(self, a: int, b: int, cue: int) -> float | None:
        key = (a, b)
        if key not in self._pairs:
            fa, fb = self._at(a), self._at(b)
            if fa is None or fb is None:
                return None
            self._pairs[key] = (1.0 - float(fa.unit @ fb.unit), histogram_difference(fa.histogram, fb.histogram))
        return self._pairs[key][cue]

    def _coarse_mean(self, centre: int) -> np.ndarray | None:
        """The coarse picture averaged over ``centre`` and its two neighbours (grain averages out)."""
        if centre not in self._means:
            pictures = [self._at(i) for i in (centre - 1, centre, centre + 1)]
            if any(p is None for p in pictures):
                return None
            self._means[centre] = (pictures[0].coarse + pictures[1].coarse + pictures[2].coarse) / 3.0
        return self._means[centre]

    # -- hard cuts -------------------------------------------------------
    def hard_score(self, t: int) -> float:
        """Cut evidence between frames ``t − 1`` and ``t`` (needs ``t − 3 .. t + 2`` in the window).

        The larger of two cues: picture structure (which grain and flicker do not
        move) and the level histogram (which motion does not move), each as the
        closest cross-boundary difference less the mean of each side's own change.
        """
        cross, structure = self._cue_score(t, 0)
        if cross < HISTOGRAM_NEEDS_CHANGE:
            # A moving object can shift the level histogram of one shot; only
            # when the picture really changed too does the histogram get a say.
            return structure
        return max(structure, HISTOGRAM_WEIGHT * self._cue_score(t, 1)[1])

    def _cue_score(self, t: int, cue: int) -> tuple[float, float]:
        """The closest cross-boundary difference, and it less the sides' own change."""
        cross = [self._difference(a, b, cue) for a in (t - 2, t - 1) for b in (t, t + 1)]
        cross = [d for d in cross if d is not None]
        if not cross:
            return 0.0, 0.0
        # Each side's own change (motion, weave) is discounted; averaging the two
        # sides lets a cut into a whip pan count while a steady pan cannot.
        sides = []
        for pairs in ((t - 3, t - 2), (t, t + 1)):
            steps = [self._difference(a, a + 1, cue) for a in pairs]
            steps = [d for d in steps if d is not None]
            sides.append(max(steps) if steps else 0.0)
        return min(cross), min(cross) - 0.5 * (sides[0] + sides[1])

    def _test_hard(self, t: int) -> None:
        score = self.hard_score(t)
        threshold = self.settings.cut_threshold
        if score > threshold:
            self._hard.append(Cut(t, score / (score + threshold)))

    # -- dissolves -------------------------------------------------------
    def _test_mix(self, t: int) -> None:
        best, best_weight = 0.0, 0.5
        middle = self._coarse_mean(t)
        for h in DISSOLVE_HALF_WIDTHS:
            before, after = self._coarse_mean(t - h), self._coarse_mean(t + h)
            # A hard cut inside the window explains the change better than any mix.
            if middle is None or before is None or after is None:
                continue
            if any(t - h - 1 <= c.frame <= t + h + 1 for c in self._hard[-4:]):
                continue
            gain, weight = mix_evidence(middle, before, after)
            if 0.1 < weight < 0.9:
                evidence = gain * min(1.0, difference(before, after))
                if evidence > best:
                    best, best_weight = evidence, weight
        low = 0.5 * self.settings.dissolve_threshold
        if best > low:
            if self._run is None:
                self._run = _Run(t, t, best, t, [best_weight])
            else:
                self._run.end = t
                self._run.weights.append(best_weight)
                if best > self._run.peak:
                    self._run.peak, self._run.peak_frame = best, t
        else:
            self._close_run()

    def _close_run(self) -> None:
        run, self._run = self._run, None
        threshold = self.settings.dissolve_threshold
        if run is None or run.peak <= threshold or _trend(run.weights) > MIN_MIX_PROGRESS:
            return
        # The evidence is strongest in the middle of a dissolve and fades out
        # toward its ends, where one shot dominates: widen the run by a little.
        start, end = max(0, run.start - 2), run.end + 2
        confidence = run.peak / (run.peak + threshold)
        # As in an edit list, the shot changes halfway through: the first frame mostly of the new shot.
        self._dissolves.append((Transition(start, end, "dissolve", confidence), Cut((start + end + 1) // 2, confidence)))

    # -- fades -----------------------------------------------------------
    def _follow_level(self, frame: int, level: float) -> None:
        if self._reference <= 0 and not self._dark:
            self._reference = level
        dark = level < FADE_DARK_SHARE * self._reference
        if dark:
            self._dark.append((frame, level))
        else:
            if self._dark:
                self._close_fade(frame)
            self._levels.append((frame, level))
            shot_levels = [v for _, v in self._levels]
            self._reference = float(np.median(shot_levels[-24:]))

    def _close_fade(self, stop: int) -> None:
        dark, self._dark = self._dark, []
        if not dark:
            return
        first, last = dark[0][0], dark[-1][0]
        ramp = FADE_RAMP_SHARE * self._reference
        start = first
        for frame, level in reversed(self._levels):
            if frame != start - 1 or level >= ramp:
                break
            start = frame
        # The fade-in ramp is judged after the fact in :meth:`_settle`, from the hard
        # and dissolve tests' silence; here the dark run plus its ramp-down is enough,
        # widened symmetrically.
        end = last + (first - start)
        if end - start + 1 < 3:
            return
        depth = min(level for _, level in dark) / max(self._reference, 1e-6)
        confidence = float(np.clip(1.0 - depth, 0.0, 1.0))
        cut = first + (last - first + 1) // 2
        self._fades.append((Transition(start, min(end, max(stop - 1, last)), "fade", confidence), Cut(cut, confidence)))

    # -- settling --------------------------------------------------------
    def _settle(self) -> tuple[list[Cut], list[Transition]]:
        events: list[tuple[Cut, Transition | None]] = [(c, t) for t, c in self._fades]
        for transition, cut in self._dissolves:
            if not any(_near(transition, f, 2) for f, _ in self._fades):
                events.append((cut, transition))
        gradual = [t for _, t in events if t is not None]
        for cut in self._hard:
            if not any(t.start - 1 <= cut.frame <= t.end + 1 for t in gradual):
                events.append((cut, None))
        events.sort(key=lambda e: e[0].frame)
        kept: list[tuple[Cut, Transition | None]] = []
        for event in events:
            if kept and event[0].frame - kept[-1][0].frame < self.settings.min_shot_frames:
                if event[0].confidence > kept[-1][0].confidence:
                    kept[-1] = event
                continue
            kept.append(event)
        cuts = [c for c, _ in kept if 0 < c.frame < self.frames]
        return cuts, [t for c, t in kept if t is not None and 0 < c.frame < self.frames]


def _trend(values: list[float]) -> float:
    """Least-squares slope of ``values`` per frame (0 for fewer than two)."""
    if len(values) < 2:
        return 0.0
    x = np.arange(len(values), dtype=np.float64)
    return float(np.polyfit(x, np.asarray(values, dtype=np.float64), 1)[0])


def _near(a: Transition, b: Transition, frames: int) -> bool:
    return a.start <= b.end + frames and b.start <= a.end + frames
