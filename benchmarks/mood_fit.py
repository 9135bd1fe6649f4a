"""Mood-fit benchmark: does the written MIDI sound like the mood the cue sheet asked for?

Scores several stories (``benchmarks/stories/*.toml`` and the built-in story) in-process into a
temporary folder, then measures every cue **from its scene MIDI file alone** -- the cue sheet only
supplies the target mood and the file name -- and reports the Spearman rank correlation between each
measured mood dimension and the target, per story and pooled over all cues.

The measurements (tempo, onset density, loudness -> arousal; Krumhansl-Kessler key correlation
-> valence; vertical dissonance and chromaticism -> tension) live in
:mod:`soundtrack.export.analysis`, whose module docstring gives every constant; this module
re-exports them under their old names.

Run ``python -m benchmarks.mood_fit --help`` (from the repository root) for the options; see
``benchmarks/README.md`` for the targets.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from soundtrack.export.analysis import (
    CLOCKS_PER_QUARTER,
    DRUM_CHANNEL,
    INTERVAL_CLASS_DISSONANCE,
    KK_MAJOR,
    KK_MINOR,
    CueMeasures,
    MidiNotes,
    TempoMap,
    arousal_estimate,
    best_key,
    chromaticism,
    dissonance,
    key_correlations,
    loudness,
    measure,
    measure_file,
    notes_per_second,
    pitch_class_histogram,
    read_midi,
    tempo_bpm,
    tension_estimate,
    valence_estimate,
)

__all__ = [
    "CLOCKS_PER_QUARTER",
    "DIMENSIONS",
    "DRUM_CHANNEL",
    "INTERVAL_CLASS_DISSONANCE",
    "KK_MAJOR",
    "KK_MINOR",
    "CueMeasures",
    "CueResult",
    "MidiNotes",
    "TempoMap",
    "arousal_estimate",
    "best_key",
    "chromaticism",
    "dissonance",
    "key_correlations",
    "loudness",
    "main",
    "measure",
    "measure_file",
    "measure_folder",
    "notes_per_second",
    "pitch_class_histogram",
    "rank",
    "read_midi",
    "spearman",
    "tempo_bpm",
    "tension_estimate",
    "valence_estimate",
]

FloatArray = npt.NDArray[np.float64]

#: The mood dimensions compared, in report order.
DIMENSIONS: tuple[str, ...] = ("valence", "arousal", "tension")
#: Pooled Spearman rho each dimension must reach.
TARGET_RHO = 0.8


# ---------------------------------------------------------------- statistics


def rank(values: npt.ArrayLike) -> FloatArray:
    """Ranks 1..n of ``values``, ties sharing their average rank (as ``scipy.stats.rankdata``)."""
    data = np.asarray(values, dtype=np.float64)
    order = np.argsort(data, kind="mergesort")
    ordered = data[order]
    new_value = np.concatenate([[True], ordered[1:] != ordered[:-1]])
    dense = np.cumsum(new_value)[np.argsort(order, kind="mergesort")]
    bounds = np.concatenate([np.nonzero(new_value)[0], [data.size]])
    return np.asarray(0.5 * (bounds[dense] + bounds[dense - 1] + 1), dtype=np.float64)


def spearman(first: npt.ArrayLike, second: npt.ArrayLike) -> float:
    """Spearman's rank correlation (-1..1); pairs with a ``nan`` are dropped.

    Returns ``nan`` with fewer than three pairs or when either side is constant.
    """
    x = np.asarray(first, dtype=np.float64)
    y = np.asarray(second, dtype=np.float64)
    keep = ~(np.isnan(x) | np.isnan(y))
    x, y = x[keep], y[keep]
    if x.size < 3:
        return math.nan
    rx, ry = rank(x), rank(y)
    if np.ptp(rx) == 0 or np.ptp(ry) == 0:
        return math.nan
    return float(np.corrcoef(rx, ry)[0, 1])


# ---------------------------------------------------------------- stories and cues


@dataclass(frozen=True, slots=True)
class CueResult:
    """One cue: where it comes from, the target mood of the cue sheet and what was measured."""

    story: str
    cue_id: str
    beat: str
    style: str
    planned_key: str
    planned_tempo_bpm: float
    file: str
    target: dict[str, float]
    measured: CueMeasures


def measure_folder(folder: Path, story: str | None = None) -> list[CueResult]:
    """Measure every cue of a ``soundtrack score`` output folder.

    Only ``cuesheet.json``'s target ``mood``, ``file`` and labels (cue id, beat, style, key,
    tempo) are read from the cue sheet; the measures come from the MIDI files.

    Args:
        folder: the output folder (holds ``cuesheet.json`` and ``scenes/``).
        story: label of the story; the cue sheet's title when ``None``.
    """
    sheet = json.loads((folder / "cuesheet.json").read_text(encoding="utf-8"))
    label = story or str(sheet.get("title", folder.name))
    results = []
    for cue in sheet["cues"]:
        mood = cue["mood"]
        results.append(
            CueResult(
                story=label,
                cue_id=str(cue["id"]),
                beat=str(cue["beat"]),
                style=str(cue.get("style", "")),
                planned_key=str(cue.get("key", "")),
                planned_tempo_bpm=float(cue.get("tempo_bpm", math.nan)),
                file=str(cue["file"]),
                target={name: float(mood[name]) for name in DIMENSIONS},
                measured=measure_file(folder / cue["file"]),
            )
        )
    return results


def default_stories() -> list[Path | None]:
    """``benchmarks/stories/*.toml`` (sorted) and ``None`` for the built-in story."""
    folder = Path(__file__).resolve().parent / "stories"
    return [*sorted(folder.glob("*.toml")), None]


def score_into(stories: Iterable[Path | None], root: Path, *, seed: int | None) -> list[Path]:
    """Score each story in-process and write its output contract under ``root/<story>``.

    Args:
        stories: story files; ``None`` is the built-in story.
        root: parent folder of the output folders.
        seed: overrides every story's seed when given.

    Returns:
        The output folders, in story order.
    """
    from soundtrack.export import write_story
    from soundtrack.pipeline import score_story
    from soundtrack.story import load_story

    folders = []
    for path in stories:
        name = path.stem if path is not None else "builtin"
        folder = root / name
        scored = score_story(load_story(path), seed=seed)
        write_story(scored, folder, force=True)
        folders.append(folder)
    return folders


# ---------------------------------------------------------------- report


@dataclass(frozen=True, slots=True)
class Report:
    """Rank correlations of measured vs target mood, per story and pooled."""

    per_story: dict[str, dict[str, float]]
    pooled: dict[str, float]
    cues: int
    features: dict[str, float]
    cross: dict[str, dict[str, float]]
    target_cross: dict[str, float]
    by_style: dict[str, dict[str, float]]
    mode_agreement: tuple[int, int]
    passed: dict[str, bool]


#: Single measures correlated with their target dimension (diagnostics).
FEATURES: dict[str, tuple[str, str]] = {
    "tempo_bpm": ("arousal", "tempo (click bpm)"),
    "quarter_bpm": ("arousal", "tempo (quarter bpm)"),
    "notes_per_second": ("arousal", "onsets per second"),
    "loudness": ("arousal", "mean velocity x expression"),
    "major": ("valence", "heard mode (major 1, minor 0)"),
    "major_r": ("valence", "best major r"),
    "minor_r": ("valence", "best minor r (expect < 0)"),
    "dissonance": ("tension", "vertical dissonance"),
    "chromaticism": ("tension", "chromaticism"),
}


def _column(results: Sequence[CueResult], name: str) -> FloatArray:
    return np.array([getattr(result.measured, name) for result in results], dtype=np.float64)


def _targets(results: Sequence[CueResult], name: str) -> FloatArray:
    return np.array([result.target[name] for result in results], dtype=np.float64)


def build_report(results: Sequence[CueResult], target_rho: float = TARGET_RHO) -> Report:
    """Spearman rho of every measured dimension against its target, per story and pooled."""
    per_story: dict[str, dict[str, float]] = {}
    for story in dict.fromkeys(result.story for result in results):
        subset = [result for result in results if result.story == story]
        per_story[story] = {
            name: spearman(_column(subset, name), _targets(subset, name)) for name in DIMENSIONS
        }
        per_story[story]["cues"] = float(len(subset))
    pooled = {
        name: spearman(_column(results, name), _targets(results, name)) for name in DIMENSIONS
    }
    features = {
        name: spearman(_column(results, name), _targets(results, dimension))
        for name, (dimension, _) in FEATURES.items()
    }
    cross = {
        measured: {
            target: spearman(_column(results, measured), _targets(results, target))
            for target in DIMENSIONS
        }
        for measured in DIMENSIONS
    }
    targets = {name: _targets(results, name) for name in DIMENSIONS}
    target_cross = {
        f"{first}-{second}": spearman(targets[first], targets[second])
        for index, first in enumerate(DIMENSIONS)
        for second in DIMENSIONS[index + 1 :]
    }
    by_style: dict[str, dict[str, float]] = {}
    for style in sorted({result.style for result in results}):
        subset = [result for result in results if result.style == style]
        row = {"cues": float(len(subset))}
        for name in DIMENSIONS:
            measured, target = _column(subset, name), _targets(subset, name)
            row[name] = spearman(measured, target)
            row[f"{name}_target_mean"] = float(np.mean(target))
            row[f"{name}_measured_mean"] = float(np.nanmean(measured))
        by_style[style] = row
    agreeing = sum(
        result.planned_key.split()[-1:] == result.measured.key.split()[-1:] for result in results
    )
    passed = {name: bool(pooled[name] >= target_rho) for name in DIMENSIONS}
    return Report(
        per_story=per_story,
        pooled=pooled,
        cues=len(results),
        features=features,
        cross=cross,
        target_cross=target_cross,
        by_style=by_style,
        mode_agreement=(agreeing, len(results)),
        passed=passed,
    )


def _fmt(value: float, width: int = 7, digits: int = 2) -> str:
    return f"{'-':>{width}}" if math.isnan(value) else f"{value:>{width}.{digits}f}"


def format_report(report: Report, results: Sequence[CueResult], *, cues: bool) -> str:
    """The human-readable report (tables of rho, verdicts; the per-cue table when ``cues``)."""
    lines = ["Mood fit: Spearman rho, measured (from MIDI) vs target (cue sheet)", ""]
    lines.append(f"{'story':<28}{'cues':>5}" + "".join(f"{name:>9}" for name in DIMENSIONS))
    for story, values in report.per_story.items():
        label = f"{story[:27]:<28}{int(values['cues']):>5}"
        lines.append(label + "".join(_fmt(values[name], 9) for name in DIMENSIONS))
    lines.append(
        f"{'pooled':<28}{report.cues:>5}"
        + "".join(_fmt(report.pooled[name], 9) for name in DIMENSIONS)
    )
    verdicts = "".join(f"{'PASS' if report.passed[name] else 'FAIL':>9}" for name in DIMENSIONS)
    lines.append(f"{f'target >= {TARGET_RHO:g}':<33}{verdicts}")
    lines += ["", "Single measures vs their target dimension (pooled rho):"]
    for name, (dimension, label) in FEATURES.items():
        lines.append(f"  {label:<30} vs {dimension:<8}{_fmt(report.features[name])}")
    agreeing, total = report.mode_agreement
    lines.append(f"  heard mode = the cue sheet key's mode: {agreeing} of {total} cues")
    lines += ["", "Measured (rows) vs target (columns), pooled rho:"]
    lines.append(f"  {'':<10}" + "".join(f"{name:>9}" for name in DIMENSIONS))
    for measured, row in report.cross.items():
        lines.append(f"  {measured:<10}" + "".join(_fmt(row[name], 9) for name in DIMENSIONS))
    lines.append(
        "  (targets among themselves: "
        + ", ".join(f"{pair} {_fmt(rho, 0)}" for pair, rho in report.target_cross.items())
        + ")"
    )
    lines += [
        "",
        "Within each style: rho (cues of the style only) and mean target -> mean measured:",
        f"  {'style':<18}{'cues':>5}" + "".join(f"{name:>24}" for name in DIMENSIONS),
    ]
    for style, row in report.by_style.items():
        cells = "".join(
            f"{_fmt(row[name], 7)}{_fmt(row[f'{name}_target_mean'], 8)} ->"
            f"{_fmt(row[f'{name}_measured_mean'], 6)}"
            for name in DIMENSIONS
        )
        lines.append(f"  {style[:17]:<18}{int(row['cues']):>5}{cells}")
    if cues:
        lines += ["", _cue_table(results)]
    return "\n".join(lines)


def _cue_table(results: Sequence[CueResult]) -> str:
    """One line per cue: target and measured mood, the raw measures, planned key vs heard."""
    header = (
        f"{'story':<12}{'cue':<6}{'beat':<18}{'style':<17}"
        f"{'tV':>6}{'mV':>6}{'tA':>6}{'mA':>6}{'tT':>6}{'mT':>6}"
        f"{'bpm':>6}{'n/s':>6}{'vel':>5}{'diss':>6}{'chr':>6}  planned key -> heard"
    )
    lines = [header]
    for result in results:
        m = result.measured
        t = result.target
        lines.append(
            f"{result.story[:11]:<12}{result.cue_id:<6}{result.beat[:17]:<18}"
            f"{result.style[:16]:<17}"
            f"{_fmt(t['valence'], 6)}{_fmt(m.valence, 6)}{_fmt(t['arousal'], 6)}"
            f"{_fmt(m.arousal, 6)}{_fmt(t['tension'], 6)}{_fmt(m.tension, 6)}"
            f"{_fmt(m.tempo_bpm, 6, 0)}{_fmt(m.notes_per_second, 6, 1)}{_fmt(m.loudness, 5, 0)}"
            f"{_fmt(m.dissonance, 6)}{_fmt(m.chromaticism, 6)}  {result.planned_key} -> {m.key}"
        )
    return "\n".join(lines)


def report_json(report: Report, results: Sequence[CueResult]) -> str:
    """The report and every cue's measures as JSON (``NaN`` written as ``null``)."""

    def clean(value: object) -> object:
        if isinstance(value, float) and math.isnan(value):
            return None
        if isinstance(value, dict):
            return {key: clean(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [clean(item) for item in value]
        return value

    data = {
        "target_rho": TARGET_RHO,
        "cues": report.cues,
        "pooled": report.pooled,
        "passed": report.passed,
        "per_story": report.per_story,
        "features": report.features,
        "cross": report.cross,
        "target_cross": report.target_cross,
        "by_style": report.by_style,
        "mode_agreement": list(report.mode_agreement),
        "cue_results": [asdict(result) for result in results],
    }
    return json.dumps(clean(data), indent=2)


# ---------------------------------------------------------------- command line


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.mood_fit",
        description="Measure the mood of written MIDI cues against the cue sheet's target mood.",
    )
    parser.add_argument(
        "stories",
        nargs="*",
        type=Path,
        help="story files to score [default: benchmarks/stories/*.toml and the built-in story]",
    )
    parser.add_argument("--no-builtin", action="store_true", help="leave out the built-in story")
    parser.add_argument(
        "--scored",
        nargs="+",
        type=Path,
        metavar="DIR",
        help="measure existing `soundtrack score` output folders instead of scoring stories",
    )
    parser.add_argument("--seed", type=int, default=None, help="seed for every story")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="write the scored output here")
    parser.add_argument("--cues", action="store_true", help="also print one line per cue")
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")
    parser.add_argument(
        "--check", action="store_true", help=f"exit 1 unless pooled rho >= {TARGET_RHO:g} for all"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; returns the exit status (1 on FAIL with ``--check``)."""
    args = _parser().parse_args(argv)
    results: list[CueResult] = []
    if args.scored:
        for folder in args.scored:
            results.extend(measure_folder(folder))
    else:
        stories: list[Path | None] = list(args.stories) or default_stories()
        if args.stories and not args.no_builtin:
            stories.append(None)
        if args.no_builtin:
            stories = [story for story in stories if story is not None]
        with tempfile.TemporaryDirectory(prefix="mood-fit-") as temporary:
            root = args.keep if args.keep is not None else Path(temporary)
            for folder in score_into(stories, root, seed=args.seed):
                results.extend(measure_folder(folder, story=folder.name))
    report = build_report(results)
    if args.json:
        print(report_json(report, results))
    else:
        print(format_report(report, results, cues=args.cues))
    return 1 if args.check and not all(report.passed.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
