"""What is still loose before the day closes: plain checks on a session, no Textual.

The close activity (and the export) can list these so the room settles them while
everyone is still there.
"""

from __future__ import annotations

from workshop.domain.consent import consent_items
from workshop.domain.models.pack import ConsentActivity
from workshop.domain.models.session import Proposal, Session

# Past this many, a sentence names the first few and counts the rest.
MAX_NAMED = 5
NAME_LIMIT = 40


def _quoted(text: str) -> str:
    return f"'{text}'" if len(text) <= NAME_LIMIT else f"'{text[: NAME_LIMIT - 1]}…'"


def _names(proposals: list[Proposal]) -> str:
    names = ", ".join(_quoted(p.text) for p in proposals[:MAX_NAMED])
    rest = len(proposals) - MAX_NAMED
    return f"{names} and {rest} more" if rest > 0 else names


def _ordered(proposals: list[Proposal]) -> list[Proposal]:
    return sorted(proposals, key=lambda p: p.position)


def _listed(texts: list[str]) -> str:
    names = ", ".join(_quoted(text) for text in texts[:MAX_NAMED])
    rest = len(texts) - MAX_NAMED
    return f"{names} and {rest} more" if rest > 0 else names


def loose_ends(session: Session) -> list[str]:
    """Sentences naming what is unsettled: unplaced priorities, placed or protected ones
    without an owner, placed ones without a review date, and in a follow-up the earlier
    priorities not reviewed, parked items not reviewed, and top priorities the consent
    check has no answer for.

    Dropped proposals are left out: the room has already decided about them. Empty when
    all is well.
    """
    live = [p for p in session.proposals if p.status != "dropped"]
    problems: list[str] = []
    unplaced = _ordered([p for p in live if p.horizon == "unplaced"])
    if unplaced:
        count = len(unplaced)
        subject = "1 priority is" if count == 1 else f"{count} priorities are"
        problems.append(f"{subject} not placed on a horizon: {_names(unplaced)}")
    # A priority on a horizon needs someone to own it and a date to look at it again;
    # a protected one needs an owner even before it is placed.
    ownerless = _ordered([p for p in live if (p.protected or p.horizon != "unplaced") and not p.owner.strip()])
    if ownerless:
        count = len(ownerless)
        subject = "1 priority has" if count == 1 else f"{count} priorities have"
        problems.append(f"{subject} no owner: {_names(ownerless)}")
    undated = _ordered([p for p in live if p.horizon != "unplaced" and p.review_date is None])
    if undated:
        count = len(undated)
        subject = "1 placed priority has" if count == 1 else f"{count} placed priorities have"
        problems.append(f"{subject} no review date: {_names(undated)}")
    # A follow-up's review (see `workshop.domain.follow_up`): earlier priorities left unmarked.
    unreviewed = [p.text for p in session.earlier_priorities if p.status == "unreviewed"]
    if unreviewed:
        count = len(unreviewed)
        subject = "1 earlier priority is" if count == 1 else f"{count} earlier priorities are"
        names = ", ".join(_quoted(text) for text in unreviewed[:MAX_NAMED])
        rest = count - MAX_NAMED
        problems.append(f"{subject} not reviewed: {names}" + (f" and {rest} more" if rest > 0 else ""))
    # The parking lot is reviewed at the close: each item kept, dropped or made a proposal.
    parked = [item.text for item in session.parking_lot if item.status == "open"]
    if parked:
        count = len(parked)
        subject = "1 parked item is" if count == 1 else f"{count} parked items are"
        problems.append(f"{subject} not reviewed (keep, drop or make a proposal): {_listed(parked)}")
    # A consent check asks about each top priority of the revealed vote: one with neither
    # agreement nor an objection was never put to the room.
    unanswered = [item.proposal.text for activity in _consent_checks(session) for item in consent_items(session, activity) if item.consent is None]
    if unanswered:
        count = len(unanswered)
        subject = "1 top priority has" if count == 1 else f"{count} top priorities have"
        problems.append(f"{subject} no answer in the consent check (agreed or objected to): {_listed(unanswered)}")
    untimed = _run_paused(session)
    if untimed:
        count = len(untimed)
        subject = "1 activity was" if count == 1 else f"{count} activities were"
        names = ", ".join(_quoted(title) for title in untimed[:MAX_NAMED])
        rest = count - MAX_NAMED
        problems.append(
            f"{subject} run with the clock paused, so the report shows no time for "
            f"{'it' if count == 1 else 'them'}: {names}" + (f" and {rest} more" if rest > 0 else "")
        )
    return problems


def _consent_checks(session: Session) -> list[ConsentActivity]:
    return [activity for _, activity in session.agenda.activities() if isinstance(activity, ConsentActivity)]


def _run_paused(session: Session) -> list[str]:
    """The titles of activities finished with no time on the clock although the room did
    something in them (a ballot, a proposal, a note): the clock was never started."""
    worked: set[str] = set()
    for rounds in (session.rating_rounds, session.vote_rounds):
        for voting in rounds:
            if voting.ballots or voting.voted:
                worked.add(voting.activity_id)
    worked.update(p.activity_id for p in session.proposals if p.activity_id)
    worked.update(note.activity_id for note in session.notes if note.text.strip())
    done = {p.activity_id for p in session.progress if p.state == "done" and p.elapsed_seconds < 1}
    titles = {activity.id: activity.title for _, activity in session.agenda.activities()}
    return [titles[activity_id] for activity_id in titles if activity_id in done and activity_id in worked]
