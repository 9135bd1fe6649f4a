"""MusicXML export: written-pitch saxophone parts, the full score and the engraving hint."""

from __future__ import annotations

import difflib
import functools
import shutil
from pathlib import Path
from typing import Any

import pytest
from music21 import articulations, converter, dynamics, expressions, harmony, note, tempo

from soundtrack.errors import ExportError
from soundtrack.export import musicxml
from soundtrack.export.musicxml import (
    ENGRAVE_HINT,
    TRANSPOSITION,
    engrave,
    sax_part_musicxml,
    score_musicxml,
)
from soundtrack.model import Key, Mode, Role, Saxophone, Scene
from soundtrack.pipeline import score_cue
from soundtrack.spotting import plan_sketch
from soundtrack.styles import load_style

#: Written minus concert semitones, as a saxophonist knows them (not read from the module).
EXPECTED_INTERVAL = {
    Saxophone.SOPRANO: 2,
    Saxophone.ALTO: 9,
    Saxophone.TENOR: 14,
    Saxophone.BARITONE: 21,
}
#: Concert F major (one flat) at written pitch: G major for Bb saxophones, D major for Eb ones.
EXPECTED_SHARPS_IN_F = {
    Saxophone.SOPRANO: 1,
    Saxophone.ALTO: 2,
    Saxophone.TENOR: 1,
    Saxophone.BARITONE: 2,
}
F_MAJOR = Key(tonic_pc=5, mode=Mode.MAJOR)


@functools.cache
def _scene(style: str, lead: Saxophone, bars: int = 8) -> Scene:
    return score_cue(plan_sketch(load_style(style), bars=bars, key=F_MAJOR, lead=lead), seed=1)


@functools.cache
def _parsed_part(style: str, lead: Saxophone) -> Any:
    return converter.parse(sax_part_musicxml(_scene(style, lead)), format="musicxml")


def _lead_pitches(scene: Scene) -> list[int]:
    lead = next(track for track in scene.tracks if track.role is Role.LEAD)
    return [n.pitch for n in lead.notes if n.start_tick < scene.spec.end_tick]


def _written_pitches(score: Any) -> list[int]:
    """Sounded notes in order (tie continuations merged, chord symbols left out)."""
    pitches = []
    for element in score.parts[0].recurse().notes:
        if isinstance(element, harmony.Harmony):
            continue
        if element.tie is not None and element.tie.type in ("stop", "continue"):
            continue
        pitches.append(int(element.pitch.midi))
    return pitches


def test_transposition_table() -> None:
    assert dict(TRANSPOSITION) == EXPECTED_INTERVAL


@pytest.mark.parametrize("lead", list(Saxophone))
def test_written_pitches_are_concert_plus_the_interval(lead: Saxophone) -> None:
    scene = _scene("swing", lead)
    expected = [p + EXPECTED_INTERVAL[lead] for p in _lead_pitches(scene)]
    written = _written_pitches(_parsed_part("swing", lead))
    matcher = difflib.SequenceMatcher(None, expected, written, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    assert matched >= 0.95 * len(expected)
    assert set(written) <= set(expected)


@pytest.mark.parametrize("lead", list(Saxophone))
def test_key_signature_and_instrument_are_transposed(lead: Saxophone) -> None:
    score = _parsed_part("swing", lead)
    signatures = list(score.parts[0].recurse().getElementsByClass("KeySignature"))
    assert [s.sharps for s in signatures] == [EXPECTED_SHARPS_IN_F[lead]]
    player = score.parts[0].getInstrument()
    assert player.transposition is not None
    assert player.transposition.semitones == -EXPECTED_INTERVAL[lead]
    assert score.parts[0].partName == musicxml.SAX_PART_NAME[lead]
    assert lead.value.capitalize() in score.parts[0].partName


@pytest.mark.parametrize("lead", [Saxophone.ALTO, Saxophone.TENOR])
def test_chord_symbols_are_transposed(lead: Saxophone) -> None:
    scene = _scene("swing", lead)
    symbols = list(_parsed_part("swing", lead).parts[0].recurse().getElementsByClass("ChordSymbol"))
    assert len(symbols) == len(scene.chords)
    expected = [(c.root_pc + EXPECTED_INTERVAL[lead]) % 12 for c in scene.chords]
    assert [s.root().pitchClass for s in symbols] == expected
    # a concert F chord reads as D on alto, G on tenor
    first = {Saxophone.ALTO: "D", Saxophone.TENOR: "G"}[lead]
    assert scene.chords[0].root_pc == 5
    assert symbols[0].root().name == first


def test_time_signature_tempo_title_and_swing() -> None:
    scene = _scene("swing", Saxophone.ALTO)
    score = _parsed_part("swing", Saxophone.ALTO)
    part = score.parts[0]
    assert [t.ratioString for t in part.recurse().getElementsByClass("TimeSignature")] == ["4/4"]
    marks = [m for m in part.recurse().getElementsByClass(tempo.MetronomeMark) if m.number]
    assert marks
    assert marks[0].number == round(scene.spec.tempo_map[0].quarter_bpm)
    assert scene.spec.cue_id in score.metadata.bestTitle
    words = [t.content for t in part.recurse().getElementsByClass(expressions.TextExpression)]
    assert "Swing" in words
    rehearsal = [r.content for r in part.recurse().getElementsByClass(expressions.RehearsalMark)]
    assert rehearsal == [section.name for section in scene.spec.sections]


def test_straight_style_is_not_marked_swing() -> None:
    part = _parsed_part("circus-march", Saxophone.ALTO).parts[0]
    words = [t.content for t in part.recurse().getElementsByClass(expressions.TextExpression)]
    assert "Swing" not in words


def test_dynamics_and_articulations_are_written() -> None:
    part = _parsed_part("swing", Saxophone.ALTO).parts[0]
    marks = list(part.recurse().getElementsByClass(dynamics.Dynamic))
    assert marks
    assert all(m.value in ("pp", "p", "mp", "mf", "f", "ff") for m in marks)
    notes = [n for n in part.recurse().getElementsByClass(note.Note)]
    assert len(marks) < len(notes) / 4  # at phrase starts, not on every note
    found = {type(a) for n in notes for a in n.articulations}
    assert articulations.Accent in found


@pytest.mark.parametrize("style", ["swing", "circus-galop", "ballad"])
def test_measures_are_complete(style: str) -> None:
    scene = _scene(style, Saxophone.ALTO)
    part = _parsed_part(style, Saxophone.ALTO).parts[0]
    measures = list(part.getElementsByClass("Measure"))
    assert len(measures) == scene.spec.bars
    bar_quarters = scene.spec.meter.bar_ticks / 480
    assert all(m.duration.quarterLength == bar_quarters for m in measures)


def test_full_score_has_one_part_per_track() -> None:
    scene = _scene("swing", Saxophone.ALTO)
    score: Any = converter.parse(score_musicxml(scene), format="musicxml")
    assert len(score.parts) == len(scene.tracks)
    assert [p.partName for p in score.parts] == [t.name for t in scene.tracks]
    drums = [
        p for p in score.parts if any(True for _ in p.recurse().getElementsByClass(note.Unpitched))
    ]
    assert len(drums) == 1
    lead = score.parts[[t.role for t in scene.tracks].index(Role.LEAD)]
    assert _written_pitches_of(lead)[:8] == _lead_pitches(scene)[:8]  # concert pitch
    assert list(score.parts[0].recurse().getElementsByClass("ChordSymbol"))


def _written_pitches_of(part: Any) -> list[int]:
    pitches = []
    for element in part.recurse().getElementsByClass(note.Note):
        if element.tie is None or element.tie.type == "start":
            pitches.append(int(element.pitch.midi))
    return pitches


def test_engrave_without_engraver_gives_a_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "part.musicxml"
    source.write_bytes(sax_part_musicxml(_scene("swing", Saxophone.ALTO)))
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ExportError, match="install MuseScore") as caught:
        engrave(source, tmp_path / "pdf")
    assert str(caught.value) == ENGRAVE_HINT
    assert not (tmp_path / "pdf").exists()


def test_engrave_runs_musescore_headless(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "mscore"
    fake.write_text('#!/bin/sh\n[ "$1" = "-o" ] || exit 3\necho engraved > "$2"\n')
    fake.chmod(0o755)
    monkeypatch.setattr(shutil, "which", lambda name: str(fake) if name == "mscore" else None)
    source = tmp_path / "part.musicxml"
    source.write_bytes(b"<score-partwise/>")
    written = engrave(source, tmp_path / "out")
    assert [p.name for p in written] == ["part.pdf", "part.png"]
    assert all(p.read_text() == "engraved\n" for p in written)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["part.pdf", "part.png"]


def test_equal_scenes_give_byte_identical_files() -> None:
    """music21 writes random part ids and the date; the files must not differ run to run."""
    scene = _scene("swing", Saxophone.TENOR)
    for write in (sax_part_musicxml, score_musicxml):
        first, second = write(scene), write(scene)
        assert first == second
        assert b"<encoding-date>" not in first
        assert b'id="P1"' in first
