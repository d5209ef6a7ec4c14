"""``interp.*`` and ``export.fps``: a master at another frame rate, shot by shot.

A change of rate is decided for the whole film (``export.fps``), but every shot
is retimed on its own (:func:`engine.interp.retime_shot`), after its other
stages, so nothing is ever invented across a cut. Each shot owns the output
frames whose time falls inside it (:class:`~engine.interp.Retiming`, exact
fractions), so the shots' segments tile the master without gap or overlap and
the master lasts as long as the source within one output frame: the source's
audio, copied unchanged, stays in sync.

:class:`InterpolateStage` is what a :class:`~engine.render.pipeline.StageRegistry`
holds to say the build can retime; at the source rate it changes nothing (the
pipeline's per-shot stages keep the rate), and :class:`FilmRetiming` does the
retiming in the export, where the shot's place in the film is known.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from engine.errors import SettingsError
from engine.interp.timing import Retiming
from engine.project.model import Project
from engine.project.settings import SettingValue
from engine.render.pipeline import Frames, StageContext, StageRegistry
from engine.render.spec import RenderSpec, ShotRender
from engine.render.upscale_stage import resolved_upscaler


class InterpolateStage:
    """``interp.enabled``: in-between frames when the export rate differs from the source's.

    Previews and exports at the source rate keep every frame as it is; the
    export retimes each shot through :class:`FilmRetiming`.
    """

    name = "interpolate"

    def wanted(self, spec: RenderSpec) -> bool:
        """Never at the source rate: the rate change is the export's (see :class:`FilmRetiming`)."""
        return False

    def apply(self, frames: Frames, spec: RenderSpec, context: StageContext) -> Frames:
        """The frames unchanged (the source rate)."""
        return frames


@dataclass(frozen=True, slots=True)
class FilmRetiming:
    """How the export retimes every shot of a film.

    Attributes
    ----------
    retiming
        Source and master rates.
    transitions
        The film's dissolves and fades ``[first, end)``, blended rather than warped.
    """

    retiming: Retiming
    transitions: tuple[tuple[int, int], ...] = ()

    def output_range(self, item: ShotRender) -> range:
        """The master frames the shot owns."""
        return self.retiming.output_range(item.shot.start, item.shot.end)

    def segment_key(self, spec_key: str) -> str:
        """A segment's identity: the shot's look and the master rate."""
        return f"{spec_key}@{self.retiming.output_fps}"

    def frames(self, rendered: Frames, item: ShotRender, following: Callable[[], np.ndarray | None],
               context: StageContext) -> Frames:
        """The shot's rendered source-rate frames at the master rate.

        ``following`` gives the next shot's first frame as rendered; it is only
        called when the shot blends at its boundary.
        """
        from engine.interp.retime import Boundary, retime_shot

        spec = item.spec
        boundary = Boundary(str(spec.value("interp.boundary")))
        return retime_shot(
            rendered,
            item.shot.start,
            item.shot.end,
            self.retiming,
            motion=spec.flag("interp.enabled"),
            boundary=boundary,
            following=following() if boundary == Boundary.BLEND else None,
            transitions=self.transitions,
            device=context.device,
            cancel=context.cancel,
            regrain=spec.flag("interp.regrain"),
            film_width=_film_width(spec, context),
        )


def _film_width(spec: RenderSpec, context: StageContext) -> int | None:
    """The film's width when the upscale stage has enlarged the shot's frames from it (``None``: not enlarged).

    Frames the writer's own conform scales reach the retiming at the source's size.
    """
    placement = context.placement
    if placement is None or resolved_upscaler(spec, placement) is None:
        return None
    return placement.crop_width


def film_retiming(project: Project, fps: SettingValue, registry: StageRegistry) -> FilmRetiming | None:
    """The export's retiming for ``export.fps`` (``None`` at the source rate).

    Raises
    ------
    SettingsError
        A rate change while ``registry`` has no interpolate stage.
    """
    if fps == "source" or fps == project.fps:
        return None
    if "interpolate" not in registry:
        raise SettingsError("export.fps: changing the frame rate needs the interpolate stage, "
                            "which is not available in this build of Relume")
    rate = fps if isinstance(fps, Fraction) else Fraction(str(fps))
    transitions = tuple((t.start, t.end) for t in project.transitions)
    return FilmRetiming(Retiming(Fraction(project.fps), rate), transitions)
