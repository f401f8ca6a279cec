"""Proposals: candidate priorities, added, edited, removed and merged before a vote.

A proposal's text is unique in a session (ignoring case and runs of spaces), so the
room never splits its dots between two copies of one idea; two different wordings of
one idea are merged instead, keeping both texts and moving any dots already cast.
"""

from __future__ import annotations

from workshop.domain.errors import Refused
from workshop.domain.models.limits import (
    LINE_TEXT_CHARACTERS,
    MAX_DOTS,
    MAX_HANDS,
    MAX_POSITION,
    MAX_PROPOSALS,
)
from workshop.domain.models.session import Proposal, VoteRound, new_id
from workshop.domain.operations.base import Change, EditorBase
from workshop.domain.text import clean_line

# How much of a proposal's text a refusal or a summary quotes.
QUOTE_CHARACTERS = 60
PROPOSAL_ID_LENGTH = 6


def quoted(text: str) -> str:
    """`text` in single quotes, shortened with an ellipsis so a message stays one line."""
    if len(text) > QUOTE_CHARACTERS:
        text = text[: QUOTE_CHARACTERS - 1].rstrip() + "…"
    return f"'{text}'"


def same_words(text: str) -> str:
    """The form two texts are compared in: case folded, runs of white space made one space."""
    return " ".join(clean_line(text).casefold().split())


class ProposalOperations(EditorBase):
    """Candidate priorities: add, edit, remove, merge."""

    # -- lookups (read only) ----------------------------------------------------------

    def proposal_by_id(self, proposal_id: str) -> Proposal:
        """The proposal with `proposal_id`; `Refused` if there is none."""
        found = next((p for p in self.session.proposals if p.id == proposal_id), None)
        if found is None:
            raise Refused(f"There is no proposal '{proposal_id}' in this session.")
        return found

    def _clean_proposal_text(self, text: str) -> str:
        # Measured before cleaning, as the model measures it.
        if len(text) > LINE_TEXT_CHARACTERS:
            raise Refused(f"A proposal holds at most {LINE_TEXT_CHARACTERS:,} characters.")
        cleaned = clean_line(text)
        if not cleaned:
            raise Refused("A proposal needs some text.")
        return cleaned

    def _check_unique(self, text: str, *, besides: str | None = None) -> None:
        """Refuse a text that is already a proposal (or a wording merged into one)."""
        wanted = same_words(text)
        for proposal in self.session.proposals:
            if proposal.id == besides:
                continue
            if wanted == same_words(proposal.text) or any(wanted == same_words(t) for t in proposal.merged_texts):
                raise Refused(f"{quoted(text)} is already a proposal.")

    def _check_references(self, behaviour: str | None, proposed_by: str | None) -> None:
        if behaviour is not None and self.session.agenda.behaviour(behaviour) is None:
            raise Refused(f"There is no behaviour '{behaviour}' in this session's agenda.")
        if proposed_by is not None and self.session.participant(proposed_by) is None:
            raise Refused(f"There is no participant '{proposed_by}' in this session.")

    def _counted_votes(self, proposal_id: str) -> bool:
        """Whether any round that still counts (not superseded) has dots or hands for it."""
        for vote_round in self.session.vote_rounds:
            if vote_round.superseded:
                continue
            if vote_round.hands.get(proposal_id, 0) > 0:
                return True
            if any(proposal_id in ballot.dots for ballot in vote_round.ballots):
                return True
        return False

    # -- operations -------------------------------------------------------------------

    def add_proposal(
        self,
        text: str,
        *,
        activity_id: str | None,
        behaviour: str | None = None,
        proposed_by: str | None = None,
    ) -> Change:
        """Add a proposal made during `activity_id`; `Change.ids` holds its new id.

        Refused: a blank or over-long text, a text that is already a proposal, an
        unknown activity, behaviour or participant, or a session already at its cap.
        """
        self._writable()
        if len(self.session.proposals) >= MAX_PROPOSALS:
            raise Refused(f"A session holds at most {MAX_PROPOSALS:,} proposals.")
        cleaned = self._clean_proposal_text(text)
        if activity_id is not None and self.session.agenda.activity(activity_id) is None:
            raise Refused(f"There is no activity '{activity_id}' in this session's agenda.")
        self._check_references(behaviour, proposed_by)
        self._check_unique(cleaned)
        taken = {p.id for p in self.session.proposals}
        proposal_id = new_id(PROPOSAL_ID_LENGTH)
        while proposal_id in taken:
            proposal_id = new_id(PROPOSAL_ID_LENGTH)
        # New proposals join the end of the Unplaced tray.
        unplaced = [p.position for p in self.session.proposals if p.horizon == "unplaced"]
        position = min(max(unplaced, default=-1) + 1, MAX_POSITION)
        self.session.proposals.append(
            Proposal(
                id=proposal_id,
                text=cleaned,
                behaviour=behaviour,
                proposed_by=proposed_by,
                activity_id=activity_id,
                created_at=self.now(),
                position=position,
            )
        )
        return self._done(Change(area="proposals", summary=f"Added {quoted(cleaned)}", decision=True, ids=(proposal_id,)))

    def edit_proposal(
        self,
        proposal_id: str,
        *,
        text: str,
        behaviour: str | None = None,
        proposed_by: str | None = None,
    ) -> Change | None:
        """Set a proposal's text, behaviour and proposer (None clears); None if unchanged."""
        self._writable()
        proposal = self.proposal_by_id(proposal_id)
        cleaned = self._clean_proposal_text(text)
        self._check_references(behaviour, proposed_by)
        self._check_unique(cleaned, besides=proposal_id)
        if (proposal.text, proposal.behaviour, proposal.proposed_by) == (cleaned, behaviour, proposed_by):
            return None
        proposal.text = cleaned
        proposal.behaviour = behaviour
        proposal.proposed_by = proposed_by
        return self._done(Change(area="proposals", summary=f"Edited {quoted(cleaned)}", decision=True, ids=(proposal_id,)))

    def remove_proposal(self, proposal_id: str) -> Change:
        """Remove a proposal nobody has voted for yet in a round that still counts.

        It also leaves the ballots of the rounds that still count; superseded rounds
        keep their history as it was.
        """
        self._writable()
        proposal = self.proposal_by_id(proposal_id)
        if self._counted_votes(proposal_id):
            raise Refused(f"{quoted(proposal.text)} has votes; re-run the vote first to change the list.")
        self.session.proposals[:] = [p for p in self.session.proposals if p.id != proposal_id]
        for vote_round in self.session.vote_rounds:
            if vote_round.superseded:
                continue
            if proposal_id in vote_round.proposals:
                vote_round.proposals.remove(proposal_id)
            # A count of zero hands is not a vote; drop it with the proposal.
            vote_round.hands.pop(proposal_id, None)
        return self._done(Change(area="proposals", summary=f"Removed {quoted(proposal.text)}", decision=True, ids=(proposal_id,)))

    def merge_proposals(self, keep_id: str, other_id: str) -> Change:
        """Merge `other_id` into `keep_id`: one idea, both wordings, every dot kept.

        `keep` records the other's text and id (and any it had merged before); in every
        vote round the other's dots and hands are added to keep's (a ballot holding both
        is capped at the most a model allows on one item), and keep takes the place of
        whichever of the two came first on the ballot.
        """
        self._writable()
        if keep_id == other_id:
            raise Refused("A proposal cannot be merged with itself.")
        keep = self.proposal_by_id(keep_id)
        other = self.proposal_by_id(other_id)
        if len(keep.merged_texts) + 1 + len(other.merged_texts) > MAX_PROPOSALS:
            raise Refused(f"A proposal keeps at most {MAX_PROPOSALS:,} merged wordings.")
        for vote_round in self.session.vote_rounds:
            _merge_in_round(vote_round, keep_id, other_id)
        keep.merged_texts = [*keep.merged_texts, other.text, *other.merged_texts]
        keep.merged_ids = [*keep.merged_ids, other.id, *other.merged_ids]
        # In the session's list too, keep takes the earlier of the two places.
        proposals = self.session.proposals
        ids = [p.id for p in proposals]
        keep_index, other_index = ids.index(keep_id), ids.index(other_id)
        del proposals[other_index]
        if other_index < keep_index:
            del proposals[keep_index - 1]
            proposals.insert(other_index, keep)
        summary = f"Merged {quoted(other.text)} into {quoted(keep.text)}"
        return self._done(Change(area="proposals", summary=summary, decision=True, ids=(keep_id, other_id)))


def _merge_in_round(vote_round: VoteRound, keep_id: str, other_id: str) -> None:
    """Move `other_id`'s place, dots and hands in one round onto `keep_id`."""
    if other_id in vote_round.proposals:
        index = vote_round.proposals.index(other_id)
        if keep_id in vote_round.proposals:
            first = min(index, vote_round.proposals.index(keep_id))
            listed = [pid for pid in vote_round.proposals if pid not in (keep_id, other_id)]
            listed.insert(first, keep_id)
            vote_round.proposals = listed
        else:
            vote_round.proposals[index] = keep_id
    for ballot in vote_round.ballots:
        if other_id in ballot.dots:
            moved = ballot.dots.pop(other_id)
            ballot.dots[keep_id] = min(ballot.dots.get(keep_id, 0) + moved, MAX_DOTS)
    if other_id in vote_round.hands:
        moved = vote_round.hands.pop(other_id)
        vote_round.hands[keep_id] = min(vote_round.hands.get(keep_id, 0) + moved, MAX_HANDS)
