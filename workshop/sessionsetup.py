"""Building a new session from a pack: the domain side of `workshop new` and the setup form."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Iterable

from pydantic import ValidationError

from workshop.models.base import utc_now
from workshop.models.pack import Pack
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
) -> Session:
    """A planned session of `pack`, validated; raise `SetupError` with a plain reason."""
    people = make_participants(participants)
    try:
        now = utc_now()
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
            agenda=pack.snapshot(),
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
