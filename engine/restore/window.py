"""A shot's frames each with its neighbours: the sliding window the temporal repairs read.

Dust repair and denoising make each frame from the frames around it in the
same shot, so the stream and a preview of one frame must hand them the same
neighbours. :func:`neighbourhoods` is that stream: it holds ``2 · reach + 1``
frames, never the shot, and gives fewer neighbours at the shot's ends, never
any from past them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from typing import TypeVar

from engine.progress import CancelToken

# What the window holds: a frame, or a frame with what a repair measured on it once.
Item = TypeVar("Item")


def neighbourhoods(
    frames: Iterable[Item], reach: int, cancel: CancelToken | None = None
) -> Iterator[tuple[list[Item], Item, list[Item]]]:
    """Each frame of a shot, in order, with up to ``reach`` frames before and after it.

    Yields
    ------
    tuple
        ``(before, frame, after)``: the frames before in film order (the nearest
        last), the frame, the frames after in film order (the nearest first).
        A frame is yielded once the ``reach`` frames after it are read (or the
        shot has ended). ``cancel`` is checked before each.
    """
    behind: deque[Item] = deque(maxlen=reach)
    ahead: deque[Item] = deque()  # the frame due next and up to ``reach`` after it
    source = iter(frames)
    exhausted = False
    while True:
        while not exhausted and len(ahead) <= reach:
            frame = next(source, None)
            if frame is None:
                exhausted = True
            else:
                ahead.append(frame)
        if not ahead:
            return
        if cancel is not None:
            cancel.raise_if_cancelled()
        frame = ahead.popleft()
        yield list(behind), frame, list(ahead)
        if reach:
            behind.append(frame)
