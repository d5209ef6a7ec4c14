"""The stage pipeline: a shot's frames through each stage, stabilize to interpolate, in a fixed order.

stabilize → deflicker → dust → scratches → denoise → colorize → upscale → interpolate.

Each stage works on one whole shot at a time — several are temporal (deflicker
averages neighbours, colorization carries hints along the shot by optical
flow), and a cut must never leak into the next shot — as a generator from the
shot's frames to the processed ones, so memory holds a few frames, never the
film. Every stage is optional and decides from the shot's
:class:`~engine.render.spec.RenderSpec` whether it has anything to do.

Stages come from a :class:`StageRegistry` instance (not a global that modules
mutate on import): the colorization, restoration, upscaling and interpolation
capabilities each contribute one :class:`Stage`, and a registry refuses a
second stage of the same name or a name outside :data:`STAGE_ORDER`. A setting
that asks for a stage nobody has contributed is refused before the first frame
is decoded, never silently ignored.

Stages that compute with torch implement :class:`BatchStage` as well: a run of
them in a row gets the frames uploaded once, in batches, and downloaded once
after the last (:mod:`engine.render.batches`), so pictures stay on the device
between torch stages. On the CPU there is no device to stay on: batch stages
then take plain frames through :meth:`Stage.apply`, unless a context asks for
batches explicitly.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

from engine.errors import SettingsError
from engine.progress import CancelToken
from engine.render.spec import CONFORM_UPSCALERS, RenderSpec

if TYPE_CHECKING:
    from engine.media.geometry import Placement
    from engine.render.batches import FrameBatch

STAGE_ORDER = ("stabilize", "deflicker", "dust", "scratches", "denoise", "colorize", "upscale", "interpolate")

Frames = Iterator[np.ndarray]

# Frames per batch on an accelerator: enough to fill it, few enough for 4K pictures.
DEVICE_BATCH_FRAMES = 8


@dataclass(frozen=True, slots=True)
class StageContext:
    """What a stage may use besides the frames.

    Attributes
    ----------
    device
        Torch device name for stages that compute with torch (``None``: CUDA when
        present, else the CPU).
    cancel
        Checked by the stages between frames.
    spool_folder
        Where a stage may spool a shot to disk (the system's temporary folder when ``None``).
    batch_frames
        Frames per :class:`~engine.render.batches.FrameBatch` handed to batch
        stages; ``None``: :data:`DEVICE_BATCH_FRAMES` on an accelerator, and no
        batches on the CPU (there is no bus to cross there, and a stage's own
        host path, OpenCV's among them, is the faster one).
    placement
        Where the master's picture comes from and the size it is scaled to (the
        upscale stage makes that picture); ``None`` for previews.
    """

    device: str | None = None
    cancel: CancelToken | None = None
    spool_folder: Path | None = None
    batch_frames: int | None = None
    placement: Placement | None = None


class Stage(Protocol):
    """One capability of the pipeline.

    Attributes
    ----------
    name
        One of :data:`STAGE_ORDER`.
    """

    name: str

    def wanted(self, spec: RenderSpec) -> bool:
        """Whether the shot's settings ask this stage to change its frames."""
        ...

    def apply(self, frames: Frames, spec: RenderSpec, context: StageContext) -> Frames:
        """The processed frames of one shot, in order."""
        ...


# A temporal stage may also say how far into a shot it reads to make the shot's first
# frame, ``lead_in(spec) -> int`` (frames after the first; a stage without it works frame
# by frame): see :meth:`StageRegistry.lead_in`.


@runtime_checkable
class BatchStage(Stage, Protocol):
    """A stage that computes with torch on batches of frames kept on the render device.

    Consecutive batch stages share one upload and one download (see
    :mod:`engine.render.batches`); :meth:`Stage.apply` is still what a caller
    with plain frames uses.
    """

    def apply_batches(self, batches: Iterator[FrameBatch], spec: RenderSpec,
                      context: StageContext) -> Iterator[FrameBatch]:
        """The processed batches of one shot, in order, on the same device."""
        ...


# What asks for each stage, for the message when it is missing.
_WANTED_BY = {
    "stabilize": "restore.stabilize.enabled",
    "deflicker": "restore.deflicker.enabled",
    "dust": "restore.dust.enabled",
    "scratches": "restore.scratches.enabled",
    "denoise": "restore.denoise.enabled",
    "colorize": "color.enabled",
    "upscale": "upscale.upscaler",
    "interpolate": "interp.enabled",
}


def _asked_for(name: str, spec: RenderSpec) -> bool:
    """Whether ``spec`` asks for stage ``name`` (so that a missing stage is an error)."""
    if name == "colorize":
        return spec.colorizes
    if name == "upscale":
        return str(spec.value("upscale.upscaler")) not in CONFORM_UPSCALERS
    if name == "interpolate":
        # Interpolation only happens when the export rate differs from the source's;
        # the export refuses such a rate while no interpolation stage exists.
        return False
    return spec.flag(_WANTED_BY[name])


@dataclass(slots=True)
class StageRegistry:
    """The stages available to a render, by name, run in :data:`STAGE_ORDER`."""

    _stages: dict[str, Stage] = field(default_factory=dict)

    def add(self, stage: Stage) -> None:
        """Contribute ``stage``; refuses an unknown name or a second stage of one name."""
        if stage.name not in STAGE_ORDER:
            raise ValueError(f"unknown stage {stage.name!r}; stages are {', '.join(STAGE_ORDER)}")
        if stage.name in self._stages:
            raise ValueError(f"a {stage.name} stage is already registered")
        self._stages[stage.name] = stage

    def __contains__(self, name: object) -> bool:
        return name in self._stages

    def __getitem__(self, name: str) -> Stage:
        """The stage registered as ``name`` (``KeyError`` when there is none)."""
        return self._stages[name]

    def names(self) -> tuple[str, ...]:
        """Registered stage names, in pipeline order."""
        return tuple(n for n in STAGE_ORDER if n in self._stages)

    def check(self, spec: RenderSpec, shot_label: str = "") -> None:
        """Refuse a spec that asks for a stage this registry lacks.

        Raises
        ------
        SettingsError
            Naming the setting and the shot.
        """
        for name in STAGE_ORDER:
            if name not in self._stages and _asked_for(name, spec):
                where = f" (shot {shot_label})" if shot_label else ""
                raise SettingsError(
                    f"{_WANTED_BY[name]}{where}: the {name} stage is not available in this build of Relume"
                )

    def active(self, spec: RenderSpec) -> tuple[Stage, ...]:
        """The stages that change this shot's frames, in order."""
        return tuple(self._stages[n] for n in STAGE_ORDER if n in self._stages and self._stages[n].wanted(spec))

    def lead_in(self, spec: RenderSpec) -> int:
        """How many frames after a shot's first its render reads to make that first frame.

        Rendering the shot's first ``lead_in + 1`` frames alone gives its first
        frame exactly as the whole shot's render does: what a neighbouring
        shot's boundary needs, without rendering the whole shot.
        """
        return sum(int(getattr(stage, "lead_in", lambda _spec: 0)(spec)) for stage in self.active(spec))

    def render(self, frames: Iterable[np.ndarray], spec: RenderSpec, context: StageContext) -> Frames:
        """Chain the active stages over one shot's frames (lazily: nothing runs until iterated)."""
        self.check(spec)
        stream: Frames = iter(frames)
        stages = self.active(spec)
        batching = any(isinstance(s, BatchStage) for s in stages) and _batch_frames(context) is not None
        i = 0
        while i < len(stages):
            if not batching or not isinstance(stages[i], BatchStage):
                stream = stages[i].apply(stream, spec, context)
                i += 1
                continue
            end = i
            while end < len(stages) and isinstance(stages[end], BatchStage):
                end += 1
            stream = _on_device(stream, stages[i:end], spec, context)  # type: ignore[arg-type]
            i = end
        return stream


def _on_device(frames: Frames, run: tuple[BatchStage, ...], spec: RenderSpec, context: StageContext) -> Frames:
    """``frames`` through a run of batch stages: uploaded once, downloaded once."""
    from engine.color.spatial import resolve_device
    from engine.render.batches import download, upload

    batch_frames = _batch_frames(context)
    assert batch_frames is not None
    batches = upload(frames, resolve_device(context.device), batch_frames, context.cancel)
    for stage in run:
        batches = stage.apply_batches(batches, spec, context)
    return download(batches)


def _batch_frames(context: StageContext) -> int | None:
    """Frames per batch for ``context``, ``None`` when batch stages take plain frames."""
    if context.batch_frames is not None:
        return context.batch_frames
    from engine.color.spatial import resolve_device

    return None if resolve_device(context.device).type == "cpu" else DEVICE_BATCH_FRAMES


def default_stages() -> StageRegistry:
    """A registry with every stage this build of Relume has."""
    from engine.render.interp_stage import InterpolateStage
    from engine.render.restore_stages import DeflickerStage, DenoiseStage, DustStage, ScratchStage, StabilizeStage
    from engine.render.stages import ColorizeStage
    from engine.render.upscale_stage import UpscaleStage

    registry = StageRegistry()
    registry.add(StabilizeStage())
    registry.add(DeflickerStage())
    registry.add(DustStage())
    registry.add(ScratchStage())
    registry.add(DenoiseStage())
    registry.add(ColorizeStage())
    registry.add(UpscaleStage())
    registry.add(InterpolateStage())
    return registry
