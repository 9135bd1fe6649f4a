"""Tests of the style files and their loader (:mod:`soundtrack.styles`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from soundtrack.errors import StyleError
from soundtrack.model import Meter, Mode, Role
from soundtrack.styles import list_styles, load_style, read_style, style_ids
from soundtrack.styles.schema import (
    DEFAULT_PLAIN_QUALITIES,
    GM_DRUMS,
    LeadStyle,
    PatternPlace,
    Style,
    Voicing,
    parse_progression,
)

DATA = Path(__file__).parent / "data" / "styles"
BUILT_IN = ("ballad", "chase", "circus-galop", "swing", "wedding-standard")


def test_the_five_styles_are_built_in() -> None:
    assert set(BUILT_IN) <= set(style_ids())
    assert style_ids() == tuple(sorted(style_ids()))
    assert tuple(style.id for style in list_styles()) == style_ids()


def test_load_style_is_cached() -> None:
    assert load_style("swing") is load_style("swing")


def test_unknown_style_names_the_known_ones() -> None:
    with pytest.raises(StyleError) as caught:
        load_style("sving")
    message = str(caught.value)
    assert "'sving'" in message
    assert "did you mean 'swing'" in message
    for style_id in BUILT_IN:
        assert style_id in message


@pytest.mark.parametrize("style_id", BUILT_IN)
def test_built_in_style_is_complete(style_id: str) -> None:
    style = load_style(style_id)
    assert isinstance(style, Style)
    assert style.id == style_id
    assert style.name
    assert style.description
    assert style.settings
    assert 0 < style.tempo_min_bpm <= style.tempo_max_bpm
    assert style.tonics
    assert all(0 <= tonic < 12 for tonic in style.tonics)
    assert style.modes
    assert style.form
    assert isinstance(style.lead, LeadStyle)
    # harmony for every mode and every form section
    for mode in style.modes:
        harmony = style.harmony.for_mode(mode)
        assert harmony is not None
        assert harmony.mode is mode
        assert harmony.cadence
        assert len(set(harmony.cadence[-1])) == 1
        for section in style.form:
            assert harmony.progressions(section.name)
    # a bass, drums and at least one chord part, each with a body pattern
    roles = [instrument.role for instrument in style.instruments]
    assert Role.BASS in roles
    assert Role.DRUMS in roles
    assert {Role.HARMONY, Role.PAD, Role.COUNTER} & set(roles)
    assert Role.LEAD not in roles
    names = [instrument.name for instrument in style.instruments]
    assert len(names) == len(set(names))
    for instrument in style.instruments:
        assert 0 <= instrument.program <= 127
        assert instrument.high_pitch - instrument.low_pitch >= 12
        assert any(pattern.place is PatternPlace.BODY for pattern in instrument.patterns)
        for pattern in instrument.patterns:
            assert style.meter.bar_ticks % pattern.steps == 0
            if instrument.role is Role.DRUMS:
                assert pattern.drums
                assert not pattern.grids
                assert all(line.note == GM_DRUMS[line.drum] for line in pattern.drums)
            else:
                assert pattern.grids
                assert not pattern.drums


@pytest.mark.parametrize(
    ("style_id", "meter", "tempo", "modes"),
    [
        ("circus-galop", Meter(numerator=2, denominator=4, pulse_ticks=480), (130, 160),
         (Mode.MINOR, Mode.MAJOR)),
        ("swing", Meter(numerator=4, denominator=4, pulse_ticks=480), (120, 220),
         (Mode.MAJOR, Mode.MINOR)),
        ("ballad", Meter(numerator=4, denominator=4, pulse_ticks=480), (60, 80),
         (Mode.MAJOR, Mode.MINOR)),
        ("chase", Meter(numerator=4, denominator=4, pulse_ticks=480), (140, 180), (Mode.MINOR,)),
        ("wedding-standard", Meter(numerator=4, denominator=4, pulse_ticks=480), (100, 150),
         (Mode.MAJOR,)),
    ],
)
def test_planning_facts_of_each_style(
    style_id: str, meter: Meter, tempo: tuple[int, int], modes: tuple[Mode, ...]
) -> None:
    style = load_style(style_id)
    assert style.meter == meter
    assert (style.tempo_min_bpm, style.tempo_max_bpm) == tempo
    assert style.modes == modes


def test_style_idioms_in_the_data() -> None:
    galop = load_style("circus-galop")
    tuba = next(item for item in galop.instruments if item.name == "Tuba")
    assert tuba.program == 58
    assert tuba.role is Role.BASS
    assert galop.lead.minor_scale == "harmonic-minor"
    assert "moscow" in galop.settings
    assert "circus" in galop.settings
    swing = load_style("swing")
    assert [section.bars for section in swing.form] == [8, 8, 8, 8]
    assert [section.name for section in swing.form] == ["A", "A", "B", "A"]
    assert swing.swing > 0
    assert swing.lead.swing
    assert "new-york" in swing.settings
    piano = next(item for item in swing.instruments if item.name == "Piano")
    assert piano.voicing is Voicing.SHELL
    assert load_style("chase").swing == 0.0
    assert "wedding" in load_style("wedding-standard").settings
    assert load_style("ballad").reverb > load_style("swing").reverb


def test_read_style_reads_a_valid_file() -> None:
    style = read_style(DATA / "valid-minimal.toml")
    assert style.id == "valid-minimal"
    assert style.meter.text == "4/4"
    assert style.meter.pulse_ticks == 480
    assert style.instruments[0].low_pitch == 28  # E1
    assert style.instruments[0].high_pitch == 55  # G3
    assert style.harmony.for_mode(Mode.MAJOR) is not None


@pytest.mark.parametrize(
    ("file_name", "field", "fragment"),
    [
        ("unknown-key.toml", "tempo_bmp", "did you mean 'tempo_bpm'"),
        ("bad-toml-syntax.toml", "", "valid TOML"),
        ("bad-meter.toml", "meter", "time signature"),
        ("tempo-reversed.toml", "tempo_bpm", "lowest tempo comes first"),
        ("bad-tonic.toml", "tonics", "tonic names"),
        ("missing-mode-harmony.toml", "minor", "[harmony.minor]"),
        ("missing-progression.toml", "B", "form section 'B'"),
        ("bad-roman-chord.toml", "A[0]", "'IX'"),
        ("unknown-quality.toml", "A[0]", "'7alt'"),
        ("uneven-chord-split.toml", "A[0]", "whole eighth notes"),
        ("cadence-last-bar-two-chords.toml", "cadence", "last bar of one chord"),
        ("unknown-color-quality.toml", "color", "maj13"),
        ("bad-grid-symbol.toml", "grids", "R3578CWANc-."),
        ("grid-length.toml", "grids", "multiple of 4 steps"),
        ("unknown-drum.toml", "drums.rid", "did you mean 'ride'"),
        ("range-too-narrow.toml", "range", "an octave apart"),
        ("lead-role.toml", "role", "counter, harmony, pad, bass, drums"),
        ("program-out-of-range.toml", "program", "0 to 127"),
        ("lead-unknown-key.toml", "swnig", "did you mean 'swing'"),
        ("lead-wrong-type.toml", "swing", "bool"),
        ("lead-out-of-range.toml", "swing_amount", "0 to 1"),
    ],
)
def test_bad_style_file_is_reported(file_name: str, field: str, fragment: str) -> None:
    with pytest.raises(StyleError) as caught:
        read_style(DATA / file_name)
    problems = caught.value.problems
    assert problems, "a StyleError from a file carries Problem values"
    assert all(problem.source.endswith(file_name) for problem in problems)
    matching = [problem for problem in problems if problem.field == field]
    assert matching, [str(problem) for problem in problems]
    assert any(fragment in str(problem) for problem in matching), [str(p) for p in matching]


def test_every_problem_of_a_file_is_reported_at_once() -> None:
    with pytest.raises(StyleError) as caught:
        read_style(DATA / "many-problems.toml")
    fields = {problem.field for problem in caught.value.problems}
    assert {"meter", "tonics", "A[0]", "program", "drums.rid", "swnig"} <= fields
    assert len(caught.value.lines) == len(caught.value.problems)


def test_unknown_lead_key_lists_the_valid_ones() -> None:
    with pytest.raises(StyleError) as caught:
        read_style(DATA / "lead-unknown-key.toml")
    assert any("swing" in line for line in caught.value.lines)


def test_unreadable_style_file(tmp_path: Path) -> None:
    with pytest.raises(StyleError) as caught:
        read_style(tmp_path / "missing.toml")
    assert "readable" in str(caught.value)


def test_a_style_file_may_grow_new_instruments_without_engine_code(tmp_path: Path) -> None:
    text = (DATA / "valid-minimal.toml").read_text(encoding="utf-8")
    text += """
[[instruments]]
name = "Vibraphone"
role = "counter"
program = 11
range = ["F3", "F6"]
voicing = "line"

[[instruments.patterns]]
steps = 8
grids = ["x--x--x-"]
min_arousal = 0.3
sections = ["A"]
"""
    path = tmp_path / "with-vibes.toml"
    path.write_text(text, encoding="utf-8")
    style = read_style(path)
    vibes = style.instruments[-1]
    assert vibes.voicing is Voicing.LINE
    assert vibes.voices == 1
    assert vibes.patterns[0].sections == ("A",)


def test_progression_notation_in_files_matches_parse_progression() -> None:
    swing = load_style("swing").harmony.for_mode(Mode.MAJOR)
    assert swing is not None
    first = swing.progressions("A")[0]
    assert first == parse_progression(
        "Imaj7 vi7 | ii7 V7 | iii7 VI7 | ii7 V7 | v7 I7 | IV7 #ivo7 | iii7 VI7 | ii7 V7"
    )


def _with_harmony_keys(tmp_path: Path, keys: str) -> Path:
    text = (DATA / "valid-minimal.toml").read_text(encoding="utf-8")
    path = tmp_path / "mood-keys.toml"
    path.write_text(text.replace("[harmony]\n", "[harmony]\n" + keys, 1), encoding="utf-8")
    return path


def test_mood_shaping_keys_are_optional_with_defaults() -> None:
    harmony = read_style(DATA / "valid-minimal.toml").harmony
    assert harmony.plain is None
    assert harmony.plain_qualities() == DEFAULT_PLAIN_QUALITIES
    assert harmony.plain_max_tension == 0.4
    assert harmony.mood_substitution == 1.0
    assert harmony.clusters == 1.0


def test_mood_shaping_keys_are_read(tmp_path: Path) -> None:
    path = _with_harmony_keys(
        tmp_path,
        'plain = { maj7 = "6", m9 = "m7", "7b9" = "7" }\nplain_max_tension = 0.3\n'
        "mood_substitution = 0.5\nclusters = 0.0\n",
    )
    harmony = read_style(path).harmony
    assert harmony.plain_qualities() == {"maj7": "6", "m9": "m7", "7b9": "7"}
    assert harmony.plain_max_tension == 0.3
    assert harmony.mood_substitution == 0.5
    assert harmony.clusters == 0.0


@pytest.mark.parametrize(
    ("keys", "field", "fragment"),
    [
        ('plain = { maj7 = "maj13" }\n', "plain", "maj13"),
        ("mood_substitution = 1.5\n", "mood_substitution", "0 to 1"),
        ("plain_max_tension = -0.1\n", "plain_max_tension", "0 to 1"),
        ('clusters = "lots"\n', "clusters", "0 to 1"),
    ],
)
def test_bad_mood_shaping_keys_are_reported(
    tmp_path: Path, keys: str, field: str, fragment: str
) -> None:
    with pytest.raises(StyleError) as caught:
        read_style(_with_harmony_keys(tmp_path, keys))
    matching = [problem for problem in caught.value.problems if problem.field == field]
    assert any(fragment in str(problem) for problem in matching), caught.value.lines


def test_jazz_styles_keep_their_sevenths_when_calm() -> None:
    swing = load_style("swing").harmony.plain_qualities()
    assert "maj7" not in swing
    assert "m7" not in swing  # ii7 stays ii7
    assert swing["M9"] == "maj7"
    assert swing["7b9"] == "7"
    # the ballad's calm bars are plain triads (the default)
    assert load_style("ballad").harmony.plain_qualities() == DEFAULT_PLAIN_QUALITIES
