"""Tests of the written output contract: files, MIDI validity, lengths, determinism."""

from __future__ import annotations

import csv
import dataclasses
import json
from pathlib import Path

import mido
import pytest
from music21 import converter, harmony

from soundtrack.export import story_files, write_story
from soundtrack.model import SAXOPHONE_PROGRAM, Saxophone
from soundtrack.pipeline import score_story
from soundtrack.story import load_story


@pytest.fixture(scope="module")
def scored_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("score")
    write_story(score_story(load_story(None)), folder)
    return folder


def _notes_by_channel(midi: mido.MidiFile) -> list[tuple[int, int, int, int]]:
    """(channel, pitch, start, end) of every note, in absolute ticks; fails on hanging notes."""
    notes = []
    for track in midi.tracks:
        tick = 0
        sounding: dict[tuple[int, int], int] = {}
        for message in track:
            tick += message.time
            if message.type == "note_on" and message.velocity > 0:
                key = (message.channel, message.note)
                assert key not in sounding, f"overlapping note {key} at {tick}"
                sounding[key] = tick
            elif message.type == "note_off" or (
                message.type == "note_on" and message.velocity == 0
            ):
                key = (message.channel, message.note)
                assert key in sounding, f"note-off without note-on {key} at {tick}"
                notes.append((key[0], key[1], sounding.pop(key), tick))
        assert not sounding, f"hanging notes {sounding}"
    return notes


def test_output_contract(scored_dir: Path) -> None:
    story = load_story(None)
    sheet = json.loads((scored_dir / "cuesheet.json").read_text())
    for field in ("title", "seed", "frame_rate", "duration_seconds", "cues"):
        assert field in sheet
    assert sheet["seed"] == story.seed
    music_beats = [beat for beat in story.beats if beat.music]
    assert len(sheet["cues"]) == len(music_beats)
    required = {
        "id",
        "beat",
        "title",
        "start_seconds",
        "duration_seconds",
        "start_timecode",
        "style",
        "key",
        "meter",
        "tempo_bpm",
        "mood",
        "motifs",
        "lead",
        "file",
    }
    for cue, beat in zip(sheet["cues"], music_beats, strict=True):
        assert required <= set(cue)
        assert cue["beat"] == beat.id
        assert (scored_dir / cue["file"]).is_file()
        assert cue["file"] == f"scenes/{beat.index + 1:02d}_{beat.id}.mid"
    with (scored_dir / "cuesheet.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert [row["cue"] for row in rows] == [cue["id"] for cue in sheet["cues"]]
    assert (scored_dir / "score.mid").is_file()
    silent = [beat for beat in story.beats if not beat.music]
    assert silent
    assert not any(list((scored_dir / "scenes").glob(f"*_{beat.id}.mid")) for beat in silent)


def test_scene_files_are_valid_midi_of_the_right_length(scored_dir: Path) -> None:
    sheet = json.loads((scored_dir / "cuesheet.json").read_text())
    frame = 1 / sheet["frame_rate"]
    for cue in sheet["cues"]:
        midi = mido.MidiFile(scored_dir / cue["file"])
        assert midi.type == 1
        assert abs(midi.length - cue["duration_seconds"]) < frame, cue["id"]
        conductor = midi.tracks[0]
        assert conductor.name == cue["title"]
        kinds = {message.type for message in conductor}
        assert {"set_tempo", "time_signature", "key_signature", "marker", "text"} <= kinds
        for message in conductor:
            if message.type == "text":
                harmony.ChordSymbol(message.text)  # raises when music21 cannot read it
        programs = {}
        for track in midi.tracks[1:]:
            assert track.name
            channels = {m.channel for m in track if hasattr(m, "channel")}
            assert len(channels) == 1
            changes = {m.control for m in track if m.type == "control_change"}
            assert {7, 10, 91} <= changes
            program = [m.program for m in track if m.type == "program_change"]
            assert len(program) == 1
            programs[track.name] = (channels.pop(), program[0])
        lead_program = SAXOPHONE_PROGRAM[Saxophone(cue["lead"])]
        assert any(program == lead_program for _, program in programs.values())
        assert any(channel == 9 for channel, _ in programs.values()), "drums on channel 10"
        notes = _notes_by_channel(midi)
        end = max(note[3] for note in notes)
        total_ticks = sum(message.time for message in midi.tracks[0])
        assert end <= total_ticks


def test_every_midi_file_parses_with_music21(scored_dir: Path) -> None:
    sheet = json.loads((scored_dir / "cuesheet.json").read_text())
    for cue in sheet["cues"]:
        score = converter.parse(scored_dir / cue["file"])
        assert len(score.parts) >= 4
        # music21 counts quarter notes: it reads at least the cue's bars (it may pad a part
        # that holds long tied chords).
        bar_quarters = {"2/4": 2, "4/4": 4, "3/4": 3, "6/8": 3, "2/2": 4}[cue["meter"]]
        assert score.highestTime >= cue["bars"] * bar_quarters - 0.01
    whole = converter.parse(scored_dir / "score.mid")
    assert whole.highestTime > 0


def test_score_mid_holds_every_scene_at_its_start(scored_dir: Path) -> None:
    story = load_story(None)
    midi = mido.MidiFile(scored_dir / "score.mid")
    assert abs(midi.length - story.duration_seconds) < 1 / story.frame_rate
    sheet = json.loads((scored_dir / "cuesheet.json").read_text())
    markers = {}
    seconds = 0.0
    for message in midi:
        seconds += message.time
        if message.type == "marker" and message.text.split(" ", 1)[0] in {
            c["id"] for c in sheet["cues"]
        }:
            markers[message.text.split(" ", 1)[0]] = seconds
    for cue in sheet["cues"]:
        assert markers[cue["id"]] == pytest.approx(cue["start_seconds"], abs=1 / story.frame_rate)
    _notes_by_channel(midi)


def test_same_story_and_seed_give_identical_bytes() -> None:
    story = load_story(None)
    first = {f.relative_path: f.data for f in story_files(score_story(story))}
    second = {f.relative_path: f.data for f in story_files(score_story(story))}
    assert first == second
    other = {f.relative_path: f.data for f in story_files(score_story(story, seed=story.seed + 1))}
    assert all(first[name] != other[name] for name in first if name.endswith(".mid"))


def test_editing_one_beat_changes_only_its_cue() -> None:
    story = load_story(None)
    index = next(i for i, beat in enumerate(story.beats) if beat.music and i > 2)
    beat = story.beats[index]
    other_style = "chase" if beat.style != "chase" else "ballad"
    edited_beat = dataclasses.replace(beat, style=other_style, lead=Saxophone.BARITONE)
    edited = dataclasses.replace(
        story, beats=story.beats[:index] + (edited_beat,) + story.beats[index + 1 :]
    )
    before = score_story(story)
    after = score_story(edited)
    pairs = list(zip(before.scenes, after.scenes, strict=True))
    for position, (old, new) in enumerate(pairs):
        following = pairs[position + 1][0] if position + 1 < len(pairs) else None
        if old.spec.beat_id == beat.id:
            assert new.spec.style == other_style
            assert old.tracks != new.tracks
        elif following is not None and following.spec.beat_id == beat.id and old.spec.next_cue:
            # The cue that runs into the edited one prepares it in its last bars (tempo towards
            # the new tempo, the dominant of its key); everything before them stays.
            assert new.spec.next_cue is not None
            assert new.spec.next_cue.style == other_style
            # (The mix's humanisation draws per note, so compare what was composed: pitches and
            # onsets to within the humanisation's few ticks.)
            cut = (old.spec.bars - 2) * old.spec.meter.bar_ticks
            for old_track, new_track in zip(old.tracks, new.tracks, strict=True):
                old_notes = [n for n in old_track.notes if n.end_tick <= cut]
                new_notes = [n for n in new_track.notes if n.end_tick <= cut]
                assert [n.pitch for n in old_notes] == [n.pitch for n in new_notes]
                assert all(
                    abs(a.start_tick - b.start_tick) <= 30
                    for a, b in zip(old_notes, new_notes, strict=True)
                ), old_track.name
        else:
            assert old == new


def test_cue_sheet_lists_every_motif_statement(scored_dir: Path) -> None:
    sheet = json.loads((scored_dir / "cuesheet.json").read_text())
    scored = score_story(load_story(None))
    for cue, scene in zip(sheet["cues"], scored.scenes, strict=True):
        assert len(cue["motifs"]) == len(scene.motifs)
        for entry, use in zip(cue["motifs"], scene.motifs, strict=True):
            assert entry == {
                "name": use.name,
                "transform": use.transform,
                "bars": [use.start_bar + 1, use.start_bar + use.bars],
                "part": use.part,
                "similarity": use.similarity,
            }
            assert 1 <= entry["bars"][0] <= entry["bars"][1] <= cue["bars"]
    with (scored_dir / "cuesheet.csv").open() as handle:
        rows = {row["cue"]: row for row in csv.DictReader(handle)}
    first = sheet["cues"][0]
    assert rows[first["id"]]["motifs"].split(";")[0] == (
        f"{first['motifs'][0]['name']}:{first['motifs'][0]['transform']}"
        f"@{first['motifs'][0]['bars'][0]}-{first['motifs'][0]['bars'][1]}"
    )


def test_score_mid_plays_the_pickup_before_a_cue_after_silence(scored_dir: Path) -> None:
    scored = score_story(load_story(None))
    after_silence = [
        scene for scene in scored.scenes[1:] if scene.spec.after_silence and scene.pickup
    ]
    assert after_silence  # the diner, after the dialogue scene at the police station
    midi = mido.MidiFile(scored_dir / "score.mid")
    lead_channel = scored.scenes[0].tracks[0].channel
    seconds = 0.0
    onsets = []
    for message in midi:
        seconds += message.time
        if message.type == "note_on" and message.velocity > 0 and message.channel == lead_channel:
            onsets.append((round(seconds, 4), message.note))
    for scene in after_silence:
        start = scene.spec.start_seconds
        first_tempo = scene.spec.tempo_map[0].microseconds_per_quarter / 1e6 / 480
        expected = [
            (start + note.start_tick * first_tempo, note.pitch) for note in scene.pickup
        ]
        for when, pitch in expected:
            assert any(abs(at - when) < 0.01 and note == pitch for at, note in onsets), (
                scene.spec.cue_id,
                when,
            )
        # nothing sounds on that channel in the silence before the pickup
        window = (start - 3.0, expected[0][0] - 0.01)
        assert not [at for at, _ in onsets if window[0] < at < window[1]]


def test_score_mid_names_shared_tracks_after_their_instruments(scored_dir: Path) -> None:
    midi = mido.MidiFile(scored_dir / "score.mid")
    names = [track.name for track in midi.tracks[1:]]
    assert names[:2] == ["Lead sax", "Bass"]
    assert "Drums" in names
    scored = score_story(load_story(None))
    first_players = {track.channel: track.name for track in scored.scenes[0].tracks}
    for channel, name in first_players.items():
        if channel not in (0, 1, 9):
            assert any(track_name.startswith(name) for track_name in names), name


def test_read_scene_gives_back_what_scene_midi_wrote(tmp_path: Path) -> None:
    from soundtrack.errors import ExportError
    from soundtrack.export import midi_bytes
    from soundtrack.export.midi import read_scene, scene_midi

    for scene in score_story(load_story(None)).scenes[:6]:
        back = read_scene(midi_bytes(scene_midi(scene)), source="cue.mid")
        assert [track.notes for track in back.tracks] == [
            track.notes for track in scene.tracks if track.notes
        ]
        assert [track.name for track in back.tracks][0] == scene.tracks[0].name
        assert back.spec.title == scene.spec.title
        assert back.spec.tempo_map == scene.spec.tempo_map
        assert back.spec.meter == scene.spec.meter
        assert back.spec.key == scene.spec.key
        assert back.spec.end_tick == scene.spec.end_tick
        assert back.spec.sections == scene.spec.sections
        assert back.spec.lead == scene.spec.lead
        assert [hit.tick for hit in back.spec.hits] == [hit.tick for hit in scene.spec.hits]
        assert [(c.start_tick, c.symbol, c.pitch_classes) for c in back.chords] == [
            (c.start_tick, c.symbol, c.pitch_classes) for c in scene.chords
        ]
    with pytest.raises(ExportError, match="not-midi.mid"):
        read_scene(b"RIFF....WAVE", source="not-midi.mid")
