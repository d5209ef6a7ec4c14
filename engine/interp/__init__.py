"""Frame interpolation: in-between frames by motion, and retiming a shot to another rate.

:mod:`engine.interp.timing` maps output frames to source positions with exact
fractions; :mod:`engine.interp.inbetween` makes one in-between picture from two
neighbours by occlusion-aware flow warping; :mod:`engine.interp.retime` turns a
shot's frames at the source rate into its frames at the output rate, never
across a cut.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from engine.interp.timing import Retiming

if TYPE_CHECKING:
    from engine.interp.inbetween import Inbetweener
    from engine.interp.retime import Boundary, retime_shot

__all__ = ["Boundary", "Inbetweener", "Retiming", "retime_shot"]

# The in-between machinery needs torch and OpenCV: it loads on first use, so an
# export at the source rate (which only asks whether to retime) starts without them.
_LAZY = {"Inbetweener": "engine.interp.inbetween", "Boundary": "engine.interp.retime",
         "retime_shot": "engine.interp.retime"}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
