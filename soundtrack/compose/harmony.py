"""Harmony: the chord symbols of a cue, from the style's roman-numeral progressions.

Input: a :class:`~soundtrack.model.CueSpec` (key, meter, bars, sections, per-bar moods), its
:class:`~soundtrack.styles.schema.Style` (``harmony``: progressions per mode and form section,
cadences, colour and tension rules) and a random generator. Output: the cue's
:class:`~soundtrack.model.ChordSymbol` values, sorted, one per chord change, covering ticks
``0 .. spec.end_tick`` exactly, the last one a single chord held to the end.

How the timeline is made:

1. Each section of the spec takes its progression (one alternative per section name, chosen once
   per cue, the cue's mean mood favouring brighter alternatives when happy and more chromatic
   ones when tense, see :func:`progression_character`; a progression repeats to fill its
   section). A section the style has no progression for (spotting's ``intro``, ``ending``) takes
   the **last** bars of the first form section's, which is usually a turnaround into it.
2. The mood of each bar (``spec.bar_moods``) trades chords for others of the same function
   (:func:`shape_chord`): calm bars take the diatonic chord on a chromatic chord's root
   (``VI7`` -> ``vi7``, ``bII`` -> ``iv``); bright major bars trade minor chords for major ones
   (``vi`` -> ``I``, ``iii`` -> ``I``, ``ii`` -> ``IV``), gloomy major bars borrow from the
   minor (``IV`` -> ``iv``, ``I`` -> ``vi``); light minor bars take the Dorian ``IV`` and the
   relative major, sad ones darker chords (``bIII`` -> ``i``, ``bVII`` -> ``V``); tense bars
   take chromatic ones (secondary dominants, the Neapolitan ``bII``). Each chord of the
   progression draws its random thresholds once per cue, so repeated sections stay alike under
   one mood and the harmony changes with the arc.
3. The cadence (or, when the last bar is tense, the ``tense_cadence``) replaces the last bars.
   When another cue follows without silence (``spec.next_cue``), the last bar then moves on to
   the dominant seventh of that cue's key after its first chord: a half cadence when the key
   stays, a modulation by the new key's dominant when it changes.
4. Tension speeds up the harmonic rhythm (a one-chord bar splits into the chord and the
   dominant of the next, or the key's own chord on that root when the valence is clear, or a
   dominant into its related ii and itself) and sets how rich the
   chords are: calm bars make them plain (``Harmony.plain``: ``maj7`` -> ``6``, ``m9`` -> ``m``,
   no altered dominant), tense ones colour them (``maj7`` -> ``M9``...), alter dominants
   (``7`` -> ``7b9``...) and may substitute dominants a tritone away. The mode was chosen by
   spotting from the valence (``spec.key``).

Chord symbols spell flats with ``-`` (``B-maj7``, ``E-m7``) so that ``music21.harmony.ChordSymbol``
reads them; roots of roman numerals are spelt by letter from the key (``C#dim7`` in D minor).
Plain Python on a few values per bar: no music21 here.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from soundtrack.compose.chance import weighted_index
from soundtrack.model import ChordSymbol, CueSpec, Key, Mode, Mood
from soundtrack.pitch import key_prefers_flats, key_tonic_name, pitch_class_name
from soundtrack.styles.schema import (
    CHORD_QUALITIES,
    ChordQuality,
    Harmony,
    ModeHarmony,
    Progression,
    RomanChord,
    Style,
    parse_roman_chord,
)
from soundtrack.units import TICKS_PER_QUARTER

__all__ = [
    "ChordTimeline",
    "build_chords",
    "chord_quality",
    "chord_symbol_text",
    "make_chord",
    "progression_character",
    "roman_root",
    "shape_chord",
    "spell_pitch_class",
]

_LETTERS = "CDEFGAB"
_LETTER_PC = (0, 2, 4, 5, 7, 9, 11)
_AWKWARD = frozenset({"C-", "F-", "E#", "B#"})
#: Share of the split probability that is there as soon as the threshold is passed.
_SPLIT_BASE = 0.35
#: The most often a chord is altered (at tension 1).
_ALTER_MAX = 0.85
#: Bar tension from which chords are coloured, and the tension span over which the chance of
#: colouring reaches the style's ``color_probability`` (it goes on growing above).
_COLOR_FROM = 0.15
_COLOR_SPAN = 0.35
#: How strongly the cue's mood chooses among a section's alternative progressions (see
#: :func:`progression_character`): the log-odds per unit of mood times unit of character.
_CHOICE_STRENGTH = 8.0
#: Mood substitutions (see :func:`shape_chord`): ``(from, full)`` mood values between which the
#: chance of each kind of substitution rises from 0 to its maximum.
_BRIGHT = (0.55, 1.0)  # major keys, valence: minor chords -> major ones
_GLOOMY = (0.5, 0.0)  # major keys, valence: borrowed minor chords
_LIGHT = (-0.5, 0.0)  # minor keys, valence: Dorian and relative-major colours
_SAD = (-0.35, -0.85)  # minor keys, valence: darker chords
_CALM = (0.4, 0.1)  # tension: chromatic chords -> diatonic ones
_TENSE = (0.55, 1.0)  # tension: diatonic chords -> chromatic ones
#: Maximum chance of each substitution (times ``Harmony.mood_substitution``).
_BRIGHT_MAX = 0.9
_GLOOMY_MAX = 0.6
_LIGHT_MAX = 0.8
_SAD_MAX = 0.7
_CALM_MAX = 0.85
_TENSE_MAX = 0.7
#: |valence| over which a tense bar's inserted chord (see ``_split_bars``) stays in the key
#: rather than being a secondary dominant, and the most often it does.
_KEEP_KEY = (0.3, 0.8)
_KEEP_KEY_MAX = 0.8
#: Quality of the key's own chord inserted by a split, per family.
_SPLIT_QUALITIES = {"major": "", "minor": "m", "dominant": "7",
                    "half-diminished": "m7b5", "diminished": "dim7"}
#: What tense bars make of a chord: ``(semitones above the tonic, family)`` -> the same. Major
#: keys: secondary dominants (``ii`` -> ``II7``, ``vi`` -> ``VI7``, ``iii`` -> ``III7``) and the
#: borrowed ``iv``; minor keys: the Neapolitan ``bII`` for the subdominant, the diminished
#: seventh on the leading tone for ``bVII``.
_TENSE_TARGETS: dict[Mode, dict[tuple[int, str], tuple[int, str]]] = {
    Mode.MAJOR: {(2, "minor"): (2, "dominant"), (9, "minor"): (9, "dominant"),
                 (4, "minor"): (4, "dominant"), (5, "major"): (5, "minor")},
    Mode.MINOR: {(5, "minor"): (1, "major"), (2, "half-diminished"): (1, "dominant"),
                 (10, "major"): (11, "diminished"), (10, "dominant"): (11, "diminished")},
}
#: Scale degrees (semitones above the tonic) heard as diatonic, per mode (minor: natural minor
#: with the raised 6th and 7th), and the family of the diatonic chord built on each root.
_DIATONIC_FAMILY: dict[Mode, dict[int, str]] = {
    Mode.MAJOR: {0: "major", 2: "minor", 4: "minor", 5: "major", 7: "dominant", 9: "minor",
                 11: "half-diminished"},
    Mode.MINOR: {0: "minor", 2: "half-diminished", 3: "major", 5: "minor", 7: "dominant",
                 8: "major", 10: "major", 11: "diminished"},
}
_DIATONIC_PCS: dict[Mode, frozenset[int]] = {
    Mode.MAJOR: frozenset({0, 2, 4, 5, 7, 9, 11}),
    Mode.MINOR: frozenset({0, 2, 3, 5, 7, 8, 9, 10, 11}),
}
#: Where a chord on a chromatic root goes in calm bars: the diatonic root of the same function
#: (``bII`` -> ``iv``, a borrowed ``bVI`` -> ``IV``, ``bVII`` -> ``V``...).
_CHROMATIC_ROOT_HOME: dict[Mode, dict[int, int]] = {
    Mode.MAJOR: {1: 2, 3: 0, 6: 5, 8: 5, 10: 7},
    Mode.MINOR: {1: 5, 4: 3, 6: 5, 9: 8},
}
#: Qualities of a chord family, as a triad and with a seventh (or added sixth).
_FAMILY_QUALITIES: dict[str, tuple[str, str]] = {
    "major": ("", "maj7"),
    "minor": ("m", "m7"),
    "dominant": ("7", "7"),
    "half-diminished": ("dim", "m7b5"),
    "diminished": ("dim", "dim7"),
}
_NUMERALS = ("I", "II", "III", "IV", "V", "VI", "VII")
_DEGREE_OF_SEMITONES = {0: (1, 0), 1: (2, -1), 2: (2, 0), 3: (3, -1), 4: (3, 0), 5: (4, 0),
                        6: (4, 1), 7: (5, 0), 8: (6, -1), 9: (6, 0), 10: (7, -1), 11: (7, 0)}


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
        romans, slots, lengths = _section_bars(spec, style, mode_harmony, rng)
        if style.harmony.mood_substitution > 0.0:
            _shape_bars(romans, slots, lengths, _moods(spec), mode_harmony.mode,
                        style.harmony.mood_substitution, _section_starts(spec), rng)
        tense = (
            mode_harmony.tense_cadence
            and tensions[-1] >= style.harmony.tense_cadence_min_tension
        )
        cadence = mode_harmony.tense_cadence if tense else mode_harmony.cadence
        count = min(len(cadence), bars)
        romans[bars - count :] = cadence[len(cadence) - count :]
    bar_chords = [[_realize(roman, spec.key) for roman in bar] for bar in romans]
    if spec.next_cue is not None:
        _prepare_next_key(bar_chords, spec.next_cue.key)
    if (bar_ticks // 2) % (TICKS_PER_QUARTER // 2) == 0:
        _split_bars(bar_chords, _moods(spec), style.harmony, spec.key, rng)
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


#: The chord that leads into the next cue: the dominant seventh of its key.
_PIVOT = parse_roman_chord("V7")


def _prepare_next_key(bar_chords: list[list[_Chord]], next_key: Key) -> None:
    """End the last bar on the dominant of the next cue's key (a half cadence in the same key, a
    modulation by its dominant in another), after the bar's first chord, so the cue runs into
    the next one instead of closing. Changes ``bar_chords`` in place."""
    last = bar_chords[-1]
    pivot = _realize(_PIVOT, next_key)
    bar_chords[-1] = [last[0], pivot] if last[0] != pivot else [pivot]


def _moods(spec: CueSpec) -> tuple[Mood, ...]:
    if len(spec.bar_moods) == spec.bars:
        return spec.bar_moods
    return (spec.mood,) * spec.bars


def _bar_tensions(spec: CueSpec) -> list[float]:
    return [min(max(mood.tension, 0.0), 1.0) for mood in _moods(spec)]


def _section_starts(spec: CueSpec) -> frozenset[int]:
    return frozenset({0, *(section.start_bar for section in spec.sections)})


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
) -> tuple[list[tuple[RomanChord, ...]], list[tuple[str, int]], dict[str, int]]:
    """One roman-numeral bar per bar of the cue, from the spec's sections; where each bar
    comes from, ``(section name of its progression, bar of that progression)``; and the
    length in bars of each section name's chosen progression."""
    chosen: dict[str, Progression] = {}
    moods = _moods(spec)
    valence = sum(mood.valence for mood in moods) / max(len(moods), 1)
    tension = sum(mood.tension for mood in moods) / max(len(moods), 1)

    def progression_for(name: str) -> Progression | None:
        if name not in chosen:
            alternatives = harmony.progressions(name)
            if not alternatives:
                return None
            weights = _progression_weights(alternatives, harmony.mode, valence, tension)
            chosen[name] = alternatives[weighted_index(weights, float(rng.random()))]
        return chosen[name]

    default_name = next(
        (section.name for section in style.form if harmony.progressions(section.name)),
        harmony.sections[0].name if harmony.sections else "",
    )
    default = progression_for(default_name) or (_tonic_roman(spec.key.mode),)
    bars: list[tuple[RomanChord, ...] | None] = [None] * spec.bars
    slots: list[tuple[str, int]] = [
        (default_name, index % len(default)) for index in range(spec.bars)
    ]
    for section in sorted(spec.sections, key=lambda item: item.start_bar):
        start = max(section.start_bar, 0)
        count = min(section.bars, spec.bars - start)
        if count <= 0:
            continue
        own = progression_for(section.name)
        if own is None:
            filled = _cycle(default, count, from_end=True)
            first = len(default) - count
            slots[start : start + count] = [
                (default_name, (first + index) % len(default)) for index in range(count)
            ]
        else:
            filled = _cycle(own, count, from_end=False)
            slots[start : start + count] = [
                (section.name, index % len(own)) for index in range(count)
            ]
        bars[start : start + count] = filled
    romans = [bar if bar is not None else default[index % len(default)]
              for index, bar in enumerate(bars)]
    lengths = {name: len(progression) for name, progression in chosen.items()}
    lengths.setdefault(default_name, len(default))
    return romans, slots, lengths


def progression_character(progression: Progression, mode: Mode) -> tuple[float, float]:
    """How bright and how chromatic a progression is.

    Returns:
        ``(major, chromatic)``: the share of its time on diatonic chords with a major third
        (major, sixth and dominant chords of the key: secondary dominants are colour, made
        diatonic minor chords in calm bars), and on chords with a tone outside the mode's
        diatonic set (natural minor with its raised 6th and 7th in minor).
    """
    major = chromatic = total = 0.0
    diatonic = _DIATONIC_PCS[mode]
    for bar in progression:
        share = 1.0 / len(bar)
        for chord in bar:
            quality = CHORD_QUALITIES[chord.quality]
            tones = {(chord.semitones + step) % 12 for step in quality.intervals}
            outside = not tones <= diatonic
            total += share
            major += share * (quality.third == 4 and not outside)
            chromatic += share * outside
    return (major / total, chromatic / total) if total else (0.0, 0.0)


def _progression_weights(
    alternatives: Sequence[Progression], mode: Mode, valence: float, tension: float
) -> list[float]:
    """Chances of a section's alternative progressions under the cue's mean mood: brighter
    ones (more major-chord time) when the cue is happier than usual for its mode (valence 0.5
    in major, -0.5 in minor), more chromatic ones when it is tense (from tension 0.5)."""
    if len(alternatives) < 2:
        return [1.0] * len(alternatives)
    characters = [progression_character(item, mode) for item in alternatives]
    mean_major = sum(major for major, _ in characters) / len(characters)
    mean_chromatic = sum(chromatic for _, chromatic in characters) / len(characters)
    pivot = 0.5 if mode is Mode.MAJOR else -0.5
    return [
        math.exp(
            _CHOICE_STRENGTH * (valence - pivot) * (major - mean_major)
            + _CHOICE_STRENGTH * (tension - 0.5) * (chromatic - mean_chromatic)
        )
        for major, chromatic in characters
    ]


# ---------------------------------------------------------------- mood substitutions


def _ramp(value: float, span: tuple[float, float]) -> float:
    """0 at ``span[0]``, 1 at ``span[1]`` (either direction), linear between, clipped."""
    start, full = span
    return min(max((value - start) / (full - start), 0.0), 1.0)


def _family(quality: str) -> str:
    chord = CHORD_QUALITIES[quality]
    if chord.fifth == 6:
        return "half-diminished" if chord.seventh == 10 else "diminished"
    if chord.third == 3:
        return "minor"
    if chord.third == 4 and chord.seventh == 10:
        return "dominant"
    if chord.third == 4:
        return "major"
    return "other"


def _roman(semitones: int, family: str, *, seventh: bool, sixth: bool = False) -> RomanChord:
    """The roman chord of a family on a root ``semitones`` above the tonic (a major chord
    from a sixth chord keeps the added sixth: ``iv6`` -> ``IV6``)."""
    degree, alteration = _DEGREE_OF_SEMITONES[semitones % 12]
    quality = _FAMILY_QUALITIES[family][1 if seventh else 0]
    if sixth and family == "major":
        quality = "6"
    numeral = _NUMERALS[degree - 1]
    if family in ("minor", "half-diminished", "diminished"):
        numeral = numeral.lower()
    accidental = {-1: "b", 1: "#"}.get(alteration, "")
    suffix = {"m": "", "m7": "7", "dim": "o", "dim7": "o7", "m7b5": "7b5"}.get(quality, quality)
    return RomanChord(text=f"{accidental}{numeral}{suffix}", degree=degree,
                      alteration=alteration, quality=quality)


def shape_chord(
    chord: RomanChord,
    mode: Mode,
    mood: Mood,
    draws: Sequence[float],
    *,
    strength: float = 1.0,
    section_start: bool = False,
) -> RomanChord:
    """A chord of a progression as one bar's mood wants it, keeping its function.

    Two steps, each taken when its draw (a uniform number kept per chord of the progression)
    falls under its chance:

    1. **Calm** (tension 0.4 -> 0.1): a chromatic chord becomes the diatonic chord on its root
       (``VI7`` -> ``vi7``, ``II7`` -> ``ii7``, ``I7`` -> ``I``, ``#ivo7`` -> ``IV``; in minor
       ``I7`` -> ``i``), or on the diatonic root of the same function when the root itself is
       chromatic (``bII`` -> ``iv``, a borrowed ``bVI`` -> ``IV``). **Tense** (0.55 -> 1) the
       other way: in major ``ii``/``vi``/``iii`` become secondary dominants and ``IV`` the
       borrowed ``iv``; in minor ``iv`` and ``ii7b5`` become the Neapolitan ``bII`` (``bII7``),
       ``bVII`` the diminished seventh on the leading tone.
    2. **Valence**, in major keys: bright (0.4 -> 1) ``vi``/``iii`` -> ``I``, a borrowed ``iv``
       (and sometimes ``ii``) -> ``IV``; gloomy (0.5 -> 0) ``IV`` -> ``iv``, ``I`` -> ``vi``
       (not at a section start). In minor keys: light (-0.5 -> 0) ``iv`` -> Dorian ``IV``,
       ``v`` -> ``bVII``, ``i`` -> the relative major ``bIII`` (not at a section start); sad
       (-0.35 -> -0.85) ``bIII`` -> ``i``, ``bVII`` -> ``V``, ``IV`` -> ``iv``.

    A clear valence (far from 0) makes the tense step rarer: the key stays clear.

    A chord keeps its seventh (or sixth) or its triad: ``vi7`` -> ``Imaj7``, ``iv6`` ->
    ``IV6``, ``IV`` -> ``iv``.

    Args:
        chord: the written chord.
        mode: the progression's mode.
        mood: the bar's mood.
        draws: two uniform numbers in [0, 1): calm, valence.
        strength: ``Harmony.mood_substitution``, scales every chance.
        section_start: the bar opens a section (its tonic is kept).

    Returns:
        The chord to play (``chord`` itself when nothing changes).
    """
    semitones = chord.semitones
    family = _family(chord.quality)
    seventh = CHORD_QUALITIES[chord.quality].seventh is not None
    sixth = CHORD_QUALITIES[chord.quality].seventh == 9
    diatonic = _DIATONIC_FAMILY[mode]
    calm = _CALM_MAX * strength * _ramp(mood.tension, _CALM)
    # a clear valence (very happy or very sad) keeps the key: fewer chromatic chords
    clarity = _ramp(abs(mood.valence), _KEEP_KEY)
    tense = _TENSE_MAX * strength * _ramp(mood.tension, _TENSE) * (1.0 - 0.7 * clarity)
    if draws[0] < tense:
        tense_target = _TENSE_TARGETS[mode].get((semitones, family))
        if tense_target is not None:
            semitones, family = tense_target
            seventh = seventh or family == "dominant"
            chord = _roman(semitones, family, seventh=seventh, sixth=sixth)
    elif draws[0] < calm and family != "other":
        tones = {(semitones + step) % 12 for step in CHORD_QUALITIES[chord.quality].intervals}
        chromatic = not tones <= _DIATONIC_PCS[mode]
        is_dominant = semitones == 7 and family == "dominant"
        if chromatic and not is_dominant:
            root = semitones if semitones in diatonic else _CHROMATIC_ROOT_HOME[mode].get(
                semitones, semitones)
            if root in diatonic:
                family = diatonic[root]
                semitones = root
                if family == "dominant":
                    seventh = True
                chord = _roman(semitones, family, seventh=seventh, sixth=sixth)
    valence = mood.valence
    draw = draws[1]
    target: tuple[int, str] | None = None
    if mode is Mode.MAJOR:
        bright = _BRIGHT_MAX * strength * _ramp(valence, _BRIGHT)
        gloomy = _GLOOMY_MAX * strength * _ramp(valence, _GLOOMY)
        if draw < bright:
            if family == "minor" and semitones in (9, 4):
                target = (0, "major")
            elif (family == "minor" and (
                semitones == 5 or (semitones == 2 and draw < 0.75 * bright)
            )) or (family == "diminished" and semitones == 6):
                target = (5, "major")
        elif draw < gloomy:
            if family == "major" and semitones == 5:
                target = (5, "minor")
            elif family == "major" and semitones == 0 and not section_start:
                target = (9, "minor")
    else:
        light = _LIGHT_MAX * strength * _ramp(valence, _LIGHT)
        sad = _SAD_MAX * strength * _ramp(valence, _SAD)
        if draw < light:
            if family == "minor" and semitones == 5:
                target = (5, "dominant" if seventh else "major")
            elif family == "minor" and semitones == 7:
                target = (10, "major")
            elif family == "minor" and semitones == 0 and not section_start:
                target = (3, "major")
        elif draw < sad:
            if family == "major" and semitones == 3:
                target = (0, "minor")
            elif family in ("major", "dominant") and semitones == 10:
                target = (7, "dominant")
            elif family in ("major", "dominant") and semitones == 5:
                target = (5, "minor")
    if target is not None:
        chord = _roman(target[0], target[1], seventh=seventh or target[1] == "dominant",
                       sixth=sixth)
    return chord


def _shape_bars(
    romans: list[tuple[RomanChord, ...]],
    slots: Sequence[tuple[str, int]],
    lengths: dict[str, int],
    moods: Sequence[Mood],
    mode: Mode,
    strength: float,
    section_starts: frozenset[int],
    rng: np.random.Generator,
) -> None:
    """Apply :func:`shape_chord` to every chord, with one pair of draws per progression chord.

    The last two bars of a progression (its turnaround, e.g. ``I vi7 | ii7 V7``) resist the
    valence step (their draws are moved into the upper half): they carry the form from one
    section to the next and change only under a strong valence.
    """
    draws: dict[tuple[str, int, int], tuple[float, float]] = {}
    for bar, chords in enumerate(romans):
        name, index = slots[bar]
        turnaround = index >= lengths.get(name, 0) - 2
        shaped = []
        for position, chord in enumerate(chords):
            key = (name, index, position)
            if key not in draws:
                first, second = rng.random(2).tolist()
                draws[key] = (first, 0.5 + 0.5 * second if turnaround else second)
            shaped.append(shape_chord(chord, mode, moods[bar], draws[key], strength=strength,
                                      section_start=bar in section_starts))
        romans[bar] = tuple(shaped)


def _split_bars(
    bar_chords: list[list[_Chord]],
    moods: Sequence[Mood],
    harmony: Harmony,
    key: Key,
    rng: np.random.Generator,
) -> None:
    """Faster harmonic rhythm in tense bars: one-chord bars become two half-bar chords.

    The second half is the dominant of the next chord (a secondary dominant), or, the clearer
    the bar's valence, the chord of the key on that root (so a sad or happy cue keeps its key
    however tense it gets)."""
    threshold = harmony.split_min_tension
    flats = key_prefers_flats(key)
    mode = Mode.MINOR if key.mode is Mode.MINOR else Mode.MAJOR
    for index in range(len(bar_chords) - 1):
        chords = bar_chords[index]
        tension = min(max(moods[index].tension, 0.0), 1.0)
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
            degree = (dominant_root - key.tonic_pc) % 12
            family = _DIATONIC_FAMILY[mode].get(degree, "dominant")
            in_key = rng.random() < _KEEP_KEY_MAX * _ramp(abs(moods[index].valence), _KEEP_KEY)
            dominant = _Chord(
                root_pc=dominant_root,
                quality=_SPLIT_QUALITIES[family] if in_key else "7",
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
    """How rich each chord is, from its bar's tension: plain in calm bars (``plain``), richer
    (``color``) and, in tense bars, altered (``altered``); the final chord is only made plain."""
    colour = dict(harmony.color)
    altered = dict(harmony.altered)
    plain = harmony.plain_qualities()
    altered_values = set(altered.values())
    threshold = harmony.altered_min_tension
    plain_max = harmony.plain_max_tension
    for run in runs:
        quality = run.chord.quality
        tension = run.tension
        calm = max(0.0, 1.0 - tension / plain_max) if plain_max > 0.0 else 0.0
        # a written altered chord is plain below the alteration threshold
        if quality in plain and (
            rng.random() < calm ** 0.5
            or (tension < threshold and (quality in altered_values or _is_altered(quality)))
        ):
            quality = plain[quality]
        elif run.end_tick < end_tick:
            if quality in colour:
                chance = harmony.color_probability * (tension - _COLOR_FROM) / _COLOR_SPAN
                if rng.random() < min(1.0, chance):
                    quality = colour[quality]
            if quality in altered and tension >= threshold:
                share = (tension - threshold) / max(1.0 - threshold, 1e-6)
                if rng.random() < _ALTER_MAX * min(share + 0.15, 1.0):
                    quality = altered[quality]
        if quality != run.chord.quality:
            run.chord = _Chord(root_pc=run.chord.root_pc, quality=quality,
                               root_name=run.chord.root_name)


def _is_altered(quality: str) -> bool:
    """Whether a quality is an altered dominant (a flat or sharp fifth or ninth, ...)."""
    chord = CHORD_QUALITIES[quality]
    return chord.third == 4 and chord.seventh == 10 and (
        chord.fifth != 7 or any(tension in (1, 3, 6, 8) for tension in chord.tensions)
    )


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
