"""Tell black-and-white footage from color by the chroma of a few frames."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

# Spread between the largest and smallest of R, G, B, as a fraction of full scale, that
# 99 % of pixels must stay under. Compressed 4:2:0 gray video wobbles by a code value or
# two; the faintest tint of a color picture is well above 2 %.
CHROMA_TOLERANCE = 0.02


def looks_gray(frames: Iterable[np.ndarray], tolerance: float = CHROMA_TOLERANCE) -> bool:
    """Whether every frame's chroma is about zero (R ≈ G ≈ B).

    Parameters
    ----------
    frames
        RGB frames, ``uint8`` or ``uint16``.
    tolerance
        Allowed spread of R, G, B as a fraction of full scale (99th percentile).
    """
    seen = False
    for frame in frames:
        seen = True
        full = 255 if frame.dtype == np.uint8 else 65535
        picture = frame[::2, ::2].astype(np.int32)  # every other pixel is plenty for a verdict
        spread = picture.max(axis=-1) - picture.min(axis=-1)
        if np.percentile(spread, 99) > tolerance * full:
            return False
    return seen


def sample_indices(frame_count: int, samples: int) -> list[int]:
    """``samples`` frame indices spread evenly over ``frame_count`` frames."""
    if frame_count <= 0:
        return []
    samples = max(1, min(samples, frame_count))
    return sorted({round(i * (frame_count - 1) / max(samples - 1, 1)) for i in range(samples)})
