# mypy: disable-error-code="no-untyped-call"
# (music21 ships type hints, but many of its constructors are unannotated)
"""MusicXML export: a saxophone part a player can read, and a concert-pitch full score.

Input: a mixed :class:`~soundtrack.model.Scene` (ticks at
:data:`~soundtrack.units.TICKS_PER_QUARTER` per quarter, concert MIDI pitches, velocities 1-127,
the cue's tempo map, meter, key, chord symbols and sections). Output: MusicXML documents as
``bytes`` (UTF-8, ``score-partwise``), and optionally PDF/PNG sheet music made by an external
engraver.

* :func:`sax_part_musicxml` writes the lead track only, at **written pitch** for the cue's
  saxophone (concert + :data:`TRANSPOSITION` semitones; key signature and chord symbols
  transposed alike, keys of seven sharps or flats respelt enharmonically), with the music21
  instrument's transposition set (the part is marked as not at sounding pitch) so notation
  programs play it back at concert pitch. It carries the title (cue number + title), the time
  signature, metronome marks from the tempo map (whole bpm of the counted pulse; a run of small
  steps becomes ``rit.``/``accel.`` plus the tempo it arrives at), dynamics from velocities
  (at phrase starts, and inside a phrase when a bar's level moves clearly), staccato for notes
  much shorter than their spacing, accents for velocity peaks, grace notes for very short notes
  just before another, rehearsal marks for sections and ``Swing`` at the start when the lead's
  off-beat eighths sit near two thirds of the beat (they are then written as straight eighths).
  Pitch bends, the scene's pickup (played only on the story timeline) and notes after the cue's
  last tick are not written.
* :func:`score_musicxml` writes every track as a part at **concert pitch** (the saxophone too;
  the instruments carry no transposition), drums as a percussion part on a five-line staff
  (GM drum notes mapped to the usual drum-set positions, cymbals with ``x`` noteheads), with the
  same tempo marks, time and key signature, rehearsal marks and chord symbols (above the first
  part). Polyphonic parts are written as chords on one staff (notes that overlap other notes are
  split and tied), so a piano part reads as a chord reduction.
* :func:`engrave` runs MuseScore (``mscore``/``musescore``/``MuseScore4``...) or LilyPond
  (``musicxml2ly`` + ``lilypond``) on a written MusicXML file to make a PDF and PNG page(s);
  without either it raises :class:`~soundtrack.errors.ExportError` with an install hint.

Quantisation (all in ticks): each track's constant lag (a soloist behind the beat) is measured
and removed; then every quarter-note window of each track gets the grid that fits its onsets
best: straight eighths (or swung eighths, written straight, when the cue swings), sixteenths or
eighth-note triplets (not in x/8 meters). Note ends snap to the grid of the window they end in;
written notes are split at barlines and into notatable values with ties; gaps become rests, so
every measure is complete.

music21 is used only to build the notation objects and write/parse MusicXML; the quantisation and
measure layout are done here on plain tuples, which keeps a 150-second cue to about a second.
"""

from __future__ import annotations

import copy
import logging
import os
import re
import shutil
import subprocess
import tempfile
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from statistics import median
from typing import Any

from music21 import (
    articulations,
    chord,
    clef,
    duration,
    dynamics,
    expressions,
    harmony,
    instrument,
    interval,
    key,
    metadata,
    meter,
    note,
    percussion,
    pitch,
    stream,
    tempo,
    tie,
)
from music21.musicxml.m21ToXml import GeneralObjectExporter

from soundtrack.errors import ExportError
from soundtrack.model import CueSpec, Mode, Note, Role, Saxophone, Scene, Track
from soundtrack.pitch import key_tonic_name
from soundtrack.units import TICKS_PER_QUARTER

__all__ = [
    "ENGRAVE_HINT",
    "SAX_PART_NAME",
    "TRANSPOSITION",
    "engrave",
    "sax_part_musicxml",
    "score_musicxml",
]

logger = logging.getLogger(__name__)

#: Written minus concert pitch, semitones, of each saxophone.
TRANSPOSITION: dict[Saxophone, int] = {
    Saxophone.SOPRANO: 2,
    Saxophone.ALTO: 9,
    Saxophone.TENOR: 14,
    Saxophone.BARITONE: 21,
}

#: Part name of each saxophone as printed on the part.
SAX_PART_NAME: dict[Saxophone, str] = {
    Saxophone.SOPRANO: "Soprano Saxophone in Bb",
    Saxophone.ALTO: "Alto Saxophone in Eb",
    Saxophone.TENOR: "Tenor Saxophone in Bb",
    Saxophone.BARITONE: "Baritone Saxophone in Eb",
}

#: What to install when no engraver is found (the message of :func:`engrave`'s error).
ENGRAVE_HINT = "install MuseScore (mscore) or LilyPond to get PDF/PNG sheet music"

# Written-from-concert interval names (spelling of keys, notes and chord roots).
_INTERVAL_NAME: dict[Saxophone, str] = {
    Saxophone.SOPRANO: "M2",
    Saxophone.ALTO: "M6",
    Saxophone.TENOR: "M9",
    Saxophone.BARITONE: "M13",
}
_SAX_ABBREVIATION: dict[Saxophone, str] = {
    Saxophone.SOPRANO: "S. Sax.",
    Saxophone.ALTO: "A. Sax.",
    Saxophone.TENOR: "T. Sax.",
    Saxophone.BARITONE: "Bar. Sax.",
}
_SAX_INSTRUMENT: dict[Saxophone, type[Any]] = {
    Saxophone.SOPRANO: instrument.SopranoSaxophone,
    Saxophone.ALTO: instrument.AltoSaxophone,
    Saxophone.TENOR: instrument.TenorSaxophone,
    Saxophone.BARITONE: instrument.BaritoneSaxophone,
}

_Q = TICKS_PER_QUARTER
_EIGHTH = _Q // 2
_SIXTEENTH = _Q // 4
_TRIPLET = _Q // 3
#: An onset this many ticks before a window belongs to it (early notes).
_EARLY_TICKS = _Q // 8
#: Notes at most this long, followed by another note this soon, are grace notes.
_GRACE_MAX_TICKS = 60
_GRACE_GAP_TICKS = 90
#: Cost of a grid choice per quarter window, in ticks of timing error (simpler grids win ties).
_GRID_PENALTY = {"eighths": 0, "sixteenths": 30, "triplets": 40}
_COLLISION_COST = 10_000

# Dynamic marks and the velocity each stands for (a change is "clear" past half a step).
_DYNAMICS: tuple[tuple[str, int], ...] = (
    ("pp", 36),
    ("p", 50),
    ("mp", 64),
    ("mf", 80),
    ("f", 96),
    ("ff", 112),
)
#: A note this much louder than the notes around it is accented.
_ACCENT_VELOCITY = 11
#: A note sounding less than this fraction of its spacing (and shorter than an eighth) is staccato.
_STACCATO_FRACTION = 0.5
#: A rest of at least this long ends a phrase (for dynamics).
_PHRASE_GAP_TICKS = _Q

_SHARP_SPELLING = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
_FLAT_SPELLING = ("C", "D-", "D", "E-", "E", "F", "G-", "G", "A-", "A", "B-", "B")

# GM drum note -> (display step+octave on the five-line staff, notehead).
_DRUM_DISPLAY: dict[int, tuple[str, str]] = {
    35: ("E4", "normal"),
    36: ("F4", "normal"),
    37: ("C5", "x"),
    38: ("C5", "normal"),
    39: ("D5", "x"),
    40: ("C5", "normal"),
    41: ("A4", "normal"),
    42: ("G5", "x"),
    43: ("A4", "normal"),
    44: ("D4", "x"),
    45: ("B4", "normal"),
    46: ("G5", "circle-x"),
    47: ("B4", "normal"),
    48: ("E5", "normal"),
    49: ("A5", "x"),
    50: ("E5", "normal"),
    51: ("F5", "x"),
    52: ("A5", "x"),
    53: ("F5", "diamond"),
    54: ("E5", "x"),
    55: ("B5", "x"),
    56: ("E5", "triangle"),
    57: ("A5", "x"),
    59: ("F5", "x"),
}


# ---------------------------------------------------------------- quantisation


@dataclass(frozen=True, slots=True)
class _Grid:
    """The grid of one quarter window: ``played`` positions and where each is ``written``."""

    name: str
    played: tuple[int, ...]
    written: tuple[int, ...]

    def snap(self, position: int) -> int:
        """Written position (ticks from the window start) of a played position."""
        best = min(range(len(self.played)), key=lambda i: abs(position - self.played[i]))
        if abs(position - _Q) < abs(position - self.played[best]):
            return _Q
        return self.written[best]


def _grids(swing_ticks: int | None, *, triplets: bool) -> list[_Grid]:
    upbeat = swing_ticks if swing_ticks is not None else _EIGHTH
    grids = [
        _Grid("eighths", (0, upbeat), (0, _EIGHTH)),
        _Grid("sixteenths", (0, 120, 240, 360), (0, 120, 240, 360)),
    ]
    if triplets:
        grids.append(_Grid("triplets", (0, 160, 320), (0, 160, 320)))
    return grids


def _lag_ticks(onsets: Sequence[int]) -> int:
    """How late a track plays (median deviation of its onsets near a beat), ticks."""
    deviations = []
    for onset in onsets:
        deviation = (onset + _EIGHTH) % _Q - _EIGHTH
        if abs(deviation) <= 60:
            deviations.append(deviation)
    return round(median(deviations)) if len(deviations) >= 4 else 0


def _swing_ticks(onsets: Sequence[int], lag_ticks: int) -> int | None:
    """Where the off-beat eighth sits when the line swings (ticks into the beat), else None.

    Only quarter windows without a note near a sixteenth or a triplet's second note count, so
    triplet runs do not pass for swing.
    """
    windows: dict[int, list[int]] = {}
    for onset in onsets:
        shifted = onset - lag_ticks + _EARLY_TICKS
        windows.setdefault(shifted // _Q, []).append(shifted % _Q - _EARLY_TICKS)
    upbeats: list[int] = []
    for positions in windows.values():
        if any(90 <= p <= 200 or p >= 350 for p in positions):
            continue  # triplet runs, sixteenths, dotted rhythms
        upbeats.extend(p for p in positions if 200 <= p < 350)
    if len(upbeats) < 6:
        return None
    middle = round(median(upbeats))
    return middle if middle >= 275 else None


@dataclass(frozen=True, slots=True)
class _Quantiser:
    """Per-window grids of one track; maps played ticks to written ticks."""

    lag_ticks: int
    windows: tuple[_Grid, ...]
    default: _Grid

    def grid_at(self, tick: int) -> _Grid:
        index = tick // _Q
        return self.windows[index] if 0 <= index < len(self.windows) else self.default

    def position(self, played_tick: int) -> int:
        shifted = played_tick - self.lag_ticks + _EARLY_TICKS
        window = shifted // _Q
        return window * _Q + self.grid_at(window * _Q).snap(shifted % _Q - _EARLY_TICKS)

    def is_triplet(self, written_tick: int) -> bool:
        return self.grid_at(written_tick).name == "triplets"


def _quantiser(
    onsets: Sequence[int], end_tick: int, swing: int | None, spec: CueSpec
) -> _Quantiser:
    triplets = spec.meter.denominator != 8
    grids = _grids(swing, triplets=triplets)
    lag = _lag_ticks(onsets)
    count = -(-end_tick // _Q)
    positions: list[list[int]] = [[] for _ in range(count)]
    for onset in onsets:
        shifted = onset - lag + _EARLY_TICKS
        window = shifted // _Q
        if 0 <= window < count:
            positions[window].append(shifted % _Q - _EARLY_TICKS)
    windows = []
    for found in positions:
        best = grids[0]
        best_cost = 0.0
        for grid in grids:
            cost = float(_GRID_PENALTY[grid.name]) if found else 0.0
            used: set[int] = set()
            for position in found:
                cost += min(abs(position - p) for p in (*grid.played, _Q))
                slot = grid.snap(position)
                if slot in used:
                    cost += _COLLISION_COST
                used.add(slot)
            if grid is grids[0] or cost < best_cost:
                best, best_cost = grid, cost
        windows.append(best)
    return _Quantiser(lag_ticks=lag, windows=tuple(windows), default=grids[0])


@dataclass(frozen=True, slots=True)
class _Written:
    """A quantised note: written ticks, concert pitch, marks."""

    start_tick: int
    end_tick: int
    pitch: int
    velocity: int
    grace: bool = False
    staccato: bool = False
    accent: bool = False


def _clip(notes: Sequence[Note], end_tick: int) -> list[Note]:
    return sorted(
        (n for n in notes if 0 <= n.start_tick < end_tick), key=lambda n: (n.start_tick, n.pitch)
    )


def _step_after(quantiser: _Quantiser, tick: int) -> int:
    return _TRIPLET if quantiser.is_triplet(tick) else _SIXTEENTH


def _lead_line(notes: Sequence[Note], spec: CueSpec, swing: int | None) -> list[_Written]:
    """The lead as a monophonic written line with graces, staccato and accents."""
    played = _clip(notes, spec.end_tick)
    grace = [
        i + 1 < len(played)
        and played[i].duration_ticks <= _GRACE_MAX_TICKS
        and 0 < played[i + 1].start_tick - played[i].start_tick <= _GRACE_GAP_TICKS
        for i in range(len(played))
    ]
    main = [n for n, g in zip(played, grace, strict=True) if not g]
    quantiser = _quantiser([n.start_tick for n in main], spec.end_tick, swing, spec)
    starts = [min(quantiser.position(n.start_tick), spec.end_tick - _SIXTEENTH) for n in main]
    # two notes on one slot: the earlier becomes a grace note of the later
    for i in range(len(main) - 1):
        if starts[i] >= starts[i + 1]:
            starts[i] = -1
    line: list[_Written] = []
    pending: list[Note] = [n for n, g in zip(played, grace, strict=True) if g]
    pending_index = 0
    velocities = [n.velocity for n in main]
    for i, current in enumerate(main):
        start = starts[i]
        later = [s for s in starts[i + 1 :] if s >= 0]
        next_start = later[0] if later else spec.end_tick
        if start < 0:  # collided with the next note: its grace note
            line.append(
                _Written(next_start, next_start, current.pitch, current.velocity, grace=True)
            )
            continue
        # grace notes just before this note
        while (
            pending_index < len(pending) and pending[pending_index].start_tick < current.start_tick
        ):
            g = pending[pending_index]
            pending_index += 1
            line.append(_Written(start, start, g.pitch, g.velocity, grace=True))
        next_played = main[i + 1].start_tick if i + 1 < len(main) else spec.end_tick
        spacing = next_played - current.start_tick
        staccato = (
            current.duration_ticks < _EIGHTH
            and current.duration_ticks < _STACCATO_FRACTION * spacing
            and i + 1 < len(main)
        )
        if staccato and next_start - start <= _Q:
            end = next_start
        else:
            end = quantiser.position(current.end_tick)
            end = min(max(end, start + _step_after(quantiser, start)), next_start)
        window = velocities[max(0, i - 4) : i + 5]
        accent = current.velocity >= median(window) + _ACCENT_VELOCITY
        line.append(
            _Written(start, end, current.pitch, current.velocity, staccato=staccato, accent=accent)
        )
    return line


def _chord_line(notes: Sequence[Note], spec: CueSpec, swing: int | None) -> list[_Written]:
    """Quantised notes of a (possibly polyphonic) track; same pitch never overlaps itself."""
    played = _clip(notes, spec.end_tick)
    quantiser = _quantiser([n.start_tick for n in played], spec.end_tick, swing, spec)
    written: list[_Written] = []
    last_end: dict[int, int] = {}
    for current in played:
        start = min(quantiser.position(current.start_tick), spec.end_tick - _SIXTEENTH)
        if last_end.get(current.pitch, -1) > start:
            continue
        end = min(quantiser.position(current.end_tick), spec.end_tick)
        end = max(end, min(start + _step_after(quantiser, start), spec.end_tick))
        last_end[current.pitch] = end
        written.append(_Written(start, end, current.pitch, current.velocity))
    return written


def _drum_line(notes: Sequence[Note], spec: CueSpec, swing: int | None) -> list[_Written]:
    """Quantised drum hits, each lasting to the next onset (at most a beat)."""
    played = _clip(notes, spec.end_tick)
    quantiser = _quantiser([n.start_tick for n in played], spec.end_tick, swing, spec)
    starts = sorted(
        {min(quantiser.position(n.start_tick), spec.end_tick - _SIXTEENTH) for n in played}
    )
    written = []
    seen: set[tuple[int, int]] = set()
    for current in played:
        start = min(quantiser.position(current.start_tick), spec.end_tick - _SIXTEENTH)
        if (start, current.pitch) in seen:
            continue
        seen.add((start, current.pitch))
        index = bisect_right(starts, start)
        following = starts[index] if index < len(starts) else spec.end_tick
        end = min(following, start + _Q, spec.end_tick)
        written.append(_Written(start, end, current.pitch, current.velocity))
    return written


# ---------------------------------------------------------------- spelling


def _m21_name(name: str) -> str:
    return name.replace("b", "-") if len(name) > 1 else name


def _written_key(spec: CueSpec, semitones_name: str | None) -> Any:
    """The music21 key at written pitch (fewer than seven sharps/flats)."""
    mode = "major" if spec.key.mode is Mode.MAJOR else "minor"
    tonic: Any = pitch.Pitch(_m21_name(key_tonic_name(spec.key.tonic_pc, spec.key.mode)))
    if semitones_name is not None:
        tonic = tonic.transpose(interval.Interval(semitones_name))
    written = key.Key(tonic.name, mode)
    if abs(written.sharps) >= 7:
        written = key.Key(tonic.getEnharmonic().name, mode)
    return written


class _Speller:
    """Names MIDI pitches in a key: diatonic notes as the key has them (raised 6th/7th in
    minor), others by the direction of the line (sharps going up, flats going down)."""

    def __init__(self, written_key: Any) -> None:
        names: dict[int, str] = {}
        for p in written_key.getPitches():
            names.setdefault(p.pitchClass, p.name)
        if written_key.mode == "minor":
            for step in ("-m2", "M6"):
                raised = written_key.tonic.transpose(step)
                names.setdefault(raised.pitchClass, raised.name)
        self._names = names
        self._flats = written_key.sharps < 0
        self._cache: dict[tuple[int, str], str] = {}

    def name(self, midi: int, direction: int = 0) -> str:
        """``nameWithOctave`` of ``midi``; ``direction`` > 0 rising, < 0 falling, 0 unknown."""
        pc = midi % 12
        spelt = self._names.get(pc)
        if spelt is None:
            flats = direction < 0 or (direction == 0 and self._flats)
            spelt = (_FLAT_SPELLING if flats else _SHARP_SPELLING)[pc]
        cached = self._cache.get((midi, spelt))
        if cached is not None:
            return cached
        octave = midi // 12 - 1
        result = f"{spelt}{octave}"
        for candidate in (octave, octave + 1, octave - 1):
            if pitch.Pitch(f"{spelt}{candidate}").midi == midi:
                result = f"{spelt}{candidate}"
                break
        self._cache[(midi, spelt)] = result
        return result


def _written_chord_figure(symbol: str, semitones_name: str | None) -> str:
    """A chord symbol (music21 spelling) with its root (and bass) moved by an interval."""
    if semitones_name is None:
        return symbol

    def move(root: str) -> str:
        moved: Any = pitch.Pitch(root).transpose(interval.Interval(semitones_name))
        if abs(moved.alter) > 1 or moved.name in ("E#", "B#", "C-", "F-"):
            moved = moved.getEnharmonic()
        return str(moved.name)

    head, _, bass = symbol.partition("/")
    length = 2 if len(head) > 1 and head[1] in "#-" else 1
    figure = move(head[:length]) + head[length:]
    if bass:
        figure += "/" + move(bass)
    return figure


# ---------------------------------------------------------------- layout


def _beat_unit(spec: CueSpec) -> int:
    if spec.meter.denominator == 8:
        return _Q * 3 // 2 if spec.meter.numerator % 3 == 0 else _EIGHTH
    return _Q


def _piece_lengths(
    start: int, end: int, bar_start: int, spec: CueSpec, quantiser: _Quantiser | None, *, rest: bool
) -> list[int]:
    """Split ``[start, end)`` (inside one bar) into notatable lengths, ticks."""
    unit = _beat_unit(spec)
    lengths = []
    position = start
    while position < end:
        remaining = end - position
        window_start = position // _Q * _Q
        if (
            quantiser is not None
            and quantiser.is_triplet(window_start)
            and (position % _Q or remaining < _Q)
        ):
            piece = min(end, window_start + _Q) - position
            lengths.append(piece)
            position += piece
            continue
        limit = end
        if quantiser is not None:
            window = window_start + _Q
            while window < end:
                if quantiser.is_triplet(window):
                    limit = window
                    break
                window += _Q
        relative = position - bar_start
        chosen = 0
        for length in (1920, 1440, 960, 720, 480, 360, 240, 120, 60, 30):
            if position + length > limit:
                continue
            if length < unit:
                if relative // unit != (relative + length - 1) // unit:
                    continue
                if length >= 240 and relative % (120 if length == 360 else length // 2):
                    continue
            elif rest or length > 720:
                if relative % unit:
                    continue
            elif relative % _EIGHTH:
                continue
            chosen = length
            break
        if chosen == 0:
            chosen = remaining
        lengths.append(chosen)
        position += chosen
    return lengths


@dataclass(frozen=True, slots=True)
class _Segment:
    """A stretch of a part with one set of sounding notes (none: a rest)."""

    start_tick: int
    end_tick: int
    notes: tuple[_Written, ...]
    tied_from: frozenset[int]
    tied_to: frozenset[int]


def _segments(line: Sequence[_Written], end_tick: int) -> tuple[list[_Segment], list[_Written]]:
    """Cut a written line into segments of constant sound (plus the grace notes apart)."""
    graces = [w for w in line if w.grace]
    notes = [w for w in line if not w.grace and w.end_tick > w.start_tick]
    bounds = sorted({0, end_tick, *(w.start_tick for w in notes), *(w.end_tick for w in notes)})
    by_start = sorted(notes, key=lambda w: w.start_tick)
    segments = []
    active: list[_Written] = []
    cursor = 0
    for left, right in zip(bounds, bounds[1:], strict=False):
        while cursor < len(by_start) and by_start[cursor].start_tick <= left:
            active.append(by_start[cursor])
            cursor += 1
        active = [w for w in active if w.end_tick > left]
        sounding = tuple(sorted(active, key=lambda w: w.pitch))
        segments.append(
            _Segment(
                left,
                right,
                sounding,
                frozenset(w.pitch for w in sounding if w.start_tick < left),
                frozenset(w.pitch for w in sounding if w.end_tick > right),
            )
        )
    return segments, graces


def _tie_type(tied_from: bool, tied_to: bool) -> str | None:
    if tied_from and tied_to:
        return "continue"
    if tied_to:
        return "start"
    if tied_from:
        return "stop"
    return None


def _offset(ticks: int) -> Fraction:
    return Fraction(ticks, _Q)


@dataclass(frozen=True, slots=True)
class _PartStyle:
    """How a part's notes are made: pitched (with a speller) or drum kit."""

    speller: _Speller | None
    semitones: int = 0


def _make_element(
    segment: _Segment, length: int, first: bool, last: bool, part_style: _PartStyle, direction: int
) -> Any:
    quarter_length = _offset(length)
    if not segment.notes:
        return note.Rest(quarterLength=quarter_length)
    ties = {
        w.pitch: _tie_type(
            w.pitch in segment.tied_from or not first, w.pitch in segment.tied_to or not last
        )
        for w in segment.notes
    }
    if part_style.speller is None:
        hits = []
        for w in segment.notes:
            display, head = _DRUM_DISPLAY.get(w.pitch, ("C5", "normal"))
            hit = note.Unpitched(displayName=display)
            hit.notehead = head
            hits.append(hit)
        element: Any = hits[0] if len(hits) == 1 else percussion.PercussionChord(hits)
        element.quarterLength = quarter_length
        element.stemDirection = "up"
        return element
    names = [
        part_style.speller.name(w.pitch + part_style.semitones, direction) for w in segment.notes
    ]
    if len(names) == 1:
        element = note.Note(names[0], quarterLength=quarter_length)
        kind = ties[segment.notes[0].pitch]
        if kind is not None:
            element.tie = tie.Tie(kind)
        return element
    element = chord.Chord(names, quarterLength=quarter_length)
    for index, w in enumerate(segment.notes):
        kind = ties[w.pitch]
        if kind is not None:
            element[index].tie = tie.Tie(kind)
    return element


def _fill_measures(
    part: Any,
    measures: Sequence[Any],
    line: Sequence[_Written],
    spec: CueSpec,
    quantiser: _Quantiser | None,
    part_style: _PartStyle,
    *,
    marks: bool,
) -> None:
    """Put a written line into the part's measures: notes, rests, ties, graces, marks."""
    bar_ticks = spec.meter.bar_ticks
    segments, graces = _segments(line, spec.end_tick)
    pitched = [w for w in line if not w.grace]
    pitch_by_start = {w.start_tick: w.pitch for w in pitched}
    starts = sorted(pitch_by_start)

    def direction(tick: int, midi: int) -> int:
        index = bisect_right(starts, tick)
        if index < len(starts):
            return (pitch_by_start[starts[index]] > midi) - (pitch_by_start[starts[index]] < midi)
        return 0

    for segment in segments:
        left = segment.start_tick
        while left < segment.end_tick:
            bar = left // bar_ticks
            bar_start = bar * bar_ticks
            right = min(segment.end_tick, bar_start + bar_ticks)
            measure = measures[bar]
            if not segment.notes and left == bar_start and right == bar_start + bar_ticks:
                rest = note.Rest(quarterLength=_offset(bar_ticks))
                rest.fullMeasure = True
                measure.insert(0, rest)
                left = right
                continue
            lengths = _piece_lengths(
                left, right, bar_start, spec, quantiser, rest=not segment.notes
            )
            position = left
            for length in lengths:
                first = position == segment.start_tick
                last = position + length == segment.end_tick
                main = segment.notes[0].pitch if segment.notes else 0
                element = _make_element(
                    segment, length, first, last, part_style, direction(position, main)
                )
                if marks and first and len(segment.notes) == 1:
                    w = segment.notes[0]
                    if w.staccato:
                        element.articulations.append(articulations.Staccato())
                    if w.accent:
                        element.articulations.append(articulations.Accent())
                measure.insert(_offset(position - bar_start), element)
                position += length
            left = right
    if part_style.speller is not None:
        for grace in graces:
            bar = min(grace.start_tick // bar_ticks, len(measures) - 1)
            name = part_style.speller.name(
                grace.pitch + part_style.semitones, direction(grace.start_tick - 1, grace.pitch)
            )
            ornament = note.Note(name, type="eighth").getGrace()
            ornament.duration.slash = True
            measures[bar].insert(_offset(grace.start_tick - bar * bar_ticks), ornament)
    del part


# ---------------------------------------------------------------- marks


def _dynamic_name(velocity: float) -> str:
    for (name, level), (_, upper) in zip(_DYNAMICS, _DYNAMICS[1:], strict=False):
        if velocity < (level + upper) / 2:
            return name
    return _DYNAMICS[-1][0]


def _dynamic_marks(line: Sequence[_Written], bar_ticks: int) -> list[tuple[int, str]]:
    """(written tick, mark) at phrase starts and clear level changes inside phrases."""
    notes = [w for w in line if not w.grace]
    phrases: list[list[_Written]] = []
    for w in notes:
        if phrases and w.start_tick - phrases[-1][-1].end_tick < _PHRASE_GAP_TICKS:
            phrases[-1].append(w)
        else:
            phrases.append([w])
    level = dict(_DYNAMICS)
    marks: list[tuple[int, str]] = []
    current = ""
    for phrase in phrases:
        name = _dynamic_name(median(w.velocity for w in phrase))
        if name != current:
            marks.append((phrase[0].start_tick, name))
            current = name
        bars: dict[int, list[_Written]] = {}
        for w in phrase:
            bars.setdefault(w.start_tick // bar_ticks, []).append(w)
        for bar_notes in list(bars.values())[1:]:
            if len(bar_notes) < 2:
                continue
            bar_level = median(w.velocity for w in bar_notes)
            bar_name = _dynamic_name(bar_level)
            if bar_name != current and abs(bar_level - level[current]) >= 12:
                marks.append((bar_notes[0].start_tick, bar_name))
                current = bar_name
    return marks


def _tempo_marks(spec: CueSpec) -> list[tuple[int, int, str]]:
    """(tick, pulse bpm, text) marks of the tempo map: a mark at each change; a run of changes
    less than a bar apart gets ``rit.``/``accel.`` at its start and one mark where it ends."""
    changes = spec.tempo_map
    per_pulse = spec.meter.pulse_ticks / _Q

    def bpm(index: int) -> int:
        return round(changes[index].quarter_bpm / per_pulse)

    marks: list[tuple[int, int, str]] = []
    index = 0
    printed = 0
    while index < len(changes):
        run_end = index
        while (
            run_end + 1 < len(changes)
            and changes[run_end + 1].start_tick - changes[run_end].start_tick
            <= spec.meter.bar_ticks
        ):
            run_end += 1
        if run_end - index >= 2 or (run_end > index and index > 0):
            first_bpm = bpm(index) if index == 0 else printed
            if index == 0:
                marks.append((0, bpm(0), ""))
            text = "accel." if bpm(run_end) > first_bpm else "rit."
            start_tick = changes[index + 1].start_tick if index == 0 else changes[index].start_tick
            marks.append((start_tick, 0, text))
            marks.append((changes[run_end].start_tick, bpm(run_end), ""))
            printed = bpm(run_end)
            index = run_end + 1
            continue
        if index == 0 or bpm(index) != printed:
            marks.append((changes[index].start_tick, bpm(index), ""))
            printed = bpm(index)
        index += 1
    return marks


def _pulse_duration(spec: CueSpec) -> Any:
    return duration.Duration(_offset(spec.meter.pulse_ticks))


def _empty_measures(spec: CueSpec) -> list[Any]:
    return [stream.Measure(number=bar + 1) for bar in range(spec.bars)]


def _conductor(
    measures: Sequence[Any],
    spec: CueSpec,
    written_key: Any,
    *,
    swing_text: bool,
) -> None:
    """Clef-independent marks of a part's measures: key, time, tempo, rehearsal marks."""
    bar_ticks = spec.meter.bar_ticks
    measures[0].insert(0, key.KeySignature(written_key.sharps))
    measures[0].insert(0, meter.TimeSignature(spec.meter.text))
    for tick, bpm, text in _tempo_marks(spec):
        bar = min(tick // bar_ticks, len(measures) - 1)
        offset = _offset(tick - bar * bar_ticks)
        if bpm:
            label = "Swing" if swing_text and tick == 0 else None
            mark = tempo.MetronomeMark(text=label, number=bpm, referent=_pulse_duration(spec))
            measures[bar].insert(offset, mark)
        else:
            words = expressions.TextExpression(text)
            words.style.fontStyle = "italic"  # type: ignore[attr-defined]
            measures[bar].insert(offset, words)
    for section in spec.sections:
        if 0 <= section.start_bar < len(measures):
            measures[section.start_bar].insert(0, expressions.RehearsalMark(section.name))


def _chord_symbols(measures: Sequence[Any], scene: Scene, semitones_name: str | None) -> None:
    bar_ticks = scene.spec.meter.bar_ticks
    parsed: dict[str, Any] = {}
    for change in scene.chords:
        tick = round(change.start_tick / _EIGHTH) * _EIGHTH
        if not 0 <= tick < scene.spec.end_tick:
            continue
        figure = _written_chord_figure(change.symbol, semitones_name)
        if figure not in parsed:
            try:
                parsed[figure] = harmony.ChordSymbol(figure)
            except (ValueError, KeyError, IndexError) as error:  # music21 raises several kinds
                logger.warning("chord symbol %r not written: %s", figure, error)
                parsed[figure] = None
        template = parsed[figure]
        if template is None:
            continue
        symbol = copy.deepcopy(template)  # parsing a figure costs ~7 ms, copying ~0.2 ms
        symbol.quarterLength = 0
        bar = tick // bar_ticks
        measures[bar].insert(_offset(tick - bar * bar_ticks), symbol)


def _dynamics(measures: Sequence[Any], line: Sequence[_Written], bar_ticks: int) -> None:
    for tick, name in _dynamic_marks(line, bar_ticks):
        bar = tick // bar_ticks
        measures[bar].insert(_offset(tick - bar * bar_ticks), dynamics.Dynamic(name))


def _finish_part(measures: Sequence[Any], spec: CueSpec, *, triplets: bool) -> None:
    """Beams and tuplet brackets, measure by measure with the cue's one time signature (what
    music21's ``makeNotation`` adds, without its deep copies and context searches, which made
    export several times slower)."""
    signature = meter.TimeSignature(spec.meter.text)
    for measure in measures:
        if triplets:
            stream.makeNotation.makeTupletBrackets(measure, inPlace=True)
        elements = [
            element
            for element in measure.notesAndRests
            if not element.duration.isGrace and not isinstance(element, harmony.Harmony)
        ]
        try:
            beams = signature.getBeams(elements, measureStartOffset=0.0)
        except (meter.MeterException, ValueError) as error:  # durations music21 cannot beam
            logger.debug("no beams in measure %s: %s", measure.number, error)
            continue
        for element, beam in zip(elements, beams, strict=False):
            if beam is not None:
                element.beams = beam


#: The random part and instrument ids music21 writes (``P`` or ``I`` and 32 hex digits).
_RANDOM_ID = re.compile(rb'"([PI])([0-9a-f]{32})"')
#: The date music21 stamps into every file.
_ENCODING_DATE = re.compile(rb"\s*<encoding-date>[^<]*</encoding-date>")


def _to_bytes(score: Any) -> bytes:
    """The MusicXML of a score, byte-identical for equal scores: music21's random part and
    instrument ids become ``P1``, ``I1``... in order of appearance and its date stamp goes."""
    exporter = GeneralObjectExporter(score)
    exporter.makeNotation = False
    data: bytes = exporter.parse()
    stable: dict[bytes, bytes] = {}

    def renamed(match: re.Match[bytes]) -> bytes:
        key = match.group(0)
        if key not in stable:
            kind = match.group(1)
            count = sum(1 for name in stable.values() if name.startswith(b'"' + kind))
            stable[key] = b'"' + kind + str(count + 1).encode() + b'"'
        return stable[key]

    return _ENCODING_DATE.sub(b"", _RANDOM_ID.sub(renamed, data))


def _lead_track(scene: Scene) -> Track:
    for track in scene.tracks:
        if track.role is Role.LEAD:
            return track
    raise ExportError(f"{scene.spec.cue_id}: the scene has no lead track to write a part from")


def _scene_swing(scene: Scene) -> int | None:
    """The swing position (ticks into the beat) of the lead, or of the whole band."""
    lead = _lead_track(scene)
    onsets = [n.start_tick for n in lead.notes]
    found = _swing_ticks(onsets, _lag_ticks(onsets))
    if found is not None or scene.spec.meter.denominator == 8:
        return found
    band = [n.start_tick for track in scene.tracks for n in track.notes]
    return _swing_ticks(band, _lag_ticks(band))


def _title(spec: CueSpec) -> Any:
    data = metadata.Metadata()
    data.title = f"{spec.cue_id} {spec.title}"
    data.movementName = data.title
    return data


# ---------------------------------------------------------------- public API


def sax_part_musicxml(scene: Scene) -> bytes:
    """The lead saxophone's part at written pitch, as MusicXML bytes.

    Args:
        scene: a mixed scene with a lead track (concert pitch).

    Returns:
        A ``score-partwise`` MusicXML document with one part (see the module docstring).

    Raises:
        ExportError: the scene has no lead track.
    """
    spec = scene.spec
    sax = spec.lead
    track = _lead_track(scene)
    swing = _scene_swing(scene)
    line = _lead_line(track.notes, spec, swing)
    quantiser = _quantiser([w.start_tick for w in line if not w.grace], spec.end_tick, None, spec)
    written_key = _written_key(spec, _INTERVAL_NAME[sax])
    part_style = _PartStyle(_Speller(written_key), TRANSPOSITION[sax])

    part = stream.Part()
    player = _SAX_INSTRUMENT[sax]()
    player.partName = SAX_PART_NAME[sax]
    player.instrumentName = SAX_PART_NAME[sax]
    player.partAbbreviation = _SAX_ABBREVIATION[sax]
    player.midiProgram = track.program
    part.partName = SAX_PART_NAME[sax]
    part.partAbbreviation = _SAX_ABBREVIATION[sax]
    part.atSoundingPitch = False
    measures = _empty_measures(spec)
    measures[0].insert(0, player)
    measures[0].insert(0, clef.TrebleClef())
    _conductor(measures, spec, written_key, swing_text=swing is not None)
    _chord_symbols(measures, scene, _INTERVAL_NAME[sax])
    _fill_measures(part, measures, line, spec, quantiser, part_style, marks=True)
    _dynamics(measures, line, spec.meter.bar_ticks)
    part.append(measures)
    _finish_part(measures, spec, triplets=any(g.name == "triplets" for g in quantiser.windows))
    score = stream.Score()
    score.metadata = _title(spec)
    score.insert(0, part)
    logger.debug("sax part %s: %d notes, %d bars", spec.cue_id, len(line), spec.bars)
    return _to_bytes(score)


def score_musicxml(scene: Scene) -> bytes:
    """Every track of a scene as a concert-pitch MusicXML score.

    Parts follow the scene's track order; the lead is written at concert pitch here (the part
    is named after the track). Drums are a percussion part. Chord symbols and dynamics are on
    the first pitched part; articulations only in :func:`sax_part_musicxml`.

    Args:
        scene: a mixed scene.

    Returns:
        A ``score-partwise`` MusicXML document with one part per track.
    """
    spec = scene.spec
    swing = _scene_swing(scene)
    concert_key = _written_key(spec, None)
    speller = _Speller(concert_key)
    score = stream.Score()
    score.metadata = _title(spec)
    chords_written = False
    for track in scene.tracks:
        drums = track.channel == 9 or track.role is Role.DRUMS
        if drums:
            line = _drum_line(track.notes, spec, swing)
        elif track.role is Role.LEAD:
            line = _lead_line(track.notes, spec, swing)
        else:
            line = _chord_line(track.notes, spec, swing)
        quantiser = _quantiser(
            [w.start_tick for w in line if not w.grace], spec.end_tick, None, spec
        )
        part = stream.Part()
        part.partName = track.name
        measures = _empty_measures(spec)
        player: Any
        if drums:
            player = instrument.UnpitchedPercussion()
            measures[0].insert(0, clef.PercussionClef())
        else:
            player = instrument.instrumentFromMidiProgram(track.program)
            player.transposition = None
            pitches = [n.pitch for n in track.notes]
            low = bool(pitches) and median(pitches) < 57
            measures[0].insert(0, clef.BassClef() if low else clef.TrebleClef())
        player.partName = track.name
        player.instrumentName = track.name
        player.midiChannel = track.channel
        measures[0].insert(0, player)
        _conductor(measures, spec, concert_key, swing_text=swing is not None)
        if not drums and not chords_written:
            _chord_symbols(measures, scene, None)
            chords_written = True
        _fill_measures(
            part,
            measures,
            line,
            spec,
            quantiser,
            _PartStyle(None if drums else speller),
            marks=False,
        )
        if not drums:
            _dynamics(measures, line, spec.meter.bar_ticks)
        part.append(measures)
        _finish_part(measures, spec, triplets=any(g.name == "triplets" for g in quantiser.windows))
        score.insert(0, part)
    logger.debug("score %s: %d parts, %d bars", spec.cue_id, len(scene.tracks), spec.bars)
    return _to_bytes(score)


_MUSESCORE_NAMES = ("mscore", "musescore", "MuseScore4", "mscore4", "musescore4", "MuseScore3")


def _run(command: Sequence[str], cwd: Path) -> None:
    logger.debug("running %s", " ".join(command))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    try:
        subprocess.run(
            list(command), cwd=cwd, env=env, check=True, capture_output=True, timeout=300
        )
    except subprocess.CalledProcessError as error:
        tail = (error.stderr or b"").decode("utf-8", "replace").strip().splitlines()[-1:]
        raise ExportError(f"{command[0]} failed: {' '.join(tail) or error}") from error
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ExportError(f"{command[0]} failed: {error}") from error


def engrave(musicxml_path: Path, out_dir: Path) -> list[Path]:
    """Engrave a MusicXML file as PDF and PNG with MuseScore or LilyPond.

    MuseScore (the first of ``mscore``, ``musescore``, ``MuseScore4``... on ``PATH``) is run
    headless (``-o``); otherwise ``musicxml2ly`` and ``lilypond`` are. The files are made in a
    temporary folder inside ``out_dir`` and moved into it when all are done.

    Args:
        musicxml_path: the MusicXML file (e.g. from :func:`sax_part_musicxml`).
        out_dir: where ``<stem>.pdf`` and ``<stem>*.png`` (one per page) go (made if missing).

    Returns:
        The written files, PDF first.

    Raises:
        ExportError: no engraver is installed (message: :data:`ENGRAVE_HINT`) or it failed.
    """
    musescore = next((found for name in _MUSESCORE_NAMES if (found := shutil.which(name))), None)
    lilypond = shutil.which("lilypond")
    musicxml2ly = shutil.which("musicxml2ly")
    if musescore is None and (lilypond is None or musicxml2ly is None):
        raise ExportError(ENGRAVE_HINT)
    source = musicxml_path.resolve()
    stem = musicxml_path.stem
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".engrave-") as work_name:
        work = Path(work_name)
        if musescore is not None:
            _run([musescore, "-o", str(work / f"{stem}.pdf"), str(source)], work)
            _run([musescore, "-o", str(work / f"{stem}.png"), str(source)], work)
        else:
            if lilypond is None or musicxml2ly is None:  # pragma: no cover - checked above
                raise ExportError(ENGRAVE_HINT)
            _run([musicxml2ly, "--output", str(work / f"{stem}.ly"), str(source)], work)
            _run(
                [lilypond, "--pdf", "--png", "-o", str(work / stem), str(work / f"{stem}.ly")], work
            )
        made = sorted(work.glob(f"{stem}*.pdf")) + sorted(work.glob(f"{stem}*.png"))
        if not made:
            raise ExportError(f"{Path(musescore or lilypond or '').name} wrote no PDF/PNG")
        written = []
        for path in made:
            target = out_dir / path.name
            os.replace(path, target)
            written.append(target)
    logger.info("engraved %s: %s", musicxml_path.name, ", ".join(p.name for p in written))
    return written
