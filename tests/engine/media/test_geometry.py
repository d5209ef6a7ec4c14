"""Sizes and fitting: pillarbox, letterbox, crop and stretch, honouring the pixel aspect."""

from __future__ import annotations

from fractions import Fraction

import pytest

from engine.errors import SettingsError
from engine.media.geometry import Fit, Size, chroma_alignment, fit, parse_size

UHD = Size(3840, 2160)


@pytest.mark.parametrize(
    ("text", "size"),
    [("uhd", Size(3840, 2160)), ("DCI4K", Size(4096, 2160)), ("2k", Size(2048, 1080)), ("hd", Size(1920, 1080)),
     ("1440x1080", Size(1440, 1080)), (" 720 X 576 ", Size(720, 576)), ("source", None)],
)
def test_parse_size(text: str, size: Size | None) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["4k", "0x1080", "1920x", "x", "99999x10", "-1x5"])
def test_bad_sizes_are_refused(text: str) -> None:
    with pytest.raises(SettingsError):
        parse_size(text)


def test_fit_parse() -> None:
    assert Fit.parse("CROP") is Fit.CROP
    with pytest.raises(SettingsError, match="pad, crop, stretch"):
        Fit.parse("zoom")


def test_4_3_is_pillarboxed_into_uhd() -> None:
    p = fit(640, 480, UHD)
    assert (p.scaled_width, p.scaled_height) == (2880, 2160)
    assert (p.pad_x, p.pad_y, p.out_width, p.out_height) == (480, 0, 3840, 2160)
    assert p.pads and p.scales


def test_scope_is_letterboxed_into_uhd() -> None:
    p = fit(2048, 858, UHD, align=(2, 1))  # 2.39:1
    assert p.scaled_width == 3840 and p.scaled_height == 1609  # 3840 × 858 / 2048 = 1608.75
    assert p.pad_x == 0 and p.pad_y == 275


def test_sar_is_honoured_dvd_4_3() -> None:
    """A 720×480 frame with SAR 8/9 is 4:3 on screen: 2880 wide in UHD, not 3240."""
    p = fit(720, 480, UHD, Fit.PAD, sar=Fraction(8, 9), align=(2, 1))
    assert (p.scaled_width, p.scaled_height, p.pad_x) == (2880, 2160, 480)
    assert p.sar == 1
    anamorphic = fit(720, 576, UHD, Fit.PAD, sar=Fraction(64, 45), align=(2, 1))  # PAL 16:9
    assert (anamorphic.scaled_width, anamorphic.scaled_height, anamorphic.pads) == (3840, 2160, False)


def test_crop_fills_the_frame_from_the_centre() -> None:
    p = fit(640, 480, UHD, Fit.CROP)
    assert (p.crop_width, p.crop_height) == (640, 360)
    assert (p.crop_x, p.crop_y) == (0, 60)
    assert (p.scaled_width, p.scaled_height, p.pads) == (3840, 2160, False)
    wide = fit(720, 480, Size(1440, 1080), Fit.CROP, sar=Fraction(32, 27))  # 16:9 anamorphic into 4:3
    assert wide.crop_height == 480 and wide.crop_width == 540 and wide.crop_x == 90


def test_stretch_ignores_aspect() -> None:
    p = fit(640, 480, UHD, Fit.STRETCH)
    assert (p.crop_width, p.crop_height, p.scaled_width, p.scaled_height, p.pad_x, p.pad_y) == (640, 480, 3840, 2160, 0, 0)


def test_source_size_keeps_pixels_and_sar() -> None:
    p = fit(720, 480, None, sar=Fraction(8, 9))
    assert (p.out_width, p.out_height, p.scales, p.pads, p.sar) == (720, 480, False, False, Fraction(8, 9))


def test_odd_source_gets_even_frame_for_subsampled_codecs() -> None:
    p = fit(641, 481, None, align=chroma_alignment("yuv420p"))
    assert (p.out_width, p.out_height) == (642, 482)
    assert (p.scaled_width, p.scaled_height, p.pad_x, p.pad_y) == (641, 481, 0, 0)
    assert fit(641, 481, None, align=chroma_alignment("yuv444p10le")).pads is False
    assert fit(641, 481, None, align=chroma_alignment("yuv422p10le")).out_width == 642


def test_offsets_and_sizes_respect_chroma_alignment() -> None:
    for width, height in [(641, 481), (720, 486), (1000, 999), (333, 777)]:
        p = fit(width, height, UHD, align=(2, 2))
        assert p.scaled_width % 2 == p.scaled_height % 2 == p.pad_x % 2 == p.pad_y % 2 == 0
        assert p.pad_x + p.scaled_width <= 3840 and p.pad_y + p.scaled_height <= 2160


def test_odd_target_refused_for_subsampled_codec() -> None:
    with pytest.raises(SettingsError, match="multiple of 2"):
        fit(640, 480, Size(1919, 1080), align=(2, 1))


def test_chroma_alignment() -> None:
    assert chroma_alignment("yuv422p10le") == (2, 1)
    assert chroma_alignment("yuv420p") == (2, 2)
    assert chroma_alignment("yuv444p10le") == (1, 1)
    assert chroma_alignment("gbrp10le") == (1, 1)
