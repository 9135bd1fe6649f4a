"""Shared tools of the accompaniment parts (bass, drums, backing).

Input: a :class:`~soundtrack.model.CueSpec`, its :class:`~soundtrack.styles.schema.Style` and an
instrument's patterns. Output: what every accompaniment engine needs and nothing musical of its
own: the bar map of the cue (sections, phrases, moods), the pattern each bar plays, parsed step
grids, and :class:`NoteBuffer`, which turns raw note lists into a valid, performed
:class:`~soundtrack.model.Part` note tuple in a few numpy operations (swing, dynamics from the mood
arc, humanised velocity, no same-pitch overlaps, nothing past the end of the cue, pitches inside
the instrument's range).

Dynamics follow DESIGN.md's mood table: the loudness factor of a bar is
``0.6 + 0.7 * arousal + 0.15 * tension`` (about 0.6 calm .. 1.45 excited and tense), interpolated
between bar centres so that dynamics follow the arc continuously inside the cue.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from soundtrack.compose.lead import swing_ratio
from soundtrack.model import CueSpec, Mood, Note
from soundtrack.styles.schema import Instrument, Pattern, PatternPlace, Style
from soundtrack.units import TICKS_PER_QUARTER

__all__ = [
    "BarContext",
    "BarPlan",
    "NoteBuffer",
    "bar_contexts",
    "bar_grid",
    "bar_moods",
    "grid_events",
    "loudness",
    "plan_bars",
    "rhythm_swing_ratio",
    "swing_ticks",
]

#: Velocity jitter (uniform, +-) added to every note, MIDI velocity units.
VELOCITY_JITTER = 3
#: Level of notes that start off the counted pulse, relative to those on it.
OFFBEAT_LEVEL = 0.92
_EIGHTH = TICKS_PER_QUARTER // 2


@dataclass(frozen=True, slots=True, kw_only=True)
class BarContext:
    """Where a bar sits in the cue and its mood.

    Attributes:
        index: bar number 0..bars-1.
        start_tick: first tick of the bar.
        section: name of the section the bar belongs to (``""`` when no section covers it).
        bar_in_section: 0-based bar number inside its section.
        section_start: first bar of its section.
        section_end: last bar of its section (never the cue's last bar).
        final: the cue's last bar.
        mood: the arc at the middle of the bar.
        phrase_arousal, phrase_tension: mean arousal and tension (0..1) of the bar's phrase
            (``Style.phrase_bars`` bars from the section start), which choose its patterns.
    """

    index: int
    start_tick: int
    section: str
    bar_in_section: int
    section_start: bool
    section_end: bool
    final: bool
    mood: Mood
    phrase_arousal: float
    phrase_tension: float


@dataclass(frozen=True, slots=True, kw_only=True)
class BarPlan:
    """The patterns one instrument plays in one bar.

    Attributes:
        main: the pattern to play (``None``: the instrument rests). In the cue's last bar it is the
            ``final`` pattern when one fits, else the body pattern of the phrase.
        overlay: a drum pattern laid over ``main`` (``section-start`` drum patterns), or ``None``.
    """

    main: Pattern | None
    overlay: Pattern | None = None


def bar_moods(spec: CueSpec) -> tuple[Mood, ...]:
    """The spec's per-bar moods, or its cue mood repeated when ``bar_moods`` is not per bar."""
    if len(spec.bar_moods) == spec.bars:
        return spec.bar_moods
    return (spec.mood,) * spec.bars


def bar_contexts(spec: CueSpec, style: Style) -> tuple[BarContext, ...]:
    """The bar map of a cue: one :class:`BarContext` per bar."""
    moods = bar_moods(spec)
    names = [""] * spec.bars
    in_section = list(range(spec.bars))
    starts = [index == 0 for index in range(spec.bars)]
    ends = [False] * spec.bars
    for section in sorted(spec.sections, key=lambda item: item.start_bar):
        first = max(section.start_bar, 0)
        last = min(section.start_bar + section.bars, spec.bars) - 1
        if last < first:
            continue
        for bar in range(first, last + 1):
            names[bar] = section.name
            in_section[bar] = bar - section.start_bar
        starts[first] = True
        ends[last] = True
    phrase_bars = max(style.phrase_bars, 1)
    phrase_of = [bar - in_section[bar] + (in_section[bar] // phrase_bars) * phrase_bars
                 for bar in range(spec.bars)]
    phrase_members: dict[int, list[int]] = {}
    for bar, phrase in enumerate(phrase_of):
        phrase_members.setdefault(phrase, []).append(bar)
    phrase_mood = {
        phrase: (
            sum(moods[member].arousal for member in members) / len(members),
            sum(moods[member].tension for member in members) / len(members),
        )
        for phrase, members in phrase_members.items()
    }
    contexts: list[BarContext] = []
    for bar in range(spec.bars):
        phrase_arousal, phrase_tension = phrase_mood[phrase_of[bar]]
        contexts.append(
            BarContext(
                index=bar,
                start_tick=bar * spec.meter.bar_ticks,
                section=names[bar],
                bar_in_section=in_section[bar],
                section_start=starts[bar],
                section_end=ends[bar] and bar != spec.bars - 1,
                final=bar == spec.bars - 1,
                mood=moods[bar],
                phrase_arousal=phrase_arousal,
                phrase_tension=phrase_tension,
            )
        )
    return tuple(contexts)


def _fitting(
    patterns: Sequence[Pattern], place: PatternPlace, *, arousal: float, tension: float,
    section: str,
) -> Pattern | None:
    """The last pattern of ``place`` whose conditions hold."""
    chosen: Pattern | None = None
    for pattern in patterns:
        if pattern.place is place and pattern.fits(
            arousal=arousal, tension=tension, section=section
        ):
            chosen = pattern
    return chosen


def plan_bars(
    instrument: Instrument,
    contexts: Sequence[BarContext],
    rng: np.random.Generator,
) -> tuple[BarPlan, ...]:
    """The patterns an instrument plays in every bar (see :class:`~soundtrack.styles.schema.Pattern`
    for the rules).

    Args:
        instrument: the instrument and its patterns.
        contexts: the cue's bars.
        rng: the part's generator (section-start/-end probabilities).

    Returns:
        One :class:`BarPlan` per bar.
    """
    is_drums = any(pattern.drums for pattern in instrument.patterns)
    plans: list[BarPlan] = []
    for context in contexts:
        section = context.section
        arousal, tension = context.mood.arousal, context.mood.tension
        main = _fitting(instrument.patterns, PatternPlace.BODY, arousal=context.phrase_arousal,
                        tension=context.phrase_tension, section=section)
        overlay: Pattern | None = None
        if context.final:
            final = _fitting(instrument.patterns, PatternPlace.FINAL, arousal=arousal,
                             tension=tension, section=section)
            plans.append(BarPlan(main=final or main))
            continue
        if context.section_start and context.index > 0:
            start = _fitting(instrument.patterns, PatternPlace.SECTION_START, arousal=arousal,
                             tension=tension, section=section)
            if start is not None and rng.random() < start.probability:
                if is_drums:
                    overlay = start
                else:
                    main = start
        if context.section_end:
            end = _fitting(instrument.patterns, PatternPlace.SECTION_END, arousal=arousal,
                           tension=tension, section=section)
            if end is not None and rng.random() < end.probability:
                main = end
        plans.append(BarPlan(main=main, overlay=overlay))
    return tuple(plans)


def bar_grid(grid: str, steps: int, bar_in_section: int) -> str:
    """The one-bar slice of a grid (grids longer than a bar run from each section start)."""
    bars = max(len(grid) // steps, 1)
    offset = (bar_in_section % bars) * steps
    return grid[offset : offset + steps]


@functools.lru_cache(maxsize=1024)
def grid_events(grid: str) -> tuple[tuple[int, int, str], ...]:
    """The notes of a one-bar grid: ``(step, length_in_steps, symbol)`` per onset.

    ``-`` lengthens the note before it; ``.`` (and a ``-`` with no note before it) is a rest.
    """
    events: list[list[int | str]] = []
    sounding = False
    for step, symbol in enumerate(grid):
        if symbol == ".":
            sounding = False
        elif symbol == "-":
            if sounding:
                events[-1][1] = int(events[-1][1]) + 1
        else:
            events.append([step, 1, symbol])
            sounding = True
    return tuple((int(step), int(length), str(symbol)) for step, length, symbol in events)


def loudness(mood: Mood) -> float:
    """Loudness factor of a mood (1.0 at arousal 0.5, tension 0.33; see the module docstring)."""
    return 0.6 + 0.7 * mood.arousal + 0.15 * mood.tension


def rhythm_swing_ratio(spec: CueSpec, style: Style) -> float:
    """Long-to-short ratio of the rhythm section's off-beat eighths (1.0 = straight).

    Swing applies in quarter-based meters (``x/4`` and ``x/2``) when ``style.swing > 0``; the ratio
    follows the tempo as for the lead (about 3:1 at 60, 2:1 at 140, 1.1:1 at 300 quarter bpm),
    scaled by ``style.swing``.
    """
    if style.swing <= 0.0 or spec.meter.denominator not in (2, 4):
        return 1.0
    quarter_bpm = spec.tempo_bpm * spec.meter.pulse_ticks / TICKS_PER_QUARTER
    return swing_ratio(quarter_bpm, style.swing)


def swing_ticks(ticks: np.ndarray, ratio: float) -> np.ndarray:
    """Ticks moved by swing: each quarter's off-beat eighth moves to ``480 * r / (1 + r)``.

    The map is piecewise linear inside each quarter (so it keeps beats, keeps order and never
    makes a note negative); ``ratio`` 1.0 returns the ticks unchanged.
    """
    if ratio == 1.0:
        return ticks
    beat = TICKS_PER_QUARTER
    swung = beat * ratio / (1.0 + ratio)
    position = ticks % beat
    base = ticks - position
    early = position <= _EIGHTH
    moved = np.where(
        early,
        position * (swung / _EIGHTH),
        swung + (position - _EIGHTH) * ((beat - swung) / _EIGHTH),
    )
    result: np.ndarray = base + np.rint(moved).astype(np.int64)
    return result


class NoteBuffer:
    """Collects a part's notes, then performs and cleans them into :class:`Note` values."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.pitches: list[int] = []
        self.levels: list[float] = []

    def add(self, start_tick: int, end_tick: int, pitch: int, level: float) -> None:
        """Add a note from ``start_tick`` to ``end_tick`` (ticks); ``level`` is its velocity before
        dynamics (the instrument's velocity times accents)."""
        if end_tick > start_tick:
            self.starts.append(start_tick)
            self.ends.append(end_tick)
            self.pitches.append(pitch)
            self.levels.append(level)

    def extend_from(self, start_tick: int, end_tick: int) -> None:
        """Hold every note that starts at or after ``start_tick`` until ``end_tick``."""
        for index, start in enumerate(self.starts):
            if start >= start_tick:
                self.ends[index] = max(self.ends[index], end_tick)

    def notes(
        self,
        spec: CueSpec,
        *,
        rng: np.random.Generator,
        low_pitch: int,
        high_pitch: int,
        swing: float = 1.0,
        tie: bool = False,
    ) -> tuple[Note, ...]:
        """The finished notes, sorted by start tick then pitch.

        Args:
            spec: the cue (``end_tick``, per-bar moods for dynamics, meter for off-beats).
            rng: the part's generator (velocity jitter).
            low_pitch, high_pitch: the instrument's range; pitches are folded into it by octaves.
            swing: swing ratio of off-beat eighths (1.0 = straight).
            tie: merge a note into the next of the same pitch that starts where it ends.

        Returns:
            Notes inside ``0 .. spec.end_tick``, durations > 0, velocities 1-127, no two notes of
            the same pitch overlapping.
        """
        if not self.starts:
            return ()
        starts = np.asarray(self.starts, dtype=np.int64)
        ends = np.asarray(self.ends, dtype=np.int64)
        pitches = np.asarray(self.pitches, dtype=np.int64)
        levels = np.asarray(self.levels, dtype=np.float64)
        offbeat = (starts % spec.meter.pulse_ticks) != 0
        levels = np.where(offbeat, levels * OFFBEAT_LEVEL, levels)
        starts = swing_ticks(starts, swing)
        ends = swing_ticks(ends, swing)
        ends = np.minimum(ends, spec.end_tick)
        while np.any(pitches < low_pitch):
            pitches = np.where(pitches < low_pitch, pitches + 12, pitches)
        while np.any(pitches > high_pitch):
            pitches = np.where(pitches > high_pitch, pitches - 12, pitches)
        keep = (starts >= 0) & (starts < spec.end_tick) & (ends > starts)
        starts, ends, pitches, levels = starts[keep], ends[keep], pitches[keep], levels[keep]
        if starts.size == 0:
            return ()
        order = np.lexsort((starts, pitches))
        starts, ends, pitches, levels = starts[order], ends[order], pitches[order], levels[order]
        same = pitches[1:] == pitches[:-1]
        ends[:-1] = np.where(same, np.minimum(ends[:-1], starts[1:]), ends[:-1])
        keep = ends > starts
        starts, ends, pitches, levels = starts[keep], ends[keep], pitches[keep], levels[keep]
        if tie and starts.size > 1:
            starts, ends, pitches, levels = _tie(starts, ends, pitches, levels)
        bar_ticks = spec.meter.bar_ticks
        centres = (np.arange(spec.bars, dtype=np.float64) + 0.5) * bar_ticks
        factors = np.array([loudness(mood) for mood in bar_moods(spec)], dtype=np.float64)
        factor = np.interp(starts.astype(np.float64), centres, factors)
        jitter = rng.integers(-VELOCITY_JITTER, VELOCITY_JITTER + 1, size=starts.size)
        velocities = np.clip(np.rint(levels * factor) + jitter, 1, 127).astype(np.int64)
        order = np.lexsort((pitches, starts))
        return tuple(
            Note(start_tick=start, duration_ticks=end - start, pitch=pitch, velocity=velocity)
            for start, end, pitch, velocity in zip(
                starts[order].tolist(),
                ends[order].tolist(),
                pitches[order].tolist(),
                velocities[order].tolist(),
                strict=True,
            )
        )


def _tie(
    starts: np.ndarray, ends: np.ndarray, pitches: np.ndarray, levels: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Merge abutting notes of one pitch (arrays sorted by pitch, then start)."""
    keep = np.ones(starts.size, dtype=bool)
    head = 0
    for index in range(1, starts.size):
        if pitches[index] == pitches[head] and starts[index] == ends[head]:
            ends[head] = ends[index]
            keep[index] = False
        else:
            head = index
    return starts[keep], ends[keep], pitches[keep], levels[keep]
