"""The horizon board: where each priority sits, who owns it, when it is reviewed.

Every board operation is a decision of the room (the run screen writes it at once).
Each one validates first and refuses with one plain line, so a refused move or edit
leaves the session exactly as it was.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import TypeAdapter, ValidationError

from workshop.domain.errors import Refused
from workshop.domain.horizons import column
from workshop.domain.models.base import RequiredLineText, ShortText
from workshop.domain.models.limits import LINE_TEXT_CHARACTERS, SHORT_TEXT_CHARACTERS
from workshop.domain.models.session import HORIZON_LABELS, HORIZONS, Proposal
from workshop.domain.operations.base import Change, EditorBase
from workshop.domain.parsing import parse_review_date
from workshop.domain.text import clean_line

UNPLACED_ORDER_REASON = "The Unplaced tray is ordered by dots; move the card to a horizon to order it."

_OWNER: TypeAdapter[str] = TypeAdapter(ShortText)
_PRIORITY_TEXT: TypeAdapter[str] = TypeAdapter(RequiredLineText)


def checked_owner(text: str) -> str:
    """The owner as it would be stored (trimmed, cleaned); blank means nobody.

    Raises `Refused` with one plain line when it is too long.
    """
    return _validated(_OWNER, text.strip(), "An owner", SHORT_TEXT_CHARACTERS)


def checked_priority_text(text: str) -> str:
    """A priority's text as it would be stored (one line, trimmed, cleaned).

    Raises `Refused` with one plain line when it is blank or too long.
    """
    return _validated(_PRIORITY_TEXT, text.strip(), "A priority's text", LINE_TEXT_CHARACTERS)


def _validated(adapter: TypeAdapter[str], value: str, what: str, limit: int) -> str:
    """Run the model's own rules on `value`; say what is wrong as a sentence, not as pydantic."""
    # Checked here too so the sentence can give both numbers, whatever pydantic reports.
    if len(value) > limit:
        raise Refused(f"{what} can be at most {limit} characters; this one has {len(value)}.")
    try:
        return adapter.validate_python(value)
    except ValidationError as error:
        raise Refused(_sentence(what, error)) from None


def _sentence(what: str, error: ValidationError) -> str:
    """One plain line from pydantic's complaint about a single value."""
    for detail in error.errors():
        if detail.get("type") == "value_error" and "empty" in str(detail.get("msg", "")):
            return f"{what} cannot be blank."
    return f"{what} is not valid."


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _renumber(proposals: list[Proposal]) -> None:
    """Positions 0..n-1 in the given order; a proposal already in place is left alone."""
    for position, proposal in enumerate(proposals):
        if proposal.position != position:
            proposal.position = position


class BoardOperations(EditorBase):
    """The horizon board: move, reorder, protect, owner, review date, text."""

    def _board_proposal(self, proposal_id: str) -> Proposal:
        """The proposal with `proposal_id`, or `Refused`."""
        proposal = next((p for p in self.session.proposals if p.id == proposal_id), None)
        if proposal is None:
            raise Refused(f"There is no priority with the id '{_short(clean_line(proposal_id))}' in this session.")
        return proposal

    def _board_change(self, proposal: Proposal, summary: str) -> Change:
        return self._done(Change(area="board", summary=summary, decision=True, ids=(proposal.id,)))

    def move_to_horizon(self, proposal_id: str, horizon: str) -> Change | None:
        """Move a card to the end of `horizon`'s column (the Unplaced tray included).

        Both columns are renumbered 0..n-1. None when the card is already there.
        """
        self._writable()
        proposal = self._board_proposal(proposal_id)
        target = next((known for known in HORIZONS if known == horizon), None)
        if target is None:
            names = ", ".join(HORIZON_LABELS[known] for known in HORIZONS)
            raise Refused(f"The board has no column '{_short(clean_line(horizon))}' (it has {names}).")
        if proposal.horizon == target:
            return None
        source = proposal.horizon
        others = [p for p in column(self.session, target) if p.id != proposal.id]
        _renumber(others)
        proposal.horizon = target
        proposal.position = len(others)
        _renumber(column(self.session, source))
        return self._board_change(proposal, f"Moved '{_short(proposal.text)}' to {HORIZON_LABELS[target]}.")

    def reorder(self, proposal_id: str, step: int) -> Change | None:
        """Move a card `step` places within its horizon (negative is up), stopping at the ends.

        Refused in the Unplaced tray, which is ordered by dots. None when the card is
        already at the end it is pushed towards.
        """
        self._writable()
        proposal = self._board_proposal(proposal_id)
        if proposal.horizon == "unplaced":
            raise Refused(UNPLACED_ORDER_REASON)
        cards = column(self.session, proposal.horizon)
        row = next(index for index, card in enumerate(cards) if card.id == proposal.id)
        new_row = max(0, min(len(cards) - 1, row + step))
        if new_row == row:
            return None
        cards.insert(new_row, cards.pop(row))
        _renumber(cards)
        where = "up" if new_row < row else "down"
        label = HORIZON_LABELS[proposal.horizon]
        return self._board_change(proposal, f"Moved '{_short(proposal.text)}' {where} in {label}.")

    def set_protected(self, proposal_id: str, protected: bool) -> Change | None:
        """Mark a priority as one that cannot be compromised, or take the mark off."""
        self._writable()
        proposal = self._board_proposal(proposal_id)
        if proposal.protected == protected:
            return None
        proposal.protected = protected
        done = "Protected" if protected else "Took the protected mark off"
        return self._board_change(proposal, f"{done} '{_short(proposal.text)}'.")

    def set_owner(self, proposal_id: str, owner: str) -> Change | None:
        """Who owns a priority; blank means nobody."""
        self._writable()
        proposal = self._board_proposal(proposal_id)
        value = checked_owner(owner)
        if proposal.owner == value:
            return None
        proposal.owner = value
        who = f"is now {value}" if value else "cleared"
        return self._board_change(proposal, f"Owner of '{_short(proposal.text)}' {who}.")

    def set_review_date(self, proposal_id: str, text_or_date: str | date | None) -> Change | None:
        """When a priority is reviewed: a `date`, text as YYYY-MM-DD, or blank/None to clear."""
        self._writable()
        proposal = self._board_proposal(proposal_id)
        if isinstance(text_or_date, datetime):
            review: date | None = text_or_date.date()
        elif isinstance(text_or_date, date):
            review = text_or_date
        else:
            review = parse_review_date(text_or_date or "")
        if proposal.review_date == review:
            return None
        if review is not None and review < self.session.date:
            raise Refused(f"A review date comes after the session: {review.isoformat()} is before {self.session.date.isoformat()}.")
        proposal.review_date = review
        when = f"is now {review.isoformat()}" if review else "cleared"
        return self._board_change(proposal, f"Review date of '{_short(proposal.text)}' {when}.")

    def set_priority_text(self, proposal_id: str, text: str) -> Change | None:
        """Reword a priority (one line, not blank)."""
        self._writable()
        proposal = self._board_proposal(proposal_id)
        value = checked_priority_text(text)
        if proposal.text == value:
            return None
        proposal.text = value
        return self._board_change(proposal, f"Reworded a priority as '{_short(value)}'.")
