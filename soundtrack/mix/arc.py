"""The mood arc of a cue as the mix reads it.

Input: a :class:`~soundtrack.model.CueSpec` (``bar_moods``, ``mood``, ``sections``, meter).
Output: :class:`Arc`, arousal and tension (0..1) as functions of the tick (ticks from the cue
start, linear between bar centres, flat beyond the first and last centre), and
:func:`section_energies`, one energy per section (mean arousal + :data:`TENSION_ENERGY` x mean
tension). The texture, the velocities and the expression curve all read the arc this way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from soundtrack.model import CueSpec

__all__ = ["TENSION_ENERGY", "Arc", "section_energies"]

#: Weight of tension in a section's energy.
TENSION_ENERGY = 0.3


@dataclass(frozen=True, slots=True)
class Arc:
    """The mood arc of a cue as functions of the tick (linear between bar centres)."""

    centres: np.ndarray
    arousal: np.ndarray
    tension: np.ndarray

    @classmethod
    def of(cls, spec: CueSpec) -> Arc:
        moods = spec.bar_moods if len(spec.bar_moods) == spec.bars else (spec.mood,) * spec.bars
        if not moods:
            moods = (spec.mood,)
        centres = (np.arange(len(moods), dtype=np.float64) + 0.5) * spec.meter.bar_ticks
        return cls(
            centres=centres,
            arousal=np.array([mood.arousal for mood in moods], dtype=np.float64),
            tension=np.array([mood.tension for mood in moods], dtype=np.float64),
        )

    def at(self, ticks: Sequence[int] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        points = np.asarray(ticks, dtype=np.float64)
        return (
            np.interp(points, self.centres, self.arousal),
            np.interp(points, self.centres, self.tension),
        )


def section_energies(spec: CueSpec) -> list[float]:
    """Energy (mean arousal + 0.3 x mean tension) of each section of ``spec.sections``."""
    moods = spec.bar_moods if len(spec.bar_moods) == spec.bars else (spec.mood,) * spec.bars
    energies = []
    for section in spec.sections:
        members = moods[max(section.start_bar, 0) : section.start_bar + section.bars] or (
            spec.mood,
        )
        arousal = sum(mood.arousal for mood in members) / len(members)
        tension = sum(mood.tension for mood in members) / len(members)
        energies.append(arousal + TENSION_ENERGY * tension)
    return energies
