"""Speed benchmark: how fast does ``soundtrack score`` compose the built-in story?

Times the whole pipeline in-process -- load the story, score it, write the output contract into a
temporary folder (``load_story`` -> ``score_story`` -> ``write_story``) -- best of ``--runs``
(default 3), and each stage on its own (story, mood, spotting, compose + mix, export), also best
of ``--runs``. Speed is reported as **seconds of music per second of compute** ("x realtime"):
the summed length of the cues (scenes with music) divided by the best end-to-end time; the
target is >= 400x realtime (the ~30-minute built-in story in well under 5 s).

For comparison it then writes the **same notes** through music21, the path most Python
composition code takes: every note of every scene file just written (read back with mido) goes
into a ``music21.stream.Score`` -- one ``Part`` per MIDI channel with its instrument (GM
program), notes at their offsets with their durations in quarter lengths and velocities, the
tempo map as ``MetronomeMark``s -- which music21 writes to a MIDI file; likewise the whole-story
``score.mid``. So music21 writes the same files as our export stage (each note twice: in its scene
file and in the story file). That runs once (it takes a while); the report gives
``music21 seconds / our seconds``. ``--skip-music21`` leaves it out.

Run from the repository root: ``python -m benchmarks.speed [--json] [--skip-music21]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import platform
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.mood_fit import DRUM_CHANNEL, read_midi  # noqa: E402

__all__ = [
    "TARGET_REALTIME",
    "SpeedResult",
    "main",
    "music21_write_seconds",
    "time_end_to_end",
    "time_stages",
]

#: Seconds of music per second of compute the built-in story must reach.
TARGET_REALTIME = 400.0
#: Stages timed on their own, in pipeline order.
STAGES: tuple[str, ...] = ("story", "mood", "spotting", "compose+mix", "export")


@dataclass(frozen=True, slots=True)
class SpeedResult:
    """The figures of one benchmark run (seconds are wall-clock, ``time.perf_counter``).

    Attributes:
        story: the story's title.
        cues: number of cues (scenes with music).
        notes: notes in the scene files (all tracks, drums included).
        music_seconds: summed length of the cues, seconds.
        story_seconds: length of the story timeline (silent scenes included), seconds.
        end_to_end_seconds: every end-to-end run (load -> score -> write), seconds.
        stage_seconds: best time of each stage, seconds.
        music21_seconds: time music21 took to build and write the same files (scene files and
            the story file; ``None`` if skipped), seconds.
        music21_scene_seconds: the part of it spent on the scene files, seconds.
        music21_scenes: scene files music21 wrote (all of them unless limited).
    """

    story: str
    cues: int
    notes: int
    music_seconds: float
    story_seconds: float
    end_to_end_seconds: tuple[float, ...]
    stage_seconds: dict[str, float]
    music21_seconds: float | None
    music21_scene_seconds: float | None
    music21_scenes: int

    @property
    def best_seconds(self) -> float:
        """Best end-to-end time, seconds."""
        return min(self.end_to_end_seconds)

    @property
    def realtime(self) -> float:
        """Seconds of music per second of compute (best end-to-end run)."""
        return self.music_seconds / self.best_seconds

    @property
    def music21_ratio(self) -> float | None:
        """music21's time over our best end-to-end time (how many times slower it is)."""
        if self.music21_seconds is None:
            return None
        return self.music21_seconds / self.best_seconds

    @property
    def passed(self) -> bool:
        """Whether the best run reaches :data:`TARGET_REALTIME`."""
        return self.realtime >= TARGET_REALTIME


def time_end_to_end(story: Path | None, folder: Path, *, seed: int | None) -> float:
    """One end-to-end run: load, score and write the story into ``folder``.

    Returns:
        Wall-clock seconds.
    """
    from soundtrack.export import write_story
    from soundtrack.pipeline import score_story
    from soundtrack.story import load_story

    start = time.perf_counter()
    write_story(score_story(load_story(story), seed=seed), folder, force=True)
    return time.perf_counter() - start


def time_stages(story_path: Path | None, folder: Path, *, seed: int | None) -> dict[str, float]:
    """Time each stage of one run on its own (same work as :func:`time_end_to_end`).

    Returns:
        Wall-clock seconds per stage name of :data:`STAGES`.
    """
    from soundtrack.export import write_story
    from soundtrack.mood import mood_arc
    from soundtrack.pipeline import ScoredStory, score_cue
    from soundtrack.spotting import plan_cues
    from soundtrack.story import load_story

    seconds: dict[str, float] = {}

    def timed(stage: str, work: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        result = work()
        seconds[stage] = time.perf_counter() - start
        return result

    story = timed("story", lambda: load_story(story_path))
    if seed is not None:
        story = dataclasses.replace(story, seed=seed)
    arc = timed("mood", lambda: mood_arc(story))
    plan = timed("spotting", lambda: plan_cues(story, arc))
    scenes = timed("compose+mix", lambda: tuple(score_cue(spec, story.seed) for spec in plan.cues))
    scored = ScoredStory(story=story, arc=arc, plan=plan, scenes=scenes)
    timed("export", lambda: write_story(scored, folder, force=True))
    return seconds


def _scene_files(folder: Path) -> list[Path]:
    """The scene MIDI files listed in ``folder/cuesheet.json``, in cue order."""
    sheet = json.loads((folder / "cuesheet.json").read_text(encoding="utf-8"))
    return [folder / cue["file"] for cue in sheet["cues"]]


def music21_write_seconds(midi_files: Sequence[Path], out: Path) -> tuple[float, int]:
    """Build a music21 score of each MIDI file's notes and write it to MIDI with music21.

    Reading the files (mido) is not timed; building the streams and writing them is.

    Args:
        midi_files: our MIDI files (scene files, ``score.mid``).
        out: folder for music21's files (named ``NN.mid`` in argument order).

    Returns:
        ``(seconds, notes)``: wall-clock seconds music21 took, notes it wrote.
    """
    from music21 import instrument, note, stream, tempo, volume

    total = 0.0
    notes_written = 0
    for index, path in enumerate(midi_files):
        midi = read_midi(path)
        resolution = midi.ticks_per_quarter
        tempo_ticks = midi.tempo_map.ticks.tolist()
        tempo_bpm = (60e6 / midi.tempo_map.tempos).tolist()
        channels = sorted(set(midi.channel.tolist()))
        by_channel = {
            channel: [
                (
                    Fraction(int(start), resolution),
                    Fraction(int(end - start), resolution),
                    int(pitch),
                    int(velocity),
                )
                for start, end, pitch, velocity in zip(
                    midi.start_tick[midi.channel == channel],
                    midi.end_tick[midi.channel == channel],
                    midi.pitch[midi.channel == channel],
                    midi.velocity[midi.channel == channel],
                    strict=True,
                )
            ]
            for channel in channels
        }
        programs = {int(c): int(p) for c, p in zip(midi.channel, midi.program, strict=True)}

        start = time.perf_counter()
        score = stream.Score()
        for number, channel in enumerate(channels):
            part = stream.Part()  # type: ignore[no-untyped-call]
            if channel == DRUM_CHANNEL:
                player: instrument.Instrument = instrument.UnpitchedPercussion()  # type: ignore[no-untyped-call]
            else:
                player = instrument.Instrument()
                player.midiProgram = programs[channel]
            player.midiChannel = channel
            part.insert(0, player)
            if number == 0:
                for tick, bpm in zip(tempo_ticks, tempo_bpm, strict=True):
                    part.insert(Fraction(tick, resolution), tempo.MetronomeMark(number=bpm))
            for offset, length, pitch, velocity in by_channel[channel]:
                sound = note.Note(pitch, quarterLength=length)
                sound.volume = volume.Volume(velocity=velocity)
                part.insert(offset, sound)
            score.insert(0, part)
        score.write("midi", fp=str(out / f"{index + 1:02d}.mid"))  # type: ignore[no-untyped-call]
        total += time.perf_counter() - start
        notes_written += sum(len(items) for items in by_channel.values())
    return total, notes_written


def run(
    story: Path | None,
    *,
    seed: int | None,
    runs: int,
    skip_music21: bool,
    music21_scenes: int | None,
    progress: Callable[[str], None],
) -> SpeedResult:
    """Run the whole benchmark (see the module docstring)."""
    from soundtrack.pipeline import score_story
    from soundtrack.story import load_story

    scored = score_story(load_story(story), seed=seed)  # warm-up: imports, style and motif caches
    with tempfile.TemporaryDirectory(prefix="speed-") as temporary:
        root = Path(temporary)
        end_to_end = []
        for number in range(runs):
            end_to_end.append(time_end_to_end(story, root / "ours", seed=seed))
            progress(f"end to end, run {number + 1}: {end_to_end[-1]:.3f} s")
        stage_runs = [time_stages(story, root / "stages", seed=seed) for _ in range(runs)]
        stages = {name: min(run[name] for run in stage_runs) for name in STAGES}
        progress("stages: " + ", ".join(f"{name} {stages[name]:.3f} s" for name in STAGES))
        files = _scene_files(root / "ours")
        notes = sum(int(read_midi(path).pitch.size) for path in files)
        music21_seconds = music21_scene_seconds = None
        written = 0
        if not skip_music21:
            chosen = files if music21_scenes is None else files[:music21_scenes]
            progress(f"music21: writing {len(chosen)} scene files...")
            (root / "music21").mkdir()
            scene_seconds, written_notes = music21_write_seconds(chosen, root / "music21")
            written = len(chosen)
            if written < len(files) and written_notes:
                scene_seconds *= notes / written_notes  # extrapolate by notes
            progress(f"music21: scene files {scene_seconds:.1f} s; writing score.mid...")
            (root / "music21-score").mkdir()
            if written < len(files):
                story_seconds = scene_seconds  # same notes; not run when limited
            else:
                story_seconds, _ = music21_write_seconds(
                    [root / "ours" / "score.mid"], root / "music21-score"
                )
            music21_scene_seconds = scene_seconds
            music21_seconds = scene_seconds + story_seconds
            progress(f"music21: {music21_seconds:.1f} s in all")
    return SpeedResult(
        story=scored.story.title,
        cues=len(scored.scenes),
        notes=notes,
        music_seconds=sum(scene.spec.duration_seconds for scene in scored.scenes),
        story_seconds=scored.story.duration_seconds,
        end_to_end_seconds=tuple(end_to_end),
        stage_seconds=stages,
        music21_seconds=music21_seconds,
        music21_scene_seconds=music21_scene_seconds,
        music21_scenes=written,
    )


def format_result(result: SpeedResult) -> str:
    """The human-readable table."""
    best = result.best_seconds
    lines = [
        f"Speed: {result.story} -- {result.cues} cues, {result.notes:,} notes, "
        f"{result.music_seconds / 60:.1f} min of music "
        f"({result.story_seconds / 60:.1f} min story)",
        f"Python {platform.python_version()} on {platform.machine()}",
        "",
        f"{'stage':<26}{'seconds':>10}{'share':>8}{'x realtime':>12}",
    ]
    stage_total = sum(result.stage_seconds.values())
    for name, seconds in result.stage_seconds.items():
        lines.append(
            f"{name:<26}{seconds:>10.3f}{seconds / stage_total:>8.0%}"
            f"{result.music_seconds / seconds:>12,.0f}"
        )
    runs = ", ".join(f"{seconds:.3f}" for seconds in result.end_to_end_seconds)
    lines.append(f"{'end to end (best)':<26}{best:>10.3f}{'':>8}{result.realtime:>12,.0f}")
    lines.append(f"  runs: {runs} s")
    verdict = "PASS" if result.passed else "FAIL"
    lines.append(f"  target >= {TARGET_REALTIME:,.0f}x realtime: {verdict}")
    lines.append("")
    if result.music21_seconds is None:
        lines.append("music21: skipped")
    else:
        extrapolated = (
            f" (extrapolated from {result.music21_scenes} scene files; score.mid counted as"
            " long as the scene files)"
            if result.music21_scenes < result.cues
            else ""
        )
        ratio = result.music21_ratio or float("nan")
        export_ratio = result.music21_seconds / result.stage_seconds["export"]
        scene_seconds = result.music21_scene_seconds or float("nan")
        lines.append(
            f"music21 writing the same files: {result.music21_seconds:.1f} s{extrapolated}"
        )
        lines.append(
            f"  scene files {scene_seconds:.1f} s + score.mid"
            f" {result.music21_seconds - scene_seconds:.1f} s"
        )
        lines.append(f"  = {ratio:,.0f}x our whole pipeline (compose + write)")
        lines.append(f"  = {export_ratio:,.0f}x our export stage (write only)")
    return "\n".join(lines)


def result_json(result: SpeedResult) -> str:
    """The figures as JSON."""
    data = dataclasses.asdict(result)
    data.update(
        best_seconds=result.best_seconds,
        realtime=result.realtime,
        target_realtime=TARGET_REALTIME,
        passed=result.passed,
        music21_ratio=result.music21_ratio,
        python=platform.python_version(),
    )
    return json.dumps(data, indent=2)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.speed",
        description="Time `soundtrack score` on a story and compare with writing via music21.",
    )
    parser.add_argument("story", nargs="?", type=Path, help="story file [default: built-in]")
    parser.add_argument("--seed", type=int, default=None, help="seed [default: the story's]")
    parser.add_argument("--runs", type=int, default=3, help="runs of ours, best kept [3]")
    parser.add_argument("--skip-music21", action="store_true", help="leave music21 out")
    parser.add_argument(
        "--music21-scenes",
        type=int,
        metavar="N",
        help="music21 writes only the first N scenes (and no score.mid); extrapolated by notes",
    )
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")
    parser.add_argument(
        "--check", action="store_true", help=f"exit 1 below {TARGET_REALTIME:g}x realtime"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; returns the exit status (1 below target with ``--check``)."""
    args = _parser().parse_args(argv)
    if args.runs < 1:
        _parser().error("--runs must be at least 1")

    def progress(message: str) -> None:
        if not args.json:
            print(message, file=sys.stderr, flush=True)

    result = run(
        args.story,
        seed=args.seed,
        runs=args.runs,
        skip_music21=args.skip_music21,
        music21_scenes=args.music21_scenes,
        progress=progress,
    )
    print(result_json(result) if args.json else format_result(result))
    return 1 if args.check and not result.passed else 0


if __name__ == "__main__":
    sys.exit(main())
