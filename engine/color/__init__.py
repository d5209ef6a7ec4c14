"""Colorization of gray film by hints, pinned colours and reference images.

The film's luma is kept bit for bit; Relume invents only chroma (BT.709 Cb, Cr)
and fills it along luminance edges by the optimization of Levin, Lischinski &
Weiss (2004) — with its links across strong edges cut, so a colour never seeps
through an outline — solved by an aggregation-multigrid (K-cycle) preconditioned
GMRES in torch (CUDA when present, else the CPU). Work happens at source resolution; chroma is
upsampled later by the render pipeline, never solved at 4K.

Public API
----------
``colorize_frame(frame, hints, pins, *, device=None, settings=ColorSettings(), reference_rgb=None) -> rgb``
    One frame from the hints painted on it (:mod:`engine.color.frame`).
``colorize_shot(frames, keyframe_hints, pins, *, device=None, settings=ColorSettings(), reference_rgb=None,
spool_folder=None, progress=None, cancel=None) -> Iterator[rgb]``
    Every frame of one shot from hints on its keyframes (offsets within the shot),
    carried both ways by optical flow; never crosses a cut because it sees one shot
    (:mod:`engine.color.temporal`).
``ColorSettings(strength=1.0, saturation=1.0, temporal=True, iterations=4)``
    The per-shot settings ``color.strength``, ``color.saturation``, ``color.temporal``.
``transfer_reference(frame, reference_rgb) -> chroma (2, H, W)``
    Welsh-style palette transfer from a colour photograph, the soft prior that hints refine.
``pick_color(image, x, y, radius=2.0) -> "#rrggbb"``
    A pin's colour picked from a reference image.
``rasterize_hints(hints, pins, height, width) -> ChromaConstraints``
    Strokes → exact binary constraint mask and chroma (a pinned hint takes its pin's colour).
``propagate_chroma(luma, fixed, fixed_chroma, *, soft_weight=None, soft_chroma=None, initial=None,
iterations=4) -> chroma``
    The fast solver on tensors; ``levin_exact(...)`` is the scipy reference it is measured against.
``integer_luma(rgb)``, ``compose_rgb(luma, chroma)``, ``rgb_to_chroma(rgb)``
    The bit-exact luma formula and its inverse (:mod:`engine.color.luma`).
``resolve_device(device)``
    The device asked for, else CUDA, MPS, CPU.

Frames are numpy ``(H, W, 3)`` RGB (or ``(H, W)`` luma), uint8 or uint16 full scale.
"""

from __future__ import annotations

from engine.color.exact import levin_exact
from engine.color.frame import ColorSettings, colorize_frame
from engine.color.luma import compose_rgb, integer_luma, rgb_to_chroma
from engine.color.reference import pick_color, transfer_reference
from engine.color.spatial import propagate_chroma, resolve_device
from engine.color.strokes import ChromaConstraints, rasterize_hints
from engine.color.temporal import colorize_shot

__all__ = [
    "ChromaConstraints",
    "ColorSettings",
    "colorize_frame",
    "colorize_shot",
    "compose_rgb",
    "integer_luma",
    "levin_exact",
    "pick_color",
    "propagate_chroma",
    "rasterize_hints",
    "resolve_device",
    "rgb_to_chroma",
    "transfer_reference",
]
