"""Mix: orchestrate a composed cue into the tracks of a scene.

Input: a :class:`~soundtrack.model.Cue` (and its style). Output: a :class:`~soundtrack.model.Scene`
whose tracks have a MIDI channel, program, level (CC7), pan (CC10) and reverb send (CC91), plus the
conductor's markers (sections and hit points).

Channels are given by role so that the whole-story timeline can keep one track per channel:
the lead on channel 1 (index 0), the bass on 2, drums on 10 (index 9), every other part on the next
free channel in part order. Levels are set by role (lead in front, pads behind); harmony parts are
spread left and right around the centre by :data:`PAN_SPREAD`; the reverb send is the style's,
less for bass and drums.
"""

from __future__ import annotations

from soundtrack.model import Cue, Marker, Part, Role, Scene, Track
from soundtrack.styles.schema import Style

__all__ = ["DRUM_CHANNEL", "LEVEL_BY_ROLE", "PAN_SPREAD", "mix_scene"]

#: MIDI channel index of the General MIDI drum kit (channel 10).
DRUM_CHANNEL = 9
#: CC7 volume per role (0-127).
LEVEL_BY_ROLE: dict[Role, int] = {
    Role.LEAD: 112,
    Role.COUNTER: 88,
    Role.HARMONY: 82,
    Role.PAD: 70,
    Role.BASS: 96,
    Role.DRUMS: 88,
}
#: Pan offsets (from the centre, 64) given to the non-lead, non-bass parts in turn.
PAN_SPREAD = (-28, 28, -44, 44, -14, 14, -54, 54)
#: Pan of the fixed roles.
PAN_BY_ROLE: dict[Role, int] = {Role.LEAD: 68, Role.BASS: 60, Role.DRUMS: 64}
#: Reverb send factor per role relative to the style's reverb.
REVERB_FACTOR: dict[Role, float] = {Role.BASS: 0.5, Role.DRUMS: 0.7}


def _channel_for(part: Part, used: set[int]) -> int:
    """The channel a part gets: fixed for lead/bass/drums, else the next free one."""
    if part.is_drums:
        return DRUM_CHANNEL
    preferred = {Role.LEAD: 0, Role.BASS: 1}.get(part.role)
    if preferred is not None and preferred not in used:
        return preferred
    for channel in range(2, 16):
        if channel != DRUM_CHANNEL and channel not in used:
            return channel
    for channel in range(16):
        if channel != DRUM_CHANNEL and channel not in used:
            return channel
    raise ValueError("a cue has more than 15 melodic parts; General MIDI has 15 melodic channels")


def mix_scene(cue: Cue, style: Style) -> Scene:
    """Turn a cue into a scene: channels, levels, pans, reverb sends and markers.

    Args:
        cue: the composed cue.
        style: its style (for the reverb send).

    Returns:
        The scene; track order is the cue's part order (the lead first).
    """
    used: set[int] = set()
    tracks: list[Track] = []
    spread_index = 0
    for part in cue.parts:
        channel = _channel_for(part, used)
        used.add(channel)
        if part.role in PAN_BY_ROLE and not (part.role is Role.LEAD and channel != 0):
            pan = PAN_BY_ROLE[part.role]
        else:
            pan = 64 + PAN_SPREAD[spread_index % len(PAN_SPREAD)]
            spread_index += 1
        reverb = round(style.reverb * REVERB_FACTOR.get(part.role, 1.0))
        tracks.append(
            Track(
                name=part.name,
                role=part.role,
                channel=channel,
                program=part.program,
                volume=LEVEL_BY_ROLE[part.role],
                pan=max(0, min(127, pan)),
                reverb=max(0, min(127, reverb)),
                notes=part.notes,
                bends=part.bends,
                bend_range_semitones=part.bend_range_semitones,
                controls=part.controls,
            )
        )
    spec = cue.spec
    markers = [
        Marker(tick=section.start_bar * spec.meter.bar_ticks, text=section.name)
        for section in spec.sections
    ]
    markers.extend(
        Marker(tick=hit.tick, text=f"HIT {number} ({hit.seconds:.3f} s)")
        for number, hit in enumerate(spec.hits, start=1)
    )
    markers.sort(key=lambda marker: marker.tick)
    return Scene(spec=spec, tracks=tuple(tracks), chords=cue.chords, markers=tuple(markers))
