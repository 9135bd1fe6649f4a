"""Pitch-class names, key names and their parsing.

Pitch classes are integers 0-11 (C=0). Names prefer the spelling of the key signature: flats in
flat keys, sharps in sharp keys. Chord symbols for MIDI text events use music21's spelling of
flats (``B-``) because ``music21.harmony.ChordSymbol`` reads ``Bb7`` as a B chord.
"""

from __future__ import annotations

import re

from soundtrack.model import Key, Mode

__all__ = [
    "LETTER_PITCH_CLASS",
    "FLAT_NAMES",
    "SHARP_NAMES",
    "key_prefers_flats",
    "key_tonic_name",
    "mido_key_name",
    "parse_key",
    "pitch_class_name",
]

SHARP_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
FLAT_NAMES = ("C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B")

_MAJOR_TONIC = ("C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
_MINOR_TONIC = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "G#", "A", "Bb", "B")
#: Pitch class (C = 0) of each natural note letter.
LETTER_PITCH_CLASS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
_KEY_PATTERN = re.compile(
    r"^\s*([A-Ga-g])\s*([#b♯♭-]?)\s*(major|minor|maj|min|m)?\s*$", re.IGNORECASE
)


def key_tonic_name(tonic_pc: int, mode: Mode) -> str:
    """Conventional spelling of a key's tonic (``Bb`` major, ``F#`` minor...)."""
    names = _MAJOR_TONIC if mode is Mode.MAJOR else _MINOR_TONIC
    return names[tonic_pc % 12]


def key_prefers_flats(key: Key) -> bool:
    """Whether the key signature of ``key`` has flats (C major / A minor count as sharp-free)."""
    relative_major = key.tonic_pc if key.mode is Mode.MAJOR else (key.tonic_pc + 3) % 12
    return relative_major in (1, 3, 5, 8, 10)


def pitch_class_name(pitch_class: int, *, flats: bool) -> str:
    """Name of a pitch class with flats (``Bb``) or sharps (``A#``)."""
    return (FLAT_NAMES if flats else SHARP_NAMES)[pitch_class % 12]


def mido_key_name(key: Key) -> str:
    """The key as mido's ``key_signature`` meta message wants it (``Bb``, ``F#m``)."""
    name = key_tonic_name(key.tonic_pc, key.mode)
    if key.mode is Mode.MINOR:
        # mido knows D#m rather than Ebm for six sharps/flats; both exist for Eb.
        return f"{name}m"
    return name


def parse_key(text: str) -> Key | None:
    """Parse ``"D minor"``, ``"Bb"``, ``"f#m"``, ``"Eb major"``; ``None`` when it is not a key.

    A bare letter is major; ``m``/``min``/``minor`` make it minor.
    """
    match = _KEY_PATTERN.match(text)
    if match is None:
        return None
    letter, accidental, mode_word = match.groups()
    tonic_pc = LETTER_PITCH_CLASS[letter.upper()]
    if accidental in ("#", "♯"):
        tonic_pc += 1
    elif accidental in ("b", "♭", "-"):
        tonic_pc -= 1
    mode = Mode.MAJOR
    if mode_word is not None and mode_word.lower() in ("m", "min", "minor"):
        mode = Mode.MINOR
    return Key(tonic_pc=tonic_pc % 12, mode=mode)
