"""Panes that present and capture nothing: read, break, close."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown, OptionList, Static

from workshop.domain.models.pack import BreakActivity, CloseActivity, ReadActivity
from workshop.domain.operations import Change
from workshop.domain.report import session_markdown
from workshop.ui.panes.base import ActivityPane
from workshop.ui.panes.parking import ParkingReview


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


class ClosePane(ActivityPane):
    """The close: the parking lot to review, the activity's text, then an account of the
    session so far."""

    def compose(self) -> ComposeResult:
        assert isinstance(self.activity, CloseActivity)
        if self.session.parking_lot:
            yield ParkingReview(self.editor, read_only=self.read_only)
        with VerticalScroll(classes="pane-scroll"):
            if self.activity.text:
                yield Markdown(self.activity.text)
            yield Markdown(session_markdown(self.session), id="close-summary")

    def session_changed(self, change: Change) -> None:
        # A parked item decided: the list and the account below both say so.
        if change.area == "parking":
            reviews = list(self.query(ParkingReview).results(ParkingReview))
            for review in reviews:
                review.redraw()
            if not reviews:  # the first item was parked during the close itself
                self.mount(ParkingReview(self.editor, read_only=self.read_only), before=0)
            self.query_one("#close-summary", Markdown).update(session_markdown(self.session))

    def focus_input(self) -> bool:
        """The parking lot's list, where Enter decides an item (if anything was parked)."""
        for options in self.query("#parking-list").results(OptionList):
            options.focus()
            return True
        return False
