"""Step 1 of the mix: a cue's drum part mapped onto the General MIDI level 1 drum kit.

Input: a drum :class:`~soundtrack.model.Part` (``is_drums``; its ``program`` names a GS/GM2 kit),
the cue's key and its end tick. Output: the kit part (channel-10 keys 35-81 only, program kept
when GM-compatible, else 0) and, for the orchestra kit, a melodic ``Timpani`` part (GM program
47) with the toms moved onto two drums tuned to the key's tonic and dominant (F2-A3, MIDI
41-57). Ticks are from the cue start; pitches are MIDI note numbers.
"""

from __future__ import annotations

import bisect

from soundtrack.model import Key, Note, Part, Role
from soundtrack.styles.schema import GM_DRUMS
from soundtrack.units import TICKS_PER_QUARTER

__all__ = [
    "GM_COMPATIBLE_KITS",
    "GM_PERCUSSION_RANGE",
    "ORCHESTRA_KIT",
    "TIMPANI_PROGRAM",
    "map_drum_kit",
]

#: Keys of General MIDI level 1 percussion (channel 10): Acoustic Bass Drum .. Open Triangle.
GM_PERCUSSION_RANGE = (35, 81)
#: Drum-kit programs (GS/GM2) whose keys mean what GM1's standard kit means.
GM_COMPATIBLE_KITS = frozenset({0, 8, 16, 24, 25, 32, 40})
#: The orchestra kit: its keys 41-53 are timpani.
ORCHESTRA_KIT = 48
#: GM program of the timpani.
TIMPANI_PROGRAM = 47
_TOMS_LOW = frozenset({GM_DRUMS["floor-tom"], GM_DRUMS["floor-tom-high"]})
_TOMS_HIGH = frozenset(
    {GM_DRUMS["low-tom"], GM_DRUMS["mid-tom"], GM_DRUMS["high-mid-tom"], GM_DRUMS["high-tom"]}
)
#: Timpani tuning range (F2..A3): the tonic drum sits in 41-52.
_TIMPANI_LOW = 41
_TIMPANI_HIGH = 57


def _timpani_pitches(key: Key) -> tuple[int, int]:
    """(tonic drum, dominant drum) pitches of a key inside the timpani range."""
    tonic = _TIMPANI_LOW + (key.tonic_pc - _TIMPANI_LOW) % 12
    dominant = tonic + 7 if tonic + 7 <= _TIMPANI_HIGH else tonic - 5
    return tonic, dominant


def map_drum_kit(part: Part, key: Key, end_tick: int) -> tuple[Part, Part | None]:
    """A drum part mapped onto General MIDI level 1 (see :mod:`soundtrack.mix`, step 1).

    Args:
        part: a part with ``is_drums=True``.
        key: the cue's key (tunes the timpani).
        end_tick: the cue's end (timpani notes ring at most to it).

    Returns:
        ``(kit, timpani)``: the kit part (program kept when GM-compatible, else 0; only GM1
        percussion keys 35-81) and, for the orchestra kit when it plays toms, a melodic
        ``Timpani`` part (program 47), else ``None``.
    """
    low_key, high_key = GM_PERCUSSION_RANGE
    kit_notes = [note for note in part.notes if low_key <= note.pitch <= high_key]
    timpani: Part | None = None
    program = part.program if part.program in GM_COMPATIBLE_KITS else 0
    if part.program == ORCHESTRA_KIT:
        tonic, dominant = _timpani_pitches(key)
        drums = _TOMS_LOW | _TOMS_HIGH
        struck = [note for note in kit_notes if note.pitch in drums]
        kit_notes = [note for note in kit_notes if note.pitch not in drums]
        if struck:
            onsets = sorted({note.start_tick for note in struck})
            by_start: dict[tuple[int, int], Note] = {}
            for note in struck:
                pitch = tonic if note.pitch in _TOMS_LOW else dominant
                following = bisect.bisect_right(onsets, note.start_tick)
                ring = TICKS_PER_QUARTER
                if following < len(onsets):
                    ring = min(ring, onsets[following] - note.start_tick)
                duration = min(max(note.duration_ticks, ring), end_tick - note.start_tick)
                if duration <= 0:
                    continue
                old = by_start.get((note.start_tick, pitch))
                if old is None or old.velocity < note.velocity:
                    by_start[(note.start_tick, pitch)] = Note(
                        start_tick=note.start_tick,
                        duration_ticks=duration,
                        pitch=pitch,
                        velocity=note.velocity,
                    )
            name = "Timpani"
            timpani = Part(
                name=name,
                role=Role.DRUMS,
                program=TIMPANI_PROGRAM,
                notes=tuple(sorted(by_start.values(), key=lambda n: (n.start_tick, n.pitch))),
                low_pitch=_TIMPANI_LOW,
                high_pitch=_TIMPANI_HIGH,
            )
    kit_name = "Percussion" if timpani is not None and part.name == "Timpani" else part.name
    kit = Part(
        name=kit_name,
        role=part.role,
        program=program,
        notes=tuple(kit_notes),
        low_pitch=part.low_pitch,
        high_pitch=part.high_pitch,
        is_drums=True,
        controls=part.controls,
    )
    return kit, timpani
