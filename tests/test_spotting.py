"""Tests of spotting: tempo fitting, hits, keys, sections, cue numbers."""

from __future__ import annotations

import numpy as np
import pytest

from soundtrack.model import Beat, Key, Meter, Mode, Mood
from soundtrack.spotting import (
    _signature,
    choose_key,
    choose_style,
    cue_duration_seconds,
    fit_timing,
    plan_cues,
    seed_key_for,
    target_tempo_bpm,
)
from soundtrack.styles import list_styles, load_style
from soundtrack.units import tempo_map_seconds

FOUR_FOUR = Meter(numerator=4, denominator=4, pulse_ticks=480)
TWO_FOUR = Meter(numerator=2, denominator=4, pulse_ticks=480)
SIX_EIGHT = Meter(numerator=6, denominator=8, pulse_ticks=720)


def _length_seconds(timing, meter: Meter) -> float:
    pairs = [(change.start_tick, change.microseconds_per_quarter) for change in timing.tempo_map]
    return tempo_map_seconds(timing.bars * meter.bar_ticks, pairs)


@pytest.mark.parametrize("meter", [FOUR_FOUR, TWO_FOUR, SIX_EIGHT])
@pytest.mark.parametrize("ritardando", [True, False])
def test_cue_lasts_exactly_its_scene(meter: Meter, ritardando: bool) -> None:
    generator = np.random.default_rng(3)
    for _ in range(40):
        duration = float(generator.uniform(4.0, 400.0))
        timing = fit_timing(
            duration_seconds=duration,
            hits_seconds=(),
            meter=meter,
            tempo_min_bpm=90,
            tempo_max_bpm=150,
            target_bpm=120,
            ritardando=ritardando,
        )
        assert abs(_length_seconds(timing, meter) - duration) < 0.001
        assert timing.bars >= 1
        if duration > 20:
            assert 90 * 0.85 <= timing.tempo_bpm <= 150 * 1.15


def test_ritardando_slows_the_last_bar() -> None:
    timing = fit_timing(
        duration_seconds=60.0,
        hits_seconds=(),
        meter=FOUR_FOUR,
        tempo_min_bpm=100,
        tempo_max_bpm=140,
        target_bpm=120,
        ritardando=True,
    )
    last_bar_tick = (timing.bars - 1) * FOUR_FOUR.bar_ticks
    body = [c for c in timing.tempo_map if c.start_tick < last_bar_tick]
    ending = [c for c in timing.tempo_map if c.start_tick >= last_bar_tick]
    assert len(ending) >= 3
    assert ending[-1].quarter_bpm < body[-1].quarter_bpm * 0.8
    assert [c.quarter_bpm for c in ending] == sorted((c.quarter_bpm for c in ending), reverse=True)


def test_hits_land_on_pulses_within_a_frame() -> None:
    generator = np.random.default_rng(11)
    frame = 1 / 24
    for _ in range(40):
        duration = float(generator.uniform(30.0, 240.0))
        count = int(generator.integers(1, 5))
        hits = sorted(float(x) for x in generator.uniform(2.0, duration - 2.0, size=count))
        if min(np.diff([0.0, *hits, duration])) < 2.0:
            continue
        timing = fit_timing(
            duration_seconds=duration,
            hits_seconds=hits,
            meter=FOUR_FOUR,
            tempo_min_bpm=100,
            tempo_max_bpm=160,
            target_bpm=130,
            ritardando=True,
        )
        assert len(timing.hits) == len(hits)
        for hit in timing.hits:
            assert hit.tick % FOUR_FOUR.pulse_ticks == 0
            assert abs(hit.error_seconds) < frame
        assert abs(_length_seconds(timing, FOUR_FOUR) - duration) < 0.001


def test_an_impossible_hit_is_reported_not_forced() -> None:
    # Two hits 0.1 s apart cannot both sit on pulses of a 60-80 bpm ballad.
    timing = fit_timing(
        duration_seconds=60.0,
        hits_seconds=(20.0, 20.1),
        meter=FOUR_FOUR,
        tempo_min_bpm=60,
        tempo_max_bpm=80,
        target_bpm=70,
        ritardando=True,
    )
    assert abs(timing.hits[0].error_seconds) < 1 / 24
    assert abs(timing.hits[1].error_seconds) > 0.05
    for change in timing.tempo_map:
        bpm = change.quarter_bpm
        assert 60 * 0.6 <= bpm <= 80 * 1.15


def test_fixed_bar_count_and_duration_helper_agree() -> None:
    style = list_styles()[0]
    seconds = cue_duration_seconds(style, bars=16, tempo_bpm=style.tempo_min_bpm + 5)
    timing = fit_timing(
        duration_seconds=seconds,
        hits_seconds=(),
        meter=style.meter,
        tempo_min_bpm=style.tempo_min_bpm,
        tempo_max_bpm=style.tempo_max_bpm,
        target_bpm=style.tempo_min_bpm + 5,
        ritardando=style.ritardando,
        bars=16,
    )
    assert timing.bars == 16
    assert timing.tempo_bpm == pytest.approx(style.tempo_min_bpm + 5, abs=0.05)


def test_keys_stay_close_to_home_and_follow_valence() -> None:
    home = Key(tonic_pc=2, mode=Mode.MINOR)
    for style in list_styles():
        for valence in (-0.8, 0.0, 0.8):
            key = choose_key(Mood(valence=valence, arousal=0.5, tension=0.3), style, home=home)
            assert abs(_signature(key) - _signature(home)) <= 1
            assert key.mode in style.modes
            if valence > 0.5 and Mode.MAJOR in style.modes:
                assert key.mode is Mode.MAJOR
            if valence < -0.5 and Mode.MINOR in style.modes:
                assert key.mode is Mode.MINOR


def test_seed_keys_are_stable_and_distinct() -> None:
    assert seed_key_for("circus") == seed_key_for("circus")
    assert seed_key_for("circus") != seed_key_for("circus2")
    assert all(0 <= word < 2**32 for word in seed_key_for("x"))


def test_built_in_story_plan() -> None:
    from soundtrack.mood import mood_arc
    from soundtrack.story import load_story

    story = load_story(None)
    plan = plan_cues(story, mood_arc(story))
    music_beats = [beat for beat in story.beats if beat.music]
    assert len(plan.cues) == len(music_beats)
    assert [cue.cue_id for cue in plan.cues][:2] == ["1M1", "1M2"]
    assert len({cue.cue_id for cue in plan.cues}) == len(plan.cues)
    for cue, beat in zip(plan.cues, music_beats, strict=True):
        style = load_style(cue.style)
        if beat.style is not None:
            assert cue.style == beat.style
        assert cue.end_tick == cue.bars * cue.meter.bar_ticks
        assert len(cue.bar_moods) == cue.bars
        covered = sum(section.bars for section in cue.sections)
        assert covered == cue.bars
        assert cue.sections[0].start_bar == 0
        pairs = [(c.start_tick, c.microseconds_per_quarter) for c in cue.tempo_map]
        assert (
            abs(tempo_map_seconds(cue.end_tick, pairs) - beat.duration_seconds)
            < 1 / story.frame_rate
        )
        assert style.tempo_min_bpm * 0.85 <= cue.tempo_bpm <= style.tempo_max_bpm * 1.15
        for hit in cue.hits:
            assert abs(hit.error_seconds) < 1 / story.frame_rate
    # Consecutive cues sit in closely related keys (at most two accidentals apart).
    for first, second in zip(plan.cues, plan.cues[1:], strict=False):
        assert abs(_signature(first.key) - _signature(second.key)) <= 2


def test_accelerando_rises_bar_by_bar_and_keeps_the_length() -> None:
    timing = fit_timing(
        duration_seconds=90.0,
        hits_seconds=(30.0,),
        meter=TWO_FOUR,
        tempo_min_bpm=100,
        tempo_max_bpm=160,
        target_bpm=130,
        ritardando=False,
        accelerando=0.4,
    )
    bpms = [change.quarter_bpm for change in timing.tempo_map]
    assert bpms[-1] > bpms[0] * 1.3
    rising = sum(later >= earlier - 6 for earlier, later in zip(bpms, bpms[1:], strict=False))
    assert rising == len(bpms) - 1  # only the hit's segment boundary may step back a little
    assert abs(_length_seconds(timing, TWO_FOUR) - 90.0) < 0.001
    assert abs(timing.hits[0].error_seconds) < 1 / 24


# ---------------------------------------------------------------- style choice and tempo


def _beat(setting: str = "") -> Beat:
    return Beat(id="b", index=0, title="b", start_seconds=0.0, duration_seconds=60.0,
                setting=setting)


def test_arousal_counts_most_in_the_style_choice() -> None:
    """A calm but tense, unhappy beat gets a slow style, not the chase; a wild one the chase."""
    styles = [load_style(style_id) for style_id in
              ("ballad", "chase", "circus-galop", "swing", "wedding-standard")]
    calm_tense = Mood(valence=-0.8, arousal=0.2, tension=0.7)
    assert choose_style(_beat(), calm_tense, styles).id == "ballad"
    wild = Mood(valence=-0.6, arousal=0.95, tension=0.9)
    assert choose_style(_beat(), wild, styles).id == "chase"


def test_a_style_without_the_wanted_mode_is_penalised() -> None:
    wedding = load_style("wedding-standard")
    chase = load_style("chase")
    assert Mode.MINOR not in wedding.modes
    assert Mode.MAJOR not in chase.modes
    # a sad, lively wedding beat: the wedding band cannot play minor
    sad = Mood(valence=-0.7, arousal=0.6, tension=0.3)
    assert choose_style(_beat("wedding"), sad, [wedding, load_style("swing")]).id == "swing"


def test_target_tempo_spans_the_range_around_the_prototype_arousal() -> None:
    for style in list_styles():
        prototype = target_tempo_bpm(style, style.mood)
        middle = (style.tempo_min_bpm + style.tempo_max_bpm) / 2
        assert prototype == pytest.approx(middle)
        tempos = [
            target_tempo_bpm(style, Mood(valence=0.0, arousal=arousal / 10,
                                         tension=style.mood.tension))
            for arousal in range(11)
        ]
        assert tempos == sorted(tempos)
        assert style.tempo_min_bpm <= min(tempos)
        assert max(tempos) <= style.tempo_max_bpm
    swing = load_style("swing")
    calm = target_tempo_bpm(swing, Mood(valence=0.5, arousal=0.3, tension=0.2))
    assert calm < swing.tempo_min_bpm + 0.15 * (swing.tempo_max_bpm - swing.tempo_min_bpm)


def test_sections_fit_whole_form_sections_when_intro_and_ending_allow() -> None:
    """A 16-bar blues is intro 2 + one 12-bar chorus + ending 2; in every style, whenever an
    intro of 0-4 and an ending of 1-4 bars would let the form end on a section boundary, no
    section is cut short."""
    from soundtrack.spotting import ENDING_BARS, INTRO_BARS, _sections
    from soundtrack.styles import load_style, style_ids

    blues = _sections(load_style("blues-shuffle"), 16)
    assert [(section.name, section.bars) for section in blues] == [
        ("intro", 2),
        ("chorus", 12),
        ("ending", 2),
    ]
    for style_id in style_ids():
        style = load_style(style_id)
        lengths = {section.name: section.bars for section in style.form}
        boundaries = set()
        position = 0
        while position < 80:
            for form_section in style.form:
                position += form_section.bars
                boundaries.add(position)
        for bars in range(12, 72):
            sections = _sections(style, bars)
            assert sum(section.bars for section in sections) == bars
            assert [s.start_bar for s in sections] == sorted(s.start_bar for s in sections)
            possible = any(bars - i - e in boundaries for i in INTRO_BARS for e in ENDING_BARS)
            body = [s for s in sections if s.name not in ("intro", "ending")]
            if possible:
                assert all(s.bars == lengths[s.name] for s in body), (style_id, bars)


def test_final_tempo_factor_moves_towards_the_next_cue() -> None:
    from soundtrack.model import NextCue
    from soundtrack.spotting import (
        RITARDANDO_FINAL_FACTOR,
        TRANSITION_TEMPO_LIMITS,
        final_tempo_factor,
    )

    ballad = load_style("ballad")
    assert ballad.ritardando
    key = Key(tonic_pc=0, mode=Mode.MAJOR)

    def following(bpm: float) -> NextCue:
        return NextCue(cue_id="1M2", key=key, tempo_bpm=bpm, style="ballad", meter=FOUR_FOUR)

    assert final_tempo_factor(ballad, 140.0, None) == RITARDANDO_FINAL_FACTOR
    assert final_tempo_factor(ballad, 140.0, following(145.0)) == 1.0  # a tempo into the next
    assert final_tempo_factor(ballad, 140.0, following(105.0)) == pytest.approx(0.75)
    assert final_tempo_factor(ballad, 140.0, following(60.0)) == TRANSITION_TEMPO_LIMITS[0]
    assert final_tempo_factor(ballad, 100.0, following(120.0)) == pytest.approx(1.2)
    assert final_tempo_factor(ballad, 100.0, following(300.0)) == TRANSITION_TEMPO_LIMITS[1]


def test_a_stringendo_speeds_up_the_last_bar_and_keeps_the_length() -> None:
    timing = fit_timing(
        duration_seconds=30.0,
        hits_seconds=[],
        meter=FOUR_FOUR,
        tempo_min_bpm=90,
        tempo_max_bpm=130,
        target_bpm=110,
        ritardando=True,
        final_factor=1.25,
    )
    bpms = [change.quarter_bpm for change in timing.tempo_map]
    assert bpms[-1] > bpms[0] * 1.15
    assert abs(_length_seconds(timing, FOUR_FOUR) - 30.0) < 1 / 24


def test_cues_know_their_neighbours() -> None:
    from soundtrack.mood import mood_arc
    from soundtrack.story import load_story

    story = load_story(None)
    plan = plan_cues(story, mood_arc(story))
    frame = 1 / story.frame_rate
    for index, cue in enumerate(plan.cues):
        end = cue.start_seconds + cue.duration_seconds
        following = plan.cues[index + 1] if index + 1 < len(plan.cues) else None
        joined = following is not None and abs(following.start_seconds - end) <= frame
        assert (cue.next_cue is not None) == joined
        if cue.next_cue is not None and following is not None:
            assert cue.next_cue.cue_id == following.cue_id
            assert cue.next_cue.key == following.key
            # (planned before the next cue's own ending was fitted, so within a few percent)
            assert cue.next_cue.tempo_bpm == pytest.approx(
                following.tempo_map[0].quarter_bpm, rel=0.05
            )
        previous = plan.cues[index - 1] if index else None
        after_cue = previous is not None and abs(
            previous.start_seconds + previous.duration_seconds - cue.start_seconds
        ) <= frame
        assert cue.after_silence == (not after_cue)
    # The built-in story has a dialogue scene without music: the cue after it starts afresh.
    assert any(cue.after_silence for cue in plan.cues[1:])
    assert plan.cues[0].after_silence


def test_a_beat_can_ask_for_a_hard_out() -> None:
    """``segue = false``: the cue ends on its own at the cut instead of leading into the next."""
    import dataclasses

    from soundtrack.mood import mood_arc
    from soundtrack.story import load_story

    story = load_story(None)
    plan = plan_cues(story, mood_arc(story))
    joined = next(index for index, cue in enumerate(plan.cues) if cue.next_cue is not None)
    beat_index = plan.cues[joined].beat_index
    beats = list(story.beats)
    beats[beat_index] = dataclasses.replace(beats[beat_index], segue=False)
    hard = dataclasses.replace(story, beats=tuple(beats))
    hard_plan = plan_cues(hard, mood_arc(hard))
    assert hard_plan.cues[joined].next_cue is None
    assert not hard_plan.cues[joined + 1].after_silence  # no silence before it: no pickup
    style = load_style(hard_plan.cues[joined].style)
    last = hard_plan.cues[joined].tempo_map[-1].quarter_bpm
    first = hard_plan.cues[joined].tempo_map[0].quarter_bpm
    assert (last < first) == style.ritardando  # its own ending again
    for index, cue in enumerate(hard_plan.cues):
        if index != joined:
            assert cue == plan.cues[index]


def test_a_misspelt_character_is_warned_about(caplog: pytest.LogCaptureFixture) -> None:
    import dataclasses

    from soundtrack.mood import mood_arc
    from soundtrack.story import load_story

    story = load_story(None)
    beats = list(story.beats)
    beats[0] = dataclasses.replace(beats[0], characters=("vladmir", "the-sea"))
    edited = dataclasses.replace(story, beats=tuple(beats))
    with caplog.at_level("WARNING"):
        plan_cues(edited, mood_arc(edited))
    warnings = [record.getMessage() for record in caplog.records if record.levelname == "WARNING"]
    assert any("'vladmir' has no leitmotif (did you mean 'vladimir'?)" in w for w in warnings)
    assert not any("the-sea" in w for w in warnings)  # an idea without a motif is fine
