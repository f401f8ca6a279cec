"""Leaving while the session cannot be saved: the facilitator chooses, nothing is lost silently."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

RETRY = "retry"
COPY = "copy"
DISCARD = "discard"


class UnsavedChoice(ModalScreen[str | None]):
    """Retry, save a copy elsewhere, or discard; Escape stays on the session."""

    DEFAULT_CSS = """
    UnsavedChoice {
        align: center middle;
    }
    UnsavedChoice > Vertical {
        width: 76;
        max-width: 100%;
        height: auto;
        border: thick $error;
        background: $surface;
        padding: 1 2;
    }
    UnsavedChoice #unsaved-reason {
        margin-bottom: 1;
    }
    UnsavedChoice Horizontal {
        height: auto;
    }
    UnsavedChoice Button {
        margin-right: 1;
    }
    """

    BINDINGS = [
        Binding("r", f"choose('{RETRY}')", "Retry", id="unsaved.retry"),
        Binding("c", f"choose('{COPY}')", "Save a copy", id="unsaved.copy"),
        Binding("d", f"choose('{DISCARD}')", "Discard", id="unsaved.discard"),
        Binding("escape", "choose('')", "Stay", id="unsaved.stay"),
    ]

    def __init__(self, reason: str):
        super().__init__()
        self.reason = reason

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("The session could not be saved", style="bold"))
            # The reason names a file and a disk error: shown literally.
            yield Static(Text(self.reason), id="unsaved-reason")
            yield Static(
                "Leaving now would lose what was not saved. Retry once there is room, save a copy "
                "elsewhere (a USB stick, another folder), or discard the changes. Esc stays here."
            )
            with Horizontal():
                yield Button("Retry (r)", id=RETRY, variant="primary")
                yield Button("Save a copy (c)", id=COPY)
                yield Button("Discard (d)", id=DISCARD, variant="error")

    def on_mount(self) -> None:
        self.query_one(f"#{RETRY}", Button).focus()

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice or None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)
