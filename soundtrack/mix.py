"""Mix: orchestrate a composed cue into the tracks of a scene.

Input: a :class:`~soundtrack.model.Cue`, its style and a random generator. Output: a
:class:`~soundtrack.model.Scene` whose tracks have a MIDI channel, program, level (CC7), pan
(CC10), reverb send (CC91) and an expression curve (CC11), plus the conductor's markers (sections
and hit points). The scoring craft that needs the whole cue happens here, in this order:

1. **General MIDI drum kit** (:func:`map_drum_kit`). General MIDI level 1 has one drum kit: the
   program change on channel 10 picks a kit only in GS/GM2 players. The kits whose keys mean what
   GM1's standard kit means (standard 0, room 8, power 16, electronic 24, TR-808 25, jazz 32,
   brush 40) keep their program, so a GS player picks the brushes and a GM1 player still hears
   the right drums. Any other kit is reset to the standard kit (0). The orchestra kit (48) puts
   timpani on keys 41-53: its toms (the styles' ``floor-tom``... ``high-tom``) move to a melodic
   ``Timpani`` track (GM program 47), the low drum tuned to the key's tonic and the others to its
   dominant (F2-A3), as a timpanist tunes two drums; its cymbals, snare and bass drum stay on
   channel 10. Drum notes outside GM1's percussion keys (35-81) are dropped.
2. **Texture** (:func:`section_levels`): each section gets a level from its energy (mean arousal
   plus 0.3 x mean tension) against the style's usual energy (its prototype mood's): 0 (calm,
   0.45 below), 1 (0.3 below) or 2 (full: a style sounds as written around its own mood); in a
   cue whose sections differ in energy by 0.12 or more, the calmest third of the range goes one
   level down (two from 0.35), so sections contrast. Level 1 rests the
   second and further ``harmony`` parts; level 0 also rests ``counter`` lines (not while they
   state a leitmotif), the ``pad`` parts where the first ``harmony`` part (the style's own
   comping: the bolero's guitar, the lament's balalaika) carries the chords, and the drums keep
   only their time (ride, hi-hat, claves, shakers). Lead, bass and the first harmony part always
   play.
3. **Hits** (``spec.hits``), exactly on the hit tick: a crash (GM 49) on the drum track (a small
   ``Hits`` track on channel 10 when the cue has no kit), the notes starting there accented, a
   short tutti chord stab (the chord sounding there) in every ``harmony`` and ``pad`` part that
   has no note starting there; the lead-in is a drum fill in the style's idiom over the pulse
   before the hit and a crescendo over the bar before (see 7).
4. **Velocities** follow the arc inside the cue: each note is scaled by ``1 + 0.4 (a - ā) +
   0.15 (t - t̄)`` (arousal and tension interpolated between bar centres, bars over the cue's
   means), so contrasts inside a cue widen while the cue's overall level (set by compose) stays.
5. **No silence** over :data:`MAX_SILENCE_SECONDS` inside a cue: a rested part comes back over
   such a gap; else the notes that ended last ring on through it (or a soft chord fills a gap
   with nothing before it).
6. **Humanisation**, deterministic for the generator: velocity jitter (+-
   :data:`VELOCITY_JITTER`) and, with ``humanise_timing`` (default :data:`HUMANISE_TIMING`, on),
   timing jitter per onset (normal, drums tight, see :data:`TIMING_JITTER_TICKS`).
   The lead keeps compose's timing (it is already performed: swing, the style's lay-back behind
   the beat -- ``lead.lay_back_ms`` of every swing style -- and pitch bends tied to the notes).
   Notes on a hit tick or on tick 0 never move; no note moves before 0, past the end of the cue,
   or onto or over another note of the same pitch in its track.
7. **Expression** (CC11, :func:`expression_curve`) on every melodic track, one event per beat
   (at most a quarter note) when the value changes: ``78 + 30 arousal + 8 tension`` interpolated
   between bar centres, a crescendo over the bar before each hit (a dip, then up to +20 on the
   hit) and before a section that raises the energy, released over the beat after. A CC11 stream a
   part already has is multiplied in, so a track never has two.

Channels are given by role so that the whole-story timeline can keep one track per channel:
the lead on channel 1 (index 0), the bass on 2, drums on 10 (index 9), every other part on the next
free channel in part order. Levels are set by role (:data:`LEVEL_BY_ROLE`: lead in front, pads
behind; checked by ``benchmarks/mix_balance.py``); harmony parts are spread left and right around
the centre by :data:`PAN_SPREAD` scaled by the style's ``pan_width``; the reverb send is the
style's, less for bass and drums.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from soundtrack.compose.drums import fill_idiom, fill_notes, fill_step_ticks
from soundtrack.model import (
    ChordSymbol,
    ControlChange,
    Cue,
    CueSpec,
    Key,
    Marker,
    Note,
    Part,
    PitchBend,
    Role,
    Scene,
    Track,
)
from soundtrack.styles.schema import GM_DRUMS, Style
from soundtrack.units import TICKS_PER_QUARTER, tempo_map_seconds

__all__ = [
    "DRUM_CHANNEL",
    "EXPRESSION_CONTROL",
    "GM_COMPATIBLE_KITS",
    "GM_PERCUSSION_RANGE",
    "HUMANISE_TIMING",
    "LEVEL_BY_ROLE",
    "MAX_SILENCE_SECONDS",
    "PAN_SPREAD",
    "TIME_KEEPERS",
    "expression_curve",
    "map_drum_kit",
    "mix_scene",
    "section_levels",
]

#: MIDI channel index of the General MIDI drum kit (channel 10).
DRUM_CHANNEL = 9
#: CC7 volume per role (0-127).
LEVEL_BY_ROLE: dict[Role, int] = {
    Role.LEAD: 116,
    Role.COUNTER: 74,
    Role.HARMONY: 69,
    Role.PAD: 59,
    Role.BASS: 82,
    Role.DRUMS: 74,
}
#: Pan offsets (from the centre, 64) given to the non-lead, non-bass parts in turn, at
#: ``pan_width`` 1.0; a style's ``pan_width`` scales them.
PAN_SPREAD = (-40, 40, -60, 60, -20, 20, -63, 63)
#: Pan of the fixed roles at ``pan_width`` 1.0 (lead a little right, bass a little left).
PAN_BY_ROLE: dict[Role, int] = {Role.LEAD: 70, Role.BASS: 56, Role.DRUMS: 64}
#: Reverb send factor per role relative to the style's reverb.
REVERB_FACTOR: dict[Role, float] = {Role.BASS: 0.5, Role.DRUMS: 0.7}
#: The expression controller.
EXPRESSION_CONTROL = 11

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

#: Drums that keep time in a calm section (cymbals, hi-hats, side stick, shakers, claves).
TIME_KEEPERS = frozenset(
    GM_DRUMS[name]
    for name in (
        "ride",
        "ride2",
        "ride-bell",
        "closed-hat",
        "pedal-hat",
        "side-stick",
        "maracas",
        "cabasa",
        "claves",
        "short-guiro",
        "long-guiro",
        "tambourine",
    )
)
#: Section energy (mean arousal + 0.3 x mean tension) relative to the style's prototype mood's
#: below which a section is level 0 / 1.
LEVEL_THRESHOLDS = (-0.45, -0.3)
#: Weight of tension in a section's energy.
TENSION_ENERGY = 0.3
#: Energy ranges of a cue's sections from which its calmest third goes one / two levels down.
CONTRAST_RANGES = (0.12, 0.35)
#: Share of a section the first harmony part must sound through for the pads to rest at level 0.
HARMONY_COVERAGE = 0.5

#: Velocity factor per unit of arousal / tension away from the cue's mean.
VELOCITY_AROUSAL = 0.4
VELOCITY_TENSION = 0.15
#: Velocity of notes starting on a hit: ``v * HIT_ACCENT + HIT_ACCENT_ADD``.
HIT_ACCENT = 1.15
HIT_ACCENT_ADD = 6
#: Length of a hit's chord stab, ticks (an eighth note).
STAB_TICKS = TICKS_PER_QUARTER // 2
#: The crash of a stinger.
CRASH = GM_DRUMS["crash"]

#: Longest silence allowed inside a cue, seconds; gaps are filled from 0.4 s on, leaving room for
#: the humanisation's few ticks.
MAX_SILENCE_SECONDS = 0.5
_FILL_GAP_SECONDS = 0.4

#: Whether :func:`mix_scene` moves onsets by default (a played feel). The style-trait tests turn
#: it off to check the written rhythm on its exact grid steps.
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

#: Expression (CC11) = BASE + AROUSAL * arousal + TENSION * tension (the EXPRESSION_* values).
EXPRESSION_BASE = 78.0
EXPRESSION_AROUSAL = 30.0
EXPRESSION_TENSION = 8.0
#: Crescendo into a hit (CC11 added at the hit) and into a section that raises the energy.
HIT_SWELL = 20.0
SECTION_SWELL = 12.0
#: CC11 dip at the start of a crescendo (below the curve).
SWELL_DIP = 6.0
#: Smallest rise in section energy that earns a crescendo into the section.
SECTION_RISE = 0.08


@dataclass(slots=True)
class _Line:
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
    def of(cls, part: Part) -> _Line:
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


# ---------------------------------------------------------------- arc helpers


@dataclass(frozen=True, slots=True)
class _Arc:
    """The mood arc of a cue as functions of the tick (linear between bar centres)."""

    centres: np.ndarray
    arousal: np.ndarray
    tension: np.ndarray

    @classmethod
    def of(cls, spec: CueSpec) -> _Arc:
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


def _energies(spec: CueSpec) -> list[float]:
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


def section_levels(spec: CueSpec, style: Style) -> tuple[int, ...]:
    """The texture level of every section of ``spec.sections``: 0 calm .. 2 full (see the module
    docstring)."""
    energies = _energies(spec)
    if not energies:
        return ()
    low, high = min(energies), max(energies)
    usual = style.mood.arousal + TENSION_ENERGY * style.mood.tension
    levels = []
    for energy in energies:
        level = sum(energy - usual >= threshold for threshold in LEVEL_THRESHOLDS)
        if energy < low + (high - low) / 3:
            level -= sum(high - low >= contrast for contrast in CONTRAST_RANGES)
        levels.append(max(level, 0))
    return tuple(levels)


# ---------------------------------------------------------------- 1. drum kit


def _timpani_pitches(key: Key) -> tuple[int, int]:
    """(tonic drum, dominant drum) pitches of a key inside the timpani range."""
    tonic = _TIMPANI_LOW + (key.tonic_pc - _TIMPANI_LOW) % 12
    dominant = tonic + 7 if tonic + 7 <= _TIMPANI_HIGH else tonic - 5
    return tonic, dominant


def map_drum_kit(part: Part, key: Key, end_tick: int) -> tuple[Part, Part | None]:
    """A drum part mapped onto General MIDI level 1 (see the module docstring).

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


# ---------------------------------------------------------------- 2. texture


def _coverage(notes: Iterable[list[int]], start: int, end: int) -> float:
    """Share of ``start..end`` during which at least one of ``notes`` sounds."""
    spans = sorted((max(s, start), min(e, end)) for s, e, _, _ in notes if s < end and e > start)
    covered = 0
    cursor = start
    for s, e in spans:
        if e <= cursor:
            continue
        covered += e - max(s, cursor)
        cursor = e
    return covered / max(end - start, 1)


def _rest(
    line: _Line,
    start: int,
    end: int,
    keep: frozenset[int] = frozenset(),
    protected: Sequence[tuple[int, int]] = (),
) -> None:
    """Move the notes of ``line`` starting in ``start..end`` (pitch not in ``keep``, not inside a
    protected span) to its rested notes."""
    kept: list[list[int]] = []
    for note in line.notes:
        inside = start <= note[0] < end and note[2] not in keep
        if inside and not any(a <= note[0] < b for a, b in protected):
            line.rested.append(note)
        else:
            kept.append(note)
    line.notes = kept


def _thin(lines: list[_Line], cue: Cue, style: Style) -> None:
    """Rest parts in the calm sections of a cue (see the module docstring)."""
    spec = cue.spec
    bar_ticks = spec.meter.bar_ticks
    hit_ticks = {hit.tick for hit in spec.hits}
    motif_spans: dict[str, list[tuple[int, int]]] = {}
    for use in cue.motifs:
        motif_spans.setdefault(use.part, []).append(
            (use.start_bar * bar_ticks, (use.start_bar + use.bars) * bar_ticks)
        )
    harmony = [line for line in lines if line.role is Role.HARMONY and not line.is_drums]
    pads = [line for line in lines if line.role is Role.PAD and not line.is_drums]
    for section, level in zip(spec.sections, section_levels(spec, style), strict=True):
        if level >= 2:
            continue
        start = section.start_bar * bar_ticks
        end = min((section.start_bar + section.bars) * bar_ticks, spec.end_tick)
        hits = [(tick, tick + 1) for tick in hit_ticks if start <= tick < end]
        for line in harmony[1:]:
            _rest(line, start, end, protected=hits)
        if level >= 1:
            continue
        for line in lines:
            if line.role is Role.COUNTER and not line.is_drums:
                _rest(line, start, end, protected=[*hits, *motif_spans.get(line.name, ())])
            elif line.role is Role.DRUMS:
                keep = TIME_KEEPERS if line.is_drums else frozenset()
                _rest(line, start, end, keep=keep, protected=hits)
        if harmony and _coverage(harmony[0].notes, start, end) >= HARMONY_COVERAGE:
            for pad in pads:
                _rest(pad, start, end, protected=hits)


# ---------------------------------------------------------------- 3. hits


def _chord_at(chords: Sequence[ChordSymbol], tick: int) -> ChordSymbol | None:
    for chord in chords:
        if chord.start_tick <= tick < chord.end_tick:
            return chord
    return chords[-1] if chords and tick >= chords[-1].start_tick else None


def _stab_pitches(line: _Line, chord: ChordSymbol) -> list[int]:
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


def _free(line: _Line, pitch: int, start: int, end: int) -> bool:
    """Whether ``pitch`` is silent in ``line`` over ``start..end``."""
    return not any(p == pitch and s < end and e > start for s, e, p, _ in line.notes)


def _typical_velocity(line: _Line, tick: int) -> int:
    near = [v for s, _, _, v in line.notes if abs(s - tick) <= 4 * TICKS_PER_QUARTER]
    pool = near or [v for _, _, _, v in line.notes]
    return int(np.median(pool)) if pool else 80


def _hits(lines: list[_Line], cue: Cue, style: Style) -> list[_Line]:
    """Stingers, accents, stabs and lead-in fills on every hit (see the module docstring)."""
    spec = cue.spec
    hits = sorted({hit.tick for hit in spec.hits if 0 <= hit.tick < spec.end_tick})
    if not hits:
        return lines
    kit = next((line for line in lines if line.is_drums), None)
    if kit is None:
        kit = _Line(
            name="Hits",
            role=Role.DRUMS,
            program=0,
            is_drums=True,
            low_pitch=GM_PERCUSSION_RANGE[0],
            high_pitch=GM_PERCUSSION_RANGE[1],
            notes=[],
        )
        lines = [*lines, kit]
    kit_level = _typical_velocity(kit, hits[0]) if kit.notes else 90
    hit_set = set(hits)
    idiom = fill_idiom(style)
    step = fill_step_ticks(style)
    pulse = spec.meter.pulse_ticks
    previous = 0
    for tick in hits:
        # the lead-in: a fill over the pulse before the hit (the groove makes way)
        fill_start = max(tick - pulse, previous)
        if tick - fill_start >= 2 * step and tick > 0:
            kit.notes = [
                note for note in kit.notes if not fill_start <= note[0] < tick or note[0] in hit_set
            ]
            for fill in fill_notes(idiom, fill_start, tick, step, kit_level):
                kit.notes.append([fill.start_tick, fill.end_tick, fill.pitch, fill.velocity])
        previous = tick
        # the stinger
        crash_end = min(tick + TICKS_PER_QUARTER, spec.end_tick)
        if not any(s == tick and p == CRASH for s, _, p, _ in kit.notes):
            kit.notes = [
                n for n in kit.notes if not (n[2] == CRASH and n[0] < crash_end and n[1] > tick)
            ]
            kit.notes.append([tick, crash_end, CRASH, min(127, round(kit_level * 1.3))])
        # the stab
        chord = _chord_at(cue.chords, tick)
        stab_end = min(tick + STAB_TICKS, spec.end_tick)
        for line in lines:
            if line.is_drums or line.role not in (Role.HARMONY, Role.PAD):
                continue
            if chord is None or any(s == tick for s, _, _, _ in line.notes):
                continue
            velocity = min(127, round(_typical_velocity(line, tick) * HIT_ACCENT))
            for pitch in _stab_pitches(line, chord):
                if _free(line, pitch, tick, stab_end):
                    line.notes.append([tick, stab_end, pitch, velocity])
        # the accents
        for line in lines:
            for note in line.notes:
                if note[0] == tick:
                    note[3] = min(127, round(note[3] * HIT_ACCENT) + HIT_ACCENT_ADD)
    for line in lines:
        _clean(line)
    return lines


def _clean(line: _Line) -> None:
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


# ---------------------------------------------------------------- 4. velocities


def _shape_velocities(lines: list[_Line], arc: _Arc) -> None:
    """Scale velocities by the arc around the cue's mean (see the module docstring)."""
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


# ---------------------------------------------------------------- 5. silence


def _gaps(lines: Sequence[_Line], end_tick: int) -> list[tuple[int, int]]:
    """Spans of ``0..end_tick`` where no note of any line sounds."""
    spans = sorted((s, e) for line in lines for s, e, _, _ in line.notes)
    gaps = []
    cursor = 0
    for s, e in spans:
        if s > cursor:
            gaps.append((cursor, s))
        cursor = max(cursor, e)
    if cursor < end_tick:
        gaps.append((cursor, end_tick))
    return gaps


def _fill_silences(lines: list[_Line], cue: Cue) -> None:
    """Fill every silence longer than 0.4 s (see the module docstring)."""
    spec = cue.spec
    changes = [(change.start_tick, change.microseconds_per_quarter) for change in spec.tempo_map]

    def long_gaps() -> list[tuple[int, int]]:
        return [
            (a, b)
            for a, b in _gaps(lines, spec.end_tick)
            if tempo_map_seconds(b, changes) - tempo_map_seconds(a, changes) > _FILL_GAP_SECONDS
        ]

    for start, end in long_gaps():
        for line in lines:
            back = [note for note in line.rested if note[0] < end and note[1] > start]
            if back:
                line.rested = [
                    note for note in line.rested if not (note[0] < end and note[1] > start)
                ]
                line.notes.extend(back)
                _clean(line)
    for start, end in long_gaps():
        ringing = [
            (line, note)
            for line in lines
            if not line.is_drums and line.role is not Role.LEAD
            for note in line.notes
            if note[1] == start and start > 0
        ]
        if ringing:
            for _, note in ringing:
                note[1] = end
            continue
        chord = _chord_at(cue.chords, start)
        holder = next(
            (
                line
                for line in lines
                if not line.is_drums and line.role in (Role.PAD, Role.HARMONY, Role.BASS)
            ),
            None,
        )
        if holder is None or chord is None:
            continue
        pitches = (
            _stab_pitches(holder, chord)
            if holder.role is not Role.BASS
            else [holder.low_pitch + (chord.root_pc - holder.low_pitch) % 12]
        )
        for pitch in pitches:
            holder.notes.append([start, end, pitch, 48])
        _clean(holder)


# ---------------------------------------------------------------- 6. humanisation


def _humanise(lines: list[_Line], spec: CueSpec, rng: np.random.Generator, *, timing: bool) -> None:
    """Velocity and (with ``timing``) timing jitter (see the module docstring); the same draws
    per line, in order, either way."""
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


# ---------------------------------------------------------------- 7. expression


def expression_curve(spec: CueSpec) -> tuple[tuple[int, int], ...]:
    """The CC11 curve of a cue: ``(tick, value)`` pairs, one per beat (at most a quarter note)
    where the value changes, the first at tick 0 (see the module docstring).

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
    arc = _Arc.of(spec)
    arousal, tension = arc.at(ticks)
    values = EXPRESSION_BASE + EXPRESSION_AROUSAL * arousal + EXPRESSION_TENSION * tension
    swells: list[tuple[int, float, int]] = [(tick, HIT_SWELL, bar_ticks) for tick in hits]
    energies = _energies(spec)
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


def _merged_expression(
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


# ---------------------------------------------------------------- channels


def _channel_for(line: _Line, used: set[int]) -> int:
    """The channel a part gets: fixed for lead/bass/drums, else the next free one."""
    if line.is_drums:
        return DRUM_CHANNEL
    preferred = {Role.LEAD: 0, Role.BASS: 1}.get(line.role)
    if preferred is not None and preferred not in used:
        return preferred
    for channel in range(2, 16):
        if channel != DRUM_CHANNEL and channel not in used:
            return channel
    for channel in range(16):
        if channel != DRUM_CHANNEL and channel not in used:
            return channel
    raise ValueError("a cue has more than 15 melodic parts; General MIDI has 15 melodic channels")


def mix_scene(
    cue: Cue,
    style: Style,
    *,
    rng: np.random.Generator,
    humanise_timing: bool = HUMANISE_TIMING,
) -> Scene:
    """Turn a cue into a scene: drum kit, texture, hits, dynamics, humanisation, expression,
    channels, levels, pans, reverb sends and markers (see the module docstring).

    Args:
        cue: the composed cue.
        style: its style (drum idiom, pan width, reverb send).
        rng: the mix's own generator (humanisation); same cue and generator state give an equal
            scene.
        humanise_timing: move onsets by a few ticks (see :data:`HUMANISE_TIMING`).

    Returns:
        The scene; track order is the cue's part order (the lead first), a ``Timpani`` track
        after an orchestra kit, a ``Hits`` kit last when needed. Every note lies inside
        ``0 .. spec.end_tick``; no two notes of one pitch overlap in a track.
    """
    spec = cue.spec
    lines: list[_Line] = []
    emptied: list[_Line] = []  # kits left without notes by the timpani: dropped if still empty
    for part in cue.parts:
        if part.is_drums:
            kit, timpani = map_drum_kit(part, spec.key, spec.end_tick)
            lines.append(_Line.of(kit))
            if timpani is not None:
                lines.append(_Line.of(timpani))
                if not kit.notes:
                    emptied.append(lines[-2])
        else:
            lines.append(_Line.of(part))
    arc = _Arc.of(spec)
    _thin(lines, cue, style)
    lines = _hits(lines, cue, style)
    _shape_velocities(lines, arc)
    _fill_silences(lines, cue)
    _humanise(lines, spec, rng, timing=humanise_timing)
    lines = [line for line in lines if line.notes or not any(line is kit for kit in emptied)]
    curve = expression_curve(spec)

    used: set[int] = set()
    tracks: list[Track] = []
    spread_index = 0
    width = style.pan_width
    for line in lines:
        channel = _channel_for(line, used)
        used.add(channel)
        fixed = line.role in PAN_BY_ROLE and (line.is_drums or line.role is not Role.DRUMS)
        if fixed and not (line.role is Role.LEAD and channel != 0):
            pan = 64 + round((PAN_BY_ROLE[line.role] - 64) * width)
        else:
            pan = 64 + round(PAN_SPREAD[spread_index % len(PAN_SPREAD)] * width)
            spread_index += 1
        reverb = round(style.reverb * REVERB_FACTOR.get(line.role, 1.0))
        controls = line.controls if line.is_drums else _merged_expression(curve, line.controls)
        tracks.append(
            Track(
                name=line.name,
                role=line.role,
                channel=channel,
                program=line.program,
                volume=LEVEL_BY_ROLE[line.role],
                pan=max(0, min(127, pan)),
                reverb=max(0, min(127, reverb)),
                notes=line.frozen_notes(),
                bends=line.bends,
                bend_range_semitones=line.bend_range_semitones,
                controls=controls,
            )
        )
    markers = [
        Marker(tick=section.start_bar * spec.meter.bar_ticks, text=section.name)
        for section in spec.sections
    ]
    markers.extend(
        Marker(tick=hit.tick, text=f"HIT {number} ({hit.seconds:.3f} s)")
        for number, hit in enumerate(spec.hits, start=1)
    )
    markers.sort(key=lambda marker: marker.tick)
    return Scene(
        spec=spec,
        tracks=tuple(tracks),
        chords=cue.chords,
        markers=tuple(markers),
        motifs=cue.motifs,
        pickup=cue.pickup,
    )
