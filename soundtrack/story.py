"""The ``story`` stage: read and validate a story file.

Input: a TOML or JSON file in the format of DESIGN.md ("Story format"), or the built-in story
(``soundtrack/stories/moscow_on_the_hudson.toml``).
Output: a validated :class:`~soundtrack.model.Story`.

Every problem of a file is collected as a :class:`~soundtrack.errors.Problem` (file, place, field,
what was expected, what came) and raised at once as one :class:`~soundtrack.errors.StoryError`;
nothing is half-accepted. The rules, field by field:

``[story]`` (required table)
    ``title`` (required, non-empty string); ``seed`` (integer >= 0, default 0); ``frame_rate``
    (one of :data:`~soundtrack.units.FRAME_RATES`, default 24); ``drop_frame`` (boolean, default
    true at 29.97 fps and false otherwise; true is only valid at 29.97 fps -- it says how *output*
    timecodes are written; input timecodes say it themselves with ``;``); ``lead`` (``soprano``,
    ``alto``, ``tenor`` or ``baritone``, default ``alto``); ``motifs`` (list of extra leitmotif
    folders, paths relative to the story file, each an existing folder whose ``*.toml`` motif
    files must all be valid -- their problems are reported with the story's, naming the motif
    file; see :mod:`soundtrack.motifs`).

``[[beats]]`` (at least one)
    ``id`` (required, ``[a-z0-9-]+``, unique); ``title`` (string, default the id); ``duration``
    (required, > 0: seconds as a number, ``"MM:SS[.sss]"`` or a timecode ``"HH:MM:SS:FF"`` /
    ``"HH:MM:SS;FF"``); ``start`` (optional, same forms, a position on the story timeline; must
    not be before the end of the previous beat -- gaps are allowed; without it a beat starts where
    the previous one ends, the first at 0); ``setting`` (string, normalised to lowercase words
    joined by hyphens: ``"New York"`` -> ``new-york``); ``characters`` (list of lowercase words,
    ``[a-z0-9]`` joined by single hyphens; case is folded); ``text`` (string); ``mood`` (table
    with any of ``valence`` -1..1, ``arousal`` 0..1, ``tension`` 0..1); ``style`` (a known style
    id, see :func:`soundtrack.styles.style_ids`); ``key`` (``"D minor"``, ``"Bb"``...);
    ``hits`` (list: a number is seconds from the beat's start, a string is an absolute story time
    -- a timecode or ``"MM:SS"`` -- converted to beat-relative; each must lie in
    ``[0, duration)``); ``music`` (boolean, default true); ``lead`` (a saxophone, default the
    story's); ``segue`` (boolean, default true: the cue leads into the next one when that starts
    where this ends; false ends it on its own at the cut).

Unknown fields are errors at every level, with a "did you mean" hint. A ``;`` (drop-frame)
timecode is an error unless the frame rate is 29.97.

The library logs through :mod:`logging` and never prints.
"""

from __future__ import annotations

import datetime
import difflib
import json
import logging
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TypeGuard

from soundtrack.datafile import toml_table
from soundtrack.errors import MotifError, Problem, StoryError
from soundtrack.model import Beat, MoodTags, Saxophone, Story
from soundtrack.motifs import read_motifs
from soundtrack.pitch import parse_key
from soundtrack.styles import style_ids
from soundtrack.units import (
    DROP_FRAME_RATE,
    FRAME_RATES,
    TimeSyntaxError,
    canonical_frame_rate,
    format_timecode,
    parse_duration,
)

__all__ = [
    "BEAT_FIELDS",
    "BUILTIN_SOURCE",
    "BUILTIN_STORY_FILE",
    "STORY_FIELDS",
    "builtin_story_resource",
    "builtin_story_text",
    "load_story",
    "parse_story",
    "safe_file_stem",
]

logger = logging.getLogger(__name__)

#: File name of the built-in story inside ``soundtrack/stories/``.
BUILTIN_STORY_FILE = "moscow_on_the_hudson.toml"
#: ``source`` of the built-in story in a :class:`Story` and in problems.
BUILTIN_SOURCE = "<built-in>"

#: Fields of the top level of a story file.
TOP_FIELDS: tuple[str, ...] = ("story", "beats")
#: Fields of the ``[story]`` table.
STORY_FIELDS: tuple[str, ...] = ("title", "seed", "frame_rate", "drop_frame", "lead", "motifs")
#: Fields of a ``[[beats]]`` table.
BEAT_FIELDS: tuple[str, ...] = (
    "id",
    "title",
    "duration",
    "start",
    "setting",
    "characters",
    "text",
    "mood",
    "style",
    "key",
    "hits",
    "music",
    "lead",
    "segue",
)
#: Fields of a beat's ``mood`` table and their (lowest, highest) values.
MOOD_RANGES: dict[str, tuple[float, float]] = {
    "valence": (-1.0, 1.0),
    "arousal": (0.0, 1.0),
    "tension": (0.0, 1.0),
}

_DEFAULT_FRAME_RATE = 24.0
_DEFAULT_LEAD = Saxophone.ALTO
_STORY_SUFFIXES = (".toml", ".json")
_BEAT_ID_PATTERN = re.compile(r"^[a-z0-9-]+$")
_WORD_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Story times from timecodes and sums of floats: differences below this are rounding, not overlap.
_EPSILON_SECONDS = 1e-6
# difflib similarity above which an unknown name gets a "did you mean" hint ("clarinet" is 0.62
# like "baritone", "sving" 0.8 like "swing").
_HINT_CUTOFF = 0.65
_MAX_STEM_CHARS = 60
_RESERVED_STEMS = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{n}" for n in range(1, 10)}
    | {f"lpt{n}" for n in range(1, 10)}
)
_TIME_FORMS = 'seconds as a number, "MM:SS", "MM:SS.sss" or a timecode "HH:MM:SS:FF"'


# ---------------------------------------------------------------- public functions


def builtin_story_resource() -> Traversable:
    """The built-in story file as a package resource (``soundtrack/stories/...toml``).

    Use :func:`importlib.resources.as_file` when a real path on disk is needed.
    """
    return resources.files("soundtrack").joinpath("stories", BUILTIN_STORY_FILE)


def builtin_story_text() -> str:
    """The TOML text of the built-in story ("Moscow on the Hudson")."""
    return builtin_story_resource().read_text(encoding="utf-8")


def load_story(path: Path | str | None = None) -> Story:
    """Read and validate a story file.

    Args:
        path: a ``.toml`` or ``.json`` story file; ``None`` for the built-in story.

    Returns:
        The validated story; ``Story.source`` is the path as given, or ``<built-in>``.

    Raises:
        StoryError: with every problem of the file (unreadable, syntax, or any invalid value).
    """
    if path is None:
        builtin = _parse_toml(builtin_story_text(), BUILTIN_SOURCE)
        return parse_story(builtin, source=BUILTIN_SOURCE)
    story_path = Path(path)
    source = str(path)
    suffix = story_path.suffix.lower()
    if suffix not in _STORY_SUFFIXES:
        raise StoryError(
            [
                Problem(
                    source=source,
                    expected="a story file ending in .toml or .json",
                    found=f'the suffix "{story_path.suffix}"' if story_path.suffix else "no suffix",
                )
            ]
        )
    text = _read_text(story_path, source)
    data: object = _parse_toml(text, source) if suffix == ".toml" else _parse_json(text, source)
    if not isinstance(data, Mapping):
        problem = Problem(
            source=source, expected="an object with story and beats", found=_describe(data)
        )
        raise StoryError([problem])
    return parse_story(data, source=source)


def parse_story(data: Mapping[str, object], *, source: str) -> Story:
    """Validate the parsed contents of a story file (TOML and JSON have the same shape).

    Args:
        data: the top-level table: ``story`` (table) and ``beats`` (list of tables).
        source: where the data came from, for problems and ``Story.source``.

    Returns:
        The validated story.

    Raises:
        StoryError: with every problem found (see the module docstring for the rules).
    """
    check = _Checker(source)
    if not isinstance(data, Mapping):
        check.add("", "", "a table with [story] and [[beats]]", _describe(data))
        raise StoryError(check.problems)
    check.unknown_fields(data, TOP_FIELDS, where="", kind="top-level")
    header = _parse_header(data.get("story"), check)
    beats = _parse_beats(data.get("beats"), header, check)
    if check.problems or header.title is None:
        logger.info("story %s has %d problem(s)", source, len(check.problems))
        raise StoryError(check.problems)
    story = Story(
        title=header.title,
        seed=header.seed,
        frame_rate=header.frame_rate,
        lead=header.lead,
        beats=tuple(beats),
        drop_frame=header.drop_frame,
        source=source,
        motif_folders=header.motif_folders,
    )
    logger.info(
        "loaded story %r from %s: %d beats, %.1f s",
        story.title,
        source,
        len(story.beats),
        story.duration_seconds,
    )
    return story


def safe_file_stem(beat_id: str) -> str:
    """A file-name stem made from a beat id, safe on every file system.

    Keeps only ``[a-z0-9-]`` (case folded, accents stripped, anything else becomes a hyphen,
    runs of hyphens collapse, no leading or trailing hyphen, so no leading dot and no path
    separator), at most 60 characters, never empty (``"beat"``) and never a reserved Windows
    device name (``con`` -> ``con-beat``).

    Args:
        beat_id: any text (normally an already valid beat id, which comes back unchanged when it
            has no leading/trailing/double hyphen and is short enough).

    Returns:
        The stem, 1-60 characters of ``[a-z0-9-]``.
    """
    ascii_text = unicodedata.normalize("NFKD", beat_id).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    stem = stem[:_MAX_STEM_CHARS].rstrip("-")
    if not stem:
        return "beat"
    if stem in _RESERVED_STEMS:
        stem = f"{stem}-beat"
    return stem


# ---------------------------------------------------------------- reading files


def _read_text(path: Path, source: str) -> str:
    """The UTF-8 text of a file (a BOM is allowed), or a StoryError saying why not."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        problem = Problem(source=source, expected="an existing story file", found="no such file")
        raise StoryError([problem]) from None
    except IsADirectoryError:
        problem = Problem(source=source, expected="a story file", found="a folder")
        raise StoryError([problem]) from None
    except OSError as error:
        reason = error.strerror or str(error)
        problem = Problem(source=source, expected="a readable story file", found=reason)
        raise StoryError([problem]) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problem = Problem(
            source=source,
            where=f"line {line}",
            expected="UTF-8 text",
            found=f"the byte 0x{raw[error.start]:02x}",
        )
        raise StoryError([problem]) from None


def _parse_toml(text: str, source: str) -> dict[str, object]:
    """Parse TOML text; a syntax error becomes a StoryError naming the line and column."""
    table = toml_table(text, source)
    if isinstance(table, Problem):
        raise StoryError([table])
    return table


def _parse_json(text: str, source: str) -> object:
    """Parse JSON text; a syntax error or a repeated key becomes a StoryError."""
    repeated: list[str] = []

    def pairs_to_dict(pairs: list[tuple[str, object]]) -> dict[str, object]:
        result: dict[str, object] = {}
        for key, value in pairs:
            if key in result:
                repeated.append(key)
            result[key] = value
        return result

    try:
        data = json.loads(text, object_pairs_hook=pairs_to_dict)
    except json.JSONDecodeError as error:
        problem = Problem(
            source=source,
            where=f"line {error.lineno}, column {error.colno}",
            expected="valid JSON",
            found=error.msg,
        )
        raise StoryError([problem]) from None
    if repeated:
        raise StoryError(
            [
                Problem(
                    source=source,
                    field=key,
                    expected="each key once in its object",
                    found="the key twice",
                )
                for key in repeated
            ]
        )
    return data


# ---------------------------------------------------------------- checking values


def _type_name(value: object) -> str:
    """TOML/JSON name of a value's type."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Mapping):
        return "table"
    if isinstance(value, list | tuple):
        return "array"
    if isinstance(value, datetime.date | datetime.time):
        return "datetime"
    return type(value).__name__


def _describe(value: object, limit: int = 60) -> str:
    """A value as shown in a problem: ``"abc" (string)``, ``true (boolean)``, ``[1, 2] (array)``."""
    try:
        shown = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        shown = str(value)
    if len(shown) > limit:
        shown = shown[: limit - 3] + "..."
    return f"{shown} ({_type_name(value)})"


def _quote_hint(value: object) -> str:
    """For an unquoted TOML time such as ``duration = 00:02:30``: a hint to quote it."""
    if isinstance(value, datetime.date | datetime.time):
        return '; write times as quoted strings, e.g. "02:30" or "00:02:30:00"'
    return ""


def _is_number(value: object) -> TypeGuard[int | float]:
    """Whether a value is a TOML/JSON number (booleans are not numbers here)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass(slots=True)
class _Checker:
    """Collects the problems of one file (mutable on purpose: it is a local accumulator)."""

    source: str
    problems: list[Problem] = field(default_factory=list)

    def add(self, where: str, field_name: str, expected: str, found: str = "") -> None:
        """Record one problem."""
        self.problems.append(
            Problem(
                source=self.source, where=where, field=field_name, expected=expected, found=found
            )
        )

    def unknown_fields(
        self,
        table: Mapping[str, object],
        known: Sequence[str],
        *,
        where: str,
        kind: str,
        prefix: str = "",
    ) -> None:
        """Record every key of ``table`` not in ``known``, with a "did you mean" hint.

        ``prefix`` (e.g. ``"mood."``) is put before the field name in the problem.
        """
        for name in table:
            if name in known:
                continue
            close = _closest(str(name), known)
            if close is not None:
                expected = f"a known {kind} field (did you mean '{close}'?)"
            else:
                expected = f"one of the {kind} fields {', '.join(known)}"
            self.add(where, f"{prefix}{name}", expected, f"unknown field '{name}'")

    def string(self, table: Mapping[str, object], name: str, where: str) -> str | None:
        """The string ``table[name]``; ``None`` when absent or (recorded) of the wrong type."""
        if name not in table:
            return None
        value = table[name]
        if not isinstance(value, str):
            self.add(where, name, "a string", _describe(value))
            return None
        return value

    def boolean(self, table: Mapping[str, object], name: str, where: str) -> bool | None:
        """The boolean ``table[name]``; ``None`` when absent or (recorded) of the wrong type."""
        if name not in table:
            return None
        value = table[name]
        if not isinstance(value, bool):
            self.add(where, name, "true or false", _describe(value))
            return None
        return value

    def saxophone(self, table: Mapping[str, object], name: str, where: str) -> Saxophone | None:
        """The saxophone named by ``table[name]``; ``None`` when absent or (recorded) invalid."""
        text = self.string(table, name, where)
        if text is None:
            return None
        choices = [sax.value for sax in Saxophone]
        if text.strip().lower() in choices:
            return Saxophone(text.strip().lower())
        self.add(where, name, _one_of("a saxophone", choices, text), _describe(text))
        return None

    def time(self, value: object, rate: float, where: str, name: str) -> float | None:
        """Seconds of a story time value (see :func:`soundtrack.units.parse_duration`)."""
        if not (_is_number(value) or isinstance(value, str)):
            self.add(where, name, _TIME_FORMS, _describe(value) + _quote_hint(value))
            return None
        try:
            return parse_duration(value, rate)
        except TimeSyntaxError:
            self.add(where, name, _TIME_FORMS, _describe(value))
            return None
        except ValueError as error:
            self.add(where, name, _TIME_FORMS, f"{_describe(value)}: {error}")
            return None


def _closest(given: str, choices: Iterable[str]) -> str | None:
    """The choice ``given`` most likely misspells or abbreviates, or ``None``."""
    choice_list = list(choices)
    by_lower = {choice.lower(): choice for choice in choice_list}
    wanted = given.strip().lower()
    close = difflib.get_close_matches(wanted, list(by_lower), n=1, cutoff=_HINT_CUTOFF)
    if close:
        return by_lower[close[0]]
    prefixed = [choice for lower, choice in by_lower.items() if wanted and lower.startswith(wanted)]
    return prefixed[0] if len(prefixed) == 1 else None


def _one_of(what: str, choices: Iterable[str], given: str) -> str:
    """``"a saxophone: soprano, alto... (did you mean 'alto'?)"``."""
    choice_list = list(choices)
    text = f"{what}: {', '.join(choice_list)}"
    close = _closest(given, choice_list)
    if close is not None:
        text += f" (did you mean '{close}'?)"
    return text


def _show_time(seconds: float, header: _Header) -> str:
    """``00:02:30:00 (150.000 s)``."""
    timecode = format_timecode(max(seconds, 0.0), header.parse_rate, drop_frame=header.drop_frame)
    return f"{timecode} ({seconds:.3f} s)"


def _normalise_setting(text: str) -> str:
    """``"New York"`` -> ``"new-york"``; ``"Bloomingdale's"`` -> ``"bloomingdales"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    ascii_text = re.sub(r"['’]", "", ascii_text.lower())
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


# ---------------------------------------------------------------- the [story] table


@dataclass(slots=True)
class _Header:
    """The ``[story]`` values, with defaults where a value was missing or invalid."""

    title: str | None = None
    seed: int = 0
    frame_rate: float = _DEFAULT_FRAME_RATE
    #: rate used to read timecodes: the frame rate, or 29.97 (the most permissive) when invalid
    parse_rate: float = _DEFAULT_FRAME_RATE
    drop_frame: bool = False
    lead: Saxophone = _DEFAULT_LEAD
    motif_folders: tuple[str, ...] = ()


def _parse_header(table: object, check: _Checker) -> _Header:
    header = _Header()
    where = "story"
    if table is None:
        check.add("", "story", "a [story] table with at least a title", "nothing")
        return header
    if not isinstance(table, Mapping):
        check.add("", "story", "a [story] table", _describe(table))
        return header
    check.unknown_fields(table, STORY_FIELDS, where=where, kind="story")

    title = check.string(table, "title", where)
    if "title" not in table:
        check.add(where, "title", "a title (non-empty string)", "nothing")
    elif title is not None and not title.strip():
        check.add(where, "title", "a non-empty title", '"" (string)')
    elif title is not None:
        header.title = title.strip()

    if "seed" in table:
        seed = table["seed"]
        if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
            check.add(where, "seed", "an integer >= 0", _describe(seed))
        else:
            header.seed = seed

    if "frame_rate" in table:
        rate = table["frame_rate"]
        allowed = ", ".join(f"{value:g}" for value in FRAME_RATES)
        if not _is_number(rate):
            check.add(where, "frame_rate", f"a frame rate: one of {allowed}", _describe(rate))
            header.parse_rate = DROP_FRAME_RATE
        else:
            try:
                header.frame_rate = canonical_frame_rate(rate)
                header.parse_rate = header.frame_rate
            except ValueError:
                check.add(where, "frame_rate", f"a frame rate: one of {allowed}", _describe(rate))
                header.parse_rate = DROP_FRAME_RATE

    drop_frame = check.boolean(table, "drop_frame", where)
    if drop_frame is None:
        header.drop_frame = header.frame_rate == DROP_FRAME_RATE
    elif (
        drop_frame and header.frame_rate != DROP_FRAME_RATE and header.parse_rate != DROP_FRAME_RATE
    ):
        check.add(
            where,
            "drop_frame",
            "drop_frame = true only with frame_rate = 29.97",
            f"frame_rate {header.frame_rate:g}",
        )
    else:
        header.drop_frame = drop_frame

    lead = check.saxophone(table, "lead", where)
    if lead is not None:
        header.lead = lead
    header.motif_folders = _motif_folders(table, where, check)
    return header


def _motif_folders(table: Mapping[str, object], where: str, check: _Checker) -> tuple[str, ...]:
    """The story's extra motif folders as absolute paths (relative ones are relative to the
    story file); every motif file in them is read, and its problems are recorded."""
    if "motifs" not in table:
        return ()
    value = table["motifs"]
    expected = 'a list of motif folders relative to the story file, e.g. ["my_motifs"]'
    if not isinstance(value, list):
        check.add(where, "motifs", expected, _describe(value))
        return ()
    base = Path.cwd() if check.source == BUILTIN_SOURCE else Path(check.source).parent
    folders: list[str] = []
    for position, item in enumerate(value):
        item_field = f"motifs[{position}]"
        if not isinstance(item, str) or not item.strip():
            check.add(where, item_field, "a folder path (non-empty string)", _describe(item))
            continue
        folder = (base / item.strip()).resolve()
        if not folder.is_dir():
            found = "a file" if folder.exists() else "no such folder"
            check.add(
                where,
                item_field,
                "an existing folder of motif files",
                f"{_describe(item)}: {found} ({folder})",
            )
            continue
        try:
            read_motifs(folder)
        except MotifError as error:
            check.problems.extend(error.problems)
            if not error.problems:
                check.add(where, item_field, "a folder of valid motif files", str(error))
        if str(folder) not in folders:
            folders.append(str(folder))
    return tuple(folders)


# ---------------------------------------------------------------- the beats


@dataclass(slots=True)
class _Timeline:
    """Where the next beat starts (``None`` once an earlier beat's end is unknown)."""

    previous_end: float | None = 0.0
    previous_label: str = ""


def _parse_beats(value: object, header: _Header, check: _Checker) -> list[Beat]:
    if value is None:
        check.add("", "beats", "at least one [[beats]] table", "nothing")
        return []
    if not isinstance(value, list):
        check.add("", "beats", "an array of beat tables ([[beats]])", _describe(value))
        return []
    if not value:
        check.add("", "beats", "at least one [[beats]] table", "an empty list")
        return []
    known_styles = style_ids()
    if not known_styles:
        logger.debug("no styles installed yet: style ids are not checked")
    seen_ids: dict[str, int] = {}
    timeline = _Timeline()
    beats: list[Beat] = []
    for index, raw in enumerate(value):
        beat = _parse_beat(raw, index, header, check, seen_ids, timeline, known_styles)
        if beat is not None:
            beats.append(beat)
    return beats


def _parse_beat(
    raw: object,
    index: int,
    header: _Header,
    check: _Checker,
    seen_ids: dict[str, int],
    timeline: _Timeline,
    known_styles: tuple[str, ...],
) -> Beat | None:
    """Validate one beat; ``None`` when it has a problem (recorded in ``check``)."""
    problems_before = len(check.problems)
    if not isinstance(raw, Mapping):
        check.add(f"beats[{index}]", "", "a beat table ([[beats]])", _describe(raw))
        timeline.previous_end = None
        return None
    raw_id = raw.get("id")
    where = f'beats[{index}] (id "{raw_id}")' if isinstance(raw_id, str) else f"beats[{index}]"
    check.unknown_fields(raw, BEAT_FIELDS, where=where, kind="beat")

    beat_id = _beat_id(raw, where, index, check, seen_ids)
    title = check.string(raw, "title", where)

    duration = None
    if "duration" not in raw:
        check.add(where, "duration", f"a duration > 0 ({_TIME_FORMS})", "nothing")
    else:
        duration = check.time(raw["duration"], header.parse_rate, where, "duration")
        if duration is not None and duration <= 0:
            check.add(where, "duration", "a duration > 0", _describe(raw["duration"]))
            duration = None

    start = _beat_start(raw, where, header, check, timeline)
    timeline.previous_end = None if start is None or duration is None else start + duration
    timeline.previous_label = f'beats[{index}] (id "{beat_id}")' if beat_id else f"beats[{index}]"

    setting = _setting(raw, where, check)
    characters = _characters(raw, where, check)
    text = check.string(raw, "text", where)
    mood = _mood(raw, where, check)
    style = _style(raw, where, check, known_styles)
    key = _key(raw, where, check)
    hits = _hits(raw, where, header, check, start, duration)
    music = check.boolean(raw, "music", where)
    lead = check.saxophone(raw, "lead", where)
    segue = check.boolean(raw, "segue", where)

    if len(check.problems) > problems_before or beat_id is None or duration is None:
        return None
    if start is None:  # unknown because an earlier beat has a problem (already recorded)
        return None
    if music is False and (style is not None or hits or key is not None):
        logger.warning("%s: music = false, so its style, key and hits are not used", where)
    return Beat(
        id=beat_id,
        index=index,
        title=title.strip() if title and title.strip() else beat_id,
        start_seconds=start,
        duration_seconds=duration,
        setting=setting,
        characters=characters,
        text=(text or "").strip(),
        mood=mood,
        style=style,
        hits_seconds=hits,
        music=True if music is None else music,
        lead=lead,
        key=key,
        segue=True if segue is None else segue,
    )


def _beat_id(
    raw: Mapping[str, object], where: str, index: int, check: _Checker, seen_ids: dict[str, int]
) -> str | None:
    if "id" not in raw:
        check.add(where, "id", 'an id of [a-z0-9-] (e.g. "circus")', "nothing")
        return None
    beat_id = check.string(raw, "id", where)
    if beat_id is None:
        return None
    if not _BEAT_ID_PATTERN.match(beat_id):
        check.add(
            where,
            "id",
            "an id of lowercase letters, digits and hyphens [a-z0-9-]",
            _describe(beat_id),
        )
        return None
    if beat_id in seen_ids:
        check.add(
            where,
            "id",
            "a unique id",
            f'"{beat_id}", already the id of beats[{seen_ids[beat_id]}]',
        )
        return None
    seen_ids[beat_id] = index
    return beat_id


def _beat_start(
    raw: Mapping[str, object], where: str, header: _Header, check: _Checker, timeline: _Timeline
) -> float | None:
    """The beat's start on the story timeline, seconds (``None`` when unknown or invalid)."""
    if "start" not in raw:
        return timeline.previous_end
    start = check.time(raw["start"], header.parse_rate, where, "start")
    if start is None:
        return None
    previous_end = timeline.previous_end
    if previous_end is not None and start < previous_end - _EPSILON_SECONDS:
        check.add(
            where,
            "start",
            f"a start at or after {_show_time(previous_end, header)}, the end of"
            f" {timeline.previous_label}; beats must not overlap",
            f"{_describe(raw['start'])} = {_show_time(start, header)}",
        )
        return None
    return max(start, previous_end or 0.0)


def _setting(raw: Mapping[str, object], where: str, check: _Checker) -> str:
    setting = check.string(raw, "setting", where)
    if setting is None:
        return ""
    normalised = _normalise_setting(setting)
    if setting.strip() and not normalised:
        check.add(where, "setting", "a setting made of letters or digits", _describe(setting))
    return normalised


def _characters(raw: Mapping[str, object], where: str, check: _Checker) -> tuple[str, ...]:
    if "characters" not in raw:
        return ()
    value = raw["characters"]
    if not isinstance(value, list):
        check.add(where, "characters", "a list of lowercase words", _describe(value))
        return ()
    names: list[str] = []
    for position, item in enumerate(value):
        name_field = f"characters[{position}]"
        if not isinstance(item, str):
            check.add(where, name_field, "a lowercase word (string)", _describe(item))
            continue
        name = item.strip().lower()
        if not _WORD_PATTERN.match(name):
            check.add(
                where,
                name_field,
                'a lowercase word of [a-z0-9], hyphens between parts (e.g. "new-york")',
                _describe(item),
            )
            continue
        if name not in names:
            names.append(name)
    return tuple(names)


def _mood(raw: Mapping[str, object], where: str, check: _Checker) -> MoodTags:
    if "mood" not in raw:
        return MoodTags()
    value = raw["mood"]
    if not isinstance(value, Mapping):
        check.add(where, "mood", "a table of valence, arousal, tension", _describe(value))
        return MoodTags()
    check.unknown_fields(value, tuple(MOOD_RANGES), where=where, kind="mood", prefix="mood.")
    values: dict[str, float | None] = {}
    for name, (lowest, highest) in MOOD_RANGES.items():
        values[name] = None
        if name not in value:
            continue
        item = value[name]
        expected = f"a number from {lowest:g} to {highest:g}"
        if not _is_number(item):
            check.add(where, f"mood.{name}", expected, _describe(item))
            continue
        number = float(item)
        if not math.isfinite(number) or not lowest <= number <= highest:
            check.add(where, f"mood.{name}", expected, _describe(item))
            continue
        values[name] = number
    return MoodTags(valence=values["valence"], arousal=values["arousal"], tension=values["tension"])


def _style(
    raw: Mapping[str, object], where: str, check: _Checker, known_styles: tuple[str, ...]
) -> str | None:
    style = check.string(raw, "style", where)
    if style is None:
        return None
    style = style.strip()
    if known_styles and style not in known_styles:
        check.add(where, "style", _one_of("a known style", known_styles, style), _describe(style))
        return None
    if not known_styles and not _BEAT_ID_PATTERN.match(style):
        check.add(where, "style", "a style id of [a-z0-9-]", _describe(style))
        return None
    return style


def _key(raw: Mapping[str, object], where: str, check: _Checker) -> str | None:
    text = check.string(raw, "key", where)
    if text is None:
        return None
    key = parse_key(text)
    if key is None:
        check.add(where, "key", 'a key such as "D minor", "Bb", "F#m"', _describe(text))
        return None
    return key.name


def _hits(
    raw: Mapping[str, object],
    where: str,
    header: _Header,
    check: _Checker,
    start: float | None,
    duration: float | None,
) -> tuple[float, ...]:
    """Hit points in seconds from the beat's start, sorted, duplicates removed."""
    if "hits" not in raw:
        return ()
    value = raw["hits"]
    if not isinstance(value, list):
        check.add(where, "hits", "a list of hit times", _describe(value))
        return ()
    hits: set[float] = set()
    for position, item in enumerate(value):
        hit_field = f"hits[{position}]"
        if _is_number(item):
            if not math.isfinite(item):
                check.add(where, hit_field, "seconds from the beat's start", _describe(item))
                continue
            relative = float(item)
            shown = f"{_describe(item)} = {relative:.3f} s from the beat's start"
        elif isinstance(item, str):
            absolute = check.time(item, header.parse_rate, where, hit_field)
            if absolute is None or start is None:
                continue  # an invalid time was recorded; an unknown start was recorded elsewhere
            relative = absolute - start
            shown = f"{_describe(item)} = {relative:.3f} s from the beat's start"
        else:
            check.add(
                where,
                hit_field,
                "seconds from the beat's start (number) or an absolute timecode (string)",
                _describe(item) + _quote_hint(item),
            )
            continue
        if duration is None:
            continue
        if relative < -_EPSILON_SECONDS or relative >= duration - _EPSILON_SECONDS:
            span = f"0 <= t < {duration:g} s"
            if start is not None:
                span += (
                    f", story time {_show_time(start, header)}"
                    f" to {_show_time(start + duration, header)}"
                )
            check.add(where, hit_field, f"a hit inside the beat ({span})", shown)
            continue
        hits.add(max(relative, 0.0))
    return tuple(sorted(hits))
