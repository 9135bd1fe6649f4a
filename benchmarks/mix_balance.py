"""Mix-balance benchmark: does the saxophone sit in front of the band when rendered?

Scores a story in-process (default: the built-in one, ``score_story(load_story(None))``) and
renders every cue twice with FluidSynth and a General MIDI SoundFont (default
``/usr/share/sounds/sf2/FluidR3_GM.sf2``): a **lead stem** (the conductor track and the lead's
track only) and an **accompaniment stem** (every other track), each written with
:func:`soundtrack.export.midi.scene_midi` to a temporary file and rendered with
``fluidsynth -ni -F stem.wav -r 44100 SF2 stem.mid`` (FluidSynth's default reverb and chorus, as
a user previewing a cue hears it). Both stems keep the mix's CC7/CC10/CC11/CC91 controllers.

Measure: the audio of each stem is cut into 400 ms windows; the windows in which the lead
sounds (its RMS within 30 dB of its loudest window) are kept, and the **lead-to-accompaniment
difference** is ``20 log10(RMS_lead / RMS_accompaniment)`` over those windows (RMS over both
stereo channels). Measuring only where the lead plays keeps breaths and tacets from counting as
"the lead is quiet"; windows where the accompaniment is silent cannot dominate because the RMS is
taken over all kept windows together.

Target (``--check``): the lead between **+1 and +9 dB** above the accompaniment in at least 90% of
the cues. Why these numbers: below about +1 dB a solo saxophone in a General MIDI render is
masked by comping chords in the same register (mixing practice puts a featured soloist a few dB
above the band); above about +9 dB the band turns into a backing track under a soloist in a
different room and pads and bass stop being heard at all. The median should sit around +3..+6 dB.

Run from the repository root: ``python -m benchmarks.mix_balance [--check] [--json] [--jobs N]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import shutil
import subprocess
import sys
import tempfile
import wave
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

__all__ = [
    "DEFAULT_SOUNDFONT",
    "TARGET_DB",
    "TARGET_SHARE",
    "CueBalance",
    "balance_db",
    "main",
    "measure_scene",
    "render",
    "stems",
]

#: The General MIDI SoundFont rendered with.
DEFAULT_SOUNDFONT = Path("/usr/share/sounds/sf2/FluidR3_GM.sf2")
#: Lead-over-accompaniment window (dB) a cue must fall in.
TARGET_DB = (1.0, 9.0)
#: Share of cues that must fall in it.
TARGET_SHARE = 0.9
#: Analysis window, seconds.
WINDOW_SECONDS = 0.4
#: Windows whose lead RMS is within this many dB of the lead's loudest window count as "playing".
ACTIVE_RANGE_DB = 30.0
SAMPLE_RATE = 44100


@dataclass(frozen=True, slots=True, kw_only=True)
class CueBalance:
    """One cue's measurement: lead and accompaniment RMS (dBFS) over the windows where the lead
    plays, their difference, and the share of windows where the lead plays."""

    cue_id: str
    style: str
    lead_db: float
    accompaniment_db: float
    difference_db: float
    lead_active_share: float

    @property
    def passed(self) -> bool:
        low, high = TARGET_DB
        return low <= self.difference_db <= high


def stems(scene: object) -> tuple[object, object]:
    """``(lead, accompaniment)``: copies of a scene with only the lead track / all the others."""
    from soundtrack.model import Role, Scene

    assert isinstance(scene, Scene)
    lead = tuple(track for track in scene.tracks if track.role is Role.LEAD)
    rest = tuple(track for track in scene.tracks if track.role is not Role.LEAD)
    return dataclasses.replace(scene, tracks=lead), dataclasses.replace(scene, tracks=rest)


def render(scene: object, folder: Path, name: str, soundfont: Path) -> np.ndarray:
    """Render a scene with FluidSynth; returns float samples, shape ``(frames, channels)``."""
    from soundtrack.export.midi import scene_midi
    from soundtrack.model import Scene

    assert isinstance(scene, Scene)
    midi_path = folder / f"{name}.mid"
    wav_path = folder / f"{name}.wav"
    scene_midi(scene).save(str(midi_path))
    subprocess.run(
        [
            "fluidsynth",
            "-ni",
            "-F",
            str(wav_path),
            "-r",
            str(SAMPLE_RATE),
            str(soundfont),
            str(midi_path),
        ],
        check=True,
        capture_output=True,
    )
    with wave.open(str(wav_path), "rb") as handle:
        channels = handle.getnchannels()
        width = handle.getsampwidth()
        frames = handle.readframes(handle.getnframes())
    dtype = {2: np.int16, 4: np.int32}[width]
    samples = np.frombuffer(frames, dtype=dtype).astype(np.float64) / float(2 ** (8 * width - 1))
    return samples.reshape(-1, channels)


def _window_power(samples: np.ndarray, frames: int) -> np.ndarray:
    """Mean square per window (over both channels), zero-padded to ``frames`` samples."""
    size = int(WINDOW_SECONDS * SAMPLE_RATE)
    padded = np.zeros((frames, samples.shape[1]))
    padded[: min(frames, samples.shape[0])] = samples[:frames]
    count = frames // size
    power: np.ndarray = (padded[: count * size] ** 2).reshape(count, size, -1).mean(axis=(1, 2))
    return power


def balance_db(lead: np.ndarray, accompaniment: np.ndarray) -> tuple[float, float, float]:
    """``(lead dBFS, accompaniment dBFS, active share)`` over the windows where the lead plays."""
    frames = max(lead.shape[0], accompaniment.shape[0])
    lead_power = _window_power(lead, frames)
    other_power = _window_power(accompaniment, frames)
    if lead_power.size == 0 or lead_power.max() <= 0:
        return -math.inf, -math.inf, 0.0
    active = lead_power >= lead_power.max() * 10 ** (-ACTIVE_RANGE_DB / 10)
    lead_db = 10 * math.log10(float(lead_power[active].mean()))
    other = float(other_power[active].mean())
    other_db = 10 * math.log10(other) if other > 0 else -math.inf
    return lead_db, other_db, float(active.mean())


def measure_scene(scene: object, folder: Path, soundfont: Path) -> CueBalance:
    """Render one scene's two stems and measure them."""
    from soundtrack.model import Scene

    assert isinstance(scene, Scene)
    lead_scene, rest_scene = stems(scene)
    name = scene.spec.cue_id
    lead = render(lead_scene, folder, f"{name}-lead", soundfont)
    rest = render(rest_scene, folder, f"{name}-band", soundfont)
    lead_db, other_db, share = balance_db(lead, rest)
    return CueBalance(
        cue_id=name,
        style=scene.spec.style,
        lead_db=lead_db,
        accompaniment_db=other_db,
        difference_db=lead_db - other_db,
        lead_active_share=share,
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.mix_balance",
        description="Lead-to-accompaniment loudness of every cue, rendered with FluidSynth.",
    )
    parser.add_argument(
        "story", nargs="?", type=Path, default=None, help="story file (default: the built-in story)"
    )
    parser.add_argument("--seed", type=int, default=None, help="override the story's seed")
    parser.add_argument("--soundfont", type=Path, default=DEFAULT_SOUNDFONT)
    parser.add_argument("--jobs", type=int, default=2, help="parallel renders (default 2)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--check", action="store_true", help="exit 1 unless the target is met")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; returns the exit status (1 on FAIL with ``--check``, 2 when FluidSynth
    or the SoundFont is missing)."""
    args = _parser().parse_args(argv)
    if shutil.which("fluidsynth") is None or not args.soundfont.is_file():
        print(f"needs fluidsynth on PATH and the SoundFont {args.soundfont}", file=sys.stderr)
        return 2
    from soundtrack.pipeline import score_story
    from soundtrack.story import load_story

    scored = score_story(load_story(args.story), seed=args.seed)
    with tempfile.TemporaryDirectory(prefix="mix-balance-") as temporary:
        folder = Path(temporary)
        with ThreadPoolExecutor(max_workers=max(args.jobs, 1)) as pool:
            results = list(
                pool.map(lambda scene: measure_scene(scene, folder, args.soundfont), scored.scenes)
            )
    differences = [result.difference_db for result in results]
    median = float(np.median(differences)) if differences else math.nan
    share = sum(result.passed for result in results) / max(len(results), 1)
    passed = share >= TARGET_SHARE
    if args.json:
        print(
            json.dumps(
                {
                    "cues": [
                        dataclasses.asdict(result) | {"passed": result.passed} for result in results
                    ],
                    "median_difference_db": median,
                    "share_in_target": share,
                    "target_db": list(TARGET_DB),
                    "target_share": TARGET_SHARE,
                    "passed": passed,
                },
                indent=2,
            )
        )
    else:
        print(f"Mix balance: {scored.story.title} -- {len(results)} cues, {args.soundfont.name}")
        print()
        print(
            f"{'cue':6} {'style':20} {'lead dB':>8} {'band dB':>8} {'lead-band':>10} "
            f"{'lead plays':>10}"
        )
        for result in results:
            mark = "" if result.passed else "  <- outside"
            print(
                f"{result.cue_id:6} {result.style:20} {result.lead_db:8.1f} "
                f"{result.accompaniment_db:8.1f} {result.difference_db:+10.1f} "
                f"{result.lead_active_share:10.0%}{mark}"
            )
        low, high = TARGET_DB
        print()
        print(
            f"median lead-band: {median:+.1f} dB; in +{low:g}..+{high:g} dB: {share:.0%} "
            f"of cues (target >= {TARGET_SHARE:.0%}): {'PASS' if passed else 'FAIL'}"
        )
    return 1 if args.check and not passed else 0


if __name__ == "__main__":
    sys.exit(main())
