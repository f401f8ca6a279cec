"""Builders for packs and sessions shared by the store tests (plain Python, no Textual).

`make_pack` / `make_session` give small valid objects; `sessions()` is a hypothesis
strategy of random sessions whose free texts include newlines, tabs, quotes, emoji and
right-to-left scripts.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from hypothesis import strategies as st

from workshop.domain.models.pack import AgendaSnapshot, Pack
from workshop.domain.models.session import (
    ActivityProgress,
    DotBallot,
    Note,
    Participant,
    Proposal,
    RatingBallot,
    RatingRound,
    Session,
    VoteRound,
)
from workshop.domain.text import clean_line

BASE_TIME = datetime(2025, 3, 14, 9, 30, tzinfo=timezone.utc)


def pack_data(sections: int = 2) -> dict[str, Any]:
    """A small valid pack as the dict a TOML file would hold."""
    return {
        "id": "tiny",
        "title": "Tiny pack",
        "summary": "A pack for tests.",
        "version": "1.0",
        "behaviours": [
            {"id": "collaborate", "name": "Collaborating", "description": "Working across boundaries."},
            {"id": "results", "name": "Results", "description": "Focusing on outcomes."},
        ],
        "sections": [
            {
                "id": f"s{index}",
                "title": f"Section {index}",
                "behaviour": "collaborate",
                "activities": [
                    {"kind": "read", "title": "Read", "minutes": 5, "text": "Some *Markdown*.\nTwo lines."},
                    {
                        "kind": "rate",
                        "title": "Rate",
                        "minutes": 5,
                        "questions": [
                            {"id": f"q{index}a", "prompt": "How confident are we?"},
                            {"id": f"q{index}b", "prompt": "How often do we?"},
                        ],
                    },
                    {"kind": "discuss", "title": "Discuss", "minutes": 10, "question": "What helps?"},
                    {"kind": "propose", "title": "Propose", "minutes": 5, "prompt": "Priorities?"},
                ],
            }
            for index in range(1, sections + 1)
        ]
        + [
            {
                "id": "end",
                "title": "Close",
                "activities": [
                    {"kind": "vote", "title": "Vote", "minutes": 10},
                    {"kind": "place", "title": "Place", "minutes": 10},
                    {"kind": "close", "title": "Close", "minutes": 5},
                ],
            }
        ],
    }


def make_pack(sections: int = 2) -> Pack:
    return Pack.model_validate(pack_data(sections))


def make_agenda(sections: int = 2) -> AgendaSnapshot:
    return make_pack(sections).snapshot()


def make_session(**overrides: Any) -> Session:
    """A valid session with a little of everything; keyword arguments override fields."""
    fields: dict[str, Any] = {
        "id": "abcd2345",
        "title": "Away day",
        "team": "Leadership team",
        "facilitator": "Sam",
        "date": date(2025, 3, 14),
        "created_at": BASE_TIME,
        "updated_at": BASE_TIME,
        "participants": [
            Participant(id="p1", name="Ana", role="Director"),
            Participant(id="p2", name="Bo"),
        ],
        "progress": [ActivityProgress(activity_id="s1-1", state="done", elapsed_seconds=301.5)],
        "notes": [Note(activity_id="s1-3", text="We said:\n- one\n- two", updated_at=BASE_TIME)],
        "proposals": [Proposal(id="pr1", text="Share budgets", owner="Ana", horizon="a-year", protected=True)],
        "agenda": make_agenda(),
    }
    fields.update(overrides)
    return Session.model_validate(fields)


# -- hypothesis ---------------------------------------------------------------------

# Text from every plane a facilitator might type, plus the characters that trouble
# TOML writers: quotes, backslashes, newlines, tabs, emoji, Arabic and Hebrew.
_awkward = st.sampled_from(['"', "'", '"""', "\\", "\n", "\t", "\r\n", "😀", "👩🏽‍💻", "مرحبا", "שלום", "\u200f", "#", "[x]", "= "])
texts = st.lists(st.one_of(st.text(max_size=12), _awkward), max_size=6).map("".join)
ids = st.from_regex(r"[a-z0-9][a-z0-9_.-]{0,10}", fullmatch=True)
moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(timezone.utc)).map(
    lambda moment: moment.replace(microsecond=0)
)


def _non_blank(value: str) -> str:
    # Required texts must keep something visible once cleaned of controls and spaces.
    return value if clean_line(value) else "x" + value


@st.composite
def sessions(draw: st.DrawFn) -> Session:
    """A random but valid session."""
    agenda = make_agenda()
    activity_ids = [activity.id for _, activity in agenda.activities()]
    participant_ids = draw(st.lists(ids, max_size=4, unique=True))
    participants = [
        Participant(id=pid, name=_non_blank(draw(texts)), role=draw(texts), present=draw(st.booleans()), joined_at=draw(st.none() | moments))
        for pid in participant_ids
    ]
    proposal_ids = draw(st.lists(ids, max_size=4, unique=True))
    proposals = [
        Proposal(
            id=pid,
            text=_non_blank(draw(texts)),
            details=draw(texts),
            owner=draw(texts),
            horizon=draw(st.sampled_from(["unplaced", "next-month", "six-months", "a-year", "longer-term"])),
            protected=draw(st.booleans()),
            created_at=draw(st.none() | moments),
            review_date=draw(st.none() | st.dates(date(2000, 1, 1), date(2100, 1, 1))),
        )
        for pid in proposal_ids
    ]
    notes = [
        Note(activity_id=aid, text=draw(texts), updated_at=draw(st.none() | moments))
        for aid in draw(st.lists(st.sampled_from(activity_ids), max_size=3, unique=True))
    ]
    progress = [
        ActivityProgress(
            activity_id=aid,
            state=draw(st.sampled_from(["pending", "running", "paused", "done", "skipped"])),
            elapsed_seconds=draw(st.floats(0, 7 * 24 * 3600, allow_nan=False)),
        )
        for aid in draw(st.lists(st.sampled_from(activity_ids), max_size=4, unique=True))
    ]
    voters = st.none() | (st.sampled_from(participant_ids) if participant_ids else st.none())
    rating_rounds = [
        RatingRound(
            id=f"r{index}",
            activity_id="s1-2",
            mode="named",
            ballots=[
                RatingBallot(
                    voter=draw(voters), cast_at=draw(st.none() | moments), answers=draw(st.dictionaries(st.sampled_from(["q1a", "q1b"]), st.integers(0, 10)))
                )
                for _ in range(draw(st.integers(0, 3)))
            ],
            hands=draw(st.dictionaries(st.sampled_from(["q1a", "q1b"]), st.dictionaries(st.sampled_from(["1", "2", "3"]), st.integers(0, 100)), max_size=2)),
        )
        for index in range(draw(st.integers(0, 2)))
    ]
    vote_rounds = [
        VoteRound(
            id=f"v{index}",
            activity_id="end-1",
            mode="anonymous",
            proposals=proposal_ids,
            ballots=[DotBallot(dots=draw(st.dictionaries(st.sampled_from(proposal_ids), st.integers(1, 2)))) for _ in range(draw(st.integers(0, 3)))]
            if proposal_ids
            else [],
        )
        for index in range(draw(st.integers(0, 2)))
    ]
    return Session(
        id=draw(ids),
        title=_non_blank(draw(texts)),
        team=draw(texts),
        facilitator=draw(texts),
        date=draw(st.dates(date(2000, 1, 1), date(2100, 1, 1))),
        created_at=draw(moments),
        updated_at=draw(moments),
        status=draw(st.sampled_from(["planned", "running", "paused", "completed"])),
        available_minutes=draw(st.none() | st.integers(1, 24 * 60)),
        participants=participants,
        progress=progress,
        notes=notes,
        proposals=proposals,
        rating_rounds=rating_rounds,
        vote_rounds=vote_rounds,
        agenda=agenda,
    )


def kill_test_states() -> tuple[Session, Session]:
    """Two versions of one session, different enough that a torn write would show."""
    first = make_session(team="State A", notes=[Note(activity_id="s1-3", text="A\n" * 2000)])
    second = make_session(team="State B", notes=[Note(activity_id="s1-3", text="B\n" * 3000), Note(activity_id="s2-3", text="more")])
    return first, second
