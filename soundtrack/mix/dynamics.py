"""Steps 4 and 7 of the mix: dynamics that follow the mood arc inside a cue.

Input: the lines being mixed (:class:`~soundtrack.mix.lines.Line`) and the cue's
:class:`~soundtrack.mix.arc.Arc`, or the cue's spec (bar moods, sections, hit ticks, meter).
Output: :func:`shape_velocities` scales every note's velocity (MIDI 1-127, in place) by the arc
around the cue's mean; :func:`expression_curve` gives the CC11 (expression) curve of the cue as
``(tick, value)`` pairs, one per beat where the value changes (ticks from the cue start, values
1-127); :func:`merged_expression` folds that curve into a part's own controllers so that the part
has one CC11 stream.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

import numpy as np

from soundtrack.mix.arc import Arc, section_energies
from soundtrack.mix.lines import Line
from soundtrack.model import ControlChange, CueSpec, Role
from soundtrack.units import TICKS_PER_QUARTER

__all__ = [
    "EXPRESSION_AROUSAL",
    "DUCKED_ROLES",
    "EXPRESSION_BASE",
    "THEME_DUCK",
    "EXPRESSION_CONTROL",
    "EXPRESSION_TENSION",
    "HIT_SWELL",
    "SECTION_RISE",
    "SECTION_SWELL",
    "SWELL_DIP",
    "VELOCITY_AROUSAL",
    "VELOCITY_TENSION",
    "expression_curve",
    "ducked_curve",
    "merged_expression",
    "shape_velocities",
]

#: The expression controller.
EXPRESSION_CONTROL = 11

#: Velocity factor per unit of arousal / tension away from the cue's mean.
VELOCITY_AROUSAL = 0.4
VELOCITY_TENSION = 0.15

#: Expression (CC11) = BASE + AROUSAL * arousal + TENSION * tension (the EXPRESSION_* values).
EXPRESSION_BASE = 92.0
EXPRESSION_AROUSAL = 24.0
EXPRESSION_TENSION = 6.0
#: Crescendo into a hit (CC11 added at the hit) and into a section that raises the energy.
HIT_SWELL = 20.0
SECTION_SWELL = 12.0
#: CC11 dip at the start of a crescendo (below the curve).
SWELL_DIP = 6.0
#: Smallest rise in section energy that earns a crescendo into the section.
SECTION_RISE = 0.08
#: Expression factor of the chord parts (harmony, pad, counter) while the lead states a
#: leitmotif: the band steps back about 3 dB so the theme sits in front.
THEME_DUCK = 0.82
#: Roles that step back under a theme.
DUCKED_ROLES = frozenset({Role.HARMONY, Role.PAD, Role.COUNTER})


def shape_velocities(lines: list[Line], arc: Arc) -> None:
    """Scale velocities by the arc around the cue's mean (see :mod:`soundtrack.mix`, step 4)."""
    mean_arousal = float(arc.arousal.mean())
    mean_tension = float(arc.tension.mean())
    for line in lines:
        if not line.notes:
            continue
        arousal, tension = arc.at([note[0] for note in line.notes])
        factors = (
            1.0
            + VELOCITY_AROUSAL * (arousal - mean_arousal)
            + VELOCITY_TENSION * (tension - mean_tension)
        )
        for note, factor in zip(line.notes, factors, strict=True):
            note[3] = int(min(127, max(1, round(note[3] * float(factor)))))


def expression_curve(spec: CueSpec) -> tuple[tuple[int, int], ...]:
    """The CC11 curve of a cue: ``(tick, value)`` pairs, one per beat (at most a quarter note)
    where the value changes, the first at tick 0 (see :mod:`soundtrack.mix`, step 7).

    Args:
        spec: the cue (bar moods, sections, hits, meter, ``end_tick``).

    Returns:
        Increasing ticks inside ``0 .. end_tick``; values 1-127.
    """
    if spec.end_tick <= 0:
        return ()
    step = spec.meter.pulse_ticks
    while step > TICKS_PER_QUARTER and step % 2 == 0:
        step //= 2
    bar_ticks = spec.meter.bar_ticks
    hits = sorted({hit.tick for hit in spec.hits if 0 <= hit.tick < spec.end_tick})
    grid = sorted(set(range(0, spec.end_tick, step)) | set(hits))
    ticks = np.asarray(grid, dtype=np.float64)
    arc = Arc.of(spec)
    arousal, tension = arc.at(ticks)
    values = EXPRESSION_BASE + EXPRESSION_AROUSAL * arousal + EXPRESSION_TENSION * tension
    swells: list[tuple[int, float, int]] = [(tick, HIT_SWELL, bar_ticks) for tick in hits]
    energies = section_energies(spec)
    for index in range(1, len(spec.sections)):
        if energies[index] - energies[index - 1] >= SECTION_RISE:
            swells.append((spec.sections[index].start_bar * bar_ticks, SECTION_SWELL, bar_ticks))
    envelope = np.zeros_like(ticks)
    for target, amount, length in swells:
        before = (ticks >= target - length) & (ticks <= target)
        share = (ticks[before] - (target - length)) / max(length, 1)
        rise = -SWELL_DIP + (amount + SWELL_DIP) * share**2
        envelope[before] = np.where(np.abs(rise) > np.abs(envelope[before]), rise, envelope[before])
        after = (ticks > target) & (ticks <= target + 2 * step)
        release = amount * (1.0 - (ticks[after] - target) / (2 * step))
        envelope[after] = np.maximum(envelope[after], release)
    curve = np.clip(np.rint(values + envelope), 1, 127).astype(int)
    result: list[tuple[int, int]] = []
    for tick, value in zip(grid, curve.tolist(), strict=True):
        if not result or result[-1][1] != value:
            result.append((tick, int(value)))
    return tuple(result)


def ducked_curve(
    curve: Sequence[tuple[int, int]], windows: Sequence[tuple[int, int]]
) -> tuple[tuple[int, int], ...]:
    """``curve`` (``(tick, CC11)`` pairs) times :data:`THEME_DUCK` inside the ``windows``
    (``start_tick, end_tick``), with a point at each window edge so the step back is exact."""
    if not windows or not curve:
        return tuple(curve)
    ticks = [tick for tick, _ in curve]

    def value_at(tick: int) -> int:
        return curve[max(bisect.bisect_right(ticks, tick) - 1, 0)][1]

    edges = {edge for window in windows for edge in window}
    result: list[tuple[int, int]] = []
    for tick in sorted(set(ticks) | edges):
        value = value_at(tick)
        if any(start <= tick < end for start, end in windows):
            value = max(1, round(value * THEME_DUCK))
        if not result or result[-1][1] != value:
            result.append((tick, value))
    return tuple(result)


def merged_expression(
    curve: Sequence[tuple[int, int]], controls: tuple[ControlChange, ...]
) -> tuple[ControlChange, ...]:
    """The part's controllers with one CC11 stream: ``curve`` times the part's own CC11 (/127)."""
    own = sorted(
        (control.tick, control.value)
        for control in controls
        if control.control == EXPRESSION_CONTROL
    )
    others = [control for control in controls if control.control != EXPRESSION_CONTROL]
    if own:
        curve_ticks = [tick for tick, _ in curve]
        own_ticks = [tick for tick, _ in own]
        merged: list[tuple[int, int]] = []
        for tick in sorted(set(curve_ticks) | set(own_ticks)):
            mine = curve[max(bisect.bisect_right(curve_ticks, tick) - 1, 0)][1]
            index = bisect.bisect_right(own_ticks, tick) - 1
            theirs = own[index][1] if index >= 0 else 127
            value = max(1, min(127, round(mine * theirs / 127)))
            if not merged or merged[-1][1] != value:
                merged.append((tick, value))
        curve = merged
    events = [
        ControlChange(tick=tick, control=EXPRESSION_CONTROL, value=value) for tick, value in curve
    ]
    return tuple(sorted([*others, *events], key=lambda control: (control.tick, control.control)))
