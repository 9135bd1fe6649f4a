"""Tests of the audio preview (``soundtrack.export.audio``): rendering, levels, length, drums,
SoundFont lookup, failures.

Every render test runs with ``midirenderer`` (the pip-only path) and, when the program is
installed, with ``fluidsynth``.
"""

from __future__ import annotations

import io
import shutil
import wave
from pathlib import Path

import mido
import numpy as np
import numpy.typing as npt
import pytest

from soundtrack.errors import ExportError
from soundtrack.export import audio, midi_bytes
from soundtrack.export.audio import (
    PEAK_TARGET,
    SOUNDFONT_ENV,
    Renderer,
    RenderResult,
    find_soundfont,
    render_wav,
)
from soundtrack.export.midi import scene_midi
from soundtrack.pipeline import score_cue
from soundtrack.spotting import plan_sketch
from soundtrack.styles import load_style

HAS_FLUIDSYNTH = shutil.which("fluidsynth") is not None
RENDERERS = [
    pytest.param(Renderer.MIDIRENDERER, id="midirenderer"),
    pytest.param(
        Renderer.FLUIDSYNTH,
        id="fluidsynth",
        marks=pytest.mark.skipif(not HAS_FLUIDSYNTH, reason="fluidsynth not installed"),
    ),
]
DRUM_CHANNEL = 9
#: Length tolerance of the rendered file against MIDI length + tail, seconds.
LENGTH_TOLERANCE_SECONDS = 0.010


def _read_wav(path: Path) -> tuple[npt.NDArray[np.int16], int]:
    with wave.open(str(path)) as reader:
        assert reader.getnchannels() == 2
        assert reader.getsampwidth() == 2
        frames = reader.readframes(reader.getnframes())
        return np.frombuffer(frames, dtype="<i2").reshape(-1, 2), reader.getframerate()


def _rms(samples: npt.NDArray[np.int16]) -> float:
    values = samples.astype(np.float64) / 32767.0
    return float(np.sqrt(np.mean(values**2))) if values.size else 0.0


def _high_share(samples: npt.NDArray[np.int16], sample_rate: int, above_hz: float) -> float:
    """Share of the signal's energy above ``above_hz``."""
    mono = samples.astype(np.float64).mean(axis=1)
    power = np.abs(np.fft.rfft(mono)) ** 2
    frequencies = np.fft.rfftfreq(len(mono), 1.0 / sample_rate)
    return float(power[frequencies > above_hz].sum() / power.sum())


def _fake_soundfont(path: Path) -> Path:
    """A file that passes the SoundFont header check (not a usable SoundFont)."""
    path.write_bytes(b"RIFF\x10\x00\x00\x00sfbkLIST\x04\x00\x00\x00junk")
    return path


def _drum_midi(channel: int = DRUM_CHANNEL, bars: int = 2) -> bytes:
    """Kick, snare and closed hi-hat in eighths at 120 bpm, on ``channel``."""
    midi = mido.MidiFile(type=1, ticks_per_beat=480)
    track = mido.MidiTrack()
    midi.tracks.append(track)
    track.append(mido.MetaMessage("set_tempo", tempo=500_000, time=0))
    for eighth in range(8 * bars):
        notes = [42] + ([36] if eighth % 4 == 0 else []) + ([38] if eighth % 4 == 2 else [])
        for note in notes:
            track.append(mido.Message("note_on", channel=channel, note=note, velocity=100))
        for index, note in enumerate(notes):
            track.append(
                mido.Message(
                    "note_off",
                    channel=channel,
                    note=note,
                    velocity=0,
                    time=240 if index == 0 else 0,
                )
            )
    return midi_bytes(midi)


def _without_drums(data: bytes) -> bytes:
    """The MIDI file without its drum-channel tracks (the conductor track kept)."""
    midi = mido.MidiFile(file=io.BytesIO(data))
    kept = mido.MidiFile(type=midi.type, ticks_per_beat=midi.ticks_per_beat)
    for track in midi.tracks:
        if not any(getattr(message, "channel", None) == DRUM_CHANNEL for message in track):
            kept.tracks.append(track)
    assert len(kept.tracks) < len(midi.tracks), "the cue has no drum track"
    return midi_bytes(kept)


@pytest.fixture(scope="module")
def cue_midi() -> bytes:
    scene = score_cue(plan_sketch(load_style("swing"), bars=4), seed=1)
    return midi_bytes(scene_midi(scene))


@pytest.fixture(scope="module")
def cue_seconds(cue_midi: bytes) -> float:
    return float(mido.MidiFile(file=io.BytesIO(cue_midi)).length)


@pytest.fixture(scope="module", params=RENDERERS)
def rendered(
    request: pytest.FixtureRequest, cue_midi: bytes, tmp_path_factory: pytest.TempPathFactory
) -> RenderResult:
    folder = tmp_path_factory.mktemp(f"render-{request.param}")
    return render_wav(cue_midi, folder / "cue.wav", renderer=request.param)


# --------------------------------------------------------------------------- the rendered cue


def test_cue_is_rendered_with_the_chosen_renderer(rendered: RenderResult) -> None:
    assert rendered.path.is_file()
    assert rendered.path.name == "cue.wav"
    assert rendered.renderer in (Renderer.FLUIDSYNTH, Renderer.MIDIRENDERER)
    assert rendered.soundfont.is_file()
    assert rendered.sample_rate == 44100
    assert rendered.render_seconds > 0


def test_cue_is_not_silent(rendered: RenderResult) -> None:
    samples, _ = _read_wav(rendered.path)
    assert _rms(samples) > 0.03


def test_cue_does_not_clip(rendered: RenderResult) -> None:
    samples, _ = _read_wav(rendered.path)
    peak = int(np.max(np.abs(samples.astype(np.int32))))
    assert peak / 32767 <= 0.9
    assert not np.any(samples == 32767)
    assert not np.any(samples == -32768)
    assert rendered.peak == pytest.approx(PEAK_TARGET, abs=1e-4)
    assert rendered.peak == pytest.approx(peak / 32767)


def test_cue_length_is_midi_length_plus_tail(rendered: RenderResult, cue_seconds: float) -> None:
    samples, sample_rate = _read_wav(rendered.path)
    seconds = len(samples) / sample_rate
    assert seconds == pytest.approx(cue_seconds + 2.0, abs=LENGTH_TOLERANCE_SECONDS)
    assert rendered.seconds == pytest.approx(seconds, abs=1e-9)
    assert rendered.midi_seconds == pytest.approx(cue_seconds)


def test_cue_keeps_the_reverb_tail(rendered: RenderResult, cue_seconds: float) -> None:
    samples, sample_rate = _read_wav(rendered.path)
    end = round(cue_seconds * sample_rate)
    just_after = samples[end : end + sample_rate // 4]
    assert _rms(just_after) > 1e-3, "the sound stops dead at the end of the MIDI file"
    # ... and it decays: the last quarter second is much quieter than the music.
    assert _rms(samples[-sample_rate // 4 :]) < 0.1 * _rms(samples[:end])


@pytest.mark.parametrize("renderer", RENDERERS)
def test_drums_are_audible_in_the_cue(cue_midi: bytes, renderer: Renderer, tmp_path: Path) -> None:
    full, rate = _read_wav(render_wav(cue_midi, tmp_path / "full.wav", renderer=renderer).path)
    band, _ = _read_wav(
        render_wav(_without_drums(cue_midi), tmp_path / "band.wav", renderer=renderer).path
    )
    # What the drums add: the part of the mix the drumless band cannot explain.
    x, y = full.astype(np.float64).ravel(), band.astype(np.float64).ravel()
    residual = x - (x @ y) / (y @ y) * y
    assert residual @ residual / (x @ x) > 0.02
    # Cymbals and snare put energy above 4 kHz; the band alone has next to none there.
    assert _high_share(full, rate, 4000.0) > 10 * _high_share(band, rate, 4000.0)


@pytest.mark.parametrize("renderer", RENDERERS)
def test_drum_channel_plays_a_drum_kit(renderer: Renderer, tmp_path: Path) -> None:
    drums, rate = _read_wav(
        render_wav(_drum_midi(), tmp_path / "drums.wav", renderer=renderer).path
    )
    piano, _ = _read_wav(
        render_wav(_drum_midi(channel=0), tmp_path / "piano.wav", renderer=renderer).path
    )
    assert _rms(drums) > 0.02
    # The same note numbers on channel 1 are low piano notes, with almost nothing above 4 kHz.
    drums_high, piano_high = _high_share(drums, rate, 4000.0), _high_share(piano, rate, 4000.0)
    assert drums_high > 0.02
    assert drums_high > 10 * piano_high


# --------------------------------------------------------------------------- options


def test_midi_from_a_path_and_another_sample_rate(cue_midi: bytes, tmp_path: Path) -> None:
    midi_path = tmp_path / "cue.mid"
    midi_path.write_bytes(cue_midi)
    result = render_wav(
        midi_path,
        tmp_path / "out" / "cue.wav",
        renderer="midirenderer",
        sample_rate=22050,
        tail_seconds=0.5,
    )
    samples, rate = _read_wav(result.path)
    assert rate == 22050
    assert len(samples) / rate == pytest.approx(
        float(mido.MidiFile(midi_path).length) + 0.5, abs=LENGTH_TOLERANCE_SECONDS
    )
    assert _rms(samples) > 0.03


def test_auto_renderer_without_fluidsynth_uses_midirenderer(
    cue_midi: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    result = render_wav(cue_midi, tmp_path / "cue.wav", tail_seconds=0.0)
    assert result.renderer is Renderer.MIDIRENDERER


@pytest.mark.skipif(not HAS_FLUIDSYNTH, reason="fluidsynth not installed")
def test_auto_renderer_prefers_fluidsynth(cue_midi: bytes, tmp_path: Path) -> None:
    assert render_wav(cue_midi, tmp_path / "cue.wav").renderer is Renderer.FLUIDSYNTH


def test_rendering_does_not_print(
    cue_midi: bytes, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    render_wav(cue_midi, tmp_path / "cue.wav", tail_seconds=0.0)
    captured = capfd.readouterr()
    assert captured.out == ""
    assert captured.err == ""


def test_resampling_keeps_pitch_and_level() -> None:
    seconds, from_rate, to_rate = 1.0, 48000, 44100
    times = np.arange(round(seconds * from_rate)) / from_rate
    tone = 0.5 * np.sin(2 * np.pi * 1000.0 * times)
    result = audio._resample(np.stack([tone, tone], axis=1), from_rate, to_rate)
    assert len(result) == round(seconds * to_rate)
    expected = 0.5 * np.sin(2 * np.pi * 1000.0 * np.arange(len(result)) / to_rate)
    middle = slice(len(result) // 10, -len(result) // 10)
    assert np.max(np.abs(result[middle, 0] - expected[middle])) < 1e-3


# --------------------------------------------------------------------------- SoundFont lookup


@pytest.fixture
def no_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.delenv(SOUNDFONT_ENV, raising=False)
    return monkeypatch


def test_soundfont_order(tmp_path: Path, no_env: pytest.MonkeyPatch) -> None:
    explicit = _fake_soundfont(tmp_path / "explicit.sf2")
    from_env = _fake_soundfont(tmp_path / "env.sf2")
    system = _fake_soundfont(tmp_path / "system.sf2")
    no_env.setattr(audio, "SYSTEM_SOUNDFONTS", (tmp_path / "missing.sf2", system))

    no_env.setenv(SOUNDFONT_ENV, str(from_env))
    assert find_soundfont(explicit) == explicit
    assert find_soundfont(str(explicit)) == explicit
    assert find_soundfont() == from_env
    no_env.setenv(SOUNDFONT_ENV, "")
    assert find_soundfont() == system
    no_env.setattr(audio, "SYSTEM_SOUNDFONTS", (tmp_path / "missing.sf2",))
    bundled = find_soundfont()
    assert bundled.name == "TimGM6mb.sf2"
    assert bundled.parent.name == "pretty_midi"


def test_system_soundfont_is_preferred_to_the_bundled_one(no_env: pytest.MonkeyPatch) -> None:
    system = next((path for path in audio.SYSTEM_SOUNDFONTS if path.is_file()), None)
    if system is None:
        pytest.skip("no system SoundFont installed")
    assert find_soundfont() == system


@pytest.mark.parametrize(("source", "hint"), [("explicit", "--soundfont"), ("env", SOUNDFONT_ENV)])
def test_missing_soundfont_is_an_export_error(
    source: str, hint: str, tmp_path: Path, no_env: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "nowhere" / "gm.sf2"
    explicit = missing if source == "explicit" else None
    if source == "env":
        no_env.setenv(SOUNDFONT_ENV, str(missing))
    with pytest.raises(ExportError) as caught:
        find_soundfont(explicit)
    (line,) = caught.value.lines
    assert str(missing) in line
    assert hint in line
    assert "expected" in line


def test_a_file_that_is_not_a_soundfont_is_an_export_error(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a SoundFont\n", encoding="utf-8")
    with pytest.raises(ExportError, match="not a SoundFont"):
        find_soundfont(text)


def test_no_soundfont_at_all_is_an_export_error(no_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    no_env.setattr(audio, "SYSTEM_SOUNDFONTS", (tmp_path / "missing.sf2",))
    no_env.setattr(audio, "_pretty_midi_soundfont", lambda: None)
    with pytest.raises(ExportError, match="no General MIDI SoundFont found"):
        find_soundfont()


# --------------------------------------------------------------------------- failures


def _files_in(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file())


@pytest.mark.parametrize("renderer", RENDERERS)
def test_renderer_failure_leaves_no_file(
    renderer: Renderer, cue_midi: bytes, tmp_path: Path
) -> None:
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    broken = _fake_soundfont(fonts / "broken.sf2")
    out = tmp_path / "out"
    with pytest.raises(ExportError, match=str(renderer.value)) as caught:
        render_wav(cue_midi, out / "cue.wav", soundfont=broken, renderer=renderer)
    assert "broken.sf2" in str(caught.value)
    assert not out.exists() or _files_in(out) == []


def test_bad_midi_is_an_export_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="not a standard MIDI file"):
        render_wav(b"MThd-not-really", tmp_path / "cue.wav")
    assert _files_in(tmp_path) == []


def test_missing_fluidsynth_is_an_export_error(
    cue_midi: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    with pytest.raises(ExportError, match="fluidsynth: program not found"):
        render_wav(cue_midi, tmp_path / "cue.wav", renderer="fluidsynth")
    assert _files_in(tmp_path) == []


def test_unknown_renderer_is_an_export_error(cue_midi: bytes, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="unknown renderer"):
        render_wav(cue_midi, tmp_path / "cue.wav", renderer="timidity")


def test_a_file_in_the_way_is_not_replaced(cue_midi: bytes, tmp_path: Path) -> None:
    target = tmp_path / "cue.wav"
    target.write_bytes(b"someone else's audio")
    with pytest.raises(ExportError, match="not written by soundtrack"):
        render_wav(cue_midi, target, renderer="midirenderer", tail_seconds=0.0)
    assert target.read_bytes() == b"someone else's audio"
    result = render_wav(cue_midi, target, renderer="midirenderer", tail_seconds=0.0, force=True)
    assert _read_wav(result.path)[0].size > 0


@pytest.mark.parametrize(("sample_rate", "tail"), [(4000, 2.0), (44100, -1.0)])
def test_out_of_range_arguments(
    sample_rate: int, tail: float, cue_midi: bytes, tmp_path: Path
) -> None:
    with pytest.raises(ValueError, match="must be"):
        render_wav(cue_midi, tmp_path / "cue.wav", sample_rate=sample_rate, tail_seconds=tail)


def test_pip_only_machine_renders_with_the_bundled_soundfont(
    cue_midi: bytes, tmp_path: Path, no_env: pytest.MonkeyPatch
) -> None:
    """No fluidsynth, no system SoundFont: midirenderer plays pretty_midi's TimGM6mb.sf2."""
    no_env.setattr(shutil, "which", lambda _name: None)
    no_env.setattr(audio, "SYSTEM_SOUNDFONTS", (tmp_path / "missing.sf2",))
    result = render_wav(cue_midi, tmp_path / "cue.wav")
    assert result.renderer is Renderer.MIDIRENDERER
    assert result.soundfont.name == "TimGM6mb.sf2"
    assert _rms(_read_wav(result.path)[0]) > 0.03
