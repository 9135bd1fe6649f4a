"""Previews: hear, read and see a cue or a whole scored story.

Input: scenes (or a scored story) and a SoundFont choice. Output: :class:`OutputFile` values for
:func:`soundtrack.export.files.write_outputs`, so a preview is written all at once or not at all.
One scene's files, for a stem ``NAME``::

    NAME.wav               the scene rendered with a General MIDI SoundFont (export.audio)
    NAME.png               its piano roll (export.pianoroll)
    NAME-sax.musicxml      the saxophone part at written pitch (export.musicxml)
    NAME-score.musicxml    the full score

A scored story puts scene ``NN_<beat>``'s WAV and PNG in ``preview/`` and its MusicXML in
``sheet/`` (the paths :func:`soundtrack.export.report.scene_files` gives), and adds the report
page ``index.html`` (export.report) that links them all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import mido

from soundtrack.export import midi_bytes
from soundtrack.export.analysis import measured_mood
from soundtrack.export.audio import render_wav_bytes
from soundtrack.export.files import OutputFile
from soundtrack.export.midi import scene_midi
from soundtrack.export.musicxml import sax_part_musicxml, score_musicxml
from soundtrack.export.pianoroll import piano_roll_png
from soundtrack.export.report import REPORT_NAME, report_html, scene_files
from soundtrack.model import Scene

if TYPE_CHECKING:
    from soundtrack.pipeline import ScoredStory

__all__ = [
    "cue_preview_files",
    "scene_preview_files",
    "story_preview_files",
]

logger = logging.getLogger(__name__)


def scene_preview_files(
    scene: Scene,
    *,
    audio_path: str,
    piano_roll_path: str,
    sax_sheet_path: str,
    score_sheet_path: str,
    audio: bool = True,
    soundfont: Path | None = None,
    midi: mido.MidiFile | None = None,
) -> list[OutputFile]:
    """The preview files of one scene, at the given relative paths.

    Args:
        scene: the scene.
        audio_path, piano_roll_path, sax_sheet_path, score_sheet_path: where each file goes,
            relative to the output folder.
        audio: render the WAV (the slowest part).
        soundfont: an explicit SoundFont (else the search of
            :func:`soundtrack.export.audio.find_soundfont`).
        midi: the scene's MIDI file when the caller already made it (else it is made here).

    Raises:
        ExportError: no SoundFont or renderer, or the renderer failed.
    """
    files = [
        OutputFile(relative_path=piano_roll_path, data=piano_roll_png(scene)),
        OutputFile(relative_path=sax_sheet_path, data=sax_part_musicxml(scene)),
        OutputFile(relative_path=score_sheet_path, data=score_musicxml(scene)),
    ]
    if audio:
        data = midi_bytes(midi if midi is not None else scene_midi(scene))
        wav = render_wav_bytes(data, soundfont=soundfont)
        files.insert(0, OutputFile(relative_path=audio_path, data=wav))
    return files


def cue_preview_files(
    scene: Scene,
    stem: str,
    *,
    audio: bool = True,
    soundfont: Path | None = None,
    midi: mido.MidiFile | None = None,
) -> list[OutputFile]:
    """The preview files of a stand-alone cue, named after ``stem`` in one folder (``midi``:
    its MIDI file when the caller already made it)."""
    return scene_preview_files(
        scene,
        audio_path=f"{stem}.wav",
        piano_roll_path=f"{stem}.png",
        sax_sheet_path=f"{stem}-sax.musicxml",
        score_sheet_path=f"{stem}-score.musicxml",
        audio=audio,
        soundfont=soundfont,
        midi=midi,
    )


def story_preview_files(
    scored: ScoredStory,
    *,
    audio: bool = True,
    soundfont: Path | None = None,
    on_scene: Callable[[Scene], None] | None = None,
) -> list[OutputFile]:
    """The preview files of a scored story (see the module docstring) and ``index.html``.

    Args:
        scored: the scored story.
        audio: render WAVs (the page then has an audio player per cue).
        soundfont: an explicit SoundFont.
        on_scene: called after each scene's previews (progress).
    """
    files: list[OutputFile] = []
    measured = []
    for scene in scored.scenes:
        midi = scene_midi(scene)
        measured.append(measured_mood(midi))
        paths = scene_files(scene)
        files.extend(
            scene_preview_files(
                scene,
                audio_path=paths.audio,
                piano_roll_path=paths.piano_roll,
                sax_sheet_path=paths.sax_sheet,
                score_sheet_path=paths.score_sheet,
                audio=audio,
                soundfont=soundfont,
                midi=midi,
            )
        )
        if on_scene is not None:
            on_scene(scene)
    page = report_html(scored, measured, audio=audio, sheets=True)
    files.append(OutputFile(relative_path=REPORT_NAME, data=page.encode("utf-8")))
    logger.info("previews of %d scenes", len(scored.scenes))
    return files
