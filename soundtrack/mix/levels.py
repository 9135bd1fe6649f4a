"""The mixing desk: each track's MIDI channel, level (CC7), pan (CC10) and reverb send (CC91).

Input: the lines of a mixed cue (:class:`~soundtrack.mix.lines.Line`, in track order) and the
style (``pan_width``, ``reverb``). Output: one :class:`Strip` per line: a channel index 0-15
given by role (lead 0, bass 1, drums 9 = channel 10, every other part the next free channel in
order) so that the whole-story timeline can keep one track per channel; the volume by role
(:data:`LEVEL_BY_ROLE`: lead in front, pads behind; checked by ``benchmarks/mix_balance.py``);
the pan (0-127, centre 64), harmony parts spread left and right by :data:`PAN_SPREAD` scaled by
the style's ``pan_width``; and the style's reverb send (0-127), less for bass and drums.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from soundtrack.mix.lines import Line
from soundtrack.model import Role
from soundtrack.styles.schema import Style

__all__ = [
    "DRUM_CHANNEL",
    "LEVEL_BY_ROLE",
    "PAN_BY_ROLE",
    "PAN_SPREAD",
    "REVERB_FACTOR",
    "Strip",
    "channel_strips",
]

#: MIDI channel index of the General MIDI drum kit (channel 10).
DRUM_CHANNEL = 9
#: CC7 volume per role (0-127).
LEVEL_BY_ROLE: dict[Role, int] = {
    Role.LEAD: 116,
    Role.COUNTER: 74,
    Role.HARMONY: 69,
    Role.PAD: 59,
    Role.BASS: 82,
    Role.DRUMS: 74,
}
#: Pan offsets (from the centre, 64) given to the non-lead, non-bass parts in turn, at
#: ``pan_width`` 1.0; a style's ``pan_width`` scales them.
PAN_SPREAD = (-40, 40, -60, 60, -20, 20, -63, 63)
#: Pan of the fixed roles at ``pan_width`` 1.0 (lead a little right, bass a little left).
PAN_BY_ROLE: dict[Role, int] = {Role.LEAD: 70, Role.BASS: 56, Role.DRUMS: 64}
#: Reverb send factor per role relative to the style's reverb.
REVERB_FACTOR: dict[Role, float] = {Role.BASS: 0.5, Role.DRUMS: 0.7}


@dataclass(frozen=True, slots=True, kw_only=True)
class Strip:
    """A track's settings on the desk: MIDI channel index (0-15) and CC7, CC10, CC91 (0-127)."""

    channel: int
    volume: int
    pan: int
    reverb: int


def _channel_for(line: Line, used: set[int]) -> int:
    """The channel a part gets: fixed for lead/bass/drums, else the next free one."""
    if line.is_drums:
        return DRUM_CHANNEL
    preferred = {Role.LEAD: 0, Role.BASS: 1}.get(line.role)
    if preferred is not None and preferred not in used:
        return preferred
    for channel in range(2, 16):
        if channel != DRUM_CHANNEL and channel not in used:
            return channel
    for channel in range(16):
        if channel != DRUM_CHANNEL and channel not in used:
            return channel
    raise ValueError("a cue has more than 15 melodic parts; General MIDI has 15 melodic channels")


def channel_strips(lines: Sequence[Line], style: Style) -> tuple[Strip, ...]:
    """The desk settings of every line, in order (see the module docstring).

    Raises:
        ValueError: more than 15 melodic lines (General MIDI has 15 melodic channels).
    """
    used: set[int] = set()
    strips: list[Strip] = []
    spread_index = 0
    width = style.pan_width
    for line in lines:
        channel = _channel_for(line, used)
        used.add(channel)
        fixed = line.role in PAN_BY_ROLE and (line.is_drums or line.role is not Role.DRUMS)
        if fixed and not (line.role is Role.LEAD and channel != 0):
            pan = 64 + round((PAN_BY_ROLE[line.role] - 64) * width)
        else:
            pan = 64 + round(PAN_SPREAD[spread_index % len(PAN_SPREAD)] * width)
            spread_index += 1
        reverb = round(style.reverb * REVERB_FACTOR.get(line.role, 1.0))
        strips.append(
            Strip(
                channel=channel,
                volume=LEVEL_BY_ROLE[line.role],
                pan=max(0, min(127, pan)),
                reverb=max(0, min(127, reverb)),
            )
        )
    return tuple(strips)
