"""Notes: one text per activity, saved as it is typed."""

from __future__ import annotations

from workshop.domain.errors import Refused
from workshop.domain.models.limits import NOTE_CHARACTERS
from workshop.domain.models.session import Note
from workshop.domain.operations.base import Change, EditorBase
from workshop.domain.text import clean_text


class NoteOperations(EditorBase):
    """Notes typed during an activity."""

    def note_text(self, activity_id: str) -> str:
        """The note of an activity as it stands ("" when none was written); changes nothing."""
        return next((note.text for note in self.session.notes if note.activity_id == activity_id), "")

    def set_note(self, activity_id: str, text: str) -> Change | None:
        """Replace the note of `activity_id` with `text`; None when the text is unchanged.

        The text is cleaned as the model cleans it (controls dropped, newlines folded).
        Typing is not a decision of the room: the change is saved on the next tick.
        """
        self._writable()
        if self.session.agenda.activity(activity_id) is None:
            raise Refused(f"There is no activity '{activity_id}' in this session's agenda.")
        # Measured before cleaning, as the model measures it, so both agree on the limit.
        if len(text) > NOTE_CHARACTERS:
            raise Refused(f"A note holds at most {NOTE_CHARACTERS:,} characters.")
        cleaned = clean_text(text)
        note = next((item for item in self.session.notes if item.activity_id == activity_id), None)
        # No note yet reads as an empty one, so clearing nothing writes nothing.
        if (note.text if note is not None else "") == cleaned:
            return None
        if note is None:
            self.session.notes.append(Note(activity_id=activity_id, text=cleaned, updated_at=self.now()))
        else:
            note.text = cleaned
            note.updated_at = self.now()
        return self._done(Change(area="notes", summary="Note updated", decision=False, ids=(activity_id,)))
