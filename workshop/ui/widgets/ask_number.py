"""Ask for a whole number in a small dialog; dismisses with the number or None.

The input takes any text and the dialog judges it: an integer-only input would drop a
typed "." and read "1.5" as 15, so a decimal is refused with its reason instead.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class AskNumber(ModalScreen[int | None]):
    """One question, one number between `low` and `high`; Escape cancels."""

    DEFAULT_CSS = """
    AskNumber {
        align: center middle;
    }
    AskNumber > Vertical {
        width: 60;
        height: auto;
        border: thick $primary;
        background: $surface;
        padding: 1 2;
    }
    AskNumber #ask-error {
        color: $error;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="ask.cancel")]

    def __init__(self, question: str, *, low: int, high: int):
        super().__init__()
        self.question = question
        self.low = low
        self.high = high

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.question))
            yield Input(placeholder=f"{self.low} to {self.high}, then Enter", id="ask-value", max_length=len(str(self.high)) + 4)
            yield Static("", id="ask-error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        problem = whole_number_problem(event.value, self.low, self.high)
        if problem:
            # The dialog stays open with the reason, so the facilitator can correct it.
            self.query_one("#ask-error", Static).update(Text(problem))
            return
        self.dismiss(int(event.value.strip()))

    def action_cancel(self) -> None:
        self.dismiss(None)


def whole_number_problem(text: str, low: int, high: int) -> str:
    """Why `text` is not a whole number from `low` to `high`, or "" when it is one."""
    value = text.strip()
    if not value:
        return f"Type a whole number from {low} to {high}."
    if any(mark in value for mark in ".,") and value.replace(".", "").replace(",", "").isascii() and value.replace(".", "").replace(",", "").isdigit():
        return f"Whole minutes only: {value} is not a whole number. Type a whole number from {low} to {high}."
    if not (value.isascii() and value.isdigit()):
        return f"'{value}' is not a whole number. Type a whole number from {low} to {high}."
    if not low <= int(value) <= high:
        return f"{value} is out of range. Type a whole number from {low} to {high}."
    return ""
