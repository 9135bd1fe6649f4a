"""Tests of harmony (:mod:`soundtrack.compose.harmony`) and the roman-numeral notation."""

from __future__ import annotations

import dataclasses
import statistics

import numpy as np
import pytest
from conftest import make_spec
from music21 import harmony as m21_harmony

from soundtrack.compose.harmony import (
    ChordTimeline,
    build_chords,
    chord_symbol_text,
    make_chord,
    roman_root,
    spell_pitch_class,
)
from soundtrack.model import Key, Mode, Mood, Section
from soundtrack.styles import load_style
from soundtrack.styles.schema import (
    CHORD_QUALITIES,
    QUALITY_ALIASES,
    canonical_quality,
    parse_progression,
    parse_roman_chord,
)

STYLES = ("circus-galop", "swing", "ballad", "chase", "wedding-standard")
SEEDS = range(30)


# ---------------------------------------------------------------- chord symbols and music21


@pytest.mark.parametrize("quality", sorted(CHORD_QUALITIES))
@pytest.mark.parametrize("flats", [True, False])
def test_every_root_and_quality_round_trips_through_music21(quality: str, flats: bool) -> None:
    for root_pc in range(12):
        chord = make_chord(root_pc, quality, start_tick=0, duration_ticks=480,
                           root_name=spell_pitch_class(root_pc, flats=flats))
        parsed = m21_harmony.ChordSymbol(chord.symbol)
        assert parsed.root().pitchClass == root_pc, chord.symbol
        assert {pitch.pitchClass for pitch in parsed.pitches} == set(chord.pitch_classes), (
            chord.symbol
        )
        assert chord.pitch_classes[0] == root_pc


def test_flats_are_spelt_the_music21_way() -> None:
    assert chord_symbol_text(spell_pitch_class(10, flats=True), "maj7") == "B-maj7"
    assert chord_symbol_text(spell_pitch_class(3, flats=True), "m7") == "E-m7"
    assert chord_symbol_text(spell_pitch_class(6, flats=False), "7b9") == "F#7b9"
    assert make_chord(10, "7b9", start_tick=0, duration_ticks=1).symbol == "B-7b9"
    assert make_chord(7, "M9", start_tick=0, duration_ticks=1).pitch_classes == (7, 11, 2, 6, 9)


def test_aliases_name_known_qualities() -> None:
    for alias, quality in QUALITY_ALIASES.items():
        assert quality in CHORD_QUALITIES, alias
        assert canonical_quality(alias) == quality
    assert canonical_quality("7alt") is None


# ---------------------------------------------------------------- roman numerals


@pytest.mark.parametrize(
    ("text", "semitones", "quality"),
    [
        ("I", 0, ""),
        ("i", 0, "m"),
        ("V7", 7, "7"),
        ("ii7", 2, "m7"),
        ("iim7", 2, "m7"),
        ("Imaj7", 0, "maj7"),
        ("imaj7", 0, "mM7"),
        ("bVImaj7", 8, "maj7"),
        ("bIII", 3, ""),
        ("bVII7", 10, "7"),
        ("bII7", 1, "7"),
        ("viio7", 11, "dim7"),
        ("#ivo7", 6, "dim7"),
        ("ii7b5", 2, "m7b5"),
        ("iiø7", 2, "m7b5"),
        ("iv6", 5, "m6"),
        ("IV6", 5, "6"),
        ("V7b9", 7, "7b9"),
        ("V7#9", 7, "7#9"),
        ("V7sus4", 7, "7sus4"),
        ("Imaj9", 0, "M9"),
        ("vi9", 9, "m9"),
        ("VII", 11, ""),
    ],
)
def test_parse_roman_chord(text: str, semitones: int, quality: str) -> None:
    chord = parse_roman_chord(text)
    assert chord.semitones == semitones
    assert chord.quality == quality
    assert chord.text == text


@pytest.mark.parametrize("text", ["", "IX", "V7alt", "H7", "7", "Vmaj13", "xI"])
def test_parse_roman_chord_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="roman|quality"):
        parse_roman_chord(text)


def test_parse_progression_bars_and_continuation() -> None:
    bars = parse_progression("I . IV V7 | ii7 V7 | I")
    assert [len(bar) for bar in bars] == [4, 2, 1]
    assert bars[0][0] == bars[0][1]
    assert bars[0][3].quality == "7"
    with pytest.raises(ValueError, match="empty"):
        parse_progression("I || V7")
    with pytest.raises(ValueError, match="no chord to repeat"):
        parse_progression(". I")


@pytest.mark.parametrize(
    ("text", "key", "name"),
    [
        ("viio7", Key(tonic_pc=2, mode=Mode.MINOR), "C#"),  # leading tone of D minor
        ("V7", Key(tonic_pc=2, mode=Mode.MINOR), "A"),
        ("bII", Key(tonic_pc=2, mode=Mode.MINOR), "E-"),
        ("bVI", Key(tonic_pc=4, mode=Mode.MINOR), "C"),
        ("bIII", Key(tonic_pc=0, mode=Mode.MINOR), "E-"),
        ("V7", Key(tonic_pc=6, mode=Mode.MAJOR), "C#"),
        ("IV", Key(tonic_pc=10, mode=Mode.MAJOR), "E-"),
        ("#ivo7", Key(tonic_pc=10, mode=Mode.MAJOR), "E"),
        ("bVII7", Key(tonic_pc=7, mode=Mode.MAJOR), "F"),
    ],
)
def test_roman_roots_are_spelt_by_letter(text: str, key: Key, name: str) -> None:
    root_pc, root_name = roman_root(parse_roman_chord(text), key)
    assert root_name == name
    assert root_pc == (key.tonic_pc + parse_roman_chord(text).semitones) % 12


# ---------------------------------------------------------------- the timeline


def _timeline(style_id: str, seed: int, **kwargs: object) -> tuple:  # type: ignore[type-arg]
    spec = make_spec(style_id, **kwargs)  # type: ignore[arg-type]
    return spec, build_chords(spec, load_style(style_id), rng=np.random.default_rng(seed))


@pytest.mark.parametrize("style_id", STYLES)
def test_chords_cover_the_cue_exactly(style_id: str) -> None:
    for seed in SEEDS:
        bars = 1 + seed * 3
        spec, chords = _timeline(style_id, seed, bars=bars,
                                 bar_moods=lambda bar, s=seed: Mood(
                                     valence=0.0, arousal=0.5, tension=(bar * 0.13 + s) % 1.0))
        assert chords[0].start_tick == 0
        assert chords[-1].end_tick == spec.end_tick
        for before, after in zip(chords, chords[1:], strict=False):
            assert before.end_tick == after.start_tick
            assert (before.root_pc, before.quality) != (after.root_pc, after.quality)
        assert all(chord.duration_ticks > 0 for chord in chords)
        assert all(chord.quality in CHORD_QUALITIES for chord in chords)


@pytest.mark.parametrize("style_id", STYLES)
def test_chord_symbols_of_real_cues_parse_with_music21(style_id: str) -> None:
    symbols = {}
    for seed in range(6):
        for key in ("C", "Bb", "F# minor", "Eb minor"):
            style = load_style(style_id)
            parsed_key = Key(tonic_pc=make_spec(style_id, key=key).key.tonic_pc,
                             mode=style.modes[0] if "minor" not in key else Mode.MINOR)
            _, chords = _timeline(style_id, seed, key=parsed_key,
                                  mood=Mood(valence=0.0, arousal=0.6, tension=0.9))
            symbols.update({chord.symbol: chord for chord in chords})
    for symbol, chord in symbols.items():
        parsed = m21_harmony.ChordSymbol(symbol)
        assert parsed.root().pitchClass == chord.root_pc, symbol
        assert {pitch.pitchClass for pitch in parsed.pitches} == set(chord.pitch_classes), symbol


@pytest.mark.parametrize("style_id", ["circus-galop", "chase", "swing", "ballad"])
def test_minor_keys_use_the_harmonic_minor_dominant(style_id: str) -> None:
    key = Key(tonic_pc=2, mode=Mode.MINOR)
    dominants = 0
    for seed in SEEDS:
        _, chords = _timeline(style_id, seed, key=key)
        for chord in chords:
            if chord.root_pc == 9:  # A, the dominant of D minor
                # the third is C#, the leading tone (a #9 may still sound C natural)
                assert chord.pitch_classes[1] == 1, chord.symbol
                dominants += 1
    assert dominants > 0


def test_calm_cues_end_on_the_tonic() -> None:
    for style_id in STYLES:
        for seed in range(10):
            calm = Mood(valence=0.3, arousal=0.4, tension=0.1)
            spec, chords = _timeline(style_id, seed, mood=calm)
            assert chords[-1].root_pc == spec.key.tonic_pc, (style_id, chords[-1].symbol)
            assert chords[-1].start_tick <= spec.end_tick - spec.meter.bar_ticks


def test_a_tense_chase_ends_unresolved_on_the_dominant() -> None:
    tense = Mood(valence=-0.5, arousal=0.9, tension=0.95)
    spec, chords = _timeline("chase", 0, mood=tense)
    assert chords[-1].root_pc == (spec.key.tonic_pc + 7) % 12
    assert chords[-1].quality == "7#9"


def test_tension_speeds_up_and_colours_the_harmony() -> None:
    for style_id in ("swing", "chase", "circus-galop"):
        calm_counts, tense_counts, calm_altered, tense_altered = [], [], [], []
        for seed in SEEDS:
            calm = Mood(valence=0.0, arousal=0.5, tension=0.05)
            tense = Mood(valence=0.0, arousal=0.5, tension=0.95)
            _, calm_chords = _timeline(style_id, seed, mood=calm)
            _, tense_chords = _timeline(style_id, seed, mood=tense)
            calm_counts.append(len(calm_chords))
            tense_counts.append(len(tense_chords))
            altered = {"7b9", "7#9", "mM7"}
            calm_altered.append(sum(chord.quality in altered for chord in calm_chords))
            tense_altered.append(sum(chord.quality in altered for chord in tense_chords))
        # swing already changes chords twice a bar in most bars, so it speeds up less
        factor = 1.0 if style_id == "swing" else 1.2
        assert statistics.mean(tense_counts) > factor * statistics.mean(calm_counts), style_id
        assert statistics.mean(tense_altered) > statistics.mean(calm_altered), style_id


def test_intro_and_ending_sections_take_harmony_from_the_form() -> None:
    spec = make_spec("swing", bars=36)
    body = tuple(
        Section(name=section.name, start_bar=section.start_bar + 2, bars=section.bars)
        for section in spec.sections
    )
    sections = (Section(name="intro", start_bar=0, bars=2), *body[:-1],
                Section(name="A", start_bar=body[-1].start_bar, bars=body[-1].bars - 2),
                Section(name="ending", start_bar=35, bars=1))
    spec = dataclasses.replace(spec, sections=sections)
    chords = build_chords(spec, load_style("swing"), rng=np.random.default_rng(1))
    assert chords[-1].end_tick == spec.end_tick
    intro = [chord for chord in chords if chord.start_tick < 2 * spec.meter.bar_ticks]
    # the intro is the A section's turnaround, ending on the dominant of the tonic
    assert intro[-1].root_pc in ((spec.key.tonic_pc + 7) % 12, (spec.key.tonic_pc + 1) % 12)


def test_build_chords_is_deterministic_and_seed_dependent() -> None:
    first = [_timeline("swing", seed)[1] for seed in SEEDS]
    again = [_timeline("swing", seed)[1] for seed in SEEDS]
    assert first == again
    assert len({tuple(chord.symbol for chord in chords) for chords in first}) > 5


def test_chord_timeline_lookup() -> None:
    _, chords = _timeline("swing", 0)
    timeline = ChordTimeline(chords)
    for chord in chords:
        assert timeline.at(chord.start_tick) == chord
        assert timeline.at(chord.end_tick - 1) == chord
    assert timeline.next_change(chords[-1].start_tick) is None
    assert timeline.next_change(0) == chords[1].start_tick


def test_empty_cue_has_no_chords() -> None:
    spec = dataclasses.replace(make_spec("swing", bars=1), bars=0, end_tick=0, sections=(),
                               bar_moods=())
    assert build_chords(spec, load_style("swing"), rng=np.random.default_rng(0)) == ()
