"""Decoded pictures to the engine's RGB arrays, with the right matrix and range.

Sources of 8 bits or less become ``uint8`` RGB, deeper ones ``uint16`` RGB at
full 0–65535 scale (``rgb48le``); gray sources come out with R = G = B.
"""

from __future__ import annotations

import av
import numpy as np
from av.video.reformatter import ColorRange, Colorspace, Interpolation, VideoReformatter

# AVColorSpace values that swscale has a matrix for (the numbers coincide).
_MATRICES = {1: Colorspace.ITU709, 4: Colorspace.FCC, 5: Colorspace.ITU601, 6: Colorspace.ITU601,
             7: Colorspace.SMPTE240M, 9: Colorspace.BT2020, 10: Colorspace.BT2020}
# Exact rounding matters more here than a few percent of speed: frames are compared bit for bit
# and 10-bit sources must keep their low bits.
_INTERPOLATION = Interpolation.BILINEAR | Interpolation.ACCURATE_RND


def bit_depth_of(pix_fmt: str) -> int:
    """Bits per component of a pixel format (8 for paletted or unknown ones)."""
    try:
        return max(c.bits for c in av.VideoFormat(pix_fmt).components)
    except (ValueError, av.error.FFmpegError):
        return 8


def is_gray_format(pix_fmt: str) -> bool:
    """Whether a pixel format stores luma only (``gray``, ``gray10le``, ``ya8``...)."""
    return pix_fmt.startswith(("gray", "ya"))


def output_format(pix_fmt: str) -> str:
    """The PyAV format frames of ``pix_fmt`` are converted to: ``rgb24`` or ``rgb48le``."""
    return "rgb24" if bit_depth_of(pix_fmt) <= 8 else "rgb48le"


def to_rgb(frame: av.VideoFrame, out_format: str, reformatter: VideoReformatter | None = None) -> np.ndarray:
    """Convert a decoded picture to an ``(H, W, 3)`` RGB array.

    Untagged YUV uses BT.709 from 720 lines up and BT.601 below, the convention
    of every player; limited range unless the frame says full.

    Parameters
    ----------
    frame
        A decoded PyAV frame.
    out_format
        ``"rgb24"`` or ``"rgb48le"`` (see :func:`output_format`).
    reformatter
        A reformatter kept across frames of one stream: it reuses its swscale
        context, which is several times faster than building one per frame.
        Not thread-safe; one per source.
    """
    name = frame.format.name
    if name == out_format:
        return frame.to_ndarray()
    matrix = _MATRICES.get(int(frame.colorspace), Colorspace.ITU709 if frame.height >= 720 else Colorspace.ITU601)
    # RGB, gray and paletted pictures are full range by convention unless tagged otherwise.
    yuv = not (frame.format.is_rgb or frame.format.has_palette or is_gray_format(name))
    full = int(frame.color_range) == 2 or name.startswith("yuvj") or (not yuv and int(frame.color_range) != 1)
    converted = (reformatter or VideoReformatter()).reformat(
        frame,
        format=out_format,
        src_colorspace=matrix,
        dst_colorspace=matrix,
        src_color_range=ColorRange.JPEG if full else ColorRange.MPEG,
        dst_color_range=ColorRange.JPEG,
        interpolation=_INTERPOLATION,
    )
    return converted.to_ndarray()
