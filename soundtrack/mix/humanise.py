"""Step 6 of the mix: humanisation, deterministic for the generator.

Input: the lines being mixed (:class:`~soundtrack.mix.lines.Line`), the cue's spec (hit ticks,
``end_tick``) and the mix's random generator. Output: the same lines, edited in place, with
velocity jitter (+- :data:`VELOCITY_JITTER` MIDI velocity units, uniform) and, with ``timing``,
timing jitter per onset (normal, in ticks at 480 per quarter note, per role in
:data:`TIMING_JITTER_TICKS`; the lead is not moved). Notes on a hit tick or on tick 0 never move;
no note moves before 0, past the end of the cue, or onto or over another note of its pitch.
"""

from __future__ import annotations

import numpy as np

from soundtrack.mix.lines import Line
from soundtrack.model import CueSpec, Role

__all__ = ["HUMANISE_TIMING", "TIMING_JITTER_TICKS", "VELOCITY_JITTER", "humanise"]

#: Whether :func:`soundtrack.mix.mix_scene` moves onsets by default (a played feel). The
#: style-trait tests turn it off to check the written rhythm on its exact grid steps.
HUMANISE_TIMING = True
#: Velocity jitter, +- MIDI velocity units (uniform).
VELOCITY_JITTER = 4
#: Timing jitter per role: (standard deviation, largest shift), ticks. The lead is not moved.
TIMING_JITTER_TICKS: dict[Role, tuple[float, int]] = {
    Role.DRUMS: (1.5, 3),
    Role.BASS: (3.0, 6),
    Role.HARMONY: (4.0, 8),
    Role.PAD: (4.0, 8),
    Role.COUNTER: (4.0, 8),
}


def humanise(lines: list[Line], spec: CueSpec, rng: np.random.Generator, *, timing: bool) -> None:
    """Velocity and (with ``timing``) timing jitter (see :mod:`soundtrack.mix`, step 6); the
    same draws per line, in order, either way."""
    fixed = {hit.tick for hit in spec.hits} | {0}
    for line in lines:
        line.sort()
        count = len(line.notes)
        velocity_jitter = rng.integers(-VELOCITY_JITTER, VELOCITY_JITTER + 1, size=count)
        onsets = sorted({note[0] for note in line.notes})
        sd, largest = TIMING_JITTER_TICKS.get(line.role, (0.0, 0))
        draws = rng.normal(0.0, 1.0, size=len(onsets))
        for note, jitter in zip(line.notes, velocity_jitter.tolist(), strict=True):
            if note[0] not in fixed:
                note[3] = min(127, max(1, note[3] + jitter))
        if largest == 0 or not timing:
            continue
        moves = np.clip(np.rint(sd * draws), -largest, largest).astype(int).tolist()
        shift = {
            onset: 0 if onset in fixed else move for onset, move in zip(onsets, moves, strict=True)
        }
        by_pitch: dict[int, list[list[int]]] = {}
        for note in line.notes:
            by_pitch.setdefault(note[2], []).append(note)
        for group in by_pitch.values():
            originals = [note[0] for note in group]
            for index, note in enumerate(group):
                delta = shift[note[0]]
                if delta == 0:
                    continue
                start = note[0] + delta
                low = group[index - 1][0] + 1 if index > 0 else 0
                high = originals[index + 1] - 1 if index + 1 < len(group) else spec.end_tick - 1
                start = max(low, min(start, high))
                end = min(note[1] + (start - note[0]), spec.end_tick)
                if end <= start:
                    continue
                note[0], note[1] = start, end
            for before, after in zip(group, group[1:], strict=False):
                if before[1] > after[0]:
                    before[1] = after[0]
        line.notes = [note for note in line.notes if note[1] > note[0]]
        line.sort()
