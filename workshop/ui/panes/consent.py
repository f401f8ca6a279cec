"""The decision step after the dot vote: a consent check on the top priorities.

The decision rule (who decides, what the dots mean) stands at the top, where the room
reads it before answering. The facilitator moves through the priorities with the arrows:
1 agreed, 2 objected (asks for the reason, which is recorded), 0 asks again. Every answer
is an editor operation, saved at once as a decision of the room.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import OptionList, Static

from workshop.domain.consent import ConsentItem, answer_text, consent_items
from workshop.domain.errors import Refused
from workshop.domain.models.limits import LINE_TEXT_CHARACTERS
from workshop.domain.models.pack import ConsentActivity
from workshop.domain.operations import Change
from workshop.ui.panes.base import ActivityPane
from workshop.ui.widgets.ask_text import AskText

NOT_REVEALED = "The vote before this step has not been revealed yet: go back (p), reveal it, then come here."
CONSENT_HINT = "i, then ↑↓ · 1 agreed · 2 objected (with the reason) · 0 ask again"


def consent_row(item: ConsentItem) -> Text:
    """One priority: its answer so far, its text, its place and dots."""
    row = Text()
    answer = answer_text(item.consent)
    style = "dim" if item.consent is None else ("bold green" if item.consent.answer == "agreed" else "bold red")
    row.append(("Agreed" if item.consent and item.consent.answer == "agreed" else "Objected" if item.consent else "Not asked").ljust(10), style=style)
    row.append(" ")
    row.append(item.proposal.text)
    row.append(f"  ({item.dots} dot{'s' if item.dots != 1 else ''})", style="dim")
    if item.consent is not None and item.consent.answer == "objected":
        row.append(f"\n           {answer}", style="italic")
    return row


class ConsentList(OptionList):
    """The top priorities; the answer keys go to the pane."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "answer('agreed')", "Agreed", id="consent.agreed"),
        Binding("2", "answer('objected')", "Objected", id="consent.objected"),
        Binding("0", "answer('clear')", "Ask again", id="consent.clear", show=False),
    ]

    def action_answer(self, answer: str) -> None:
        pane = next((node for node in self.ancestors if isinstance(node, ConsentPane)), None)
        if pane is not None:
            pane.answer(answer)


class ConsentPane(ActivityPane):
    """The decision rule, the prompt and the top priorities with their answers."""

    DEFAULT_CSS = """
    ConsentPane #consent-rule { height: auto; margin-bottom: 1; text-style: bold; }
    ConsentPane #consent-status { height: auto; }
    ConsentPane ConsentList { height: 1fr; min-height: 3; }
    """

    @property
    def consent(self) -> ConsentActivity:
        assert isinstance(self.activity, ConsentActivity)
        return self.activity

    def compose(self) -> ComposeResult:
        yield Static(Text(f"Decision rule: {self.consent.decision_rule}"), id="consent-rule")
        yield Static(Text(self.consent.prompt), classes="pane-question")
        yield Static("", id="consent-status")
        yield ConsentList(id="consent-list")
        yield Static(CONSENT_HINT if not self.read_only else "", classes="pane-hint", id="consent-hint")

    def on_mount(self) -> None:
        # (Textual also runs ActivityPane.on_mount, which listens for changes.)
        self.refresh_list()

    def items(self) -> list[ConsentItem]:
        """The priorities asked about, as the session has them now."""
        return consent_items(self.session, self.consent)

    def focus_input(self) -> bool:
        listing = self.query_one(ConsentList)
        if not listing.display:
            return False
        listing.focus()
        return True

    def session_changed(self, change: Change) -> None:
        if change.area in ("consent", "rounds", "proposals"):
            self.refresh_list()

    def refresh_list(self) -> None:
        """Show the answers as they stand, keeping the highlighted row."""
        listing = self.query_one(ConsentList)
        highlighted = listing.highlighted or 0
        listing.clear_options()
        items = self.items()
        status = self.query_one("#consent-status", Static)
        listing.display = bool(items)
        self.query_one("#consent-hint", Static).display = bool(items)
        if not items:
            status.update(NOT_REVEALED)
            return
        for item in items:
            listing.add_option(consent_row(item))
        listing.highlighted = min(highlighted, listing.option_count - 1)
        agreed = sum(1 for item in items if item.consent and item.consent.answer == "agreed")
        objected = sum(1 for item in items if item.consent and item.consent.answer == "objected")
        status.update(Text(f"{len(items)} priorities · {agreed} agreed · {objected} objected to · {len(items) - agreed - objected} to ask"))

    def answer(self, answer: str) -> None:
        """Record `answer` for the highlighted priority ("objected" asks for the reason)."""
        if self.read_only:
            self.notify("This session is open read-only.", severity="warning", timeout=4)
            return
        listing = self.query_one(ConsentList)
        items = self.items()
        if listing.highlighted is None or not items:
            return
        item = items[listing.highlighted]
        activity_id = str(self.consent.id)
        if answer == "objected":

            def with_reason(reason: str | None) -> None:
                if reason and reason.strip():
                    self._record(lambda: self.editor.record_consent(activity_id, item.proposal.id, "objected", reason))

            current = item.consent.reason if item.consent is not None else ""
            self.app.push_screen(
                AskText(
                    f"The objection to “{item.proposal.text}”: what is the reason?",
                    value=current,
                    max_length=LINE_TEXT_CHARACTERS,
                    hint="Recorded in the report with the priority.",
                ),
                with_reason,
            )
            return
        if answer == "clear":
            self._record(lambda: self.editor.clear_consent(activity_id, item.proposal.id))
        else:
            self._record(lambda: self.editor.record_consent(activity_id, item.proposal.id, "agreed"))
            if listing.highlighted is not None and listing.highlighted < listing.option_count - 1:
                listing.highlighted += 1

    def _record(self, operation: Callable[[], object]) -> None:
        try:
            operation()
        except Refused as error:
            self.notify(error.reason, severity="error", timeout=6, markup=False)
