"""Restoration in previews: a frame at viewer size stabilized, deflickered, dust-repaired and denoised.

The export's restoration stages read a shot's frames as a stream; a preview
wants one frame, at once, wherever the restorer scrubs. So each stage is run
here on just the neighbours it reads, at viewer size, through the very
per-frame functions its stream is built on (:mod:`engine.restore`):

- stabilize: the motion of each pair of neighbours is measured at viewer size
  (in units of the width, so it does not depend on it) and kept; a frame's
  correction is judged on the frames within :data:`SMOOTHING_RADIUS` of it,
  which is all the stream's correction depends on;
- deflicker: the caller's tone mapping (measured once per frame);
- dust, scratches, denoise: each on the frames the repair before it gave,
  the frame and the neighbours each side its stream reads (dust one, scratches
  and denoise their ``REACH`` and ``RADIUS``).

Neighbours never come from another shot. The restoration runs at the proxy's
width (or the viewer's, when wider) and is shrunk to the viewer's size, so the
editor's draft and full picture share it. Every intermediate picture is kept
(per frame, size and restoration settings), so painting on a restored frame,
or stepping to the next one, redoes nothing already done. It differs from the
export only by working at that size, not the film's.
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

from engine.progress import CancelToken
from engine.project.model import Shot
from engine.render.lru import ByteLRU
from engine.render.proxy import PROXY_WIDTH
from engine.render.spec import RenderSpec

# Restored pictures kept for reuse: a 960 px frame is about 2 MB, so every level of
# a frame and its neighbours, for a few frames scrubbed back and forth.
RESTORED_CACHE_BYTES = 96 << 20
# Width at which previews are restored (narrower viewers shrink the result): the proxy's.
RESTORE_WIDTH_PX = PROXY_WIDTH
# Settings that need the neighbouring frames, so this module rather than a per-frame look.
NEIGHBOURLY = ("restore.stabilize.enabled", "restore.dust.enabled", "restore.scratches.enabled",
               "restore.denoise.enabled")

Picture = Callable[[int, int], np.ndarray]  # (index, width) → the frame as it is
Deflicker = Callable[[np.ndarray, int, Shot, int], np.ndarray]


def needs_neighbours(spec: RenderSpec) -> bool:
    """Whether the shot's restoration reads neighbouring frames (stabilize, dust or denoise)."""
    return any(spec.flag(key) for key in NEIGHBOURLY)


class RestorePreview:
    """The restored pictures of a film at viewer size.

    Parameters
    ----------
    picture
        Frame ``index`` as it is at viewer ``width``: ``picture(index, width)``.
    size_at
        The ``(height, width)`` of the pictures ``picture`` gives for a viewer ``width``.
    deflickered
        A picture of frame ``index`` of ``shot`` with its exposure evened over a
        window of frames: ``deflickered(picture, index, shot, window)``.
    """

    def __init__(self, picture: Picture, size_at: Callable[[int], tuple[int, int]], deflickered: Deflicker) -> None:
        self._picture = picture
        self._size_at = size_at
        self._deflickered = deflickered
        self._kept: ByteLRU[tuple[object, ...], np.ndarray] = ByteLRU(RESTORED_CACHE_BYTES)
        self._motions: dict[tuple[int, tuple[int, int]], np.ndarray] = {}

    def restored(self, index: int, size: tuple[int, int], shot: Shot, spec: RenderSpec,
                 cancel: CancelToken | None = None) -> np.ndarray:
        """Frame ``index`` (of ``shot``) at viewer ``size`` (height, width) through the shot's restoration stages."""
        look = spec.settings.canonical_json(("restore",))
        work = self._work_size(size)
        repairs = _repairs(spec)
        picture = self._repaired(len(repairs), repairs, index, work, shot, spec, look, cancel)
        if picture.shape[:2] == size:
            return picture
        return cv2.resize(picture, size[::-1], interpolation=cv2.INTER_AREA)

    def _work_size(self, size: tuple[int, int]) -> tuple[int, int]:
        """The size the restoration runs at for a viewer ``size``: never below the proxy's width.

        The editor asks for a half-width draft and then the full picture; both
        (and every narrower viewer) are shrunk from one restoration at the
        proxy's width, so the draft costs the full picture's work once and the
        full picture none. A wider viewer gets its own.
        """
        if size[1] >= RESTORE_WIDTH_PX:
            return size
        work = self._size_at(RESTORE_WIDTH_PX)
        # A film narrower than the proxy is restored at the viewer's size when that is the film's own.
        return work if work[1] > size[1] else size

    # -- the stages, each on the one before ------------------------------------------------------
    def _repaired(self, level: int, repairs: list[_Repair], index: int, size: tuple[int, int], shot: Shot,
                  spec: RenderSpec, look: str, cancel: CancelToken | None) -> np.ndarray:
        """Frame ``index`` through the first ``level`` repairs, each made from the frames the one before gave."""
        if level == 0:
            return self._steady(index, size, shot, spec, look, cancel)
        name, reach, repair = repairs[level - 1]
        key = (name, index, size, look)
        kept = self._kept.get(key)
        if kept is None:
            frames = _around(index, reach, shot)
            near = [self._repaired(level - 1, repairs, i, size, shot, spec, look, cancel) for i in frames]
            here = frames.index(index)
            kept = self._keep(key, repair(near[here], near[:here], near[here + 1 :]))
        return kept

    def _steady(self, index: int, size: tuple[int, int], shot: Shot, spec: RenderSpec, look: str,
                cancel: CancelToken | None) -> np.ndarray:
        """The frame stabilized and deflickered (each as the shot asks)."""
        if cancel is not None:
            cancel.raise_if_cancelled()
        key = ("steady", index, size, look)
        kept = self._kept.get(key)
        if kept is not None:
            return kept
        picture = self._at(index, size)
        if spec.flag("restore.stabilize.enabled") and shot.frame_count > 1:
            from engine.restore.stabilize import steadied

            picture = steadied(picture, self._correction(index, size, shot, cancel))
        if spec.flag("restore.deflicker.enabled"):
            picture = self._deflickered(picture, index, shot, int(spec.value("restore.deflicker.window")))
        return self._keep(key, picture)

    def _correction(self, index: int, size: tuple[int, int], shot: Shot, cancel: CancelToken | None) -> np.ndarray:
        """Frame ``index``'s stabilizing correction, judged on the frames within reach of it, as the stream's is."""
        from engine.restore.stabilize import SMOOTHING_RADIUS, corrections

        near = _around(index, SMOOTHING_RADIUS, shot)
        motions = [self._motion(i, size, cancel) for i in near[1:]]
        return corrections(np.array(motions))[near.index(index)]

    def _motion(self, index: int, size: tuple[int, int], cancel: CancelToken | None) -> np.ndarray:
        """The global motion from frame ``index - 1`` to frame ``index`` (measured once per size)."""
        from engine.restore.stabilize import frame_motion

        motion = self._motions.get((index, size))
        if motion is None:
            if cancel is not None:
                cancel.raise_if_cancelled()
            motion = self._motions[(index, size)] = frame_motion(self._at(index - 1, size), self._at(index, size))
        return motion

    def _at(self, index: int, size: tuple[int, int]) -> np.ndarray:
        """Frame ``index`` as it is, at exactly ``size`` (the viewer's rounding may differ from the reader's)."""
        picture = self._picture(index, size[1])
        if picture.shape[:2] != size:
            picture = cv2.resize(picture, size[::-1], interpolation=cv2.INTER_AREA)
        return picture

    def _keep(self, key: tuple[object, ...], picture: np.ndarray) -> np.ndarray:
        picture.flags.writeable = False  # shared by later previews: a slip that writes is an error
        self._kept.put(key, picture, picture.nbytes)
        return picture


# A temporal repair as the preview runs it: its name, the frames it reads each side, and
# ``repair(frame, before, after)`` with the neighbours in film order.
_Repair = tuple[str, int, Callable[[np.ndarray, list[np.ndarray], list[np.ndarray]], np.ndarray]]


def _repairs(spec: RenderSpec) -> list[_Repair]:
    """The shot's repairs after stabilize and deflicker, in the pipeline's order, each as its stage runs it."""
    repairs: list[_Repair] = []
    if spec.flag("restore.dust.enabled"):
        from engine.restore.dust import REACH, repair_dust_frame

        dust = float(spec.value("restore.dust.strength"))  # type: ignore[arg-type]
        repairs.append(("dust", REACH, lambda frame, before, after: repair_dust_frame(
            frame, before[-1] if before else None, after[0] if after else None, dust)))
    if spec.flag("restore.scratches.enabled"):
        from engine.restore.scratches import REACH as SCRATCH_REACH
        from engine.restore.scratches import repair_scratches_frame

        scratches = float(spec.value("restore.scratches.strength"))  # type: ignore[arg-type]
        repairs.append(("scratches", SCRATCH_REACH,
                        lambda frame, before, after: repair_scratches_frame(frame, before, after, scratches)))
    denoise = float(spec.value("restore.denoise.strength"))  # type: ignore[arg-type]
    if spec.flag("restore.denoise.enabled") and denoise > 0:
        from engine.restore.denoise import RADIUS, denoise_frame

        repairs.append(("denoise", RADIUS, lambda frame, before, after: denoise_frame(frame, before, after, denoise)))
    return repairs


def _around(index: int, reach: int, shot: Shot) -> list[int]:
    """The frames within ``reach`` of ``index`` that lie in ``shot``, in order."""
    return list(range(max(shot.start, index - reach), min(shot.end, index + reach + 1)))
