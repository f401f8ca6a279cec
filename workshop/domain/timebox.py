"""Time boxes on a monotonic clock, and the time sources they read.

A time box never counts ticks. It keeps the time banked before its last start and the
monotonic reading at that start, and works everything else out when asked. However late
or rare the redraws (Textual skips late timer ticks; a busy machine blocks the loop),
what it shows is right. The time sources are plain callables so tests can drive a
`FakeClock` by hand. Plain Python: nothing here imports Textual.
"""

from __future__ import annotations

import math
import time
from datetime import datetime, timedelta, timezone
from typing import Callable, Literal

from workshop.domain.models.base import utc_now

Monotonic = Callable[[], float]
Wall = Callable[[], datetime]
Phase = Literal["normal", "warning", "over"]

# The same bound as ActivityProgress.extended_minutes, so every extension can be saved.
MAX_EXTENSION_SECONDS = 600 * 60

__all__ = [
    "FakeClock",
    "MAX_EXTENSION_SECONDS",
    "Monotonic",
    "Phase",
    "TimeBox",
    "Wall",
    "format_clock",
    "phase_for",
    "system_monotonic",
    "system_wall",
]


def system_monotonic() -> float:
    """Seconds from the operating system's monotonic clock (never goes back)."""
    return time.monotonic()


def system_wall() -> datetime:
    """Now, as an aware UTC datetime to the whole second."""
    return utc_now()


class FakeClock:
    """A clock for tests that moves only when told, usable as both time sources.

    Pass `clock.monotonic` and `clock.wall` wherever `monotonic` and `wall` are taken;
    `advance(seconds)` moves both together.
    """

    def __init__(
        self,
        wall_start: datetime = datetime(2025, 3, 14, 9, 0, tzinfo=timezone.utc),
        monotonic_start: float = 1000.0,
    ) -> None:
        if wall_start.tzinfo is None:
            raise ValueError("wall_start needs a time zone")
        self._wall_start = wall_start.astimezone(timezone.utc)
        self._monotonic_now = float(monotonic_start)
        self._monotonic_start = float(monotonic_start)

    @property
    def advanced(self) -> float:
        """Seconds advanced since the clock was made."""
        return self._monotonic_now - self._monotonic_start

    def monotonic(self) -> float:
        """The fake monotonic reading."""
        return self._monotonic_now

    def wall(self) -> datetime:
        """The fake wall time: the start plus what was advanced, to the whole second."""
        return (self._wall_start + timedelta(seconds=self.advanced)).replace(microsecond=0)

    def advance(self, seconds: float) -> None:
        """Let `seconds` pass; a monotonic clock cannot go back, so negatives are refused."""
        if not seconds >= 0 or not math.isfinite(seconds):
            raise ValueError(f"a clock can only move forward, not by {seconds!r} seconds")
        self._monotonic_now += seconds


def phase_for(elapsed_seconds: float, limit_seconds: float) -> Phase:
    """The phase at `elapsed_seconds`: "normal", "warning" from 80% of the limit, "over" from 100%."""
    if elapsed_seconds >= limit_seconds:
        return "over"
    # 5e >= 4l rather than e/l >= 0.8: exact for whole seconds, where 0.8 is not.
    if 5 * elapsed_seconds >= 4 * limit_seconds:
        return "warning"
    return "normal"


def format_clock(seconds: float) -> str:
    """A duration as "mm:ss", or "h:mm:ss" from an hour; fractions are dropped."""
    if not seconds >= 0:
        raise ValueError(f"a duration cannot be negative: {seconds!r}")
    hours, rest = divmod(int(seconds), 3600)
    minutes, whole_seconds = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{whole_seconds:02d}"
    return f"{minutes:02d}:{whole_seconds:02d}"


def _check_seconds(name: str, value: float, *, positive: bool = False) -> float:
    value = float(value)
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        kind = "more than 0" if positive else "0 or more"
        raise ValueError(f"{name} must be {kind} seconds, not {value!r}")
    return value


class TimeBox:
    """The running state of one activity's time box.

    The limit is the planned time plus any extensions. Elapsed time excludes pauses and
    is always computed from the monotonic clock, so it never drifts.
    """

    def __init__(
        self,
        planned_seconds: float,
        *,
        elapsed_seconds: float = 0.0,
        extended_seconds: float = 0.0,
        monotonic: Monotonic = system_monotonic,
    ) -> None:
        self.planned_seconds = _check_seconds("planned time", planned_seconds, positive=True)
        self._banked = _check_seconds("elapsed time", elapsed_seconds)
        self._extended = _check_seconds("extended time", extended_seconds)
        if self._extended > MAX_EXTENSION_SECONDS:
            raise ValueError(f"extended time cannot pass {MAX_EXTENSION_SECONDS} seconds")
        self._monotonic = monotonic
        # The monotonic reading at the last start; None while paused.
        self._started_mark: float | None = None

    def __repr__(self) -> str:
        return f"TimeBox(planned={self.planned_seconds}, extended={self._extended}, elapsed={self.elapsed_seconds}, running={self.running})"

    @property
    def running(self) -> bool:
        """Whether the box is counting."""
        return self._started_mark is not None

    @property
    def extended_seconds(self) -> float:
        """Seconds added by extensions."""
        return self._extended

    @property
    def limit_seconds(self) -> float:
        """Planned plus extended seconds."""
        return self.planned_seconds + self._extended

    def elapsed_at(self, mark: float) -> float:
        """Elapsed seconds as of the monotonic reading `mark` (not before the last start)."""
        if self._started_mark is None:
            return self._banked
        return self._banked + max(0.0, mark - self._started_mark)

    @property
    def elapsed_seconds(self) -> float:
        """Seconds counted so far, pauses excluded."""
        return self.elapsed_at(self._monotonic())

    @property
    def remaining_seconds(self) -> float:
        """Seconds left before the limit; negative once over."""
        return self.limit_seconds - self.elapsed_seconds

    @property
    def overrun_seconds(self) -> float:
        """Seconds past the limit, or 0."""
        return max(0.0, -self.remaining_seconds)

    @property
    def fraction(self) -> float:
        """Elapsed as a share of the limit (1.0 at the limit, more when over)."""
        return self.elapsed_seconds / self.limit_seconds

    @property
    def phase(self) -> Phase:
        """The phase now: "normal", "warning" (from 80% of the limit) or "over" (from 100%)."""
        return phase_for(self.elapsed_seconds, self.limit_seconds)

    def start(self, at: float | None = None) -> bool:
        """Start (or resume) counting; False if already running.

        `at` is the monotonic reading to count from, for a caller handing time over from
        one box to another at a single instant; by default, now.
        """
        if self._started_mark is not None:
            return False
        self._started_mark = self._monotonic() if at is None else at
        return True

    def resume(self, at: float | None = None) -> bool:
        """The same as `start`: carry on counting from the elapsed time."""
        return self.start(at)

    def pause(self, at: float | None = None) -> bool:
        """Stop counting, keeping the elapsed time; False if already paused."""
        if self._started_mark is None:
            return False
        self._banked = self.elapsed_at(self._monotonic() if at is None else at)
        self._started_mark = None
        return True

    def extend(self, seconds: float) -> None:
        """Add `seconds` (more than 0) to the limit, up to `MAX_EXTENSION_SECONDS` in all."""
        seconds = _check_seconds("an extension", seconds, positive=True)
        if self._extended + seconds > MAX_EXTENSION_SECONDS:
            raise ValueError(f"a time box can be extended by at most {MAX_EXTENSION_SECONDS // 60} minutes in all")
        self._extended += seconds

    def format_remaining(self) -> str:
        """The countdown: "12:34" while time remains, "+02:13" of overrun once over.

        Remaining time rounds up and overrun down, so "00:00" never shows while time
        remains and the display turns to "+00:00" exactly when the phase turns "over".
        """
        remaining = self.remaining_seconds
        if remaining > 0:
            return format_clock(math.ceil(remaining))
        return "+" + format_clock(math.floor(-remaining))
