"""The close's decisions: who must agree the priorities and by when, the next review, the check-out.

Each is a decision of the room, written at once. Dates are typed as the board's review
dates are (YYYY-MM-DD); one before the day of the session is refused, because a
deadline or a review that has already passed is a typing slip, not a plan.
"""

from __future__ import annotations

from datetime import date

from workshop.domain.errors import Refused, WorkshopError
from workshop.domain.models.limits import LINE_TEXT_CHARACTERS
from workshop.domain.models.session import CheckOut
from workshop.domain.operations.base import Change, EditorBase
from workshop.domain.parsing import parse_review_date
from workshop.domain.text import clean_line


def _day_words(day: date) -> str:
    # The reports' document module is imported when a date is written, not with the editor
    # (which every open session holds all day).
    from workshop.domain.render.document import day_words

    return day_words(day)


class ClosingOperations(EditorBase):
    """What the close records beyond the board."""

    def set_approvers(self, text: str) -> Change | None:
        """Who must agree the priorities before they stand (one line; blank clears it)."""
        self._writable()
        if len(text) > LINE_TEXT_CHARACTERS:
            raise Refused(f"Who must agree holds at most {LINE_TEXT_CHARACTERS:,} characters.")
        cleaned = clean_line(text)
        if cleaned == self.session.closing.approvers:
            return None
        self.session.closing.approvers = cleaned
        summary = f"Who must agree: {cleaned}" if cleaned else "Who must agree cleared"
        return self._done(Change(area="closing", summary=summary, decision=True, ids=("closing",)))

    def set_agree_by(self, text_or_date: str | date | None) -> Change | None:
        """The date by which they must agree (YYYY-MM-DD, not before the session's day; blank clears it)."""
        day = self._day(text_or_date, "The date to agree by")
        if day == self.session.closing.agree_by:
            return None
        self.session.closing.agree_by = day
        summary = f"To be agreed by {_day_words(day)}" if day else "Date to agree by cleared"
        return self._done(Change(area="closing", summary=summary, decision=True, ids=("closing",)))

    def set_next_review(self, text_or_date: str | date | None) -> Change | None:
        """The date the team meets to review the priorities (as `set_agree_by`)."""
        day = self._day(text_or_date, "The next review")
        if day == self.session.closing.next_review:
            return None
        self.session.closing.next_review = day
        summary = f"Next review on {_day_words(day)}" if day else "Next review cleared"
        return self._done(Change(area="closing", summary=summary, decision=True, ids=("closing",)))

    def set_check_out(self, participant_id: str, text: str) -> Change | None:
        """`participant_id`'s check-out (what they will do next, one line); blank removes it.

        Kept in the order of the participants, so the report reads round the room.
        """
        self._writable()
        person = self.session.participant(participant_id)
        if person is None:
            raise Refused(f"There is no participant '{participant_id}' in this session.")
        if len(text) > LINE_TEXT_CHARACTERS:
            raise Refused(f"A check-out holds at most {LINE_TEXT_CHARACTERS:,} characters.")
        cleaned = clean_line(text)
        entries = {entry.participant: entry.text for entry in self.session.closing.check_out}
        if entries.get(participant_id, "") == cleaned:
            return None
        if cleaned:
            entries[participant_id] = cleaned
        else:
            entries.pop(participant_id, None)
        order = [p.id for p in self.session.participants]
        self.session.closing.check_out = [CheckOut(participant=pid, text=entries[pid]) for pid in order if pid in entries]
        summary = f"{person.name}'s check-out recorded" if cleaned else f"{person.name}'s check-out removed"
        return self._done(Change(area="closing", summary=summary, decision=True, ids=("closing", participant_id)))

    def check_out_text(self, participant_id: str) -> str:
        """The check-out recorded for `participant_id` ("" when none); changes nothing."""
        return next((e.text for e in self.session.closing.check_out if e.participant == participant_id), "")

    def _day(self, text_or_date: str | date | None, what: str) -> date | None:
        self._writable()
        if isinstance(text_or_date, date) or text_or_date is None:
            day = text_or_date
        else:
            try:
                day = parse_review_date(text_or_date)
            except WorkshopError as error:
                raise Refused(error.reason) from None
        if day is not None and day < self.session.date:
            raise Refused(f"{what} cannot be before the session's day ({_day_words(self.session.date)}).")
        return day
