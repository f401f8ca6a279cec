"""Ask for one line of text in a small dialog; dismisses with the text or None."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class AskText(ModalScreen[str | None]):
    """One question, one line of text; Enter answers (blank allowed), Escape cancels.

    The caller checks the answer: every rule about what a field may hold stays in the
    domain. Given `validate` (the answer -> one line saying what is wrong, or None), the
    dialog asks it on Enter and, when it objects, stays open showing the reason, so a
    typing slip costs a correction rather than the whole answer.
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
    AskText .ask-error {
        color: $text-error;
        display: none;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="ask_text.cancel")]

    def __init__(
        self,
        question: str,
        *,
        value: str = "",
        placeholder: str = "",
        hint: str = "",
        max_length: int = 1000,
        validate: Callable[[str], str | None] | None = None,
    ):
        super().__init__()
        self.validate = validate
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
            yield Input(value=self.value, placeholder=self.placeholder, id="ask-text-value", max_length=self.max_length, compact=True, select_on_focus=False)
            if self.hint:
                yield Static(Text(self.hint), classes="ask-hint")
            yield Static("", classes="ask-error")

    def on_mount(self) -> None:
        field = self.query_one(Input)
        field.cursor_position = len(field.value)
        field.focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        problem = self.validate(event.value) if self.validate is not None else None
        if problem:
            self._show_problem(problem)
            return
        self.dismiss(event.value)

    @on(Input.Changed)
    def _edited(self, event: Input.Changed) -> None:
        # The complaint was about what was typed before; it goes once the text changes.
        event.stop()
        self._show_problem("")

    def _show_problem(self, problem: str) -> None:
        error = self.query_one(".ask-error", Static)
        error.update(Text(problem))
        error.display = bool(problem)

    def action_cancel(self) -> None:
        self.dismiss(None)
