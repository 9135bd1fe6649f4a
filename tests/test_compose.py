"""Tests of compose (:func:`soundtrack.compose.compose_cue` and the accompaniment engines).

Invariants are checked over 30 seeds for every style, each seed with its own mood arc (random
ramps of arousal and tension), key and hit point; style traits are checked from the notes.
"""

from __future__ import annotations

import dataclasses
import functools
import statistics
import time
from collections.abc import Iterable

import numpy as np
import pytest
from conftest import make_spec

import soundtrack.compose as compose_module
from soundtrack.compose import compose_cue
from soundtrack.compose.backing import compose_backing
from soundtrack.compose.bass import compose_bass
from soundtrack.compose.drums import compose_drums
from soundtrack.model import (
    SAXOPHONE_PROGRAM,
    Cue,
    CueSpec,
    Key,
    Mode,
    Mood,
    Note,
    Part,
    Role,
)
from soundtrack.styles import load_style
from soundtrack.styles.schema import GM_DRUMS, Instrument, Pattern

STYLES = ("circus-galop", "swing", "ballad", "chase", "wedding-standard")
SEEDS = range(30)
TRAIT_SEEDS = range(10)


def _arc_spec(style_id: str, seed: int) -> CueSpec:
    """A full form cycle with a seed-dependent mood ramp, key and hit point."""
    style = load_style(style_id)
    draw = np.random.default_rng(10_000 + seed)
    arousal = draw.uniform(0.0, 1.0, 2)
    tension = draw.uniform(0.0, 1.0, 2)
    bars = sum(section.bars for section in style.form)

    def mood(bar: int) -> Mood:
        share = bar / max(bars - 1, 1)
        return Mood(
            valence=0.0,
            arousal=float(arousal[0] + (arousal[1] - arousal[0]) * share),
            tension=float(tension[0] + (tension[1] - tension[0]) * share),
        )

    key = Key(tonic_pc=style.tonics[seed % len(style.tonics)],
              mode=style.modes[seed % len(style.modes)])
    hit = int(draw.integers(0, bars - 1)) * style.meter.bar_ticks + style.meter.pulse_ticks
    return make_spec(style_id, bars=bars, key=key, bar_moods=mood, hit_ticks=(hit,))


@functools.cache
def _cue(style_id: str, seed: int) -> Cue:
    return compose_cue(_arc_spec(style_id, seed), rng=np.random.default_rng(seed))


def _cues(style_id: str) -> Iterable[Cue]:
    return (_cue(style_id, seed) for seed in SEEDS)


@functools.cache
def _trait_cue(style_id: str, seed: int) -> Cue:
    """A full form cycle at the style's prototype mood."""
    spec = make_spec(style_id)
    return compose_cue(spec, rng=np.random.default_rng(seed))


def _part(cue: Cue, name: str) -> Part:
    return next(part for part in cue.parts if part.name == name)


def _bar_kinds(spec: CueSpec) -> tuple[set[int], set[int]]:
    """(body bars, section-end bars): body bars are neither a section's last nor the final bar."""
    ends = {section.start_bar + section.bars - 1 for section in spec.sections}
    body = {bar for bar in range(spec.bars - 1) if bar not in ends}
    return body, ends


def _onsets_by_bar(notes: Iterable[Note], bar_ticks: int) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for note in notes:
        found.setdefault(note.start_tick // bar_ticks, []).append(note.start_tick % bar_ticks)
    return {bar: sorted(set(ticks)) for bar, ticks in found.items()}


# ---------------------------------------------------------------- invariants over 30 seeds


@pytest.mark.parametrize("style_id", STYLES)
def test_parts_lead_first_then_the_style_instruments(style_id: str) -> None:
    style = load_style(style_id)
    for cue in _cues(style_id):
        lead, *others = cue.parts
        assert lead.role is Role.LEAD
        assert lead.program == SAXOPHONE_PROGRAM[cue.spec.lead]
        assert [part.name for part in others] == [item.name for item in style.instruments]
        for part, instrument in zip(others, style.instruments, strict=True):
            assert part.role is instrument.role
            assert part.program == instrument.program
            assert part.is_drums == (instrument.role is Role.DRUMS)
            assert (part.low_pitch, part.high_pitch) == (instrument.low_pitch,
                                                         instrument.high_pitch)


@pytest.mark.parametrize("style_id", STYLES)
def test_pitches_stay_in_each_part_range(style_id: str) -> None:
    for cue in _cues(style_id):
        for part in cue.parts:
            assert part.notes, part.name if part.role is not Role.DRUMS else "drums"
            for note in part.notes:
                assert part.low_pitch <= note.pitch <= part.high_pitch, (part.name, note)
            if part.is_drums:
                assert set(note.pitch for note in part.notes) <= set(GM_DRUMS.values())


@pytest.mark.parametrize("style_id", STYLES)
def test_no_overlapping_notes_of_one_pitch(style_id: str) -> None:
    for cue in _cues(style_id):
        for part in cue.parts:
            sounding_until: dict[int, int] = {}
            for note in part.notes:
                assert note.start_tick >= sounding_until.get(note.pitch, 0), (part.name, note)
                sounding_until[note.pitch] = note.end_tick


@pytest.mark.parametrize("style_id", STYLES)
def test_every_note_lies_inside_the_cue(style_id: str) -> None:
    for cue in _cues(style_id):
        end = cue.spec.end_tick
        for part in cue.parts:
            starts = [note.start_tick for note in part.notes]
            assert starts == sorted(starts), part.name
            for note in part.notes:
                assert 0 <= note.start_tick < end
                assert note.duration_ticks > 0
                assert note.end_tick <= end, (part.name, note)
                assert 1 <= note.velocity <= 127


@pytest.mark.parametrize("style_id", STYLES)
def test_the_cue_ends_on_a_sounding_final_chord(style_id: str) -> None:
    for cue in _cues(style_id):
        end = cue.spec.end_tick
        final = cue.chords[-1]
        assert cue.chords[0].start_tick == 0
        assert final.end_tick == end
        held_pitch_classes: set[int] = set()
        for part in cue.parts[1:]:
            if part.is_drums:
                continue
            held = [note for note in part.notes if note.end_tick == end]
            assert held, f"{part.name} does not hold the final chord"
            assert {note.pitch % 12 for note in held} <= set(final.pitch_classes), part.name
            held_pitch_classes |= {note.pitch % 12 for note in held}
        assert len(held_pitch_classes) >= min(3, len(set(final.pitch_classes)))


@pytest.mark.parametrize("style_id", STYLES)
def test_same_seed_gives_an_equal_cue(style_id: str) -> None:
    for seed in range(5):
        again = compose_cue(_arc_spec(style_id, seed), rng=np.random.default_rng(seed))
        assert again == _cue(style_id, seed)


@pytest.mark.parametrize("style_id", STYLES)
def test_different_seeds_give_different_music(style_id: str) -> None:
    spec = make_spec(style_id)
    accompaniments = {
        tuple(part.notes for part in compose_cue(spec, rng=np.random.default_rng(seed)).parts[1:])
        for seed in range(12)
    }
    assert len(accompaniments) == 12
    assert len({cue.parts for cue in _cues(style_id)}) == len(SEEDS)


@pytest.mark.parametrize("bars", [1, 2, 3, 5])
@pytest.mark.parametrize("style_id", STYLES)
def test_very_short_cues(style_id: str, bars: int) -> None:
    spec = make_spec(style_id, bars=bars)
    cue = compose_cue(spec, rng=np.random.default_rng(bars))
    assert cue.chords[-1].end_tick == spec.end_tick
    for part in cue.parts:
        assert all(note.end_tick <= spec.end_tick for note in part.notes)
    assert any(note.end_tick == spec.end_tick for note in _part(cue, cue.parts[1].name).notes)


def test_adding_an_instrument_does_not_change_the_other_parts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    style = load_style("swing")
    extra = Instrument(
        name="Vibraphone", role=Role.COUNTER, program=11, low_pitch=53, high_pitch=89,
        patterns=(Pattern(steps=4, grids=("x-x-",)),),
    )
    spec = make_spec("swing")
    before = compose_cue(spec, rng=np.random.default_rng(4))
    grown = dataclasses.replace(style, instruments=(*style.instruments, extra))
    monkeypatch.setattr(compose_module, "load_style", lambda style_id: grown)
    after = compose_cue(spec, rng=np.random.default_rng(4))
    assert after.chords == before.chords
    assert after.parts[: len(before.parts)] == before.parts
    assert after.parts[-1].name == "Vibraphone"
    assert after.parts[-1].notes


def test_engines_default_to_the_style_instrument_and_refuse_missing_ones() -> None:
    spec = make_spec("chase", bars=4)
    style = load_style("chase")
    cue = compose_cue(spec, rng=np.random.default_rng(0))
    rng = np.random.default_rng(1)
    assert compose_bass(spec, style, cue.chords, rng=rng).name == "Electric Bass"
    assert compose_drums(spec, style, cue.chords, rng=rng).is_drums
    assert compose_backing(spec, style, cue.chords, rng=rng).name == "Brass Stabs"
    bare = dataclasses.replace(style, instruments=())
    with pytest.raises(ValueError, match="no bass"):
        compose_bass(spec, bare, cue.chords, rng=rng)


# ---------------------------------------------------------------- style traits


@pytest.mark.parametrize("seed", TRAIT_SEEDS)
def test_circus_galop_is_oom_pah(seed: int) -> None:
    cue = _trait_cue("circus-galop", seed)
    spec = cue.spec
    bar_ticks, beat = spec.meter.bar_ticks, spec.meter.pulse_ticks
    body, _ = _bar_kinds(spec)
    tuba = _onsets_by_bar(_part(cue, "Tuba").notes, bar_ticks)
    for bar in body:
        assert tuba[bar] == [0, beat], (bar, tuba[bar])  # the tuba on both beats of 2/4
    for name in ("Accordion", "Trombones"):
        onsets = [note.start_tick for note in _part(cue, name).notes
                  if note.start_tick // bar_ticks in body]
        off_beat = [tick for tick in onsets if tick % beat]
        assert onsets, name
        assert len(off_beat) == len(onsets), name  # the chords off the beat
    assert spec.key.mode is Mode.MINOR
    drums = {note.pitch for note in _part(cue, "Drums").notes}
    assert {GM_DRUMS["kick"], GM_DRUMS["snare"]} <= drums
    assert drums & {GM_DRUMS["crash"], GM_DRUMS["crash2"]}


def test_circus_galop_runs_chromatically_into_sections() -> None:
    runs = 0
    for seed in TRAIT_SEEDS:
        cue = _trait_cue("circus-galop", seed)
        _, ends = _bar_kinds(cue.spec)
        bar_ticks = cue.spec.meter.bar_ticks
        for bar in ends:
            if bar >= cue.spec.bars - 1:
                continue
            pitches = [note.pitch for note in _part(cue, "Tuba").notes
                       if note.start_tick // bar_ticks == bar]
            steps = [b - a for a, b in zip(pitches[-4:], pitches[-3:], strict=False)]
            if len(steps) == 3 and len(set(steps)) == 1 and abs(steps[0]) == 1:
                runs += 1
    assert runs >= 5


@pytest.mark.parametrize("seed", TRAIT_SEEDS)
def test_swing_walks_on_every_quarter_with_ride_and_swung_eighths(seed: int) -> None:
    cue = _trait_cue("swing", seed)
    spec = cue.spec
    bar_ticks, beat = spec.meter.bar_ticks, spec.meter.pulse_ticks
    bass = _onsets_by_bar(_part(cue, "Acoustic Bass").notes, bar_ticks)
    for bar in range(spec.bars - 1):
        assert bass[bar] == [0, beat, 2 * beat, 3 * beat], (bar, bass[bar])
    drums = _part(cue, "Drums").notes
    ride = [note.start_tick for note in drums if note.pitch == GM_DRUMS["ride"]]
    assert len(ride) >= 5 * (spec.bars - 1)
    assert {note.start_tick % bar_ticks for note in drums if note.pitch == GM_DRUMS["pedal-hat"]} \
        <= {beat, 3 * beat}  # hi-hat on 2 and 4
    off = {tick % beat for tick in ride if tick % beat}
    assert off
    assert all(tick > beat // 2 for tick in off)
    piano = [note.start_tick for note in _part(cue, "Piano").notes]
    assert sum(1 for tick in piano if tick % beat) / len(piano) >= 0.4  # comping off the beat


@pytest.mark.parametrize("seed", TRAIT_SEEDS)
def test_ballad_has_bass_in_halves_and_a_sustained_pad(seed: int) -> None:
    cue = _trait_cue("ballad", seed)
    spec = cue.spec
    half = 2 * spec.meter.pulse_ticks
    bass = [note for note in _part(cue, "Acoustic Bass").notes
            if note.start_tick < spec.end_tick - spec.meter.bar_ticks]
    assert bass
    assert all(note.duration_ticks >= 0.9 * half for note in bass)
    strings = _part(cue, "Strings").notes
    assert statistics.mean(note.duration_ticks for note in strings) >= spec.meter.bar_ticks / 2
    brushes = _part(cue, "Brushes")
    assert brushes.program == 40  # GM2/GS brush kit
    assert statistics.mean(note.velocity for note in brushes.notes) < 70


@pytest.mark.parametrize("seed", TRAIT_SEEDS)
def test_chase_drives_eighths_with_toms_and_short_stabs(seed: int) -> None:
    cue = _trait_cue("chase", seed)
    spec = cue.spec
    bar_ticks, eighth = spec.meter.bar_ticks, spec.meter.pulse_ticks // 2
    body, _ = _bar_kinds(spec)
    bass = _onsets_by_bar(_part(cue, "Electric Bass").notes, bar_ticks)
    for bar in body:
        assert bass[bar] == list(range(0, bar_ticks, eighth)), bar
    assert spec.key.mode is Mode.MINOR
    drums = {note.pitch for note in _part(cue, "Drums").notes}
    assert drums & {GM_DRUMS["floor-tom"], GM_DRUMS["low-tom"]}
    stabs = [note for note in _part(cue, "Brass Stabs").notes
             if note.start_tick < spec.end_tick - bar_ticks]
    assert stabs
    assert max(note.duration_ticks for note in stabs) <= eighth
    dominants = sum(1 for chord in cue.chords if chord.quality in ("7", "7#9", "7b9"))
    assert dominants >= len(cue.chords) // 3


@pytest.mark.parametrize("seed", TRAIT_SEEDS)
def test_wedding_standard_two_beat_a_walking_bridge_and_four_to_the_bar(seed: int) -> None:
    cue = _trait_cue("wedding-standard", seed)
    spec = cue.spec
    bar_ticks, beat = spec.meter.bar_ticks, spec.meter.pulse_ticks
    assert spec.key.mode is Mode.MAJOR
    bass = _onsets_by_bar(_part(cue, "Acoustic Bass").notes, bar_ticks)
    body, _ = _bar_kinds(spec)
    for section in spec.sections:
        for bar in range(section.start_bar, section.start_bar + section.bars):
            if bar not in body:
                continue
            if section.name == "A":
                assert bass[bar] == [0, 2 * beat], bar  # two-beat: 1 and 3
            else:
                assert bass[bar] == [0, beat, 2 * beat, 3 * beat], bar  # walking bridge
    guitar = _onsets_by_bar(_part(cue, "Rhythm Guitar").notes, bar_ticks)
    for bar in body:
        assert guitar[bar] == [0, beat, 2 * beat, 3 * beat]
    tonic = spec.key.tonic_pc
    roots = [(chord.root_pc - tonic) % 12 for chord in cue.chords]
    assert any(roots[index: index + 4] == [0, 9, 2, 7] for index in range(len(roots)))


# ---------------------------------------------------------------- mood shapes the music


def _accompaniment(cue: Cue) -> list[Note]:
    return [note for part in cue.parts[1:] for note in part.notes]


@pytest.mark.parametrize("style_id", STYLES)
def test_arousal_raises_loudness_and_density(style_id: str) -> None:
    calm_velocity, excited_velocity, calm_count, excited_count = [], [], [], []
    for seed in range(4):
        calm = make_spec(style_id, mood=Mood(valence=0.0, arousal=0.15, tension=0.3))
        excited = make_spec(style_id, mood=Mood(valence=0.0, arousal=0.9, tension=0.3))
        calm_notes = _accompaniment(compose_cue(calm, rng=np.random.default_rng(seed)))
        excited_notes = _accompaniment(compose_cue(excited, rng=np.random.default_rng(seed)))
        calm_velocity.append(statistics.mean(note.velocity for note in calm_notes))
        excited_velocity.append(statistics.mean(note.velocity for note in excited_notes))
        calm_count.append(len(calm_notes))
        excited_count.append(len(excited_notes))
    assert statistics.mean(excited_velocity) > statistics.mean(calm_velocity) + 10
    assert statistics.mean(excited_count) > statistics.mean(calm_count)


def test_dynamics_follow_the_arc_inside_a_cue() -> None:
    spec = make_spec("swing", bar_moods=lambda bar: Mood(valence=0.0, arousal=0.1 + bar / 40,
                                                         tension=0.3))
    cue = compose_cue(spec, rng=np.random.default_rng(0))
    bar_ticks = spec.meter.bar_ticks
    drums = _part(cue, "Drums").notes
    early = [note.velocity for note in drums if note.start_tick < 8 * bar_ticks]
    late = [note.velocity for note in drums if 23 * bar_ticks <= note.start_tick < 31 * bar_ticks]
    assert statistics.mean(late) > statistics.mean(early) + 10


def test_quiet_bars_let_parts_drop_out() -> None:
    quiet = Mood(valence=0.0, arousal=0.05, tension=0.1)
    ballad = compose_cue(make_spec("ballad", mood=quiet), rng=np.random.default_rng(0))
    assert _part(ballad, "Brushes").notes == ()
    swing_spec = make_spec("swing", mood=Mood(valence=0.0, arousal=0.2, tension=0.2))
    swing = compose_cue(swing_spec, rng=np.random.default_rng(0))
    last_bar = swing_spec.end_tick - swing_spec.meter.bar_ticks
    assert all(note.start_tick >= last_bar for note in _part(swing, "Brass Backgrounds").notes)
    galop_spec = make_spec("circus-galop", mood=Mood(valence=0.0, arousal=0.3, tension=0.2))
    galop = compose_cue(galop_spec, rng=np.random.default_rng(0))
    last_bar = galop_spec.end_tick - galop_spec.meter.bar_ticks
    assert all(note.start_tick >= last_bar for note in _part(galop, "Trumpets").notes)


def test_arousal_lifts_the_register_of_chord_parts() -> None:
    means = []
    for arousal in (0.1, 0.9):
        spec = make_spec("ballad", mood=Mood(valence=0.0, arousal=arousal, tension=0.2))
        cue = compose_cue(spec, rng=np.random.default_rng(2))
        means.append(statistics.mean(note.pitch for note in _part(cue, "Strings").notes))
    assert means[1] > means[0] + 1


def test_hit_points_are_marked() -> None:
    spec = make_spec("swing", hit_ticks=(5 * 1920 + 480,))
    cue = compose_cue(spec, rng=np.random.default_rng(0))
    tick = spec.hits[0].tick
    drums = _part(cue, "Drums").notes
    assert any(note.start_tick == tick and note.pitch == GM_DRUMS["crash"] for note in drums)
    assert any(note.start_tick == tick for note in _part(cue, "Piano").notes)


def test_half_an_hour_of_music_composes_quickly() -> None:
    started = time.perf_counter()
    seconds = 0.0
    for style_id in STYLES:
        style = load_style(style_id)
        bars = round(6 * style.tempo_max_bpm / style.meter.pulses_per_bar)  # six minutes
        spec = make_spec(style_id, bars=bars, tempo_bpm=style.tempo_max_bpm)
        compose_cue(spec, rng=np.random.default_rng(0))
        seconds += spec.duration_seconds
    elapsed = time.perf_counter() - started
    assert seconds >= 29 * 60
    assert elapsed < 4.0, f"{elapsed:.2f} s for {seconds / 60:.0f} minutes"


# ---------------------------------------------------------------- tension and valence, heard

# Huron's (1994) interval-class dissonance (ic0..ic6), as the mood-fit benchmark weighs it.
_IC_DISSONANCE = (0.0, 1.0, 0.68, 0.24, 0.32, 0.0, 0.64)


def _sounding_dissonance(notes: list[Note], end_tick: int, step: int) -> float:
    """Mean pitch-class-pair dissonance of what sounds at every ``step`` ticks."""
    values = []
    for tick in range(0, end_tick, step):
        classes = sorted({n.pitch % 12 for n in notes if n.start_tick <= tick < n.end_tick})
        pairs = [(a, b) for i, a in enumerate(classes) for b in classes[i + 1:]]
        if pairs:
            values.append(statistics.fmean(
                _IC_DISSONANCE[min((b - a) % 12, (a - b) % 12)] for a, b in pairs))
    return statistics.fmean(values)


@pytest.mark.parametrize("style_id", STYLES)
def test_tension_makes_the_whole_cue_more_dissonant(style_id: str) -> None:
    def dissonance(tension: float) -> float:
        values = []
        for seed in range(6):
            spec = make_spec(style_id, mood=Mood(valence=0.0, arousal=0.6, tension=tension))
            cue = compose_cue(spec, rng=np.random.default_rng(seed))
            pitched = [note for part in cue.parts if not part.is_drums for note in part.notes]
            values.append(_sounding_dissonance(pitched, spec.end_tick, spec.meter.pulse_ticks // 2))
        return statistics.fmean(values)

    calm, medium, tense = dissonance(0.05), dissonance(0.45), dissonance(0.95)
    assert calm < medium < tense
    assert tense > calm + 0.08


def test_tense_chord_parts_take_minor_ninth_clusters() -> None:
    def flat_nine_share(tension: float) -> float:
        with_cluster = total = 0
        for seed in range(6):
            spec = make_spec("ballad", mood=Mood(valence=-0.5, arousal=0.4, tension=tension),
                             key=Key(tonic_pc=2, mode=Mode.MINOR))
            cue = compose_cue(spec, rng=np.random.default_rng(seed))
            strings = _part(cue, "Strings").notes
            for chord in cue.chords[:-1]:
                sounding = {n.pitch % 12 for n in strings
                            if n.start_tick < chord.end_tick and n.end_tick > chord.start_tick}
                total += 1
                with_cluster += (chord.root_pc + 1) % 12 in sounding and (
                    (chord.root_pc + 1) % 12 not in chord.pitch_classes)
        return with_cluster / total

    assert flat_nine_share(0.3) == 0.0
    assert flat_nine_share(0.95) > 0.3


def test_tense_phrases_sit_on_a_tonic_pedal() -> None:
    def tonic_share(tension: float) -> float:
        on_tonic = total = 0
        for seed in range(8):
            key = Key(tonic_pc=2, mode=Mode.MINOR)
            spec = make_spec("ballad", key=key, mood=Mood(valence=-0.4, arousal=0.3,
                                                          tension=tension))
            bass = _part(compose_cue(spec, rng=np.random.default_rng(seed)), "Acoustic Bass")
            total += sum(note.duration_ticks for note in bass.notes)
            on_tonic += sum(note.duration_ticks for note in bass.notes if note.pitch % 12 == 2)
        return on_tonic / total

    assert tonic_share(0.95) > tonic_share(0.4) + 0.15


def test_calm_walking_lines_approach_from_the_scale() -> None:
    def outside_share(tension: float) -> float:
        outside = total = 0
        for seed in range(8):
            key = Key(tonic_pc=10, mode=Mode.MAJOR)
            spec = make_spec("swing", key=key, mood=Mood(valence=0.3, arousal=0.6,
                                                         tension=tension))
            bass = _part(compose_cue(spec, rng=np.random.default_rng(seed)), "Acoustic Bass")
            for note in bass.notes:
                total += 1
                outside += (note.pitch - 10) % 12 not in (0, 2, 4, 5, 7, 9, 11)
        return outside / total

    assert outside_share(0.05) < 0.08
    assert outside_share(0.9) > outside_share(0.05) + 0.05


def test_clear_valence_puts_chords_in_first_inversion() -> None:
    """A sad ballad in D minor plays its bVI (B-flat) over the tonic D (the chord's third) now
    and then; an ambivalent one keeps to the roots."""

    def inverted(valence: float) -> float:
        count = total = 0
        for seed in range(10):
            key = Key(tonic_pc=2, mode=Mode.MINOR)
            spec = make_spec("ballad", key=key, mood=Mood(valence=valence, arousal=0.3,
                                                          tension=0.2))
            cue = compose_cue(spec, rng=np.random.default_rng(seed))
            bass = _part(cue, "Acoustic Bass").notes
            for chord in cue.chords:
                if chord.root_pc != 10 or chord.start_tick % spec.meter.bar_ticks:
                    continue
                first = next((n for n in bass if n.start_tick == chord.start_tick), None)
                if first is not None:
                    total += 1
                    count += first.pitch % 12 == 2
        return count / max(total, 1)

    assert inverted(-0.1) == 0.0
    assert inverted(-0.9) > 0.2
