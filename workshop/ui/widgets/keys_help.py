"""`?`: every key of the screen in one list, those that do not apply now dimmed."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from workshop.ui.commands import KeyEntry


class KeysHelp(ModalScreen[None]):
    """The keys of the screen below, as a table; any key closes it."""

    DEFAULT_CSS = """
    KeysHelp {
        align: center middle;
    }
    KeysHelp > Vertical {
        width: auto;
        min-width: 40;
        max-width: 90%;
        height: auto;
        max-height: 90%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    KeysHelp VerticalScroll {
        height: auto;
        max-height: 1fr;
    }
    KeysHelp #keys-hint {
        color: $text-muted;
    }
    """

    BINDINGS = [Binding("escape,question_mark,q,enter", "close", "Close", id="keys.close")]

    def __init__(self, title: str, entries: list[KeyEntry]):
        super().__init__()
        self.heading = title
        self.entries = entries

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for entry in self.entries:
            style = "" if entry.enabled else "dim"
            description = entry.description + ("" if entry.enabled else " (not now)")
            table.add_row(Text(entry.keys, style=style), Text(description, style=style))
        with Vertical():
            yield Static(Text(f"Keys: {self.heading}", style="bold"))
            with VerticalScroll():
                yield Static(table)
            yield Static("Every key is also in the command palette (ctrl+p). Esc closes.", id="keys-hint")

    def action_close(self) -> None:
        self.dismiss(None)
