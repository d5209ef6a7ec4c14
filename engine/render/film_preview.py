"""Previews of a project's frames at viewer size: the source (or its proxy) with the shot's look.

The renderer the :class:`~engine.render.preview.PreviewService` calls on its
worker thread. A frame comes from the intra-only proxy once it exists (any
position is one small decode) and from the source until then, or when the
viewer is wider than the proxy. The shot's look is then applied at viewer
size, approximating the export's stages where the real ones need the whole
shot:

- deflicker: the frame's tone is mapped onto the average of its shot
  neighbours' (their tone quantiles are measured once from the proxy and kept),
  exactly the export's curve;
- stabilize, dust and denoise: the export's own per-frame functions on the
  neighbours each reads, at viewer size (:mod:`engine.render.restore_preview`);
- colorize: the hints of the shot's nearest keyframe constrain this frame
  (the export carries them by optical flow instead), solved at a render factor
  of :data:`RENDER_FACTOR_PX` pixels wide and upsampled along the luma's edges.
  The solved chroma is kept per frame and look, so every viewer width of a
  frame shares one solve: after a stroke the editor's half-width draft pays
  for it and the full picture right behind it only upsamples and composes
  (the luma of a picture, which no stroke changes, is also measured once).

Upscaling and interpolation are left out of previews: a preview is the
film's own frame at viewer size.
"""

from __future__ import annotations

import bisect
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

from typing import TYPE_CHECKING

import cv2
import numpy as np

from engine.errors import ProjectError
from engine.media.source import open_source
from engine.media.types import FrameSource
from engine.progress import CancelToken
from engine.project.model import Project, Shot
from engine.render.chroma_upsample import guided_upsample
from engine.render.lru import ByteLRU
from engine.render.preview import PreviewRequest
from engine.render.proxy import PROXY_WIDTH, ProxyBuilder, proxy_size
from engine.render.restore_preview import RestorePreview, needs_neighbours
from engine.render.spec import RenderSpec, shot_spec
from engine.restore.deflicker import apply_curve, steady_tone, tone_curve, tone_quantiles

if TYPE_CHECKING:  # torch is imported only when a shot is colorized: opening the editor stays quick
    import torch

# Width at which a preview's chroma is solved: chroma is smooth, and 256 px keeps
# a colorized preview within about 100 ms on two CPU cores.
RENDER_FACTOR_PX = 256
# Solver iterations for a preview frame (the export uses the colorization default).
PREVIEW_ITERATIONS = 2
# Solved chroma kept for reuse: a render-factor solve is about 0.4 MB, so some
# eighty frames (scrubbing back and forth over painted shots).
CHROMA_CACHE_BYTES = 32 << 20
# Lumas of recent viewer-size pictures with the pictures themselves (to know
# them again): a 960 px frame's take under 2 MB, so a painted frame's draft and
# full picture and a few neighbours stay.
LUMA_CACHE_BYTES = 24 << 20


class FilmPreview:
    """Renders previews of ``project``'s frames.

    Parameters
    ----------
    project
        The film; read on every request, so edits show at once (the caller
        passes :meth:`spec_key` with each request so the cache follows them).
    proxy_folder
        Where the proxy is kept; ``None`` renders from the source only.
    device
        Torch device for colorization (CUDA when present when ``None``).
    proxy_width
        Width of the proxy; wider viewers read the source.

    Notes
    -----
    Call only from the preview worker thread (frame sources serve one thread),
    except :meth:`spec_key`, which reads the project only.
    """

    def __init__(self, project: Project, proxy_folder: str | os.PathLike[str] | None = None,
                 device: str | None = None, proxy_width: int = PROXY_WIDTH) -> None:
        if project.media is None:
            raise ProjectError("the project has no media linked, so there is nothing to preview", project.path)
        self.project = project
        self.media = project.media.path
        self.device = device
        self.proxy = ProxyBuilder(self.media, proxy_folder, proxy_width) if proxy_folder is not None else None
        self._source: FrameSource | None = None
        self._proxy_source: FrameSource | None = None
        self._tones: dict[int, np.ndarray] = {}
        self._chromas: ByteLRU[tuple[object, ...], np.ndarray] = ByteLRU(CHROMA_CACHE_BYTES)
        self._lumas: ByteLRU[tuple[int, tuple[int, ...]], _Luma] = ByteLRU(LUMA_CACHE_BYTES)
        self._restore = RestorePreview(self.frame, self.frame_size, self._deflickered)

    def spec(self, frame: int) -> tuple[Shot, RenderSpec]:
        """The shot holding ``frame`` and its render spec."""
        shot = self.project.shot_at(frame)
        return shot, shot_spec(self.project, shot)

    def spec_key(self, frame: int) -> str:
        """The cache key of the look at ``frame`` (changes when its shot's look changes)."""
        return self.spec(frame)[1].key

    def __call__(self, request: PreviewRequest, cancel: CancelToken) -> np.ndarray:
        """The preview of ``request.frame`` at ``request.width``: ``(H, W, 3)`` uint8 RGB."""
        index = min(max(0, request.frame), self.project.frame_count - 1)
        small = self.frame(index, request.width)
        cancel.raise_if_cancelled()
        return self.look(index, small, cancel)

    def frame(self, index: int, width: int) -> np.ndarray:
        """Frame ``index`` as it is, at viewer ``width`` (8-bit RGB, square pixels)."""
        h, w = self.frame_size(width)
        return _resized(self._reader(width).frame(index), w, h)

    def frame_size(self, width: int) -> tuple[int, int]:
        """``(height, width)`` of :meth:`frame`'s pictures at viewer ``width``."""
        info = self._original().info
        w, h = proxy_size(info.width, info.height, info.sar, width)
        return h, w

    def look(self, index: int, small: np.ndarray, cancel: CancelToken | None = None) -> np.ndarray:
        """The shot's look applied to ``small``, frame ``index`` at viewer size."""
        shot, spec = self.spec(index)
        picture = small
        if needs_neighbours(spec):
            # It reads the frame and its neighbours itself, at the size of ``small``.
            picture = self._restore.restored(index, small.shape[:2], shot, spec, cancel)
        elif spec.flag("restore.deflicker.enabled"):
            picture = self._deflickered(picture, index, shot, int(spec.value("restore.deflicker.window")))
        if cancel is not None:
            cancel.raise_if_cancelled()
        if spec.colorizes and spec.hints:
            picture = self._colorized(picture, index, shot, spec, cancel)
        return picture

    def close(self) -> None:
        """Stop a proxy build and close the sources."""
        if self.proxy is not None:
            self.proxy.cancel()
        for source in (self._source, self._proxy_source):
            if source is not None:
                source.close()
        self._source = self._proxy_source = None

    # -- sources ------------------------------------------------------------------------------
    def _original(self) -> FrameSource:
        if self._source is None:
            self._source = open_source(self.media)
        return self._source

    def _reader(self, width: int) -> FrameSource:
        """The proxy when it is ready and wide enough, else the source."""
        proxy = self.proxy
        if proxy is not None and proxy.ready and width <= proxy.proxy_width:
            if self._proxy_source is None:
                self._proxy_source = open_source(proxy.path, self.project.fps)
            if len(self._proxy_source) == self.project.frame_count:
                return self._proxy_source
            # A proxy of other length is not this film's (relinked media): read the source.
        return self._original()

    # -- looks --------------------------------------------------------------------------------
    def _tone(self, index: int) -> np.ndarray:
        """Tone quantiles of frame ``index``, measured once (on the proxy when there is one)."""
        tone = self._tones.get(index)
        if tone is None:
            reader = self._reader(self.proxy.proxy_width) if self.proxy is not None else self._original()
            tone = self._tones[index] = tone_quantiles(reader.frame(index))
        return tone

    def _deflickered(self, picture: np.ndarray, index: int, shot: Shot, window: int) -> np.ndarray:
        half = max(1, window // 2)
        neighbours = range(max(shot.start, index - half), min(shot.end, index + half + 1))
        steady = steady_tone(np.array([self._tone(i) for i in neighbours]), 255)
        curve = tone_curve(self._tone(index), steady, 255)
        if picture.dtype != np.uint8:
            return apply_curve(picture, curve)
        # apply_curve's very mapping by OpenCV's table lookup: an eighth of numpy's indexing
        # time on an 8-bit picture (a preview always is one), paid again after every stroke
        return cv2.LUT(picture, curve.astype(np.uint8))

    def _colorized(self, picture: np.ndarray, index: int, shot: Shot, spec: RenderSpec,
                   cancel: CancelToken | None) -> np.ndarray:
        from engine.color.frame import ColorSettings, finish_frame

        luma = self._luma(picture, index)
        chroma = self._chroma(luma.small, index, shot, spec, cancel)
        settings = ColorSettings(strength=float(spec.value("color.strength")),  # type: ignore[arg-type]
                                 saturation=float(spec.value("color.saturation")))  # type: ignore[arg-type]
        # the luma the chroma was solved on spares the upsample its own shrinking
        return finish_frame(luma.full, guided_upsample(chroma, luma.full, small_luma=luma.small), settings)

    def _luma(self, picture: np.ndarray, index: int) -> _Luma:
        """The luma of ``picture`` (frame ``index``) and its render-factor copy, measured once per picture.

        A stroke changes neither, and after one the same frame is colored
        again at the draft's width and at the full one: at viewer size the
        integer luma costs as much as upsampling the chroma.
        """
        from engine.color.luma import integer_luma

        key = (index, picture.shape)
        known = self._lumas.get(key)
        if known is not None and np.array_equal(known.picture, picture):
            return known
        full = integer_luma(picture)
        height, width = full.shape
        small_w = min(width, RENDER_FACTOR_PX)
        small_h = max(2, round(height * small_w / width))
        small = cv2.resize(full, (small_w, small_h), interpolation=cv2.INTER_AREA)
        luma = _Luma(*(_frozen(a) for a in (picture.copy(), full, small)))
        self._lumas.put(key, luma, picture.nbytes + full.nbytes + small.nbytes)
        return luma

    def _chroma(self, small_luma: np.ndarray, index: int, shot: Shot, spec: RenderSpec,
                cancel: CancelToken | None) -> np.ndarray:
        """The chroma ``(2, h, w)`` of frame ``index`` at the render factor, solved once per look.

        The key is what the solve depends on: the frame, the render size, the
        settings that shape the picture before colorize (deflicker) and the
        hints that constrain it; not the viewer width, nor strength and
        saturation, which apply after. So a draft and the full picture of one
        frame share a solve: the draft's render-factor luma stands for the full
        one's (both are area averages of the same frame). Measured on the
        sample film, a full picture colored from the draft's solve is 50–56 dB
        PSNR from one solved on its own, far closer than two solver iterations
        come to the converged chroma.
        """
        from engine.color.frame import solve_frame_chroma
        from engine.color.spatial import resolve_device

        offset = index - shot.start
        keyframes = sorted(spec.keyframe_hints)
        i = bisect.bisect_left(keyframes, offset)
        nearest = min(keyframes[max(0, i - 1) : i + 1], key=lambda k: (abs(k - offset), k))
        small_h, small_w = small_luma.shape
        key = (index, small_w, small_h, spec.settings.canonical_json(("restore",)), spec.keyframe_hints[nearest])
        chroma = self._chromas.get(key)
        if chroma is not None:
            return chroma
        if cancel is not None:
            cancel.raise_if_cancelled()
        info = self._original().info
        scale_x, scale_y = small_w / info.width, small_h / info.height
        hints = [
            replace(h, points=tuple((x * scale_x, y * scale_y) for x, y in h.points),
                    radius=max(1.0, h.radius * min(scale_x, scale_y)))
            for h in spec.keyframe_hints[nearest]
        ]
        device = resolve_device(self.device)
        # (the solve runs in inference mode itself: engine.color.spatial.propagate_chroma)
        with _one_cpu_thread(device):
            solved = solve_frame_chroma(small_luma, hints, {}, device=device, iterations=PREVIEW_ITERATIONS)
        chroma = _frozen(solved.float().cpu().numpy())
        self._chromas.put(key, chroma, chroma.nbytes)
        return chroma


@dataclass(frozen=True, slots=True)
class _Luma:
    """A viewer-size picture's luma at its size and at the render factor."""

    picture: np.ndarray  # a copy of the picture they were measured on, to know it again
    full: np.ndarray
    small: np.ndarray


def _frozen(array: np.ndarray) -> np.ndarray:
    """``array`` made read-only: it is kept and shared by later previews, so a slip that writes is an error."""
    array.flags.writeable = False
    return array


@contextmanager
def _one_cpu_thread(device: torch.device) -> Iterator[None]:
    """Run a small CPU solve on one torch thread.

    A render-factor frame is far too small to gain from intra-op threads, and on
    a busy machine (an export running beside the editor) torch's threads spin
    against each other: measured on 2 shared cores, 1 thread took 190 ms where
    2 took 1,600. The count is process-wide, so it is restored at once.
    """
    import torch

    if device.type != "cpu":
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def _resized(frame: np.ndarray, width: int, height: int) -> np.ndarray:
    """An 8-bit frame at ``width × height`` (area-averaged: no shimmer on grain while scrubbing)."""
    if frame.dtype != np.uint8:
        frame = (frame >> 8).astype(np.uint8)
    if frame.shape[1] != width or frame.shape[0] != height:
        frame = cv2.resize(frame, (width, height), interpolation=cv2.INTER_AREA)
    return np.ascontiguousarray(frame)


__all__ = ["FilmPreview"]
