"""Leitmotif transformations: one statement of a motif, its chords, and how recognisable it is.

Input: a :class:`~soundtrack.model.Motif` (notes in ticks from the motif start at
:data:`~soundtrack.units.TICKS_PER_QUARTER` = 480 per quarter, concert MIDI pitches, one Roman
numeral per bar relative to ``motif.key``), the :class:`~soundtrack.model.Transform` values to
apply, and the target cue's key, meter, bar count and instrument range. Output: the statement's
:class:`~soundtrack.model.Note` values (ticks from the statement's start), its
:class:`~soundtrack.model.ChordSymbol` values (absolute ticks), and a 0..1 similarity score.
Pure functions, deterministic, no I/O, no randomness.

How a statement is made (:func:`transform_motif`):

1. **Scale degrees.** Each motif pitch is read as a diatonic step (``octave * 7 + degree``, degree
   0-6) and a chromatic alteration in the motif's key. The reference scale is the major scale or
   the *natural* minor, so a raised 6th/7th in minor is an alteration of +1. Chromatic pitch
   classes are read as: major ``b2 b3 #4 b6 b7``; minor ``b2 #3 #4 #6 #7``.
2. **Fragment** (``FRAGMENT``): the head of the motif, see :func:`fragment_notes`.
3. **Inversion** (``INVERSION``): steps mirrored around the first note's step; the mirrored line
   is plain diatonic (alterations are dropped, except on the axis step), so the target mode's
   leading-tone rule (step 5) applies to it afresh.
4. **Time**: augmentation (x2) / diminution (x0.5, skipped when the line already holds a note or
   inter-onset interval shorter than an eighth, so nothing gets shorter than a sixteenth), then
   the meter map from the motif's meter to the cue's: beat positions are kept in quarter notes
   between simple meters (a 4/4 bar becomes two 2/4 bars); from a simple meter into a compound
   one (6/8, 9/8, 12/8, 3/8) each motif quarter becomes a dotted-quarter pulse (x1.5 at the beat
   level) with its two eighths becoming quarter + eighth (the compound meter's long-short
   subdivision). A compound motif in a simple cue keeps its lilt as triplets: each dotted-quarter
   pulse becomes a quarter note (x2/3), so quarter + eighth become a triplet quarter + eighth;
   it is then neither quantised to the style's grid nor swung (the triplets are its swing).
5. **Sequence** (``SEQUENCE``): the (fragment of the) motif repeated, each repetition
   ``sequence_step`` diatonic steps further, while a repetition starts inside ``bars`` (at most
   :data:`MAX_SEQUENCE_REPETITIONS`); a repetition starts on the next bar line when that leaves at
   most one pulse of rest after the previous one's span, else on the next pulse. Repetitions
   after the first are purely diatonic (chromatic alterations dropped), like their chords.
6. **Key and mode**: the degrees realised in the target key; ``MAJOR`` / ``MINOR`` force the mode.
   Minor -> major: a raised 3rd, 6th or 7th is the plain major degree (the leading tone stays a
   leading tone, not an augmented 7th). Major -> minor: a lowered 3rd, 6th or 7th is the plain
   minor degree. In a minor target, a plain 7th moving up a step to the tonic gets the raised
   leading tone (harmonic minor) unless it was written that way in a minor motif (a
   natural-minor motif stated in minor is kept as written). Other alterations keep their offset.
7. **Style rhythm** (``STYLE_RHYTHM``): onsets and ends quantised to ``grid_ticks``, then swung
   eighths (``swing_ratio`` long:short, simple meters only).
8. **Fit**: notes starting after ``bars`` bars dropped, the rest truncated at the end and at the
   next onset (never overlapping).
9. **Register**: the whole statement moved by the octaves that leave the fewest semitones outside
   ``low_pitch..high_pitch`` (its median nearest the middle among equals); then each note still
   outside folded in by octaves.

Velocities are the motif's own. ``STATEMENT`` and ``REORCHESTRATION`` change no note here (the
caller picks the part and its range).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from soundtrack.compose.harmony import make_chord, roman_root
from soundtrack.compose.lead import swing_tick
from soundtrack.model import ChordSymbol, Key, Meter, Mode, Motif, Note, Transform
from soundtrack.styles.schema import CHORD_QUALITIES, RomanChord, parse_roman_chord
from soundtrack.units import TICKS_PER_QUARTER

__all__ = [
    "MAX_SEQUENCE_REPETITIONS",
    "NATURAL_SEQUENCE_REPETITIONS",
    "fragment_notes",
    "motif_harmony",
    "motif_similarity",
    "statement_ticks",
    "target_mode",
    "transform_motif",
]

#: The most repetitions (the first statement included) a sequence makes to fill its bars.
MAX_SEQUENCE_REPETITIONS = 4
#: Repetitions counted by :func:`statement_ticks` for a sequence's natural length.
NATURAL_SEQUENCE_REPETITIONS = 3
#: Fewest notes a fragment keeps (when the motif has that many).
_FRAGMENT_MIN_NOTES = 3
#: Shortest note or inter-onset interval (ticks) that diminution may still halve.
_DIMINUTION_MIN_TICKS = TICKS_PER_QUARTER // 2

#: Semitones above the tonic of the reference scale degrees 0-6.
_SCALES: dict[Mode, tuple[int, ...]] = {
    Mode.MAJOR: (0, 2, 4, 5, 7, 9, 11),
    Mode.MINOR: (0, 2, 3, 5, 7, 8, 10),
}
#: How a chromatic pitch class (semitones above the tonic) is read: (degree 0-6, alteration).
_CHROMATIC: dict[Mode, dict[int, tuple[int, int]]] = {
    Mode.MAJOR: {1: (1, -1), 3: (2, -1), 6: (3, 1), 8: (5, -1), 10: (6, -1)},
    Mode.MINOR: {1: (1, -1), 4: (2, 1), 6: (3, 1), 9: (5, 1), 11: (6, 1)},
}
#: Degrees (0-based) whose alteration turns one mode's scale into the other's (3rd, 6th, 7th).
_MODAL_DEGREES = frozenset({2, 5, 6})
#: Diatonic chord qualities per degree 0-6: (triad, seventh). Minor uses the harmonic-minor
#: dominant (``V``, ``V7``) and the natural minor elsewhere.
_DIATONIC_QUALITIES: dict[Mode, tuple[tuple[str, str], ...]] = {
    Mode.MAJOR: (
        ("", "maj7"),
        ("m", "m7"),
        ("m", "m7"),
        ("", "maj7"),
        ("", "7"),
        ("m", "m7"),
        ("dim", "m7b5"),
    ),
    Mode.MINOR: (
        ("m", "m7"),
        ("dim", "m7b5"),
        ("", "maj7"),
        ("m", "m7"),
        ("", "7"),
        ("", "maj7"),
        ("", "7"),
    ),
}


# ---------------------------------------------------------------- value types


@dataclass(frozen=True, slots=True, kw_only=True)
class _Tone:
    """A note of the statement as a scale degree.

    Attributes:
        start: onset, ticks (motif ticks before the time map, cue ticks after).
        end: first tick after the note.
        step: diatonic steps above the motif's tonic (``octave * 7 + degree``; may be negative).
        alteration: semitones added to the scale degree (-2..2).
        velocity: MIDI velocity 1-127.
        written: the alteration is the motif's own in a minor motif (the leading-tone rule
            leaves it alone).
    """

    start: int
    end: int
    step: int
    alteration: int
    velocity: int
    written: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class _Span:
    """A chord of the statement before realisation: ticks, degree and quality."""

    start: int
    end: int
    degree: int  # 0-6 in the target mode's scale
    alteration: int  # semitones added to the target scale degree
    quality: str
    diatonic: bool  # the chord is the key's own chord on its degree (quality follows the mode)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Plan:
    """Timing shared by notes and chords of one statement (cue ticks)."""

    time_map: Callable[[int], int]
    unit_motif_ticks: int  # span of the repeated unit in motif ticks
    unit_ticks: int  # the same in cue ticks
    starts: tuple[int, ...]  # start of each repetition (one unless SEQUENCE)


# ---------------------------------------------------------------- public API


def target_mode(key: Key, transforms: Sequence[Transform]) -> Mode:
    """The mode a statement is realised in: ``MAJOR``/``MINOR`` force it (the last one named
    wins), otherwise the target key's own mode."""
    mode = key.mode
    for transform in transforms:
        if transform is Transform.MAJOR:
            mode = Mode.MAJOR
        elif transform is Transform.MINOR:
            mode = Mode.MINOR
    return mode


def fragment_notes(motif: Motif) -> tuple[tuple[Note, ...], int]:
    """The head of a motif that ``FRAGMENT`` keeps.

    The notes starting in the first half of the motif; at least 3 (or all, when the motif has
    fewer); at most the notes starting in the first bar when that bar alone has 3 or more.

    Returns:
        ``(notes, span_ticks)``: the kept notes (motif ticks) and the fragment's span, the end of
        its last note rounded up to the motif's pulse (ticks, > 0).
    """
    notes = sorted(motif.notes, key=lambda note: note.start_tick)
    if not notes:
        return (), max(motif.length_ticks, 1)
    half = motif.length_ticks / 2
    count = sum(1 for note in notes if note.start_tick < half)
    count = max(count, min(_FRAGMENT_MIN_NOTES, len(notes)))
    first_bar = sum(1 for note in notes if note.start_tick < motif.meter.bar_ticks)
    if first_bar >= _FRAGMENT_MIN_NOTES:
        count = min(count, first_bar)
    kept = tuple(notes[:count])
    return kept, _ceil_to(max(note.end_tick for note in kept), motif.meter.pulse_ticks)


def statement_ticks(motif: Motif, transforms: Sequence[Transform], meter: Meter) -> int:
    """Natural length of a statement in the cue's meter, before fitting it to bars.

    The (fragment's) span after augmentation/diminution and the meter map; a sequence counts
    :data:`NATURAL_SEQUENCE_REPETITIONS` repetitions spaced as :func:`transform_motif` spaces
    them. Not rounded to bars: a planner takes ``ceil(ticks / meter.bar_ticks)`` bars.

    Args:
        motif: the motif.
        transforms: the transforms of the placement.
        meter: the cue's meter.

    Returns:
        Ticks (> 0).
    """
    plan = _plan(motif, transforms, meter, available=None)
    return plan.starts[-1] + plan.unit_ticks


def transform_motif(
    motif: Motif,
    transforms: Sequence[Transform],
    *,
    key: Key,
    meter: Meter,
    bars: int,
    low_pitch: int,
    high_pitch: int,
    swing_ratio: float = 1.0,
    grid_ticks: int | None = None,
    sequence_step: int = 1,
) -> tuple[Note, ...]:
    """The notes of one statement of a motif (see the module docstring for each step).

    Args:
        motif: the leitmotif as written.
        transforms: what to do to it (any order; applied in the module's fixed order).
        key: the cue's key (its tonic; its mode unless ``MAJOR``/``MINOR`` is named).
        meter: the cue's meter.
        bars: bars of ``meter`` the statement may take (>= 1).
        low_pitch: lowest MIDI pitch of the playing instrument.
        high_pitch: highest MIDI pitch (at least 11 semitones above ``low_pitch``).
        swing_ratio: long:short ratio of swung eighths (>= 1; 1 = straight), used with
            ``STYLE_RHYTHM`` in simple meters; :func:`soundtrack.compose.lead.swing_ratio`
            gives it for a tempo.
        grid_ticks: quantisation grid of ``STYLE_RHYTHM`` in ticks (240 eighths, 120 sixteenths);
            ``None`` keeps the onsets.
        sequence_step: diatonic steps between the repetitions of a ``SEQUENCE`` (+1 up, -1
            down; 0 repeats in place).

    Returns:
        Notes sorted by start tick, ticks from the statement's start, all inside
        ``0 .. bars * meter.bar_ticks``, not overlapping, pitches in ``low_pitch..high_pitch``,
        velocities the motif's. Empty when the motif has no notes.

    Raises:
        ValueError: for ``bars < 1``, a range narrower than an octave, ``swing_ratio < 1`` or a
            non-positive ``grid_ticks``.
    """
    if low_pitch > high_pitch - 11 or low_pitch < 0 or high_pitch > 127:
        raise ValueError(
            f"pitch range {low_pitch}..{high_pitch} must lie in 0..127 and span an octave"
        )
    if swing_ratio < 1.0:
        raise ValueError(f"swing_ratio {swing_ratio} must be >= 1 (long:short)")
    if grid_ticks is not None and grid_ticks <= 0:
        raise ValueError(f"grid_ticks {grid_ticks} must be > 0")
    available = _available(meter, bars)
    tones, _plan_used = _statement_tones(
        motif, transforms, key=key, meter=meter, available=available, sequence_step=sequence_step
    )
    pitches = _realise(tones, motif.key, key.tonic_pc, target_mode(key, transforms))
    notes = [
        Note(
            start_tick=tone.start,
            duration_ticks=tone.end - tone.start,
            pitch=pitch,
            velocity=tone.velocity,
        )
        for tone, pitch in zip(tones, pitches, strict=True)
    ]
    if Transform.STYLE_RHYTHM in transforms and not (
        _is_compound(motif.meter) and not _is_compound(meter)
    ):
        notes = _style_rhythm(notes, meter, swing_ratio=swing_ratio, grid_ticks=grid_ticks)
    notes = _fit(notes, available)
    return _fit_register(notes, low_pitch, high_pitch)


def motif_harmony(
    motif: Motif,
    transforms: Sequence[Transform],
    *,
    key: Key,
    meter: Meter,
    start_tick: int,
    bars: int,
    sequence_step: int = 1,
) -> tuple[ChordSymbol, ...]:
    """The chords under one statement of a motif.

    The motif's own harmony (``motif.harmony``, one Roman numeral per motif bar, the last held
    when there are fewer numerals than bars) follows the statement: only the fragment's bars
    with ``FRAGMENT``; stretched/compressed by augmentation/diminution and the meter map like
    the notes; repeated under a ``SEQUENCE`` with each repetition after the first moved
    ``sequence_step`` diatonic steps (the key's own chord on the new degree). Each chord is
    realised in the target key and mode: on a mode change the key's own chord on a degree
    becomes the new mode's chord on that degree (``i`` -> ``I``, ``iv`` -> ``IV``, ``bVI`` ->
    ``vi``, ``ii7b5`` -> ``ii7``; ``V``/``V7`` stay, the minor key's dominant being the
    harmonic-minor one); other chords keep their quality and their root's offset from the
    scale degree (a raised 6th/7th root in minor being the plain major degree).

    With ``REHARMONISATION`` each bar of the cue's meter gets the key's diatonic triad or
    seventh that contains the bar's strong notes (those sounding on the downbeat and, in bars
    of 4+ even pulses, on the half bar), preferring a chord on another root than the original
    one, then the most melody covered (each note weighted by its length in the bar, x2 on the
    downbeat, x1.5 on another pulse), then a root a third away from the original (relative and
    mediant substitutes), then triads. With ``INVERSION`` (and no ``REHARMONISATION``) the
    chords are chosen the same way but preferring the original root, so the inverted line is
    not left over chords that no longer fit it.

    Args:
        motif: the leitmotif.
        transforms: the placement's transforms.
        key: the cue's key.
        meter: the cue's meter.
        start_tick: where the statement starts, ticks from the cue start.
        bars: bars the statement may take (>= 1).
        sequence_step: as in :func:`transform_motif`.

    Returns:
        Chords sorted by start tick, absolute ticks (``start_tick`` + offset), covering the
        statement's span (clipped to ``bars`` bars) without gaps, equal neighbours merged,
        symbols parseable by ``music21.harmony.ChordSymbol``. Empty when the motif has no
        harmony and ``REHARMONISATION`` is not asked for.

    Raises:
        ValueError: for ``bars < 1`` or a numeral ``parse_roman_chord`` cannot read.
    """
    reharmonise = Transform.REHARMONISATION in transforms
    if not motif.harmony and not reharmonise:
        return ()
    available = _available(meter, bars)
    mode = target_mode(key, transforms)
    target = Key(tonic_pc=key.tonic_pc % 12, mode=mode)
    tones, plan = _statement_tones(
        motif, transforms, key=key, meter=meter, available=available, sequence_step=sequence_step
    )
    end = min(plan.starts[-1] + plan.unit_ticks, available)
    if end <= 0:
        return ()
    spans = _harmony_spans(motif, transforms, plan, mode, sequence_step, end)
    if reharmonise or (Transform.INVERSION in transforms and spans):
        pitches = _realise(tones, motif.key, key.tonic_pc, mode)
        spans = _choose_chords(
            tones, pitches, spans, target, meter, end, prefer_original=not reharmonise
        )
    chords: list[ChordSymbol] = []
    for span in spans:
        roman = RomanChord(
            text="",
            degree=span.degree + 1,
            alteration=_SCALES[mode][span.degree]
            + span.alteration
            - RomanChord.MAJOR_STEPS[span.degree],
            quality=span.quality,
        )
        root_pc, root_name = roman_root(roman, target)
        if chords and chords[-1].root_pc == root_pc and chords[-1].quality == span.quality:
            last = chords[-1]
            chords[-1] = replace(last, duration_ticks=start_tick + span.end - last.start_tick)
            continue
        chords.append(
            make_chord(
                root_pc,
                span.quality,
                start_tick=start_tick + span.start,
                duration_ticks=span.end - span.start,
                root_name=root_name,
            )
        )
    return tuple(chords)


def motif_similarity(source: Sequence[Note], statement: Sequence[Note]) -> float:
    """How recognisable ``statement`` is as ``source``, 0..1, independent of transposition and
    tempo scaling.

    Both note lists are sorted by onset. The statement's **unit** is compared with the source's
    head of the same number of notes ``k = min(len(unit), len(source))``:

    * the unit is the statement itself (a full statement, or a fragment, which thus meets the
      source's matching head), or, when the statement is a sequence, its first repetition: the
      shortest head of ``u >= 3`` notes such that every following complete group of ``u``
      notes repeats it (contour and rhythm similarity of each group with the head >= 0.9) and
      the statement holds at least one such group. The larger of the two scores is taken.
    * **contour** = mean over the ``k - 1`` intervals (semitones) ``x`` of the source head and
      ``y`` of the unit, aligned index by index: 0 when their directions differ (Parsons code
      up/down/repeat), else ``1`` when ``|x - y| <= 1`` (so diatonic transposition and mode
      change, which change an interval by at most a semitone, cost nothing), falling linearly
      to 0 at ``|x - y| = 4``.
    * **rhythm** = mean over the ``k - 1`` inter-onset intervals of
      ``max(0, 1 - |d_i|)``, where ``d_i = log2(ioi_unit_i / ioi_source_i) - median_j(log2
      ratio)`` is each ratio's deviation, in octaves, from the statement's overall time scale
      (so an augmentation scores 1; a 2:1 swing of even eighths about 0.5 on those eighths).
      Zero intervals (simultaneous onsets) count 0.

    The score is ``(contour + rhythm) / 2``. Fewer than 2 notes: 1.0 when both have the same
    number of notes (0 or 1), else 0.0. Inversion flips the contour, so it scores about half.

    Args:
        source: the motif's notes as written (any ticks and pitches).
        statement: a statement's notes.

    Returns:
        The similarity in 0..1.
    """
    src = sorted(source, key=lambda note: (note.start_tick, note.pitch))
    stm = sorted(statement, key=lambda note: (note.start_tick, note.pitch))
    if len(src) < 2 or len(stm) < 2:
        return 1.0 if len(src) == len(stm) else 0.0
    best = _head_similarity(src, stm)
    unit = _sequence_unit(stm)
    if unit is not None and unit < len(stm):
        best = max(best, _head_similarity(src, stm[:unit]))
    return best


# ---------------------------------------------------------------- degrees and mode


def _read_tone(note: Note, key: Key) -> _Tone:
    """A motif note as a scale degree of ``key`` (see the module docstring, step 1)."""
    relative = note.pitch - key.tonic_pc
    octave, pitch_class = divmod(relative, 12)
    scale = _SCALES[key.mode]
    if pitch_class in scale:
        degree, alteration = scale.index(pitch_class), 0
    else:
        degree, alteration = _CHROMATIC[key.mode][pitch_class]
    return _Tone(
        start=note.start_tick,
        end=note.end_tick,
        step=octave * 7 + degree,
        alteration=alteration,
        velocity=note.velocity,
        written=key.mode is Mode.MINOR,
    )


def _invert(tones: Sequence[_Tone]) -> list[_Tone]:
    """Diatonic mirror of the steps around the first tone's step; alterations dropped except on
    the axis step."""
    if not tones:
        return []
    axis = tones[0].step
    return [
        replace(
            tone,
            step=2 * axis - tone.step,
            alteration=tone.alteration if tone.step == axis else 0,
            written=False,
        )
        for tone in tones
    ]


def _map_mode(tones: Sequence[_Tone], source: Mode, target: Mode) -> list[_Tone]:
    """Alterations as the target mode reads them (module docstring, step 6)."""
    mapped: list[_Tone] = []
    for tone in tones:
        degree = tone.step % 7
        alteration = tone.alteration
        leaves_scale = alteration == (1 if source is Mode.MINOR else -1)
        if source is not target and degree in _MODAL_DEGREES and leaves_scale:
            alteration = 0
        mapped.append(replace(tone, alteration=alteration))
    if target is Mode.MINOR:
        for index in range(len(mapped) - 1):
            tone, following = mapped[index], mapped[index + 1]
            resolves = following.step == tone.step + 1 and following.step % 7 == 0
            plain_seventh = tone.step % 7 == 6 and tone.alteration == 0
            if resolves and plain_seventh and not (source is Mode.MINOR and tone.written):
                mapped[index] = replace(tone, alteration=1)
    return mapped


def _realise(tones: Sequence[_Tone], source_key: Key, tonic_pc: int, mode: Mode) -> list[int]:
    """MIDI pitches of the tones in the target key (tonic within a tritone of the source's)."""
    shift = (tonic_pc - source_key.tonic_pc) % 12
    if shift > 6:
        shift -= 12
    base = source_key.tonic_pc + shift
    scale = _SCALES[mode]
    return [base + 12 * (tone.step // 7) + scale[tone.step % 7] + tone.alteration for tone in tones]


# ---------------------------------------------------------------- time


def _available(meter: Meter, bars: int) -> int:
    if bars < 1:
        raise ValueError(f"bars {bars} must be >= 1")
    return bars * meter.bar_ticks


def _ceil_to(tick: int, step: int) -> int:
    return -(-tick // step) * step


def _is_compound(meter: Meter) -> bool:
    """Whether the counted pulse is a dotted note of three written beats (6/8, 9/8, 3/8...)."""
    written_beat = TICKS_PER_QUARTER * 4 // meter.denominator
    return meter.pulse_ticks == 3 * written_beat


def _to_compound(tick: int) -> int:
    """Simple -> compound: each quarter a dotted quarter, its eighths quarter + eighth."""
    quarter = TICKS_PER_QUARTER
    eighth = quarter // 2
    beat, within = divmod(tick, quarter)
    mapped = 2 * within if within <= eighth else quarter + (within - eighth)
    return beat * (quarter + eighth) + mapped


def _time_factor(motif: Motif, transforms: Sequence[Transform], unit: Sequence[Note]) -> Fraction:
    """x2 for augmentation, x1/2 for diminution (when no note or gap gets below a sixteenth)."""
    augment = Transform.AUGMENTATION in transforms
    diminish = Transform.DIMINUTION in transforms
    if augment and not diminish:
        return Fraction(2)
    if diminish and not augment:
        onsets = sorted({note.start_tick for note in unit})
        shortest = min(
            [note.duration_ticks for note in unit]
            + [b - a for a, b in zip(onsets, onsets[1:], strict=False)],
            default=_DIMINUTION_MIN_TICKS,
        )
        if shortest >= _DIMINUTION_MIN_TICKS:
            return Fraction(1, 2)
    return Fraction(1)


def _time_map(motif_meter: Meter, meter: Meter, factor: Fraction) -> Callable[[int], int]:
    """Motif ticks -> cue ticks: the factor, then the meter map (module docstring, step 4)."""
    source_compound = _is_compound(motif_meter)
    target_compound = _is_compound(meter)

    def mapped(tick: int) -> int:
        scaled = math.floor(tick * factor)
        if target_compound and not source_compound:
            return _to_compound(scaled)
        if source_compound and not target_compound:
            return scaled * 2 // 3
        return scaled

    return mapped


def _next_start(end: int, meter: Meter) -> int:
    """Where the next repetition of a sequence starts after a span ending at ``end``."""
    bar_line = _ceil_to(end, meter.bar_ticks)
    if bar_line - end <= meter.pulse_ticks:
        return bar_line
    return _ceil_to(end, meter.pulse_ticks)


def _plan(
    motif: Motif, transforms: Sequence[Transform], meter: Meter, *, available: int | None
) -> _Plan:
    """The timing of a statement; ``available=None`` plans the natural length."""
    if Transform.FRAGMENT in transforms:
        unit_notes, unit_span = fragment_notes(motif)
    else:
        unit_notes, unit_span = motif.notes, max(motif.length_ticks, 1)
    factor = _time_factor(motif, transforms, unit_notes)
    time_map = _time_map(motif.meter, meter, factor)
    unit_ticks = max(time_map(unit_span), 1)
    starts = [0]
    if Transform.SEQUENCE in transforms:
        limit = MAX_SEQUENCE_REPETITIONS if available is not None else NATURAL_SEQUENCE_REPETITIONS
        while len(starts) < limit:
            following = _next_start(starts[-1] + unit_ticks, meter)
            if available is not None and following >= available:
                break
            starts.append(following)
    return _Plan(
        time_map=time_map, unit_motif_ticks=unit_span, unit_ticks=unit_ticks, starts=tuple(starts)
    )


def _statement_tones(
    motif: Motif,
    transforms: Sequence[Transform],
    *,
    key: Key,
    meter: Meter,
    available: int,
    sequence_step: int,
) -> tuple[list[_Tone], _Plan]:
    """The statement's tones (cue ticks, target mode's alterations) before style rhythm and
    fitting, and its timing plan."""
    plan = _plan(motif, transforms, meter, available=available)
    if Transform.FRAGMENT in transforms:
        notes: Sequence[Note] = fragment_notes(motif)[0]
    else:
        notes = sorted(motif.notes, key=lambda note: note.start_tick)
    unit = [_read_tone(note, motif.key) for note in notes]
    if Transform.INVERSION in transforms:
        unit = _invert(unit)
    unit = [
        replace(
            tone,
            start=plan.time_map(tone.start),
            end=max(plan.time_map(tone.end), plan.time_map(tone.start) + 1),
        )
        for tone in unit
    ]
    tones: list[_Tone] = []
    for index, offset in enumerate(plan.starts):
        for tone in unit:
            if index == 0:
                tones.append(replace(tone, start=tone.start + offset, end=tone.end + offset))
            else:
                tones.append(
                    replace(
                        tone,
                        start=tone.start + offset,
                        end=tone.end + offset,
                        step=tone.step + index * sequence_step,
                        alteration=0,
                        written=False,
                    )
                )
    return _map_mode(tones, motif.key.mode, target_mode(key, transforms)), plan


# ---------------------------------------------------------------- rhythm, fit and register


def _style_rhythm(
    notes: Sequence[Note], meter: Meter, *, swing_ratio: float, grid_ticks: int | None
) -> list[Note]:
    """Quantise onsets and ends to the grid (a note keeps at least one grid step; a note whose
    onset lands on an earlier note's is dropped), then swing eighths in simple meters."""
    result: list[Note] = []
    taken: set[int] = set()
    for note in sorted(notes, key=lambda item: item.start_tick):
        start, end = note.start_tick, note.end_tick
        if grid_ticks is not None:
            start = (start + grid_ticks // 2) // grid_ticks * grid_ticks
            end = max((end + grid_ticks // 2) // grid_ticks * grid_ticks, start + grid_ticks)
        if start in taken:
            continue
        taken.add(start)
        result.append(replace(note, start_tick=start, duration_ticks=end - start))
    swing = swing_ratio > 1.0 and not _is_compound(meter) and meter.denominator in (2, 4)
    if swing:
        result = [
            replace(
                note,
                start_tick=swing_tick(note.start_tick, swing_ratio),
                duration_ticks=swing_tick(note.end_tick, swing_ratio)
                - swing_tick(note.start_tick, swing_ratio),
            )
            for note in result
        ]
    return result


def _fit(notes: Sequence[Note], available: int) -> list[Note]:
    """Drop notes starting at or after ``available``; truncate at it and at the next onset."""
    ordered: list[Note] = []
    for note in sorted(notes, key=lambda item: item.start_tick):
        if note.start_tick >= available or note.start_tick < 0:
            continue
        if ordered and ordered[-1].start_tick == note.start_tick:
            continue
        ordered.append(note)
    fitted: list[Note] = []
    for index, note in enumerate(ordered):
        end = min(note.end_tick, available)
        if index + 1 < len(ordered):
            end = min(end, ordered[index + 1].start_tick)
        if end > note.start_tick:
            fitted.append(replace(note, duration_ticks=end - note.start_tick))
    return fitted


def _fit_register(notes: Sequence[Note], low_pitch: int, high_pitch: int) -> tuple[Note, ...]:
    """Octave shift of the whole line that leaves the fewest semitones outside the range (the
    one whose median is nearest the middle of the range among those), then single notes still
    outside folded in by octaves (which changes the contour, so it is the last resort)."""
    if not notes:
        return ()
    middle = (low_pitch + high_pitch) / 2
    median = statistics.median(note.pitch for note in notes)
    nearest = math.floor((middle - median) / 12 + 0.5)

    def outside(octaves: int) -> tuple[int, float]:
        shifted = [note.pitch + 12 * octaves for note in notes]
        excess = sum(max(low_pitch - pitch, pitch - high_pitch, 0) for pitch in shifted)
        return excess, abs(median + 12 * octaves - middle)

    shift = 12 * min(range(nearest - 2, nearest + 3), key=outside)
    result: list[Note] = []
    for note in notes:
        pitch = note.pitch + shift
        while pitch < low_pitch:
            pitch += 12
        while pitch > high_pitch:
            pitch -= 12
        result.append(replace(note, pitch=pitch))
    return tuple(result)


# ---------------------------------------------------------------- harmony


def _source_chord(roman: RomanChord, source: Mode, target: Mode) -> tuple[int, int, str, bool]:
    """A motif chord as ``(degree 0-6, alteration, quality, diatonic)`` of the target mode."""
    degree = roman.degree - 1
    alteration = (roman.semitones - _SCALES[source][degree] + 6) % 12 - 6
    chord = CHORD_QUALITIES[roman.quality]
    triad, _seventh = _DIATONIC_QUALITIES[source][degree]
    own = CHORD_QUALITIES[triad]
    diatonic = alteration == 0 and (chord.third, chord.fifth) == (own.third, own.fifth)
    quality = roman.quality
    if source is not target:
        if diatonic:
            quality = _diatonic_quality(target, degree, seventh=chord.seventh in (10, 11))
        elif degree in _MODAL_DEGREES and alteration == (1 if source is Mode.MINOR else -1):
            alteration = 0
    return degree, alteration, quality, diatonic


def _diatonic_quality(mode: Mode, degree: int, *, seventh: bool) -> str:
    return _DIATONIC_QUALITIES[mode][degree % 7][1 if seventh else 0]


def _harmony_spans(
    motif: Motif,
    transforms: Sequence[Transform],
    plan: _Plan,
    mode: Mode,
    sequence_step: int,
    end: int,
) -> list[_Span]:
    """The motif's chords along the statement (cue ticks from its start), clipped at ``end``."""
    if not motif.harmony:
        return []
    romans = [parse_roman_chord(text) for text in motif.harmony]
    bar = motif.meter.bar_ticks
    unit: list[_Span] = []
    for index in range(max(motif.bars, 1)):
        start = index * bar
        if start >= plan.unit_motif_ticks:
            break
        stop = min(start + bar, plan.unit_motif_ticks)
        degree, alteration, quality, diatonic = _source_chord(
            romans[min(index, len(romans) - 1)], motif.key.mode, mode
        )
        unit.append(
            _Span(
                start=plan.time_map(start),
                end=plan.time_map(stop),
                degree=degree,
                alteration=alteration,
                quality=quality,
                diatonic=diatonic,
            )
        )
    spans: list[_Span] = []
    for repetition, offset in enumerate(plan.starts):
        following = plan.starts[repetition + 1] if repetition + 1 < len(plan.starts) else None
        for position, span in enumerate(unit):
            start = span.start + offset
            stop = span.end + offset
            if position == len(unit) - 1 and following is not None:
                stop = following  # hold the last chord over the rest before the next repetition
            if repetition > 0:
                seventh = CHORD_QUALITIES[span.quality].seventh in (10, 11)
                degree = (span.degree + repetition * sequence_step) % 7
                span = replace(
                    span,
                    degree=degree,
                    alteration=0,
                    diatonic=True,
                    quality=_diatonic_quality(mode, degree, seventh=seventh),
                )
            start, stop = min(start, end), min(stop, end)
            if stop > start:
                spans.append(replace(span, start=start, end=stop))
    return spans


def _chord_tones(mode: Mode, degree: int, alteration: int, quality: str, tonic_pc: int) -> set[int]:
    root = (tonic_pc + _SCALES[mode][degree] + alteration) % 12
    return {(root + step) % 12 for step in CHORD_QUALITIES[quality].intervals}


def _choose_chords(
    tones: Sequence[_Tone],
    pitches: Sequence[int],
    spans: Sequence[_Span],
    key: Key,
    meter: Meter,
    end: int,
    *,
    prefer_original: bool,
) -> list[_Span]:
    """One diatonic chord per bar of the cue's meter fitted to the melody (see
    :func:`motif_harmony`)."""
    mode = key.mode
    bar_ticks = meter.bar_ticks
    pulse = meter.pulse_ticks
    chosen: list[_Span] = []
    for bar_start in range(0, end, bar_ticks):
        bar_end = min(bar_start + bar_ticks, end)
        original = next((span for span in spans if span.start <= bar_start < span.end), None)
        strong_ticks = [bar_start]
        pulses = meter.pulses_per_bar
        if pulses >= 4 and pulses % 2 == 0:
            strong_ticks.append(bar_start + bar_ticks // 2)
        strong: set[int] = set()
        weights: dict[int, float] = {}
        in_bar = [
            (tone, pitch)
            for tone, pitch in zip(tones, pitches, strict=True)
            if tone.start < bar_end and tone.end > bar_start
        ]
        for tick in strong_ticks:
            strong.update(pitch % 12 for tone, pitch in in_bar if tone.start <= tick < tone.end)
        if not strong and in_bar:
            strong.add(min(in_bar, key=lambda item: item[0].start)[1] % 12)
        for tone, pitch in in_bar:
            length = min(tone.end, bar_end) - max(tone.start, bar_start)
            offset = tone.start - bar_start
            accent = 2.0 if offset == 0 else 1.5 if offset >= 0 and offset % pulse == 0 else 1.0
            weights[pitch % 12] = weights.get(pitch % 12, 0.0) + length * accent
        if not in_bar and original is not None:
            chosen.append(replace(original, start=bar_start, end=bar_end))
            continue
        candidates: list[tuple[tuple[float, ...], _Span]] = []
        for degree in range(7):
            for seventh in (False, True):
                quality = _diatonic_quality(mode, degree, seventh=seventh)
                pcs = _chord_tones(mode, degree, 0, quality, key.tonic_pc)
                same_root = original is not None and (
                    (_SCALES[mode][degree] - _SCALES[mode][original.degree] - original.alteration)
                    % 12
                    == 0
                )
                third_away = original is not None and (degree - original.degree) % 7 in (2, 5)
                prefer = same_root if prefer_original else not same_root
                score = (
                    float(len(strong & pcs)),
                    float(prefer),
                    round(sum(weight for pc, weight in weights.items() if pc in pcs), 6),
                    float(third_away and not prefer_original),
                    float(not seventh),
                    float(-degree),
                )
                candidates.append(
                    (
                        score,
                        _Span(
                            start=bar_start,
                            end=bar_end,
                            degree=degree,
                            alteration=0,
                            quality=quality,
                            diatonic=True,
                        ),
                    )
                )
        chosen.append(max(candidates, key=lambda item: item[0])[1])
    return chosen


# ---------------------------------------------------------------- similarity


def _interval_score(source: int, statement: int) -> float:
    if (source > 0) - (source < 0) != (statement > 0) - (statement < 0):
        return 0.0
    difference = abs(source - statement)
    return max(0.0, 1.0 - max(difference - 1, 0) / 3.0)


def _contour(source: Sequence[Note], statement: Sequence[Note]) -> float:
    count = min(len(source), len(statement)) - 1
    if count <= 0:
        return 1.0
    total = sum(
        _interval_score(
            source[i + 1].pitch - source[i].pitch, statement[i + 1].pitch - statement[i].pitch
        )
        for i in range(count)
    )
    return total / count


def _rhythm(source: Sequence[Note], statement: Sequence[Note]) -> float:
    count = min(len(source), len(statement)) - 1
    if count <= 0:
        return 1.0
    ratios: list[float | None] = []
    for i in range(count):
        a = source[i + 1].start_tick - source[i].start_tick
        b = statement[i + 1].start_tick - statement[i].start_tick
        ratios.append(math.log2(b / a) if a > 0 and b > 0 else None)
    known = [ratio for ratio in ratios if ratio is not None]
    if not known:
        return 0.0
    centre = statistics.median(known)
    return sum(max(0.0, 1.0 - 2.0 * abs(ratio - centre)) for ratio in known) / count


def _head_similarity(source: Sequence[Note], statement: Sequence[Note]) -> float:
    return (_contour(source, statement) + _rhythm(source, statement)) / 2.0


def _sequence_unit(statement: Sequence[Note]) -> int | None:
    """The note count of the repeated unit of a sequence, or ``None`` when there is none."""
    for unit in range(3, len(statement) // 2 + 1):
        head = statement[:unit]
        groups = [
            statement[index : index + unit]
            for index in range(unit, len(statement) - unit + 1, unit)
        ]
        if groups and all(
            _contour(head, group) >= 0.9 and _rhythm(head, group) >= 0.9 for group in groups
        ):
            return unit
    return None
