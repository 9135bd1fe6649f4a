"""The shape of a style: what a style data file (``soundtrack/styles/<id>.toml``) declares.

Spotting reads the planning fields (meter, tempo range, settings, prototype mood, keys, form);
compose reads the rest (instruments, harmony, grooves, lead idioms). The loader in
:mod:`soundtrack.styles` builds these values from the TOML files and reports every problem.
"""

from __future__ import annotations

from dataclasses import dataclass

from soundtrack.model import Meter, Mode, Mood

__all__ = ["FormSection", "LeadStyle", "Style"]


@dataclass(frozen=True, slots=True, kw_only=True)
class FormSection:
    """One section of a style's form: ``name`` (``A``, ``B``, ``trio``...) lasting ``bars`` bars."""

    name: str
    bars: int


@dataclass(frozen=True, slots=True, kw_only=True)
class LeadStyle:
    """How the saxophone lead plays in a style (the ``[lead]`` table of a style file).

    Owned by :mod:`soundtrack.compose.lead`; every field has a default so a style file names only
    what differs. The loader builds it from the table's keys (an unknown key is an error).
    """

    swing: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Style:
    """A musical style, interpreted by spotting and compose.

    Planning fields (used by :mod:`soundtrack.spotting`):
        id: style id (file stem), e.g. ``circus-galop``.
        name: display name.
        description: one line for ``soundtrack styles``.
        meter: the style's meter (and its counted pulse).
        tempo_min_bpm, tempo_max_bpm: allowed tempo range in counted pulses per minute.
        settings: setting words that favour this style (``moscow``, ``new-york``...).
        mood: prototype mood; spotting picks the style nearest the beat's mood.
        tonics: preferred tonic pitch classes (0-11), best first.
        modes: allowed modes; the first that fits the valence is used.
        form: the form cycle; spotting repeats it to fill the cue.
        ritardando: whether cues of this style slow down into the final chord.
        reverb: reverb send (CC91, 0-127) the mix gives this style.

    Compose fields:
        lead: the saxophone lead's idioms.
    """

    id: str
    name: str
    description: str
    meter: Meter
    tempo_min_bpm: float
    tempo_max_bpm: float
    settings: tuple[str, ...]
    mood: Mood
    tonics: tuple[int, ...]
    modes: tuple[Mode, ...]
    form: tuple[FormSection, ...]
    ritardando: bool = True
    reverb: int = 40
    lead: LeadStyle = LeadStyle()
