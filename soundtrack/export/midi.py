"""MIDI export: one type-1 file per scene and one for the whole story.

A scene file has the conductor on track 0 (track name = cue title; tempo map, time and key
signature, ``marker`` events for sections, hits and leitmotif statements, chord symbols as
``text`` events), then one track per instrument (track name, program change, CC7 volume, CC10
pan, CC91 reverb, the pitch-bend range as RPN 0, notes, bends and controllers). Every track ends at
the cue's last tick, so the file lasts exactly the scene.

The story file (``score.mid``) puts every scene at its start time on one timeline: the conductor
carries every scene's tempo map (120 bpm over silent stretches) and markers, and there is one track
per MIDI channel, whose program and controllers are set again at each scene start. A scene that
starts after silence and has a pickup (:attr:`~soundtrack.model.Scene.pickup`) gets it in the
silence just before its start, at its first tempo, when the silence is long enough.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import mido

from soundtrack.model import Marker, Scene, Track
from soundtrack.pitch import mido_key_name
from soundtrack.units import TICKS_PER_QUARTER

__all__ = ["SILENCE_MICROSECONDS_PER_QUARTER", "scene_midi", "score_midi"]

#: Tempo over stretches without music in ``score.mid`` (120 quarter notes per minute).
SILENCE_MICROSECONDS_PER_QUARTER = 500_000


@dataclass(frozen=True, slots=True)
class _Event:
    """An event at an absolute tick; ``order`` sorts simultaneous events (note-offs first)."""

    tick: int
    order: int
    message: mido.Message | mido.MetaMessage


def _to_track(events: Iterable[_Event], end_tick: int, name: str) -> mido.MidiTrack:
    """A track of delta-timed messages from absolute events, ending at ``end_tick``."""
    track = mido.MidiTrack()
    track.append(mido.MetaMessage("track_name", name=name, time=0))
    previous = 0
    for event in sorted(events, key=lambda item: (item.tick, item.order)):
        message = event.message
        message.time = event.tick - previous
        previous = event.tick
        track.append(message)
    track.append(mido.MetaMessage("end_of_track", time=max(0, end_tick - previous)))
    return track


def _setup_events(track: Track, tick: int) -> list[_Event]:
    """Program, volume, pan, reverb and pitch-bend range of a track at ``tick``."""
    channel = track.channel
    controls = [
        (7, track.volume),
        (10, track.pan),
        (91, track.reverb),
        (101, 0),
        (100, 0),
        (6, track.bend_range_semitones),
        (38, 0),
        (101, 127),
        (100, 127),
    ]
    events = [
        _Event(tick, 0, mido.Message("program_change", channel=channel, program=track.program))
    ]
    events.extend(
        _Event(
            tick, 1, mido.Message("control_change", channel=channel, control=control, value=value)
        )
        for control, value in controls
    )
    return events


def _note_events(track: Track, offset_tick: int) -> list[_Event]:
    """Note-on/off, pitch-bend and controller events of a track shifted by ``offset_tick``."""
    channel = track.channel
    events: list[_Event] = []
    append = events.append
    for note in track.notes:
        append(
            _Event(
                offset_tick + note.start_tick + note.duration_ticks,
                2,
                mido.Message(
                    "note_off", channel=channel, note=note.pitch, velocity=0, skip_checks=True
                ),
            )
        )
        append(
            _Event(
                offset_tick + note.start_tick,
                4,
                mido.Message(
                    "note_on",
                    channel=channel,
                    note=note.pitch,
                    velocity=note.velocity,
                    skip_checks=True,
                ),
            )
        )
    for bend in track.bends:
        append(
            _Event(
                offset_tick + bend.tick,
                3,
                mido.Message("pitchwheel", channel=channel, pitch=bend.value, skip_checks=True),
            )
        )
    for control in track.controls:
        append(
            _Event(
                offset_tick + control.tick,
                3,
                mido.Message(
                    "control_change",
                    channel=channel,
                    control=control.control,
                    value=control.value,
                    skip_checks=True,
                ),
            )
        )
    return events


def _conductor_events(scene: Scene, offset_tick: int, *, cue_marker: bool) -> list[_Event]:
    """Tempo map, meter, key, markers and chord symbols of a scene shifted by ``offset_tick``."""
    spec = scene.spec
    events = [
        _Event(
            offset_tick,
            0,
            mido.MetaMessage(
                "time_signature",
                numerator=spec.meter.numerator,
                denominator=spec.meter.denominator,
                clocks_per_click=24 * spec.meter.pulse_ticks // TICKS_PER_QUARTER,
            ),
        ),
        _Event(offset_tick, 0, mido.MetaMessage("key_signature", key=mido_key_name(spec.key))),
    ]
    events.extend(
        _Event(
            offset_tick + change.start_tick,
            1,
            mido.MetaMessage("set_tempo", tempo=change.microseconds_per_quarter),
        )
        for change in spec.tempo_map
    )
    markers: list[Marker] = list(scene.markers)
    if cue_marker:
        markers.insert(0, Marker(tick=0, text=f"{spec.cue_id} {spec.title}"))
    events.extend(
        _Event(offset_tick + marker.tick, 2, mido.MetaMessage("marker", text=marker.text))
        for marker in markers
    )
    events.extend(
        _Event(offset_tick + chord.start_tick, 3, mido.MetaMessage("text", text=chord.symbol))
        for chord in scene.chords
    )
    return events


def scene_midi(scene: Scene) -> mido.MidiFile:
    """The type-1 MIDI file of one scene (see the module docstring)."""
    midi = mido.MidiFile(type=1, ticks_per_beat=TICKS_PER_QUARTER)
    end_tick = scene.spec.end_tick
    midi.tracks.append(
        _to_track(_conductor_events(scene, 0, cue_marker=False), end_tick, scene.spec.title)
    )
    for track in scene.tracks:
        events = _setup_events(track, 0) + _note_events(track, 0)
        midi.tracks.append(_to_track(events, end_tick, track.name))
    return midi


_CHANNEL_NAMES = {0: "Lead sax", 1: "Bass", 9: "Drums"}
#: Instrument names listed in the name of a shared ``score.mid`` track before "...".
_NAMES_PER_TRACK = 3


def _channel_name(channel: int, names: dict[int, list[str]]) -> str:
    """The name of a ``score.mid`` track: its role for the fixed channels, else the
    instruments that play on the channel across the story (``Piano / Accordion / Guitar ...``).
    """
    if channel in _CHANNEL_NAMES:
        return _CHANNEL_NAMES[channel]
    players = names.get(channel, [])
    shown = " / ".join(players[:_NAMES_PER_TRACK])
    return shown + (" ..." if len(players) > _NAMES_PER_TRACK else "")


def score_midi(title: str, scenes: Sequence[Scene], duration_seconds: float) -> mido.MidiFile:
    """The whole story on one timeline: every scene at its start time.

    Args:
        title: the story title (conductor track name).
        scenes: the scenes, in story order, not overlapping in time.
        duration_seconds: length of the story; the file lasts this long (silence after the last
            scene is kept).

    Returns:
        A type-1 MIDI file with a conductor track and one track per channel.
    """
    silence = SILENCE_MICROSECONDS_PER_QUARTER
    ticks_per_second = TICKS_PER_QUARTER * 1_000_000 / silence
    conductor: list[_Event] = []
    by_channel: dict[int, list[_Event]] = {}
    names: dict[int, list[str]] = {}
    cursor_tick = 0
    cursor_seconds = 0.0

    def advance_silence(to_seconds: float) -> None:
        nonlocal cursor_tick, cursor_seconds
        gap_ticks = round((to_seconds - cursor_seconds) * ticks_per_second)
        if gap_ticks <= 0:
            return
        conductor.append(_Event(cursor_tick, 1, mido.MetaMessage("set_tempo", tempo=silence)))
        cursor_tick += gap_ticks
        cursor_seconds += gap_ticks / ticks_per_second

    for scene in scenes:
        spec = scene.spec
        pickup_ticks = -min((note.start_tick for note in scene.pickup), default=0)
        first_tempo = spec.tempo_map[0].microseconds_per_quarter
        pickup_seconds = pickup_ticks * first_tempo / (TICKS_PER_QUARTER * 1_000_000)
        lead = scene.tracks[0] if scene.tracks else None
        if (
            pickup_ticks
            and lead is not None
            and (spec.start_seconds - cursor_seconds >= pickup_seconds)
        ):
            # The pickup sounds in the silence before the scene, at the scene's first tempo.
            advance_silence(spec.start_seconds - pickup_seconds)
            conductor.append(
                _Event(cursor_tick, 1, mido.MetaMessage("set_tempo", tempo=first_tempo))
            )
            events = by_channel.setdefault(lead.channel, [])
            events.extend(_setup_events(lead, cursor_tick))
            pickup = dataclasses.replace(lead, notes=scene.pickup, bends=(), controls=())
            events.extend(_note_events(pickup, cursor_tick + pickup_ticks))
            cursor_tick += pickup_ticks
            cursor_seconds += pickup_seconds
        advance_silence(spec.start_seconds)
        conductor.extend(_conductor_events(scene, cursor_tick, cue_marker=True))
        for track in scene.tracks:
            players = names.setdefault(track.channel, [])
            if track.name not in players:
                players.append(track.name)
            events = by_channel.setdefault(track.channel, [])
            events.extend(_setup_events(track, cursor_tick))
            events.extend(_note_events(track, cursor_tick))
        changes = spec.tempo_map
        for index, change in enumerate(changes):
            next_tick = changes[index + 1].start_tick if index + 1 < len(changes) else spec.end_tick
            cursor_seconds += (
                (next_tick - change.start_tick)
                * change.microseconds_per_quarter
                / (TICKS_PER_QUARTER * 1_000_000)
            )
        cursor_tick += spec.end_tick
    advance_silence(duration_seconds)

    midi = mido.MidiFile(type=1, ticks_per_beat=TICKS_PER_QUARTER)
    midi.tracks.append(_to_track(conductor, cursor_tick, title))
    for channel in sorted(by_channel):
        midi.tracks.append(
            _to_track(by_channel[channel], cursor_tick, _channel_name(channel, names))
        )
    return midi
