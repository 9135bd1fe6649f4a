"""The cue sheet: ``cuesheet.json`` for machines and ``cuesheet.csv`` for people.

``cuesheet.json`` holds ``title``, ``seed``, ``frame_rate``, ``drop_frame``, ``duration_seconds``,
``duration_timecode`` and ``cues``; each cue has ``id`` (cue number), ``beat``, ``title``,
``usage`` (``BI`` background instrumental), ``start_seconds``, ``duration_seconds``,
``start_timecode``, ``end_timecode``, ``style``, ``key``, ``meter``, ``tempo_bpm``, ``bars``,
``mood`` {valence, arousal, tension}, ``motifs``, ``lead``, ``sections``, ``hits`` (requested and
fitted seconds, the error) and ``file`` (path relative to the cue sheet).

``motifs`` lists every leitmotif statement of the cue in bar order: ``name``, ``transform`` (the
transforms joined with ``+``, e.g. ``major+augmentation``; ``statement`` when played as
written), ``bars`` (first and last bar, 1-based, inclusive), ``part`` (the track that plays it)
and ``similarity`` (contour/rhythm likeness with the motif as written, 0..1). The CSV column
``motifs`` gives ``name:transform@first-last`` per statement, ``;``-separated.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from soundtrack.errors import ExportError
from soundtrack.model import MotifUse, Scene, Story
from soundtrack.units import format_timecode

__all__ = ["CSV_COLUMNS", "cuesheet_csv", "cuesheet_data", "read_cuesheet"]

CSV_COLUMNS = (
    "cue",
    "beat",
    "title",
    "usage",
    "start_timecode",
    "end_timecode",
    "duration_seconds",
    "style",
    "key",
    "meter",
    "tempo_bpm",
    "valence",
    "arousal",
    "tension",
    "lead",
    "motifs",
    "hits",
    "file",
)


def _motif_entry(use: MotifUse) -> dict[str, Any]:
    return {
        "name": use.name,
        "transform": use.transform,
        "bars": [use.start_bar + 1, use.start_bar + use.bars],
        "part": use.part,
        "similarity": use.similarity,
    }


def _cue_entry(story: Story, scene: Scene, file: str) -> dict[str, Any]:
    spec = scene.spec

    def timecode(seconds: float) -> str:
        return format_timecode(seconds, story.frame_rate, drop_frame=story.drop_frame)

    return {
        "id": spec.cue_id,
        "beat": spec.beat_id,
        "title": spec.title,
        "usage": "BI",
        "start_seconds": round(spec.start_seconds, 6),
        "duration_seconds": round(spec.duration_seconds, 6),
        "start_timecode": timecode(spec.start_seconds),
        "end_timecode": timecode(spec.start_seconds + spec.duration_seconds),
        "style": spec.style,
        "key": spec.key.name,
        "meter": spec.meter.text,
        "tempo_bpm": round(spec.tempo_bpm, 2),
        "bars": spec.bars,
        "mood": {
            "valence": round(spec.mood.valence, 3),
            "arousal": round(spec.mood.arousal, 3),
            "tension": round(spec.mood.tension, 3),
        },
        "motifs": [_motif_entry(use) for use in scene.motifs],
        "lead": spec.lead.value,
        "sections": [
            {"name": section.name, "start_bar": section.start_bar + 1, "bars": section.bars}
            for section in spec.sections
        ],
        "hits": [
            {
                "seconds": round(hit.seconds, 4),
                "fitted_seconds": round(hit.seconds + hit.error_seconds, 4),
                "error_seconds": round(hit.error_seconds, 4),
                "tick": hit.tick,
            }
            for hit in spec.hits
        ],
        "file": file,
    }


def cuesheet_data(story: Story, scenes: Sequence[Scene], files: Sequence[str]) -> dict[str, Any]:
    """The cue sheet as a JSON-ready dict; ``files[i]`` is scene i's MIDI path (relative)."""
    return {
        "title": story.title,
        "seed": story.seed,
        "frame_rate": story.frame_rate,
        "drop_frame": story.drop_frame,
        "duration_seconds": round(story.duration_seconds, 6),
        "duration_timecode": format_timecode(
            story.duration_seconds, frame_rate=story.frame_rate, drop_frame=story.drop_frame
        ),
        "cues": [
            _cue_entry(story, scene, file) for scene, file in zip(scenes, files, strict=True)
        ],
    }


def cuesheet_csv(data: dict[str, Any]) -> str:
    """The cue sheet as CSV text (one row per cue, :data:`CSV_COLUMNS`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for cue in data["cues"]:
        writer.writerow(
            [
                cue["id"],
                cue["beat"],
                cue["title"],
                cue["usage"],
                cue["start_timecode"],
                cue["end_timecode"],
                f"{cue['duration_seconds']:.3f}",
                cue["style"],
                cue["key"],
                cue["meter"],
                f"{cue['tempo_bpm']:.2f}",
                f"{cue['mood']['valence']:.3f}",
                f"{cue['mood']['arousal']:.3f}",
                f"{cue['mood']['tension']:.3f}",
                cue["lead"],
                ";".join(
                    f"{motif['name']}:{motif['transform']}@{motif['bars'][0]}-{motif['bars'][1]}"
                    for motif in cue["motifs"]
                ),
                ";".join(f"{hit['seconds']:.3f}" for hit in cue["hits"]),
                cue["file"],
            ]
        )
    return buffer.getvalue()


def read_cuesheet(path: Path) -> dict[str, Any]:
    """Read a ``cuesheet.json`` written by soundtrack.

    Raises:
        ExportError: the file is missing or is not a cue sheet.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ExportError(f"{path}: cannot read the cue sheet ({error})") from error
    if not isinstance(data, dict) or not isinstance(data.get("cues"), list):
        raise ExportError(f"{path}: expected a soundtrack cue sheet with a 'cues' list")
    return data
