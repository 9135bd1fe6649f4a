"""Mix: orchestrate a composed cue into the tracks of a scene.

Input: a :class:`~soundtrack.model.Cue`, its style and a random generator. Output: a
:class:`~soundtrack.model.Scene` whose tracks have a MIDI channel, program, level (CC7), pan
(CC10), reverb send (CC91) and an expression curve (CC11), plus the conductor's markers: one per
section, one per hit point and one at the start of every leitmotif statement (``MOTIF name
(transform, part)``, :mod:`~soundtrack.mix.markers`). The scoring craft that needs the whole
cue happens here, in this order:

1. **General MIDI drum kit** (:func:`map_drum_kit`). General MIDI level 1 has one drum kit: the
   program change on channel 10 picks a kit only in GS/GM2 players. The kits whose keys mean what
   GM1's standard kit means (standard 0, room 8, power 16, electronic 24, TR-808 25, jazz 32,
   brush 40) keep their program, so a GS player picks the brushes and a GM1 player still hears
   the right drums. Any other kit is reset to the standard kit (0). The orchestra kit (48) puts
   timpani on keys 41-53: its toms (the styles' ``floor-tom``... ``high-tom``) move to a melodic
   ``Timpani`` track (GM program 47), the low drum tuned to the key's tonic and the others to its
   dominant (F2-A3), as a timpanist tunes two drums; its cymbals, snare and bass drum stay on
   channel 10. Drum notes outside GM1's percussion keys (35-81) are dropped.
2. **Texture** (:func:`section_levels`): each section gets a level from its energy (mean arousal
   plus 0.3 x mean tension) against the style's usual energy (its prototype mood's): 0 (calm,
   0.45 below), 1 (0.3 below) or 2 (full: a style sounds as written around its own mood); in a
   cue whose sections differ in energy by 0.12 or more, the calmest third of the range goes one
   level down (two from 0.35), so sections contrast. Level 1 rests the
   second and further ``harmony`` parts; level 0 also rests ``counter`` lines (not while they
   state a leitmotif), the ``pad`` parts where the first ``harmony`` part (the style's own
   comping: the bolero's guitar, the lament's balalaika) carries the chords, and the drums keep
   only their time (ride, hi-hat, claves, shakers). Lead, bass and the first harmony part always
   play.
3. **Hits** (``spec.hits``), exactly on the hit tick: a crash (GM 49) on the drum track (a small
   ``Hits`` track on channel 10 when the cue has no kit), the notes starting there accented, a
   short tutti chord stab (the chord sounding there) in every ``harmony`` and ``pad`` part that
   has no note starting there; the lead-in is a drum fill in the style's idiom over the pulse
   before the hit and a crescendo over the bar before (see 7).
4. **Velocities** follow the arc inside the cue: each note is scaled by ``1 + 0.4 (a - ā) +
   0.15 (t - t̄)`` (arousal and tension interpolated between bar centres, bars over the cue's
   means), so contrasts inside a cue widen while the cue's overall level (set by compose) stays.
5. **No silence** over :data:`MAX_SILENCE_SECONDS` inside a cue: a rested part comes back over
   such a gap; else the notes that ended last ring on through it (or a soft chord fills a gap
   with nothing before it).
6. **Humanisation**, deterministic for the generator: velocity jitter (+-
   :data:`VELOCITY_JITTER`) and, with ``humanise_timing`` (default :data:`HUMANISE_TIMING`, on),
   timing jitter per onset (normal, drums tight, see :data:`TIMING_JITTER_TICKS`).
   The lead keeps compose's timing (it is already performed: swing, the style's lay-back behind
   the beat -- ``lead.lay_back_ms`` of every swing style -- and pitch bends tied to the notes).
   Notes on a hit tick or on tick 0 never move; no note moves before 0, past the end of the cue,
   or onto or over another note of the same pitch in its track.
7. **Expression** (CC11, :func:`expression_curve`) on every melodic track, one event per beat
   (at most a quarter note) when the value changes: ``92 + 24 arousal + 6 tension`` interpolated
   between bar centres (about 4 dB from the calmest to the most excited bar, on top of the
   velocities; this floor keeps grief cues 16-17 dB under a chase rather than 20), a crescendo
   over the bar before each hit (a dip, then up to +20 on the hit) and before a section that
   raises the energy, released over the beat after. A CC11 stream a
   part already has is multiplied in, so a track never has two. While the lead states a
   leitmotif, the chord parts (harmony, pad, counter) step back by
   :data:`~soundtrack.mix.dynamics.THEME_DUCK` (about 3 dB) so the theme sits in front.

Channels are given by role so that the whole-story timeline can keep one track per channel:
the lead on channel 1 (index 0), the bass on 2, drums on 10 (index 9), every other part on the next
free channel in part order. Levels are set by role (:data:`LEVEL_BY_ROLE`: lead in front, pads
behind; checked by ``benchmarks/mix_balance.py``); harmony parts are spread left and right around
the centre by :data:`PAN_SPREAD` scaled by the style's ``pan_width``; the reverb send is the
style's, less for bass and drums.

Where each concern lives: :mod:`~soundtrack.mix.kit` (1), :mod:`~soundtrack.mix.texture` (2),
:mod:`~soundtrack.mix.hits` (3), :mod:`~soundtrack.mix.dynamics` (4 and 7),
:mod:`~soundtrack.mix.gaps` (5), :mod:`~soundtrack.mix.humanise` (6),
:mod:`~soundtrack.mix.levels` (channels, levels, pans, reverb), :mod:`~soundtrack.mix.markers`
(the conductor's markers); :mod:`~soundtrack.mix.lines` holds the mutable form of a part the
steps edit and their shared helpers, :mod:`~soundtrack.mix.arc` the mood arc as a function of
the tick. This module runs the steps in order (:func:`mix_scene`).
"""

from __future__ import annotations

import numpy as np

from soundtrack.mix.arc import Arc
from soundtrack.mix.dynamics import (
    DUCKED_ROLES,
    EXPRESSION_CONTROL,
    ducked_curve,
    expression_curve,
    merged_expression,
    shape_velocities,
)
from soundtrack.mix.gaps import MAX_SILENCE_SECONDS, fill_silences
from soundtrack.mix.hits import add_hits
from soundtrack.mix.humanise import HUMANISE_TIMING, humanise
from soundtrack.mix.kit import GM_COMPATIBLE_KITS, GM_PERCUSSION_RANGE, map_drum_kit
from soundtrack.mix.levels import DRUM_CHANNEL, LEVEL_BY_ROLE, PAN_SPREAD, channel_strips
from soundtrack.mix.lines import Line
from soundtrack.mix.markers import scene_markers
from soundtrack.mix.texture import TIME_KEEPERS, section_levels, thin_sections
from soundtrack.model import Cue, Role, Scene, Track
from soundtrack.styles.schema import Style

__all__ = [
    "DRUM_CHANNEL",
    "EXPRESSION_CONTROL",
    "GM_COMPATIBLE_KITS",
    "GM_PERCUSSION_RANGE",
    "HUMANISE_TIMING",
    "LEVEL_BY_ROLE",
    "MAX_SILENCE_SECONDS",
    "PAN_SPREAD",
    "TIME_KEEPERS",
    "expression_curve",
    "map_drum_kit",
    "mix_scene",
    "section_levels",
]


def mix_scene(
    cue: Cue,
    style: Style,
    *,
    rng: np.random.Generator,
    humanise_timing: bool = HUMANISE_TIMING,
) -> Scene:
    """Turn a cue into a scene: drum kit, texture, hits, dynamics, humanisation, expression,
    channels, levels, pans, reverb sends and markers (sections, hits, leitmotif statements; see
    the module docstring).

    Args:
        cue: the composed cue.
        style: its style (drum idiom, pan width, reverb send).
        rng: the mix's own generator (humanisation); same cue and generator state give an equal
            scene.
        humanise_timing: move onsets by a few ticks (see :data:`HUMANISE_TIMING`).

    Returns:
        The scene; track order is the cue's part order (the lead first), a ``Timpani`` track
        after an orchestra kit, a ``Hits`` kit last when needed. Every note lies inside
        ``0 .. spec.end_tick``; no two notes of one pitch overlap in a track.
    """
    spec = cue.spec
    lines: list[Line] = []
    emptied: list[Line] = []  # kits left without notes by the timpani: dropped if still empty
    for part in cue.parts:
        if part.is_drums:
            kit, timpani = map_drum_kit(part, spec.key, spec.end_tick)
            lines.append(Line.of(kit))
            if timpani is not None:
                lines.append(Line.of(timpani))
                if not kit.notes:
                    emptied.append(lines[-2])
        else:
            lines.append(Line.of(part))
    arc = Arc.of(spec)
    thin_sections(lines, cue, style)
    lines = add_hits(lines, cue, style)
    shape_velocities(lines, arc)
    fill_silences(lines, cue)
    humanise(lines, spec, rng, timing=humanise_timing)
    lines = [line for line in lines if line.notes or not any(line is kit for kit in emptied)]
    curve = expression_curve(spec)
    bar_ticks = spec.meter.bar_ticks
    theme_windows = [
        (use.start_bar * bar_ticks, (use.start_bar + use.bars) * bar_ticks)
        for use in cue.motifs
        if use.role is Role.LEAD
    ]
    ducked = ducked_curve(curve, theme_windows)
    tracks = tuple(
        Track(
            name=line.name,
            role=line.role,
            channel=strip.channel,
            program=line.program,
            volume=strip.volume,
            pan=strip.pan,
            reverb=strip.reverb,
            notes=line.frozen_notes(),
            bends=line.bends,
            bend_range_semitones=line.bend_range_semitones,
            controls=line.controls
            if line.is_drums
            else merged_expression(ducked if line.role in DUCKED_ROLES else curve, line.controls),
        )
        for line, strip in zip(lines, channel_strips(lines, style), strict=True)
    )
    return Scene(
        spec=spec,
        tracks=tracks,
        chords=cue.chords,
        markers=scene_markers(spec, cue.motifs),
        motifs=cue.motifs,
        pickup=cue.pickup,
    )
