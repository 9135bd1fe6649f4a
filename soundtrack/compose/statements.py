"""Motif statements: the cue's planned leitmotifs realised and put into its parts.

Input: a :class:`~soundtrack.model.CueSpec` with ``motifs`` (placements from spotting), its
style, and the cue's chords and parts. Output: the chords with each statement's bars
reharmonised, the parts with the statements in them, and one
:class:`~soundtrack.model.MotifUse` per statement for the cue sheet.

How a statement enters the music:

* **Chords**: the bars of a statement take the motif's harmony (or a reharmonisation) so that the
  melody and the band agree; every part is composed over these chords.
* **Lead**: the saxophone's own line gives way over the statement (its notes there are removed,
  the note before is shortened to leave a breath of :data:`BREATH_TICKS`), and the statement is
  played a little louder than the line around it (:data:`THEME_ACCENT`).
* **Counter-line** (re-orchestration): the motif's preferred instrument gets a part of its own
  (one per program) in its usual register (:data:`COUNTER_RANGE_BY_FAMILY`); the saxophone lays
  out while it sings.
* **Bass**: the bass part's notes over the statement are replaced by the statement, in the bass
  instrument's range.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from soundtrack.compose.lead import swing_ratio
from soundtrack.compose.leitmotif import motif_harmony, motif_similarity, transform_motif
from soundtrack.model import (
    SAXOPHONE_RANGE,
    ChordSymbol,
    CueSpec,
    MotifPlacement,
    MotifUse,
    Note,
    Part,
    PitchBend,
    Role,
    Transform,
)
from soundtrack.styles.schema import Style
from soundtrack.units import TICKS_PER_QUARTER

__all__ = [
    "BREATH_TICKS",
    "COUNTER_RANGE_BY_FAMILY",
    "STATEMENT_SPAN",
    "THEME_ACCENT",
    "Statement",
    "place_statements",
    "realise_statements",
    "splice_chords",
]

#: Silence (ticks) the lead leaves before a statement it gives way to.
BREATH_TICKS = TICKS_PER_QUARTER // 4
#: Semitones a lead statement may span at least (two octaves: room for a rising sequence).
STATEMENT_SPAN = 24
#: Velocity added to a statement over the median velocity of its part around it.
THEME_ACCENT = 8
#: Shortest remainder (ticks) of a line's note cut short by a statement.
_SHORTEST_TICKS = TICKS_PER_QUARTER // 8
#: Register (lowest, highest MIDI pitch) of a counter-line by General MIDI family (program // 8).
COUNTER_RANGE_BY_FAMILY: dict[int, tuple[int, int]] = {
    0: (48, 84),  # piano
    1: (60, 96),  # chromatic percussion (vibraphone, glockenspiel...)
    2: (48, 84),  # organ, accordion
    3: (48, 79),  # guitar
    4: (33, 60),  # bass
    5: (55, 88),  # strings (violin 55..)
    6: (48, 84),  # ensemble
    7: (52, 82),  # brass
    8: (49, 81),  # reeds
    9: (60, 93),  # pipes (flute...)
}
#: Velocity of a counter-line when nothing plays around it to compare with.
_COUNTER_VELOCITY = 78


@dataclass(frozen=True, slots=True, kw_only=True)
class Statement:
    """One realised placement: its notes (ticks from the cue start), the chords of its bars
    (empty: the cue's own chords stay), its window ``start_tick .. end_tick`` and its use."""

    placement: MotifPlacement
    notes: tuple[Note, ...]
    chords: tuple[ChordSymbol, ...]
    start_tick: int
    end_tick: int
    low_pitch: int
    high_pitch: int


def _quarter_bpm(spec: CueSpec) -> float:
    """The cue's nominal tempo in quarter notes per minute."""
    return spec.tempo_bpm * spec.meter.pulse_ticks / TICKS_PER_QUARTER


def _register(placement: MotifPlacement, spec: CueSpec, style: Style) -> tuple[int, int]:
    """The pitch range a statement is placed in (the part's usual register)."""
    if placement.role is Role.BASS:
        bass = next((item for item in style.instruments if item.role is Role.BASS), None)
        return (bass.low_pitch, bass.high_pitch) if bass is not None else (33, 55)
    if placement.role is Role.COUNTER and placement.motif.program is not None:
        return COUNTER_RANGE_BY_FAMILY.get(placement.motif.program // 8, (48, 84))
    low, high = SAXOPHONE_RANGE[spec.lead]
    span = high - low
    centre = low + style.lead.register * span
    half = max(STATEMENT_SPAN / 2, style.lead.register_span * span / 2.0)
    top = high - 3  # the saxophone's top notes are for climaxes, not for themes
    centre = min(max(centre, low + half), top - half)
    return max(low, round(centre - half)), min(top, round(centre + half))


def _rhythm(spec: CueSpec, style: Style) -> tuple[float, int]:
    """The swing ratio and grid (ticks) of the style's lead, for :attr:`Transform.STYLE_RHYTHM`."""
    lead = style.lead
    grid_ticks = max(TICKS_PER_QUARTER // 4, spec.meter.pulse_ticks // max(1, lead.subdivision))
    swung = lead.swing and spec.meter.denominator in (2, 4)
    amount = lead.swing_amount * (style.swing if style.swing > 0.0 else 1.0)
    return (swing_ratio(_quarter_bpm(spec), amount) if swung else 1.0), grid_ticks


def realise_statements(spec: CueSpec, style: Style) -> tuple[Statement, ...]:
    """Realise every placement of a cue: transformed notes and their chords.

    Args:
        spec: the cue (its ``motifs``, key, meter, tempo).
        style: its style (lead register, grid, swing; the bass range).

    Returns:
        One statement per placement, in bar order; a placement whose transformed motif has no
        note left is dropped.
    """
    bar_ticks = spec.meter.bar_ticks
    ratio, grid_ticks = _rhythm(spec, style)
    statements: list[Statement] = []
    for placement in spec.motifs:
        start_tick = placement.start_bar * bar_ticks
        bars = min(placement.bars, spec.bars - placement.start_bar)
        if bars <= 0:
            continue
        low, high = _register(placement, spec, style)
        rhythm = Transform.STYLE_RHYTHM in placement.transforms
        notes = transform_motif(
            placement.motif,
            placement.transforms,
            key=spec.key,
            meter=spec.meter,
            bars=bars,
            low_pitch=low,
            high_pitch=high,
            swing_ratio=ratio if rhythm else 1.0,
            grid_ticks=grid_ticks if rhythm else None,
        )
        if not notes:
            continue
        chords = motif_harmony(
            placement.motif,
            placement.transforms,
            key=spec.key,
            meter=spec.meter,
            start_tick=start_tick,
            bars=bars,
        )
        shifted = tuple(
            Note(
                start_tick=start_tick + note.start_tick,
                duration_ticks=note.duration_ticks,
                pitch=note.pitch,
                velocity=note.velocity,
            )
            for note in notes
        )
        statements.append(
            Statement(
                placement=placement,
                notes=shifted,
                chords=chords,
                start_tick=start_tick,
                end_tick=start_tick + bars * bar_ticks,
                low_pitch=low,
                high_pitch=high,
            )
        )
    return tuple(statements)


def splice_chords(
    chords: Sequence[ChordSymbol], statements: Sequence[Statement]
) -> tuple[ChordSymbol, ...]:
    """The cue's chords with each statement's chords over its window (a chord that crosses a
    window's edge is cut there). Still sorted and gapless over the cue."""
    result = list(chords)
    for statement in statements:
        if not statement.chords:
            continue
        start, end = statement.chords[0].start_tick, statement.chords[-1].end_tick
        kept: list[ChordSymbol] = []
        for chord in result:
            if chord.end_tick <= start or chord.start_tick >= end:
                kept.append(chord)
                continue
            if chord.start_tick < start:
                kept.append(_cut(chord, chord.start_tick, start))
            if chord.end_tick > end:
                kept.append(_cut(chord, end, chord.end_tick))
        kept.extend(statement.chords)
        result = sorted(kept, key=lambda chord: chord.start_tick)
    return tuple(result)


def _cut(chord: ChordSymbol, start_tick: int, end_tick: int) -> ChordSymbol:
    """The part ``start_tick .. end_tick`` of a chord."""
    return ChordSymbol(
        start_tick=start_tick,
        duration_ticks=end_tick - start_tick,
        root_pc=chord.root_pc,
        quality=chord.quality,
        pitch_classes=chord.pitch_classes,
        symbol=chord.symbol,
    )


def _clear(notes: Sequence[Note], start_tick: int, end_tick: int, breath: int) -> list[Note]:
    """``notes`` without those sounding in ``start_tick .. end_tick``: later ones dropped,
    earlier ones shortened to end ``breath`` ticks before the window (or dropped when too short).
    """
    kept: list[Note] = []
    for note in notes:
        if note.start_tick >= end_tick:
            kept.append(note)
        elif note.start_tick >= start_tick:
            continue
        elif note.end_tick > start_tick - breath:
            length = start_tick - breath - note.start_tick
            if length >= _SHORTEST_TICKS:
                kept.append(_resized(note, length))
        else:
            kept.append(note)
    return kept


def _bends_outside(bends: Sequence[PitchBend], start_tick: int, end_tick: int) -> list[PitchBend]:
    """The bends outside a window, with the wheel centred at its start (a bend cut off inside
    the window must not leave the statement out of tune)."""
    kept = [bend for bend in bends if not start_tick <= bend.tick < end_tick]
    before = [bend for bend in kept if bend.tick < start_tick]
    if before and before[-1].value != 0:
        kept.append(PitchBend(tick=start_tick, value=0))
    return sorted(kept, key=lambda bend: bend.tick)


def _resized(note: Note, duration_ticks: int) -> Note:
    return Note(
        start_tick=note.start_tick,
        duration_ticks=duration_ticks,
        pitch=note.pitch,
        velocity=note.velocity,
    )


def _level(notes: Sequence[Note], start_tick: int, end_tick: int, default: int) -> int:
    """Median velocity of the notes starting within a bar's reach of a window."""
    reach = 4 * TICKS_PER_QUARTER
    near = sorted(
        note.velocity for note in notes if start_tick - reach <= note.start_tick < end_tick + reach
    )
    return near[len(near) // 2] if near else default


def _voiced(statement: Statement, level: int) -> list[Note]:
    """The statement's notes at a part's level (the motif's own accents kept as offsets)."""
    base = sorted(note.velocity for note in statement.notes)[len(statement.notes) // 2]
    return [
        Note(
            start_tick=note.start_tick,
            duration_ticks=note.duration_ticks,
            pitch=note.pitch,
            velocity=max(1, min(127, level + note.velocity - base)),
        )
        for note in statement.notes
    ]


def _use(statement: Statement, part: str, bar_ticks: int) -> MotifUse:
    placement = statement.placement
    last_tick = max(note.end_tick for note in statement.notes)
    bars = max(1, -(-(last_tick - statement.start_tick) // bar_ticks))
    return MotifUse(
        name=placement.motif.name,
        part=part,
        role=placement.role,
        start_bar=placement.start_bar,
        bars=min(bars, placement.bars),
        transforms=placement.transforms,
        similarity=round(motif_similarity(placement.motif.notes, statement.notes), 3),
    )


def _with_notes(
    part: Part, notes: Sequence[Note], bends: Sequence[PitchBend] | None = None
) -> Part:
    return Part(
        name=part.name,
        role=part.role,
        program=part.program,
        notes=tuple(sorted(notes, key=lambda note: (note.start_tick, note.pitch))),
        low_pitch=min([part.low_pitch, *(note.pitch for note in notes)]),
        high_pitch=max([part.high_pitch, *(note.pitch for note in notes)]),
        is_drums=part.is_drums,
        bends=part.bends if bends is None else tuple(bends),
        bend_range_semitones=part.bend_range_semitones,
        controls=part.controls,
    )


def place_statements(
    spec: CueSpec, parts: Sequence[Part], statements: Sequence[Statement]
) -> tuple[tuple[Part, ...], tuple[MotifUse, ...]]:
    """Put the statements into the parts (see the module docstring).

    Args:
        spec: the cue.
        parts: the composed parts, the lead first.
        statements: from :func:`realise_statements`.

    Returns:
        The parts (the lead first, the style's parts, then one counter-line part per motif
        instrument) and one use per statement, in bar order.
    """
    bar_ticks = spec.meter.bar_ticks
    result = list(parts)
    lead_index = 0
    bass_index = next((index for index, part in enumerate(result) if part.role is Role.BASS), None)
    counters: dict[int, int] = {}
    uses: list[MotifUse] = []
    for statement in statements:
        placement = statement.placement
        start, end = statement.start_tick, statement.end_tick
        target: int | None
        if placement.role is Role.BASS and bass_index is not None:
            target = bass_index
        elif placement.role is Role.COUNTER and placement.motif.program is not None:
            program = placement.motif.program
            if program not in counters:
                counters[program] = len(result)
                result.append(
                    Part(
                        name=placement.motif.instrument or "Counter",
                        role=Role.COUNTER,
                        program=program,
                        notes=(),
                        low_pitch=statement.low_pitch,
                        high_pitch=statement.high_pitch,
                    )
                )
            target = counters[program]
            lead = result[lead_index]
            result[lead_index] = _with_notes(
                lead,
                _clear(lead.notes, start, end, BREATH_TICKS),
                _bends_outside(lead.bends, start, end),
            )
        else:
            target = lead_index
        part = result[target]
        breath = BREATH_TICKS if target == lead_index else 0
        accent = THEME_ACCENT if target == lead_index else 0
        level = _level(part.notes, start, end, _COUNTER_VELOCITY) + accent
        kept = _clear(part.notes, start, end, breath)
        bends = _bends_outside(part.bends, start, end)
        result[target] = _with_notes(part, [*kept, *_voiced(statement, level)], bends)
        uses.append(_use(statement, result[target].name, bar_ticks))
    return tuple(result), tuple(uses)
