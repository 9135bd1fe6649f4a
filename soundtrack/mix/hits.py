"""Step 3 of the mix: hit points (``spec.hits``) get a stinger, accents, stabs and a lead-in.

Input: the lines being mixed (:class:`~soundtrack.mix.lines.Line`), the cue (hit ticks, chords,
meter) and the style (its drum-fill idiom and step). Output: the lines with, on every hit tick,
a crash (GM 49) on the kit (a ``Hits`` kit line is appended when the cue has none), the notes
starting there accented, an eighth-note chord stab in the harmony and pad parts that have no
note there, and a drum fill over the pulse before the hit. Ticks are from the cue start;
velocities are MIDI 1-127.
"""

from __future__ import annotations

import numpy as np

from soundtrack.compose.drums import fill_idiom, fill_notes, fill_step_ticks
from soundtrack.mix.kit import GM_PERCUSSION_RANGE
from soundtrack.mix.lines import Line, chord_at, clean_line, stab_pitches
from soundtrack.model import Cue, Role
from soundtrack.styles.schema import GM_DRUMS, Style
from soundtrack.units import TICKS_PER_QUARTER

__all__ = ["CRASH", "HIT_ACCENT", "HIT_ACCENT_ADD", "STAB_TICKS", "add_hits"]

#: Velocity of notes starting on a hit: ``v * HIT_ACCENT + HIT_ACCENT_ADD``.
HIT_ACCENT = 1.15
HIT_ACCENT_ADD = 6
#: Length of a hit's chord stab, ticks (an eighth note).
STAB_TICKS = TICKS_PER_QUARTER // 2
#: The crash of a stinger.
CRASH = GM_DRUMS["crash"]


def _free(line: Line, pitch: int, start: int, end: int) -> bool:
    """Whether ``pitch`` is silent in ``line`` over ``start..end``."""
    return not any(p == pitch and s < end and e > start for s, e, p, _ in line.notes)


def _typical_velocity(line: Line, tick: int) -> int:
    near = [v for s, _, _, v in line.notes if abs(s - tick) <= 4 * TICKS_PER_QUARTER]
    pool = near or [v for _, _, _, v in line.notes]
    return int(np.median(pool)) if pool else 80


def add_hits(lines: list[Line], cue: Cue, style: Style) -> list[Line]:
    """Stingers, accents, stabs and lead-in fills on every hit (see :mod:`soundtrack.mix`,
    step 3)."""
    spec = cue.spec
    hits = sorted({hit.tick for hit in spec.hits if 0 <= hit.tick < spec.end_tick})
    if not hits:
        return lines
    kit = next((line for line in lines if line.is_drums), None)
    if kit is None:
        kit = Line(
            name="Hits",
            role=Role.DRUMS,
            program=0,
            is_drums=True,
            low_pitch=GM_PERCUSSION_RANGE[0],
            high_pitch=GM_PERCUSSION_RANGE[1],
            notes=[],
        )
        lines = [*lines, kit]
    kit_level = _typical_velocity(kit, hits[0]) if kit.notes else 90
    hit_set = set(hits)
    idiom = fill_idiom(style)
    step = fill_step_ticks(style)
    pulse = spec.meter.pulse_ticks
    previous = 0
    for tick in hits:
        # the lead-in: a fill over the pulse before the hit (the groove makes way)
        fill_start = max(tick - pulse, previous)
        if tick - fill_start >= 2 * step and tick > 0:
            kit.notes = [
                note for note in kit.notes if not fill_start <= note[0] < tick or note[0] in hit_set
            ]
            for fill in fill_notes(idiom, fill_start, tick, step, kit_level):
                kit.notes.append([fill.start_tick, fill.end_tick, fill.pitch, fill.velocity])
        previous = tick
        # the stinger
        crash_end = min(tick + TICKS_PER_QUARTER, spec.end_tick)
        if not any(s == tick and p == CRASH for s, _, p, _ in kit.notes):
            kit.notes = [
                n for n in kit.notes if not (n[2] == CRASH and n[0] < crash_end and n[1] > tick)
            ]
            kit.notes.append([tick, crash_end, CRASH, min(127, round(kit_level * 1.3))])
        # the stab
        chord = chord_at(cue.chords, tick)
        stab_end = min(tick + STAB_TICKS, spec.end_tick)
        for line in lines:
            if line.is_drums or line.role not in (Role.HARMONY, Role.PAD):
                continue
            if chord is None or any(s == tick for s, _, _, _ in line.notes):
                continue
            velocity = min(127, round(_typical_velocity(line, tick) * HIT_ACCENT))
            for pitch in stab_pitches(line, chord):
                if _free(line, pitch, tick, stab_end):
                    line.notes.append([tick, stab_end, pitch, velocity])
        # the accents
        for line in lines:
            for note in line.notes:
                if note[0] == tick:
                    note[3] = min(127, round(note[3] * HIT_ACCENT) + HIT_ACCENT_ADD)
    for line in lines:
        clean_line(line)
    return lines
