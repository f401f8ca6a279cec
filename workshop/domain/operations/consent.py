"""The consent check's answers: each top priority agreed, or objected to with a reason."""

from __future__ import annotations

from workshop.domain.consent import consent_items, consent_of
from workshop.domain.errors import Refused
from workshop.domain.models.limits import LINE_TEXT_CHARACTERS
from workshop.domain.models.pack import ConsentActivity
from workshop.domain.models.session import Consent, ConsentAnswer
from workshop.domain.operations.base import Change, EditorBase
from workshop.domain.operations.proposals import quoted
from workshop.domain.text import clean_line


class ConsentOperations(EditorBase):
    """Record and clear answers in a consent check."""

    def _consent_activity(self, activity_id: str) -> ConsentActivity:
        activity = self.session.agenda.activity(activity_id)
        if not isinstance(activity, ConsentActivity):
            raise Refused(f"There is no consent check '{activity_id}' in this session's agenda.")
        return activity

    def record_consent(self, activity_id: str, proposal_id: str, answer: ConsentAnswer, reason: str = "") -> Change | None:
        """Record that the room agreed to `proposal_id`, or objected (a reason is required).

        Refused: an unknown check, a proposal not among its top priorities (or a vote not
        yet revealed), an objection without a reason, a reason too long. None when the
        answer is already recorded as given.
        """
        self._writable()
        activity = self._consent_activity(activity_id)
        if answer not in ("agreed", "objected"):
            raise Refused(f"'{answer}' is not an answer to a consent check.")
        if len(reason) > LINE_TEXT_CHARACTERS:
            raise Refused(f"A reason holds at most {LINE_TEXT_CHARACTERS:,} characters.")
        cleaned = clean_line(reason) if answer == "objected" else ""
        if answer == "objected" and not cleaned:
            raise Refused("An objection needs its reason: what would have to change for you to live with it?")
        item = next((item for item in consent_items(self.session, activity) if item.proposal.id == proposal_id), None)
        if item is None:
            raise Refused("That proposal is not among the top priorities of the revealed vote.")
        existing = consent_of(self.session, activity_id, proposal_id)
        if existing is not None and (existing.answer, existing.reason) == (answer, cleaned):
            return None
        if existing is not None:
            self.session.consents.remove(existing)
        self.session.consents.append(Consent(activity_id=activity_id, proposal_id=proposal_id, answer=answer, reason=cleaned, recorded_at=self.now()))
        summary = f"{quoted(item.proposal.text)}: {'agreed' if answer == 'agreed' else 'objected to: ' + cleaned}."
        return self._done(Change(area="consent", summary=summary, decision=True, ids=(activity_id, proposal_id)))

    def clear_consent(self, activity_id: str, proposal_id: str) -> Change | None:
        """Take back a recorded answer (asked again); None when there was none."""
        self._writable()
        self._consent_activity(activity_id)
        existing = consent_of(self.session, activity_id, proposal_id)
        if existing is None:
            return None
        self.session.consents.remove(existing)
        return self._done(Change(area="consent", summary="Answer taken back.", decision=True, ids=(activity_id, proposal_id)))
