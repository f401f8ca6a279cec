"""The time box and its time sources, on a hand-driven clock: no sleeping, no thresholds."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workshop.domain.timebox import (
    MAX_EXTENSION_SECONDS,
    FakeClock,
    TimeBox,
    format_clock,
    phase_for,
    system_wall,
)

# Multiples of 1/4 s add up exactly in floating point, so "no drift" can be asserted
# with == rather than a tolerance that could hide a slow leak.
steps = st.integers(0, 4 * 3600).map(lambda quarters: quarters / 4)


def box(clock: FakeClock, minutes: float = 5, **kwargs) -> TimeBox:
    return TimeBox(minutes * 60, monotonic=clock.monotonic, **kwargs)


def test_fake_clock_moves_both_sources_only_when_told():
    clock = FakeClock(datetime(2025, 3, 14, 9, 0, tzinfo=timezone.utc), monotonic_start=50.0)
    assert clock.monotonic() == 50.0
    clock.advance(90.5)
    assert clock.monotonic() == 140.5
    assert clock.advanced == 90.5
    assert clock.wall() == datetime(2025, 3, 14, 9, 1, 30, tzinfo=timezone.utc)
    with pytest.raises(ValueError):
        clock.advance(-1)
    with pytest.raises(ValueError):
        clock.advance(float("nan"))


def test_system_wall_is_aware_utc_to_the_second():
    now = system_wall()
    assert now.tzinfo is not None and now.utcoffset().total_seconds() == 0
    assert now.microsecond == 0


def test_a_new_box_waits():
    clock = FakeClock()
    timebox = box(clock)
    clock.advance(100)
    assert not timebox.running
    assert timebox.elapsed_seconds == 0
    assert timebox.remaining_seconds == 300
    assert timebox.format_remaining() == "05:00"


def test_start_pause_resume_count_only_running_time():
    clock = FakeClock()
    timebox = box(clock)
    assert timebox.start()
    assert not timebox.start()  # already running: the mark stays
    clock.advance(60)
    assert timebox.pause()
    assert not timebox.pause()
    clock.advance(1000)  # paused: not counted
    assert timebox.elapsed_seconds == 60
    assert timebox.resume()
    clock.advance(30)
    assert timebox.elapsed_seconds == 90
    assert timebox.remaining_seconds == 210
    assert timebox.format_remaining() == "03:30"


def test_box_resumes_from_recorded_elapsed():
    clock = FakeClock()
    timebox = box(clock, elapsed_seconds=123.5)
    timebox.start()
    clock.advance(10)
    assert timebox.elapsed_seconds == 133.5


def test_phase_at_exactly_80_and_100_percent():
    clock = FakeClock()
    timebox = box(clock)  # 300 s: warning from 240 s, over from 300 s
    timebox.start()
    clock.advance(239.75)
    assert timebox.phase == "normal"
    clock.advance(0.25)
    assert timebox.fraction == 0.8
    assert timebox.phase == "warning"
    clock.advance(59.75)
    assert timebox.phase == "warning"
    assert timebox.format_remaining() == "00:01"
    clock.advance(0.25)
    assert timebox.phase == "over"
    assert timebox.remaining_seconds == 0
    assert timebox.overrun_seconds == 0
    assert timebox.format_remaining() == "+00:00"


@pytest.mark.parametrize(
    "elapsed, limit, phase", [(0, 60, "normal"), (47.9, 60, "normal"), (48, 60, "warning"), (59.99, 60, "warning"), (60, 60, "over"), (3600, 60, "over")]
)
def test_phase_for(elapsed, limit, phase):
    assert phase_for(elapsed, limit) == phase


@pytest.mark.parametrize(
    "planned, elapsed, shown",
    [
        (15 * 60, 146, "12:34"),
        (5 * 60, 300 + 133, "+02:13"),
        (120 * 60, 0, "2:00:00"),
        (60, 60 + 3723, "+1:02:03"),
        (60, 59.5, "00:01"),  # rounds up: 00:00 never shows while time remains
        (60, 60.9, "+00:00"),  # overrun rounds down
        (60, 61, "+00:01"),
    ],
)
def test_format_remaining(planned, elapsed, shown):
    timebox = TimeBox(planned, elapsed_seconds=elapsed, monotonic=FakeClock().monotonic)
    assert timebox.format_remaining() == shown


def test_overrun_counts_up():
    clock = FakeClock()
    timebox = box(clock, minutes=1)
    timebox.start()
    clock.advance(60 + 133)
    assert timebox.remaining_seconds == -133
    assert timebox.overrun_seconds == 133
    assert timebox.format_remaining() == "+02:13"


@pytest.mark.parametrize("seconds, shown", [(0, "00:00"), (59.9, "00:59"), (754, "12:34"), (3600, "1:00:00"), (36000 + 61, "10:01:01")])
def test_format_clock(seconds, shown):
    assert format_clock(seconds) == shown


def test_format_clock_refuses_negative():
    with pytest.raises(ValueError):
        format_clock(-1)


def test_extend_moves_the_limit_and_the_phase():
    clock = FakeClock()
    timebox = box(clock)
    timebox.start()
    clock.advance(330)
    assert timebox.phase == "over"
    timebox.extend(60)
    assert (timebox.planned_seconds, timebox.extended_seconds, timebox.limit_seconds) == (300, 60, 360)
    assert timebox.phase == "warning"
    assert timebox.format_remaining() == "00:30"
    timebox.extend(300)
    assert timebox.phase == "normal"


@pytest.mark.parametrize("seconds", [0, -60, float("nan"), float("inf"), MAX_EXTENSION_SECONDS + 1])
def test_extend_refuses_nothing_negative_and_unbounded(seconds):
    timebox = box(FakeClock())
    with pytest.raises(ValueError):
        timebox.extend(seconds)
    assert timebox.extended_seconds == 0


def test_extensions_are_bounded_in_total():
    timebox = box(FakeClock())
    timebox.extend(MAX_EXTENSION_SECONDS - 60)
    timebox.extend(60)
    with pytest.raises(ValueError):
        timebox.extend(1)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"planned_seconds": 0},
        {"planned_seconds": -5},
        {"planned_seconds": 60, "elapsed_seconds": -1},
        {"planned_seconds": 60, "extended_seconds": MAX_EXTENSION_SECONDS + 1},
    ],
)
def test_box_refuses_impossible_values(kwargs):
    with pytest.raises(ValueError):
        TimeBox(**kwargs)


def test_start_and_pause_at_a_given_reading_hand_over_without_loss():
    clock = FakeClock()
    first, second = box(clock), box(clock)
    first.start()
    clock.advance(42)
    mark = clock.monotonic()
    first.pause(at=mark)
    second.start(at=mark)
    clock.advance(8)
    assert first.elapsed_seconds + second.elapsed_seconds == 50


@given(st.lists(st.tuples(steps, st.booleans()), max_size=40))
def test_elapsed_is_the_running_time_however_the_clock_moves(script):
    clock = FakeClock()
    timebox = box(clock)
    running_time = 0.0
    for seconds, toggle in script:
        if toggle:
            timebox.pause() if timebox.running else timebox.start()
        clock.advance(seconds)
        if timebox.running:
            running_time += seconds
        assert timebox.elapsed_seconds == running_time
        assert timebox.remaining_seconds == timebox.limit_seconds - running_time


def test_clock_module_does_not_import_textual():
    code = "import sys, workshop.domain.timebox, workshop.domain.runclock; print(any(m.split('.')[0] == 'textual' for m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
