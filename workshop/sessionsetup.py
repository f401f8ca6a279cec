"""Building a new session from a pack: the domain side of `workshop new` and the setup form."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Iterable

from pydantic import ValidationError

from workshop.models.base import utc_now
from workshop.models.pack import Pack, Section
from workshop.models.session import Participant, Session, VotingSettings
from workshop.text import clean_line, slugify


class SetupError(Exception):
    """The details given cannot make a session; the message says which and why."""


def participant_id(name: str, taken: set[str]) -> str:
    """A readable id from a name (`amira-khan`), unique among `taken`."""
    base = slugify(name, max_length=30) or "person"
    candidate, number = base, 2
    while candidate in taken:
        candidate = f"{base}-{number}"
        number += 1
    return candidate


def make_participants(entries: Iterable[tuple[str, str]]) -> list[Participant]:
    """Participants from (name, role) pairs; blank names are an error, ids are unique."""
    taken: set[str] = set()
    people = []
    for position, (name, role) in enumerate(entries, start=1):
        name = clean_line(name)
        if not name:
            raise SetupError(f"participant {position} has no name (use NAME or NAME:ROLE)")
        pid = participant_id(name, taken)
        taken.add(pid)
        people.append(Participant(id=pid, name=name, role=clean_line(role)))
    return people


def local_zone_name() -> str:
    """The IANA name of this machine's time zone, or UTC when it cannot be told."""
    try:
        target = Path("/etc/localtime").resolve()
        parts = target.parts
        if "zoneinfo" in parts:
            return "/".join(parts[parts.index("zoneinfo") + 1 :]) or "UTC"
    except OSError:
        pass
    return "UTC"


def build_session(
    pack: Pack,
    *,
    title: str,
    team: str = "",
    facilitator: str = "",
    participants: Iterable[tuple[str, str]] = (),
    day: date,
    voting: VotingSettings | None = None,
    sections: list[Section] | None = None,
    available_minutes: int | None = None,
    start_time: str | None = None,
) -> Session:
    """A planned session of `pack`, validated; raise `SetupError` with a plain reason.

    `sections` is the agenda as tuned in the setup form (defaults to the pack's own).
    """
    people = make_participants(participants)
    try:
        now = utc_now()
        agenda = pack.snapshot()
        if sections is not None:
            agenda = agenda.model_validate({**agenda.model_dump(), "sections": [s.model_dump() for s in sections]})
        return Session(
            title=title,
            team=team,
            facilitator=facilitator,
            date=day,
            timezone=local_zone_name(),
            created_at=now,
            updated_at=now,
            participants=people,
            voting=voting or VotingSettings(),
            available_minutes=available_minutes,
            start_time=start_time,
            agenda=agenda,
        )
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        field = ".".join(str(part) for part in first["loc"]) or "session"
        message = first["msg"].removeprefix("Value error, ")
        if first["type"] == "string_too_short":
            message = "must not be empty"
        raise SetupError(f"{field}: {message}") from None


def create_from_pack(sessions_dir: Path, pack: Pack, **details) -> Path:
    """Build a session and write its file; return the file's path."""
    from workshop.store import SaveError, create_session

    session = build_session(pack, **details)
    try:
        return create_session(sessions_dir, session)
    except SaveError as error:
        raise SetupError(str(error)) from None


_DURATION = re.compile(r"^\s*(?:(\d{1,2})\s*[h:]\s*(\d{1,2})?\s*(?:m|min)?|(\d{1,4})\s*(?:m|min|mins|minutes)?)\s*$", re.IGNORECASE)


def parse_duration(text: str) -> int | None:
    """Minutes from `180`, `180m`, `3h`, `2h30`, `2:30`; None when blank.

    Raises `SetupError` for anything else or a duration outside 1 minute to 24 hours.
    """
    if not text.strip():
        return None
    match = _DURATION.match(text)
    if not match:
        raise SetupError(f"'{text.strip()}' is not a duration (try 180, 3h or 2h30)")
    if match.group(3) is not None:
        minutes = int(match.group(3))
    else:
        minutes = int(match.group(1)) * 60 + int(match.group(2) or 0)
    if not 1 <= minutes <= 24 * 60:
        raise SetupError("the time available must be between 1 minute and 24 hours")
    return minutes


def parse_time_of_day(text: str) -> str | None:
    """`9:30` or `09:30` -> `09:30`; None when blank; `SetupError` otherwise."""
    if not text.strip():
        return None
    match = re.match(r"^\s*(\d{1,2})[:.h](\d{2})\s*$", text)
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise SetupError(f"'{text.strip()}' is not a time of day such as 09:30")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def parse_day(text: str) -> date:
    """A date in the form YYYY-MM-DD, or `SetupError`."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise SetupError(f"'{text.strip()}' is not a date in the form YYYY-MM-DD") from None


def finish_time(start: str, minutes: int) -> str:
    """The time of day `minutes` after `start` (`09:30` + 175 -> `12:25`)."""
    hours, mins = (int(part) for part in start.split(":"))
    finish = datetime.combine(date(2000, 1, 1), time(hours, mins)) + timedelta(minutes=minutes)
    days = (finish.date() - date(2000, 1, 1)).days
    return finish.strftime("%H:%M") + (f" (+{days} day)" if days else "")
