"""A discussion: the question, its prompts, and notes saved as they are typed."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Static, TextArea

from workshop.domain.errors import Refused
from workshop.domain.models.pack import DiscussActivity
from workshop.ui.panes.base import ActivityPane


class DiscussPane(ActivityPane):
    """Question, prompts and a notes editor bound to the session's note for this activity."""

    def compose(self) -> ComposeResult:
        assert isinstance(self.activity, DiscussActivity)
        yield Static(Text(self.activity.question), classes="pane-question")
        if self.activity.prompts:
            yield Static(Text("\n".join(f"• {prompt}" for prompt in self.activity.prompts)), classes="pane-prompts")
        yield Static("Notes (saved as you type; Esc leaves the notes)", classes="pane-hint")
        # Read only: showing the pane must not create a note.
        text = self.editor.note_text(self.activity.id or "")
        yield TextArea(text, id="notes", soft_wrap=True, read_only=self.read_only, show_line_numbers=False)

    def focus_input(self) -> bool:
        self.query_one("#notes", TextArea).focus()
        return True

    @on(TextArea.Changed, "#notes")
    def _typed(self, event: TextArea.Changed) -> None:
        event.stop()
        if self.read_only:
            return
        try:
            self.editor.set_note(self.activity.id or "", event.text_area.text)
        except Refused as error:
            self.notify(error.reason, severity="warning", markup=False)
