"""The parking lot: what comes up off the topic is parked, then reviewed at the close.

Parking is quick on purpose (a text and, if the room says it, who raised it) so the
conversation can get back on track; the close decides each item's fate: kept for later,
dropped, or made a proposal (which joins the board's Unplaced tray).
"""

from __future__ import annotations

from workshop.domain.errors import Refused
from workshop.domain.models.limits import LINE_TEXT_CHARACTERS, MAX_PARKED, SHORT_TEXT_CHARACTERS
from workshop.domain.models.session import PARKED_STATUS_LABELS, ParkedItem, ParkedStatus, new_id
from workshop.domain.operations.base import Change
from workshop.domain.operations.proposals import ProposalOperations, quoted, same_words
from workshop.domain.text import clean_line

PARKED_ID_LENGTH = 6


class ParkingOperations(ProposalOperations):
    """Park an item, review it at the close."""

    def parked(self, item_id: str) -> ParkedItem:
        """The parked item `item_id`; refused when there is none."""
        for item in self.session.parking_lot:
            if item.id == item_id:
                return item
        raise Refused(f"There is no parked item '{item_id}'.")

    def park(self, text: str, *, raised_by: str = "", activity_id: str | None = None) -> Change:
        """Park `text` (raised by `raised_by`, during `activity_id`); `Change.ids` holds its id.

        Refused: a blank or over-long text or name, an unknown activity, a full lot.
        """
        self._writable()
        if len(self.session.parking_lot) >= MAX_PARKED:
            raise Refused(f"The parking lot holds at most {MAX_PARKED:,} items.")
        if len(text) > LINE_TEXT_CHARACTERS:
            raise Refused(f"A parked item holds at most {LINE_TEXT_CHARACTERS:,} characters.")
        if len(raised_by) > SHORT_TEXT_CHARACTERS:
            raise Refused(f"A name holds at most {SHORT_TEXT_CHARACTERS:,} characters.")
        cleaned = clean_line(text)
        if not cleaned:
            raise Refused("A parked item needs some text.")
        if activity_id is not None and self.session.agenda.activity(activity_id) is None:
            raise Refused(f"There is no activity '{activity_id}' in this session's agenda.")
        taken = {item.id for item in self.session.parking_lot}
        item_id = new_id(PARKED_ID_LENGTH)
        while item_id in taken:
            item_id = new_id(PARKED_ID_LENGTH)
        self.session.parking_lot.append(ParkedItem(id=item_id, text=cleaned, raised_by=clean_line(raised_by), activity_id=activity_id, parked_at=self.now()))
        return self._done(Change(area="parking", summary=f"Parked {quoted(cleaned)}.", decision=True, ids=(item_id,)))

    def review_parked(self, item_id: str, status: ParkedStatus) -> Change | None:
        """Decide what becomes of a parked item; None when it already has that status.

        "proposal" adds its text as a proposal (once: a text already proposed is linked,
        not added twice); moving away from "proposal" leaves that proposal on the board,
        where the room may still want it.
        """
        self._writable()
        item = self.parked(item_id)
        if status not in PARKED_STATUS_LABELS:
            raise Refused(f"'{status}' is not a parking-lot decision.")
        if item.status == status:
            return None
        if status == "proposal" and item.proposal_id is None:
            existing = self.proposal_with_text(item.text)
            if existing is not None:
                item.proposal_id = existing
            else:
                change = self.add_proposal(item.text, activity_id=item.activity_id)
                item.proposal_id = change.ids[0]
        item.status = status
        summary = f"{quoted(item.text)}: {PARKED_STATUS_LABELS[status].lower()}."
        return self._done(Change(area="parking", summary=summary, decision=True, ids=(item_id,)))

    def proposal_with_text(self, text: str) -> str | None:
        """The id of the proposal worded as `text` (case and spacing aside), if any."""
        wanted = same_words(text)
        return next((p.id for p in self.session.proposals if same_words(p.text) == wanted), None)
