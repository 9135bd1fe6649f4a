"""Motif spotting: who plays which leitmotif where, changed how (soundtrack.motif_spotting)."""

from __future__ import annotations

import dataclasses

import pytest
from conftest import make_spec

from soundtrack.model import (
    Beat,
    Key,
    Meter,
    Mode,
    Mood,
    Motif,
    Note,
    Role,
    Saxophone,
    Story,
    Transform,
)
from soundtrack.motif_spotting import (
    MAX_STATEMENTS,
    choose_transforms,
    spot_motifs,
    statement_bars,
)
from soundtrack.styles import load_style

FOUR_FOUR = Meter(numerator=4, denominator=4, pulse_ticks=480)


def _motif(
    name: str,
    *,
    mode: Mode = Mode.MINOR,
    pitches: tuple[int, ...] = (62, 65, 69, 67, 65, 64, 62, 62),
    note_ticks: int = 480,
    program: int | None = None,
) -> Motif:
    """A hand-made motif: equal notes, whole bars."""
    notes = tuple(
        Note(start_tick=index * note_ticks, duration_ticks=note_ticks, pitch=pitch, velocity=80)
        for index, pitch in enumerate(pitches)
    )
    length = -(-len(pitches) * note_ticks // FOUR_FOUR.bar_ticks) * FOUR_FOUR.bar_ticks
    return Motif(
        name=name,
        title=name.title(),
        stands_for="a test",
        key=Key(tonic_pc=2, mode=mode),
        meter=FOUR_FOUR,
        melody="",
        notes=notes,
        length_ticks=length,
        instrument="Clarinet" if program is not None else "",
        program=program,
    )


def _story(*characters: tuple[str, ...]) -> Story:
    beats = tuple(
        Beat(
            id=f"b{index}",
            index=index,
            title=f"Beat {index}",
            start_seconds=60.0 * index,
            duration_seconds=60.0,
            characters=names,
        )
        for index, names in enumerate(characters)
    )
    return Story(title="t", seed=1, frame_rate=24, lead=Saxophone.ALTO, beats=beats)


def test_the_first_named_motif_leads() -> None:
    style = load_style("swing")
    spec = dataclasses.replace(
        make_spec("swing", key="F major", bars=64), characters=("friend", "ghost", "hero")
    )
    motifs = {"hero": _motif("hero"), "friend": _motif("friend", program=71)}
    placements = spot_motifs(spec, style, motifs)
    assert placements[0].motif.name == "friend"
    assert placements[0].role is Role.LEAD  # the leading motif is the saxophone's
    assert placements[1].motif.name == "hero"


def test_mode_follows_the_cue_key() -> None:
    style = load_style("swing")
    minor_motif = _motif("hero", mode=Mode.MINOR)
    major_spec = make_spec("swing", key="F major")
    minor_spec = make_spec("swing", key="D minor")
    mood = Mood(valence=0.5, arousal=0.5, tension=0.2)
    in_major = choose_transforms(
        minor_motif, spec=major_spec, style=style, mood=mood, role=Role.LEAD, returning=0
    )
    in_minor = choose_transforms(
        minor_motif, spec=minor_spec, style=style, mood=mood, role=Role.LEAD, returning=0
    )
    assert Transform.MAJOR in in_major
    assert Transform.MAJOR not in in_minor
    assert Transform.MINOR not in in_minor


@pytest.mark.parametrize(
    ("mood", "wanted", "unwanted"),
    [
        (
            Mood(valence=0.0, arousal=0.6, tension=0.8),
            {Transform.FRAGMENT, Transform.SEQUENCE},
            set(),
        ),
        (Mood(valence=-0.7, arousal=0.2, tension=0.3), {Transform.FRAGMENT}, {Transform.SEQUENCE}),
        (Mood(valence=0.6, arousal=0.5, tension=0.1), set(), {Transform.FRAGMENT}),
    ],
)
def test_tension_and_grief_fragment_the_motif(
    mood: Mood, wanted: set[Transform], unwanted: set[Transform]
) -> None:
    style = load_style("ballad")
    spec = make_spec("ballad", key="D minor", tempo_bpm=70)
    transforms = set(
        choose_transforms(
            _motif("hero"), spec=spec, style=style, mood=mood, role=Role.LEAD, returning=0
        )
    )
    assert wanted <= transforms
    assert not unwanted & transforms


def test_tempo_decides_augmentation_and_diminution() -> None:
    style = load_style("bebop")
    mood = Mood(valence=0.2, arousal=0.5, tension=0.2)
    eighths = _motif("fast", note_ticks=240)
    whole_notes = _motif("slow", note_ticks=1920, pitches=(62, 65, 69, 62))
    fast_spec = make_spec("bebop", key="D minor", tempo_bpm=300)
    slow_spec = make_spec("bebop", key="D minor", tempo_bpm=100)
    assert Transform.AUGMENTATION in choose_transforms(
        eighths, spec=fast_spec, style=style, mood=mood, role=Role.LEAD, returning=0
    )
    assert Transform.DIMINUTION in choose_transforms(
        whole_notes, spec=slow_spec, style=style, mood=mood, role=Role.LEAD, returning=0
    )


def test_statement_bars_follow_the_transforms() -> None:
    spec = make_spec("swing", key="D minor")
    motif = _motif("hero")  # 8 quarters = 2 bars of 4/4
    assert statement_bars(motif, (Transform.STATEMENT,), spec) == 2
    assert statement_bars(motif, (Transform.AUGMENTATION,), spec) == 4
    assert statement_bars(motif, (Transform.DIMINUTION,), spec) == 1
    assert statement_bars(motif, (Transform.FRAGMENT, Transform.SEQUENCE), spec) == 3


def test_placements_start_at_form_sections_and_alternate() -> None:
    style = load_style("swing")
    spec = dataclasses.replace(
        make_spec("swing", key="F major", bars=64), characters=("hero", "friend", "ghost")
    )
    motifs = {"hero": _motif("hero"), "friend": _motif("friend", program=71)}
    placements = spot_motifs(spec, style, motifs)
    starts = {section.start_bar: section for section in spec.sections}
    assert 2 <= len(placements) <= MAX_STATEMENTS
    assert [placement.motif.name for placement in placements][:2] == ["hero", "friend"]
    for placement in placements:
        section = starts[placement.start_bar]  # starts on a section start
        assert section.name not in ("intro", "ending")
        assert 1 <= placement.bars <= section.bars
    hero = [placement for placement in placements if placement.motif.name == "hero"]
    assert hero[0].role is Role.LEAD
    friend = next(placement for placement in placements if placement.motif.name == "friend")
    assert friend.role is Role.COUNTER
    assert Transform.REORCHESTRATION in friend.transforms
    if len(hero) > 1:  # a return is developed
        assert {Transform.INVERSION, Transform.REHARMONISATION} & set(hero[1].transforms)


def test_low_motifs_go_to_the_bass_and_absent_characters_give_nothing() -> None:
    style = load_style("swing")
    spec = dataclasses.replace(
        make_spec("swing", key="F major", bars=64), characters=("hero", "menace")
    )
    low = _motif("menace", pitches=(38, 39, 38, 44), program=43)
    placements = spot_motifs(spec, style, {"hero": _motif("hero"), "menace": low})
    assert any(p.motif.name == "menace" and p.role is Role.BASS for p in placements)
    nobody = dataclasses.replace(spec, characters=("stranger",))
    assert spot_motifs(nobody, style, {"hero": _motif("hero")}) == ()


def test_returns_alternate_between_inversion_and_the_right_way_up_under_tension() -> None:
    style = load_style("chase")
    tense = Mood(valence=-0.5, arousal=0.9, tension=0.9)
    spec = dataclasses.replace(
        make_spec("chase", key="A minor", bars=40, bar_moods=lambda _: tense),
        characters=("hero",),
    )
    placements = spot_motifs(spec, style, {"hero": _motif("hero")})
    assert len(placements) >= 3
    inverted = [Transform.INVERSION in placement.transforms for placement in placements]
    assert inverted[:3] == [False, True, False]
