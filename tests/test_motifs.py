"""Tests of the leitmotif library and its loader (:mod:`soundtrack.motifs`), the story's
``motifs`` folders and ``soundtrack motifs``."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest

from soundtrack.cli import main
from soundtrack.errors import MotifError, StoryError
from soundtrack.model import Key, Meter, Mode, Motif, Note
from soundtrack.motifs import (
    HIGHEST_PITCH,
    LOWEST_PITCH,
    MAX_BARS,
    list_motifs,
    load_motif,
    motif_names,
    read_motif,
    read_motifs,
)
from soundtrack.story import load_story
from soundtrack.styles.schema import parse_roman_chord

DATA = Path(__file__).parent / "data" / "motifs"
STORY_DATA = Path(__file__).parent / "data" / "motif_story"
BUILT_IN = (
    "anatoly",
    "apparatchik",
    "circus",
    "grandfather",
    "kgb",
    "lionel",
    "lucia",
    "new-york",
    "orlando",
    "vladimir",
)
#: Motifs the bass may take: they may go below the saxophone's comfortable range.
LOW_MOTIFS = ("kgb",)

HERO = """
title = "Hero"
stands_for = "The hero of a test."
key = "C major"
melody = "{melody}"
"""


def _write(folder: Path, name: str, melody: str, extra: str = "") -> Path:
    path = folder / f"{name}.toml"
    path.write_text(HERO.format(melody=melody) + extra, encoding="utf-8")
    return path


# ---------------------------------------------------------------- the built-in library


def test_the_built_in_motifs() -> None:
    assert set(BUILT_IN) <= set(motif_names())
    assert motif_names() == tuple(sorted(motif_names()))
    assert tuple(motif.name for motif in list_motifs()) == motif_names()


@pytest.mark.parametrize("name", BUILT_IN)
def test_built_in_motif_is_complete_and_in_range(name: str) -> None:
    motif = load_motif(name)
    assert isinstance(motif, Motif)
    assert motif.name == name
    assert motif.title
    assert motif.stands_for.endswith(".")
    assert motif.source == "<built-in>"
    assert 2 <= motif.bars <= 4
    assert motif.length_ticks % motif.meter.bar_ticks == 0
    assert motif.length_ticks == motif.bars * motif.meter.bar_ticks
    assert len(motif.notes) >= 3
    low, high = (36, 60) if name in LOW_MOTIFS else (55, 84)
    assert all(low <= note.pitch <= high for note in motif.notes), [n.pitch for n in motif.notes]
    # sorted, not overlapping, inside the motif
    for before, after in zip(motif.notes, motif.notes[1:], strict=False):
        assert before.end_tick <= after.start_tick
    assert motif.notes[-1].end_tick <= motif.length_ticks
    assert all(note.duration_ticks > 0 and 1 <= note.velocity <= 127 for note in motif.notes)
    assert len(motif.harmony) <= motif.bars
    for chord in motif.harmony:
        parse_roman_chord(chord)
    if motif.instrument:
        assert motif.program is not None
        assert 0 <= motif.program <= 127
    else:
        assert motif.program is None


def test_built_in_motifs_differ() -> None:
    motifs = list_motifs()
    keys = [motif.key for motif in motifs if motif.name in BUILT_IN]
    assert len(set(keys)) == len(keys), "each motif in its own key"
    rhythms = {
        tuple(note.start_tick for note in motif.notes) for motif in motifs if motif.name in BUILT_IN
    }
    assert len(rhythms) == len(BUILT_IN)


def test_vladimir_is_the_main_theme() -> None:
    motif = load_motif("vladimir")
    assert motif.key == Key(tonic_pc=2, mode=Mode.MINOR)
    assert motif.bars == 4
    assert motif.harmony == ("i", "iv", "V7", "i")
    assert motif.instrument == ""
    assert motif.program is None
    # the head: a fourth up, then two steps up
    head = [note.pitch for note in motif.notes[:4]]
    assert [b - a for a, b in zip(head, head[1:], strict=False)] == [5, 2, 1]


def test_the_other_motifs_have_their_character() -> None:
    assert load_motif("new-york").harmony
    assert load_motif("new-york").key.mode is Mode.MAJOR
    assert load_motif("lucia").key.mode is Mode.MAJOR
    lucia = [note.pitch for note in load_motif("lucia").notes]
    assert any(abs(b - a) in (8, 9) for a, b in zip(lucia, lucia[1:], strict=False))  # a sixth
    assert load_motif("circus").meter.text == "2/4"
    kgb = [note.pitch for note in load_motif("kgb").notes]
    intervals = {abs(b - a) for a, b in zip(kgb, kgb[1:], strict=False)}
    assert {1, 6} <= intervals  # minor second and tritone
    assert max(kgb) < 55
    lionel = {note.pitch % 12 for note in load_motif("lionel").notes}
    assert {6, 7} <= lionel  # the blue third G-flat next to G in E-flat


def test_load_motif_is_cached_for_built_ins() -> None:
    assert load_motif("vladimir") is load_motif("vladimir")


def test_unknown_motif_names_the_known_ones() -> None:
    with pytest.raises(MotifError) as caught:
        load_motif("vladmir")
    message = str(caught.value)
    assert "'vladmir'" in message
    assert "did you mean 'vladimir'" in message
    for name in BUILT_IN:
        assert name in message


# ---------------------------------------------------------------- parsing


def test_exact_parse_of_a_melody(tmp_path: Path) -> None:
    path = _write(tmp_path, "hero", "4/4 c4 d8 e8~ e4 r4 | trip{f8 g a} b2 r4 | c'4")
    motif = read_motif(path)
    assert motif.name == "hero"
    assert motif.source == str(path)
    assert motif.meter == Meter(numerator=4, denominator=4, pulse_ticks=480)
    assert motif.notes == (
        Note(start_tick=0, duration_ticks=480, pitch=60, velocity=96),
        Note(start_tick=480, duration_ticks=240, pitch=62, velocity=80),
        Note(start_tick=720, duration_ticks=720, pitch=64, velocity=80),  # e8~e4 merged
        # the rest at 1440..1920 is skipped; a triplet of eighths: 160 ticks each
        Note(start_tick=1920, duration_ticks=160, pitch=65, velocity=96),
        Note(start_tick=2080, duration_ticks=160, pitch=67, velocity=80),
        Note(start_tick=2240, duration_ticks=160, pitch=69, velocity=80),
        Note(start_tick=2400, duration_ticks=960, pitch=71, velocity=80),
        Note(start_tick=3840, duration_ticks=480, pitch=72, velocity=96),
    )
    assert motif.length_ticks == 3 * 1920  # 2 bars and a quarter: rounded up
    assert motif.bars == 3
    assert motif.harmony == ()
    assert motif.instrument == ""
    assert motif.program is None


def test_default_meter_and_three_four(tmp_path: Path) -> None:
    plain = read_motif(_write(tmp_path, "plain", "c4 d e"))
    assert plain.meter.text == "4/4"
    assert [note.start_tick for note in plain.notes] == [0, 480, 960]
    assert plain.length_ticks == 1920
    waltz = read_motif(_write(tmp_path, "waltz", "3/4 c4 d e | f2"))
    assert waltz.meter == Meter(numerator=3, denominator=4, pulse_ticks=480)
    assert [(n.start_tick, n.duration_ticks) for n in waltz.notes] == [
        (0, 480),
        (480, 480),
        (960, 480),
        (1440, 960),
    ]
    assert waltz.length_ticks == 2 * 1440
    assert waltz.bars == 2


def test_compound_meter_counts_dotted_quarters() -> None:
    anatoly = load_motif("anatoly")
    assert anatoly.meter == Meter(numerator=6, denominator=8, pulse_ticks=720)
    assert anatoly.meter.bar_ticks == 1440


def test_accidentals_and_octaves(tmp_path: Path) -> None:
    motif = read_motif(_write(tmp_path, "hero", "4/4 c'#4 b'-4 CC4 fn4"))
    assert [note.pitch for note in motif.notes] == [73, 82, 36, 65]


def test_harmony_instrument_and_program(tmp_path: Path) -> None:
    extra = 'harmony = ["I", "V7"]\ninstrument = "Clarinet"\nprogram = 71\n'
    motif = read_motif(_write(tmp_path, "hero", "4/4 c1 | b1", extra))
    assert motif.harmony == ("I", "V7")
    assert (motif.instrument, motif.program) == ("Clarinet", 71)


def test_bar_lines_are_optional_and_checked(tmp_path: Path) -> None:
    with_bars = read_motif(_write(tmp_path, "a", "4/4 c2 d4 e4~ | e4 f4 g2 |"))
    without = read_motif(_write(tmp_path, "b", "4/4 c2 d4 e4~ e4 f4 g2"))
    assert with_bars.notes == without.notes
    assert with_bars.notes[2] == Note(start_tick=1440, duration_ticks=960, pitch=64, velocity=80)


# ---------------------------------------------------------------- bad files


BAD_FILES = [
    ("unknown-field.toml", "harmonie", "did you mean 'harmony'?"),
    ("bad-melody.toml", "melody", "Could not parse token: 'h4'"),
    ("empty-melody.toml", "melody", "at least one note"),
    ("missing-melody.toml", "melody", "got nothing"),
    ("bad-key.toml", "key", "got 'H minor'"),
    ("bad-harmony.toml", "harmony[1]", "got 'X7'"),
    ("too-many-chords.toml", "harmony", "at most 2 chords, one per bar of the melody"),
    ("program-out-of-range.toml", "program", "from 0 to 127, got 128"),
    ("instrument-without-program.toml", "program", "for the instrument 'Clarinet'"),
    ("program-without-instrument.toml", "instrument", "got nothing"),
    ("too-long.toml", "melody", f"at most {MAX_BARS} bars of 4/4, got 9 bars"),
    ("note-out-of-range.toml", "melody", f"MIDI {LOWEST_PITCH}-{HIGHEST_PITCH}), got C1 (MIDI 24)"),
    ("accidental-before-octave.toml", "melody", "c'# is C#5"),
    ("misplaced-bar-line.toml", "melody", "bar line 1 after 2 beats"),
    ("late-time-signature.toml", "melody", "one time signature, at the start, got '3/4'"),
    ("wrong-type.toml", "title", "a non-empty string, got 7"),
    ("bad-toml-syntax.toml", "", "line 2, column 14: expected valid TOML"),
    ("Bad_Name.toml", "name", "lower-case letters, digits and '-'"),
]


def test_every_bad_file_is_listed() -> None:
    listed = {name for name, _, _ in BAD_FILES} | {"many-problems.toml"}
    assert {path.name for path in DATA.iterdir()} == listed


@pytest.mark.parametrize(("name", "field", "fragment"), BAD_FILES)
def test_bad_file_reports_its_single_problem(name: str, field: str, fragment: str) -> None:
    path = DATA / name
    with pytest.raises(MotifError) as caught:
        read_motif(path)
    error = caught.value
    assert len(error.problems) == 1, error.lines
    problem = error.problems[0]
    assert problem.source == str(path)
    assert problem.field == field
    assert str(error).startswith(f"{path}: ")
    if field:
        assert f": {field}: expected " in str(error)
    assert fragment in str(error)


def test_all_problems_of_a_file_are_reported_at_once() -> None:
    with pytest.raises(MotifError) as caught:
        read_motif(DATA / "many-problems.toml")
    fields = [problem.field for problem in caught.value.problems]
    assert fields == ["stand_for", "stands_for", "key", "harmony[1]", "harmony", "program"]
    assert "did you mean 'stands_for'?" in caught.value.lines[0]
    assert all(line.startswith(str(DATA / "many-problems.toml")) for line in caught.value.lines)


def test_unreadable_motif_file(tmp_path: Path) -> None:
    with pytest.raises(MotifError) as caught:
        read_motif(tmp_path / "missing.toml")
    assert "missing.toml" in str(caught.value)
    assert "readable" in str(caught.value)


# ---------------------------------------------------------------- extra folders


def test_a_folder_adds_and_overrides_motifs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _write(tmp_path, "hero", "4/4 c'4 g4 e'2")
    lucia = _write(tmp_path, "lucia", "3/4 e'4 c'#4 a4 | b2.")
    (tmp_path / "notes.md").write_text("not a motif", encoding="utf-8")
    assert "hero" in motif_names([tmp_path])
    assert "hero" not in motif_names()
    assert "notes" not in motif_names([tmp_path])
    with caplog.at_level(logging.INFO, logger="soundtrack.motifs"):
        replaced = load_motif("lucia", [tmp_path])
    assert replaced.source == str(lucia)
    assert replaced.meter.text == "3/4"
    assert "replaces the built-in" in caplog.text
    assert load_motif("lucia").source == "<built-in>"
    every = {motif.name: motif for motif in list_motifs([str(tmp_path)])}
    assert set(BUILT_IN) | {"hero"} == set(every)
    assert every["lucia"].source == str(lucia)
    assert every["vladimir"] is load_motif("vladimir")
    assert [motif.name for motif in read_motifs(tmp_path)] == ["hero", "lucia"]


def test_the_first_folder_wins(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    _write(first, "hero", "4/4 c1")
    _write(second, "hero", "4/4 d1")
    assert load_motif("hero", [first, second]).notes[0].pitch == 60
    assert load_motif("hero", [second, first]).notes[0].pitch == 62


def test_bad_files_of_a_folder_are_all_reported(tmp_path: Path) -> None:
    _write(tmp_path, "good", "4/4 c1")
    _write(tmp_path, "bad", "4/4 c4 h4")
    _write(tmp_path, "worse", "4/4 c4", 'harmony = ["I", "Q"]\n')
    for read in (lambda: list_motifs([tmp_path]), lambda: read_motifs(tmp_path)):
        with pytest.raises(MotifError) as caught:
            read()
        sources = [Path(problem.source).name for problem in caught.value.problems]
        assert sources == ["bad.toml", "worse.toml", "worse.toml"]  # Q, and 2 chords for 1 bar


def test_a_missing_folder_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(MotifError, match="nope: expected an existing folder"):
        motif_names([missing])
    with pytest.raises(MotifError, match="no such folder"):
        list_motifs([missing])
    with pytest.raises(MotifError, match="no such folder"):
        read_motifs(missing)
    with pytest.raises(MotifError, match="no such folder"):
        load_motif("vladimir", [missing])


# ---------------------------------------------------------------- the story's motifs field


def test_story_motif_folders_are_absolute_and_used() -> None:
    story = load_story(STORY_DATA / "story.toml")
    folder = (STORY_DATA / "my_motifs").resolve()
    assert story.motif_folders == (str(folder),)
    motifs = {motif.name: motif for motif in list_motifs(story.motif_folders)}
    assert motifs["hero"].title == "The hero"
    assert motifs["lucia"].title == "Lucia (test story)"
    assert load_story().motif_folders == ()


def test_story_with_a_broken_motif_names_the_motif_file() -> None:
    with pytest.raises(StoryError) as caught:
        load_story(STORY_DATA / "broken_folder_story.toml")
    (problem,) = caught.value.problems
    assert Path(problem.source).name == "villain.toml"
    assert Path(problem.source).parent.name == "broken_motifs"
    assert problem.field == "tempo"


def test_story_with_a_missing_motif_folder() -> None:
    with pytest.raises(StoryError) as caught:
        load_story(STORY_DATA / "missing_folder_story.toml")
    (problem,) = caught.value.problems
    assert problem.where == "story"
    assert problem.field == "motifs[0]"
    assert "no such folder" in problem.found
    assert "no_such_folder" in problem.found


@pytest.mark.parametrize(
    ("line", "field", "fragment"),
    [
        ('motifs = "my_motifs"', "motifs", "a list of motif folders"),
        ("motifs = [3]", "motifs[0]", "a folder path"),
        ('motifs = ["story.toml"]', "motifs[0]", "a file"),
        ('motif = ["my_motifs"]', "motif", "did you mean 'motifs'?"),
    ],
)
def test_story_motifs_field_is_checked(
    line: str, field: str, fragment: str, tmp_path: Path
) -> None:
    shutil.copytree(STORY_DATA / "my_motifs", tmp_path / "my_motifs")
    text = (STORY_DATA / "story.toml").read_text(encoding="utf-8")
    story_file = tmp_path / "story.toml"
    story_file.write_text(text.replace('motifs = ["my_motifs"]', line), encoding="utf-8")
    with pytest.raises(StoryError) as caught:
        load_story(story_file)
    (problem,) = caught.value.problems
    assert problem.field == field
    assert fragment in str(caught.value)


# ---------------------------------------------------------------- the CLI


def test_cli_lists_the_motifs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["motifs", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    names = [row["name"] for row in rows]
    assert len(names) >= 10
    assert set(BUILT_IN) <= set(names)
    vladimir = next(row for row in rows if row["name"] == "vladimir")
    assert vladimir["key"] == "D minor"
    assert vladimir["bars"] == 4
    assert vladimir["stands_for"]
    assert main(["motifs"]) == 0
    table = capsys.readouterr().out
    for name in BUILT_IN:
        assert name in table


def test_cli_lists_a_storys_motifs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["motifs", str(STORY_DATA / "story.toml"), "--json"]) == 0
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["hero"]["source"].endswith("hero.toml")
    assert rows["lucia"]["title"] == "Lucia (test story)"
    assert rows["vladimir"]["source"] == "<built-in>"


@pytest.mark.parametrize(
    ("story", "fragment"),
    [
        ("broken_folder_story.toml", "villain.toml: tempo"),
        ("missing_folder_story.toml", "motifs[0]"),
    ],
)
def test_cli_bad_motif_folder_exits_2_with_one_line(
    story: str, fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for command in ("motifs", "validate"):
        assert main([command, str(STORY_DATA / story)]) == 2
        captured = capsys.readouterr()
        lines = captured.err.strip().splitlines()
        assert len(lines) == 1, lines
        assert lines[0].startswith("soundtrack: error: ")
        assert fragment in lines[0]
        assert "Traceback" not in captured.err
        assert captured.out == ""
