"""Style traits of the American and Cuban styles (bebop, cha-cha, bolero, blues-shuffle,
americana), asserted from the written MIDI over many seeds.

As in :mod:`test_styles_traits` (whose reading helpers this file uses), every cue goes through
the real pipeline into MIDI bytes and is read back with mido; moods vary per seed around each
style's prototype and keys run through each style's tonics (and modes).

Clave note: the son clave is a two-bar pattern in a 4/4 cha-cha (and in a 2/4 bolero): its 16
steps are the eighth notes (sixteenths in 2/4) of two bars, 3-2 = steps {0, 3, 6, 10, 12} and
2-3 = {2, 4, 8, 11, 14}, counted from the first bar of the cue (every section has an even
number of bars, so the clave never turns around).
"""

from __future__ import annotations

import statistics

import pytest
from midi_reading import MidiNote, WrittenCue
from test_styles_traits import (
    EIGHTH,
    HARMONIC_MINOR,
    MAJOR_SCALE,
    SEEDS,
    TPQ,
    assert_instruments,
    assert_meter_and_tempo,
    bar_count,
    body_bars,
    chord_at,
    chord_root,
    cue_of,
    drum_notes,
    form_after_intro,
    is_minor_quality,
    mood_near,
    offbeat_ratio,
    onsets_by_bar,
    sections,
    share,
    written_key,
)

from soundtrack.model import Mode
from soundtrack.styles import load_style

SON_CLAVE = {"3-2": frozenset({0, 3, 6, 10, 12}), "2-3": frozenset({2, 4, 8, 11, 14})}
BLUES_SCALE = frozenset({0, 3, 5, 6, 7, 10})
#: Bars of a test cue: a two-bar intro, whole form cycles, a one-bar ending.
BARS = {
    "bebop": 2 + 64 + 1,
    "cha-cha": 2 + 32 + 1,
    "bolero": 2 + 64 + 1,
    "blues-shuffle": 2 + 36 + 1,
    "americana": 2 + 32 + 1,
}
INSTRUMENTS = {
    "bebop": {"Acoustic Bass": 32, "Piano": 0, "Drums": 32},
    "cha-cha": {"Baby Bass": 32, "Piano": 0, "Violins": 48, "Percussion": 0},
    "bolero": {"Acoustic Bass": 32, "Nylon Guitar": 24, "Requinto": 24, "Strings": 48,
               "Percussion": 0},
    "blues-shuffle": {"Electric Bass": 33, "Piano": 0, "Hammond Organ": 16, "Drums": 0},
    "americana": {"Acoustic Bass": 32, "Steel Guitar": 25, "Piano": 0, "Fiddle": 40,
                  "Strings": 48, "Drums": 40},
}
STYLES = tuple(BARS)


def _cue(style_id: str, seed: int, *, tempo_bpm: float | None = None) -> WrittenCue:
    return cue_of(style_id, seed, BARS[style_id], tempo_bpm=tempo_bpm)


def _clave_steps(cue: WrittenCue, steps_per_bar: int) -> list[dict[int, int]]:
    """Per two-bar clave cycle: step (0-15) -> strokes on it, for the claves outside the last
    bar; raises when a stroke is off the step grid."""
    tpb = cue.ticks_per_bar
    step_ticks = tpb // steps_per_bar
    last_bar = bar_count(cue) - 1
    cycles: dict[int, dict[int, int]] = {}
    for note in drum_notes(cue, "claves"):
        if note.start_tick // tpb == last_bar:
            continue
        position = note.start_tick % (2 * tpb)
        assert position % step_ticks == 0, f"clave off the grid at tick {note.start_tick}"
        steps = cycles.setdefault(note.start_tick // (2 * tpb), {})
        steps[position // step_ticks] = steps.get(position // step_ticks, 0) + 1
    return [cycles[index] for index in sorted(cycles)]


def _assert_son_clave(cue: WrittenCue, steps_per_bar: int) -> str:
    """Every clave stroke on the steps of one son-clave direction, whole cycles complete;
    returns the direction."""
    cycles = _clave_steps(cue, steps_per_bar)
    assert cycles, "no claves"
    played = set().union(*cycles)
    direction = next((name for name, steps in SON_CLAVE.items() if played <= steps), None)
    assert direction is not None, f"clave strokes on steps {sorted(played)}"
    last_full = (bar_count(cue) - 1) // 2
    for index, cycle in enumerate(cycles[:last_full]):
        assert set(cycle) == SON_CLAVE[direction], (index, sorted(cycle))
        assert all(count == 1 for count in cycle.values())
    return direction


def _straight(notes: list[MidiNote], grid: int) -> None:
    """Every onset on the straight ``grid`` (ticks): nothing swung or laid back."""
    off = [note.start_tick for note in notes if note.start_tick % grid]
    assert not off, f"onsets off the straight grid: {off[:5]}"


def _lead_on_grid(cue: WrittenCue, grid: int) -> float:
    """Share of the lead's notes that start on the straight ``grid`` (grace notes do not)."""
    lead = cue.lead()
    return share(sum(1 for note in lead if note.start_tick % grid == 0), len(lead))


def _lead_in_scale(cue: WrittenCue, scale: frozenset[int]) -> float:
    key = written_key(cue)
    lead = cue.lead()
    return share(sum(1 for note in lead if (note.pitch - key.tonic_pc) % 12 in scale), len(lead))


# ---------------------------------------------------------------- every style


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("style_id", STYLES)
def test_meter_tempo_and_instruments(style_id: str, seed: int) -> None:
    cue = _cue(style_id, seed)
    assert_meter_and_tempo(cue, style_id)
    drums = "Percussion" if "Percussion" in INSTRUMENTS[style_id] else "Drums"
    assert_instruments(cue, INSTRUMENTS[style_id], drums=drums)
    style = load_style(style_id)
    key = written_key(cue)
    assert key.tonic_pc in style.tonics
    assert key.mode in style.modes


# ---------------------------------------------------------------- bebop


@pytest.mark.parametrize("seed", SEEDS)
def test_bebop_head_and_solo_chorus_over_a_walking_bass(seed: int) -> None:
    cue = _cue("bebop", seed)
    assert cue.tempos_bpm[0][1] >= 199.5
    # the head (AABA) and a solo chorus over the same 32 bars
    head = [("A", 8), ("A", 8), ("B", 8), ("A", 8)]
    solo = [("A'", 8), ("A'", 8), ("B'", 8), ("A'", 8)]
    assert form_after_intro(cue) == head + solo
    starts = {name: first for name, first, _ in reversed(sections(cue))}
    tpb = cue.ticks_per_bar
    # the same changes (a tense bar may take another substitution on its downbeat)
    same = sum(
        1 for bar in range(31)
        if chord_root(chord_at(cue, (starts["A"] + bar) * tpb))[0]
        == chord_root(chord_at(cue, (starts["A'"] + bar) * tpb))[0]
    )
    assert same >= 0.7 * 31
    bass = onsets_by_bar(cue.tracks["Acoustic Bass"], tpb)
    body = body_bars(cue)
    walking = [bar for bar in body if bass.get(bar) == {0, TPQ, 2 * TPQ, 3 * TPQ}]
    assert share(len(walking), len(body)) >= 0.95
    # sparse comping: at most two piano stabs in most bars, and some bars without any
    piano = onsets_by_bar(cue.tracks["Piano"], tpb)
    counts = [len(piano.get(bar, ())) for bar in body]
    assert statistics.mean(counts) <= 2.0
    assert share(counts.count(0), len(counts)) >= 0.04
    # the ride's spang-a-lang with the hat on 2 and 4, and bombs: accented kicks off the beat
    ride = onsets_by_bar(drum_notes(cue, "ride"), tpb)
    hat = onsets_by_bar(drum_notes(cue, "pedal-hat"), tpb)
    assert all({0, TPQ, 2 * TPQ, 3 * TPQ} <= ride[bar] for bar in body)
    assert share(sum(1 for bar in body if hat.get(bar) == {TPQ, 3 * TPQ}), len(body)) >= 0.9
    kicks = [note for note in drum_notes(cue, "kick") if note.start_tick // tpb in body]
    feathered = statistics.median(note.velocity for note in kicks if note.start_tick % TPQ == 0)
    bombs = [note for note in kicks if note.start_tick % TPQ and note.velocity > 1.8 * feathered]
    assert len(bombs) >= 3


def test_bebop_harmony_has_tritone_subs_and_altered_dominants() -> None:
    tritone_subs = altered = 0
    for seed in SEEDS:
        cue = _cue("bebop", seed)
        chords = [chord_root(symbol) for _, symbol in cue.chords]
        # a dominant resolving down a semitone (bII7 -> I, bIII7 -> ii...)
        if any(quality[:1] in ("7", "9") and (root - following) % 12 == 1
               for (root, quality), (following, _) in zip(chords, chords[1:], strict=False)):
            tritone_subs += 1
        if any(("b9" in quality or "#9" in quality) for _, quality in chords):
            altered += 1
    assert tritone_subs >= 0.9 * len(SEEDS)
    assert altered >= 0.8 * len(SEEDS)


@pytest.mark.parametrize("seed", SEEDS)
def test_bebop_lead_runs_chromatic_eighth_note_lines(seed: int) -> None:
    cue = _cue("bebop", seed)
    lead = cue.lead()
    beats = bar_count(cue) * cue.ticks_per_bar / TPQ
    assert len(lead) / beats >= 1.1
    # phrases: runs of notes without a rest longer than a beat; long strings of eighths
    phrases, current = [], 1
    for before, after in zip(lead, lead[1:], strict=False):
        if after.start_tick - before.end_tick > TPQ:
            phrases.append(current)
            current = 1
        else:
            current += 1
    phrases.append(current)
    assert statistics.median(phrases) >= 10
    # chromatic approach and enclosures: many semitone moves
    moves = [abs(after.pitch - before.pitch) for before, after in zip(lead, lead[1:],
                                                                       strict=False)]
    assert share(moves.count(1), len(moves)) >= 0.25


@pytest.mark.parametrize("seed", range(10))
def test_bebop_swing_straightens_at_speed(seed: int) -> None:
    slower = _cue("bebop", seed, tempo_bpm=205)
    faster = _cue("bebop", seed, tempo_bpm=295)
    drums_slower = offbeat_ratio(drum_notes(slower, "ride"))
    drums_faster = offbeat_ratio(drum_notes(faster, "ride"))
    assert 1.4 <= drums_slower <= 1.85
    assert 1.05 <= drums_faster <= 1.3
    assert drums_slower > drums_faster + 0.25
    lead_slower = offbeat_ratio(slower.lead())
    assert lead_slower > offbeat_ratio(faster.lead())
    assert 1.15 <= lead_slower <= drums_slower + 0.05


# ---------------------------------------------------------------- cha-cha


@pytest.mark.parametrize("seed", SEEDS)
def test_cha_cha_son_clave_on_the_claves(seed: int) -> None:
    cue = _cue("cha-cha", seed)
    assert _assert_son_clave(cue, 8) == "2-3"


@pytest.mark.parametrize("seed", SEEDS)
def test_cha_cha_tumbao_bass_anticipates(seed: int) -> None:
    cue = _cue("cha-cha", seed)
    tpb = cue.ticks_per_bar
    last = bar_count(cue) - 1
    bass = cue.tracks["Baby Bass"]
    by_bar = onsets_by_bar(bass, tpb)
    for bar in range(last):
        # nothing on the downbeat; the "and" of 2 and beat 4
        assert 0 not in by_bar[bar], bar
        assert {3 * EIGHTH, 3 * TPQ} <= by_bar[bar], bar
    # the "and" of 2 is held across beat 3; beat 4 mostly rings into the bar line
    for note in bass:
        if note.start_tick // tpb < last and note.start_tick % tpb == 3 * EIGHTH:
            assert note.end_tick - note.start_tick >= 3 * EIGHTH - 30
    fourth = [note for note in bass
              if note.start_tick // tpb < last and note.start_tick % tpb == 3 * TPQ]
    held = [note for note in fourth if note.end_tick % tpb == 0]
    assert share(len(held), len(fourth)) >= 0.6


@pytest.mark.parametrize("seed", SEEDS)
def test_cha_cha_guiro_and_bell_play_cha_cha_cha_and_the_piano_a_montuno(seed: int) -> None:
    cue = _cue("cha-cha", seed)
    tpb = cue.ticks_per_bar
    last = bar_count(cue) - 1
    _straight(cue.drums(), EIGHTH)
    figure = onsets_by_bar(drum_notes(cue, "short-guiro", "long-guiro", "cowbell"), tpb)
    for bar in range(last):
        # cha (4), cha (4-and), chá (the next downbeat)
        assert {3 * TPQ, 3 * TPQ + EIGHTH} <= figure[bar], bar
        assert 0 in figure[bar + 1], bar
    congas = onsets_by_bar(drum_notes(cue, "high-conga", "low-conga"), tpb)
    assert all({3 * TPQ, 3 * TPQ + EIGHTH} <= congas.get(bar, set()) for bar in body_bars(cue))
    # the montuno: a syncopated two-bar piano figure, most chords off the beat, repeated
    piano = cue.tracks["Piano"]
    _straight(piano, EIGHTH)
    assert share(sum(1 for note in piano if note.start_tick % TPQ), len(piano)) >= 0.4
    by_bar = onsets_by_bar(piano, tpb)
    windows = [(frozenset(by_bar.get(bar, ())), frozenset(by_bar.get(bar + 1, ())))
               for bar in range(2, last - 1, 2)]
    repeats = sum(1 for before, after in zip(windows, windows[1:], strict=False)
                  if before == after)
    assert share(repeats, len(windows) - 1) >= 0.5


@pytest.mark.parametrize("seed", SEEDS)
def test_cha_cha_is_straight_and_in_its_key(seed: int) -> None:
    cue = _cue("cha-cha", seed)
    key = written_key(cue)
    assert _lead_on_grid(cue, EIGHTH // 2) >= 0.9
    tonic = chord_root(chord_at(cue, sections(cue)[1][1] * cue.ticks_per_bar))
    assert tonic[0] == key.tonic_pc
    assert is_minor_quality(tonic[1]) == (key.mode is Mode.MINOR)
    scale = MAJOR_SCALE if key.mode is Mode.MAJOR else HARMONIC_MINOR | {10}
    assert _lead_in_scale(cue, scale) >= 0.75
    # I-IV-V and ii-V: the dominant seventh is always there
    roots = {(root - key.tonic_pc) % 12 for _, symbol in cue.chords
             for root, quality in [chord_root(symbol)] if quality.startswith("7")}
    assert 7 in roots


# ---------------------------------------------------------------- bolero


@pytest.mark.parametrize("seed", SEEDS)
def test_bolero_bass_guitar_and_percussion(seed: int) -> None:
    cue = _cue("bolero", seed)
    tpb = cue.ticks_per_bar
    assert tpb == 2 * TPQ
    sixteenth = TPQ // 4
    last = bar_count(cue) - 1
    _straight(cue.drums(), sixteenth)
    bass = onsets_by_bar(cue.tracks["Acoustic Bass"], tpb)
    guitar = onsets_by_bar(cue.tracks["Nylon Guitar"], tpb)
    for bar in range(last):
        # the bass on the downbeat, then the "a" of 1 or beat 2 (the habanera lilt)
        assert 0 in bass[bar], bar
        assert bass[bar] <= {0, 3 * sixteenth, TPQ}, bar
        # the guitar strums off the beat: always on the "and" of 1, never on the downbeat
        assert EIGHTH in guitar[bar], bar
        assert 0 not in guitar[bar], bar
    maracas = onsets_by_bar(drum_notes(cue, "maracas"), tpb)
    bongo = onsets_by_bar(drum_notes(cue, "high-bongo", "low-bongo"), tpb)
    for bar in range(last):
        # maracas on every sixteenth, the bongó's martillo strokes
        assert len(maracas[bar]) == 8, bar
        assert len(bongo[bar]) >= 6, bar
    if drum_notes(cue, "claves"):
        _assert_son_clave(cue, 8)
    # strings hold the harmony
    strings = cue.tracks["Strings"]
    assert statistics.median(note.end_tick - note.start_tick for note in strings) >= tpb


@pytest.mark.parametrize("seed", SEEDS)
def test_bolero_is_a_straight_lyrical_song_with_ii_v(seed: int) -> None:
    cue = _cue("bolero", seed)  # minor and major in turn
    key = written_key(cue)
    assert _lead_on_grid(cue, EIGHTH // 2) >= 0.9
    scale = MAJOR_SCALE if key.mode is Mode.MAJOR else HARMONIC_MINOR | {10}
    assert _lead_in_scale(cue, scale) >= 0.75
    lead = cue.lead()
    # legato song: long-ish notes, mostly steps
    assert statistics.median(note.end_tick - note.start_tick for note in lead) >= EIGHTH - 20
    moves = [abs(after.pitch - before.pitch) for before, after in zip(lead, lead[1:],
                                                                       strict=False)]
    assert statistics.median(moves) <= 3
    assert share(sum(1 for move in moves if move <= 4), len(moves)) >= 0.6
    chords = [chord_root(symbol) for _, symbol in cue.chords]
    # lush: most chords have a seventh or sixth, and the ii-V7 leads home
    rich = [quality for _, quality in chords if any(mark in quality for mark in "679")]
    assert share(len(rich), len(chords)) >= 0.6
    two_fives = sum(
        1 for (root, quality), (following, kind) in zip(chords, chords[1:], strict=False)
        if (following - root) % 12 == 5 and is_minor_quality(quality) and kind.startswith("7")
        and (following - key.tonic_pc) % 12 == 7
    )
    assert two_fives >= 2


# ---------------------------------------------------------------- blues-shuffle

TWELVE_BAR = (0, 0, 0, 0, 5, 5, 0, 0, 7, 5, 0, 0)


@pytest.mark.parametrize("seed", SEEDS)
def test_blues_follows_the_twelve_bar_form(seed: int) -> None:
    cue = _cue("blues-shuffle", seed)  # major and minor blues in turn
    key = written_key(cue)
    minor = key.mode is Mode.MINOR
    tpb = cue.ticks_per_bar
    choruses = [(first, bars) for name, first, bars in sections(cue) if name == "chorus"]
    assert [bars for _, bars in choruses] == [12, 12, 12]
    for first, _ in choruses:
        roots = []
        for bar in range(12):
            root, quality = chord_root(chord_at(cue, (first + bar) * tpb))
            roots.append((root - key.tonic_pc) % 12)
            if not minor:
                # every chord a dominant seventh (or ninth, or #9)
                assert quality[:1] in ("7", "9"), quality
        expected = list(TWELVE_BAR)
        if roots[1] == 5:  # the quick change
            expected[1] = 5
        if minor and roots[8:10] == [8, 7]:  # the minor blues' bVI7 - V7
            expected[8:10] = [8, 7]
        assert roots == expected, roots


@pytest.mark.parametrize("seed", SEEDS)
def test_blues_shuffles_with_blue_notes(seed: int) -> None:
    cue = _cue("blues-shuffle", seed)  # major and minor blues in turn
    key = written_key(cue)
    # the shuffle: triplet-feel eighths on the hat (or ride) and in the lead
    cymbals = drum_notes(cue, "closed-hat", "ride")
    assert 1.6 <= offbeat_ratio(cymbals) <= 2.6
    assert 1.5 <= offbeat_ratio(cue.lead()) <= 2.8
    # backbeat on 2 and 4
    snare = [note for note in drum_notes(cue, "snare") if note.start_tick % TPQ == 0]
    backbeat = [note for note in snare if note.start_tick % (2 * TPQ) == TPQ]
    assert share(len(backbeat), len(snare)) >= 0.8
    # blue notes over the I chord: the flat 3rd, flat 5th and flat 7th against the major
    # chord (in a minor blues the flat 5th)
    over_i = [(note.pitch - key.tonic_pc) % 12 for note in cue.lead()
              if chord_root(chord_at(cue, note.start_tick))[0] == key.tonic_pc]
    if key.mode is Mode.MAJOR:
        blue = [pc for pc in over_i if pc in (3, 6, 10)]
        assert len(blue) >= 4
        assert share(len(blue), len(over_i)) >= 0.15
        assert len(set(blue)) >= 2
    else:
        assert over_i.count(6) >= 1
    # the blues scale, the tones of the IV and V chords over them and the bebop scales' passing
    # tones (major 7th under the I7's root, major 3rd over the im7): a jazz-blues line
    chord_tones = {2, 4, 9, 11} if key.mode is Mode.MAJOR else {2, 4, 8, 11}
    assert _lead_in_scale(cue, BLUES_SCALE | chord_tones) >= 0.85


@pytest.mark.parametrize("seed", SEEDS)
def test_blues_bass_climbs_the_chord(seed: int) -> None:
    cue = _cue("blues-shuffle", seed)
    tpb = cue.ticks_per_bar
    bass = cue.tracks["Electric Bass"]
    by_bar = onsets_by_bar(bass, tpb)
    body = body_bars(cue)
    mood = mood_near("blues-shuffle", seed)
    if mood.arousal >= 0.3:
        # quarters on every beat (walking up the arpeggio) or boogie eighths
        moving = [bar for bar in body if {0, TPQ, 2 * TPQ, 3 * TPQ} <= {
            position - position % TPQ for position in by_bar.get(bar, ())
        } and len(by_bar.get(bar, ())) in (4, 8)]
        assert share(len(moving), len(body)) >= 0.9
    # the bass plays the chord: root, 3rd, 5th, b7, octave (and approach tones)
    in_chord = 0
    for note in bass:
        root, quality = chord_root(chord_at(cue, note.start_tick))
        interval = (note.pitch - root) % 12
        in_chord += interval in ((0, 3, 7, 10) if is_minor_quality(quality) else (0, 4, 7, 10))
    assert share(in_chord, len(bass)) >= 0.85


# ---------------------------------------------------------------- americana


@pytest.mark.parametrize("seed", SEEDS)
def test_americana_is_bright_open_and_major(seed: int) -> None:
    cue = _cue("americana", seed)
    key = written_key(cue)
    assert key.mode is Mode.MAJOR
    chords = [chord_root(symbol) for _, symbol in cue.chords]
    # plain and open chords: no sevenths at all, never a minor seventh chord
    assert not any("7" in quality for _, quality in chords)
    assert all((root - key.tonic_pc) % 12 in MAJOR_SCALE for root, _ in chords)
    tonic = [quality for root, quality in chords if root == key.tonic_pc]
    assert tonic
    assert not any(is_minor_quality(quality) for quality in tonic)
    assert _lead_in_scale(cue, MAJOR_SCALE) >= 0.9
    assert _lead_on_grid(cue, EIGHTH // 2) >= 0.9
    assert form_after_intro(cue) == [("verse", 8), ("verse", 8), ("chorus", 8), ("chorus", 8)]


def test_americana_uses_open_colours_and_plagal_turns() -> None:
    coloured = plagal = 0
    for seed in SEEDS:
        cue = _cue("americana", seed)
        key = written_key(cue)
        chords = [chord_root(symbol) for _, symbol in cue.chords]
        if any(quality in ("sus2", "sus4", "add9") for _, quality in chords):
            coloured += 1
        if any((root - key.tonic_pc) % 12 == 5 and (following - key.tonic_pc) % 12 == 0
               for (root, _), (following, _) in zip(chords, chords[1:], strict=False)):
            plagal += 1
    assert coloured >= 0.8 * len(SEEDS)
    assert plagal >= 0.8 * len(SEEDS)


@pytest.mark.parametrize("seed", SEEDS)
def test_americana_strums_straight_over_a_bass_on_one_and_three(seed: int) -> None:
    cue = _cue("americana", seed)
    tpb = cue.ticks_per_bar
    _straight(cue.drums(), EIGHTH)
    _straight(cue.tracks["Steel Guitar"], EIGHTH)
    guitar = onsets_by_bar(cue.tracks["Steel Guitar"], tpb)
    bass = onsets_by_bar(cue.tracks["Acoustic Bass"], tpb)
    body = body_bars(cue)
    for bar in body:
        # the strum: down on 1, and at least four strokes a bar
        assert 0 in guitar[bar], bar
        assert len(guitar[bar]) >= 4, bar
        # warm bass on 1 and 3 (a walk-up on 4 now and then)
        assert {0, 2 * TPQ} <= bass[bar] <= {0, 2 * TPQ, 3 * TPQ}, bar
    side_stick = onsets_by_bar(drum_notes(cue, "side-stick", "snare"), tpb)
    backbeat = [bar for bar in body if {TPQ, 3 * TPQ} <= side_stick.get(bar, set())]
    assert share(len(backbeat), len(body)) >= 0.9
