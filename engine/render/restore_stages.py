"""The restoration stages: stabilize, deflicker, dust, scratches, denoise — thin adapters to ``engine.restore``.

They run in that order, before colorize, on the film's own pictures: weave is
taken out first (every later stage compares a frame with its neighbours, and a
weaving frame matches them worse), the exposure is evened next (the dust test
compares brightness with the neighbours'), and dust and scratches go before
denoise (a temporal average would smear a speck over its neighbours, and a
scratch over the picture moving under it, instead of removing them). Each
stage is temporal and says how many frames past a shot's first it reads to make
that first frame (``lead_in``); the registry adds them up.
"""

from __future__ import annotations

from engine.render.pipeline import Frames, StageContext
from engine.render.spec import RenderSpec


class StabilizeStage:
    """``restore.stabilize.*``: take the gate weave out of the shot, keeping its camera moves."""

    name = "stabilize"

    def wanted(self, spec: RenderSpec) -> bool:
        """Whether stabilizing is enabled for the shot."""
        return spec.flag("restore.stabilize.enabled")

    def lead_in(self, spec: RenderSpec) -> int:
        """A frame's steady position is judged over the frames around it."""
        from engine.restore.stabilize import SMOOTHING_RADIUS

        return SMOOTHING_RADIUS

    def apply(self, frames: Frames, spec: RenderSpec, context: StageContext) -> Frames:
        """The shot's frames moved onto their smoothed path."""
        from engine.restore.stabilize import stabilize

        return stabilize(frames, context.cancel)


class DeflickerStage:
    """``restore.deflicker.*``: equalize exposure within the shot."""

    name = "deflicker"

    def wanted(self, spec: RenderSpec) -> bool:
        """Whether deflicker is enabled for the shot."""
        return spec.flag("restore.deflicker.enabled")

    def lead_in(self, spec: RenderSpec) -> int:
        """A frame's steady exposure averages half a window ahead of it."""
        return max(1, int(spec.value("restore.deflicker.window")) // 2)

    def apply(self, frames: Frames, spec: RenderSpec, context: StageContext) -> Frames:
        """Deflickered frames over a window of ``restore.deflicker.window`` frames."""
        from engine.restore.deflicker import deflicker

        return deflicker(frames, int(spec.value("restore.deflicker.window")), context.cancel)


class DustStage:
    """``restore.dust.*``: repair one-frame dust and dirt from the neighbouring frames."""

    name = "dust"

    def wanted(self, spec: RenderSpec) -> bool:
        """Whether dust repair is enabled for the shot."""
        return spec.flag("restore.dust.enabled")

    def lead_in(self, spec: RenderSpec) -> int:
        """Dirt is told from picture by the frame after it."""
        from engine.restore.dust import REACH

        return REACH

    def apply(self, frames: Frames, spec: RenderSpec, context: StageContext) -> Frames:
        """The shot's frames with their specks filled from the neighbours."""
        from engine.restore.dust import repair_dust

        return repair_dust(frames, float(spec.value("restore.dust.strength")), context.cancel)  # type: ignore[arg-type]


class ScratchStage:
    """``restore.scratches.*``: repair long vertical scratches, which dust repair cannot see."""

    name = "scratches"

    def wanted(self, spec: RenderSpec) -> bool:
        """Whether scratch repair is enabled for the shot."""
        return spec.flag("restore.scratches.enabled")

    def lead_in(self, spec: RenderSpec) -> int:
        """A scratch is told from a line of the picture by the frames around it."""
        from engine.restore.scratches import REACH

        return REACH

    def apply(self, frames: Frames, spec: RenderSpec, context: StageContext) -> Frames:
        """The shot's frames with their scratches filled from the picture beside them."""
        from engine.restore.scratches import repair_scratches

        return repair_scratches(frames, float(spec.value("restore.scratches.strength")),  # type: ignore[arg-type]
                                context.cancel)


class DenoiseStage:
    """``restore.denoise.*``: motion-compensated temporal denoising."""

    name = "denoise"

    def wanted(self, spec: RenderSpec) -> bool:
        """Whether denoising is enabled (with a strength above nothing) for the shot."""
        strength = float(spec.value("restore.denoise.strength"))  # type: ignore[arg-type]
        return spec.flag("restore.denoise.enabled") and strength > 0

    def lead_in(self, spec: RenderSpec) -> int:
        """A frame is averaged with the frames around it."""
        from engine.restore.denoise import RADIUS

        return RADIUS

    def apply(self, frames: Frames, spec: RenderSpec, context: StageContext) -> Frames:
        """The shot's frames denoised by ``restore.denoise.strength``."""
        from engine.restore.denoise import denoise

        return denoise(frames, float(spec.value("restore.denoise.strength")), context.cancel)  # type: ignore[arg-type]
