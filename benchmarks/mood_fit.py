"""Mood-fit benchmark: does the written MIDI sound like the mood the cue sheet asked for?

Scores several stories (``benchmarks/stories/*.toml`` and the built-in story) in-process into a
temporary folder, then measures every cue **from its scene MIDI file alone** -- the cue sheet only
supplies the target mood and the file name -- and reports the Spearman rank correlation between each
measured mood dimension and the target, per story and pooled over all cues.

Measurements (all from the MIDI file, read with mido; "non-drum" = every channel but 10):

Arousal
    * ``tempo_bpm``: time-weighted mean tempo in counted pulses per minute, from the ``set_tempo``
      events; the pulse is the metronome click the ``time_signature`` events declare
      (``clocks_per_click`` / 24 quarter notes: a quarter in 4/4, a half in 2/2, a dotted quarter
      in 6/8 at 36 clocks). ``quarter_bpm`` is the same in quarter notes per minute.
    * ``notes_per_second``: non-drum note onsets (every note-on counts) per second of the file.
    * ``loudness``: mean non-drum MIDI velocity (1-127), each note's velocity scaled by its
      channel's expression (CC11/127) at the onset -- the same as the plain mean velocity when
      the file sends no CC11. CC7 is the mix's fixed per-role level and is left out.
    * ``arousal`` = mean of three components, each a fixed linear map (not clipped, so ranks are
      kept) of one measure onto roughly 0..1: ``log2(tempo_bpm / 60) / log2(3)`` (60 -> 0,
      180 -> 1), ``log2(notes_per_second / 2) / 4`` (2 -> 0, 32 -> 1) and
      ``(loudness - 40) / 70`` (40 -> 0, 110 -> 1).

Valence
    * The duration-weighted (seconds) pitch-class histogram of the non-drum notes is correlated
      (Pearson) with the 12 rotations of the Krumhansl-Kessler major and minor key profiles
      (Krumhansl & Kessler 1982, the profiles of the Krumhansl-Schmuckler key finder).
    * ``valence`` = best major correlation - best minor correlation (about -1..1; > 0 sounds major).

Tension
    * ``dissonance``: the file is cut into time slices at every non-drum note start and end; each
      slice's sounding pitch-class set gets the mean dissonance of its pitch-class pairs (interval
      class weights :data:`INTERVAL_CLASS_DISSONANCE`, from Huron's 1994 consonance ratings rescaled
      to 0 = perfect fifth/fourth .. 1 = minor second/major seventh; a single pitch class is 0);
      ``dissonance`` is the time-weighted mean over the slices in which something sounds.
      Reference values: major or minor triad 0.19, dominant seventh 0.35, chromatic cluster 0.89.
    * ``chromaticism``: share of non-drum notes whose pitch class is outside the scale of the
      best-fitting key (major: Ionian; minor: natural minor plus the raised 6th and 7th degrees
      of harmonic and melodic minor, the usual diatonic set of the minor mode).
    * ``tension`` = mean of ``(dissonance - 0.15) / 0.3`` (triads ~0, 0.45 -> 1) and
      ``chromaticism / 0.25`` (fixed linear maps, not clipped).

Run ``python -m benchmarks.mood_fit --help`` (from the repository root) for the options; see
``benchmarks/README.md`` for the targets.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import mido
import numpy as np
import numpy.typing as npt

__all__ = [
    "DIMENSIONS",
    "INTERVAL_CLASS_DISSONANCE",
    "KK_MAJOR",
    "KK_MINOR",
    "CueMeasures",
    "CueResult",
    "MidiNotes",
    "TempoMap",
    "arousal_estimate",
    "chromaticism",
    "dissonance",
    "key_correlations",
    "loudness",
    "main",
    "measure",
    "measure_file",
    "measure_folder",
    "notes_per_second",
    "rank",
    "read_midi",
    "spearman",
    "tempo_bpm",
    "tension_estimate",
    "valence_estimate",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: The mood dimensions compared, in report order.
DIMENSIONS: tuple[str, ...] = ("valence", "arousal", "tension")
#: Pooled Spearman rho each dimension must reach.
TARGET_RHO = 0.8
#: GM drum channel (channel 10, 0-based 9).
DRUM_CHANNEL = 9
#: MIDI clocks per quarter note (``time_signature.clocks_per_click`` is counted in these).
CLOCKS_PER_QUARTER = 24

#: Krumhansl-Kessler probe-tone profile of C major (index = pitch class, C = 0).
KK_MAJOR: FloatArray = np.array(
    [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88]
)
#: Krumhansl-Kessler probe-tone profile of C minor.
KK_MINOR: FloatArray = np.array(
    [6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17]
)

# Huron (1994), "Interval-class content of equally tempered pitch-class sets", Music Perception
# 11(3): consonance of interval classes 1..6 (from Malmberg's and Kameoka & Kuriyagawa's data).
_HURON_CONSONANCE = np.array([-1.428, -0.582, 0.594, 0.386, 1.240, -0.453])
#: Dissonance of interval classes 0..6 (index = semitones mod 12 folded to 0..6): Huron's
#: consonance rescaled to 0 (ic5, perfect fourth/fifth) .. 1 (ic1, minor second/major seventh):
#: ic1 1.00, ic2 0.68, ic3 0.24, ic4 0.32, ic5 0.00, ic6 (tritone) 0.64; unison 0.
INTERVAL_CLASS_DISSONANCE: FloatArray = np.concatenate(
    [[0.0], (_HURON_CONSONANCE.max() - _HURON_CONSONANCE) / np.ptp(_HURON_CONSONANCE)]
)


def _interval_matrix() -> FloatArray:
    """12x12 dissonance weight between pitch classes i and j (0 on the diagonal)."""
    classes = np.arange(12)
    semitones = np.abs(classes[:, None] - classes[None, :]) % 12
    folded = np.minimum(semitones, 12 - semitones)
    return np.asarray(INTERVAL_CLASS_DISSONANCE[folded], dtype=np.float64)


_PAIR_WEIGHTS = _interval_matrix()
_MAJOR_SCALE = (0, 2, 4, 5, 7, 9, 11)
_MINOR_SCALE = (0, 2, 3, 5, 7, 8, 9, 10, 11)  # natural minor + raised 6th and 7th


# ---------------------------------------------------------------- reading MIDI


class TempoMap:
    """Tick -> seconds through a list of ``(tick, microseconds_per_quarter)`` changes."""

    def __init__(self, changes: Sequence[tuple[int, int]], ticks_per_quarter: int) -> None:
        ordered = sorted(changes, key=lambda change: change[0])  # stable: last at a tick wins
        ticks: list[int] = [0]
        tempos: list[int] = [500_000]  # MIDI default: 120 quarter notes per minute
        for tick, tempo in ordered:
            if tick == ticks[-1]:
                tempos[-1] = tempo
            else:
                ticks.append(tick)
                tempos.append(tempo)
        self.ticks = np.array(ticks, dtype=np.int64)
        self.tempos = np.array(tempos, dtype=np.float64)
        seconds_per_tick = self.tempos / (1e6 * ticks_per_quarter)
        self.seconds_per_tick = seconds_per_tick
        self.start_seconds = np.concatenate(
            [[0.0], np.cumsum(np.diff(self.ticks) * seconds_per_tick[:-1])]
        )

    def seconds(self, ticks: npt.ArrayLike) -> FloatArray:
        """Seconds from the file start of each tick."""
        at = np.asarray(ticks, dtype=np.float64)
        index = np.searchsorted(self.ticks, at, side="right") - 1
        return self.start_seconds[index] + (at - self.ticks[index]) * self.seconds_per_tick[index]


@dataclass(frozen=True, slots=True)
class MidiNotes:
    """The notes and timing of one MIDI file (one row per note in every array).

    Attributes:
        start_tick, end_tick: note on/off, ticks from the file start (end > start).
        start_seconds, end_seconds: the same in seconds, through the file's tempo map.
        pitch: MIDI note number 0-127.
        velocity: note-on velocity 1-127.
        expression: the channel's CC11 expression (0-127) at the onset; 127 when never sent.
        channel: MIDI channel 0-15 (9 = drums).
        program: GM program (0-based) of the channel at the onset; 0 when never sent.
        is_drum: whether the note is on the drum channel.
        ticks_per_quarter: the file's resolution.
        length_ticks: end of the longest track, ticks.
        length_seconds: the same in seconds (what ``mido.MidiFile.length`` reads).
        segment_ticks: starts of the constant tempo/meter segments, ticks (first is 0).
        segment_seconds: length of each segment, seconds.
        segment_quarter_bpm: tempo of each segment, quarter notes per minute.
        segment_click_quarters: metronome click of each segment in quarter notes (from the
            time signature's ``clocks_per_click``; 1.0 when there is none).
        tempo_map: converts any tick of the file to seconds.
    """

    start_tick: IntArray
    end_tick: IntArray
    start_seconds: FloatArray
    end_seconds: FloatArray
    pitch: IntArray
    velocity: IntArray
    expression: IntArray
    channel: IntArray
    program: IntArray
    is_drum: BoolArray
    ticks_per_quarter: int
    length_ticks: int
    length_seconds: float
    segment_ticks: IntArray
    segment_seconds: FloatArray
    segment_quarter_bpm: FloatArray
    segment_click_quarters: FloatArray
    tempo_map: TempoMap

    def pitched(self) -> BoolArray:
        """Mask of the non-drum notes."""
        return ~self.is_drum


def read_midi(path: Path | str) -> MidiNotes:
    """Read the notes, tempo map and meter of a MIDI file (types 0 and 1).

    Note-ons are paired first-in first-out with the next note-off (or velocity-0 note-on) of the
    same channel and pitch; a note still sounding at the end of the file ends there.

    Args:
        path: the MIDI file.

    Returns:
        The file's notes in onset order and its tempo/meter segments.
    """
    midi = mido.MidiFile(str(path))
    resolution = int(midi.ticks_per_beat)
    length_ticks = max((sum(int(m.time) for m in track) for track in midi.tracks), default=0)
    tempo_changes: list[tuple[int, int]] = []
    meter_changes: list[tuple[int, int]] = []
    program = [0] * 16
    expression = [127] * 16
    open_notes: dict[tuple[int, int], list[tuple[int, int, int, int]]] = {}
    rows: list[tuple[int, int, int, int, int, int, int]] = []
    tick = 0
    for message in mido.merge_tracks(midi.tracks):
        tick += int(message.time)
        kind = message.type
        if kind == "note_on" and message.velocity > 0:
            key = (message.channel, message.note)
            onset = (tick, message.velocity, expression[message.channel], program[message.channel])
            open_notes.setdefault(key, []).append(onset)
        elif kind in ("note_off", "note_on"):
            waiting = open_notes.get((message.channel, message.note))
            if waiting:
                start, velocity, expr, prog = waiting.pop(0)
                if tick > start:
                    rows.append((start, tick, message.note, velocity, expr, message.channel, prog))
        elif kind == "control_change" and message.control == 11:
            expression[message.channel] = message.value
        elif kind == "program_change":
            program[message.channel] = message.program
        elif kind == "set_tempo":
            tempo_changes.append((tick, message.tempo))
        elif kind == "time_signature":
            meter_changes.append((tick, message.clocks_per_click))
    for (channel, pitch), waiting in open_notes.items():
        for start, velocity, expr, prog in waiting:
            end = max(length_ticks, tick)
            if end > start:
                rows.append((start, end, pitch, velocity, expr, channel, prog))
    rows.sort()
    table = np.array(rows, dtype=np.int64).reshape(-1, 7)
    tempo_map = TempoMap(tempo_changes, resolution)

    # Constant tempo/meter segments over [0, length_ticks).
    cuts = sorted({0, *(t for t, _ in tempo_changes), *(t for t, _ in meter_changes)})
    cuts = [t for t in cuts if t < length_ticks] or [0]
    segment_ticks = np.array(cuts, dtype=np.int64)
    bounds = np.append(segment_ticks, max(length_ticks, int(segment_ticks[-1])))
    bound_seconds = tempo_map.seconds(bounds)
    tempo_index = np.searchsorted(tempo_map.ticks, segment_ticks, side="right") - 1
    quarter_bpm = 60e6 / tempo_map.tempos[tempo_index]
    clicks = np.ones(len(cuts))
    if meter_changes:
        meter_ticks = np.array([t for t, _ in meter_changes], dtype=np.int64)
        meter_clicks = np.array([c for _, c in meter_changes], dtype=np.float64)
        order = np.argsort(meter_ticks, kind="stable")
        meter_ticks, meter_clicks = meter_ticks[order], meter_clicks[order]
        index = np.searchsorted(meter_ticks, segment_ticks, side="right") - 1
        has_meter = index >= 0
        clicks[has_meter] = meter_clicks[index[has_meter]] / CLOCKS_PER_QUARTER

    return MidiNotes(
        start_tick=table[:, 0],
        end_tick=table[:, 1],
        start_seconds=tempo_map.seconds(table[:, 0]),
        end_seconds=tempo_map.seconds(table[:, 1]),
        pitch=table[:, 2],
        velocity=table[:, 3],
        expression=table[:, 4],
        channel=table[:, 5],
        program=table[:, 6],
        is_drum=table[:, 5] == DRUM_CHANNEL,
        ticks_per_quarter=resolution,
        length_ticks=length_ticks,
        length_seconds=float(tempo_map.seconds([length_ticks])[0]),
        segment_ticks=segment_ticks,
        segment_seconds=np.diff(bound_seconds),
        segment_quarter_bpm=quarter_bpm,
        segment_click_quarters=clicks,
        tempo_map=tempo_map,
    )


# ---------------------------------------------------------------- measurements


def tempo_bpm(notes: MidiNotes, *, per_click: bool = True) -> float:
    """Time-weighted mean tempo of the file.

    Args:
        notes: the file.
        per_click: count the time signature's metronome click (``True``) or quarter notes.

    Returns:
        Beats per minute (clicks or quarters), weighted by how many seconds each tempo lasts.
    """
    bpm = notes.segment_quarter_bpm
    if per_click:
        bpm = bpm / notes.segment_click_quarters
    weights = notes.segment_seconds
    if weights.sum() <= 0:
        return float(bpm[0])
    return float(np.average(bpm, weights=weights))


def notes_per_second(notes: MidiNotes) -> float:
    """Non-drum note onsets per second of the file (every note-on counts; 0 for an empty file)."""
    if notes.length_seconds <= 0:
        return 0.0
    return float(np.count_nonzero(notes.pitched()) / notes.length_seconds)


def loudness(notes: MidiNotes) -> float:
    """Mean non-drum velocity scaled by expression, ``velocity * CC11 / 127`` (0-127).

    Returns ``nan`` when the file has no non-drum note.
    """
    pitched = notes.pitched()
    if not pitched.any():
        return math.nan
    return float(np.mean(notes.velocity[pitched] * notes.expression[pitched] / 127.0))


def arousal_estimate(tempo: float, density: float, level: float) -> float:
    """Arousal from tempo (bpm), density (notes per second) and loudness (velocity 0-127).

    The mean of three fixed linear maps onto about 0..1 (see the module docstring); not clipped.
    """
    tempo_part = math.log2(max(tempo, 1e-6) / 60.0) / math.log2(3.0)
    density_part = math.log2(max(density, 1e-6) / 2.0) / 4.0
    level_part = (level - 40.0) / 70.0
    return (tempo_part + density_part + level_part) / 3.0


def pitch_class_histogram(notes: MidiNotes) -> FloatArray:
    """Seconds each pitch class sounds (summed over non-drum notes), index 0 = C."""
    pitched = notes.pitched()
    durations = notes.end_seconds[pitched] - notes.start_seconds[pitched]
    return np.bincount(notes.pitch[pitched] % 12, weights=durations, minlength=12).astype(
        np.float64
    )


def key_correlations(notes: MidiNotes) -> tuple[FloatArray, FloatArray]:
    """Pearson correlation of the pitch-class histogram with each major and minor key profile.

    Returns:
        ``(major, minor)``, each 12 correlations indexed by the key's tonic pitch class; all
        ``nan`` when the file has no pitched sound or only one pitch class.
    """
    histogram = pitch_class_histogram(notes)
    if np.ptp(histogram) == 0:
        nothing = np.full(12, math.nan)
        return nothing, nothing.copy()
    centred = histogram - histogram.mean()

    def correlate(profile: FloatArray) -> FloatArray:
        rotations = np.stack([np.roll(profile, tonic) for tonic in range(12)])
        rotations = rotations - rotations.mean(axis=1, keepdims=True)
        numerator = rotations @ centred
        return np.asarray(
            numerator / (np.linalg.norm(rotations, axis=1) * np.linalg.norm(centred)),
            dtype=np.float64,
        )

    return correlate(KK_MAJOR), correlate(KK_MINOR)


def valence_estimate(notes: MidiNotes) -> float:
    """Best major-key correlation minus best minor-key correlation (about -1..1)."""
    major, minor = key_correlations(notes)
    if np.isnan(major).all():
        return math.nan
    return float(np.nanmax(major) - np.nanmax(minor))


def best_key(notes: MidiNotes) -> tuple[int, str]:
    """The best-fitting key: ``(tonic pitch class, "major" | "minor")``; C major if none."""
    major, minor = key_correlations(notes)
    if np.isnan(major).all():
        return 0, "major"
    scores = np.concatenate([major, minor])
    index = int(np.nanargmax(scores))
    return index % 12, "major" if index < 12 else "minor"


def dissonance(notes: MidiNotes) -> float:
    """Time-weighted mean vertical dissonance of the sounding pitch-class sets (0..1).

    Each time slice between consecutive non-drum note boundaries scores the mean interval-class
    dissonance (:data:`INTERVAL_CLASS_DISSONANCE`) over the pairs of its distinct pitch classes
    (0 for a single pitch class); slices where nothing sounds are left out. ``nan`` when no
    pitched note sounds.
    """
    pitched = notes.pitched()
    starts = notes.start_tick[pitched]
    ends = notes.end_tick[pitched]
    if starts.size == 0:
        return math.nan
    classes = notes.pitch[pitched] % 12
    bounds = np.unique(np.concatenate([starts, ends]))
    delta = np.zeros((bounds.size, 12))
    np.add.at(delta, (np.searchsorted(bounds, starts), classes), 1.0)
    np.add.at(delta, (np.searchsorted(bounds, ends), classes), -1.0)
    present = (np.cumsum(delta, axis=0)[:-1] > 0.5).astype(np.float64)
    widths = np.diff(notes.tempo_map.seconds(bounds))
    count = present.sum(axis=1)
    pair_sum = 0.5 * np.einsum("ij,jk,ik->i", present, _PAIR_WEIGHTS, present)
    pairs = count * (count - 1) / 2
    per_slice = np.divide(pair_sum, pairs, out=np.zeros_like(pair_sum), where=pairs > 0)
    weights = widths * (count > 0)
    if weights.sum() <= 0:
        return math.nan
    return float(np.sum(per_slice * weights) / weights.sum())


def chromaticism(notes: MidiNotes) -> float:
    """Share of non-drum notes (by count) outside the scale of the best-fitting key (0..1).

    The scale is Ionian for a major key; for a minor key the natural minor plus its raised 6th
    and 7th degrees. ``nan`` when there is no pitched note.
    """
    pitched = notes.pitched()
    if not pitched.any():
        return math.nan
    tonic, mode = best_key(notes)
    scale = np.zeros(12, dtype=bool)
    scale[[(tonic + step) % 12 for step in (_MAJOR_SCALE if mode == "major" else _MINOR_SCALE)]] = (
        True
    )
    return float(np.mean(~scale[notes.pitch[pitched] % 12]))


def tension_estimate(vertical: float, chromatic: float) -> float:
    """Tension from dissonance (0..1) and chromaticism (0..1): mean of two fixed linear maps."""
    return ((vertical - 0.15) / 0.3 + chromatic / 0.25) / 2.0


@dataclass(frozen=True, slots=True)
class CueMeasures:
    """What :func:`measure` hears in one MIDI file (units in the module docstring)."""

    seconds: float
    notes: int
    tempo_bpm: float
    quarter_bpm: float
    notes_per_second: float
    loudness: float
    arousal: float
    key: str
    major: float
    major_r: float
    minor_r: float
    valence: float
    dissonance: float
    chromaticism: float
    tension: float


_PC_NAMES = ("C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")


def measure(notes: MidiNotes) -> CueMeasures:
    """Every measure of one file (see the module docstring)."""
    tempo = tempo_bpm(notes)
    density = notes_per_second(notes)
    level = loudness(notes)
    major, minor = key_correlations(notes)
    tonic, mode = best_key(notes)
    vertical = dissonance(notes)
    chromatic = chromaticism(notes)
    return CueMeasures(
        seconds=notes.length_seconds,
        notes=int(np.count_nonzero(notes.pitched())),
        tempo_bpm=tempo,
        quarter_bpm=tempo_bpm(notes, per_click=False),
        notes_per_second=density,
        loudness=level,
        arousal=arousal_estimate(tempo, density, level),
        key=f"{_PC_NAMES[tonic]} {mode}",
        major=1.0 if mode == "major" else 0.0,
        major_r=float(np.nanmax(major)) if not np.isnan(major).all() else math.nan,
        minor_r=float(np.nanmax(minor)) if not np.isnan(minor).all() else math.nan,
        valence=valence_estimate(notes),
        dissonance=vertical,
        chromaticism=chromatic,
        tension=tension_estimate(vertical, chromatic),
    )


def measure_file(path: Path | str) -> CueMeasures:
    """:func:`measure` of the MIDI file at ``path``."""
    return measure(read_midi(path))


# ---------------------------------------------------------------- statistics


def rank(values: npt.ArrayLike) -> FloatArray:
    """Ranks 1..n of ``values``, ties sharing their average rank (as ``scipy.stats.rankdata``)."""
    data = np.asarray(values, dtype=np.float64)
    order = np.argsort(data, kind="mergesort")
    ordered = data[order]
    new_value = np.concatenate([[True], ordered[1:] != ordered[:-1]])
    dense = np.cumsum(new_value)[np.argsort(order, kind="mergesort")]
    bounds = np.concatenate([np.nonzero(new_value)[0], [data.size]])
    return np.asarray(0.5 * (bounds[dense] + bounds[dense - 1] + 1), dtype=np.float64)


def spearman(first: npt.ArrayLike, second: npt.ArrayLike) -> float:
    """Spearman's rank correlation (-1..1); pairs with a ``nan`` are dropped.

    Returns ``nan`` with fewer than three pairs or when either side is constant.
    """
    x = np.asarray(first, dtype=np.float64)
    y = np.asarray(second, dtype=np.float64)
    keep = ~(np.isnan(x) | np.isnan(y))
    x, y = x[keep], y[keep]
    if x.size < 3:
        return math.nan
    rx, ry = rank(x), rank(y)
    if np.ptp(rx) == 0 or np.ptp(ry) == 0:
        return math.nan
    return float(np.corrcoef(rx, ry)[0, 1])


# ---------------------------------------------------------------- stories and cues


@dataclass(frozen=True, slots=True)
class CueResult:
    """One cue: where it comes from, the target mood of the cue sheet and what was measured."""

    story: str
    cue_id: str
    beat: str
    style: str
    planned_key: str
    planned_tempo_bpm: float
    file: str
    target: dict[str, float]
    measured: CueMeasures


def measure_folder(folder: Path, story: str | None = None) -> list[CueResult]:
    """Measure every cue of a ``soundtrack score`` output folder.

    Only ``cuesheet.json``'s target ``mood``, ``file`` and labels (cue id, beat, style, key,
    tempo) are read from the cue sheet; the measures come from the MIDI files.

    Args:
        folder: the output folder (holds ``cuesheet.json`` and ``scenes/``).
        story: label of the story; the cue sheet's title when ``None``.
    """
    sheet = json.loads((folder / "cuesheet.json").read_text(encoding="utf-8"))
    label = story or str(sheet.get("title", folder.name))
    results = []
    for cue in sheet["cues"]:
        mood = cue["mood"]
        results.append(
            CueResult(
                story=label,
                cue_id=str(cue["id"]),
                beat=str(cue["beat"]),
                style=str(cue.get("style", "")),
                planned_key=str(cue.get("key", "")),
                planned_tempo_bpm=float(cue.get("tempo_bpm", math.nan)),
                file=str(cue["file"]),
                target={name: float(mood[name]) for name in DIMENSIONS},
                measured=measure_file(folder / cue["file"]),
            )
        )
    return results


def default_stories() -> list[Path | None]:
    """``benchmarks/stories/*.toml`` (sorted) and ``None`` for the built-in story."""
    folder = Path(__file__).resolve().parent / "stories"
    return [*sorted(folder.glob("*.toml")), None]


def score_into(stories: Iterable[Path | None], root: Path, *, seed: int | None) -> list[Path]:
    """Score each story in-process and write its output contract under ``root/<story>``.

    Args:
        stories: story files; ``None`` is the built-in story.
        root: parent folder of the output folders.
        seed: overrides every story's seed when given.

    Returns:
        The output folders, in story order.
    """
    from soundtrack.export import write_story
    from soundtrack.pipeline import score_story
    from soundtrack.story import load_story

    folders = []
    for path in stories:
        name = path.stem if path is not None else "builtin"
        folder = root / name
        scored = score_story(load_story(path), seed=seed)
        write_story(scored, folder, force=True)
        folders.append(folder)
    return folders


# ---------------------------------------------------------------- report


@dataclass(frozen=True, slots=True)
class Report:
    """Rank correlations of measured vs target mood, per story and pooled."""

    per_story: dict[str, dict[str, float]]
    pooled: dict[str, float]
    cues: int
    features: dict[str, float]
    cross: dict[str, dict[str, float]]
    target_cross: dict[str, float]
    by_style: dict[str, dict[str, float]]
    mode_agreement: tuple[int, int]
    passed: dict[str, bool]


#: Single measures correlated with their target dimension (diagnostics).
FEATURES: dict[str, tuple[str, str]] = {
    "tempo_bpm": ("arousal", "tempo (click bpm)"),
    "quarter_bpm": ("arousal", "tempo (quarter bpm)"),
    "notes_per_second": ("arousal", "onsets per second"),
    "loudness": ("arousal", "mean velocity x expression"),
    "major": ("valence", "heard mode (major 1, minor 0)"),
    "major_r": ("valence", "best major r"),
    "minor_r": ("valence", "best minor r (expect < 0)"),
    "dissonance": ("tension", "vertical dissonance"),
    "chromaticism": ("tension", "chromaticism"),
}


def _column(results: Sequence[CueResult], name: str) -> FloatArray:
    return np.array([getattr(result.measured, name) for result in results], dtype=np.float64)


def _targets(results: Sequence[CueResult], name: str) -> FloatArray:
    return np.array([result.target[name] for result in results], dtype=np.float64)


def build_report(results: Sequence[CueResult], target_rho: float = TARGET_RHO) -> Report:
    """Spearman rho of every measured dimension against its target, per story and pooled."""
    per_story: dict[str, dict[str, float]] = {}
    for story in dict.fromkeys(result.story for result in results):
        subset = [result for result in results if result.story == story]
        per_story[story] = {
            name: spearman(_column(subset, name), _targets(subset, name)) for name in DIMENSIONS
        }
        per_story[story]["cues"] = float(len(subset))
    pooled = {
        name: spearman(_column(results, name), _targets(results, name)) for name in DIMENSIONS
    }
    features = {
        name: spearman(_column(results, name), _targets(results, dimension))
        for name, (dimension, _) in FEATURES.items()
    }
    cross = {
        measured: {
            target: spearman(_column(results, measured), _targets(results, target))
            for target in DIMENSIONS
        }
        for measured in DIMENSIONS
    }
    targets = {name: _targets(results, name) for name in DIMENSIONS}
    target_cross = {
        f"{first}-{second}": spearman(targets[first], targets[second])
        for index, first in enumerate(DIMENSIONS)
        for second in DIMENSIONS[index + 1 :]
    }
    by_style: dict[str, dict[str, float]] = {}
    for style in sorted({result.style for result in results}):
        subset = [result for result in results if result.style == style]
        row = {"cues": float(len(subset))}
        for name in DIMENSIONS:
            measured, target = _column(subset, name), _targets(subset, name)
            row[name] = spearman(measured, target)
            row[f"{name}_target_mean"] = float(np.mean(target))
            row[f"{name}_measured_mean"] = float(np.nanmean(measured))
        by_style[style] = row
    agreeing = sum(
        result.planned_key.split()[-1:] == result.measured.key.split()[-1:] for result in results
    )
    passed = {name: bool(pooled[name] >= target_rho) for name in DIMENSIONS}
    return Report(
        per_story=per_story,
        pooled=pooled,
        cues=len(results),
        features=features,
        cross=cross,
        target_cross=target_cross,
        by_style=by_style,
        mode_agreement=(agreeing, len(results)),
        passed=passed,
    )


def _fmt(value: float, width: int = 7, digits: int = 2) -> str:
    return f"{'-':>{width}}" if math.isnan(value) else f"{value:>{width}.{digits}f}"


def format_report(report: Report, results: Sequence[CueResult], *, cues: bool) -> str:
    """The human-readable report (tables of rho, verdicts; the per-cue table when ``cues``)."""
    lines = ["Mood fit: Spearman rho, measured (from MIDI) vs target (cue sheet)", ""]
    lines.append(f"{'story':<28}{'cues':>5}" + "".join(f"{name:>9}" for name in DIMENSIONS))
    for story, values in report.per_story.items():
        label = f"{story[:27]:<28}{int(values['cues']):>5}"
        lines.append(label + "".join(_fmt(values[name], 9) for name in DIMENSIONS))
    lines.append(
        f"{'pooled':<28}{report.cues:>5}"
        + "".join(_fmt(report.pooled[name], 9) for name in DIMENSIONS)
    )
    verdicts = "".join(f"{'PASS' if report.passed[name] else 'FAIL':>9}" for name in DIMENSIONS)
    lines.append(f"{f'target >= {TARGET_RHO:g}':<33}{verdicts}")
    lines += ["", "Single measures vs their target dimension (pooled rho):"]
    for name, (dimension, label) in FEATURES.items():
        lines.append(f"  {label:<30} vs {dimension:<8}{_fmt(report.features[name])}")
    agreeing, total = report.mode_agreement
    lines.append(f"  heard mode = the cue sheet key's mode: {agreeing} of {total} cues")
    lines += ["", "Measured (rows) vs target (columns), pooled rho:"]
    lines.append(f"  {'':<10}" + "".join(f"{name:>9}" for name in DIMENSIONS))
    for measured, row in report.cross.items():
        lines.append(f"  {measured:<10}" + "".join(_fmt(row[name], 9) for name in DIMENSIONS))
    lines.append(
        "  (targets among themselves: "
        + ", ".join(f"{pair} {_fmt(rho, 0)}" for pair, rho in report.target_cross.items())
        + ")"
    )
    lines += [
        "",
        "Within each style: rho (cues of the style only) and mean target -> mean measured:",
        f"  {'style':<18}{'cues':>5}" + "".join(f"{name:>24}" for name in DIMENSIONS),
    ]
    for style, row in report.by_style.items():
        cells = "".join(
            f"{_fmt(row[name], 7)}{_fmt(row[f'{name}_target_mean'], 8)} ->"
            f"{_fmt(row[f'{name}_measured_mean'], 6)}"
            for name in DIMENSIONS
        )
        lines.append(f"  {style[:17]:<18}{int(row['cues']):>5}{cells}")
    if cues:
        lines += ["", _cue_table(results)]
    return "\n".join(lines)


def _cue_table(results: Sequence[CueResult]) -> str:
    """One line per cue: target and measured mood, the raw measures, planned key vs heard."""
    header = (
        f"{'story':<12}{'cue':<6}{'beat':<18}{'style':<17}"
        f"{'tV':>6}{'mV':>6}{'tA':>6}{'mA':>6}{'tT':>6}{'mT':>6}"
        f"{'bpm':>6}{'n/s':>6}{'vel':>5}{'diss':>6}{'chr':>6}  planned key -> heard"
    )
    lines = [header]
    for result in results:
        m = result.measured
        t = result.target
        lines.append(
            f"{result.story[:11]:<12}{result.cue_id:<6}{result.beat[:17]:<18}"
            f"{result.style[:16]:<17}"
            f"{_fmt(t['valence'], 6)}{_fmt(m.valence, 6)}{_fmt(t['arousal'], 6)}"
            f"{_fmt(m.arousal, 6)}{_fmt(t['tension'], 6)}{_fmt(m.tension, 6)}"
            f"{_fmt(m.tempo_bpm, 6, 0)}{_fmt(m.notes_per_second, 6, 1)}{_fmt(m.loudness, 5, 0)}"
            f"{_fmt(m.dissonance, 6)}{_fmt(m.chromaticism, 6)}  {result.planned_key} -> {m.key}"
        )
    return "\n".join(lines)


def report_json(report: Report, results: Sequence[CueResult]) -> str:
    """The report and every cue's measures as JSON (``NaN`` written as ``null``)."""

    def clean(value: object) -> object:
        if isinstance(value, float) and math.isnan(value):
            return None
        if isinstance(value, dict):
            return {key: clean(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [clean(item) for item in value]
        return value

    data = {
        "target_rho": TARGET_RHO,
        "cues": report.cues,
        "pooled": report.pooled,
        "passed": report.passed,
        "per_story": report.per_story,
        "features": report.features,
        "cross": report.cross,
        "target_cross": report.target_cross,
        "by_style": report.by_style,
        "mode_agreement": list(report.mode_agreement),
        "cue_results": [asdict(result) for result in results],
    }
    return json.dumps(clean(data), indent=2)


# ---------------------------------------------------------------- command line


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.mood_fit",
        description="Measure the mood of written MIDI cues against the cue sheet's target mood.",
    )
    parser.add_argument(
        "stories",
        nargs="*",
        type=Path,
        help="story files to score [default: benchmarks/stories/*.toml and the built-in story]",
    )
    parser.add_argument("--no-builtin", action="store_true", help="leave out the built-in story")
    parser.add_argument(
        "--scored",
        nargs="+",
        type=Path,
        metavar="DIR",
        help="measure existing `soundtrack score` output folders instead of scoring stories",
    )
    parser.add_argument("--seed", type=int, default=None, help="seed for every story")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="write the scored output here")
    parser.add_argument("--cues", action="store_true", help="also print one line per cue")
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")
    parser.add_argument(
        "--check", action="store_true", help=f"exit 1 unless pooled rho >= {TARGET_RHO:g} for all"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; returns the exit status (1 on FAIL with ``--check``)."""
    args = _parser().parse_args(argv)
    results: list[CueResult] = []
    if args.scored:
        for folder in args.scored:
            results.extend(measure_folder(folder))
    else:
        stories: list[Path | None] = list(args.stories) or default_stories()
        if args.stories and not args.no_builtin:
            stories.append(None)
        if args.no_builtin:
            stories = [story for story in stories if story is not None]
        with tempfile.TemporaryDirectory(prefix="mood-fit-") as temporary:
            root = args.keep if args.keep is not None else Path(temporary)
            for folder in score_into(stories, root, seed=args.seed):
                results.extend(measure_folder(folder, story=folder.name))
    report = build_report(results)
    if args.json:
        print(report_json(report, results))
    else:
        print(format_report(report, results, cues=args.cues))
    return 1 if args.check and not all(report.passed.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
