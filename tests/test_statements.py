"""Motif statements in the parts, the pickup, and the leitmotifs across the built-in story."""

from __future__ import annotations

import dataclasses
from functools import cache

import numpy as np
import pytest
from conftest import make_spec

from soundtrack.compose import compose_cue
from soundtrack.compose.harmony import build_chords, make_chord
from soundtrack.compose.lead import compose_lead
from soundtrack.compose.pickup import compose_pickup
from soundtrack.compose.statements import (
    BREATH_TICKS,
    Statement,
    place_statements,
    realise_statements,
    splice_chords,
)
from soundtrack.model import (
    Key,
    Meter,
    Mode,
    Motif,
    MotifPlacement,
    Note,
    Part,
    Role,
    Transform,
)
from soundtrack.pipeline import ScoredStory, score_story
from soundtrack.story import load_story
from soundtrack.styles import load_style

FOUR_FOUR = Meter(numerator=4, denominator=4, pulse_ticks=480)
BAR = FOUR_FOUR.bar_ticks


def _motif(program: int | None = None) -> Motif:
    pitches = (62, 65, 69, 67, 65, 64, 62, 61, 62)
    lengths = (480, 240, 240, 480, 480, 480, 240, 240, 1920)
    notes = []
    tick = 0
    for pitch, length in zip(pitches, lengths, strict=True):
        notes.append(Note(start_tick=tick, duration_ticks=length, pitch=pitch, velocity=80))
        tick += length
    return Motif(
        name="hero",
        title="Hero",
        stands_for="the hero",
        key=Key(tonic_pc=2, mode=Mode.MINOR),
        meter=FOUR_FOUR,
        melody="",
        notes=tuple(notes),
        length_ticks=4 * BAR,
        harmony=("i", "iv", "V7", "i"),
        instrument="Clarinet" if program is not None else "",
        program=program,
    )


def _placement(role: Role, program: int | None = None, start_bar: int = 4) -> MotifPlacement:
    transforms = (Transform.STATEMENT,) if role is Role.LEAD else (Transform.REORCHESTRATION,)
    return MotifPlacement(
        motif=_motif(program), role=role, start_bar=start_bar, bars=4, transforms=transforms
    )


def _cue_with(placements: tuple[MotifPlacement, ...], style_id: str = "swing"):
    spec = dataclasses.replace(
        make_spec(style_id, bars=16, key="D minor", tempo_bpm=140), motifs=placements
    )
    return spec, compose_cue(spec, rng=np.random.default_rng(3))


def test_splice_puts_the_motif_harmony_over_its_bars_only() -> None:
    chords = (
        make_chord(0, "maj7", start_tick=0, duration_ticks=3 * BAR),
        make_chord(7, "7", start_tick=3 * BAR, duration_ticks=3 * BAR),
    )
    statement = Statement(
        placement=_placement(Role.LEAD),
        notes=(),
        chords=(
            make_chord(2, "m", start_tick=2 * BAR, duration_ticks=BAR),
            make_chord(9, "7", start_tick=3 * BAR, duration_ticks=BAR),
        ),
        start_tick=2 * BAR,
        end_tick=4 * BAR,
        low_pitch=50,
        high_pitch=80,
    )
    spliced = splice_chords(chords, [statement])
    assert [(c.start_tick // BAR, c.duration_ticks // BAR, c.root_pc) for c in spliced] == [
        (0, 2, 0),
        (2, 1, 2),
        (3, 1, 9),
        (4, 2, 7),
    ]
    assert splice_chords(chords, [dataclasses.replace(statement, chords=())]) == chords


def test_the_lead_plays_the_statement_and_breathes_before_it() -> None:
    spec, cue = _cue_with((_placement(Role.LEAD),))
    lead = cue.parts[0]
    start, end = 4 * BAR, 8 * BAR
    inside = [note for note in lead.notes if start <= note.start_tick < end]
    statement = realise_statements(spec, load_style("swing"))[0]
    assert [note.pitch for note in inside] == [note.pitch for note in statement.notes]
    assert [note.start_tick for note in inside] == [note.start_tick for note in statement.notes]
    before = [note for note in lead.notes if note.start_tick < start]
    assert all(note.end_tick <= start - BREATH_TICKS for note in before)
    (use,) = cue.motifs
    assert use.name == "hero"
    assert use.part == lead.name
    assert use.start_bar == 4
    assert use.similarity >= 0.9
    # the motif's harmony sounds under it: i iv V7 i of D minor
    roots = [chord.root_pc for chord in cue.chords if start <= chord.start_tick < end]
    assert roots[:1] == [2]
    assert 9 in roots  # the V7 (A7)


def test_a_counter_statement_gets_its_own_part_and_the_sax_lays_out() -> None:
    spec, cue = _cue_with((_placement(Role.COUNTER, program=71),))
    names = [part.name for part in cue.parts]
    assert names[-1] == "Clarinet"
    counter = cue.parts[-1]
    assert counter.role is Role.COUNTER
    assert counter.program == 71
    assert len(counter.notes) == len(_motif().notes)
    start, end = 4 * BAR, 8 * BAR
    assert not [note for note in cue.parts[0].notes if start <= note.start_tick < end]
    assert cue.motifs[0].part == "Clarinet"


def test_a_bass_statement_replaces_the_bass_line_in_range() -> None:
    spec, cue = _cue_with((_placement(Role.BASS),))
    bass = next(part for part in cue.parts if part.role is Role.BASS)
    instrument = next(item for item in load_style("swing").instruments if item.role is Role.BASS)
    start, end = 4 * BAR, 8 * BAR
    inside = [note for note in bass.notes if start <= note.start_tick < end]
    assert len(inside) == len(_motif().notes)
    assert all(instrument.low_pitch <= note.pitch <= instrument.high_pitch for note in inside)
    assert not [note for note in bass.notes if note.start_tick < start < note.end_tick]


def test_place_statements_without_statements_changes_nothing() -> None:
    lead = Part(
        name="Alto Sax",
        role=Role.LEAD,
        program=65,
        notes=(Note(start_tick=0, duration_ticks=480, pitch=70, velocity=80),),
        low_pitch=49,
        high_pitch=81,
    )
    spec = make_spec("swing", bars=4)
    assert place_statements(spec, (lead,), ()) == ((lead,), ())


@pytest.mark.parametrize("style_id", ["swing", "ballad", "circus-galop", "tarantella"])
def test_the_pickup_runs_into_the_downbeat(style_id: str) -> None:
    spec = make_spec(style_id, bars=8)
    style = load_style(style_id)
    chords = build_chords(spec, style, rng=np.random.default_rng(1))
    lead = compose_lead(spec, style, chords, rng=np.random.default_rng(2))
    pickup = compose_pickup(spec, chords, lead)
    assert 2 <= len(pickup) <= 3
    assert pickup[-1].end_tick == 0
    assert all(note.start_tick < 0 for note in pickup)
    pitches = [note.pitch for note in pickup]
    assert pitches == sorted(pitches)  # it climbs
    assert all(lead.low_pitch <= pitch <= lead.high_pitch for pitch in pitches)
    assert compose_pickup(dataclasses.replace(spec, after_silence=False), chords, lead) == ()


# ---------------------------------------------------------------- the built-in story


@cache
def _story() -> ScoredStory:
    return score_story(load_story(None))


def test_the_built_in_story_states_its_leitmotifs() -> None:
    scored = _story()
    used = {use.name for scene in scored.scenes for use in scene.motifs}
    assert len(used) >= 8, used
    main = [scene for scene in scored.scenes if any(u.name == "vladimir" for u in scene.motifs)]
    assert len(main) >= 5
    transforms = {
        transform
        for scene in main
        for use in scene.motifs
        if use.name == "vladimir"
        for transform in use.transforms
    }
    assert {Transform.MAJOR, Transform.FRAGMENT} <= transforms


def test_every_statement_stays_recognisable() -> None:
    """Similarity with the motif as written (0..1; unrelated melodies average about 0.22 and
    stay under 0.4 nine times in ten): an inversion flips the contour and keeps the rhythm
    (0.5); every other transform keeps at least half of contour and rhythm together."""
    similarities = []
    for scene in _story().scenes:
        for use in scene.motifs:
            floor = 0.45 if Transform.INVERSION in use.transforms else 0.5
            assert use.similarity >= floor, (scene.spec.cue_id, use)
            similarities.append(use.similarity)
    similarities.sort()
    assert similarities[len(similarities) // 2] >= 0.9


def test_vladimirs_theme_carries_the_arc() -> None:
    """Russian minor in the circus, fragments in exile and grief, American major at the end."""
    scenes = {scene.spec.beat_id: scene for scene in _story().scenes}

    def uses(beat: str):
        return [use for use in scenes[beat].motifs if use.name == "vladimir"]

    circus = uses("circus")
    assert circus
    assert scenes["circus"].spec.key.mode is Mode.MINOR
    assert Transform.MAJOR not in circus[0].transforms
    grief = uses("grandfather-dies") + uses("alone-again")
    assert grief
    assert all(Transform.FRAGMENT in use.transforms for use in grief)
    for beat in ("wedding-band", "hot-dog-stand"):
        finale = uses(beat)
        assert finale, beat
        assert scenes[beat].spec.key.mode is Mode.MAJOR
        assert all(Transform.MAJOR in use.transforms for use in finale)
