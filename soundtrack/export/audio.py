"""Audio preview: render a MIDI file to a WAV file with a General MIDI SoundFont synthesizer.

Input: the bytes (or the path) of a standard MIDI file, e.g. a scene file written by
:func:`soundtrack.export.midi.scene_midi`. Output: a 16-bit stereo PCM WAV file whose length is
the MIDI file's length (as ``mido.MidiFile.length`` reads it, in seconds) plus a reverb tail
(``tail_seconds``, default 2 s), peak-normalised to -1 dBFS (:data:`PEAK_TARGET`, 0.891 of full
scale) so nothing clips.

Two synthesizers, both SoundFont 2 players:

* ``fluidsynth`` -- the FluidSynth command-line program (LGPL-2.1), used when it is on ``PATH``;
  it renders to 32-bit float, so nothing clips before normalising.
* ``midirenderer`` -- a pip wheel (MIT) wrapping the Rust synthesizer ``rustysynth`` (MIT); the
  pip-only fallback. It always renders 48 kHz 16-bit stereo; other sample rates are reached by
  band-limited (FFT) resampling with numpy.

The SoundFont is chosen by :func:`find_soundfont`: an explicit path, then the environment variable
``SOUNDTRACK_SOUNDFONT``, then a system General MIDI SoundFont (Debian's ``default-GM.sf2`` /
FluidR3_GM...), then ``TimGM6mb.sf2`` shipped inside the ``pretty_midi`` wheel (GPL-2.0, by Tim
Brechbill), so a plain ``pip install`` can render on a fresh machine.

Neither synthesizer stops the audio when the MIDI file ends: the file handed to the synthesizer
is lengthened (its longest track's ``end_of_track`` is delayed) so the reverb and release tails
are rendered; the result is then trimmed (or padded with silence) to exactly
``round((midi_seconds + tail_seconds) * sample_rate)`` frames.

Writes are atomic (:func:`soundtrack.export.files.write_outputs`): a failed render leaves no file.
"""

from __future__ import annotations

import io
import logging
import math
import os
import shutil
import struct
import subprocess
import tempfile
import time
import wave
from dataclasses import dataclass
from enum import StrEnum
from importlib.util import find_spec
from pathlib import Path

import mido
import numpy as np
import numpy.typing as npt

from soundtrack.errors import ExportError
from soundtrack.export.files import OutputFile, write_outputs

__all__ = [
    "PEAK_TARGET",
    "SOUNDFONT_ENV",
    "SYSTEM_SOUNDFONTS",
    "RenderResult",
    "Renderer",
    "find_soundfont",
    "render_wav",
    "render_wav_bytes",
]

logger = logging.getLogger(__name__)

#: Environment variable naming the SoundFont to use (after an explicit ``--soundfont``).
SOUNDFONT_ENV = "SOUNDTRACK_SOUNDFONT"

#: System General MIDI SoundFonts, best first (Debian/Ubuntu, Fedora/Arch, Homebrew).
SYSTEM_SOUNDFONTS: tuple[Path, ...] = (
    Path("/usr/share/sounds/sf2/default-GM.sf2"),
    Path("/usr/share/sounds/sf2/FluidR3_GM.sf2"),
    Path("/usr/share/soundfonts/default.sf2"),
    Path("/usr/share/soundfonts/FluidR3_GM.sf2"),
    Path("/usr/share/soundfonts/FluidR3_GM2-2.sf2"),
    Path("/usr/local/share/soundfonts/default.sf2"),
    Path("/opt/homebrew/share/soundfonts/default.sf2"),
)

#: The SoundFont inside the ``pretty_midi`` package (GPL-2.0), the pip-only fallback.
PRETTY_MIDI_SOUNDFONT = "TimGM6mb.sf2"

#: Peak level after normalising: -1 dBFS as a fraction of full scale.
PEAK_TARGET = 10.0 ** (-1.0 / 20.0)

#: Extra seconds of MIDI time given to the synthesizer beyond the tail (trimmed afterwards).
_RENDER_MARGIN_SECONDS = 0.5
#: Sample rate of everything ``midirenderer`` renders (it has no setting).
_MIDIRENDERER_RATE = 48_000
#: Lines of a failing program's stderr quoted in the error.
_STDERR_TAIL_LINES = 4
_PCM_FULL_SCALE = 32767


class Renderer(StrEnum):
    """Which synthesizer renders; ``auto``: ``fluidsynth`` when installed, else ``midirenderer``."""

    AUTO = "auto"
    FLUIDSYNTH = "fluidsynth"
    MIDIRENDERER = "midirenderer"


@dataclass(frozen=True, slots=True, kw_only=True)
class RenderResult:
    """What :func:`render_wav` wrote.

    Attributes:
        path: the WAV file.
        seconds: its length in seconds (``midi_seconds`` + the tail).
        midi_seconds: the MIDI file's length in seconds (``mido.MidiFile.length``).
        sample_rate: frames per second of the WAV file.
        peak: the largest absolute sample after normalising, 0..1 of full scale (0 when silent).
        soundfont: the SoundFont used.
        renderer: the synthesizer used (never ``AUTO``).
        render_seconds: wall-clock seconds the whole call took (synthesis, processing, writing).
    """

    path: Path
    seconds: float
    midi_seconds: float
    sample_rate: int
    peak: float
    soundfont: Path
    renderer: Renderer
    render_seconds: float

    @property
    def realtime_factor(self) -> float:
        """Seconds of audio rendered per second of wall clock ("x realtime")."""
        return self.seconds / self.render_seconds if self.render_seconds > 0 else float("inf")


# --------------------------------------------------------------------------- SoundFont lookup


def _is_soundfont(path: Path) -> bool:
    """Whether ``path`` is a readable file starting like a SoundFont 2 (``RIFF....sfbk``)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(12)
    except OSError:
        return False
    return len(head) == 12 and head[:4] == b"RIFF" and head[8:12] == b"sfbk"


def _checked(path: Path, source: str) -> Path:
    """``path`` if it is a SoundFont, else an :class:`ExportError` naming it and ``source``."""
    if not path.is_file():
        raise ExportError(
            f"{path}: SoundFont not found (from {source}); expected an existing .sf2 file"
        )
    if not _is_soundfont(path):
        raise ExportError(
            f"{path}: not a SoundFont (from {source}); expected a SoundFont 2 file (.sf2, "
            "starting with RIFF....sfbk)"
        )
    return path


def _pretty_midi_soundfont() -> Path | None:
    """The SoundFont shipped in the ``pretty_midi`` package, without importing the package."""
    spec = find_spec("pretty_midi")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        candidate = Path(folder) / PRETTY_MIDI_SOUNDFONT
        if _is_soundfont(candidate):
            return candidate
    return None


def find_soundfont(explicit: str | Path | None = None) -> Path:
    """The General MIDI SoundFont to render with.

    Order: ``explicit`` (e.g. ``--soundfont``), the environment variable ``SOUNDTRACK_SOUNDFONT``
    (ignored when empty), the first existing SoundFont of :data:`SYSTEM_SOUNDFONTS`, then
    ``TimGM6mb.sf2`` inside the installed ``pretty_midi`` package.

    Args:
        explicit: a SoundFont path the user asked for, or None.

    Returns:
        The SoundFont's path (as given or found; not resolved).

    Raises:
        ExportError: the explicit or environment path is missing or not a SoundFont (one line
            naming the path and where it came from), or no SoundFont is found at all.
    """
    if explicit is not None and str(explicit):
        return _checked(Path(explicit).expanduser(), "--soundfont")
    from_env = os.environ.get(SOUNDFONT_ENV, "").strip()
    if from_env:
        return _checked(Path(from_env).expanduser(), SOUNDFONT_ENV)
    for candidate in SYSTEM_SOUNDFONTS:
        if _is_soundfont(candidate):
            return candidate
    bundled = _pretty_midi_soundfont()
    if bundled is not None:
        return bundled
    raise ExportError(
        "no General MIDI SoundFont found; expected --soundfont PATH, "
        f"{SOUNDFONT_ENV}=PATH, a system SoundFont such as {SYSTEM_SOUNDFONTS[0]}, "
        "or the pretty_midi package (pip install pretty_midi)"
    )


# --------------------------------------------------------------------------- MIDI handling


def _read_midi(midi: bytes | Path) -> mido.MidiFile:
    """The MIDI file as mido reads it; unreadable input is an :class:`ExportError`."""
    name = str(midi) if isinstance(midi, Path) else "<MIDI bytes>"
    try:
        data = midi.read_bytes() if isinstance(midi, Path) else bytes(midi)
    except OSError as error:
        raise ExportError(
            f"{name}: cannot read the MIDI file ({error.strerror or error}); "
            "expected a readable .mid file"
        ) from error
    try:
        parsed = mido.MidiFile(file=io.BytesIO(data))
        # Reading the length walks the tempo map; a broken file fails here too.
        _ = parsed.length
    except (OSError, EOFError, ValueError, KeyError, IndexError, TypeError) as error:
        raise ExportError(f"{name}: not a standard MIDI file ({error})") from error
    if not parsed.tracks:
        raise ExportError(f"{name}: a MIDI file without tracks; expected at least one track")
    return parsed


def _final_tempo(parsed: mido.MidiFile) -> int:
    """The tempo (microseconds per quarter note) in force at the end of the file."""
    last_tick, tempo = -1, 500_000
    for track in parsed.tracks:
        tick = 0
        for message in track:
            tick += message.time
            if message.type == "set_tempo" and tick >= last_tick:
                last_tick, tempo = tick, message.tempo
    return tempo


def _lengthened(parsed: mido.MidiFile, extra_seconds: float) -> bytes:
    """The MIDI file with its longest track's end delayed by ``extra_seconds`` (at the last tempo).

    Synthesizers stop rendering when the MIDI file ends, cutting reverb and release tails; the
    delay keeps them. Only the ``end_of_track`` moves: no note, tempo or marker changes.
    """
    ticks_per_second = parsed.ticks_per_beat * 1_000_000 / _final_tempo(parsed)
    extra_ticks = max(1, round(extra_seconds * ticks_per_second))
    copy = mido.MidiFile(type=parsed.type, ticks_per_beat=parsed.ticks_per_beat)
    totals = [sum(message.time for message in track) for track in parsed.tracks]
    longest = totals.index(max(totals))
    for index, track in enumerate(parsed.tracks):
        new_track = mido.MidiTrack(track)
        if index == longest:
            if new_track and new_track[-1].type == "end_of_track":
                end = new_track[-1]
                new_track[-1] = end.copy(time=end.time + extra_ticks)
            else:
                new_track.append(mido.MetaMessage("end_of_track", time=extra_ticks))
        copy.tracks.append(new_track)
    buffer = io.BytesIO()
    copy.save(file=buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- WAV reading


def _decode_wav(data: bytes, source: str) -> tuple[npt.NDArray[np.float64], int]:
    """Samples (frames x channels, -1..1 for PCM) and sample rate of a RIFF WAVE file.

    Handles 16/24/32-bit PCM and 32/64-bit IEEE float (also as WAVE_FORMAT_EXTENSIBLE), which
    the stdlib ``wave`` module cannot all read.
    """
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise ExportError(f"{source}: produced no WAV audio (expected a RIFF WAVE file)")
    position, fmt, samples = 12, b"", b""
    while position + 8 <= len(data):
        chunk_id = data[position : position + 4]
        (size,) = struct.unpack_from("<I", data, position + 4)
        body = data[position + 8 : position + 8 + size]
        if chunk_id == b"fmt ":
            fmt = body
        elif chunk_id == b"data":
            samples = body
            break
        position += 8 + size + (size & 1)
    if len(fmt) < 16:
        raise ExportError(f"{source}: WAV audio without a format chunk")
    tag, channels, rate, _, block_align, bits = struct.unpack_from("<HHIIHH", fmt)
    if tag == 0xFFFE and len(fmt) >= 26:
        (tag,) = struct.unpack_from("<H", fmt, 24)  # sub-format GUID starts with the format tag
    width = bits // 8
    if channels < 1 or block_align != channels * width:
        raise ExportError(f"{source}: WAV audio with an unexpected layout ({channels} channels)")
    usable = len(samples) - len(samples) % block_align
    raw = samples[:usable]
    audio: npt.NDArray[np.float64]
    if tag == 3 and width in (4, 8):
        audio = np.frombuffer(raw, dtype=f"<f{width}").astype(np.float64)
    elif tag == 1 and width == 2:
        audio = np.frombuffer(raw, dtype="<i2").astype(np.float64) / 32768.0
    elif tag == 1 and width == 4:
        audio = np.frombuffer(raw, dtype="<i4").astype(np.float64) / 2_147_483_648.0
    elif tag == 1 and width == 3:
        triples = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        values = triples[:, 0] | (triples[:, 1] << 8) | (triples[:, 2] << 16)
        values = np.where(values >= 1 << 23, values - (1 << 24), values)
        audio = values.astype(np.float64) / 8_388_608.0
    else:
        raise ExportError(f"{source}: unsupported WAV sample format (tag {tag}, {bits} bits)")
    return audio.reshape(-1, channels), rate


# --------------------------------------------------------------------------- synthesizers


def _stderr_tail(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return " | ".join(lines[-_STDERR_TAIL_LINES:]) or "no message"


def _render_fluidsynth(
    program: str, midi_data: bytes, soundfont: Path, sample_rate: int, timeout_seconds: float
) -> tuple[npt.NDArray[np.float64], int]:
    """Render with the ``fluidsynth`` program (fast render to a 32-bit float WAV)."""
    with tempfile.TemporaryDirectory(prefix="soundtrack-render-") as folder:
        midi_path = Path(folder) / "cue.mid"
        wav_path = Path(folder) / "cue.wav"
        midi_path.write_bytes(midi_data)
        command = [
            program,
            "-n",  # no MIDI input driver
            "-i",  # no interactive shell
            "-q",  # quiet
            "-F",
            str(wav_path),
            "-T",
            "wav",
            "-O",
            "float",
            "-r",
            str(sample_rate),
            str(soundfont),
            str(midi_path),
        ]
        logger.debug("running %s", " ".join(command))
        try:
            completed = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=timeout_seconds,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise ExportError(
                f"fluidsynth: no result after {timeout_seconds:.0f} s; expected a rendered WAV"
            ) from error
        except OSError as error:
            raise ExportError(f"{program}: cannot run fluidsynth ({error})") from error
        messages = f"{completed.stdout}\n{completed.stderr}"
        # fluidsynth exits 0 even when the SoundFont fails to load (it renders silence).
        failed_load = "Failed to load" in messages or "not a SoundFont" in messages
        if completed.returncode != 0 or failed_load or not wav_path.is_file():
            raise ExportError(
                f"fluidsynth failed (exit {completed.returncode}) rendering with {soundfont}: "
                f"{_stderr_tail(messages)}"
            )
        if completed.stderr.strip():
            logger.warning("fluidsynth: %s", _stderr_tail(completed.stderr))
        return _decode_wav(wav_path.read_bytes(), "fluidsynth")


def _render_midirenderer(midi_data: bytes, soundfont: Path) -> tuple[npt.NDArray[np.float64], int]:
    """Render with the ``midirenderer`` wheel (rustysynth; 48 kHz 16-bit stereo)."""
    try:
        import midirenderer
    except ImportError as error:
        raise ExportError(
            "midirenderer is not installed; expected `pip install midirenderer` "
            "or the fluidsynth program on PATH"
        ) from error
    try:
        soundfont_data = soundfont.read_bytes()
    except OSError as error:
        raise ExportError(
            f"{soundfont}: cannot read the SoundFont ({error.strerror or error})"
        ) from error
    try:
        wav_data = midirenderer.render_wave_from(soundfont_data, midi_data)
    except (ValueError, RuntimeError) as error:
        raise ExportError(
            f"midirenderer failed rendering with {soundfont}: {_stderr_tail(str(error))}"
        ) from error
    return _decode_wav(wav_data, "midirenderer")


# --------------------------------------------------------------------------- processing


def _next_smooth(number: int) -> int:
    """The smallest integer >= ``number`` with no prime factor above 5 (a fast FFT size)."""
    candidate = max(1, number)
    while True:
        rest = candidate
        for factor in (2, 3, 5):
            while rest % factor == 0:
                rest //= factor
        if rest == 1:
            return candidate
        candidate += 1


def _resample(
    audio: npt.NDArray[np.float64], from_rate: int, to_rate: int
) -> npt.NDArray[np.float64]:
    """Band-limited resampling (FFT: an ideal low-pass at the lower Nyquist frequency).

    With ``to_rate / from_rate = up / down`` in lowest terms, the signal is padded with silence
    (at least 0.1 s, so the FFT's circular wrap-around lands in the pad) to ``down * k`` frames
    with ``k`` 5-smooth; the output then has exactly ``up * k`` frames and both FFTs are fast.
    """
    if from_rate == to_rate or len(audio) == 0:
        return audio
    common = math.gcd(from_rate, to_rate)
    up, down = to_rate // common, from_rate // common
    blocks = _next_smooth(-(-(len(audio) + from_rate // 10) // down))
    frames, out_frames = down * blocks, up * blocks
    # Single precision (noise near -140 dB, far below 16-bit output) is faster than double.
    padded = np.zeros((frames, audio.shape[1]), dtype=np.float32)
    padded[: len(audio)] = audio
    spectrum = np.fft.rfft(padded, axis=0)
    bins = out_frames // 2 + 1
    if bins <= spectrum.shape[0]:
        spectrum = spectrum[:bins]
    else:
        extra = np.zeros((bins - spectrum.shape[0], audio.shape[1]), dtype=spectrum.dtype)
        spectrum = np.concatenate([spectrum, extra])
    resampled = np.fft.irfft(spectrum, n=out_frames, axis=0) * (out_frames / frames)
    keep = round(len(audio) * to_rate / from_rate)
    return np.asarray(resampled[:keep], dtype=np.float64)


def _stereo(audio: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    if audio.shape[1] == 2:
        return audio
    if audio.shape[1] == 1:
        return np.repeat(audio, 2, axis=1)
    return audio[:, :2]


def _fit_length(audio: npt.NDArray[np.float64], frames: int) -> npt.NDArray[np.float64]:
    """Exactly ``frames`` frames: trimmed at the end, or padded with silence."""
    if len(audio) >= frames:
        return audio[:frames]
    if len(audio) < frames - 1:
        logger.debug(
            "synthesizer stopped %d frames early; padding with silence", frames - len(audio)
        )
    padding = np.zeros((frames - len(audio), audio.shape[1]), dtype=np.float64)
    return np.concatenate([audio, padding])


def _pcm16(audio: npt.NDArray[np.float64]) -> tuple[npt.NDArray[np.int16], float]:
    """Peak-normalised (to :data:`PEAK_TARGET`) 16-bit samples and their peak (0..1)."""
    loudest = float(np.max(np.abs(audio))) if audio.size else 0.0
    if loudest <= 0.0 or not np.isfinite(loudest):
        if not np.isfinite(loudest):
            raise ExportError("the synthesizer produced invalid samples (NaN or infinity)")
        logger.warning("the rendered audio is silent")
        return np.zeros(audio.shape, dtype=np.int16), 0.0
    scaled = np.rint(audio * (PEAK_TARGET * _PCM_FULL_SCALE / loudest))
    samples = np.clip(scaled, -_PCM_FULL_SCALE, _PCM_FULL_SCALE).astype(np.int16)
    peak = float(np.max(np.abs(samples.astype(np.int32)))) / _PCM_FULL_SCALE
    return samples, peak


def _wav_bytes(samples: npt.NDArray[np.int16], sample_rate: int) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(samples.shape[1])
        writer.setsampwidth(2)
        writer.setframerate(sample_rate)
        writer.writeframes(samples.astype("<i2").tobytes())
    return buffer.getvalue()


def _choose_renderer(renderer: Renderer | str) -> tuple[Renderer, str | None]:
    """The synthesizer to use and, for fluidsynth, the program's path."""
    try:
        chosen = Renderer(renderer)
    except ValueError as error:
        names = ", ".join(member.value for member in Renderer)
        raise ExportError(f"unknown renderer {renderer!r}; expected one of {names}") from error
    program = shutil.which("fluidsynth")
    if chosen is Renderer.AUTO:
        chosen = Renderer.FLUIDSYNTH if program else Renderer.MIDIRENDERER
    if chosen is Renderer.FLUIDSYNTH and program is None:
        raise ExportError(
            "fluidsynth: program not found on PATH; expected it installed "
            "(e.g. apt install fluidsynth) or renderer 'midirenderer'"
        )
    return chosen, program if chosen is Renderer.FLUIDSYNTH else None


def _render(
    midi: bytes | Path,
    *,
    soundfont: str | Path | None,
    sample_rate: int,
    tail_seconds: float,
    renderer: Renderer | str,
) -> tuple[bytes, float, int, float, Path, Renderer]:
    """Synthesize, resample, fit and normalise: the WAV bytes, the MIDI length (s), the frame
    count, the peak, the SoundFont and the renderer used (see :func:`render_wav`)."""
    if not 8000 <= sample_rate <= 192_000:
        raise ValueError(f"sample_rate must be 8000..192000 Hz, got {sample_rate}")
    if not (tail_seconds >= 0.0 and np.isfinite(tail_seconds)):
        raise ValueError(f"tail_seconds must be >= 0, got {tail_seconds}")
    parsed = _read_midi(midi)
    font = find_soundfont(soundfont)
    chosen, program = _choose_renderer(renderer)
    midi_seconds = float(parsed.length)
    render_data = _lengthened(parsed, tail_seconds + _RENDER_MARGIN_SECONDS)

    if chosen is Renderer.FLUIDSYNTH:
        timeout = 120.0 + 10.0 * (midi_seconds + tail_seconds)
        audio, rate = _render_fluidsynth(
            program or "fluidsynth", render_data, font, sample_rate, timeout
        )
    else:
        audio, rate = _render_midirenderer(render_data, font)
    audio = _resample(_stereo(audio), rate, sample_rate)
    frames = round((midi_seconds + tail_seconds) * sample_rate)
    samples, peak = _pcm16(_fit_length(audio, frames))
    return _wav_bytes(samples, sample_rate), midi_seconds, frames, peak, font, chosen


def render_wav_bytes(
    midi: bytes | Path,
    *,
    soundfont: str | Path | None = None,
    sample_rate: int = 44100,
    tail_seconds: float = 2.0,
    renderer: Renderer | str = Renderer.AUTO,
) -> bytes:
    """The WAV file :func:`render_wav` would write, as bytes (for callers that write several
    files at once through :func:`soundtrack.export.files.write_outputs`).

    Raises:
        ExportError, ValueError: as :func:`render_wav`.
    """
    data, *_ = _render(
        midi,
        soundfont=soundfont,
        sample_rate=sample_rate,
        tail_seconds=tail_seconds,
        renderer=renderer,
    )
    return data


def render_wav(
    midi: bytes | Path,
    wav_path: Path,
    *,
    soundfont: str | Path | None = None,
    sample_rate: int = 44100,
    tail_seconds: float = 2.0,
    renderer: Renderer | str = Renderer.AUTO,
    force: bool = False,
) -> RenderResult:
    """Render a MIDI file to a peak-normalised 16-bit stereo WAV file.

    Args:
        midi: the MIDI file, as bytes or a path.
        wav_path: the WAV file to write (atomically; its folder is created when missing).
        soundfont: a SoundFont 2 path; None = :func:`find_soundfont`'s choice.
        sample_rate: frames per second of the WAV file, 8000..192000.
        tail_seconds: seconds kept after the MIDI file ends (reverb and release tails), >= 0.
        renderer: ``auto`` (fluidsynth when on PATH, else midirenderer), ``fluidsynth`` or
            ``midirenderer``.
        force: replace a file at ``wav_path`` that soundtrack did not write (see
            :func:`soundtrack.export.files.write_outputs`).

    Returns:
        What was written; ``seconds`` = MIDI length + ``tail_seconds`` (to one frame).

    Raises:
        ExportError: unreadable MIDI, no or bad SoundFont, renderer missing or failing (with
            its message), or the WAV file cannot be written. Nothing is written then.
        ValueError: ``sample_rate`` or ``tail_seconds`` out of range.
    """
    started = time.perf_counter()
    data, midi_seconds, frames, peak, font, chosen = _render(
        midi,
        soundfont=soundfont,
        sample_rate=sample_rate,
        tail_seconds=tail_seconds,
        renderer=renderer,
    )
    written = write_outputs(
        wav_path.parent,
        [OutputFile(relative_path=wav_path.name, data=data)],
        force=force,
    )[0]
    result = RenderResult(
        path=written,
        seconds=frames / sample_rate,
        midi_seconds=midi_seconds,
        sample_rate=sample_rate,
        peak=peak,
        soundfont=font,
        renderer=chosen,
        render_seconds=time.perf_counter() - started,
    )
    logger.info(
        "rendered %s (%.1f s) with %s and %s in %.2f s (%.0fx realtime)",
        result.path,
        result.seconds,
        result.renderer.value,
        result.soundfont.name,
        result.render_seconds,
        result.realtime_factor,
    )
    return result
