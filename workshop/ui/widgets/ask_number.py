"""Ask for a whole number in a small dialog; dismisses with the number or None."""

from __future__ import annotations

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
            yield Static(self.question)
            yield Input(type="integer", placeholder=f"{self.low} to {self.high}, then Enter", id="ask-value", max_length=4)
            yield Static("", id="ask-error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        try:
            value = int(event.value)
        except ValueError:
            value = None
        if value is None or not self.low <= value <= self.high:
            self.query_one("#ask-error", Static).update(f"Type a whole number from {self.low} to {self.high}.")
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)
