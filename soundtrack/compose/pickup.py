"""The pickup: a short run of the saxophone into the first downbeat of a cue that starts after
silence.

Input: a :class:`~soundtrack.model.CueSpec` (``after_silence``, key, tempo), the cue's chords
and its lead part. Output: the pickup notes, ticks relative to the cue start (all before 0,
the last ending exactly at 0). A scene file starts on its downbeat, so it cannot hold them;
the story timeline (``score.mid``) plays them in the silence before the scene, as a player
leads into the cut.

The run climbs by scale steps of the key (the cue's mode) into the lead's first note when the
lead plays on the downbeat, otherwise into the first chord's nearest chord tone in the lead's
register. It lasts one counted pulse, or two when a pulse is shorter than
:data:`SHORTEST_PICKUP_SECONDS`; three notes when the pickup lasts at least
:data:`THREE_NOTE_SECONDS`, else two.
"""

from __future__ import annotations

from collections.abc import Sequence

from soundtrack.model import ChordSymbol, CueSpec, Mode, Note, Part
from soundtrack.units import TICKS_PER_QUARTER

__all__ = ["SHORTEST_PICKUP_SECONDS", "THREE_NOTE_SECONDS", "compose_pickup"]

#: A pickup lasts at least this long (seconds): two pulses when one is shorter.
SHORTEST_PICKUP_SECONDS = 0.35
#: A pickup this long (seconds) or longer has three notes.
THREE_NOTE_SECONDS = 0.5
_MAJOR_STEPS = (0, 2, 4, 5, 7, 9, 11)
_MINOR_STEPS = (0, 2, 3, 5, 7, 8, 10)


def _scale_below(pitch: int, scale: frozenset[int], count: int) -> list[int]:
    """The ``count`` scale tones below ``pitch`` (ascending), stepping down from it."""
    below: list[int] = []
    candidate = pitch - 1
    while len(below) < count:
        if candidate % 12 in scale:
            below.append(candidate)
        candidate -= 1
    return below[::-1]


def compose_pickup(spec: CueSpec, chords: Sequence[ChordSymbol], lead: Part) -> tuple[Note, ...]:
    """The pickup into a cue (see the module docstring); empty unless ``spec.after_silence``.

    Args:
        spec: the cue.
        chords: its chords (the first one is aimed at when the lead rests on the downbeat).
        lead: the composed lead part (its range and first note).

    Returns:
        Notes with negative start ticks, in order, ending at tick 0.
    """
    if not spec.after_silence or not chords or not spec.tempo_map:
        return ()
    seconds_per_tick = spec.tempo_map[0].microseconds_per_quarter / 1e6 / TICKS_PER_QUARTER
    pulse_ticks = spec.meter.pulse_ticks
    length_ticks = pulse_ticks
    if length_ticks * seconds_per_tick < SHORTEST_PICKUP_SECONDS:
        length_ticks *= 2
    count = 3 if length_ticks * seconds_per_tick >= THREE_NOTE_SECONDS else 2
    first = lead.notes[0] if lead.notes else None
    if first is not None and first.start_tick == 0:
        target = first.pitch
        velocity = first.velocity
    else:
        centre = (lead.low_pitch + lead.high_pitch) // 2
        tones = [
            pitch
            for pitch in range(lead.low_pitch + 4, lead.high_pitch - 2)
            if pitch % 12 in chords[0].pitch_classes
        ]
        if not tones:
            return ()
        target = min(tones, key=lambda pitch: (abs(pitch - centre), pitch))
        velocity = 84
    steps = _MAJOR_STEPS if spec.key.mode is Mode.MAJOR else _MINOR_STEPS
    scale = frozenset((spec.key.tonic_pc + step) % 12 for step in steps)
    pitches = [max(lead.low_pitch, pitch) for pitch in _scale_below(target, scale, count)]
    note_ticks = length_ticks // count
    notes = []
    for index, pitch in enumerate(pitches):
        start = -length_ticks + index * note_ticks
        end = 0 if index == count - 1 else start + note_ticks
        notes.append(
            Note(
                start_tick=start,
                duration_ticks=end - start,
                pitch=pitch,
                velocity=max(1, min(127, velocity - 12 + 5 * index)),
            )
        )
    return tuple(notes)
