"""Spotting: plan one cue per beat with music.

Input: a :class:`~soundtrack.model.Story` and its :class:`~soundtrack.model.MoodArc`.
Output: a :class:`~soundtrack.model.CuePlan` (one :class:`~soundtrack.model.CueSpec` per cue).

The rules, in the order they are applied:

Style
    The beat's explicit ``style`` wins. Otherwise every style is scored by the weighted distance
    between the beat's mood and the style's prototype mood (:data:`STYLE_WEIGHTS`: arousal counts
    most, since a style's tempo range and textures fix its pace, while compose shapes mode,
    harmony and chromaticism to the mood inside any style; valence and tension count up to twice
    as much for a style whose ``harmony.mood_substitution`` is below 1, which bends its written
    harmony less to the mood), plus :data:`MODE_PENALTY` when the
    style cannot play the mode the valence asks for, less a bonus of :data:`SETTING_BONUS` when
    the beat's setting is one of the style's settings; the lowest score wins (ties: style id
    order).

Key
    The beat's explicit ``key`` wins. Otherwise the mode follows valence (major above
    :data:`MAJOR_VALENCE`, minor below :data:`MINOR_VALENCE`, the style's first mode between) and
    the tonic is chosen among the keys whose signature lies within one accidental of the story's
    home key signature (the style's preferred tonics first). Every cue is therefore at most two
    accidentals from any other — neighbouring cues are always in closely related keys — and a
    cue's key depends only on its own beat, so editing one beat never changes another cue.

Tempo and length
    The target tempo follows arousal (and a little tension) inside the style's range: the range
    spans :data:`AROUSAL_SPAN` of arousal centred on the style's prototype arousal (a calm beat
    takes the slow end, an excited one the fast end). The cue is
    cut into segments at its hit points; each segment gets a whole number of pulses and its own
    constant tempo, so every hit falls exactly on a pulse and the whole cue lasts exactly the
    scene (a variable click, as film composers use). The pulse count of the last segment is
    rounded to whole bars. Styles with ``ritardando`` slow the last bar down (longer pulses, the
    total still exact). Hits that would force a tempo outside the style's range by more than
    :data:`TEMPO_TOLERANCE` are not anchored; they are placed on the nearest pulse and their error
    is reported.

Sections
    An intro when the cue has at least 12 bars, then the style's form repeated, and an ending
    when the cue has at least 4 bars. The intro is 2 bars and the ending 1 unless other lengths
    (intro 1, 4 or none; ending 2 bars) let the form end on a section boundary -- best a whole
    form, so a 16-bar blues is 2 + 12 + 2 rather than 2 + 12 + 1 bar of a second chorus + 1;
    otherwise the last repeat is cut short.

Cue numbers
    Reel + ``M`` + number within the reel (``1M1``, ``1M2``, ``2M1``...), reels being
    :data:`REEL_SECONDS` long.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from soundtrack.datafile import did_you_mean
from soundtrack.errors import StoryError, StyleError
from soundtrack.model import (
    Beat,
    CuePlan,
    CueSpec,
    Hit,
    Key,
    Meter,
    Mode,
    Mood,
    MoodArc,
    Motif,
    NextCue,
    Saxophone,
    Section,
    Story,
    TempoChange,
)
from soundtrack.mood import mood_at, mood_samples
from soundtrack.motif_spotting import spot_motifs
from soundtrack.motifs import list_motifs
from soundtrack.pitch import parse_key
from soundtrack.styles import list_styles, load_style
from soundtrack.styles.schema import Style
from soundtrack.units import TICKS_PER_QUARTER, tempo_map_seconds

__all__ = [
    "HOME_KEY",
    "AROUSAL_SPAN",
    "MAJOR_VALENCE",
    "MINOR_VALENCE",
    "MODE_PENALTY",
    "REEL_SECONDS",
    "SETTING_BONUS",
    "STYLE_WEIGHTS",
    "TEMPO_TOLERANCE",
    "choose_key",
    "choose_style",
    "cue_duration_seconds",
    "cue_rng",
    "fit_timing",
    "plan_cue",
    "plan_cues",
    "plan_sketch",
    "seed_key_for",
    "target_tempo_bpm",
]

logger = logging.getLogger(__name__)

#: Score bonus for a style whose settings include the beat's setting.
SETTING_BONUS = 0.2
#: Weights of valence, arousal and tension in the distance between a beat's mood and a style's
#: prototype mood (valence's range is twice as wide as the others').
STYLE_WEIGHTS = (0.35, 1.0, 0.5)
#: Score penalty for a style without the mode the beat's valence asks for.
MODE_PENALTY = 0.25
#: Arousal covered by a style's tempo range, centred on its prototype arousal.
AROUSAL_SPAN = 0.7
#: Valence above which a cue is major, below :data:`MINOR_VALENCE` minor.
MAJOR_VALENCE = 0.1
MINOR_VALENCE = -0.1
#: Length of a film reel for cue numbering, seconds (a 2000-foot 35 mm reel runs about 22 min).
REEL_SECONDS = 20 * 60.0
#: How far (as a factor) a segment's tempo may leave the style's range to catch a hit.
TEMPO_TOLERANCE = 0.15
#: The story's home key when the story does not name one: one flat (F major / D minor).
HOME_KEY = Key(tonic_pc=2, mode=Mode.MINOR)
#: Tempo factor of the last pulse of a ritardando (the pulses before it slow down linearly).
RITARDANDO_FINAL_FACTOR = 0.72
#: Lowest and highest tempo factor the last bar moves to when it leads straight into the next cue.
TRANSITION_TEMPO_LIMITS = (0.7, 1.3)
#: How alike (difflib ratio) a character without a motif must be to a motif's name to be
#: reported as a likely typo ("vladmir" ~ "vladimir" 0.93; "ana" ~ "anatoly" 0.6 is a name).
TYPO_SIMILARITY = 0.8
#: Tempo ratios to the next cue closer to 1 than this share keep the last bar a tempo.
TRANSITION_TEMPO_DEADBAND = 0.12


def seed_key_for(beat_id: str) -> tuple[int, ...]:
    """A stable spawn key for a beat id: four 32-bit words of its SHA-256 digest."""
    digest = hashlib.sha256(beat_id.encode("utf-8")).digest()
    return tuple(int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4))


def cue_rng(seed: int, spec: CueSpec) -> np.random.Generator:
    """The random generator of one cue: the story seed's child keyed by the cue's beat id."""
    return np.random.default_rng(np.random.SeedSequence(entropy=seed, spawn_key=spec.seed_key))


def choose_style(beat: Beat, mood: Mood, styles: Sequence[Style]) -> Style:
    """The style for a beat: explicit, else nearest prototype mood (see the module docstring)."""
    if beat.style is not None:
        return load_style(beat.style)
    setting_words = set(beat.setting.split("-")) | {beat.setting} if beat.setting else set()
    wanted = (
        Mode.MAJOR
        if mood.valence > MAJOR_VALENCE
        else Mode.MINOR
        if mood.valence < MINOR_VALENCE
        else None
    )
    base_valence, arousal_weight, base_tension = STYLE_WEIGHTS

    def score(style: Style) -> tuple[float, str]:
        # a style that bends its harmony less to the mood must be chosen closer to it
        rigid = 1.0 - min(max(style.harmony.mood_substitution, 0.0), 1.0)
        valence_weight = base_valence * (1.0 + rigid)
        tension_weight = base_tension * (1.0 + rigid)
        distance = math.sqrt(
            (valence_weight * (mood.valence - style.mood.valence)) ** 2
            + (arousal_weight * (mood.arousal - style.mood.arousal)) ** 2
            + (tension_weight * (mood.tension - style.mood.tension)) ** 2
        )
        if wanted is not None and wanted not in style.modes:
            distance += MODE_PENALTY
        if setting_words & set(style.settings):
            distance -= SETTING_BONUS
        return distance, style.id

    return min(styles, key=score)


def _signature(key: Key) -> int:
    """Key signature as a signed count of sharps (negative = flats)."""
    relative_major = key.tonic_pc if key.mode is Mode.MAJOR else (key.tonic_pc + 3) % 12
    sharps = (relative_major * 7) % 12
    return sharps - 12 if sharps > 6 else sharps


def choose_key(mood: Mood, style: Style, *, home: Key = HOME_KEY, variant: int = 0) -> Key:
    """The key of a cue from its mood and style (see the module docstring).

    Args:
        mood: the cue's mood (valence picks the mode).
        style: the style (its modes and preferred tonics).
        home: the story's home key; the result's signature is within one accidental of it.
        variant: picks among the style's preferred tonics that qualify (spotting passes a number
            derived from the beat id, so the choice varies between cues but is stable per beat).
    """
    if mood.valence > MAJOR_VALENCE:
        wanted = Mode.MAJOR
    elif mood.valence < MINOR_VALENCE:
        wanted = Mode.MINOR
    else:
        wanted = style.modes[0]
    mode = wanted if wanted in style.modes else style.modes[0]
    home_signature = _signature(home)
    candidates = [
        Key(tonic_pc=tonic, mode=mode)
        for tonic in range(12)
        if abs(_signature(Key(tonic_pc=tonic, mode=mode)) - home_signature) <= 1
    ]
    preferred = [key for key in candidates if key.tonic_pc in style.tonics]
    if preferred:
        preferred.sort(key=lambda key: style.tonics.index(key.tonic_pc))
        return preferred[variant % len(preferred)]
    return min(candidates, key=lambda key: (abs(_signature(key) - home_signature), key.tonic_pc))


def target_tempo_bpm(style: Style, mood: Mood) -> float:
    """Target tempo (counted pulses per minute) inside the style's range from arousal/tension.

    The range covers :data:`AROUSAL_SPAN` of arousal centred on the style's prototype arousal
    (tension above the prototype's pushes a little, as arousal does); outside it the range's ends.
    """
    drive = mood.arousal + 0.15 * (mood.tension - style.mood.tension)
    position = 0.5 + (drive - style.mood.arousal) / AROUSAL_SPAN
    position = min(1.0, max(0.0, position))
    return style.tempo_min_bpm + position * (style.tempo_max_bpm - style.tempo_min_bpm)


@dataclass(frozen=True, slots=True, kw_only=True)
class Timing:
    """The fitted timing of a cue: tempo map, bar count and hits."""

    tempo_map: tuple[TempoChange, ...]
    bars: int
    hits: tuple[Hit, ...]
    tempo_bpm: float


def cue_duration_seconds(style: Style, *, bars: int, tempo_bpm: float) -> float:
    """How long ``bars`` bars of ``style`` last at ``tempo_bpm``, ritardando and accelerando
    included."""
    weights = _pulse_weights(
        bars * style.meter.pulses_per_bar,
        style.meter.pulses_per_bar,
        final_tempo_factor=RITARDANDO_FINAL_FACTOR if style.ritardando else 1.0,
        accelerando=style.accelerando,
    )
    return sum(weights) * 60.0 / tempo_bpm


def _accelerando_position(time_fraction: float, accelerando: float) -> float:
    """Fraction of the pulses played after ``time_fraction`` of the cue under an accelerando.

    The tempo factor rises linearly with the pulse position x: ``1 + accelerando * (x - 0.5)``,
    so time is the integral of its inverse; this returns the inverse of that mapping (0..1).
    """
    if accelerando <= 0.0:
        return time_fraction
    start = 1.0 - accelerando / 2
    total = math.log((1.0 + accelerando / 2) / start) / accelerando
    return (start * math.exp(accelerando * time_fraction * total) - 1.0) / accelerando + 0.5


def _pulse_weights(
    pulses: int, pulses_per_bar: int, *, final_tempo_factor: float, accelerando: float
) -> list[float]:
    """Relative length of every pulse of a cue (1 = the nominal tempo).

    An accelerando scales the tempo bar by bar from ``1 - accelerando/2`` to
    ``1 + accelerando/2`` of the nominal; the last bar then moves linearly to
    ``final_tempo_factor`` times its tempo (below 1 a ritardando, above 1 a stringendo).
    """
    bars = max(1, pulses // pulses_per_bar)
    weights = []
    for pulse in range(pulses):
        bar = pulse // pulses_per_bar
        factor = 1.0 + accelerando * (bar / (bars - 1) - 0.5) if bars > 1 else 1.0
        weights.append(1.0 / factor)
    if final_tempo_factor != 1.0 and pulses >= 2:
        end_pulses = min(pulses_per_bar, pulses)
        for offset, weight in enumerate(_final_bar_weights(end_pulses, final_tempo_factor)):
            weights[pulses - end_pulses + offset] *= weight
    return weights


def _final_bar_weights(pulses: int, final_tempo_factor: float) -> list[float]:
    """Relative lengths of the last ``pulses`` pulses when the tempo moves linearly to
    ``final_tempo_factor`` (1 = a tempo)."""
    weights = []
    for index in range(pulses):
        factor = 1.0 - (1.0 - final_tempo_factor) * (index + 1) / pulses
        weights.append(1.0 / factor)
    return weights


def final_tempo_factor(style: Style, tempo_bpm: float, next_cue: NextCue | None) -> float:
    """The tempo factor the last bar of a cue moves to (1 = a tempo).

    A cue that ends before silence slows into its final chord when its style has a
    ``ritardando`` (:data:`RITARDANDO_FINAL_FACTOR`). A cue that runs straight into the next one
    moves towards the next cue's tempo instead, so the music flows across the cut: a ritardando
    when the next cue is clearly slower, a stringendo when it is clearly faster (by at most
    :data:`TRANSITION_TEMPO_LIMITS`), a tempo otherwise.

    Args:
        style: the cue's style.
        tempo_bpm: the cue's nominal tempo in quarter notes per minute.
        next_cue: the cue that follows without silence, or None.
    """
    if next_cue is None:
        return RITARDANDO_FINAL_FACTOR if style.ritardando else 1.0
    ratio = next_cue.tempo_bpm / tempo_bpm
    if abs(math.log(ratio)) < math.log(1 + TRANSITION_TEMPO_DEADBAND):
        return 1.0
    low, high = TRANSITION_TEMPO_LIMITS
    return min(high, max(low, ratio))


def _segment_pulses(anchors: Sequence[float], tempo_bpm: float, pulses_per_bar: int) -> list[int]:
    """Whole pulses per segment between anchors at ``tempo_bpm``, the total in whole bars."""
    counts = [
        max(1, round((end - start) * tempo_bpm / 60.0))
        for start, end in zip(anchors, anchors[1:], strict=False)
    ]
    remainder = sum(counts) % pulses_per_bar
    if remainder:
        up = pulses_per_bar - remainder
        if remainder * 2 < pulses_per_bar and counts[-1] - remainder >= 1:
            counts[-1] -= remainder
        else:
            counts[-1] += up
    return counts


def fit_timing(
    *,
    duration_seconds: float,
    hits_seconds: Sequence[float],
    meter: Meter,
    tempo_min_bpm: float,
    tempo_max_bpm: float,
    target_bpm: float,
    ritardando: bool,
    bars: int | None = None,
    accelerando: float = 0.0,
    final_factor: float | None = None,
) -> Timing:
    """Fit a tempo map so the cue lasts exactly ``duration_seconds`` and hits land on pulses.

    Args:
        duration_seconds: the scene length (> 0).
        hits_seconds: hit times in seconds from the cue start, sorted, inside the cue.
        meter: the cue's meter (its pulse is what the tempos count).
        tempo_min_bpm, tempo_max_bpm: the style's range in pulses per minute.
        target_bpm: the preferred tempo.
        ritardando: whether the last bar slows down (to :data:`RITARDANDO_FINAL_FACTOR`).
        bars: a fixed bar count (hits are then placed on the nearest pulse, not anchored).
        accelerando: tempo rise over the cue (see :func:`_pulse_weights`).
        final_factor: the tempo factor the last bar moves to; overrides ``ritardando``
            (see :func:`final_tempo_factor`).

    Returns:
        The tempo map (integer microseconds per quarter), the bar count, and every hit with the
        tick it was fitted to and its error in seconds.
    """
    pulses_per_bar = meter.pulses_per_bar
    quarters_per_pulse = meter.pulse_ticks / TICKS_PER_QUARTER
    low = tempo_min_bpm * (1 - TEMPO_TOLERANCE)
    high = tempo_max_bpm * (1 + TEMPO_TOLERANCE)
    minimum_gap = 60.0 / high  # one pulse at the fastest allowed tempo
    anchored = [hit for hit in hits_seconds if minimum_gap <= hit <= duration_seconds - minimum_gap]
    if bars is not None:
        anchored = []

    while bars is None:
        anchors = [0.0, *anchored, duration_seconds]
        # Under an accelerando, search in "score time": where the anchors fall when the pulses
        # are evenly spaced, so that the fitted counts follow the tempo curve.
        warped = [
            duration_seconds * _accelerando_position(anchor / duration_seconds, accelerando)
            for anchor in anchors
        ]
        best: tuple[float, list[int]] | None = None
        for step in range(0, 81):
            tempo = tempo_min_bpm + (tempo_max_bpm - tempo_min_bpm) * step / 80
            counts = _segment_pulses(warped, tempo, pulses_per_bar)
            tempos = [
                count * 60.0 / (end - start)
                for count, start, end in zip(counts, warped, warped[1:], strict=False)
            ]
            cost = sum(abs(math.log(value / target_bpm)) for value in tempos)
            cost += 4 * sum(
                max(0.0, math.log(low / value), math.log(value / high)) for value in tempos
            )
            if best is None or cost < best[0]:
                best = (cost, counts)
        assert best is not None  # the loop always evaluates at least one tempo
        counts = best[1]
        tempos = [
            count * 60.0 / (end - start)
            for count, start, end in zip(counts, anchors, anchors[1:], strict=False)
        ]
        outside = [index for index, value in enumerate(tempos) if not low <= value <= high]
        if not outside or not anchored:
            break
        # Drop the hit that ends (or, for the last segment, starts) the worst segment.
        worst = max(outside, key=lambda index: abs(math.log(tempos[index] / target_bpm)))
        anchored.pop(min(worst, len(anchored) - 1))
    if bars is not None:
        anchors = [0.0, duration_seconds]
        counts = [max(1, bars) * pulses_per_bar]

    changes: list[TempoChange] = []
    pulse_index = 0
    if final_factor is None:
        final_factor = RITARDANDO_FINAL_FACTOR if ritardando else 1.0
    all_weights = _pulse_weights(
        sum(counts), pulses_per_bar, final_tempo_factor=final_factor, accelerando=accelerando
    )
    for count, start, end in zip(counts, anchors, anchors[1:], strict=False):
        seconds = end - start
        weights = all_weights[pulse_index : pulse_index + count]
        base_microseconds = seconds * 1_000_000 / (quarters_per_pulse * sum(weights))
        # Integer tempos: keep the running error of the segment's end time at zero on average.
        elapsed_target = 0.0
        elapsed_written = 0.0
        run_start = 0
        while run_start < count:
            run_end = run_start + 1
            while run_end < count and weights[run_end] == weights[run_start]:
                run_end += 1
            run_seconds = (
                (run_end - run_start)
                * weights[run_start]
                * base_microseconds
                * quarters_per_pulse
                / 1e6
            )
            elapsed_target += run_seconds
            quarters = (run_end - run_start) * quarters_per_pulse
            microseconds = round((elapsed_target - elapsed_written) * 1e6 / quarters)
            elapsed_written += microseconds * quarters / 1e6
            changes.append(
                TempoChange(
                    start_tick=(pulse_index + run_start) * meter.pulse_ticks,
                    microseconds_per_quarter=microseconds,
                )
            )
            run_start = run_end
        pulse_index += count

    merged: list[TempoChange] = []
    for change in changes:
        if merged and merged[-1].microseconds_per_quarter == change.microseconds_per_quarter:
            continue
        merged.append(change)
    pairs = [(change.start_tick, change.microseconds_per_quarter) for change in merged]
    bars = pulse_index // pulses_per_bar

    hits: list[Hit] = []
    end_tick = bars * meter.bar_ticks
    for hit_seconds in hits_seconds:
        tick = _nearest_pulse_tick(hit_seconds, pairs, meter.pulse_ticks, end_tick)
        hits.append(
            Hit(
                seconds=hit_seconds,
                tick=tick,
                error_seconds=tempo_map_seconds(tick, pairs) - hit_seconds,
            )
        )
    # The nominal tempo is the body's mean (every bar but the last, which may hold a ritardando).
    body_bars = bars - 1 if bars > 1 else bars
    body_seconds = tempo_map_seconds(body_bars * meter.bar_ticks, pairs)
    nominal = body_bars * pulses_per_bar * 60.0 / body_seconds
    return Timing(tempo_map=tuple(merged), bars=bars, hits=tuple(hits), tempo_bpm=round(nominal, 2))


def _nearest_pulse_tick(
    seconds: float, pairs: Sequence[tuple[int, int]], pulse_ticks: int, end_tick: int
) -> int:
    """The pulse tick (multiple of ``pulse_ticks``, < ``end_tick``) nearest to ``seconds``."""
    low, high = 0, end_tick // pulse_ticks
    while high - low > 1:
        middle = (low + high) // 2
        if tempo_map_seconds(middle * pulse_ticks, pairs) <= seconds:
            low = middle
        else:
            high = middle
    candidates = [low, min(high, end_tick // pulse_ticks - 1)]
    best = min(
        candidates, key=lambda pulse: abs(tempo_map_seconds(pulse * pulse_ticks, pairs) - seconds)
    )
    return best * pulse_ticks


#: Intro lengths (bars) spotting may choose in cues of at least 12 bars, the usual first.
INTRO_BARS = (2, 1, 4, 0)
#: Ending lengths (bars) spotting may choose in cues of at least 4 bars, the usual first.
ENDING_BARS = (1, 2)


def _sections(style: Style, bars: int) -> tuple[Section, ...]:
    """Intro, the style's form cycled, and an ending (see the module docstring)."""
    boundaries: set[int] = set()
    cycle = sum(section.bars for section in style.form)
    position = 0
    while position < bars:
        for form_section in style.form:
            position += form_section.bars
            boundaries.add(position)
    intros = INTRO_BARS if bars >= 12 else (0,)
    endings = ENDING_BARS if bars >= 4 else (0,)

    def cost(choice: tuple[int, int]) -> tuple[bool, bool, int]:
        intro, ending = choice
        body = bars - intro - ending
        preference = intros.index(intro) + endings.index(ending)
        return body not in boundaries, body % cycle != 0, preference

    options = [(i, e) for i in intros for e in endings if bars - i - e >= 1]
    intro, ending = min(options, key=cost) if options else (0, 0)
    sections: list[Section] = []
    if intro:
        sections.append(Section(name="intro", start_bar=0, bars=intro))
    bar = intro
    body_end = bars - ending
    index = 0
    while bar < body_end:
        form_section = style.form[index % len(style.form)]
        length = min(form_section.bars, body_end - bar)
        sections.append(Section(name=form_section.name, start_bar=bar, bars=length))
        bar += length
        index += 1
    if ending:
        sections.append(Section(name="ending", start_bar=body_end, bars=ending))
    return tuple(sections)


def _bar_moods(
    arc: MoodArc | None, mood: Mood, start_seconds: float, timing: Timing, meter: Meter
) -> tuple[Mood, ...]:
    """The arc sampled at the middle of each bar (constant ``mood`` without an arc)."""
    if arc is None:
        return (mood,) * timing.bars
    pairs = [(change.start_tick, change.microseconds_per_quarter) for change in timing.tempo_map]
    middles = [
        start_seconds + tempo_map_seconds(bar * meter.bar_ticks + meter.bar_ticks // 2, pairs)
        for bar in range(timing.bars)
    ]
    return mood_samples(arc, middles)


def plan_cue(
    *,
    cue_id: str,
    beat: Beat,
    mood: Mood,
    style: Style,
    lead: Saxophone,
    arc: MoodArc | None = None,
    key: Key | None = None,
    tempo_bpm: float | None = None,
    bars: int | None = None,
    home_key: Key = HOME_KEY,
    next_cue: NextCue | None = None,
    after_silence: bool = True,
) -> CueSpec:
    """Plan one cue for a beat.

    Args:
        cue_id: the cue number.
        beat: the beat (its timing, hits, characters).
        mood: the beat's mood (the middle of its arc).
        style: the chosen style.
        lead: the saxophone.
        arc: the story's arc for bar-by-bar moods; ``None`` holds ``mood`` throughout.
        key: a fixed key, else chosen by :func:`choose_key` (or the beat's ``key``).
        tempo_bpm: a fixed target tempo, else :func:`target_tempo_bpm`.
        bars: a fixed bar count (the tempo then follows from the beat's duration).
        home_key: the story's home key.
        next_cue: the cue that starts where this one ends, if any (the last bar then moves
            towards its tempo, see :func:`final_tempo_factor`).
        after_silence: whether the cue starts after silence or at the story's start.
    """
    if key is None and beat.key is not None:
        key = parse_key(beat.key)
    chosen_key = (
        key
        if key is not None
        else choose_key(mood, style, home=home_key, variant=seed_key_for(beat.id)[0])
    )
    target = tempo_bpm if tempo_bpm is not None else target_tempo_bpm(style, mood)
    low, high = style.tempo_min_bpm, style.tempo_max_bpm
    if tempo_bpm is not None:
        low, high = min(low, tempo_bpm), max(high, tempo_bpm)
    timing = fit_timing(
        duration_seconds=beat.duration_seconds,
        hits_seconds=beat.hits_seconds,
        meter=style.meter,
        tempo_min_bpm=low,
        tempo_max_bpm=high,
        target_bpm=target,
        ritardando=style.ritardando,
        bars=bars,
        accelerando=style.accelerando,
        final_factor=final_tempo_factor(
            style, target * style.meter.pulse_ticks / TICKS_PER_QUARTER, next_cue
        ),
    )
    for hit in timing.hits:
        if abs(hit.error_seconds) > 1 / 24:
            logger.info(
                "cue %s: hit at %.3f s lands %.3f s off its pulse",
                cue_id,
                hit.seconds,
                hit.error_seconds,
            )
    return CueSpec(
        cue_id=cue_id,
        beat_id=beat.id,
        beat_index=beat.index,
        title=beat.title,
        style=style.id,
        key=chosen_key,
        meter=style.meter,
        tempo_bpm=timing.tempo_bpm,
        tempo_map=timing.tempo_map,
        bars=timing.bars,
        end_tick=timing.bars * style.meter.bar_ticks,
        sections=_sections(style, timing.bars),
        hits=timing.hits,
        mood=mood,
        bar_moods=_bar_moods(arc, mood, beat.start_seconds, timing, style.meter),
        lead=lead,
        start_seconds=beat.start_seconds,
        duration_seconds=beat.duration_seconds,
        characters=beat.characters,
        seed_key=seed_key_for(beat.id),
        next_cue=next_cue,
        after_silence=after_silence,
    )


def plan_sketch(
    style: Style,
    *,
    mood: Mood | None = None,
    bars: int | None = None,
    seconds: float | None = None,
    key: Key | None = None,
    tempo_bpm: float | None = None,
    lead: Saxophone = Saxophone.ALTO,
    hits_seconds: Sequence[float] = (),
    motifs: Sequence[Motif] = (),
) -> CueSpec:
    """Plan a stand-alone cue in a style (``soundtrack cue``): no story, one mood throughout.

    Args:
        style: the style.
        mood: the mood (default: the style's prototype mood).
        bars: length in bars (default 16 when ``seconds`` is not given either).
        seconds: exact length in seconds (instead of ``bars``).
        key: the key (default: chosen from the mood as for a story cue).
        tempo_bpm: target tempo (default: from the mood).
        lead: the saxophone.
        hits_seconds: hit points, seconds from the start (with ``seconds``).
        motifs: leitmotifs to state, the first leading (placed as in a story cue, see
            :func:`soundtrack.motif_spotting.spot_motifs`).

    Raises:
        ValueError: both ``bars`` and ``seconds`` given.
    """
    if bars is not None and seconds is not None:
        raise ValueError("give bars or seconds, not both")
    mood = mood if mood is not None else style.mood
    tempo = tempo_bpm if tempo_bpm is not None else target_tempo_bpm(style, mood)
    if seconds is None:
        bars = bars if bars is not None else 16
        seconds = cue_duration_seconds(style, bars=bars, tempo_bpm=tempo)
    beat = Beat(
        id=f"cue-{style.id}",
        index=0,
        title=f"{style.name} sketch",
        start_seconds=0.0,
        duration_seconds=seconds,
        style=style.id,
        hits_seconds=tuple(hits_seconds),
    )
    spec = plan_cue(
        cue_id="1M1",
        beat=dataclasses.replace(beat, characters=tuple(motif.name for motif in motifs)),
        mood=mood,
        style=style,
        lead=lead,
        key=key,
        tempo_bpm=tempo,
        bars=bars,
    )
    if not motifs:
        return spec
    library = {motif.name: motif for motif in motifs}
    placements = spot_motifs(spec, style, library)
    return dataclasses.replace(spec, motifs=placements)


def plan_cues(story: Story, arc: MoodArc) -> CuePlan:
    """Plan every cue of a story (one per beat with music), in story order.

    Two passes: the first plans every cue on its own; the second tells each cue which cue
    follows it without silence (so its last bar can move towards that cue's tempo and its
    harmony prepare that key; not when its beat has ``segue = false``) and whether it starts
    after silence, then places the leitmotifs (:func:`soundtrack.motif_spotting.spot_motifs`).

    Raises:
        StoryError: when a beat names a style that does not exist.
        MotifError: when a motif file of the story's motif folders is invalid.
    """
    styles = list_styles()
    library = {motif.name: motif for motif in list_motifs(story.motif_folders)}
    _warn_near_misses(story, library)
    frame_seconds = 1.0 / story.frame_rate
    planned: list[tuple[Beat, Mood, Style, str]] = []
    reel_counts: dict[int, int] = {}
    for beat in story.beats:
        if not beat.music:
            continue
        mood = mood_at(arc, beat.start_seconds + beat.duration_seconds / 2)
        try:
            style = choose_style(beat, mood, styles)
        except StyleError as error:
            raise StoryError(f"{story.source}: beat {beat.id!r}: {error}") from error
        reel = int(beat.start_seconds // REEL_SECONDS) + 1
        reel_counts[reel] = reel_counts.get(reel, 0) + 1
        planned.append((beat, mood, style, f"{reel}M{reel_counts[reel]}"))

    def plan(index: int, next_cue: NextCue | None = None, after_silence: bool = True) -> CueSpec:
        beat, mood, style, cue_id = planned[index]
        return plan_cue(
            cue_id=cue_id,
            beat=beat,
            mood=mood,
            style=style,
            lead=beat.lead if beat.lead is not None else story.lead,
            arc=arc,
            next_cue=next_cue,
            after_silence=after_silence,
        )

    alone = [plan(index) for index in range(len(planned))]
    cues: list[CueSpec] = []
    for index, spec in enumerate(alone):
        following = alone[index + 1] if index + 1 < len(alone) else None
        previous = alone[index - 1] if index > 0 else None
        joined_next = (
            following is not None
            and planned[index][0].segue
            and abs(following.start_seconds - (spec.start_seconds + spec.duration_seconds))
            <= frame_seconds
        )
        joined_previous = (
            previous is not None
            and abs(spec.start_seconds - (previous.start_seconds + previous.duration_seconds))
            <= frame_seconds
        )
        next_cue = _next_cue(following) if joined_next and following is not None else None
        if next_cue is not None or joined_previous:
            spec = plan(index, next_cue=next_cue, after_silence=not joined_previous)
        style = planned[index][2]
        placements = spot_motifs(spec, style, library)
        cues.append(dataclasses.replace(spec, motifs=placements) if placements else spec)
    return CuePlan(story=story, cues=tuple(cues))


def _warn_near_misses(story: Story, library: Mapping[str, Motif]) -> None:
    """Log a warning for a character that has no motif but is one typo away from one (a
    character without a motif is fine: an idea, a place; a misspelt one silently loses its
    theme)."""
    for beat in story.beats:
        for name in beat.characters:
            if name in library:
                continue
            hint = did_you_mean(name, library, cutoff=TYPO_SIMILARITY)
            if hint:
                logger.warning(
                    "%s: beat %r: character %r has no leitmotif%s",
                    story.source,
                    beat.id,
                    name,
                    hint,
                )


def _next_cue(spec: CueSpec) -> NextCue:
    """What a cue needs to know of the cue that follows it without silence."""
    first = spec.tempo_map[0]
    return NextCue(
        cue_id=spec.cue_id,
        key=spec.key,
        tempo_bpm=first.quarter_bpm,
        style=spec.style,
        meter=spec.meter,
    )
