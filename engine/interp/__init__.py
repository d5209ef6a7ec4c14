"""Frame interpolation: in-between frames by motion, and retiming a shot to another rate.

:mod:`engine.interp.timing` maps output frames to source positions with exact
fractions; :mod:`engine.interp.inbetween` makes one in-between picture from two
neighbours by occlusion-aware flow warping; :mod:`engine.interp.retime` turns a
shot's frames at the source rate into its frames at the output rate, never
across a cut.
"""

from engine.interp.inbetween import Inbetweener
from engine.interp.retime import Boundary, retime_shot
from engine.interp.timing import Retiming

__all__ = ["Boundary", "Inbetweener", "Retiming", "retime_shot"]
