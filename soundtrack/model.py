"""Value types that flow through the pipeline.

story -> :class:`Story`; mood -> :class:`MoodArc`; spotting -> :class:`CuePlan` of :class:`CueSpec`;
compose -> :class:`Cue` of :class:`Part`; mix -> :class:`Scene` of :class:`Track`.

Time inside the engine is integer ticks at :data:`soundtrack.units.TICKS_PER_QUARTER` per quarter
note; seconds appear only at the edges (story timing, tempo maps, export). All values are frozen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from soundtrack.units import TICKS_PER_QUARTER

__all__ = [
    "SAXOPHONE_PROGRAM",
    "SAXOPHONE_RANGE",
    "Beat",
    "BeatMood",
    "ChordSymbol",
    "ControlChange",
    "Cue",
    "CuePlan",
    "CueSpec",
    "Hit",
    "Key",
    "Marker",
    "Meter",
    "Mode",
    "Mood",
    "MoodArc",
    "Motif",
    "MotifPlacement",
    "MotifUse",
    "NextCue",
    "MoodTags",
    "Note",
    "Part",
    "PitchBend",
    "Role",
    "Saxophone",
    "Scene",
    "Section",
    "Story",
    "TempoChange",
    "Track",
    "Transform",
]


class Saxophone(StrEnum):
    """The saxophone that plays the lead."""

    SOPRANO = "soprano"
    ALTO = "alto"
    TENOR = "tenor"
    BARITONE = "baritone"


#: General MIDI program (0-based) of each saxophone.
SAXOPHONE_PROGRAM: dict[Saxophone, int] = {
    Saxophone.SOPRANO: 64,
    Saxophone.ALTO: 65,
    Saxophone.TENOR: 66,
    Saxophone.BARITONE: 67,
}

#: Concert-pitch MIDI range (lowest, highest) of each saxophone; all are written Bb3-F6.
SAXOPHONE_RANGE: dict[Saxophone, tuple[int, int]] = {
    Saxophone.SOPRANO: (56, 88),
    Saxophone.ALTO: (49, 81),
    Saxophone.TENOR: (44, 76),
    Saxophone.BARITONE: (37, 69),
}


class Mode(StrEnum):
    """Mode of a key (the scale the engine derives from it is the style's business)."""

    MAJOR = "major"
    MINOR = "minor"


class Role(StrEnum):
    """What a part does in the arrangement; the mix sets levels and channels by role."""

    LEAD = "lead"
    COUNTER = "counter"
    HARMONY = "harmony"
    PAD = "pad"
    BASS = "bass"
    DRUMS = "drums"


# ---------------------------------------------------------------- story


@dataclass(frozen=True, slots=True, kw_only=True)
class Mood:
    """A point of the mood space.

    Attributes:
        valence: -1 (sad) .. 1 (happy).
        arousal: 0 (calm) .. 1 (excited).
        tension: 0 (relaxed) .. 1 (suspense).
    """

    valence: float
    arousal: float
    tension: float


@dataclass(frozen=True, slots=True, kw_only=True)
class MoodTags:
    """Explicit mood values of a beat; ``None`` means "infer from the text"."""

    valence: float | None = None
    arousal: float | None = None
    tension: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Beat:
    """One scene of a story.

    Attributes:
        id: unique id, ``[a-z0-9-]``; used (sanitised) in file names.
        index: 0-based position in the story.
        title: human title.
        start_seconds: start on the story timeline, seconds from the story start.
        duration_seconds: length of the scene in seconds (> 0).
        setting: free word (e.g. ``moscow``, ``new-york``); empty when not given.
        characters: leitmotif/character names present in the beat.
        text: what happens (used to infer mood).
        mood: explicit mood tags (any subset).
        style: explicit style id, or ``None`` to choose from setting and mood.
        hits_seconds: hit points in seconds from the beat's start, sorted, inside the beat.
        music: ``False`` for a scene without a cue.
        lead: saxophone for this beat, or ``None`` for the story's default.
        key: explicit key such as ``"D minor"`` or ``"Bb"``, or ``None`` to choose.
        segue: whether the beat's cue leads into the next cue when that one starts where this
            one ends (``False``: it ends on its own at the cut, a "hard out").
    """

    id: str
    index: int
    title: str
    start_seconds: float
    duration_seconds: float
    setting: str = ""
    characters: tuple[str, ...] = ()
    text: str = ""
    mood: MoodTags = field(default_factory=MoodTags)
    style: str | None = None
    hits_seconds: tuple[float, ...] = ()
    music: bool = True
    lead: Saxophone | None = None
    key: str | None = None
    segue: bool = True

    @property
    def end_seconds(self) -> float:
        """End of the scene on the story timeline, seconds."""
        return self.start_seconds + self.duration_seconds


@dataclass(frozen=True, slots=True, kw_only=True)
class Story:
    """A validated story.

    Attributes:
        title: story title.
        seed: seed of all randomness (>= 0).
        frame_rate: frames per second: 23.976, 24, 25, 29.97 or 30.
        drop_frame: whether timecodes are shown drop-frame (29.97 only).
        lead: default saxophone.
        beats: the beats in story order (starts non-decreasing, no overlaps).
        source: where the story came from (a path, or ``<built-in>``).
        motif_folders: extra leitmotif folders (absolute paths) whose motifs add to or replace
            the built-in ones (see :mod:`soundtrack.motifs`).
    """

    title: str
    seed: int
    frame_rate: float
    lead: Saxophone
    beats: tuple[Beat, ...]
    drop_frame: bool = False
    source: str = "<built-in>"
    motif_folders: tuple[str, ...] = ()

    @property
    def duration_seconds(self) -> float:
        """End of the last beat, seconds."""
        return max((beat.end_seconds for beat in self.beats), default=0.0)


# ---------------------------------------------------------------- mood


@dataclass(frozen=True, slots=True, kw_only=True)
class BeatMood:
    """The mood of one beat and where each value came from.

    Attributes:
        beat_id: the beat.
        mood: the beat's own mood (explicit or inferred, before smoothing).
        sources: per dimension, ``"explicit"`` or ``"text"`` (or ``"default"`` when the text
            gave nothing), keyed ``valence``/``arousal``/``tension``.
    """

    beat_id: str
    mood: Mood
    sources: dict[str, str]


@dataclass(frozen=True, slots=True, kw_only=True)
class MoodArc:
    """A continuous mood curve over story time.

    The curve passes through each beat's mood over the middle of the beat and blends smoothly
    between neighbouring beats (see :mod:`soundtrack.mood`).

    Attributes:
        beats: one :class:`BeatMood` per beat, story order.
        knot_seconds: increasing times (seconds) of the curve's knots.
        knot_moods: mood at each knot; between knots the curve is interpolated.
    """

    beats: tuple[BeatMood, ...]
    knot_seconds: tuple[float, ...]
    knot_moods: tuple[Mood, ...]

    def beat(self, beat_id: str) -> BeatMood:
        """The :class:`BeatMood` of a beat id (KeyError when unknown)."""
        for beat_mood in self.beats:
            if beat_mood.beat_id == beat_id:
                return beat_mood
        raise KeyError(beat_id)


# ---------------------------------------------------------------- spotting


@dataclass(frozen=True, slots=True, kw_only=True)
class Key:
    """A key: tonic pitch class 0-11 (C=0) and mode."""

    tonic_pc: int
    mode: Mode

    @property
    def name(self) -> str:
        """Human name with flats preferred, e.g. ``"Bb major"``, ``"F# minor"``."""
        from soundtrack.pitch import key_tonic_name

        return f"{key_tonic_name(self.tonic_pc, self.mode)} {self.mode.value}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Meter:
    """A time signature and its counted pulse.

    Attributes:
        numerator: beats per bar as written (2, 3, 4, 6, 12 ...).
        denominator: note value of the written beat (2, 4, 8).
        pulse_ticks: length of the counted pulse in ticks (a quarter in 4/4, a half in 2/2,
            a dotted quarter in 6/8); tempos in bpm count this pulse.
    """

    numerator: int
    denominator: int
    pulse_ticks: int

    @property
    def bar_ticks(self) -> int:
        """Length of one bar in ticks."""
        return self.numerator * TICKS_PER_QUARTER * 4 // self.denominator

    @property
    def pulses_per_bar(self) -> int:
        """Counted pulses per bar (2 in 6/8, 4 in 4/4, 2 in 2/2)."""
        return self.bar_ticks // self.pulse_ticks

    @property
    def text(self) -> str:
        """``"4/4"`` style text."""
        return f"{self.numerator}/{self.denominator}"


@dataclass(frozen=True, slots=True, kw_only=True)
class TempoChange:
    """A tempo from ``start_tick`` on.

    Attributes:
        start_tick: where the tempo starts, ticks from the cue start.
        microseconds_per_quarter: MIDI tempo (integer, as written to the file).
    """

    start_tick: int
    microseconds_per_quarter: int

    @property
    def quarter_bpm(self) -> float:
        """Quarter notes per minute."""
        return 60_000_000 / self.microseconds_per_quarter


@dataclass(frozen=True, slots=True, kw_only=True)
class Section:
    """A formal section of a cue: ``name`` (``A``, ``B``, ``trio``, ``ending``...) over bars
    ``start_bar`` (0-based) .. ``start_bar + bars - 1``."""

    name: str
    start_bar: int
    bars: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Hit:
    """A hit point inside a cue.

    Attributes:
        seconds: the requested time, seconds from the cue start.
        tick: the pulse it was fitted to, ticks from the cue start.
        error_seconds: fitted time minus requested time, seconds.
    """

    seconds: float
    tick: int
    error_seconds: float


class Transform(StrEnum):
    """One way a leitmotif is changed to fit a cue (a use may combine several)."""

    #: the melody as written, moved to the cue's key (always applied; named when nothing else is).
    STATEMENT = "statement"
    #: mode change to major (the motif's scale degrees mapped onto the major scale).
    MAJOR = "major"
    #: mode change to minor (natural minor, raised 7th before the tonic).
    MINOR = "minor"
    #: note values doubled (slow, calm cues).
    AUGMENTATION = "augmentation"
    #: note values halved (fast, excited cues).
    DIMINUTION = "diminution"
    #: only the head of the motif (its first notes).
    FRAGMENT = "fragment"
    #: the (fragment of the) motif repeated a scale step higher or lower each time.
    SEQUENCE = "sequence"
    #: intervals mirrored (diatonic inversion around the first note).
    INVERSION = "inversion"
    #: the bars of the motif get other chords than the cue's own progression.
    REHARMONISATION = "reharmonisation"
    #: played by another part than the lead (counter-line or bass).
    REORCHESTRATION = "reorchestration"
    #: rhythm moved onto the style's grid and feel (swing, clave, dotted).
    STYLE_RHYTHM = "style-rhythm"


@dataclass(frozen=True, slots=True, kw_only=True)
class Motif:
    """A leitmotif as read from its file.

    Attributes:
        name: identifier, ``[a-z0-9-]+``; the name stories use in ``characters``.
        title: display title ("Vladimir's theme").
        stands_for: what the motif stands for, one sentence.
        key: the key the melody is written in.
        meter: the melody's meter (its tinyNotation time signature, default 4/4).
        melody: the tinyNotation source text.
        notes: the melody's notes (ticks from the motif start, concert MIDI pitch as written,
            velocity 1-127 with accents), sorted, not overlapping.
        length_ticks: the motif's length including trailing rests, a whole number of bars.
        harmony: optional chords, one Roman numeral per bar relative to ``key`` (``i``, ``iv``,
            ``V7``, ``bVI``...); empty when the motif leaves harmony to the cue.
        instrument: preferred instrument when the motif leaves the lead (display name).
        program: General MIDI program 0-127 of ``instrument``, or None (the cue's counter part).
        source: where it was read from (a path, or ``<built-in>``).
    """

    name: str
    title: str
    stands_for: str
    key: Key
    meter: Meter
    melody: str
    notes: tuple[Note, ...]
    length_ticks: int
    harmony: tuple[str, ...] = ()
    instrument: str = ""
    program: int | None = None
    source: str = "<built-in>"

    @property
    def bars(self) -> int:
        """Length in bars of the motif's own meter."""
        return self.length_ticks // self.meter.bar_ticks


@dataclass(frozen=True, slots=True, kw_only=True)
class MotifPlacement:
    """Spotting's plan for one appearance of a leitmotif in a cue.

    Attributes:
        motif: the motif.
        role: the part that plays it: ``lead``, ``counter`` or ``bass``.
        start_bar: first bar (0-based) of the cue it sounds in.
        bars: number of bars it may take (>= 1).
        transforms: what to do to it, in the order applied (see :class:`Transform`).
    """

    motif: Motif
    role: Role
    start_bar: int
    bars: int
    transforms: tuple[Transform, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class MotifUse:
    """What compose did with a placement; recorded in the cue sheet.

    Attributes:
        name: the motif's name.
        part: the track name that plays it.
        role: that part's role.
        start_bar: first bar (0-based) of the statement in the cue.
        bars: bars it spans (>= 1).
        transforms: the transforms applied.
        similarity: contour/rhythm similarity of the statement with the motif as written, 0..1.
    """

    name: str
    part: str
    role: Role
    start_bar: int
    bars: int
    transforms: tuple[Transform, ...]
    similarity: float

    @property
    def transform(self) -> str:
        """The transforms joined with ``+`` (``minor+fragment+sequence``)."""
        return "+".join(str(transform) for transform in self.transforms) or "statement"


@dataclass(frozen=True, slots=True, kw_only=True)
class NextCue:
    """The cue that starts exactly where a cue ends (no silence between), so the end of the
    first can prepare it: its ``key``, ``tempo_bpm`` (its first tempo, quarter notes per
    minute), ``style`` and ``meter``."""

    cue_id: str
    key: Key
    tempo_bpm: float
    style: str
    meter: Meter


@dataclass(frozen=True, slots=True, kw_only=True)
class CueSpec:
    """Everything compose needs to write one cue.

    Attributes:
        cue_id: film cue number, ``1M1``, ``1M2``...
        beat_id: the beat this cue scores.
        beat_index: the beat's 0-based index in the story.
        title: cue title (the beat title).
        style: style id.
        key: the cue's key.
        meter: the cue's meter.
        tempo_bpm: nominal tempo in counted pulses per minute (the body of the cue).
        tempo_map: tempo changes, first at tick 0, increasing ticks.
        bars: number of bars; the last bar ends at ``end_tick``.
        end_tick: cue length in ticks (= ``bars * meter.bar_ticks``).
        sections: formal sections covering bars 0..bars-1 without gaps.
        hits: hit points fitted to pulses.
        mood: the mood at the middle of the cue.
        bar_moods: the arc sampled at the middle of every bar (len = ``bars``), for dynamics.
        lead: the saxophone playing the lead.
        start_seconds: start on the story timeline, seconds.
        duration_seconds: exact scene length, seconds.
        characters: characters/ideas present (motif names).
        seed_key: spawn key that identifies this cue's randomness (derived from the beat id).
        motifs: the leitmotifs planned for this cue, in bar order.
        next_cue: the cue that follows without silence (None: silence or the story's end).
        after_silence: the cue starts after silence or at the story's start (so it may open
            with a pickup), rather than straight out of another cue.
    """

    cue_id: str
    beat_id: str
    beat_index: int
    title: str
    style: str
    key: Key
    meter: Meter
    tempo_bpm: float
    tempo_map: tuple[TempoChange, ...]
    bars: int
    end_tick: int
    sections: tuple[Section, ...]
    hits: tuple[Hit, ...]
    mood: Mood
    bar_moods: tuple[Mood, ...]
    lead: Saxophone
    start_seconds: float
    duration_seconds: float
    characters: tuple[str, ...] = ()
    seed_key: tuple[int, ...] = ()
    motifs: tuple[MotifPlacement, ...] = ()
    next_cue: NextCue | None = None
    after_silence: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class CuePlan:
    """The spotting result for a whole story: one :class:`CueSpec` per beat with music."""

    story: Story
    cues: tuple[CueSpec, ...]


# ---------------------------------------------------------------- compose


@dataclass(frozen=True, slots=True, kw_only=True)
class Note:
    """A note: ``start_tick`` and ``duration_ticks`` (> 0) from the cue start, MIDI ``pitch``
    0-127 (concert pitch; GM drum note for drums) and ``velocity`` 1-127."""

    start_tick: int
    duration_ticks: int
    pitch: int
    velocity: int

    @property
    def end_tick(self) -> int:
        """First tick after the note."""
        return self.start_tick + self.duration_ticks


@dataclass(frozen=True, slots=True, kw_only=True)
class PitchBend:
    """A pitch-bend value at ``tick``: -8192..8191 (0 = no bend)."""

    tick: int
    value: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ControlChange:
    """A MIDI controller value at ``tick``: ``control`` 0-127, ``value`` 0-127."""

    tick: int
    control: int
    value: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ChordSymbol:
    """A chord of the harmony track.

    Attributes:
        start_tick: where the chord starts.
        duration_ticks: how long it lasts.
        root_pc: root pitch class 0-11.
        quality: quality suffix as written in the symbol (``""``, ``m``, ``7``, ``maj7``,
            ``m7b5``...).
        pitch_classes: the chord's pitch classes, root first.
        symbol: text written to MIDI, parseable by ``music21.harmony.ChordSymbol`` (flats as ``-``,
            e.g. ``B-maj7``).
    """

    start_tick: int
    duration_ticks: int
    root_pc: int
    quality: str
    pitch_classes: tuple[int, ...]
    symbol: str

    @property
    def end_tick(self) -> int:
        """First tick after the chord."""
        return self.start_tick + self.duration_ticks


@dataclass(frozen=True, slots=True, kw_only=True)
class Part:
    """One instrument's line in a cue.

    Attributes:
        name: instrument name shown as the track name (``Alto Sax``, ``Tuba``...).
        role: what the part does.
        program: General MIDI program 0-127 (ignored for drums).
        is_drums: whether the part is the drum kit (channel 10).
        notes: notes sorted by start tick; no two notes of the same pitch overlap.
        low_pitch: lowest allowed MIDI pitch of the instrument.
        high_pitch: highest allowed MIDI pitch.
        bends: pitch-bend events (sorted), for scoops/falls/vibrato.
        bend_range_semitones: pitch-bend range to set with RPN 0.
        controls: controller events (sorted), e.g. expression CC11.
    """

    name: str
    role: Role
    program: int
    notes: tuple[Note, ...]
    low_pitch: int
    high_pitch: int
    is_drums: bool = False
    bends: tuple[PitchBend, ...] = ()
    bend_range_semitones: int = 2
    controls: tuple[ControlChange, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Cue:
    """A composed cue: its spec, its parts, its chord symbols, the leitmotifs it states and the
    lead's pickup into it (notes at negative ticks, ending at 0; empty unless the cue starts
    after silence)."""

    spec: CueSpec
    parts: tuple[Part, ...]
    chords: tuple[ChordSymbol, ...]
    motifs: tuple[MotifUse, ...] = ()
    pickup: tuple[Note, ...] = ()


# ---------------------------------------------------------------- mix


@dataclass(frozen=True, slots=True, kw_only=True)
class Track:
    """A mixed track of a scene.

    Attributes:
        name: track name.
        role: the role of its part.
        channel: MIDI channel 0-15 (9 = drums).
        program: GM program 0-127.
        volume: CC7 0-127.
        pan: CC10 0-127 (64 = centre).
        reverb: CC91 0-127.
        notes: the notes, ticks from the scene start.
        bends: pitch bends.
        bend_range_semitones: pitch-bend range (RPN 0).
        controls: other controller events (expression...).
    """

    name: str
    role: Role
    channel: int
    program: int
    volume: int
    pan: int
    reverb: int
    notes: tuple[Note, ...]
    bends: tuple[PitchBend, ...] = ()
    bend_range_semitones: int = 2
    controls: tuple[ControlChange, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Marker:
    """A marker on the conductor track: ``text`` at ``tick``."""

    tick: int
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Scene:
    """A scene ready to export: the cue's spec, its tracks, chords, markers (ticks from the
    scene start), the leitmotifs it states and the lead's pickup (see :class:`Cue`; only the
    story timeline plays it, in the silence before the scene)."""

    spec: CueSpec
    tracks: tuple[Track, ...]
    chords: tuple[ChordSymbol, ...]
    markers: tuple[Marker, ...]
    motifs: tuple[MotifUse, ...] = ()
    pickup: tuple[Note, ...] = ()
