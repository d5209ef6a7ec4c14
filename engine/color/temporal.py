"""Colorize every frame of one shot from hints on its keyframes, carried by optical flow.

Colours flow from the keyframes in both directions. Going forward, each frame
takes the previous frame's chroma warped onto it (flow computed on luma) as a
*soft* constraint weighted by the flow's forward–backward confidence, and is
then solved spatially, so occluded and newly revealed regions are filled along
luminance edges instead of smeared. The painted hint pixels themselves travel
with the flow as hard constraints while the flow is trusted. The backward pass does the same from the
following frame, starting at each keyframe from the forward result there. A
frame between two keyframes blends the two passes by temporal distance, so
the colour reaches each keyframe continuously: no pop.

The function works on one shot: a cut is a new call, and nothing is carried
over it.

Memory: the backward pass needs every frame's luma and forward chroma, and the
frames must be yielded in order. Both are spooled to a temporary folder on
disk (luma in the source's dtype, chroma as float16: 5 bytes a pixel for 8-bit
film — 1.5 GB for 2,000 frames at 640×480), memory-mapped, and removed when the
generator finishes or is closed. In RAM there are only a few frames at a time.
A shot without keyframes (gray, or a reference prior only) needs no backward
pass and is streamed without spooling.
"""

from __future__ import annotations

import bisect
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from engine.color.flow import LumaFlow, flow_confidence, warp
from engine.color.frame import ColorSettings, finish_frame, reference_prior
from engine.color.luma import as_luma
from engine.color.spatial import luma_tensor, propagate_chroma, resolve_device
from engine.color.strokes import rasterize_hints
from engine.errors import MediaError
from engine.progress import CancelToken, ProgressCallback, ProgressMeter
from engine.project.hints import ColorPin, Hint

# Pull of warped chroma on a pixel the flow is sure of, against the neighbour term's 1.
TEMPORAL_PULL = 8.0
# Flow confidence above which a carried hint pixel stays a hard constraint.
HINT_TRUST = 0.7
# Solver iterations on a frame that starts from warped chroma (already close).
CARRIED_ITERATIONS = 2


@dataclass(frozen=True, slots=True)
class _Colored:
    """A solved frame as the next one needs it: luma, chroma and its hard constraints."""

    luma: np.ndarray
    chroma: torch.Tensor
    fixed: torch.Tensor
    fixed_chroma: torch.Tensor


class _Carrier:
    """Carries chroma from one frame to the next: flow, confidence, soft constraints, solve."""

    def __init__(
        self,
        pins: Mapping[str, ColorPin],
        device: torch.device,
        settings: ColorSettings,
        reference_rgb: np.ndarray | None,
    ) -> None:
        self.pins = pins
        self.device = device
        self.settings = settings
        self.reference_rgb = reference_rgb
        self.flow = LumaFlow()

    def solve(self, luma: np.ndarray, hints: Sequence[Hint], neighbour: _Colored | None = None) -> _Colored:
        """Chroma of ``luma`` from its hints, a reference prior and a solved neighbour frame.

        The neighbour's hard constraints travel with the flow (nearest pixel, where
        the flow is trusted), so a painted hint follows the object it was painted
        on instead of dissolving into warped, re-solved chroma frame after frame.
        """
        h, w = luma.shape
        y = luma_tensor(luma, self.device)
        constraints = rasterize_hints(hints, self.pins, h, w)
        fixed = torch.from_numpy(constraints.mask).to(self.device)
        fixed_chroma = torch.from_numpy(constraints.chroma).to(self.device)
        soft_weight, soft_chroma = reference_prior(luma, self.reference_rgb, self.device)
        initial = None
        if neighbour is not None:
            to_neighbour = torch.from_numpy(self.flow(luma, neighbour.luma)).to(self.device)
            from_neighbour = torch.from_numpy(self.flow(neighbour.luma, luma)).to(self.device)
            trust = flow_confidence(to_neighbour, from_neighbour, y, luma_tensor(neighbour.luma, self.device))
            carried = warp(neighbour.chroma, to_neighbour)
            carried_fixed = (warp(neighbour.fixed[None].float(), to_neighbour, "nearest")[0] > 0.5) & (
                trust > HINT_TRUST
            )
            carried_values = warp(neighbour.fixed_chroma, to_neighbour, "nearest")
            new = carried_fixed & ~fixed
            fixed = fixed | new
            fixed_chroma = torch.where(new, carried_values, fixed_chroma)
            pull = TEMPORAL_PULL * trust
            if soft_weight is None:
                soft_weight, soft_chroma = pull, carried
            else:
                total = soft_weight + pull
                soft_chroma = (soft_weight * soft_chroma + pull * carried) / total
                soft_weight = total
            initial = carried
        iterations = self.settings.iterations if hints or initial is None else CARRIED_ITERATIONS
        chroma = propagate_chroma(
            y,
            fixed,
            fixed_chroma,
            soft_weight=soft_weight,
            soft_chroma=soft_chroma,
            initial=initial,
            iterations=iterations,
        )
        return _Colored(luma, chroma, fixed, fixed_chroma)


def _nearest_keyframe(keyframes: Sequence[int], t: int) -> int:
    i = bisect.bisect_left(keyframes, t)
    candidates = keyframes[max(0, i - 1) : i + 1]
    return min(candidates, key=lambda k: (abs(k - t), k))


def colorize_shot(
    frames: Iterable[np.ndarray],
    keyframe_hints: Mapping[int, Sequence[Hint]],
    pins: Mapping[str, ColorPin],
    *,
    device: str | torch.device | None = None,
    settings: ColorSettings = ColorSettings(),
    reference_rgb: np.ndarray | None = None,
    spool_folder: str | Path | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> Iterator[np.ndarray]:
    """Colorize the frames of one shot, in order.

    Parameters
    ----------
    frames
        The shot's frames, ``(H, W)`` luma or ``(H, W, 3)`` RGB, uint8 or uint16.
    keyframe_hints
        Offset of a keyframe *within the shot* (0 = the shot's first frame) → its hints.
    pins
        Pin id → :class:`ColorPin`.
    device
        Torch device; CUDA when present, else the CPU, when None.
    settings
        Strength, saturation, temporal on/off, solver iterations.
    reference_rgb
        Optional colour photograph whose palette is a soft prior for every frame.
    spool_folder
        Where the two-pass spool lives (the system's temporary folder by default).
    progress, cancel
        Progress reports (stages "forward", "backward", "compose") and cancellation.

    Yields
    ------
    numpy.ndarray
        ``(H, W, 3)`` RGB of the input dtype, luma bit-exact to the input's.
    """
    torch_device = resolve_device(device)
    keyframes = sorted(k for k, hints in keyframe_hints.items() if hints)
    carrier = _Carrier(pins, torch_device, settings, reference_rgb)
    if not keyframes or not settings.temporal:
        yield from _stream(frames, keyframe_hints, keyframes, carrier, progress, cancel)
        return
    with tempfile.TemporaryDirectory(prefix="relume-color-", dir=spool_folder) as folder:
        yield from _two_pass(frames, keyframe_hints, keyframes, carrier, Path(folder), progress, cancel)


def _stream(
    frames: Iterable[np.ndarray],
    keyframe_hints: Mapping[int, Sequence[Hint]],
    keyframes: Sequence[int],
    carrier: _Carrier,
    progress: ProgressCallback | None,
    cancel: CancelToken | None,
) -> Iterator[np.ndarray]:
    """One pass: frame by frame from the nearest keyframe's hints, or carried reference colour."""
    meter = ProgressMeter(0, progress, "compose")
    previous: _Colored | None = None
    for t, frame in enumerate(frames):
        if cancel is not None:
            cancel.raise_if_cancelled()
        luma = as_luma(frame)
        if keyframes:
            chroma = carrier.solve(luma, keyframe_hints[_nearest_keyframe(keyframes, t)]).chroma
        elif carrier.reference_rgb is not None:
            previous = carrier.solve(luma, (), previous if carrier.settings.temporal else None)
            chroma = previous.chroma
        else:
            chroma = torch.zeros((2, *luma.shape))
        yield finish_frame(luma, chroma, carrier.settings)
        meter.advance()
    meter.finish()


def _two_pass(
    frames: Iterable[np.ndarray],
    keyframe_hints: Mapping[int, Sequence[Hint]],
    keyframes: Sequence[int],
    carrier: _Carrier,
    folder: Path,
    progress: ProgressCallback | None,
    cancel: CancelToken | None,
) -> Iterator[np.ndarray]:
    luma_path, chroma_path = folder / "luma.raw", folder / "chroma.raw"
    shape: tuple[int, int] | None = None
    dtype: np.dtype | None = None
    count = 0
    meter = ProgressMeter(0, progress, "forward")
    # Forward pass: spool luma and the forward chroma (zero before the first keyframe).
    with open(luma_path, "wb") as luma_file, open(chroma_path, "wb") as chroma_file:
        previous: _Colored | None = None
        for t, frame in enumerate(frames):
            if cancel is not None:
                cancel.raise_if_cancelled()
            luma = as_luma(frame)
            if shape is None:
                shape, dtype = luma.shape, luma.dtype
            elif luma.shape != shape or luma.dtype != dtype:
                raise MediaError(f"frame {t} of the shot is {luma.shape} {luma.dtype}, expected {shape} {dtype}")
            hints = keyframe_hints.get(t, ())
            if hints or previous is not None:
                previous = carrier.solve(luma, hints, previous)
                chroma_file.write(previous.chroma.to(torch.float16).cpu().numpy().tobytes())
            else:
                chroma_file.write(np.zeros((2, *luma.shape), np.float16).tobytes())
            luma_file.write(np.ascontiguousarray(luma).tobytes())
            count += 1
            meter.advance()
    meter.finish()
    if count == 0 or shape is None or dtype is None:
        return
    lumas = np.memmap(luma_path, dtype=dtype, mode="r", shape=(count, *shape))
    chromas = np.memmap(chroma_path, dtype=np.float16, mode="r+", shape=(count, 2, *shape))
    try:
        _backward(lumas, chromas, keyframe_hints, keyframes, carrier, progress, cancel)
        meter = ProgressMeter(count, progress, "compose")
        for t in range(count):
            if cancel is not None:
                cancel.raise_if_cancelled()
            yield finish_frame(np.asarray(lumas[t]), chromas[t].astype(np.float32), carrier.settings)
            meter.advance()
        meter.finish()
    finally:
        del lumas, chromas


def _backward(
    lumas: np.ndarray,
    chromas: np.ndarray,
    keyframe_hints: Mapping[int, Sequence[Hint]],
    keyframes: Sequence[int],
    carrier: _Carrier,
    progress: ProgressCallback | None,
    cancel: CancelToken | None,
) -> None:
    """Backward pass, blended in place with the forward chroma by temporal distance."""
    count = len(lumas)
    device = carrier.device
    meter = ProgressMeter(count, progress, "backward")
    following: _Colored | None = None
    for t in range(count - 1, -1, -1):
        if cancel is not None:
            cancel.raise_if_cancelled()
        i = bisect.bisect_right(keyframes, t)
        before = keyframes[i - 1] if i > 0 else None
        after = keyframes[bisect.bisect_left(keyframes, t)] if bisect.bisect_left(keyframes, t) < len(keyframes) else None
        luma = np.asarray(lumas[t])
        backward: torch.Tensor | None = None
        if t in keyframe_hints and keyframe_hints[t]:
            # Restart from the forward result here, so both passes agree at the keyframe.
            backward = torch.from_numpy(chromas[t].astype(np.float32)).to(device)
            constraints = rasterize_hints(keyframe_hints[t], carrier.pins, *luma.shape)
            following = _Colored(
                luma,
                backward,
                torch.from_numpy(constraints.mask).to(device),
                torch.from_numpy(constraints.chroma).to(device),
            )
        elif after is not None and following is not None:
            following = carrier.solve(luma, (), following)
            backward = following.chroma
        if backward is not None:
            if before is None:
                chromas[t] = backward.to(torch.float16).cpu().numpy()
            elif after is not None and after != before:
                forward = torch.from_numpy(chromas[t].astype(np.float32)).to(device)
                weight = (after - t) / (after - before)
                chromas[t] = (weight * forward + (1.0 - weight) * backward).to(torch.float16).cpu().numpy()
        meter.advance()
    meter.finish()
