"""Master and review-copy presets: what each deliverable is made of.

A preset is data, not behaviour: codec, pixel format, container, encoder options
and the facts the writer and the verifier need (intra-only, lossless, audio,
image sequence). :data:`PRESETS` is a registry built from them; the writer reads
whatever preset it is given, so adding a deliverable is adding one entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from engine.errors import SettingsError


@dataclass(frozen=True, slots=True)
class Preset:
    """One deliverable format.

    Attributes
    ----------
    name
        What the restorer types (``"prores-422hq"``).
    description
        One line for help text.
    codec
        FFmpeg encoder name.
    pix_fmt
        Pixel format the encoder receives.
    extensions
        File extensions the preset may be written as; the first is the default.
        For a sequence, the extension of each frame file.
    options
        Encoder options, as FFmpeg spells them.
    deep_pix_fmt
        Pixel format used instead of ``pix_fmt`` for sources deeper than 10 bits
        (FFV1 keeps 16-bit scans as 16-bit RGB), or ``None``.
    intra_only
        Every frame is a keyframe (masters); ``False`` for long-GOP review copies.
    lossless
        The codec is mathematically lossless at ``pix_fmt``.
    carries_audio
        Audio goes into the file (container presets) or, for a sequence, into a
        sidecar WAV beside it.
    sequence
        Written as one numbered image file per frame.
    rgb
        ``pix_fmt`` is RGB (tagged full range, RGB matrix) rather than Y'CbCr.
    """

    name: str
    description: str
    codec: str
    pix_fmt: str
    extensions: tuple[str, ...]
    options: Mapping[str, str] = field(default_factory=dict)
    deep_pix_fmt: str | None = None
    intra_only: bool = True
    lossless: bool = False
    carries_audio: bool = True
    sequence: bool = False
    rgb: bool = False

    @property
    def extension(self) -> str:
        """The default extension (``".mov"``)."""
        return self.extensions[0]

    def pix_fmt_for(self, source_bit_depth: int) -> str:
        """The pixel format to encode a source of ``source_bit_depth`` bits in."""
        if self.deep_pix_fmt is not None and source_bit_depth > 10:
            return self.deep_pix_fmt
        return self.pix_fmt


class PresetRegistry:
    """Presets by name, in the order help text lists them; refuses duplicates."""

    def __init__(self, presets: Iterable[Preset] = ()) -> None:
        self._presets: dict[str, Preset] = {}
        for preset in presets:
            self.add(preset)

    def add(self, preset: Preset) -> None:
        """Register ``preset``; a second preset of the same name is a mistake."""
        if preset.name in self._presets:
            raise ValueError(f"preset {preset.name!r} is registered twice")
        self._presets[preset.name] = preset

    def get(self, name: str) -> Preset:
        """The preset called ``name``.

        Raises
        ------
        SettingsError
            No such preset; the message lists the known ones.
        """
        try:
            return self._presets[name]
        except KeyError:
            raise SettingsError(f"unknown preset {name!r}; choose one of: {', '.join(self._presets)}") from None

    def names(self) -> tuple[str, ...]:
        """Every preset name, in registration order."""
        return tuple(self._presets)

    def help_text(self) -> str:
        """One line per preset: name and description."""
        width = max(len(n) for n in self._presets)
        return "\n".join(f"{p.name:<{width}}  {p.description}" for p in self._presets.values())

    def __iter__(self) -> Iterator[Preset]:
        return iter(self._presets.values())

    def __contains__(self, name: object) -> bool:
        return name in self._presets

    def __len__(self) -> int:
        return len(self._presets)


def _frozen(options: dict[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(options))


PRESETS = PresetRegistry(
    [
        Preset(
            "prores-4444", "Apple ProRes 4444, 10-bit 4:4:4, QuickTime (.mov)",
            codec="prores_ks", pix_fmt="yuv444p10le", extensions=(".mov",),
            # vendor apl0 makes Apple's decoders and Resolve treat the file as their own.
            options=_frozen({"profile": "4", "vendor": "apl0"}),
        ),
        Preset(
            "prores-422hq", "Apple ProRes 422 HQ, 10-bit 4:2:2, QuickTime (.mov) — the default master",
            codec="prores_ks", pix_fmt="yuv422p10le", extensions=(".mov",),
            options=_frozen({"profile": "3", "vendor": "apl0"}),
        ),
        Preset(
            "dnxhr-hqx", "Avid DNxHR HQX, 10-bit 4:2:2, QuickTime (.mov) or MXF OP1a (.mxf)",
            codec="dnxhd", pix_fmt="yuv422p10le", extensions=(".mov", ".mxf"),
            options=_frozen({"profile": "dnxhr_hqx"}),
        ),
        Preset(
            "ffv1", "FFV1 level 3 with slice CRCs, lossless 10-bit 4:4:4 (16-bit RGB for deeper scans), Matroska (.mkv)",
            codec="ffv1", pix_fmt="yuv444p10le", deep_pix_fmt="gbrp16le", extensions=(".mkv",),
            # Archival profile (cf. IETF RFC 9043 practice): GOP 1 so any frame is decodable
            # on its own, slice CRCs so damage is detected and confined to a slice.
            options=_frozen({"level": "3", "slicecrc": "1", "slices": "16", "g": "1", "context": "1"}),
            lossless=True,
        ),
        Preset(
            "dpx", "DPX image sequence, 10-bit RGB, one file per frame (+ sidecar 24-bit WAV)",
            codec="dpx", pix_fmt="gbrp10le", extensions=(".dpx",), sequence=True, rgb=True,
        ),
        Preset(
            "tiff", "TIFF image sequence, 16-bit RGB, one file per frame (+ sidecar 24-bit WAV)",
            codec="tiff", pix_fmt="rgb48le", extensions=(".tif", ".tiff"), sequence=True, rgb=True,
            options=_frozen({"compression_algo": "deflate"}), lossless=True,
        ),
        Preset(
            "exr", "OpenEXR image sequence, half float RGB holding BT.709 code values (+ sidecar 24-bit WAV)",
            codec="exr", pix_fmt="gbrpf32le", extensions=(".exr",), sequence=True, rgb=True,
            # The encoder takes 32-bit float and stores half floats; ZIP16 is lossless.
            options=_frozen({"format": "half", "compression": "zip16"}),
        ),
        Preset(
            "h264", "H.264 review copy, 8-bit 4:2:0, CRF 18 (.mp4, .mov or .mkv)",
            codec="libx264", pix_fmt="yuv420p", extensions=(".mp4", ".mov", ".mkv"),
            options=_frozen({"crf": "18", "preset": "medium"}), intra_only=False,
        ),
        Preset(
            "h265", "H.265/HEVC review copy, 8-bit 4:2:0, CRF 22 (.mp4, .mov or .mkv)",
            codec="libx265", pix_fmt="yuv420p", extensions=(".mp4", ".mov", ".mkv"),
            options=_frozen({"crf": "22", "preset": "medium", "x265-params": "log-level=error"}),
            intra_only=False,
        ),
    ]
)

DEFAULT_PRESET = "prores-422hq"
