"""Tests of soundtrack.units: timecode parsing and formatting, frame rates, story time values."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from soundtrack.units import (
    FRAME_RATES,
    TimeSyntaxError,
    canonical_frame_rate,
    exact_frame_rate,
    format_timecode,
    frame_seconds,
    frames_to_timecode,
    parse_duration,
    parse_timecode,
    timecode_frames,
    timecode_timebase,
)

# ---------------------------------------------------------------- frame rates


def test_frame_rates_are_the_five_supported() -> None:
    assert FRAME_RATES == (23.976, 24.0, 25.0, 29.97, 30.0)


@pytest.mark.parametrize(
    ("nominal", "exact", "timebase"),
    [
        (23.976, Fraction(24000, 1001), 24),
        (24, Fraction(24), 24),
        (25, Fraction(25), 25),
        (29.97, Fraction(30000, 1001), 30),
        (30, Fraction(30), 30),
    ],
)
def test_exact_rate_and_timebase(nominal: float, exact: Fraction, timebase: int) -> None:
    assert exact_frame_rate(nominal) == exact
    assert timecode_timebase(nominal) == timebase
    assert frame_seconds(nominal) == pytest.approx(float(1 / exact), abs=1e-15)


def test_frame_seconds_known_values() -> None:
    assert frame_seconds(25) == 0.04
    assert frame_seconds(23.976) == pytest.approx(1001 / 24000)
    assert frame_seconds(29.97) == pytest.approx(1001 / 30000)


def test_canonical_frame_rate_accepts_exact_values() -> None:
    assert canonical_frame_rate(24000 / 1001) == 23.976
    assert canonical_frame_rate(30000 / 1001) == 29.97
    assert canonical_frame_rate(24) == 24.0


@pytest.mark.parametrize("bad", [23.98, 29.9, 60, 0, -24, True])
def test_canonical_frame_rate_rejects_others(bad: float) -> None:
    with pytest.raises(ValueError, match="frame rate"):
        canonical_frame_rate(bad)


# ---------------------------------------------------------------- non-drop timecode


@pytest.mark.parametrize(
    ("text", "frame_rate", "frames", "seconds"),
    [
        ("00:00:00:00", 24, 0, 0.0),
        ("00:01:00:12", 24, 1452, 60.5),
        ("01:00:00:00", 25, 90000, 3600.0),
        ("00:00:01:24", 25, 49, 1.96),
        ("00:00:10:15", 30, 315, 10.5),
        # 23.976 and 29.97 non-drop: labels count 24/30 per label second, time runs at x1000/1001
        ("00:01:00:00", 23.976, 1440, 60.06),
        ("00:01:00:00", 29.97, 1800, 60.06),
        ("01:00:00:00", 29.97, 108000, 3603.6),
    ],
)
def test_parse_non_drop_timecode(text: str, frame_rate: float, frames: int, seconds: float) -> None:
    assert timecode_frames(text, frame_rate) == frames
    assert parse_timecode(text, frame_rate) == pytest.approx(seconds, abs=1e-9)


# ---------------------------------------------------------------- drop-frame timecode


@pytest.mark.parametrize(
    ("text", "frames"),
    [
        ("00:00:00;00", 0),
        ("00:00:59;29", 1799),
        ("00:01:00;02", 1800),  # 00 and 01 of minute 1 are skipped
        ("00:01:59;29", 3597),
        ("00:02:00;02", 3598),
        ("00:09:59;29", 17981),
        ("00:10:00;00", 17982),  # every tenth minute keeps 00 and 01
        ("00:10:00;01", 17983),
        ("00:11:00;02", 17982 + 1800),
        ("01:00:00;00", 107892),
    ],
)
def test_drop_frame_known_values(text: str, frames: int) -> None:
    assert timecode_frames(text, 29.97) == frames
    assert frames_to_timecode(frames, 29.97, drop_frame=True) == text
    assert parse_timecode(text, 29.97) == pytest.approx(frames * 1001 / 30000, abs=1e-9)


def test_drop_frame_keeps_real_time() -> None:
    # an hour of drop-frame labels is 3.6 ms short of an hour of real time
    assert parse_timecode("01:00:00;00", 29.97) == pytest.approx(3599.9964, abs=1e-6)
    assert parse_timecode("00:10:00;00", 29.97) == pytest.approx(599.9994, abs=1e-6)


def test_drop_frame_round_trip_over_two_hours() -> None:
    labels = set()
    for frame in range(0, 2 * 107892 + 5000, 7):
        label = frames_to_timecode(frame, 29.97, drop_frame=True)
        assert timecode_frames(label, 29.97) == frame
        labels.add(label)
    assert len(labels) == len(range(0, 2 * 107892 + 5000, 7))


def test_drop_frame_never_writes_a_skipped_label() -> None:
    for frame in range(0, 20 * 1800):
        _, minutes, seconds, frames = (
            frames_to_timecode(frame, 29.97, drop_frame=True).replace(";", ":").split(":")
        )
        if seconds == "00" and int(minutes) % 10 != 0:
            assert frames not in ("00", "01")


@pytest.mark.parametrize("frame_rate", FRAME_RATES)
def test_non_drop_round_trip(frame_rate: float) -> None:
    for frame in range(0, 200_000, 13):
        label = frames_to_timecode(frame, frame_rate, drop_frame=False)
        assert timecode_frames(label, frame_rate) == frame
        assert format_timecode(parse_timecode(label, frame_rate), frame_rate) == label


def test_format_drop_frame_round_trip_through_seconds() -> None:
    for frame in range(0, 120_000, 11):
        label = frames_to_timecode(frame, 29.97, drop_frame=True)
        seconds = parse_timecode(label, 29.97)
        assert format_timecode(seconds, 29.97, drop_frame=True) == label


# ---------------------------------------------------------------- formatting


def test_format_timecode_rounds_to_nearest_frame() -> None:
    assert format_timecode(0.0, 24) == "00:00:00:00"
    assert format_timecode(0.020, 24) == "00:00:00:00"  # 0.48 frame
    assert format_timecode(0.021, 24) == "00:00:00:01"  # 0.504 frame
    assert format_timecode(150.0, 24) == "00:02:30:00"
    assert format_timecode(59.999, 25) == "00:01:00:00"
    assert format_timecode(60.06, 29.97, drop_frame=True) == "00:01:00;02"
    assert format_timecode(60.0, 29.97, drop_frame=True) == "00:00:59;28"
    assert format_timecode(60.0, 29.97, drop_frame=False) == "00:00:59:28"


def test_format_timecode_hours_past_a_day() -> None:
    assert format_timecode(100 * 3600, 25) == "100:00:00:00"


@pytest.mark.parametrize("frame_rate", [23.976, 24, 25, 30])
def test_format_drop_frame_only_at_2997(frame_rate: float) -> None:
    with pytest.raises(ValueError, match="29.97"):
        format_timecode(10.0, frame_rate, drop_frame=True)


@pytest.mark.parametrize("seconds", [-0.5, math.inf, math.nan])
def test_format_timecode_rejects_bad_seconds(seconds: float) -> None:
    with pytest.raises(ValueError, match="timecode"):
        format_timecode(seconds, 24)


# ---------------------------------------------------------------- parse errors


@pytest.mark.parametrize(
    ("text", "frame_rate", "message"),
    [
        ("00:01:00;02", 24, "only valid at 29.97"),
        ("00:01:00;02", 23.976, "only valid at 29.97"),
        ("00:01:00;00", 29.97, "does not exist"),
        ("00:03:00;01", 29.97, "does not exist"),
        ("00:00:00:24", 24, "frames run 00-23"),
        ("00:00:00:25", 25, "frames run 00-24"),
        ("00:00:00:30", 29.97, "frames run 00-29"),
        ("00:60:00:00", 24, "above 59"),
        ("00:00:60:00", 24, "above 59"),
    ],
)
def test_invalid_timecodes(text: str, frame_rate: float, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_timecode(text, frame_rate)


@pytest.mark.parametrize("text", ["", "1:00:00:00", "00:00:00", "00-00-00-00", "aa:bb:cc:dd"])
def test_malformed_timecodes(text: str) -> None:
    with pytest.raises(TimeSyntaxError, match="not a timecode"):
        parse_timecode(text, 24)


def test_unsupported_frame_rate_in_timecode() -> None:
    with pytest.raises(ValueError, match="not supported"):
        parse_timecode("00:00:01:00", 50)


# ---------------------------------------------------------------- story time values


@pytest.mark.parametrize(
    ("value", "frame_rate", "seconds"),
    [
        (150, 24, 150.0),
        (12.5, 24, 12.5),
        (0, 24, 0.0),
        ("02:30", 24, 150.0),
        ("2:30", 24, 150.0),
        ("2:30.5", 24, 150.5),
        ("90:00", 24, 5400.0),
        (" 01:15.250 ", 24, 75.25),
        ("00:02:30:12", 24, 150.5),
        ("00:01:00;02", 29.97, 60.06),
        ("00:01:00:00", 29.97, 60.06),
    ],
)
def test_parse_duration_forms(value: object, frame_rate: float, seconds: float) -> None:
    assert parse_duration(value, frame_rate) == pytest.approx(seconds, abs=1e-9)


@pytest.mark.parametrize("value", ["150", "12.5s", "1:2:3", "2m30s", True, None, [1], "1:5"])
def test_parse_duration_rejects_other_forms(value: object) -> None:
    with pytest.raises(TimeSyntaxError):
        parse_duration(value, 24)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-1, "negative"),
        (math.nan, "finite"),
        (math.inf, "finite"),
        ("01:60", "above 59"),
        ("00:01:00;00", "only valid at 29.97"),
    ],
)
def test_parse_duration_rejects_invalid_values(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_duration(value, 24)
