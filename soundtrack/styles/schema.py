"""The shape of a style: what a style data file (``soundtrack/styles/<id>.toml``) declares.

Spotting reads the planning fields (meter, tempo range, settings, prototype mood, keys, form);
compose reads the rest (instruments and their patterns, harmony, swing, lead idioms). The loader in
:mod:`soundtrack.styles` builds these values from the TOML files and reports every problem.

This module also holds the closed vocabularies a style file may use: chord qualities
(:data:`CHORD_QUALITIES`, each spelt the way ``music21.harmony.ChordSymbol`` reads it), General MIDI
drum names (:data:`GM_DRUMS`), the step-grid symbols of each kind of part, and the roman-numeral
chord notation of progressions (:func:`parse_roman_chord`, :func:`parse_progression`).

Roman-numeral notation (see :func:`parse_roman_chord`): degrees are counted on the **major**
scale of the tonic in every mode, so minor-key progressions write ``bIII``, ``bVI``, ``bVII``; an
upper-case numeral is a major-third chord (``V7`` is a dominant seventh, ``Imaj7`` a major
seventh), a lower-case numeral a minor-third one (``ii7`` is ``m7``, ``ii7b5`` is ``m7b5``, ``iv6``
is ``m6``); ``viio7`` and ``#ivo7`` are diminished sevenths. A progression is bars separated by
``|``; the chords of a bar split it into equal parts, and ``.`` continues the chord before
(``"I . IV V7"``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from soundtrack.model import Meter, Mode, Mood, Role

__all__ = [
    "ACCENT_SYMBOLS",
    "BASS_SYMBOLS",
    "CHORD_QUALITIES",
    "CHORD_SYMBOLS",
    "DEFAULT_PLAIN_QUALITIES",
    "DRUM_SYMBOLS",
    "GM_DRUMS",
    "QUALITY_ALIASES",
    "ChordQuality",
    "DrumLine",
    "FormSection",
    "Harmony",
    "Instrument",
    "LeadStyle",
    "ModeHarmony",
    "Pattern",
    "PatternPlace",
    "Progression",
    "RomanChord",
    "SectionHarmony",
    "Style",
    "Voicing",
    "canonical_quality",
    "parse_progression",
    "parse_roman_chord",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class FormSection:
    """One section of a style's form: ``name`` (``A``, ``B``, ``trio``...) lasting ``bars`` bars."""

    name: str
    bars: int


@dataclass(frozen=True, slots=True, kw_only=True)
class LeadStyle:
    """How the saxophone lead plays in a style (the ``[lead]`` table of a style file).

    Owned by :mod:`soundtrack.compose.lead`; every field has a default so a style file names only
    what differs. The loader builds it from the table's keys (an unknown key is an error) and may
    call :meth:`problems` to report out-of-range values. Probabilities are 0..1; "beat" means the
    meter's counted pulse (a quarter in 4/4, a half in 2/2, a dotted quarter in 6/8). The defaults
    describe a medium-tempo jazz soloist calibrated on the Weimar Jazz Database (see
    ``benchmarks/lead_likeness.py``).

    Attributes:
        swing: swing the eighth notes (only in quarter-based meters); the ratio follows the tempo,
            about 3:1 at 60 bpm, 2:1 at 140 bpm, nearly straight at 300 bpm.
        swing_amount: share of the band's swing (:attr:`Style.swing`, or all of the tempo's
            swing when the band plays straight) that the soloist uses, 0 (straight) .. 1 (as the
            drummer); soloists swing less than the drummer.
        lay_back_ms: how far behind the beat the lead plays, milliseconds (0..60).
        subdivision: rhythmic grid slots per beat (2 = eighths in 4/4, 3 = eighths in 6/8 or
            triplets, 4 = sixteenths in 4/4 or eighths in 2/2), 1..8.
        notes_per_beat: note density inside phrases at arousal 0.5, notes per beat (> 0); arousal
            scales it from about 0.6x (calm) to 1.4x (excited).
        double_time: probability (at density 1 per grid slot, scaled by density) that a beat
            inside a phrase is filled with notes twice as fast as the grid (sixteenth runs in
            swing); only used when such notes last at least 70 ms.
        tempo_scaling: how density follows the tempo, 0..1: notes per beat are multiplied by
            ``(140 / quarter-note bpm) ** tempo_scaling``; 0 keeps notes per beat whatever the
            tempo, 1 keeps notes per second (real jazz soloists: about 0.6, with double time in
            ballads and eighth-note lines at fast tempos).
        phrase_bars: median phrase length in bars (> 0); lengths spread log-normally around it.
        breath_beats: median breath rest between phrases, beats (>= 0.75).
        legato: sounding share of the time to the next onset, 0.3 (detached) .. 1.0 (legato).
        staccato: probability that a note of at most one beat is played short (half its length).
        syncopation: 0..1 preference for onsets off the beat tied over the next beat.
        register: centre of the line within the saxophone's range, 0 (lowest) .. 1 (highest).
        register_span: share of the range the line mostly moves in (0.2..1); the extreme top
            and bottom are reached only by mood pushes.
        steps: share of melodic moves that are scale steps (the rest are repeats, thirds, fourths
            and fifths, and leaps).
        leaps: share of melodic moves wider than a fifth.
        strong_chord_tone: probability that a free note on a strong beat (beats 1 and 3 in 4/4)
            is a chord tone rather than a tension (a neighbouring scale tone) at an ordinary
            tension (0.3); calm bars raise it towards 1, tense ones lower it to half.
            Motif notes, phrase ends and approach targets favour chord tones anyway: 0.3 gives
            the real solos' 50% chord tones on beats 1 and 3.
        approach: probability that a strong-beat target is approached chromatically from a
            semitone below or above. This and the next three hold at an ordinary tension (0.3)
            and scale with the bar's tension from 0.05 of the value (calm) to twice it (tense),
            see ``soundtrack.compose.lead.chromatic_factor``; tense bars also get a floor
            (``chromatic_floor``) so every style turns chromatic.
        chromatic: probability that a stepwise move between beats is a chromatic passing
            semitone.
        enclosure: probability that a strong-beat target is enclosed (scale tone above, a
            semitone below, then the target).
        blue_notes: probability that an off-beat note on the key's 3rd, 5th or 7th is flattened
            (and scooped); fades out as valence rises.
        major_scale: scale of major keys, one of :attr:`SCALES`.
        bebop_scales: from a bar tension of 0.2, walk eight-note bebop scales: the chord-scale
            plus a chromatic passing tone (the major 7th over a dominant, the #5 over a major
            chord, the major 3rd over a minor one).
        minor_scale: scale of minor keys, one of :attr:`SCALES` (``harmonic-minor`` for the Soviet
            circus, ``freygish`` or ``altered-dorian`` for klezmer).
        motif_repeat: probability that a phrase starts by restating the section's motif
            (transposed to the chord, often varied); the first phrase of a section always does.
        motif_vary: probability that a restated motif is varied (new tail, inversion, rhythm
            split or merge, fragment).
        sequence: probability that a motif is followed by a sequence (the motif again, a step or
            two higher or lower).
        motif_notes: notes in a motif, 3..10.
        velocity: mean MIDI velocity at arousal 0.5, 20..120.
        accent: strength of accents on strong beats, phrase peaks and hits, 0..1.
        ghost: probability that a weak, low note between beats is ghosted (played very softly).
        offbeat_accent: probability that an off-beat note is accented (swing phrasing).
        scoop: probability that a phrase's first note or a long note is scooped up into pitch.
        fall: probability that a phrase's last note falls off.
        vibrato: probability that a long note gets delayed vibrato.
        grace: probability that a strong-beat note gets a short grace note a step below.
        pitch_habits: how unevenly one player uses the pitch classes in a cue, 0 (no habits)
            .. 2 (log-normal sigma of their weights): real jazz solos use the pitch classes of
            their key less evenly than a line walking the scale at random (entropy about 0.07
            bit below the most even use of the same in-scale share; 0.025 without habits);
            1.2 reproduces them.
        riff: chance that a plain restatement of a motif repeats its first statement note for
            note (a riff) rather than following the new chord's scale; it differs from player
            to player around this value.
        triplets: probability that a beat played as two eighths (on the beat and off it) is
            played as an eighth-note triplet instead, a passing or turning note added between
            (the jazz soloist's triplet turns); only in meters whose beat is a quarter or a
            half, and only where a triplet eighth lasts at least 70 ms.
        final_hold: hold the cue's last note to the end of the cue; ``False`` ends on a short,
            accented final note on the last chord.
    """

    #: Scale names understood by ``major_scale`` and ``minor_scale``.
    SCALES: ClassVar[tuple[str, ...]] = (
        "ionian",
        "dorian",
        "phrygian",
        "lydian",
        "mixolydian",
        "aeolian",
        "locrian",
        "harmonic-minor",
        "melodic-minor",
        "freygish",
        "altered-dorian",
        "blues",
        "blues-composite",
        "major-pentatonic",
        "minor-pentatonic",
    )

    swing: bool = False
    swing_amount: float = 0.8
    lay_back_ms: float = 0.0
    subdivision: int = 2
    notes_per_beat: float = 2.0
    double_time: float = 0.1
    tempo_scaling: float = 0.0
    phrase_bars: float = 2.0
    breath_beats: float = 1.8
    legato: float = 0.85
    staccato: float = 0.1
    syncopation: float = 0.3
    register: float = 0.5
    register_span: float = 0.6
    steps: float = 0.55
    leaps: float = 0.025
    strong_chord_tone: float = 0.3
    approach: float = 0.3
    chromatic: float = 0.35
    enclosure: float = 0.1
    blue_notes: float = 0.0
    major_scale: str = "ionian"
    minor_scale: str = "aeolian"
    bebop_scales: bool = False
    motif_repeat: float = 0.5
    motif_vary: float = 0.5
    sequence: float = 0.2
    motif_notes: int = 5
    velocity: int = 80
    accent: float = 0.4
    ghost: float = 0.0
    offbeat_accent: float = 0.0
    scoop: float = 0.0
    fall: float = 0.0
    vibrato: float = 0.0
    grace: float = 0.0
    triplets: float = 0.0
    pitch_habits: float = 0.0
    riff: float = 0.0
    final_hold: bool = True

    def problems(self) -> tuple[tuple[str, str, str], ...]:
        """Values outside their documented ranges.

        Returns:
            One ``(field, expected, found)`` triple per bad value; empty when all are valid.
        """
        found: list[tuple[str, str, str]] = []
        unit_fields = (
            "swing_amount",
            "double_time",
            "tempo_scaling",
            "legato",
            "staccato",
            "syncopation",
            "register",
            "register_span",
            "steps",
            "leaps",
            "strong_chord_tone",
            "approach",
            "chromatic",
            "enclosure",
            "blue_notes",
            "motif_repeat",
            "motif_vary",
            "sequence",
            "accent",
            "ghost",
            "offbeat_accent",
            "scoop",
            "fall",
            "vibrato",
            "grace",
            "triplets",
            "riff",
        )
        for name in unit_fields:
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                found.append((name, "a number from 0 to 1", repr(value)))
        ranges: tuple[tuple[str, float, float, str], ...] = (
            ("lay_back_ms", 0.0, 60.0, "milliseconds from 0 to 60"),
            ("subdivision", 1, 8, "an integer from 1 to 8"),
            ("notes_per_beat", 0.1, 8.0, "notes per beat from 0.1 to 8"),
            ("phrase_bars", 0.25, 16.0, "bars from 0.25 to 16"),
            ("breath_beats", 0.75, 16.0, "beats from 0.75 to 16"),
            ("motif_notes", 3, 10, "an integer from 3 to 10"),
            ("pitch_habits", 0.0, 2.0, "a number from 0 to 2"),
            ("velocity", 20, 120, "a MIDI velocity from 20 to 120"),
        )
        for name, low, high, expected in ranges:
            value = getattr(self, name)
            if not low <= value <= high:
                found.append((name, expected, repr(value)))
        if self.steps + self.leaps > 0.95:
            found.append(("leaps", "steps + leaps at most 0.95", repr(self.steps + self.leaps)))
        for name in ("major_scale", "minor_scale"):
            value = getattr(self, name)
            if value not in self.SCALES:
                found.append((name, "one of " + ", ".join(self.SCALES), repr(value)))
        return tuple(found)


# ---------------------------------------------------------------- chord vocabulary


@dataclass(frozen=True, slots=True, kw_only=True)
class ChordQuality:
    """A chord quality: its suffix as written in chord symbols, and its tones above the root.

    Attributes:
        suffix: the suffix ``music21.harmony.ChordSymbol`` reads (``""``, ``m``, ``7``, ``maj7``,
            ``M9``, ``m7b5``...).
        third: semitones of the third above the root (4 major, 3 minor; 5 or 2 in sus chords).
        fifth: semitones of the fifth (7; 6 diminished, 8 augmented).
        seventh: semitones of the seventh or added sixth (10, 11, 9), ``None`` in triads.
        tensions: pitch-class offsets 0-11 of added tones, in order (2 = 9th, 1 = b9, 3 = #9,
            5 = 11th, 6 = #11, 8 = b13).
    """

    suffix: str
    third: int
    fifth: int
    seventh: int | None = None
    tensions: tuple[int, ...] = ()

    @property
    def intervals(self) -> tuple[int, ...]:
        """Semitone offsets 0-11 of the chord tones, root first (root, third, fifth, seventh,
        tensions), the order of :attr:`soundtrack.model.ChordSymbol.pitch_classes`."""
        sevenths = () if self.seventh is None else (self.seventh,)
        return (0, self.third, self.fifth, *sevenths, *self.tensions)

    @property
    def is_dominant(self) -> bool:
        """Whether the chord is a dominant seventh (major third and minor seventh)."""
        return self.third == 4 and self.seventh == 10


def _quality(
    suffix: str, third: int, fifth: int, seventh: int | None = None, *tensions: int
) -> tuple[str, ChordQuality]:
    return suffix, ChordQuality(
        suffix=suffix, third=third, fifth=fifth, seventh=seventh, tensions=tensions
    )


#: Every chord quality a style may use, keyed by suffix. Each suffix, after a root spelt with
#: ``-`` for flats (``B-``, ``E-``) or ``#`` for sharps, parses with ``music21.harmony.ChordSymbol``
#: to exactly these pitch classes (the tests check every root x quality).
CHORD_QUALITIES: dict[str, ChordQuality] = dict(
    (
        _quality("", 4, 7),
        _quality("m", 3, 7),
        _quality("dim", 3, 6),
        _quality("aug", 4, 8),
        _quality("sus4", 5, 7),
        _quality("sus2", 2, 7),
        _quality("6", 4, 7, 9),
        _quality("m6", 3, 7, 9),
        _quality("7", 4, 7, 10),
        _quality("maj7", 4, 7, 11),
        _quality("m7", 3, 7, 10),
        _quality("mM7", 3, 7, 11),
        _quality("m7b5", 3, 6, 10),
        _quality("dim7", 3, 6, 9),
        _quality("7sus4", 5, 7, 10),
        _quality("7b5", 4, 6, 10),
        _quality("7#5", 4, 8, 10),
        _quality("9", 4, 7, 10, 2),
        _quality("m9", 3, 7, 10, 2),
        _quality("M9", 4, 7, 11, 2),
        _quality("7b9", 4, 7, 10, 1),
        _quality("7#9", 4, 7, 10, 3),
        _quality("7#11", 4, 7, 10, 6),
        _quality("7b13", 4, 7, 10, 8),
        _quality("add9", 4, 7, None, 2),
        _quality("madd9", 3, 7, None, 2),
        _quality("m11", 3, 7, 10, 2, 5),
    )
)

#: Other spellings a style file may use for a quality (music21 reads ``maj9`` and ``mmaj7`` as
#: errors, so the written symbol always uses the canonical suffix).
QUALITY_ALIASES: dict[str, str] = {
    "maj": "",
    "M": "",
    "min": "m",
    "o": "dim",
    "+": "aug",
    "sus": "sus4",
    "M7": "maj7",
    "min7": "m7",
    "mmaj7": "mM7",
    "minmaj7": "mM7",
    "ø": "m7b5",
    "ø7": "m7b5",
    "o7": "dim7",
    "7sus": "7sus4",
    "aug7": "7#5",
    "+7": "7#5",
    "maj9": "M9",
    "min9": "m9",
    "min6": "m6",
}


#: What calm bars make of richer chords when a style names no ``plain`` table: triads, with the
#: dominant seventh kept (see :attr:`Harmony.plain`).
DEFAULT_PLAIN_QUALITIES: dict[str, str] = {
    "maj7": "",
    "M9": "",
    "add9": "",
    "6": "",
    "m7": "m",
    "m9": "m",
    "m11": "m",
    "madd9": "m",
    "m6": "m",
    "mM7": "m",
    "9": "7",
    "7b9": "7",
    "7#9": "7",
    "7#11": "7",
    "7b13": "7",
    "7#5": "7",
    "7b5": "7",
}


def canonical_quality(text: str) -> str | None:
    """The :data:`CHORD_QUALITIES` key of a quality suffix or alias; ``None`` when unknown."""
    quality = QUALITY_ALIASES.get(text, text)
    return quality if quality in CHORD_QUALITIES else None


#: General MIDI percussion notes (channel 10) by the names style files use.
GM_DRUMS: dict[str, int] = {
    "kick2": 35,
    "kick": 36,
    "side-stick": 37,
    "snare": 38,
    "clap": 39,
    "snare2": 40,
    "floor-tom": 41,
    "closed-hat": 42,
    "floor-tom-high": 43,
    "pedal-hat": 44,
    "low-tom": 45,
    "open-hat": 46,
    "mid-tom": 47,
    "high-mid-tom": 48,
    "crash": 49,
    "high-tom": 50,
    "ride": 51,
    "china": 52,
    "ride-bell": 53,
    "tambourine": 54,
    "splash": 55,
    "cowbell": 56,
    "crash2": 57,
    "vibraslap": 58,
    "ride2": 59,
    "high-bongo": 60,
    "low-bongo": 61,
    "mute-conga": 62,
    "high-conga": 63,
    "low-conga": 64,
    "high-timbale": 65,
    "low-timbale": 66,
    "high-agogo": 67,
    "low-agogo": 68,
    "cabasa": 69,
    "maracas": 70,
    "short-whistle": 71,
    "long-whistle": 72,
    "short-guiro": 73,
    "long-guiro": 74,
    "claves": 75,
    "high-woodblock": 76,
    "low-woodblock": 77,
    "mute-cuica": 78,
    "open-cuica": 79,
    "mute-triangle": 80,
    "open-triangle": 81,
}

#: Step-grid symbols of bass patterns: ``R`` root, ``3``/``5``/``7`` the chord's third, fifth,
#: seventh (or sixth), ``8`` the root an octave up, ``C`` a chord tone near the last note, ``W`` a
#: walking tone (chord or scale tone moving towards the next chord's root), ``A`` an approach tone
#: (a semitone or step next to the next chord's root), ``N`` the semitone above the root,
#: ``c`` one note of a chromatic run into the next chord's root; ``-`` holds, ``.`` rests.
BASS_SYMBOLS = "R3578CWANc-."
#: Step-grid symbols of chord patterns: ``x`` a chord, ``X`` an accented chord, ``c`` one note of
#: a chromatic run (top voice) into the next chord; ``-`` holds, ``.`` rests.
CHORD_SYMBOLS = "xXc-."
#: Step-grid symbols of drum lines: ``x`` a hit, ``X`` an accent, ``o`` a ghost note, ``?`` a ghost
#: note played half of the time; ``.`` rests.
DRUM_SYMBOLS = "xXo?."
#: Symbols of an accent grid: ``x`` accents the note starting on that step.
ACCENT_SYMBOLS = "x."


# ---------------------------------------------------------------- roman numerals


@dataclass(frozen=True, slots=True, kw_only=True)
class RomanChord:
    """A chord of a progression, relative to the key.

    Attributes:
        text: the token as written (``bVII7``).
        degree: scale degree 1-7 of the major scale of the tonic.
        alteration: semitones added to the degree (-1 for ``b``, +1 for ``#``), -2..2.
        quality: a key of :data:`CHORD_QUALITIES`.
    """

    text: str
    degree: int
    alteration: int
    quality: str

    #: Semitones of the major-scale degrees 1-7 above the tonic.
    MAJOR_STEPS: ClassVar[tuple[int, ...]] = (0, 2, 4, 5, 7, 9, 11)

    @property
    def semitones(self) -> int:
        """The root's distance above the tonic, 0-11."""
        return (self.MAJOR_STEPS[self.degree - 1] + self.alteration) % 12


#: A progression: bars, each bar a tuple of chords splitting it into equal parts.
Progression = tuple[tuple[RomanChord, ...], ...]

_NUMERALS = ("VII", "VI", "V", "IV", "III", "II", "I")
_DEGREE = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7}
_ROMAN_PATTERN = re.compile(
    r"^(?P<accidentals>[b#]{0,2})(?P<numeral>"
    + "|".join(_NUMERALS + tuple(numeral.lower() for numeral in _NUMERALS))
    + r")(?P<suffix>.*)$"
)


def parse_roman_chord(text: str) -> RomanChord:
    """Parse one roman-numeral chord such as ``V7``, ``ii7``, ``bVImaj7``, ``viio7``, ``iv6``.

    The numeral's case gives the third: upper case keeps the suffix as written (``V7`` -> ``7``,
    ``Imaj7`` -> ``maj7``, ``IVm7`` -> ``m7``); lower case makes it minor unless the suffix already
    says minor or diminished (``ii7`` -> ``m7``, ``ii7b5`` -> ``m7b5``, ``i`` -> ``m``,
    ``imaj7`` -> ``mM7``, ``viio7`` -> ``dim7``, ``iim7`` -> ``m7``).

    Args:
        text: the token; ``b``/``#`` before the numeral lower/raise the degree by a semitone.

    Returns:
        The parsed chord.

    Raises:
        ValueError: when the token is not a roman-numeral chord of a known quality.
    """
    match = _ROMAN_PATTERN.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a roman-numeral chord such as V7, ii7, bVImaj7")
    accidentals, numeral, suffix = match.group("accidentals", "numeral", "suffix")
    if numeral.islower():
        minor_already = suffix.startswith(("dim", "o", "ø")) or (
            suffix.startswith("m") and not suffix.startswith("maj")
        )
        suffix = suffix if minor_already else "m" + suffix
    quality = canonical_quality(suffix)
    if quality is None:
        known = " ".join(name or '""' for name in CHORD_QUALITIES)
        raise ValueError(f"{text!r} has the unknown chord quality {suffix!r} (known: {known})")
    alteration = accidentals.count("#") - accidentals.count("b")
    return RomanChord(
        text=text, degree=_DEGREE[numeral.upper()], alteration=alteration, quality=quality
    )


def parse_progression(text: str) -> Progression:
    """Parse a progression: bars separated by ``|``, chords of a bar separated by spaces.

    The chords of a bar split it into equal parts; ``.`` (or ``%``) repeats the chord before it,
    so ``"I . IV V7"`` is I for half a bar, then IV and V7 for a quarter each.

    Args:
        text: e.g. ``"Imaj7 vi7 | ii7 V7 | I6"``.

    Returns:
        The bars of the progression (at least one), each a tuple of chords.

    Raises:
        ValueError: for an empty progression or bar, a ``.`` with no chord before it, or a chord
            :func:`parse_roman_chord` cannot read.
    """
    bars: list[tuple[RomanChord, ...]] = []
    previous: RomanChord | None = None
    for number, bar_text in enumerate(text.split("|"), start=1):
        tokens = bar_text.split()
        if not tokens:
            raise ValueError(f"bar {number} of {text!r} is empty")
        chords: list[RomanChord] = []
        for token in tokens:
            if token in (".", "%"):
                if previous is None:
                    raise ValueError(f"{text!r} starts with {token!r}: there is no chord to repeat")
                chords.append(previous)
                continue
            previous = parse_roman_chord(token)
            chords.append(previous)
        bars.append(tuple(chords))
    return tuple(bars)


# ---------------------------------------------------------------- harmony


@dataclass(frozen=True, slots=True, kw_only=True)
class SectionHarmony:
    """The progressions of one form section (``A``, ``B``...): alternatives, one chosen per cue.

    A progression shorter than its section repeats; a longer one is cut.
    """

    name: str
    progressions: tuple[Progression, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ModeHarmony:
    """The harmony of a style in one mode.

    Attributes:
        mode: major or minor.
        sections: progressions per form-section name.
        cadence: the cue's last bars (the last bar a single chord, held to the end of the cue).
        tense_cadence: the last bars when the cue ends tense (see
            :attr:`Harmony.tense_cadence_min_tension`), e.g. on an unresolved dominant; empty for
            none.
    """

    mode: Mode
    sections: tuple[SectionHarmony, ...]
    cadence: Progression
    tense_cadence: Progression = ()

    def progressions(self, section_name: str) -> tuple[Progression, ...]:
        """The alternatives for a section name; empty when the style has none for it."""
        for section in self.sections:
            if section.name == section_name:
                return section.progressions
        return ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Harmony:
    """How a style harmonises: progressions per mode, and how tension colours them.

    Attributes:
        modes: one :class:`ModeHarmony` per mode the style allows.
        color: quality substitutions that enrich chords (``maj7`` -> ``M9``...), as pairs.
        color_probability: chance (0..1) that a chord is coloured at a moderate tension (0.5);
            the chance grows with the bar's tension from nothing at 0.15 to twice this at 0.85
            (at most 1), so calm bars keep the written chords or plainer ones.
        altered: quality substitutions of tense chords (``7`` -> ``7b9``...), as pairs.
        altered_min_tension: bar tension (0..1) above which chords get altered, more often the
            higher it is; below it no chord is altered (written altered chords are made plain).
        plain: quality substitutions that make chords plainer in calm bars (``maj7`` -> ``6``,
            ``m9`` -> ``m7``, ``7b9`` -> ``7``...), as pairs; ``None`` uses
            :data:`DEFAULT_PLAIN_QUALITIES` (triads and plain dominant sevenths). Jazz styles
            keep their sevenths (``maj7`` -> ``6``, ``m9`` -> ``m7``).
        plain_max_tension: bar tension (0..1) below which chords are made plain, the more often
            the calmer the bar (almost always near 0); written altered chords are made plain
            below :attr:`altered_min_tension` whatever this is.
        mood_substitution: strength (0..1) of the mood's chord substitutions, which keep each
            chord's function: bright major bars trade minor chords for major ones (``vi`` ->
            ``I``, ``ii`` -> ``IV``, a borrowed ``iv`` -> ``IV``), gloomy major bars borrow from
            the minor (``IV`` -> ``iv``, ``I`` -> ``vi``), lighter minor bars take Dorian and
            relative-major colours (``iv`` -> ``IV``), sad ones darker chords (``bIII`` -> ``i``,
            ``bVII`` -> ``V``); calm bars trade chromatic chords (secondary dominants, ``bII``)
            for the diatonic chord on the same root. 0 plays the progressions as written.
        clusters: strength (0..1) of the semitone clusters chord parts add in very tense bars
            (from tension 0.65): a minor ninth above the chord's root joins the voicing, more
            often the tenser the bar; 0 never adds one.
        split_min_tension: bar tension (0..1) above which a one-chord bar may be split in two
            (faster harmonic rhythm): its second half becomes the dominant of the next chord, or
            a dominant's first half its related ii.
        tritone_substitution: chance (0..1) at tension 1 that a dominant resolving down a fifth
            is replaced by the dominant a tritone away (``G7`` -> ``D-7``).
        tense_cadence_min_tension: tension of the last bar (0..1) from which the
            ``tense_cadence`` ends the cue.
    """

    modes: tuple[ModeHarmony, ...] = ()
    color: tuple[tuple[str, str], ...] = ()
    color_probability: float = 0.0
    altered: tuple[tuple[str, str], ...] = ()
    altered_min_tension: float = 0.5
    split_min_tension: float = 0.6
    tritone_substitution: float = 0.0
    tense_cadence_min_tension: float = 0.75
    plain: tuple[tuple[str, str], ...] | None = None
    plain_max_tension: float = 0.4
    mood_substitution: float = 1.0
    clusters: float = 1.0

    def plain_qualities(self) -> dict[str, str]:
        """The plain substitutions in force (:attr:`plain` or the default table)."""
        return dict(DEFAULT_PLAIN_QUALITIES if self.plain is None else self.plain)

    def for_mode(self, mode: Mode) -> ModeHarmony | None:
        """The harmony of ``mode``, else of the first mode, ``None`` when there is none."""
        for mode_harmony in self.modes:
            if mode_harmony.mode is mode:
                return mode_harmony
        return self.modes[0] if self.modes else None


# ---------------------------------------------------------------- instruments and patterns


class Voicing(StrEnum):
    """How a chord part spaces its chords (the closest inversion to the previous chord is used).

    ``close``: within an octave, tones by priority third, seventh, tensions, fifth, root.
    ``triad``: like ``close`` without tensions (third, seventh, fifth, root): brass and accordion.
    ``shell``: rootless (third, seventh, tensions, fifth): jazz piano comping.
    ``open``: ``close`` with the second voice from the top dropped an octave (drop 2): pads.
    ``line``: one voice that moves to the nearest guide tone (third, seventh): a counter-line.
    """

    CLOSE = "close"
    TRIAD = "triad"
    SHELL = "shell"
    OPEN = "open"
    LINE = "line"


class PatternPlace(StrEnum):
    """Where a pattern plays: ``body`` bars, the first or last bar of a section, or the cue's
    last bar (``final``; its last note is held to the end of the cue)."""

    BODY = "body"
    SECTION_START = "section-start"
    SECTION_END = "section-end"
    FINAL = "final"


@dataclass(frozen=True, slots=True, kw_only=True)
class DrumLine:
    """One drum of a drum pattern: its name, GM note and step grid (:data:`DRUM_SYMBOLS`)."""

    drum: str
    note: int
    grid: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Pattern:
    """A rhythm pattern of an instrument and when it plays.

    A grid has ``steps`` symbols per bar (a multiple of that for patterns longer than a bar,
    which then run from the start of each section). A held note or chord never crosses a bar
    line; chords are restruck where the harmony changes inside a note.

    Selection: per phrase (``Style.phrase_bars`` bars from each section start), the **last**
    ``body`` pattern whose conditions hold for the phrase's mean mood and section wins; when none
    holds the instrument rests. ``section-start``/``section-end`` patterns replace it in a
    section's first/last bar with ``probability`` (for drums a ``section-start`` pattern is laid
    over the body groove instead, e.g. a crash); a ``final`` pattern plays the cue's last bar.

    Attributes:
        steps: grid steps per bar (the bar's ticks must divide evenly).
        grids: alternatives, one chosen at random per bar (bass: :data:`BASS_SYMBOLS`; chords:
            :data:`CHORD_SYMBOLS`); empty for drums.
        drums: the lines of a drum pattern; empty for pitched instruments.
        accents: accent grid (:data:`ACCENT_SYMBOLS`), same length as the grids, or empty.
        gate: sounding share of each note's grid length, 0.05..1 (1 = legato).
        place: where the pattern plays.
        probability: chance (0..1) that a section-start/-end pattern plays where it may.
        min_arousal, max_arousal: arousal range (0..1) in which the pattern plays.
        min_tension, max_tension: tension range (0..1) in which the pattern plays.
        sections: section names it plays in; empty means all.
    """

    steps: int
    grids: tuple[str, ...] = ()
    drums: tuple[DrumLine, ...] = ()
    accents: str = ""
    gate: float = 1.0
    place: PatternPlace = PatternPlace.BODY
    probability: float = 1.0
    min_arousal: float = 0.0
    max_arousal: float = 1.0
    min_tension: float = 0.0
    max_tension: float = 1.0
    sections: tuple[str, ...] = ()

    def fits(self, *, arousal: float, tension: float, section: str) -> bool:
        """Whether the pattern may play at this mood (0..1 values) in this section."""
        return (
            self.min_arousal <= arousal <= self.max_arousal
            and self.min_tension <= tension <= self.max_tension
            and (not self.sections or section in self.sections)
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Instrument:
    """An accompanying instrument of a style (the saxophone lead is not one of them).

    The role chooses the engine: ``bass`` -> :mod:`soundtrack.compose.bass`, ``drums`` ->
    :mod:`soundtrack.compose.drums`, ``harmony``/``pad``/``counter`` ->
    :mod:`soundtrack.compose.backing`.

    Attributes:
        name: track name (``Tuba``, ``Piano``...), unique in the style.
        role: the part's role (not ``lead``).
        program: General MIDI program 0-127, 0-based (for drums: the GS/GM2 kit, 0 standard,
            32 jazz, 40 brush, 48 orchestra).
        low_pitch, high_pitch: MIDI range every note stays in (for drums the GM drum notes).
        velocity: MIDI velocity (1-127) at arousal 0.5 before accents.
        voicing: how chords are spaced (chord parts).
        voices: notes per chord, 1-6 (``line`` voicing: 1).
        tie: merge a note into the next one of the same pitch that starts where it ends
            (sustained pads hold common tones).
        patterns: the rhythm patterns (at least one).
    """

    name: str
    role: Role
    program: int
    low_pitch: int
    high_pitch: int
    velocity: int = 80
    voicing: Voicing = Voicing.CLOSE
    voices: int = 3
    tie: bool = False
    patterns: tuple[Pattern, ...] = ()


# ---------------------------------------------------------------- style


@dataclass(frozen=True, slots=True, kw_only=True)
class Style:
    """A musical style, interpreted by spotting and compose.

    Planning fields (used by :mod:`soundtrack.spotting`):
        id: style id (file stem), e.g. ``circus-galop``.
        name: display name.
        description: one line for ``soundtrack styles``.
        meter: the style's meter (and its counted pulse).
        tempo_min_bpm, tempo_max_bpm: allowed tempo range in counted pulses per minute.
        settings: setting words that favour this style (``moscow``, ``new-york``...).
        mood: prototype mood; spotting picks the style nearest the beat's mood.
        tonics: preferred tonic pitch classes (0-11), best first.
        modes: allowed modes; the first that fits the valence is used.
        form: the form cycle; spotting repeats it to fill the cue.
        ritardando: whether cues of this style slow down into the final chord.
        accelerando: how much faster a cue ends than it starts (0 = steady, 0.3 = 30%), the
            tempo rising bar by bar around the nominal tempo (a nightclub romance, a
            tarantella).
        reverb: reverb send (CC91, 0-127) the mix gives this style.
        pan_width: stereo spread of the accompaniment, 0 (everything in the centre) .. 1 (the
            widest spread, :data:`soundtrack.mix.PAN_SPREAD`); narrow for intimate styles
            (ballad, bolero, lament), wide for big bands and the circus.

    Compose fields:
        lead: the saxophone lead's idioms.
        swing: share (0..1) of the tempo-dependent jazz swing ratio the rhythm section plays
            off-beat eighths with (0 = straight; see ``soundtrack.compose.lead.swing_ratio``).
        phrase_bars: bars per phrase (>= 1); accompaniment patterns are chosen per phrase.
        instruments: the accompanying instruments, in track order.
        harmony: progressions and how tension colours them.
    """

    id: str
    name: str
    description: str
    meter: Meter
    tempo_min_bpm: float
    tempo_max_bpm: float
    settings: tuple[str, ...]
    mood: Mood
    tonics: tuple[int, ...]
    modes: tuple[Mode, ...]
    form: tuple[FormSection, ...]
    ritardando: bool = True
    accelerando: float = 0.0
    reverb: int = 40
    pan_width: float = 0.7
    lead: LeadStyle = LeadStyle()
    swing: float = 0.0
    phrase_bars: int = 4
    instruments: tuple[Instrument, ...] = ()
    harmony: Harmony = Harmony()

    def instruments_with_role(self, role: Role) -> tuple[Instrument, ...]:
        """The style's instruments of one role, in track order."""
        return tuple(instrument for instrument in self.instruments if instrument.role is role)
