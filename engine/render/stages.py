"""The colorize stage Relume's own colorization contributes to the pipeline.

A thin adapter from a shot's :class:`~engine.render.spec.RenderSpec` to the
colorizer, which itself knows nothing of specs. The restoration stages are in
:mod:`engine.render.restore_stages`; upscaling and interpolation have modules
of their own.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from engine.errors import MediaError
from engine.render.pipeline import Frames, StageContext
from engine.render.spec import RenderSpec


def load_reference(path: Path) -> np.ndarray:
    """A color reference photograph as 8-bit RGB.

    Raises
    ------
    MediaError
        The file is missing or does not decode as an image.
    """
    from engine.media.stills import read_still

    if not path.is_file():
        raise MediaError("color reference image not found", path)
    return read_still(path).to_ndarray(format="rgb24")


class ColorizeStage:
    """``color.*``: colorize the shot from its hints and reference, at source resolution."""

    name = "colorize"

    def wanted(self, spec: RenderSpec) -> bool:
        """Whether the shot has hints or a reference and colorization is on."""
        return spec.colorizes

    def lead_in(self, spec: RenderSpec) -> int:
        """Frames before the shot's first keyframe are coloured by carrying it back to them."""
        keyframes = [k for k, hints in spec.keyframe_hints.items() if hints]
        return min(keyframes) if keyframes and spec.flag("color.temporal") else 0

    def apply(self, frames: Frames, spec: RenderSpec, context: StageContext) -> Frames:
        """Frames colorized by :func:`engine.color.colorize_shot` (torch on ``context.device``)."""
        from engine.color import ColorSettings, colorize_shot

        settings = ColorSettings(
            strength=float(spec.value("color.strength")),  # type: ignore[arg-type]
            saturation=float(spec.value("color.saturation")),  # type: ignore[arg-type]
            temporal=spec.flag("color.temporal"),
        )
        reference = spec.reference
        # Hints already carry their resolved colors, so no pin table is needed.
        return colorize_shot(
            frames,
            spec.keyframe_hints,
            {},
            device=context.device,
            settings=settings,
            reference_rgb=None if reference is None else load_reference(reference),
            spool_folder=context.spool_folder,
            cancel=context.cancel,
        )
