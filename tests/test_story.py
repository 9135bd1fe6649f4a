"""Tests of soundtrack.story: loading, validation, the built-in story and file-name stems."""

from __future__ import annotations

import dataclasses
import json
import logging
import re
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from soundtrack.errors import StoryError
from soundtrack.model import MoodTags, Saxophone
from soundtrack.story import (
    BUILTIN_SOURCE,
    builtin_story_resource,
    builtin_story_text,
    load_story,
    parse_story,
    safe_file_stem,
)
from soundtrack.styles import style_ids

DATA = Path(__file__).parent / "data"

VALID_TOML = """
[story]
title = "Test story"

[[beats]]
id = "opening"
title = "The opening"
duration = "00:01:00:12"
setting = "New York"
characters = ["Vladimir", "lucia", "vladimir"]
text = "  Vladimir plays.  "
mood = { valence = -0.5, tension = 1 }
key = "bb"
hits = [0, 12.5, "00:00:30:00"]

[[beats]]
id = "talk"
duration = "00:45"
music = false

[[beats]]
id = "late-night"
start = 120
duration = 30.5
lead = "Tenor"
setting = "Bloomingdale's"
hits = ["00:02:10:00", 0.25]

[[beats]]
id = "after"
duration = 10
"""

CHARACTERS = {
    "vladimir",
    "anatoly",
    "apparatchik",
    "kgb",
    "grandfather",
    "lucia",
    "lionel",
    "orlando",
    "circus",
    "new-york",
}


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _story_toml(beats: str, header: str = 'title = "T"') -> str:
    return f"[story]\n{header}\n\n{beats}"


def _problems(path: Path) -> StoryError:
    with pytest.raises(StoryError) as caught:
        load_story(path)
    return caught.value


# ---------------------------------------------------------------- valid stories


def test_valid_toml_story(tmp_path: Path) -> None:
    story = load_story(_write(tmp_path, "story.toml", VALID_TOML))
    assert story.title == "Test story"
    assert story.seed == 0
    assert story.frame_rate == 24.0
    assert story.drop_frame is False
    assert story.lead is Saxophone.ALTO
    assert story.source == str(tmp_path / "story.toml")
    assert [beat.id for beat in story.beats] == ["opening", "talk", "late-night", "after"]
    assert [beat.index for beat in story.beats] == [0, 1, 2, 3]

    opening, talk, late, after = story.beats
    assert opening.title == "The opening"
    assert opening.start_seconds == 0.0
    assert opening.duration_seconds == pytest.approx(60.5)
    assert opening.setting == "new-york"
    assert opening.characters == ("vladimir", "lucia")
    assert opening.text == "Vladimir plays."
    assert opening.mood == MoodTags(valence=-0.5, arousal=None, tension=1.0)
    assert opening.key == "Bb major"
    assert opening.hits_seconds == (0.0, 12.5, 30.0)
    assert opening.music is True
    assert opening.lead is None
    assert opening.style is None

    assert talk.title == "talk"  # defaults to the id
    assert talk.start_seconds == pytest.approx(60.5)
    assert talk.duration_seconds == 45.0
    assert talk.music is False

    # a gap before an explicit start is allowed
    assert late.start_seconds == 120.0
    assert late.duration_seconds == 30.5
    assert late.lead is Saxophone.TENOR
    assert late.setting == "bloomingdales"
    # "00:02:10:00" is absolute story time: 130 s - 120 s = 10 s into the beat
    assert late.hits_seconds == (0.25, 10.0)

    assert after.start_seconds == pytest.approx(150.5)
    assert story.duration_seconds == pytest.approx(160.5)


def test_json_story_equals_toml_story(tmp_path: Path) -> None:
    data = tomllib.loads(VALID_TOML)
    toml_story = load_story(_write(tmp_path, "story.toml", VALID_TOML))
    json_story = load_story(_write(tmp_path, "story.json", json.dumps(data)))
    assert json_story.source.endswith("story.json")
    same_source = dataclasses.replace(toml_story, source="x")
    assert dataclasses.replace(json_story, source="x") == same_source


def test_suffix_is_case_insensitive(tmp_path: Path) -> None:
    story = load_story(_write(tmp_path, "STORY.TOML", VALID_TOML))
    assert len(story.beats) == 4


def test_parse_story_from_mapping() -> None:
    story = parse_story(tomllib.loads(VALID_TOML), source="memory")
    assert story.source == "memory"
    assert story.beats[0].id == "opening"


def test_story_header_fields(tmp_path: Path) -> None:
    text = _story_toml(
        '[[beats]]\nid = "a"\nduration = "00:01:00;02"\nhits = ["00:00:30;00"]\n',
        'title = "Drop"\nseed = 42\nframe_rate = 29.97\nlead = "baritone"',
    )
    story = load_story(_write(tmp_path, "s.toml", text))
    assert story.seed == 42
    assert story.frame_rate == 29.97
    assert story.drop_frame is True  # the default at 29.97
    assert story.lead is Saxophone.BARITONE
    assert story.beats[0].duration_seconds == pytest.approx(60.06)
    assert story.beats[0].hits_seconds == pytest.approx((900 * 1001 / 30000,))


def test_exact_frame_rate_and_non_drop_at_2997(tmp_path: Path) -> None:
    text = _story_toml(
        '[[beats]]\nid = "a"\nduration = 5\n',
        'title = "T"\nframe_rate = 29.97002997002997\ndrop_frame = false',
    )
    story = load_story(_write(tmp_path, "s.toml", text))
    assert story.frame_rate == 29.97
    assert story.drop_frame is False


def test_loading_logs_and_does_not_print(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="soundtrack.story"):
        load_story(_write(tmp_path, "story.toml", VALID_TOML))
        with pytest.raises(StoryError):
            load_story(DATA / "many_problems.toml")
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == ""
    assert any("Test story" in record.getMessage() for record in caplog.records)


# ---------------------------------------------------------------- the built-in story


def test_builtin_story_loads_with_its_shape() -> None:
    story = load_story()
    assert story.title == "Moscow on the Hudson"
    assert story.source == BUILTIN_SOURCE
    assert story.seed == 1984
    assert story.frame_rate == 24.0
    assert story.lead is Saxophone.ALTO
    assert 16 <= len(story.beats) <= 20
    assert 25 * 60 <= story.duration_seconds <= 45 * 60
    for beat in story.beats:
        assert 40 <= beat.duration_seconds <= 180, beat.id
    ids = [beat.id for beat in story.beats]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[a-z0-9-]+", beat_id) for beat_id in ids)


def test_builtin_story_follows_the_plot() -> None:
    story = load_story()
    by_id = {beat.id: beat for beat in story.beats}
    # beats follow each other without gaps (no explicit starts)
    for previous, beat in zip(story.beats, story.beats[1:], strict=False):
        assert beat.start_seconds == pytest.approx(previous.end_seconds)
    assert any(not beat.music for beat in story.beats)
    assert sum(len(beat.hits_seconds) for beat in story.beats) >= 8
    assert by_id["defection"].hits_seconds  # the defection at the perfume counter
    assert by_id["mugging"].hits_seconds
    assert by_id["defection"].setting == "bloomingdales"
    assert by_id["grandfather-dies"].mood.valence is not None
    assert by_id["grandfather-dies"].mood.valence < -0.5
    assert by_id["lucia-romance"].style == "ballad"
    assert story.beats[0].style == "circus-galop"
    assert story.beats[-2].style == "wedding-standard"
    assert {beat.style for beat in story.beats} - {None} <= set(style_ids())
    assert any(beat.style is None for beat in story.beats if beat.music)  # spotting chooses
    for beat in story.beats:
        assert set(beat.characters) <= CHARACTERS, beat.id
    assert {c for beat in story.beats for c in beat.characters} == CHARACTERS
    assert len({beat.setting for beat in story.beats}) >= 8


def test_builtin_story_absolute_hit_is_converted() -> None:
    defection = {beat.id: beat for beat in load_story().beats}["defection"]
    # the file's "00:12:05:00" is 725 s of story time
    assert 725.0 - defection.start_seconds in defection.hits_seconds


def test_builtin_story_text_and_resource_agree() -> None:
    text = builtin_story_text()
    assert text == builtin_story_resource().read_text(encoding="utf-8")
    assert parse_story(tomllib.loads(text), source=BUILTIN_SOURCE) == load_story(None)
    with resources.as_file(builtin_story_resource()) as path:
        from_path = load_story(path)
    assert from_path.beats == load_story().beats


# ---------------------------------------------------------------- bad files

# (file under tests/data, a fragment of the one problem it must report)
BAD_FILES = [
    ("unknown_field.toml", "did you mean 'setting'?"),
    ("unknown_mood_field.toml", "did you mean 'valence'?"),
    ("bad_duration.toml", '"1:2:3"'),
    ("zero_duration.toml", "a duration > 0"),
    ("missing_duration.toml", "duration: expected a duration > 0"),
    ("duplicate_id.toml", "already the id of beats[0]"),
    ("bad_beat_id.toml", "[a-z0-9-]"),
    ("bad_json_syntax.json", "line 4, column 37: expected valid JSON"),
    ("bad_toml_syntax.toml", "line 7, column 27: expected valid TOML"),
    ("json_duplicate_key.json", "each key once"),
    ("json_top_level_list.json", "an object with story and beats"),
    ("mood_out_of_range.toml", "mood.valence: expected a number from -1 to 1, got 1.5"),
    ("hit_outside_beat.toml", "hits[1]: expected a hit inside the beat (0 <= t < 60 s"),
    ("overlapping_start.toml", "beats must not overlap"),
    ("bad_frame_rate.toml", "one of 23.976, 24, 25, 29.97, 30, got 23.98"),
    ("unknown_lead.toml", 'a saxophone: soprano, alto, tenor, baritone, got "clarinet"'),
    ("drop_frame_wrong_rate.toml", "only valid at 29.97 fps"),
    ("skipped_drop_frame_label.toml", "does not exist"),
    ("bad_timecode_frame.toml", "frames run 00-23 at 24 fps"),
    ("drop_frame_flag_wrong_rate.toml", "drop_frame = true only with frame_rate = 29.97"),
    ("no_beats.toml", "at least one [[beats]] table, got nothing"),
    ("empty_beats.json", "at least one [[beats]] table, got an empty list"),
    ("missing_title.toml", "title: expected a title"),
    ("wrong_type.toml", 'music: expected true or false, got "yes" (string)'),
    ("bad_seed.toml", "seed: expected an integer >= 0, got -1"),
    ("bad_key.toml", 'key: expected a key such as "D minor"'),
    ("bad_character.toml", "characters[0]: expected a lowercase word"),
    ("wrong_suffix.yaml", "ending in .toml or .json"),
    ("not_utf8.toml", "line 2: expected UTF-8 text"),
    ("unknown_style.toml", "did you mean 'swing'?"),
]


def test_every_bad_file_is_listed() -> None:
    listed = {name for name, _ in BAD_FILES} | {"many_problems.toml"}
    assert {path.name for path in DATA.iterdir() if path.is_file()} == listed


@pytest.mark.parametrize(("name", "fragment"), BAD_FILES)
def test_bad_file_reports_its_single_problem(name: str, fragment: str) -> None:
    if name == "unknown_style.toml" and "swing" not in style_ids():
        pytest.skip("the styles are not installed yet")
    path = DATA / name
    error = _problems(path)
    assert len(error.problems) == 1, error.lines
    assert fragment in str(error)
    problem = error.problems[0]
    assert problem.source == str(path)
    assert str(error) == str(problem)
    assert str(error).startswith(f"{path}: ")


def test_all_problems_of_a_file_are_reported_at_once() -> None:
    error = _problems(DATA / "many_problems.toml")
    found = [(problem.where, problem.field) for problem in error.problems]
    assert found == [
        ("story", "tittle"),
        ("story", "frame_rate"),
        ('beats[0] (id "Circus!")', "id"),
        ('beats[0] (id "Circus!")', "duration"),
        ('beats[0] (id "Circus!")', "mood.tension"),
        ('beats[1] (id "apartment")', "musik"),
        ('beats[1] (id "apartment")', "lead"),
    ]
    assert len(error.lines) == 7


def test_did_you_mean_hint_is_in_expected() -> None:
    (problem,) = _problems(DATA / "unknown_field.toml").problems
    assert problem.where == 'beats[0] (id "circus")'
    assert problem.field == "settting"
    assert problem.expected == "a known beat field (did you mean 'setting'?)"
    assert problem.found == "unknown field 'settting'"


def test_unknown_field_without_a_close_match_lists_the_fields(tmp_path: Path) -> None:
    path = _write(tmp_path, "s.toml", _story_toml('[[beats]]\nid = "a"\nduration = 5\nzzz = 1\n'))
    (problem,) = _problems(path).problems
    assert "did you mean" not in problem.expected
    assert "id, title, duration" in problem.expected


def test_unknown_top_level_field(tmp_path: Path) -> None:
    path = _write(tmp_path, "s.toml", '[story]\ntitle = "T"\n\n[[beat]]\nid = "a"\nduration = 5\n')
    error = _problems(path)
    assert "did you mean 'beats'?" in str(error)
    assert "at least one [[beats]] table" in str(error)


def test_missing_file(tmp_path: Path) -> None:
    error = _problems(tmp_path / "nowhere.toml")
    assert "expected an existing story file, got no such file" in str(error)


def test_folder_instead_of_file(tmp_path: Path) -> None:
    (tmp_path / "folder.toml").mkdir()
    assert "got a folder" in str(_problems(tmp_path / "folder.toml"))


def test_no_cascade_after_a_bad_duration(tmp_path: Path) -> None:
    beats = '[[beats]]\nid = "a"\nduration = "x"\n\n[[beats]]\nid = "b"\nduration = 5\nhits = [1]\n'
    error = _problems(_write(tmp_path, "s.toml", _story_toml(beats)))
    assert [problem.field for problem in error.problems] == ["duration"]


def test_absolute_hit_before_the_beat(tmp_path: Path) -> None:
    beats = (
        '[[beats]]\nid = "a"\nduration = 60\n\n'
        '[[beats]]\nid = "b"\nduration = 60\nhits = ["00:00:59:00", "00:01:59:23", "00:02:00:00"]\n'
    )
    error = _problems(_write(tmp_path, "s.toml", _story_toml(beats)))
    assert [problem.field for problem in error.problems] == ["hits[0]", "hits[2]"]
    assert "= -1.000 s from the beat's start" in error.lines[0]
    assert "story time 00:01:00:00 (60.000 s) to 00:02:00:00 (120.000 s)" in error.lines[0]


def test_hit_types_and_values(tmp_path: Path) -> None:
    beats = '[[beats]]\nid = "a"\nduration = 60\nhits = [true, -1, 60, "soon", 59.9]\n'
    error = _problems(_write(tmp_path, "s.toml", _story_toml(beats)))
    assert [problem.field for problem in error.problems] == [
        "hits[0]",
        "hits[1]",
        "hits[2]",
        "hits[3]",
    ]


def test_start_touching_the_previous_end_is_allowed(tmp_path: Path) -> None:
    beats = (
        '[[beats]]\nid = "a"\nduration = "00:00:10:01"\n\n'
        '[[beats]]\nid = "b"\nstart = "00:00:10:01"\nduration = 5\n'
    )
    story = load_story(_write(tmp_path, "s.toml", _story_toml(beats)))
    assert story.beats[1].start_seconds == pytest.approx(10 + 1 / 24)


@pytest.mark.parametrize(
    ("beat_fields", "field", "fragment"),
    [
        ("title = 3", "title", "a string, got 3 (integer)"),
        ('text = ["a"]', "text", "a string"),
        ('setting = "!!!"', "setting", "letters or digits"),
        ("setting = 7", "setting", "a string"),
        ('characters = "vladimir"', "characters", "a list of lowercase words"),
        ("characters = [1]", "characters[0]", "a lowercase word (string)"),
        ('mood = "sad"', "mood", "a table of valence, arousal, tension"),
        ("mood = { arousal = -0.1 }", "mood.arousal", "from 0 to 1"),
        ('mood = { tension = "high" }', "mood.tension", "from 0 to 1"),
        ("mood = { valence = nan }", "mood.valence", "from -1 to 1"),
        ("style = 3", "style", "a string"),
        ('lead = "bari"', "lead", "did you mean 'baritone'?"),
        ("hits = 3", "hits", "a list of hit times"),
        ('start = "later"', "start", '"MM:SS"'),
        ("duration = -5", "duration", "is negative"),
        ("duration = inf", "duration", "finite"),
        ('duration = "150"', "duration", '"150" (string)'),
        ("duration = true", "duration", "true (boolean)"),
        ("duration = 00:02:30", "duration", 'quoted strings, e.g. "02:30"'),
        ("hits = [00:00:10]", "hits[0]", "(datetime); write times as quoted strings"),
        ("music = 1", "music", "true or false"),
    ],
)
def test_beat_field_rules(tmp_path: Path, beat_fields: str, field: str, fragment: str) -> None:
    beats = f'[[beats]]\nid = "a"\nduration = 30\n{beat_fields}\n'
    beats = beats.replace("duration = 30\nduration", "duration")
    error = _problems(_write(tmp_path, "s.toml", _story_toml(beats)))
    assert [problem.field for problem in error.problems] == [field]
    assert fragment in str(error)


@pytest.mark.parametrize(
    ("header", "field", "fragment"),
    [
        ('title = ""', "title", "a non-empty title"),
        ("title = 1", "title", "a string"),
        ('title = "T"\nseed = 1.5', "seed", "an integer >= 0, got 1.5"),
        ('title = "T"\nseed = true', "seed", "got true (boolean)"),
        ('title = "T"\nframe_rate = "24"', "frame_rate", 'got "24" (string)'),
        ('title = "T"\ndrop_frame = "yes"', "drop_frame", "true or false"),
        ('title = "T"\nlead = 5', "lead", "a string"),
    ],
)
def test_story_field_rules(tmp_path: Path, header: str, field: str, fragment: str) -> None:
    text = _story_toml('[[beats]]\nid = "a"\nduration = 30\n', header)
    error = _problems(_write(tmp_path, "s.toml", text))
    assert [problem.field for problem in error.problems] == [field]
    assert fragment in str(error)


def test_story_table_and_beats_of_the_wrong_type(tmp_path: Path) -> None:
    path = _write(tmp_path, "s.json", json.dumps({"story": "x", "beats": [1, {"id": "a"}]}))
    error = _problems(path)
    assert [(problem.where, problem.field) for problem in error.problems] == [
        ("", "story"),
        ("beats[0]", ""),
        ('beats[1] (id "a")', "duration"),
    ]


def test_json_null_is_a_wrong_type(tmp_path: Path) -> None:
    data = {"story": {"title": None}, "beats": [{"id": "a", "duration": 5, "style": None}]}
    error = _problems(_write(tmp_path, "s.json", json.dumps(data)))
    assert [problem.field for problem in error.problems] == ["title", "style"]
    assert "got null (null)" in str(error)


def test_style_ids_are_checked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("soundtrack.story.style_ids", lambda: ("ballad", "swing"))
    ok = _story_toml('[[beats]]\nid = "a"\nduration = 5\nstyle = "swing"\n')
    assert load_story(_write(tmp_path, "ok.toml", ok)).beats[0].style == "swing"
    bad = _story_toml('[[beats]]\nid = "a"\nduration = 5\nstyle = "sving"\n')
    (problem,) = _problems(_write(tmp_path, "bad.toml", bad)).problems
    assert problem.field == "style"
    assert problem.expected == "a known style: ballad, swing (did you mean 'swing'?)"


def test_style_is_not_checked_without_styles(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("soundtrack.story.style_ids", lambda: ())
    text = _story_toml('[[beats]]\nid = "a"\nduration = 5\nstyle = "anything"\n')
    assert load_story(_write(tmp_path, "s.toml", text)).beats[0].style == "anything"


def test_builtin_styles_exist_when_installed() -> None:
    installed = set(style_ids())
    if not installed:
        pytest.skip("the styles are not installed yet")
    assert {beat.style for beat in load_story().beats} - {None} <= installed


# ---------------------------------------------------------------- file-name stems


@pytest.mark.parametrize(
    ("beat_id", "stem"),
    [
        ("circus", "circus"),
        ("grandfather-kgb", "grandfather-kgb"),
        ("../../etc/passwd", "etc-passwd"),
        (".hidden", "hidden"),
        ("..", "beat"),
        ("", "beat"),
        ("---", "beat"),
        ("Café Noir", "cafe-noir"),
        ("a//b\\c", "a-b-c"),
        ("con", "con-beat"),
        ("NUL", "nul-beat"),
        ("x" * 100, "x" * 60),
        ("a" * 59 + "-b", "a" * 59),
        ("имя", "beat"),
    ],
)
def test_safe_file_stem(beat_id: str, stem: str) -> None:
    assert safe_file_stem(beat_id) == stem


@pytest.mark.parametrize(
    "beat_id", ["/", "C:\\x", "a\x00b", " spaced out ", "-lead", "trail-", "\u202edir", "ok-1"]
)
def test_safe_file_stem_invariants(beat_id: str) -> None:
    stem = safe_file_stem(beat_id)
    assert re.fullmatch(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?", stem)
    assert 1 <= len(stem) <= 60
    assert safe_file_stem(stem) == stem


def test_segue_is_a_boolean_defaulting_to_true(tmp_path) -> None:
    from soundtrack.errors import StoryError
    from soundtrack.story import load_story

    good = tmp_path / "good.toml"
    good.write_text(
        '[story]\ntitle = "t"\n[[beats]]\nid = "a"\nduration = 10\nsegue = false\n'
        '[[beats]]\nid = "b"\nduration = 10\n'
    )
    story = load_story(good)
    assert [beat.segue for beat in story.beats] == [False, True]
    bad = tmp_path / "bad.toml"
    bad.write_text('[story]\ntitle = "t"\n[[beats]]\nid = "a"\nduration = 10\nsegue = "no"\n')
    with pytest.raises(StoryError, match="segue"):
        load_story(bad)
