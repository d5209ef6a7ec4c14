"""The restorer's names for the settings (the engine knows them by dotted key)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def _tr(text: str) -> str:
    return QCoreApplication.translate("Inspector", text)


def setting_label(key: str) -> str:
    """The restorer's name for setting ``key`` in the inspector (the dotted key itself if it has none)."""
    labels = {
        "restore.stabilize.enabled": _tr("Stabilize"),
        "restore.deflicker.enabled": _tr("Deflicker"),
        "restore.deflicker.window": _tr("Deflicker window (frames)"),
        "restore.dust.enabled": _tr("Dust and dirt repair"),
        "restore.dust.strength": _tr("Dust repair strength"),
        "restore.scratches.enabled": _tr("Scratch repair"),
        "restore.scratches.strength": _tr("Scratch repair strength"),
        "restore.denoise.enabled": _tr("Denoise"),
        "restore.denoise.strength": _tr("Denoise strength"),
        "color.enabled": _tr("Colorize"),
        "color.strength": _tr("Color strength"),
        "color.saturation": _tr("Saturation"),
        "color.temporal": _tr("Carry hints through the shot"),
        "color.reference": _tr("Reference photograph"),
        "upscale.upscaler": _tr("Upscaler"),
        "interp.enabled": _tr("Interpolate frames"),
        "interp.boundary": _tr("At a cut"),
        "interp.regrain": _tr("Regrain invented frames"),
    }
    return labels.get(key, key)
