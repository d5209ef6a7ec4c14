"""Reading typed values out of parsed JSON, with errors that name the field.

Each reader takes the value and its dotted field path (``"shots[3].hints[0].radius"``)
and raises :class:`FieldError` saying what was expected and what came. The
project file and the hints file turn that into their own one-line errors.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Collection
from fractions import Fraction
from pathlib import Path
from typing import Any

from engine.project.hints import is_hex_color


class FieldError(ValueError):
    """A JSON value at ``field`` is not what it must be."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}" if field else message)


def expected(field: str, what: str, got: object) -> FieldError:
    """``FieldError(field, "expected <what>, got <got>")`` with ``got`` shown briefly."""
    shown = "an object" if isinstance(got, dict) else "a list" if isinstance(got, list) else repr(got)
    return FieldError(field, f"expected {what}, got {shown}")


def parse_json(text: str) -> Any:
    """``json.loads`` that reports "broken JSON at line L, column C: why" as a :class:`FieldError`."""
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise FieldError("", f"broken JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except ValueError as exc:  # NaN/Infinity, rejected by _no_constant
        raise FieldError("", f"broken JSON: {exc}") from None


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def obj(value: object, field: str, allowed: Collection[str] | None = None, required: Collection[str] = ()) -> dict[str, Any]:
    """``value`` as a JSON object, with its ``required`` keys present and no key outside ``allowed``."""
    if not isinstance(value, dict):
        raise expected(field, "an object", value)
    for key in required:
        if key not in value:
            raise FieldError(_join(field, key), "missing")
    if allowed is not None:
        for key in value:
            if key not in allowed:
                raise FieldError(_join(field, key), f"unknown field (known: {', '.join(sorted(allowed))})")
    return value


def array(value: object, field: str) -> list[Any]:
    """``value`` as a JSON list."""
    if not isinstance(value, list):
        raise expected(field, "a list", value)
    return value


def integer(value: object, field: str, minimum: int | None = None, maximum: int | None = None) -> int:
    """``value`` as a whole number inside ``[minimum, maximum]``."""
    ok = isinstance(value, int) and not isinstance(value, bool)
    if ok and (minimum is None or value >= minimum) and (maximum is None or value <= maximum):  # type: ignore[operator]
        return value  # type: ignore[return-value]
    return _fail_range(field, "a whole number", value, minimum, maximum)


def number(value: object, field: str, minimum: float | None = None, maximum: float | None = None) -> float:
    """``value`` as a finite number inside ``[minimum, maximum]``."""
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if ok and (minimum is None or value >= minimum) and (maximum is None or value <= maximum):  # type: ignore[operator]
        return float(value)  # type: ignore[arg-type]
    return _fail_range(field, "a number", value, minimum, maximum)


def _fail_range(field: str, noun: str, value: object, low: float | None, high: float | None) -> Any:
    if low is not None and high is not None:
        noun = f"{noun} from {_n(low)} to {_n(high)}"
    elif low is not None:
        noun = f"{noun} ≥ {_n(low)}"
    raise expected(field, noun, value)


def _n(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def text(value: object, field: str, *, empty: bool = False) -> str:
    """``value`` as a string (non-empty unless ``empty``)."""
    if not isinstance(value, str) or (not empty and not value.strip()):
        raise expected(field, "text" if empty else "non-empty text", value)
    return value


def choice(value: object, field: str, choices: Collection[str]) -> str:
    """``value`` as one of ``choices``."""
    if value not in choices:
        raise expected(field, "one of " + ", ".join(repr(c) for c in choices), value)
    return value  # type: ignore[return-value]


def color(value: object, field: str) -> str:
    """``value`` as a ``#rrggbb`` color."""
    if not is_hex_color(value):
        raise expected(field, "a color like '#8a6b4f'", value)
    return value.lower()  # type: ignore[union-attr]


def rate(value: object, field: str) -> Fraction:
    """``value`` (``"24000/1001"`` or a whole number) as a positive :class:`Fraction`."""
    try:
        if isinstance(value, int) and not isinstance(value, bool):
            result = Fraction(value)
        elif isinstance(value, str):
            result = Fraction(value.strip())
        else:
            raise ValueError
    except (ValueError, ZeroDivisionError):
        raise expected(field, "a rate like '24000/1001'", value) from None
    if result <= 0:
        raise expected(field, "a positive rate", value)
    return result


def points(value: object, field: str) -> tuple[tuple[float, float], ...]:
    """``value`` as one or more ``[x, y]`` pairs of finite numbers."""
    items = array(value, field)
    if not items:
        raise FieldError(field, "expected at least one [x, y] point, got none")
    result = []
    for i, item in enumerate(items):
        where = f"{field}[{i}]"
        if not isinstance(item, list) or len(item) != 2:
            raise expected(where, "an [x, y] pair", item)
        result.append((number(item[0], f"{where}[0]"), number(item[1], f"{where}[1]")))
    return tuple(result)


def path_relative_to(folder: Path, stored: str) -> Path:
    """A path written in a file, resolved against the file's folder when relative."""
    candidate = Path(stored)
    return Path(os.path.normpath(candidate if candidate.is_absolute() else folder / candidate))


def _join(field: str, key: str) -> str:
    return f"{field}.{key}" if field else key
