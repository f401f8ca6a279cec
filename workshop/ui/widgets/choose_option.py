"""Choose one item from a list in a small dialog; dismisses with its key or None."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option


class ChooseOption(ModalScreen[str | None]):
    """A question over a list of (key, label) choices; Enter chooses, Escape cancels.

    Labels are shown literally (they are often people's texts), never as markup.
    """

    DEFAULT_CSS = """
    ChooseOption {
        align: center middle;
    }
    ChooseOption > Vertical {
        width: 70;
        max-width: 100%;
        height: auto;
        max-height: 80%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    ChooseOption OptionList {
        height: auto;
        max-height: 16;
        margin-top: 1;
    }
    ChooseOption .choose-hint {
        color: $text-muted;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="choose_option.cancel")]

    def __init__(self, question: str, choices: Sequence[tuple[str, str]], *, hint: str = "Enter chooses, Escape cancels."):
        super().__init__()
        self.question = question
        self.choices = list(choices)
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.question))
            yield OptionList(*(Option(Text(label), id=key) for key, label in self.choices), id="choices")
            if self.hint:
                yield Static(Text(self.hint), classes="choose-hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected, "#choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
