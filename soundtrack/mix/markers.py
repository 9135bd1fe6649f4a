"""The conductor's markers of a scene.

Input: a cue's spec (sections, hits, meter) and its leitmotif statements
(:class:`~soundtrack.model.MotifUse`). Output: :class:`~soundtrack.model.Marker` values (ticks
from the cue start at 480 per quarter note) in tick order: one per section at its first bar (the
section's name), one per hit point (``HIT n (s.sss s)``, seconds from the cue start) and one at
the first bar of every leitmotif statement (``MOTIF name (transform, part)``, the transforms
joined with ``+``, or ``statement`` when the motif is stated as written).
"""

from __future__ import annotations

from collections.abc import Iterable

from soundtrack.model import CueSpec, Marker, MotifUse

__all__ = ["scene_markers"]


def scene_markers(spec: CueSpec, motifs: Iterable[MotifUse] = ()) -> tuple[Marker, ...]:
    """The markers of a scene, sorted by tick.

    Args:
        spec: the cue (sections, hits, meter).
        motifs: the cue's leitmotif statements.

    Returns:
        Sections, hits and statements; the sort is stable, so at one tick a section's marker
        comes first, then a hit's, then the statements' in their order.
    """
    markers = [
        Marker(tick=section.start_bar * spec.meter.bar_ticks, text=section.name)
        for section in spec.sections
    ]
    markers.extend(
        Marker(tick=hit.tick, text=f"HIT {number} ({hit.seconds:.3f} s)")
        for number, hit in enumerate(spec.hits, start=1)
    )
    markers.extend(
        Marker(
            tick=use.start_bar * spec.meter.bar_ticks,
            text=f"MOTIF {use.name} ({use.transform}, {use.part})",
        )
        for use in motifs
    )
    markers.sort(key=lambda marker: marker.tick)
    return tuple(markers)
