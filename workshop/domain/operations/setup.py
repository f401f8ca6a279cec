"""Setup: editing a planned session's details, participants, agenda and voting settings."""

from __future__ import annotations

from workshop.domain.new_session import SetupDetails, edited_session
from workshop.domain.operations.base import Change, EditorBase

# The fields the setup form owns; everything else (id, progress, rounds) stays as it is.
SETUP_FIELDS = (
    "title",
    "date",
    "team",
    "facilitator",
    "participants",
    "available_minutes",
    "start_time",
    "voting",
    "agenda",
)


class SetupOperations(EditorBase):
    """Edits to a planned session: details, participants, agenda, voting settings."""

    def edit_setup(self, details: SetupDetails) -> Change | None:
        """Apply the setup form's `details` to a planned session, all or nothing.

        Everything is checked on a copy first (see `edited_session`); a refusal names the
        first problem in one line and leaves the session as it was. Participants keep
        their ids; a facilitator who votes is added as a participant. Returns None when
        the details change nothing.
        """
        self._writable()
        edited = edited_session(self.session, details)
        changed = [name for name in SETUP_FIELDS if getattr(edited, name) != getattr(self.session, name)]
        if not changed:
            return None
        for name in changed:
            setattr(self.session, name, getattr(edited, name))
        return self._done(Change(area="setup", summary=f"Edited the plan of '{self.session.title}'.", decision=True, ids=(self.session.id,)))
