"""What the music measures: mood estimates read from a MIDI file alone.

Input: a written MIDI file (a path or a :class:`mido.MidiFile`, e.g. from
:func:`soundtrack.export.midi.scene_midi`). Output: :class:`CueMeasures` (tempo, density,
loudness, key correlations, dissonance, chromaticism and the rank-preserving estimates built from
them) and :func:`measured_mood`, a :class:`~soundtrack.model.Mood` on the story's mood scales for
display beside the target arc (the report page). The mood-fit benchmark
(``benchmarks/mood_fit.py``) ranks these same measures against the target arc.

Measurements ("non-drum" = every channel but 10):

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

The ``arousal``/``valence``/``tension`` estimates of :class:`CueMeasures` are meant for rank
correlation: their scales are only roughly those of the mood dimensions. :func:`display_mood`
maps them onto the mood scales (see :data:`DISPLAY_SCALES`); the result is an estimate for
display, not a calibrated listener rating.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import mido
import numpy as np
import numpy.typing as npt

from soundtrack.model import Mood

__all__ = [
    "CLOCKS_PER_QUARTER",
    "DISPLAY_SCALES",
    "DRUM_CHANNEL",
    "INTERVAL_CLASS_DISSONANCE",
    "KK_MAJOR",
    "KK_MINOR",
    "CueMeasures",
    "DisplayScale",
    "MidiNotes",
    "TempoMap",
    "arousal_estimate",
    "best_key",
    "chromaticism",
    "display_mood",
    "dissonance",
    "key_correlations",
    "loudness",
    "measure",
    "measure_file",
    "measured_mood",
    "midi_notes",
    "notes_per_second",
    "pitch_class_histogram",
    "read_midi",
    "tempo_bpm",
    "tension_estimate",
    "valence_estimate",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

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
    """Read the notes, tempo map and meter of a MIDI file on disk (see :func:`midi_notes`).

    Args:
        path: the MIDI file.

    Returns:
        The file's notes in onset order and its tempo/meter segments.
    """
    return midi_notes(mido.MidiFile(str(path)))


def midi_notes(midi: mido.MidiFile) -> MidiNotes:
    """The notes, tempo map and meter of a MIDI file (types 0 and 1), read or built in memory.

    Note-ons are paired first-in first-out with the next note-off (or velocity-0 note-on) of the
    same channel and pitch; a note still sounding at the end of the file ends there.

    Args:
        midi: the file.

    Returns:
        The file's notes in onset order and its tempo/meter segments.
    """
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


# ---------------------------------------------------------------- display scales


@dataclass(frozen=True, slots=True, kw_only=True)
class DisplayScale:
    """A fixed, increasing linear map of a raw estimate onto a mood dimension, then clipped.

    ``raw_low`` maps to ``low`` and ``raw_high`` to ``high``; values outside are extrapolated on
    the same line and clipped to the dimension's range ``bounds``.
    """

    raw_low: float
    raw_high: float
    low: float
    high: float
    bounds: tuple[float, float]

    def apply(self, raw: float) -> float:
        """The raw estimate on the mood scale (``nan`` stays ``nan``)."""
        if math.isnan(raw):
            return math.nan
        slope = (self.high - self.low) / (self.raw_high - self.raw_low)
        value = self.low + (raw - self.raw_low) * slope
        return min(max(value, self.bounds[0]), self.bounds[1])


#: How :func:`display_mood` puts each raw estimate on its mood scale. Calibrated once on the 17
#: built-in styles (a 16-bar sketch of each at its prototype mood, seeds 0-2, 51 cues): the mean
#: -/+ one standard deviation of the raw estimate over those cues maps to the mean -/+ one standard
#: deviation of the styles' prototype moods (raw valence -0.17..0.32 -> -0.24..0.63, arousal
#: 0.31..0.75 -> 0.35..0.80, tension 0.14..0.68 -> 0.11..0.54). Fixed numbers, not refitted.
DISPLAY_SCALES: dict[str, DisplayScale] = {
    "valence": DisplayScale(raw_low=-0.17, raw_high=0.32, low=-0.24, high=0.63, bounds=(-1.0, 1.0)),
    "arousal": DisplayScale(raw_low=0.31, raw_high=0.75, low=0.35, high=0.80, bounds=(0.0, 1.0)),
    "tension": DisplayScale(raw_low=0.14, raw_high=0.68, low=0.11, high=0.54, bounds=(0.0, 1.0)),
}


def display_mood(measures: CueMeasures) -> Mood:
    """The measured estimates on the mood scales, for showing beside the target arc.

    Each of ``valence``, ``arousal`` and ``tension`` goes through its :data:`DISPLAY_SCALES` map:
    monotone (so ranks, and the mood-fit benchmark's correlations, are unchanged) and clipped to
    the dimension's range. An estimate for display, not a calibrated listener rating.

    Args:
        measures: what :func:`measure` heard in one file.

    Returns:
        valence -1..1, arousal 0..1, tension 0..1; a dimension is ``nan`` when the file has no
        pitched note to measure it on.
    """
    return Mood(
        valence=DISPLAY_SCALES["valence"].apply(measures.valence),
        arousal=DISPLAY_SCALES["arousal"].apply(measures.arousal),
        tension=DISPLAY_SCALES["tension"].apply(measures.tension),
    )


def measured_mood(midi: mido.MidiFile | MidiNotes) -> Mood:
    """The mood a MIDI file sounds like, on the mood scales (an estimate for display).

    Args:
        midi: a MIDI file (read from disk or built in memory, e.g. by
            :func:`soundtrack.export.midi.scene_midi`) or its already-read notes.

    Returns:
        :func:`display_mood` of :func:`measure` of the file.
    """
    notes = midi if isinstance(midi, MidiNotes) else midi_notes(midi)
    return display_mood(measure(notes))
