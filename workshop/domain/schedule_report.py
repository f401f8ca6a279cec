"""Planned against actual time, in figures and in words, for the run screen and the report."""

from __future__ import annotations

from dataclasses import dataclass

from workshop.domain.models.session import ActivityState, Session
from workshop.domain.parsing import finish_time
from workshop.domain.text import format_minutes

# Within a minute either way the room is on time; finer news only distracts it.
ON_TIME_TOLERANCE_SECONDS = 60


@dataclass(frozen=True)
class ActivityTiming:
    """Planned against actual time of one activity."""

    activity_id: str
    title: str
    planned_minutes: int
    extended_minutes: int
    actual_seconds: float
    state: ActivityState


@dataclass(frozen=True)
class SectionTiming:
    """Planned against actual time of one section's included activities."""

    section_id: str
    title: str
    activities: tuple[ActivityTiming, ...]

    @property
    def planned_minutes(self) -> int:
        """Planned minutes of the section (extensions not included)."""
        return sum(a.planned_minutes for a in self.activities)

    @property
    def actual_seconds(self) -> float:
        """Seconds spent on the section's activities so far."""
        return sum(a.actual_seconds for a in self.activities)


def describe_delta(delta_seconds: float) -> str:
    """The delta in words: "on time" within a minute either way, else "6 min behind" / "3 min ahead"."""
    if abs(delta_seconds) <= ON_TIME_TOLERANCE_SECONDS:
        return "on time"
    minutes = max(1, int(abs(delta_seconds) / 60 + 0.5))
    return f"{minutes} min {'behind' if delta_seconds > 0 else 'ahead'}"


def planned_vs_actual(session: Session, live: tuple[str, float] | None = None) -> list[SectionTiming]:
    """Planned minutes and actual seconds per section and activity, in agenda order.

    `live` is (activity id, elapsed seconds) of a running box, read at one instant so the
    whole table adds up; without it the recorded elapsed times are used.
    """
    records = {record.activity_id: record for record in session.progress}
    grouped: dict[str, tuple[str, list[ActivityTiming]]] = {}
    for section, activity in session.agenda.activities():
        activity_id = str(activity.id)
        record = records.get(activity_id)
        elapsed = record.elapsed_seconds if record else 0.0
        if live is not None and live[0] == activity_id:
            elapsed = live[1]
        timing = ActivityTiming(
            activity_id, activity.title, activity.minutes, record.extended_minutes if record else 0, elapsed, record.state if record else "pending"
        )
        grouped.setdefault(section.id, (section.title, []))[1].append(timing)
    return [SectionTiming(section_id, title, tuple(rows)) for section_id, (title, rows) in grouped.items()]


def plan_against_time(planned: int, available: int | None, start: str | None) -> str:
    """The planned minutes against the time available and the finish time, in one line:
    "Planned 2h55 · of 3h00 available: 5 min to spare · starts 09:30, finishes 12:25"."""
    parts = [f"Planned {format_minutes(planned)}"]
    if available:
        difference = available - planned
        if difference > 0:
            parts.append(f"of {format_minutes(available)} available: {format_minutes(difference)} to spare")
        elif difference == 0:
            parts.append(f"of {format_minutes(available)} available: exactly right")
        else:
            parts.append(f"of {format_minutes(available)} available: {format_minutes(-difference)} OVER, drop or shorten something")
    if start:
        parts.append(f"starts {start}, finishes {finish_time(start, planned)}")
    return " · ".join(parts)
