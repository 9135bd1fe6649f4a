"""Styles as data: one TOML file per style in this folder, read into :class:`Style` values.

Input: ``soundtrack/styles/<id>.toml`` (or any file given to :func:`read_style`). Output: a
validated, frozen :class:`~soundtrack.styles.schema.Style`. Every problem of a file (unknown keys
with a "did you mean" hint, wrong types, values out of range, unreadable chords or grids,
progressions missing for a form section) is collected and raised at once as a
:class:`~soundtrack.errors.StyleError`.

File format (all keys are checked; see the built-in files for complete examples)::

    name = "Swing"                      # display name
    description = "New York small band"  # one line
    meter = "4/4"                       # time signature
    pulse = "quarter"                   # counted pulse (default from the meter): eighth,
                                        # dotted-eighth, quarter, dotted-quarter, half,
                                        # dotted-half, whole
    tempo_bpm = [120, 220]              # pulses per minute, lowest and highest
    settings = ["new-york", "club"]     # setting words that favour the style
    mood = { valence = 0.6, arousal = 0.7, tension = 0.3 }   # prototype mood
    tonics = ["Bb", "F", "Eb"]          # preferred tonics, best first
    modes = ["major", "minor"]          # allowed modes, first = default
    ritardando = true                   # slow into the final chord
    accelerando = 0.0                   # tempo rise over the cue (0.3 = end 30% faster than start)
    reverb = 30                         # CC91 send 0-127
    pan_width = 0.7                     # stereo spread of the accompaniment, 0 mono .. 1 widest
    swing = 1.0                         # rhythm-section swing, 0 straight .. 1 full
    phrase_bars = 4                     # accompaniment patterns change per phrase

    [[form]]                            # the form cycle
    name = "A"
    bars = 8

    [harmony]                           # colour and tension (all optional)
    color = { maj7 = "M9", m7 = "m9" }  # quality substitutions that enrich chords
    color_probability = 0.3             # chance at tension 0.5 (none in calm bars, more if tense)
    altered = { "7" = "7b9" }           # quality substitutions of tense chords
    altered_min_tension = 0.5           # no altered chord below (written ones made plain)
    split_min_tension = 0.6             # faster harmonic rhythm above this tension
    tritone_substitution = 0.3
    tense_cadence_min_tension = 0.75
    plain = { maj7 = "6", m9 = "m7" }   # plainer chords in calm bars (default: triads and 7)
    plain_max_tension = 0.4             # calm bars: below this tension
    mood_substitution = 1.0             # 0..1: valence/tension trade chords of one function
                                        # (vi -> I when bright, IV -> iv when gloomy...)
    clusters = 1.0                      # 0..1: b9 clusters in the chord parts of tense bars

    [harmony.major]                     # one table per mode in `modes`
    cadence = "ii7 V7 | I6"             # the cue's last bars; the last bar one chord
    tense_cadence = "bVI7 | V7"         # optional: the ending of a tense cue
    [harmony.major.progressions]        # per form section: alternatives, one per cue
    A = ["Imaj7 vi7 | ii7 V7 | iii7 VI7 | ii7 V7"]

    [[instruments]]                     # accompaniment, in track order
    name = "Bass"
    role = "bass"                       # bass | drums | harmony | pad | counter
    program = 32                        # General MIDI program, 0-based
    range = ["E1", "G3"]                # lowest, highest (note names or MIDI numbers)
    velocity = 88                       # at arousal 0.5
    voicing = "close"                   # chord parts: close | triad | shell | open | line
    voices = 3                          # chord parts: notes per chord
    tie = false                         # hold common tones (pads)
    [[instruments.patterns]]
    steps = 4                           # grid steps per bar
    grids = ["RWWA"]                    # alternatives, one chosen per bar
    accents = "x..."                    # optional accent grid
    gate = 0.9                          # sounding share of each note
    at = "body"                         # body | section-start | section-end | final
    probability = 1.0                   # for section-start/-end patterns
    min_arousal = 0.3                   # also max_arousal, min_tension, max_tension
    sections = ["A"]                    # only in these sections (default: all)
    # drum patterns name GM drums instead of grids:
    # drums = { ride = "x.xxx.xx", pedal-hat = "..x...x." }

    [lead]                              # saxophone idioms: the fields of LeadStyle
    swing = true

The grid symbols are documented in :mod:`soundtrack.styles.schema`.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import re
import types
import typing
from collections.abc import Callable, Mapping
from enum import StrEnum
from importlib import resources
from pathlib import Path

from soundtrack.datafile import MISSING as _MISSING
from soundtrack.datafile import NAME_PATTERN as _ID_PATTERN
from soundtrack.datafile import NOTHING as _NOTHING
from soundtrack.datafile import Checker as _Checker
from soundtrack.datafile import default_pulse_ticks, read_text_file, toml_table
from soundtrack.datafile import in_range as _in_range
from soundtrack.datafile import string_list as _string_list
from soundtrack.errors import Problem, StyleError
from soundtrack.model import Meter, Mode, Mood, Role
from soundtrack.pitch import LETTER_PITCH_CLASS, parse_key
from soundtrack.styles.schema import (
    ACCENT_SYMBOLS,
    BASS_SYMBOLS,
    CHORD_SYMBOLS,
    DRUM_SYMBOLS,
    GM_DRUMS,
    DrumLine,
    FormSection,
    Harmony,
    Instrument,
    LeadStyle,
    ModeHarmony,
    Pattern,
    PatternPlace,
    Progression,
    SectionHarmony,
    Style,
    Voicing,
    canonical_quality,
    parse_progression,
)
from soundtrack.units import TICKS_PER_QUARTER

__all__ = ["list_styles", "load_style", "read_style", "style_ids"]

_PULSES: dict[str, int] = {
    "eighth": TICKS_PER_QUARTER // 2,
    "dotted-eighth": TICKS_PER_QUARTER * 3 // 4,
    "quarter": TICKS_PER_QUARTER,
    "dotted-quarter": TICKS_PER_QUARTER * 3 // 2,
    "half": TICKS_PER_QUARTER * 2,
    "dotted-half": TICKS_PER_QUARTER * 3,
    "whole": TICKS_PER_QUARTER * 4,
}
_TOP_KEYS = (
    "name", "description", "meter", "pulse", "tempo_bpm", "settings", "mood", "tonics", "modes",
    "ritardando", "accelerando", "reverb", "pan_width", "swing", "phrase_bars", "form", "harmony",
    "instruments", "lead",
)
_HARMONY_KEYS = (
    "color", "color_probability", "altered", "altered_min_tension", "split_min_tension",
    "tritone_substitution", "tense_cadence_min_tension", "plain", "plain_max_tension",
    "mood_substitution", "clusters",
)
_MODE_KEYS = ("cadence", "tense_cadence", "progressions")
_INSTRUMENT_KEYS = (
    "name", "role", "program", "range", "velocity", "voicing", "voices", "tie", "patterns",
)
_PATTERN_KEYS = (
    "steps", "grids", "drums", "accents", "gate", "at", "probability", "min_arousal",
    "max_arousal", "min_tension", "max_tension", "sections",
)
_DRUM_RANGE = (min(GM_DRUMS.values()), max(GM_DRUMS.values()))
_NOTE_PATTERN = re.compile(r"^([A-Ga-g])([#b]?)(-?\d)$")
_METER_PATTERN = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


def style_ids() -> tuple[str, ...]:
    """Ids of the built-in styles (file stems of ``soundtrack/styles/*.toml``), sorted."""
    folder = resources.files(__name__)
    names = (item.name for item in folder.iterdir())
    return tuple(sorted(name[: -len(".toml")] for name in names if name.endswith(".toml")))


@functools.cache
def load_style(style_id: str) -> Style:
    """The built-in style with this id (read once, then cached).

    Args:
        style_id: a style id such as ``swing`` (see :func:`style_ids`).

    Returns:
        The validated style.

    Raises:
        StyleError: when the id is unknown (the message names the known ones) or its file is
            invalid (one problem per line).
    """
    known = style_ids()
    if style_id not in known:
        hint = difflib.get_close_matches(style_id, known, n=1)
        did_you_mean = f" (did you mean {hint[0]!r}?)" if hint else ""
        raise StyleError(
            f"unknown style {style_id!r}{did_you_mean}; known styles: {', '.join(known)}"
        )
    text = resources.files(__name__).joinpath(f"{style_id}.toml").read_text(encoding="utf-8")
    return _parse_style(text, style_id=style_id, source=f"soundtrack/styles/{style_id}.toml")


def list_styles() -> tuple[Style, ...]:
    """Every built-in style, sorted by id."""
    return tuple(load_style(style_id) for style_id in style_ids())


def read_style(path: str | Path) -> Style:
    """Read and validate a style file; its id is the file stem.

    Args:
        path: a ``.toml`` style file.

    Returns:
        The validated style.

    Raises:
        StyleError: when the file cannot be read or is invalid (every problem at once).
    """
    file = Path(path)
    source = str(path)
    text = read_text_file(file, source)
    if isinstance(text, Problem):
        raise StyleError([text])
    return _parse_style(text, style_id=file.stem, source=source)


# ---------------------------------------------------------------- checking


def _note_number(value: object) -> int:
    """A MIDI note from a number 0-127 or a name such as ``C4`` (= 60), ``Bb1``, ``F#3``."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 127:
        return value
    if isinstance(value, str):
        match = _NOTE_PATTERN.match(value.strip())
        if match is not None:
            letter, accidental, octave = match.groups()
            pitch = 12 * (int(octave) + 1) + LETTER_PITCH_CLASS[letter.upper()]
            pitch += {"#": 1, "b": -1}.get(accidental, 0)
            if 0 <= pitch <= 127:
                return pitch
    raise ValueError("")


def _pitch_range(value: object) -> tuple[int, int]:
    if not isinstance(value, list) or len(value) != 2:
        raise ValueError("")
    low, high = _note_number(value[0]), _note_number(value[1])
    if high - low < 12:
        raise ValueError("")
    return low, high


def _tempo_range(value: object) -> tuple[float, float]:
    if not isinstance(value, list) or len(value) != 2:
        raise ValueError("")
    low, high = (_in_range(20, 400, integer=False)(item) for item in value)
    if low > high:
        raise ValueError("the lowest tempo comes first")
    return float(low), float(high)


def _tonic(value: object) -> int:
    key = parse_key(value) if isinstance(value, str) else None
    if key is None or not isinstance(value, str) or not value.strip()[:1].isupper():
        raise ValueError("")
    return key.tonic_pc


def _quality_pairs(value: object) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        raise ValueError("")
    pairs: list[tuple[str, str]] = []
    for source, target in value.items():
        source_quality = canonical_quality(source)
        target_quality = canonical_quality(target) if isinstance(target, str) else None
        if source_quality is None or target_quality is None:
            raise ValueError(f"unknown chord quality in {source!r} = {target!r}")
        pairs.append((source_quality, target_quality))
    return tuple(pairs)


# ---------------------------------------------------------------- parsing


def _parse_style(text: str, *, style_id: str, source: str) -> Style:
    data = toml_table(text, source)
    if isinstance(data, Problem):
        raise StyleError([data])
    check = _Checker(source)
    if not _ID_PATTERN.match(style_id):
        check.add("", "id", "a file stem of lower-case letters, digits and '-'", style_id)
    check.keys(data, _TOP_KEYS, "")
    name = check.text(data, "name", "")
    description = check.text(data, "description", "")
    meter = _meter(check, data)
    tempo = check.get(data, "tempo_bpm", "", _tempo_range,
                      "[lowest, highest] pulses per minute from 20 to 400")
    settings = check.get(data, "settings", "", _string_list, "a list of setting words", ())
    mood = _mood(check, data)
    tonics = check.get(data, "tonics", "", lambda value: tuple(_tonic(item) for item in
                                                              _string_list(value)),
                       "a non-empty list of tonic names such as Bb, F#, D")
    if tonics is not None and not tonics:
        check.add("", "tonics", "at least one tonic")
    modes = check.get(data, "modes", "",
                      lambda value: tuple(Mode(item) for item in _checked_modes(value)),
                      "a non-empty list of distinct modes: major, minor")
    ritardando = check.flag(data, "ritardando", "", True)
    accelerando = check.number(data, "accelerando", "", 0.0, 1.0, 0.0)
    reverb = check.integer(data, "reverb", "", 0, 127, 40)
    pan_width = check.number(data, "pan_width", "", 0.0, 1.0, 0.7)
    swing = check.number(data, "swing", "", 0.0, 1.0, 0.0)
    phrase_bars = check.integer(data, "phrase_bars", "", 1, 64, 4)
    form = _form(check, data)
    harmony = _harmony(check, data, modes or (), form or (), meter)
    instruments = _instruments(check, data, meter)
    lead = _lead(check, data)
    if (
        check.problems
        or name is None
        or description is None
        or meter is None
        or tempo is None
        or mood is None
        or tonics is None
        or modes is None
        or form is None
        or lead is None
    ):
        raise StyleError(check.problems or [Problem(source=source, expected="a valid style")])
    return Style(
        id=style_id,
        name=name,
        description=description,
        meter=meter,
        tempo_min_bpm=tempo[0],
        tempo_max_bpm=tempo[1],
        settings=tuple(settings or ()),
        mood=mood,
        tonics=tonics,
        modes=modes,
        form=form,
        ritardando=bool(ritardando),
        accelerando=float(accelerando if accelerando is not None else 0.0),
        reverb=int(reverb if reverb is not None else 40),
        pan_width=float(pan_width if pan_width is not None else 0.7),
        lead=lead,
        swing=float(swing or 0.0),
        phrase_bars=int(phrase_bars or 4),
        instruments=instruments,
        harmony=harmony,
    )


def _checked_modes(value: object) -> tuple[str, ...]:
    names = _string_list(value)
    if not names or len(set(names)) != len(names) or any(
        name not in (mode.value for mode in Mode) for name in names
    ):
        raise ValueError("")
    return names


def _meter(check: _Checker, data: Mapping[str, object]) -> Meter | None:
    text = data.get("meter")
    match = _METER_PATTERN.match(text) if isinstance(text, str) else None
    if match is None or int(match.group(1)) < 1 or int(match.group(2)) not in (1, 2, 4, 8, 16):
        check.add("", "meter", "a time signature such as \"4/4\", \"2/4\", \"6/8\"",
                  shown=_NOTHING if text is None else repr(text))
        return None
    numerator, denominator = int(match.group(1)), int(match.group(2))
    bar_ticks = numerator * TICKS_PER_QUARTER * 4 // denominator
    default_pulse = default_pulse_ticks(numerator, denominator)
    pulse_name = data.get("pulse")
    if pulse_name is None:
        pulse_ticks = default_pulse
    elif isinstance(pulse_name, str) and pulse_name in _PULSES:
        pulse_ticks = _PULSES[pulse_name]
    else:
        check.add("", "pulse", "one of " + ", ".join(_PULSES), pulse_name)
        return None
    if bar_ticks % pulse_ticks:
        check.add("", "pulse", f"a pulse that divides a bar of {text}", pulse_name)
        return None
    return Meter(numerator=numerator, denominator=denominator, pulse_ticks=pulse_ticks)


def _mood(check: _Checker, data: Mapping[str, object]) -> Mood | None:
    table = check.table(data, "mood", "")
    if "mood" not in data:
        check.add("", "mood", "a table { valence, arousal, tension }", shown=_NOTHING)
        return None
    check.keys(table, ("valence", "arousal", "tension"), "mood")
    valence = check.number(table, "valence", "mood", -1.0, 1.0)
    arousal = check.number(table, "arousal", "mood", 0.0, 1.0)
    tension = check.number(table, "tension", "mood", 0.0, 1.0)
    if valence is None or arousal is None or tension is None:
        return None
    return Mood(valence=valence, arousal=arousal, tension=tension)


def _form(check: _Checker, data: Mapping[str, object]) -> tuple[FormSection, ...] | None:
    tables = check.tables(data, "form", "")
    if not tables:
        if "form" not in data or isinstance(data.get("form"), list):
            check.add("", "form", "at least one [[form]] section { name, bars }",
                      shown=_NOTHING if "form" not in data else "an empty list")
        return None
    sections: list[FormSection] = []
    for index, table in enumerate(tables):
        where = f"form[{index}]"
        check.keys(table, ("name", "bars"), where)
        name = check.text(table, "name", where)
        bars = check.integer(table, "bars", where, 1, 256)
        if name is not None and bars is not None:
            sections.append(FormSection(name=name, bars=bars))
    return tuple(sections) if len(sections) == len(tables) else None


def _progression(
    check: _Checker, text: object, where: str, field: str, meter: Meter | None
) -> Progression | None:
    if not isinstance(text, str):
        check.add(where, field, "a progression string such as \"ii7 V7 | I6\"", text)
        return None
    try:
        progression = parse_progression(text)
    except ValueError as error:
        check.add(where, field, f"a progression of roman-numeral chords ({error})", text)
        return None
    if meter is not None:
        for number, bar in enumerate(progression, start=1):
            share, remainder = divmod(meter.bar_ticks, len(bar))
            if remainder or share % (TICKS_PER_QUARTER // 2):
                check.add(where, field, f"bars of {meter.text} split into whole eighth notes "
                          f"(bar {number} has {len(bar)} chords)", text)
                return None
    return progression


def _harmony(
    check: _Checker,
    data: Mapping[str, object],
    modes: tuple[Mode, ...],
    form: tuple[FormSection, ...],
    meter: Meter | None,
) -> Harmony:
    table = check.table(data, "harmony", "")
    if "harmony" not in data:
        check.add("", "harmony", "a [harmony] table with a table per mode", shown=_NOTHING)
        return Harmony()
    check.keys(table, _HARMONY_KEYS + tuple(mode.value for mode in Mode), "harmony")
    pairs_expected = "a table of chord-quality substitutions such as { \"7\" = \"7b9\" }"
    color = check.get(table, "color", "harmony", _quality_pairs, pairs_expected, ())
    altered = check.get(table, "altered", "harmony", _quality_pairs, pairs_expected, ())
    plain = check.get(table, "plain", "harmony", _quality_pairs, pairs_expected, None)
    numbers = {
        key: check.number(table, key, "harmony", 0.0, 1.0, default)
        for key, default in (
            ("color_probability", 0.0),
            ("altered_min_tension", 0.5),
            ("split_min_tension", 0.6),
            ("tritone_substitution", 0.0),
            ("tense_cadence_min_tension", 0.75),
            ("plain_max_tension", 0.4),
            ("mood_substitution", 1.0),
            ("clusters", 1.0),
        )
    }
    mode_harmonies: list[ModeHarmony] = []
    section_names = tuple(dict.fromkeys(section.name for section in form))
    for mode in (*modes, *(mode for mode in Mode if mode not in modes)):
        if mode.value not in table:
            if mode in modes:
                check.add("harmony", mode.value,
                          f"a [harmony.{mode.value}] table because modes names {mode.value}",
                          shown=_NOTHING)
            continue
        mode_harmony = _mode_harmony(check, table, mode, section_names, meter)
        if mode_harmony is not None:
            mode_harmonies.append(mode_harmony)
    return Harmony(
        modes=tuple(mode_harmonies),
        color=color or (),
        color_probability=numbers["color_probability"] or 0.0,
        altered=altered or (),
        altered_min_tension=_or(numbers["altered_min_tension"], 0.5),
        split_min_tension=_or(numbers["split_min_tension"], 0.6),
        tritone_substitution=numbers["tritone_substitution"] or 0.0,
        tense_cadence_min_tension=_or(numbers["tense_cadence_min_tension"], 0.75),
        plain=plain,
        plain_max_tension=_or(numbers["plain_max_tension"], 0.4),
        mood_substitution=_or(numbers["mood_substitution"], 1.0),
        clusters=_or(numbers["clusters"], 1.0),
    )


def _or(value: float | None, default: float) -> float:
    return default if value is None else value


def _mode_harmony(
    check: _Checker,
    harmony: Mapping[str, object],
    mode: Mode,
    section_names: tuple[str, ...],
    meter: Meter | None,
) -> ModeHarmony | None:
    where = f"harmony.{mode.value}"
    table = check.table(harmony, mode.value, "harmony")
    check.keys(table, _MODE_KEYS, where)
    cadence = None
    if "cadence" not in table:
        check.add(where, "cadence", "the cue's last bars, e.g. \"ii7 V7 | I6\"", shown=_NOTHING)
    else:
        cadence = _progression(check, table["cadence"], where, "cadence", meter)
        if cadence is not None and len(cadence[-1]) > 1 and len(set(cadence[-1])) > 1:
            check.add(where, "cadence", "a last bar of one chord (held to the end of the cue)",
                      table["cadence"])
            cadence = None
    tense: Progression | None = ()
    if "tense_cadence" in table:
        tense = _progression(check, table["tense_cadence"], where, "tense_cadence", meter)
        if tense and len(set(tense[-1])) > 1:
            check.add(where, "tense_cadence", "a last bar of one chord", table["tense_cadence"])
            tense = None
    progressions = check.table(table, "progressions", where)
    sections: list[SectionHarmony] = []
    for name in section_names:
        if name not in progressions:
            check.add(f"{where}.progressions", name,
                      f"progressions for the form section {name!r}", shown=_NOTHING)
    for name, value in progressions.items():
        field_where = f"{where}.progressions"
        if not isinstance(value, list) or not value:
            check.add(field_where, name, "a non-empty list of progression strings", value)
            continue
        parsed = [
            _progression(check, item, field_where, f"{name}[{index}]", meter)
            for index, item in enumerate(value)
        ]
        sections.append(
            SectionHarmony(name=name, progressions=tuple(item for item in parsed if item))
        )
    if cadence is None or tense is None:
        return None
    return ModeHarmony(mode=mode, sections=tuple(sections), cadence=cadence, tense_cadence=tense)


def _instruments(
    check: _Checker, data: Mapping[str, object], meter: Meter | None
) -> tuple[Instrument, ...]:
    instruments: list[Instrument] = []
    names: set[str] = set()
    for index, table in enumerate(check.tables(data, "instruments", "")):
        label = table.get("name")
        where = f"instruments[{index}]" + (f" ({label})" if isinstance(label, str) else "")
        check.keys(table, _INSTRUMENT_KEYS, where)
        name = check.text(table, "name", where)
        if name is not None:
            if name in names:
                check.add(where, "name", "a name no other instrument of the style has", name)
            names.add(name)
        role = check.choice(table, "role", where, Role, exclude=(Role.LEAD.value,))
        program = check.integer(table, "program", where, 0, 127)
        if role is Role.DRUMS:
            pitch_range = check.get(table, "range", where, _pitch_range,
                                    "[lowest, highest] notes", _DRUM_RANGE)
        else:
            pitch_range = check.get(table, "range", where, _pitch_range,
                                    "[lowest, highest] as note names (\"E1\") or MIDI numbers, "
                                    "at least an octave apart")
        velocity = check.integer(table, "velocity", where, 1, 127, 80)
        voicing = check.choice(table, "voicing", where, Voicing, Voicing.CLOSE)
        voices = check.integer(table, "voices", where, 1, 6, 1 if voicing is Voicing.LINE else 3)
        tie = check.flag(table, "tie", where, False)
        if voicing is Voicing.LINE and voices not in (None, 1):
            check.add(where, "voices", "1 for the line voicing", voices)
        patterns = _patterns(check, table, where, role, meter)
        if (
            name is None
            or role is None
            or program is None
            or pitch_range is None
            or voicing is None
            or None in (velocity, voices, tie)
        ):
            continue
        instruments.append(
            Instrument(
                name=name,
                role=role,
                program=program,
                low_pitch=pitch_range[0],
                high_pitch=pitch_range[1],
                velocity=int(velocity or 80),
                voicing=voicing,
                voices=int(voices or 1),
                tie=bool(tie),
                patterns=patterns,
            )
        )
    return tuple(instruments)


def _patterns(
    check: _Checker,
    instrument: Mapping[str, object],
    where: str,
    role: Role | None,
    meter: Meter | None,
) -> tuple[Pattern, ...]:
    tables = check.tables(instrument, "patterns", where)
    if not tables:
        check.add(where, "patterns", "at least one [[instruments.patterns]] table", shown=_NOTHING)
    patterns: list[Pattern] = []
    for index, table in enumerate(tables):
        pattern_where = f"{where}.patterns[{index}]"
        check.keys(table, _PATTERN_KEYS, pattern_where)
        steps = check.integer(table, "steps", pattern_where, 1, 96)
        if steps is not None and meter is not None and meter.bar_ticks % steps:
            check.add(pattern_where, "steps", f"a divisor of the {meter.bar_ticks} ticks of a bar",
                      steps)
            steps = None
        lengths_ok = functools.partial(_fits_steps, steps=steps)
        grids: tuple[str, ...] = ()
        drums: tuple[DrumLine, ...] = ()
        if role is Role.DRUMS:
            if "grids" in table:
                check.add(pattern_where, "grids", "drums = { name = grid } in a drum pattern",
                          table["grids"])
            drums = _drum_lines(check, table, pattern_where, lengths_ok)
        elif role is not None:
            symbols = BASS_SYMBOLS if role is Role.BASS else CHORD_SYMBOLS
            if "drums" in table:
                check.add(pattern_where, "drums", "grids (drums only in drum patterns)",
                          table["drums"])
            grids = check.get(table, "grids", pattern_where, _grids(symbols),
                              f"a non-empty list of grids of the symbols {symbols!r}") or ()
            for grid in grids:
                if not lengths_ok(grid):
                    check.add(pattern_where, "grids", f"grids of a multiple of {steps} steps", grid)
        accents = check.get(table, "accents", pattern_where, _grid(ACCENT_SYMBOLS),
                            f"an accent grid of the symbols {ACCENT_SYMBOLS!r}", "")
        if accents and not lengths_ok(accents):
            check.add(pattern_where, "accents", f"a multiple of {steps} steps", accents)
        gate = check.number(table, "gate", pattern_where, 0.05, 1.0, 1.0)
        place = check.choice(table, "at", pattern_where, PatternPlace, PatternPlace.BODY)
        probability = check.number(table, "probability", pattern_where, 0.0, 1.0, 1.0)
        bounds = {
            key: check.number(table, key, pattern_where, 0.0, 1.0, default)
            for key, default in (("min_arousal", 0.0), ("max_arousal", 1.0),
                                 ("min_tension", 0.0), ("max_tension", 1.0))
        }
        sections = check.get(table, "sections", pattern_where, _string_list,
                             "a list of section names", ())
        if steps is None or place is None or None in (*bounds.values(), gate, probability):
            continue
        patterns.append(
            Pattern(
                steps=steps,
                grids=grids,
                drums=drums,
                accents=accents or "",
                gate=float(gate or 1.0),
                place=place,
                probability=float(_or(probability, 1.0)),
                min_arousal=_or(bounds["min_arousal"], 0.0),
                max_arousal=_or(bounds["max_arousal"], 1.0),
                min_tension=_or(bounds["min_tension"], 0.0),
                max_tension=_or(bounds["max_tension"], 1.0),
                sections=tuple(sections or ()),
            )
        )
    return tuple(patterns)


def _fits_steps(grid: str, *, steps: int | None) -> bool:
    """Whether a grid has a whole number of bars of ``steps`` symbols."""
    return steps is not None and len(grid) % steps == 0


def _grid(symbols: str) -> Callable[[object], str]:
    def convert(value: object) -> str:
        if not isinstance(value, str) or not value or any(char not in symbols for char in value):
            raise ValueError("")
        return value

    return convert


def _grids(symbols: str) -> Callable[[object], tuple[str, ...]]:
    single = _grid(symbols)

    def convert(value: object) -> tuple[str, ...]:
        if not isinstance(value, list) or not value:
            raise ValueError("")
        return tuple(single(item) for item in value)

    return convert


def _drum_lines(
    check: _Checker,
    table: Mapping[str, object],
    where: str,
    lengths_ok: Callable[[str], bool],
) -> tuple[DrumLine, ...]:
    lines_table = table.get("drums")
    if not isinstance(lines_table, dict) or not lines_table:
        check.add(where, "drums", "a table of drum grids such as { kick = \"x...x...\" }",
                  lines_table, shown=_NOTHING if lines_table is None else None)
        return ()
    lines: list[DrumLine] = []
    for drum, grid in lines_table.items():
        if drum not in GM_DRUMS:
            hint = difflib.get_close_matches(drum, tuple(GM_DRUMS), n=1)
            expected = (f"a General MIDI drum name (did you mean {hint[0]!r}?)" if hint
                        else "one of the drums " + ", ".join(GM_DRUMS))
            check.add(where, f"drums.{drum}", expected, drum)
            continue
        if not isinstance(grid, str) or not grid or any(char not in DRUM_SYMBOLS for char in grid):
            check.add(where, f"drums.{drum}", f"a grid of the symbols {DRUM_SYMBOLS!r}", grid)
            continue
        if not lengths_ok(grid):
            check.add(where, f"drums.{drum}", "a grid of a multiple of steps symbols", grid)
            continue
        lines.append(DrumLine(drum=drum, note=GM_DRUMS[drum], grid=grid))
    return tuple(lines)


def _lead(check: _Checker, data: Mapping[str, object]) -> LeadStyle | None:
    """``LeadStyle(**table)``, checking keys and simple value types generically."""
    table = check.table(data, "lead", "")
    fields = {field.name: field for field in dataclasses.fields(LeadStyle)}
    check.keys(table, fields, "lead")
    hints = typing.get_type_hints(LeadStyle)
    values: dict[str, object] = {}
    for key, value in table.items():
        if key not in fields:
            continue
        converted = _convert_to_hint(value, hints.get(key))
        if converted is _MISSING:
            check.add("lead", key, f"a value of type {_hint_name(hints.get(key))}", value)
            continue
        values[key] = converted
    try:
        lead = LeadStyle(**values)  # type: ignore[arg-type]
    except (TypeError, ValueError) as error:
        check.add("lead", "", "valid lead settings", str(error))
        return None
    problems = getattr(lead, "problems", None)
    if callable(problems):
        for field_name, expected, found in problems():
            check.add("lead", field_name, expected, shown=str(found))
    return lead


def _hint_name(hint: object) -> str:
    return getattr(hint, "__name__", None) or str(hint)


def _convert_to_hint(value: object, hint: object) -> object:
    """``value`` as the annotated type ``hint`` (bool, int, float, str, StrEnum, tuple), or
    :data:`_MISSING` when it does not fit; other annotations accept the value as it is."""
    if hint is None:
        return value
    if hint is bool:
        return value if isinstance(value, bool) else _MISSING
    if hint is int:
        return value if isinstance(value, int) and not isinstance(value, bool) else _MISSING
    if hint is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        return _MISSING
    if hint is str:
        return value if isinstance(value, str) else _MISSING
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        if not isinstance(value, str):
            return _MISSING
        try:
            return hint(value)
        except ValueError:
            return _MISSING
    origin = typing.get_origin(hint)
    if origin is tuple:
        arguments = typing.get_args(hint)
        if not isinstance(value, list):
            return _MISSING
        item_hint = arguments[0] if arguments else None
        items = tuple(_convert_to_hint(item, item_hint) for item in value)
        return _MISSING if any(item is _MISSING for item in items) else items
    if origin in (typing.Union, types.UnionType):
        for option in typing.get_args(hint):
            if option is type(None):
                continue
            converted = _convert_to_hint(value, option)
            if converted is not _MISSING:
                return converted
        return _MISSING
    return value
