"""Smoke test of the mood-fit measurements (``benchmarks/mood_fit.py``) on hand-made MIDI files."""

from __future__ import annotations

import importlib.util
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import mido
import pytest

_MOOD_FIT = Path(__file__).resolve().parent.parent / "benchmarks" / "mood_fit.py"


def _load_mood_fit() -> ModuleType:
    """Import ``benchmarks/mood_fit.py`` by path (``benchmarks`` need not be on ``sys.path``)."""
    spec = importlib.util.spec_from_file_location("benchmarks_mood_fit", _MOOD_FIT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being created
    spec.loader.exec_module(module)
    return module


mood_fit = _load_mood_fit()

TICKS = 480

# (start in quarter notes, length in quarter notes, pitches)
Block = tuple[float, float, Sequence[int]]


def write_midi(
    path: Path,
    blocks: Sequence[Block],
    *,
    bpm: float = 120.0,
    velocity: int = 80,
    drums: Sequence[Block] = (),
) -> Path:
    """A type-1 file: conductor (tempo, 4/4), one piano track of ``blocks``, optional drums."""
    midi = mido.MidiFile(type=1, ticks_per_beat=TICKS)
    conductor = mido.MidiTrack(
        [
            mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(bpm), time=0),
            mido.MetaMessage("time_signature", numerator=4, denominator=4, time=0),
        ]
    )
    midi.tracks.append(conductor)
    for channel, content in ((0, blocks), (9, drums)):
        if not content:
            continue
        events: list[tuple[int, int, mido.Message]] = []
        for start, length, pitches in content:
            on, off = round(start * TICKS), round((start + length) * TICKS)
            for pitch in pitches:
                events.append(
                    (on, 1, mido.Message("note_on", note=pitch, velocity=velocity, channel=channel))
                )
                events.append((off, 0, mido.Message("note_off", note=pitch, channel=channel)))
        track = mido.MidiTrack([mido.Message("program_change", program=0, channel=channel)])
        previous = 0
        for tick, _, message in sorted(events, key=lambda event: (event[0], event[1])):
            track.append(message.copy(time=tick - previous))
            previous = tick
        midi.tracks.append(track)
    midi.save(str(path))
    return path


def test_major_triad_measures_higher_valence_than_minor(tmp_path: Path) -> None:
    major = mood_fit.measure_file(write_midi(tmp_path / "major.mid", [(0, 8, (60, 64, 67))]))
    minor = mood_fit.measure_file(write_midi(tmp_path / "minor.mid", [(0, 8, (60, 63, 67))]))
    assert major.valence > 0 > minor.valence
    assert major.key == "C major"
    assert minor.key == "C minor"


def test_cluster_measures_more_dissonance_than_triad(tmp_path: Path) -> None:
    triad = mood_fit.measure_file(write_midi(tmp_path / "triad.mid", [(0, 4, (60, 64, 67))]))
    cluster = mood_fit.measure_file(write_midi(tmp_path / "cluster.mid", [(0, 4, (60, 61, 62))]))
    assert cluster.dissonance > triad.dissonance
    assert triad.dissonance == pytest.approx(0.187, abs=0.01)
    assert cluster.tension > triad.tension


def test_more_notes_per_second_measures_higher_density(tmp_path: Path) -> None:
    drums = [(beat, 0.25, (36,)) for beat in range(8)]  # drums never count
    sparse = [(beat, 2.0, (60,)) for beat in range(0, 8, 2)]
    dense = [(beat / 2, 0.5, (60,)) for beat in range(16)]
    slow = mood_fit.measure_file(write_midi(tmp_path / "sparse.mid", sparse, drums=drums))
    fast = mood_fit.measure_file(write_midi(tmp_path / "dense.mid", dense, drums=drums))
    assert slow.seconds == pytest.approx(4.0)  # 8 quarters at 120 bpm
    assert slow.notes_per_second == pytest.approx(1.0)
    assert fast.notes_per_second == pytest.approx(4.0)
    assert fast.arousal > slow.arousal


def test_tempo_is_time_weighted_and_velocity_is_read(tmp_path: Path) -> None:
    path = write_midi(tmp_path / "tempo.mid", [(0, 8, (60,))], bpm=90, velocity=100)
    notes = mood_fit.read_midi(path)
    assert mood_fit.tempo_bpm(notes) == pytest.approx(90.0, rel=1e-3)
    assert mood_fit.loudness(notes) == pytest.approx(100.0)


def test_spearman_matches_definition() -> None:
    assert mood_fit.spearman([1, 2, 3, 4], [10, 20, 40, 30]) == pytest.approx(0.8)
    assert mood_fit.spearman([1, 2, 2, 3], [3, 2, 2, 1]) == pytest.approx(-1.0)
    assert math.isnan(mood_fit.spearman([1, 1, 1], [1, 2, 3]))


def test_notes_outside_the_key_measure_as_chromatic(tmp_path: Path) -> None:
    scale = [(beat, 1.0, (pitch,)) for beat, pitch in enumerate((60, 62, 64, 65, 67, 69, 71, 72))]
    bent = [*scale, (8, 1.0, (61,)), (9, 1.0, (66,))]  # C# and F# are outside C major
    plain = mood_fit.measure_file(write_midi(tmp_path / "scale.mid", scale))
    chromatic = mood_fit.measure_file(write_midi(tmp_path / "chromatic.mid", bent))
    assert plain.chromaticism == pytest.approx(0.0)
    assert chromatic.chromaticism == pytest.approx(0.2)


# ---------------------------------------------------------------- lead likeness


def _load_lead_likeness() -> ModuleType:
    path = Path(__file__).resolve().parent.parent / "benchmarks" / "lead_likeness.py"
    spec = importlib.util.spec_from_file_location("benchmarks_lead_likeness", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


lead_likeness = _load_lead_likeness()


def test_quantiser_keeps_swing_where_the_transcribers_put_it() -> None:
    import numpy as np

    quantise = lead_likeness.quantise_like_transcribers
    # 2:1 swing: the off-beat at 2/3 of the beat (triplet); straight eighths stay at 1/2;
    # a 3:1 swing lands on the fourth sixteenth; a lone downbeat stays put
    onsets = np.array([0.0, 0.668, 1.0, 1.5, 2.0, 2.748, 3.01])
    assert quantise(onsets).tolist() == pytest.approx([0.0, 2 / 3, 1.0, 1.5, 2.0, 0.75 + 2, 3.0])
    # sixteenths stay sixteenths, triplets stay triplets
    runs = np.array([4.0, 4.25, 4.5, 4.75, 5.0, 5.333, 5.667])
    expected = [4.0, 4.25, 4.5, 4.75, 5.0, 5 + 1 / 3, 5 + 2 / 3]
    assert quantise(runs).tolist() == pytest.approx(expected)


def test_chord_tone_share_is_undefined_without_chords() -> None:
    note = lead_likeness.LineNote
    line = [note(float(i), 0.5, 60 + (i % 5), 0, frozenset(), i % 4 in (0, 2)) for i in range(12)]
    assert math.isnan(lead_likeness.features(line)["chord_tones_1_3"])
    with_chords = [
        note(n.onset_beats, n.length_beats, n.pitch, 0, frozenset({0, 4, 7}), n.on_beat_1_or_3)
        for n in line
    ]
    assert 0.0 <= lead_likeness.features(with_chords)["chord_tones_1_3"] <= 1.0


def test_performer_split_baseline_tells_apart_only_what_differs() -> None:
    import numpy as np

    rng = np.random.default_rng(0)
    real = rng.normal(size=(80, 3))
    performers = [f"p{i % 16}" for i in range(80)]
    same = lead_likeness.performer_split_baseline(
        real, performers, rng.normal(size=(200, 3)), np.random.default_rng(1), splits=40
    )
    shifted = lead_likeness.performer_split_baseline(
        real, performers, rng.normal(loc=3.0, size=(200, 3)), np.random.default_rng(1), splits=40
    )
    assert abs(same["real_vs_real"] - 0.5) < 0.08
    assert abs(same["generated_vs_real"] - 0.5) < 0.08
    assert shifted["generated_vs_real"] > 0.9
    assert same["real_vs_real_95"] >= same["real_vs_real"]


def test_chord_symbols_are_read_as_music21_reads_them() -> None:
    """Every chord quality soundtrack writes is read as 1-3-5(-7) tones that music21's own
    ChordSymbol sounds; an add9 chord has no seventh."""
    from music21 import harmony

    from soundtrack.styles.schema import CHORD_QUALITIES

    for quality in CHORD_QUALITIES.values():
        for root in ("C", "B-", "F#"):
            symbol = root + quality.suffix
            tones = lead_likeness.chord_symbol_tones(symbol)
            sounding = {pitch.pitchClass for pitch in harmony.ChordSymbol(symbol).pitches}
            assert len(tones) == (3 if quality.seventh is None else 4), symbol
            assert tones <= sounding, symbol
    assert lead_likeness.chord_symbol_tones("Cadd9") == frozenset({0, 4, 7})
    assert lead_likeness.chord_symbol_tones("B-7/D") == frozenset({10, 2, 5, 8})
    assert lead_likeness.chord_symbol_tones("not a chord") == frozenset()
