"""Shared test helpers.

:func:`make_spec` builds a :class:`~soundtrack.model.CueSpec` by hand for any built-in style
(constant tempo, sections from the style's form), so compose tests do not depend on spotting.
Import it (``from conftest import make_spec``) or take the ``make_spec`` fixture.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from soundtrack.model import CueSpec, Hit, Key, Mood, Saxophone, Section, TempoChange
from soundtrack.pitch import parse_key
from soundtrack.styles import load_style
from soundtrack.units import TICKS_PER_QUARTER

__all__ = ["make_spec"]


def make_spec(
    style_id: str,
    *,
    bars: int | None = None,
    tempo_bpm: float | None = None,
    key: Key | str | None = None,
    mood: Mood | None = None,
    bar_moods: Sequence[Mood] | Callable[[int], Mood] | None = None,
    lead: Saxophone = Saxophone.ALTO,
    hit_ticks: Sequence[int] = (),
    seed_key: tuple[int, ...] = (0,),
    cue_id: str = "1M1",
    beat_id: str = "test-beat",
    title: str = "Test cue",
) -> CueSpec:
    """A hand-built cue of a built-in style.

    Args:
        style_id: a built-in style id.
        bars: number of bars (default: one cycle of the style's form).
        tempo_bpm: constant tempo in the style's counted pulses per minute (default: the middle
            of the style's range).
        key: a :class:`Key` or a key name such as ``"D minor"`` (default: the style's first tonic
            in its first mode).
        mood: the cue's mood (default: the style's prototype mood).
        bar_moods: per-bar moods, as a sequence of ``bars`` moods or a function of the bar
            index (default: ``mood`` in every bar).
        lead: the saxophone.
        hit_ticks: hit points, ticks from the cue start (their seconds follow from the tempo).
        seed_key: the spec's seed key.
        cue_id, beat_id, title: identity fields.

    Returns:
        A spec whose sections cycle the style's form (the last one cut short), with a single
        tempo at tick 0 and ``end_tick = bars * bar_ticks``.
    """
    style = load_style(style_id)
    meter = style.meter
    bars = bars if bars is not None else sum(section.bars for section in style.form)
    tempo = tempo_bpm if tempo_bpm is not None else (style.tempo_min_bpm + style.tempo_max_bpm) / 2
    if key is None:
        key = Key(tonic_pc=style.tonics[0], mode=style.modes[0])
    elif isinstance(key, str):
        parsed = parse_key(key)
        if parsed is None:
            raise ValueError(f"not a key: {key!r}")
        key = parsed
    mood = mood if mood is not None else style.mood
    if bar_moods is None:
        moods = (mood,) * bars
    elif callable(bar_moods):
        moods = tuple(bar_moods(index) for index in range(bars))
    else:
        moods = tuple(bar_moods)
    if len(moods) != bars:
        raise ValueError(f"{len(moods)} bar moods for {bars} bars")
    sections: list[Section] = []
    bar = 0
    index = 0
    while bar < bars:
        form_section = style.form[index % len(style.form)]
        length = min(form_section.bars, bars - bar)
        sections.append(Section(name=form_section.name, start_bar=bar, bars=length))
        bar += length
        index += 1
    quarter_bpm = tempo * meter.pulse_ticks / TICKS_PER_QUARTER
    microseconds = round(60_000_000 / quarter_bpm)
    seconds_per_tick = microseconds / 1_000_000 / TICKS_PER_QUARTER
    end_tick = bars * meter.bar_ticks
    return CueSpec(
        cue_id=cue_id,
        beat_id=beat_id,
        beat_index=0,
        title=title,
        style=style_id,
        key=key,
        meter=meter,
        tempo_bpm=tempo,
        tempo_map=(TempoChange(start_tick=0, microseconds_per_quarter=microseconds),),
        bars=bars,
        end_tick=end_tick,
        sections=tuple(sections),
        hits=tuple(
            Hit(seconds=tick * seconds_per_tick, tick=tick, error_seconds=0.0)
            for tick in hit_ticks
        ),
        mood=mood,
        bar_moods=moods,
        lead=lead,
        start_seconds=0.0,
        duration_seconds=end_tick * seconds_per_tick,
        seed_key=seed_key,
    )


@pytest.fixture(name="make_spec")
def make_spec_fixture() -> Callable[..., CueSpec]:
    """The :func:`make_spec` helper as a fixture."""
    return make_spec
