"""Backing: the chord parts of a cue (comping, pads, stabs, off-beat chords, counter-lines).

Input: a :class:`~soundtrack.model.CueSpec`, its :class:`~soundtrack.styles.schema.Style`, the
cue's chord symbols and a random generator. Output: one :class:`~soundtrack.model.Part` for an
instrument of role ``harmony``, ``pad`` or ``counter``.

Rhythm comes from the instrument's step grids (:data:`~soundtrack.styles.schema.CHORD_SYMBOLS`):
``.x.x`` is the "pah" of an oom-pah, ``x..x....`` a Charleston, ``x---`` a sustained pad,
``X..X..X.`` brass stabs in 3+3+2, ``x...cccc`` a chromatic run into the next section. A chord held
across a chord change is restruck on the new chord; a short hit up to half a pulse before a change
anticipates it (the jazz "push"). Voicings follow the instrument's :class:`Voicing`: each chord
takes the inversion (and octave) nearest the previous one inside the instrument's range, pulled
towards the middle of the range, a little higher when the arousal, the valence or the tension
is high. In very tense bars (from :data:`CLUSTER_TENSION`) a chord (not the final one) may take
a semitone cluster: the minor ninth above its root joins the voicing (``Harmony.clusters``
scales how often). The ``line`` voicing makes a one-voice counter-line moving to the nearest
guide tone (third, seventh). The last bar holds the final chord to the end of the cue. Film hits
(``spec.hits``) get an accented chord from the ``harmony`` parts.
"""

from __future__ import annotations

import functools

import numpy as np

from soundtrack.compose.arrangement import (
    NoteBuffer,
    bar_contexts,
    bar_grid,
    bar_moods,
    grid_events,
    plan_bars,
    rhythm_swing_ratio,
)
from soundtrack.compose.harmony import ChordTimeline
from soundtrack.model import ChordSymbol, CueSpec, Note, Part, Role
from soundtrack.styles.schema import (
    CHORD_QUALITIES,
    Instrument,
    Pattern,
    PatternPlace,
    Style,
    Voicing,
)

__all__ = [
    "CLUSTER_MAX",
    "CLUSTER_TENSION",
    "chord_voicing",
    "compose_backing",
    "voicing_tones",
]

#: Level of an accented chord (``X``) and of a hit point, relative to the instrument's velocity.
ACCENT_LEVEL = 1.25
#: Semitones the register centre moves between arousal 0 and 1.
REGISTER_SPAN = 6
#: Semitones the register centre moves per unit of valence and of tension (brighter and tenser
#: music sits higher).
REGISTER_MOOD = 2.0
#: Bar tension from which chords may take a semitone cluster (a minor ninth above the root),
#: the tension at which the chance reaches :data:`CLUSTER_MAX`, and that chance.
CLUSTER_TENSION = 0.65
CLUSTER_FULL_TENSION = 0.95
CLUSTER_MAX = 0.8
_BACKING_ROLES = (Role.HARMONY, Role.PAD, Role.COUNTER)
_FINAL_PATTERN = Pattern(steps=1, grids=("x",), place=PatternPlace.FINAL)


def voicing_tones(quality: str, voicing: Voicing, voices: int) -> tuple[int, ...]:
    """The chord tones (semitones above the root, 0-11) a voicing uses, by priority.

    Args:
        quality: a key of :data:`~soundtrack.styles.schema.CHORD_QUALITIES`.
        voicing: the voicing kind (``line`` gives the guide tones to choose from).
        voices: notes per chord (1-6).

    Returns:
        Distinct offsets; at most ``voices`` of them (all guide tones for ``line``).
    """
    chord = CHORD_QUALITIES[quality]
    sevenths = () if chord.seventh is None else (chord.seventh,)
    if voicing is Voicing.LINE:
        guide = (chord.third, *sevenths, *chord.tensions)
        return guide if len(guide) >= 2 else (*guide, chord.fifth, 0)
    if voicing is Voicing.TRIAD:
        order = (chord.third, *sevenths, chord.fifth, 0)
    elif voicing is Voicing.SHELL:
        order = (chord.third, *sevenths, *chord.tensions, chord.fifth)
        if voices > len(order):
            order = (*order, 0)
    else:
        order = (chord.third, *sevenths, *chord.tensions, chord.fifth, 0)
    return order[: max(1, min(voices, len(order)))]


@functools.lru_cache(maxsize=4096)
def _candidates(
    pitch_classes: tuple[int, ...], drop2: bool, low: int, high: int
) -> tuple[tuple[int, ...], ...]:
    """Every close (or drop-2) voicing of the pitch classes inside ``low .. high``."""
    distinct = sorted(set(pitch_classes))
    found: list[tuple[int, ...]] = []
    for bottom in distinct:
        offsets = sorted((pitch_class - bottom) % 12 for pitch_class in distinct)
        if drop2 and len(offsets) >= 3:
            offsets[-2] -= 12
            offsets.sort()
        base = low - 24 + (bottom - (low - 24)) % 12
        while base + offsets[0] <= high:
            pitches = tuple(base + offset for offset in offsets)
            if pitches[0] >= low and pitches[-1] <= high:
                found.append(pitches)
            base += 12
    if not found:
        folded = sorted(low + (pitch_class - low) % 12 for pitch_class in distinct)
        found.append(tuple(folded))
    return tuple(found)


@functools.lru_cache(maxsize=16384)
def chord_voicing(
    pitch_classes: tuple[int, ...],
    previous: tuple[int, ...] | None,
    centre: float,
    low: int,
    high: int,
    drop2: bool,
) -> tuple[int, ...]:
    """The voicing of ``pitch_classes`` nearest ``previous`` (closest inversion), in range.

    Args:
        pitch_classes: the pitch classes to voice (0-11).
        previous: the previous voicing (MIDI pitches, ascending), or ``None`` for the first chord.
        centre: the register centre (MIDI pitch) voicings are pulled towards.
        low, high: the instrument's range (MIDI pitches).
        drop2: drop the second voice from the top an octave (open voicing).

    Returns:
        Ascending MIDI pitches, all inside ``low .. high``.
    """
    best: tuple[int, ...] = ()
    best_cost = float("inf")
    for candidate in _candidates(pitch_classes, drop2, low, high):
        mean = sum(candidate) / len(candidate)
        cost = 0.3 * abs(mean - centre) * len(candidate)
        if previous:
            if len(previous) == len(candidate):
                cost += sum(abs(a - b) for a, b in zip(candidate, previous, strict=True))
            else:
                cost += abs(mean - sum(previous) / len(previous)) * len(candidate)
        if len(candidate) >= 2 and candidate[0] < 48 and candidate[1] - candidate[0] < 5:
            cost += 6.0
        if cost < best_cost:
            best, best_cost = candidate, cost
    return best


def _line_pitch(
    pitch_classes: tuple[int, ...], previous: int | None, centre: float, low: int, high: int
) -> int:
    """The guide tone nearest the previous line note (a repeated note costs a little)."""
    reference = centre if previous is None else previous
    best = low
    best_cost = float("inf")
    for pitch in range(low, high + 1):
        if pitch % 12 not in pitch_classes:
            continue
        cost = abs(pitch - reference) + 0.3 * abs(pitch - centre)
        if previous is not None and pitch == previous:
            cost += 1.5
        if cost < best_cost:
            best, best_cost = pitch, cost
    return best


def compose_backing(
    spec: CueSpec,
    style: Style,
    chords: tuple[ChordSymbol, ...],
    *,
    rng: np.random.Generator,
    instrument: Instrument | None = None,
) -> Part:
    """Compose one chord part (comping, pad, stabs, off-beat chords or counter-line).

    Args:
        spec: the cue (key, meter, bars, sections, per-bar moods, hits, ``end_tick``).
        style: its style.
        chords: the cue's chord symbols (sorted, covering the cue).
        rng: the part's own random generator.
        instrument: the instrument; default the style's first ``harmony``/``pad``/``counter`` one.

    Returns:
        The part: notes inside ``0 .. spec.end_tick`` and the instrument's range, no same-pitch
        overlaps, the final chord held to ``spec.end_tick``.

    Raises:
        ValueError: when no instrument is given and the style has no chord instrument.
    """
    if instrument is None:
        candidates = [item for item in style.instruments if item.role in _BACKING_ROLES]
        if not candidates:
            raise ValueError(f"style {style.id!r} has no harmony, pad or counter instrument")
        instrument = candidates[0]
    notes: tuple[Note, ...] = ()
    if spec.end_tick > 0 and chords:
        notes = _Backing(spec, style, instrument, chords, rng).compose(rng)
    return Part(
        name=instrument.name,
        role=instrument.role,
        program=instrument.program,
        notes=notes,
        low_pitch=instrument.low_pitch,
        high_pitch=instrument.high_pitch,
    )


class _Backing:
    """One chord part being written."""

    def __init__(
        self,
        spec: CueSpec,
        style: Style,
        instrument: Instrument,
        chords: tuple[ChordSymbol, ...],
        rng: np.random.Generator,
    ) -> None:
        self.spec = spec
        self.style = style
        self.instrument = instrument
        self.timeline = ChordTimeline(chords)
        self.voicings = self._voice_all(rng)
        self.buffer = NoteBuffer()
        self.half_pulse = spec.meter.pulse_ticks // 2
        self.line_previous: int | None = None

    def _voice_all(self, rng: np.random.Generator) -> list[tuple[int, ...]]:
        """A voicing per chord, each led from the one before (clusters in tense bars)."""
        instrument = self.instrument
        low, high = instrument.low_pitch, instrument.high_pitch
        middle = (low + high) / 2
        moods = bar_moods(self.spec)
        bar_ticks = self.spec.meter.bar_ticks
        voicings: list[tuple[int, ...]] = []
        previous: tuple[int, ...] | None = None
        for chord in self.timeline.chords:
            bar = min(chord.start_tick // bar_ticks, len(moods) - 1)
            mood = moods[bar]
            centre = middle + REGISTER_SPAN * (mood.arousal - 0.5) + REGISTER_MOOD * (
                mood.valence + mood.tension - 0.3
            )
            offsets = voicing_tones(chord.quality, instrument.voicing, instrument.voices)
            pitch_classes = tuple((chord.root_pc + offset) % 12 for offset in offsets)
            cluster = self.style.harmony.clusters * CLUSTER_MAX * min(
                max((moods[bar].tension - CLUSTER_TENSION)
                    / (CLUSTER_FULL_TENSION - CLUSTER_TENSION), 0.0),
                1.0,
            )
            if (
                cluster > 0.0
                and instrument.voicing is not Voicing.LINE
                and chord is not self.timeline.chords[-1]
                and rng.random() < cluster
            ):
                flat_nine = (chord.root_pc + 1) % 12
                if flat_nine not in pitch_classes:
                    pitch_classes = (*pitch_classes, flat_nine)
            if instrument.voicing is Voicing.LINE:
                line_previous = previous[0] if previous else None
                voicing: tuple[int, ...] = (
                    _line_pitch(pitch_classes, line_previous, centre, low, high),
                )
            else:
                voicing = chord_voicing(
                    pitch_classes, previous, round(centre), low, high,
                    instrument.voicing is Voicing.OPEN,
                )
            voicings.append(voicing)
            previous = voicing
        return voicings

    def compose(self, rng: np.random.Generator) -> tuple[Note, ...]:
        """The part's finished notes."""
        spec = self.spec
        contexts = bar_contexts(spec, self.style)
        for context, plan in zip(contexts, plan_bars(self.instrument, contexts, rng), strict=True):
            pattern = plan.main
            if context.final and (pattern is None or pattern.place is not PatternPlace.FINAL):
                pattern = _FINAL_PATTERN
            if pattern is None:
                continue
            grid = pattern.grids[int(rng.integers(len(pattern.grids)))]
            onset = self._play_bar(
                pattern, bar_grid(grid, pattern.steps, context.bar_in_section), context.start_tick
            )
            if context.final and onset is not None:
                self.buffer.extend_from(onset, spec.end_tick)
        if self.instrument.role is Role.HARMONY:
            for hit in spec.hits:
                if 0 <= hit.tick < spec.end_tick - spec.meter.bar_ticks:
                    end = min(hit.tick + spec.meter.pulse_ticks, spec.end_tick)
                    self._chord(hit.tick, end, self.timeline.index_at(hit.tick),
                                self.instrument.velocity * ACCENT_LEVEL)
        return self.buffer.notes(
            spec,
            rng=rng,
            low_pitch=self.instrument.low_pitch,
            high_pitch=self.instrument.high_pitch,
            swing=rhythm_swing_ratio(spec, self.style),
            tie=self.instrument.tie,
        )

    def _line_note(self, start: int, end: int, chord_index: int, level: float) -> None:
        """One note of a counter-line: on a chord change the chord's line tone, inside a chord
        the next guide tone up or down (the line keeps moving), the phrase ends at the change."""
        voicing = self.voicings[chord_index]
        first = self.timeline.starts[chord_index] >= start - self.half_pulse
        pitch = voicing[0]
        if not first and self.line_previous is not None:
            chord = self.timeline.chords[chord_index]
            offsets = voicing_tones(chord.quality, Voicing.LINE, 1)
            pitch_classes = {(chord.root_pc + offset) % 12 for offset in offsets}
            low, high = self.instrument.low_pitch, self.instrument.high_pitch
            options = [
                candidate for candidate in range(max(low, self.line_previous - 5),
                                                 min(high, self.line_previous + 5) + 1)
                if candidate % 12 in pitch_classes and candidate != self.line_previous
            ]
            if options:
                pitch = min(options, key=lambda candidate: (abs(candidate - voicing[0]),
                                                            candidate))
        following = self.timeline.next_change(start)
        self.buffer.add(start, end if following is None else min(end, following), pitch, level)
        self.line_previous = pitch

    def _chord(self, start: int, end: int, chord_index: int, level: float) -> None:
        for pitch in self.voicings[chord_index]:
            self.buffer.add(start, end, pitch, level)

    def _play_bar(self, pattern: Pattern, grid: str, bar_start: int) -> int | None:
        """Write one bar; returns the tick of its last onset (``None`` when silent)."""
        step_ticks = self.spec.meter.bar_ticks // pattern.steps
        events = grid_events(grid)
        last_onset: int | None = None
        run: list[int] = []
        for index, (step, length, symbol) in enumerate(events):
            start = bar_start + step * step_ticks
            span = length * step_ticks
            sounding_end = start + max(1, round(span * pattern.gate))
            level = float(self.instrument.velocity)
            last_onset = start
            if symbol == "c":
                if not run:
                    run = self._run(events, index, bar_start, step_ticks)
                self.buffer.add(start, sounding_end, run.pop(0), level)
                continue
            if symbol == "X":
                level *= ACCENT_LEVEL
            chord_index = self.timeline.index_at(start)
            if self.instrument.voicing is Voicing.LINE:
                self._line_note(start, sounding_end, chord_index, level)
                continue
            change = self.timeline.next_change(start)
            # A push: a hit up to half a pulse before a change plays (and holds) the next chord.
            if change is not None and change - start <= self.half_pulse:
                chord_index += 1
                boundary = change
            else:
                boundary = start
            segment_start = start
            while segment_start < sounding_end:
                following = self.timeline.next_change(max(segment_start, boundary))
                segment_end = sounding_end if following is None else min(following, sounding_end)
                chord_index = max(chord_index, self.timeline.index_at(segment_start))
                self._chord(segment_start, segment_end, chord_index, level)
                segment_start = segment_end
        return last_onset

    def _run(
        self,
        events: tuple[tuple[int, int, str], ...],
        index: int,
        bar_start: int,
        step_ticks: int,
    ) -> list[int]:
        """Top-voice pitches of the ``c`` run at ``events[index]``: semitone steps leading to the
        top note of the chord after the run."""
        count = 0
        for _, _, symbol in events[index:]:
            if symbol != "c":
                break
            count += 1
        low, high = self.instrument.low_pitch, self.instrument.high_pitch
        start = bar_start + events[index][0] * step_ticks
        last_step, last_length, _ = events[index + count - 1]
        after = min(bar_start + (last_step + last_length) * step_ticks, self.spec.end_tick - 1)
        here = self.voicings[self.timeline.index_at(start)][-1]
        target = self.voicings[self.timeline.index_at(after)][-1]
        direction = 1 if target >= here else -1
        if target == here:
            direction = -1 if target - count >= low else 1
        if not low <= target - direction * count <= high:
            direction = -direction
        pitches = [target - direction * (count - position) for position in range(count)]
        return [min(max(pitch, low), high) for pitch in pitches]
