"""A full default-pack day of eight directors, built only with domain operations, for the
report's golden file and its printed-PDF tests.

Everything is deterministic (a fixed seed, a clock moved by hand), so the report of
`full_day()` is the same on every run. The texts are what a facilitator would type:
names with accents, proposals some of which the room merges, notes for every
discussion, six priorities placed with owners and review dates, and the close recorded.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone

from workshop.domain.models.session import Session
from workshop.domain.new_session import build_session
from workshop.domain.operations import SessionEditor
from workshop.storage.packs import builtin_content_dir, load_pack

DAY = date(2026, 3, 12)
PEOPLE = [
    ("Zoë Müller", "Director of children's services"),
    ("Amara Okafor", "Assistant director, early help"),
    ("Ben Hughes", "Head of finance, children's"),
    ("Chloé Martin", "Head of education"),
    ("Dev Patel", "Head of safeguarding"),
    ("Eilidh Ross", "Head of performance and data"),
    ("Farid Haddad", "Head of commissioning"),
    ("Gráinne Byrne", "Principal social worker"),
]
PROPOSALS = [
    "Joint locality panels with health and schools",
    "One shared dashboard of child poverty outcomes",
    "Ask families what help means to them",
    "Pool early help budgets with housing",
    "A front-line ideas fund, small and quick",
    "Protect the family hubs budget",
    "Monthly review of outcomes, not activity",
    "Stop two reports nobody reads",
    "Train managers to coach rather than check",
    "A named partner lead for each locality",
    "Share one data dashboard with health",  # merged into the second
    "Test one idea a quarter and learn from it",
    "Tell staff plainly what we will stop doing",
    "Bring councillors to a locality panel",
    "A common assessment with schools",
    "Welfare rights advice in every family hub",
    "Publish what we learned each quarter",
    "Simplify the referral form to one page",
    "Back the team's judgement in front of scrutiny",
    "A yearly check of our resourcefulness",
]
NOTE = "Points raised:\n- {a}\n- {b}\n- {c}\n\nWhat we agreed to take forward: {d}."
NOTE_WORDS = [
    "partners come when the purpose is clear",
    "data is shared late and by hand",
    "front-line staff have ideas we never hear",
    "budgets are held apart by habit",
    "families want one conversation, not five",
    "we measure activity more than outcomes",
    "schools are willing but stretched",
    "scrutiny asks for numbers we do not trust",
]


class _Clock:
    def __init__(self) -> None:
        self.seconds = 1000.0
        self.start = datetime(2026, 3, 12, 9, 30, tzinfo=timezone.utc)

    def monotonic(self) -> float:
        return self.seconds

    def wall(self) -> datetime:
        return self.start + timedelta(seconds=self.seconds - 1000.0)


def full_day(*, close: bool = True, seed: int = 22, day: date = DAY, session_id: str = "spring26") -> Session:
    """The default pack run to the end by eight people; `close=False` leaves the close unrecorded.

    Another `seed` and `day` give another day of the same team (for comparisons).
    """
    rng = random.Random(seed)
    pack = load_pack(builtin_content_dir() / "resourceful-child-poverty.toml")
    session = build_session(
        pack,
        title="Spring away day",
        team="Children's services leadership team",
        facilitator="Sam O'Neil",
        participants=PEOPLE,
        day=day,
        start_time="09:30",
        available_minutes=180,
    )
    session.id = session_id
    clock = _Clock()
    editor = SessionEditor(session, monotonic=clock.monotonic, wall=clock.wall)
    activities = [activity for _, activity in editor.clock.activities]
    people = [p.id for p in session.participants]
    texts = iter(PROPOSALS)
    propose_ids = [a.id or "" for a in activities if a.kind == "propose" and not getattr(a, "every_proposal", False)]
    editor.start()
    for index, activity in enumerate(activities):
        activity_id = activity.id or ""
        # Most boxes run to time, give or take; a few run over, as days do.
        clock.seconds += activity.minutes * 60 * rng.choice([0.8, 0.95, 1.0, 1.05, 1.2, 1.4])
        editor.tick()
        if activity.kind == "discuss":
            a, b, c, d = rng.sample(NOTE_WORDS, 4)
            editor.set_note(activity_id, NOTE.format(a=a, b=b, c=c, d=d))
        elif activity.kind == "propose" and activity_id in propose_ids:
            share = -(-len(PROPOSALS) // len(propose_ids))
            for _ in range(share):
                text = next(texts, None)
                if text is not None:
                    editor.add_proposal(text, activity_id=activity_id, proposed_by=rng.choice(people))
        elif activity.kind == "propose":
            by_text = {p.text: p.id for p in session.proposals}
            editor.merge_proposals(by_text[PROPOSALS[1]], by_text[PROPOSALS[10]])
        elif activity.kind == "rate":
            questions = [q.id for q in getattr(activity, "questions", [])]
            # Each question gets a centre and a spread, so some are low and some divided.
            shape = {q: (rng.choice([2, 3, 3, 4]), rng.choice([0, 1, 1, 2])) for q in questions}
            for voter in people:
                answers = {q: min(5, max(1, centre + rng.randint(-spread, spread))) for q, (centre, spread) in shape.items()}
                editor.cast_rating(activity_id, voter, answers)
            editor.reveal(activity_id)
        elif activity.kind == "vote":
            eligible = editor.eligible_proposals(activity_id)
            favourites = eligible[:7]
            for voter in people:
                dots: dict[str, int] = {}
                for _ in range(session.voting.dots_per_person):
                    choice = rng.choice(favourites if rng.random() < 0.8 else eligible)
                    if dots.get(choice, 0) < session.voting.max_per_item:
                        dots[choice] = dots.get(choice, 0) + 1
                editor.cast_dots(activity_id, voter, dots)
            editor.reveal(activity_id)
        elif activity.kind == "place":
            _place(editor, session)
        elif activity.kind == "close" and close:
            _close(editor, session)
        if index == len(activities) - 1:
            break
        editor.next()
    editor.complete()
    return session


def _place(editor: SessionEditor, session: Session) -> None:
    from workshop.domain.report import dots_by_proposal

    dots = dots_by_proposal(session)
    top = sorted(session.proposals, key=lambda p: -dots.get(p.id, 0))[:6]
    # Review dates after the day, whichever day it is (the board refuses earlier ones).
    day = session.date
    plan = [
        ("next-month", "Zoë Müller", day + timedelta(days=35), True),
        ("next-month", "Eilidh Ross", day + timedelta(days=49), False),
        ("six-months", "Amara Okafor", day + timedelta(days=182), True),
        ("six-months", "Farid Haddad", day + timedelta(days=196), False),
        ("a-year", "Ben Hughes", day + timedelta(days=364), False),
        ("longer-term", "Chloé Martin", None, False),
    ]
    for proposal, (horizon, owner, review, protected) in zip(top, plan, strict=False):
        editor.move_to_horizon(proposal.id, horizon)
        editor.set_owner(proposal.id, owner)
        editor.set_review_date(proposal.id, review)
        editor.set_protected(proposal.id, protected)


def _close(editor: SessionEditor, session: Session) -> None:
    editor.set_approvers("Chief executive and the lead member for children")
    editor.set_agree_by(session.date + timedelta(days=19))
    editor.set_next_review(session.date + timedelta(days=98))
    words = [
        "Ring the head of housing about pooling the budget",
        "Sit in on one locality panel before the month is out",
        "Show the finance team the outcomes dashboard draft",
        "Ask three head teachers what would help most",
        "Cut one step from the referral form this month",
        "Share the dashboard with the health lead",
        "Map who commissions what across the partnership",
        "Hear from two families at the next practice forum",
    ]
    for person, text in zip(session.participants, words, strict=True):
        editor.set_check_out(person.id, text)
