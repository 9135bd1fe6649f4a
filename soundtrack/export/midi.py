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
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import mido

from soundtrack.compose.harmony import make_chord
from soundtrack.datafile import default_pulse_ticks
from soundtrack.errors import ExportError
from soundtrack.model import (
    SAXOPHONE_PROGRAM,
    ChordSymbol,
    CueSpec,
    Hit,
    Key,
    Marker,
    Meter,
    Mode,
    Mood,
    Note,
    Role,
    Saxophone,
    Scene,
    Section,
    TempoChange,
    Track,
)
from soundtrack.pitch import LETTER_PITCH_CLASS, mido_key_name, parse_key
from soundtrack.styles.schema import CHORD_QUALITIES
from soundtrack.units import TICKS_PER_QUARTER, tempo_map_seconds

__all__ = ["SILENCE_MICROSECONDS_PER_QUARTER", "read_scene", "scene_midi", "score_midi"]

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


# ---------------------------------------------------------------- reading


_CHORD_TEXT = re.compile(r"^([A-G])([-#]?)(.*)$")
_HIT_TEXT = re.compile(r"^HIT \d+ \((-?[0-9.]+) s\)$")


def _chord_from_text(text: str, start_tick: int, end_tick: int) -> ChordSymbol | None:
    """A chord symbol written by :func:`scene_midi` (``B-maj7``), or None for other text."""
    match = _CHORD_TEXT.match(text)
    if match is None or end_tick <= start_tick:
        return None
    quality = next(
        (name for name, item in CHORD_QUALITIES.items() if item.suffix == match.group(3)), None
    )
    if quality is None:
        return None
    root_pc = (LETTER_PITCH_CLASS[match.group(1)] + {"-": -1, "#": 1, "": 0}[match.group(2)]) % 12
    return make_chord(
        root_pc,
        quality,
        start_tick=start_tick,
        duration_ticks=end_tick - start_tick,
        root_name=match.group(1) + match.group(2),
    )


def read_scene(data: bytes, *, source: str) -> Scene:
    """Read a scene file back (the inverse of :func:`scene_midi`, for previews).

    Reads the conductor (title, tempo map, meter, key, section and hit markers, chord symbols) and
    every track with notes (name, channel, program, CC7/CC10/CC91, notes; channel 10 is drums).
    What a MIDI file does not hold is filled in neutrally: the style is ``""``, the mood 0/0.5/0.5,
    the lead the saxophone whose program the first saxophone track has (alto when none).

    Args:
        data: the file's bytes (a type-0 or type-1 standard MIDI file).
        source: the file's name, for messages.

    Raises:
        ExportError: when the data is not a readable MIDI file or holds no notes.
    """
    try:
        midi = mido.MidiFile(file=io.BytesIO(data))
    except (OSError, ValueError, EOFError, KeyError, IndexError) as error:
        raise ExportError(f"{source}: expected a standard MIDI file ({error})") from None
    scale = TICKS_PER_QUARTER / midi.ticks_per_beat
    title = Path(source).stem
    tempos: list[TempoChange] = []
    meter = Meter(numerator=4, denominator=4, pulse_ticks=TICKS_PER_QUARTER)
    key = Key(tonic_pc=0, mode=Mode.MAJOR)
    texts: list[tuple[int, str, str]] = []
    tracks: list[Track] = []
    end_tick = 0
    for index, midi_track in enumerate(midi.tracks):
        tick = 0
        sounding: dict[tuple[int, int], tuple[int, int]] = {}
        notes: list[tuple[int, Note]] = []
        programs: dict[int, int] = {}
        controls: dict[tuple[int, int], int] = {}
        for message in midi_track:
            tick += message.time
            at = round(tick * scale)
            end_tick = max(end_tick, at)
            kind = message.type
            if kind == "track_name" and index == 0:
                title = message.name or title
            elif kind == "set_tempo":
                tempos.append(TempoChange(start_tick=at, microseconds_per_quarter=message.tempo))
            elif kind == "time_signature" and at == 0:
                meter = Meter(
                    numerator=message.numerator,
                    denominator=message.denominator,
                    pulse_ticks=default_pulse_ticks(message.numerator, message.denominator),
                )
            elif kind == "key_signature" and at == 0:
                key = parse_key(message.key) or key
            elif kind in ("marker", "text"):
                texts.append((at, kind, message.text))
            elif kind == "program_change":
                programs.setdefault(message.channel, message.program)
            elif kind == "control_change" and message.control in (7, 10, 91):
                controls.setdefault((message.channel, message.control), message.value)
            elif kind == "note_on" and message.velocity > 0:
                sounding[(message.channel, message.note)] = (at, message.velocity)
            elif kind in ("note_on", "note_off"):
                started = sounding.pop((message.channel, message.note), None)
                if started is not None and at > started[0]:
                    note = Note(
                        start_tick=started[0],
                        duration_ticks=at - started[0],
                        pitch=message.note,
                        velocity=started[1],
                    )
                    notes.append((message.channel, note))
        if notes:
            channel = notes[0][0]
            program = programs.get(channel, 0)
            is_sax = channel != 9 and 64 <= program <= 67
            tracks.append(
                Track(
                    name=midi_track.name or f"Track {index}",
                    role=Role.DRUMS if channel == 9 else Role.LEAD if is_sax else Role.HARMONY,
                    channel=channel,
                    program=program,
                    volume=controls.get((channel, 7), 100),
                    pan=controls.get((channel, 10), 64),
                    reverb=controls.get((channel, 91), 40),
                    notes=tuple(
                        sorted((n for _, n in notes), key=lambda n: (n.start_tick, n.pitch))
                    ),
                )
            )
    if not tracks:
        raise ExportError(f"{source}: expected a MIDI file with notes, found none")
    lead = next(
        (
            saxophone
            for saxophone, program in SAXOPHONE_PROGRAM.items()
            for track in tracks
            if track.program == program and track.channel != 9
        ),
        Saxophone.ALTO,
    )
    if not tempos or tempos[0].start_tick != 0:
        tempos.insert(0, TempoChange(start_tick=0, microseconds_per_quarter=500_000))
    bars = max(1, -(-end_tick // meter.bar_ticks))
    end_tick = bars * meter.bar_ticks if end_tick % meter.bar_ticks else end_tick
    markers = tuple(
        Marker(tick=at, text=text) for at, kind, text in sorted(texts) if kind == "marker"
    )
    chord_texts = [(at, text) for at, kind, text in sorted(texts) if kind == "text"]
    chords = tuple(
        chord
        for (at, text), following in zip(
            chord_texts, [*(at for at, _ in chord_texts[1:]), end_tick], strict=True
        )
        if (chord := _chord_from_text(text, at, following)) is not None
    )
    sections = _sections_from_markers(markers, meter.bar_ticks, bars)
    pairs = [(change.start_tick, change.microseconds_per_quarter) for change in tempos]
    hits = tuple(
        Hit(seconds=tempo_map_seconds(marker.tick, pairs), tick=marker.tick, error_seconds=0.0)
        for marker in markers
        if _HIT_TEXT.match(marker.text)
    )
    seconds = tempo_map_seconds(end_tick, pairs)
    neutral = Mood(valence=0.0, arousal=0.5, tension=0.5)
    spec = CueSpec(
        cue_id=title.split(" ", 1)[0] if _CUE_NUMBER.match(title) else "",
        beat_id=Path(source).stem,
        beat_index=0,
        title=title,
        style="",
        key=key,
        meter=meter,
        tempo_bpm=round(tempos[0].quarter_bpm * TICKS_PER_QUARTER / meter.pulse_ticks, 2),
        tempo_map=tuple(tempos),
        bars=bars,
        end_tick=end_tick,
        sections=sections,
        hits=hits,
        mood=neutral,
        bar_moods=(neutral,) * bars,
        lead=lead,
        start_seconds=0.0,
        duration_seconds=seconds,
    )
    return Scene(spec=spec, tracks=tuple(tracks), chords=chords, markers=markers)


_CUE_NUMBER = re.compile(r"^\d+M\d+[A-Z]? ")


def _sections_from_markers(
    markers: Sequence[Marker], bar_ticks: int, bars: int
) -> tuple[Section, ...]:
    """Sections from the section markers (not hits or motifs), covering every bar."""
    starts = [
        (marker.tick // bar_ticks, marker.text)
        for marker in markers
        if not marker.text.startswith(("HIT ", "MOTIF ")) and marker.tick % bar_ticks == 0
    ]
    if not starts or starts[0][0] != 0:
        starts.insert(0, (0, "A"))
    sections = []
    for (bar, name), following in zip(starts, [*(b for b, _ in starts[1:]), bars], strict=True):
        if following > bar:
            sections.append(Section(name=name, start_bar=bar, bars=following - bar))
    return tuple(sections)
