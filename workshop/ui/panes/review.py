"""A follow-up's first activity: what became of each priority agreed last time.

The facilitator moves through the earlier priorities with the arrows and marks the
highlighted one with a key: 1 done, 2 in progress, 3 dropped, 4 carried forward (it
becomes a proposal of this session, so the room can vote on it again), 0 back to not
reviewed. A mark leaves the cursor where it is, so the room sees the mark it just gave
and the arrows alone move on (marks that also moved the cursor landed on the wrong
priority for anyone following "↑↓ and 1-4"). Every mark is an editor operation
(`set_review_status`), saved at once as a decision of the room.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import OptionList, Static

from workshop.domain.errors import Refused
from workshop.domain.follow_up import review_summary
from workshop.domain.models.pack import ReviewActivity
from workshop.domain.models.session import HORIZON_LABELS, REVIEW_STATUS_LABELS, EarlierPriority
from workshop.domain.operations import Change
from workshop.ui.panes.base import ActivityPane
from workshop.ui.undo import record_step

STATUS_STYLES: dict[str, str] = {
    "unreviewed": "dim",
    "done": "bold green",
    "in-progress": "bold yellow",
    "dropped": "bold red",
    "carried-forward": "bold cyan",
}
NOTHING_TO_REVIEW = "The earlier session placed no priorities on the board, so there is nothing to review: press n to move on."
REVIEW_HINT = "i, then ↑↓ choose and 1-4 mark it (0 clears) · a carried one becomes a proposal"


def review_row(priority: EarlierPriority, width: int = 15) -> Text:
    """One earlier priority as the list shows it: its status, text, horizon, owner, mark."""
    row = Text()
    row.append(REVIEW_STATUS_LABELS[priority.status].ljust(width), style=STATUS_STYLES[priority.status])
    row.append(" ")
    # A person's text: plain Text, never markup.
    row.append(priority.text)
    facts = [HORIZON_LABELS[priority.horizon]]
    if priority.owner:
        facts.append(priority.owner)
    if priority.protected:
        facts.append("protected")
    row.append(f"  ({' · '.join(facts)})", style="dim")
    return row


class ReviewList(OptionList):
    """The earlier priorities; the status keys go to the pane."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "mark('done')", "Done", id="review.done"),
        Binding("2", "mark('in-progress')", "In progress", id="review.in_progress"),
        Binding("3", "mark('dropped')", "Dropped", id="review.dropped"),
        Binding("4", "mark('carried-forward')", "Carry forward", id="review.carry"),
        Binding("0", "mark('unreviewed')", "Not reviewed", id="review.unmark", show=False),
    ]

    def action_mark(self, status: str) -> None:
        pane = next((node for node in self.ancestors if isinstance(node, ReviewPane)), None)
        if pane is not None:
            pane.mark(status)


class ReviewPane(ActivityPane):
    """The earlier priorities and their review statuses."""

    DEFAULT_CSS = """
    ReviewPane #review-status { height: auto; margin-bottom: 1; }
    ReviewPane ReviewList { height: 1fr; min-height: 3; }
    """

    def compose(self) -> ComposeResult:
        prompt = self.activity.prompt if isinstance(self.activity, ReviewActivity) else self.activity.title
        yield Static(Text(prompt), classes="pane-question")
        yield Static("", id="review-status")
        yield ReviewList(id="review-list")
        yield Static(REVIEW_HINT if not self.read_only else "", classes="pane-hint", id="review-hint")

    def on_mount(self) -> None:
        self.refresh_list()

    def focus_input(self) -> bool:
        self.query_one(ReviewList).focus()
        return True

    def refresh_list(self) -> None:
        """Show the priorities as the session has them now, keeping the highlighted row.

        Rows are rewritten in place when the list is the same length: rebuilding it
        would reset the cursor and could swallow an arrow pressed just after a mark."""
        listing = self.query_one(ReviewList)
        priorities = self.session.earlier_priorities
        status = self.query_one("#review-status", Static)
        if not priorities:
            status.update(NOTHING_TO_REVIEW)
            listing.display = False
            self.query_one("#review-hint", Static).display = False
            return
        if listing.option_count == len(priorities):
            for index, priority in enumerate(priorities):
                listing.replace_option_prompt_at_index(index, review_row(priority))
        else:
            highlighted = listing.highlighted or 0
            listing.clear_options()
            listing.add_options(review_row(priority) for priority in priorities)
            listing.highlighted = min(highlighted, listing.option_count - 1)
        status.update(Text(f"{len(priorities)} from last time · {review_summary(self.session)}"))

    def session_changed(self, change: Change) -> None:
        # A mark from anywhere (this pane, an undo) is shown where the cursor is.
        if change.area == "review":
            self.refresh_list()

    def mark(self, status: str) -> None:
        """Give the highlighted priority `status`; a refusal is shown, never raised."""
        if self.read_only:
            self.notify("This session is open read-only.", severity="warning", timeout=4)
            return
        listing = self.query_one(ReviewList)
        priorities = self.session.earlier_priorities
        if listing.highlighted is None or not priorities:
            return
        priority = priorities[listing.highlighted]
        before = priority.status
        try:
            self.editor.set_review_status(priority.id, status)
        except Refused as error:
            self.notify(error.reason, severity="error", timeout=6, markup=False)
            return
        record_step(self, "Follow-up mark", lambda: self.editor.set_review_status(priority.id, before))
