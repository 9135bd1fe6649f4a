"""Tests of the leitmotif transformation engine (:mod:`soundtrack.compose.leitmotif`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from music21 import harmony as m21_harmony

from soundtrack.compose.leitmotif import (
    MAX_SEQUENCE_REPETITIONS,
    fragment_notes,
    motif_harmony,
    motif_similarity,
    statement_ticks,
    target_mode,
    transform_motif,
)
from soundtrack.model import SAXOPHONE_RANGE, Key, Meter, Mode, Motif, Note
from soundtrack.model import Transform as T
from soundtrack.units import TICKS_PER_QUARTER

Q = TICKS_PER_QUARTER
E = Q // 2
S = Q // 4
H = 2 * Q
FOUR = Meter(numerator=4, denominator=4, pulse_ticks=Q)
TWO = Meter(numerator=2, denominator=4, pulse_ticks=Q)
THREE = Meter(numerator=3, denominator=4, pulse_ticks=Q)
SIX_EIGHT = Meter(numerator=6, denominator=8, pulse_ticks=3 * E)
D_MINOR = Key(tonic_pc=2, mode=Mode.MINOR)
D_MAJOR = Key(tonic_pc=2, mode=Mode.MAJOR)
F_MAJOR = Key(tonic_pc=5, mode=Mode.MAJOR)
C_MAJOR = Key(tonic_pc=0, mode=Mode.MAJOR)
C_MINOR = Key(tonic_pc=0, mode=Mode.MINOR)
G_MINOR = Key(tonic_pc=7, mode=Mode.MINOR)
RANGES = [*SAXOPHONE_RANGE.values(), (28, 55)]


def make_motif(
    line: Sequence[tuple[int | None, int]],
    key: Key,
    *,
    meter: Meter = FOUR,
    harmony: tuple[str, ...] = (),
    bars: int | None = None,
    name: str = "test",
) -> Motif:
    """A motif from ``(pitch, duration_ticks)`` pairs (``None`` = rest), velocities 70 + index
    so the tests can follow them, length rounded up to whole bars."""
    notes: list[Note] = []
    tick = 0
    for pitch, duration in line:
        if pitch is not None:
            notes.append(
                Note(
                    start_tick=tick, duration_ticks=duration, pitch=pitch, velocity=70 + len(notes)
                )
            )
        tick += duration
    bar = meter.bar_ticks
    length = bars * bar if bars is not None else -(-tick // bar) * bar
    return Motif(
        name=name,
        title=name,
        stands_for="a test",
        key=key,
        meter=meter,
        melody="",
        notes=tuple(notes),
        length_ticks=length,
        harmony=harmony,
    )


#: A 4-bar D-minor theme with a raised leading tone (C#) and harmony i iv V7 i.
D_THEME = make_motif(
    [
        (62, Q),
        (65, E),
        (64, E),
        (62, Q),
        (69, Q),
        (70, H),
        (69, Q),
        (67, Q),
        (65, Q),
        (64, Q),
        (62, Q),
        (61, Q),
        (62, H),
        (None, H),
    ],
    D_MINOR,
    harmony=("i", "iv", "V7", "i"),
)
#: A 2-bar C-major theme whose 7th goes once down and once up to the tonic.
C_THEME = make_motif(
    [(67, Q), (64, E), (65, E), (67, Q), (72, Q), (71, E), (69, E), (71, Q), (72, H)],
    C_MAJOR,
    harmony=("I", "V7"),
)
#: A 4-bar waltz in 3/4.
WALTZ = make_motif(
    [(60, Q), (64, Q), (67, Q), (72, H + Q), (71, Q), (67, Q), (65, Q), (64, H + Q)],
    C_MAJOR,
    meter=THREE,
    harmony=("I", "I", "V7", "I"),
)
MOTIFS = (D_THEME, C_THEME, WALTZ)


def pitches(notes: Sequence[Note]) -> list[int]:
    return [note.pitch for note in notes]


def intervals(notes: Sequence[Note]) -> list[int]:
    return [b.pitch - a.pitch for a, b in zip(notes, notes[1:], strict=False)]


def starts(notes: Sequence[Note]) -> list[int]:
    return [note.start_tick for note in notes]


def natural_bars(motif: Motif, transforms: tuple[T, ...], meter: Meter) -> int:
    return -(-statement_ticks(motif, transforms, meter) // meter.bar_ticks)


def state(
    motif: Motif,
    transforms: tuple[T, ...] = (),
    *,
    key: Key | None = None,
    meter: Meter = FOUR,
    bars: int | None = None,
    low_pitch: int = 30,
    high_pitch: int = 100,
    **options: float | int | None,
) -> tuple[Note, ...]:
    return transform_motif(
        motif,
        transforms,
        key=key or motif.key,
        meter=meter,
        bars=bars if bars is not None else natural_bars(motif, transforms, meter),
        low_pitch=low_pitch,
        high_pitch=high_pitch,
        **options,  # type: ignore[arg-type]
    )


# ---------------------------------------------------------------- degrees, key and mode


def test_plain_statement_is_the_motif_as_written() -> None:
    notes = state(D_THEME)
    assert pitches(notes) == [n.pitch for n in D_THEME.notes]
    assert starts(notes) == [n.start_tick for n in D_THEME.notes]
    assert [n.duration_ticks for n in notes] == [n.duration_ticks for n in D_THEME.notes]
    assert [n.velocity for n in notes] == [n.velocity for n in D_THEME.notes]


def test_minor_to_major_keeps_the_leading_tone_plain() -> None:
    # D minor -> D major: F -> F#, Bb -> B, the raised C# stays C# (not C## = D)
    notes = state(D_THEME, (T.MAJOR,), key=D_MINOR)
    assert pitches(notes) == [62, 66, 64, 62, 69, 71, 69, 67, 66, 64, 62, 61, 62]
    # to F major by the key alone: the leading tone C# becomes E, F's plain 7th
    in_f = state(D_THEME, key=F_MAJOR)
    assert [p % 12 for p in pitches(in_f)] == [5, 9, 7, 5, 0, 2, 0, 10, 9, 7, 5, 4, 5]


def test_raised_sixth_of_minor_becomes_the_plain_major_sixth() -> None:
    melodic = make_motif([(69, Q), (71, Q), (73, Q), (74, Q)], D_MINOR)  # A B C# D
    assert [p % 12 for p in pitches(state(melodic, key=F_MAJOR))] == [0, 2, 4, 5]


def test_major_to_minor_raises_only_the_seventh_that_resolves_to_the_tonic() -> None:
    notes = state(C_THEME, (T.MINOR,))
    # G Eb F G C | Bb (goes down) Ab B (goes up to C) C
    assert pitches(notes) == [67, 63, 65, 67, 72, 70, 68, 71, 72]
    assert target_mode(C_MAJOR, (T.MINOR,)) is Mode.MINOR
    assert target_mode(C_MINOR, (T.MAJOR,)) is Mode.MAJOR
    assert target_mode(C_MINOR, ()) is Mode.MINOR


def test_natural_minor_motif_stays_natural_in_a_minor_key() -> None:
    aeolian = make_motif([(67, Q), (69, Q), (72, Q), (74, Q)], D_MINOR)  # G A C D
    assert [p % 12 for p in pitches(state(aeolian, key=G_MINOR))] == [0, 2, 5, 7]  # F natural


@pytest.mark.parametrize("tonic_pc", range(12))
@pytest.mark.parametrize("motif", MOTIFS, ids=lambda motif: motif.key.name)
def test_transposition_to_every_tonic_keeps_the_intervals(motif: Motif, tonic_pc: int) -> None:
    key = Key(tonic_pc=tonic_pc, mode=motif.key.mode)
    notes = state(motif, key=key)
    assert intervals(notes) == intervals(motif.notes)
    shift = (tonic_pc - motif.key.tonic_pc) % 12
    assert [p % 12 for p in pitches(notes)] == [(n.pitch + shift) % 12 for n in motif.notes]


def test_inversion_mirrors_the_steps_and_takes_the_leading_tone() -> None:
    # (range 40..80, middle 60: no octave shift)
    # D E F G A G F E D inverted around D: D C Bb A G A Bb C# D (C raised before D in minor)
    line = make_motif([(p, Q) for p in (62, 64, 65, 67, 69, 67, 65, 64, 62)], D_MINOR)
    assert pitches(state(line, (T.INVERSION,), low_pitch=40, high_pitch=80)) == [
        62,
        60,
        58,
        57,
        55,
        57,
        58,
        61,
        62,
    ]
    # in major: D C# B A G A B C# D
    in_major = state(line, (T.INVERSION,), key=D_MAJOR, low_pitch=40, high_pitch=80)
    assert pitches(in_major) == [62, 61, 59, 57, 55, 57, 59, 61, 62]
    # a leading tone resolving up becomes a step resolving down
    turn = make_motif([(62, Q), (61, Q), (62, Q)], D_MINOR)
    assert pitches(state(turn, (T.INVERSION,), low_pitch=40, high_pitch=80)) == [62, 64, 62]


# ---------------------------------------------------------------- fragment and sequence


def test_fragment_keeps_the_first_bar_when_it_has_three_notes() -> None:
    kept, span = fragment_notes(D_THEME)
    assert len(kept) == 5
    assert span == FOUR.bar_ticks
    notes = state(D_THEME, (T.FRAGMENT,))
    assert pitches(notes) == [62, 65, 64, 62, 69]
    assert statement_ticks(D_THEME, (T.FRAGMENT,), FOUR) == FOUR.bar_ticks


def test_fragment_takes_the_first_half_when_the_first_bar_is_sparse() -> None:
    sparse = make_motif(
        [(60, H), (62, H), (64, Q), (65, Q), (67, Q), (69, Q), (71, H), (72, H), (74, 4 * Q)],
        C_MAJOR,
    )
    kept, span = fragment_notes(sparse)
    assert pitches(kept) == [60, 62, 64, 65, 67, 69]  # the first two of four bars
    assert span == 2 * FOUR.bar_ticks
    one_bar = make_motif([(60 + i, E) for i in range(8)], C_MAJOR)
    assert len(fragment_notes(one_bar)[0]) == 4  # the first half of the only bar
    two_notes = make_motif([(60, 4 * Q), (62, 4 * Q)], C_MAJOR)
    assert len(fragment_notes(two_notes)[0]) == 2  # all of them: fewer than three
    short_head = make_motif([(60, 4 * Q), (62, E), (64, E), (65, 3 * Q)], C_MAJOR)
    assert len(fragment_notes(short_head)[0]) == 3  # at least three notes


@pytest.mark.parametrize(("step", "firsts"), [(1, [62, 64, 65, 67]), (-1, [62, 60, 58, 57])])
def test_sequence_moves_each_repetition_a_diatonic_step(step: int, firsts: list[int]) -> None:
    notes = state(D_THEME, (T.FRAGMENT, T.SEQUENCE), bars=4, sequence_step=step)
    assert len(notes) == 4 * 5
    assert starts(notes)[::5] == [0, 1920, 3840, 5760]  # one bar each, bar-aligned
    assert pitches(notes)[::5] == firsts
    for repetition in range(4):
        group = notes[5 * repetition : 5 * repetition + 5]
        assert [n.start_tick - group[0].start_tick for n in group] == [0, 480, 720, 960, 1440]


def test_sequence_fills_the_bars_with_at_most_four_repetitions() -> None:
    assert len(state(D_THEME, (T.FRAGMENT, T.SEQUENCE), bars=2)) == 2 * 5
    assert len(state(D_THEME, (T.FRAGMENT, T.SEQUENCE), bars=9)) == MAX_SEQUENCE_REPETITIONS * 5
    assert statement_ticks(D_THEME, (T.FRAGMENT, T.SEQUENCE), FOUR) == 3 * FOUR.bar_ticks


def test_sequence_repetitions_start_on_the_next_bar_or_beat() -> None:
    waltz_cell = state(WALTZ, (T.FRAGMENT, T.SEQUENCE), meter=FOUR, bars=3)
    # a 3-beat unit in 4/4: bar-aligned, one beat of rest between repetitions
    assert starts(waltz_cell)[::3] == [0, 1920, 3840]
    half = make_motif([(60, Q), (62, E), (64, E), (None, H)], C_MAJOR)
    # one-bar motif, fragment of its three notes spans 2 beats: repetitions every 2 beats
    notes = state(half, (T.FRAGMENT, T.SEQUENCE), bars=2)
    assert starts(notes)[::3] == [0, 960, 1920, 2880]
    assert pitches(notes)[::3] == [60, 62, 64, 65]


# ---------------------------------------------------------------- time


def test_augmentation_and_diminution_scale_ticks_exactly() -> None:
    plain = state(D_THEME)
    slow = state(D_THEME, (T.AUGMENTATION,))
    fast = state(D_THEME, (T.DIMINUTION,))
    assert starts(slow) == [2 * t for t in starts(plain)]
    assert [n.duration_ticks for n in slow] == [2 * n.duration_ticks for n in plain]
    assert starts(fast) == [t // 2 for t in starts(plain)]
    assert [n.duration_ticks for n in fast] == [n.duration_ticks // 2 for n in plain]
    assert min(n.duration_ticks for n in fast) == S
    assert statement_ticks(D_THEME, (T.AUGMENTATION,), FOUR) == 2 * D_THEME.length_ticks
    assert statement_ticks(D_THEME, (T.DIMINUTION,), FOUR) == D_THEME.length_ticks // 2
    assert pitches(slow) == pitches(plain) == pitches(fast)


def test_diminution_never_goes_below_a_sixteenth() -> None:
    quick = make_motif([(60, S), (62, S), (64, E), (65, Q), (67, H)], C_MAJOR)
    fast = state(quick, (T.DIMINUTION,))
    assert min(n.duration_ticks for n in fast) >= S
    assert starts(fast) == [n.start_tick for n in quick.notes]  # left as written


def test_four_four_motif_in_two_four_keeps_quarter_positions() -> None:
    assert statement_ticks(D_THEME, (), TWO) == D_THEME.length_ticks
    assert natural_bars(D_THEME, (), TWO) == 2 * D_THEME.bars
    notes = state(D_THEME, meter=TWO)
    assert starts(notes) == [n.start_tick for n in D_THEME.notes]


def test_four_four_motif_in_six_eight_maps_quarters_to_dotted_quarters() -> None:
    notes = state(C_THEME, meter=SIX_EIGHT)
    # quarters on the pulse (720); an eighth pair becomes quarter + eighth
    assert starts(notes) == [0, 720, 1200, 1440, 2160, 2880, 3360, 3600, 4320]
    assert [n.duration_ticks for n in notes] == [720, 480, 240, 720, 720, 480, 240, 720, 1440]
    assert statement_ticks(C_THEME, (), SIX_EIGHT) == 2 * 2 * SIX_EIGHT.bar_ticks


def test_six_eight_motif_in_four_four_maps_back() -> None:
    jig = make_motif(
        [(60, Q), (62, E), (64, 3 * E), (65, E), (64, E), (62, E)], C_MAJOR, meter=SIX_EIGHT
    )
    notes = state(jig, meter=FOUR)
    # each dotted-quarter pulse becomes a quarter: quarter + eighth -> triplet quarter + eighth
    assert starts(notes) == [0, 320, 480, 960, 1120, 1280]
    assert statement_ticks(jig, (), FOUR) == 2 * Q * jig.bars
    # the triplets are its swing: the style's grid and swing leave them alone
    styled = state(jig, (T.STYLE_RHYTHM,), meter=FOUR, grid_ticks=E, swing_ratio=2.0)
    assert starts(styled) == starts(notes)
    assert motif_similarity(jig.notes, notes) == pytest.approx(1.0)


def test_style_rhythm_quantises_and_swings() -> None:
    loose = make_motif([(60, 250), (62, 230), (64, 240), (65, 240), (67, 4 * Q)], C_MAJOR, bars=2)
    straight = state(loose, (T.STYLE_RHYTHM,), grid_ticks=E)
    assert starts(straight) == [0, 240, 480, 720, 960]
    swung = state(loose, (T.STYLE_RHYTHM,), grid_ticks=E, swing_ratio=2.0)
    assert starts(swung) == [0, 320, 480, 800, 960]
    assert [n.duration_ticks for n in swung][:4] == [320, 160, 320, 160]
    # swing needs the style-rhythm transform
    assert starts(state(loose, (), swing_ratio=2.0)) == [0, 250, 480, 720, 960]
    # no swing in a compound meter
    compound = state(loose, (T.STYLE_RHYTHM,), meter=SIX_EIGHT, grid_ticks=E, swing_ratio=2.0)
    assert all(t % E == 0 for t in starts(compound))


# ---------------------------------------------------------------- fit and register


TRANSFORM_SETS: tuple[tuple[T, ...], ...] = (
    (),
    (T.MAJOR,),
    (T.MINOR, T.INVERSION),
    (T.FRAGMENT, T.SEQUENCE),
    (T.AUGMENTATION,),
    (T.DIMINUTION, T.SEQUENCE),
    (T.STYLE_RHYTHM,),
    (T.FRAGMENT, T.SEQUENCE, T.AUGMENTATION, T.STYLE_RHYTHM),
)


@pytest.mark.parametrize(("low", "high"), RANGES)
@pytest.mark.parametrize("transforms", TRANSFORM_SETS, ids=lambda ts: "+".join(ts) or "plain")
def test_statements_fit_range_bars_and_never_overlap(
    low: int, high: int, transforms: tuple[T, ...]
) -> None:
    for motif in MOTIFS:
        for meter in (FOUR, TWO, THREE, SIX_EIGHT):
            for tonic_pc in (0, 5, 11):
                for bars in (1, 2, 3, 8):
                    notes = state(
                        motif,
                        transforms,
                        key=Key(tonic_pc=tonic_pc, mode=Mode.MINOR),
                        meter=meter,
                        bars=bars,
                        low_pitch=low,
                        high_pitch=high,
                        swing_ratio=2.5,
                        grid_ticks=E,
                    )
                    assert notes
                    end = bars * meter.bar_ticks
                    assert all(low <= n.pitch <= high for n in notes)
                    assert all(n.start_tick >= 0 and n.duration_ticks > 0 for n in notes)
                    assert all(n.end_tick <= end for n in notes)
                    assert all(
                        a.end_tick <= b.start_tick for a, b in zip(notes, notes[1:], strict=False)
                    )
                    velocities = {n.velocity for n in motif.notes}
                    assert {n.velocity for n in notes} <= velocities


@pytest.mark.parametrize(("low", "high"), RANGES)
def test_register_centres_the_median(low: int, high: int) -> None:
    notes = state(D_THEME, low_pitch=low, high_pitch=high)
    middle = (low + high) / 2
    median = float(np.median(pitches(notes)))
    assert abs(median - middle) <= 6
    assert intervals(notes) == intervals(D_THEME.notes)  # the theme fits: nothing folded


@pytest.mark.parametrize(("low", "high"), RANGES)
def test_wide_motif_is_folded_into_a_narrow_range(low: int, high: int) -> None:
    wide = make_motif([(p, Q) for p in (40, 52, 64, 76, 88, 79, 67, 55, 43)], C_MAJOR)
    notes = state(wide, low_pitch=low, high_pitch=high)
    assert len(notes) == len(wide.notes)
    assert all(low <= n.pitch <= high for n in notes)
    assert [n.pitch % 12 for n in notes] == [n.pitch % 12 for n in wide.notes]


def test_overlapping_input_never_overlaps_in_the_statement() -> None:
    legato = Motif(
        name="legato",
        title="legato",
        stands_for="sloppy input",
        key=C_MAJOR,
        meter=FOUR,
        melody="",
        notes=tuple(
            Note(start_tick=i * Q, duration_ticks=Q + E, pitch=60 + 2 * i, velocity=80)
            for i in range(4)
        ),
        length_ticks=FOUR.bar_ticks,
    )
    for transforms in ((), (T.AUGMENTATION,), (T.STYLE_RHYTHM,)):
        notes = state(legato, transforms, grid_ticks=E)
        assert len(notes) == 4
        assert all(a.end_tick <= b.start_tick for a, b in zip(notes, notes[1:], strict=False))


def test_truncation_at_the_last_bar() -> None:
    notes = state(D_THEME, bars=2)
    assert pitches(notes) == [62, 65, 64, 62, 69, 70, 69, 67]
    held = make_motif([(60, 8 * Q)], C_MAJOR)
    assert [n.duration_ticks for n in state(held, bars=1)] == [FOUR.bar_ticks]


def test_bad_arguments_raise() -> None:
    with pytest.raises(ValueError, match="bars"):
        state(D_THEME, bars=0)
    with pytest.raises(ValueError, match="octave"):
        state(D_THEME, low_pitch=60, high_pitch=65)
    with pytest.raises(ValueError, match="swing"):
        state(D_THEME, swing_ratio=0.5)


# ---------------------------------------------------------------- harmony


def symbol_pcs(symbol: str) -> set[int]:
    return {pitch.pitchClass for pitch in m21_harmony.ChordSymbol(symbol).pitches}


def test_harmony_in_another_key_and_mode() -> None:
    chords = motif_harmony(D_THEME, (), key=F_MAJOR, meter=FOUR, start_tick=960, bars=4)
    assert [chord.symbol for chord in chords] == ["F", "B-", "C7", "F"]
    assert [chord.start_tick for chord in chords] == [960, 960 + 1920, 960 + 3840, 960 + 5760]
    assert all(chord.duration_ticks == 1920 for chord in chords)
    expected = [{5, 9, 0}, {10, 2, 5}, {0, 4, 7, 10}, {5, 9, 0}]
    for chord, pcs in zip(chords, expected, strict=True):
        assert symbol_pcs(chord.symbol) == pcs == set(chord.pitch_classes)


def test_harmony_mode_change_by_degree() -> None:
    chords = motif_harmony(D_THEME, (T.MAJOR,), key=D_MINOR, meter=FOUR, start_tick=0, bars=4)
    assert [chord.symbol for chord in chords] == ["D", "G", "A7", "D"]
    borrowed = make_motif(
        [(62, 4 * Q), (62, 4 * Q), (61, 4 * Q), (62, 4 * Q)],
        D_MINOR,
        harmony=("bVI", "iiø7", "viio7", "bIII"),
    )
    chords = motif_harmony(borrowed, (), key=F_MAJOR, meter=FOUR, start_tick=0, bars=4)
    assert [chord.symbol for chord in chords] == ["Dm", "Gm7", "Edim7", "Am"]
    back = motif_harmony(C_THEME, (T.MINOR,), key=C_MAJOR, meter=FOUR, start_tick=0, bars=2)
    assert [chord.symbol for chord in back] == ["Cm", "G7"]
    assert all(symbol_pcs(chord.symbol) == set(chord.pitch_classes) for chord in back)


def test_harmony_follows_time_fragment_and_sequence() -> None:
    slow = motif_harmony(D_THEME, (T.AUGMENTATION,), key=D_MINOR, meter=FOUR, start_tick=0, bars=8)
    assert [chord.duration_ticks for chord in slow] == [3840] * 4
    head = motif_harmony(D_THEME, (T.FRAGMENT,), key=D_MINOR, meter=FOUR, start_tick=0, bars=4)
    assert [(chord.symbol, chord.duration_ticks) for chord in head] == [("Dm", 1920)]
    sequence = motif_harmony(
        D_THEME, (T.FRAGMENT, T.SEQUENCE), key=D_MINOR, meter=FOUR, start_tick=0, bars=4
    )
    assert [chord.symbol for chord in sequence] == ["Dm", "Edim", "F", "Gm"]
    assert [chord.start_tick for chord in sequence] == [0, 1920, 3840, 5760]
    six = motif_harmony(C_THEME, (), key=C_MAJOR, meter=SIX_EIGHT, start_tick=0, bars=4)
    assert [(chord.symbol, chord.duration_ticks) for chord in six] == [("C", 2880), ("G7", 2880)]
    clipped = motif_harmony(D_THEME, (), key=D_MINOR, meter=FOUR, start_tick=0, bars=3)
    assert clipped[-1].end_tick == 3 * 1920


def test_no_harmony_without_numerals_unless_reharmonised() -> None:
    bare = make_motif([(62, Q), (65, Q), (69, Q), (67, Q)], D_MINOR)
    assert motif_harmony(bare, (), key=D_MINOR, meter=FOUR, start_tick=0, bars=1) == ()
    chords = motif_harmony(
        bare, (T.REHARMONISATION,), key=D_MINOR, meter=FOUR, start_tick=0, bars=1
    )
    assert len(chords) == 1
    assert 2 in chords[0].pitch_classes  # the downbeat D


@pytest.mark.parametrize("motif", MOTIFS, ids=lambda motif: motif.key.name)
@pytest.mark.parametrize("key", [D_MINOR, F_MAJOR, C_MINOR])
def test_reharmonisation_covers_strong_notes_with_other_chords(motif: Motif, key: Key) -> None:
    transforms = (T.REHARMONISATION,)
    bars = natural_bars(motif, transforms, motif.meter)
    meter = motif.meter
    chords = motif_harmony(motif, transforms, key=key, meter=meter, start_tick=0, bars=bars)
    plain = motif_harmony(motif, (), key=key, meter=meter, start_tick=0, bars=bars)
    notes = state(motif, transforms, key=key, meter=meter, bars=bars)
    assert chords[0].start_tick == 0
    assert chords[-1].end_tick == plain[-1].end_tick
    assert all(a.end_tick == b.start_tick for a, b in zip(chords, chords[1:], strict=False))
    for chord in chords:
        assert symbol_pcs(chord.symbol) == set(chord.pitch_classes), chord.symbol
    for bar in range(bars):
        tick = bar * meter.bar_ticks
        sounding = [n for n in notes if n.start_tick <= tick < n.end_tick]
        chord = next(c for c in chords if c.start_tick <= tick < c.end_tick)
        for note in sounding:
            assert note.pitch % 12 in chord.pitch_classes, (bar, chord.symbol, note.pitch)
    original_roots = [
        next(c for c in plain if c.start_tick <= t < c.end_tick).root_pc
        for t in range(0, bars * meter.bar_ticks, meter.bar_ticks)
    ]
    new_roots = [
        next(c for c in chords if c.start_tick <= t < c.end_tick).root_pc
        for t in range(0, bars * meter.bar_ticks, meter.bar_ticks)
    ]
    assert sum(a != b for a, b in zip(original_roots, new_roots, strict=True)) >= bars // 2


def test_inversion_rechooses_chords_that_fit_the_inverted_line() -> None:
    chords = motif_harmony(D_THEME, (T.INVERSION,), key=D_MINOR, meter=FOUR, start_tick=0, bars=4)
    notes = state(D_THEME, (T.INVERSION,))
    for chord in chords:
        downbeat = next(n for n in notes if n.start_tick <= chord.start_tick < n.end_tick)
        assert downbeat.pitch % 12 in chord.pitch_classes
    assert chords[0].symbol == "Dm"  # the original chord still fits the first bar


# ---------------------------------------------------------------- similarity


def similarity(motif: Motif, transforms: tuple[T, ...], **options: object) -> float:
    notes = state(motif, transforms, **options)  # type: ignore[arg-type]
    return motif_similarity(motif.notes, notes)


@pytest.mark.parametrize("motif", MOTIFS, ids=lambda motif: motif.key.name)
@pytest.mark.parametrize(
    ("transforms", "options"),
    [
        ((), {"key": Key(tonic_pc=9, mode=Mode.MINOR)}),
        ((), {"key": Key(tonic_pc=3, mode=Mode.MAJOR)}),
        ((T.MAJOR,), {}),
        ((T.MINOR,), {}),
        ((T.AUGMENTATION,), {}),
        ((T.DIMINUTION,), {}),
        ((), {"meter": TWO}),
    ],
)
def test_similarity_of_faithful_transforms_is_high(
    motif: Motif, transforms: tuple[T, ...], options: dict[str, object]
) -> None:
    assert similarity(motif, transforms, **options) >= 0.9


@pytest.mark.parametrize("motif", MOTIFS, ids=lambda motif: motif.key.name)
@pytest.mark.parametrize(
    "transforms",
    [
        (T.FRAGMENT,),
        (T.SEQUENCE,),
        (T.FRAGMENT, T.SEQUENCE),
        (T.FRAGMENT, T.SEQUENCE, T.DIMINUTION),
    ],
)
def test_similarity_of_fragments_and_sequences(motif: Motif, transforms: tuple[T, ...]) -> None:
    assert similarity(motif, transforms) >= 0.6
    assert similarity(motif, transforms, sequence_step=-1) >= 0.6


@pytest.mark.parametrize("motif", MOTIFS, ids=lambda motif: motif.key.name)
def test_inversion_scores_lower(motif: Motif) -> None:
    inverted = similarity(motif, (T.INVERSION,))
    assert inverted < 0.75
    assert inverted < similarity(motif, ())


def test_similarity_is_one_for_itself_and_independent_of_scale() -> None:
    assert motif_similarity(D_THEME.notes, D_THEME.notes) == 1.0
    stretched = [
        Note(
            start_tick=3 * n.start_tick + 7,
            duration_ticks=n.duration_ticks,
            pitch=n.pitch - 17,
            velocity=n.velocity,
        )
        for n in D_THEME.notes
    ]
    assert motif_similarity(D_THEME.notes, stretched) == pytest.approx(1.0)
    assert motif_similarity(D_THEME.notes, ()) == 0.0


def random_melodies(motif: Motif, count: int) -> list[tuple[Note, ...]]:
    """Melodies as long as ``motif``: uniform pitches 55-79, eighth..half-note durations."""
    rng = np.random.default_rng(1984)
    melodies = []
    for _ in range(count):
        pitches_ = rng.integers(55, 80, len(motif.notes))
        durations = rng.choice([E, Q, 3 * E, H], len(motif.notes))
        line = [(int(p), int(d)) for p, d in zip(pitches_, durations, strict=True)]
        melodies.append(make_motif(line, motif.key).notes)
    return melodies


def test_random_melodies_score_low() -> None:
    scores = [motif_similarity(D_THEME.notes, melody) for melody in random_melodies(D_THEME, 30)]
    assert max(scores) < 0.4, scores
    assert float(np.mean(scores)) < 0.3


@pytest.mark.parametrize("motif", MOTIFS, ids=lambda motif: motif.key.name)
def test_random_melodies_score_low_for_short_motifs_too(motif: Motif) -> None:
    # short motifs have few intervals, so a random line now and then shares much of the rhythm
    scores = [motif_similarity(motif.notes, melody) for melody in random_melodies(motif, 60)]
    assert float(np.mean(scores)) < 0.3
    assert float(np.percentile(scores, 90)) < 0.4
    assert max(scores) < 0.6


def test_contour_matters_not_only_rhythm() -> None:
    flat = [
        Note(
            start_tick=n.start_tick, duration_ticks=n.duration_ticks, pitch=60, velocity=n.velocity
        )
        for n in D_THEME.notes
    ]
    assert motif_similarity(D_THEME.notes, flat) <= 0.55
    even = [
        Note(start_tick=i * Q, duration_ticks=Q, pitch=n.pitch, velocity=n.velocity)
        for i, n in enumerate(D_THEME.notes)
    ]
    assert motif_similarity(D_THEME.notes, even) < motif_similarity(D_THEME.notes, D_THEME.notes)
