"""A session read-only: its account as the report shows it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Markdown, Static

from workshop.domain.report import session_markdown
from workshop.storage.store import LoadedSession
from workshop.ui.screens.base import WorkshopScreen


class ReviewScreen(WorkshopScreen[None]):
    """Shows a session without changing it; releases its lock when closed."""

    BINDINGS = [
        Binding("escape,q", "close", "Back", id="review.back"),
    ]

    def __init__(self, loaded: LoadedSession):
        super().__init__()
        self.loaded = loaded

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text(f"Review (read-only) · {self.loaded.path.name}"), id="review-title")
        with VerticalScroll(id="review-body"):
            yield Markdown(session_markdown(self.loaded.session))
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#review-body").focus()

    def action_close(self) -> None:
        self.loaded.close()
        self.dismiss(None)
