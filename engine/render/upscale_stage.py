"""``upscale.*``: the upscale stage, which makes the master's scaled picture before the writer pads it.

The export's :class:`~engine.media.geometry.Placement` says which window of the
source is kept and the size it is scaled to. When the shot's upscaler is
Relume's network (``relume``, or ``auto`` when the picture is enlarged), a
model file or plain ``bicubic``, this stage crops and scales every frame
itself, and the writer is given :func:`after_upscale`'s placement, so it only
pads and converts. With ``lanczos`` (or ``auto`` when the picture is not
enlarged) the stage leaves the frames alone and the writer's own swscale
Lanczos conform scales them, exactly as before. :func:`resolve_upscaler`
decides both, so stage and writer always agree.

On an accelerator the stage works on the pipeline's batches of frames already
on the device (:mod:`engine.upscale.on_device`); on the CPU it takes plain
frames and OpenCV does the resampling and guided chroma. Previews have no
placement (they render at viewer size) and pass through.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from engine.media.geometry import Placement
from engine.media.writer import MasterSpec
from engine.render.pipeline import Frames, StageContext, StageRegistry
from engine.render.spec import RenderSpec

if TYPE_CHECKING:
    from engine.render.batches import FrameBatch
    from engine.render.export import Stages
    from engine.upscale.upscaler import Upscaler

AUTO = "auto"
# What the writer's own conform does (no stage work).
CONFORM = "lanczos"


def enlarges(placement: Placement) -> bool:
    """Whether the kept window is scaled up (in either direction, not down in the other)."""
    p = placement
    grows = p.scaled_width > p.crop_width or p.scaled_height > p.crop_height
    shrinks = p.scaled_width < p.crop_width or p.scaled_height < p.crop_height
    return grows and not shrinks


def resolve_upscaler(name: str, placement: Placement | None) -> str | None:
    """The upscaler that makes the scaled picture, ``None`` when the writer's own Lanczos does it.

    ``auto`` is Relume's network when the picture is enlarged, the writer's
    Lanczos otherwise; nothing is upscaled without a placement (previews) or
    when the picture keeps its size.
    """
    if placement is None or not placement.scales:
        return None
    if name == AUTO:
        name = "relume" if enlarges(placement) else CONFORM
    return None if name == CONFORM else name


def resolved_upscaler(spec: RenderSpec, placement: Placement | None) -> str | None:
    """:func:`resolve_upscaler` for a shot's ``upscale.upscaler``."""
    return resolve_upscaler(str(spec.value("upscale.upscaler")), placement)


def after_upscale(placement: Placement) -> Placement:
    """The writer's placement for frames the stage already cropped and scaled: pad only."""
    p = placement
    return replace(p, crop_x=0, crop_y=0, crop_width=p.scaled_width, crop_height=p.scaled_height)


def writer_spec(spec: MasterSpec, shot: RenderSpec, registry: StageRegistry) -> MasterSpec:
    """The master spec a shot's frames are written with (pad only when the upscale stage scaled them)."""
    if "upscale" in registry and resolved_upscaler(shot, spec.placement) is not None:
        return replace(spec, placement=after_upscale(spec.placement))
    return spec


class UpscaleStage:
    """``upscale.upscaler``: crop and enlarge to the placement's scaled size, luma by the upscaler."""

    name = "upscale"

    def wanted(self, spec: RenderSpec) -> bool:
        """Whether the shot may need the stage (the placement decides in :meth:`apply`)."""
        return str(spec.value("upscale.upscaler")) != CONFORM

    def apply(self, frames: Frames, spec: RenderSpec, context: StageContext) -> Frames:
        """Frames cropped to the placement's window and scaled to its scaled size (unchanged when not scaling)."""
        name = resolved_upscaler(spec, context.placement)
        if name is None or context.placement is None:
            return frames
        return upscaled(frames, context.placement, name, context.device)

    def apply_batches(self, batches: Iterator[FrameBatch], spec: RenderSpec,
                      context: StageContext) -> Iterator[FrameBatch]:
        """:meth:`apply` on batches of frames kept on the render device."""
        name = resolved_upscaler(spec, context.placement)
        if name is None or context.placement is None:
            return batches
        from engine.color.spatial import resolve_device
        from engine.upscale.upscaler import upscaler_named

        upscaler = upscaler_named(name, str(resolve_device(context.device)))
        return _enlarged_batches(batches, context.placement, upscaler)


def upscaled(frames: Frames, placement: Placement, name: str, device: str | None = None) -> Frames:
    """Each frame's kept window enlarged to the placement's scaled size by upscaler ``name``.

    The upscaler is loaded (and a bad name refused with a ``SettingsError``)
    at the call, before the first frame is pulled.
    """
    from engine.upscale.upscaler import upscaler_named

    return _enlarged(frames, placement, upscaler_named(name, device))


def plain_upscaling(name: str, spec: MasterSpec, stages: Stages | None) -> tuple[Stages | None, MasterSpec]:
    """For a plain media export: the stages with the upscaler after them, and the writer's spec.

    Unchanged when :func:`resolve_upscaler` leaves the scaling to the writer.
    """
    upscaler = resolve_upscaler(name, spec.placement)
    if upscaler is None:
        return stages, spec
    from engine.upscale.upscaler import upscaler_named

    loaded = upscaler_named(upscaler)
    placement = spec.placement

    def run(frames: Frames) -> Frames:
        return _enlarged(stages(frames) if stages is not None else frames, placement, loaded)

    return run, replace(spec, placement=after_upscale(placement))


def _enlarged_batches(batches: Iterator[FrameBatch], p: Placement, upscaler: Upscaler) -> Iterator[FrameBatch]:
    """Each batch's kept window enlarged to the placement's scaled size, on the batch's device."""
    import torch

    from engine.color.luma import peak_of
    from engine.upscale.on_device import upscale_pictures

    size = (p.scaled_width, p.scaled_height)
    for batch in batches:
        window = batch.pixels[:, :, p.crop_y : p.crop_y + p.crop_height, p.crop_x : p.crop_x + p.crop_width]
        # One picture at a time: the recomposition's 64-bit intermediates of a whole batch
        # of 4K pictures would not fit a laptop's GPU.
        pictures = [upscale_pictures(window[i : i + 1], size, upscaler, peak_of(batch.dtype))
                    for i in range(len(batch))]
        yield batch.with_pixels(torch.cat(pictures))


def _enlarged(frames: Frames, p: Placement, upscaler: Upscaler) -> Frames:
    """Each frame's kept window enlarged to the placement's scaled size."""
    from engine.upscale.upscaler import upscale_frame

    size = (p.scaled_width, p.scaled_height)
    for rgb in frames:
        window = rgb[p.crop_y : p.crop_y + p.crop_height, p.crop_x : p.crop_x + p.crop_width]
        yield upscale_frame(window, size, upscaler)
