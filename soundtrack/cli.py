"""The command line: ``soundtrack score | cue | preview | styles | motifs | arc | validate``.

Only this module prints. Exit status: 0 on success, 2 on bad input or usage (one line per
problem on stderr, no traceback, nothing written), 1 on a bug (with its traceback).
"""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path
from typing import Annotated, cast

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from soundtrack.errors import SoundtrackError
from soundtrack.export import midi_bytes, story_files
from soundtrack.export.files import OutputFile, write_outputs
from soundtrack.export.midi import read_scene, scene_midi
from soundtrack.export.musicxml import engrave
from soundtrack.export.preview import cue_preview_files, story_preview_files
from soundtrack.export.report import REPORT_NAME
from soundtrack.model import CueSpec, Mood, Saxophone, Scene
from soundtrack.mood import arc_rows, mood_arc
from soundtrack.motifs import list_motifs, load_motif
from soundtrack.pipeline import score_cue, score_story
from soundtrack.pitch import parse_key
from soundtrack.spotting import plan_sketch
from soundtrack.story import load_story
from soundtrack.styles import list_styles, load_style

__all__ = ["app", "main", "run"]

logger = logging.getLogger(__name__)

app = typer.Typer(
    name="soundtrack",
    help="Score a story with saxophone-led MIDI cues.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

_out = Console(soft_wrap=True)
_err = Console(stderr=True)

StoryArgument = Annotated[
    Path | None,
    typer.Argument(help="Story file (TOML or JSON); the built-in story when omitted."),
]
SeedOption = Annotated[
    int | None, typer.Option("--seed", min=0, help="Seed (overrides the story's).")
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Replace files that soundtrack did not write.")
]
PreviewOption = Annotated[
    bool,
    typer.Option(
        "--preview", help="Also write audio (WAV), piano rolls, MusicXML (and the report page)."
    ),
]
SoundfontOption = Annotated[
    Path | None,
    typer.Option(
        "--soundfont",
        help="General MIDI SoundFont for audio [SOUNDTRACK_SOUNDFONT, a system one, or pip's].",
    ),
]


def _progress() -> Progress:
    """A progress bar on the terminal's stderr; silent when stderr is not a terminal."""
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=_err,
        disable=not _err.is_terminal,
        transient=True,
    )


def _engrave_hint(paths: list[Path]) -> None:
    """Engrave the saxophone parts among ``paths`` as PDF/PNG when an engraver is installed;
    else print, once, how to get them."""
    for path in paths:
        if not path.name.endswith("-sax.musicxml"):
            continue
        try:
            engrave(path, path.parent)
        except SoundtrackError as error:
            _out.print(f"hint: {error}")
            return


def _story_label(path: Path | None) -> str:
    return str(path) if path is not None else "the built-in story"


@app.command()
def score(
    story: StoryArgument = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Output folder [default: output/<story file name>]."),
    ] = None,
    seed: SeedOption = None,
    preview: PreviewOption = False,
    soundfont: SoundfontOption = None,
    force: ForceOption = False,
) -> None:
    """Compose a whole story: cue sheet, one MIDI file per scene and score.mid (with --preview
    also audio, piano rolls, MusicXML and the report page index.html)."""
    loaded = load_story(story)
    folder = (
        out
        if out is not None
        else Path("output") / (story.stem if story else "moscow-on-the-hudson")
    )
    total = sum(1 for beat in loaded.beats if beat.music)
    with _progress() as progress:
        task = progress.add_task("composing", total=total)

        def advance(spec: CueSpec) -> None:
            progress.update(task, advance=1, description=f"{spec.cue_id} {spec.title}")

        scored = score_story(loaded, seed=seed, on_cue=advance)
        files = story_files(scored)
        if preview:
            progress.update(task, completed=0, description="previewing")

            def previewed(scene: Scene) -> None:
                spec = scene.spec
                progress.update(task, advance=1, description=f"{spec.cue_id} {spec.title}")

            files += story_preview_files(scored, soundfont=soundfont, on_scene=previewed)
        progress.update(task, description="writing")
        written = write_outputs(folder, files, force=force)
    minutes = scored.story.duration_seconds / 60
    _out.print(
        f"Scored {_story_label(story)}: {len(scored.scenes)} cues over {minutes:.1f} min "
        f"(seed {scored.story.seed}) -> {folder}/"
    )
    if preview:
        _out.print(f"Preview: {folder / REPORT_NAME}")
        _engrave_hint(written)


@app.command()
def cue(
    style: Annotated[
        str, typer.Option("--style", "-s", help="Style id (see `soundtrack styles`).")
    ],
    valence: Annotated[
        float | None, typer.Option(min=-1.0, max=1.0, help="-1 sad .. 1 happy [style's].")
    ] = None,
    arousal: Annotated[
        float | None, typer.Option(min=0.0, max=1.0, help="0 calm .. 1 excited [style's].")
    ] = None,
    tension: Annotated[
        float | None, typer.Option(min=0.0, max=1.0, help="0 relaxed .. 1 suspense [style's].")
    ] = None,
    bars: Annotated[int | None, typer.Option(min=1, max=512, help="Length in bars.")] = None,
    seconds: Annotated[
        float | None, typer.Option(min=1.0, max=3600.0, help="Length in seconds (exact).")
    ] = None,
    key: Annotated[str | None, typer.Option(help="Key, e.g. 'D minor', 'Bb'.")] = None,
    tempo: Annotated[
        float | None, typer.Option(min=20.0, max=320.0, help="Tempo in beats per minute.")
    ] = None,
    lead: Annotated[Saxophone, typer.Option(help="Lead saxophone.")] = Saxophone.ALTO,
    seed: Annotated[int, typer.Option(min=0, help="Seed.")] = 0,
    motif: Annotated[
        list[str] | None,
        typer.Option(
            "--motif",
            "-m",
            help="Leitmotif to state (repeatable; the first leads; see `soundtrack motifs`).",
        ),
    ] = None,
    motif_folder: Annotated[
        list[Path] | None,
        typer.Option("--motif-folder", help="Extra folder of motif files (repeatable)."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="MIDI file [default: output/cues/<style>-<seed>.mid]."),
    ] = None,
    preview: PreviewOption = False,
    soundfont: SoundfontOption = None,
    force: ForceOption = False,
) -> None:
    """Compose one cue in a style (a sketch for composers), optionally stating leitmotifs;
    with --preview also its audio, piano roll and MusicXML beside the MIDI file."""
    if bars is not None and seconds is not None:
        raise SoundtrackError("--bars and --seconds: expected one of them, got both")
    chosen_style = load_style(style)
    parsed_key = parse_key(key) if key is not None else None
    if key is not None and parsed_key is None:
        raise SoundtrackError(f"--key: expected a key such as 'D minor' or 'Bb', got {key!r}")
    if parsed_key is not None and parsed_key.mode not in chosen_style.modes:
        modes = " or ".join(mode.value for mode in chosen_style.modes)
        raise SoundtrackError(
            f"--key: style {chosen_style.id} plays in {modes} keys; "
            f"expected such a key, got {key!r}"
        )
    mood = Mood(
        valence=chosen_style.mood.valence if valence is None else valence,
        arousal=chosen_style.mood.arousal if arousal is None else arousal,
        tension=chosen_style.mood.tension if tension is None else tension,
    )
    spec = plan_sketch(
        chosen_style,
        mood=mood,
        bars=bars,
        seconds=seconds,
        key=parsed_key,
        tempo_bpm=tempo,
        lead=lead,
        motifs=tuple(load_motif(name, motif_folder or ()) for name in dict.fromkeys(motif or ())),
    )
    path = out if out is not None else Path("output") / "cues" / f"{chosen_style.id}-{seed}.mid"
    scene = score_cue(spec, seed)
    midi = scene_midi(scene)
    files = [OutputFile(relative_path=path.name, data=midi_bytes(midi))]
    if preview:
        files += cue_preview_files(scene, path.stem, soundfont=soundfont, midi=midi)
    written = write_outputs(path.parent, files, force=force)
    _out.print(
        f"{chosen_style.id}: {spec.bars} bars of {spec.meter.text} in {spec.key.name} at "
        f"{spec.tempo_bpm:.1f} bpm, {spec.duration_seconds:.2f} s -> {path}"
    )
    for use in scene.motifs:
        _out.print(
            f"  {use.name}: {use.transform}, bars {use.start_bar + 1}-"
            f"{use.start_bar + use.bars}, {use.part}"
        )
    if preview:
        _out.print("Preview: " + ", ".join(str(item) for item in written[1:]))
        _engrave_hint(written)


@app.command()
def preview(
    midi_file: Annotated[
        Path, typer.Argument(help="A MIDI file (a scene or cue soundtrack wrote).")
    ],
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Folder for the previews [default: beside the file]."),
    ] = None,
    soundfont: SoundfontOption = None,
    audio: Annotated[bool, typer.Option("--audio/--no-audio", help="Render the WAV.")] = True,
    force: ForceOption = False,
) -> None:
    """Hear, read and see a MIDI file: WAV, piano-roll PNG, saxophone part and score MusicXML."""
    try:
        data = midi_file.read_bytes()
    except OSError as error:
        raise SoundtrackError(
            f"{midi_file}: expected a readable MIDI file ({error.strerror or error})"
        ) from None
    scene = read_scene(data, source=str(midi_file))
    folder = out if out is not None else midi_file.parent
    started = time.perf_counter()
    files = cue_preview_files(scene, midi_file.stem, audio=audio, soundfont=soundfont)
    elapsed = time.perf_counter() - started
    written = write_outputs(folder, files, force=force)
    seconds = scene.spec.duration_seconds
    _out.print(
        f"{midi_file.name}: {seconds:.1f} s previewed in {elapsed:.1f} s -> "
        + ", ".join(str(item) for item in written)
    )
    _engrave_hint(written)


@app.command()
def styles(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the styles with a one-line description each."""
    available = list_styles()
    if as_json:
        rows = [
            {
                "id": style.id,
                "name": style.name,
                "description": style.description,
                "meter": style.meter.text,
                "tempo_bpm": [style.tempo_min_bpm, style.tempo_max_bpm],
                "settings": list(style.settings),
            }
            for style in available
        ]
        print(json.dumps(rows, indent=2))
        return
    table = Table(box=None, show_header=True, header_style="bold")
    for column in ("style", "meter", "tempo", "description"):
        table.add_column(column)
    for style in available:
        table.add_row(
            style.id,
            style.meter.text,
            f"{style.tempo_min_bpm:g}-{style.tempo_max_bpm:g}",
            style.description,
        )
    _out.print(table)


@app.command()
def motifs(
    story: Annotated[
        Path | None,
        typer.Argument(help="Story file: also list the motifs of its motif folders."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the leitmotifs: built-in ones, and with a story also those of its folders."""
    folders = load_story(story).motif_folders if story is not None else ()
    available = list_motifs(folders)
    if as_json:
        rows = [
            {
                "name": motif.name,
                "title": motif.title,
                "key": motif.key.name,
                "meter": motif.meter.text,
                "bars": motif.bars,
                "instrument": motif.instrument,
                "program": motif.program,
                "stands_for": motif.stands_for,
                "source": motif.source,
            }
            for motif in available
        ]
        print(json.dumps(rows, indent=2))
        return
    # The title and the full source path are in --json; the table keeps room for "stands for".
    table = Table(box=None, show_header=True, header_style="bold")
    columns = ["motif", "key", "bars", "instrument"]
    if folders:
        columns.append("from")
    columns.append("stands for")
    for column in columns:
        wrap = column == "stands for"
        table.add_column(column, justify="right" if column == "bars" else "left", no_wrap=not wrap)
    for motif in available:
        cells = [
            motif.name,
            motif.key.name,
            f"{motif.bars} ({motif.meter.text})",
            motif.instrument or "lead",
        ]
        if folders:
            cells.append(
                "built-in" if motif.source == "<built-in>" else Path(motif.source).parent.name
            )
        cells.append(motif.stands_for)
        table.add_row(*cells)
    _out.print(table)


@app.command()
def arc(
    story: StoryArgument = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print the story's mood arc, one row per beat (* = explicit in the story)."""
    loaded = load_story(story)
    rows = arc_rows(loaded, mood_arc(loaded))
    if as_json:
        print(json.dumps(rows, indent=2, default=str))
        return
    table = Table(title=loaded.title, box=None, header_style="bold")
    for column in ("#", "beat", "start", "length", "valence", "arousal", "tension", "music"):
        table.add_column(column, justify="right" if column not in ("beat",) else "left")
    for row, beat in zip(rows, loaded.beats, strict=True):
        explicit = set(cast(list[str], row["explicit"]))
        cells = [
            f"{cast(float, row[name]):+.2f}{'*' if name in explicit else ' '}"
            for name in ("valence", "arousal", "tension")
        ]
        table.add_row(
            str(beat.index + 1),
            beat.id,
            _minutes(beat.start_seconds),
            _minutes(beat.duration_seconds),
            *cells,
            "yes" if beat.music else "no",
        )
    _out.print(table)


def _minutes(seconds: float) -> str:
    return f"{int(seconds // 60)}:{seconds % 60:04.1f}"


@app.command()
def validate(story: StoryArgument = None) -> None:
    """Check a story file and report every problem in it."""
    loaded = load_story(story)
    music = sum(1 for beat in loaded.beats if beat.music)
    _out.print(
        f"{_story_label(story)}: valid — {len(loaded.beats)} beats, {music} with music, "
        f"{loaded.duration_seconds / 60:.1f} min"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the CLI with ``argv`` (default: ``sys.argv[1:]``); returns the exit status."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        result = app(args=argv, prog_name="soundtrack", standalone_mode=False)
    except SoundtrackError as error:
        for line in error.lines:
            print(f"soundtrack: error: {line}", file=sys.stderr)
        return 2
    except typer.Exit as stop:
        return int(stop.exit_code)
    except typer.Abort:
        print("soundtrack: aborted", file=sys.stderr)
        return 2
    except Exception as error:
        # Usage errors are click's ClickException (vendored by newer typer releases): they carry
        # format_message() and an exit code; anything else is a bug and keeps its traceback.
        format_message = getattr(error, "format_message", None)
        if format_message is None or not hasattr(error, "exit_code"):
            raise
        print(f"soundtrack: error: {format_message()}", file=sys.stderr)
        return 2
    return int(result) if isinstance(result, int) else 0


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
