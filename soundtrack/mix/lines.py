"""The working form of a part while it is mixed, and the small helpers the mix steps share.

Input: a :class:`~soundtrack.model.Part`. Output: a mutable :class:`Line` whose notes are
``[start_tick, end_tick, pitch, velocity]`` lists (ticks from the cue start at 480 per quarter
note, MIDI pitches and velocities 0-127) that the steps of :func:`soundtrack.mix.mix_scene` edit
in place, then freeze back into :class:`~soundtrack.model.Note` values. Also here: the chord
sounding at a tick, the close-position chord tones that fit a part's range, and the clean-up
that resolves same-pitch overlaps after a step adds notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from soundtrack.model import ChordSymbol, ControlChange, Note, Part, PitchBend, Role

__all__ = ["Line", "chord_at", "clean_line", "stab_pitches"]


@dataclass(slots=True)
class Line:
    """A part being mixed: mutable notes ``[start, end, pitch, velocity]``."""

    name: str
    role: Role
    program: int
    is_drums: bool
    low_pitch: int
    high_pitch: int
    notes: list[list[int]]
    bends: tuple[PitchBend, ...] = ()
    bend_range_semitones: int = 2
    controls: tuple[ControlChange, ...] = ()
    #: notes taken out by the texture (``[start, end, pitch, velocity]``), restorable over gaps.
    rested: list[list[int]] = field(default_factory=list)

    @classmethod
    def of(cls, part: Part) -> Line:
        return cls(
            name=part.name,
            role=part.role,
            program=part.program,
            is_drums=part.is_drums,
            low_pitch=part.low_pitch,
            high_pitch=part.high_pitch,
            notes=[[n.start_tick, n.end_tick, n.pitch, n.velocity] for n in part.notes],
            bends=part.bends,
            bend_range_semitones=part.bend_range_semitones,
            controls=part.controls,
        )

    def sort(self) -> None:
        self.notes.sort(key=lambda note: (note[0], note[2]))

    def frozen_notes(self) -> tuple[Note, ...]:
        self.sort()
        return tuple(
            Note(start_tick=s, duration_ticks=e - s, pitch=p, velocity=v)
            for s, e, p, v in self.notes
            if e > s
        )


def clean_line(line: Line) -> None:
    """Sort a line and resolve same-pitch overlaps: of two notes starting together the louder
    stays, an earlier note ends where the next one of its pitch starts."""
    best: dict[tuple[int, int], list[int]] = {}
    for note in line.notes:
        key = (note[0], note[2])
        if key not in best or note[3] > best[key][3]:
            best[key] = note
    notes = sorted(best.values(), key=lambda note: (note[2], note[0]))
    for before, after in zip(notes, notes[1:], strict=False):
        if before[2] == after[2] and before[1] > after[0]:
            before[1] = after[0]
    line.notes = [note for note in notes if note[1] > note[0]]
    line.sort()


def chord_at(chords: Sequence[ChordSymbol], tick: int) -> ChordSymbol | None:
    """The chord sounding at ``tick`` (the last chord after the end), ``None`` before the first."""
    for chord in chords:
        if chord.start_tick <= tick < chord.end_tick:
            return chord
    return chords[-1] if chords and tick >= chords[-1].start_tick else None


def stab_pitches(line: Line, chord: ChordSymbol) -> list[int]:
    """Up to four chord tones, close position, around the upper middle of the part's range."""
    centre = (line.low_pitch + 2 * line.high_pitch) // 3
    classes = list(chord.pitch_classes[:4])
    pitches = []
    for pc in classes:
        pitch = centre - 6 + (pc - (centre - 6)) % 12
        while pitch > line.high_pitch:
            pitch -= 12
        while pitch < line.low_pitch:
            pitch += 12
        if line.low_pitch <= pitch <= line.high_pitch:
            pitches.append(pitch)
    return sorted(set(pitches))
