"""Every setting Relume knows: the registry, typed values and their validation.

A setting is one row of :data:`REGISTRY`. Adding one is a one-line entry; the
CLI's ``--set``, ``relume settings --schema``, the project file's validation
and the editor's inspector all read the same row.

Values in memory are plain Python: ``bool``, ``int``, ``float``, ``str``,
:class:`~fractions.Fraction` or ``None``. On disk and on the command line a
fraction is written ``"24000/1001"``.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from fractions import Fraction
from pathlib import PurePath

from engine.errors import SettingsError

SettingValue = bool | int | float | str | Fraction | None

_SIZE = re.compile(r"^[1-9][0-9]{0,4}x[1-9][0-9]{0,4}$")
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}
_NONE = {"none", "null", ""}


class Kind(str, Enum):
    """The type of a setting's value."""

    BOOL = "bool"
    INT = "int"
    FLOAT = "float"
    CHOICE = "choice"
    FRACTION = "fraction"
    PATH = "path"
    SIZE = "size"


class InvalidValue(ValueError):
    """A value does not fit its setting; the message says what was expected and what came."""


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting: its key, type, default, meaning and allowed values.

    Attributes
    ----------
    key
        Dotted key, e.g. ``"restore.deflicker.window"``.
    kind
        Value type.
    default
        Built-in default.
    meaning
        One line for ``relume settings --schema`` and the inspector's tooltip.
    minimum, maximum
        Inclusive range of a number, when bounded.
    choices
        For ``CHOICE`` the allowed words; for ``FRACTION``, ``PATH`` and
        ``SIZE`` the words allowed besides a value of that kind (``"source"``).
    optional
        Whether ``None`` is allowed (a path that may be unset).
    per_shot
        Whether a shot may override it; otherwise it is project-wide.
    """

    key: str
    kind: Kind
    default: SettingValue
    meaning: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    optional: bool = False
    per_shot: bool = True

    @property
    def section(self) -> str:
        """The first part of the key: ``"restore"``, ``"color"``, ``"export"`` …"""
        return self.key.split(".", 1)[0]

    def allowed(self) -> str:
        """What this setting accepts, in words, e.g. ``"a number from 0 to 1"``."""
        words = " or ".join(repr(c) for c in self.choices)
        if self.kind is Kind.BOOL:
            text = "true or false"
        elif self.kind is Kind.CHOICE:
            text = f"one of {', '.join(repr(c) for c in self.choices)}"
        elif self.kind in (Kind.INT, Kind.FLOAT):
            noun = "a whole number" if self.kind is Kind.INT else "a number"
            if self.minimum is not None and self.maximum is not None:
                text = f"{noun} from {_num(self.minimum)} to {_num(self.maximum)}"
            elif self.minimum is not None:
                text = f"{noun} ≥ {_num(self.minimum)}"
            else:
                text = noun
        elif self.kind is Kind.FRACTION:
            text = "a positive rate like 24 or 24000/1001" + (f" or {words}" if words else "")
        elif self.kind is Kind.SIZE:
            text = "WIDTHxHEIGHT" + (f" or {words}" if words else "")
        else:
            text = (f"{words} or " if words else "") + "a file path"
        return text + (" or none" if self.optional else "")

    def check(self, value: object) -> SettingValue:
        """``value`` as this setting's canonical type (JSON-like input accepted).

        Raises
        ------
        InvalidValue
            With "expected …, got …".
        """
        if value is None:
            if self.optional:
                return None
            raise self._invalid(value)
        kind = self.kind
        if kind is Kind.BOOL:
            if isinstance(value, bool):
                return value
        elif kind in (Kind.INT, Kind.FLOAT):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise self._invalid(value)
            if kind is Kind.INT and (isinstance(value, float) and not value.is_integer()):
                raise self._invalid(value)
            number: int | float = int(value) if kind is Kind.INT else float(value)
            if not math.isfinite(number) or (self.minimum is not None and number < self.minimum):
                raise self._invalid(value)
            if self.maximum is not None and number > self.maximum:
                raise self._invalid(value)
            return number
        elif kind is Kind.CHOICE:
            if value in self.choices:
                return value  # type: ignore[return-value]
        elif isinstance(value, str) and value in self.choices:
            return value
        elif kind is Kind.FRACTION:
            rate = _fraction(value)
            if rate is not None and rate > 0:
                return rate
        elif kind is Kind.SIZE:
            if isinstance(value, str) and _SIZE.match(value):
                return value
        elif kind is Kind.PATH:
            # Beside named choices only a file name with an extension passes, so that a
            # misspelt "lanczoss" is refused here instead of failing as a missing model later.
            if isinstance(value, str) and value.strip() and (not self.choices or PurePath(value).suffix):
                return value
        raise self._invalid(value)

    def parse(self, text: str) -> SettingValue:
        """A value typed on the command line (``"true"``, ``"0.5"``, ``"24000/1001"``) checked."""
        word = text.strip()
        lowered = word.lower()
        if lowered in _NONE:
            if self.optional:
                return None
            raise self._invalid(word)  # "none" is not a file name anyone means
        value: object = word
        if self.kind is Kind.BOOL:
            value = True if lowered in _TRUE else False if lowered in _FALSE else word
        elif self.kind in (Kind.INT, Kind.FLOAT):
            try:
                value = int(word) if self.kind is Kind.INT else float(word)
            except ValueError:
                value = word
        return self.check(value)

    def _invalid(self, value: object) -> InvalidValue:
        return InvalidValue(f"expected {self.allowed()}, got {value!r}")


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _fraction(value: object) -> Fraction | None:
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, str) and re.fullmatch(r"\s*[0-9]+(\s*/\s*[0-9]+)?\s*", value):
        try:
            return Fraction(value.replace(" ", ""))
        except ZeroDivisionError:
            return None
    return None


def to_json(value: SettingValue) -> bool | int | float | str | None:
    """A setting value as it is written to JSON (a fraction becomes ``"n/d"``)."""
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    return value


_UPSCALERS = ("auto", "lanczos", "bicubic", "relume")
_EXPORT_PRESETS = (
    "prores-4444", "prores-422hq", "dnxhr-hqx", "ffv1", "dpx", "tiff", "exr", "h264", "h265",
)

# One row per setting. Sections restore/color/upscale/interp may be overridden per
# shot; cuts/export are decisions about the whole film.
_ROWS: tuple[Setting, ...] = (
    Setting("restore.stabilize.enabled", Kind.BOOL, False, "Remove gate weave, keeping intended camera moves"),
    Setting("restore.deflicker.enabled", Kind.BOOL, False, "Equalize frame-to-frame exposure flicker within the shot"),
    Setting("restore.deflicker.window", Kind.INT, 15, "Frames averaged to judge the steady exposure", 3, 301),
    Setting("restore.dust.enabled", Kind.BOOL, False, "Repair one-frame dust and dirt from neighbouring frames"),
    Setting("restore.dust.strength", Kind.FLOAT, 0.5, "How eagerly specks are judged dust (0 cautious, 1 eager)", 0, 1),
    Setting("restore.scratches.enabled", Kind.BOOL, False,
            "Repair long vertical scratches that stay in place while the picture moves"),
    Setting("restore.scratches.strength", Kind.FLOAT, 0.5, "How eagerly lines are judged scratches "
            "(0 cautious, 1 eager)", 0, 1),
    Setting("restore.denoise.enabled", Kind.BOOL, False, "Reduce noise while keeping film grain"),
    Setting("restore.denoise.strength", Kind.FLOAT, 0.3, "Denoise strength (0 none, 1 strongest)", 0, 1),
    Setting("color.enabled", Kind.BOOL, True, "Colorize the shot from its hints, pins and reference image"),
    Setting("color.strength", Kind.FLOAT, 1.0, "Blend of invented chroma over the gray film (0 gray, 1 full)", 0, 1),
    Setting("color.saturation", Kind.FLOAT, 1.0, "Saturation multiplier applied to the invented chroma", 0, 4),
    Setting("color.temporal", Kind.BOOL, True, "Carry keyframe hints through every frame of the shot"),
    Setting("color.reference", Kind.PATH, None, "Color photograph whose palette starts the shot", optional=True),
    Setting("upscale.upscaler", Kind.PATH, "auto",
            "Luma upscaler when the export enlarges: auto (relume when the picture grows), relume, lanczos, "
            "bicubic, or a model file (.safetensors, .pth: Relume's own, or ESRGAN, Real-ESRGAN, SwinIR, HAT, "
            "SPAN and the other architectures spandrel reads)", choices=_UPSCALERS),
    Setting("interp.enabled", Kind.BOOL, True, "Invent in-between frames by motion when the export rate differs "
            "(off: repeat or drop frames)"),
    Setting("interp.boundary", Kind.CHOICE, "hold", "At a cut: hold the last frame or blend across",
            choices=("hold", "blend")),
    Setting("interp.regrain", Kind.BOOL, False, "Give invented frames of grainy film new grain as strong as their "
            "neighbours' (off: they are smoother, and grain pulses at the doubled rate)"),
    Setting("cuts.min_shot_frames", Kind.INT, 6, "Shortest shot the detector will report, in frames", 1, None,
            per_shot=False),
    Setting("cuts.sensitivity", Kind.FLOAT, 0.5, "Cut detector sensitivity (0 fewest cuts, 1 most)", 0, 1,
            per_shot=False),
    Setting("export.preset", Kind.CHOICE, "prores-422hq", "Master format", choices=_EXPORT_PRESETS, per_shot=False),
    Setting("export.size", Kind.SIZE, "source", "Master frame size",
            choices=("source", "uhd", "dci4k", "2k", "hd"), per_shot=False),
    Setting("export.fit", Kind.CHOICE, "pad", "Fit to the master size: pad (bars), crop or stretch",
            choices=("pad", "crop", "stretch"), per_shot=False),
    Setting("export.fps", Kind.FRACTION, "source", "Master frame rate", choices=("source",), per_shot=False),
    Setting("export.audio", Kind.BOOL, True, "Carry every audio stream over in sync", per_shot=False),
)


class Registry(Mapping[str, Setting]):
    """The settings, by key, in declaration order; refuses duplicates and bad defaults."""

    def __init__(self, rows: tuple[Setting, ...]) -> None:
        self._rows: dict[str, Setting] = {}
        for row in rows:
            if row.key in self._rows:
                raise ValueError(f"setting {row.key} is declared twice")
            row.check(row.default)  # a default that fails its own check is a programming error
            self._rows[row.key] = row

    def __getitem__(self, key: str) -> Setting:
        return self._rows[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def lookup(self, key: str, *, per_shot: bool = False) -> Setting:
        """The setting ``key``; with ``per_shot`` it must be one a shot may override.

        Raises
        ------
        SettingsError
            Unknown key (with the closest known keys), or a project-wide key
            asked for a shot.
        """
        row = self._rows.get(key)
        if row is None:
            near = difflib.get_close_matches(key, list(self._rows), n=1, cutoff=0.75)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            raise SettingsError(f"unknown setting {key!r}{hint} (see `relume settings --schema`)")
        if per_shot and not row.per_shot:
            raise SettingsError(f"{key}: is project-wide; a shot cannot override it")
        return row

    def validate(self, key: str, value: object, *, per_shot: bool = False) -> SettingValue:
        """``value`` checked against setting ``key``; :class:`SettingsError` names the key."""
        row = self.lookup(key, per_shot=per_shot)
        try:
            return row.check(value)
        except InvalidValue as exc:
            raise SettingsError(f"{key}: {exc}") from None

    def defaults(self) -> dict[str, SettingValue]:
        """Every key with its built-in default."""
        return {key: row.default for key, row in self._rows.items()}


REGISTRY = Registry(_ROWS)


def parse_assignment(text: str, registry: Registry = REGISTRY) -> tuple[str, SettingValue]:
    """``"restore.deflicker.enabled=true"`` → ``("restore.deflicker.enabled", True)``.

    Raises
    ------
    SettingsError
        No ``=``, an unknown key, or a value the setting does not allow; the
        message names the key and what it allows.
    """
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise SettingsError(f"{text!r}: expected KEY=VALUE, e.g. restore.deflicker.enabled=true")
    row = registry.lookup(key)
    try:
        return key, row.parse(raw)
    except InvalidValue as exc:
        raise SettingsError(f"{key}: {exc}") from None


def schema(registry: Registry = REGISTRY) -> list[dict[str, object]]:
    """Every setting as a JSON-ready dict (key, type, default, meaning, allowed, scope)."""
    rows = []
    for row in registry.values():
        entry: dict[str, object] = {
            "key": row.key,
            "type": row.kind.value,
            "default": to_json(row.default),
            "meaning": row.meaning,
            "allowed": row.allowed(),
            "scope": "shot" if row.per_shot else "project",
        }
        if row.minimum is not None:
            entry["minimum"] = row.minimum
        if row.maximum is not None:
            entry["maximum"] = row.maximum
        if row.choices:
            entry["choices"] = list(row.choices)
        rows.append(entry)
    return rows
