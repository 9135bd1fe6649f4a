"""The saxophone lead (:mod:`soundtrack.compose.lead`): invariants over many seeds, phrasing,
motifs, harmony, mood, hits, articulation and speed.

Specs, chords and styles are built by hand here so these tests depend on nothing but the model
and the style schema.
"""

from __future__ import annotations

import bisect
import dataclasses
import statistics
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

from soundtrack.compose.lead import SCALE_STEPS, chord_scale, compose_lead, swing_ratio
from soundtrack.model import (
    SAXOPHONE_PROGRAM,
    SAXOPHONE_RANGE,
    ChordSymbol,
    CueSpec,
    Hit,
    Key,
    Meter,
    Mode,
    Mood,
    Note,
    Part,
    Role,
    Saxophone,
    Section,
    TempoChange,
)
from soundtrack.styles import load_style
from soundtrack.styles.schema import FormSection, LeadStyle, Style

SEEDS = range(30)
FOUR_FOUR = Meter(numerator=4, denominator=4, pulse_ticks=480)
TWO_FOUR = Meter(numerator=2, denominator=4, pulse_ticks=480)
THREE_FOUR = Meter(numerator=3, denominator=4, pulse_ticks=480)
SIX_EIGHT = Meter(numerator=6, denominator=8, pulse_ticks=720)
CUT_TIME = Meter(numerator=2, denominator=2, pulse_ticks=960)
MEDIUM = Mood(valence=0.2, arousal=0.5, tension=0.3)

_QUALITIES = {
    "": (0, 4, 7),
    "m": (0, 3, 7),
    "maj7": (0, 4, 7, 11),
    "m7": (0, 3, 7, 10),
    "7": (0, 4, 7, 10),
    "m7b5": (0, 3, 6, 10),
}
# (root above the tonic, quality) per bar
_MAJOR_A = ((0, "maj7"), (9, "7"), (2, "m7"), (7, "7"), (4, "m7"), (9, "7"), (2, "m7"), (7, "7"))
_MAJOR_B = ((4, "7"), (4, "7"), (9, "7"), (9, "7"), (2, "7"), (2, "7"), (2, "m7"), (7, "7"))
_MINOR_A = ((0, "m"), (0, "m"), (5, "m"), (7, "7"), (0, "m"), (8, ""), (2, "m7b5"), (7, "7"))
_MINOR_B = ((3, ""), (10, "7"), (3, ""), (8, ""), (5, "m"), (0, "m"), (7, "7"), (7, "7"))


@dataclass(frozen=True)
class Setting:
    """A test situation: meter, tempo, key, saxophone, mood and lead idioms."""

    name: str
    meter: Meter
    tempo_bpm: float
    lead: LeadStyle
    saxophone: Saxophone = Saxophone.ALTO
    mode: Mode = Mode.MAJOR
    mood: Mood = MEDIUM
    form: tuple[str, ...] = ("A", "A", "B", "A")
    section_bars: int = 8


SWING_LEAD = LeadStyle(
    swing=True,
    lay_back_ms=12.0,
    scoop=0.15,
    fall=0.2,
    vibrato=0.3,
    grace=0.04,
    ghost=0.2,
    offbeat_accent=0.15,
)
SWING = Setting("swing", FOUR_FOUR, 168.0, SWING_LEAD)
SETTINGS = (
    SWING,
    Setting(
        "ballad",
        FOUR_FOUR,
        66.0,
        LeadStyle(
            subdivision=4,
            notes_per_beat=1.3,
            legato=0.95,
            vibrato=0.7,
            scoop=0.3,
            strong_chord_tone=0.6,
        ),
        saxophone=Saxophone.TENOR,
        mood=Mood(valence=-0.3, arousal=0.25, tension=0.2),
    ),
    Setting(
        "galop",
        TWO_FOUR,
        144.0,
        LeadStyle(
            subdivision=4,
            notes_per_beat=2.4,
            phrase_bars=4.0,
            breath_beats=1.0,
            minor_scale="harmonic-minor",
            strong_chord_tone=0.85,
            staccato=0.4,
            approach=0.1,
            chromatic=0.05,
            register=0.6,
        ),
        saxophone=Saxophone.SOPRANO,
        mode=Mode.MINOR,
        mood=Mood(valence=0.1, arousal=0.85, tension=0.5),
        form=("A", "A", "B", "B", "trio"),
    ),
    Setting(
        "waltz",
        THREE_FOUR,
        150.0,
        LeadStyle(phrase_bars=4.0, notes_per_beat=1.6),
        saxophone=Saxophone.BARITONE,
    ),
    Setting(
        "tarantella",
        SIX_EIGHT,
        126.0,
        LeadStyle(subdivision=3, notes_per_beat=2.4, phrase_bars=2.0, strong_chord_tone=0.7),
        mode=Mode.MINOR,
        mood=Mood(valence=0.4, arousal=0.8, tension=0.4),
    ),
    Setting(
        "dance-band",
        CUT_TIME,
        108.0,
        LeadStyle(subdivision=4, notes_per_beat=2.2, phrase_bars=2.0, swing=True),
        saxophone=Saxophone.TENOR,
        mood=Mood(valence=0.6, arousal=0.6, tension=0.1),
    ),
    Setting(
        "chase",
        FOUR_FOUR,
        176.0,
        LeadStyle(subdivision=4, notes_per_beat=3.0, phrase_bars=1.5, chromatic=0.3),
        mode=Mode.MINOR,
        mood=Mood(valence=-0.5, arousal=0.95, tension=0.95),
    ),
)


def make_chords(
    meter: Meter, sections: Sequence[Section], tonic_pc: int, mode: Mode
) -> list[ChordSymbol]:
    """One chord per bar from a two-part progression (``B`` and ``trio`` use the second part)."""
    chords: list[ChordSymbol] = []
    first, second = (_MAJOR_A, _MAJOR_B) if mode is Mode.MAJOR else (_MINOR_A, _MINOR_B)
    for section in sections:
        progression = second if section.name in ("B", "trio") else first
        for offset in range(section.bars):
            step, quality = progression[offset % len(progression)]
            root = (tonic_pc + step) % 12
            chords.append(
                ChordSymbol(
                    start_tick=(section.start_bar + offset) * meter.bar_ticks,
                    duration_ticks=meter.bar_ticks,
                    root_pc=root,
                    quality=quality,
                    pitch_classes=tuple((root + i) % 12 for i in _QUALITIES[quality]),
                    symbol="C",
                )
            )
    return chords


def make_cue(
    setting: Setting,
    *,
    bars: int = 32,
    tonic_pc: int = 3,
    mood: Mood | None = None,
    bar_moods: Sequence[Mood] | None = None,
    hits: Sequence[int] = (),
    intro: bool = False,
) -> tuple[CueSpec, Style, list[ChordSymbol]]:
    """A cue spec, its style and one chord per bar."""
    meter = setting.meter
    mood = mood or setting.mood
    sections: list[Section] = []
    bar = 0
    if intro:
        sections.append(Section(name="intro", start_bar=0, bars=2))
        bar = 2
    index = 0
    while bar < bars:
        length = min(setting.section_bars, bars - bar)
        name = setting.form[index % len(setting.form)]
        sections.append(Section(name=name, start_bar=bar, bars=length))
        bar += length
        index += 1
    quarter_bpm = setting.tempo_bpm * meter.pulse_ticks / 480
    spec = CueSpec(
        cue_id="1M1",
        beat_id="test",
        beat_index=0,
        title="Test",
        style=setting.name,
        key=Key(tonic_pc=tonic_pc, mode=setting.mode),
        meter=meter,
        tempo_bpm=setting.tempo_bpm,
        tempo_map=(TempoChange(start_tick=0, microseconds_per_quarter=round(6e7 / quarter_bpm)),),
        bars=bars,
        end_tick=bars * meter.bar_ticks,
        sections=tuple(sections),
        hits=tuple(Hit(seconds=0.0, tick=tick, error_seconds=0.0) for tick in hits),
        mood=mood,
        bar_moods=tuple(bar_moods) if bar_moods is not None else tuple(mood for _ in range(bars)),
        lead=setting.saxophone,
        start_seconds=0.0,
        duration_seconds=bars * meter.bar_ticks / meter.pulse_ticks * 60.0 / setting.tempo_bpm,
    )
    style = Style(
        id=setting.name,
        name=setting.name,
        description="test style",
        meter=meter,
        tempo_min_bpm=40.0,
        tempo_max_bpm=320.0,
        settings=(),
        mood=setting.mood,
        tonics=(tonic_pc,),
        modes=(setting.mode,),
        form=tuple(FormSection(name=name, bars=setting.section_bars) for name in setting.form),
        lead=setting.lead,
    )
    return spec, style, make_chords(meter, sections, tonic_pc, setting.mode)


def lead_of(
    setting: Setting,
    seed: int,
    *,
    bars: int = 32,
    tonic_pc: int = 3,
    mood: Mood | None = None,
    bar_moods: Sequence[Mood] | None = None,
    hits: Sequence[int] = (),
    intro: bool = False,
) -> tuple[Part, CueSpec, list[ChordSymbol]]:
    """The lead of a test cue (see :func:`make_cue`) with ``numpy.random.default_rng(seed)``."""
    spec, style, chords = make_cue(
        setting,
        bars=bars,
        tonic_pc=tonic_pc,
        mood=mood,
        bar_moods=bar_moods,
        hits=hits,
        intro=intro,
    )
    return compose_lead(spec, style, chords, rng=np.random.default_rng(seed)), spec, chords


def phrases_of(notes: Sequence[Note], pulse_ticks: int) -> list[list[Note]]:
    """Notes grouped into phrases, split at rests of at least 3/4 of a beat."""
    groups: list[list[Note]] = []
    for note in notes:
        if not groups or note.start_tick - groups[-1][-1].end_tick >= 0.75 * pulse_ticks:
            groups.append([note])
        else:
            groups[-1].append(note)
    return groups


def recurring_4gram_share(pitches: Sequence[int], onsets: Sequence[int], sixteenth: int) -> float:
    """Share of (interval, onset gap in 16ths) 4-grams that occur more than once in the line."""
    tokens = [
        (pitches[i + 1] - pitches[i], round((onsets[i + 1] - onsets[i]) / sixteenth))
        for i in range(len(pitches) - 1)
    ]
    grams = [tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3)]
    counts = Counter(grams)
    return sum(counts[gram] > 1 for gram in grams) / max(1, len(grams))


def strong_chord_tone_share(
    part: Part, spec: CueSpec, chords: Sequence[ChordSymbol]
) -> tuple[float, float]:
    """Share of strong-beat notes (within a 16th of beat 1, or the bar's middle in 4/4) that are
    chord tones, and the share expected by chance (chord size / 12)."""
    pulse = spec.meter.pulse_ticks
    bar = spec.meter.bar_ticks
    strong = {0} | ({2 * pulse} if spec.meter.pulses_per_bar == 4 else set())
    starts = [chord.start_tick for chord in chords]
    hits = chance = total = 0.0
    for note in part.notes:
        position = round(note.start_tick / (pulse / 4)) * (pulse // 4)
        if position % bar not in strong:
            continue
        chord = chords[bisect.bisect_right(starts, position) - 1]
        tones = chord.pitch_classes[:4]
        total += 1
        hits += note.pitch % 12 in tones
        chance += len(tones) / 12
    return hits / max(total, 1), chance / max(total, 1)


# ---------------------------------------------------------------- invariants


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda setting: setting.name)
def test_invariants_over_seeds(setting: Setting) -> None:
    low, high = SAXOPHONE_RANGE[setting.saxophone]
    for seed in SEEDS:
        hits = (
            5 * setting.meter.bar_ticks + setting.meter.pulse_ticks,
            17 * setting.meter.bar_ticks,
        )
        part, spec, _ = lead_of(setting, seed, bars=24 + seed % 9, hits=hits, intro=seed % 2 == 0)
        assert part.role is Role.LEAD
        assert part.program == SAXOPHONE_PROGRAM[setting.saxophone]
        assert "Sax" in part.name
        assert (part.low_pitch, part.high_pitch) == (low, high)
        notes = part.notes
        assert len(notes) > 20
        for note in notes:
            assert low <= note.pitch <= high
            assert note.duration_ticks > 0
            assert 1 <= note.velocity <= 127
            assert note.start_tick >= 0
            assert note.end_tick <= spec.end_tick
        for before, after in zip(notes, notes[1:], strict=False):
            assert before.end_tick <= after.start_tick, "the lead must be monophonic"
        ticks = [bend.tick for bend in part.bends]
        assert ticks == sorted(ticks)
        assert len(set(ticks)) == len(ticks)
        for bend in part.bends:
            assert 0 <= bend.tick <= spec.end_tick
            assert -8192 <= bend.value <= 8191
        assert part.bend_range_semitones >= 1


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda setting: setting.name)
def test_determinism_and_variety(setting: Setting) -> None:
    first, _, _ = lead_of(setting, 7)
    again, _, _ = lead_of(setting, 7)
    assert first == again
    others = {lead_of(setting, seed)[0].notes for seed in range(8)}
    assert len(others) == 8


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda setting: setting.name)
def test_the_last_note_reaches_the_end(setting: Setting) -> None:
    for seed in range(10):
        part, spec, _ = lead_of(setting, seed)
        last = part.notes[-1]
        assert last.end_tick == spec.end_tick
        assert last.duration_ticks >= spec.meter.pulse_ticks
    short = dataclasses.replace(setting, lead=dataclasses.replace(setting.lead, final_hold=False))
    for seed in range(10):
        part, spec, _ = lead_of(short, seed)
        assert part.notes[-1].end_tick < spec.end_tick


def test_bends_return_to_zero_before_each_note() -> None:
    for setting in SETTINGS:
        for seed in range(10):
            part, _, _ = lead_of(setting, seed)
            ticks = [bend.tick for bend in part.bends]
            for note in part.notes:
                index = bisect.bisect_left(ticks, note.start_tick) - 1
                if index >= 0:
                    assert part.bends[index].value == 0, (setting.name, seed, note)


def test_bends_are_used_for_scoops_falls_and_vibrato() -> None:
    bends = [bend for seed in range(5) for bend in lead_of(SWING, seed)[0].bends]
    assert min(bend.value for bend in bends) < -6000  # falls
    assert max(bend.value for bend in bends) > 500  # vibrato
    plain = dataclasses.replace(SWING, lead=LeadStyle(), mood=MEDIUM)
    assert lead_of(plain, 1)[0].bends == ()


# ---------------------------------------------------------------- phrasing


@pytest.mark.parametrize("setting", SETTINGS[:2], ids=lambda setting: setting.name)
def test_phrases_and_breaths_like_a_wind_player(setting: Setting) -> None:
    medians: list[float] = []
    for seed in SEEDS:
        part, spec, _ = lead_of(setting, seed)
        phrases = phrases_of(part.notes, spec.meter.pulse_ticks)
        assert len(phrases) >= 8, "a 32-bar chorus needs breaths"
        medians.append(statistics.median(len(phrase) for phrase in phrases))
    assert 6 <= statistics.median(medians) <= 24


def test_swing_phrase_lengths_match_real_solos() -> None:
    """Real jazz sax phrases: median 14 notes / 6.6 beats (Weimar Jazz Database)."""
    notes: list[int] = []
    beats: list[float] = []
    for seed in SEEDS:
        part, spec, _ = lead_of(SWING, seed)
        for phrase in phrases_of(part.notes, spec.meter.pulse_ticks)[:-1]:
            notes.append(len(phrase))
            beats.append((phrase[-1].end_tick - phrase[0].start_tick) / spec.meter.pulse_ticks)
    assert 9 <= statistics.median(notes) <= 20
    assert 4.0 <= statistics.median(beats) <= 10.0


def test_the_lead_rests_in_the_intro() -> None:
    for seed in range(10):
        part, spec, _ = lead_of(SWING, seed, intro=True)
        assert part.notes[0].start_tick >= 2 * spec.meter.bar_ticks - spec.meter.pulse_ticks


def test_register_stays_idiomatic() -> None:
    """The extreme top and bottom of the horn are rare."""
    for setting in SETTINGS:
        low, high = SAXOPHONE_RANGE[setting.saxophone]
        extreme = total = 0
        for seed in range(10):
            part, _, _ = lead_of(setting, seed)
            total += len(part.notes)
            extreme += sum(note.pitch <= low + 1 or note.pitch >= high - 2 for note in part.notes)
        assert extreme / total < 0.03, setting.name


# ---------------------------------------------------------------- motifs and sections


def test_motivic_repetition_beats_a_random_walk() -> None:
    """Recurring interval+rhythm 4-grams are more common than in the same line with its
    intervals shuffled (a random walk with the same steps and rhythm)."""
    shuffler = np.random.default_rng(0)
    generated: list[float] = []
    walks: list[float] = []
    for seed in SEEDS:
        part, spec, _ = lead_of(SWING, seed)
        pitches = [note.pitch for note in part.notes]
        onsets = [note.start_tick for note in part.notes]
        sixteenth = spec.meter.pulse_ticks // 4
        generated.append(recurring_4gram_share(pitches, onsets, sixteenth))
        intervals = np.diff(pitches)
        shuffler.shuffle(intervals)
        walk = np.concatenate([[pitches[0]], pitches[0] + np.cumsum(intervals)]).tolist()
        walks.append(recurring_4gram_share(walk, onsets, sixteenth))
    assert statistics.mean(generated) > 1.5 * statistics.mean(walks)
    assert 0.01 < statistics.median(generated) < 0.2


def test_sections_restate_their_motif() -> None:
    """Each A section opens with the A motif's rhythm; B opens differently more often than not."""
    same_a = differs_b = total = 0
    plain = dataclasses.replace(SWING, lead=LeadStyle(swing=False))
    for seed in SEEDS:
        part, spec, _ = lead_of(plain, seed)
        bar = spec.meter.bar_ticks

        def opening(
            section: Section, notes: Sequence[Note] = part.notes, size: int = bar
        ) -> tuple[int, ...]:
            start = section.start_bar * size
            inside = [n for n in notes if start <= n.start_tick < start + 2 * size]
            return tuple(n.start_tick - start for n in inside[:4])

        a_sections = [section for section in spec.sections if section.name == "A"]
        b_sections = [section for section in spec.sections if section.name == "B"]
        first = opening(a_sections[0])
        total += 1
        same_a += all(opening(section) == first for section in a_sections[1:])
        differs_b += opening(b_sections[0]) != first
    assert same_a / total >= 0.8
    assert differs_b / total >= 0.6


# ---------------------------------------------------------------- harmony


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda setting: setting.name)
def test_strong_beats_favour_chord_tones(setting: Setting) -> None:
    shares: list[float] = []
    chances: list[float] = []
    for seed in SEEDS:
        part, spec, chords = lead_of(setting, seed)
        share, chance = strong_chord_tone_share(part, spec, chords)
        shares.append(share)
        chances.append(chance)
    assert statistics.mean(shares) > statistics.mean(chances) + 0.1


def test_lines_stay_in_the_key_and_chords() -> None:
    """Most notes belong to the chord-scale of their chord; the rest are chromatic neighbours."""
    for setting in SETTINGS:
        inside = total = 0
        for seed in range(10):
            part, spec, chords = lead_of(setting, seed)
            starts = [chord.start_tick for chord in chords]
            name = (
                setting.lead.major_scale if setting.mode is Mode.MAJOR else setting.lead.minor_scale
            )
            key_scale = frozenset((spec.key.tonic_pc + s) % 12 for s in SCALE_STEPS[name])
            for note in part.notes:
                chord = chords[bisect.bisect_right(starts, note.start_tick) - 1]
                total += 1
                inside += note.pitch % 12 in chord_scale(chord, key_scale)
        assert inside / total > 0.72, setting.name


def test_chord_scales() -> None:
    c_major = frozenset({0, 2, 4, 5, 7, 9, 11})

    def chord(root: int, quality: str) -> ChordSymbol:
        pcs = tuple((root + i) % 12 for i in _QUALITIES[quality])
        return ChordSymbol(
            start_tick=0,
            duration_ticks=1,
            root_pc=root,
            quality=quality,
            pitch_classes=pcs,
            symbol="",
        )

    assert chord_scale(chord(2, "m7"), c_major) == c_major  # D Dorian
    assert chord_scale(chord(7, "7"), c_major) == c_major  # G Mixolydian
    e7 = chord_scale(chord(4, "7"), c_major)  # E Phrygian dominant: G# replaces G
    assert 8 in e7
    assert 7 not in e7
    assert 0 in e7
    d7 = chord_scale(chord(2, "7"), c_major)  # D Mixolydian: F# replaces F
    assert 6 in d7
    assert 5 not in d7
    a_harmonic = frozenset((9 + s) % 12 for s in SCALE_STEPS["harmonic-minor"])
    assert chord_scale(chord(4, "7"), a_harmonic) == a_harmonic


def test_scale_names_agree_with_the_schema() -> None:
    assert set(LeadStyle.SCALES) <= set(SCALE_STEPS)
    assert LeadStyle().problems() == ()
    bad = LeadStyle(legato=1.5, minor_scale="lydian-flat-nine", subdivision=0)
    assert {field for field, _, _ in bad.problems()} == {"legato", "minor_scale", "subdivision"}


def test_minor_scale_choice_is_heard() -> None:
    """Harmonic minor over a minor tonic chord: the raised 7th, never the natural 7th."""
    galop = SETTINGS[2]
    tonic = 3
    counts: Counter[int] = Counter()
    for seed in range(10):
        part, spec, chords = lead_of(galop, seed, tonic_pc=tonic)
        starts = [chord.start_tick for chord in chords]
        for note in part.notes:
            chord = chords[bisect.bisect_right(starts, note.start_tick) - 1]
            if chord.root_pc == tonic and chord.quality == "m":
                counts[(note.pitch - tonic) % 12] += 1
    assert counts[11] > 0
    assert counts[10] <= counts[11] // 3


# ---------------------------------------------------------------- mood, hits, feel


def test_arousal_raises_density_register_and_loudness() -> None:
    def measure(arousal: float) -> tuple[float, float, float]:
        mood = Mood(valence=0.2, arousal=arousal, tension=0.3)
        density: list[float] = []
        pitch: list[float] = []
        velocity: list[float] = []
        for seed in SEEDS:
            part, spec, _ = lead_of(SWING, seed, mood=mood)
            density.append(len(part.notes) / (spec.end_tick / spec.meter.pulse_ticks))
            pitch.append(statistics.fmean(note.pitch for note in part.notes))
            velocity.append(statistics.fmean(note.velocity for note in part.notes))
        return statistics.fmean(density), statistics.fmean(pitch), statistics.fmean(velocity)

    calm, excited = measure(0.1), measure(0.9)
    assert excited[0] > 1.25 * calm[0]
    assert excited[1] > calm[1] + 2.0
    assert excited[2] > calm[2] + 15.0


def test_dynamics_follow_the_arc_inside_a_cue() -> None:
    rising = [Mood(valence=0.0, arousal=bar / 31, tension=0.3) for bar in range(32)]
    early: list[int] = []
    late: list[int] = []
    for seed in range(10):
        part, spec, _ = lead_of(SWING, seed, bar_moods=rising)
        half = spec.end_tick // 2
        early += [note.velocity for note in part.notes if note.start_tick < half]
        late += [note.velocity for note in part.notes if note.start_tick >= half]
    assert statistics.fmean(late) > statistics.fmean(early) + 10


def test_tension_raises_chromaticism() -> None:
    """More notes outside the chord-scale of their chord when the scene is tense."""

    def outside_share(tension: float) -> float:
        mood = Mood(valence=0.2, arousal=0.5, tension=tension)
        outside = total = 0
        for seed in SEEDS:
            part, spec, chords = lead_of(SWING, seed, mood=mood)
            key_scale = frozenset((spec.key.tonic_pc + s) % 12 for s in SCALE_STEPS["ionian"])
            starts = [chord.start_tick for chord in chords]
            for note in part.notes:
                chord = chords[bisect.bisect_right(starts, note.start_tick) - 1]
                total += 1
                outside += note.pitch % 12 not in chord_scale(chord, key_scale)
        return outside / total

    assert outside_share(1.0) > outside_share(0.0) + 0.025


def test_hits_get_a_strong_note() -> None:
    for setting in SETTINGS:
        pulse = setting.meter.pulse_ticks
        hits = (3 * setting.meter.bar_ticks + pulse, 9 * setting.meter.bar_ticks, 20 * pulse)
        for seed in range(10):
            part, _, _ = lead_of(setting, seed, hits=hits, intro=True)
            starts = {note.start_tick: note for note in part.notes}
            mean_velocity = statistics.fmean(note.velocity for note in part.notes)
            for hit in hits:
                assert hit in starts, (setting.name, seed, hit)
                assert starts[hit].velocity > mean_velocity


def test_swing_ratio_follows_the_tempo() -> None:
    assert swing_ratio(60) == pytest.approx(3.0)
    assert swing_ratio(140) == pytest.approx(2.0)
    assert 1.0 < swing_ratio(300) < 1.2
    assert swing_ratio(140, 0.0) == pytest.approx(1.0)
    assert swing_ratio(100) > swing_ratio(200)


def _offbeat_fraction(setting: Setting) -> float:
    """Mean position (0..1 in the beat) of the off-beat eighths (notes between 0.4 and 0.72 of a
    beat; swung sixteenths fall outside)."""
    positions: list[float] = []
    pulse = setting.meter.pulse_ticks
    for seed in range(10):
        part, _, _ = lead_of(setting, seed)
        for note in part.notes:
            fraction = (note.start_tick % pulse) / pulse
            if 0.4 < fraction < 0.72:
                positions.append(fraction)
    return statistics.fmean(positions)


def test_swing_eighths_are_late_and_straighter_when_fast() -> None:
    straight = dataclasses.replace(SWING, lead=LeadStyle())
    medium = dataclasses.replace(SWING, tempo_bpm=130.0)
    fast = dataclasses.replace(SWING, tempo_bpm=260.0)
    assert _offbeat_fraction(straight) == pytest.approx(0.5, abs=0.01)
    assert 0.6 < _offbeat_fraction(medium) < 0.7
    assert 0.5 < _offbeat_fraction(fast) < _offbeat_fraction(medium) - 0.03


def test_legato_and_staccato_lengths() -> None:
    def fill(lead: LeadStyle) -> float:
        setting = dataclasses.replace(SWING, lead=lead)
        ratios: list[float] = []
        for seed in range(10):
            part, _, _ = lead_of(setting, seed)
            for before, after in zip(part.notes, part.notes[1:], strict=False):
                gap = after.start_tick - before.start_tick
                if gap <= 480:
                    ratios.append(before.duration_ticks / gap)
        return statistics.fmean(ratios)

    assert fill(LeadStyle(legato=1.0, staccato=0.0)) > 0.95
    assert fill(LeadStyle(legato=0.6, staccato=0.6)) < 0.6


ODD_METERS = (
    Meter(numerator=5, denominator=4, pulse_ticks=480),
    Meter(numerator=7, denominator=8, pulse_ticks=240),
    Meter(numerator=12, denominator=8, pulse_ticks=720),
    Meter(numerator=3, denominator=8, pulse_ticks=720),
)


def test_odd_meters_tiny_cues_and_missing_data() -> None:
    """Any meter, one-bar cues, cues without sections or chords, every saxophone and scale."""
    shapes = np.random.default_rng(5)
    for case in range(80):
        base = SETTINGS[case % len(SETTINGS)]
        meter = (*ODD_METERS, base.meter)[case % 5]
        lead = dataclasses.replace(
            base.lead,
            subdivision=int(shapes.integers(1, 9)),
            notes_per_beat=float(shapes.uniform(0.3, 5.0)),
            grace=0.3,
            major_scale=LeadStyle.SCALES[case % len(LeadStyle.SCALES)],
            minor_scale=LeadStyle.SCALES[(case * 5) % len(LeadStyle.SCALES)],
        )
        setting = dataclasses.replace(
            base,
            meter=meter,
            lead=lead,
            saxophone=tuple(Saxophone)[case % 4],
            tempo_bpm=float(shapes.uniform(40, 300)),
            section_bars=int(shapes.integers(1, 9)),
        )
        bars = int(shapes.integers(1, 14))
        hits = sorted(
            {meter.pulse_ticks * int(p) for p in shapes.integers(0, bars * meter.pulses_per_bar, 2)}
        )
        spec, style, chords = make_cue(setting, bars=bars, hits=hits)
        if case % 3 == 0:
            spec = dataclasses.replace(spec, sections=())
        if case % 4 == 0:
            chords = []
        part = compose_lead(spec, style, chords, rng=np.random.default_rng(case))
        low, high = SAXOPHONE_RANGE[setting.saxophone]
        assert part.notes
        assert all(low <= note.pitch <= high for note in part.notes)
        assert all(n.start_tick >= 0 and n.end_tick <= spec.end_tick for n in part.notes)
        for before, after in zip(part.notes, part.notes[1:], strict=False):
            assert before.end_tick <= after.start_tick
        starts = {note.start_tick for note in part.notes}
        assert all(hit in starts for hit in hits)
        assert part.notes[-1].end_tick == spec.end_tick


def test_a_30_minute_lead_is_fast() -> None:
    spec, style, chords = make_cue(SWING, bars=1125)  # 30 minutes at 150 quarter notes a minute
    began = time.perf_counter()
    part = compose_lead(spec, style, chords, rng=np.random.default_rng(0))
    assert time.perf_counter() - began < 1.0
    assert len(part.notes) > 3000


# ---------------------------------------------------------------- mood shapes the line (styles)

_BUILT_IN = ("ballad", "chase", "circus-galop", "swing", "wedding-standard")
_IONIAN = frozenset({0, 2, 4, 5, 7, 9, 11})
_MINOR_SET = frozenset({0, 2, 3, 5, 7, 8, 9, 10, 11})  # natural minor + raised 6th and 7th


def _real_leads(
    style_id: str, mood: Mood, seeds: range = range(12)
) -> list[tuple[Part, CueSpec]]:
    """The leads of whole cues of a built-in style (the style's own harmony) at one mood."""
    from conftest import make_spec

    from soundtrack.compose import compose_cue

    leads = []
    for seed in seeds:
        spec = make_spec(style_id, mood=mood)
        leads.append((compose_cue(spec, rng=np.random.default_rng(seed)).parts[0], spec))
    return leads


def _out_of_key_share(style_id: str, tension: float, valence: float = 0.0) -> float:
    outside = total = 0
    for part, spec in _real_leads(style_id, Mood(valence=valence, arousal=0.6, tension=tension)):
        scale = _IONIAN if spec.key.mode is Mode.MAJOR else _MINOR_SET
        for note in part.notes:
            total += 1
            outside += (note.pitch - spec.key.tonic_pc) % 12 not in scale
    return outside / total


@pytest.mark.parametrize("style_id", _BUILT_IN)
def test_tension_makes_every_style_lead_more_chromatic(style_id: str) -> None:
    calm, medium, tense = (_out_of_key_share(style_id, tension) for tension in (0.05, 0.4, 0.95))
    assert calm < medium < tense
    assert tense > calm + 0.06
    assert calm < 0.1  # a calm line stays (nearly) in the key


@pytest.mark.parametrize("style_id", _BUILT_IN)
def test_calm_leads_rest_on_chord_tones(style_id: str) -> None:
    def chord_tone_share(tension: float) -> float:
        inside = total = 0
        for seed in range(12):
            from conftest import make_spec

            from soundtrack.compose import compose_cue

            spec = make_spec(style_id, mood=Mood(valence=0.0, arousal=0.5, tension=tension))
            cue = compose_cue(spec, rng=np.random.default_rng(seed))
            starts = [chord.start_tick for chord in cue.chords]
            for note in cue.parts[0].notes:
                if note.start_tick % spec.meter.pulse_ticks >= spec.meter.pulse_ticks // 8:
                    continue  # on the beat only (laid back a little)
                chord = cue.chords[bisect.bisect_right(starts, note.start_tick) - 1]
                total += 1
                inside += note.pitch % 12 in chord.pitch_classes[:4]
        return inside / total

    assert chord_tone_share(0.05) > chord_tone_share(0.95) + 0.1


def test_clear_valence_leans_on_the_tonic_triad() -> None:
    """Happy and sad lines sit more on the key's 1-3-5 than ambivalent ones."""

    def triad_time(valence: float, key_mode: Mode) -> float:
        inside = total = 0
        style_id = "ballad"
        for part, spec in _real_leads(style_id, Mood(valence=valence, arousal=0.4, tension=0.2)):
            if spec.key.mode is not key_mode:
                continue
            third = 4 if key_mode is Mode.MAJOR else 3
            triad = {0, third, 7}
            for note in part.notes:
                total += note.duration_ticks
                if (note.pitch - spec.key.tonic_pc) % 12 in triad:
                    inside += note.duration_ticks
        return inside / total

    # make_spec plays the style's first mode (major for the ballad)
    assert triad_time(0.95, Mode.MAJOR) > triad_time(0.1, Mode.MAJOR) + 0.05


def test_chromatic_factor_grows_from_a_low_base() -> None:
    from soundtrack.compose.lead import (
        CHROMATIC_REFERENCE_TENSION,
        chromatic_factor,
        chromatic_floor,
    )

    values = [chromatic_factor(tension / 20) for tension in range(21)]
    assert values == sorted(values)
    assert values[0] == pytest.approx(0.05)
    assert chromatic_factor(CHROMATIC_REFERENCE_TENSION) == pytest.approx(1.0)
    assert values[-1] == pytest.approx(2.0)
    assert chromatic_floor(0.5) == 0.0 < chromatic_floor(0.8) < chromatic_floor(1.0)


def test_tense_bars_take_the_darker_chord_scales() -> None:
    from soundtrack.compose.lead import tense_chord_scale

    def chord(root: int, quality: str) -> ChordSymbol:
        return ChordSymbol(start_tick=0, duration_ticks=1, root_pc=root, quality=quality,
                           pitch_classes=tuple((root + i) % 12 for i in _QUALITIES[quality]),
                           symbol="")

    c_major = frozenset({0, 2, 4, 5, 7, 9, 11})
    assert {8, 10} <= tense_chord_scale(chord(7, "7"), c_major, 0) - c_major  # G7: b9, #9
    d_minor = frozenset({2, 4, 5, 7, 9, 10, 1})
    dm = tense_chord_scale(chord(2, "m"), d_minor, 2)
    assert 3 in dm  # D Phrygian: Eb for E
    assert 4 not in dm
    assert tense_chord_scale(chord(4, "m7"), c_major, 0) == c_major  # other chords keep theirs


def test_players_differ_from_cue_to_cue_and_play_denser_when_slow() -> None:
    """Per-cue player variation (as real soloists differ): density spreads widely across seeds,
    and with ``tempo_scaling`` a slow cue is far denser per beat than a fast one."""

    def densities(tempo_bpm: float) -> list[float]:
        setting = dataclasses.replace(SWING, tempo_bpm=tempo_bpm, lead=load_style("swing").lead)
        result: list[float] = []
        for seed in SEEDS:
            part, spec, _ = lead_of(setting, seed)
            result.append(len(part.notes) / (spec.end_tick / spec.meter.pulse_ticks))
        return result

    slow, fast = densities(80.0), densities(240.0)
    assert statistics.median(slow) > 1.3 * statistics.median(fast)
    assert statistics.pstdev(slow) / statistics.fmean(slow) > 0.12


# ---------------------------------------------------------------- issue 3: jazz idioms


def _with_lead(setting: Setting, **changes: Any) -> Setting:
    return dataclasses.replace(setting, lead=dataclasses.replace(setting.lead, **changes))


def test_triplets_put_eighth_triplets_in_the_line() -> None:
    """With ``triplets`` the line has onsets on the beat's thirds; without, none (straight)."""
    straight = _with_lead(dataclasses.replace(SWING, tempo_bpm=120.0), swing=False,
                          lay_back_ms=0.0, grace=0.0)

    def thirds(triplets: float) -> int:
        count = 0
        for seed in range(8):
            part, spec, _ = lead_of(_with_lead(straight, triplets=triplets), seed)
            pulse = spec.meter.pulse_ticks
            count += sum(
                note.start_tick % pulse in (pulse // 3, 2 * pulse // 3) for note in part.notes
            )
        return count

    assert thirds(0.0) == 0
    assert thirds(0.6) >= 40


def test_bebop_scales_add_one_passing_tone_per_chord_family() -> None:
    from soundtrack.compose.lead import BEBOP_PASSING_TONES, bebop_scale

    def chord(root: int, quality: str, tones: tuple[int, ...]) -> ChordSymbol:
        return ChordSymbol(
            start_tick=0,
            duration_ticks=1920,
            root_pc=root,
            quality=quality,
            pitch_classes=tuple((root + tone) % 12 for tone in tones),
            symbol="x",
        )

    mixolydian = frozenset((7 + step) % 12 for step in SCALE_STEPS["mixolydian"])
    g7 = chord(7, "7", (0, 4, 7, 10))
    assert bebop_scale(g7, mixolydian) == mixolydian | {6}  # F# under G
    ionian = frozenset(SCALE_STEPS["ionian"])
    assert bebop_scale(chord(0, "maj7", (0, 4, 7, 11)), ionian) == ionian | {8}
    dorian = frozenset((2 + step) % 12 for step in SCALE_STEPS["dorian"])
    assert bebop_scale(chord(2, "m7", (0, 3, 7, 10)), dorian) == dorian | {6}
    locrian = frozenset((11 + step) % 12 for step in SCALE_STEPS["locrian"])
    assert bebop_scale(chord(11, "m7b5", (0, 3, 6, 10)), locrian) == locrian
    assert set(BEBOP_PASSING_TONES) == {"dominant", "major", "minor"}


def test_bebop_scales_make_runs_pass_through_the_added_tone() -> None:
    """Over a dominant, a line on bebop scales plays the major 7th under the root; without
    them it plays it only as a chromatic passing note or approach (far less often)."""

    def share_of_major_seventh(bebop: bool) -> float:
        hits = total = 0
        for seed in range(10):
            setting = _with_lead(SWING, bebop_scales=bebop, chromatic=0.0, approach=0.0,
                                 enclosure=0.0)
            part, _, chords = lead_of(setting, seed)
            starts = [chord.start_tick for chord in chords]
            for note in part.notes:
                chord = chords[bisect.bisect_right(starts, note.start_tick) - 1]
                if (chord.pitch_classes[3] - chord.root_pc) % 12 == 10 and (
                    chord.pitch_classes[1] - chord.root_pc
                ) % 12 == 4:
                    total += 1
                    hits += (note.pitch - chord.root_pc) % 12 == 11
        return hits / max(total, 1)

    assert share_of_major_seventh(True) > share_of_major_seventh(False) + 0.03


def test_pitch_habits_are_one_players_uneven_weights() -> None:
    """No habits: every pitch class kept; strong habits: the favourite kept always, others
    far less, differently for each cue."""
    from soundtrack.compose.lead import _Dice, _pitch_habits

    assert _pitch_habits(_Dice(np.random.default_rng(1)), 0.0) == (1.0,) * 12
    strong = [_pitch_habits(_Dice(np.random.default_rng(seed)), 2.0) for seed in range(10)]
    for habits in strong:
        assert len(habits) == 12
        assert max(habits) == 1.0
        assert min(habits) < 0.5
        assert all(0.0 < weight <= 1.0 for weight in habits)
    assert len({habits.index(1.0) for habits in strong}) >= 4  # favourites differ by cue
    assert _pitch_habits(_Dice(np.random.default_rng(3)), 2.0) == strong[3]  # deterministic


def test_riffs_repeat_figures_note_for_note() -> None:
    """Motif restatements over changing chords: a player who riffs opens more phrases with the
    same interval figure (note for note) than one who follows each chord's scale."""

    def same_opening_share(riff: float) -> float:
        total = same = 0
        for seed in range(20):
            setting = _with_lead(SWING, lay_back_ms=0.0, grace=0.0, motif_repeat=1.0,
                                 motif_vary=0.0, sequence=0.0, riff=riff, phrase_bars=1.0,
                                 breath_beats=1.0)
            part, spec, _ = lead_of(setting, seed)
            openings = [
                tuple(b.pitch - a.pitch for a, b in zip(phrase[:5], phrase[1:5], strict=False))
                for phrase in phrases_of(part.notes, spec.meter.pulse_ticks)
                if len(phrase) >= 5
            ]
            total += len(openings)
            same += Counter(openings).most_common(1)[0][1] if openings else 0
        return same / total

    assert same_opening_share(1.0) > same_opening_share(0.0) + 0.06
