"""The follow-up's review: marking each earlier priority done, in progress, dropped or
carried forward.

Carrying a priority forward makes it a proposal of this session (`carried_from` names
the earlier one), so the room can vote on it and place it again; marking it otherwise
afterwards takes that proposal back out, unless votes already count for it. Each mark
is a decision of the room, written at once.
"""

from __future__ import annotations

from workshop.domain.errors import Refused
from workshop.domain.models.limits import MAX_POSITION, MAX_PROPOSALS
from workshop.domain.models.session import (
    REVIEW_STATUS_LABELS,
    REVIEW_STATUSES,
    EarlierPriority,
    Proposal,
    new_id,
)
from workshop.domain.operations.base import Change
from workshop.domain.operations.proposals import PROPOSAL_ID_LENGTH, ProposalOperations, quoted, same_words


class ReviewOperations(ProposalOperations):
    """The review of a follow-up's earlier priorities."""

    def earlier_priority(self, priority_id: str) -> EarlierPriority:
        """The earlier priority with `priority_id`; `Refused` if there is none."""
        found = next((p for p in self.session.earlier_priorities if p.id == priority_id), None)
        if found is None:
            raise Refused(f"There is no earlier priority '{priority_id}' in this session.")
        return found

    def set_review_status(self, priority_id: str, status: str) -> Change | None:
        """Mark an earlier priority `status` (one of `REVIEW_STATUSES`); None if unchanged.

        `carried-forward` adds a proposal linked to it (refused when its text is already
        a proposal here, or the session is full); leaving `carried-forward` removes that
        proposal again (refused once votes count for it: re-run the vote first).
        """
        self._writable()
        priority = self.earlier_priority(priority_id)
        checked = next((known for known in REVIEW_STATUSES if known == status), None)
        if checked is None:
            raise Refused(f"'{status}' is not a review status (use one of: {', '.join(REVIEW_STATUSES)}).")
        if priority.status == status:
            return None
        carried = self._carried_proposal(priority)
        if status == "carried-forward" and carried is None:
            self._check_can_carry(priority)
        if status != "carried-forward" and carried is not None and self._counted_votes(carried.id):
            raise Refused(f"{quoted(priority.text)} has votes as a proposal; re-run the vote first to change its status.")
        # Checked; now change.
        if status == "carried-forward" and carried is None:
            carried = self._carry(priority)
            priority.carried_to = carried.id
        elif status != "carried-forward" and carried is not None:
            self._drop_carried(carried.id)
            priority.carried_to = None
        priority.status = checked
        priority.reviewed_at = None if status == "unreviewed" else self.now()
        ids = (priority.id, carried.id) if carried is not None else (priority.id,)
        summary = f"Marked {quoted(priority.text)} {REVIEW_STATUS_LABELS[status].lower()}"
        return self._done(Change(area="review", summary=summary, decision=True, ids=ids))

    # -- helpers ------------------------------------------------------------------------

    def _carried_proposal(self, priority: EarlierPriority) -> Proposal | None:
        if priority.carried_to is None:
            return None
        return next((p for p in self.session.proposals if p.id == priority.carried_to), None)

    def _check_can_carry(self, priority: EarlierPriority) -> None:
        if len(self.session.proposals) >= MAX_PROPOSALS:
            raise Refused(f"A session holds at most {MAX_PROPOSALS:,} proposals.")
        wanted = same_words(priority.text)
        for proposal in self.session.proposals:
            if wanted == same_words(proposal.text) or any(wanted == same_words(t) for t in proposal.merged_texts):
                raise Refused(f"{quoted(priority.text)} is already a proposal in this session.")

    def _carry(self, priority: EarlierPriority) -> Proposal:
        taken = {p.id for p in self.session.proposals}
        proposal_id = new_id(PROPOSAL_ID_LENGTH)
        while proposal_id in taken:
            proposal_id = new_id(PROPOSAL_ID_LENGTH)
        unplaced = [p.position for p in self.session.proposals if p.horizon == "unplaced"]
        known_behaviour = self.session.agenda.behaviour(priority.behaviour) is not None
        review = next((a.id for _, a in self.session.agenda.activities(included_only=False) if a.kind == "review"), None)
        proposal = Proposal(
            id=proposal_id,
            text=priority.text,
            behaviour=priority.behaviour if known_behaviour else None,
            activity_id=review,
            created_at=self.now(),
            owner=priority.owner,
            position=min(max(unplaced, default=-1) + 1, MAX_POSITION),
            carried_from=priority.id,
        )
        self.session.proposals.append(proposal)
        return proposal

    def _drop_carried(self, proposal_id: str) -> None:
        self.session.proposals[:] = [p for p in self.session.proposals if p.id != proposal_id]
        for vote_round in self.session.vote_rounds:
            if vote_round.superseded:
                continue
            if proposal_id in vote_round.proposals:
                vote_round.proposals.remove(proposal_id)
            vote_round.hands.pop(proposal_id, None)
