"""The whole pipeline as pure functions: story -> arc -> plan -> cues -> scenes.

:func:`score_story` runs every stage in memory; :mod:`soundtrack.export` writes the result.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass

from soundtrack.compose import compose_cue
from soundtrack.mix import HUMANISE_TIMING, mix_scene
from soundtrack.model import CuePlan, CueSpec, MoodArc, Scene, Story
from soundtrack.mood import mood_arc
from soundtrack.spotting import cue_rng, plan_cues
from soundtrack.styles import load_style

__all__ = ["ScoredStory", "score_cue", "score_story"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class ScoredStory:
    """A story with its arc, cue plan and mixed scenes (one per cue, plan order)."""

    story: Story
    arc: MoodArc
    plan: CuePlan
    scenes: tuple[Scene, ...]


def score_cue(spec: CueSpec, seed: int, *, humanise_timing: bool = HUMANISE_TIMING) -> Scene:
    """Compose and mix one planned cue with the randomness of ``seed`` keyed by its beat.

    Args:
        spec: the planned cue.
        seed: the story seed (>= 0).
        humanise_timing: let the mix move onsets by a few ticks (off: every onset on the exact
            tick compose wrote, as the style-trait tests read them).
    """
    rng = cue_rng(seed, spec)
    cue = compose_cue(spec, rng=rng)
    return mix_scene(
        cue, load_style(spec.style), rng=rng.spawn(1)[0], humanise_timing=humanise_timing
    )


def score_story(
    story: Story,
    *,
    seed: int | None = None,
    on_cue: Callable[[CueSpec], None] | None = None,
) -> ScoredStory:
    """Score a whole story.

    Args:
        story: the validated story.
        seed: overrides the story's seed when given (>= 0).
        on_cue: called after each cue is composed (progress reporting).

    Returns:
        The scored story; same story and seed give equal results.
    """
    if seed is not None:
        story = dataclasses.replace(story, seed=seed)
    arc = mood_arc(story)
    plan = plan_cues(story, arc)
    scenes = []
    for spec in plan.cues:
        scenes.append(score_cue(spec, story.seed))
        logger.debug("composed %s (%s, %s)", spec.cue_id, spec.style, spec.key.name)
        if on_cue is not None:
            on_cue(spec)
    return ScoredStory(story=story, arc=arc, plan=plan, scenes=tuple(scenes))
