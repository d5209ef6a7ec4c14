"""Presets: a registry of deliverables whose encoders really exist in this FFmpeg."""

from __future__ import annotations

import av
import pytest

from engine.errors import SettingsError
from engine.media.presets import DEFAULT_PRESET, PRESETS, Preset, PresetRegistry

EXPECTED = ("prores-4444", "prores-422hq", "dnxhr-hqx", "ffv1", "dpx", "tiff", "exr", "h264", "h265")


def test_every_deliverable_is_registered_in_help_order() -> None:
    assert PRESETS.names() == EXPECTED
    assert DEFAULT_PRESET == "prores-422hq"
    lines = PRESETS.help_text().splitlines()
    assert [line.split()[0] for line in lines] == list(EXPECTED)


@pytest.mark.parametrize("name", EXPECTED)
def test_encoder_takes_the_preset_pixel_format(name: str) -> None:
    preset = PRESETS.get(name)
    codec = av.codec.Codec(preset.codec, "w")
    formats = {f.name for f in codec.video_formats}
    assert preset.pix_fmt in formats
    if preset.deep_pix_fmt:
        assert preset.deep_pix_fmt in formats


def test_master_facts() -> None:
    assert PRESETS.get("prores-4444").pix_fmt == "yuv444p10le"
    assert PRESETS.get("prores-4444").options["profile"] == "4"
    assert PRESETS.get("prores-422hq").options["profile"] == "3"
    assert PRESETS.get("dnxhr-hqx").options["profile"] == "dnxhr_hqx"
    assert PRESETS.get("dnxhr-hqx").extensions == (".mov", ".mxf")
    ffv1 = PRESETS.get("ffv1")
    assert ffv1.lossless and ffv1.options["level"] == "3" and ffv1.options["slicecrc"] == "1"
    assert ffv1.pix_fmt_for(8) == "yuv444p10le" and ffv1.pix_fmt_for(10) == "yuv444p10le"
    assert ffv1.pix_fmt_for(16) == "gbrp16le"
    assert all(PRESETS.get(n).sequence for n in ("dpx", "tiff", "exr"))
    assert not any(PRESETS.get(n).intra_only for n in ("h264", "h265"))
    assert all(p.intra_only for p in PRESETS if p.name not in ("h264", "h265"))


def test_unknown_preset_lists_the_known_ones() -> None:
    with pytest.raises(SettingsError, match="prores-422hq"):
        PRESETS.get("prores-xq")


def test_registry_refuses_duplicates() -> None:
    preset = Preset("x", "x", codec="ffv1", pix_fmt="yuv444p", extensions=(".mkv",))
    with pytest.raises(ValueError, match="twice"):
        PresetRegistry([preset, preset])
