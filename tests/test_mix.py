"""Tests of the mix (``soundtrack/mix/``) and of the drums' transition fills."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable

import numpy as np
import pytest
from conftest import make_spec

from soundtrack.compose import compose_cue
from soundtrack.compose.drums import fill_idiom, transition_span
from soundtrack.mix import (
    DRUM_CHANNEL,
    EXPRESSION_CONTROL,
    GM_COMPATIBLE_KITS,
    GM_PERCUSSION_RANGE,
    MAX_SILENCE_SECONDS,
    PAN_SPREAD,
    mix_scene,
)
from soundtrack.model import (
    ControlChange,
    Cue,
    CueSpec,
    Key,
    Marker,
    Meter,
    Mode,
    Mood,
    MotifUse,
    NextCue,
    Note,
    Role,
    Scene,
    Track,
    Transform,
)
from soundtrack.pipeline import score_story
from soundtrack.story import load_story
from soundtrack.styles import load_style
from soundtrack.styles.schema import GM_DRUMS
from soundtrack.units import tempo_map_seconds

CALM = Mood(valence=0.2, arousal=0.1, tension=0.1)
LOUD = Mood(valence=0.2, arousal=0.85, tension=0.4)
TOMS = {GM_DRUMS[name] for name in ("high-tom", "mid-tom", "low-tom", "floor-tom")}


def _cue(spec: CueSpec, seed: int = 1) -> Cue:
    return compose_cue(spec, rng=np.random.default_rng(seed))


def _mix(cue: Cue, seed: int = 2, *, timing: bool = False) -> Scene:
    return mix_scene(
        cue, load_style(cue.spec.style), rng=np.random.default_rng(seed), humanise_timing=timing
    )


def _expression(track: Track) -> list[ControlChange]:
    return [control for control in track.controls if control.control == EXPRESSION_CONTROL]


def _lead(scene: Scene) -> Track:
    return next(track for track in scene.tracks if track.role is Role.LEAD)


def _drums(scene: Scene) -> Track:
    return next(track for track in scene.tracks if track.channel == DRUM_CHANNEL)


def _mean_velocity(notes: Iterable[Note]) -> float:
    values = [note.velocity for note in notes]
    return float(np.mean(values)) if values else 0.0


# ---------------------------------------------------------------- expression


def test_expression_follows_a_rising_arc() -> None:
    spec = make_spec(
        "swing",
        bar_moods=lambda bar: Mood(valence=0.5, arousal=0.1 + 0.8 * bar / 31, tension=0.3),
    )
    for track in _mix(_cue(spec)).tracks:
        if track.channel == DRUM_CHANNEL:
            assert not _expression(track)
            continue
        events = _expression(track)
        ticks = [event.tick for event in events]
        assert ticks[0] == 0
        assert ticks == sorted(set(ticks)), "one CC11 stream, increasing ticks"
        quarter = spec.end_tick // 4

        def level(first: int, last: int, events: list[ControlChange] = events) -> float:
            return float(np.mean([e.value for e in events if first <= e.tick < last]))

        assert level(0, quarter) + 15 < level(3 * quarter, spec.end_tick), track.name
        # the level moves inside the sections, not only at their boundaries
        inside = [tick for tick in ticks if tick % (8 * spec.meter.bar_ticks) != 0]
        assert len(inside) > 12
        assert len(events) <= spec.end_tick // spec.meter.pulse_ticks + 1


def test_expression_is_flat_when_the_arc_is() -> None:
    spec = make_spec("swing", bars=8, mood=Mood(valence=0.5, arousal=0.5, tension=0.3))
    events = _expression(_lead(_mix(_cue(spec))))
    assert len(events) == 1


def test_expression_crescendo_into_a_hit() -> None:
    bar = 1920
    spec = make_spec(
        "swing", bars=8, mood=Mood(valence=0.5, arousal=0.5, tension=0.3), hit_ticks=[4 * bar]
    )
    events = {event.tick: event.value for event in _expression(_lead(_mix(_cue(spec))))}
    base = events[0]
    assert events[4 * bar] >= base + 15
    assert events[3 * bar] < base  # the dip at the start of the crescendo
    later = max(tick for tick in events if tick <= 5 * bar)
    assert events[later] == base  # released


def test_existing_cc11_is_merged_into_one_stream() -> None:
    spec = make_spec("swing", bars=8)
    cue = _cue(spec)
    lead = dataclasses.replace(
        cue.parts[0],
        controls=(
            ControlChange(tick=0, control=11, value=64),
            ControlChange(tick=0, control=1, value=20),
        ),
    )
    cue = dataclasses.replace(cue, parts=(lead, *cue.parts[1:]))
    controls = _lead(_mix(cue)).controls
    expression = [control for control in controls if control.control == 11]
    assert [control.tick for control in expression] == sorted({c.tick for c in expression})
    assert max(control.value for control in expression) <= 64
    assert any(control.control == 1 for control in controls)


# ---------------------------------------------------------------- dynamics and texture


def _calm_then_loud(bar: int) -> Mood:
    return CALM if bar < 16 else LOUD


def test_velocities_widen_the_contrast_of_the_arc() -> None:
    spec = make_spec("ballad", bar_moods=_calm_then_loud)
    cue = _cue(spec)
    scene = _mix(cue)
    split = 16 * spec.meter.bar_ticks

    def ratio(notes: list[Note]) -> float:
        calm = [note for note in notes if note.start_tick < split]
        loud = [note for note in notes if note.start_tick >= split + spec.meter.bar_ticks]
        return _mean_velocity(loud) / _mean_velocity(calm)

    composed = ratio([note for note in cue.parts[0].notes])
    mixed = ratio(list(_lead(scene).notes))
    assert mixed > composed * 1.15
    assert all(1 <= note.velocity <= 127 for track in scene.tracks for note in track.notes)


def test_a_calm_section_has_fewer_parts_than_a_loud_one() -> None:
    spec = make_spec("ballad", bar_moods=_calm_then_loud)
    bar = spec.meter.bar_ticks

    def sounding(scene: Scene | Cue, first: int, last: int) -> set[str]:
        parts = scene.tracks if isinstance(scene, Scene) else scene.parts
        return {
            part.name
            for part in parts
            if any(first * bar <= note.start_tick < last * bar for note in part.notes)
        }

    cue = _cue(spec)
    scene = _mix(cue)
    calm, loud = sounding(scene, 0, 8), sounding(scene, 16, 24)
    assert len(calm) < len(loud)
    assert {"Alto Sax", "Acoustic Bass"} <= calm  # lead and bass never drop
    assert len(sounding(cue, 0, 8)) > len(calm)  # the mix did the thinning
    # the drums keep time (ride / hi-hat) in the calm section
    calm_drums = {note.pitch for note in _drums(scene).notes if note.start_tick < 8 * bar}
    assert calm_drums <= {GM_DRUMS["ride"], GM_DRUMS["pedal-hat"], GM_DRUMS["closed-hat"]}


# ---------------------------------------------------------------- hits


@functools.cache
def _hit_scene() -> tuple[CueSpec, Cue, Scene]:
    bar = 1920
    spec = make_spec("swing", bars=16, hit_ticks=[5 * bar, 9 * bar + 960])
    cue = _cue(spec)
    return spec, cue, _mix(cue)


def test_hits_get_a_crash_exactly_on_the_tick() -> None:
    spec, _, scene = _hit_scene()
    drums = _drums(scene)
    for hit in spec.hits:
        assert any(n.start_tick == hit.tick and n.pitch == GM_DRUMS["crash"] for n in drums.notes)


def test_hits_accent_the_notes_on_the_tick_and_stab_the_chord() -> None:
    spec, cue, scene = _hit_scene()
    composed = {part.name: part for part in cue.parts}
    for track in scene.tracks:
        if track.channel == DRUM_CHANNEL:
            continue
        for hit in spec.hits:
            on_hit = [note for note in track.notes if note.start_tick == hit.tick]
            if track.role in (Role.HARMONY, Role.PAD, Role.LEAD):
                assert on_hit, f"{track.name} plays on the hit"
            if on_hit:
                others = [n for n in composed[track.name].notes if n.start_tick != hit.tick]
                assert _mean_velocity(on_hit) > _mean_velocity(others)
            mixed = {note.pitch: note.velocity for note in on_hit}
            for note in composed[track.name].notes:
                if note.start_tick == hit.tick:  # accented by the mix, on top of compose
                    assert mixed[note.pitch] >= min(127, round(note.velocity * 1.1)), track.name


def test_motif_statements_get_a_marker_at_their_first_bar() -> None:
    spec, cue, plain = _hit_scene()
    bar = spec.meter.bar_ticks
    uses = (
        MotifUse(
            name="vladimir",
            part="Alto Sax",
            role=Role.LEAD,
            start_bar=0,  # with the first section's marker
            bars=4,
            transforms=(),
            similarity=1.0,
        ),
        MotifUse(
            name="lucia",
            part="Clarinet",
            role=Role.COUNTER,
            start_bar=12,
            bars=2,
            transforms=(Transform.MINOR, Transform.FRAGMENT),
            similarity=0.8,
        ),
        MotifUse(
            name="america",
            part="Bass",
            role=Role.BASS,
            start_bar=5,  # with the first hit
            bars=2,
            transforms=(Transform.AUGMENTATION,),
            similarity=0.9,
        ),
    )
    scene = _mix(dataclasses.replace(cue, motifs=uses))
    motif_markers = [marker for marker in scene.markers if marker.text.startswith("MOTIF ")]
    assert motif_markers == [
        Marker(tick=0, text="MOTIF vladimir (statement, Alto Sax)"),
        Marker(tick=5 * bar, text="MOTIF america (augmentation, Bass)"),
        Marker(tick=12 * bar, text="MOTIF lucia (minor+fragment, Clarinet)"),
    ]
    # the section and hit markers are unchanged; at one tick a statement comes after them
    assert not any(marker.text.startswith("MOTIF ") for marker in plain.markers)
    assert list(scene.markers) == sorted(
        [*plain.markers, *motif_markers], key=lambda marker: marker.tick
    )
    assert scene.markers[0].text == spec.sections[0].name
    at_hit = [marker.text for marker in scene.markers if marker.tick == 5 * bar]
    assert at_hit[0].startswith("HIT 1 ")
    assert at_hit[-1].startswith("MOTIF america")


def test_hits_have_a_fill_in_the_beat_before() -> None:
    spec, _, scene = _hit_scene()
    drums = _drums(scene)
    idiom = set(fill_idiom(load_style("swing")).pitches)
    for hit in spec.hits:
        fill = [
            note
            for note in drums.notes
            if hit.tick - spec.meter.pulse_ticks <= note.start_tick < hit.tick
            and note.pitch in idiom
        ]
        assert len(fill) >= 2


def test_hits_without_a_kit_get_a_hits_track() -> None:
    spec, cue, _ = _hit_scene()
    cue = dataclasses.replace(cue, parts=tuple(part for part in cue.parts if not part.is_drums))
    scene = _mix(cue)
    kit = _drums(scene)
    assert kit.name == "Hits"
    assert {n.start_tick for n in kit.notes if n.pitch == GM_DRUMS["crash"]} == {
        hit.tick for hit in spec.hits
    }


# ---------------------------------------------------------------- transitions


def _with_next(spec: CueSpec) -> CueSpec:
    following = NextCue(
        cue_id="1M2",
        key=Key(tonic_pc=0, mode=Mode.MAJOR),
        tempo_bpm=120.0,
        style="swing",
        meter=Meter(numerator=4, denominator=4, pulse_ticks=480),
    )
    return dataclasses.replace(spec, next_cue=following)


def _last_bar_drums(cue: Cue) -> list[Note]:
    start = cue.spec.end_tick - cue.spec.meter.bar_ticks
    kit = next(part for part in cue.parts if part.is_drums)
    return [note for note in kit.notes if note.start_tick >= start]


@pytest.mark.parametrize(
    ("style_id", "idiom"),
    [
        ("swing", "toms"),
        ("chase", "toms"),
        ("circus-galop", "snare roll"),
        ("cha-cha", "timbales"),
        ("bolero", "bongos"),
    ],
)
def test_transition_fill_only_when_a_cue_follows(style_id: str, idiom: str) -> None:
    style = load_style(style_id)
    assert fill_idiom(style).name == idiom
    pitches = set(fill_idiom(style).pitches)
    spec = make_spec(style_id, bars=8)
    alone = _cue(spec)
    joined = _cue(_with_next(spec))
    start, end = transition_span(spec)
    fill = [n for n in _last_bar_drums(joined) if start <= n.start_tick < end]
    assert len([n for n in fill if n.pitch in pitches]) >= 4
    assert all(n.pitch in pitches for n in fill)
    assert all(n.end_tick <= end for n in fill)
    before = [n for n in _last_bar_drums(alone) if n.pitch in pitches and n.start_tick >= start]
    assert len(before) < 2


# ---------------------------------------------------------------- humanisation and validity


def test_humanisation_is_deterministic_for_a_seed() -> None:
    spec, cue, _ = _hit_scene()
    assert _mix(cue, seed=5) == _mix(cue, seed=5)
    assert _mix(cue, seed=5) != _mix(cue, seed=6)


def test_humanisation_never_moves_hit_or_first_downbeat_notes() -> None:
    spec, cue, _ = _hit_scene()
    fixed = {0, *(hit.tick for hit in spec.hits)}
    assert _mix(cue, seed=3, timing=True) == _mix(cue, seed=3, timing=True)
    plain = {(t.name, n.start_tick) for t in _mix(cue, seed=0).tracks for n in t.notes}
    for seed in range(4):
        scene = _mix(cue, seed=seed, timing=True)
        moved = {(t.name, n.start_tick) for t in scene.tracks for n in t.notes} - plain
        assert len(moved) > 50
        assert not any(name == "Alto Sax" for name, _ in moved)  # the lead keeps its timing
        for track in scene.tracks:
            if track.channel == DRUM_CHANNEL:
                continue
            part = next(part for part in cue.parts if part.name == track.name)
            for note in part.notes:
                if note.start_tick in fixed:
                    assert any(
                        n.start_tick == note.start_tick and n.pitch == note.pitch
                        for n in track.notes
                    ), (track.name, note)


def _assert_valid(scene: Scene) -> None:
    end_tick = scene.spec.end_tick
    channels = [track.channel for track in scene.tracks]
    assert len(channels) == len(set(channels))
    for track in scene.tracks:
        by_pitch: dict[int, list[Note]] = {}
        for note in track.notes:
            assert 0 <= note.start_tick < note.end_tick <= end_tick, (track.name, note)
            by_pitch.setdefault(note.pitch, []).append(note)
        for notes in by_pitch.values():
            notes.sort(key=lambda note: note.start_tick)
            for before, after in zip(notes, notes[1:], strict=False):
                assert before.end_tick <= after.start_tick, (track.name, before, after)
        if track.channel == DRUM_CHANNEL:
            low, high = GM_PERCUSSION_RANGE
            assert all(low <= note.pitch <= high for note in track.notes)
            assert track.program in GM_COMPATIBLE_KITS


@pytest.mark.parametrize(
    "style_id", ["swing", "suspense", "circus-galop", "cha-cha", "russian-lament", "ballad"]
)
@pytest.mark.parametrize(("seed", "timing"), [(1, False), (2, True), (3, True)])
def test_mixed_scenes_are_valid(style_id: str, seed: int, timing: bool) -> None:
    style = load_style(style_id)
    bars = sum(section.bars for section in style.form)
    bar = style.meter.bar_ticks
    spec = make_spec(
        style_id,
        bar_moods=lambda index: CALM if index < bars // 2 else LOUD,
        hit_ticks=[3 * bar, (bars - 3) * bar + style.meter.pulse_ticks],
    )
    _assert_valid(_mix(_cue(_with_next(spec), seed=seed), seed=seed, timing=timing))


def test_orchestra_kit_timpani_go_to_a_timpani_track() -> None:
    spec = make_spec("suspense", mood=Mood(valence=-0.4, arousal=0.7, tension=0.8))
    cue = _cue(spec)
    assert next(part for part in cue.parts if part.is_drums).program == 48
    scene = _mix(cue)
    timpani = next(track for track in scene.tracks if track.program == 47)
    assert timpani.channel != DRUM_CHANNEL
    assert timpani.notes
    tonic_pcs = {spec.key.tonic_pc, (spec.key.tonic_pc + 7) % 12}
    assert {note.pitch % 12 for note in timpani.notes} <= tonic_pcs
    toms = {GM_DRUMS[name] for name in ("floor-tom", "low-tom", "mid-tom", "high-tom")}
    kit = [track for track in scene.tracks if track.channel == DRUM_CHANNEL]
    assert all(note.pitch not in toms for track in kit for note in track.notes)
    assert all(track.program == 0 for track in kit)


# ---------------------------------------------------------------- pan


def test_pan_width_scales_the_spread() -> None:
    spec = make_spec("circus-galop", bars=16)
    cue = _cue(spec)
    style = load_style("circus-galop")

    def spread(width: float) -> int:
        scene = mix_scene(
            cue, dataclasses.replace(style, pan_width=width), rng=np.random.default_rng(0)
        )
        return max(abs(track.pan - 64) for track in scene.tracks)

    assert spread(0.0) == 0
    assert spread(1.0) == max(abs(offset) for offset in PAN_SPREAD[:3])
    assert spread(0.3) < spread(0.9)
    assert load_style("ballad").pan_width < load_style("circus-galop").pan_width
    assert load_style("ballad").reverb > load_style("chase").reverb


# ---------------------------------------------------------------- the built-in story


@functools.cache
def _story_scenes() -> tuple[Scene, ...]:
    return score_story(load_story()).scenes


def test_no_silence_inside_any_cue_of_the_built_in_story() -> None:
    for scene in _story_scenes():
        spec = scene.spec
        changes = [
            (change.start_tick, change.microseconds_per_quarter) for change in spec.tempo_map
        ]
        spans = sorted((n.start_tick, n.end_tick) for t in scene.tracks for n in t.notes)
        cursor = 0
        longest = 0.0
        for start, end in [*spans, (spec.end_tick, spec.end_tick)]:
            if start > cursor:
                silence = tempo_map_seconds(start, changes) - tempo_map_seconds(cursor, changes)
                longest = max(longest, silence)
            cursor = max(cursor, end)
        assert longest <= MAX_SILENCE_SECONDS, (spec.cue_id, longest)


def test_built_in_story_marks_every_motif_statement() -> None:
    stated = 0
    for scene in _story_scenes():
        bar = scene.spec.meter.bar_ticks
        marked = [(m.tick, m.text) for m in scene.markers if m.text.startswith("MOTIF ")]
        expected = sorted(
            (use.start_bar * bar, f"MOTIF {use.name} ({use.transform}, {use.part})")
            for use in scene.motifs
        )
        assert sorted(marked) == expected, scene.spec.cue_id
        stated += len(expected)
    assert stated > 0


def test_built_in_story_scenes_are_valid() -> None:
    for scene in _story_scenes():
        _assert_valid(scene)


def test_the_band_steps_back_while_the_lead_states_a_theme() -> None:
    from soundtrack.mix.dynamics import THEME_DUCK

    spec, cue, plain = _hit_scene()
    bar = spec.meter.bar_ticks
    use = MotifUse(
        name="vladimir",
        part="Alto Sax",
        role=Role.LEAD,
        start_bar=2,
        bars=2,
        transforms=(),
        similarity=1.0,
    )
    scene = _mix(dataclasses.replace(cue, motifs=(use,)))
    window = (2 * bar, 4 * bar)

    def level(track: Track, tick: int) -> int:
        events = [event for event in _expression(track) if event.tick <= tick]
        return events[-1].value if events else 127

    checked = 0
    for before, after in zip(plain.tracks, scene.tracks, strict=True):
        for tick in (window[0], window[0] + bar, window[1] - 1, window[1], 0, 6 * bar):
            inside = window[0] <= tick < window[1]
            if after.role in (Role.HARMONY, Role.PAD) and inside:
                assert level(after, tick) == max(1, round(level(before, tick) * THEME_DUCK))
                checked += 1
            else:  # the lead, bass and drums, and everything outside the statement, as before
                assert level(after, tick) == level(before, tick), (after.name, tick)
    assert checked
