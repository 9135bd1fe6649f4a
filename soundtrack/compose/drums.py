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
downbeat, ringing to the end of the cue.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import numpy as np

from soundtrack.compose.arrangement import (
    NoteBuffer,
    bar_contexts,
    bar_grid,
    plan_bars,
    rhythm_swing_ratio,
)
from soundtrack.model import ChordSymbol, CueSpec, Part, Role
from soundtrack.styles.schema import GM_DRUMS, DrumLine, Instrument, Pattern, PatternPlace, Style
from soundtrack.units import TICKS_PER_QUARTER

__all__ = ["DRUM_LEVELS", "compose_drums"]

#: Level of each grid symbol relative to the instrument's velocity.
DRUM_LEVELS: dict[str, float] = {"x": 1.0, "X": 1.25, "o": 0.45, "?": 0.45}
#: Level of the hits on film hit points and on the final downbeat.
HIT_LEVEL = 1.3
#: Longest sounding length of a drum hit in ticks (drums ring on; this only places the note-off).
MAX_HIT_TICKS = TICKS_PER_QUARTER // 4


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
    for context, plan in zip(contexts, plan_bars(instrument, contexts, rng), strict=True):
        if context.final:
            _final_bar(buffer, plan.main, context.start_tick, spec.end_tick, base, rng,
                       context.bar_in_section, spec.meter.bar_ticks)
            continue
        lines: dict[str, tuple[DrumLine, int]] = {}
        for pattern in (plan.main, plan.overlay):
            if pattern is not None:
                lines.update((line.drum, (line, pattern.steps)) for line in pattern.drums)
        _play_lines(buffer, lines.values(), context.start_tick, context.bar_in_section,
                    spec.meter.bar_ticks, base, rng)
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
) -> int | None:
    """Write one bar of drum lines (``(line, steps per bar)`` pairs) into ``buffer``.

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
