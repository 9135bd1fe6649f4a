"""Export: turn scored music into files (MIDI, cue sheet) — the only stage that writes.

:func:`story_files` builds the output contract of a scored story in memory;
:func:`write_story` writes it atomically under an output folder.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import TYPE_CHECKING

import mido

from soundtrack.export.cuesheet import cuesheet_csv, cuesheet_data
from soundtrack.export.files import OutputFile, write_outputs
from soundtrack.export.midi import scene_midi, score_midi
from soundtrack.model import Scene
from soundtrack.story import safe_file_stem

if TYPE_CHECKING:
    from soundtrack.pipeline import ScoredStory

__all__ = ["midi_bytes", "scene_file_name", "story_files", "write_scene", "write_story"]


def midi_bytes(midi: mido.MidiFile) -> bytes:
    """The bytes of a MIDI file as mido writes it."""
    buffer = io.BytesIO()
    midi.save(file=buffer)
    return buffer.getvalue()


def scene_file_name(scene: Scene) -> str:
    """``scenes/NN_<beat-id>.mid`` with NN the beat's 1-based story position."""
    return f"scenes/{scene.spec.beat_index + 1:02d}_{safe_file_stem(scene.spec.beat_id)}.mid"


def story_files(scored: ScoredStory) -> list[OutputFile]:
    """Every file of the output contract: cue sheet (JSON, CSV), scene MIDI files, score.mid."""
    files = [
        OutputFile(relative_path=scene_file_name(scene), data=midi_bytes(scene_midi(scene)))
        for scene in scored.scenes
    ]
    story = scored.story
    data = cuesheet_data(story, scored.scenes, [f.relative_path for f in files])
    files.append(
        OutputFile(
            relative_path="score.mid",
            data=midi_bytes(score_midi(story.title, scored.scenes, story.duration_seconds)),
        )
    )
    files.append(
        OutputFile(
            relative_path="cuesheet.json",
            data=(json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
        )
    )
    files.append(OutputFile(relative_path="cuesheet.csv", data=cuesheet_csv(data).encode("utf-8")))
    return files


def write_story(scored: ScoredStory, folder: Path, *, force: bool = False) -> list[Path]:
    """Write the output contract of a scored story under ``folder`` (all files or none)."""
    return write_outputs(folder, story_files(scored), force=force)


def write_scene(scene: Scene, path: Path, *, force: bool = False) -> Path:
    """Write one scene's MIDI file to ``path`` (atomically; see :func:`write_outputs`)."""
    written = write_outputs(
        path.parent,
        [OutputFile(relative_path=path.name, data=midi_bytes(scene_midi(scene)))],
        force=force,
    )
    return written[0]
