"""Units of time: ticks, seconds and tempo maps.

Inside the engine time is integer ticks at :data:`TICKS_PER_QUARTER` per quarter note. A tempo
map (a sequence of ``(start_tick, microseconds_per_quarter)`` pairs, first at tick 0) converts
ticks to seconds exactly as a MIDI player does.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "TICKS_PER_QUARTER",
    "tempo_map_seconds",
]

#: Ticks per quarter note everywhere in the engine and in written MIDI files.
TICKS_PER_QUARTER = 480


def tempo_map_seconds(tick: int, changes: Sequence[tuple[int, int]]) -> float:
    """Seconds from tick 0 to ``tick`` under a tempo map.

    Args:
        tick: ticks from the start (>= 0).
        changes: ``(start_tick, microseconds_per_quarter)`` pairs sorted by tick, the first at 0.

    Returns:
        The time of ``tick`` in seconds, as a MIDI player computes it.
    """
    seconds = 0.0
    for index, (start_tick, microseconds) in enumerate(changes):
        if start_tick >= tick:
            break
        next_tick = changes[index + 1][0] if index + 1 < len(changes) else tick
        end_tick = min(next_tick, tick)
        seconds += (end_tick - start_tick) * microseconds / (TICKS_PER_QUARTER * 1_000_000)
    return seconds
