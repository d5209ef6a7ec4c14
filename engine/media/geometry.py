"""Output sizes and how a picture is fitted into them (pillarbox, letterbox, crop).

Pure arithmetic on integers and fractions, no pixels: the writer turns a
:class:`Placement` into a filter graph. Fitting works on the picture as it is
*seen* (storage size × SAR), so a 720×480 frame with SAR 8/9 is treated as 4:3.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from fractions import Fraction

from engine.errors import SettingsError

NAMED_SIZES: dict[str, tuple[int, int]] = {
    "uhd": (3840, 2160),
    "dci4k": (4096, 2160),
    "2k": (2048, 1080),
    "hd": (1920, 1080),
}
SOURCE = "source"
_WXH = re.compile(r"^\s*(\d+)\s*[x×]\s*(\d+)\s*$", re.IGNORECASE)
MAX_SIDE = 16384


class Fit(str, Enum):
    """How a picture whose aspect differs from the target's is placed in it."""

    PAD = "pad"  # whole picture visible, black bars (pillarbox or letterbox)
    CROP = "crop"  # target filled, the overhang cut off equally on both sides
    STRETCH = "stretch"  # target filled, the picture distorted

    @classmethod
    def parse(cls, text: str) -> Fit:
        """The fit called ``text`` (``"pad"``, ``"crop"``, ``"stretch"``).

        Raises
        ------
        SettingsError
            Any other word.
        """
        try:
            return cls(text.strip().lower())
        except ValueError:
            raise SettingsError(f"unknown fit {text!r}; choose one of: {', '.join(f.value for f in cls)}") from None


@dataclass(frozen=True, slots=True)
class Size:
    """An output frame size in pixels."""

    width: int
    height: int

    def __str__(self) -> str:
        return f"{self.width}x{self.height}"


def parse_size(text: str) -> Size | None:
    """Read a size as the restorer types it.

    Parameters
    ----------
    text
        ``uhd``, ``dci4k``, ``2k``, ``hd``, ``source`` or ``WxH`` (``1440x1080``).

    Returns
    -------
    Size or None
        ``None`` for ``source`` (keep the source's size).

    Raises
    ------
    SettingsError
        Anything else, or a side of zero or beyond 16384.
    """
    key = text.strip().lower()
    if key == SOURCE:
        return None
    if key in NAMED_SIZES:
        return Size(*NAMED_SIZES[key])
    match = _WXH.match(key)
    if match is None:
        names = ", ".join([*NAMED_SIZES, SOURCE])
        raise SettingsError(f"unknown size {text!r}; give one of {names} or WIDTHxHEIGHT")
    width, height = int(match[1]), int(match[2])
    if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
        raise SettingsError(f"size {text!r} is out of range (each side 1 to {MAX_SIDE} pixels)")
    return Size(width, height)


@dataclass(frozen=True, slots=True)
class Placement:
    """Where the scaled picture lands in the output frame.

    The source (after an optional crop of its stored pixels) is scaled to
    ``scaled_width × scaled_height`` and put at ``(pad_x, pad_y)`` in an
    ``out_width × out_height`` frame; the rest is black.

    Attributes
    ----------
    crop_x, crop_y, crop_width, crop_height
        Window of the source's stored pixels that is kept.
    scaled_width, scaled_height
        Size of that window after scaling.
    pad_x, pad_y
        Top-left corner of the scaled picture in the output.
    out_width, out_height
        Output frame size.
    sar
        Sample aspect ratio to tag the output with.
    """

    crop_x: int
    crop_y: int
    crop_width: int
    crop_height: int
    scaled_width: int
    scaled_height: int
    pad_x: int
    pad_y: int
    out_width: int
    out_height: int
    sar: Fraction = Fraction(1)

    @property
    def scales(self) -> bool:
        """Whether the kept window changes size."""
        return (self.scaled_width, self.scaled_height) != (self.crop_width, self.crop_height)

    @property
    def pads(self) -> bool:
        """Whether black bars surround the picture."""
        return (self.scaled_width, self.scaled_height) != (self.out_width, self.out_height)


def _round_to(value: Fraction | float, step: int) -> int:
    """Nearest multiple of ``step`` (ties up), at least ``step``."""
    return max(step, int(Fraction(value) / step + Fraction(1, 2)) * step)


def _round_up(value: int, step: int) -> int:
    return -(-value // step) * step


def fit(
    width: int,
    height: int,
    target: Size | None,
    mode: Fit = Fit.PAD,
    sar: Fraction = Fraction(1),
    align: tuple[int, int] = (1, 1),
) -> Placement:
    """Place a ``width × height`` picture of pixel aspect ``sar`` into ``target``.

    Parameters
    ----------
    width, height
        Stored size of the source picture.
    target
        Output size, or ``None`` to keep the source's (its SAR is then carried
        as a tag rather than resampled).
    mode
        :class:`Fit` used when the display aspects differ.
    sar
        The source's sample aspect ratio.
    align
        Horizontal and vertical step every size and offset must be a multiple of
        (2 for the chroma of 4:2:2 horizontally, 2 both ways for 4:2:0).

    Returns
    -------
    Placement
        Crop window, scaled size and offsets.

    Raises
    ------
    SettingsError
        ``target`` is not a multiple of ``align`` (an odd size for a 4:2:x codec).
    """
    ax, ay = align
    sar = sar if sar > 0 else Fraction(1)
    if target is None:
        # Keep every stored pixel; an odd side for a subsampled codec gets one black
        # line at the right/bottom rather than a resample of the whole picture.
        out_w, out_h = _round_up(width, ax), _round_up(height, ay)
        return Placement(0, 0, width, height, width, height, 0, 0, out_w, out_h, sar)
    if target.width % ax or target.height % ay:
        raise SettingsError(f"size {target} must be a multiple of {ax}×{ay} for this preset's chroma subsampling")
    tw, th = target.width, target.height
    display_aspect = Fraction(width) * sar / height
    target_aspect = Fraction(tw, th)
    if mode is Fit.STRETCH or display_aspect == target_aspect:
        return Placement(0, 0, width, height, tw, th, 0, 0, tw, th)
    if mode is Fit.PAD:
        if display_aspect > target_aspect:  # wider than the target: letterbox
            sw, sh = tw, min(th, _round_to(tw / display_aspect, ay))
        else:  # narrower: pillarbox
            sw, sh = min(tw, _round_to(th * display_aspect, ax)), th
        pad_x = (tw - sw) // 2 // ax * ax
        pad_y = (th - sh) // 2 // ay * ay
        return Placement(0, 0, width, height, sw, sh, pad_x, pad_y, tw, th)
    # CROP: keep the centre window of the source whose display aspect is the target's.
    if display_aspect > target_aspect:  # cut the sides
        cw = max(1, min(width, round(Fraction(height) * target_aspect / sar)))
        ch = height
    else:  # cut top and bottom
        cw = width
        ch = max(1, min(height, round(Fraction(width) * sar / target_aspect)))
    return Placement((width - cw) // 2, (height - ch) // 2, cw, ch, tw, th, 0, 0, tw, th)


def chroma_alignment(pix_fmt: str) -> tuple[int, int]:
    """Horizontal and vertical alignment a pixel format's chroma subsampling needs.

    ``yuv422p10le`` → ``(2, 1)``, ``yuv420p`` → ``(2, 2)``, 4:4:4 and RGB → ``(1, 1)``.
    """
    if pix_fmt.startswith(("yuv420", "yuva420", "nv12", "nv21")):
        return (2, 2)
    if pix_fmt.startswith(("yuv422", "yuva422", "nv16", "nv20")):
        return (2, 1)
    if pix_fmt.startswith(("yuv411",)):
        return (4, 1)
    return (1, 1)
