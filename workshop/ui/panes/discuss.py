"""A discussion: the question, its prompts, and notes saved as they are typed."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Static, TextArea

from workshop.domain.models.base import utc_now
from workshop.domain.models.pack import DiscussActivity
from workshop.ui.panes.base import ActivityPane

# The session model's limit for one note; typing past it is refused, with a warning.
MAX_NOTE_CHARACTERS = 20_000


class DiscussPane(ActivityPane):
    """Question, prompts and a notes editor bound to the session's note for this activity."""

    def compose(self) -> ComposeResult:
        assert isinstance(self.activity, DiscussActivity)
        yield Static(Text(self.activity.question), classes="pane-question")
        if self.activity.prompts:
            yield Static(Text("\n".join(f"• {prompt}" for prompt in self.activity.prompts)), classes="pane-prompts")
        yield Static("Notes (saved as you type; Esc leaves the notes)", classes="pane-hint")
        note = self.session.note_for(self.activity.id or "")
        yield TextArea(note.text, id="notes", soft_wrap=True, read_only=self.read_only, show_line_numbers=False)

    def focus_input(self) -> bool:
        self.query_one("#notes", TextArea).focus()
        return True

    @on(TextArea.Changed, "#notes")
    def _typed(self, event: TextArea.Changed) -> None:
        event.stop()
        text = event.text_area.text
        if len(text) > MAX_NOTE_CHARACTERS:
            self.notify(f"A note holds at most {MAX_NOTE_CHARACTERS:,} characters; start another activity's notes.", severity="warning")
            return
        note = self.session.note_for(self.activity.id or "")
        if note.text != text:
            note.text = text
            note.updated_at = utc_now()
            self.changed()
