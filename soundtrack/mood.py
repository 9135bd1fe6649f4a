"""The mood stage: :class:`~soundtrack.model.Story` -> :class:`~soundtrack.model.MoodArc`.

Input is a story; output is one mood per beat (valence -1..1, arousal 0..1, tension 0..1) and a
continuous curve over story time that spotting samples once per bar.

Per beat (:func:`mood_arc`)
    Explicit ``mood`` tags win, dimension by dimension (values outside the ranges are clamped,
    with a warning). The other dimensions are inferred from the beat's title, text and setting
    (``"new-york"`` reads as ``"new york"``) joined into one text. :attr:`BeatMood.sources` says
    ``"explicit"``, ``"text"`` (the text gave evidence) or ``"default"`` (it gave none) per
    dimension. Beats without music have a mood too.

Text -> mood (:func:`infer_mood`, :func:`analyse_text`)
    The word lists and every weight live in ``soundtrack/data/mood_words.toml`` (with where each
    comes from). Rules:

    * **Tokens** are words (letters and apostrophes) and the marks ``. , ; : ! ?``; the marks end
      a *clause*, the scope of the modifiers below.
    * **Stems**: entries and text words go through the same light suffix stripper (possessive
      ``'s``; ``ies``/``ied``/``ily`` -> ``y``; ``ing``, ``ed`` (not ``eed``), ``ly``, ``s`` (not
      ``ss``/``us``/``is``) with a minimum stem length; undoubling (``runn`` -> ``run``); final
      ``e``), after an irregular-forms table (``ran`` -> ``run``). So ``run`` matches runs,
      running and ran; ``die`` matches dies, died and dying.
    * **Categories** (action, violence, outburst, threat, fear, conflict, loss, calm, festive,
      tender, relief, warmth, bustle, abrupt) give each matched word or phrase (longest phrase
      first) points of arousal, tension and valence.
    * **Modifiers**, looked for up to three tokens before a scored word in its clause: a negator
      (``not``, ``never``, ``...n't``) multiplies its points by -0.3 (-0.74 for valence, as VADER
      does); a booster (``very``, ``extremely``) by 1.5; a dampener (``slightly``) by 0.5. A booster
      that modifies nothing still adds a little arousal.
    * **Punctuation**: each ``!`` adds arousal and a little tension (at most four count); each
      ``?`` adds tension (at most three).
    * **Arousal and tension**: the points ``S`` are summed over the text and squashed,
      ``f(S) = S / sqrt(S**2 + 9)`` in -1..1; the value moves from its default towards 1 (``S > 0``:
      ``d + (1 - d) f``) or towards 0 (``S < 0``: ``d (1 + f)``).
    * **Valence** is VADER's (vaderSentiment, MIT, offline; its lexicon amended by the data
      file's ``[valence_lexicon]``, e.g. "defects" means defecting here, not flaws). Its compound
      is turned back into VADER's raw sum, our category valence points are added for words VADER
      does not know (so no word counts twice), an "ender" (``ends``, ``fades``) flips the valence
      of the words just before it ("the romance ends" is sad, "the war ends" a relief), and the sum
      is squashed again with VADER's ``x / sqrt(x**2 + 15)`` and scaled by 0.9: text alone never
      claims the extremes.
    * A dimension without any evidence (no scored word, mark or VADER word) keeps its **default**:
      valence 0, arousal 0.4, tension 0.3 (:data:`DEFAULT_MOOD`). The empty text gives exactly
      :data:`DEFAULT_MOOD`.

The curve (:func:`mood_arc`, :func:`mood_at`, :func:`mood_samples`)
    Each beat holds its mood over its central part. Around each boundary the curve blends with a
    raised-cosine (``(1 - cos(pi x)) / 2``) transition from the last :data:`BLEND_FRACTION` (15 %)
    of one beat to the first 15 % of the next, each side at most :data:`BLEND_MAX_SECONDS` (8 s);
    a gap between beats is blended across as well. There is no blend before the first beat or
    after the last. The transition is stored as :data:`BLEND_SEGMENTS` linear pieces, so the
    knots of :class:`MoodArc` with *linear* interpolation between them are the curve exactly
    (``numpy.interp`` over the knots gives the same values as :func:`mood_at`). Outside the knots
    the curve is clamped to the first/last knot. The curve follows the beats in time order;
    beats that overlap by more than their blends are refused (``ValueError``; the story loader
    never lets them through). An arc of a story without beats has one knot at 0 s holding
    :data:`DEFAULT_MOOD`.
"""

from __future__ import annotations

import logging
import math
import re
import tomllib
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Protocol

import numpy as np

from soundtrack.model import Beat, BeatMood, Mood, MoodArc, MoodTags, Story

__all__ = [
    "BLEND_FRACTION",
    "BLEND_MAX_SECONDS",
    "BLEND_SEGMENTS",
    "DEFAULT_MOOD",
    "DIMENSIONS",
    "TextMood",
    "analyse_text",
    "arc_rows",
    "beat_text",
    "infer_mood",
    "mood_arc",
    "mood_at",
    "mood_samples",
    "stem",
]

logger = logging.getLogger(__name__)

#: The mood dimensions, in the order used everywhere (rows, sources, tests).
DIMENSIONS: tuple[str, str, str] = ("valence", "arousal", "tension")

#: Fraction of a beat's duration its transition into a neighbour may take, each side.
BLEND_FRACTION = 0.15
#: Upper bound of one side of a transition, seconds.
BLEND_MAX_SECONDS = 8.0
#: Linear pieces that approximate (and define) one raised-cosine transition.
BLEND_SEGMENTS = 12

_DATA_PACKAGE = "soundtrack"
_DATA_FILE = "data/mood_words.toml"

_TOKEN_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|[.,;:!?]")
_CLAUSE_MARKS = frozenset(".,;:!?")
_RANGES: dict[str, tuple[float, float]] = {
    "valence": (-1.0, 1.0),
    "arousal": (0.0, 1.0),
    "tension": (0.0, 1.0),
}


# ---------------------------------------------------------------- word data


@dataclass(frozen=True, slots=True)
class _Category:
    """One word list: points per occurrence for each dimension."""

    name: str
    valence: float
    arousal: float
    tension: float


@dataclass(frozen=True, slots=True)
class _Lexicon:
    """The parsed ``mood_words.toml``."""

    defaults: Mood
    rules: Mapping[str, float]
    negators: frozenset[str]
    boosters: frozenset[str]
    dampeners: frozenset[str]
    enders: frozenset[str]
    irregular: Mapping[str, str]
    valence_lexicon: Mapping[str, float]
    words: Mapping[str, _Category]
    phrases: Mapping[tuple[str, ...], _Category]
    longest_phrase: int


_RULE_NAMES = (
    "saturation",
    "vader_alpha",
    "valence_scale",
    "negation_window",
    "negation_factor_valence",
    "negation_factor",
    "booster_window",
    "booster_factor",
    "booster_arousal",
    "dampener_factor",
    "exclamation_arousal",
    "exclamation_tension",
    "exclamation_cap",
    "question_tension",
    "question_cap",
    "ender_window",
    "ender_flip",
)


def _stem_with(word: str, irregular: Mapping[str, str]) -> str:
    """Stem one lower-case word (see the module docstring)."""
    w = word.replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.strip("'")
    w = irregular.get(w, w)
    stripped = ""
    if (len(w) > 4 and w.endswith(("ies", "ied"))) or (len(w) > 5 and w.endswith("ily")):
        w = w[:-3] + "y"
    elif len(w) >= 6 and w.endswith("ing"):
        w, stripped = w[:-3], "ing"
    elif len(w) >= 4 and w.endswith("ed") and not w.endswith("eed"):
        w, stripped = w[:-2], "ed"
    elif len(w) >= 5 and w.endswith("ly"):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if stripped and len(w) >= 3 and w[-1] == w[-2] and w[-1] not in "aeiouylsz":
        w = w[:-1]
    if len(w) > 2 and w.endswith("e") and not w.endswith("ee"):
        w = w[:-1]
    return w


def _number(table: Mapping[str, Any], name: str, where: str) -> float:
    value = table.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{_DATA_FILE}: {where}.{name} must be a number, got {value!r}")
    return float(value)


def _strings(table: Mapping[str, Any], name: str, where: str) -> list[str]:
    value = table.get(name)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"{_DATA_FILE}: {where}.{name} must be a list of strings")
    return [item.lower() for item in value]


def _parse_lexicon(data: Mapping[str, Any]) -> _Lexicon:
    """Build a :class:`_Lexicon` from the TOML document; ``ValueError`` when malformed."""
    defaults = data["defaults"]
    rules_table = data["rules"]
    modifiers = data["modifiers"]
    irregular = {str(key).lower(): str(value).lower() for key, value in data["irregular"].items()}
    valence_lexicon = {
        str(key).lower(): _number(data["valence_lexicon"], key, "valence_lexicon")
        for key in data["valence_lexicon"]
    }
    words: dict[str, _Category] = {}
    phrases: dict[tuple[str, ...], _Category] = {}
    for name, table in data["categories"].items():
        category = _Category(
            name=name,
            valence=_number(table, "valence", f"categories.{name}"),
            arousal=_number(table, "arousal", f"categories.{name}"),
            tension=_number(table, "tension", f"categories.{name}"),
        )
        for entry in _strings(table, "words", f"categories.{name}"):
            stems = tuple(_stem_with(part, irregular) for part in entry.split())
            target: dict[Any, _Category] = phrases if len(stems) > 1 else words
            key: Any = stems if len(stems) > 1 else stems[0]
            other = target.get(key)
            if other is not None and other.name != name:
                raise ValueError(
                    f"{_DATA_FILE}: {entry!r} (stem {key!r}) is in both "
                    f"categories.{other.name} and categories.{name}"
                )
            target[key] = category
    return _Lexicon(
        defaults=Mood(
            valence=_number(defaults, "valence", "defaults"),
            arousal=_number(defaults, "arousal", "defaults"),
            tension=_number(defaults, "tension", "defaults"),
        ),
        rules={name: _number(rules_table, name, "rules") for name in _RULE_NAMES},
        negators=frozenset(_strings(modifiers, "negators", "modifiers")),
        boosters=frozenset(_strings(modifiers, "boosters", "modifiers")),
        dampeners=frozenset(_strings(modifiers, "dampeners", "modifiers")),
        enders=frozenset(_strings(modifiers, "enders", "modifiers")),
        irregular=irregular,
        valence_lexicon=valence_lexicon,
        words=words,
        phrases=phrases,
        longest_phrase=max((len(key) for key in phrases), default=1),
    )


@cache
def _lexicon() -> _Lexicon:
    """The package's word data, read once."""
    text = resources.files(_DATA_PACKAGE).joinpath(_DATA_FILE).read_text(encoding="utf-8")
    return _parse_lexicon(tomllib.loads(text))


class _Analyzer(Protocol):
    lexicon: dict[str, float]

    def polarity_scores(self, text: str) -> dict[str, float]: ...


@cache
def _vader() -> _Analyzer:
    """VADER's analyser with our lexicon amendments, created once (about 30 ms)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer: _Analyzer = SentimentIntensityAnalyzer()
    analyzer.lexicon.update(_lexicon().valence_lexicon)
    return analyzer


#: Mood of a text that says nothing (valence 0, arousal 0.4, tension 0.3), from the data file.
DEFAULT_MOOD: Mood = _lexicon().defaults


def stem(word: str) -> str:
    """The stem the word lists are matched on.

    Args:
        word: one word, any case (``"Running"``, ``"Bloomingdale's"``).

    Returns:
        The lower-case stem (``"run"``, ``"bloomingdale"``). Only meaningful for comparing with
        other stems.
    """
    return _stem_with(word.lower(), _lexicon().irregular)


# ---------------------------------------------------------------- text -> mood


@dataclass(frozen=True, slots=True, kw_only=True)
class TextMood:
    """What :func:`analyse_text` read in a text.

    Attributes:
        mood: the inferred mood (valence -1..1, arousal 0..1, tension 0..1).
        evidence: the dimensions the text gave evidence for; the others hold their default.
        matches: the words and phrases that scored, as ``"word:category"`` (plus ``"!"``/``"?"``
            and ``"very:booster"`` entries), in text order; for logs and the curious.
        vader_compound: VADER's compound score of the text, -1..1.
    """

    mood: Mood
    evidence: frozenset[str]
    matches: tuple[str, ...]
    vader_compound: float


def _squash(points: float, alpha: float) -> float:
    """``points / sqrt(points**2 + alpha)``: any real -> -1..1, odd, increasing."""
    return points / math.sqrt(points * points + alpha)


def _towards(default: float, squashed: float) -> float:
    """Move a 0..1 default towards 1 (``squashed > 0``) or 0 (``< 0``) by ``|squashed|``."""
    if squashed >= 0.0:
        return default + (1.0 - default) * squashed
    return default * (1.0 + squashed)


def _clamp(value: float, low: float, high: float) -> float:
    return low if value < low else high if value > high else value


def analyse_text(text: str) -> TextMood:
    """Infer a mood from free text, with the evidence (rules in the module docstring).

    Args:
        text: any English text (a beat's title, text and setting); may be empty.

    Returns:
        The inferred mood and what it rests on. The empty text (or one without evidence) gives
        :data:`DEFAULT_MOOD`.
    """
    lexicon = _lexicon()
    rules = lexicon.rules
    tokens = [token.lower().replace("’", "'") for token in _TOKEN_RE.findall(text)]
    count = len(tokens)
    stems = [
        token if token in _CLAUSE_MARKS else _stem_with(token, lexicon.irregular)
        for token in tokens
    ]
    clause_start: list[int] = []
    start = 0
    for index, token in enumerate(tokens):
        clause_start.append(start)
        if token in _CLAUSE_MARKS:
            start = index + 1

    # Scored terms: (first token, last token + 1, category), longest phrase first.
    terms: list[tuple[int, int, _Category]] = []
    in_term = [False] * count
    index = 0
    while index < count:
        if tokens[index] in _CLAUSE_MARKS:
            index += 1
            continue
        found: _Category | None = None
        length = 1
        for size in range(min(lexicon.longest_phrase, count - index), 1, -1):
            found = lexicon.phrases.get(tuple(stems[index : index + size]))
            if found is not None:
                length = size
                break
        if found is None:
            found = lexicon.words.get(stems[index])
        if found is not None:
            terms.append((index, index + length, found))
            for position in range(index, index + length):
                in_term[position] = True
        index += length

    vader = _vader()
    known = vader.lexicon
    points = {"valence": 0.0, "arousal": 0.0, "tension": 0.0}
    evidence: set[str] = set()
    matches: list[str] = []
    used_boosters: set[int] = set()
    negation_window = int(rules["negation_window"])
    booster_window = int(rules["booster_window"])

    for first, last, category in terms:
        factor = 1.0
        valence_factor = 1.0
        lookback = max(clause_start[first], first - max(negation_window, booster_window))
        for position in range(lookback, first):
            if in_term[position]:
                continue
            token = tokens[position]
            distance = first - position
            if distance <= negation_window and (token in lexicon.negators or token.endswith("n't")):
                factor *= rules["negation_factor"]
                valence_factor *= rules["negation_factor_valence"]
            elif distance <= booster_window and token in lexicon.boosters:
                factor *= rules["booster_factor"]
                valence_factor *= rules["booster_factor"]
                used_boosters.add(position)
            elif distance <= booster_window and token in lexicon.dampeners:
                factor *= rules["dampener_factor"]
                valence_factor *= rules["dampener_factor"]
        words = tokens[first:last]
        matches.append(f"{' '.join(words)}:{category.name}")
        for dimension in ("arousal", "tension"):
            weight: float = getattr(category, dimension)
            if weight:
                points[dimension] += weight * factor
                evidence.add(dimension)
        if category.valence and not any(word in known for word in words):
            points["valence"] += category.valence * valence_factor
            evidence.add("valence")

    # Enders flip the valence of what comes just before them in their clause.
    valence_of_token: dict[int, float] = {}
    for first, last, category in terms:
        if category.valence:
            for position in range(first, last):
                valence_of_token[position] = category.valence
    ender_window = int(rules["ender_window"])
    for position, token in enumerate(tokens):
        if token not in lexicon.enders:
            continue
        for before in range(max(clause_start[position], position - ender_window), position):
            value = known.get(tokens[before], valence_of_token.get(before, 0.0))
            if value:
                points["valence"] += rules["ender_flip"] * value
                evidence.add("valence")
                matches.append(f"{tokens[before]} {token}:ender")

    for position, token in enumerate(tokens):
        if token in lexicon.boosters and position not in used_boosters and not in_term[position]:
            points["arousal"] += rules["booster_arousal"]
            evidence.add("arousal")
            matches.append(f"{token}:booster")

    exclamations = min(tokens.count("!"), int(rules["exclamation_cap"]))
    questions = min(tokens.count("?"), int(rules["question_cap"]))
    if exclamations:
        points["arousal"] += rules["exclamation_arousal"] * exclamations
        points["tension"] += rules["exclamation_tension"] * exclamations
        evidence.update(("arousal", "tension"))
        matches.append("!" * exclamations)
    if questions:
        points["tension"] += rules["question_tension"] * questions
        evidence.add("tension")
        matches.append("?" * questions)

    no_words = {"compound": 0.0, "pos": 0.0, "neg": 0.0}
    scores = vader.polarity_scores(text) if text.strip() else no_words
    compound = float(scores["compound"])
    if scores["pos"] + scores["neg"] > 0.0:
        evidence.add("valence")
    alpha = rules["vader_alpha"]
    bounded = _clamp(compound, -0.9999, 0.9999)
    raw = bounded * math.sqrt(alpha / (1.0 - bounded * bounded))
    defaults = lexicon.defaults
    valence = (
        _clamp(rules["valence_scale"] * _squash(raw + points["valence"], alpha), -1.0, 1.0)
        if "valence" in evidence
        else defaults.valence
    )
    saturation = rules["saturation"]
    arousal = (
        _clamp(_towards(defaults.arousal, _squash(points["arousal"], saturation)), 0.0, 1.0)
        if "arousal" in evidence
        else defaults.arousal
    )
    tension = (
        _clamp(_towards(defaults.tension, _squash(points["tension"], saturation)), 0.0, 1.0)
        if "tension" in evidence
        else defaults.tension
    )
    return TextMood(
        mood=Mood(valence=valence, arousal=arousal, tension=tension),
        evidence=frozenset(evidence),
        matches=tuple(matches),
        vader_compound=compound,
    )


def infer_mood(text: str) -> Mood:
    """Infer a mood from free text (rules in the module docstring).

    Args:
        text: any English text; may be empty.

    Returns:
        valence -1..1, arousal 0..1, tension 0..1; :data:`DEFAULT_MOOD` for the empty text.
    """
    return analyse_text(text).mood


# ---------------------------------------------------------------- story -> arc


def beat_text(beat: Beat) -> str:
    """The text a beat's mood is inferred from: title, text and setting (hyphens as spaces).

    Args:
        beat: the beat.

    Returns:
        The non-empty parts joined with ``". "``.
    """
    parts = (beat.title.strip(), beat.text.strip(), beat.setting.replace("-", " ").strip())
    return ". ".join(part for part in parts if part)


def _explicit(tags: MoodTags, dimension: str, beat_id: str) -> float | None:
    value: float | None = getattr(tags, dimension)
    if value is None:
        return None
    if not math.isfinite(value):
        raise ValueError(f"beat {beat_id!r}: mood.{dimension} is not a finite number: {value!r}")
    low, high = _RANGES[dimension]
    if not low <= value <= high:
        logger.warning(
            "beat %r: mood.%s = %s is outside %s..%s, clamped", beat_id, dimension, value, low, high
        )
        return _clamp(float(value), low, high)
    return float(value)


def _beat_mood(beat: Beat) -> BeatMood:
    reading = analyse_text(beat_text(beat))
    values: dict[str, float] = {}
    sources: dict[str, str] = {}
    for dimension in DIMENSIONS:
        explicit = _explicit(beat.mood, dimension, beat.id)
        if explicit is not None:
            values[dimension], sources[dimension] = explicit, "explicit"
        else:
            values[dimension] = getattr(reading.mood, dimension)
            sources[dimension] = "text" if dimension in reading.evidence else "default"
    logger.debug(
        "beat %r: mood %s, sources %s, matched %s",
        beat.id,
        {name: round(value, 3) for name, value in values.items()},
        sources,
        reading.matches,
    )
    return BeatMood(beat_id=beat.id, mood=Mood(**values), sources=sources)


def _lerp(first: Mood, second: Mood, weight: float) -> Mood:
    """``first`` at weight 0, ``second`` at 1; the difference form keeps equal values exact."""
    return Mood(
        valence=first.valence + (second.valence - first.valence) * weight,
        arousal=first.arousal + (second.arousal - first.arousal) * weight,
        tension=first.tension + (second.tension - first.tension) * weight,
    )


def _blend_seconds(beat: Beat) -> float:
    return min(BLEND_FRACTION * beat.duration_seconds, BLEND_MAX_SECONDS)


def _knots(beats: Sequence[Beat], moods: Sequence[Mood]) -> tuple[list[float], list[Mood]]:
    """The curve's knots (see the module docstring); ``beats`` sorted by start."""
    seconds: list[float] = []
    values: list[Mood] = []

    def add(at: float, mood: Mood) -> None:
        if seconds and at <= seconds[-1]:
            return  # degenerate (zero-length) piece: keep knots strictly increasing
        seconds.append(at)
        values.append(mood)

    for index, (beat, mood) in enumerate(zip(beats, moods, strict=True)):
        hold_start = beat.start_seconds + (_blend_seconds(beat) if index > 0 else 0.0)
        hold_end = beat.end_seconds - (_blend_seconds(beat) if index < len(beats) - 1 else 0.0)
        if index > 0:
            previous_end, previous_mood = seconds[-1], values[-1]
            if hold_start <= previous_end:
                raise ValueError(
                    f"beats {beats[index - 1].id!r} and {beat.id!r} overlap; cannot blend them"
                )
            if previous_mood != mood:
                span = hold_start - previous_end
                for step in range(1, BLEND_SEGMENTS):
                    fraction = step / BLEND_SEGMENTS
                    weight = (1.0 - math.cos(math.pi * fraction)) / 2.0
                    add(previous_end + span * fraction, _lerp(previous_mood, mood, weight))
        add(hold_start, mood)
        add(hold_end, mood)
    return seconds, values


def mood_arc(story: Story) -> MoodArc:
    """The mood of every beat and the continuous curve over the story.

    Args:
        story: a validated story (beats in order, no overlaps).

    Returns:
        One :class:`BeatMood` per beat (story order) and the curve's knots (seconds from the
        story start, strictly increasing) with their moods; linear interpolation between knots
        is the curve (see the module docstring).

    Raises:
        ValueError: when beats overlap so much that they cannot be blended, or an explicit tag is
            not a finite number (both impossible for a story from the loader).
    """
    beat_moods = tuple(_beat_mood(beat) for beat in story.beats)
    order = sorted(range(len(story.beats)), key=lambda i: story.beats[i].start_seconds)
    seconds, values = _knots([story.beats[i] for i in order], [beat_moods[i].mood for i in order])
    if not seconds:
        seconds, values = [0.0], [DEFAULT_MOOD]
    return MoodArc(beats=beat_moods, knot_seconds=tuple(seconds), knot_moods=tuple(values))


# ---------------------------------------------------------------- sampling


def mood_at(arc: MoodArc, seconds: float) -> Mood:
    """The arc's mood at a time (O(log knots)).

    Args:
        arc: the arc.
        seconds: time from the story start, seconds; before the first knot or after the last the
            first/last knot's mood is returned.

    Returns:
        The interpolated mood, inside the ranges.
    """
    times = arc.knot_seconds
    if not times:
        return DEFAULT_MOOD
    index = bisect_right(times, seconds)
    if index == 0:
        return arc.knot_moods[0]
    if index >= len(times):
        return arc.knot_moods[-1]
    start, end = times[index - 1], times[index]
    weight = (seconds - start) / (end - start)
    mood = _lerp(arc.knot_moods[index - 1], arc.knot_moods[index], weight)
    return Mood(
        valence=_clamp(mood.valence, -1.0, 1.0),
        arousal=_clamp(mood.arousal, 0.0, 1.0),
        tension=_clamp(mood.tension, 0.0, 1.0),
    )


def mood_samples(arc: MoodArc, seconds: Iterable[float]) -> tuple[Mood, ...]:
    """The arc's mood at many times at once (numpy; same values as :func:`mood_at`).

    Args:
        arc: the arc.
        seconds: times from the story start, seconds, any order (a sequence, a numpy array or
            any iterable of floats).

    Returns:
        One mood per time, in the order given.
    """
    given = seconds if isinstance(seconds, Sequence | np.ndarray) else list(seconds)
    at = np.asarray(given, dtype=np.float64).reshape(-1)
    if at.size == 0:
        return ()
    if not arc.knot_seconds:
        return (DEFAULT_MOOD,) * int(at.size)
    knots = np.asarray(arc.knot_seconds, dtype=np.float64)
    columns = []
    for dimension in DIMENSIONS:
        low, high = _RANGES[dimension]
        values = np.asarray([getattr(mood, dimension) for mood in arc.knot_moods], dtype=np.float64)
        columns.append(np.clip(np.interp(at, knots, values), low, high).tolist())
    return tuple(
        Mood(valence=valence, arousal=arousal, tension=tension)
        for valence, arousal, tension in zip(*columns, strict=True)
    )


# ---------------------------------------------------------------- table


def arc_rows(story: Story, arc: MoodArc) -> list[dict[str, object]]:
    """One row per beat for ``soundtrack arc`` (values unformatted).

    Args:
        story: the story.
        arc: its arc (from :func:`mood_arc`).

    Returns:
        Rows in story order with keys ``index`` (0-based), ``beat`` (id), ``title``,
        ``start_seconds``, ``duration_seconds``, ``music`` (bool), ``valence`` (-1..1),
        ``arousal`` (0..1), ``tension`` (0..1) (the beat's own mood, before smoothing),
        ``explicit`` (list of the dimensions given in the story) and ``sources`` (dimension ->
        ``"explicit"``/``"text"``/``"default"``). JSON-serialisable.

    Raises:
        KeyError: when the arc has no mood for one of the story's beats.
    """
    rows: list[dict[str, object]] = []
    for beat in story.beats:
        beat_mood = arc.beat(beat.id)
        rows.append(
            {
                "index": beat.index,
                "beat": beat.id,
                "title": beat.title,
                "start_seconds": beat.start_seconds,
                "duration_seconds": beat.duration_seconds,
                "music": beat.music,
                "valence": beat_mood.mood.valence,
                "arousal": beat_mood.mood.arousal,
                "tension": beat_mood.mood.tension,
                "explicit": [
                    name for name in DIMENSIONS if beat_mood.sources.get(name) == "explicit"
                ],
                "sources": dict(beat_mood.sources),
            }
        )
    return rows
