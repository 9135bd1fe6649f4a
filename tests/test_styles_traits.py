"""Style traits of the first five styles, asserted from the written MIDI over many seeds.

Each cue is composed through the real pipeline (``plan_sketch`` -> compose -> mix -> MIDI bytes)
and read back with mido (:func:`midi_reading.write_and_read`); the tests measure what a listener
or a DAW gets: meter and tempo events, section markers, chord-symbol text events, the notes of
each named track. They assert each style's defining traits (oom-pah, walking bass, swing ratio,
AABA form, mode...), not incidental details, so that the engines may change how they realise a
style. Moods vary per seed around each style's prototype.

The helpers here are shared with :mod:`test_styles_american`.
"""

from __future__ import annotations

import functools
import statistics
from collections.abc import Iterable, Sequence

import numpy as np
import pytest
from midi_reading import MidiNote, WrittenCue, write_and_read

from soundtrack.model import Key, Mode, Mood
from soundtrack.styles import load_style
from soundtrack.styles.schema import GM_DRUMS

#: Ticks per quarter note of the written files.
TPQ = 480
EIGHTH = TPQ // 2
SEEDS = range(24)
_LETTER_PC = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
MAJOR_SCALE = frozenset({0, 2, 4, 5, 7, 9, 11})
HARMONIC_MINOR = frozenset({0, 2, 3, 5, 7, 8, 11})


# ---------------------------------------------------------------- reading helpers


def pitch_class(name: str) -> int:
    """Pitch class of a note name as chord symbols and key signatures spell it (``B-``, ``Bb``,
    ``F#``)."""
    pc = _LETTER_PC[name[0].upper()]
    for accidental in name[1:]:
        pc += {"#": 1, "-": -1, "b": -1}[accidental]
    return pc % 12


def chord_root(symbol: str) -> tuple[int, str]:
    """Root pitch class and quality suffix of a chord symbol (``B-7#9`` -> ``(10, "7#9")``)."""
    length = 1
    while length < len(symbol) and symbol[length] in "#-":
        length += 1
    return pitch_class(symbol[:length]), symbol[length:]


def is_minor_quality(quality: str) -> bool:
    """Whether a chord-symbol suffix has a minor third (``m7``, ``m6``, ``m7b5``, ``dim7``)."""
    return quality.startswith(("m", "dim")) and not quality.startswith("maj")


def written_key(cue: WrittenCue) -> Key:
    """The key from the file's key signature (``Bb``, ``F#m``)."""
    text = cue.keys[0]
    minor = text.endswith("m")
    return Key(tonic_pc=pitch_class(text[:-1] if minor else text),
               mode=Mode.MINOR if minor else Mode.MAJOR)


def end_tick(cue: WrittenCue) -> int:
    """The tick where the file ends (the longest track)."""
    return max(sum(int(message.time) for message in track) for track in cue.midi.tracks)


def bar_count(cue: WrittenCue) -> int:
    return round(end_tick(cue) / cue.ticks_per_bar)


def chord_at(cue: WrittenCue, tick: int) -> str:
    """The chord symbol sounding at ``tick`` (conductor text events)."""
    current = cue.chords[0][1]
    for start, symbol in cue.chords:
        if start > tick:
            break
        current = symbol
    return current


def sections(cue: WrittenCue) -> list[tuple[str, int, int]]:
    """``(name, first bar, bars)`` of every section marker, in order."""
    marks = [(tick, text) for tick, text in cue.markers if not text.startswith(("HIT", "MOTIF"))]
    marks.sort()
    bars = bar_count(cue)
    found: list[tuple[str, int, int]] = []
    for index, (tick, text) in enumerate(marks):
        first = tick // cue.ticks_per_bar
        last = marks[index + 1][0] // cue.ticks_per_bar if index + 1 < len(marks) else bars
        found.append((text, first, last - first))
    return found


def body_bars(cue: WrittenCue, names: Iterable[str] | None = None) -> list[int]:
    """Bars that play a style's main groove: not the first or last bar of a section (fills,
    set-ups), not the cue's last bar; only in sections called ``names`` when given."""
    wanted = None if names is None else set(names)
    found: list[int] = []
    for name, first, bars in sections(cue):
        if name in ("intro", "ending") or (wanted is not None and name not in wanted):
            continue
        found.extend(range(first + 1, first + bars - 1))
    last = bar_count(cue) - 1
    return [bar for bar in found if bar != last]


def onsets_by_bar(notes: Iterable[MidiNote], ticks_per_bar: int) -> dict[int, set[int]]:
    """Bar -> the set of onset positions (ticks from the bar line) in it."""
    found: dict[int, set[int]] = {}
    for note in notes:
        bar, position = divmod(note.start_tick, ticks_per_bar)
        found.setdefault(bar, set()).add(position)
    return found


def drum_notes(cue: WrittenCue, *drums: str) -> list[MidiNote]:
    """The channel-10 notes of the named GM drums."""
    pitches = {GM_DRUMS[drum] for drum in drums}
    return [note for note in cue.drums() if note.pitch in pitches]


def offbeat_ratio(notes: Sequence[MidiNote]) -> float:
    """Long-to-short ratio of the off-beat eighths of a part, read from where they start inside
    the beat (the swung second eighth starts late), corrected for a player sitting behind the
    beat (the lay-back read from the notes on the beat)."""
    positions = [note.start_tick % TPQ for note in notes]
    on_beat = [position for position in positions if position < 60]
    lay_back = statistics.mode(on_beat) if on_beat else 0
    # the second eighth of ratios 1:1 .. 3.5:1 starts 240 .. 373 ticks into the beat; the
    # sixteenths of double-time runs fall elsewhere except at a straight 360, so take the most
    # common start in that window
    off_beat = [position - lay_back for position in positions
                if 235 <= position - lay_back <= 375]
    assert len(off_beat) >= 8, "too few off-beat eighths to measure the swing"
    second = statistics.mode(off_beat)
    return second / (TPQ - second)


def share(count: int, total: int) -> float:
    return count / total if total else 0.0


def mood_near(style_id: str, seed: int, *, valence: float | None = None,
              arousal: tuple[float, float] = (-0.25, 0.25),
              tension: tuple[float, float] = (-0.15, 0.15)) -> Mood:
    """A mood near the style's prototype (arousal and tension moved by a seeded amount)."""
    prototype = load_style(style_id).mood
    draw = np.random.default_rng(1000 + seed)
    return Mood(
        valence=prototype.valence if valence is None else valence,
        arousal=float(np.clip(prototype.arousal + draw.uniform(*arousal), 0.0, 1.0)),
        tension=float(np.clip(prototype.tension + draw.uniform(*tension), 0.0, 1.0)),
    )


def key_for(style_id: str, seed: int, mode: Mode | None = None) -> Key:
    """A key of the style: its tonics in turn, and its modes in turn (or ``mode``)."""
    style = load_style(style_id)
    chosen = mode if mode is not None else style.modes[seed % len(style.modes)]
    return Key(tonic_pc=style.tonics[seed % len(style.tonics)], mode=chosen)


def cue_of(style_id: str, seed: int, bars: int, *, mode: Mode | None = None,
           tempo_bpm: float | None = None) -> WrittenCue:
    """A written and re-read cue of a style in :func:`key_for`'s key, at a mood near its
    prototype (minor cues at a valence of at most -0.3); cached."""
    key = key_for(style_id, seed, mode)
    return _written(style_id, seed, bars, key, tempo_bpm)


@functools.cache
def _written(style_id: str, seed: int, bars: int, key: Key, tempo_bpm: float | None
             ) -> WrittenCue:
    valence = min(load_style(style_id).mood.valence, -0.3) if key.mode is Mode.MINOR else None
    return write_and_read(style_id, seed, bars=bars, key=key, tempo_bpm=tempo_bpm,
                          mood=mood_near(style_id, seed, valence=valence))


def assert_meter_and_tempo(cue: WrittenCue, style_id: str) -> None:
    """One time signature, the style's; the main tempo inside the style's range, and any
    ritardando only slowing down from it."""
    style = load_style(style_id)
    assert cue.time_signatures == [(style.meter.numerator, style.meter.denominator)]
    quarter_per_pulse = style.meter.pulse_ticks / TPQ
    tempos = [bpm / quarter_per_pulse for _, bpm in cue.tempos_bpm]
    assert style.tempo_min_bpm - 0.5 <= tempos[0] <= style.tempo_max_bpm + 0.5
    for tempo in tempos[1:]:
        assert tempo <= style.tempo_max_bpm + 0.5
        assert tempo >= (0.6 if style.ritardando else 1.0) * style.tempo_min_bpm - 0.5


def assert_instruments(cue: WrittenCue, expected: dict[str, int], *, drums: str) -> None:
    """The alto saxophone lead (GM 65) first, then the accompaniment's tracks in order with
    their GM programs; the ``drums`` track on channel 10 and nothing else there."""
    assert list(cue.programs) == ["Alto Sax", *expected]
    assert cue.programs["Alto Sax"] == 65
    assert {name: cue.programs[name] for name in expected} == expected
    assert cue.tracks[drums]
    for name, notes in cue.tracks.items():
        assert all((note.channel == 9) == (name == drums) for note in notes), name


def form_after_intro(cue: WrittenCue) -> list[tuple[str, int]]:
    """``(name, bars)`` of the sections between the intro and the ending."""
    return [(name, bars) for name, _, bars in sections(cue) if name not in ("intro", "ending")]


# ---------------------------------------------------------------- every style

GALOP_BARS = 2 + 48 + 1
SWING_BARS = 2 + 32 + 1
BALLAD_BARS = 2 + 32 + 1
CHASE_BARS = 2 + 32 + 1
WEDDING_BARS = 2 + 32 + 1
#: The instruments that make each style's sound (track name: GM program), and its kit.
CORE_INSTRUMENTS = {
    "circus-galop": ({"Tuba": 58, "Accordion": 21, "Trombones": 57, "Trumpets": 56}, "Drums",
                     GALOP_BARS),
    "swing": ({"Acoustic Bass": 32, "Piano": 0}, "Drums", SWING_BARS),
    "ballad": ({"Acoustic Bass": 32, "Piano": 0, "Strings": 49}, "Brushes", BALLAD_BARS),
    "chase": ({"Electric Bass": 33, "Brass Stabs": 61, "Tremolo Strings": 44}, "Drums",
              CHASE_BARS),
    "wedding-standard": ({"Acoustic Bass": 32, "Piano": 0, "Rhythm Guitar": 26}, "Drums",
                         WEDDING_BARS),
}


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("style_id", tuple(CORE_INSTRUMENTS))
def test_instrumentation(style_id: str, seed: int) -> None:
    core, drums, bars = CORE_INSTRUMENTS[style_id]
    cue = cue_of(style_id, seed, bars)
    assert next(iter(cue.programs)) == "Alto Sax"
    assert cue.programs["Alto Sax"] == 65
    assert {name: cue.programs.get(name) for name in core} == core
    assert drums in cue.tracks  # (a calm ballad may leave the brushes out)
    for name, notes in cue.tracks.items():
        assert all((note.channel == 9) == (name == drums) for note in notes), name


# ---------------------------------------------------------------- circus-galop


@pytest.mark.parametrize("seed", SEEDS)
def test_circus_galop_is_a_fast_two_four_oom_pah(seed: int) -> None:
    cue = cue_of("circus-galop", seed, GALOP_BARS)
    assert_meter_and_tempo(cue, "circus-galop")
    tpb = cue.ticks_per_bar
    assert tpb == 2 * TPQ
    assert cue.programs["Tuba"] == 58
    tuba = onsets_by_bar(cue.tracks["Tuba"], tpb)
    accordion = onsets_by_bar(cue.tracks["Accordion"], tpb)
    body = body_bars(cue)
    assert len(body) >= 30
    for bar in body:
        # oom: the tuba on the beats (and only there)...
        assert tuba.get(bar, set()) <= {0, TPQ}, bar
        assert 0 in tuba.get(bar, set()), bar
        # ...pah: the accordion's chords off the beats
        assert accordion.get(bar), bar
        assert all(position % TPQ for position in accordion[bar]), bar
    trombones = [bar for bar in body if bar in onsets_by_bar(cue.tracks["Trombones"], tpb)]
    for bar in trombones:
        assert all(position % TPQ for position in
                   onsets_by_bar(cue.tracks["Trombones"], tpb)[bar]), bar


@pytest.mark.parametrize("seed", SEEDS)
def test_circus_galop_in_minor_has_the_harmonic_minor_colour(seed: int) -> None:
    cue = cue_of("circus-galop", seed, GALOP_BARS, mode=Mode.MINOR)
    key = written_key(cue)
    assert key.mode is Mode.MINOR
    roots = [chord_root(symbol) for _, symbol in cue.chords]
    # the dominant has the raised leading tone: a major (dominant seventh) V, never a minor v
    dominants = [quality for root, quality in roots if (root - key.tonic_pc) % 12 == 7]
    assert dominants
    assert not any(is_minor_quality(quality) for quality in dominants)
    # over the minor tonic and the dominant the tune takes the leading tone (raised 7th),
    # hardly ever the subtonic
    lead = [(note.pitch - key.tonic_pc) % 12 for note in cue.lead()]
    over_i_and_v = []
    for note in cue.lead():
        root, quality = chord_root(chord_at(cue, note.start_tick))
        degree = (root - key.tonic_pc) % 12
        if degree == 7 or (degree == 0 and is_minor_quality(quality)):
            over_i_and_v.append((note.pitch - key.tonic_pc) % 12)
    assert over_i_and_v.count(11) >= 2 * over_i_and_v.count(10) + 1
    assert share(sum(1 for pc in lead if pc in HARMONIC_MINOR), len(lead)) >= 0.75


# ---------------------------------------------------------------- swing

@pytest.mark.parametrize("seed", SEEDS)
def test_swing_walks_on_every_quarter_under_the_ride(seed: int) -> None:
    cue = cue_of("swing", seed, SWING_BARS)
    assert_meter_and_tempo(cue, "swing")
    tpb = cue.ticks_per_bar
    bass = onsets_by_bar(cue.tracks["Acoustic Bass"], tpb)
    body = body_bars(cue)
    walking = [bar for bar in body if bass.get(bar) == {0, TPQ, 2 * TPQ, 3 * TPQ}]
    assert share(len(walking), len(body)) >= 0.9
    ride = onsets_by_bar(drum_notes(cue, "ride"), tpb)
    hat = onsets_by_bar(drum_notes(cue, "pedal-hat"), tpb)
    for bar in body:
        # ding, ding-a, ding, ding-a: the ride on every beat plus the skip notes, the hat on 2, 4
        assert {0, TPQ, 2 * TPQ, 3 * TPQ} <= ride[bar], bar
        assert len(ride[bar]) == 6, bar
        assert hat[bar] == {TPQ, 3 * TPQ}, bar


@pytest.mark.parametrize("seed", range(8))
def test_swing_ratio_is_larger_at_medium_than_at_fast_tempo(seed: int) -> None:
    medium = cue_of("swing", seed, SWING_BARS, tempo_bpm=140)
    fast = cue_of("swing", seed, SWING_BARS, tempo_bpm=240)
    drums_medium = offbeat_ratio(drum_notes(medium, "ride"))
    drums_fast = offbeat_ratio(drum_notes(fast, "ride"))
    assert 1.7 <= drums_medium <= 2.4
    assert 1.15 <= drums_fast <= 1.7
    assert drums_medium > drums_fast + 0.3
    lead_medium = offbeat_ratio(medium.lead())
    lead_fast = offbeat_ratio(fast.lead())
    assert lead_medium > lead_fast
    # the soloist swings, but less than the drummer
    assert 1.3 <= lead_medium <= drums_medium + 0.05


@pytest.mark.parametrize("seed", range(8))
def test_swing_is_a_32_bar_aaba(seed: int) -> None:
    cue = cue_of("swing", seed, 2 + 64 + 1)
    assert form_after_intro(cue) == [("A", 8), ("A", 8), ("B", 8), ("A", 8)] * 2
    assert [name for name, _, _ in sections(cue)][0] == "intro"


# ---------------------------------------------------------------- ballad

@pytest.mark.parametrize("seed", SEEDS)
def test_ballad_is_slow_with_a_sustained_pad_and_bass_in_halves(seed: int) -> None:
    cue = cue_of("ballad", seed, BALLAD_BARS)
    assert_meter_and_tempo(cue, "ballad")
    assert cue.tempos_bpm[0][1] <= 80.5
    tpb = cue.ticks_per_bar
    # the strings hold the harmony: long notes sounding through almost the whole cue
    strings = cue.tracks["Strings"]
    assert statistics.median(note.end_tick - note.start_tick for note in strings) >= tpb
    sounding = np.zeros(end_tick(cue) // 60 + 1, dtype=bool)
    for note in strings:
        sounding[note.start_tick // 60 : note.end_tick // 60] = True
    assert sounding.mean() >= 0.9
    # the bass on halves and wholes (beats 1 and 3), not walking
    bass = onsets_by_bar(cue.tracks["Acoustic Bass"], tpb)
    body = body_bars(cue)
    halves = [bar for bar in body if bass.get(bar, set()) <= {0, 2 * TPQ}]
    assert share(len(halves), len(body)) >= 0.9


# ---------------------------------------------------------------- chase

@pytest.mark.parametrize("seed", SEEDS)
def test_chase_is_fast_minor_with_a_straight_eighth_note_ostinato(seed: int) -> None:
    cue = cue_of("chase", seed, CHASE_BARS)
    assert_meter_and_tempo(cue, "chase")
    assert cue.tempos_bpm[0][1] >= 139.5
    key = written_key(cue)
    assert key.mode is Mode.MINOR
    # every A section opens on the minor tonic
    for name, first, _ in sections(cue):
        if name == "A":
            root, quality = chord_root(chord_at(cue, first * cue.ticks_per_bar))
            assert root == key.tonic_pc
            assert is_minor_quality(quality)
    tpb = cue.ticks_per_bar
    bass = onsets_by_bar(cue.tracks["Electric Bass"], tpb)
    body = body_bars(cue)
    for bar in body:
        positions = bass.get(bar, set())
        # straight eighths (no swing), at least every other eighth, the downbeat struck
        assert all(position % EIGHTH == 0 for position in positions), bar
        assert len(positions) >= 4, bar
        assert 0 in positions, bar
    driving = [bar for bar in body if len(bass.get(bar, set())) == 8]
    assert share(len(driving), len(body)) >= 0.5
    assert all(note.start_tick % (TPQ // 4) == 0 for note in cue.drums())


# ---------------------------------------------------------------- wedding-standard

@pytest.mark.parametrize("seed", SEEDS)
def test_wedding_standard_is_a_major_aaba_with_a_two_beat_bass(seed: int) -> None:
    cue = cue_of("wedding-standard", seed, WEDDING_BARS)
    assert_meter_and_tempo(cue, "wedding-standard")
    assert form_after_intro(cue) == [("A", 8), ("A", 8), ("B", 8), ("A", 8)]
    key = written_key(cue)
    assert key.mode is Mode.MAJOR
    tonic_chords = [quality for _, symbol in cue.chords
                    for root, quality in [chord_root(symbol)] if root == key.tonic_pc]
    assert tonic_chords
    assert not any(is_minor_quality(quality) for quality in tonic_chords)
    lead = [(note.pitch - key.tonic_pc) % 12 for note in cue.lead()]
    assert share(sum(1 for pc in lead if pc in MAJOR_SCALE), len(lead)) >= 0.8
    tpb = cue.ticks_per_bar
    bass = onsets_by_bar(cue.tracks["Acoustic Bass"], tpb)
    a_bars = body_bars(cue, ["A"])
    mood = mood_near("wedding-standard", seed)
    if mood.arousal < 0.62:
        # the A sections: two-beat, root and fifth on 1 and 3
        two_beat = [bar for bar in a_bars if bass.get(bar) == {0, 2 * TPQ}]
        assert share(len(two_beat), len(a_bars)) >= 0.9
