"""How close are generated saxophone leads to real jazz solos? (an early measuring tool)

Computes the features of ``../shared/reference/wjd/README.md`` for the real solos of the Weimar
Jazz Database development split and for generated leads of jazz-family styles (each style's
meter, form and progressions, tempi across its range, several moods, keys and saxophones, one to
three choruses, many seeds), prints their medians and quartiles side by side, and runs a
leave-one-out 1-nearest-neighbour two-sample test on the first seven features (standardised),
with a label-permutation 95% threshold.

Run: ``python benchmarks/lead_likeness.py [--styles swing,ballad] [--seeds 60]``. Reads
``../shared`` (reference data, never read by the package). Weimar Jazz Database: ODbL 1.0.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import math
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from soundtrack.compose.harmony import build_chords
from soundtrack.compose.lead import compose_lead, swing_ratio
from soundtrack.model import (
    ChordSymbol,
    CueSpec,
    Key,
    Mood,
    Note,
    Saxophone,
    Section,
    TempoChange,
)
from soundtrack.styles import load_style
from soundtrack.styles.schema import Style

WJD = Path(__file__).resolve().parents[2] / "shared" / "reference" / "wjd"
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
_LETTERS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
_MAJOR = (0, 2, 4, 5, 7, 9, 11)


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


def jazzomat_chord_tones(symbol: str) -> frozenset[int]:
    """Pitch classes of the 1-3-5-7 of a Jazzomat chord symbol (``Bb-7``, ``Ebj7``, ``F7``)."""
    symbol = symbol.split("/")[0].strip()
    if not symbol or symbol == "NC" or symbol[0] not in _LETTERS:
        return frozenset()
    root = _LETTERS[symbol[0]]
    rest = symbol[1:]
    while rest[:1] in ("#", "b"):
        root += 1 if rest[0] == "#" else -1
        rest = rest[1:]
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


def read_wjd_solo(path: Path) -> list[LineNote]:
    """The notes of one WJD solo CSV."""
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


def features(notes: Sequence[LineNote]) -> dict[str, float]:
    """The WJD README's features of one line (at least a few notes)."""
    count = len(notes)
    classes = Counter(note.pitch % 12 for note in notes)
    entropy = -sum(c / count * math.log2(c / count) for c in classes.values())
    scale = max(
        sum(c for pc, c in classes.items() if (pc - tonic) % 12 in _MAJOR) for tonic in range(12)
    )
    intervals = [b.pitch - a.pitch for a, b in zip(notes, notes[1:], strict=False)]
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
    tokens = [
        (b.pitch - a.pitch, round((b.onset_beats - a.onset_beats) * 4))
        for a, b in zip(notes, notes[1:], strict=False)
    ]
    grams = [tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3)]
    gram_counts = Counter(grams)
    repeated = sum(1 for gram in grams if gram_counts[gram] > 1) / max(1, len(grams))
    strong = [note for note in notes if note.on_beat_1_or_3 and note.chord_tones]
    chord_share = sum(note.pitch % 12 in note.chord_tones for note in strong) / max(1, len(strong))
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


# ---------------------------------------------------------------- generated leads


def make_tune(
    style: Style,
    *,
    tempo_bpm: float,
    mood: Mood,
    tonic_pc: int,
    lead: Saxophone,
    bars: int,
    seed: int,
) -> tuple[CueSpec, list[ChordSymbol]]:
    """A cue in the style's meter and form: its spec and the chord symbols of the style's own
    progressions (:func:`soundtrack.compose.harmony.build_chords`)."""
    meter = style.meter
    sections: list[Section] = []
    bar = index = 0
    while bar < bars:
        form = style.form[index % len(style.form)]
        sections.append(Section(name=form.name, start_bar=bar, bars=min(form.bars, bars - bar)))
        bar += form.bars
        index += 1
    quarter_bpm = tempo_bpm * meter.pulse_ticks / 480
    spec = CueSpec(
        cue_id="1M1",
        beat_id="bench",
        beat_index=0,
        title="bench",
        style=style.id,
        key=Key(tonic_pc=tonic_pc, mode=style.modes[0]),
        meter=meter,
        tempo_bpm=tempo_bpm,
        tempo_map=(TempoChange(start_tick=0, microseconds_per_quarter=round(6e7 / quarter_bpm)),),
        bars=bars,
        end_tick=bars * meter.bar_ticks,
        sections=tuple(sections),
        hits=(),
        mood=mood,
        bar_moods=tuple(mood for _ in range(bars)),
        lead=lead,
        start_seconds=0.0,
        duration_seconds=bars * meter.bar_ticks / meter.pulse_ticks * 60 / tempo_bpm,
    )
    return spec, list(build_chords(spec, style, rng=np.random.default_rng(1000 + seed)))


def _unswing(tick: int, ratio: float) -> float:
    """The straight position (ticks) of a swung tick (inverse of the lead's swing)."""
    quarter = 480
    within = tick % quarter
    swung = quarter * ratio / (1.0 + ratio)
    if within <= swung:
        return tick - within + within * (quarter / 2) / swung
    return tick - within + quarter / 2 + (within - swung) * (quarter / 2) / (quarter - swung)


def part_line(
    spec: CueSpec, chords: Sequence[ChordSymbol], notes: Sequence[Note], *, ratio: float = 1.0
) -> list[LineNote]:
    """A generated part's notes as a line (swing undone with ``ratio``, onsets on the nearest
    16th), phrases split at rests of 3/4 beat or more."""
    pulse = spec.meter.pulse_ticks
    starts = [chord.start_tick for chord in chords]
    line: list[LineNote] = []
    phrase = 0
    previous_end: int | None = None
    for note in notes:
        start = note.start_tick
        end = note.end_tick
        if previous_end is not None and start - previous_end >= 0.75 * pulse:
            phrase += 1
        previous_end = end
        chord = chords[max(0, bisect.bisect_right(starts, start) - 1)]
        beats = round(_unswing(start, ratio) / pulse * 4) / 4
        line.append(
            LineNote(
                onset_beats=beats,
                length_beats=(end - start) / pulse,
                pitch=note.pitch,
                phrase=phrase,
                chord_tones=frozenset(chord.pitch_classes[:4]),
                on_beat_1_or_3=beats % 4 in (0.0, 2.0),
            )
        )
    return line


def generated(styles: Sequence[Style], seeds: int) -> list[dict[str, float]]:
    """Features of generated leads: the styles in turn, tempi spread over each style's range,
    several moods, keys and saxophones, one to three choruses (real solos have a median of
    about 430 notes)."""
    rows: list[dict[str, float]] = []
    moods = (
        Mood(valence=0.3, arousal=0.4, tension=0.2),
        Mood(valence=0.2, arousal=0.6, tension=0.3),
        Mood(valence=0.1, arousal=0.8, tension=0.5),
        Mood(valence=-0.2, arousal=0.3, tension=0.3),
    )
    saxes = (Saxophone.ALTO, Saxophone.TENOR)
    for seed in range(seeds):
        style = styles[seed % len(styles)]
        fraction = (seed * 0.381966) % 1.0
        tempo = style.tempo_min_bpm + fraction * (style.tempo_max_bpm - style.tempo_min_bpm)
        form_bars = sum(section.bars for section in style.form)
        spec, chords = make_tune(
            style,
            tempo_bpm=tempo,
            mood=moods[seed % len(moods)],
            tonic_pc=(seed * 5) % 12,
            lead=saxes[seed % 2],
            bars=form_bars * (1 + seed % 3),
            seed=seed,
        )
        part = compose_lead(spec, style, chords, rng=np.random.default_rng(seed))
        amount = style.lead.swing_amount * (style.swing if style.swing > 0 else 1.0)
        quarter_bpm = tempo * style.meter.pulse_ticks / 480
        ratio = swing_ratio(quarter_bpm, amount) if style.lead.swing else 1.0
        rows.append(features(part_line(spec, chords, part.notes, ratio=ratio)))
    return rows


def one_nn_accuracy(a: np.ndarray, b: np.ndarray, rng: np.random.Generator) -> tuple[float, float]:
    """Leave-one-out 1-NN accuracy telling ``a`` from ``b`` and its permutation 95% threshold."""
    data = np.vstack([a, b])
    data = (data - data.mean(axis=0)) / (data.std(axis=0) + 1e-12)
    labels = np.array([0] * len(a) + [1] * len(b))
    distances = np.linalg.norm(data[:, None, :] - data[None, :, :], axis=2)
    np.fill_diagonal(distances, np.inf)
    nearest = distances.argmin(axis=1)

    def accuracy(lab: np.ndarray) -> float:
        return float((lab[nearest] == lab).mean())

    null = [accuracy(rng.permutation(labels)) for _ in range(500)]
    return accuracy(labels), float(np.percentile(null, 95))


def main(argv: Sequence[str] | None = None) -> int:
    """Print real vs generated feature medians and the 1-NN test."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--styles", default="swing,ballad", help="comma-separated style ids")
    parser.add_argument("--seeds", type=int, default=60)
    args = parser.parse_args(argv)
    real = [features(read_wjd_solo(path)) for path in sorted((WJD / "dev").glob("*.csv"))]
    styles = [load_style(style_id) for style_id in args.styles.split(",")]
    began = time.perf_counter()
    fake = generated(styles, args.seeds)
    seconds = time.perf_counter() - began
    names = ", ".join(f"{style.id} ({style.description[:40]})" for style in styles)
    print(f"styles {names}; {len(fake)} leads in {seconds:.2f} s")
    print(f"{'feature':20s} {'real median [IQR]':>24s} {'generated median [IQR]':>26s}  in IQR")
    for name in FEATURES:
        r = np.percentile([row[name] for row in real], [25, 50, 75])
        g = np.percentile([row[name] for row in fake], [25, 50, 75])
        inside = "yes" if r[0] <= g[1] <= r[2] else "NO"
        print(
            f"{name:20s} {r[1]:8.3f} [{r[0]:.3f}-{r[2]:.3f}]   {g[1]:8.3f} [{g[0]:.3f}-{g[2]:.3f}]"
            f"   {inside}"
        )
    first_seven = FEATURES[:7]
    a = np.array([[row[name] for name in first_seven] for row in real])
    b = np.array([[row[name] for name in first_seven] for row in fake])
    accuracy, threshold = one_nn_accuracy(a, b, np.random.default_rng(0))
    verdict = "indistinguishable" if accuracy <= threshold else "told apart"
    print(f"1-NN accuracy {accuracy:.3f} vs permutation 95% {threshold:.3f}: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
