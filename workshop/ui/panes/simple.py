"""Panes that present and capture nothing: read and break (the close is in `close`)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from workshop.domain.models.pack import BreakActivity, ReadActivity
from workshop.ui.panes.base import ActivityPane


class ReadPane(ActivityPane):
    """The activity's Markdown text, scrollable."""

    def compose(self) -> ComposeResult:
        # Imported here: Markdown brings its parser (markdown-it) and its highlighter, which
        # a run screen showing no reading would otherwise hold all day.
        from textual.widgets import Markdown

        assert isinstance(self.activity, ReadActivity)
        with VerticalScroll(classes="pane-scroll"):
            yield Markdown(self.activity.text)


class BreakPane(ActivityPane):
    """A break: what the countdown means, in words."""

    def compose(self) -> ComposeResult:
        assert isinstance(self.activity, BreakActivity)
        # The minutes come from the agenda (tuned in setup), never from the text.
        minutes = self.activity.minutes
        yield Static(f"Break: {minutes} minute{'s' if minutes != 1 else ''}", classes="pane-question break-title")
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
