"""The report page: ``DIR/index.html``, one self-contained page about a scored story.

Input: a :class:`~soundtrack.pipeline.ScoredStory` and the mood measured from each cue's MIDI
(:func:`soundtrack.export.analysis.measured_mood`). Output: the HTML text of the page (the caller
writes it; see :func:`report_html`).

The page shows, top to bottom: the story's title and figures; the **mood arc** (valence, arousal,
tension: the target curve over story time and the measured value of each cue as a marker at the
cue's centre), as inline SVG; the **cue timeline** (one block per cue at its start and length,
coloured by style, silent beats as dashed gaps, and one lane per leitmotif marking its
statements), inline SVG; a table of the cues; and one section per cue (anchor ``cue-<cue id>``)
with its number, title, style, key, meter, tempo, mood, leitmotifs, an audio player, the piano
roll and links to its MIDI and MusicXML files.

Everything is inline (CSS, SVG); there is no script, no web font and no network reference; every
link is relative to the page, so the folder works opened from disk, copied or zipped. The files
it links to, relative to the page, for a scene whose MIDI file is ``scenes/NN_<beat>.mid``::

    scenes/NN_<beat>.mid                the cue's MIDI file
    preview/NN_<beat>.wav               audio preview (linked when ``audio``)
    preview/NN_<beat>.png               piano roll
    sheet/NN_<beat>-sax.musicxml        the saxophone part (linked when ``sheets``)
    sheet/NN_<beat>-score.musicxml      the full score (linked when ``sheets``)
"""

from __future__ import annotations

import html
import math
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

from soundtrack.errors import StyleError
from soundtrack.model import Beat, Mood, MotifUse, Scene
from soundtrack.mood import mood_samples
from soundtrack.styles import load_style
from soundtrack.units import format_timecode, tempo_map_seconds

if TYPE_CHECKING:
    from soundtrack.pipeline import ScoredStory

__all__ = [
    "REPORT_NAME",
    "STYLE_COLOURS",
    "SceneFiles",
    "report_html",
    "scene_files",
    "style_colour",
]

#: File name of the report page inside the output folder.
REPORT_NAME = "index.html"

#: Fill colour of each built-in style on the timeline: families share a hue (circus and Soviet
#: brass reds, jazz blues, Latin oranges, Russian purples, dark film greys, celebrations greens).
STYLE_COLOURS: dict[str, str] = {
    "circus-galop": "#d62728",
    "circus-march": "#f07a6a",
    "apparatchik": "#8c2d04",
    "russian-lament": "#6a51a3",
    "russian-nightclub": "#9e7fd1",
    "swing": "#1f77b4",
    "bebop": "#17becf",
    "ballad": "#9ecae1",
    "blues-shuffle": "#3949ab",
    "cha-cha": "#ff9f1c",
    "bolero": "#e377c2",
    "suspense": "#525252",
    "chase": "#111111",
    "hora": "#2ca02c",
    "tarantella": "#bcbd22",
    "wedding-standard": "#98df8a",
    "americana": "#a0785a",
}
# Colours for styles that are not built in (picked by a stable hash of the style id).
_EXTRA_COLOURS = ("#7f7f7f", "#c49c94", "#dbdb8d", "#aec7e8", "#ffbb78", "#c5b0d5")

#: Colour of each mood dimension on the arc.
_DIMENSION_COLOURS = {"valence": "#1b9e77", "arousal": "#d95f02", "tension": "#7570b3"}
_DIMENSION_RANGES = {"valence": (-1.0, 1.0), "arousal": (0.0, 1.0), "tension": (0.0, 1.0)}
_DIMENSION_HINTS = {
    "valence": "sad .. happy",
    "arousal": "calm .. excited",
    "tension": "relaxed .. suspense",
}

# SVG geometry, in viewBox units (the SVG scales to the page width).
_WIDTH = 1000.0
_LEFT = 124.0
_RIGHT = 12.0
_PLOT = _WIDTH - _LEFT - _RIGHT


@dataclass(frozen=True, slots=True, kw_only=True)
class SceneFiles:
    """The files of one scene, as paths relative to the report page (POSIX)."""

    midi: str
    audio: str
    piano_roll: str
    sax_sheet: str
    score_sheet: str


def scene_files(scene: Scene) -> SceneFiles:
    """Where the report expects a scene's files (see the module docstring)."""
    from soundtrack.export import scene_file_name  # here: the package may import this module

    midi = scene_file_name(scene)
    stem = midi.removeprefix("scenes/").removesuffix(".mid")
    return SceneFiles(
        midi=midi,
        audio=f"preview/{stem}.wav",
        piano_roll=f"preview/{stem}.png",
        sax_sheet=f"sheet/{stem}-sax.musicxml",
        score_sheet=f"sheet/{stem}-score.musicxml",
    )


def style_colour(style_id: str) -> str:
    """The timeline colour of a style (:data:`STYLE_COLOURS`; a stable fallback otherwise)."""
    if style_id in STYLE_COLOURS:
        return STYLE_COLOURS[style_id]
    return _EXTRA_COLOURS[zlib.crc32(style_id.encode("utf-8")) % len(_EXTRA_COLOURS)]


def _text_colour(fill: str) -> str:
    """Black or white, whichever reads better on ``fill`` (``#rrggbb``)."""
    red, green, blue = (int(fill[index : index + 2], 16) for index in (1, 3, 5))
    return "#000" if 0.299 * red + 0.587 * green + 0.114 * blue > 150 else "#fff"


def _e(text: object) -> str:
    """Escape text for HTML content and attribute values."""
    return html.escape(str(text), quote=True)


def _href(path: str) -> str:
    """A relative link to ``path`` (percent-encoded, then escaped for the attribute)."""
    return _e(quote(path, safe="/-_.~"))


def _anchor(cue_id: str) -> str:
    return "cue-" + "".join(char if char.isalnum() or char in "-_" else "_" for char in cue_id)


def _style_name(style_id: str) -> str:
    try:
        return load_style(style_id).name
    except StyleError:
        return style_id


def _clock(seconds: float) -> str:
    """``M:SS`` (or ``H:MM:SS``) for axis labels."""
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _num(value: float) -> str:
    """A coordinate for SVG (two decimals, no trailing zeros)."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _bar_seconds(scene: Scene, bar: int) -> float:
    """Seconds from the cue start to the start of ``bar`` (0-based), through its tempo map."""
    spec = scene.spec
    tick = min(bar * spec.meter.bar_ticks, spec.end_tick)
    changes = [(change.start_tick, change.microseconds_per_quarter) for change in spec.tempo_map]
    return tempo_map_seconds(tick, changes)


def _motif_seconds(scene: Scene, use: MotifUse) -> tuple[float, float]:
    """Story-time start and end (seconds) of a leitmotif statement."""
    start = scene.spec.start_seconds + _bar_seconds(scene, use.start_bar)
    end = scene.spec.start_seconds + _bar_seconds(scene, use.start_bar + use.bars)
    return start, max(end, start)


def _time_axis(duration: float, top: float, bottom: float) -> list[str]:
    """Vertical grid lines and ``M:SS`` labels below ``bottom`` every round interval."""
    steps = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600)
    step = next((s for s in steps if duration / s <= 12), steps[-1])
    parts = []
    at = 0.0
    while at <= duration + 1e-9:
        x = _x(at, duration)
        parts.append(
            f'<line class="grid" x1="{_num(x)}" x2="{_num(x)}" y1="{_num(top)}" '
            f'y2="{_num(bottom)}"/>'
            f'<text class="tick" x="{_num(x)}" y="{_num(bottom + 14)}" '
            f'text-anchor="middle">{_clock(at)}</text>'
        )
        at += step
    return parts


def _x(seconds: float, duration: float) -> float:
    return _LEFT + _PLOT * (seconds / duration if duration > 0 else 0.0)


# ---------------------------------------------------------------- mood arc


def _arc_svg(scored: ScoredStory, measured: Sequence[Mood]) -> str:
    """Three stacked panels (valence, arousal, tension): target line, measured markers."""
    duration = max(scored.story.duration_seconds, 1e-6)
    times = sorted({0.0, duration, *(t for t in scored.arc.knot_seconds if 0 <= t <= duration)})
    target = mood_samples(scored.arc, times)
    panel, gap, top = 84.0, 14.0, 8.0
    dimensions = tuple(_DIMENSION_COLOURS)
    height = top + len(dimensions) * (panel + gap) + 12
    parts = [
        f'<svg class="chart" id="mood-arc" viewBox="0 0 {_num(_WIDTH)} {_num(height)}" '
        'role="img" aria-labelledby="arc-title">',
        '<title id="arc-title">Mood arc: target curves and the mood measured from each cue</title>',
    ]
    bottom = top + len(dimensions) * (panel + gap) - gap
    for index in range(len(dimensions)):
        parts.append(
            f'<rect class="panel" x="{_num(_LEFT)}" y="{_num(top + index * (panel + gap))}" '
            f'width="{_num(_PLOT)}" height="{_num(panel)}"/>'
        )
    for beat in scored.story.beats:
        if not beat.music:
            parts.append(
                f'<rect class="silent" x="{_num(_x(beat.start_seconds, duration))}" '
                f'y="{_num(top)}" width="{_num(_PLOT * beat.duration_seconds / duration)}" '
                f'height="{_num(bottom - top)}">'
                f"<title>{_e(beat.title)} (no music)</title></rect>"
            )
    parts += _time_axis(duration, top, bottom)
    for index, name in enumerate(dimensions):
        low, high = _DIMENSION_RANGES[name]
        y0 = top + index * (panel + gap)

        def y(value: float, y0: float = y0, low: float = low, high: float = high) -> float:
            return y0 + panel * (high - min(max(value, low), high)) / (high - low)

        colour = _DIMENSION_COLOURS[name]
        middle = (low + high) / 2
        parts.append(
            f'<line class="mid" x1="{_num(_LEFT)}" x2="{_num(_LEFT + _PLOT)}" '
            f'y1="{_num(y(middle))}" y2="{_num(y(middle))}"/>'
        )
        parts.append(
            f'<text class="dim" x="{_num(_LEFT - 8)}" y="{_num(y0 + panel / 2 - 2)}" '
            f'text-anchor="end" fill="{colour}">{name}</text>'
            f'<text class="tick" x="{_num(_LEFT - 8)}" y="{_num(y0 + panel / 2 + 12)}" '
            f'text-anchor="end">{_DIMENSION_HINTS[name]}</text>'
            f'<text class="tick" x="{_num(_LEFT - 3)}" y="{_num(y0 + 9)}" '
            f'text-anchor="end">{high:g}</text>'
            f'<text class="tick" x="{_num(_LEFT - 3)}" y="{_num(y0 + panel)}" '
            f'text-anchor="end">{low:g}</text>'
        )
        points = " ".join(
            f"{_num(_x(t, duration))},{_num(y(getattr(mood, name)))}"
            for t, mood in zip(times, target, strict=True)
        )
        parts.append(f'<polyline class="target" stroke="{colour}" points="{points}"/>')
        for scene, mood in zip(scored.scenes, measured, strict=True):
            value = getattr(mood, name)
            if not math.isfinite(value):
                continue
            spec = scene.spec
            centre = spec.start_seconds + spec.duration_seconds / 2
            target_value = getattr(spec.mood, name)
            parts.append(
                f'<circle class="measured" cx="{_num(_x(centre, duration))}" '
                f'cy="{_num(y(value))}" r="4.5" fill="{colour}">'
                f"<title>{_e(spec.cue_id)} {_e(spec.title)}: {name} measured {value:.2f}, "
                f"target {target_value:.2f}</title></circle>"
            )
    parts.append("</svg>")
    return "\n".join(parts)


def _arc_legend() -> str:
    return (
        '<ul class="legend">'
        '<li><svg width="28" height="10" aria-hidden="true"><line x1="0" x2="28" y1="5" y2="5" '
        'stroke="#444" stroke-width="2.5"/></svg> target (the story\'s arc)</li>'
        '<li><svg width="12" height="12" aria-hidden="true"><circle cx="6" cy="6" r="4.5" '
        'fill="#444" stroke="#fff"/></svg> measured from the cue\'s MIDI, at the cue\'s centre '
        "(an estimate)</li>"
        '<li><span class="swatch silent-swatch"></span> no music</li>'
        "</ul>"
    )


# ---------------------------------------------------------------- timeline


def _timeline_svg(scored: ScoredStory) -> str:
    """Cue blocks coloured by style, silent beats as gaps, one lane per leitmotif."""
    duration = max(scored.story.duration_seconds, 1e-6)
    names = list(dict.fromkeys(use.name for scene in scored.scenes for use in scene.motifs))
    block_top, block_height, lane_height = 22.0, 40.0, 15.0
    lanes_top = block_top + block_height + 12
    bottom = lanes_top + len(names) * lane_height
    height = bottom + 24
    parts = [
        f'<svg class="chart" id="timeline" viewBox="0 0 {_num(_WIDTH)} {_num(height)}" '
        'role="img" aria-labelledby="timeline-title">',
        '<title id="timeline-title">Cue timeline: cues coloured by style, leitmotif '
        "statements below</title>",
        f'<text class="dim" x="{_num(_LEFT - 8)}" y="{_num(block_top + block_height / 2 + 4)}" '
        'text-anchor="end">cues</text>',
    ]
    parts += _time_axis(duration, block_top, bottom)
    for beat in scored.story.beats:
        if not beat.music:
            parts.append(_silent_block(beat, duration, block_top, block_height))
    for scene in scored.scenes:
        spec = scene.spec
        x = _x(spec.start_seconds, duration)
        width = max(_PLOT * spec.duration_seconds / duration, 1.0)
        fill = style_colour(spec.style)
        parts.append(
            f'<a href="#{_anchor(spec.cue_id)}"><g class="cue" data-cue="{_e(spec.cue_id)}">'
            f"<title>{_e(spec.cue_id)} {_e(spec.title)} ({_e(spec.style)}, "
            f"{_clock(spec.start_seconds)}, {spec.duration_seconds:.0f} s)</title>"
            f'<rect class="block" x="{_num(x)}" y="{_num(block_top)}" width="{_num(width)}" '
            f'height="{_num(block_height)}" fill="{fill}"/>'
        )
        if width >= 7 * len(spec.cue_id) + 4:
            parts.append(
                f'<text class="cue-label" x="{_num(x + width / 2)}" '
                f'y="{_num(block_top + block_height / 2 + 4)}" text-anchor="middle" '
                f'fill="{_text_colour(fill)}">{_e(spec.cue_id)}</text>'
            )
        for hit in spec.hits:
            hx = _x(spec.start_seconds + hit.seconds + hit.error_seconds, duration)
            parts.append(
                f'<path class="hit" d="M{_num(hx - 4)},{_num(block_top - 9)} '
                f'L{_num(hx + 4)},{_num(block_top - 9)} L{_num(hx)},{_num(block_top - 1)} Z">'
                f"<title>hit at {_clock(spec.start_seconds + hit.seconds)}</title></path>"
            )
        parts.append("</g></a>")
    for lane, name in enumerate(names):
        y = lanes_top + lane * lane_height
        parts.append(
            f'<text class="motif-name" x="{_num(_LEFT - 8)}" y="{_num(y + 10)}" '
            f'text-anchor="end">{_e(name)}</text>'
            f'<line class="lane" x1="{_num(_LEFT)}" x2="{_num(_LEFT + _PLOT)}" '
            f'y1="{_num(y + 6)}" y2="{_num(y + 6)}"/>'
        )
        for scene in scored.scenes:
            for use in scene.motifs:
                if use.name != name:
                    continue
                start, end = _motif_seconds(scene, use)
                x = _x(start, duration)
                width = max(_PLOT * (end - start) / duration, 3.0)
                parts.append(
                    f'<rect class="motif" data-motif="{_e(name)}" x="{_num(x)}" '
                    f'y="{_num(y + 1)}" width="{_num(width)}" height="10" rx="2">'
                    f"<title>{_e(name)} in {_e(scene.spec.cue_id)}, bars {use.start_bar + 1}-"
                    f"{use.start_bar + use.bars}, {_e(use.part)} ({_e(use.transform)})</title>"
                    "</rect>"
                )
    parts.append("</svg>")
    return "\n".join(parts)


def _silent_block(beat: Beat, duration: float, top: float, height: float) -> str:
    x = _x(beat.start_seconds, duration)
    width = _PLOT * beat.duration_seconds / duration
    return (
        f'<g class="gap" data-beat="{_e(beat.id)}"><title>{_e(beat.title)} (no music)</title>'
        f'<rect class="silent-block" x="{_num(x)}" y="{_num(top)}" width="{_num(width)}" '
        f'height="{_num(height)}"/></g>'
    )


def _style_legend(scenes: Iterable[Scene]) -> str:
    styles = list(dict.fromkeys(scene.spec.style for scene in scenes))
    items = "".join(
        f'<li><span class="swatch" style="background:{style_colour(style)}"></span>'
        f"{_e(_style_name(style))}</li>"
        for style in styles
    )
    return (
        f'<ul class="legend">{items}<li><span class="swatch silent-swatch"></span>no music</li>'
        '<li><span class="swatch motif-swatch"></span>leitmotif statement</li>'
        '<li><svg width="12" height="10" aria-hidden="true"><path d="M2,1 L10,1 L6,9 Z" '
        'fill="#333"/></svg> hit point</li></ul>'
    )


# ---------------------------------------------------------------- cue table and sections


def _mood_cells(mood: Mood) -> str:
    """Table cells of valence, arousal, tension (a dash where not measurable)."""
    cells = []
    for value, signed in ((mood.valence, True), (mood.arousal, False), (mood.tension, False)):
        if not math.isfinite(value):
            text = "&ndash;"
        else:
            text = f"{value:+.2f}" if signed else f"{value:.2f}"
        cells.append(f'<td class="num">{text}</td>')
    return "".join(cells)


def _mood_table(target: Mood, measured: Mood) -> str:
    return (
        '<table class="mood"><thead><tr><th>mood</th><th class="num">valence</th>'
        '<th class="num">arousal</th><th class="num">tension</th></tr></thead><tbody>'
        f"<tr><th>target</th>{_mood_cells(target)}</tr>"
        f"<tr><th>measured</th>{_mood_cells(measured)}</tr></tbody></table>"
    )


def _cue_table(scored: ScoredStory) -> str:
    story = scored.story
    rows = []
    for scene in scored.scenes:
        spec = scene.spec
        timecode = format_timecode(
            spec.start_seconds, story.frame_rate, drop_frame=story.drop_frame
        )
        rows.append(
            "<tr>"
            f'<td><a href="#{_anchor(spec.cue_id)}">{_e(spec.cue_id)}</a></td>'
            f"<td>{_e(spec.title)}</td>"
            f'<td><span class="swatch" style="background:{style_colour(spec.style)}"></span>'
            f"{_e(_style_name(spec.style))}</td>"
            f'<td class="num">{_e(timecode)}</td>'
            f'<td class="num">{_clock(spec.duration_seconds)}</td>'
            f"<td>{_e(spec.key.name)}</td>"
            f'<td class="num">{spec.tempo_bpm:.0f}</td>'
            "</tr>"
        )
    return (
        '<div class="table-wrap"><table class="cues"><thead><tr><th>cue</th><th>title</th>'
        '<th>style</th><th class="num">start</th><th class="num">length</th><th>key</th>'
        '<th class="num">bpm</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table></div>"
    )


def _motif_list(scene: Scene) -> str:
    if not scene.motifs:
        return "none"
    items = "".join(
        f"<li><strong>{_e(use.name)}</strong> bars {use.start_bar + 1}&ndash;"
        f'{use.start_bar + use.bars}, {_e(use.part)} <span class="muted">'
        f"({_e(use.transform)})</span></li>"
        for use in scene.motifs
    )
    return f'<ul class="motifs">{items}</ul>'


def _cue_section(
    scored: ScoredStory, scene: Scene, measured: Mood, *, audio: bool, sheets: bool
) -> str:
    story = scored.story
    spec = scene.spec
    files = scene_files(scene)

    def timecode(seconds: float) -> str:
        return format_timecode(seconds, story.frame_rate, drop_frame=story.drop_frame)

    fill = style_colour(spec.style)
    facts = [
        ("Style", f'{_e(_style_name(spec.style))} <span class="muted">({_e(spec.style)})</span>'),
        ("Key", _e(spec.key.name)),
        ("Meter", _e(spec.meter.text)),
        ("Tempo", f"{spec.tempo_bpm:.0f} bpm"),
        (
            "Time",
            f"{_e(timecode(spec.start_seconds))} &ndash; "
            f"{_e(timecode(spec.start_seconds + spec.duration_seconds))}",
        ),
        ("Length", f"{spec.duration_seconds:.1f} s, {spec.bars} bars"),
        ("Lead", f"{_e(spec.lead.value)} saxophone"),
    ]
    dl = "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in facts)
    details = (
        f'<div class="cue-grid"><dl class="facts">{dl}</dl><div>'
        f"{_mood_table(spec.mood, measured)}"
        f'<p class="motif-head">Leitmotifs</p>{_motif_list(scene)}</div></div>'
    )
    media = []
    if audio:
        media.append(
            f'<audio controls preload="none" src="{_href(files.audio)}">'
            f'<a href="{_href(files.audio)}">audio preview</a></audio>'
        )
    media.append(
        f'<img class="roll" loading="lazy" src="{_href(files.piano_roll)}" '
        f'alt="Piano roll of cue {_e(spec.cue_id)}, {_e(spec.title)}">'
    )
    links = [f'<a href="{_href(files.midi)}">MIDI</a>']
    if sheets:
        links.append(f'<a href="{_href(files.sax_sheet)}">MusicXML (saxophone part)</a>')
        links.append(f'<a href="{_href(files.score_sheet)}">MusicXML (score)</a>')
    return (
        f'<section class="cue-section" id="{_anchor(spec.cue_id)}" '
        f'data-cue="{_e(spec.cue_id)}" style="border-left-color:{fill}">'
        f'<h2><span class="cue-id">{_e(spec.cue_id)}</span> {_e(spec.title)}</h2>'
        + details
        + "".join(media)
        + '<p class="links">'
        + " &middot; ".join(links)
        + ' &middot; <a href="#top">top</a></p></section>'
    )


_CSS = """
:root { color-scheme: light; --ink: #1d1d1f; --muted: #666; --line: #d8d8dc; --bg: #fafafa; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 20px 24px 48px; }
h1 { font-size: 1.8rem; margin: 0 0 4px; }
h2 { font-size: 1.3rem; margin: 0 0 10px; }
.summary { color: var(--muted); margin: 0 0 16px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px;
  margin: 0 0 18px; }
.card > h2 { font-size: 1.15rem; }
.note { color: var(--muted); font-size: 0.9rem; margin: 6px 0 0; }
svg.chart { display: block; width: 100%; height: auto; }
svg.chart text { font-family: system-ui, sans-serif; }
.panel { fill: #fff; stroke: #c8c8cc; }
.mid { stroke: #e3e3e6; stroke-dasharray: 3 3; }
.grid { stroke: #ececef; }
.tick { font-size: 11px; fill: #777; }
.dim { font-size: 13px; font-weight: 600; fill: #333; }
.target { fill: none; stroke-width: 2.5; stroke-linejoin: round; }
.measured { stroke: #fff; stroke-width: 1.5; }
.silent { fill: #f1f1f3; }
.silent-block { fill: #fff; stroke: #999; stroke-dasharray: 4 3; }
.block { stroke: #fff; stroke-width: 1; }
.cue:hover .block { stroke: #000; stroke-width: 2; }
.cue-label { font-size: 11px; font-weight: 600; pointer-events: none; }
.hit { fill: #333; }
.lane { stroke: #eee; }
.motif { fill: #4d4d4d; }
.motif-name { font-size: 11px; fill: #444; }
.legend { list-style: none; padding: 0; margin: 8px 0 0; display: flex; flex-wrap: wrap;
  gap: 4px 16px; font-size: 0.88rem; }
.legend li { display: flex; align-items: center; gap: 6px; }
.swatch { display: inline-block; width: 14px; height: 14px; border-radius: 3px;
  vertical-align: -2px; margin-right: 6px; border: 1px solid rgba(0,0,0,.15); }
.legend .swatch { margin-right: 0; }
.silent-swatch { background: #fff; border: 1px dashed #999; }
.motif-swatch { background: #4d4d4d; height: 8px; }
.table-wrap { overflow-x: auto; }
table.cues { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
table.cues th, table.cues td { text-align: left; padding: 4px 10px 4px 0;
  border-bottom: 1px solid #eee; white-space: nowrap; }
table.cues td:nth-child(2) { white-space: normal; }
table.cues .num { text-align: right; font-variant-numeric: tabular-nums; }
.cue-section { background: #fff; border: 1px solid var(--line); border-left: 8px solid #999;
  border-radius: 8px; padding: 14px 18px; margin: 0 0 18px; scroll-margin-top: 12px; }
.cue-id { font-variant-numeric: tabular-nums; color: var(--muted); margin-right: 6px; }
.cue-grid { display: grid; grid-template-columns: minmax(0, 5fr) minmax(0, 6fr); gap: 8px 28px;
  margin: 0 0 12px; font-size: 0.95rem; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0;
  align-content: start; }
table.mood { border-collapse: collapse; margin: 0 0 8px; }
table.mood th, table.mood td { padding: 1px 14px 1px 0; text-align: left; font-weight: normal; }
table.mood thead th, table.mood tbody th { color: var(--muted); }
table.mood .num { text-align: right; font-variant-numeric: tabular-nums; }
.motif-head { color: var(--muted); margin: 0; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; }
.motifs { margin: 0; padding-left: 18px; }
.muted { color: var(--muted); }
audio { display: block; width: 100%; margin: 0 0 10px; }
img.roll { display: block; width: 100%; height: auto; border: 1px solid #eee; border-radius: 4px;
  background: #fff; }
.links { margin: 10px 0 0; }
a { color: #0b57d0; }
footer { color: var(--muted); font-size: 0.85rem; }
@media (max-width: 760px) { main { padding: 12px; } .cue-grid { grid-template-columns: 1fr; } }
"""


def report_html(scored: ScoredStory, measured: Sequence[Mood], *, audio: bool, sheets: bool) -> str:
    """The report page of a scored story (``DIR/index.html``), as one self-contained HTML text.

    Args:
        scored: the scored story.
        measured: the mood measured from each scene's MIDI, one per ``scored.scenes`` in order
            (e.g. ``[measured_mood(scene_midi(scene)) for scene in scored.scenes]`` with
            :func:`soundtrack.export.analysis.measured_mood`); a ``nan`` value is left off the arc.
        audio: whether the audio previews (``preview/NN_<beat>.wav``) exist: each cue gets an
            ``<audio>`` player when true.
        sheets: whether the MusicXML files (``sheet/NN_<beat>-sax.musicxml``, ``-score``) exist:
            each cue links them when true.

    Returns:
        The HTML (UTF-8 text); all links are relative to the output folder, nothing is fetched
        from the network, and all story text is escaped.

    Raises:
        ValueError: ``measured`` does not have one mood per scene.
    """
    if len(measured) != len(scored.scenes):
        raise ValueError(
            f"measured has {len(measured)} moods; expected one per scene ({len(scored.scenes)})"
        )
    story = scored.story
    duration = format_timecode(
        story.duration_seconds, story.frame_rate, drop_frame=story.drop_frame
    )
    silent = sum(1 for beat in story.beats if not beat.music)
    summary = (
        f"{len(scored.scenes)} cues over {len(story.beats)} scenes"
        + (f" ({silent} without music)" if silent else "")
        + f" &middot; {_e(duration)} at {story.frame_rate:g} fps &middot; "
        f"{_e(story.lead.value)} saxophone lead &middot; seed {story.seed}"
    )
    sections = "\n".join(
        _cue_section(scored, scene, mood, audio=audio, sheets=sheets)
        for scene, mood in zip(scored.scenes, measured, strict=True)
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(story.title)} &ndash; soundtrack report</title>
<style>{_CSS}</style>
</head>
<body>
<main id="top">
<h1>{_e(story.title)}</h1>
<p class="summary">{summary}</p>
<div class="card">
<h2>Mood arc</h2>
{_arc_svg(scored, measured)}
{_arc_legend()}
<p class="note">Measured values come from each cue's MIDI alone (tempo, note density and
loudness for arousal; major/minor key fit for valence; dissonance and chromaticism for
tension), put on the mood scales by a fixed map: an estimate to compare with the target, not a
listener rating.</p>
</div>
<div class="card">
<h2>Cue timeline</h2>
{_timeline_svg(scored)}
{_style_legend(scored.scenes)}
</div>
<div class="card">
<h2>Cues</h2>
{_cue_table(scored)}
</div>
{sections}
<footer>Written by soundtrack. Files: <a href="score.mid">score.mid</a> (the whole story)
&middot; <a href="cuesheet.json">cuesheet.json</a> &middot;
<a href="cuesheet.csv">cuesheet.csv</a></footer>
</main>
</body>
</html>
"""
