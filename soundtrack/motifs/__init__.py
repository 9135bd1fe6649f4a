"""Leitmotifs as data: one TOML file per motif in this folder, read into :class:`Motif` values.

Input: ``soundtrack/motifs/<name>.toml`` (the built-in library), the ``*.toml`` files of extra
folders a story names (``[story] motifs = ["my_motifs"]``), or any file given to
:func:`read_motif`. Output: validated, frozen :class:`~soundtrack.model.Motif` values. Every
problem of a file (TOML syntax, unknown keys with a "did you mean" hint, missing or mistyped
values, a melody music21 cannot read, notes out of range, harmony that is not Roman numerals...)
is collected and raised at once as a :class:`~soundtrack.errors.MotifError`.

The name of a motif is its file stem (``vladimir.toml`` -> ``vladimir``; lower-case letters,
digits and ``-``): the name stories use in a beat's ``characters``. A motif in an extra folder
replaces a built-in one of the same name (logged); among extra folders the first one listed wins.

File format (see ``soundtrack/motifs/README.md`` and the built-in files for more)::

    title = "Vladimir's theme"           # display title (required)
    stands_for = "Vladimir himself"      # one sentence (required)
    key = "D minor"                      # tonic + major|minor, as for stories (required)
    melody = "4/4 a4 d'8 e' f'4. e'8 | d'2 r2"
        # music21 tinyNotation (required): an optional time signature first (default 4/4);
        # c = middle C (MIDI 60), c' an octave higher, C an octave lower; 4 = quarter,
        # 8 = eighth, . = dotted, r = rest, ~ = tie to the next note, # and - = sharp and flat
        # after the octave marks (c'# = C#5) and on every note: no key signature is
        # applied; trip{c8 d e} = triplet;
        # bar lines | are optional and checked. At most 8 bars, notes MIDI 36-96.
    harmony = ["i", "iv", "V7", "i"]     # optional: one Roman numeral per bar, degrees counted
                                         # on the major scale of the tonic (bVI, bVII in minor)
    instrument = "Clarinet"              # optional: preferred instrument away from the sax
    program = 71                         # General MIDI program 0-127, with ``instrument``

The melody becomes :class:`~soundtrack.model.Note` values at 480 ticks per quarter from the motif
start (tied notes merged, rests skipped, velocity 96 on a downbeat and 80 elsewhere); the length
is rounded up to whole bars. The library logs through :mod:`logging` and never prints.
"""

from __future__ import annotations

import functools
import logging
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from soundtrack.datafile import (
    NAME_PATTERN,
    NOTHING,
    Checker,
    default_pulse_ticks,
    did_you_mean,
    read_text_file,
    toml_table,
)
from soundtrack.errors import MotifError, Problem
from soundtrack.model import Key, Meter, Motif, Note
from soundtrack.pitch import parse_key, pitch_class_name
from soundtrack.styles.schema import parse_roman_chord
from soundtrack.units import TICKS_PER_QUARTER

__all__ = [
    "HIGHEST_PITCH",
    "LOWEST_PITCH",
    "MAX_BARS",
    "list_motifs",
    "load_motif",
    "motif_names",
    "read_motif",
    "read_motifs",
]

logger = logging.getLogger(__name__)

#: Longest melody, in bars of its meter.
MAX_BARS = 8
#: Lowest and highest MIDI note of a melody (C2 and C7).
LOWEST_PITCH = 36
HIGHEST_PITCH = 96

#: ``Motif.source`` of the built-in motifs.
BUILTIN_SOURCE = "<built-in>"

_KEYS = ("title", "stands_for", "key", "melody", "harmony", "instrument", "program")
_VELOCITY = 80
_DOWNBEAT_VELOCITY = 96
_METER_TOKEN = re.compile(r"^(\d+)/(\d+)$")
_DENOMINATORS = (1, 2, 4, 8, 16)
_ACCIDENTAL_BEFORE_OCTAVE = re.compile(r"[a-gA-G][#\-n]+'")

Folders = Iterable[str | Path]


# ---------------------------------------------------------------- public functions


def motif_names(folders: Folders = ()) -> tuple[str, ...]:
    """Names of the built-in motifs and of the motifs in ``folders``, sorted.

    Args:
        folders: extra motif folders (a story's ``Story.motif_folders``).

    Raises:
        MotifError: when a folder does not exist.
    """
    names = set(_builtin_names())
    for folder in _existing_folders(folders):
        names.update(_folder_files(folder))
    return tuple(sorted(names))


def load_motif(name: str, folders: Folders = ()) -> Motif:
    """The motif with this name: from the first of ``folders`` that has it, else built-in.

    Args:
        name: a motif name such as ``vladimir`` (see :func:`motif_names`).
        folders: extra motif folders; their motifs replace built-in ones of the same name.

    Returns:
        The validated motif (built-in ones are read once, then cached).

    Raises:
        MotifError: when the name is unknown (the message names the known ones), a folder does
            not exist, or the motif's file is invalid (one problem per line).
    """
    folder_list = _existing_folders(folders)
    for folder in folder_list:
        path = _folder_files(folder).get(name)
        if path is not None:
            if name in _builtin_names():
                logger.info("motif %r from %s replaces the built-in one", name, path)
            return read_motif(path)
    if name in _builtin_names():
        return _load_builtin(name)
    known = motif_names(folder_list)
    raise MotifError(
        f"unknown motif {name!r}{did_you_mean(name, known)}; known motifs: {', '.join(known)}"
    )


def list_motifs(folders: Folders = ()) -> tuple[Motif, ...]:
    """Every motif (built-in, replaced or added by ``folders``), sorted by name.

    Raises:
        MotifError: with every problem of every invalid motif file, or a missing folder.
    """
    folder_list = _existing_folders(folders)
    motifs: list[Motif] = []
    problems: list[Problem | str] = []
    for name in motif_names(folder_list):
        try:
            motifs.append(load_motif(name, folder_list))
        except MotifError as error:
            problems.extend(error.problems or error.lines)
    if problems:
        raise MotifError(problems)
    return tuple(motifs)


def read_motif(path: str | Path) -> Motif:
    """Read and validate a motif file; its name is the file stem.

    Args:
        path: a ``.toml`` motif file.

    Returns:
        The validated motif; ``Motif.source`` is the path as given.

    Raises:
        MotifError: when the file cannot be read or is invalid (every problem at once).
    """
    file = Path(path)
    source = str(path)
    text = read_text_file(file, source)
    if isinstance(text, Problem):
        raise MotifError([text])
    return _parse_motif(text, name=file.stem, source=source, motif_source=source)


def read_motifs(folder: str | Path) -> tuple[Motif, ...]:
    """Read and validate every motif file (``*.toml``) of a folder, sorted by name.

    Args:
        folder: an extra motif folder.

    Raises:
        MotifError: with every problem of every invalid file, or when the folder does not exist.
    """
    (checked,) = _existing_folders((folder,))
    motifs: list[Motif] = []
    problems: list[Problem | str] = []
    for _, path in sorted(_folder_files(checked).items()):
        try:
            motifs.append(read_motif(path))
        except MotifError as error:
            problems.extend(error.problems or error.lines)
    if problems:
        raise MotifError(problems)
    return tuple(motifs)


# ---------------------------------------------------------------- files and folders


@functools.cache
def _builtin_names() -> tuple[str, ...]:
    folder = resources.files(__name__)
    names = (item.name for item in folder.iterdir() if item.is_file())
    return tuple(sorted(name[: -len(".toml")] for name in names if name.endswith(".toml")))


@functools.cache
def _load_builtin(name: str) -> Motif:
    text = resources.files(__name__).joinpath(f"{name}.toml").read_text(encoding="utf-8")
    return _parse_motif(
        text, name=name, source=f"soundtrack/motifs/{name}.toml", motif_source=BUILTIN_SOURCE
    )


def _existing_folders(folders: Folders) -> tuple[Path, ...]:
    """The folders as paths; a MotifError naming every one that is not a folder."""
    paths = tuple(Path(folder) for folder in folders)
    problems = [
        Problem(
            source=str(path),
            expected="an existing folder of motif files",
            found="a file" if path.exists() else "no such folder",
        )
        for path in paths
        if not path.is_dir()
    ]
    if problems:
        raise MotifError(problems)
    return paths


def _folder_files(folder: Path) -> dict[str, Path]:
    """The motif files of a folder by name (stem); hidden files are skipped."""
    return {
        path.stem: path
        for path in sorted(folder.glob("*.toml"))
        if path.is_file() and not path.name.startswith(".")
    }


# ---------------------------------------------------------------- parsing


def _parse_motif(text: str, *, name: str, source: str, motif_source: str) -> Motif:
    data = toml_table(text, source)
    if isinstance(data, Problem):
        raise MotifError([data])
    check = Checker(source)
    if not NAME_PATTERN.match(name):
        check.add(
            "",
            "name",
            "a file stem of lower-case letters, digits and '-' (it is the motif's name)",
            name,
        )
    check.keys(data, _KEYS, "")
    title = check.text(data, "title", "")
    stands_for = check.text(data, "stands_for", "")
    key = check.get(data, "key", "", _key, 'a key such as "D minor" or "Bb major"')
    melody_text = check.text(data, "melody", "")
    melody = _melody(check, melody_text) if melody_text is not None else None
    harmony = _harmony(check, data, melody.bars if melody is not None else None)
    instrument = check.text(data, "instrument", "", "")
    program = check.integer(data, "program", "", 0, 127, None)
    if instrument and "program" not in data:
        check.add(
            "",
            "program",
            f"a General MIDI program 0-127 (0-based) for the instrument {instrument!r}",
            shown=NOTHING,
        )
    if "program" in data and "instrument" not in data:
        check.add("", "instrument", "the display name of the program's instrument", shown=NOTHING)
    if (
        check.problems
        or title is None
        or stands_for is None
        or key is None
        or melody_text is None
        or melody is None
    ):
        logger.info("motif file %s has %d problem(s)", source, len(check.problems))
        raise MotifError(check.problems or [Problem(source=source, expected="a valid motif")])
    return Motif(
        name=name,
        title=title,
        stands_for=stands_for,
        key=key,
        meter=melody.meter,
        melody=melody_text,
        notes=melody.notes,
        length_ticks=melody.length_ticks,
        harmony=harmony,
        instrument=instrument or "",
        program=program,
        source=motif_source,
    )


def _key(value: object) -> Key:
    key = parse_key(value) if isinstance(value, str) else None
    if key is None:
        raise ValueError("")
    return key


@dataclass(frozen=True, slots=True, kw_only=True)
class _Melody:
    meter: Meter
    notes: tuple[Note, ...]
    length_ticks: int

    @property
    def bars(self) -> int:
        return self.length_ticks // self.meter.bar_ticks


def _melody(check: Checker, text: str) -> _Melody | None:
    """The notes of a tinyNotation melody; ``None`` after reporting its problems."""
    tokens = text.replace("|", " | ").split()
    meter = Meter(numerator=4, denominator=4, pulse_ticks=TICKS_PER_QUARTER)
    if tokens and _METER_TOKEN.match(tokens[0]):
        signature = tokens.pop(0)
        numerator, denominator = (int(part) for part in signature.split("/"))
        if not 1 <= numerator <= 32 or denominator not in _DENOMINATORS:
            check.add("", "melody", 'a time signature such as "4/4", "3/4", "6/8"', signature)
            return None
        pulse_ticks = default_pulse_ticks(numerator, denominator)
        meter = Meter(numerator=numerator, denominator=denominator, pulse_ticks=pulse_ticks)
    misplaced = [token for token in tokens if _ACCIDENTAL_BEFORE_OCTAVE.search(token)]
    if misplaced:
        # tinyNotation would silently ignore these octave marks
        check.add(
            "",
            "melody",
            "octave marks before the accidental (c'# is C#5; c#' would be read as C#4)",
            ", ".join(misplaced),
        )
        return None
    later = [token for token in tokens if _METER_TOKEN.match(token)]
    if later:
        check.add("", "melody", "one time signature, at the start", ", ".join(later))
        return None
    segments = " ".join(tokens).split("|")
    parsed = _tiny_notation(meter, " ".join(segments))
    if isinstance(parsed, str):
        check.add("", "melody", parsed, text)
        return None
    notes, end_tick = parsed
    if not notes:
        check.add("", "melody", "at least one note", text)
        return None
    bars = max(1, math.ceil(end_tick / meter.bar_ticks))
    if bars > MAX_BARS:
        check.add("", "melody", f"at most {MAX_BARS} bars of {meter.text}", shown=f"{bars} bars")
    outside = sorted(
        {note.pitch for note in notes if not LOWEST_PITCH <= note.pitch <= HIGHEST_PITCH}
    )
    if outside:
        check.add(
            "",
            "melody",
            f"notes from {_note_name(LOWEST_PITCH)} to {_note_name(HIGHEST_PITCH)} "
            f"(MIDI {LOWEST_PITCH}-{HIGHEST_PITCH})",
            shown=", ".join(f"{_note_name(pitch)} (MIDI {pitch})" for pitch in outside),
        )
    if len(segments) > 1:
        _check_bar_lines(check, segments, meter)
    return _Melody(meter=meter, notes=notes, length_ticks=bars * meter.bar_ticks)


def _tiny_notation(meter: Meter, body: str) -> tuple[tuple[Note, ...], int] | str:
    """Notes (ties merged, rests skipped) and the end tick (rests included) of tinyNotation
    ``body`` in ``meter``; or what a valid melody looks like, when music21 cannot read it."""
    from music21 import tinyNotation
    from music21.exceptions21 import Music21Exception

    try:
        converter = tinyNotation.Converter(f"{meter.text} {body}", raiseExceptions=True)
        stream = converter.parse().stream  # type: ignore[no-untyped-call]
        elements = list(stream.flatten().notesAndRests)
        end_tick = round(float(stream.highestTime) * TICKS_PER_QUARTER)
    except (Music21Exception, ValueError, IndexError, KeyError, TypeError) as error:
        message = str(error).strip().splitlines()[0] if str(error).strip() else "unreadable"
        return f"music21 tinyNotation ({message})"
    notes: list[Note] = []
    tied = False
    for element in elements:
        if element.isRest:
            tied = False
            continue
        if element.isChord:
            return "a single line of notes (no chords)"
        start = round(float(element.offset) * TICKS_PER_QUARTER)
        duration = round(float(element.quarterLength) * TICKS_PER_QUARTER)
        if duration <= 0:
            continue
        pitch = int(element.pitch.midi)
        previous = notes[-1] if notes else None
        if tied and previous is not None and previous.pitch == pitch and previous.end_tick == start:
            notes[-1] = Note(
                start_tick=previous.start_tick,
                duration_ticks=previous.duration_ticks + duration,
                pitch=pitch,
                velocity=previous.velocity,
            )
        else:
            velocity = _DOWNBEAT_VELOCITY if start % meter.bar_ticks == 0 else _VELOCITY
            notes.append(
                Note(start_tick=start, duration_ticks=duration, pitch=pitch, velocity=velocity)
            )
        tie = element.tie
        tied = tie is not None and tie.type in ("start", "continue")
    return tuple(notes), max(end_tick, notes[-1].end_tick if notes else 0)


def _check_bar_lines(check: Checker, segments: list[str], meter: Meter) -> None:
    """Report a bar line ``|`` that does not stand at the end of a bar."""
    position = 0
    for number, segment in enumerate(segments[:-1], start=1):
        if not segment.strip():
            continue
        parsed = _tiny_notation(meter, segment)
        if isinstance(parsed, str):
            check.add("", "melody", "bar lines between notes, not inside a group", segment)
            return
        position += parsed[1]
        if position % meter.bar_ticks:
            beats = position / meter.pulse_ticks
            check.add(
                "",
                "melody",
                f"bar lines at the ends of bars of {meter.text}",
                shown=f"bar line {number} after {beats:g} beats",
            )
            return


def _harmony(check: Checker, data: Mapping[str, object], bars: int | None) -> tuple[str, ...]:
    """The chords, one per bar; each must be a Roman numeral music21 and the engine can read."""
    if "harmony" not in data:
        return ()
    value = data["harmony"]
    expected = 'a list of Roman numerals, one per bar, such as ["i", "iv", "V7", "i"]'
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        check.add("", "harmony", expected, value)
        return ()
    from music21 import roman
    from music21.exceptions21 import Music21Exception

    chords: list[str] = []
    for index, figure in enumerate(value):
        figure = figure.strip()
        try:
            parse_roman_chord(figure)
            if not figure or not roman.RomanNumeral(figure).pitches:
                raise ValueError("empty")
        except (ValueError, Music21Exception) as error:
            check.add(
                "",
                f"harmony[{index}]",
                f"a Roman numeral relative to the key such as i, iv, V7, bVI ({error})",
                figure,
            )
            continue
        chords.append(figure)
    if bars is not None and len(value) > bars:
        check.add(
            "",
            "harmony",
            f"at most {bars} chord{'s' if bars > 1 else ''}, one per bar of the melody",
            shown=f"{len(value)} chords",
        )
    return tuple(chords)


def _note_name(pitch: int) -> str:
    """``C4`` for MIDI 60."""
    return f"{pitch_class_name(pitch, flats=True)}{pitch // 12 - 1}"
