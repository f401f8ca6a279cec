"""Ask for one line of text in a small dialog; dismisses with the text or None."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class AskText(ModalScreen[str | None]):
    """One question, one line of text; Enter answers (blank allowed), Escape cancels.

    The caller checks the answer: the dialog only collects it, so every rule about what
    a field may hold stays in the model.
    """

    DEFAULT_CSS = """
    AskText {
        align: center middle;
    }
    AskText > Vertical {
        width: 70;
        max-width: 100%;
        height: auto;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    AskText .ask-hint {
        color: $text-muted;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="ask_text.cancel")]

    def __init__(self, question: str, *, value: str = "", placeholder: str = "", hint: str = "", max_length: int = 1000):
        super().__init__()
        self.question = question
        self.value = value
        self.placeholder = placeholder
        self.hint = hint
        self.max_length = max_length

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.question))
            # No select-all on focus: the first key typed would replace the whole text, and
            # most answers are small corrections to it. The cursor starts after the text.
            yield Input(value=self.value, placeholder=self.placeholder, id="ask-text-value", max_length=self.max_length,
                        compact=True, select_on_focus=False)
            if self.hint:
                yield Static(Text(self.hint), classes="ask-hint")

    def on_mount(self) -> None:
        field = self.query_one(Input)
        field.cursor_position = len(field.value)
        field.focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
