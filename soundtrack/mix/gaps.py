"""Step 5 of the mix: no silence longer than :data:`MAX_SILENCE_SECONDS` inside a cue.

Input: the lines being mixed (:class:`~soundtrack.mix.lines.Line`, with the notes the texture
rested) and the cue (tempo map, chords, ``end_tick``). Output: the same lines, edited in place,
with every span of more than 0.4 s (seconds through the cue's tempo map) in which no note sounds
filled: a rested part comes back over it; else the notes that ended last ring on through it; else
a soft chord (velocity 48) fills it. Ticks are from the cue start.
"""

from __future__ import annotations

from collections.abc import Sequence

from soundtrack.mix.lines import Line, chord_at, clean_line, stab_pitches
from soundtrack.model import Cue, Role
from soundtrack.units import tempo_map_seconds

__all__ = ["MAX_SILENCE_SECONDS", "fill_silences"]

#: Longest silence allowed inside a cue, seconds; gaps are filled from 0.4 s on, leaving room for
#: the humanisation's few ticks.
MAX_SILENCE_SECONDS = 0.5
_FILL_GAP_SECONDS = 0.4


def _gaps(lines: Sequence[Line], end_tick: int) -> list[tuple[int, int]]:
    """Spans of ``0..end_tick`` where no note of any line sounds."""
    spans = sorted((s, e) for line in lines for s, e, _, _ in line.notes)
    gaps = []
    cursor = 0
    for s, e in spans:
        if s > cursor:
            gaps.append((cursor, s))
        cursor = max(cursor, e)
    if cursor < end_tick:
        gaps.append((cursor, end_tick))
    return gaps


def fill_silences(lines: list[Line], cue: Cue) -> None:
    """Fill every silence longer than 0.4 s (see :mod:`soundtrack.mix`, step 5)."""
    spec = cue.spec
    changes = [(change.start_tick, change.microseconds_per_quarter) for change in spec.tempo_map]

    def long_gaps() -> list[tuple[int, int]]:
        return [
            (a, b)
            for a, b in _gaps(lines, spec.end_tick)
            if tempo_map_seconds(b, changes) - tempo_map_seconds(a, changes) > _FILL_GAP_SECONDS
        ]

    for start, end in long_gaps():
        for line in lines:
            back = [note for note in line.rested if note[0] < end and note[1] > start]
            if back:
                line.rested = [
                    note for note in line.rested if not (note[0] < end and note[1] > start)
                ]
                line.notes.extend(back)
                clean_line(line)
    for start, end in long_gaps():
        ringing = [
            (line, note)
            for line in lines
            if not line.is_drums and line.role is not Role.LEAD
            for note in line.notes
            if note[1] == start and start > 0
        ]
        if ringing:
            for _, note in ringing:
                note[1] = end
            continue
        chord = chord_at(cue.chords, start)
        holder = next(
            (
                line
                for line in lines
                if not line.is_drums and line.role in (Role.PAD, Role.HARMONY, Role.BASS)
            ),
            None,
        )
        if holder is None or chord is None:
            continue
        pitches = (
            stab_pitches(holder, chord)
            if holder.role is not Role.BASS
            else [holder.low_pitch + (chord.root_pc - holder.low_pitch) % 12]
        )
        for pitch in pitches:
            holder.notes.append([start, end, pitch, 48])
        clean_line(holder)
