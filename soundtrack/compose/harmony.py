"""Harmony: the chord symbols of a cue, from the style's roman-numeral progressions.

Input: a :class:`~soundtrack.model.CueSpec` (key, meter, bars, sections, per-bar moods), its
:class:`~soundtrack.styles.schema.Style` (``harmony``: progressions per mode and form section,
cadences, colour and tension rules) and a random generator. Output: the cue's
:class:`~soundtrack.model.ChordSymbol` values, sorted, one per chord change, covering ticks
``0 .. spec.end_tick`` exactly, the last one a single chord held to the end.

How the timeline is made:

1. Each section of the spec takes its progression (one alternative per section name, chosen once
   per cue; a progression repeats to fill its section). A section the style has no progression for
   (spotting's ``intro``, ``ending``) takes the **last** bars of the first form section's, which
   is usually a turnaround into it.
2. The cadence (or, when the last bar is tense, the ``tense_cadence``) replaces the last bars.
3. Tension (``spec.bar_moods``) speeds up the harmonic rhythm (a one-chord bar splits into the
   chord and the dominant of the next, or a dominant into its related ii and itself), colours
   chords (``maj7`` -> ``M9``...), alters dominants (``7`` -> ``7b9``...) and may substitute
   dominants a tritone away. The mode was chosen by spotting from the valence (``spec.key``).

Chord symbols spell flats with ``-`` (``B-maj7``, ``E-m7``) so that ``music21.harmony.ChordSymbol``
reads them; roots of roman numerals are spelt by letter from the key (``C#dim7`` in D minor).
Plain Python on a few values per bar: no music21 here.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from soundtrack.model import ChordSymbol, CueSpec, Key, Mode
from soundtrack.pitch import key_prefers_flats, key_tonic_name, pitch_class_name
from soundtrack.styles.schema import (
    CHORD_QUALITIES,
    ChordQuality,
    Harmony,
    ModeHarmony,
    Progression,
    RomanChord,
    Style,
)
from soundtrack.units import TICKS_PER_QUARTER

__all__ = [
    "ChordTimeline",
    "build_chords",
    "chord_quality",
    "chord_symbol_text",
    "make_chord",
    "roman_root",
    "spell_pitch_class",
]

_LETTERS = "CDEFGAB"
_LETTER_PC = (0, 2, 4, 5, 7, 9, 11)
_AWKWARD = frozenset({"C-", "F-", "E#", "B#"})
#: Share of the split probability that is there as soon as the threshold is passed.
_SPLIT_BASE = 0.35
#: The most often a chord is altered (at tension 1).
_ALTER_MAX = 0.85


@dataclass(frozen=True, slots=True)
class _Chord:
    """A chord before it has ticks: root pitch class, quality key and root spelling."""

    root_pc: int
    quality: str
    root_name: str


@dataclass(slots=True)
class _Run:
    """Consecutive ticks with one chord (mutable while the timeline is being coloured)."""

    start_tick: int
    end_tick: int
    chord: _Chord
    tension: float


def spell_pitch_class(pitch_class: int, *, flats: bool) -> str:
    """A root name as music21 reads it: ``B-`` (flats as ``-``) or ``C#``."""
    return pitch_class_name(pitch_class, flats=flats).replace("b", "-")


def chord_symbol_text(root_name: str, quality: str) -> str:
    """The chord symbol text, e.g. ``chord_symbol_text("B-", "maj7") == "B-maj7"``.

    Args:
        root_name: root spelt as music21 reads it (see :func:`spell_pitch_class`).
        quality: a key of :data:`~soundtrack.styles.schema.CHORD_QUALITIES`.
    """
    return f"{root_name}{CHORD_QUALITIES[quality].suffix}"


def make_chord(
    root_pc: int,
    quality: str,
    *,
    start_tick: int,
    duration_ticks: int,
    root_name: str | None = None,
) -> ChordSymbol:
    """A :class:`~soundtrack.model.ChordSymbol` of a root and quality.

    Args:
        root_pc: root pitch class 0-11.
        quality: a key of :data:`~soundtrack.styles.schema.CHORD_QUALITIES`.
        start_tick: where the chord starts, ticks from the cue start.
        duration_ticks: its length in ticks (> 0).
        root_name: the root's spelling; ``None`` spells it with flats.

    Returns:
        The chord; ``pitch_classes`` root first in the order root, third, fifth, seventh,
        tensions; ``symbol`` parseable by ``music21.harmony.ChordSymbol``.
    """
    root_pc %= 12
    name = root_name if root_name is not None else spell_pitch_class(root_pc, flats=True)
    return ChordSymbol(
        start_tick=start_tick,
        duration_ticks=duration_ticks,
        root_pc=root_pc,
        quality=quality,
        pitch_classes=tuple((root_pc + step) % 12 for step in CHORD_QUALITIES[quality].intervals),
        symbol=chord_symbol_text(name, quality),
    )


def chord_quality(chord: ChordSymbol) -> ChordQuality:
    """The :class:`~soundtrack.styles.schema.ChordQuality` of a chord made by this module."""
    return CHORD_QUALITIES[chord.quality]


def roman_root(chord: RomanChord, key: Key) -> tuple[int, str]:
    """Root pitch class and spelling of a roman-numeral chord in a key.

    The root is spelt by letter from the tonic's name (``viio7`` of D minor is ``C#``, ``bVI`` of
    E minor is ``C``); spellings such as ``C-`` or ``E#`` fall back to the key's usual accidentals.

    Returns:
        ``(root_pc, root_name)`` with the name as music21 reads it (``B-``, ``F#``).
    """
    root_pc = (key.tonic_pc + chord.semitones) % 12
    tonic_name = key_tonic_name(key.tonic_pc, key.mode)
    letter_index = (_LETTERS.index(tonic_name[0]) + chord.degree - 1) % 7
    offset = (root_pc - _LETTER_PC[letter_index]) % 12
    accidental = {0: "", 1: "#", 11: "-"}.get(offset)
    name = None if accidental is None else _LETTERS[letter_index] + accidental
    if name is None or name in _AWKWARD:
        flats = chord.alteration < 0 or (chord.alteration == 0 and key_prefers_flats(key))
        name = spell_pitch_class(root_pc, flats=flats)
    return root_pc, name


class ChordTimeline:
    """Fast lookup of the chord sounding at a tick (bisection on the chord starts).

    Args:
        chords: the cue's chords, sorted by start tick, without gaps.
    """

    def __init__(self, chords: Sequence[ChordSymbol]) -> None:
        self.chords = tuple(chords)
        self.starts = [chord.start_tick for chord in self.chords]

    def index_at(self, tick: int) -> int:
        """Index of the chord sounding at ``tick`` (the first chord before the first start)."""
        return max(bisect_right(self.starts, tick) - 1, 0)

    def at(self, tick: int) -> ChordSymbol:
        """The chord sounding at ``tick``."""
        return self.chords[self.index_at(tick)]

    def next_change(self, tick: int) -> int | None:
        """The first chord start after ``tick``, or ``None`` when the last chord sounds."""
        index = bisect_right(self.starts, tick)
        return self.starts[index] if index < len(self.starts) else None


# ---------------------------------------------------------------- the timeline


def build_chords(
    spec: CueSpec, style: Style, *, rng: np.random.Generator
) -> tuple[ChordSymbol, ...]:
    """The chord symbols of a cue.

    Args:
        spec: the cue (key, meter, bars, sections, ``bar_moods`` for tension).
        style: its style (``style.harmony``).
        rng: the harmony's own random generator (alternatives, colour, tension choices).

    Returns:
        Chords sorted by start tick, one per change, covering ``0 .. spec.end_tick`` exactly (the
        last chord ends at ``spec.end_tick``); empty when the cue has no ticks.
    """
    bar_ticks = spec.meter.bar_ticks
    bars = spec.bars
    if bars <= 0 or spec.end_tick <= 0:
        return ()
    mode_harmony = style.harmony.for_mode(spec.key.mode)
    tensions = _bar_tensions(spec)
    if mode_harmony is None:
        romans: list[tuple[RomanChord, ...]] = [_tonic_roman(spec.key.mode)] * bars
    else:
        romans = _section_bars(spec, style, mode_harmony, rng)
        tense = (
            mode_harmony.tense_cadence
            and tensions[-1] >= style.harmony.tense_cadence_min_tension
        )
        cadence = mode_harmony.tense_cadence if tense else mode_harmony.cadence
        count = min(len(cadence), bars)
        romans[bars - count :] = cadence[len(cadence) - count :]
    bar_chords = [[_realize(roman, spec.key) for roman in bar] for bar in romans]
    if (bar_ticks // 2) % (TICKS_PER_QUARTER // 2) == 0:
        _split_bars(bar_chords, tensions, style.harmony, spec.key, rng)
    runs = _runs(bar_chords, tensions, bar_ticks, spec.end_tick)
    _colour(runs, style.harmony, spec.end_tick, rng)
    _substitute_tritones(runs, style.harmony, spec.end_tick, rng)
    runs = _merge(runs)
    return tuple(
        make_chord(
            run.chord.root_pc,
            run.chord.quality,
            start_tick=run.start_tick,
            duration_ticks=run.end_tick - run.start_tick,
            root_name=run.chord.root_name,
        )
        for run in runs
    )


def _bar_tensions(spec: CueSpec) -> list[float]:
    if len(spec.bar_moods) == spec.bars:
        return [min(max(mood.tension, 0.0), 1.0) for mood in spec.bar_moods]
    return [min(max(spec.mood.tension, 0.0), 1.0)] * spec.bars


def _tonic_roman(mode: Mode) -> tuple[RomanChord, ...]:
    quality = "" if mode is Mode.MAJOR else "m"
    text = "I" if mode is Mode.MAJOR else "i"
    return (RomanChord(text=text, degree=1, alteration=0, quality=quality),)


def _realize(roman: RomanChord, key: Key) -> _Chord:
    root_pc, root_name = roman_root(roman, key)
    return _Chord(root_pc=root_pc, quality=roman.quality, root_name=root_name)


def _cycle(progression: Progression, count: int, *, from_end: bool) -> list[tuple[RomanChord, ...]]:
    """``count`` bars of a progression, repeated as needed, from its start or ending at its end."""
    length = len(progression)
    if from_end:
        return [progression[(length - count + index) % length] for index in range(count)]
    return [progression[index % length] for index in range(count)]


def _section_bars(
    spec: CueSpec, style: Style, harmony: ModeHarmony, rng: np.random.Generator
) -> list[tuple[RomanChord, ...]]:
    """One roman-numeral bar per bar of the cue, from the spec's sections."""
    chosen: dict[str, Progression] = {}

    def progression_for(name: str) -> Progression | None:
        if name not in chosen:
            alternatives = harmony.progressions(name)
            if not alternatives:
                return None
            chosen[name] = alternatives[int(rng.integers(len(alternatives)))]
        return chosen[name]

    default_name = next(
        (section.name for section in style.form if harmony.progressions(section.name)),
        harmony.sections[0].name if harmony.sections else "",
    )
    default = progression_for(default_name) or (_tonic_roman(spec.key.mode),)
    bars: list[tuple[RomanChord, ...] | None] = [None] * spec.bars
    for section in sorted(spec.sections, key=lambda item: item.start_bar):
        start = max(section.start_bar, 0)
        count = min(section.bars, spec.bars - start)
        if count <= 0:
            continue
        own = progression_for(section.name)
        if own is None:
            filled = _cycle(default, count, from_end=True)
        else:
            filled = _cycle(own, count, from_end=False)
        bars[start : start + count] = filled
    return [bar if bar is not None else default[index % len(default)] for index, bar in
            enumerate(bars)]


def _split_bars(
    bar_chords: list[list[_Chord]],
    tensions: Sequence[float],
    harmony: Harmony,
    key: Key,
    rng: np.random.Generator,
) -> None:
    """Faster harmonic rhythm in tense bars: one-chord bars become two half-bar chords."""
    threshold = harmony.split_min_tension
    flats = key_prefers_flats(key)
    for index in range(len(bar_chords) - 1):
        chords = bar_chords[index]
        tension = tensions[index]
        if tension < threshold or len(set(chords)) != 1:
            continue
        share = (tension - threshold) / max(1.0 - threshold, 1e-6)
        if rng.random() >= _SPLIT_BASE + (1.0 - _SPLIT_BASE) * share:
            continue
        current, following = chords[0], bar_chords[index + 1][0]
        if current.root_pc == following.root_pc:
            continue
        quality = CHORD_QUALITIES[current.quality]
        if quality.is_dominant and (current.root_pc - following.root_pc) % 12 == 7:
            target_minor = CHORD_QUALITIES[following.quality].third == 3
            ii_root = (current.root_pc + 7) % 12
            related = _Chord(
                root_pc=ii_root,
                quality="m7b5" if target_minor else "m7",
                root_name=spell_pitch_class(ii_root, flats=flats),
            )
            bar_chords[index] = [related, current]
        else:
            dominant_root = (following.root_pc + 7) % 12
            dominant = _Chord(
                root_pc=dominant_root,
                quality="7",
                root_name=spell_pitch_class(dominant_root, flats=flats),
            )
            if dominant.root_pc != current.root_pc:
                bar_chords[index] = [current, dominant]


def _runs(
    bar_chords: Sequence[Sequence[_Chord]],
    tensions: Sequence[float],
    bar_ticks: int,
    end_tick: int,
) -> list[_Run]:
    """The timeline as runs of one chord (equal neighbours merged), ending at ``end_tick``."""
    runs: list[_Run] = []
    for bar, chords in enumerate(bar_chords):
        share = bar_ticks // len(chords)
        for position, chord in enumerate(chords):
            start = bar * bar_ticks + position * share
            end = start + share
            if runs and runs[-1].chord == chord:
                runs[-1].end_tick = end
            else:
                runs.append(_Run(start_tick=start, end_tick=end, chord=chord,
                                 tension=tensions[bar]))
    runs[-1].end_tick = end_tick
    return runs


def _colour(runs: list[_Run], harmony: Harmony, end_tick: int, rng: np.random.Generator) -> None:
    """Richer chords (``color``) and, in tense bars, altered ones (``altered``)."""
    colour = dict(harmony.color)
    altered = dict(harmony.altered)
    threshold = harmony.altered_min_tension
    for run in runs:
        if run.end_tick >= end_tick:
            continue
        quality = run.chord.quality
        if quality in colour:
            chance = min(1.0, harmony.color_probability * (1.0 + 0.8 * run.tension))
            if rng.random() < chance:
                quality = colour[quality]
        if quality in altered and run.tension >= threshold:
            share = (run.tension - threshold) / max(1.0 - threshold, 1e-6)
            if rng.random() < _ALTER_MAX * min(share + 0.15, 1.0):
                quality = altered[quality]
        if quality != run.chord.quality:
            run.chord = _Chord(root_pc=run.chord.root_pc, quality=quality,
                               root_name=run.chord.root_name)


def _substitute_tritones(
    runs: list[_Run], harmony: Harmony, end_tick: int, rng: np.random.Generator
) -> None:
    """Dominants resolving down a fifth may move a tritone away (``G7`` -> ``D-7``)."""
    if harmony.tritone_substitution <= 0.0:
        return
    for index in range(len(runs) - 1):
        run, following = runs[index], runs[index + 1]
        quality = CHORD_QUALITIES[run.chord.quality]
        if run.end_tick >= end_tick or not quality.is_dominant:
            continue
        if (run.chord.root_pc - following.chord.root_pc) % 12 != 7:
            continue
        if rng.random() < harmony.tritone_substitution * run.tension:
            root = (run.chord.root_pc + 6) % 12
            kept = run.chord.quality if run.chord.quality in ("7", "9", "7#11") else "7"
            run.chord = _Chord(root_pc=root, quality=kept,
                               root_name=spell_pitch_class(root, flats=True))


def _merge(runs: list[_Run]) -> list[_Run]:
    merged: list[_Run] = []
    for run in runs:
        if merged and merged[-1].chord.root_pc == run.chord.root_pc and (
            merged[-1].chord.quality == run.chord.quality
        ):
            merged[-1].end_tick = run.end_tick
        else:
            merged.append(run)
    return merged
