"""Step 2 of the mix: the texture thins in a cue's calm sections.

Input: the lines being mixed (:class:`~soundtrack.mix.lines.Line`), the cue (spec with sections,
bar moods and hit ticks; its leitmotif statements) and the style (its prototype mood). Output:
:func:`section_levels`, one texture level per section (0 calm, 1, 2 full), from each section's
energy against the style's usual energy; and :func:`thin_sections`, which moves the notes a
calm section rests into each line's ``rested`` notes (in place), so that the gap filling can
bring them back. Ticks are from the cue start; energies are arousal + 0.3 x tension (0..1.3).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from soundtrack.mix.arc import TENSION_ENERGY, section_energies
from soundtrack.mix.lines import Line
from soundtrack.model import Cue, CueSpec, Role
from soundtrack.styles.schema import GM_DRUMS, Style

__all__ = [
    "CONTRAST_RANGES",
    "HARMONY_COVERAGE",
    "LEVEL_THRESHOLDS",
    "TIME_KEEPERS",
    "section_levels",
    "thin_sections",
]

#: Drums that keep time in a calm section (cymbals, hi-hats, side stick, shakers, claves).
TIME_KEEPERS = frozenset(
    GM_DRUMS[name]
    for name in (
        "ride",
        "ride2",
        "ride-bell",
        "closed-hat",
        "pedal-hat",
        "side-stick",
        "maracas",
        "cabasa",
        "claves",
        "short-guiro",
        "long-guiro",
        "tambourine",
    )
)
#: Section energy (mean arousal + 0.3 x mean tension) relative to the style's prototype mood's
#: below which a section is level 0 / 1.
LEVEL_THRESHOLDS = (-0.45, -0.3)
#: Energy ranges of a cue's sections from which its calmest third goes one / two levels down.
CONTRAST_RANGES = (0.12, 0.35)
#: Share of a section the first harmony part must sound through for the pads to rest at level 0.
HARMONY_COVERAGE = 0.5


def section_levels(spec: CueSpec, style: Style) -> tuple[int, ...]:
    """The texture level of every section of ``spec.sections``: 0 calm .. 2 full (see the module
    docstring)."""
    energies = section_energies(spec)
    if not energies:
        return ()
    low, high = min(energies), max(energies)
    usual = style.mood.arousal + TENSION_ENERGY * style.mood.tension
    levels = []
    for energy in energies:
        level = sum(energy - usual >= threshold for threshold in LEVEL_THRESHOLDS)
        if energy < low + (high - low) / 3:
            level -= sum(high - low >= contrast for contrast in CONTRAST_RANGES)
        levels.append(max(level, 0))
    return tuple(levels)


def _coverage(notes: Iterable[list[int]], start: int, end: int) -> float:
    """Share of ``start..end`` during which at least one of ``notes`` sounds."""
    spans = sorted((max(s, start), min(e, end)) for s, e, _, _ in notes if s < end and e > start)
    covered = 0
    cursor = start
    for s, e in spans:
        if e <= cursor:
            continue
        covered += e - max(s, cursor)
        cursor = e
    return covered / max(end - start, 1)


def _rest(
    line: Line,
    start: int,
    end: int,
    keep: frozenset[int] = frozenset(),
    protected: Sequence[tuple[int, int]] = (),
) -> None:
    """Move the notes of ``line`` starting in ``start..end`` (pitch not in ``keep``, not inside a
    protected span) to its rested notes."""
    kept: list[list[int]] = []
    for note in line.notes:
        inside = start <= note[0] < end and note[2] not in keep
        if inside and not any(a <= note[0] < b for a, b in protected):
            line.rested.append(note)
        else:
            kept.append(note)
    line.notes = kept


def thin_sections(lines: list[Line], cue: Cue, style: Style) -> None:
    """Rest parts in the calm sections of a cue (see :mod:`soundtrack.mix`, step 2)."""
    spec = cue.spec
    bar_ticks = spec.meter.bar_ticks
    hit_ticks = {hit.tick for hit in spec.hits}
    motif_spans: dict[str, list[tuple[int, int]]] = {}
    for use in cue.motifs:
        motif_spans.setdefault(use.part, []).append(
            (use.start_bar * bar_ticks, (use.start_bar + use.bars) * bar_ticks)
        )
    harmony = [line for line in lines if line.role is Role.HARMONY and not line.is_drums]
    pads = [line for line in lines if line.role is Role.PAD and not line.is_drums]
    for section, level in zip(spec.sections, section_levels(spec, style), strict=True):
        if level >= 2:
            continue
        start = section.start_bar * bar_ticks
        end = min((section.start_bar + section.bars) * bar_ticks, spec.end_tick)
        hits = [(tick, tick + 1) for tick in hit_ticks if start <= tick < end]
        for line in harmony[1:]:
            _rest(line, start, end, protected=hits)
        if level >= 1:
            continue
        for line in lines:
            if line.role is Role.COUNTER and not line.is_drums:
                _rest(line, start, end, protected=[*hits, *motif_spans.get(line.name, ())])
            elif line.role is Role.DRUMS:
                keep = TIME_KEEPERS if line.is_drums else frozenset()
                _rest(line, start, end, keep=keep, protected=hits)
        if harmony and _coverage(harmony[0].notes, start, end) >= HARMONY_COVERAGE:
            for pad in pads:
                _rest(pad, start, end, protected=hits)
