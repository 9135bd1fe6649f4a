"""Tests of the report page (:mod:`soundtrack.export.report`) and of
:mod:`soundtrack.export.analysis`."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path

import mido
import pytest

from soundtrack.export import write_story
from soundtrack.export.analysis import (
    DISPLAY_SCALES,
    measure,
    measured_mood,
    midi_notes,
    read_midi,
)
from soundtrack.export.midi import scene_midi
from soundtrack.export.report import report_html, scene_files, style_colour
from soundtrack.model import Key, Mode, Mood
from soundtrack.pipeline import ScoredStory, score_cue, score_story
from soundtrack.spotting import plan_sketch
from soundtrack.story import parse_story
from soundtrack.styles import load_style, style_ids

EVIL_TITLE = "<script>alert('x')</script> & \"friends\""


def small_story_data() -> dict[str, object]:
    """Three short beats with music (one with a hostile title and a hit), one silent beat."""
    return {
        "story": {"title": "Report <b>test</b>", "seed": 3, "frame_rate": 24},
        "beats": [
            {
                "id": "opening",
                "title": EVIL_TITLE,
                "duration": 16,
                "characters": ["vladimir"],
                "text": "A bright circus opening.",
                "mood": {"valence": 0.5, "arousal": 0.8, "tension": 0.2},
                "style": "circus-galop",
                "hits": [8.0],
            },
            {
                "id": "talk",
                "title": "Dialogue",
                "duration": 6,
                "music": False,
            },
            {
                "id": "chase",
                "title": "The chase",
                "duration": 14,
                "characters": ["kgb"],
                "mood": {"valence": -0.5, "arousal": 0.95, "tension": 0.9},
                "style": "chase",
            },
            {
                "id": "end",
                "title": "Alone",
                "duration": 14,
                "mood": {"valence": -0.6, "arousal": 0.2, "tension": 0.3},
                "style": "ballad",
            },
        ],
    }


@pytest.fixture(scope="module")
def scored() -> ScoredStory:
    return score_story(parse_story(small_story_data(), source="test"))


@pytest.fixture(scope="module")
def measured(scored: ScoredStory) -> list[Mood]:
    return [measured_mood(scene_midi(scene)) for scene in scored.scenes]


def write_report(
    scored: ScoredStory, measured: Sequence[Mood], folder: Path, *, audio: bool = True
) -> str:
    """Write the story, empty placeholder previews and sheets, and ``index.html``."""
    write_story(scored, folder)
    for scene in scored.scenes:
        files = scene_files(scene)
        for relative in (files.audio, files.piano_roll, files.sax_sheet, files.score_sheet):
            target = folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(b"")
    page = report_html(scored, measured, audio=audio, sheets=True)
    (folder / "index.html").write_text(page, encoding="utf-8")
    return page


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text, of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        """Attributes of every ``tag`` whose attributes include ``attrs`` (``class_`` = class)."""
        wanted = {name.rstrip("_"): value for name, value in attrs.items()}
        return [
            found
            for name, found in self.tags
            if name == tag
            and all(value in found.get(key, "").split() for key, value in wanted.items())
        ]


def parse(page: str) -> Elements:
    parser = Elements()
    parser.feed(page)
    parser.close()
    return parser


# ---------------------------------------------------------------- report page


def test_one_section_per_cue_with_its_number(
    scored: ScoredStory, measured: list[Mood], tmp_path: Path
) -> None:
    page = parse(write_report(scored, measured, tmp_path))
    sections = page.find("section", class_="cue-section")
    assert [section["data-cue"] for section in sections] == [
        scene.spec.cue_id for scene in scored.scenes
    ]
    assert len({section["id"] for section in sections}) == len(scored.scenes)
    text = "".join(page.text)
    for scene in scored.scenes:
        assert scene.spec.cue_id in text
        assert scene.spec.key.name in text


def test_audio_image_and_links_are_relative_and_exist(
    scored: ScoredStory, measured: list[Mood], tmp_path: Path
) -> None:
    page = parse(write_report(scored, measured, tmp_path))
    audio = page.find("audio")
    assert [element["src"] for element in audio] == [
        scene_files(scene).audio for scene in scored.scenes
    ]
    assert all(element["preload"] == "none" and "controls" in element for element in audio)
    images = page.find("img", class_="roll")
    assert [image["src"] for image in images] == [
        scene_files(scene).piano_roll for scene in scored.scenes
    ]
    assert all(image["loading"] == "lazy" and image["alt"] for image in images)
    hrefs = [element["href"] for element in page.find("a")]
    for scene in scored.scenes:
        files = scene_files(scene)
        assert files.midi.startswith("scenes/")
        for relative in (files.midi, files.sax_sheet, files.score_sheet):
            assert relative in hrefs
    for reference in [*hrefs, *(e["src"] for e in audio), *(i["src"] for i in images)]:
        if reference.startswith("#"):
            continue
        assert not reference.startswith("/")
        assert (tmp_path / reference).is_file(), reference


def test_without_audio_or_sheets(scored: ScoredStory, measured: list[Mood]) -> None:
    page = parse(report_html(scored, measured, audio=False, sheets=False))
    assert page.find("audio") == []
    assert not any(a["href"].endswith(".musicxml") for a in page.find("a"))
    assert len(page.find("img", class_="roll")) == len(scored.scenes)


def test_self_contained_no_network(scored: ScoredStory, measured: list[Mood]) -> None:
    page = report_html(scored, measured, audio=True, sheets=True)
    assert "http://" not in page
    assert "https://" not in page
    assert "<link" not in page
    assert "@import" not in page
    assert "url(" not in page
    elements = parse(page)
    assert elements.find("script") == []


def test_story_text_is_escaped(scored: ScoredStory, measured: list[Mood]) -> None:
    page = report_html(scored, measured, audio=True, sheets=True)
    assert "<script>" not in page
    assert "<b>test</b>" not in page
    assert "&lt;script&gt;" in page
    elements = parse(page)
    assert elements.find("script") == []
    assert elements.find("b") == []
    assert EVIL_TITLE in "".join(elements.text)


def test_svgs_one_timeline_block_per_cue(scored: ScoredStory, measured: list[Mood]) -> None:
    elements = parse(report_html(scored, measured, audio=True, sheets=True))
    assert elements.find("svg", id="mood-arc")
    assert elements.find("svg", id="timeline")
    blocks = elements.find("rect", class_="block")
    assert len(blocks) == len(scored.scenes)
    assert [block["fill"] for block in blocks] == [
        style_colour(scene.spec.style) for scene in scored.scenes
    ]
    cue_groups = elements.find("g", class_="cue")
    assert [group["data-cue"] for group in cue_groups] == [s.spec.cue_id for s in scored.scenes]
    # the silent beat is a gap, not a cue
    assert [gap["data-beat"] for gap in elements.find("g", class_="gap")] == ["talk"]
    # three target curves; one marker per cue and dimension
    assert len(elements.find("polyline", class_="target")) == 3
    assert len(elements.find("circle", class_="measured")) == 3 * len(scored.scenes)
    # every leitmotif statement is marked, inside its cue
    uses = [use for scene in scored.scenes for use in scene.motifs]
    assert uses
    assert len(elements.find("rect", class_="motif")) == len(uses)


def test_motif_marks_inside_their_cue(scored: ScoredStory, measured: list[Mood]) -> None:
    elements = parse(report_html(scored, measured, audio=True, sheets=True))
    blocks = elements.find("rect", class_="block")
    marks = iter(elements.find("rect", class_="motif"))
    names = list(dict.fromkeys(use.name for scene in scored.scenes for use in scene.motifs))
    for name in names:
        for scene, block in zip(scored.scenes, blocks, strict=True):
            for use in scene.motifs:
                if use.name != name:
                    continue
                mark = next(marks)
                assert mark["data-motif"] == name
                left, right = float(block["x"]), float(block["x"]) + float(block["width"])
                assert left - 0.01 <= float(mark["x"]) <= right


def test_svg_coordinates_are_finite(scored: ScoredStory, measured: list[Mood]) -> None:
    page = report_html(scored, measured, audio=True, sheets=True)
    assert not re.search(r"\b(nan|inf)\b", page, flags=re.IGNORECASE)


def test_unmeasurable_mood_is_left_off(scored: ScoredStory, measured: list[Mood]) -> None:
    silent = Mood(valence=math.nan, arousal=math.nan, tension=math.nan)
    moods = [silent, *measured[1:]]
    elements = parse(report_html(scored, moods, audio=True, sheets=True))
    assert len(elements.find("circle", class_="measured")) == 3 * (len(scored.scenes) - 1)


def test_measured_must_match_scenes(scored: ScoredStory, measured: list[Mood]) -> None:
    with pytest.raises(ValueError, match="one per scene"):
        report_html(scored, measured[:-1], audio=True, sheets=True)


def test_every_builtin_style_has_its_own_colour() -> None:
    colours = [style_colour(style) for style in style_ids()]
    assert len(set(colours)) == len(colours)
    assert re.fullmatch(r"#[0-9a-f]{6}", style_colour("not-a-built-in-style"))


# ---------------------------------------------------------------- analysis


def sketch_midi(style: str, mood: Mood, *, key: Key | None = None, seed: int = 0) -> mido.MidiFile:
    spec = plan_sketch(load_style(style), mood=mood, bars=16, key=key)
    return scene_midi(score_cue(spec, seed))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fast_loud_chase_measures_more_aroused_than_ballad(seed: int) -> None:
    chase = measured_mood(
        sketch_midi("chase", Mood(valence=-0.4, arousal=0.95, tension=0.85), seed=seed)
    )
    ballad = measured_mood(
        sketch_midi("ballad", Mood(valence=0.2, arousal=0.15, tension=0.15), seed=seed)
    )
    assert chase.arousal > ballad.arousal + 0.2


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_major_measures_happier_than_minor(seed: int) -> None:
    major = measured_mood(
        sketch_midi(
            "ballad",
            Mood(valence=0.6, arousal=0.3, tension=0.2),
            key=Key(tonic_pc=0, mode=Mode.MAJOR),
            seed=seed,
        )
    )
    minor = measured_mood(
        sketch_midi(
            "ballad",
            Mood(valence=-0.6, arousal=0.3, tension=0.2),
            key=Key(tonic_pc=0, mode=Mode.MINOR),
            seed=seed,
        )
    )
    assert major.valence > minor.valence


def test_measured_mood_is_on_the_mood_scales() -> None:
    for style in style_ids():
        mood = measured_mood(sketch_midi(style, load_style(style).mood))
        assert -1.0 <= mood.valence <= 1.0
        assert 0.0 <= mood.arousal <= 1.0
        assert 0.0 <= mood.tension <= 1.0


def test_display_scales_are_increasing_and_clipped() -> None:
    for scale in DISPLAY_SCALES.values():
        values = [scale.apply(raw) for raw in (-10.0, -0.5, 0.0, 0.3, 0.6, 10.0)]
        assert values == sorted(values)
        assert values[0] == scale.bounds[0]
        assert values[-1] == scale.bounds[1]
        assert math.isnan(scale.apply(math.nan))


def test_in_memory_and_on_disk_measure_the_same(tmp_path: Path) -> None:
    midi = sketch_midi("swing", load_style("swing").mood)
    path = tmp_path / "swing.mid"
    midi.save(str(path))
    assert measure(midi_notes(midi)) == measure(read_midi(path))
    assert measured_mood(midi) == measured_mood(midi_notes(midi))
