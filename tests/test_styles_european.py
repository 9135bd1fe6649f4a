"""Traits of the Soviet, Russian, klezmer, Italian and suspense styles, from the written MIDI.

The styles: ``circus-march``, ``apparatchik``, ``suspense``, ``russian-lament``,
``russian-nightclub``, ``hora`` and ``tarantella``. Every cue is composed through the real
pipeline (:func:`midi_reading.write_and_read`: spotting's sketch plan -> compose -> mix -> MIDI
bytes -> mido) at the style's prototype mood, through its form until every section has played,
over 20 seeds per style (keys and saxophones vary with the seed). The tests assert what a
listener or a DAW gets: time signature and tempo events, section markers, chord-symbol text
events and the notes of each named track; each style's defining traits (oom-pah and a soft trio
in the subdominant, low brass in octaves, an ostinato and an unresolved ending, freygish,
accelerando...), not incidental details.

The general invariants (ranges, no overlapping notes, exact length, a held final chord) are
checked here too, from the written files and, under random mood arcs with hit points, from the
composed cues, because the shared invariant tests in ``test_compose`` name only the first styles.
"""

from __future__ import annotations

import bisect
import functools
import statistics
from collections import Counter
from collections.abc import Iterable

import numpy as np
import pytest
from conftest import make_spec
from midi_reading import MidiNote, WrittenCue, write_and_read

from soundtrack.compose import compose_cue
from soundtrack.model import (
    SAXOPHONE_PROGRAM,
    SAXOPHONE_RANGE,
    Cue,
    Key,
    Mode,
    Mood,
    Role,
    Saxophone,
)
from soundtrack.pitch import parse_key
from soundtrack.styles import load_style
from soundtrack.styles.schema import CHORD_QUALITIES, GM_DRUMS, PatternPlace

STYLES = (
    "circus-march",
    "apparatchik",
    "suspense",
    "russian-lament",
    "russian-nightclub",
    "hora",
    "tarantella",
)
SEEDS = range(20)
ARC_SEEDS = range(20)
TPQ = 480
SAXOPHONES = (Saxophone.ALTO, Saxophone.TENOR, Saxophone.SOPRANO, Saxophone.BARITONE)

#: (time signature, counted pulse in ticks, tempo range in pulses per minute) of each style.
PLANNING = {
    "circus-march": ((2, 4), 480, (116, 138)),
    "apparatchik": ((4, 4), 480, (72, 96)),
    "suspense": ((4, 4), 480, (60, 90)),
    "russian-lament": ((3, 4), 480, (50, 68)),
    "russian-nightclub": ((2, 4), 480, (88, 132)),
    "hora": ((3, 8), 240, (150, 200)),
    "tarantella": ((6, 8), 720, (112, 150)),
}
#: The accompaniment of each style: track name -> General MIDI program (0-based). The styles'
#: orchestra kits (GS program 48) are written as the General MIDI standard kit (program 0), with
#: the orchestra kit's timpani on a melodic Timpani track (GM program 47): a GM1 player has no
#: orchestra kit (see soundtrack.mix).
INSTRUMENTS = {
    "circus-march": {"Tuba": 58, "Bassoon": 70, "Horns": 60, "Trombones": 57, "Trumpets": 56,
                     "Clarinets": 71, "Drums": 0},
    "apparatchik": {"Tuba": 58, "Bass Trombone": 57, "Bassoon": 70, "Timpani": 47,
                    "Trombones": 57, "Horns": 60, "Trumpets": 56, "Drums": 0},
    "suspense": {"Low Piano": 0, "Contrabass": 43, "High Strings": 49, "Timpani": 47},
    "russian-lament": {"Contrabass": 43, "Balalaika": 25, "Cellos": 42, "Bayan": 21,
                       "Violin": 40, "Funeral Drum": 0},
    "russian-nightclub": {"Bass": 32, "Seven-String Guitar": 24, "Accordion": 21, "Violin": 40,
                          "Drums": 0},
    "hora": {"Bass": 32, "Accordion": 21, "Tsimbl": 15, "Violin": 40, "Poyk": 0},
    "tarantella": {"Bass": 32, "Accordion": 21, "Mandolin": 25, "Percussion": 0},
}
#: Scales as semitones above the tonic.
IONIAN = frozenset({0, 2, 4, 5, 7, 9, 11})
AEOLIAN = frozenset({0, 2, 3, 5, 7, 8, 10})
HARMONIC_MINOR = frozenset({0, 2, 3, 5, 7, 8, 11})
FREYGISH = frozenset({0, 1, 4, 5, 7, 8, 10})
#: Chord qualities that rest: a tonic chord of one of these is a resolution.
RESOLVED = frozenset({"", "m", "6", "m6", "maj7", "m7", "add9", "madd9", "M9", "m9"})
_LETTER_PC = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}


# ---------------------------------------------------------------- composing and reading


def _seed_key(style_id: str, seed: int) -> Key:
    """Keys vary with the seed: the style's tonics in turn, then its other modes."""
    style = load_style(style_id)
    tonic = style.tonics[seed % len(style.tonics)]
    mode = style.modes[(seed // len(style.tonics)) % len(style.modes)]
    return Key(tonic_pc=tonic, mode=mode)


def _cycle_bars(style_id: str) -> int:
    """A two-bar intro, the form up to the first time each of its sections has played, and the
    ending bar."""
    form = load_style(style_id).form
    names = {section.name for section in form}
    bars = 0
    seen: set[str] = set()
    for section in form:
        bars += section.bars
        seen.add(section.name)
        if seen == names:
            break
    return bars + 3


@functools.cache
def _written(style_id: str, seed: int) -> WrittenCue:
    """The form until each section has played, at the style's prototype mood (cached: many tests
    read the same cues)."""
    return write_and_read(
        style_id,
        seed,
        bars=_cycle_bars(style_id),
        key=_seed_key(style_id, seed),
        lead=SAXOPHONES[seed % len(SAXOPHONES)],
    )


def _cues(style_id: str) -> Iterable[tuple[int, WrittenCue]]:
    return ((seed, _written(style_id, seed)) for seed in SEEDS)


def _pitch_class(name: str) -> int:
    pc = _LETTER_PC[name[0]]
    for accidental in name[1:]:
        pc += {"#": 1, "-": -1, "b": -1}[accidental]
    return pc % 12


def _chord(symbol: str) -> tuple[int, str]:
    """Root pitch class and quality suffix of a chord symbol (``E-m7b5`` -> ``(3, "m7b5")``)."""
    length = 1
    while length < len(symbol) and symbol[length] in "#-":
        length += 1
    return _pitch_class(symbol[:length]), symbol[length:]


def _key(cue: WrittenCue) -> Key:
    key = parse_key(cue.keys[0])
    assert key is not None, cue.keys
    return key


def _lead_name(cue: WrittenCue) -> str:
    return next(name for name, program in cue.programs.items() if 64 <= program <= 67)


#: Facts read once per written cue (the cues themselves are cached by :func:`_written`).
_ENDS: dict[int, int] = {}


def _end(cue: WrittenCue) -> int:
    """The tick where the file ends (its longest track)."""
    if id(cue) not in _ENDS:
        _ENDS[id(cue)] = max(sum(message.time for message in track) for track in cue.midi.tracks)
    return _ENDS[id(cue)]


def _chord_runs(cue: WrittenCue) -> list[tuple[int, int, int, str]]:
    """``(start, end, root pitch class, quality)`` of every chord symbol."""
    ticks = [tick for tick, _ in cue.chords] + [_end(cue)]
    return [(start, ticks[index + 1], *_chord(symbol))
            for index, (start, symbol) in enumerate(cue.chords)]


def _chord_at(cue: WrittenCue, tick: int) -> tuple[int, str]:
    """The chord sounding at ``tick``."""
    index = max(bisect.bisect_right([start for start, _ in cue.chords], tick) - 1, 0)
    return _chord(cue.chords[index][1])


def _chord_pcs(root: int, quality: str) -> frozenset[int]:
    return frozenset((root + step) % 12 for step in CHORD_QUALITIES[quality].intervals)


_SECTIONS: dict[int, tuple[tuple[int, int, str], ...]] = {}


def _sections(cue: WrittenCue) -> tuple[tuple[int, int, str], ...]:
    """``(first bar, last bar, name)`` of every section marker."""
    if id(cue) not in _SECTIONS:
        _SECTIONS[id(cue)] = _read_sections(cue)
    return _SECTIONS[id(cue)]


def _read_sections(cue: WrittenCue) -> tuple[tuple[int, int, str], ...]:
    bar = cue.ticks_per_bar
    marks = sorted(
        (tick, text) for tick, text in cue.markers if not text.startswith(("HIT", "MOTIF"))
    )
    bars = _end(cue) // bar
    return tuple(
        (tick // bar, (marks[index + 1][0] // bar if index + 1 < len(marks) else bars) - 1, text)
        for index, (tick, text) in enumerate(marks)
    )


def _section_of(cue: WrittenCue, bar: int) -> str:
    return next(name for first, last, name in _sections(cue) if first <= bar <= last)


def _body_bars(cue: WrittenCue, sections: Iterable[str] | None = None) -> list[int]:
    """Bars that are neither a section's last bar nor the cue's last bar (optionally only in the
    named sections)."""
    wanted = None if sections is None else set(sections)
    final = _end(cue) // cue.ticks_per_bar - 1
    return [
        bar
        for first, last, name in _sections(cue)
        if wanted is None or name in wanted
        for bar in range(first, last)
        if bar != final
    ]


def _onsets_by_bar(notes: Iterable[MidiNote], bar_ticks: int) -> dict[int, set[int]]:
    found: dict[int, set[int]] = {}
    for note in notes:
        found.setdefault(note.start_tick // bar_ticks, set()).add(note.start_tick % bar_ticks)
    return found


def _pulse_bpms(cue: WrittenCue, style_id: str) -> list[float]:
    pulse = PLANNING[style_id][1]
    return [bpm * TPQ / pulse for _, bpm in cue.tempos_bpm]


def _lead_profile(
    cue: WrittenCue, *, bars: Iterable[int] | None = None, min_ticks: int = 0
) -> list[tuple[int, tuple[int, str]]]:
    """``(pitch class above the tonic, sounding chord)`` of the lead's notes (grace notes, shorter
    than ``min_ticks``, left out), optionally only in some bars."""
    tonic = _key(cue).tonic_pc
    wanted = None if bars is None else set(bars)
    return [
        ((note.pitch - tonic) % 12, _chord_at(cue, note.start_tick))
        for note in cue.lead()
        if note.end_tick - note.start_tick >= min_ticks
        and (wanted is None or note.start_tick // cue.ticks_per_bar in wanted)
    ]


def _in_scale_share(cue: WrittenCue, scale: frozenset[int], min_ticks: int) -> float:
    """Share of the lead's notes in the scale or in the sounding chord."""
    tonic = _key(cue).tonic_pc
    profile = _lead_profile(cue, min_ticks=min_ticks)
    inside = sum(
        1 for degree, (root, quality) in profile
        if degree in scale or (degree + tonic) % 12 in _chord_pcs(root, quality)
    )
    return inside / len(profile)


def _tonic_chord_degrees(cue: WrittenCue, min_ticks: int = 0) -> Counter[int]:
    """Lead pitch classes (above the tonic) sounding over chords on the tonic."""
    tonic = _key(cue).tonic_pc
    return Counter(degree for degree, (root, _) in _lead_profile(cue, min_ticks=min_ticks)
                   if root == tonic)


# ---------------------------------------------------------------- planning facts, every style


@pytest.mark.parametrize("style_id", STYLES)
def test_meter_tempo_and_instruments_as_written(style_id: str) -> None:
    signature, pulse, (low, high) = PLANNING[style_id]
    style = load_style(style_id)
    expected_programs = INSTRUMENTS[style_id]
    for seed, cue in _cues(style_id):
        assert cue.time_signatures == [signature]
        assert cue.ticks_per_bar == style.meter.bar_ticks
        assert style.meter.pulse_ticks == pulse
        bpms = _pulse_bpms(cue, style_id)
        spread = style.accelerando / 2
        # the nominal tempo lies in the range; an accelerando spreads it around the nominal
        assert low * (1 - spread) - 0.5 <= bpms[0] <= high * (1 - spread) + 0.5, (seed, bpms[0])
        body = [bpm for (tick, _), bpm in zip(cue.tempos_bpm, bpms, strict=True)
                if tick < _end(cue) - cue.ticks_per_bar]
        assert all(low * (1 - spread) - 0.5 <= bpm <= high * (1 + spread) + 0.5 for bpm in body)
        if not style.ritardando and not style.accelerando:
            assert max(bpms) - min(bpms) < 0.5, seed  # steady
        lead_programs = {name: program for name, program in cue.programs.items()
                         if 64 <= program <= 67}
        assert list(lead_programs.values()) == [SAXOPHONE_PROGRAM[SAXOPHONES[seed % 4]]]
        accompaniment = {name: program for name, program in cue.programs.items()
                         if name not in lead_programs}
        assert accompaniment == expected_programs, seed
        drums = {instrument.name for instrument in style.instruments
                 if instrument.role is Role.DRUMS and expected_programs[instrument.name] != 47}
        for name in drums:
            assert all(note.channel == 9 for note in cue.tracks[name])
            assert {note.pitch for note in cue.tracks[name]} <= set(GM_DRUMS.values())


@pytest.mark.parametrize("style_id", STYLES)
def test_tempo_follows_arousal_inside_the_range(style_id: str) -> None:
    _, _, (low, high) = PLANNING[style_id]
    style = load_style(style_id)
    spread = style.accelerando / 2
    firsts = []
    prototype = style.mood.arousal
    for arousal in (max(0.0, prototype - 0.3), prototype, min(1.0, prototype + 0.3)):
        mood = Mood(valence=style.mood.valence, arousal=arousal, tension=style.mood.tension)
        cue = write_and_read(style_id, 0, bars=4, mood=mood)
        bpms = _pulse_bpms(cue, style_id)
        assert low * (1 - spread) - 0.5 <= bpms[0] <= high * (1 - spread) + 0.5
        firsts.append(bpms[0])
    assert firsts[0] < firsts[1] < firsts[2]


# ---------------------------------------------------------------- general invariants


@pytest.mark.parametrize("style_id", STYLES)
def test_written_notes_stay_in_range_and_never_overlap(style_id: str) -> None:
    style = load_style(style_id)
    ranges = {item.name: (item.low_pitch, item.high_pitch) for item in style.instruments}
    for seed, cue in _cues(style_id):
        end = _end(cue)
        assert end == _cycle_bars(style_id) * cue.ticks_per_bar
        lead_name = _lead_name(cue)
        for name, notes in cue.tracks.items():
            low, high = (SAXOPHONE_RANGE[SAXOPHONES[seed % 4]] if name == lead_name
                         else ranges[name])
            sounding: dict[int, int] = {}
            for note in notes:
                assert low <= note.pitch <= high, (seed, name, note)
                assert 0 <= note.start_tick < note.end_tick <= end, (seed, name, note)
                assert note.start_tick >= sounding.get(note.pitch, 0), (seed, name, note)
                sounding[note.pitch] = note.end_tick
        for name, notes in cue.tracks.items():
            role = next((item.role for item in style.instruments if item.name == name), None)
            if role is not Role.DRUMS:
                assert notes, (seed, name)


@pytest.mark.parametrize("style_id", STYLES)
def test_a_cue_lasts_exactly_its_seconds(style_id: str) -> None:
    for seed in range(4):
        seconds = 21.0 + 7.3 * seed
        cue = write_and_read(style_id, seed, seconds=seconds)
        assert abs(cue.length_seconds - seconds) < 1 / 24, (seed, cue.length_seconds)


def _arc_cue(style_id: str, seed: int) -> Cue:
    """A form cycle under a random ramp of arousal and tension (and valence), with a hit."""
    style = load_style(style_id)
    draw = np.random.default_rng(20_000 + seed)
    start, stop = draw.uniform(0.0, 1.0, (2, 3))
    bars = sum(section.bars for section in style.form)

    def mood(bar: int) -> Mood:
        share = bar / max(bars - 1, 1)
        values = start + (stop - start) * share
        return Mood(valence=float(2 * values[0] - 1), arousal=float(values[1]),
                    tension=float(values[2]))

    hit = int(draw.integers(0, bars - 1)) * style.meter.bar_ticks + style.meter.pulse_ticks
    spec = make_spec(style_id, bars=bars, key=_seed_key(style_id, seed), bar_moods=mood,
                     hit_ticks=(hit,), lead=SAXOPHONES[seed % 4])
    return compose_cue(spec, rng=np.random.default_rng(seed))


@pytest.mark.parametrize("style_id", STYLES)
def test_invariants_under_random_arcs_and_hits(style_id: str) -> None:
    style = load_style(style_id)
    for seed in ARC_SEEDS:
        cue = _arc_cue(style_id, seed)
        end = cue.spec.end_tick
        assert [part.name for part in cue.parts[1:]] == [item.name for item in style.instruments]
        assert cue.chords[0].start_tick == 0
        assert cue.chords[-1].end_tick == end
        final = set(cue.chords[-1].pitch_classes)
        for part in cue.parts:
            sounding: dict[int, int] = {}
            for note in part.notes:
                assert part.low_pitch <= note.pitch <= part.high_pitch, (seed, part.name, note)
                assert 0 <= note.start_tick < note.end_tick <= end, (seed, part.name, note)
                assert note.start_tick >= sounding.get(note.pitch, 0), (seed, part.name, note)
                assert 1 <= note.velocity <= 127
                sounding[note.pitch] = note.end_tick
            if part.role in (Role.LEAD, Role.DRUMS):
                continue
            held = [note for note in part.notes if note.end_tick == end]
            assert held, (seed, part.name)  # every chord part and bass holds the final chord
            assert {note.pitch % 12 for note in held} <= final, (seed, part.name)


@pytest.mark.parametrize("style_id", STYLES)
def test_style_file_is_complete(style_id: str) -> None:
    style = load_style(style_id)
    roles = {instrument.role for instrument in style.instruments}
    assert {Role.BASS, Role.DRUMS} <= roles
    assert {Role.HARMONY, Role.PAD, Role.COUNTER} & roles
    assert style.settings
    assert style.lead.swing is False
    for mode in style.modes:
        harmony = style.harmony.for_mode(mode)
        assert harmony is not None
        assert harmony.mode is mode
        for section in style.form:
            assert harmony.progressions(section.name)
    for instrument in style.instruments:
        assert any(pattern.place is PatternPlace.BODY for pattern in instrument.patterns)


# ---------------------------------------------------------------- circus march


def _mean_velocity(cue: WrittenCue, bars: set[int], names: Iterable[str]) -> float:
    """Mean velocity of the notes of the named tracks that start in the given bars."""
    return statistics.mean(note.velocity for name in names for note in cue.tracks[name]
                           if note.start_tick // cue.ticks_per_bar in bars)


def test_circus_march_is_oom_pah_with_a_soft_trio_in_the_subdominant() -> None:
    louder, softer = [], []
    for seed, cue in _cues("circus-march"):
        bar, beat = cue.ticks_per_bar, TPQ
        tonic = _key(cue).tonic_pc
        trio = set(_body_bars(cue, ("trio",)))
        tuba = _onsets_by_bar(cue.tracks["Tuba"], bar)
        bassoon = _onsets_by_bar(cue.tracks["Bassoon"], bar)
        for number in _body_bars(cue):
            oom = bassoon if number in trio else tuba  # the bassoon takes the trio's oom-pah
            assert oom[number] == {0, beat}, (seed, number)  # oom on both beats of the 2/4
        body = set(_body_bars(cue))
        for name in ("Horns", "Trombones"):
            onsets = [note.start_tick for note in cue.tracks[name]
                      if note.start_tick // bar in body]
            assert onsets, (seed, name)
            assert all(tick % beat == beat // 2 for tick in onsets), (seed, name)  # pah
        strains = set(_body_bars(cue, ("A", "B")))
        assert len(trio) >= 14

        everyone = tuple(cue.tracks)
        band = tuple(INSTRUMENTS["circus-march"])
        assert _mean_velocity(cue, trio, everyone) < _mean_velocity(cue, strains, everyone) - 4
        louder.append(_mean_velocity(cue, strains, band))
        softer.append(_mean_velocity(cue, trio, band))
        # the trio: no tuba, trumpets, trombones or cymbals; clarinets in long, legato notes
        for name in ("Tuba", "Trumpets", "Trombones"):
            assert not [note for note in cue.tracks[name] if note.start_tick // bar in trio]
        cymbals = {GM_DRUMS["crash"], GM_DRUMS["crash2"]}
        assert not [note for note in cue.tracks["Drums"]
                    if note.start_tick // bar in trio and note.pitch in cymbals]
        clarinets = [note for note in cue.tracks["Clarinets"] if note.start_tick // bar in trio]
        assert statistics.mean(n.end_tick - n.start_tick for n in clarinets) >= beat, seed
        # the trio's harmony centres on the subdominant (IV or iv)
        weight: Counter[int] = Counter()
        for start, stop, root, _ in _chord_runs(cue):
            for number in range(start // bar, (stop - 1) // bar + 1):
                if number in trio:
                    weight[(root - tonic) % 12] += 1
        assert weight.most_common(1)[0][0] == 5, (seed, weight)
    assert statistics.mean(softer) < statistics.mean(louder) - 8


def test_circus_march_runs_chromatically_into_strains() -> None:
    runs = 0
    for _, cue in _cues("circus-march"):
        bar = cue.ticks_per_bar
        ends = {last for _, last, name in _sections(cue) if name in ("A", "B", "break", "trio2")}
        for number in ends:
            pitches = [note.pitch for note in cue.tracks["Tuba"]
                       if note.start_tick // bar == number]
            steps = [b - a for a, b in zip(pitches[-4:], pitches[-3:], strict=False)]
            if len(steps) == 3 and len(set(steps)) == 1 and abs(steps[0]) == 1:
                runs += 1
    assert runs >= 24


def test_circus_march_keys_and_scales() -> None:
    for seed, cue in _cues("circus-march"):
        key = _key(cue)
        assert key == _seed_key("circus-march", seed)
        scale = IONIAN if key.mode is Mode.MAJOR else HARMONIC_MINOR
        assert _in_scale_share(cue, scale, min_ticks=60) >= 0.85, seed
        root, quality = _chord(cue.chords[-1][1])
        assert root == key.tonic_pc
        assert (quality.startswith("m") and not quality.startswith("maj")) == (
            key.mode is Mode.MINOR)


# ---------------------------------------------------------------- apparatchik


def test_apparatchik_low_brass_in_unison_and_octaves_in_dotted_rhythm() -> None:
    octaves = dotted = bars_seen = 0
    for seed, cue in _cues("apparatchik"):
        lines = [{note.start_tick: note.pitch for note in cue.tracks[name]}
                 for name in ("Tuba", "Bass Trombone", "Bassoon")]
        assert lines[0].keys() == lines[1].keys() == lines[2].keys(), seed  # one rhythm
        for tick, pitch in lines[0].items():
            others = [line[tick] for line in lines[1:]]
            assert all((other - pitch) % 12 == 0 for other in others), (seed, tick)
            octaves += any(other != pitch for other in others)
        bar = cue.ticks_per_bar
        by_bar = _onsets_by_bar(cue.tracks["Tuba"], bar)
        for number in _body_bars(cue):
            bars_seen += 1
            dotted += any(tick % TPQ == 3 * TPQ // 4 for tick in by_bar.get(number, ()))
    assert octaves > 0
    assert dotted >= 0.5 * bars_seen  # dotted-eighth + sixteenth figures


def test_apparatchik_bass_drum_and_cymbal_minor_and_a_plagal_amen() -> None:
    for seed, cue in _cues("apparatchik"):
        key = _key(cue)
        bar = cue.ticks_per_bar
        drums = cue.tracks["Drums"]
        for number in _body_bars(cue):
            downbeat = {note.pitch for note in drums if note.start_tick == number * bar}
            assert {GM_DRUMS["kick"], GM_DRUMS["crash2"]} <= downbeat, (seed, number)
        tonic_chords = [quality for _, _, root, quality in _chord_runs(cue)
                        if root == key.tonic_pc]
        third = {"m": 3, "": 4}
        assert all(CHORD_QUALITIES[quality].third == third["m" if key.mode is Mode.MINOR
                                                           else ""]
                   for quality in tonic_chords), seed
        (before, _), (last, _) = _chord(cue.chords[-2][1]), _chord(cue.chords[-1][1])
        assert (before - key.tonic_pc) % 12 == 5, seed  # the amen: iv6 - i
        assert last == key.tonic_pc, seed
    assert load_style("apparatchik").modes[0] is Mode.MINOR


# ---------------------------------------------------------------- suspense


def test_suspense_ostinato_on_a_low_pedal_and_an_unresolved_end() -> None:
    for seed, cue in _cues("suspense"):
        key = _key(cue)
        assert key.mode is Mode.MINOR
        bar = cue.ticks_per_bar
        body = _body_bars(cue)
        figures: Counter[tuple[tuple[int, int], ...]] = Counter()
        for number in body:
            notes = [note for note in cue.tracks["Low Piano"] if note.start_tick // bar == number]
            figures[tuple((note.start_tick % bar, note.pitch - notes[0].pitch)
                          for note in notes)] += 1
        figure, count = figures.most_common(1)[0]
        assert len(figure) >= 3, (seed, figures)
        assert count >= 0.75 * len(body), (seed, figures)
        assert any(step == 1 for _, step in figure)  # the minor second of the ostinato
        assert all(note.pitch < 48 for note in cue.tracks["Low Piano"])
        root, quality = _chord(cue.chords[-1][1])
        assert root != key.tonic_pc or quality not in RESOLVED, (seed, cue.chords[-1])
        # sparse, low, soft saxophone; thin high strings; quiet drums
        lead = cue.lead()
        low, high = SAXOPHONE_RANGE[SAXOPHONES[seed % 4]]
        assert len(lead) / (_end(cue) / bar) <= 4.0, seed
        assert statistics.mean(note.pitch for note in lead) < (low + high) / 2, seed
        assert statistics.mean(note.velocity for note in lead) < 75
        strings = cue.tracks["High Strings"]
        assert min(note.pitch for note in strings) >= 72
        assert statistics.mean(note.end_tick - note.start_tick for note in strings) >= bar / 2
        # the orchestra kit's timpani, on a melodic timpani track: tonic and dominant, low, soft
        timpani = cue.tracks["Timpani"]
        assert all(note.channel != 9 for note in timpani)
        assert {note.pitch % 12 for note in timpani} <= {key.tonic_pc, (key.tonic_pc + 7) % 12}
        assert all(41 <= note.pitch <= 57 for note in timpani)
        assert statistics.mean(note.velocity for note in timpani) < 60


def test_suspense_harmony_is_minor_with_b2_tritone_and_diminished_chords() -> None:
    qualities: Counter[str] = Counter()
    flat_two = lead_flat_two = 0
    for _, cue in _cues("suspense"):
        tonic = _key(cue).tonic_pc
        for _, _, root, quality in _chord_runs(cue):
            qualities[quality] += 1
            flat_two += (root - tonic) % 12 == 1
        lead_flat_two += sum(1 for degree, _ in _lead_profile(cue) if degree == 1)
    assert flat_two >= len(SEEDS)
    assert qualities["dim7"] + qualities["m7b5"] + qualities["7b5"] >= len(SEEDS)
    assert lead_flat_two >= len(SEEDS)
    # no dominant resolves to the tonic at the end of any cue
    for _, cue in _cues("suspense"):
        tonic = _key(cue).tonic_pc
        (before, quality), (last, _) = _chord(cue.chords[-2][1]), _chord(cue.chords[-1][1])
        assert not ((before - tonic) % 12 == 7 and CHORD_QUALITIES[quality].seventh == 10
                    and last == tonic)


# ---------------------------------------------------------------- Russian lament


def test_russian_lament_is_minor_folk_with_plagal_endings_and_no_drums() -> None:
    major_thirds = notes = 0
    for seed, cue in _cues("russian-lament"):
        key = _key(cue)
        assert key.mode is Mode.MINOR
        tonic = key.tonic_pc
        for _, _, root, quality in _chord_runs(cue):
            if root == tonic:
                assert CHORD_QUALITIES[quality].third == 3, (seed, quality)
        assert _in_scale_share(cue, AEOLIAN | {11}, min_ticks=120) >= 0.9, seed
        degrees = _tonic_chord_degrees(cue)
        major_thirds += degrees[4]
        notes += sum(degrees.values())
        (before, _), (last, _) = _chord(cue.chords[-2][1]), _chord(cue.chords[-1][1])
        assert (before - tonic) % 12 == 5, seed  # plagal iv - i
        assert last == tonic, seed
        assert cue.tracks["Funeral Drum"] == [], seed  # no drums at a lament's mood
        bar = cue.ticks_per_bar
        tremolo = cue.tracks["Balalaika"]
        assert len({note.start_tick for note in tremolo}) >= 12 * (_end(cue) // bar - 1)
        assert statistics.mean(note.end_tick - note.start_tick for note in tremolo) <= TPQ / 4
        # the natural minor's subtonic and mediant chords (the folk bVII - bIII)
        roots = {(root - tonic) % 12 for _, _, root, _ in _chord_runs(cue)}
        assert roots & {3, 10}, seed
    assert major_thirds <= 0.02 * notes


# ---------------------------------------------------------------- Russian nightclub


def test_russian_nightclub_accelerates_in_harmonic_minor() -> None:
    leading_tones = 0
    for seed, cue in _cues("russian-nightclub"):
        bpms = [bpm for _, bpm in cue.tempos_bpm]
        assert bpms[-1] > bpms[0] * 1.15, seed
        assert all(later >= earlier - 0.01 for earlier, later in zip(bpms, bpms[1:],
                                                                     strict=False)), seed
        assert max(bpms) == bpms[-1]  # no ritardando
        key = _key(cue)
        assert key.mode is Mode.MINOR
        tonic = key.tonic_pc
        runs = _chord_runs(cue)
        functions = [((root - tonic) % 12, CHORD_QUALITIES[quality]) for _, _, root, quality
                     in runs]
        assert any(degree == 7 and chord.third == 4 and chord.seventh == 10
                   for degree, chord in functions), seed  # the harmonic minor's V7
        assert any(degree == 5 and chord.third == 3 for degree, chord in functions), seed  # iv
        assert any(degree in (2, 8) for degree, _ in functions), seed  # ii(half-dim) or VI
        assert _in_scale_share(cue, HARMONIC_MINOR, min_ticks=60) >= 0.8, seed
        leading_tones += sum(1 for degree, _ in _lead_profile(cue) if degree == 11)
        bar = cue.ticks_per_bar
        bass = _onsets_by_bar(cue.tracks["Bass"], bar)
        guitar = _onsets_by_bar(cue.tracks["Seven-String Guitar"], bar)
        for number in _body_bars(cue, ("verse",)):
            assert bass[number] == {0, TPQ}, (seed, number)  # oom on the beats
            assert all(tick % TPQ for tick in guitar[number]), (seed, number)  # pah off them
    assert leading_tones >= 2 * len(SEEDS)


# ---------------------------------------------------------------- hora


def test_hora_limps_in_three_eight_on_freygish() -> None:
    flat_two = major_third = minor_third = tonic_notes = 0
    for seed, cue in _cues("hora"):
        key = _key(cue)
        assert key == _seed_key("hora", seed)  # freygish in either mode's key signature
        tonic = key.tonic_pc
        bar = cue.ticks_per_bar
        assert bar == 3 * TPQ // 2
        accordion = _onsets_by_bar(cue.tracks["Accordion"], bar)
        bass = _onsets_by_bar(cue.tracks["Bass"], bar)
        for number in _body_bars(cue):
            assert accordion[number] == {0, TPQ}, (seed, number)  # long (2 eighths), short (1)
            assert bass[number] == {0, TPQ}, (seed, number)  # on beats 1 and 3
        poyk = [note for note in cue.tracks["Poyk"] if note.pitch == GM_DRUMS["kick"]]
        assert {note.start_tick % bar for note in poyk} <= {0, TPQ}, seed  # poyk: 1 and 3
        # the freygish tonic chord is major; iv, bII and bvii around it
        runs = _chord_runs(cue)
        for _, _, root, quality in runs:
            if root == tonic:
                assert CHORD_QUALITIES[quality].third == 4, (seed, quality)
        degrees = {(root - tonic) % 12 for _, _, root, _ in runs}
        assert 5 in degrees, (seed, degrees)  # iv
        assert {1, 10} & degrees, (seed, degrees)  # bII or bvii
        assert _in_scale_share(cue, FREYGISH, min_ticks=60) >= 0.85, seed
        counted = _tonic_chord_degrees(cue, min_ticks=60)
        flat_two += counted[1]
        major_third += counted[4]
        minor_third += counted[3]
        tonic_notes += sum(counted.values())
    assert flat_two >= 0.05 * tonic_notes  # the b2 of the mode over the major tonic chord
    assert major_third >= 0.08 * tonic_notes
    assert minor_third <= 0.03 * tonic_notes


def test_hora_lead_is_ornamented() -> None:
    graces = notes = 0
    for _, cue in _cues("hora"):
        lead = cue.lead()
        notes += len(lead)
        graces += sum(1 for note in lead if note.end_tick - note.start_tick < 40)
    assert graces >= 0.03 * notes


# ---------------------------------------------------------------- tarantella


def test_tarantella_is_six_eight_minor_then_major_and_accelerating() -> None:
    minor_strain: Counter[int] = Counter()
    major_strain: Counter[int] = Counter()
    for seed, cue in _cues("tarantella"):
        bpms = [bpm for _, bpm in cue.tempos_bpm]
        assert bpms[-1] > bpms[0] * 1.15, seed
        assert max(bpms) == bpms[-1]
        key = _key(cue)
        tonic = key.tonic_pc
        bar = cue.ticks_per_bar
        assert bar == 6 * TPQ // 2
        for start, _, root, quality in _chord_runs(cue):
            if root != tonic or start // bar == _end(cue) // bar - 1:
                continue
            section = _section_of(cue, start // bar)
            if section in ("A", "B"):
                assert CHORD_QUALITIES[quality].third == (3 if section == "A" else 4), seed
        minor_strain.update(degree for degree, _ in
                            _lead_profile(cue, bars=_body_bars(cue, ("A",)), min_ticks=60))
        major_strain.update(degree for degree, _ in
                            _lead_profile(cue, bars=_body_bars(cue, ("B",)), min_ticks=60))
        bass = _onsets_by_bar(cue.tracks["Bass"], bar)
        accordion = _onsets_by_bar(cue.tracks["Accordion"], bar)
        for number in _body_bars(cue):
            assert bass[number] <= {0, bar // 2}, (seed, number)  # the two dotted quarters
            assert not accordion[number] & {0, bar // 2}, (seed, number)  # off the beats
        drums = {note.pitch for note in cue.tracks["Percussion"]}
        assert GM_DRUMS["tambourine"] in drums
    assert minor_strain[3] > 3 * minor_strain[4]
    assert major_strain[4] > 3 * major_strain[3]
