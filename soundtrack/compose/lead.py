"""The saxophone lead: phrases that breathe, motifs that come back, lines that follow the chords.

Input: a :class:`~soundtrack.model.CueSpec`, its :class:`~soundtrack.styles.schema.Style` and the
cue's chord symbols. Output: the lead :class:`~soundtrack.model.Part` (role ``LEAD``), monophonic,
inside the cue and inside the chosen saxophone's concert range.

How a lead is made (all randomness from the one ``Generator`` passed in):

0. **The player of the day.** The style's ``[lead]`` idioms (:class:`LeadStyle`) vary per cue
   (density and double time, phrase and breath lengths, chromaticism, chord-tone focus, step
   share, motivic repetition) with spreads calibrated on real solos, which differ a lot by
   player and tempo (:func:`_player_of_the_day`). Density follows arousal and, by
   ``tempo_scaling``, the tempo; such styles also play more double time at slow tempi.
1. **Motifs.** Each distinct section name (``A``, ``B``, ``trio``...; digits and primes ignored)
   gets a motif: a rhythm cell (durations on the style's grid) and an interval contour (in
   steps of the chord-scale) starting on a chosen chord degree. Later sections' motifs contrast
   with the first (other density, other metric placement, opposite direction, other register).
2. **Phrase plan.** Sections are filled with phrases separated by breath rests; phrase and breath
   lengths spread log-normally around the style's medians, scaled by the mood (tension
   interrupts phrases). The lead rests in an ``intro``; the last phrase runs into the final note
   on the last chord (held to the end, or a short button).
3. **Rhythm and pitch.** A phrase opens with its section's motif (restated, varied, extended by a
   sequence) or with free material; free notes walk the chord-scale (:func:`chord_scale`) with
   momentum towards a phrase contour (arch, rise, fall, valley; valence tilts it), put chord
   tones or tensions on strong beats, pass chromatically, and approach or enclose strong-beat
   targets. Questions end open, answers on the root. The line keeps to the idiomatic middle of
   the saxophone's range.
   **Mood, note by note** (the bar's mood from ``spec.bar_moods``): tension scales the chromatic
   devices from a low base (:func:`chromatic_factor`: approach notes, chromatic passing tones,
   enclosures, blue notes; a floor, :func:`chromatic_floor`, makes every style chromatic when
   tense), lowers the share of chord tones on strong beats (calm lines rest on chord tones,
   long notes too; tense ones take chromatic appoggiaturas), switches to darker chord-scales
   (:func:`tense_chord_scale`) and lets a motif's sequence climb by semitones. A clear valence
   (happy or sad) leans strong beats, long notes and phrase ends on the key's tonic triad;
   blue notes fade as valence rises.
4. **Performance.** Swing eighths (ratio from the tempo, see :func:`swing_ratio`), lay-back,
   legato/staccato lengths, velocity from arousal with accents, phrase swells and ghost notes,
   grace notes; hit points get a strong, accented note; scoops, falls and vibrato as pitch bends.

Everything is plain Python on small lists; a 30-minute story's lead takes a fraction of a second.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from soundtrack.compose.chance import weighted_index
from soundtrack.model import (
    SAXOPHONE_PROGRAM,
    SAXOPHONE_RANGE,
    ChordSymbol,
    CueSpec,
    Mode,
    Mood,
    Note,
    Part,
    PitchBend,
    Role,
    Saxophone,
)
from soundtrack.styles.schema import LeadStyle, Style
from soundtrack.units import TICKS_PER_QUARTER

__all__ = [
    "BEND_RANGE_SEMITONES",
    "CHROMATIC_REFERENCE_TENSION",
    "LEAD_NAMES",
    "SCALE_STEPS",
    "BEBOP_PASSING_TONES",
    "BEBOP_SCALE_TENSION",
    "TENSE_SCALE_TENSION",
    "bebop_scale",
    "swing_tick",
    "chord_scale",
    "chromatic_factor",
    "chromatic_floor",
    "compose_lead",
    "swing_ratio",
    "tense_chord_scale",
]

#: Pitch-bend range (semitones, set with RPN 0) that the lead's bends assume.
BEND_RANGE_SEMITONES = 2

#: Track name of each saxophone.
LEAD_NAMES: dict[Saxophone, str] = {
    Saxophone.SOPRANO: "Soprano Sax",
    Saxophone.ALTO: "Alto Sax",
    Saxophone.TENOR: "Tenor Sax",
    Saxophone.BARITONE: "Baritone Sax",
}

#: Semitones above the tonic of every scale a style may name (see ``LeadStyle.SCALES``) and of
#: the chord-scales chosen for chords outside the key.
SCALE_STEPS: dict[str, tuple[int, ...]] = {
    "ionian": (0, 2, 4, 5, 7, 9, 11),
    "dorian": (0, 2, 3, 5, 7, 9, 10),
    "phrygian": (0, 1, 3, 5, 7, 8, 10),
    "lydian": (0, 2, 4, 6, 7, 9, 11),
    "mixolydian": (0, 2, 4, 5, 7, 9, 10),
    "aeolian": (0, 2, 3, 5, 7, 8, 10),
    "locrian": (0, 1, 3, 5, 6, 8, 10),
    "harmonic-minor": (0, 2, 3, 5, 7, 8, 11),
    "melodic-minor": (0, 2, 3, 5, 7, 9, 11),
    "freygish": (0, 1, 4, 5, 7, 8, 10),
    "altered-dorian": (0, 2, 3, 6, 7, 9, 10),
    "blues": (0, 3, 5, 6, 7, 10),
    # the blues players' composite of major and minor pentatonic with the flat 5th
    "blues-composite": (0, 2, 3, 4, 5, 6, 7, 9, 10),
    "major-pentatonic": (0, 2, 4, 7, 9),
    "minor-pentatonic": (0, 3, 5, 7, 10),
    # chord-scales only
    "lydian-dominant": (0, 2, 4, 6, 7, 9, 10),
    "altered": (0, 1, 3, 4, 6, 8, 10),
    "half-whole": (0, 1, 3, 4, 6, 7, 9, 10),
    "whole-half": (0, 2, 3, 5, 6, 8, 9, 11),
    "whole-tone": (0, 2, 4, 6, 8, 10),
    "locrian-2": (0, 2, 3, 5, 6, 8, 10),
}

# Candidate chord-scales per chord family, most usual first (used for chords outside the key).
_FAMILY_SCALES: dict[str, tuple[str, ...]] = {
    "major": ("ionian", "lydian", "mixolydian", "freygish"),
    "dominant": ("mixolydian", "freygish", "lydian-dominant", "half-whole", "altered"),
    "minor": ("dorian", "aeolian", "phrygian", "melodic-minor", "harmonic-minor"),
    "minor-major": ("melodic-minor", "harmonic-minor"),
    "half-diminished": ("locrian", "locrian-2"),
    "diminished": ("whole-half",),
    "augmented": ("whole-tone",),
    "suspended": ("mixolydian", "dorian"),
}

_BEND_MAX = 8191
_REFERENCE_BPM = 140.0
_SWING_POINTS = ((60.0, 3.0), (140.0, 2.0), (300.0, 1.1))
_VIBRATO_HZ = 5.5
_VIBRATO_CENTS = 22.0


def swing_ratio(quarter_bpm: float, amount: float = 1.0) -> float:
    """Long-to-short ratio of swung eighths at a tempo.

    Args:
        quarter_bpm: tempo in quarter notes per minute (> 0).
        amount: share of the full swing used, 0 (straight, 1:1) .. 1.

    Returns:
        The ratio (>= 1): about 3 at 60 bpm, 2 at 140 bpm and 1.1 at 300 bpm and above,
        linear in between, then scaled towards 1 by ``amount``.
    """
    points = _SWING_POINTS
    if quarter_bpm <= points[0][0]:
        full = points[0][1]
    elif quarter_bpm >= points[-1][0]:
        full = points[-1][1]
    else:
        full = points[-1][1]
        for (bpm_a, ratio_a), (bpm_b, ratio_b) in zip(points, points[1:], strict=False):
            if bpm_a <= quarter_bpm <= bpm_b:
                full = ratio_a + (ratio_b - ratio_a) * (quarter_bpm - bpm_a) / (bpm_b - bpm_a)
                break
    return 1.0 + (full - 1.0) * min(max(amount, 0.0), 1.0)


def _chord_family(chord: ChordSymbol) -> str:
    """The family of a chord (``minor``, ``dominant``...), read from its third, fifth and
    seventh (``pitch_classes`` is root, third, fifth, seventh or sixth, then tensions)."""
    intervals = [(pc - chord.root_pc) % 12 for pc in chord.pitch_classes[1:4]]
    third = intervals[0] if intervals else 4
    fifth = intervals[1] if len(intervals) > 1 else 7
    seventh = intervals[2] if len(intervals) > 2 and intervals[2] in (9, 10, 11) else None
    if third in (2, 5):
        return "suspended"
    if third == 3:
        if fifth == 6:
            return "half-diminished" if seventh == 10 else "diminished"
        return "minor-major" if seventh == 11 else "minor"
    if fifth == 8:
        return "dominant" if seventh == 10 else "augmented"
    return "dominant" if seventh == 10 else "major"


def _key_scale(tonic_pc: int, mode: Mode, lead: LeadStyle) -> frozenset[int]:
    name = lead.major_scale if mode is Mode.MAJOR else lead.minor_scale
    steps = SCALE_STEPS.get(name, SCALE_STEPS["ionian" if mode is Mode.MAJOR else "aeolian"])
    return frozenset((tonic_pc + step) % 12 for step in steps)


def chord_scale(chord: ChordSymbol, key_scale: frozenset[int]) -> frozenset[int]:
    """The pitch classes a line walks through over a chord.

    A chord inside the key's scale uses the key's scale (so ii in a major key is Dorian, V7 in
    harmonic minor is Phrygian dominant); a chord outside it uses the candidate chord-scale of its
    family that shares most notes with the key's scale. The chord's own tones are always included;
    a pentatonic or blues key scale stays as it is, plus the chord tones.

    Args:
        chord: the chord symbol.
        key_scale: pitch classes 0-11 of the key's scale.

    Returns:
        The chord-scale's pitch classes 0-11.
    """
    tones = frozenset(pc % 12 for pc in chord.pitch_classes)
    if tones <= key_scale or len(key_scale) < 7:
        return key_scale | tones
    best: frozenset[int] = frozenset()
    best_score = -1
    for name in _FAMILY_SCALES[_chord_family(chord)]:
        candidate = frozenset((chord.root_pc + step) % 12 for step in SCALE_STEPS[name])
        score = 20 * len(tones & candidate) + len(candidate & key_scale)
        if score > best_score:
            best, best_score = candidate, score
    return best | tones


#: The chromatic passing tone a bebop scale adds to a chord-scale, semitones above the chord's
#: root, per chord family: the major 7th under a dominant's root, the #5 of a major chord, the
#: major 3rd of a minor chord. Eighth-note runs through such an eight-note scale put the chord
#: tones on the beats (Barry Harris, David Baker).
BEBOP_PASSING_TONES: dict[str, int] = {"dominant": 11, "major": 8, "minor": 4}
#: Bar tension from which styles with ``bebop_scales`` use them (calm bars stay in the key).
BEBOP_SCALE_TENSION = 0.2


def bebop_scale(chord: ChordSymbol, scale: frozenset[int]) -> frozenset[int]:
    """``scale`` with the bebop passing tone of the chord's family added
    (:data:`BEBOP_PASSING_TONES`); other families' scales stay as they are.

    Args:
        chord: the chord symbol.
        scale: its chord-scale, pitch classes 0-11.

    Returns:
        The pitch classes 0-11 of the bebop scale.
    """
    passing = BEBOP_PASSING_TONES.get(_chord_family(chord))
    if passing is None:
        return scale
    return scale | {(chord.root_pc + passing) % 12}


#: Bar tension from which the line takes the tense chord-scales (:func:`tense_chord_scale`).
TENSE_SCALE_TENSION = 0.65


def tense_chord_scale(chord: ChordSymbol, scale: frozenset[int], tonic_pc: int) -> frozenset[int]:
    """The chord-scale of a chord in a tense bar: the darker, more chromatic colour of its family.

    Dominants take the altered scale when the chord is altered, else the half-whole diminished
    scale (b9, #9, #11 over the dominant); the tonic's minor chord takes the Phrygian b2, a
    major chord the Lydian #4; other chords keep ``scale``.

    Args:
        chord: the chord symbol.
        scale: its usual chord-scale (:func:`chord_scale`).
        tonic_pc: the key's tonic pitch class.

    Returns:
        The pitch classes 0-11 of the tense chord-scale (the chord's tones always included).
    """
    tones = frozenset(pc % 12 for pc in chord.pitch_classes)
    root = chord.root_pc % 12
    family = _chord_family(chord)
    if family == "dominant":
        offsets = {(pc - root) % 12 for pc in tones}
        name = "altered" if offsets & {1, 3, 8} or 6 in offsets else "half-whole"
        if 7 in offsets and name == "altered":
            name = "half-whole"  # keeps the natural fifth the chord sounds
        return frozenset((root + step) % 12 for step in SCALE_STEPS[name]) | tones
    if family == "minor" and root == tonic_pc % 12:
        return (scale - {(root + 2) % 12}) | {(root + 1) % 12} | tones
    if family == "major":
        return (scale - {(root + 5) % 12}) | {(root + 6) % 12} | tones
    return scale


# ---------------------------------------------------------------- randomness


class _Dice:
    """Uniform draws from a ``Generator``, fetched in blocks (scalar numpy calls are slow)."""

    __slots__ = ("_buffer", "_index", "_rng")

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng
        self._buffer: list[float] = []
        self._index = 0

    def random(self) -> float:
        """A uniform number in [0, 1)."""
        if self._index >= len(self._buffer):
            self._buffer = self._rng.random(512).tolist()
            self._index = 0
        value = self._buffer[self._index]
        self._index += 1
        return value

    def chance(self, probability: float) -> bool:
        """True with the given probability."""
        return self.random() < probability

    def integer(self, low: int, high: int) -> int:
        """A uniform integer in ``low..high`` (inclusive)."""
        return low + min(int(self.random() * (high - low + 1)), high - low)

    def normal(self) -> float:
        """A standard normal number (Box-Muller)."""
        radius = math.sqrt(-2.0 * math.log(1.0 - self.random()))
        return radius * math.cos(2.0 * math.pi * self.random())

    def pick(self, weights: Sequence[float]) -> int:
        """An index drawn with the given non-negative weights (at least one positive)."""
        return weighted_index(weights, self.random())


# ---------------------------------------------------------------- context


#: Spread (log-normal sigma or absolute sd) of the per-cue player traits. Calibrated on the
#: spread of the Weimar Jazz Database saxophone solos (development split) across players and
#: tempi: notes per beat about 0.8 sd around 1.5, scale consistency 0.07, chord tones on beats
#: 1 and 3 0.19 (see ``benchmarks/lead_likeness.py``).
_PLAYER_DENSITY_SPREAD = 0.75
_PLAYER_CHROMATIC_SPREAD = 0.75
_PLAYER_CHORD_TONE_SPREAD = 0.15
_PLAYER_STEPS_SPREAD = 0.15
_PLAYER_REPEAT_SPREAD = 0.3
#: Real soloists play denser lines at slow tempi (about 2.8 notes per beat under 100 bpm, 1.3
#: above 200): double time rises from 0 at :data:`_DOUBLE_TIME_FAST_BPM` to this much more at
#: :data:`_DOUBLE_TIME_SLOW_BPM` and below, scaled by the style's ``tempo_scaling``.
_SLOW_DOUBLE_TIME = 2.6
#: Share of double-time notes (faster than the style's grid) inside a run that go on by a scale
#: step the same way: real players' fast notes are scale and chromatic runs.
_RUN_STEPS = 0.27
#: Spread from player to player of the style's ``riff`` chance (negative draws mean never):
#: some real soloists reuse whole figures far more than others (recurring 4-grams 0.02-0.10
#: between quartiles, up to 0.25).
_PLAYER_RIFF_SPREAD = 0.4
#: How much a line keeps going in one direction (added to the chance of a move the same way as
#: the last), and its spread from player to player: real solos' mean run length is 2.1
#: intervals, 1.97-2.30 between quartiles.
_MOMENTUM = 0.2
_PLAYER_MOMENTUM_SPREAD = 0.06
_DOUBLE_TIME_FAST_BPM = 200.0
_DOUBLE_TIME_SLOW_BPM = 90.0


@dataclass(frozen=True, slots=True)
class _Player:
    """One player in one cue: the style's idioms as they play them (``lead``, its ``riff``
    chance included), their pitch habits (pitch class 0-11 -> chance 0..1 of keeping a free
    off-beat note on it, :func:`_pitch_habits`) and how much their line keeps its direction
    (added to the chance of going on, 0..0.4)."""

    lead: LeadStyle
    habits: tuple[float, ...]
    momentum: float


def _player_of_the_day(lead: LeadStyle, dice: _Dice, quarter_bpm: float) -> _Player:
    """The style's idioms as one player plays them in one cue, with their pitch habits, line
    momentum and riff chance.

    Real solos differ a lot from player to player and with the tempo: density, chromaticism,
    scale adherence, chord-tone focus, interval size and repetition. Each is drawn once per
    cue around the style's value (log-normal or normal, spreads calibrated on real solos, see
    the ``_PLAYER_*`` constants), always inside its documented range; one "busy" draw moves
    density and double time together. Styles with ``tempo_scaling`` also play more double time
    at slow tempi, as real jazz soloists do, and their players differ more in density and
    chromaticism (the full spreads at ``tempo_scaling`` 0.6 and above, 0.6 of them at 0: the
    singer of a song varies less than an improviser)."""

    def lognormal(spread: float) -> float:
        return math.exp(spread * dice.normal())

    def unit(value: float) -> float:
        return min(1.0, max(0.0, value))

    slow = unit(
        (_DOUBLE_TIME_FAST_BPM - quarter_bpm) / (_DOUBLE_TIME_FAST_BPM - _DOUBLE_TIME_SLOW_BPM)
    )
    # fast players all run eighths (real solos above 200 bpm: 1.3 notes per beat, sd 0.17);
    # slow ones differ far more (under 100 bpm: sd about 1)
    improviser = unit(lead.tempo_scaling / 0.6)
    busy = lognormal(_PLAYER_DENSITY_SPREAD * (0.4 + 0.6 * slow) * (0.6 + 0.4 * improviser))
    colour = lognormal(_PLAYER_CHROMATIC_SPREAD * (0.6 + 0.4 * improviser))
    slow_double = _SLOW_DOUBLE_TIME * lead.tempo_scaling * slow * busy
    played = replace(
        lead,
        notes_per_beat=min(8.0, lead.notes_per_beat * busy),
        double_time=unit(lead.double_time * lognormal(0.6) * busy + slow_double),
        phrase_bars=min(16.0, lead.phrase_bars * lognormal(0.2)),
        breath_beats=max(0.75, min(16.0, lead.breath_beats * lognormal(0.2))),
        chromatic=unit(lead.chromatic * colour),
        approach=unit(lead.approach * math.sqrt(colour) * lognormal(0.2)),
        strong_chord_tone=unit(lead.strong_chord_tone + _PLAYER_CHORD_TONE_SPREAD * dice.normal()),
        steps=min(unit(lead.steps + _PLAYER_STEPS_SPREAD * dice.normal()), 0.9 - lead.leaps),
        motif_repeat=unit(lead.motif_repeat + _PLAYER_REPEAT_SPREAD * dice.normal()),
        sequence=unit(lead.sequence + 0.1 * dice.normal()),
    )
    habits = _pitch_habits(dice, lead.pitch_habits)
    momentum = min(0.4, max(0.0, _MOMENTUM + _PLAYER_MOMENTUM_SPREAD * dice.normal()))
    if lead.riff > 0.0:
        played = replace(played, riff=unit(lead.riff + _PLAYER_RIFF_SPREAD * dice.normal()))
    return _Player(lead=played, habits=habits, momentum=momentum)


def _pitch_habits(dice: _Dice, strength: float) -> tuple[float, ...]:
    """A player's pitch habits in one cue: for each pitch class 0-11, the chance (0..1] of keeping
    a free off-beat note on it (the favourite pitch class 1; the others log-normally less, with a
    spread of ``strength`` -- the style's ``pitch_habits`` -- that itself differs from player
    to player). A move landing on a note not kept is drawn again once. All 1 when ``strength``
    is 0."""
    if strength <= 0.0:
        return (1.0,) * 12
    spread = strength * math.exp(0.5 * dice.normal())
    weights = [math.exp(spread * dice.normal()) for _ in range(12)]
    top = max(weights)
    return tuple(weight / top for weight in weights)


@dataclass(frozen=True, slots=True)
class _Harmony:
    """One chord as the line sees it: MIDI pitches of its chord tones and of its scale."""

    start_tick: int
    root_pc: int
    tone_pcs: frozenset[int]
    tones: tuple[int, ...]
    scale: tuple[int, ...]
    anchors: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class _Motif:
    """A motif: rhythm cell (grid slots per note), scale steps between notes, first chord degree
    (0 root, 1 third, 2 fifth), register offset (semitones) and grid offset of its first onset."""

    durations: tuple[int, ...]
    steps: tuple[int, ...]
    degree: int
    register_offset: int
    offset: int


@dataclass(frozen=True, slots=True)
class _Phrase:
    """A planned phrase: grid slots ``start..end`` (end = end of its last note), its motif key,
    position in its section, whether it is the cue's last phrase or is cut short, and whether
    its section's motif was heard before (a returning section may vary its opening)."""

    start: int
    end: int
    motif_key: str
    index: int
    final: bool
    interrupted: bool
    heard_before: bool = False


class _Tone:
    """A note being built (mutable scratch record, internal to one call)."""

    __slots__ = (
        "accent",
        "blue",
        "end",
        "first",
        "last",
        "locked",
        "pitch",
        "slot",
        "slots",
        "start",
        "strong",
        "velocity",
    )

    def __init__(self, slot: int, slots: int, *, strong: bool) -> None:
        self.slot = slot
        self.slots = slots
        self.strong = strong
        self.pitch = 0
        self.first = False
        self.last = False
        self.accent = False
        self.blue = False
        self.locked = False
        self.start = 0
        self.end = 0
        self.velocity = 64


class _Context:
    """Constants of one cue derived from the spec, style and chords."""

    def __init__(
        self,
        spec: CueSpec,
        player: _Player,
        chords: Sequence[ChordSymbol],
        *,
        band_swing: float,
    ) -> None:
        self.spec = spec
        lead = player.lead
        self.lead = lead
        self.habits = player.habits
        self.momentum = player.momentum
        # the soloist swings a share of what the band swings (all of the tempo's swing when the
        # style gives the band none)
        self.swing_amount = lead.swing_amount * (band_swing if band_swing > 0.0 else 1.0)
        self.low, self.high = SAXOPHONE_RANGE[spec.lead]
        meter = spec.meter
        self.pulse = meter.pulse_ticks
        subdivision = max(1, self.lead.subdivision)
        while subdivision > 1 and self.pulse % subdivision:
            subdivision -= 1
        self.ticks_per_second = spec.tempo_bpm / 60.0 * self.pulse
        # the grid is twice as fine as the style's when double-time notes stay playable
        fine_ticks = self.pulse // (2 * subdivision)
        fine = self.pulse % (2 * subdivision) == 0 and fine_ticks / self.ticks_per_second >= 0.07
        self.unit = 2 if fine else 1
        self.sub = subdivision * self.unit
        self.slot_ticks = self.pulse // self.sub
        self.bar_ticks = meter.bar_ticks
        self.pulses_per_bar = max(1, meter.pulses_per_bar)
        self.bar_slots = self.bar_ticks // self.slot_ticks
        self.end_tick = spec.end_tick
        self.total_slots = self.end_tick // self.slot_ticks
        self.quarter_bpm = spec.tempo_bpm * self.pulse / TICKS_PER_QUARTER
        self.tempo_factor = float(
            (_REFERENCE_BPM / max(self.quarter_bpm, 1.0)) ** lead.tempo_scaling
        )
        strong_pulses = {0}
        if self.pulses_per_bar == 4:
            strong_pulses.add(2)
        elif self.pulses_per_bar == 2:
            strong_pulses.add(1)
        elif self.pulses_per_bar >= 5:
            strong_pulses.add(self.pulses_per_bar // 2)
        self.strong_pulses = frozenset(strong_pulses)
        span = self.high - self.low
        centre = self.low + self.lead.register * span
        half = max(4.0, self.lead.register_span * span / 2.0)
        self.centre = centre
        # the line may pass the soft limits by 2 semitones: keep 2 (bottom) and 3 (top) more free
        self.soft_low = max(self.low + 4, round(centre - half))
        self.soft_high = min(self.high - 5, round(centre + half))
        self.span = span
        self.key_scale = _key_scale(spec.key.tonic_pc, spec.key.mode, self.lead)
        # the pitch classes that a blue note flattens: 3rd, 5th and 7th in major, 5th in minor
        blue = (4, 7, 11) if spec.key.mode is Mode.MAJOR else (7,)
        self.blue_pcs = frozenset((spec.key.tonic_pc + degree) % 12 for degree in blue)
        self.harmonies = self._harmonies(chords)
        self.harmony_starts = [harmony.start_tick for harmony in self.harmonies]

    def _harmonies(self, chords: Sequence[ChordSymbol]) -> list[_Harmony]:
        if not chords:
            tonic = self.spec.key.tonic_pc
            third = 4 if self.spec.key.mode is Mode.MAJOR else 3
            chords = (
                ChordSymbol(
                    start_tick=0,
                    duration_ticks=self.end_tick,
                    root_pc=tonic,
                    quality="" if third == 4 else "m",
                    pitch_classes=(tonic, (tonic + third) % 12, (tonic + 7) % 12),
                    symbol="C",
                ),
            )
        cache: dict[
            tuple[int, str, tuple[int, ...], bool, bool],
            tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]],
        ] = {}
        tonic = self.spec.key.tonic_pc
        third = 4 if self.spec.key.mode is Mode.MAJOR else 3
        tonic_triad = frozenset({tonic % 12, (tonic + third) % 12, (tonic + 7) % 12})
        harmonies: list[_Harmony] = []
        moods = self.spec.bar_moods or (self.spec.mood,)
        for chord in sorted(chords, key=lambda item: item.start_tick):
            bar = min(max(chord.start_tick // max(self.bar_ticks, 1), 0), len(moods) - 1)
            tense = moods[bar].tension >= TENSE_SCALE_TENSION
            bebop = self.lead.bebop_scales and moods[bar].tension >= BEBOP_SCALE_TENSION
            signature = (chord.root_pc, chord.quality, chord.pitch_classes, tense, bebop)
            if signature not in cache:
                tone_pcs = frozenset(pc % 12 for pc in chord.pitch_classes[:4])
                scale_pcs = chord_scale(chord, self.key_scale)
                if tense:
                    scale_pcs = tense_chord_scale(chord, scale_pcs, self.spec.key.tonic_pc)
                elif bebop:
                    scale_pcs = bebop_scale(chord, scale_pcs)
                cache[signature] = (
                    tuple(p for p in range(self.low, self.high + 1) if p % 12 in tone_pcs),
                    tuple(p for p in range(self.low, self.high + 1) if p % 12 in scale_pcs),
                    tuple(
                        p
                        for p in range(self.low, self.high + 1)
                        if p % 12 in tone_pcs & tonic_triad
                    ),
                )
            tones, scale, anchors = cache[signature]
            harmonies.append(
                _Harmony(
                    start_tick=chord.start_tick,
                    root_pc=chord.root_pc % 12,
                    tone_pcs=frozenset(pc % 12 for pc in chord.pitch_classes[:4]),
                    tones=tones,
                    scale=scale,
                    anchors=anchors,
                )
            )
        return harmonies

    def density(self, mood: Mood) -> float:
        """Notes per beat inside phrases: the style's density, scaled by arousal (0.6x..1.4x)
        and by the tempo (``(140 / quarter bpm) ** tempo_scaling``)."""
        return self.lead.notes_per_beat * (0.6 + 0.8 * mood.arousal) * self.tempo_factor

    def harmony_at(self, tick: int) -> _Harmony:
        """The chord sounding at ``tick`` (the first chord before the first change)."""
        index = bisect_right(self.harmony_starts, tick) - 1
        return self.harmonies[max(index, 0)]

    def mood_at_slot(self, slot: int) -> Mood:
        """The mood of the bar that contains grid slot ``slot``."""
        moods = self.spec.bar_moods
        if not moods:
            return self.spec.mood
        bar = min(max(slot // max(self.bar_slots, 1), 0), len(moods) - 1)
        return moods[bar]

    def is_strong(self, slot: int) -> bool:
        """Whether grid slot ``slot`` is a strong beat (beats 1 and 3 in 4/4, 1 in 3/4...)."""
        if slot % self.sub:
            return False
        return (slot // self.sub) % self.pulses_per_bar in self.strong_pulses


# ---------------------------------------------------------------- pitch helpers


def _step(pitch: int, steps: int, scale: tuple[int, ...]) -> int:
    """``pitch`` moved by ``steps`` scale steps in ``scale`` (clamped to the scale's ends)."""
    index = bisect_left(scale, pitch)
    if steps == 0:
        return _nearest(pitch, scale)
    on_scale = index < len(scale) and scale[index] == pitch
    target = index + steps - (0 if on_scale else 1) if steps > 0 else index + steps
    return scale[min(max(target, 0), len(scale) - 1)]


def _nearest(pitch: int, pitches: tuple[int, ...], direction: int = 0) -> int:
    """The member of sorted ``pitches`` nearest ``pitch``; ties go towards ``direction``."""
    index = bisect_left(pitches, pitch)
    if index < len(pitches) and pitches[index] == pitch:
        return pitch
    below = pitches[index - 1] if index > 0 else None
    above = pitches[index] if index < len(pitches) else None
    if below is None:
        return above if above is not None else pitch
    if above is None:
        return below
    if pitch - below < above - pitch:
        return below
    if above - pitch < pitch - below:
        return above
    return above if direction >= 0 else below


def _tone_of_degree(harmony: _Harmony, degree: int, near: float) -> int:
    """The chord tone of chord degree ``degree`` (0 root, 1 third, 2 fifth) nearest ``near``."""
    pcs = sorted(harmony.tone_pcs, key=lambda pc: (pc - harmony.root_pc) % 12)
    pc = pcs[min(degree, len(pcs) - 1)]
    candidates = tuple(p for p in harmony.tones if p % 12 == pc)
    if not candidates:
        return _nearest(round(near), harmony.tones)
    return min(candidates, key=lambda p: (abs(p - near), p))


def _interval_steps(dice: _Dice, lead: LeadStyle, mood: Mood) -> int:
    """A melodic move size in scale steps (0 repeat, 1 step, 2 third, 3-4 fourth/fifth, 5-7)."""
    sad = max(0.0, -mood.valence) * (1.0 - mood.arousal)
    steps = min(0.9, lead.steps + 0.2 * sad)
    leaps = lead.leaps + 0.05 * mood.tension
    rest = max(0.05, 1.0 - steps - leaps - 0.03)
    index = dice.pick((0.03, steps, rest * 0.7, rest * 0.3, leaps))
    if index == 3:
        return 3 + dice.integer(0, 1)
    if index == 4:
        return 5 if dice.chance(0.6) else 7
    return index


# ---------------------------------------------------------------- motifs


def _normal_name(name: str) -> str:
    return name.lower().rstrip("0123456789'′ ").strip() or name.lower()


def _rhythm(
    ctx: _Context,
    dice: _Dice,
    start: int,
    end: int,
    density: float,
    *,
    final_slots: int,
    tension: float = 0.0,
) -> list[int]:
    """Durations (grid slots) filling ``start..end``: free rhythm, then a final note.

    Args:
        ctx: the cue context.
        dice: randomness.
        start: first onset, grid slots.
        end: end of the last note, grid slots.
        density: notes per beat wanted.
        final_slots: wanted length of the last note, grid slots (it takes what is left).
        tension: 0..1; raises syncopation (rhythmic irregularity).
    """
    sub = ctx.sub
    unit = ctx.unit
    units = sub // unit
    durations: list[int] = []
    position = start
    mean = max(1.0, units / max(density, 0.1))
    ratio = 1.0 - 1.0 / mean
    syncopation = min(1.0, ctx.lead.syncopation + 0.3 * tension)
    double_time = ctx.lead.double_time * (0.5 + density / max(units, 1)) if unit > 1 else 0.0
    candidates = sorted({*(unit * k for k in range(1, 2 * units + 1)), 3 * sub, 4 * sub})
    stop = end - max(unit, final_slots)
    while position < stop:
        room = stop - position
        if position % sub == 0 and room >= sub and dice.chance(double_time):
            durations.extend([1] * sub)
            position += sub
            continue
        weights: list[float] = []
        options: list[int] = []
        for length in candidates:
            if length > room:
                break
            steps = length // unit
            weight = ratio ** (steps - 1) if ratio > 0.0 else (1.0 if steps == 1 else 0.0)
            land = (position + length) % sub
            if land and not (sub % 2 == 0 and land == sub // 2):
                weight *= 0.25 + 0.3 * syncopation
            elif land:
                weight *= 0.55 + 0.45 * syncopation
            if position % sub and length > sub - position % sub:
                weight *= 0.3 + syncopation
            options.append(length)
            weights.append(weight)
        if not options or sum(weights) <= 0.0:
            durations.append(room)
            position += room
            break
        length = options[dice.pick(weights)]
        durations.append(length)
        position += length
    if end - position > 0:
        durations.append(end - position)
    return durations


def _make_motif(
    ctx: _Context, dice: _Dice, *, contrast: _Motif | None, density_scale: float
) -> _Motif:
    """A new motif; ``contrast`` is the first section's motif that this one must differ from."""
    lead = ctx.lead
    sub = ctx.sub
    mood = ctx.spec.mood
    # a motif is a little sparser than the running line, so that its rhythm has a profile
    density = 0.8 * ctx.density(mood) * density_scale
    wanted = max(3, min(10, lead.motif_notes + dice.integer(-1, 1)))
    offbeat = sub // 2 if (sub // ctx.unit) % 2 == 0 else ctx.unit
    offset = 0
    if contrast is not None:
        offset = 0 if contrast.offset else offbeat
    elif sub > 1 and dice.chance(0.3 + 0.3 * lead.syncopation):
        offset = offbeat
    unit = ctx.unit
    mean_units = max(1.0, sub / unit / max(density, 0.1))
    final_slots = unit * max(2, round(mean_units * 2))
    span = max(offset + sub, offset + unit * round((wanted - 1) * mean_units) + final_slots)
    durations = _rhythm(ctx, dice, offset, span, density, final_slots=final_slots)
    durations = durations[: max(3, wanted)]
    if len(durations) > 3 and len(set(durations[:-1])) == 1:
        durations[dice.integer(1, len(durations) - 2)] *= 2
    steps: list[int] = []
    direction = 1 if dice.chance(0.5 + 0.2 * mood.valence) else -1
    if contrast is not None and contrast.steps:
        direction = -1 if sum(contrast.steps) > 0 else 1
    for index in range(len(durations) - 1):
        size = max(1, _interval_steps(dice, lead, mood))
        if index > 0 and dice.chance(0.35):
            direction = -direction
        steps.append(direction * size)
    if steps and all(step == steps[0] for step in steps) and len(steps) > 2:
        steps[-1] = -steps[-1]
    degree = dice.pick((0.35, 0.35, 0.3))
    register_offset = 0
    if contrast is not None:
        register_offset = 4 if dice.chance(0.5 + 0.3 * mood.arousal) else -3
        if degree == contrast.degree:
            degree = (degree + 1) % 3
    return _Motif(
        durations=tuple(durations),
        steps=tuple(steps),
        degree=degree,
        register_offset=register_offset,
        offset=offset,
    )


def _vary(
    dice: _Dice, motif: _Motif, lead: LeadStyle, mood: Mood, *, keep_rhythm: bool = False
) -> _Motif:
    """A variation of ``motif``: new tail, inversion, rhythm split or merge, or fragment
    (``keep_rhythm``: no split or merge, so the opening rhythm stays recognisable)."""
    durations = list(motif.durations)
    steps = list(motif.steps)
    choice = dice.pick(
        (0.35, 0.15 + 0.2 * max(0.0, -mood.valence), 0.0 if keep_rhythm else 0.25, 0.25)
    )
    if choice == 0 and steps:
        for index in range(max(0, len(steps) - dice.integer(1, 2)), len(steps)):
            sign = 1 if dice.chance(0.5) else -1
            steps[index] = sign * max(1, _interval_steps(dice, lead, mood))
    elif choice == 1:
        steps = [-step for step in steps]
    elif choice == 2 and len(durations) >= 2:
        longest = max(range(len(durations) - 1), key=lambda i: durations[i])
        if durations[longest] >= 2:
            half = durations[longest] // 2
            durations[longest : longest + 1] = [durations[longest] - half, half]
            steps.insert(longest, 1 if dice.chance(0.5) else -1)
        elif len(durations) > 3:
            durations[0:2] = [durations[0] + durations[1]]
            steps[0:2] = [steps[0] + steps[1]]
    elif len(durations) > 3:
        keep = max(3, (len(durations) + 1) // 2 + 1)
        durations = durations[:keep]
        steps = steps[: keep - 1]
    return _Motif(
        durations=tuple(durations),
        steps=tuple(steps),
        degree=motif.degree,
        register_offset=motif.register_offset,
        offset=motif.offset,
    )


# ---------------------------------------------------------------- phrase plan


def _final_start(ctx: _Context) -> int:
    """Grid slot where the cue's final note starts."""
    end = ctx.end_tick
    last = ctx.harmonies[-1].start_tick if ctx.harmonies else end - ctx.bar_ticks
    earliest = end - 2 * ctx.bar_ticks
    latest = end - ctx.pulse
    start = min(max(last, earliest, 0), max(latest, 0))
    return start // ctx.slot_ticks


def _plan_phrases(ctx: _Context, dice: _Dice, motifs: dict[str, _Motif]) -> list[_Phrase]:
    """Phrases and breaths over the cue's sections, the last phrase ending in the final note."""
    lead = ctx.lead
    sub = ctx.sub
    spec = ctx.spec
    final_start = _final_start(ctx)
    final_end = ctx.total_slots
    sections = sorted(spec.sections, key=lambda section: section.start_bar) or []
    regions: list[tuple[int, int, str]] = []
    for section in sections:
        start = section.start_bar * ctx.bar_slots
        end = (section.start_bar + section.bars) * ctx.bar_slots
        regions.append((start, min(end, final_start), _normal_name(section.name)))
    if not regions:
        regions.append((0, final_start, "a"))
    first_key = next((name for _, _, name in regions if name in motifs), "a")
    phrases: list[_Phrase] = []
    unit = ctx.unit
    min_breath = unit * max(1, math.ceil(0.75 * sub / unit))
    cursor = 0
    heard: set[str] = set()
    for region_start, region_end, name in regions:
        if name == "intro" or region_end <= region_start:
            continue
        key = name if name in motifs else first_key
        heard_before = key in heard
        heard.add(key)
        cursor = max(cursor, region_start)
        if phrases and cursor - phrases[-1].end < min_breath:
            cursor = phrases[-1].end + min_breath
        index = 0
        while cursor < region_end:
            mood = ctx.mood_at_slot(cursor)
            motif = motifs[key]
            start = math.ceil(cursor / sub) * sub + motif.offset if index == 0 else cursor
            median_slots = lead.phrase_bars * ctx.bar_slots * (1.0 + 0.15 * (mood.arousal - 0.5))
            length = median_slots * math.exp(0.45 * dice.normal())
            interrupted = dice.chance(0.3 * mood.tension * mood.tension)
            if interrupted:
                length *= 0.5
            length = max(2.0 * sub, min(length, 4.0 * ctx.bar_slots))
            end = start + unit * round(length / unit)
            breath_slots = lead.breath_beats * sub * math.exp(0.4 * dice.normal())
            breath = max(min_breath, unit * round(breath_slots / unit))
            if end + breath + 2 * sub > region_end:
                end = region_end - (0 if region_end >= final_start else breath)
            if end - start < max(2, sub):
                break
            phrases.append(
                _Phrase(
                    start=start,
                    end=end,
                    motif_key=key,
                    index=index,
                    final=False,
                    interrupted=interrupted,
                    heard_before=heard_before,
                )
            )
            index += 1
            cursor = end + breath
    final_key = phrases[-1].motif_key if phrases else first_key
    if phrases and phrases[-1].end >= final_start - min_breath:
        last = phrases.pop()
        phrases.append(
            _Phrase(
                start=last.start,
                end=final_end,
                motif_key=last.motif_key,
                index=last.index,
                final=True,
                interrupted=False,
            )
        )
    else:
        phrases.append(
            _Phrase(
                start=final_start,
                end=final_end,
                motif_key=final_key,
                index=0,
                final=True,
                interrupted=False,
            )
        )
    return phrases


# ---------------------------------------------------------------- phrase composition


def _contour(dice: _Dice, mood: Mood, *, question: bool) -> tuple[int, float]:
    """A phrase shape (0 arch, 1 rise, 2 fall, 3 valley) and its amplitude scale."""
    tilt = 0.15 * mood.valence
    weights = [0.4, 0.2 + tilt + (0.1 if question else 0.0), 0.25 - tilt, 0.15]
    if not question:
        weights[2] += 0.1
    shape = dice.pick([max(0.02, weight) for weight in weights])
    return shape, 0.6 + 0.6 * mood.arousal


def _shape_value(shape: int, x: float) -> float:
    """Height of a phrase shape at phrase position ``x`` (0..1), -1..1."""
    if shape == 0:
        return 2.0 * math.sin(math.pi * x) - 1.0
    if shape == 1:
        return 2.0 * x - 1.0
    if shape == 2:
        return 1.0 - 2.0 * x
    return 1.0 - 2.0 * math.sin(math.pi * x)


def _phrase_centre(ctx: _Context, mood: Mood, motif: _Motif) -> float:
    span = ctx.span
    centre = ctx.centre + span * (0.2 * (mood.arousal - 0.5) + 0.06 * mood.tension)
    centre += span * 0.04 * mood.valence + motif.register_offset
    return min(max(centre, ctx.soft_low + 3), ctx.soft_high - 3)


def _compose_phrase(
    ctx: _Context,
    dice: _Dice,
    phrase: _Phrase,
    motif: _Motif,
    previous_pitch: int | None,
    riffs: dict[str, tuple[int, ...]],
) -> list[_Tone]:
    """The notes of one phrase: rhythm, then pitches.

    ``riffs`` maps a motif key to the semitone intervals of its first plain statement; a later
    plain statement repeats them exactly with the player's riff chance (``lead.riff``), else it
    follows the chord's scale. Updated in place."""
    lead = ctx.lead
    sub = ctx.sub
    mood = ctx.mood_at_slot(phrase.start)
    tension = mood.tension
    question = phrase.index % 2 == 0 and not phrase.final
    # ------------------------------------------------ rhythm: motif (+ sequence) + free
    rhythm_end = _final_start(ctx) if phrase.final else phrase.end
    durations: list[int] = []
    motif_steps: list[int | None] = []
    use_motif = phrase.index == 0 or dice.chance(lead.motif_repeat)
    if use_motif:
        instance = motif
        plain = True
        if (phrase.index > 0 or phrase.heard_before) and dice.chance(lead.motif_vary):
            # a returning section's opening keeps the motif's rhythm (its identity)
            instance = _vary(dice, motif, lead, mood, keep_rhythm=phrase.index == 0)
            plain = False
        pieces = [instance]
        if dice.chance(lead.sequence):
            pieces.append(instance)
            if dice.chance(0.3):
                pieces.append(instance)
        shift = (-2, -1, 1, 2)[dice.pick((0.2, 0.35, 0.3, 0.15))]
        room = rhythm_end - phrase.start
        for number, piece in enumerate(pieces):
            if sum(durations) + sum(piece.durations) > room:
                if number == 0:
                    for duration in piece.durations:
                        if sum(durations) + duration > room:
                            break
                        durations.append(duration)
                    motif_steps.extend(piece.steps[: max(0, len(durations) - 1)])
                break
            if durations:
                motif_steps.append(None)
            motif_steps.extend(piece.steps)
            durations.extend(piece.durations)
        del motif_steps[max(0, len(durations) - 1) :]
    else:
        shift = 0
        plain = False
    motif_count = len(durations)
    riff = riffs.get(phrase.motif_key, ()) if plain and dice.chance(lead.riff) else ()
    # tension: a motif's sequence climbs (or sinks) by semitones, off the scale
    chromatic_sequence = None in motif_steps and dice.chance(1.2 * _tense(tension))
    semitone = 1 if dice.chance(0.7) else -1
    position = phrase.start + sum(durations)
    density = ctx.density(mood)
    mean_units = max(1.0, sub / ctx.unit / max(density, 0.1))
    if phrase.final or phrase.interrupted:
        final_slots = ctx.unit
    else:
        final_slots = ctx.unit * max(2, round(mean_units * (1.5 + 1.5 * dice.random())))
    if position < rhythm_end:
        durations.extend(
            _rhythm(
                ctx, dice, position, rhythm_end, density, final_slots=final_slots, tension=tension
            )
        )
    if phrase.final:
        durations.append(ctx.total_slots - rhythm_end)
    durations = [d for d in durations if d > 0]
    tones: list[_Tone] = []
    slot = phrase.start
    for duration in durations:
        tones.append(_Tone(slot, duration, strong=ctx.is_strong(slot)))
        slot += duration
    if not tones:
        return tones
    tones[0].first = True
    tones[-1].last = True
    # ------------------------------------------------ pitches
    shape, amplitude = _contour(dice, mood, question=question)
    centre = _phrase_centre(ctx, mood, motif)
    half_span = min(centre - ctx.soft_low, ctx.soft_high - centre) * amplitude * 0.8
    count = len(tones)
    span_slots = max(1, tones[-1].slot - tones[0].slot)

    def target(tone: _Tone) -> float:
        return centre + half_span * _shape_value(shape, (tone.slot - phrase.start) / span_slots)

    harmony = ctx.harmony_at(tones[0].slot * ctx.slot_ticks)
    near = target(tones[0])
    if previous_pitch is not None and phrase.index > 0:
        near = 0.35 * near + 0.65 * (previous_pitch + dice.integer(-4, 4))
    if use_motif:
        pitch = _tone_of_degree(harmony, motif.degree, near)
    elif tones[0].strong:
        pitch = _strong_pitch(dice, round(near), harmony, 0, 0.5 + 0.5 * lead.strong_chord_tone)
    else:
        pitch = _nearest(round(near), harmony.scale)
    while pitch > ctx.soft_high + 2:
        pitch -= 12
    while pitch < ctx.soft_low - 2:
        pitch += 12
    if count == 1 and phrase.final:
        pitch = _phrase_end_pitch(ctx, dice, phrase, harmony, previous_pitch or pitch, question)
    tones[0].pitch = pitch
    # transpose a motif opening by an octave when it would leave the comfortable range
    if motif_steps:
        trial = pitch
        highest = lowest = pitch
        for number, step in enumerate(motif_steps):
            scale = ctx.harmony_at(tones[number + 1].slot * ctx.slot_ticks).scale
            trial = _step(pitch, shift, scale) if step is None else _step(trial, step, scale)
            highest, lowest = max(highest, trial), min(lowest, trial)
        if highest > ctx.soft_high + 2 and lowest - 12 >= ctx.soft_low - 2:
            tones[0].pitch = pitch = pitch - 12
        elif lowest < ctx.soft_low - 2 and highest + 12 <= ctx.soft_high + 2:
            tones[0].pitch = pitch = pitch + 12
    direction = 1 if target(tones[min(1, count - 1)]) >= pitch else -1
    last_interval = 0
    index = 1
    piece_number = position = 0
    first_piece = [tones[0].pitch]
    while index < count:
        tone = tones[index]
        tick = tone.slot * ctx.slot_ticks
        harmony = ctx.harmony_at(tick)
        note_mood = ctx.mood_at_slot(tone.slot)
        previous = tones[index - 1].pitch
        if index < motif_count:
            step = motif_steps[index - 1] if index - 1 < len(motif_steps) else None
            if step is None:
                piece_number, position = piece_number + 1, 0
            else:
                position += 1
            transposed = (
                first_piece[position] + piece_number * semitone
                if chromatic_sequence and piece_number > 0 and position < len(first_piece)
                else None
            )
            riffed = (
                previous + riff[position - 1]
                if piece_number == 0 and 0 < position <= len(riff)
                else None
            )
            if transposed is not None and ctx.soft_low - 2 <= transposed <= ctx.soft_high + 2:
                pitch = transposed
            elif riffed is not None and ctx.soft_low - 2 <= riffed <= ctx.soft_high + 2:
                pitch = riffed  # the riff again, note for note
            elif step is None:
                pitch = _step(tones[0].pitch, shift, harmony.scale)
            else:
                pitch = _step(previous, step, harmony.scale)
                if not ctx.soft_low - 2 <= pitch <= ctx.soft_high + 2:
                    pitch = _step(previous, -step, harmony.scale)  # mirrored at the range's edge
            if piece_number == 0:
                first_piece.append(pitch)
            tone.pitch = pitch
            last_interval = pitch - previous
            direction = 1 if last_interval > 0 else -1 if last_interval < 0 else direction
            index += 1
            continue
        # free material
        if tone.last:
            tone.pitch = _phrase_end_pitch(ctx, dice, phrase, harmony, previous, question)
            last_interval = tone.pitch - previous
            index += 1
            continue
        next_strong = index + 1 < count and tones[index + 1].strong and not tones[index + 1].last
        # tension: chromatic lines, approaches and enclosures grow from a low base (calm lines
        # are diatonic), strong beats and long notes leave the chord tones
        factor = chromatic_factor(note_mood.tension)
        floor = chromatic_floor(note_mood.tension)
        approach_p = min(0.85, max(lead.approach * factor, floor))
        chromatic = min(0.9, max(lead.chromatic * factor, floor))
        enclosure = min(0.4, lead.enclosure * factor)
        calm = _calm(note_mood.tension)
        chord_tone = _strong_chord_tone(lead.strong_chord_tone, note_mood.tension)
        if next_strong and dice.chance(approach_p + enclosure):
            next_harmony = ctx.harmony_at(tones[index + 1].slot * ctx.slot_ticks)
            goal_dir = _direction(ctx, dice, previous, direction, last_interval, target(tone))
            distance = dice.integer(2, 3)
            probe = _step(previous, goal_dir * distance, next_harmony.scale)
            if not ctx.soft_low <= probe <= ctx.soft_high:
                goal_dir = -goal_dir
                probe = _step(previous, goal_dir * distance, next_harmony.scale)
            goal = _strong_pitch(
                dice,
                probe,
                next_harmony,
                goal_dir,
                min(1.0, chord_tone + 0.2),
                _anchor_chance(note_mood.valence),
            )
            enclose = (
                dice.chance(enclosure / max(approach_p + enclosure, 1e-9))
                and index >= 2
                and not tones[index - 1].strong
                and index - 1 >= motif_count
            )
            if enclose:
                above = _step(goal, 1, next_harmony.scale)
                tones[index - 1].pitch = above
                tone.pitch = goal - 1
            else:
                tone.pitch = goal - goal_dir if goal_dir else goal - 1
            tones[index + 1].pitch = goal
            last_interval = goal - tone.pitch
            direction = 1 if last_interval > 0 else -1
            index += 2
            continue
        run = tone.slots < ctx.unit and index > 0 and tones[index - 1].slots < ctx.unit
        for attempt in (0, 1):
            if run and dice.chance(_RUN_STEPS):
                # double time inside a run: scale steps on in the same direction
                direction = -direction if not ctx.soft_low < previous < ctx.soft_high else direction
                size = 1
            else:
                direction = _direction(ctx, dice, previous, direction, last_interval, target(tone))
                size = _interval_steps(dice, lead, note_mood)
            if size == 1 and not tone.strong and dice.chance(chromatic):
                pitch = previous + direction
            else:
                pitch = previous if size == 0 else _step(previous, direction * size, harmony.scale)
            if attempt or tone.strong or dice.chance(ctx.habits[pitch % 12]):
                break  # the player's habits: a seldom-played pitch class is drawn again once
        if not ctx.soft_low - 2 <= pitch <= ctx.soft_high + 2:
            pitch = _step(previous, -direction * max(size, 1), harmony.scale)
        if tone.strong:
            pitch = _strong_pitch(
                dice, pitch, harmony, direction, chord_tone, _anchor_chance(note_mood.valence)
            )
            if pitch % 12 not in harmony.tone_pcs and dice.chance(_tense(note_mood.tension)):
                # a chromatic appoggiatura: a semitone above or below a chord tone
                pitch = _nearest(pitch, harmony.tones, direction) + (1 if dice.chance(0.6) else -1)
        elif pitch % 12 in ctx.blue_pcs and dice.chance(_blue_chance(lead.blue_notes, note_mood)):
            pitch -= 1
            tone.blue = True
        elif (tone.slots >= ctx.sub or tone.slot % ctx.sub == 0) and dice.chance(0.8 * calm):
            # calm: a note on the beat or of a beat or more rests on a chord tone
            pitch = _nearest(pitch, harmony.tones, direction)
            if harmony.anchors and dice.chance(_anchor_chance(note_mood.valence)):
                pitch = _nearest(pitch, harmony.anchors, direction)
        while pitch > ctx.soft_high + 2:
            pitch = _step(pitch, -1, harmony.scale)
        while pitch < ctx.soft_low - 2:
            pitch = _step(pitch, 1, harmony.scale)
        tone.pitch = pitch
        last_interval = pitch - previous
        if last_interval:
            direction = 1 if last_interval > 0 else -1
        index += 1
    if plain and phrase.motif_key not in riffs and len(first_piece) > 1:
        riffs[phrase.motif_key] = tuple(
            b - a for a, b in zip(first_piece, first_piece[1:], strict=False)
        )
    return tones


#: Tension at which the style's chromatic probabilities hold as written (a scene of ordinary
#: tension; the lead idioms are calibrated on real solos there).
CHROMATIC_REFERENCE_TENSION = 0.3


def chromatic_factor(tension: float) -> float:
    """How tension scales the lead's chromatic probabilities (approach notes, chromatic passing
    tones, enclosures, blue notes): the style's values hold at
    :data:`CHROMATIC_REFERENCE_TENSION`; 0.05 of them at tension 0 (calm lines stay in the key),
    twice them at tension 1; linear in between."""
    tension = min(max(tension, 0.0), 1.0)
    reference = CHROMATIC_REFERENCE_TENSION
    if tension <= reference:
        return 0.05 + 0.95 * tension / reference
    return 1.0 + (tension - reference) / (1.0 - reference)


def chromatic_floor(tension: float) -> float:
    """The least chance of approach notes and chromatic passing tones in a tense bar, whatever
    the style's values: 0 up to tension 0.5, 0.35 at tension 1 (every player gets chromatic
    when the scene is tense)."""
    return 0.35 * min(max((tension - 0.5) / 0.5, 0.0), 1.0)


def _calm(tension: float) -> float:
    """0..1: how calm a note is (1 at tension 0.05 and below, 0 from 0.3)."""
    return min(max((0.3 - tension) / 0.25, 0.0), 1.0)


def _tense(tension: float) -> float:
    """0..1: how tense a note is (0 up to tension 0.55, 0.6 at 1)."""
    return 0.6 * min(max((tension - 0.55) / 0.45, 0.0), 1.0)


def _strong_chord_tone(base: float, tension: float) -> float:
    """Chance that a free strong-beat note is a chord tone: nearly always when calm, the
    style's value at ordinary tension (0.3), half of it at tension 1."""
    calm = _calm(tension)
    chance = base + (1.0 - base) * 0.6 * calm
    return chance * (1.0 - 0.5 * max(0.0, tension - 0.3) / 0.7)


def _blue_chance(blue_notes: float, mood: Mood) -> float:
    """The style's blue-note chance scaled by tension, and fading out as valence rises."""
    brightness = min(max(1.2 - mood.valence, 0.0), 1.0)
    return min(0.9, blue_notes * chromatic_factor(mood.tension) * brightness)


def _anchor_chance(valence: float) -> float:
    """Chance that a chord tone is taken among those of the key's tonic triad: clear moods
    (bright or sad) lean on the key's 1-3-5, ambivalent ones do not (0 up to |valence| 0.15,
    0.85 from 0.75)."""
    return 0.85 * min(max((abs(valence) - 0.15) / 0.6, 0.0), 1.0)


def _strong_pitch(
    dice: _Dice,
    pitch: int,
    harmony: _Harmony,
    direction: int,
    chord_tone: float,
    anchor: float = 0.0,
) -> int:
    """A strong-beat note: a chord tone with probability ``chord_tone`` (one of the key's tonic
    triad with probability ``anchor`` when the chord has one), else a tension (a scale tone that
    is not a chord tone), each the nearest to ``pitch``."""
    if dice.chance(chord_tone):
        if harmony.anchors and dice.chance(anchor):
            return _nearest(pitch, harmony.anchors, direction)
        return _nearest(pitch, harmony.tones, direction)
    if pitch % 12 not in harmony.tone_pcs:
        return pitch
    up = _step(pitch, 1, harmony.scale)
    down = _step(pitch, -1, harmony.scale)
    options = [
        p for p in ((up, down) if direction >= 0 else (down, up)) if p % 12 not in harmony.tone_pcs
    ]
    return options[0] if options else pitch


def _direction(
    ctx: _Context,
    dice: _Dice,
    pitch: int,
    direction: int,
    last_interval: int,
    goal: float,
) -> int:
    """Next melodic direction (+1 up, -1 down): momentum, pull to the contour, range walls."""
    if pitch >= ctx.soft_high:
        return -1
    if pitch <= ctx.soft_low:
        return 1
    if abs(last_interval) >= 5:
        up = 0.2 if last_interval > 0 else 0.8
    else:
        up = 0.5 + ctx.momentum * direction + max(-0.35, min(0.35, (goal - pitch) / 10.0))
    return 1 if dice.chance(min(max(up, 0.05), 0.95)) else -1


def _phrase_end_pitch(
    ctx: _Context,
    dice: _Dice,
    phrase: _Phrase,
    harmony: _Harmony,
    previous: int,
    question: bool,
) -> int:
    """Last note of a phrase: the tonic (final note) or mostly the root (answers); a 3rd, 5th or
    7th, sometimes a tension, for questions."""
    tonic_pc = ctx.spec.key.tonic_pc
    if phrase.final:
        pcs = [tonic_pc] if tonic_pc in harmony.tone_pcs else [harmony.root_pc]
    elif question and dice.chance(
        min(
            0.9,
            0.5
            * (1.0 - ctx.lead.strong_chord_tone)
            * chromatic_factor(ctx.mood_at_slot(phrase.end - 1).tension),
        )
    ):
        # jazz questions often stop on a tension (9th, 13th)
        pcs = [pc for pc in {p % 12 for p in harmony.scale} if pc not in harmony.tone_pcs]
        pcs = pcs or [harmony.root_pc]
    elif question:
        pcs = [pc for pc in harmony.tone_pcs if pc != harmony.root_pc] or [harmony.root_pc]
    else:
        pcs = [harmony.root_pc] if dice.chance(0.7) else sorted(harmony.tone_pcs)
    if (
        not phrase.final
        and harmony.anchors
        and dice.chance(_anchor_chance(ctx.mood_at_slot(phrase.end - 1).valence))
    ):
        anchored = sorted({p % 12 for p in harmony.anchors})
        if not question or len(anchored) > 1:
            pcs = [pc for pc in anchored if not question or pc != harmony.root_pc] or anchored
    candidates = tuple(
        p for p in harmony.scale if p % 12 in pcs and ctx.soft_low - 2 <= p <= ctx.soft_high + 2
    )
    if not candidates:
        return _nearest(previous, harmony.tones)
    near = previous - (1 if not question else -1)
    return min(candidates, key=lambda p: (abs(p - near), p))


# ---------------------------------------------------------------- performance


def swing_tick(tick: int, ratio: float) -> int:
    """A straight tick moved to its swung place: eighth off-beats late (by the long-to-short
    ``ratio`` >= 1, see :func:`swing_ratio`), sixteenths proportionally between; beats stay."""
    quarter = TICKS_PER_QUARTER
    within = tick % quarter
    if within == 0 or ratio <= 1.0:
        return tick
    base = tick - within
    swung = round(quarter * ratio / (1.0 + ratio))
    half = quarter // 2
    if within == half:
        return base + swung
    if within < half:
        return base + round(within * swung / half)
    return base + swung + round((within - half) * (quarter - swung) / half)


def _perform(ctx: _Context, dice: _Dice, phrases: list[list[_Tone]]) -> list[_Tone]:
    """Ticks, lengths and velocities of all tones."""
    lead = ctx.lead
    spec = ctx.spec
    swing = lead.swing and spec.meter.denominator in (2, 4) and ctx.slot_ticks < TICKS_PER_QUARTER
    ratio = swing_ratio(ctx.quarter_bpm, ctx.swing_amount) if swing else 1.0
    lay_back = round(lead.lay_back_ms / 1000.0 * ctx.ticks_per_second)
    lay_back = min(lay_back, ctx.slot_ticks // 4)
    release_cap = ctx.pulse // 4
    result: list[_Tone] = []
    for tones in phrases:
        if not tones:
            continue
        peak = max(range(len(tones)), key=lambda i: (tones[i].pitch, -i))
        phrase_start = tones[0].slot
        phrase_span = max(1, tones[-1].slot + tones[-1].slots - phrase_start)
        for index, tone in enumerate(tones):
            start = tone.slot * ctx.slot_ticks
            end = (tone.slot + tone.slots) * ctx.slot_ticks
            start_swung = swing_tick(start, ratio) if swing else start
            end_swung = swing_tick(end, ratio) if swing else end
            if start_swung > 0:
                start_swung += lay_back
            if end_swung < ctx.end_tick:
                end_swung += lay_back
            gap = max(1, end_swung - start_swung)
            if tone.last:
                sounding = gap if end_swung >= ctx.end_tick else gap - min(gap // 10, 30)
                if tone.last and not lead.final_hold and end_swung >= ctx.end_tick:
                    sounding = min(gap, max(ctx.slot_ticks, ctx.pulse // 2))
            elif gap <= ctx.pulse and dice.chance(lead.staccato):
                sounding = max(1, gap // 2)
            else:
                sounding = gap - min(round(gap * (1.0 - lead.legato)), release_cap)
            tone.start = start_swung
            tone.end = start_swung + max(1, sounding)
            mood = ctx.mood_at_slot(tone.slot)
            x = (tone.slot - phrase_start) / phrase_span
            velocity = lead.velocity + 44.0 * (mood.arousal - 0.5)
            velocity += 7.0 * math.sin(math.pi * x) - 3.0
            velocity += (2.0 + 10.0 * mood.tension) * (dice.random() - 0.5)
            if tone.strong:
                velocity += 8.0 * lead.accent
            if index == peak:
                velocity += 12.0 * lead.accent
                tone.accent = True
            off_beat = tone.slot % ctx.sub != 0
            if off_beat and dice.chance(lead.offbeat_accent):
                velocity += 14.0 * lead.accent
                tone.accent = True
            elif (
                off_beat
                and not tone.first
                and not tone.last
                and index != peak
                and 0 < index < len(tones) - 1
                and tone.pitch < tones[index - 1].pitch
                and tone.pitch < tones[index + 1].pitch
                and dice.chance(lead.ghost)
            ):
                velocity -= 28.0
            tone.velocity = int(min(max(round(velocity), 12), 127))
            result.append(tone)
    return result


#: Shortest triplet eighth played, seconds.
_SHORTEST_TRIPLET_SECONDS = 0.07


def _add_triplets(ctx: _Context, dice: _Dice, tones: list[_Tone]) -> list[_Tone]:
    """Triplet turns: some beats played as an on-beat and an off-beat eighth become an eighth
    triplet (``lead.triplets``). The two notes keep their pitches; the note added between them
    passes from one to the other (a scale step towards the second; when they are a whole tone
    apart, the semitone between -- more often as tension rises -- or a turn away) or turns
    around the first (a scale step above when they are a step or less apart), a little softer."""
    lead = ctx.lead
    third = ctx.pulse // 3
    if (
        lead.triplets <= 0.0
        or ctx.pulse % 3
        or ctx.sub % 2
        or third / ctx.ticks_per_second < _SHORTEST_TRIPLET_SECONDS
    ):
        return tones
    half = ctx.sub // 2
    result: list[_Tone] = []
    for index, tone in enumerate(tones):
        result.append(tone)
        following = tones[index + 1] if index + 1 < len(tones) else None
        if (
            following is None
            or tone.slot % ctx.sub
            or tone.slots != half
            or following.slot != tone.slot + half
            or following.slots > ctx.sub
            or tone.last
            or tone.locked
            or following.locked
            or not dice.chance(lead.triplets)
        ):
            continue
        lay_back = tone.start - tone.slot * ctx.slot_ticks
        beat_tick = tone.slot * ctx.slot_ticks
        scale = ctx.harmony_at(beat_tick).scale
        distance = following.pitch - tone.pitch
        tension = ctx.mood_at_slot(tone.slot).tension
        if abs(distance) == 2 and dice.chance(min(1.0, 0.5 * chromatic_factor(tension))):
            pitch = tone.pitch + distance // 2  # chromatic passing, more of it as tension rises
        elif abs(distance) == 2:
            pitch = _step(tone.pitch, -1 if distance > 0 else 1, scale)  # turn below (above)
        elif abs(distance) >= 3:
            pitch = _step(tone.pitch, 1 if distance > 0 else -1, scale)
        else:
            pitch = _step(tone.pitch, 1 if distance <= 0 else -1, scale)
        added = _Tone(tone.slot, 0, strong=False)
        added.pitch = pitch
        added.start = beat_tick + third + lay_back
        added.end = added.start + max(1, third - third // 8)
        added.velocity = max(12, min(tone.velocity, following.velocity) - 6)
        tone.end = min(tone.end, added.start)
        length = following.end - following.start
        following.start = beat_tick + 2 * third + lay_back
        following.end = following.start + length  # an overlap with the next note is cleaned
        result.append(added)
    return result


def _add_grace_notes(ctx: _Context, dice: _Dice, tones: list[_Tone]) -> list[_Tone]:
    """Short grace notes (a step or a semitone below) before some strong-beat notes; the grace
    takes its time from the note before, which must keep at least half its length."""
    lead = ctx.lead
    if lead.grace <= 0.0:
        return tones
    grace_ticks = max(8, min(ctx.slot_ticks // 3, round(0.07 * ctx.ticks_per_second)))
    result: list[_Tone] = []
    for index, tone in enumerate(tones):
        previous = result[-1] if result else None
        if (
            index > 0
            and tone.strong
            and previous is not None
            and dice.chance(lead.grace)
            and tone.start - grace_ticks > previous.start + 2 * grace_ticks
        ):
            previous.end = min(previous.end, tone.start - grace_ticks)
            grace = _Tone(tone.slot, 0, strong=False)
            grace.start, grace.end = tone.start - grace_ticks, tone.start
            grace.pitch = tone.pitch - (1 if dice.chance(0.6) else 2)
            grace.velocity = max(12, tone.velocity - 14)
            result.append(grace)
        result.append(tone)
    return result


def _land_hits(ctx: _Context, tones: list[_Tone]) -> list[_Tone]:
    """Make sure a strong, accented note starts exactly on every hit tick.

    A note starting on the hit, or a little after it (laid back, or a sliver of a slot), is
    accented and put on it; a note sounding across the hit is split there; in a rest a chord
    tone is added.
    """
    if not ctx.spec.hits:
        return tones
    tones = sorted(tones, key=lambda tone: tone.start)
    accent = int(18 + 16 * ctx.lead.accent)
    window = ctx.slot_ticks // 2

    def stress(tone: _Tone) -> None:
        tone.velocity = min(127, max(tone.velocity, ctx.lead.velocity) + accent)
        tone.locked = tone.accent = True

    for hit in ctx.spec.hits:
        tick = hit.tick
        if not 0 <= tick < ctx.end_tick:
            continue
        starts = [tone.start for tone in tones]
        index = bisect_left(starts, tick)  # the first note starting at or after the hit
        previous = tones[index - 1] if index > 0 else None
        following = tones[index] if index < len(tones) else None
        if following is not None and following.start - tick <= window:
            following.start = tick
            if previous is not None:
                previous.end = min(previous.end, tick)
            stress(following)
            continue
        if previous is not None and previous.end > tick and tick - previous.start < window:
            previous.start = tick  # nudge the note onto the hit rather than leave a sliver
            stress(previous)
            continue
        next_start = following.start if following is not None else ctx.end_tick
        if previous is not None and previous.end > tick:
            end = max(previous.end, min(tick + ctx.pulse // 2, next_start))
            previous.end = tick
        else:
            end = min(next_start, tick + ctx.pulse, ctx.end_tick)
        near = previous.pitch if previous is not None else round(ctx.centre)
        new = _Tone(tick // ctx.slot_ticks, 1, strong=True)
        new.start, new.end = tick, max(end, tick + 1)
        new.pitch = _nearest(near + 2, ctx.harmony_at(tick).tones, 1)
        new.first = True
        stress(new)
        tones.insert(index, new)
    return tones


def _clean(ctx: _Context, tones: list[_Tone]) -> list[_Tone]:
    """Sort, keep inside the cue and the range, and make the line strictly monophonic."""
    tones = sorted(tones, key=lambda tone: (tone.start, -tone.locked))
    kept: list[_Tone] = []
    for tone in tones:
        if tone.start >= ctx.end_tick or tone.start < 0:
            continue
        if kept and kept[-1].start == tone.start:
            continue
        if kept and kept[-1].end > tone.start:
            kept[-1].end = tone.start
        tone.end = min(tone.end, ctx.end_tick)
        while tone.pitch > ctx.high:
            tone.pitch -= 12
        while tone.pitch < ctx.low:
            tone.pitch += 12
        kept.append(tone)
    return [tone for tone in kept if tone.end > tone.start]


def _bends(ctx: _Context, dice: _Dice, tones: list[_Tone]) -> list[PitchBend]:
    """Scoops, falls and vibrato; every gesture returns to 0 before the next note starts."""
    lead = ctx.lead
    if not (lead.scoop or lead.fall or lead.vibrato or lead.blue_notes) and all(
        mood.valence >= 0.0 for mood in (ctx.spec.mood, *ctx.spec.bar_moods)
    ):
        return []
    per_semitone = _BEND_MAX / BEND_RANGE_SEMITONES
    tps = ctx.ticks_per_second
    events: dict[int, int] = {}
    for index, tone in enumerate(tones):
        next_start = tones[index + 1].start if index + 1 < len(tones) else ctx.end_tick + 1
        length = tone.end - tone.start
        seconds = length / tps
        limit = min(tone.end, next_start - 1)  # this note's gestures end here, back at 0
        bent = False
        mood = ctx.mood_at_slot(tone.slot)
        sad = max(0.0, -mood.valence) * (1.0 - mood.arousal)
        scoop = min(1.0, lead.scoop + 0.25 * sad)
        if (tone.blue or ((tone.first or seconds > 0.45) and dice.chance(scoop))) and (
            length >= 16
        ):
            depth = -per_semitone * (0.5 if tone.blue else 0.8)
            ramp = max(4, min(round(0.09 * tps), length // 3))
            for step in range(4):
                events[tone.start + step * ramp // 4] = round(depth * (1.0 - step / 4.0))
            events[tone.start + ramp] = 0
            bent = True
        if (
            tone.last
            and index != len(tones) - 1
            and next_start - tone.end >= 2
            and dice.chance(lead.fall)
        ):
            fall = max(8, min(round(0.22 * tps), length // 2))
            begin = tone.end - fall
            if begin > tone.start + (round(0.09 * tps) if bent else 0):
                for step in range(1, 6):
                    events[begin + step * fall // 6] = round(-_BEND_MAX * (step / 6.0) ** 1.6)
                events[tone.end + 1] = 0
                continue
        if seconds >= 0.5 and dice.chance(min(1.0, lead.vibrato + 0.3 * sad)):
            onset = tone.start + max(round(length * 0.35), round(0.15 * tps))
            if bent:
                onset = max(onset, tone.start + round(0.1 * tps) + 2)
            stop = limit - 1
            increment = max(2, round(tps / (_VIBRATO_HZ * 8)))
            depth = per_semitone * _VIBRATO_CENTS / 100.0
            tick = onset
            ramp = max(1, round(0.3 * tps))
            while tick < stop:
                phase = 2.0 * math.pi * _VIBRATO_HZ * (tick - onset) / tps
                scale = min(1.0, (tick - onset) / ramp)
                events[tick] = round(depth * scale * math.sin(phase))
                tick += increment
            events[limit] = 0
    ordered = sorted((tick, value) for tick, value in events.items() if 0 <= tick <= ctx.end_tick)
    return [
        PitchBend(tick=tick, value=max(-8192, min(_BEND_MAX, value))) for tick, value in ordered
    ]


# ---------------------------------------------------------------- entry point


def compose_lead(
    spec: CueSpec,
    style: Style,
    chords: Sequence[ChordSymbol],
    *,
    rng: np.random.Generator,
) -> Part:
    """Compose the saxophone lead of a cue.

    Args:
        spec: the cue (key, meter, tempo, bars, sections, hits, per-bar moods, saxophone).
        style: the cue's style; its ``lead`` table sets the idioms.
        chords: the cue's chord symbols (sorted or not); an empty sequence means the tonic chord.
        rng: the cue's random generator (the only source of randomness).

    Returns:
        The lead part: role ``LEAD``, GM program of the saxophone, notes sorted, non-overlapping,
        inside ``0..spec.end_tick`` and inside the saxophone's concert range; pitch bends (range
        :data:`BEND_RANGE_SEMITONES`) for scoops, falls and vibrato.
    """
    dice = _Dice(rng)
    quarter_bpm = spec.tempo_bpm * spec.meter.pulse_ticks / TICKS_PER_QUARTER
    player = _player_of_the_day(style.lead, dice, quarter_bpm)
    ctx = _Context(spec, player, chords, band_swing=style.swing)
    if spec.end_tick <= 0 or ctx.total_slots <= 0:
        return _part(spec, (), ())
    motifs: dict[str, _Motif] = {}
    first: _Motif | None = None
    for section in sorted(spec.sections, key=lambda item: item.start_bar):
        name = _normal_name(section.name)
        if name in motifs or name in ("intro", "ending"):
            continue
        scale = 1.0
        if first is not None:
            busy = sum(first.durations[:-1]) <= 1.3 * ctx.sub / 2.0 * max(
                1, len(first.durations) - 1
            )
            scale = 0.65 if busy or dice.chance(0.5) else 1.4
        motifs[name] = _make_motif(ctx, dice, contrast=first, density_scale=scale)
        first = first or motifs[name]
    if first is None:
        first = _make_motif(ctx, dice, contrast=None, density_scale=1.0)
    motifs.setdefault("a", first)
    plan = _plan_phrases(ctx, dice, motifs)
    composed: list[list[_Tone]] = []
    previous: int | None = None
    riffs: dict[str, tuple[int, ...]] = {}
    for phrase in plan:
        tones = _compose_phrase(
            ctx, dice, phrase, motifs.get(phrase.motif_key, first), previous, riffs
        )
        if tones:
            previous = tones[-1].pitch
            composed.append(tones)
    performed = _perform(ctx, dice, composed)
    performed = _add_triplets(ctx, dice, performed)
    performed = _add_grace_notes(ctx, dice, performed)
    performed = _land_hits(ctx, performed)
    cleaned = _clean(ctx, performed)
    notes = tuple(
        Note(
            start_tick=tone.start,
            duration_ticks=tone.end - tone.start,
            pitch=tone.pitch,
            velocity=tone.velocity,
        )
        for tone in cleaned
    )
    return _part(spec, notes, tuple(_bends(ctx, dice, cleaned)))


def _part(spec: CueSpec, notes: tuple[Note, ...], bends: tuple[PitchBend, ...]) -> Part:
    low, high = SAXOPHONE_RANGE[spec.lead]
    return Part(
        name=LEAD_NAMES[spec.lead],
        role=Role.LEAD,
        program=SAXOPHONE_PROGRAM[spec.lead],
        notes=notes,
        low_pitch=low,
        high_pitch=high,
        bends=bends,
        bend_range_semitones=BEND_RANGE_SEMITONES,
    )
