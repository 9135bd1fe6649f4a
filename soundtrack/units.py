"""Units of time: ticks, seconds, tempo maps and SMPTE timecode.

Inside the engine time is integer ticks at :data:`TICKS_PER_QUARTER` per quarter note. A tempo
map (a sequence of ``(start_tick, microseconds_per_quarter)`` pairs, first at tick 0) converts
ticks to seconds exactly as a MIDI player does.

Timecode (``HH:MM:SS:FF``) exists only at the edges: story timing in, cue sheets out. The frame
rates are those of :data:`FRAME_RATES`. ``23.976`` and ``29.97`` are *nominal* names of the exact
rates 24 x 1000/1001 and 30 x 1000/1001 frames per second; all arithmetic here uses the exact
rates. A timecode label counts frames, not seconds:

* **Non-drop-frame** (``:`` before the frames) labels count the *timebase* (24 or 30) frames per
  second of label. At 29.97 fps the label ``00:01:00:00`` is frame 1800, which plays at
  1800 x 1001/30000 = 60.06 real seconds: non-drop labels run 0.1 % slow against the wall clock.
  Likewise at 23.976 fps, ``00:01:00:00`` is frame 1440 = 60.06 s.
* **Drop-frame** (``;`` before the frames, 29.97 fps only) skips the frame *numbers* 00 and 01 at
  the start of every minute except every tenth minute, so read as a clock the label never strays
  more than about two frames from real time: ``00:01:00;02`` is frame 1800 (60.06 s),
  ``00:10:00;00`` is frame 17982 = 599.9994 s (the residual drift is about 86 ms a day). No frame
  is dropped, only labels.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from fractions import Fraction

__all__ = [
    "DROP_FRAME_RATE",
    "TimeSyntaxError",
    "FRAME_RATES",
    "TICKS_PER_QUARTER",
    "canonical_frame_rate",
    "exact_frame_rate",
    "format_timecode",
    "frame_seconds",
    "frames_to_timecode",
    "parse_duration",
    "parse_timecode",
    "tempo_map_seconds",
    "timecode_frames",
    "timecode_timebase",
]

#: Ticks per quarter note everywhere in the engine and in written MIDI files.
TICKS_PER_QUARTER = 480


def tempo_map_seconds(tick: int, changes: Sequence[tuple[int, int]]) -> float:
    """Seconds from tick 0 to ``tick`` under a tempo map.

    Args:
        tick: ticks from the start (>= 0).
        changes: ``(start_tick, microseconds_per_quarter)`` pairs sorted by tick, the first at 0.

    Returns:
        The time of ``tick`` in seconds, as a MIDI player computes it.
    """
    seconds = 0.0
    for index, (start_tick, microseconds) in enumerate(changes):
        if start_tick >= tick:
            break
        next_tick = changes[index + 1][0] if index + 1 < len(changes) else tick
        end_tick = min(next_tick, tick)
        seconds += (end_tick - start_tick) * microseconds / (TICKS_PER_QUARTER * 1_000_000)
    return seconds


# ---------------------------------------------------------------- timecode

#: The frame rates a story may use, frames per second (nominal names; see :func:`exact_frame_rate`).
FRAME_RATES: tuple[float, ...] = (23.976, 24.0, 25.0, 29.97, 30.0)

#: The only frame rate at which drop-frame timecode exists.
DROP_FRAME_RATE = 29.97

# Nominal rate -> (exact rate as a fraction, timebase = frame labels per second of label).
_RATES: dict[float, tuple[Fraction, int]] = {
    23.976: (Fraction(24000, 1001), 24),
    24.0: (Fraction(24), 24),
    25.0: (Fraction(25), 25),
    29.97: (Fraction(30000, 1001), 30),
    30.0: (Fraction(30), 30),
}
# How far a given rate may be from a nominal one and still mean it (so 24000/1001 = 23.976023...
# and 30000/1001 = 29.97002997... are accepted, 23.98 is not).
_RATE_TOLERANCE = 0.0005
# Drop-frame: labels skipped per minute, frames per ten minutes, frames per dropped minute.
_DROPPED_PER_MINUTE = 2
_FRAMES_PER_10_MINUTES = 10 * 60 * 30 - 9 * _DROPPED_PER_MINUTE  # 17982
_FRAMES_PER_DROPPED_MINUTE = 60 * 30 - _DROPPED_PER_MINUTE  # 1798


class TimeSyntaxError(ValueError):
    """A time value has none of the accepted forms (as opposed to a well-formed but invalid one,
    such as frame 30 at 24 fps, which raises a plain :class:`ValueError`)."""


_TIMECODE_PATTERN = re.compile(r"^(\d{2}):(\d{2}):(\d{2})([:;])(\d{2})$")
_MINUTES_SECONDS_PATTERN = re.compile(r"^(\d+):(\d{2}(?:\.\d+)?)$")


def canonical_frame_rate(frame_rate: float) -> float:
    """The entry of :data:`FRAME_RATES` that ``frame_rate`` names.

    Args:
        frame_rate: frames per second; a nominal value (``29.97``) or the exact one
            (``30000 / 1001``), within 0.0005 fps.

    Returns:
        The nominal rate as listed in :data:`FRAME_RATES`.

    Raises:
        ValueError: when ``frame_rate`` is not one of the supported rates.
    """
    if isinstance(frame_rate, bool) or not isinstance(frame_rate, int | float):
        raise ValueError(f"frame rate must be a number, not {frame_rate!r}")
    for nominal in FRAME_RATES:
        if abs(frame_rate - nominal) <= _RATE_TOLERANCE:
            return nominal
    allowed = ", ".join(f"{rate:g}" for rate in FRAME_RATES)
    raise ValueError(f"frame rate {frame_rate:g} fps is not supported (one of {allowed})")


def exact_frame_rate(frame_rate: float) -> Fraction:
    """The exact frame rate of a nominal one: 23.976 -> 24000/1001, 29.97 -> 30000/1001.

    Args:
        frame_rate: one of :data:`FRAME_RATES` (see :func:`canonical_frame_rate`).

    Returns:
        Frames per second as an exact fraction.

    Raises:
        ValueError: for an unsupported frame rate.
    """
    return _RATES[canonical_frame_rate(frame_rate)][0]


def timecode_timebase(frame_rate: float) -> int:
    """Frame labels per second of timecode label: 24, 25 or 30 (29.97 counts 30 labels).

    Raises:
        ValueError: for an unsupported frame rate.
    """
    return _RATES[canonical_frame_rate(frame_rate)][1]


def frame_seconds(frame_rate: float) -> float:
    """Length of one frame in seconds (1001/24000 s = 41.7 ms at 23.976 fps, 40 ms at 25 fps).

    Raises:
        ValueError: for an unsupported frame rate.
    """
    return float(1 / exact_frame_rate(frame_rate))


def _is_drop_frame_rate(frame_rate: float) -> bool:
    return canonical_frame_rate(frame_rate) == DROP_FRAME_RATE


def timecode_frames(text: str, frame_rate: float) -> int:
    """The frame number (0 = ``00:00:00:00``) of a timecode label.

    Args:
        text: ``"HH:MM:SS:FF"`` (non-drop) or ``"HH:MM:SS;FF"`` (drop-frame, 29.97 fps only);
            two digits each, minutes and seconds 00-59, frames below the timebase.
        frame_rate: one of :data:`FRAME_RATES`.

    Returns:
        Frames from zero (>= 0).

    Raises:
        TimeSyntaxError: when the text does not have the form of a timecode.
        ValueError: when the text is not a valid timecode at this frame rate (including a
            drop-frame label at another rate, or a label drop-frame skips such as ``00:01:00;00``).
    """
    timebase = timecode_timebase(frame_rate)
    match = _TIMECODE_PATTERN.match(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise TimeSyntaxError(
            f"{text!r} is not a timecode HH:MM:SS:FF (or HH:MM:SS;FF for drop-frame)"
        )
    hours, minutes, seconds, separator, frames = match.groups()
    h, m, s, f = int(hours), int(minutes), int(seconds), int(frames)
    drop_frame = separator == ";"
    if drop_frame and not _is_drop_frame_rate(frame_rate):
        raise ValueError(
            f"drop-frame timecode {text!r} (';' before the frames) is only valid at 29.97 fps,"
            f" not at {canonical_frame_rate(frame_rate):g} fps; use ':'"
        )
    if m > 59 or s > 59:
        raise ValueError(f"timecode {text!r} has minutes or seconds above 59")
    if f >= timebase:
        raise ValueError(
            f"timecode {text!r} has frame {f:02d}, but frames run 00-{timebase - 1:02d}"
            f" at {canonical_frame_rate(frame_rate):g} fps"
        )
    total_minutes = 60 * h + m
    frame = (3600 * h + 60 * m + s) * timebase + f
    if drop_frame:
        if s == 0 and f < _DROPPED_PER_MINUTE and m % 10 != 0:
            raise ValueError(
                f"drop-frame timecode {text!r} does not exist: frames 00 and 01 are skipped"
                " at the start of every minute except each tenth minute"
            )
        frame -= _DROPPED_PER_MINUTE * (total_minutes - total_minutes // 10)
    return frame


def parse_timecode(text: str, frame_rate: float) -> float:
    """Seconds of real time from ``00:00:00:00`` to a timecode label.

    The label counts frames (see the module docstring): at 29.97 fps non-drop ``00:01:00:00`` is
    frame 1800 = 60.06 s; drop-frame ``00:10:00;00`` is frame 17982 = 599.9994 s.

    Args:
        text: ``"HH:MM:SS:FF"``, or ``"HH:MM:SS;FF"`` for drop-frame (29.97 fps only).
        frame_rate: one of :data:`FRAME_RATES`.

    Returns:
        Seconds (>= 0).

    Raises:
        ValueError: when the text is not a valid timecode at this frame rate.
    """
    return float(timecode_frames(text, frame_rate) / exact_frame_rate(frame_rate))


def parse_duration(value: object, frame_rate: float) -> float:
    """Seconds from a story time value: a length, or a position on the story timeline.

    Accepted forms:

    * a number of seconds (``150``, ``12.5``; not a boolean, finite, >= 0);
    * ``"MM:SS"`` or ``"MM:SS.sss"`` (minutes any number of digits, seconds 00-59.999...);
    * a timecode ``"HH:MM:SS:FF"`` or drop-frame ``"HH:MM:SS;FF"`` (see :func:`parse_timecode`).

    A string holding a bare number (``"150"``) is refused, so that JSON and TOML mean the same.

    Args:
        value: the value as it came from the story file.
        frame_rate: one of :data:`FRAME_RATES`, for timecodes.

    Returns:
        Seconds (>= 0).

    Raises:
        TimeSyntaxError: when the value has none of these forms.
        ValueError: when it has one but is invalid (a negative number, seconds above 59, a timecode
            invalid at this frame rate).
    """
    if isinstance(value, bool):
        raise TimeSyntaxError(f"{value!r} is a boolean, not a time")
    if isinstance(value, int | float):
        seconds = float(value)
        if not math.isfinite(seconds):
            raise ValueError(f"{value!r} is not a finite number of seconds")
        if seconds < 0:
            raise ValueError(f"{value!r} is negative")
        return seconds
    if not isinstance(value, str):
        raise TimeSyntaxError(f"{value!r} is neither a number of seconds nor a time string")
    text = value.strip()
    if _TIMECODE_PATTERN.match(text):
        return parse_timecode(text, frame_rate)
    match = _MINUTES_SECONDS_PATTERN.match(text)
    if match is None:
        raise TimeSyntaxError(
            f'{value!r} is not a time: use seconds as a number, "MM:SS", "MM:SS.sss"'
            ' or "HH:MM:SS:FF"'
        )
    minutes, seconds_text = match.groups()
    seconds = float(seconds_text)
    if seconds >= 60:
        raise ValueError(f"{value!r} has seconds above 59")
    return 60 * int(minutes) + seconds


def frames_to_timecode(frame: int, frame_rate: float, *, drop_frame: bool) -> str:
    """The timecode label of a frame number (inverse of :func:`timecode_frames`).

    Args:
        frame: frames from zero (>= 0).
        frame_rate: one of :data:`FRAME_RATES`.
        drop_frame: write a drop-frame label (``;``); only at 29.97 fps.

    Returns:
        ``"HH:MM:SS:FF"`` or ``"HH:MM:SS;FF"``; hours grow past 99 as needed.

    Raises:
        ValueError: for a negative frame, or drop-frame at another rate than 29.97 fps.
    """
    if frame < 0:
        raise ValueError(f"frame {frame} is negative")
    timebase = timecode_timebase(frame_rate)
    separator = ":"
    if drop_frame:
        if not _is_drop_frame_rate(frame_rate):
            rate = canonical_frame_rate(frame_rate)
            raise ValueError(f"drop-frame timecode exists only at 29.97 fps, not {rate:g}")
        separator = ";"
        tens, remainder = divmod(frame, _FRAMES_PER_10_MINUTES)
        skipped = 9 * _DROPPED_PER_MINUTE * tens
        if remainder >= _DROPPED_PER_MINUTE:
            skipped += _DROPPED_PER_MINUTE * (
                (remainder - _DROPPED_PER_MINUTE) // _FRAMES_PER_DROPPED_MINUTE
            )
        frame += skipped
    seconds_total, frames = divmod(frame, timebase)
    minutes_total, seconds = divmod(seconds_total, 60)
    hours, minutes = divmod(minutes_total, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{frames:02d}"


def format_timecode(seconds: float, frame_rate: float, *, drop_frame: bool = False) -> str:
    """The timecode label of a time, rounded to the nearest frame (inverse of
    :func:`parse_timecode`).

    Args:
        seconds: real seconds from zero (>= 0).
        frame_rate: one of :data:`FRAME_RATES`.
        drop_frame: write a drop-frame label (``;``); only at 29.97 fps.

    Returns:
        ``"HH:MM:SS:FF"`` or ``"HH:MM:SS;FF"``.

    Raises:
        ValueError: for a negative or non-finite time, or drop-frame at another rate.
    """
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"cannot write {seconds!r} seconds as a timecode")
    frame = math.floor(Fraction(seconds) * exact_frame_rate(frame_rate) + Fraction(1, 2))
    return frames_to_timecode(frame, frame_rate, drop_frame=drop_frame)
