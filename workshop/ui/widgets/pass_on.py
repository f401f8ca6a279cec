"""Between two voters in a secret round: "pass to the next person", until a key is pressed.

The console may be mirrored to the projector. This screen hides the ballot just cast
while the laptop changes hands, and the key that dismisses it is used up here, so it
never lands on the next person's ballot.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class PassOn(ModalScreen[None]):
    """Says the ballot is in and whom to pass to (nobody by name when anonymous)."""

    DEFAULT_CSS = """
    PassOn {
        align: center middle;
        background: $background;
    }
    PassOn > Vertical {
        width: 56;
        max-width: 100%;
        height: auto;
        border: thick $accent;
        background: $surface;
        padding: 1 2;
    }
    PassOn #pass-title {
        text-style: bold;
        text-align: center;
        margin-bottom: 1;
    }
    PassOn #pass-hint {
        color: $text-muted;
        text-align: center;
    }
    """

    def __init__(self, *, cast: int, eligible: int, next_name: str | None):
        super().__init__()
        self.cast = cast
        self.eligible = eligible
        self.next_name = next_name

    def compose(self) -> ComposeResult:
        whom = f"Pass the keyboard to {self.next_name}" if self.next_name else "Pass the keyboard to the next person"
        with Vertical():
            # A Text: a name is shown as typed, never read as markup.
            yield Static(Text(f"Ballot cast ({self.cast} of {self.eligible}).\n{whom}."), id="pass-title")
            yield Static("Press any key when they are ready.", id="pass-hint")

    def on_key(self, event: events.Key) -> None:
        # Any key: used up here, so it never reaches the next ballot.
        event.stop()
        event.prevent_default()
        self.dismiss(None)
