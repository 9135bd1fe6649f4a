"""How close are the saxophone leads a user gets to real jazz solos?

Composes cues of the jazz-family styles (``swing``, ``bebop``, ``blues-shuffle``, ``ballad``)
through the real pipeline, as ``soundtrack cue`` does (``plan_sketch`` -> ``score_cue`` ->
``scene_midi`` -> MIDI bytes), over many seeds, tempi across each style's range, moods, keys (major
and minor) and all four saxophones, and measures **only the written MIDI**:

* the lead is the track whose program is a saxophone (GM 64-67);
* chords are the conductor track's chord-symbol ``text`` events (music21 spelling: ``B-maj7``,
  ``F#m7b5``, ``C7b9``...), parsed into root + 1-3-5-7 by :func:`chord_symbol_tones` (cached per
  distinct symbol);
* onsets go to beat positions with the file's ticks per beat and time signature; the lead's
  lay-back is taken off (:func:`estimate_swing`) and each beat's onsets are put on the tatums of
  the beat division that fits them best, as the WJD transcriptions were made
  (:func:`quantise_like_transcribers`): swing stays in the positions, in both corpora;
* phrases are split at rests of :data:`PHRASE_REST_BEATS` beats or more (the real solos use the
  transcribers' phrase annotations; this threshold reproduces their median phrase length when
  applied to the real solos' rests -- see ``--calibrate-rest``).

The features are those of ``../shared/reference/wjd/README.md`` (:func:`features`). The real side
is the Weimar Jazz Database development split (124 saxophone solos). Targets:

1. every feature's generated median inside the real solos' interquartile range;
2. a leave-one-out 1-nearest-neighbour two-sample test on the first seven features (standardised
   on the pooled data; the 112 real solos for which all seven are defined, see
   :func:`features`) cannot tell generated from real better than chance: the larger group is
   subsampled to the size of the smaller, the accuracy is averaged over ``--subsamples`` draws, and
   the threshold is the 95th percentile of the same average under label permutation.

Run: ``python -m benchmarks.lead_likeness [--cues 480] [--json] [--check]``. Reads ``../shared``
(reference data, never read by the package). Weimar Jazz Database: ODbL 1.0.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import io
import json
import math
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import mido
import numpy as np

from soundtrack.export import midi_bytes
from soundtrack.export.midi import scene_midi
from soundtrack.model import Key, Mode, Mood, Saxophone
from soundtrack.pipeline import score_cue
from soundtrack.spotting import plan_sketch
from soundtrack.styles import load_style
from soundtrack.styles.schema import CHORD_QUALITIES, canonical_quality

WJD = Path(__file__).resolve().parents[2] / "shared" / "reference" / "wjd"
STYLES = ("swing", "bebop", "blues-shuffle", "ballad")
FEATURES = (
    "pc_entropy",
    "scale_consistency",
    "mean_abs_interval",
    "chord_tones_1_3",
    "notes_per_beat",
    "run_length",
    "repeated_4grams",
    "phrase_notes",
    "phrase_beats",
)
#: A rest (beats from one note's end to the next onset) at least this long ends a phrase.
PHRASE_REST_BEATS = 0.875
_LETTERS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
_MAJOR = (0, 2, 4, 5, 7, 9, 11)
_SAXOPHONE_PROGRAMS = range(64, 68)


@dataclass(frozen=True, slots=True)
class LineNote:
    """One note of a line: onset and length in beats, MIDI pitch, phrase number, the chord's
    1-3-5-7 pitch classes (empty without a chord) and whether it starts on beat 1 or 3."""

    onset_beats: float
    length_beats: float
    pitch: int
    phrase: int
    chord_tones: frozenset[int]
    on_beat_1_or_3: bool


# ---------------------------------------------------------------- chord symbols


def _root(symbol: str, flat: str) -> tuple[int, str] | None:
    """Root pitch class and the rest of a symbol whose flat sign is ``flat``."""
    if not symbol or symbol[0] not in _LETTERS:
        return None
    root = _LETTERS[symbol[0]]
    rest = symbol[1:]
    while rest[:1] in ("#", flat):
        root += 1 if rest[0] == "#" else -1
        rest = rest[1:]
    return root % 12, rest


def jazzomat_chord_tones(symbol: str) -> frozenset[int]:
    """Pitch classes of the 1-3-5-7 of a Jazzomat chord symbol (``Bb-7``, ``Ebj7``, ``F7``)."""
    parsed = _root(symbol.split("/")[0].strip(), "b")
    if parsed is None:
        return frozenset()
    root, rest = parsed
    minor = rest.startswith("-") or rest.startswith("m7b5")
    diminished = rest.startswith("o")
    half = "m7b5" in rest
    third = 3 if (minor or diminished or half) else 4
    if "sus" in rest:
        third = 5
    fifth = 6 if (diminished or half or "b5" in rest) else 8 if "+" in rest else 7
    tones = {0, third, fifth}
    if "j7" in rest or "j" in rest:
        tones.add(11)
    elif diminished and "7" in rest:
        tones.add(9)
    elif any(digit in rest for digit in ("7", "9", "11", "13")):
        tones.add(10)
    elif "6" in rest:
        tones.add(9)
    return frozenset((root + tone) % 12 for tone in tones)


@cache
def chord_symbol_tones(symbol: str) -> frozenset[int]:
    """Pitch classes of the 1-3-5-7 of a chord symbol as soundtrack writes it (music21 spelling:
    ``B-maj7``, ``F#m7b5``, ``C7b9``, ``Cadd9``; ``/bass`` ignored), read with the package's own
    chord vocabulary (:data:`~soundtrack.styles.schema.CHORD_QUALITIES`): root, third, fifth and
    the seventh or added sixth; triads and ``add9`` chords have no seventh. Empty for anything
    unknown."""
    parsed = _root(symbol.split("/")[0].strip(), "-")
    quality = canonical_quality(parsed[1]) if parsed is not None else None
    if parsed is None or quality is None:
        return frozenset()
    chord = CHORD_QUALITIES[quality]
    tones = (0, chord.third, chord.fifth) + (() if chord.seventh is None else (chord.seventh,))
    return frozenset((parsed[0] + tone) % 12 for tone in tones)


# ---------------------------------------------------------------- real solos


def read_wjd_solo(path: Path) -> list[LineNote]:
    """The notes of one WJD solo CSV (phrases as annotated)."""
    notes: list[LineNote] = []
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            period = int(row["period"])
            division = int(row["division"])
            tatum = int(row["tatum"])
            beat = int(row["beat"])
            onset = int(row["bar"]) * period + beat - 1 + (tatum - 1) / division
            notes.append(
                LineNote(
                    onset_beats=onset,
                    length_beats=float(row["duration"]) / float(row["beat_duration"]),
                    pitch=int(row["pitch"]),
                    phrase=int(row["phrase_id"]),
                    chord_tones=jazzomat_chord_tones(row["chord"]),
                    on_beat_1_or_3=period == 4 and tatum == 1 and beat in (1, 3),
                )
            )
    return notes


def split_phrases(notes: Sequence[LineNote], rest_beats: float) -> list[LineNote]:
    """The notes renumbered into phrases split at rests of ``rest_beats`` or more."""
    result: list[LineNote] = []
    phrase = 0
    for index, note in enumerate(notes):
        if (
            index
            and note.onset_beats - (notes[index - 1].onset_beats + notes[index - 1].length_beats)
            >= rest_beats
        ):
            phrase += 1
        result.append(
            LineNote(
                note.onset_beats,
                note.length_beats,
                note.pitch,
                phrase,
                note.chord_tones,
                note.on_beat_1_or_3,
            )
        )
    return result


# ---------------------------------------------------------------- features


def _runs(intervals: Sequence[int]) -> list[int]:
    """Lengths (in intervals) of the runs in one direction; a repeated note ends a run."""
    runs: list[int] = []
    run = 0
    sign = 0
    for interval in intervals:
        new_sign = (interval > 0) - (interval < 0)
        if new_sign == 0 or new_sign != sign:
            if run:
                runs.append(run)
            run = 1 if new_sign else 0
            sign = new_sign
        else:
            run += 1
    if run:
        runs.append(run)
    return runs


def features(notes: Sequence[LineNote]) -> dict[str, float]:
    """The WJD README's features of one line (at least a few notes).

    ``chord_tones_1_3`` is NaN when no note on beat 1 or 3 has a chord (12 of the 124 real solos:
    free jazz without changes, or not in 4/4); the WJD README's reference figures leave those
    solos out of that feature, and so do the medians and the 1-NN test here."""
    count = len(notes)
    classes = Counter(note.pitch % 12 for note in notes)
    entropy = -sum(c / count * math.log2(c / count) for c in classes.values())
    scale = max(
        sum(c for pc, c in classes.items() if (pc - tonic) % 12 in _MAJOR) for tonic in range(12)
    )
    intervals = [b.pitch - a.pitch for a, b in zip(notes, notes[1:], strict=False)]
    runs = _runs(intervals)
    tokens = [
        (b.pitch - a.pitch, round((b.onset_beats - a.onset_beats) * 4))
        for a, b in zip(notes, notes[1:], strict=False)
    ]
    grams = [tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3)]
    gram_counts = Counter(grams)
    repeated = sum(1 for gram in grams if gram_counts[gram] > 1) / max(1, len(grams))
    strong = [note for note in notes if note.on_beat_1_or_3 and note.chord_tones]
    # undefined (NaN) without a chord under any note on beat 1 or 3: free jazz, other meters
    chord_share = (
        sum(note.pitch % 12 in note.chord_tones for note in strong) / len(strong)
        if strong
        else math.nan
    )
    span = notes[-1].onset_beats + notes[-1].length_beats - notes[0].onset_beats
    phrases: dict[int, list[LineNote]] = {}
    for note in notes:
        phrases.setdefault(note.phrase, []).append(note)
    phrase_notes = [len(p) for p in phrases.values()]
    phrase_beats = [
        p[-1].onset_beats + p[-1].length_beats - p[0].onset_beats for p in phrases.values()
    ]
    return {
        "pc_entropy": entropy,
        "scale_consistency": scale / count,
        "mean_abs_interval": statistics.fmean(abs(i) for i in intervals),
        "chord_tones_1_3": chord_share,
        "notes_per_beat": count / max(span, 1e-9),
        "run_length": statistics.fmean(runs) if runs else 0.0,
        "repeated_4grams": repeated,
        "phrase_notes": statistics.median(phrase_notes),
        "phrase_beats": statistics.median(phrase_beats),
    }


# ---------------------------------------------------------------- written MIDI


@dataclass(frozen=True, slots=True)
class WrittenLead:
    """What the benchmark reads from one written file: the saxophone's notes as (start tick,
    end tick, pitch), the chord symbols as (tick, text), ticks per beat and beats per bar."""

    notes: list[tuple[int, int, int]]
    chords: list[tuple[int, str]]
    ticks_per_beat: int
    beats_per_bar: int
    program: int


def read_written_lead(data: bytes) -> WrittenLead:
    """The saxophone track (GM program 64-67) and the conductor's chord symbols of MIDI bytes."""
    midi = mido.MidiFile(file=io.BytesIO(data))
    chords: list[tuple[int, str]] = []
    numerator, denominator = 4, 4
    lead: list[tuple[int, int, int]] = []
    program = -1
    for index, track in enumerate(midi.tracks):
        tick = 0
        sounding: dict[tuple[int, int], int] = {}
        notes: list[tuple[int, int, int]] = []
        track_program = -1
        for message in track:
            tick += message.time
            kind = message.type
            if kind == "text" and index == 0:
                chords.append((tick, message.text))
            elif kind == "time_signature" and index == 0 and tick == 0:
                numerator, denominator = message.numerator, message.denominator
            elif kind == "program_change":
                track_program = message.program
            elif kind == "note_on" and message.velocity > 0:
                sounding[(message.channel, message.note)] = tick
            elif kind in ("note_off", "note_on") and (message.channel, message.note) in sounding:
                start = sounding.pop((message.channel, message.note))
                notes.append((start, tick, message.note))
        if track_program in _SAXOPHONE_PROGRAMS:
            lead = sorted(notes)
            program = track_program
    ticks_per_beat = midi.ticks_per_beat * 4 // denominator
    return WrittenLead(lead, sorted(chords), ticks_per_beat, numerator, program)


def _unswing(position: np.ndarray, swung_half: float) -> np.ndarray:
    """Straight positions (fractions of a beat, 0..1) of swung ones: the off-beat eighth sits at
    ``swung_half``; 0..swung_half maps to 0..1/2 and swung_half..1 to 1/2..1."""
    return np.where(
        position <= swung_half,
        position * 0.5 / swung_half,
        0.5 + (position - swung_half) * 0.5 / (1.0 - swung_half),
    )


def estimate_swing(onsets_beats: np.ndarray) -> tuple[float, float]:
    """Swing ratio (long:short eighths, 1-3.5) and lay-back (beats, 0-0.15) that put the onsets
    closest to a straight 16th grid (least mean distance; ties to the straighter, earlier)."""
    best = (math.inf, 1.0, 0.0)
    for lay_back in np.arange(0.0, 0.151, 0.0125):
        shifted = onsets_beats - lay_back
        position = shifted - np.floor(shifted)
        for ratio in np.arange(1.0, 3.51, 0.05):
            straight = _unswing(position, ratio / (1.0 + ratio)) * 4
            error = float(np.abs(straight - np.round(straight)).mean())
            if error < best[0] - 1e-9:
                best = (error, float(ratio), float(lay_back))
    return best[1], best[2]


#: Beat divisions the transcriber's quantiser may choose, simplest first (WJD: 1-36; these cover
#: 99% of its notes' beats: 4 30%, 2 28%, 3 14%, 6 11%, 1 7%, 8 4%).
DIVISIONS = (1, 2, 3, 4, 6, 8)
#: Extra error (beats) a division must save per step up :data:`DIVISIONS` to be chosen.
DIVISION_PENALTY = 0.004


def quantise_like_transcribers(onsets_beats: np.ndarray) -> np.ndarray:
    """Onsets (beats, sorted) put on metrical positions as the WJD transcriptions are: each beat
    gets the division (:data:`DIVISIONS`) that best fits its onsets, and each onset the nearest
    tatum of it. Swing stays as it was played: a 2:1 off-beat eighth lands on the third triplet
    tatum, a 3:1 one on the fourth sixteenth, just as the real solos' are annotated."""
    result = onsets_beats.copy()
    beats = np.floor(onsets_beats + 1e-9)
    for beat in np.unique(beats):
        members = np.flatnonzero(beats == beat)
        within = onsets_beats[members] - beat
        best_cost, best_positions = math.inf, within
        for rank, division in enumerate(DIVISIONS):
            positions = np.round(within * division) / division
            cost = float(np.abs(positions - within).mean()) + DIVISION_PENALTY * rank
            if cost < best_cost - 1e-12:
                best_cost, best_positions = cost, positions
        result[members] = beat + best_positions
    return result


def written_line(lead: WrittenLead) -> tuple[list[LineNote], float]:
    """The lead of a written file as a line (the lead's lay-back taken off, onsets quantised as
    the real solos' are, :func:`quantise_like_transcribers`; phrases split at rests of
    :data:`PHRASE_REST_BEATS`) and the swing ratio found (:func:`estimate_swing`)."""
    beat = lead.ticks_per_beat
    starts = np.array([note[0] for note in lead.notes], dtype=float) / beat
    ratio, lay_back = estimate_swing(starts)
    onsets = quantise_like_transcribers(starts - lay_back)
    chord_ticks = [tick for tick, _ in lead.chords]
    line: list[LineNote] = []
    for (start, end, pitch), onset in zip(lead.notes, onsets, strict=True):
        index = bisect.bisect_right(chord_ticks, start) - 1
        tones = chord_symbol_tones(lead.chords[index][1]) if index >= 0 else frozenset()
        in_bar = float(onset) % lead.beats_per_bar
        line.append(
            LineNote(
                onset_beats=float(onset),
                length_beats=(end - start) / beat,
                pitch=pitch,
                phrase=0,
                chord_tones=tones,
                on_beat_1_or_3=lead.beats_per_bar == 4 and in_bar in (0.0, 2.0),
            )
        )
    return split_phrases(line, PHRASE_REST_BEATS), ratio


# ---------------------------------------------------------------- generated leads

_MOODS = tuple(
    Mood(valence=valence, arousal=arousal, tension=tension)
    for valence, arousal, tension in (
        (0.5, 0.5, 0.1),
        (0.3, 0.4, 0.2),
        (0.2, 0.6, 0.3),
        (0.1, 0.8, 0.5),
        (-0.2, 0.3, 0.3),
        (-0.4, 0.5, 0.6),
        (0.6, 0.7, 0.2),
        (-0.1, 0.2, 0.4),
    )
)
_SAXOPHONES = (Saxophone.ALTO, Saxophone.TENOR, Saxophone.SOPRANO, Saxophone.BARITONE)


@dataclass(frozen=True, slots=True)
class GeneratedCue:
    """One generated cue's settings, features and the swing ratio read back."""

    style: str
    seed: int
    tempo_bpm: float
    saxophone: str
    notes: int
    swing_ratio: float
    features: dict[str, float]


def generated(cues: int, styles: Sequence[str] = STYLES) -> list[GeneratedCue]:
    """Compose, write and read back ``cues`` cues: the styles in turn; tempi spread (golden-ratio
    sequence) over each style's range; moods, keys (12 tonics x major/minor) and saxophones
    cycled with different periods; one to three choruses of the style's form."""
    loaded = [load_style(style_id) for style_id in styles]
    result: list[GeneratedCue] = []
    for seed in range(cues):
        style = loaded[seed % len(loaded)]
        turn = seed // len(loaded)
        fraction = (turn * 0.618034 + 0.3 * (seed % len(loaded))) % 1.0
        tempo = style.tempo_min_bpm + fraction * (style.tempo_max_bpm - style.tempo_min_bpm)
        form_bars = sum(section.bars for section in style.form)
        key = Key(tonic_pc=(turn * 7) % 12, mode=Mode.MINOR if turn % 3 == 1 else Mode.MAJOR)
        saxophone = _SAXOPHONES[(turn + seed) % len(_SAXOPHONES)]
        spec = plan_sketch(
            style,
            mood=_MOODS[(turn * 3 + seed) % len(_MOODS)],
            bars=form_bars * (1 + turn % 3),
            key=key,
            tempo_bpm=tempo,
            lead=saxophone,
        )
        lead = read_written_lead(midi_bytes(scene_midi(score_cue(spec, seed))))
        if len(lead.notes) < 8:
            continue
        line, ratio = written_line(lead)
        result.append(
            GeneratedCue(style.id, seed, tempo, saxophone.value, len(line), ratio, features(line))
        )
    return result


# ---------------------------------------------------------------- the two-sample test


def _nearest_neighbours(data: np.ndarray) -> np.ndarray:
    """For each row of ``data`` (standardised here on all rows), the index of its nearest other
    row (Euclidean)."""
    data = (data - data.mean(axis=0)) / (data.std(axis=0) + 1e-12)
    distances = np.linalg.norm(data[:, None, :] - data[None, :, :], axis=2)
    np.fill_diagonal(distances, np.inf)
    nearest: np.ndarray = distances.argmin(axis=1)
    return nearest


def one_nn_test(
    a: np.ndarray,
    b: np.ndarray,
    rng: np.random.Generator,
    *,
    subsamples: int = 10,
    permutations: int = 1000,
) -> tuple[float, float]:
    """Leave-one-out 1-NN accuracy telling ``a`` from ``b`` and its permutation 95% threshold.

    The larger group is subsampled to the smaller's size (``subsamples`` draws; one when equal);
    each draw is standardised on its pooled data; the accuracy is the mean over the draws, and
    the null distribution is the same mean with labels permuted within each draw.
    """
    size = min(len(a), len(b))
    draws = subsamples if len(a) != len(b) else 1
    labels = np.array([0] * size + [1] * size)
    nearests: list[np.ndarray] = []
    for _ in range(draws):
        pick_a = a[rng.choice(len(a), size, replace=False)] if len(a) > size else a
        pick_b = b[rng.choice(len(b), size, replace=False)] if len(b) > size else b
        nearests.append(_nearest_neighbours(np.vstack([pick_a, pick_b])))

    def accuracy(permute: bool) -> float:
        total = 0.0
        for nearest in nearests:
            lab = rng.permutation(labels) if permute else labels
            total += float((lab[nearest] == lab).mean())
        return total / len(nearests)

    null = [accuracy(True) for _ in range(permutations)]
    return accuracy(False), float(np.percentile(null, 95))


def _one_nn_accuracy(a: np.ndarray, b: np.ndarray) -> float:
    """Leave-one-out 1-NN accuracy telling two equal-sized groups apart (pooled standardising)."""
    labels = np.array([0] * len(a) + [1] * len(b))
    return float((labels[_nearest_neighbours(np.vstack([a, b]))] == labels).mean())


def performer_split_baseline(
    real: np.ndarray,
    performers: Sequence[str],
    generated_rows: np.ndarray,
    rng: np.random.Generator,
    *,
    splits: int = 200,
) -> dict[str, float]:
    """How well 1-NN tells real players from *other* real players, and generated lines from them.

    The permutation threshold of :func:`one_nn_test` assumes the real solos are exchangeable, but
    they cluster by performer (a solo's nearest neighbour is by the same player 15% of the time
    against 4.5% by chance). Here the performers are split at random into two halves, ``splits``
    times; each time the larger half is subsampled to the smaller's size ``n`` and the 1-NN
    accuracy of half A against half B is taken (real against real), and that of ``n``
    generated lines against half A and against half B (generated against real).

    Returns:
        ``real_vs_real`` (mean accuracy), ``real_vs_real_95`` (its 95th percentile over the
        splits), ``generated_vs_real`` (mean accuracy) and ``size`` (mean ``n``).
    """
    names = sorted(set(performers))
    owner = np.array(performers)
    real_real: list[float] = []
    fake_real: list[float] = []
    sizes: list[int] = []
    for _ in range(splits):
        half = set(rng.permutation(names)[: len(names) // 2].tolist())
        in_a = np.array([name in half for name in owner])
        group_a, group_b = real[in_a], real[~in_a]
        size = min(len(group_a), len(group_b))
        sizes.append(size)
        pick_a = group_a[rng.choice(len(group_a), size, replace=False)]
        pick_b = group_b[rng.choice(len(group_b), size, replace=False)]
        real_real.append(_one_nn_accuracy(pick_a, pick_b))
        for group in (pick_a, pick_b):
            fake = generated_rows[rng.choice(len(generated_rows), size, replace=False)]
            fake_real.append(_one_nn_accuracy(group, fake))
    return {
        "real_vs_real": float(np.mean(real_real)),
        "real_vs_real_95": float(np.percentile(real_real, 95)),
        "generated_vs_real": float(np.mean(fake_real)),
        "size": float(np.mean(sizes)),
    }


def wjd_performers(paths: Sequence[Path]) -> list[str]:
    """The performer of each WJD solo file (from ``dev_solos.csv``; file names differ in case)."""
    with (WJD / "dev_solos.csv").open(newline="") as handle:
        by_solo = {row["solo"].lower(): row["performer"] for row in csv.DictReader(handle)}
    return [by_solo.get(path.stem.lower(), path.stem) for path in paths]


# ---------------------------------------------------------------- report


def calibrate_rest(real_solos: Sequence[Sequence[LineNote]]) -> list[tuple[float, float, float]]:
    """(rest threshold, median of solos' median phrase notes, ... beats) on the real solos'
    own rests, to compare with their annotated phrases."""
    rows = []
    for rest in (0.5, 0.75, 0.875, 1.0, 1.25, 1.5, 2.0):
        split = [features(split_phrases(solo, rest)) for solo in real_solos]
        rows.append(
            (
                rest,
                statistics.median(row["phrase_notes"] for row in split),
                statistics.median(row["phrase_beats"] for row in split),
            )
        )
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Print real vs generated feature medians, the 1-NN test and PASS/FAIL per target."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cues", type=int, default=480, help="generated cues (default 480)")
    parser.add_argument("--styles", default=",".join(STYLES), help="comma-separated style ids")
    parser.add_argument("--subsamples", type=int, default=10)
    parser.add_argument("--by-style", action="store_true", help="medians per style too")
    parser.add_argument("--calibrate-rest", action="store_true", help="phrase-rest thresholds")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    paths = sorted((WJD / "dev").glob("*.csv"))
    solos = [read_wjd_solo(path) for path in paths]
    real = [features(solo) for solo in solos]
    performers = wjd_performers(paths)
    began = time.perf_counter()
    fake = generated(args.cues, args.styles.split(","))
    seconds = time.perf_counter() - began
    quartiles: dict[str, tuple[list[float], list[float]]] = {}
    for name in FEATURES:
        real_q = np.nanpercentile([row[name] for row in real], [25, 50, 75])
        fake_q = np.nanpercentile([cue.features[name] for cue in fake], [25, 50, 75])
        quartiles[name] = ([float(x) for x in real_q], [float(x) for x in fake_q])
    inside = {name: r[0] <= g[1] <= r[2] for name, (r, g) in quartiles.items()}
    table = {
        name: {"real": r, "generated": g, "median_in_iqr": inside[name]}
        for name, (r, g) in quartiles.items()
    }
    first_seven = FEATURES[:7]
    a = np.array([[row[name] for name in first_seven] for row in real])
    b = np.array([[cue.features[name] for name in first_seven] for cue in fake])
    complete = ~np.isnan(a).any(axis=1)  # solos with every feature
    performers = [name for name, keep in zip(performers, complete, strict=True) if keep]
    a, b = a[complete], b[~np.isnan(b).any(axis=1)]
    accuracy, threshold = one_nn_test(a, b, np.random.default_rng(0), subsamples=args.subsamples)
    baseline = performer_split_baseline(a, performers, b, np.random.default_rng(1))
    medians_pass = all(inside.values())
    nn_pass = accuracy <= threshold
    by_style = {
        style: {
            name: float(np.nanmedian([c.features[name] for c in fake if c.style == style]))
            for name in FEATURES
        }
        for style in args.styles.split(",")
    }
    report = {
        "real_solos": len(real),
        "generated_cues": len(fake),
        "compose_write_read_seconds": seconds,
        "phrase_rest_beats": PHRASE_REST_BEATS,
        "median_swing_ratio_read": float(np.median([c.swing_ratio for c in fake])),
        "features": table,
        "by_style_medians": by_style,
        "one_nn": {"accuracy": accuracy, "threshold_95": threshold, "pass": nn_pass},
        "performer_split_baseline": baseline,
        "medians_in_iqr_pass": medians_pass,
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(
            f"{len(fake)} generated cues ({args.styles}) composed, written and read back in "
            f"{seconds:.1f} s; {len(real)} real solos (WJD dev); phrases split at rests >= "
            f"{PHRASE_REST_BEATS} beat; median swing ratio read "
            f"{report['median_swing_ratio_read']:.2f}"
        )
        print(f"{'feature':18s} {'real median [IQR]':>24s} {'generated median [IQR]':>26s}  in IQR")
        for name, (r, g) in quartiles.items():
            print(
                f"{name:18s} {r[1]:8.3f} [{r[0]:6.3f}-{r[2]:6.3f}]   {g[1]:8.3f} "
                f"[{g[0]:6.3f}-{g[2]:6.3f}]   {'PASS' if inside[name] else 'FAIL'}"
            )
        if args.by_style:
            print(f"{'median by style':18s} " + " ".join(f"{s:>13s}" for s in by_style))
            for name in FEATURES:
                print(f"{name:18s} " + " ".join(f"{by_style[s][name]:13.3f}" for s in by_style))
        if args.calibrate_rest:
            for rest, notes, beats in calibrate_rest(solos):
                print(f"real solos split at rests >= {rest} beat: {notes} notes, {beats:.1f} beats")
        print(f"medians inside the real IQR: {'PASS' if medians_pass else 'FAIL'}")
        print(
            f"1-NN accuracy {accuracy:.3f} vs permutation 95% threshold {threshold:.3f} "
            f"(first seven features, {args.subsamples} subsamples of {min(len(a), len(b))} each): "
            f"{'PASS' if nn_pass else 'FAIL'}"
        )
        print(
            f"performer-split baseline ({baseline['size']:.0f} per group, 200 splits of the "
            f"performers): real players vs other real players {baseline['real_vs_real']:.3f} "
            f"(95th percentile {baseline['real_vs_real_95']:.3f}); generated vs real players "
            f"{baseline['generated_vs_real']:.3f}"
        )
    if args.check and not (medians_pass and nn_pass):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
