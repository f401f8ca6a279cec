"""Panes that present and capture nothing: read, break, close, and not-yet-built kinds."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown, Static

from workshop.domain.models.pack import BreakActivity, CloseActivity, ReadActivity
from workshop.domain.report import session_markdown
from workshop.ui.panes.base import ActivityPane


class ReadPane(ActivityPane):
    """The activity's Markdown text, scrollable."""

    def compose(self) -> ComposeResult:
        assert isinstance(self.activity, ReadActivity)
        with VerticalScroll(classes="pane-scroll"):
            yield Markdown(self.activity.text)


class BreakPane(ActivityPane):
    """A break: what the countdown means, in words."""

    def compose(self) -> ComposeResult:
        assert isinstance(self.activity, BreakActivity)
        yield Static("Break", classes="pane-question break-title")
        yield Static(
            self.activity.text or "Time to stretch, get a drink and talk. The countdown shows when we start again.",
            id="break-text",
        )
        yield Static("", id="break-back")

    def show_back_at(self, text: str) -> None:
        """Called by the run screen with the time of day the break ends."""
        # The run screen may call this before the pane has composed its children.
        for label in self.query("#break-back").results(Static):
            label.update(text)


class ClosePane(ActivityPane):
    """The close: the activity's text, then an account of the session so far."""

    def compose(self) -> ComposeResult:
        assert isinstance(self.activity, CloseActivity)
        with VerticalScroll(classes="pane-scroll"):
            if self.activity.text:
                yield Markdown(self.activity.text)
            yield Markdown(session_markdown(self.session), id="close-summary")


PENDING_TEXT = {
    "rate": "Rating is not built yet: ask the room to rate each question aloud and note the answers in a discussion's notes.",
    "vote": "Dot voting is not built yet: run the vote on paper or a flip chart.",
    "place": "The horizon board is not built yet: place the priorities on a flip chart.",
}


class PendingPane(ActivityPane):
    """A kind of activity whose flow the app does not offer yet, said plainly."""

    def compose(self) -> ComposeResult:
        yield Static(self.activity.title, classes="pane-question")
        yield Static(PENDING_TEXT.get(self.activity.kind, "This kind of activity has no view yet."))
