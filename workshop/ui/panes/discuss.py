"""A discussion: the question, its prompts, and notes saved as they are typed."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static, TextArea
from textual.widgets.text_area import EditResult, Location

from workshop.domain.errors import Refused
from workshop.domain.models.limits import NOTE_CHARACTERS
from workshop.domain.models.pack import DiscussActivity
from workshop.domain.opening_ratings import opening_ratings
from workshop.ui.panes.base import ActivityPane
from workshop.ui.widgets.length_note import LengthNote

# The lowest few are where the discussion starts; more would push the prompts (the steps
# of the discussion) out of sight on a small screen.
RATINGS_SHOWN = 3


class NotesArea(TextArea):
    """A text area that never holds more than `max_length` characters.

    Typing or pasting past the limit is refused (a paste keeps what fits) with one
    warning, not one a key press; deleting makes room and re-arms the warning. So what
    is on screen is always what can be saved.
    """

    def __init__(self, text: str = "", *, max_length: int, **kwargs: Any):
        super().__init__(text, **kwargs)
        self.max_length = max_length
        self._warned = False

    def _replace_via_keyboard(self, insert: str, start: Location, end: Location) -> EditResult | None:
        # Every key press, paste and clipboard paste that adds text arrives here.
        top, bottom = sorted((start, end))
        room = self.max_length - len(self.text) + len(self.get_text_range(top, bottom))
        if len(insert) > room:
            self._warn_full()
            insert = insert[: max(room, 0)]
            if not insert and top == bottom:
                return None
        result = super()._replace_via_keyboard(insert, start, end)
        self._rearm()
        return result

    def _delete_via_keyboard(self, start: Location, end: Location) -> EditResult | None:
        result = super()._delete_via_keyboard(start, end)
        self._rearm()
        return result

    def _rearm(self) -> None:
        # Once there is room again, the next refusal deserves a warning of its own.
        if len(self.text) < self.max_length:
            self._warned = False

    def _warn_full(self) -> None:
        if not self._warned:
            self._warned = True
            self.notify(f"A note holds at most {self.max_length:,} characters.", severity="warning")


class DiscussPane(ActivityPane):
    """Question, opening ratings, prompts and a notes editor bound to the session's note."""

    DEFAULT_CSS = """
    /* Ratings and prompts can be long: they scroll, so the notes always keep room for a
       few lines (at 80x24 one line left a typed sentence out of sight). */
    DiscussPane #discuss-top {
        height: auto;
        max-height: 50%;
    }
    DiscussPane .pane-ratings {
        margin-bottom: 1;
    }
    DiscussPane NotesArea {
        min-height: 6;
    }
    """

    def compose(self) -> ComposeResult:
        assert isinstance(self.activity, DiscussActivity)
        with VerticalScroll(id="discuss-top", can_focus=False):
            yield Static(Text(self.activity.question), classes="pane-question")
            if self.activity.ratings:
                yield Static(self._ratings(), classes="pane-ratings")
            if self.activity.prompts:
                yield Static(Text("\n".join(f"• {prompt}" for prompt in self.activity.prompts)), classes="pane-prompts")
        yield Static("Notes (saved as you type; Esc leaves the notes)", classes="pane-hint")
        # Read only: showing the pane must not create a note.
        text = self.editor.note_text(self.activity.id or "")
        yield NotesArea(text, max_length=NOTE_CHARACTERS, id="notes", soft_wrap=True, read_only=self.read_only, show_line_numbers=False)
        yield LengthNote(NOTE_CHARACTERS, id="notes-length")

    def on_mount(self) -> None:
        # (Textual calls the base class's on_mount too: it listens to the editor.)
        self.query_one("#notes-length", LengthNote).show(len(self.query_one("#notes", TextArea).text))

    def _ratings(self) -> Text:
        """The revealed ratings this discussion opens with, lowest and most divided first."""
        assert isinstance(self.activity, DiscussActivity)
        results = opening_ratings(self.session, self.activity.ratings)
        if not results:
            return Text("Our ratings show here, lowest first, once they are revealed.", style="dim")
        out = Text("Our ratings, lowest and most divided first:\n", style="dim")
        for result in results[:RATINGS_SHOWN]:
            summary = result.summary
            out.append(f"  median {summary.median:g} · spread {summary.spread}  ", style="bold")
            if summary.low_agreement:
                out.append("LOW AGREEMENT  ", style="bold yellow")
            out.append(f"{result.question.prompt}\n")
        if len(results) > RATINGS_SHOWN:
            out.append(f"  and {len(results) - RATINGS_SHOWN} more, higher or closer together, in the ratings' results", style="dim")
        out.rstrip()
        return out

    def focus_input(self) -> bool:
        self.query_one("#notes", TextArea).focus()
        return True

    @on(TextArea.Changed, "#notes")
    def _typed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.query_one("#notes-length", LengthNote).show(len(event.text_area.text))
        if self.read_only:
            return
        try:
            self.editor.set_note(self.activity.id or "", event.text_area.text)
        except Refused as error:
            self.notify(error.reason, severity="warning", markup=False)
