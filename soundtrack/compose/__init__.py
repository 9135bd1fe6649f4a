"""Compose: a cue's chords, saxophone lead and accompaniment.

Input: a :class:`~soundtrack.model.CueSpec` (from spotting) and a random generator. Output: a
:class:`~soundtrack.model.Cue`: the lead part first, then one part per instrument of the style (in
the style file's order), then one counter-line part per leitmotif instrument, the chord symbols
and the leitmotif statements (:mod:`soundtrack.compose.statements`).

Randomness: the cue's generator spawns independent children in a fixed order, harmony first, then
the lead, then one per instrument of the style (``rng.spawn``), so adding an instrument at the end
of a style does not change the other parts, and no part's choices shift another's.
"""

from __future__ import annotations

import numpy as np

from soundtrack.compose.backing import compose_backing
from soundtrack.compose.bass import compose_bass
from soundtrack.compose.drums import compose_drums
from soundtrack.compose.harmony import build_chords
from soundtrack.compose.lead import compose_lead
from soundtrack.compose.pickup import compose_pickup
from soundtrack.compose.statements import place_statements, realise_statements, splice_chords
from soundtrack.model import ChordSymbol, Cue, CueSpec, Part, Role
from soundtrack.styles import load_style
from soundtrack.styles.schema import Instrument, Style

__all__ = ["compose_cue", "compose_part"]


def compose_part(
    spec: CueSpec,
    style: Style,
    chords: tuple[ChordSymbol, ...],
    instrument: Instrument,
    *,
    rng: np.random.Generator,
) -> Part:
    """Compose one accompanying instrument of a style, with the engine its role names.

    Args:
        spec: the cue.
        style: its style.
        chords: the cue's chord symbols.
        instrument: one of ``style.instruments``.
        rng: the part's own generator.

    Returns:
        The part (bass, drums, or a chord part for ``harmony``/``pad``/``counter``).
    """
    if instrument.role is Role.BASS:
        return compose_bass(spec, style, chords, rng=rng, instrument=instrument)
    if instrument.role is Role.DRUMS:
        return compose_drums(spec, style, chords, rng=rng, instrument=instrument)
    return compose_backing(spec, style, chords, rng=rng, instrument=instrument)


def compose_cue(spec: CueSpec, *, rng: np.random.Generator) -> Cue:
    """Compose a cue: chords, the saxophone lead and every accompanying part.

    Args:
        spec: the cue to write (style, key, meter, tempo, bars, sections, moods, hits, lead).
        rng: the cue's random generator (keyed by the cue's identity by spotting); the only
            source of randomness. Same spec and generator state give an equal cue.

    Returns:
        The cue: ``parts[0]`` is the lead, then the style's instruments in order; ``chords``
        cover ``0 .. spec.end_tick``.

    Raises:
        StyleError: when ``spec.style`` is not a known style.
    """
    style = load_style(spec.style)
    harmony_rng, lead_rng, *part_rngs = rng.spawn(2 + len(style.instruments))
    statements = realise_statements(spec, style)
    chords = splice_chords(build_chords(spec, style, rng=harmony_rng), statements)
    lead = compose_lead(spec, style, chords, rng=lead_rng)
    others = tuple(
        compose_part(spec, style, chords, instrument, rng=part_rng)
        for instrument, part_rng in zip(style.instruments, part_rngs, strict=True)
    )
    parts, uses = place_statements(spec, (lead, *others), statements)
    pickup = compose_pickup(spec, chords, parts[0])
    return Cue(spec=spec, parts=parts, chords=chords, motifs=uses, pickup=pickup)
