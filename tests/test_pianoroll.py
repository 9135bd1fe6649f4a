"""Tests of the piano-roll pictures: valid PNG of the asked size, what is drawn, determinism."""

from __future__ import annotations

import dataclasses
import io
import struct
from functools import cache

import numpy as np
import pytest
from matplotlib.image import imread
from numpy.typing import NDArray

from soundtrack.export.pianoroll import (
    MIN_HEIGHT_PIXELS,
    MIN_WIDTH_PIXELS,
    _Clock,
    chord_label,
    piano_roll_png,
)
from soundtrack.model import Scene, TempoChange
from soundtrack.motifs import load_motif
from soundtrack.pipeline import score_cue
from soundtrack.spotting import plan_sketch
from soundtrack.styles import load_style
from soundtrack.units import tempo_map_seconds

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WIDTH, HEIGHT = 1200, 700
HIT_RED = np.array([0xD6, 0x27, 0x28]) / 255
LEAD_PURPLE = np.array([0x5B, 0x1A, 0x8C]) / 255
DRUM_GREY = np.array([0x30, 0x30, 0x30]) / 255


@cache
def chase_scene() -> Scene:
    """A short chase cue with drums, a hit at 12 s and a leitmotif."""
    spec = plan_sketch(
        load_style("chase"), seconds=30.0, hits_seconds=(12.0,), motifs=(load_motif("kgb"),)
    )
    return score_cue(spec, 7)


@cache
def picture(scene: Scene) -> NDArray[np.float32]:
    """The scene's picture as RGB floats 0..1, rows from the top."""
    image = imread(io.BytesIO(piano_roll_png(scene, width_pixels=WIDTH, height_pixels=HEIGHT)))
    return np.asarray(image[:, :, :3], dtype=np.float32)


def without_drums(scene: Scene) -> Scene:
    return dataclasses.replace(scene, tracks=tuple(t for t in scene.tracks if t.channel != 9))


def without_notes(scene: Scene) -> Scene:
    tracks = tuple(dataclasses.replace(t, notes=()) for t in scene.tracks)
    return dataclasses.replace(scene, tracks=tracks, pickup=())


def colour_pixels(image: NDArray[np.float32], colour: NDArray[np.float64], tolerance: float) -> int:
    """Pixels within ``tolerance`` (per channel) of ``colour``."""
    return int(np.count_nonzero(np.all(np.abs(image - colour) <= tolerance, axis=-1)))


def saturated_pixels(image: NDArray[np.float32]) -> int:
    """Pixels of clearly coloured ink (not white, grey or black)."""
    return int(np.count_nonzero(image.max(axis=-1) - image.min(axis=-1) > 0.15))


# ---------------------------------------------------------------- the file


@pytest.mark.parametrize(("width", "height"), [(1600, 900), (1001, 617), (640, 400)])
def test_png_of_the_requested_size(width: int, height: int) -> None:
    data = piano_roll_png(chase_scene(), width_pixels=width, height_pixels=height)
    assert data[:8] == PNG_SIGNATURE
    # IHDR is the first chunk: width and height as big-endian 32-bit integers
    assert data[12:16] == b"IHDR"
    assert struct.unpack(">II", data[16:24]) == (width, height)
    image = imread(io.BytesIO(data))
    assert image.shape[:2] == (height, width)


def test_default_size_is_1600_by_900() -> None:
    image = imread(io.BytesIO(piano_roll_png(chase_scene())))
    assert image.shape[:2] == (900, 1600)


def test_too_small_a_picture_is_refused() -> None:
    with pytest.raises(ValueError, match="at least"):
        piano_roll_png(chase_scene(), width_pixels=MIN_WIDTH_PIXELS - 1)
    with pytest.raises(ValueError, match="at least"):
        piano_roll_png(chase_scene(), height_pixels=MIN_HEIGHT_PIXELS - 1)


def test_same_scene_gives_the_same_bytes_without_a_software_stamp() -> None:
    first = piano_roll_png(chase_scene(), width_pixels=WIDTH, height_pixels=HEIGHT)
    second = piano_roll_png(chase_scene(), width_pixels=WIDTH, height_pixels=HEIGHT)
    assert first == second
    assert b"matplotlib" not in first.lower()


# ---------------------------------------------------------------- what is drawn


def test_picture_is_not_blank_and_shows_the_notes() -> None:
    image = picture(chase_scene())
    assert float(image.var()) > 0.005
    # the roll (middle of the picture) is full of coloured notes; without notes it is not
    roll = (slice(HEIGHT // 4, HEIGHT * 2 // 3), slice(WIDTH // 10, WIDTH * 3 // 4))
    with_notes = saturated_pixels(image[roll])
    empty = saturated_pixels(picture(without_notes(chase_scene()))[roll])
    assert with_notes > 0.03 * image[roll].shape[0] * image[roll].shape[1]
    assert with_notes > 10 * max(empty, 1)


def test_lead_is_drawn_in_its_colour() -> None:
    scene = chase_scene()
    no_lead = dataclasses.replace(
        scene, tracks=tuple(t for t in scene.tracks if t.role != "lead"), pickup=()
    )
    assert colour_pixels(picture(scene), LEAD_PURPLE, 0.08) > 200
    assert colour_pixels(picture(no_lead), LEAD_PURPLE, 0.08) < 20


def test_drums_get_their_own_lane_below() -> None:
    scene = chase_scene()
    assert any(t.channel == 9 and t.notes for t in scene.tracks)
    with_drums = picture(scene)
    no_drums = picture(without_drums(scene))
    lower = slice(HEIGHT * 3 // 4, HEIGHT - 50)
    assert not np.array_equal(with_drums[lower], no_drums[lower])
    # drum strokes are dark grey, and only in the lower part of the picture
    strokes = colour_pixels(with_drums[lower], DRUM_GREY, 0.12)
    assert strokes > 200
    assert strokes > 10 * max(colour_pixels(no_drums[lower], DRUM_GREY, 0.12), 1)


def test_hits_are_red_lines_with_labels() -> None:
    scene = chase_scene()
    assert scene.spec.hits
    no_hits = dataclasses.replace(scene, spec=dataclasses.replace(scene.spec, hits=()))
    red = colour_pixels(picture(scene), HIT_RED, 0.1)
    # a line through the roll (about the picture's height) plus its label
    assert red > HEIGHT // 2
    assert colour_pixels(picture(no_hits), HIT_RED, 0.1) < 20


def test_motifs_and_chords_are_drawn_along_the_top() -> None:
    scene = chase_scene()
    assert scene.motifs
    assert scene.chords
    top = slice(30, HEIGHT // 4)
    no_motifs = picture(dataclasses.replace(scene, motifs=()))
    no_chords = picture(dataclasses.replace(scene, chords=()))
    assert not np.array_equal(picture(scene)[top], no_motifs[top])
    assert not np.array_equal(picture(scene)[top], no_chords[top])


def test_scene_without_notes_still_renders() -> None:
    scene = without_notes(chase_scene())
    empty = dataclasses.replace(scene, chords=(), markers=(), motifs=())
    data = piano_roll_png(empty, width_pixels=WIDTH, height_pixels=HEIGHT)
    assert data[:8] == PNG_SIGNATURE
    assert imread(io.BytesIO(data)).shape[:2] == (HEIGHT, WIDTH)


# ---------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    ("symbol", "label"),
    [
        ("B-7", "Bb7"),
        ("E-maj7", "Ebmaj7"),
        ("A-7b5", "Ab7b5"),
        ("C#dim7", "C#dim7"),
        ("Am7b5", "Am7b5"),
        ("C/B-", "C/Bb"),
    ],
)
def test_chord_labels_write_flats_as_b(symbol: str, label: str) -> None:
    assert chord_label(symbol) == label


def test_time_axis_follows_the_tempo_map() -> None:
    tempo_map = (
        TempoChange(start_tick=0, microseconds_per_quarter=500_000),
        TempoChange(start_tick=1920, microseconds_per_quarter=400_000),
        TempoChange(start_tick=3840, microseconds_per_quarter=750_000),
    )
    pairs = [(c.start_tick, c.microseconds_per_quarter) for c in tempo_map]
    clock = _Clock.of(tempo_map)
    ticks = [0, 100, 1920, 2500, 3840, 9000]
    expected = [tempo_map_seconds(tick, pairs) for tick in ticks]
    assert clock.seconds(ticks) == pytest.approx(expected)
    # a pickup before the cue runs at the first tempo
    assert clock.second(-480) == pytest.approx(-0.5)
