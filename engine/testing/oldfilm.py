"""A seeded model of what time does to a black-and-white print, for tests and benchmarks.

:class:`OldFilm` turns clean frames (numpy RGB, ``uint8``) into the kind of
pictures a restorer receives from a worn print: gray, exposure flicker (slow
drift and frame-to-frame jitter), luma-dependent clumped grain, dust specks that
live one frame, vertical scratches that persist for many, gate weave, vignetting
and the occasional flash frame. Same seed, same film: every random draw comes from
one :class:`numpy.random.Generator`.

The films it wears are spliced from real clips by :mod:`engine.testing.splice`.

Examples
--------
>>> film = OldFilm(seed=7).stream(assemble_film(shots, joins, (320, 240)))  # doctest: +SKIP
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True, slots=True)
class Wear:
    """How worn the print is; every amount is on the 0–1 luma scale unless named.

    Attributes
    ----------
    flicker_slow
        Standard deviation of the slowly drifting exposure gain.
    flicker_fast
        Standard deviation of the frame-to-frame gain jitter.
    flicker_offset
        Standard deviation of the frame-to-frame black-level jitter.
    grain
        Grain amplitude in mid-gray (it fades toward black and white).
    grain_px
        Size of the grain clumps, as a Gaussian sigma in pixels.
    dust_per_frame
        Mean number of dust specks on a frame.
    scratch_rate
        Chance per frame that a new vertical scratch starts.
    weave_px
        Standard deviation of the gate weave shift, in pixels.
    vignette
        Light lost in the corners (0 = none).
    flash_rate
        Chance per frame of a flash frame (a single overexposed frame).
    """

    flicker_slow: float = 0.10
    flicker_fast: float = 0.05
    flicker_offset: float = 0.02
    grain: float = 0.07
    grain_px: float = 0.8
    dust_per_frame: float = 4.0
    scratch_rate: float = 0.03
    weave_px: float = 0.7
    vignette: float = 0.35
    flash_rate: float = 0.0


CLEAN = Wear(0.0, 0.0, 0.0, 0.0, 0.8, 0.0, 0.0, 0.0, 0.0, 0.0)
HEAVY = Wear(0.14, 0.08, 0.03, 0.10, 1.0, 8.0, 0.05, 1.0, 0.45, 0.01)


@dataclass(slots=True)
class _Scratch:
    x: float
    drift: float
    width: float
    strength: float
    frames_left: int


def to_luma(frame: np.ndarray) -> np.ndarray:
    """Rec. 709 luma of an RGB ``uint8`` frame as ``float32`` on 0–1."""
    rgb = frame.astype(np.float32) * (1.0 / 255.0)
    return rgb[..., 0] * 0.2126 + rgb[..., 1] * 0.7152 + rgb[..., 2] * 0.0722


def _to_rgb8(luma: np.ndarray) -> np.ndarray:
    gray = np.clip(luma * 255.0 + 0.5, 0, 255).astype(np.uint8)
    return np.repeat(gray[..., None], 3, axis=2)


class OldFilm:
    """A worn black-and-white print through which clean frames are run, one by one.

    The model is stateful (flicker drifts, scratches persist), so feed frames in
    film order; :meth:`stream` does that for an iterable.

    Parameters
    ----------
    seed
        Seed of every random draw: same seed and frames, same output.
    wear
        How worn the print is.
    """

    def __init__(self, seed: int = 0, wear: Wear = Wear()) -> None:
        self.wear = wear
        self._rng = np.random.default_rng(seed)
        self._slow_gain = 0.0
        self._weave = np.zeros(2)
        self._scratches: list[_Scratch] = []
        self._vignette: np.ndarray | None = None

    def stream(self, frames: Iterable[np.ndarray]) -> Iterator[np.ndarray]:
        """Degrade ``frames`` lazily, in order."""
        for frame in frames:
            yield self.degrade(frame)

    def degrade(self, frame: np.ndarray) -> np.ndarray:
        """The next frame of the film: a gray RGB ``uint8`` array of the same shape."""
        w, rng = self.wear, self._rng
        luma = to_luma(frame)
        luma = self._weave_shift(luma)
        luma = luma * self._vignette_of(luma.shape)
        # Slow drift is an AR(1) process (a lamp or a processing bath drifting);
        # fast jitter is white (uneven exposure of single frames).
        self._slow_gain = 0.9 * self._slow_gain + math.sqrt(1 - 0.9**2) * rng.normal(0, w.flicker_slow)
        gain = 1.0 + self._slow_gain + rng.normal(0, w.flicker_fast)
        offset = rng.normal(0, w.flicker_offset)
        if w.flash_rate and rng.random() < w.flash_rate:
            gain, offset = gain * 1.9, offset + 0.25
        luma = luma * max(gain, 0.2) + offset
        luma = self._grain(luma)
        luma = self._scratch(luma)
        luma = self._dust(luma)
        return _to_rgb8(luma)

    def _weave_shift(self, luma: np.ndarray) -> np.ndarray:
        if not self.wear.weave_px:
            return luma
        # Weave wanders a little from frame to frame rather than jumping anywhere.
        self._weave = 0.6 * self._weave + 0.8 * self._rng.normal(0, self.wear.weave_px, 2)
        dx, dy = self._weave
        matrix = np.float32([[1, 0, dx], [0, 1, dy]])
        h, w = luma.shape
        return cv2.warpAffine(luma, matrix, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)

    def _vignette_of(self, shape: tuple[int, int]) -> np.ndarray:
        if self._vignette is None or self._vignette.shape != shape:
            h, w = shape
            y, x = np.mgrid[0:h, 0:w].astype(np.float32)
            r2 = ((x - w / 2) / (w / 2)) ** 2 + ((y - h / 2) / (h / 2)) ** 2
            self._vignette = (1.0 - self.wear.vignette * np.clip(r2 / 2, 0, 1) ** 1.5).astype(np.float32)
        return self._vignette

    def _grain(self, luma: np.ndarray) -> np.ndarray:
        if not self.wear.grain:
            return luma
        noise = self._rng.standard_normal(luma.shape, dtype=np.float32)
        noise = cv2.GaussianBlur(noise, (0, 0), self.wear.grain_px)
        noise *= 1.0 / max(noise.std(), 1e-6)
        # Silver grain shows most in the mid-tones and vanishes in deep blacks and clipped whites.
        level = np.clip(luma, 0.0, 1.0)
        amplitude = self.wear.grain * 2.0 * np.sqrt(level * (1.0 - level) + 0.02)
        return luma + noise * amplitude

    def _scratch(self, luma: np.ndarray) -> np.ndarray:
        w, rng = self.wear, self._rng
        h, width = luma.shape
        if w.scratch_rate and rng.random() < w.scratch_rate:
            self._scratches.append(
                _Scratch(
                    x=rng.uniform(0.05, 0.95) * width,
                    drift=rng.normal(0, 0.3),
                    width=rng.uniform(0.6, 2.0),
                    strength=rng.choice([-1.0, 1.0]) * rng.uniform(0.15, 0.45),
                    frames_left=int(rng.integers(15, 150)),
                )
            )
        if not self._scratches:
            return luma
        columns = np.arange(width, dtype=np.float32)
        profile = np.zeros(width, dtype=np.float32)
        for s in self._scratches:
            s.x = min(max(s.x + s.drift + rng.normal(0, 0.4), 0.0), width - 1.0)
            profile += s.strength * np.exp(-0.5 * ((columns - s.x) / s.width) ** 2) * rng.uniform(0.7, 1.0)
            s.frames_left -= 1
        self._scratches = [s for s in self._scratches if s.frames_left > 0]
        return luma + profile[None, :]

    def _dust(self, luma: np.ndarray) -> np.ndarray:
        w, rng = self.wear, self._rng
        count = rng.poisson(w.dust_per_frame) if w.dust_per_frame else 0
        if not count:
            return luma
        h, width = luma.shape
        specks = np.zeros_like(luma)
        scale = max(h, width) / 640.0
        for _ in range(count):
            center = (int(rng.integers(0, width)), int(rng.integers(0, h)))
            axes = (max(1, int(rng.uniform(1, 5) * scale)), max(1, int(rng.uniform(1, 5) * scale)))
            # Dirt on the positive prints black; dirt on the negative prints white.
            value = -1.0 if rng.random() < 0.7 else 1.0
            cv2.ellipse(specks, center, axes, float(rng.uniform(0, 180)), 0, 360, value, -1)
        specks = cv2.GaussianBlur(specks, (0, 0), 0.7)
        return np.where(specks < 0, luma * (1 + specks) + specks * 0.02, luma + specks * (1 - luma))


def flash(frame: np.ndarray, gain: float = 1.9, lift: float = 0.25) -> np.ndarray:
    """A flash frame made from ``frame``: overexposed, most of the highlights clipped."""
    return _to_rgb8(to_luma(frame) * gain + lift)
