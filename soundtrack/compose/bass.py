"""Bass: the bass part of a cue, from the style's step-grid patterns.

Input: a :class:`~soundtrack.model.CueSpec`, its :class:`~soundtrack.styles.schema.Style`, the
cue's chord symbols and a random generator. Output: the bass :class:`~soundtrack.model.Part`.

A bass grid names chord functions per step (see :data:`~soundtrack.styles.schema.BASS_SYMBOLS`):
``R.5.`` is a tuba's oom-pah (root on the beat, the fifth below on the next), ``RWWA`` a walking
bass (root, two walking tones moving towards the next root, a chromatic or scale approach),
``RRRRRRRR`` with accents a driving ostinato, ``R...cccc`` a chromatic run into the next section.
Every tone is placed in the octave nearest the previous one (pulled gently towards the low third
of the range), so lines move smoothly and stay inside the instrument's range. The last bar holds
the final chord's root to the end of the cue. Velocity follows the arousal of each bar.

Valence shapes it too: in clearly happy or sad bars a chord whose root lies outside the key's
tonic triad but whose third lies in it is often played in first inversion (``vi`` over the
tonic, ``bVI`` over the minor tonic), so the bass leans on the key's 1-3-5 and moves in steps.

Tension shapes the line: approach tones (``A``) are chromatic more often the tenser the bar (a
calm line approaches from the neighbouring scale tone), and tense phrases (from
:data:`PEDAL_TENSION`) of root-based patterns (no walking ``W``) may sit on a tonic pedal point
under the moving chords.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from soundtrack.compose.arrangement import (
    BarContext,
    NoteBuffer,
    bar_contexts,
    bar_grid,
    grid_events,
    plan_bars,
    rhythm_swing_ratio,
)
from soundtrack.compose.harmony import ChordTimeline, chord_quality
from soundtrack.compose.lead import chromatic_factor
from soundtrack.model import ChordSymbol, CueSpec, Mode, Part, Role
from soundtrack.styles.schema import Instrument, Pattern, PatternPlace, Style

__all__ = ["INVERSION_MAX", "PEDAL_TENSION", "compose_bass"]

#: Level of an accented step relative to the instrument's velocity.
ACCENT_LEVEL = 1.2
#: Phrase tension from which the bass may hold a pedal point; the chance rises to
#: :data:`PEDAL_MAX` at :data:`PEDAL_FULL_TENSION`.
PEDAL_TENSION = 0.7
PEDAL_FULL_TENSION = 0.95
PEDAL_MAX = 0.75
#: Chance that an approach tone is chromatic at tension 0.5 (scaled like the lead's
#: chromaticism, see :func:`soundtrack.compose.lead.chromatic_factor`).
CHROMATIC_APPROACH = 0.7
#: Most often (at a clear valence) a chord rooted outside the tonic triad is played in first
#: inversion when its third is in it (see ``_BassLine.bass_pc``).
INVERSION_MAX = 0.6
#: Weight of the pull towards the centre of the register when choosing an octave.
_CENTRE_PULL = 0.5
_MAJOR_SCALE = (0, 2, 4, 5, 7, 9, 11)
_HARMONIC_MINOR = (0, 2, 3, 5, 7, 8, 11)
_FINAL_PATTERN = Pattern(steps=1, grids=("R",), place=PatternPlace.FINAL)


def compose_bass(
    spec: CueSpec,
    style: Style,
    chords: tuple[ChordSymbol, ...],
    *,
    rng: np.random.Generator,
    instrument: Instrument | None = None,
) -> Part:
    """Compose the bass part of a cue.

    Args:
        spec: the cue (key, meter, bars, sections, per-bar moods, ``end_tick``).
        style: its style.
        chords: the cue's chord symbols (sorted, covering the cue).
        rng: the part's own random generator.
        instrument: the bass instrument; default the style's first ``bass`` instrument.

    Returns:
        The part: notes inside ``0 .. spec.end_tick`` and the instrument's range, no same-pitch
        overlaps, the last note held to ``spec.end_tick``.

    Raises:
        ValueError: when no instrument is given and the style has no bass.
    """
    if instrument is None:
        candidates = style.instruments_with_role(Role.BASS)
        if not candidates:
            raise ValueError(f"style {style.id!r} has no bass instrument")
        instrument = candidates[0]
    part = Part(
        name=instrument.name,
        role=instrument.role,
        program=instrument.program,
        notes=(),
        low_pitch=instrument.low_pitch,
        high_pitch=instrument.high_pitch,
    )
    if spec.end_tick <= 0 or not chords:
        return part
    line = _BassLine(spec, instrument, chords)
    buffer = NoteBuffer()
    contexts = bar_contexts(spec, style)
    pedals = _pedals(spec, style, contexts, rng)
    for context, plan in zip(contexts, plan_bars(instrument, contexts, rng), strict=True):
        pattern = plan.main
        if context.final and (pattern is None or pattern.place is not PatternPlace.FINAL):
            pattern = _FINAL_PATTERN
        if pattern is None:
            continue
        grid = pattern.grids[int(rng.integers(len(pattern.grids)))]
        one_bar = bar_grid(grid, pattern.steps, context.bar_in_section)
        line.play_bar(
            buffer,
            pattern,
            one_bar,
            bar_grid(pattern.accents, pattern.steps, context.bar_in_section)
            if pattern.accents else "",
            context.start_tick,
            rng,
            tension=context.mood.tension,
            valence=context.mood.valence if "W" not in one_bar else 0.0,
            pedal=pedals[context.index] if "W" not in one_bar else None,
        )
        if context.final:
            buffer.extend_from(line.last_onset, spec.end_tick)
    notes = buffer.notes(
        spec,
        rng=rng,
        low_pitch=instrument.low_pitch,
        high_pitch=instrument.high_pitch,
        swing=rhythm_swing_ratio(spec, style),
    )
    return Part(
        name=part.name,
        role=part.role,
        program=part.program,
        notes=notes,
        low_pitch=part.low_pitch,
        high_pitch=part.high_pitch,
    )


def _pedals(
    spec: CueSpec, style: Style, contexts: Sequence[BarContext], rng: np.random.Generator
) -> list[int | None]:
    """The pedal pitch class of each bar (``None``: the bass follows the chords).

    A phrase (``style.phrase_bars`` bars from its section start) whose mean tension reaches
    :data:`PEDAL_TENSION` holds the tonic as a pedal with a chance rising to :data:`PEDAL_MAX`
    (the key stays clear however chromatic the chords above get). Never in the cue's last bar.
    """
    pedals: list[int | None] = [None] * len(contexts)
    phrase_bars = max(style.phrase_bars, 1)
    draws: dict[tuple[int, int], float] = {}
    for context in contexts:
        if context.final or context.phrase_tension < PEDAL_TENSION:
            continue
        key = (context.index - context.bar_in_section, context.bar_in_section // phrase_bars)
        if key not in draws:
            draws[key] = float(rng.random())
        share = (context.phrase_tension - PEDAL_TENSION) / (PEDAL_FULL_TENSION - PEDAL_TENSION)
        if draws[key] < PEDAL_MAX * min(1.0, 0.3 + 0.7 * share):
            pedals[context.index] = spec.key.tonic_pc
    return pedals


class _BassLine:
    """The state of a bass line while it is written bar by bar."""

    def __init__(self, spec: CueSpec, instrument: Instrument, chords: tuple[ChordSymbol, ...]):
        self.spec = spec
        self.instrument = instrument
        self.timeline = ChordTimeline(chords)
        self.low = instrument.low_pitch
        self.high = instrument.high_pitch
        self.centre = self.low + 0.35 * (self.high - self.low)
        self.previous = round(self.centre)
        self.last_onset = 0
        steps = _MAJOR_SCALE if spec.key.mode is Mode.MAJOR else _HARMONIC_MINOR
        self.key_scale = frozenset((spec.key.tonic_pc + step) % 12 for step in steps)
        third = 4 if spec.key.mode is Mode.MAJOR else 3
        self.tonic_triad = frozenset(
            (spec.key.tonic_pc + step) % 12 for step in (0, third, 7)
        )
        self.scale_cache: dict[int, tuple[int, ...]] = {}
        self.inversions: dict[int, int] = {}

    # ------------------------------------------------------------ pitch choices

    def nearest(self, pitch_class: int, reference: float, pull: float = 0.0) -> int:
        """The pitch of ``pitch_class`` in range nearest ``reference`` (pulled to the centre)."""
        best = self.low
        best_cost = float("inf")
        pitch = self.low + (pitch_class - self.low) % 12
        while pitch <= self.high:
            cost = abs(pitch - reference) + pull * abs(pitch - self.centre)
            if cost < best_cost:
                best, best_cost = pitch, cost
            pitch += 12
        return best

    def walking_pitches(self, chord_index: int) -> tuple[int, ...]:
        """Pitches in range a walking line may use over a chord: its tones and the key's scale
        tones that do not clash (a semitone) with them."""
        cached = self.scale_cache.get(chord_index)
        if cached is None:
            chord = self.timeline.chords[chord_index]
            tones = frozenset(chord.pitch_classes)
            allowed = set(tones)
            for pitch_class in self.key_scale:
                if all((pitch_class - tone) % 12 not in (1, 11) for tone in tones):
                    allowed.add(pitch_class)
            cached = tuple(p for p in range(self.low, self.high + 1) if p % 12 in allowed)
            self.scale_cache[chord_index] = cached
        return cached

    def bass_pc(self, chord_index: int, valence: float, rng: np.random.Generator) -> int:
        """The pitch class the bass plays as the chord's "root": its root, or its third (first
        inversion) for a chord rooted outside the key's tonic triad whose third is in it, with
        a chance that grows with the clarity of the valence (decided once per chord)."""
        chord = self.timeline.chords[chord_index]
        found = self.inversions.get(chord_index)
        if found is None:
            found = chord.root_pc
            third = (chord.root_pc + chord_quality(chord).third) % 12
            chance = INVERSION_MAX * min(max((abs(valence) - 0.35) / 0.45, 0.0), 1.0)
            if (
                chord.root_pc % 12 not in self.tonic_triad
                and third in self.tonic_triad
                and chord_index < len(self.timeline.chords) - 1
                and rng.random() < chance
            ):
                found = third
            self.inversions[chord_index] = found
        return found

    def root_at(self, tick: int) -> int:
        """Root pitch class of the chord at ``tick`` (the last chord past the end)."""
        return self.timeline.at(min(tick, self.spec.end_tick - 1)).root_pc

    # ------------------------------------------------------------ one bar

    def play_bar(
        self,
        buffer: NoteBuffer,
        pattern: Pattern,
        grid: str,
        accents: str,
        bar_start: int,
        rng: np.random.Generator,
        *,
        tension: float = 0.5,
        valence: float = 0.0,
        pedal: int | None = None,
    ) -> None:
        """Write one bar of ``grid`` (one bar of bass symbols) into ``buffer``.

        ``tension`` (0..1) sets how often approach tones are chromatic; ``valence`` how often
        a chord is played in first inversion (:meth:`bass_pc`); ``pedal`` is a pitch class that
        replaces the chord root (and what is built on it) for the whole bar."""
        step_ticks = self.spec.meter.bar_ticks // pattern.steps
        events = grid_events(grid)
        bar_end = bar_start + self.spec.meter.bar_ticks
        bar_root: int | None = None
        run: list[int] = []
        for index, (step, length, symbol) in enumerate(events):
            start = bar_start + step * step_ticks
            span = length * step_ticks
            chord_index = self.timeline.index_at(start)
            chord = self.timeline.chords[chord_index]
            changes_here = self.timeline.starts[chord_index] == start and start > bar_start
            if changes_here and symbol in "WCA":
                symbol = "R"
            if symbol == "c":
                if not run:
                    run = self.chromatic_run(events, index, bar_start, step_ticks)
                pitch = run.pop(0)
            elif symbol == "R":
                root_pc = pedal if pedal is not None else self.bass_pc(chord_index, valence, rng)
                pitch = self.nearest(root_pc, self.previous, _CENTRE_PULL)
                bar_root = pitch
            elif symbol in "8N":
                root = bar_root if bar_root is not None else self.nearest(
                    chord.root_pc if pedal is None else pedal, self.previous, _CENTRE_PULL
                )
                pitch = root + (12 if symbol == "8" else 1)
                if pitch > self.high:
                    pitch -= 12
            elif symbol == "5" and pedal is not None:
                pitch = self.nearest((pedal + 7) % 12, self.previous)
            elif symbol in "357":
                pitch = self.chord_function(chord, symbol)
            elif symbol == "C":
                pitch = self.random_chord_tone(chord, rng)
            elif symbol == "A":
                target = self.nearest(self.root_at(start + span), self.previous, _CENTRE_PULL)
                pitch = self.approach(target, rng, tension)
            else:  # "W"
                pitch = self.walk(events, index, bar_start, bar_end, step_ticks, chord_index, rng)
            level = float(self.instrument.velocity)
            if accents and step < len(accents) and accents[step] == "x":
                level *= ACCENT_LEVEL
            end = start + max(1, round(span * pattern.gate))
            buffer.add(start, end, pitch, level)
            self.previous = pitch
            self.last_onset = start

    def chord_function(self, chord: ChordSymbol, symbol: str) -> int:
        """The chord's third, fifth or seventh (``3``/``5``/``7``) nearest the last note."""
        quality = chord_quality(chord)
        offset = {"3": quality.third, "5": quality.fifth, "7": quality.seventh}[symbol]
        if offset is None:
            offset = 12
        return self.nearest((chord.root_pc + offset) % 12, self.previous)

    def random_chord_tone(self, chord: ChordSymbol, rng: np.random.Generator) -> int:
        """A chord tone within a fifth of the last note."""
        options = [
            pitch for pitch in range(max(self.low, self.previous - 7),
                                     min(self.high, self.previous + 7) + 1)
            if pitch % 12 in chord.pitch_classes and pitch != self.previous
        ]
        if not options:
            return self.nearest(chord.root_pc, self.previous)
        return options[int(rng.integers(len(options)))]

    def approach(self, target: int, rng: np.random.Generator, tension: float = 0.5) -> int:
        """A tone next to ``target`` from the side the line comes from: a chromatic semitone
        (more often the tenser the bar) or the neighbouring tone of the key's scale."""
        side = -1 if self.previous < target else 1
        if rng.random() < 0.3:
            side = -side
        chromatic = rng.random() < min(0.95, CHROMATIC_APPROACH * chromatic_factor(tension))
        if chromatic:
            pitch = target + side
        else:
            pitch = target + side
            while pitch % 12 not in self.key_scale or pitch == target:
                pitch += side
        if not self.low <= pitch <= self.high:
            pitch = target - (pitch - target)
        return min(max(pitch, self.low), self.high)

    def walk(
        self,
        events: tuple[tuple[int, int, str], ...],
        index: int,
        bar_start: int,
        bar_end: int,
        step_ticks: int,
        chord_index: int,
        rng: np.random.Generator,
    ) -> int:
        """A walking tone: a chord or scale tone on the way from the last note to the next root."""
        start = bar_start + events[index][0] * step_ticks
        change = self.timeline.next_change(start)
        target_tick = bar_end if change is None else min(change, bar_end)
        target = self.nearest(self.root_at(target_tick), self.previous, _CENTRE_PULL)
        moves = 1 + sum(
            1 for step, _, _ in events[index:] if bar_start + step * step_ticks < target_tick
        )
        desired = self.previous + (target - self.previous) / moves
        if abs(target - self.previous) < 2:
            desired = self.previous + (3 if self.previous < self.centre else -3)
        best = self.previous
        best_cost = float("inf")
        for pitch in self.walking_pitches(chord_index):
            if pitch == self.previous:
                continue
            cost = abs(pitch - desired) + 0.8 * float(rng.random())
            if pitch == target and moves > 1:
                cost += 3.0  # do not arrive early
            if cost < best_cost:
                best, best_cost = pitch, cost
        return best

    def chromatic_run(
        self,
        events: tuple[tuple[int, int, str], ...],
        index: int,
        bar_start: int,
        step_ticks: int,
    ) -> list[int]:
        """The pitches of the ``c`` run starting at ``events[index]``: semitone steps ending a
        semitone from the root of the chord that follows the run."""
        count = 0
        for _, _, symbol in events[index:]:
            if symbol != "c":
                break
            count += 1
        last_step, last_length, _ = events[index + count - 1]
        after = bar_start + (last_step + last_length) * step_ticks
        target = self.nearest(self.root_at(after), self.previous, _CENTRE_PULL)
        direction = 1 if target >= self.previous else -1
        if not self.low <= target - direction * count <= self.high:
            direction = -direction
        pitches = [target - direction * (count - position) for position in range(count)]
        return [min(max(pitch, self.low), self.high) for pitch in pitches]
