"""Drums: the drum-kit part of a cue, from the style's step-grid grooves.

Input: a :class:`~soundtrack.model.CueSpec`, its :class:`~soundtrack.styles.schema.Style`, the
cue's chord symbols (unused by the kit, kept for the common signature) and a random generator.
Output: the drum :class:`~soundtrack.model.Part` (``is_drums=True``, General MIDI drum notes).

Each groove names GM drums with one step grid each (:data:`~soundtrack.styles.schema.DRUM_SYMBOLS`:
``x`` hit, ``X`` accent, ``o`` ghost, ``?`` ghost half of the time): ``ride = "x.xxx.xx"`` with
``pedal-hat = "..x...x."`` is the swing ride pattern, ``kick = "x...x..."`` with
``snare = "..x...x."`` a march in 2/4. Grooves change per phrase with the arousal and tension of
the arc (calm phrases may have no drums at all); fills end sections, crashes start them, and every
film hit (``spec.hits``) gets a crash and a kick. The last bar is a crash and a kick on the
downbeat, ringing to the end of the cue -- unless another cue follows without silence
(``spec.next_cue``): then the last bar keeps its groove and ends in a **transition fill** leading
into the next cue's downbeat, in the style's idiom (:func:`fill_idiom`): timbales or congas and
bongos in the Cuban styles, a tom fill in swing and the styles that use toms (chase), a snare roll
in the circus and march styles, a tambourine shake where the kit has neither (nightclub,
tarantella), else a roll on the kit's lowest drum (the funeral drum of the lament).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from soundtrack.compose.arrangement import (
    BarPlan,
    NoteBuffer,
    bar_contexts,
    bar_grid,
    bar_moods,
    loudness,
    plan_bars,
    rhythm_swing_ratio,
)
from soundtrack.model import ChordSymbol, CueSpec, Note, Part, Role
from soundtrack.styles.schema import GM_DRUMS, DrumLine, Instrument, Pattern, PatternPlace, Style
from soundtrack.units import TICKS_PER_QUARTER

__all__ = [
    "DRUM_LEVELS",
    "FillIdiom",
    "compose_drums",
    "fill_idiom",
    "fill_notes",
    "fill_step_ticks",
    "transition_span",
]

#: Level of each grid symbol relative to the instrument's velocity.
DRUM_LEVELS: dict[str, float] = {"x": 1.0, "X": 1.25, "o": 0.45, "?": 0.45}
#: Level of the hits on film hit points and on the final downbeat.
HIT_LEVEL = 1.3
#: Longest sounding length of a drum hit in ticks (drums ring on; this only places the note-off).
MAX_HIT_TICKS = TICKS_PER_QUARTER // 4
#: Level of the first and of the last note of a fill (a crescendo between them).
FILL_LEVELS = (0.6, 1.25)

_TIMBALES = (GM_DRUMS["high-timbale"], GM_DRUMS["low-timbale"])
_CONGAS = (GM_DRUMS["high-conga"], GM_DRUMS["mute-conga"], GM_DRUMS["low-conga"])
_BONGOS = (GM_DRUMS["high-bongo"], GM_DRUMS["low-bongo"])
_TOMS = (
    GM_DRUMS["high-tom"],
    GM_DRUMS["high-mid-tom"],
    GM_DRUMS["mid-tom"],
    GM_DRUMS["low-tom"],
    GM_DRUMS["floor-tom-high"],
    GM_DRUMS["floor-tom"],
)
_TOM_FILL = (GM_DRUMS["high-tom"], GM_DRUMS["mid-tom"], GM_DRUMS["low-tom"], GM_DRUMS["floor-tom"])


@dataclass(frozen=True, slots=True, kw_only=True)
class FillIdiom:
    """How a style's drummer fills: ``pitches`` (GM drum notes) played in turn from high to low,
    ``name`` for humans (``timbales``, ``congas``, ``bongos``, ``toms``, ``snare roll``,
    ``tambourine``, ``roll``)."""

    name: str
    pitches: tuple[int, ...]


def fill_idiom(style: Style, instrument: Instrument | None = None) -> FillIdiom:
    """The fill of a style's kit, from the drums its patterns use (see the module docstring).

    Args:
        style: the style.
        instrument: its kit; default the style's first ``drums`` instrument (none: a snare roll).
    """
    if instrument is None:
        kits = style.instruments_with_role(Role.DRUMS)
        instrument = kits[0] if kits else None
    used = (
        {line.note for pattern in instrument.patterns for line in pattern.drums}
        if instrument is not None
        else set()
    )
    if used & set(_TIMBALES):
        return FillIdiom(name="timbales", pitches=_TIMBALES)
    if used & set(_CONGAS):
        return FillIdiom(name="congas", pitches=_CONGAS)
    if used & set(_BONGOS):
        return FillIdiom(name="bongos", pitches=_BONGOS)
    if used & set(_TOMS) or style.swing > 0:
        return FillIdiom(name="toms", pitches=_TOM_FILL)
    if GM_DRUMS["snare"] in used or not used:
        return FillIdiom(name="snare roll", pitches=(GM_DRUMS["snare"],))
    if GM_DRUMS["tambourine"] in used:
        return FillIdiom(name="tambourine", pitches=(GM_DRUMS["tambourine"],))
    return FillIdiom(name="roll", pitches=(min(used),))


def fill_notes(
    idiom: FillIdiom, start_tick: int, end_tick: int, step_ticks: int, level: float
) -> list[Note]:
    """The notes of a fill from ``start_tick`` up to (not including) ``end_tick``.

    Args:
        idiom: the fill's drums (see :func:`fill_idiom`).
        start_tick, end_tick: the span the fill covers, ticks.
        step_ticks: the fill's note spacing (a sixteenth, or a triplet eighth in swing), > 0.
        level: the velocity of an ordinary hit of the kit; the fill rises from 0.6x to 1.25x.

    Returns:
        Short notes, one per step, sorted; the pitches run through ``idiom.pitches`` in equal
        shares (high drums first), so a tom fill descends and a timbale fill ends on the low drum.
    """
    starts = list(range(start_tick, end_tick, max(step_ticks, 1)))
    notes: list[Note] = []
    count = len(starts)
    low, high = FILL_LEVELS
    for index, start in enumerate(starts):
        share = index / (count - 1) if count > 1 else 1.0
        pitch = idiom.pitches[min(index * len(idiom.pitches) // count, len(idiom.pitches) - 1)]
        velocity = round(level * (low + (high - low) * share))
        duration = max(1, min(step_ticks, MAX_HIT_TICKS, end_tick - start))
        notes.append(
            Note(
                start_tick=start,
                duration_ticks=duration,
                pitch=pitch,
                velocity=max(1, min(127, velocity)),
            )
        )
    return notes


def fill_step_ticks(style: Style) -> int:
    """Note spacing of a fill: triplet eighths in swing styles, else sixteenths."""
    return TICKS_PER_QUARTER // 3 if style.swing > 0 else TICKS_PER_QUARTER // 4


def transition_span(spec: CueSpec) -> tuple[int, int]:
    """The ticks a transition fill covers: the last half of the last bar (the last pulse in bars
    of fewer than four pulses)."""
    pulses = spec.meter.pulses_per_bar
    fill_pulses = pulses // 2 if pulses >= 4 else 1
    return spec.end_tick - fill_pulses * spec.meter.pulse_ticks, spec.end_tick


@functools.lru_cache(maxsize=1024)
def _onsets(grid: str) -> tuple[tuple[int, str], ...]:
    """``(step, symbol)`` of every non-rest step of a one-bar grid."""
    return tuple((step, symbol) for step, symbol in enumerate(grid) if symbol != ".")


def compose_drums(
    spec: CueSpec,
    style: Style,
    chords: tuple[ChordSymbol, ...],
    *,
    rng: np.random.Generator,
    instrument: Instrument | None = None,
) -> Part:
    """Compose the drum part of a cue.

    Args:
        spec: the cue (meter, bars, sections, per-bar moods, hits, ``end_tick``).
        style: its style.
        chords: the cue's chord symbols (not used by the kit).
        rng: the part's own random generator.
        instrument: the kit; default the style's first ``drums`` instrument.

    Returns:
        The part (``is_drums=True``): GM drum notes inside ``0 .. spec.end_tick``, no same-note
        overlaps.

    Raises:
        ValueError: when no instrument is given and the style has no drums.
    """
    del chords  # the kit does not follow the harmony
    if instrument is None:
        candidates = style.instruments_with_role(Role.DRUMS)
        if not candidates:
            raise ValueError(f"style {style.id!r} has no drums")
        instrument = candidates[0]
    buffer = NoteBuffer()
    base = float(instrument.velocity)
    contexts = bar_contexts(spec, style) if spec.end_tick > 0 else ()
    transition = spec.next_cue is not None and spec.bars > 1
    fill_start = transition_span(spec)[0] if transition else spec.end_tick
    previous: BarPlan | None = None
    for context, plan in zip(contexts, plan_bars(instrument, contexts, rng), strict=True):
        if context.final and transition:
            # no ending: the groove of the phrase goes on into the fill
            body = previous if previous is not None else plan
            groove: dict[str, tuple[DrumLine, int]] = {}
            for pattern in (body.main, body.overlay):
                if pattern is not None and pattern.place is not PatternPlace.FINAL:
                    groove.update((line.drum, (line, pattern.steps)) for line in pattern.drums)
            _play_lines(
                buffer,
                groove.values(),
                context.start_tick,
                context.bar_in_section,
                spec.meter.bar_ticks,
                base,
                rng,
                stop_tick=fill_start,
            )
            continue
        previous = plan
        if context.final:
            _final_bar(
                buffer,
                plan.main,
                context.start_tick,
                spec.end_tick,
                base,
                rng,
                context.bar_in_section,
                spec.meter.bar_ticks,
            )
            continue
        lines: dict[str, tuple[DrumLine, int]] = {}
        for pattern in (plan.main, plan.overlay):
            if pattern is not None:
                lines.update((line.drum, (line, pattern.steps)) for line in pattern.drums)
        _play_lines(
            buffer,
            lines.values(),
            context.start_tick,
            context.bar_in_section,
            spec.meter.bar_ticks,
            base,
            rng,
        )
    for hit in spec.hits:
        if 0 <= hit.tick < spec.end_tick:
            end = min(hit.tick + MAX_HIT_TICKS, spec.end_tick)
            buffer.add(hit.tick, end, GM_DRUMS["crash"], base * HIT_LEVEL)
            buffer.add(hit.tick, end, GM_DRUMS["kick"], base * HIT_LEVEL)
    notes = buffer.notes(
        spec,
        rng=rng,
        low_pitch=instrument.low_pitch,
        high_pitch=instrument.high_pitch,
        swing=rhythm_swing_ratio(spec, style),
    )
    if transition:
        notes = _with_transition_fill(notes, spec, style, instrument, fill_start)
    return Part(
        name=instrument.name,
        role=Role.DRUMS,
        program=instrument.program,
        notes=notes,
        low_pitch=instrument.low_pitch,
        high_pitch=instrument.high_pitch,
        is_drums=True,
    )


def _play_lines(
    buffer: NoteBuffer,
    lines: Iterable[tuple[DrumLine, int]],
    bar_start: int,
    bar_in_section: int,
    bar_ticks: int,
    base: float,
    rng: np.random.Generator,
    *,
    stop_tick: int | None = None,
) -> int | None:
    """Write one bar of drum lines (``(line, steps per bar)`` pairs) into ``buffer``; with
    ``stop_tick``, only the hits before it.

    Returns:
        The tick of the bar's last hit, ``None`` when the bar is silent.
    """
    last: int | None = None
    for line, steps in lines:
        step_ticks = bar_ticks // steps
        length = max(1, min(step_ticks, MAX_HIT_TICKS))
        for step, symbol in _onsets(bar_grid(line.grid, steps, bar_in_section)):
            if symbol == "?" and rng.random() >= 0.5:
                continue
            start = bar_start + step * step_ticks
            if stop_tick is not None and start >= stop_tick:
                continue
            buffer.add(start, start + length, line.note, base * DRUM_LEVELS[symbol])
            last = start if last is None else max(last, start)
    return last


def _final_bar(
    buffer: NoteBuffer,
    pattern: Pattern | None,
    bar_start: int,
    end_tick: int,
    base: float,
    rng: np.random.Generator,
    bar_in_section: int,
    bar_ticks: int,
) -> None:
    """The last bar: its ``final`` pattern with the last hits ringing to the end, or a crash and
    a kick on the downbeat when the drums are playing."""
    if pattern is None:
        return
    if pattern.place is PatternPlace.FINAL:
        lines = [(line, pattern.steps) for line in pattern.drums]
        last = _play_lines(buffer, lines, bar_start, bar_in_section, bar_ticks, base, rng)
        if last is not None:
            buffer.extend_from(last, end_tick)
        return
    buffer.add(bar_start, end_tick, GM_DRUMS["crash"], base * HIT_LEVEL)
    buffer.add(bar_start, end_tick, GM_DRUMS["kick"], base * HIT_LEVEL)


def _with_transition_fill(
    notes: tuple[Note, ...],
    spec: CueSpec,
    style: Style,
    instrument: Instrument,
    fill_start: int,
) -> tuple[Note, ...]:
    """The performed notes with the transition fill over ``fill_start .. spec.end_tick`` (the
    groove's hits there, swung or not, make way for it)."""
    mood = bar_moods(spec)[-1]
    level = float(instrument.velocity) * loudness(mood)
    fill = fill_notes(
        fill_idiom(style, instrument), fill_start, spec.end_tick, fill_step_ticks(style), level
    )
    kept = [note for note in notes if note.start_tick < fill_start]
    kept = [
        Note(
            start_tick=note.start_tick,
            duration_ticks=max(1, min(note.duration_ticks, fill_start - note.start_tick)),
            pitch=note.pitch,
            velocity=note.velocity,
        )
        for note in kept
    ]
    return tuple(sorted((*kept, *fill), key=lambda note: (note.start_tick, note.pitch)))
