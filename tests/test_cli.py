"""Tests of the command line: exit codes, messages, nothing written on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import mido
import pytest
from test_story import BAD_FILES

from soundtrack.cli import main

DATA = Path(__file__).parent / "data"
BAD_STORIES = sorted(p for p in DATA.iterdir() if p.is_file())
EXPECTED_FRAGMENT = dict(BAD_FILES)


def test_there_are_bad_inputs_to_check() -> None:
    assert len(BAD_STORIES) >= 10


@pytest.mark.parametrize("path", BAD_STORIES, ids=[p.name for p in BAD_STORIES])
def test_bad_story_exits_2_with_one_line_per_problem_and_writes_nothing(
    path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(path)]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert lines, "a problem must be reported"
    for line in lines:
        assert line.startswith("soundtrack: error: ")
        assert path.name in line
        assert "Traceback" not in line
    if path.name in EXPECTED_FRAGMENT:
        assert len(lines) == 1
        assert EXPECTED_FRAGMENT[path.name] in lines[0]
    else:
        assert path.name == "many_problems.toml"
        assert len(lines) == 7
    out = tmp_path / "out"
    assert main(["score", str(path), "--out", str(out)]) == 2
    assert not out.exists()


def test_missing_story_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.toml"
    assert main(["validate", str(missing)]) == 2
    assert "nope.toml" in capsys.readouterr().err


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", "--no-such-option"]) == 2
    assert "no-such-option" in capsys.readouterr().err
    assert main(["cue", "--style", "no-such-style"]) == 2
    assert "no-such-style" in capsys.readouterr().err


def test_validate_built_in(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    assert "valid" in capsys.readouterr().out


def test_styles_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["styles", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    ids = {row["id"] for row in rows}
    assert {"circus-galop", "swing", "ballad", "chase", "wedding-standard"} <= ids
    assert all(row["description"] for row in rows)


def test_arc_table_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["arc"]) == 0
    table = capsys.readouterr().out
    assert "valence" in table
    assert "circus" in table
    assert main(["arc", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) >= 16


def test_cue_writes_a_file_of_the_asked_length(tmp_path: Path) -> None:
    out = tmp_path / "galop.mid"
    assert (
        main(
            ["cue", "--style", "circus-galop", "--seconds", "20", "--seed", "3", "--out", str(out)]
        )
        == 0
    )
    assert abs(mido.MidiFile(out).length - 20.0) < 1 / 24
    # Same command again: replacing its own file is fine; a user's file is not.
    assert (
        main(
            ["cue", "--style", "circus-galop", "--seconds", "20", "--seed", "4", "--out", str(out)]
        )
        == 0
    )
    mine = tmp_path / "mine.mid"
    mine.write_bytes(b"not yours")
    assert main(["cue", "--style", "swing", "--bars", "8", "--out", str(mine)]) == 2
    assert mine.read_bytes() == b"not yours"


def test_cue_bars_and_options(tmp_path: Path) -> None:
    out = tmp_path / "swing.mid"
    code = main(
        [
            "cue",
            "--style",
            "swing",
            "--bars",
            "8",
            "--tempo",
            "160",
            "--key",
            "Bb",
            "--lead",
            "tenor",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    midi = mido.MidiFile(out)
    tempos = [m.tempo for m in midi.tracks[0] if m.type == "set_tempo"]
    assert mido.tempo2bpm(tempos[0]) == pytest.approx(160, abs=0.1)
    programs = {m.program for t in midi.tracks for m in t if m.type == "program_change"}
    assert 66 in programs  # tenor sax
    keys = [m.key for m in midi.tracks[0] if m.type == "key_signature"]
    assert keys == ["Bb"]


def test_cue_rejects_both_bars_and_seconds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.mid"
    assert (
        main(["cue", "--style", "swing", "--bars", "8", "--seconds", "10", "--out", str(out)]) == 2
    )
    assert "--bars" in capsys.readouterr().err
    assert not out.exists()


def test_python_dash_m_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "soundtrack", "styles"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert "swing" in result.stdout


def test_cue_rejects_a_key_outside_the_styles_modes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.mid"
    assert main(["cue", "--style", "chase", "--key", "C major", "--out", str(out)]) == 2
    assert "chase" in capsys.readouterr().err
    assert not out.exists()


def test_cue_states_the_asked_leitmotifs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "theme.mid"
    args = ["cue", "--style", "ballad", "--bars", "24", "--motif", "vladimir", "--motif", "lucia"]
    assert main([*args, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "vladimir: major" in printed  # a minor theme in a major ballad
    assert "lucia:" in printed
    markers = [m.text for track in mido.MidiFile(out).tracks for m in track if m.type == "marker"]
    assert any(text.startswith("MOTIF vladimir") for text in markers)
    assert any(text.startswith("MOTIF lucia") for text in markers)
    plain = tmp_path / "plain.mid"
    assert main(["cue", "--style", "ballad", "--bars", "24", "--out", str(plain)]) == 0
    assert not [
        m
        for track in mido.MidiFile(plain).tracks
        for m in track
        if m.type == "marker" and m.text.startswith("MOTIF")
    ]
    bad = tmp_path / "bad.mid"
    assert main(["cue", "--style", "ballad", "--motif", "vladmir", "--out", str(bad)]) == 2
    assert "did you mean 'vladimir'" in capsys.readouterr().err
    assert not bad.exists()


def test_preview_writes_audio_pictures_and_sheets_beside_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import wave

    cue = tmp_path / "sketch.mid"
    assert main(["cue", "--style", "swing", "--bars", "4", "--out", str(cue)]) == 0
    capsys.readouterr()
    assert main(["preview", str(cue)]) == 0
    for name in ("sketch.wav", "sketch.png", "sketch-sax.musicxml", "sketch-score.musicxml"):
        assert (tmp_path / name).stat().st_size > 0, name
    with wave.open(str(tmp_path / "sketch.wav")) as audio:
        seconds = audio.getnframes() / audio.getframerate()
    assert abs(seconds - (mido.MidiFile(cue).length + 2.0)) < 0.05  # the cue plus its tail
    assert (tmp_path / "sketch.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "hint:" in capsys.readouterr().out  # no engraver here: how to get PDF/PNG
    other = tmp_path / "elsewhere"
    assert main(["preview", str(cue), "--out", str(other), "--no-audio"]) == 0
    assert (other / "sketch.png").exists()
    assert not (other / "sketch.wav").exists()


def test_preview_of_a_bad_file_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "notes.mid"
    bad.write_text("not a MIDI file")
    assert main(["preview", str(bad)]) == 2
    error = capsys.readouterr().err
    assert "notes.mid" in error
    assert "MIDI" in error
    assert list(tmp_path.iterdir()) == [bad]
    assert main(["preview", str(tmp_path / "missing.mid")]) == 2
    assert "missing.mid" in capsys.readouterr().err


def test_cue_and_score_preview(tmp_path: Path) -> None:
    cue = tmp_path / "cue" / "galop.mid"
    assert (
        main(["cue", "--style", "circus-galop", "--bars", "8", "--preview", "--out", str(cue)]) == 0
    )
    assert {path.name for path in cue.parent.iterdir() if not path.name.startswith(".")} == {
        "galop.mid",
        "galop.wav",
        "galop.png",
        "galop-sax.musicxml",
        "galop-score.musicxml",
    }
    story = tmp_path / "two.toml"
    story.write_text(
        '[story]\ntitle = "Two"\nseed = 2\n'
        '[[beats]]\nid = "a"\nduration = 8\ncharacters = ["vladimir"]\n'
        "mood = { valence = 0.6, arousal = 0.6 }\n"
        '[[beats]]\nid = "b"\nduration = 6\nmood = { valence = -0.6, arousal = 0.9 }\n'
    )
    folder = tmp_path / "story"
    assert main(["score", str(story), "--out", str(folder), "--preview"]) == 0
    page = (folder / "index.html").read_text()
    for stem in ("01_a", "02_b"):
        assert (folder / "preview" / f"{stem}.wav").exists()
        assert (folder / "preview" / f"{stem}.png").exists()
        assert (folder / "sheet" / f"{stem}-sax.musicxml").exists()
        assert f'src="preview/{stem}.wav"' in page
