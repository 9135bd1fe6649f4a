"""Render-speed benchmark: how fast is the audio preview (``soundtrack.export.audio.render_wav``)?

Scores the built-in story in-process (``load_story`` -> ``score_story``; not timed), writes each
scene's MIDI to bytes (``scene_midi`` + ``midi_bytes``; not timed) and renders every scene to a
WAV file in a temporary folder with each available renderer -- ``fluidsynth`` (the program, when
on PATH) and ``midirenderer`` (the pip wheel) -- with the SoundFont :func:`find_soundfont` picks
(or ``--soundfont``). A render is timed as ``render_wav`` reports it (wall clock of the whole
call: SoundFont lookup, MIDI reading, synthesis, resampling, normalising, atomic write).

Speed is **seconds of audio per second of rendering** ("x realtime"): the summed length of the
rendered WAV files (each scene's MIDI length + the 2 s tail) over the summed render time. Target:
>= 20x realtime for every renderer (``--check`` exits 1 below it). The slowest scene is shown too.

Run from the repository root: ``python -m benchmarks.render_speed [--json] [--check]``.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from soundtrack.export import midi_bytes  # noqa: E402
from soundtrack.export.audio import Renderer, find_soundfont, render_wav  # noqa: E402
from soundtrack.export.midi import scene_midi  # noqa: E402
from soundtrack.pipeline import score_story  # noqa: E402
from soundtrack.story import load_story  # noqa: E402

__all__ = ["TARGET_REALTIME", "RendererSpeed", "available_renderers", "main", "time_renderer"]

#: Seconds of audio per second of rendering every renderer must reach.
TARGET_REALTIME = 20.0


@dataclass(frozen=True, slots=True, kw_only=True)
class RendererSpeed:
    """The figures of one renderer over the whole story (seconds are wall clock).

    Attributes:
        renderer: ``fluidsynth`` or ``midirenderer``.
        soundfont: the SoundFont used.
        scenes: scenes rendered.
        audio_seconds: summed length of the WAV files written.
        render_seconds: summed time of the ``render_wav`` calls.
        slowest_scene: the scene with the lowest x realtime, and that figure.
        slowest_realtime: x realtime of that scene.
    """

    renderer: str
    soundfont: str
    scenes: int
    audio_seconds: float
    render_seconds: float
    slowest_scene: str
    slowest_realtime: float

    @property
    def realtime(self) -> float:
        """Seconds of audio per second of rendering."""
        return self.audio_seconds / self.render_seconds

    @property
    def passed(self) -> bool:
        """Whether :data:`TARGET_REALTIME` is reached."""
        return self.realtime >= TARGET_REALTIME


def available_renderers() -> list[Renderer]:
    """``fluidsynth`` (when the program is on PATH) and ``midirenderer`` (when importable)."""
    import importlib.util
    import shutil

    found = []
    if shutil.which("fluidsynth"):
        found.append(Renderer.FLUIDSYNTH)
    if importlib.util.find_spec("midirenderer") is not None:
        found.append(Renderer.MIDIRENDERER)
    return found


def time_renderer(
    scenes: Sequence[tuple[str, bytes]], renderer: Renderer, soundfont: Path, folder: Path
) -> RendererSpeed:
    """Render every ``(name, midi bytes)`` with ``renderer`` into ``folder``."""
    audio_seconds = render_seconds = 0.0
    slowest_scene, slowest = "", float("inf")
    for name, data in scenes:
        result = render_wav(
            data, folder / f"{name}.wav", soundfont=soundfont, renderer=renderer, force=True
        )
        audio_seconds += result.seconds
        render_seconds += result.render_seconds
        if result.realtime_factor < slowest:
            slowest_scene, slowest = name, result.realtime_factor
    return RendererSpeed(
        renderer=renderer.value,
        soundfont=str(soundfont),
        scenes=len(scenes),
        audio_seconds=audio_seconds,
        render_seconds=render_seconds,
        slowest_scene=slowest_scene,
        slowest_realtime=slowest,
    )


def format_results(title: str, results: Sequence[RendererSpeed]) -> str:
    """A readable table of the figures."""
    lines = [
        f"Render speed: {title} -- Python {platform.python_version()} on {platform.machine()}",
        "",
        f"{'renderer':<14}{'scenes':>7}{'audio s':>10}{'render s':>10}{'x realtime':>12}"
        f"  {'slowest scene':<24}{'x rt':>7}  soundfont",
    ]
    for item in results:
        lines.append(
            f"{item.renderer:<14}{item.scenes:>7}{item.audio_seconds:>10.1f}"
            f"{item.render_seconds:>10.2f}{item.realtime:>12.1f}"
            f"  {item.slowest_scene:<24}{item.slowest_realtime:>7.1f}  {Path(item.soundfont).name}"
        )
    verdict = "PASS" if results and all(item.passed for item in results) else "FAIL"
    lines.append(f"target >= {TARGET_REALTIME:g}x realtime for every renderer: {verdict}")
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.render_speed",
        description="Time the audio preview of every scene of the built-in story.",
    )
    parser.add_argument("--seed", type=int, default=None, help="seed [default: the story's]")
    parser.add_argument("--soundfont", type=Path, default=None, help="SoundFont [auto]")
    parser.add_argument(
        "--renderer",
        choices=[Renderer.FLUIDSYNTH.value, Renderer.MIDIRENDERER.value],
        action="append",
        help="renderer to time (repeatable) [every available one]",
    )
    parser.add_argument("--scenes", type=int, metavar="N", help="only the first N scenes")
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")
    parser.add_argument(
        "--check", action="store_true", help=f"exit 1 below {TARGET_REALTIME:g}x realtime"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; returns the exit status (1 below target with ``--check``)."""
    args = _parser().parse_args(argv)
    renderers = [Renderer(name) for name in args.renderer] if args.renderer else None
    renderers = renderers or available_renderers()
    if not renderers:
        print("no renderer available (fluidsynth or midirenderer)", file=sys.stderr)
        return 2
    scored = score_story(load_story(None), seed=args.seed)
    scenes = [
        (f"{index + 1:02d}_{scene.spec.beat_id}", midi_bytes(scene_midi(scene)))
        for index, scene in enumerate(scored.scenes)
    ][: args.scenes]
    soundfont = find_soundfont(args.soundfont)
    results = []
    with tempfile.TemporaryDirectory(prefix="soundtrack-render-speed-") as folder:
        for renderer in renderers:
            if not args.json:
                print(f"rendering {len(scenes)} scenes with {renderer}...", file=sys.stderr)
            results.append(time_renderer(scenes, renderer, soundfont, Path(folder)))
    if args.json:
        data = {
            "story": scored.story.title,
            "python": platform.python_version(),
            "target_realtime": TARGET_REALTIME,
            "renderers": [
                asdict(item) | {"realtime": item.realtime, "passed": item.passed}
                for item in results
            ],
        }
        print(json.dumps(data, indent=2))
    else:
        print(format_results(scored.story.title, results))
    passed = all(item.passed for item in results)
    return 1 if args.check and not passed else 0


if __name__ == "__main__":
    sys.exit(main())
