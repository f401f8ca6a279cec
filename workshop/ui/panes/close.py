"""The close: the activity's text, what the close decided, then an account of the session so far.

The facilitator records the close's decisions here with one key each: who must agree
the priorities (w), by when (d), the next review (v), and each person's check-out (c,
round the room). Every answer goes through the `SessionEditor`; a refusal (a date
before the day) is shown in the dialog, which stays open for a correction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Markdown, OptionList, Static

from workshop.domain.errors import Refused
from workshop.domain.models.limits import LINE_TEXT_CHARACTERS
from workshop.domain.models.pack import CloseActivity
from workshop.domain.models.session import Session
from workshop.domain.operations import Change
from workshop.domain.render.document import day_words
from workshop.domain.report import session_markdown
from workshop.ui.panes.base import ActivityPane
from workshop.ui.panes.parking import ParkingReview

KEYS_HINT = "w who must agree · d by when · v next review · c check-out round"


def decisions_text(session: Session) -> Text:
    """What the close has recorded so far, in three short lines."""
    closing = session.closing
    out = Text()
    out.append("Who must agree: ", style="bold")
    out.append(closing.approvers or "not recorded yet")
    out.append("\nBy: ", style="bold")
    out.append(day_words(closing.agree_by) if closing.agree_by else "no date yet")
    out.append(" · Next review: ", style="bold")
    out.append(day_words(closing.next_review) if closing.next_review else "no date yet")
    present = [p for p in session.participants if p.present]
    out.append("\nCheck-outs: ", style="bold")
    out.append(f"{len(closing.check_out)} of {len(present)} recorded")
    return out


class ClosePane(ActivityPane):
    """The close: its text, the decisions it records (keys w, d, v, c), and the account."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "approvers", "Who agrees", id="close.approvers"),
        Binding("d", "agree_by", "By when", id="close.agree_by"),
        Binding("v", "next_review", "Next review", id="close.next_review"),
        Binding("c", "check_out", "Check-out", id="close.check_out"),
    ]

    DEFAULT_CSS = """
    ClosePane #close-decisions {
        border-left: thick $accent;
        padding: 0 1;
        margin-bottom: 1;
    }
    """

    def compose(self) -> ComposeResult:
        assert isinstance(self.activity, CloseActivity)
        if self.session.parking_lot:
            yield ParkingReview(self.editor, read_only=self.read_only)
        with VerticalScroll(classes="pane-scroll", id="close-scroll"):
            if self.activity.text:
                yield Markdown(self.activity.text)
            yield Static(decisions_text(self.session), id="close-decisions")
            if not self.read_only:
                yield Static(KEYS_HINT, classes="pane-hint", id="close-keys")
            yield Markdown(session_markdown(self.session), id="close-summary")

    def on_mount(self) -> None:
        super().on_mount()
        # The close's keys work at once, as a ballot's do, without pressing Type first.
        self.query_one("#close-scroll", VerticalScroll).focus()

    def focus_input(self) -> bool:
        # The parking lot's list first, where Enter decides an item (if anything was parked).
        for options in self.query("#parking-list").results(OptionList):
            options.focus()
            return True
        self.query_one("#close-scroll", VerticalScroll).focus()
        return True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("approvers", "agree_by", "next_review", "check_out") and self.read_only:
            return False
        return True

    def session_changed(self, change: Change) -> None:
        if change.area == "parking":
            # A parked item decided: the list and the account below both say so.
            reviews = list(self.query(ParkingReview).results(ParkingReview))
            for review in reviews:
                review.redraw()
            if not reviews:  # the first item was parked during the close itself
                self.mount(ParkingReview(self.editor, read_only=self.read_only), before=0)
            self.query_one("#close-summary", Markdown).update(session_markdown(self.session))
        if change.area == "closing":
            self.query_one("#close-decisions", Static).update(decisions_text(self.session))
            self.query_one("#close-summary", Markdown).update(session_markdown(self.session))

    # -- the keys ------------------------------------------------------------------------

    def _ask(self, question: str, value: str, apply: Callable[[str], object], *, hint: str = "", then: Callable[[str | None], None] | None = None) -> None:
        """Ask one line; `apply` it through the editor when Enter is pressed.

        The operation is the only judge of what is valid, so the dialog's check runs it:
        a refusal stays in the dialog as one line, a success closes it.
        """
        from workshop.ui.widgets.ask_text import AskText

        def check(text: str) -> str | None:
            try:
                apply(text)
            except Refused as error:
                return error.reason
            return None

        self.app.push_screen(AskText(question, value=value, hint=hint, max_length=LINE_TEXT_CHARACTERS, validate=check), then)

    def action_approvers(self) -> None:
        self._ask(
            "Who must agree these priorities before they stand?",
            self.session.closing.approvers,
            self.editor.set_approvers,
            hint="For example: the chief executive and the lead member. Blank clears it.",
        )

    def action_agree_by(self) -> None:
        current = self.session.closing.agree_by
        self._ask(
            "By when must they agree? (YYYY-MM-DD)",
            current.isoformat() if current else "",
            self.editor.set_agree_by,
            hint="Not before the day of the session. Blank clears it.",
        )

    def action_next_review(self) -> None:
        current = self.session.closing.next_review
        self._ask(
            "When do we meet to review progress? (YYYY-MM-DD)",
            current.isoformat() if current else "",
            self.editor.set_next_review,
            hint="Not before the day of the session. Blank clears it.",
        )

    def action_check_out(self) -> None:
        """Round the room: each person present in turn; Escape ends the round."""
        people = [p for p in self.session.participants if p.present]
        if not people:
            self.notify("Nobody is marked present to check out.", severity="warning", timeout=3)
            return

        def ask(index: int) -> None:
            if index >= len(people):
                self.notify("Everyone's check-out is recorded.", timeout=2.5)
                return
            person = people[index]

            def answered(text: str | None) -> None:
                if text is not None:
                    ask(index + 1)

            self._ask(
                f"{person.name}: what will you do next? ({index + 1} of {len(people)})",
                self.editor.check_out_text(person.id),
                lambda text: self.editor.set_check_out(person.id, text),
                hint="One line. Enter moves to the next person; Escape ends the round.",
                then=answered,
            )

        ask(0)
