"""A shot's frames at the source rate turned into its frames at the output rate, never across a cut.

Output frames of the shot come from :class:`~engine.interp.timing.Retiming`:
a whole source position is that source frame, copied exactly; a position
between two frames of the shot is invented from those two
(:class:`~engine.interp.inbetween.Inbetweener`), or blended when both lie in a
dissolve or fade (motion means nothing inside a transition: two pictures are
already mixed), or taken from the nearer frame when the shot's interpolation is
off (plain rate conversion: frames repeated or dropped, still in sync).

After the shot's last frame the next picture belongs to another shot, so the
positions there are never warped: ``hold`` repeats the last frame, ``blend``
mixes it with the next shot's first frame by time (a short cross-fade the
restorer chose), or holds when there is no next shot.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from enum import Enum
from fractions import Fraction

import numpy as np
import torch

from engine.interp.inbetween import Inbetweener
from engine.interp.timing import Retiming
from engine.progress import CancelToken


class Boundary(str, Enum):
    """What fills the time between a shot's last frame and the next shot (``interp.boundary``)."""

    HOLD = "hold"
    BLEND = "blend"


def mix(first: np.ndarray, second: np.ndarray, t: Fraction | float) -> np.ndarray:
    """``(1 - t)·first + t·second``, rounded, in the frames' type."""
    t = float(t)
    out = first.astype(np.float32) * (1 - t) + second.astype(np.float32) * t
    return np.rint(out).astype(first.dtype)


def retime_shot(
    frames: Iterable[np.ndarray],
    start: int,
    end: int,
    retiming: Retiming,
    *,
    motion: bool = True,
    boundary: Boundary = Boundary.HOLD,
    following: np.ndarray | None = None,
    transitions: Sequence[tuple[int, int]] = (),
    device: str | torch.device | None = None,
    cancel: CancelToken | None = None,
    regrain: bool = False,
    film_width: int | None = None,
) -> Iterator[np.ndarray]:
    """The output frames of the shot of source frames ``[start, end)``, in order.

    Parameters
    ----------
    frames
        The shot's source frames, in order (``end - start`` of them; fewer end
        the output early, for the caller's frame count to catch).
    start, end
        The shot's source frame range (film frame indices: they fix which output
        frames the shot owns).
    retiming
        Source and output rates.
    motion
        Invent in-between frames by motion (``interp.enabled``); otherwise each
        output frame is the nearer source frame.
    boundary
        What fills the time after the shot's last frame.
    following
        The next shot's first frame as rendered (for ``blend``), or ``None``.
    transitions
        Dissolves and fades ``[first, end)`` (film frame indices) to blend, not warp.
    device
        Torch device for the in-betweens (CUDA when present when ``None``).
    cancel
        Checked between source frames.
    regrain
        Lay new grain on in-betweens of grainy film (``interp.regrain``).
    film_width
        Width of the film's own pictures when ``frames`` are enlarged from them
        (the master's upscale), so that grain is judged at its own size.
    """
    from engine.color.spatial import resolve_device

    wanted = retiming.output_range(start, end)
    maker = Inbetweener(resolve_device(device), regrain=regrain, film_width=film_width) if motion else None
    k = wanted.start
    previous: np.ndarray | None = None
    index = start - 1
    for index, frame in enumerate(frames, start):
        if cancel is not None:
            cancel.raise_if_cancelled()
        if previous is not None:
            times = []
            while k < wanted.stop and retiming.position(k) < index:
                times.append(retiming.position(k) - (index - 1))
                k += 1
            yield from _between(previous, frame, index - 1, times, maker, transitions)
        previous = frame
    if previous is None or index != end - 1:
        return  # the source ran short: the caller counts the frames and says so
    while k < wanted.stop:
        t = retiming.position(k) - (end - 1)
        if t == 0:
            yield previous
        elif boundary == Boundary.BLEND and following is not None:
            yield mix(previous, following, t)
        else:
            yield previous
        k += 1


def _in_transition(first: int, transitions: Sequence[tuple[int, int]]) -> bool:
    """Whether frames ``first`` and ``first + 1`` both lie in one transition."""
    return any(a <= first and first + 1 < b for a, b in transitions)


def _between(
    first: np.ndarray,
    second: np.ndarray,
    index: int,
    times: list[Fraction],
    maker: Inbetweener | None,
    transitions: Sequence[tuple[int, int]],
) -> Iterator[np.ndarray]:
    """The pictures at ``times`` (0 ≤ t < 1) after source frame ``index`` (``first``), before ``second``."""
    if maker is None:
        # Plain rate conversion: the nearer frame (a tie goes to the later one, as rounding does).
        yield from (first if t < Fraction(1, 2) else second for t in times)
        return
    if _in_transition(index, transitions):
        yield from (first if t == 0 else mix(first, second, t) for t in times)
        return
    inner = [float(t) for t in times if t != 0]
    made = iter(maker.pictures(first, second, inner))
    for t in times:
        yield first if t == 0 else next(made)
