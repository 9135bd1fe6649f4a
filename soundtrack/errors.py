"""Error types of the whole package.

Every error a user can cause derives from :class:`SoundtrackError`. Loaders collect every problem
of a file as :class:`Problem` values and raise once, so the CLI can print one line per problem.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "ExportError",
    "MotifError",
    "Problem",
    "SoundtrackError",
    "StoryError",
    "StyleError",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem:
    """One problem found in an input file.

    Attributes:
        source: the file (path as given, or ``<built-in>``) the problem is in.
        where: the place inside the file, e.g. ``beats[3] (id "mugging")``; empty for the
            file itself.
        field: the field name, e.g. ``duration``; empty when the problem is not about one field.
        expected: what a valid value looks like.
        found: what came instead (already formatted for display); empty when nothing came.
    """

    source: str
    where: str = ""
    field: str = ""
    expected: str
    found: str = ""

    def __str__(self) -> str:
        location = ": ".join(part for part in (self.source, self.where, self.field) if part)
        message = f"{location}: expected {self.expected}"
        if self.found:
            message += f", got {self.found}"
        return message


class SoundtrackError(Exception):
    """Base class of every error caused by bad input (CLI exit status 2)."""

    def __init__(self, problems: Sequence[Problem | str] | str) -> None:
        """Args: the problems (structured, or one message line each), or one message."""
        items = (problems,) if isinstance(problems, str) else tuple(problems)
        self.problems: tuple[Problem, ...] = tuple(p for p in items if isinstance(p, Problem))
        self.lines: tuple[str, ...] = tuple(str(item) for item in items)
        super().__init__("\n".join(self.lines))


class StoryError(SoundtrackError):
    """A story file cannot be read or is invalid."""


class StyleError(SoundtrackError):
    """A style is unknown or a style data file is invalid."""


class MotifError(SoundtrackError):
    """A motif file is invalid."""


class ExportError(SoundtrackError):
    """Output cannot be written (bad output folder, file in the way, ...)."""
