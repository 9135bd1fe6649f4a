"""Motif spotting: which leitmotifs sound where in a cue, played by whom, changed how.

Input: a planned :class:`~soundtrack.model.CueSpec` (sections, bar moods, tempo, key) and the
motif library. Output: the cue's :class:`~soundtrack.model.MotifPlacement` values, in bar order.
Part of the spotting stage; compose realises the placements (:mod:`soundtrack.compose.leitmotif`).

Who
    The motifs of the characters and ideas a beat names (``characters``) that have a motif, in
    the order named: the first is the beat's focus and **leads** the cue (Orlando's theme in his
    scene, the grandfather's in his); the others take turns with it. A story's main character,
    named in most beats, so states his theme in most cues, and it follows the arc.

Where
    At the starts of the cue's form sections (not the intro or ending): the first section states
    the leading motif, the next ones alternate between the other motifs and returns of the
    leading one, at most :data:`MAX_STATEMENTS` per cue. A statement never crosses its
    section's end.

Who plays it
    The leading motif sounds in the saxophone lead. A secondary motif that names a preferred
    instrument moves to a counter-line on that instrument (re-orchestration); a low motif (median
    pitch below :data:`BASS_MEDIAN_PITCH`) goes to the bass.

How (the mood at the statement's first bar decides; see :func:`choose_transforms`)
    * **Mode** follows the cue's key, which follows valence: a minor motif in a major cue is
      played in major and vice versa.
    * **Augmentation** when the notes would run faster than :data:`FASTEST_NOTE_SECONDS` at the
      cue's tempo, or in calm cues (arousal below :data:`CALM_AROUSAL`) when doubling keeps
      them singable; **diminution** when they would drag (slower than
      :data:`SLOWEST_NOTE_SECONDS`) or in excited cues (arousal above :data:`EXCITED_AROUSAL`).
    * **Fragmentation and sequence** under tension (:data:`SEQUENCE_TENSION`); a fragment alone
      in grief and exile (valence below :data:`GRIEF_VALENCE`, arousal below
      :data:`GRIEF_AROUSAL`), and whenever the whole motif does not fit its section.
    * A **return** of a motif in the same cue is developed: every other return is inverted
      under tension (:data:`INVERSION_TENSION`), so the line comes back the right way up in
      between; other returns are reharmonised.
    * **Style rhythm** in swung styles and whenever the motif's meter differs from the cue's.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence

from soundtrack.model import (
    CueSpec,
    Mood,
    Motif,
    MotifPlacement,
    Role,
    Section,
    Transform,
)
from soundtrack.styles.schema import Style
from soundtrack.units import TICKS_PER_QUARTER

__all__ = [
    "BASS_MEDIAN_PITCH",
    "MAX_STATEMENTS",
    "choose_transforms",
    "spot_motifs",
    "statement_bars",
]

#: Most motif statements in one cue.
MAX_STATEMENTS = 4
#: Secondary motifs whose median pitch is below this go to the bass.
BASS_MEDIAN_PITCH = 55
#: Median note length (seconds) below which a motif is augmented.
FASTEST_NOTE_SECONDS = 0.17
#: Median note length (seconds) above which a motif is diminished.
SLOWEST_NOTE_SECONDS = 1.1
#: Arousal below which a motif is augmented when that keeps its notes under
#: :data:`SLOWEST_NOTE_SECONDS`.
CALM_AROUSAL = 0.3
#: Arousal above which a motif is diminished when that keeps its notes over
#: :data:`FASTEST_NOTE_SECONDS`.
EXCITED_AROUSAL = 0.78
#: Tension from which a motif is fragmented and sequenced.
SEQUENCE_TENSION = 0.6
#: Valence and arousal under which a motif is only fragmented (grief, exile).
GRIEF_VALENCE = -0.3
GRIEF_AROUSAL = 0.45
#: Tension from which a returning motif is inverted (else it is reharmonised).
INVERSION_TENSION = 0.45
#: Swing amount of a style from which a motif takes the style's rhythm.
SWING_STYLE = 0.3
#: Sections that never start a statement.
_FRAME_SECTIONS = frozenset({"intro", "ending"})


def _median_note_quarters(motif: Motif) -> float:
    """Median inter-onset interval of a motif in quarter notes (its last note's length counts)."""
    starts = [note.start_tick for note in motif.notes]
    gaps = [later - earlier for earlier, later in zip(starts, starts[1:], strict=False)]
    gaps.append(motif.notes[-1].duration_ticks)
    gaps.sort()
    return gaps[len(gaps) // 2] / TICKS_PER_QUARTER


def _seconds_per_quarter(spec: CueSpec) -> float:
    """Seconds per quarter note at the cue's nominal tempo."""
    return 60.0 / (spec.tempo_bpm * spec.meter.pulse_ticks / TICKS_PER_QUARTER)


def choose_transforms(
    motif: Motif,
    *,
    spec: CueSpec,
    style: Style,
    mood: Mood,
    role: Role,
    returning: int,
) -> tuple[Transform, ...]:
    """The transforms of one statement, in the order they are applied (see the module
    docstring); ``(STATEMENT,)`` when the motif is played as written.

    Args:
        motif: the motif.
        spec: the cue.
        style: the cue's style.
        mood: the mood at the statement's first bar.
        role: who plays it.
        returning: how many times the motif was stated earlier in this cue (0 = first time).
    """
    transforms: list[Transform] = []
    if motif.key.mode != spec.key.mode:
        transforms.append(Transform.MAJOR if spec.key.mode == "major" else Transform.MINOR)
    if returning % 2 == 1 and mood.tension >= INVERSION_TENSION:
        transforms.append(Transform.INVERSION)
    if mood.tension >= SEQUENCE_TENSION:
        transforms += [Transform.FRAGMENT, Transform.SEQUENCE]
    elif mood.valence < GRIEF_VALENCE and mood.arousal < GRIEF_AROUSAL:
        transforms.append(Transform.FRAGMENT)
    note_seconds = _median_note_quarters(motif) * _seconds_per_quarter(spec)
    if note_seconds < FASTEST_NOTE_SECONDS or (
        mood.arousal < CALM_AROUSAL and 2 * note_seconds <= SLOWEST_NOTE_SECONDS
    ):
        transforms.append(Transform.AUGMENTATION)
    elif note_seconds > SLOWEST_NOTE_SECONDS or (
        mood.arousal > EXCITED_AROUSAL and note_seconds / 2 >= FASTEST_NOTE_SECONDS
    ):
        transforms.append(Transform.DIMINUTION)
    if returning and Transform.INVERSION not in transforms:
        transforms.append(Transform.REHARMONISATION)
    if style.swing >= SWING_STYLE or _meter_differs(motif, spec):
        transforms.append(Transform.STYLE_RHYTHM)
    if role is not Role.LEAD:
        transforms.append(Transform.REORCHESTRATION)
    return tuple(transforms) or (Transform.STATEMENT,)


def _meter_differs(motif: Motif, spec: CueSpec) -> bool:
    """Whether the motif's meter is not the cue's."""
    return (motif.meter.numerator, motif.meter.denominator) != (
        spec.meter.numerator,
        spec.meter.denominator,
    )


def statement_bars(motif: Motif, transforms: Sequence[Transform], spec: CueSpec) -> int:
    """Bars of the cue a statement needs (>= 1): the motif's length in quarter notes scaled by
    augmentation/diminution, halved for a fragment, tripled for a sequence (a fragment and two
    repetitions), a quarter of the motif becoming a pulse in compound meters."""
    quarters = motif.length_ticks / TICKS_PER_QUARTER
    if Transform.FRAGMENT in transforms:
        quarters /= 2
    if Transform.SEQUENCE in transforms:
        quarters *= 3
    if Transform.AUGMENTATION in transforms:
        quarters *= 2
    if Transform.DIMINUTION in transforms:
        quarters /= 2
    if spec.meter.pulse_ticks * 2 == TICKS_PER_QUARTER * 3:  # compound meter: quarter -> pulse
        quarters *= 1.5
    bar_quarters = spec.meter.bar_ticks / TICKS_PER_QUARTER
    return max(1, math.ceil(quarters / bar_quarters - 1e-9))


def _role_for(motif: Motif, *, leading: bool) -> Role:
    """Who plays a motif: the lead for the leading motif, else counter or bass (see module)."""
    if leading:
        return Role.LEAD
    pitches = sorted(note.pitch for note in motif.notes)
    if pitches[len(pitches) // 2] < BASS_MEDIAN_PITCH:
        return Role.BASS
    return Role.COUNTER if motif.program is not None else Role.LEAD


def _slots(spec: CueSpec) -> list[Section]:
    """The sections a statement may start in, in bar order."""
    return [section for section in spec.sections if section.name not in _FRAME_SECTIONS]


def spot_motifs(
    spec: CueSpec,
    style: Style,
    motifs: Mapping[str, Motif],
) -> tuple[MotifPlacement, ...]:
    """Place the leitmotifs of a cue (see the module docstring).

    Args:
        spec: the planned cue (its ``characters`` name the motifs in play).
        style: the cue's style.
        motifs: the motif library by name.

    Returns:
        The placements in bar order; empty when the beat names no motif.
    """
    present = [name for name in dict.fromkeys(spec.characters) if name in motifs]
    if not present:
        return ()
    leading, others = present[0], present[1:]
    order: list[str] = []
    turn = 0
    for index in range(len(_slots(spec))):
        if index % 2 == 0 or not others:
            order.append(leading)
        else:
            order.append(others[turn % len(others)])
            turn += 1
    placements: list[MotifPlacement] = []
    stated: Counter[str] = Counter()
    for section, name in zip(_slots(spec), order, strict=False):
        if len(placements) >= MAX_STATEMENTS:
            break
        motif = motifs[name]
        role = _role_for(motif, leading=name == leading)
        mood = spec.bar_moods[section.start_bar]
        transforms = choose_transforms(
            motif, spec=spec, style=style, mood=mood, role=role, returning=stated[name]
        )
        bars = statement_bars(motif, transforms, spec)
        if bars > section.bars and Transform.FRAGMENT not in transforms:
            transforms = _with_fragment(transforms)
            bars = statement_bars(motif, transforms, spec)
        bars = min(bars, section.bars)
        stated[name] += 1
        placements.append(
            MotifPlacement(
                motif=motif,
                role=role,
                start_bar=section.start_bar,
                bars=bars,
                transforms=transforms,
            )
        )
    return tuple(placements)


def _with_fragment(transforms: tuple[Transform, ...]) -> tuple[Transform, ...]:
    """``transforms`` with a fragment added at its place in the order of application."""
    kept = [transform for transform in transforms if transform is not Transform.STATEMENT]
    at = next(
        (
            index
            for index, transform in enumerate(kept)
            if transform not in (Transform.MAJOR, Transform.MINOR, Transform.INVERSION)
        ),
        len(kept),
    )
    kept.insert(at, Transform.FRAGMENT)
    return tuple(kept)
