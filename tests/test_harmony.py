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
    progression_character,
    roman_root,
    shape_chord,
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
        chord = make_chord(
            root_pc,
            quality,
            start_tick=0,
            duration_ticks=480,
            root_name=spell_pitch_class(root_pc, flats=flats),
        )
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
        spec, chords = _timeline(
            style_id,
            seed,
            bars=bars,
            bar_moods=lambda bar, s=seed: Mood(
                valence=0.0, arousal=0.5, tension=(bar * 0.13 + s) % 1.0
            ),
        )
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
            parsed_key = Key(
                tonic_pc=make_spec(style_id, key=key).key.tonic_pc,
                mode=style.modes[0] if "minor" not in key else Mode.MINOR,
            )
            _, chords = _timeline(
                style_id, seed, key=parsed_key, mood=Mood(valence=0.0, arousal=0.6, tension=0.9)
            )
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
    sections = (
        Section(name="intro", start_bar=0, bars=2),
        *body[:-1],
        Section(name="A", start_bar=body[-1].start_bar, bars=body[-1].bars - 2),
        Section(name="ending", start_bar=35, bars=1),
    )
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
    spec = dataclasses.replace(
        make_spec("swing", bars=1), bars=0, end_tick=0, sections=(), bar_moods=()
    )
    assert build_chords(spec, load_style("swing"), rng=np.random.default_rng(0)) == ()


# ---------------------------------------------------------------- mood shapes the harmony

# Huron's (1994) interval-class dissonance, as the mood-fit benchmark weighs it (ic0..ic6).
_IC_DISSONANCE = (0.0, 1.0, 0.68, 0.24, 0.32, 0.0, 0.64)
_ALTERED = frozenset({"7b9", "7#9", "7#11", "7b13", "7#5", "7b5"})
_MAJOR_KEY = Key(tonic_pc=5, mode=Mode.MAJOR)
_MINOR_KEY = Key(tonic_pc=2, mode=Mode.MINOR)


def _dissonance(pitch_classes: tuple[int, ...]) -> float:
    """Mean interval-class dissonance over the pairs of a pitch-class set."""
    classes = sorted(set(pitch_classes))
    pairs = [(a, b) for index, a in enumerate(classes) for b in classes[index + 1 :]]
    if not pairs:
        return 0.0
    return statistics.fmean(_IC_DISSONANCE[min((b - a) % 12, (a - b) % 12)] for a, b in pairs)


def _chord_stats(style_id: str, mood: Mood, key: Key, seeds: range = SEEDS) -> dict[str, float]:
    """Time-weighted shares and means over the chords of many cues at one mood."""
    total = major = minor = dissonance = chromatic = altered = 0.0
    diatonic = {0, 2, 4, 5, 7, 9, 11} if key.mode is Mode.MAJOR else {0, 2, 3, 5, 7, 8, 9, 10, 11}
    for seed in seeds:
        _, chords = _timeline(style_id, seed, key=key, mood=mood)
        for chord in chords:
            weight = chord.duration_ticks
            quality = CHORD_QUALITIES[chord.quality]
            total += weight
            major += weight * (quality.third == 4)
            minor += weight * (quality.third == 3)
            dissonance += weight * _dissonance(chord.pitch_classes)
            outside = any((pc - key.tonic_pc) % 12 not in diatonic for pc in chord.pitch_classes)
            chromatic += weight * outside
            altered += weight * (chord.quality in _ALTERED)
    return {
        name: value / total
        for name, value in (
            ("major", major),
            ("minor", minor),
            ("dissonance", dissonance),
            ("chromatic", chromatic),
            ("altered", altered),
        )
    }


@pytest.mark.parametrize("style_id", ["swing", "ballad", "wedding-standard"])
def test_happier_major_cues_spend_more_time_on_major_chords(style_id: str) -> None:
    def share(valence: float) -> float:
        return _chord_stats(style_id, Mood(valence=valence, arousal=0.5, tension=0.2), _MAJOR_KEY)[
            "major"
        ]

    assert share(0.95) > share(0.5) + 0.04 > share(0.15) + 0.08


@pytest.mark.parametrize("style_id", ["swing", "ballad", "chase", "circus-galop"])
def test_sadder_minor_cues_spend_more_time_on_minor_chords(style_id: str) -> None:
    def share(valence: float) -> float:
        return _chord_stats(style_id, Mood(valence=valence, arousal=0.5, tension=0.3), _MINOR_KEY)[
            "minor"
        ]

    assert share(-0.9) > share(0.0) + 0.08


@pytest.mark.parametrize("style_id", STYLES)
def test_tension_makes_chords_more_dissonant_and_chromatic(style_id: str) -> None:
    key = _MINOR_KEY if load_style(style_id).modes[0] is Mode.MINOR else _MAJOR_KEY
    calm = _chord_stats(style_id, Mood(valence=0.0, arousal=0.5, tension=0.05), key)
    tense = _chord_stats(style_id, Mood(valence=0.0, arousal=0.5, tension=0.95), key)
    assert tense["dissonance"] > calm["dissonance"] + 0.05
    assert tense["chromatic"] > calm["chromatic"] + 0.05


@pytest.mark.parametrize("style_id", STYLES)
def test_calm_cues_have_no_altered_dominants(style_id: str) -> None:
    for mode in load_style(style_id).modes:
        key = _MAJOR_KEY if mode is Mode.MAJOR else _MINOR_KEY
        for valence in (-0.6, 0.0, 0.6):
            stats = _chord_stats(
                style_id, Mood(valence=valence, arousal=0.5, tension=0.05), key, range(10)
            )
            assert stats["altered"] == 0.0, (mode, valence)


def test_calm_harmony_is_plain_and_tense_harmony_is_rich() -> None:
    """Ballads: triads and sixths when calm, sevenths, ninths and alterations when tense."""
    calm = _chord_stats("ballad", Mood(valence=0.3, arousal=0.3, tension=0.05), _MAJOR_KEY)
    tense = _chord_stats("ballad", Mood(valence=0.3, arousal=0.3, tension=0.9), _MAJOR_KEY)
    assert calm["dissonance"] < 0.24  # a major or minor triad alone is 0.19
    assert tense["dissonance"] > 0.32  # a dominant seventh is 0.35


def test_shape_chord_keeps_the_function() -> None:
    def chord(
        text: str,
        mode: Mode,
        valence: float,
        tension: float,
        draws: tuple[float, float] = (0.0, 0.0),
        **kwargs: bool,
    ) -> str:
        mood = Mood(valence=valence, arousal=0.5, tension=tension)
        return shape_chord(parse_roman_chord(text), mode, mood, draws, **kwargs).text

    major, minor = Mode.MAJOR, Mode.MINOR
    # bright major: relative-minor chords become the tonic, ii and a borrowed iv the IV
    assert chord("vi7", major, 1.0, 0.3) == "Imaj7"
    assert chord("iii", major, 1.0, 0.3) == "I"
    assert chord("iv6", major, 1.0, 0.3) == "IV6"
    # gloomy major: IV borrows the minor iv, I moves to vi except at a section start
    assert chord("IV", major, -0.3, 0.3) == "iv"
    assert chord("I", major, -0.3, 0.3) == "vi"
    assert chord("I", major, -0.3, 0.3, section_start=True) == "I"
    # light minor: the Dorian IV; sad minor: the relative major gives way to the tonic
    assert chord("iv7", minor, 0.0, 0.3) == "IV7"
    assert chord("bIII", minor, -1.0, 0.3) == "i"
    assert chord("bVII7", minor, -1.0, 0.3) == "V7"
    # calm: chromatic chords become the diatonic chord of their root (or function)
    assert chord("VI7", major, 0.3, 0.0, (0.0, 0.99)) == "vi7"
    assert chord("bII", minor, -0.3, 0.0, (0.0, 0.99)) == "iv"
    # tense: the Neapolitan for the minor subdominant, secondary dominants in major
    assert chord("iv", minor, 0.0, 1.0, (0.0, 0.99)) == "bII"
    assert chord("ii7", major, 0.0, 1.0, (0.0, 0.99)) == "II7"
    # the dominant stays, and a draw above the chance changes nothing
    assert chord("V7", minor, -1.0, 0.0) == "V7"
    assert chord("vi7", major, 1.0, 0.3, (0.99, 0.99)) == "vi7"
    # strength 0 plays the progression as written
    mood = Mood(valence=1.0, arousal=0.5, tension=0.0)
    assert shape_chord(parse_roman_chord("vi7"), major, mood, (0.0, 0.0), strength=0.0).text == (
        "vi7"
    )


def test_progression_character() -> None:
    bright = parse_progression("I | I | IV | V7")
    dark = parse_progression("vi7 | ii7 | iii7 | V7")
    chromatic = parse_progression("I | bVI | bII | V7")
    assert progression_character(bright, Mode.MAJOR) == (1.0, 0.0)
    assert progression_character(dark, Mode.MAJOR) == (0.25, 0.0)
    assert progression_character(chromatic, Mode.MAJOR) == (0.5, 0.5)


def test_mood_chooses_among_the_alternative_progressions() -> None:
    """Bright cues favour the wedding band's tonic-heavy tunes, neutral ones do not."""

    def tonic_time(valence: float) -> float:
        spec = make_spec("wedding-standard", key=_MAJOR_KEY)
        mood = Mood(valence=valence, arousal=0.5, tension=0.5)
        spec = dataclasses.replace(spec, mood=mood, bar_moods=(mood,) * spec.bars)
        share = []
        for seed in SEEDS:
            chords = build_chords(
                spec, load_style("wedding-standard"), rng=np.random.default_rng(seed)
            )
            share.append(
                sum(
                    chord.duration_ticks for chord in chords if chord.root_pc == _MAJOR_KEY.tonic_pc
                )
                / spec.end_tick
            )
        return statistics.fmean(share)

    assert tonic_time(1.0) > tonic_time(0.3) + 0.05


def test_style_files_may_turn_the_mood_shaping_down() -> None:
    """With ``mood_substitution = 0`` valence leaves the written chords alone."""
    style = load_style("wedding-standard")
    major = style.harmony.for_mode(Mode.MAJOR)
    assert major is not None
    single = dataclasses.replace(
        major,
        sections=tuple(
            dataclasses.replace(section, progressions=section.progressions[:1])
            for section in major.sections
        ),
    )

    def chords(strength: float, valence: float) -> list[str]:
        harmony = dataclasses.replace(style.harmony, modes=(single,), mood_substitution=strength)
        spec = make_spec(
            "wedding-standard", key=_MAJOR_KEY, mood=Mood(valence=valence, arousal=0.5, tension=0.3)
        )
        built = build_chords(
            spec, dataclasses.replace(style, harmony=harmony), rng=np.random.default_rng(3)
        )
        return [chord.symbol for chord in built]

    assert chords(0.0, 1.0) == chords(0.0, 0.3)
    assert chords(1.0, 1.0) != chords(1.0, 0.3)


@pytest.mark.parametrize("style_id", ["ballad", "circus-galop", "cha-cha", "russian-lament"])
@pytest.mark.parametrize("next_key", ["G major", "D minor", "Eb major"])
def test_the_last_bar_leads_to_the_next_cue_key(style_id: str, next_key: str) -> None:
    from soundtrack.model import NextCue
    from soundtrack.pitch import parse_key

    key = parse_key(next_key)
    assert key is not None
    home = "C major" if style_id != "russian-lament" else "A minor"
    spec = make_spec(style_id, bars=16, key=home)
    following = NextCue(cue_id="1M2", key=key, tempo_bpm=100.0, style="swing", meter=spec.meter)
    joined = dataclasses.replace(spec, next_cue=following)
    style = load_style(style_id)
    for seed in range(5):
        alone = build_chords(spec, style, rng=np.random.default_rng(seed))
        chords = build_chords(joined, style, rng=np.random.default_rng(seed))
        last = chords[-1]
        dominant_pc = (key.tonic_pc + 7) % 12
        tritone_pc = (key.tonic_pc + 1) % 12
        # ends on the next key's dominant (or its tritone substitute), a dominant seventh chord
        assert last.root_pc in (dominant_pc, tritone_pc), (seed, last.symbol)
        assert (last.root_pc + 10) % 12 in last.pitch_classes
        assert (last.root_pc + 4) % 12 in (last.pitch_classes)
        assert last.end_tick == spec.end_tick
        assert last.start_tick >= spec.end_tick - spec.meter.bar_ticks
        # alone, the cue closes on its own tonic instead
        assert alone[-1].root_pc == spec.key.tonic_pc
