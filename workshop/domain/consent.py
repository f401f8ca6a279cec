"""The consent check after a dot vote: which priorities it asks about, and where each stands.

The candidates are the top of the ranking of the vote that comes before the consent
activity in the agenda (its round that counts, once revealed): the first `top` places,
with every proposal that shares the last place, and only proposals that got dots.
Plain Python: nothing here imports Textual.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from workshop.domain.models.pack import ConsentActivity, VoteActivity
from workshop.domain.models.session import Consent, Proposal, Session, VoteRound
from workshop.domain.tally import current_round, rank_proposals

if TYPE_CHECKING:
    from workshop.domain.render.document import Block

__all__ = ["ConsentItem", "answer_text", "consent_blocks", "consent_items", "consent_of", "vote_before"]


@dataclass(frozen=True)
class ConsentItem:
    """One priority the check asks about, with its place, dots and answer so far."""

    proposal: Proposal
    place: int
    dots: int
    consent: Consent | None


def vote_before(session: Session, activity: ConsentActivity) -> VoteActivity | None:
    """The last vote activity before `activity` in the agenda (included or not)."""
    found: VoteActivity | None = None
    for _, candidate in session.agenda.activities(included_only=False):
        if candidate.id == activity.id:
            return found
        if isinstance(candidate, VoteActivity):
            found = candidate
    return None


def counted_round(session: Session, activity: ConsentActivity) -> VoteRound | None:
    """The round that counts for the vote before `activity`, or None if it has none."""
    vote = vote_before(session, activity)
    return current_round(session.vote_rounds, str(vote.id)) if vote is not None else None


def consent_of(session: Session, activity_id: str, proposal_id: str) -> Consent | None:
    """The recorded answer for one priority in one consent check, if any."""
    return next((c for c in session.consents if c.activity_id == activity_id and c.proposal_id == proposal_id), None)


def consent_items(session: Session, activity: ConsentActivity) -> list[ConsentItem]:
    """The priorities the check asks about, best first; empty until the vote is revealed."""
    ballot_round = counted_round(session, activity)
    if ballot_round is None or not ballot_round.revealed:
        return []
    proposals = {proposal.id: proposal for proposal in session.proposals}
    items: list[ConsentItem] = []
    for ranked in rank_proposals(ballot_round):
        if ranked.dots <= 0 or ranked.place > activity.top:
            continue
        proposal = proposals.get(ranked.proposal_id)
        if proposal is not None:
            items.append(ConsentItem(proposal, ranked.place, ranked.dots, consent_of(session, str(activity.id), proposal.id)))
    return items


def answer_text(consent: Consent | None) -> str:
    """An answer in words: "Agreed", "Objected: <reason>" or "Not asked yet"."""
    if consent is None:
        return "Not asked yet"
    return "Agreed" if consent.answer == "agreed" else f"Objected: {consent.reason}"


def consent_blocks(session: Session) -> list[Block]:
    """The report's "Decision" section: each consent check's rule and answers (nothing
    when the agenda has no check with a revealed vote before it)."""
    # Imported for the report, not with the consent operations every open session holds.
    from workshop.domain.render.document import Heading, Paragraph, Table

    out: list[Block] = []
    for _, activity in session.agenda.activities():
        if not isinstance(activity, ConsentActivity):
            continue
        items = consent_items(session, activity)
        if not items:
            continue
        rows = tuple((item.proposal.text, str(item.dots), answer_text(item.consent)) for item in items)
        out += [
            Heading(3, activity.title),
            Paragraph(f"Decision rule: {activity.decision_rule}"),
            Table(("Priority", "Dots", "Answer"), rows, numeric=frozenset({1})),
        ]
    return [Heading(2, "Decision"), *out] if out else []
