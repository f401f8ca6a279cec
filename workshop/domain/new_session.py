"""Building a new session from a pack: the domain side of `workshop new` and the setup form.

The caller saves the result (see `workshop.storage.store.create_session`).
"""

from __future__ import annotations

from datetime import date
from typing import Iterable

from pydantic import ValidationError

from workshop.domain.errors import Refused
from workshop.domain.models.base import utc_now
from workshop.domain.models.pack import Pack, Section
from workshop.domain.models.session import Participant, Session, VotingSettings
from workshop.domain.text import clean_line, slugify


class SetupError(Refused):
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
    timezone: str = "UTC",
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
            timezone=timezone,
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
