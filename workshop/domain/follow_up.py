"""Follow-up sessions: a new session seeded from an earlier one, opening with a review.

What counts as a priority: a proposal of the earlier session that the room placed on a
time horizon of the board (next month, six months, a year, longer term). Unplaced
proposals were never agreed, and wordings merged into another live on in the one they
were merged into, so neither is reviewed. The follow-up copies each priority (text,
horizon, owner, protected mark, review date) into `Session.earlier_priorities`, so the
review reads the same after the earlier file is archived, and its first activity is a
`review` where the facilitator marks each one done, in progress, dropped or carried
forward (see `workshop.domain.operations.review`).

Plain Python: the caller loads the earlier session and the pack, and saves the result.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from workshop.domain.horizons import column
from workshop.domain.models.base import utc_now
from workshop.domain.models.limits import MAX_ACTIVITY_MINUTES, MIN_ACTIVITY_MINUTES, SHORT_TEXT_CHARACTERS
from workshop.domain.models.pack import AgendaSnapshot, ReviewActivity, Section
from workshop.domain.models.session import (
    HORIZON_LABELS,
    REVIEW_STATUS_LABELS,
    TIME_HORIZONS,
    EarlierPriority,
    Proposal,
    Session,
)
from workshop.domain.new_session import _validated
from workshop.domain.render.document import Block, Heading, Paragraph, Table
from workshop.domain.text import clean_line

REVIEW_SECTION_ID = "follow-up-review"
REVIEW_ACTIVITY_ID = "follow-up-review-1"
FOLLOW_UP_SUFFIX = " follow-up"
# A minute for each priority reviewed, within the limits of a time box.
MINUTES_PER_PRIORITY = 1


def agreed_priorities(session: Session) -> list[Proposal]:
    """The session's priorities: proposals placed on a time horizon, in board order."""
    return [proposal for horizon in TIME_HORIZONS for proposal in column(session, horizon)]


def follow_up_title(earlier_title: str) -> str:
    """`"<title> follow-up"`, the earlier title cut so the whole stays within the limit."""
    room = SHORT_TEXT_CHARACTERS - len(FOLLOW_UP_SUFFIX)
    title = clean_line(earlier_title)
    if len(title) > room:
        title = title[: room - 1].rstrip() + "…"
    return title + FOLLOW_UP_SUFFIX


def review_section(count: int) -> Section:
    """The follow-up's first section: one review activity, a minute a priority."""
    minutes = max(MIN_ACTIVITY_MINUTES, min(MAX_ACTIVITY_MINUTES, 5 if count == 0 else count * MINUTES_PER_PRIORITY))
    activity = ReviewActivity(kind="review", id=REVIEW_ACTIVITY_ID, title="Earlier priorities", minutes=minutes)
    return Section(
        id=REVIEW_SECTION_ID,
        title="Since last time",
        summary="What became of the priorities agreed last time.",
        activities=[activity],
    )


def with_review(agenda: AgendaSnapshot, count: int) -> AgendaSnapshot:
    """`agenda` with the review section first (any earlier review section replaced)."""
    sections = [section for section in agenda.sections if section.id != REVIEW_SECTION_ID]
    data = agenda.model_dump()
    data["sections"] = [review_section(count).model_dump(), *[s.model_dump() for s in sections]]
    return AgendaSnapshot.model_validate(data)


def copied_priorities(earlier: Session) -> list[EarlierPriority]:
    """The earlier session's priorities as a follow-up keeps them, not yet reviewed."""
    return [
        EarlierPriority(
            id=proposal.id,
            text=proposal.text,
            horizon=proposal.horizon,
            owner=proposal.owner,
            protected=proposal.protected,
            review_date=proposal.review_date,
            behaviour=proposal.behaviour,
        )
        for proposal in agreed_priorities(earlier)
    ]


def build_follow_up(
    earlier: Session,
    *,
    day: date,
    agenda: AgendaSnapshot | None = None,
    title: str | None = None,
    facilitator: str | None = None,
    timezone: str | None = None,
) -> Session:
    """A planned follow-up of `earlier`: its team, participants and voting settings,
    `agenda` (the pack as it is now; default: the agenda `earlier` ran) with the review
    first, and `earlier`'s priorities to review. `SetupError` (one plain line) when a
    detail given is refused, such as a blank title.

    Behaviours the new agenda no longer has are dropped from the copies, so every
    reference in the new session still resolves.
    """
    base = agenda if agenda is not None else earlier.agenda
    priorities = copied_priorities(earlier)
    known = {behaviour.id for behaviour in base.behaviours}
    for priority in priorities:
        if priority.behaviour not in known:
            priority.behaviour = None
    now = utc_now()
    participants = [person.model_copy(update={"present": True, "joined_at": None}) for person in earlier.participants]
    return _validated(
        Session,
        {
            "title": follow_up_title(earlier.title) if title is None else title,
            "team": earlier.team,
            "facilitator": earlier.facilitator if facilitator is None else facilitator,
            "date": day,
            "timezone": timezone or earlier.timezone,
            "created_at": now,
            "updated_at": now,
            "follow_up_of": earlier.id,
            "voting": earlier.voting.model_dump(),
            "participants": [person.model_dump() for person in participants],
            "earlier_priorities": [priority.model_dump() for priority in priorities],
            "agenda": with_review(base, len(priorities)).model_dump(),
        },
    )


def review_counts(session: Session) -> dict[str, int]:
    """How many earlier priorities have each review status (every status listed)."""
    counts = dict.fromkeys(REVIEW_STATUS_LABELS, 0)
    for priority in session.earlier_priorities:
        counts[priority.status] += 1
    return counts


def review_summary(session: Session) -> str:
    """`3 done · 1 carried forward · 2 not reviewed`: the statuses that occur, those not
    yet reviewed last."""
    counts = review_counts(session)
    order = [*(status for status in counts if status != "unreviewed"), "unreviewed"]
    parts = [f"{counts[status]} {REVIEW_STATUS_LABELS[status].lower()}" for status in order if counts[status]]
    return " · ".join(parts) if parts else "no earlier priorities"


def review_blocks(session: Session) -> list[Block]:
    """The report's section on the earlier priorities (nothing when the session follows
    up nothing): one row a priority with its horizon then, owner and review status."""
    if not session.earlier_priorities:
        return []
    rows = tuple(
        (
            priority.text + (" (protected)" if priority.protected else ""),
            HORIZON_LABELS[priority.horizon],
            priority.owner,
            REVIEW_STATUS_LABELS[priority.status],
        )
        for priority in session.earlier_priorities
    )
    return [
        Heading(2, "Earlier priorities"),
        Paragraph(f"Reviewed at the start of this follow-up: {review_summary(session)}."),
        Table(("Priority", "Horizon then", "Owner", "Status"), rows),
    ]


def statuses_of(priorities: Iterable[EarlierPriority]) -> dict[str, str]:
    """Earlier proposal id -> review status, for comparing sessions."""
    return {priority.id: priority.status for priority in priorities}
