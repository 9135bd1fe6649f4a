"""soundtrack: score a story with saxophone-led multi-track MIDI cues.

The pipeline, one stage per module, data flowing one way::

    load_story(path) -> Story                       soundtrack.story
    mood_arc(story) -> MoodArc                      soundtrack.mood
    plan_cues(story, arc) -> CuePlan                soundtrack.spotting (motifs placed by
                                                    soundtrack.motif_spotting)
    compose_cue(spec, rng=...) -> Cue               soundtrack.compose
    mix_scene(cue, style, rng=...) -> Scene         soundtrack.mix
    write_story(scored, folder) / write_scene(...)  soundtrack.export

:func:`score_story` runs the in-memory stages for a whole story.
"""

from soundtrack.compose import compose_cue
from soundtrack.errors import (
    ExportError,
    MotifError,
    Problem,
    SoundtrackError,
    StoryError,
    StyleError,
)
from soundtrack.export import story_files, write_scene, write_story
from soundtrack.mix import mix_scene
from soundtrack.model import (
    Beat,
    ChordSymbol,
    Cue,
    CuePlan,
    CueSpec,
    Key,
    Meter,
    Mode,
    Mood,
    MoodArc,
    Motif,
    MotifPlacement,
    MotifUse,
    Note,
    Part,
    Role,
    Saxophone,
    Scene,
    Story,
    Track,
    Transform,
)
from soundtrack.mood import infer_mood, mood_arc, mood_at
from soundtrack.motifs import list_motifs, load_motif, read_motif
from soundtrack.pipeline import ScoredStory, score_cue, score_story
from soundtrack.spotting import cue_rng, plan_cue, plan_cues
from soundtrack.story import load_story, parse_story
from soundtrack.styles import list_styles, load_style, style_ids

__version__ = "0.1.0"

__all__ = [
    "Beat",
    "ChordSymbol",
    "Cue",
    "CuePlan",
    "CueSpec",
    "ExportError",
    "Key",
    "Meter",
    "Mode",
    "Mood",
    "MoodArc",
    "Motif",
    "MotifError",
    "MotifPlacement",
    "MotifUse",
    "Note",
    "Part",
    "Problem",
    "Role",
    "Saxophone",
    "Scene",
    "ScoredStory",
    "SoundtrackError",
    "Story",
    "StoryError",
    "StyleError",
    "Track",
    "Transform",
    "compose_cue",
    "cue_rng",
    "infer_mood",
    "list_motifs",
    "list_styles",
    "load_motif",
    "load_story",
    "load_style",
    "mix_scene",
    "mood_arc",
    "mood_at",
    "read_motif",
    "parse_story",
    "plan_cue",
    "plan_cues",
    "score_cue",
    "score_story",
    "story_files",
    "style_ids",
    "write_scene",
    "write_story",
]
