"""Reading data files: the checker that collects every problem of a file, and small converters.

Shared by the loaders of the package's data files (:mod:`soundtrack.styles`,
:mod:`soundtrack.motifs`). A loader reads a parsed TOML table through a :class:`Checker`: each
``check.get(table, key, where, convert, expected, default)`` converts one value or records a
:class:`~soundtrack.errors.Problem` (file, place, field, what was expected, what came) and returns
``None``, so that every problem of the file is collected and raised once by the loader.

A converter takes the raw TOML value and returns the converted one or raises ``ValueError``
(its message, when not empty, is added to the expected text).
"""

from __future__ import annotations

import difflib
import re
import tomllib
import typing
from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from soundtrack.errors import Problem
from soundtrack.units import TICKS_PER_QUARTER

__all__ = [
    "MISSING",
    "NAME_PATTERN",
    "NOTHING",
    "Checker",
    "boolean",
    "default_pulse_ticks",
    "did_you_mean",
    "enum_value",
    "in_range",
    "nonempty_text",
    "read_text_file",
    "toml_table",
    "show",
    "string_list",
]

_TOML_LOCATION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_TOML_END = re.compile(r"\s*\(at end of document\)\s*$")


def read_text_file(path: Path, source: str) -> str | Problem:
    """A data file's text (UTF-8, a byte-order mark allowed), or why it cannot be read as a
    :class:`Problem` (``source`` is the file shown to the user)."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        return Problem(source=source, expected="a readable UTF-8 TOML file", found=str(error))


def toml_table(text: str, source: str) -> dict[str, Any] | Problem:
    """Parse TOML text: the top-level table, or the syntax error as a :class:`Problem` naming
    the line and column (``source`` is the file shown to the user)."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        where = ""
        located = _TOML_LOCATION.search(message)
        if located is not None:
            where = f"line {located.group(1)}, column {located.group(2)}"
            message = message[: located.start()]
        elif (end := _TOML_END.search(message)) is not None:
            where = f"line {text.count(chr(10)) + 1} (end of file)"
            message = message[: end.start()]
        return Problem(source=source, where=where, expected="valid TOML", found=message)


#: Names of data files (their stems): lower-case letters, digits and ``-``, not starting with ``-``.
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")

_T = TypeVar("_T")
_E = TypeVar("_E", bound=StrEnum)


def did_you_mean(name: str, known: Iterable[str], *, cutoff: float = 0.6) -> str:
    """`` (did you mean 'swing'?)`` for the closest known name at least ``cutoff`` alike
    (difflib's ratio, 0..1), or an empty string."""
    hint = difflib.get_close_matches(name, tuple(known), n=1, cutoff=cutoff)
    return f" (did you mean {hint[0]!r}?)" if hint else ""


def default_pulse_ticks(numerator: int, denominator: int) -> int:
    """The counted pulse of a time signature in ticks: a dotted quarter in compound meters
    (6/8, 9/8, 12/8...), the written beat otherwise (a quarter in 4/4, a half in 2/2)."""
    compound = denominator >= 8 and numerator % 3 == 0 and numerator > 3
    return TICKS_PER_QUARTER * 3 // 2 if compound else TICKS_PER_QUARTER * 4 // denominator


#: Marks a missing value or default (``None`` may be a real default).
MISSING: Any = object()
NOTHING = "nothing (it is missing)"


class Checker:
    """Collects the problems of one file while reading its values."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def add(
        self,
        where: str,
        field: str,
        expected: str,
        found: object = MISSING,
        *,
        shown: str | None = None,
    ) -> None:
        """Record a problem; ``found`` is shown with ``repr``, ``shown`` as it is."""
        if shown is None:
            shown = "" if found is MISSING else show(found)
        self.problems.append(
            Problem(source=self.source, where=where, field=field, expected=expected, found=shown)
        )

    def keys(self, table: Mapping[str, object], allowed: Iterable[str], where: str) -> None:
        """Report each key of ``table`` that is not in ``allowed``."""
        allowed = tuple(allowed)
        for key in table:
            if key not in allowed:
                hint = difflib.get_close_matches(key, allowed, n=1)
                expected = f"one of the keys {', '.join(allowed)}"
                if hint:
                    expected = f"a known key (did you mean {hint[0]!r}?)"
                self.add(where, key, expected, shown=f"unknown key {key!r}")

    def get(
        self,
        table: Mapping[str, object],
        key: str,
        where: str,
        convert: Callable[[object], _T],
        expected: str,
        default: object = MISSING,
    ) -> _T | None:
        """``convert(table[key])``; ``None`` after reporting a missing key or a ``ValueError``.

        ``default`` is returned unchanged (not converted) when the key is absent.
        """
        if key not in table:
            if default is MISSING:
                self.add(where, key, expected, shown=NOTHING)
                return None
            return typing.cast(_T, default)
        value = table[key]
        try:
            return convert(value)
        except ValueError as error:
            detail = str(error)
            self.add(where, key, f"{expected}{'; ' + detail if detail else ''}", value)
            return None

    def number(
        self,
        table: Mapping[str, object],
        key: str,
        where: str,
        low: float,
        high: float,
        default: object = MISSING,
    ) -> float | None:
        return self.get(
            table,
            key,
            where,
            in_range(low, high, integer=False),
            f"a number from {low:g} to {high:g}",
            default,
        )

    def integer(
        self,
        table: Mapping[str, object],
        key: str,
        where: str,
        low: int,
        high: int,
        default: object = MISSING,
    ) -> int | None:
        value = self.get(
            table,
            key,
            where,
            in_range(low, high, integer=True),
            f"an integer from {low} to {high}",
            default,
        )
        return None if value is None else int(value)

    def text(
        self, table: Mapping[str, object], key: str, where: str, default: object = MISSING
    ) -> str | None:
        return self.get(table, key, where, nonempty_text, "a non-empty string", default)

    def flag(
        self, table: Mapping[str, object], key: str, where: str, default: object = MISSING
    ) -> bool | None:
        return self.get(table, key, where, boolean, "true or false", default)

    def choice(
        self,
        table: Mapping[str, object],
        key: str,
        where: str,
        enum: type[_E],
        default: object = MISSING,
        exclude: tuple[str, ...] = (),
    ) -> _E | None:
        names = tuple(member.value for member in enum if member.value not in exclude)
        return self.get(
            table, key, where, enum_value(enum, names), "one of " + ", ".join(names), default
        )

    def table(self, table: Mapping[str, object], key: str, where: str) -> dict[str, object]:
        """A sub-table (empty, after a report, when it is not a table; empty when absent)."""
        value = table.get(key, {})
        if not isinstance(value, dict):
            self.add(where, key, "a table", value)
            return {}
        return value

    def tables(self, table: Mapping[str, object], key: str, where: str) -> list[dict[str, object]]:
        """An array of tables (``[[key]]``); empty after a report when it is something else."""
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.add(where, key, f"an array of tables ([[{key}]])", value)
            return []
        return value


def show(value: object) -> str:
    """A value as shown in a problem: its ``repr``, at most 80 characters."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def in_range(low: float, high: float, *, integer: bool) -> Callable[[object], float]:
    """A converter accepting a number (an integer when ``integer``) from ``low`` to ``high``."""

    def convert(value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError("")
        if integer and not isinstance(value, int):
            raise ValueError("")
        if not low <= value <= high:
            raise ValueError("")
        return float(value) if not integer else value

    return convert


def nonempty_text(value: object) -> str:
    """A string with something in it, stripped."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError("")
    return value.strip()


def boolean(value: object) -> bool:
    """``true`` or ``false``."""
    if not isinstance(value, bool):
        raise ValueError("")
    return value


def enum_value(enum: type[_E], names: tuple[str, ...]) -> Callable[[object], _E]:
    """A converter accepting one of ``names`` as a member of ``enum``."""

    def convert(value: object) -> _E:
        if not isinstance(value, str) or value not in names:
            raise ValueError("")
        return enum(value)

    return convert


def string_list(value: object) -> tuple[str, ...]:
    """A list of non-empty strings."""
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise ValueError("")
    return tuple(value)
