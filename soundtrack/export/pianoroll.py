"""Piano-roll pictures: one PNG per scene, for people to look at a cue at a glance.

Input: a mixed :class:`~soundtrack.model.Scene`. Output: PNG bytes (the caller writes them,
atomically, like every other export). The picture shows, on a time axis in seconds (through the
cue's tempo map):

* a title line: cue number, title, style, key, meter, tempo (range when the tempo moves), bars
  and length;
* along the top, one strip each for the hit points (red, numbered), the formal sections, bar
  numbers, the leitmotif statements (a bracket per statement, in the colour of the part that plays
  it) and the chord symbols (flats written ``b``);
* the melodic tracks as a piano roll, each in its own colour (legend on the right), opacity
  following velocity; the lead saxophone is drawn last, outlined and fully saturated;
* the drum kit (channel 10) in its own lane below, one row per drum note used, labelled with the
  style files' drum names (:data:`soundtrack.styles.schema.GM_DRUMS`);
* light bar lines, stronger section lines and the hits as red lines through every lane.

Rendering uses matplotlib's object API on the Agg canvas (no pyplot, no global state); the same
scene gives the same bytes. A typical scene takes a few tenths of a second.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Patch
from matplotlib.textpath import TextToPath
from numpy.typing import NDArray

from soundtrack.model import ChordSymbol, MotifUse, Note, Role, Scene, TempoChange, Track
from soundtrack.styles.schema import GM_DRUMS
from soundtrack.units import TICKS_PER_QUARTER, tempo_map_seconds

__all__ = ["MIN_HEIGHT_PIXELS", "MIN_WIDTH_PIXELS", "chord_label", "piano_roll_png"]

#: Smallest picture :func:`piano_roll_png` draws, pixels.
MIN_WIDTH_PIXELS = 640
#: Smallest picture height, pixels.
MIN_HEIGHT_PIXELS = 400

_DPI = 100
_DRUM_CHANNEL = 9

_LEAD_COLOUR = "#5b1a8c"
_LEAD_EDGE = "#1a0630"
# Colours of the other melodic tracks, in track order (no red: hits are red; no purple: the lead).
_PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
    "#393b79",
    "#637939",
    "#8c6d31",
    "#ad494a",
)
_DRUM_PALETTE = ("#303030", "#8c564b", "#1f77b4", "#2ca02c")
_HIT_COLOUR = "#d62728"
_BAR_LINE_COLOUR = "#e4e4e4"
_SECTION_LINE_COLOUR = "#a8a8a8"
_SECTION_FILLS = ("#e8eef7", "#f7eee2")
_CHORD_FILLS = ("#f2f2f2", "#ffffff")
_TEXT_COLOUR = "#222222"
_MUTED_TEXT = "#666666"
_DRUM_NAMES = {number: name for name, number in reversed(GM_DRUMS.items())}
_NOTE_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
_FLAT_ROOT = re.compile(r"(^|/)([A-G])-")


# ---------------------------------------------------------------- time


@dataclass(frozen=True, slots=True)
class _Clock:
    """Ticks to seconds under a tempo map, vectorised (agrees with ``tempo_map_seconds``)."""

    change_ticks: NDArray[np.float64]
    change_seconds: NDArray[np.float64]
    seconds_per_tick: NDArray[np.float64]

    @classmethod
    def of(cls, tempo_map: Sequence[TempoChange]) -> _Clock:
        changes = [(c.start_tick, c.microseconds_per_quarter) for c in tempo_map]
        if not changes or changes[0][0] > 0:
            first = changes[0][1] if changes else 500_000
            changes.insert(0, (0, first))
        return cls(
            change_ticks=np.array([tick for tick, _ in changes], dtype=np.float64),
            change_seconds=np.array(
                [tempo_map_seconds(tick, changes) for tick, _ in changes], dtype=np.float64
            ),
            seconds_per_tick=np.array(
                [us / (TICKS_PER_QUARTER * 1_000_000) for _, us in changes], dtype=np.float64
            ),
        )

    def seconds(self, ticks: NDArray[np.float64] | Sequence[float]) -> NDArray[np.float64]:
        """Seconds of each tick; ticks before 0 (a pickup) run at the first tempo."""
        tick_array = np.asarray(ticks, dtype=np.float64)
        index = np.searchsorted(self.change_ticks, tick_array, side="right") - 1
        index = np.clip(index, 0, None)
        return np.asarray(
            self.change_seconds[index]
            + (tick_array - self.change_ticks[index]) * self.seconds_per_tick[index],
            dtype=np.float64,
        )

    def second(self, tick: float) -> float:
        """Seconds of one tick."""
        return float(self.seconds([tick])[0])


# ---------------------------------------------------------------- text helpers


def chord_label(symbol: str) -> str:
    """A chord symbol as people read it: ``B-7`` -> ``Bb7``, ``E-maj7`` -> ``Ebmaj7``."""
    return _FLAT_ROOT.sub(r"\1\2b", symbol)


class _TextWidths:
    """Widths in pixels of text at :data:`_DPI` (from the font's outlines, a few percent wide of
    what Agg's hinting draws; cached)."""

    def __init__(self) -> None:
        self._paths = TextToPath()
        self._widths: dict[tuple[str, float, bool], float] = {}

    def __call__(self, text: str, font_points: float, *, bold: bool = False) -> float:
        key = (text, font_points, bold)
        if key not in self._widths:
            properties = FontProperties(size=font_points, weight="bold" if bold else "normal")
            width, _, _ = self._paths.get_text_width_height_descent(text, properties, ismath=False)
            self._widths[key] = float(width) * _DPI / 72 * 1.05
        return self._widths[key]


def _pitch_name(pitch: int) -> str:
    return f"{_NOTE_NAMES[pitch % 12]}{pitch // 12 - 1}"


def _drum_name(pitch: int) -> str:
    return _DRUM_NAMES.get(pitch, f"drum {pitch}")


def _minutes_seconds(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def _place_rows(
    spans: Sequence[tuple[float, float]], rows: int | None, gap_pixels: float = 6.0
) -> list[int | None]:
    """Greedy row for each ``(start_px, end_px)`` span (sorted by start) so none overlap.

    With ``rows`` given, a span that fits no row gets ``None`` (not drawn); otherwise rows are
    added as needed.
    """
    row_ends: list[float] = []
    placed: list[int | None] = []
    for start, end in spans:
        row = next((r for r, last in enumerate(row_ends) if start >= last + gap_pixels), None)
        if row is None and (rows is None or len(row_ends) < rows):
            row_ends.append(-math.inf)
            row = len(row_ends) - 1
        if row is not None:
            row_ends[row] = end
        placed.append(row)
    return placed


# ---------------------------------------------------------------- what is drawn


@dataclass(frozen=True, slots=True)
class _Layer:
    """One melodic track as drawn: legend label, colour, notes, style by role."""

    label: str
    part: str
    role: Role
    colour: str
    notes: tuple[Note, ...]
    lead: bool
    height: float
    alphas: tuple[float, float]


# Note height (semitones) and opacity at velocity 1 and 127, by role: sustained parts wide and
# pale, moving lines narrower and stronger, so parts in unison stay apart.
_ROLE_LOOK: dict[Role, tuple[float, tuple[float, float]]] = {
    Role.PAD: (0.95, (0.12, 0.42)),
    Role.HARMONY: (0.62, (0.25, 0.75)),
    Role.BASS: (0.8, (0.3, 0.85)),
    Role.DRUMS: (0.8, (0.3, 0.85)),
    Role.COUNTER: (0.55, (0.4, 0.95)),
    Role.LEAD: (0.9, (0.55, 1.0)),
}
# Drawing order of the melodic roles (later = on top); the lead is always last.
_ROLE_ORDER = {Role.PAD: 0, Role.HARMONY: 1, Role.DRUMS: 2, Role.BASS: 3, Role.COUNTER: 4}


def _melodic_layers(scene: Scene) -> list[_Layer]:
    """Melodic tracks with notes, in legend order (the lead first, then track order)."""
    melodic = [t for t in scene.tracks if t.channel != _DRUM_CHANNEL]
    lead_index = next((i for i, t in enumerate(melodic) if t.role is Role.LEAD), None)
    layers: list[_Layer] = []
    colour_index = 0
    for index, track in enumerate(melodic):
        lead = index == lead_index
        notes = scene.pickup + track.notes if lead else track.notes
        if not notes:
            continue
        if lead:
            colour = _LEAD_COLOUR
        else:
            colour = _PALETTE[colour_index % len(_PALETTE)]
            colour_index += 1
        height, alphas = _ROLE_LOOK.get(Role.LEAD if lead else track.role, (0.8, (0.3, 0.85)))
        layer = _Layer(
            label=f"{track.name} ({'lead' if lead else track.role.value})",
            part=track.name,
            role=track.role,
            colour=colour,
            notes=notes,
            lead=lead,
            height=height,
            alphas=alphas,
        )
        layers.insert(0, layer) if lead else layers.append(layer)
    return layers


def _drum_tracks(scene: Scene) -> list[Track]:
    return [t for t in scene.tracks if t.channel == _DRUM_CHANNEL and t.notes]


def _note_rectangles(
    notes: Sequence[Note],
    clock: _Clock,
    rows: NDArray[np.float64],
    min_width_seconds: float,
    height: float,
    max_width_seconds: float = math.inf,
) -> NDArray[np.float64]:
    """``(n, 4, 2)`` rectangle corners of notes centred on ``rows`` (y)."""
    x0 = clock.seconds([n.start_tick for n in notes])
    x1 = np.clip(
        clock.seconds([n.end_tick for n in notes]),
        x0 + min_width_seconds,
        x0 + max(max_width_seconds, min_width_seconds),
    )
    y0 = rows - height / 2
    y1 = rows + height / 2
    corners = [(x0, y0), (x0, y1), (x1, y1), (x1, y0)]
    return np.stack([np.stack(corner, axis=-1) for corner in corners], axis=1)


def _velocity_colours(
    notes: Sequence[Note], colour: str, alphas: tuple[float, float]
) -> NDArray[np.float64]:
    """RGBA per note: ``colour`` with opacity from ``alphas[0]`` (velocity 1) to ``alphas[1]``."""
    velocities = np.array([n.velocity for n in notes], dtype=np.float64)
    rgba = np.tile(np.array(to_rgba(colour), dtype=np.float64), (len(notes), 1))
    low, high = alphas
    rgba[:, 3] = low + (high - low) * np.clip((velocities - 1) / 126, 0, 1)
    return rgba


# ---------------------------------------------------------------- the picture


@dataclass(frozen=True, slots=True)
class _Frame:
    """What every drawing step needs: the clock, the x range and its pixel scale, text widths."""

    clock: _Clock
    x_start: float
    x_end: float
    px_per_second: float
    widths: _TextWidths

    def label_x(self, x: float, text_pixels: float) -> tuple[float, str]:
        """Where a label starting at ``x`` goes: there, or right-aligned at the right edge."""
        if (self.x_end - x) * self.px_per_second >= text_pixels:
            return x, "left"
        return self.x_end, "right"

    def label_span(self, x: float, text_pixels: float, extent: float = 0.0) -> tuple[float, float]:
        """Pixels (from time 0) taken by a label placed by :meth:`label_x`, and by what it
        marks up to ``extent`` seconds."""
        where, ha = self.label_x(x, text_pixels)
        start = where * self.px_per_second - (text_pixels if ha == "right" else 0.0)
        return start, max(start + text_pixels, extent * self.px_per_second)


@dataclass(frozen=True, slots=True)
class _TopStrip:
    """Rows (y, from the bottom) of the strips above the roll; each row is 1 high."""

    chord_rows: int
    motif_rows: int

    @property
    def bar_row(self) -> float:
        return self.chord_rows + self.motif_rows + 0.5

    @property
    def section_row(self) -> float:
        return self.bar_row + 1

    @property
    def hit_row(self) -> float:
        return self.bar_row + 2

    @property
    def total(self) -> int:
        return self.chord_rows + self.motif_rows + 3


def _title(scene: Scene, duration_seconds: float) -> str:
    spec = scene.spec
    pulse_ratio = TICKS_PER_QUARTER / spec.meter.pulse_ticks
    pulse_bpms = [change.quarter_bpm * pulse_ratio for change in spec.tempo_map]
    tempo = f"{spec.tempo_bpm:.0f} bpm"
    if pulse_bpms and max(pulse_bpms) - min(pulse_bpms) >= 1:
        tempo += f" ({min(pulse_bpms):.0f}\u2013{max(pulse_bpms):.0f})"
    return (
        f"{spec.cue_id}  {spec.title}  \u2014  {spec.style}, {spec.key.name}, {spec.meter.text},"
        f" {tempo}, {spec.bars} bars, {_minutes_seconds(duration_seconds)}"
    )


def _fitted_title(text: str, pixels: float, widths: _TextWidths) -> tuple[str, float]:
    """The title and a font size (12 down to 9 points) that fits ``pixels``; cut with an
    ellipsis when even 9 points is too wide."""
    for points in (12.0, 11.0, 10.0, 9.0):
        if widths(text, points, bold=True) <= pixels:
            return text, points
    while len(text) > 1 and widths(text + "\u2026", 9.0, bold=True) > pixels:
        text = text[:-1]
    return text.rstrip(" ,") + "\u2026", 9.0


def _motif_label(use: MotifUse) -> str:
    return f"{use.name} \u00b7 {use.part}"


def piano_roll_png(scene: Scene, *, width_pixels: int = 1600, height_pixels: int = 900) -> bytes:
    """Draw a scene as a piano roll (see the module docstring for what it shows).

    Args:
        scene: the mixed scene.
        width_pixels: picture width, pixels (>= :data:`MIN_WIDTH_PIXELS`).
        height_pixels: picture height, pixels (>= :data:`MIN_HEIGHT_PIXELS`).

    Returns:
        The PNG file's bytes, exactly ``width_pixels`` x ``height_pixels``; the same scene and size
        give the same bytes.

    Raises:
        ValueError: for a picture smaller than the minimum size.
    """
    if width_pixels < MIN_WIDTH_PIXELS or height_pixels < MIN_HEIGHT_PIXELS:
        raise ValueError(
            f"a piano roll needs at least {MIN_WIDTH_PIXELS}x{MIN_HEIGHT_PIXELS} pixels,"
            f" not {width_pixels}x{height_pixels}"
        )
    spec = scene.spec
    clock = _Clock.of(spec.tempo_map)
    bar_ticks = spec.meter.bar_ticks
    layers = _melodic_layers(scene)
    drum_tracks = _drum_tracks(scene)
    drum_pitches = sorted({n.pitch for t in drum_tracks for n in t.notes})
    all_notes = [n for layer in layers for n in layer.notes]
    all_notes += [n for track in drum_tracks for n in track.notes]
    first_tick = min([0, *(n.start_tick for n in all_notes)])
    last_tick = max([spec.end_tick, *(n.end_tick for n in all_notes)])
    x_start = clock.second(first_tick)
    x_end = max(clock.second(last_tick), x_start + 1.0)

    width, height = float(width_pixels), float(height_pixels)
    figure = Figure(figsize=(width / _DPI, height / _DPI), dpi=_DPI, facecolor="white")
    FigureCanvasAgg(figure)
    widths = _TextWidths()

    # ---- layout in pixels, so text keeps its size whatever the picture's size
    legend_labels = [layer.label for layer in layers] + [f"{t.name} (drums)" for t in drum_tracks]
    legend_px = min(240.0, max([110.0, *(widths(label, 9) + 36 for label in legend_labels)]))
    left_labels = ["sections", "C10", *(_drum_name(p) for p in drum_pitches)]
    left = max(widths(label, 8) for label in left_labels) + 20
    right = legend_px + 10
    plot_width = width - left - right
    px_per_second = plot_width / (x_end - x_start)
    frame = _Frame(
        clock=clock, x_start=x_start, x_end=x_end, px_per_second=px_per_second, widths=widths
    )

    motifs = sorted(scene.motifs, key=lambda use: (use.start_bar, use.part))
    motif_spans: list[tuple[float, float]] = []
    for use in motifs:
        start = clock.second(use.start_bar * bar_ticks)
        end = clock.second((use.start_bar + use.bars) * bar_ticks)
        label_px = widths(f" {_motif_label(use)}", 8, bold=True) + 4
        motif_spans.append(frame.label_span(start, label_px, end))
    motif_places = _place_rows(motif_spans, rows=None)
    strip = _TopStrip(
        chord_rows=2 if scene.chords else 0,
        motif_rows=max([0, *(row + 1 for row in motif_places if row is not None)]),
    )
    row_px = min(17.0, max(13.0, height * 0.019))
    title_px, bottom_px, gap_px = 36.0, 44.0, 6.0
    top_px = strip.total * row_px
    available = height - title_px - bottom_px - top_px - 2 * gap_px
    drum_px = 0.0
    if drum_pitches:
        drum_px = min(len(drum_pitches) * 14.0, 0.3 * available)
        drum_px = max(drum_px, min(len(drum_pitches) * 9.0, 0.45 * available))
    roll_px = available - drum_px - (gap_px if drum_px else 0.0)

    def add_axes(bottom: float, axes_height: float) -> Axes:
        return figure.add_axes(
            (left / width, bottom / height, plot_width / width, axes_height / height)
        )

    drum_axes = add_axes(bottom_px, drum_px) if drum_px else None
    roll_bottom = bottom_px + (drum_px + gap_px if drum_px else 0.0)
    roll_axes = add_axes(roll_bottom, roll_px)
    top_axes = add_axes(roll_bottom + roll_px + gap_px, top_px)
    lanes = [roll_axes] if drum_axes is None else [roll_axes, drum_axes]
    for axes in (top_axes, *lanes):
        axes.set_xlim(x_start, x_end)
        axes.tick_params(labelsize=8, colors=_TEXT_COLOUR, length=3)
        for spine in axes.spines.values():
            spine.set_color("#bbbbbb")
        if axes is not lanes[-1]:
            axes.tick_params(labelbottom=False)
    lanes[-1].set_xlabel("seconds", fontsize=9, color=_TEXT_COLOUR, labelpad=2)

    title, title_points = _fitted_title(
        _title(scene, clock.second(spec.end_tick)), width - left - 12, widths
    )
    figure.text(
        left / width,
        1 - 10 / height,
        title,
        fontsize=title_points,
        fontweight="bold",
        color=_TEXT_COLOUR,
        ha="left",
        va="top",
    )
    _draw_grid(scene, frame, lanes, top_axes, strip)
    _draw_top_strip(scene, frame, top_axes, strip, motifs, motif_places, layers)
    _draw_roll(roll_axes, layers, frame)
    if drum_axes is not None:
        _draw_drums(drum_axes, drum_tracks, drum_pitches, frame)

    handles = [
        Patch(facecolor=layer.colour, alpha=0.85, label=layer.label, linewidth=0)
        for layer in layers
    ]
    handles += [
        Patch(
            facecolor=_DRUM_PALETTE[i % len(_DRUM_PALETTE)], label=f"{t.name} (drums)", linewidth=0
        )
        for i, t in enumerate(drum_tracks)
    ]
    if handles:
        figure.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=((width - right + 8) / width, (roll_bottom + roll_px) / height),
            fontsize=9,
            frameon=False,
            handlelength=1.4,
            borderaxespad=0.0,
        )

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=_DPI, metadata={"Software": None})
    return buffer.getvalue()


def _draw_grid(
    scene: Scene, frame: _Frame, lanes: Sequence[Axes], top_axes: Axes, strip: _TopStrip
) -> None:
    """Bar lines (light, thinned when bars are narrow), section lines and hits through the lanes."""
    spec = scene.spec
    bar_ticks = spec.meter.bar_ticks
    bar_seconds = frame.clock.seconds(np.arange(spec.bars + 1, dtype=np.float64) * bar_ticks)
    narrowest = float(np.min(np.diff(bar_seconds))) if spec.bars else 0.0
    step = 1
    while step * narrowest * frame.px_per_second < 9 and step < 64:
        step *= 2
    section_starts = {section.start_bar for section in spec.sections} | {0, spec.bars}
    bar_lines = [bar_seconds[b] for b in range(0, spec.bars + 1, step) if b not in section_starts]
    section_lines = [bar_seconds[b] for b in sorted(section_starts) if 0 <= b <= spec.bars]
    hit_seconds = [frame.clock.second(hit.tick) for hit in spec.hits]
    for axes in lanes:
        _vertical_lines(axes, bar_lines, _BAR_LINE_COLOUR, 0.6, zorder=0.5)
        _vertical_lines(axes, section_lines, _SECTION_LINE_COLOUR, 0.9, zorder=0.6)
        _vertical_lines(axes, hit_seconds, _HIT_COLOUR, 1.3, zorder=5)
    # under the strip's text (zorder 3), above its boxes
    _vertical_lines(top_axes, hit_seconds, _HIT_COLOUR, 1.3, zorder=2, top=strip.hit_row - 0.5)


def _vertical_lines(
    axes: Axes,
    xs: Sequence[float],
    colour: str,
    width: float,
    *,
    zorder: float,
    top: float | None = None,
) -> None:
    """Vertical lines at ``xs`` over the whole axes, or from y=0 to ``top`` in data units."""
    if not xs:
        return
    y_end = 1.0 if top is None else top
    axes.add_collection(
        LineCollection(
            [[(x, 0.0), (x, y_end)] for x in xs],
            colors=colour,
            linewidths=width,
            zorder=zorder,
            transform=axes.get_xaxis_transform() if top is None else axes.transData,
        ),
        autolim=False,
    )


def _text(
    axes: Axes,
    frame: _Frame,
    x: float,
    y: float,
    text: str,
    *,
    points: float,
    colour: str = _TEXT_COLOUR,
    bold: bool = False,
    va: str = "center",
) -> None:
    """A label starting at ``x`` (kept inside the right edge)."""
    x, ha = frame.label_x(x, frame.widths(text, points, bold=bold))
    axes.text(
        x,
        y,
        text,
        fontsize=points,
        color=colour,
        fontweight="bold" if bold else "normal",
        ha=ha,
        va=va,
        clip_on=True,
    )


def _draw_top_strip(
    scene: Scene,
    frame: _Frame,
    axes: Axes,
    strip: _TopStrip,
    motifs: Sequence[MotifUse],
    motif_places: Sequence[int | None],
    layers: Sequence[_Layer],
) -> None:
    """Hits, sections, bar numbers, motif brackets and chord symbols above the roll."""
    spec = scene.spec
    bar_ticks = spec.meter.bar_ticks
    clock = frame.clock
    axes.set_ylim(0, strip.total)
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.tick_params(left=False, bottom=False)
    labels = [(strip.hit_row, "hits"), (strip.section_row, "sections"), (strip.bar_row, "bars")]
    if strip.motif_rows:
        labels.append((strip.chord_rows + strip.motif_rows / 2, "motifs"))
    if strip.chord_rows:
        labels.append((strip.chord_rows / 2, "chords"))
    axes.set_yticks([y for y, _ in labels], labels=[text for _, text in labels])
    axes.tick_params(axis="y", labelsize=8, labelcolor=_MUTED_TEXT)

    for number, hit in enumerate(spec.hits, start=1):
        text = f" HIT {number}  {hit.seconds:.1f} s "
        _text(
            axes,
            frame,
            clock.second(hit.tick),
            strip.hit_row,
            text,
            points=8,
            bold=True,
            colour=_HIT_COLOUR,
        )

    # sections: shaded boxes, names where they fit
    boxes = [
        (
            clock.second(section.start_bar * bar_ticks),
            clock.second((section.start_bar + section.bars) * bar_ticks),
        )
        for section in spec.sections
    ]
    _boxes(axes, boxes, strip.section_row - 0.5, 1.0, _SECTION_FILLS)
    names = [f" {section.name}" for section in spec.sections]
    spans = [
        frame.label_span(start, frame.widths(name, 9, bold=True))
        for (start, _), name in zip(boxes, names, strict=True)
    ]
    for (start, _), name, row in zip(boxes, names, _place_rows(spans, rows=1), strict=True):
        if row is not None:
            _text(axes, frame, start, strip.section_row, name, points=9, bold=True)

    # bar numbers (1-based) every 1, 2, 4, 8... bars so that they do not collide
    if spec.bars:
        bar_px = (clock.second(spec.end_tick) - clock.second(0)) / spec.bars * frame.px_per_second
        every = 1
        while every * bar_px < frame.widths(f" {spec.bars}", 7) + 8 and every < 256:
            every *= 2
        for bar in range(0, spec.bars, every):
            _text(
                axes,
                frame,
                clock.second(bar * bar_ticks),
                strip.bar_row,
                f" {bar + 1}",
                points=7,
                colour=_MUTED_TEXT,
            )

    # leitmotif statements: a bracket each, in the colour of the part that plays it
    colours: dict[str, str] = {}
    for layer in layers:
        colours.setdefault(layer.part, layer.colour)
    for use, row in zip(motifs, motif_places, strict=True):
        if row is None:
            continue
        start = clock.second(use.start_bar * bar_ticks)
        end = clock.second((use.start_bar + use.bars) * bar_ticks)
        base = strip.chord_rows + strip.motif_rows - 1 - row
        colour = colours.get(use.part, _TEXT_COLOUR)
        line_y = base + 0.25
        axes.plot(
            [start, start, end, end],
            [base + 0.05, line_y, line_y, base + 0.05],
            color=colour,
            linewidth=1.5,
            solid_capstyle="butt",
        )
        _text(
            axes,
            frame,
            start,
            line_y + 0.08,
            f" {_motif_label(use)}",
            points=8,
            bold=True,
            colour=colour,
            va="bottom",
        )

    if scene.chords:
        _draw_chords(axes, scene.chords, frame)


def _boxes(
    axes: Axes,
    spans: Sequence[tuple[float, float]],
    bottom: float,
    box_height: float,
    fills: Sequence[str],
) -> None:
    """Boxes over ``spans`` (x) from ``bottom`` up, filled with ``fills`` in turn."""
    if not spans:
        return
    top = bottom + box_height
    polygons = [[(x0, bottom), (x0, top), (x1, top), (x1, bottom)] for x0, x1 in spans]
    colours = [fills[i % len(fills)] for i in range(len(spans))]
    axes.add_collection(
        PolyCollection(polygons, facecolors=colours, edgecolors="#cfcfcf", linewidths=0.4),
        autolim=False,
    )


def _draw_chords(axes: Axes, chords: Sequence[ChordSymbol], frame: _Frame) -> None:
    """Chord boxes over the two chord rows; labels staggered over the rows where they fit."""
    ordered = sorted(chords, key=lambda chord: chord.start_tick)
    starts = frame.clock.seconds([chord.start_tick for chord in ordered])
    ends = frame.clock.seconds([chord.end_tick for chord in ordered])
    _boxes(
        axes,
        [(float(x0), float(x1)) for x0, x1 in zip(starts, ends, strict=True)],
        0.0,
        2.0,
        _CHORD_FILLS,
    )
    texts = [f" {chord_label(chord.symbol)}" for chord in ordered]
    spans = [
        frame.label_span(float(x0), frame.widths(text, 8))
        for x0, text in zip(starts, texts, strict=True)
    ]
    places = _place_rows(spans, rows=2, gap_pixels=4)
    for x0, text, row in zip(starts, texts, places, strict=True):
        if row is not None:
            _text(axes, frame, float(x0), 1.5 - row, text, points=8)


def _draw_roll(axes: Axes, layers: Sequence[_Layer], frame: _Frame) -> None:
    """The melodic tracks on a pitch axis; lines and names at every C."""
    pitches = [n.pitch for layer in layers for n in layer.notes]
    low, high = (min(pitches) - 1, max(pitches) + 1) if pitches else (48, 84)
    if high - low < 24:
        middle = (low + high) / 2
        low, high = math.floor(middle - 12), math.ceil(middle + 12)
    axes.set_ylim(low - 0.5, high + 0.5)
    c_pitches = [p for p in range(low, high + 1) if p % 12 == 0]
    axes.set_yticks(c_pitches, labels=[_pitch_name(p) for p in c_pitches])
    if c_pitches:
        axes.add_collection(
            LineCollection(
                [[(0.0, p - 0.5), (1.0, p - 0.5)] for p in c_pitches],
                colors="#d8d8d8",
                linewidths=0.6,
                zorder=0.4,
                transform=axes.get_yaxis_transform(),
            ),
            autolim=False,
        )
    min_width = 2.0 / frame.px_per_second
    order = sorted(
        range(len(layers)),
        key=lambda i: (99 if layers[i].lead else _ROLE_ORDER.get(layers[i].role, 0), i),
    )
    for index in order:
        layer = layers[index]
        rows = np.array([n.pitch for n in layer.notes], dtype=np.float64)
        rectangles = _note_rectangles(layer.notes, frame.clock, rows, min_width, layer.height)
        faces = _velocity_colours(layer.notes, layer.colour, layer.alphas)
        collection = PolyCollection(
            list(rectangles),
            facecolors=faces,
            edgecolors=_LEAD_EDGE if layer.lead else "none",
            linewidths=0.5 if layer.lead else 0.0,
            zorder=4 if layer.lead else 2,
        )
        axes.add_collection(collection, autolim=False)
    if not pitches:
        axes.text(
            0.5,
            0.5,
            "no notes",
            transform=axes.transAxes,
            fontsize=12,
            color=_MUTED_TEXT,
            ha="center",
            va="center",
        )


def _draw_drums(
    axes: Axes, tracks: Sequence[Track], drum_pitches: Sequence[int], frame: _Frame
) -> None:
    """The drum lane: one row per drum note used, low drums at the bottom."""
    row_of = {pitch: float(row) for row, pitch in enumerate(drum_pitches)}
    axes.set_ylim(-0.5, len(drum_pitches) - 0.5)
    axes.set_yticks(list(row_of.values()), labels=[_drum_name(p) for p in drum_pitches])
    axes.tick_params(axis="y", labelsize=8, length=0)
    axes.set_facecolor("#f8f8f8")
    axes.add_collection(
        LineCollection(
            [[(0.0, row + 0.5), (1.0, row + 0.5)] for row in row_of.values()],
            colors="#e6e6e6",
            linewidths=0.5,
            zorder=0.4,
            transform=axes.get_yaxis_transform(),
        ),
        autolim=False,
    )
    # a drum note is a stroke: drawn short (its written length says little)
    min_width = 2.0 / frame.px_per_second
    max_width = 4.0 / frame.px_per_second
    for index, track in enumerate(tracks):
        rows = np.array([row_of[n.pitch] for n in track.notes], dtype=np.float64)
        rectangles = _note_rectangles(
            track.notes, frame.clock, rows, min_width, 0.72, max_width_seconds=max_width
        )
        colour = _DRUM_PALETTE[index % len(_DRUM_PALETTE)]
        faces = _velocity_colours(track.notes, colour, (0.2, 1.0))
        axes.add_collection(
            PolyCollection(list(rectangles), facecolors=faces, linewidths=0.0, zorder=2),
            autolim=False,
        )
