"""Relume's old-film detector as a PySceneDetect ``SceneDetector``.

So it plugs into PySceneDetect's machinery (``SceneManager``, its stats and
its CLI-side tooling) beside ``ContentDetector`` and ``AdaptiveDetector``.
Cuts are settled once the whole film is seen (dissolves and fades need frames
on both sides), so they all come from :meth:`OldFilmDetector.post_process`.
"""

from __future__ import annotations

import numpy as np
from scenedetect import FrameTimecode, SceneDetector

from engine.cuts.cutlist import Transition
from engine.cuts.features import frame_features
from engine.cuts.tracker import DetectionSettings, ShotChangeTracker


class OldFilmDetector(SceneDetector):
    """Finds cuts, dissolves and fades through flicker, grain, dust, scratches and weave.

    Parameters
    ----------
    settings
        Shortest shot and sensitivity.
    """

    def __init__(self, settings: DetectionSettings = DetectionSettings()) -> None:
        super().__init__()
        self._tracker = ShotChangeTracker(settings)
        self.transitions: list[Transition] = []

    def process_frame(self, timecode: FrameTimecode, frame_img: np.ndarray) -> list[FrameTimecode]:
        """Take the next frame (BGR, as PySceneDetect decodes); cuts come at the end."""
        self._tracker.push(frame_features(frame_img[..., ::-1]))
        return []

    def post_process(self, timecode: FrameTimecode) -> list[FrameTimecode]:
        """Every cut of the film; the transitions are kept in :attr:`transitions`."""
        cuts, self.transitions = self._tracker.finish()
        return [FrameTimecode(cut.frame, fps=timecode.frame_rate) for cut in cuts]
