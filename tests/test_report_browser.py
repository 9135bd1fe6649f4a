"""The report page in a real browser: headless Chromium renders every cue and its audio player.

Skipped when no Chromium is installed, except on CI (``CI=true``), where ``.ci/run`` installs
Debian's ``chromium`` and a missing browser is a failure. A screenshot of the page is kept in
``output/ci/report.png`` for anyone to look at.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from soundtrack.export import story_files
from soundtrack.export.files import write_outputs
from soundtrack.export.preview import story_preview_files
from soundtrack.export.report import REPORT_NAME, scene_files
from soundtrack.pipeline import ScoredStory, score_story
from soundtrack.story import parse_story

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
SCREENSHOT = Path(__file__).resolve().parent.parent / "output" / "ci" / "report.png"
WINDOW = (1366, 2400)
TIMEOUT_SECONDS = 120


def find_browser() -> str:
    """The Chromium executable; skips the test when there is none (fails on CI)."""
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    message = f"no headless browser found (looked for {', '.join(BROWSERS)})"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + "; CI must have one: .ci/run installs Debian's chromium")
    pytest.skip(message)


def run_browser(browser: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    command = [
        browser,
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--no-first-run",
        "--no-default-browser-check",
        *arguments,
    ]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
    )


def story_data() -> dict[str, object]:
    return {
        "story": {"title": "Browser test", "seed": 5, "frame_rate": 25},
        "beats": [
            {
                "id": "arrival",
                "title": "Arrival <em>at night</em>",
                "duration": 12,
                "characters": ["vladimir"],
                "mood": {"valence": 0.4, "arousal": 0.6, "tension": 0.2},
                "style": "swing",
            },
            {"id": "quiet", "title": "Quiet talk", "duration": 5, "music": False},
            {
                "id": "run",
                "title": "Run",
                "duration": 10,
                "mood": {"valence": -0.5, "arousal": 0.95, "tension": 0.9},
                "style": "chase",
                "hits": [5.0],
            },
        ],
    }


def png_size_and_variety(data: bytes) -> tuple[int, int, int]:
    """Check a PNG's structure; return its width, height and how many byte values its pixels use.

    Every chunk's CRC is checked, the file must end with IEND, and the decompressed scanlines
    must have exactly the size the header promises (8-bit RGB or RGBA, as Chromium writes). A
    blank (one-colour) picture uses only a handful of byte values (its colour, the filter type
    bytes and zero differences); a rendered page uses many.
    """
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    offset, idat, header, kinds = 8, b"", b"", []
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length : offset + 12 + length])
        assert zlib.crc32(kind + body) == crc, f"bad CRC in {kind!r}"
        kinds.append(kind)
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        offset += 12 + length
    assert kinds[0] == b"IHDR"
    assert kinds[-1] == b"IEND"
    width, height, depth, colour_type = struct.unpack(">IIBB", header[:10])
    channels = {2: 3, 6: 4}.get(colour_type)
    assert depth == 8, f"unexpected PNG bit depth {depth}"
    assert channels is not None, f"unexpected PNG colour type {colour_type}"
    raw = zlib.decompress(idat)
    assert len(raw) == height * (1 + width * channels)
    return width, height, len(set(raw))


class Rendered(HTMLParser):
    """Cue sections and audio elements of the DOM Chromium dumped."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[str] = []
        self.audio: list[str] = []
        self.current: str | None = None
        self.audio_in: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "section" and "cue-section" in found.get("class", "").split():
            self.current = found.get("data-cue", "")
            self.sections.append(self.current)
            self.audio_in[self.current] = []
        elif tag == "audio":
            self.audio.append(found.get("src", ""))
            if self.current is not None:
                self.audio_in[self.current].append(found.get("src", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self.current = None


@pytest.fixture(scope="module")
def scored() -> ScoredStory:
    return score_story(parse_story(story_data(), source="browser-test"))


@pytest.fixture(scope="module")
def report(scored: ScoredStory, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The story written with its real previews (WAVs, piano rolls, MusicXML) and index.html,
    as ``soundtrack score --preview`` writes them."""
    folder = tmp_path_factory.mktemp("report")
    write_outputs(folder, [*story_files(scored), *story_preview_files(scored)])
    return folder / REPORT_NAME


def test_chromium_renders_every_cue_and_audio(scored: ScoredStory, report: Path) -> None:
    browser = find_browser()
    result = run_browser(browser, "--dump-dom", report.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    dom = Rendered()
    dom.feed(result.stdout)
    cue_ids = [scene.spec.cue_id for scene in scored.scenes]
    assert dom.sections == cue_ids
    for scene in scored.scenes:
        files = scene_files(scene)
        assert dom.audio_in[scene.spec.cue_id] == [files.audio]
        for relative in (files.audio, files.piano_roll, files.sax_sheet, files.score_sheet):
            assert (report.parent / relative).stat().st_size > 0, relative
    assert 'id="mood-arc"' in result.stdout
    assert 'id="timeline"' in result.stdout
    assert "<em>" not in result.stdout


def test_chromium_screenshot(report: Path) -> None:
    browser = find_browser()
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    SCREENSHOT.unlink(missing_ok=True)
    result = run_browser(
        browser,
        f"--screenshot={SCREENSHOT}",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
        report.as_uri(),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    width, height, variety = png_size_and_variety(SCREENSHOT.read_bytes())
    assert (width, height) == WINDOW
    assert variety > 32, "the screenshot is blank"
