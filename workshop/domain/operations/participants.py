"""Participants during a session: late arrivals and people who leave.

Who may vote is read at the moment of voting (see `workshop.domain.ballots`), so a late
arrival can vote in a round that is already open, and someone marked as left is no
longer waited for. A ballot already cast stays when its voter leaves.
"""

from __future__ import annotations

from workshop.domain.errors import Refused
from workshop.domain.models.limits import MAX_PARTICIPANTS, SHORT_TEXT_CHARACTERS
from workshop.domain.models.session import Participant
from workshop.domain.new_session import participant_id as readable_id
from workshop.domain.operations.base import Change, EditorBase
from workshop.domain.text import clean_line


class ParticipantOperations(EditorBase):
    """Who takes part: late arrivals, people who leave."""

    def add_late_arrival(self, name: str, role: str = "") -> Change:
        """Add someone who joins after the start, present now; `ids` holds their new id.

        Refused for a blank name, a name (or role) too long, a name already in the session
        (whatever its case: two people called the same would be told apart by nobody), and
        a session already at `MAX_PARTICIPANTS`.
        """
        self._writable()
        name, role = clean_line(name), clean_line(role)
        if not name:
            raise Refused("A late arrival needs a name.")
        for text, what in ((name, "A name"), (role, "A role")):
            if len(text) > SHORT_TEXT_CHARACTERS:
                raise Refused(f"{what} can be at most {SHORT_TEXT_CHARACTERS} characters long.")
        if len(self.session.participants) >= MAX_PARTICIPANTS:
            raise Refused(f"This session already has {MAX_PARTICIPANTS} participants, the most it can hold.")
        same = next((p for p in self.session.participants if p.name.casefold() == name.casefold()), None)
        if same is not None:
            raise Refused(f"There is already a participant called {same.name}.")
        taken = {participant.id for participant in self.session.participants}
        person = Participant(id=readable_id(name, taken), name=name, role=role, present=True, joined_at=self.now())
        self.session.participants.append(person)
        return self._done(Change(area="participants", summary=f"{name} joined the session.", decision=True, ids=(person.id,)))

    def mark_left(self, participant_id: str) -> Change | None:
        """Mark someone as no longer in the room: they are not waited for in a vote.

        Their ballots already cast still count. None when they were already marked as left.
        """
        return self._set_present(participant_id, False)

    def mark_present(self, participant_id: str) -> Change | None:
        """Mark someone as in the room again, so they can vote. None when they already are."""
        return self._set_present(participant_id, True)

    def _set_present(self, participant_id: str, present: bool) -> Change | None:
        self._writable()
        person = self.session.participant(participant_id)
        if person is None:
            raise Refused(f"There is no participant with id '{participant_id}' in this session.")
        if person.present == present:
            return None
        person.present = present
        summary = f"{person.name} is back." if present else f"{person.name} has left."
        return self._done(Change(area="participants", summary=summary, decision=True, ids=(person.id,)))
