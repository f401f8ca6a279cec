"""Planning a session: the domain side of `workshop new`, the setup form and its edits.

`build_session` makes a new session from a pack (the caller saves it: see
`workshop.storage.store.create_session`); `SetupDetails` is what the setup form
holds, which `SetupOperations.edit_setup` applies to a planned session. The rules both
share live here: participants' ids, the facilitator who votes, the voting settings and
the tuned agenda.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable, Sequence, TypeVar

from pydantic import BaseModel, ValidationError

from workshop.domain.errors import Refused
from workshop.domain.models.base import utc_now
from workshop.domain.models.limits import (
    MAX_ACTIVITY_MINUTES,
    MAX_DOTS,
    MAX_PARTICIPANTS,
    MIN_ACTIVITY_MINUTES,
)
from workshop.domain.models.pack import AgendaSnapshot, Pack, Section
from workshop.domain.models.session import BALLOT_MODE_LABELS, Participant, Session, VotingSettings
from workshop.domain.text import clean_line, slugify

FACILITATOR_ROLE = "Facilitator"

Model = TypeVar("Model", bound=BaseModel)


class SetupError(Refused):
    """The details given cannot make a session; the message says which and why."""


@dataclass(frozen=True)
class PersonEntry:
    """One participant as a form lists them; `id` is kept for people already saved."""

    name: str
    role: str = ""
    id: str | None = None
    present: bool = True


@dataclass(frozen=True)
class SetupDetails:
    """Everything the setup form says about a planned session, read but not yet checked.

    `sections` is the agenda as tuned (None keeps the session's own).
    """

    title: str
    day: date
    team: str = ""
    facilitator: str = ""
    participants: tuple[PersonEntry, ...] = ()
    available_minutes: int | None = None
    start_time: str | None = None
    sections: tuple[Section, ...] | None = None
    voting: VotingSettings = field(default_factory=VotingSettings)


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
    return _participants([PersonEntry(name, role) for name, role in entries], ())


def _participants(entries: Sequence[PersonEntry], keep: Iterable[Participant]) -> list[Participant]:
    # Ids already saved stay (ballots and proposals point at them); new people get one
    # made from their name, unique among all of them.
    if len(entries) > MAX_PARTICIPANTS:
        raise SetupError(f"A session can have at most {MAX_PARTICIPANTS} participants ({len(entries)} listed).")
    earlier = {person.id: person for person in keep}
    taken = {entry.id for entry in entries if entry.id}
    seen: set[str] = set()
    names: set[str] = set()
    people = []
    for position, entry in enumerate(entries, start=1):
        name = clean_line(entry.name)
        if not name:
            raise SetupError(f"Every participant needs a name: participant {position} has no name (use NAME or NAME:ROLE).")
        # Two people of one name could not be told apart on a ballot or in the report.
        folded = " ".join(name.casefold().split())
        if folded in names:
            raise SetupError(f"Two participants are called '{name}': add an initial or a surname to tell them apart.")
        names.add(folded)
        pid = entry.id or participant_id(name, taken)
        if pid in seen:
            raise SetupError(f"Participant '{name}' is listed twice.")
        seen.add(pid)
        taken.add(pid)
        before = earlier.get(pid)
        people.append(Participant(id=pid, name=name, role=clean_line(entry.role), present=entry.present, joined_at=before.joined_at if before else None))
    return people


def with_voting_facilitator(entries: Sequence[PersonEntry], facilitator: str, votes: bool) -> list[PersonEntry]:
    """The participants, with a facilitator who votes added (role Facilitator) if not listed.

    Ballots are cast by participants, so a facilitator who votes must be one of them.
    """
    people = list(entries)
    if not votes:
        return people
    name = clean_line(facilitator)
    if not name:
        raise SetupError("The facilitator votes too, so give the facilitator's name (or say they do not vote).")
    if not any(clean_line(person.name).casefold() == name.casefold() for person in people):
        people.append(PersonEntry(name=name, role=FACILITATOR_ROLE))
    return people


def voting_settings(dots_per_person: str, max_per_item: str, mode: str, facilitator_votes: bool) -> VotingSettings:
    """The voting settings from the form's texts, or `SetupError` with one plain line."""
    numbers = []
    for label, text in (("dots per person", dots_per_person), ("most dots on one item", max_per_item)):
        value = text.strip()
        if not value.isdigit() or not 1 <= int(value) <= MAX_DOTS:
            raise SetupError(f"The {label} must be a whole number from 1 to {MAX_DOTS}.")
        numbers.append(int(value))
    dots, cap = numbers
    if cap > dots:
        raise SetupError(f"The most dots on one item ({cap}) cannot be more than the dots per person ({dots}).")
    if mode not in BALLOT_MODE_LABELS:
        raise SetupError(f"'{mode}' is not a way of casting ballots.")
    return VotingSettings.model_validate({"dots_per_person": dots, "max_per_item": cap, "mode": mode, "facilitator_votes": facilitator_votes})


def tuned_agenda(agenda: AgendaSnapshot, sections: Sequence[Section]) -> AgendaSnapshot:
    """`agenda` with its sections as tuned in the form, checked; refused when nothing is left."""
    if not any(section.included and any(a.included for a in section.activities) for section in sections):
        raise SetupError("The agenda is empty: include at least one section.")
    return _validated(AgendaSnapshot, {**agenda.model_dump(), "sections": [s.model_dump() for s in sections]})


def toggle_included(sections: Sequence[Section], section_index: int, activity_index: int | None) -> list[Section]:
    """A copy of `sections` with one section (or one of its activities) included or dropped."""
    tuned = [section.model_copy(deep=True) for section in sections]
    section = tuned[section_index]
    if activity_index is None:
        section.included = not section.included
    else:
        activity = section.activities[activity_index]
        activity.included = not activity.included
    return tuned


def change_minutes(sections: Sequence[Section], section_index: int, activity_index: int, delta: int) -> list[Section]:
    """A copy of `sections` with one activity's minutes changed by `delta`, kept within the limits."""
    tuned = [section.model_copy(deep=True) for section in sections]
    activity = tuned[section_index].activities[activity_index]
    activity.minutes = max(MIN_ACTIVITY_MINUTES, min(MAX_ACTIVITY_MINUTES, activity.minutes + delta))
    return tuned


def edited_session(session: Session, details: SetupDetails) -> Session:
    """A validated copy of the planned `session` with `details` applied; `SetupError` if not."""
    if session.status != "planned":
        raise SetupError("Only a planned session can be edited: this one has started.")
    people = with_voting_facilitator(details.participants, details.facilitator, details.voting.facilitator_votes)
    participants = _participants(people, session.participants)
    agenda = session.agenda if details.sections is None else tuned_agenda(session.agenda, details.sections)
    data = session.model_dump(by_alias=True)
    data.update(
        title=details.title,
        date=details.day,
        team=details.team,
        facilitator=details.facilitator,
        participants=[person.model_dump() for person in participants],
        available_minutes=details.available_minutes,
        start_time=details.start_time,
        voting=details.voting.model_dump(),
        agenda=agenda.model_dump(),
    )
    return _validated(Session, data)


def _validated(model: type[Model], data: dict[str, Any]) -> Model:
    # One plain line from pydantic's first complaint, naming the field it is about.
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"]) or "session"
        message = first["msg"].removeprefix("Value error, ")
        if first["type"] == "string_too_short" or message == "should not be empty":
            message = "must not be empty"
        raise SetupError(f"Check the {where}: {message.rstrip('.')}.") from None


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

    `sections` is the agenda as tuned in the setup form (defaults to the pack's own). A
    facilitator who votes is added to the participants (see `with_voting_facilitator`).
    """
    voting = voting or VotingSettings()
    entries = [PersonEntry(name, role) for name, role in participants]
    people = _participants(with_voting_facilitator(entries, facilitator, voting.facilitator_votes), ())
    agenda = pack.snapshot()
    if sections is not None:
        agenda = tuned_agenda(agenda, sections)
    now = utc_now()
    return _validated(
        Session,
        {
            "title": title,
            "team": team,
            "facilitator": facilitator,
            "date": day,
            "timezone": timezone,
            "created_at": now,
            "updated_at": now,
            "participants": [person.model_dump() for person in people],
            "voting": voting.model_dump(),
            "available_minutes": available_minutes,
            "start_time": start_time,
            "agenda": agenda.model_dump(),
        },
    )
