"""Test helpers: compose a cue through the real pipeline, write it as MIDI bytes, read it back.

Style-trait tests assert what a listener gets, so they read the written file (mido), not the
engine's internal objects.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import mido

from soundtrack.export import midi_bytes
from soundtrack.export.midi import scene_midi
from soundtrack.model import Key, Mood, Saxophone
from soundtrack.pipeline import score_cue
from soundtrack.spotting import plan_sketch
from soundtrack.styles import load_style

__all__ = ["MidiNote", "WrittenCue", "write_and_read"]


@dataclass(frozen=True, slots=True)
class MidiNote:
    """A note read back from a file: ticks from the file start, channel 0-15."""

    start_tick: int
    end_tick: int
    pitch: int
    velocity: int
    channel: int


@dataclass(frozen=True, slots=True)
class WrittenCue:
    """What a written scene file holds, read with mido.

    Attributes:
        midi: the parsed file.
        tracks: track name -> its notes (sorted by start).
        programs: track name -> GM program.
        tempos_bpm: (tick, quarter notes per minute) of every set_tempo.
        time_signatures: (numerator, denominator) of every time_signature.
        keys: key_signature texts.
        chords: (tick, chord symbol text) of every text event on the conductor.
        markers: (tick, text) of every marker.
        ticks_per_bar: bar length from the first time signature.
        length_seconds: the file's length as mido computes it.
    """

    midi: mido.MidiFile
    tracks: dict[str, list[MidiNote]]
    programs: dict[str, int]
    tempos_bpm: list[tuple[int, float]]
    time_signatures: list[tuple[int, int]]
    keys: list[str]
    chords: list[tuple[int, str]]
    markers: list[tuple[int, str]]
    ticks_per_bar: int
    length_seconds: float

    def lead(self) -> list[MidiNote]:
        """The saxophone track's notes (GM programs 64-67)."""
        for name, program in self.programs.items():
            if 64 <= program <= 67:
                return self.tracks[name]
        raise KeyError("no saxophone track")

    def drums(self) -> list[MidiNote]:
        """All notes on channel 10."""
        return [note for notes in self.tracks.values() for note in notes if note.channel == 9]


def read_written(data: bytes) -> WrittenCue:
    """Parse MIDI bytes into a :class:`WrittenCue`."""
    midi = mido.MidiFile(file=io.BytesIO(data))
    tracks: dict[str, list[MidiNote]] = {}
    programs: dict[str, int] = {}
    tempos: list[tuple[int, float]] = []
    signatures: list[tuple[int, int]] = []
    keys: list[str] = []
    chords: list[tuple[int, str]] = []
    markers: list[tuple[int, str]] = []
    for index, track in enumerate(midi.tracks):
        tick = 0
        sounding: dict[tuple[int, int], tuple[int, int]] = {}
        notes: list[MidiNote] = []
        for message in track:
            tick += message.time
            kind = message.type
            if kind == "set_tempo":
                tempos.append((tick, mido.tempo2bpm(message.tempo)))
            elif kind == "time_signature":
                signatures.append((message.numerator, message.denominator))
            elif kind == "key_signature":
                keys.append(message.key)
            elif kind == "text" and index == 0:
                chords.append((tick, message.text))
            elif kind == "marker":
                markers.append((tick, message.text))
            elif kind == "program_change":
                programs[track.name] = message.program
            elif kind == "note_on" and message.velocity > 0:
                sounding[(message.channel, message.note)] = (tick, message.velocity)
            elif kind in ("note_off", "note_on"):
                start, velocity = sounding.pop((message.channel, message.note))
                notes.append(MidiNote(start, tick, message.note, velocity, message.channel))
        if index > 0:
            tracks[track.name] = sorted(notes, key=lambda note: (note.start_tick, note.pitch))
    numerator, denominator = signatures[0]
    return WrittenCue(
        midi=midi,
        tracks=tracks,
        programs=programs,
        tempos_bpm=tempos,
        time_signatures=signatures,
        keys=keys,
        chords=chords,
        markers=markers,
        ticks_per_bar=numerator * midi.ticks_per_beat * 4 // denominator,
        length_seconds=midi.length,
    )


def write_and_read(
    style_id: str,
    seed: int,
    *,
    bars: int | None = None,
    seconds: float | None = None,
    mood: Mood | None = None,
    key: Key | None = None,
    tempo_bpm: float | None = None,
    lead: Saxophone = Saxophone.ALTO,
) -> WrittenCue:
    """Compose a stand-alone cue as ``soundtrack cue`` does, write it, and read it back.

    The mix's timing humanisation (a few ticks per onset, tested in ``test_mix``) is off here:
    style traits are asserted on the rhythm as written, on its exact grid steps."""
    spec = plan_sketch(
        load_style(style_id),
        mood=mood,
        bars=bars,
        seconds=seconds,
        key=key,
        tempo_bpm=tempo_bpm,
        lead=lead,
    )
    return read_written(midi_bytes(scene_midi(score_cue(spec, seed, humanise_timing=False))))
