"""The home screen: past and in-progress sessions, newest first, and the packs to hand."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from workshop.content import Catalogue, discover
from workshop.store import SessionSummary, UnreadableFile, list_sessions


class HomeScreen(Screen[None]):
    """Lists sessions; the place every journey starts and ends."""

    BINDINGS = [
        Binding("q", "app.quit", "Quit", id="home.quit"),
        Binding("r", "reload", "Reload", id="home.reload"),
    ]

    @dataclass
    class Loaded(Message):
        """The sessions folder and packs were read (in a worker thread)."""

        items: list[SessionSummary | UnreadableFile]
        catalogue: Catalogue

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home-body"):
            yield Static("Loading sessions…", id="home-intro")
            yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
            yield Static("", id="packs")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#sessions", DataTable)
        table.add_columns("Title", "Team", "Date", "Status", "Done", "Saved")
        self.action_reload()

    def action_reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True)
    def _load(self) -> None:
        app = self.app
        folder = app.sessions_dir  # type: ignore[attr-defined]
        items = list_sessions(folder) if folder.is_dir() else []
        catalogue = discover(app.content_dir)  # type: ignore[attr-defined]
        self.post_message(self.Loaded(items, catalogue))

    @on(Loaded)
    def _show(self, message: Loaded) -> None:
        table = self.query_one("#sessions", DataTable)
        table.clear()
        for item in message.items:
            if isinstance(item, UnreadableFile):
                table.add_row(item.path.name, "", "", "unreadable", "", item.error[:60], key=str(item.path))
            else:
                table.add_row(
                    item.title,
                    item.team,
                    item.date.isoformat(),
                    item.status,
                    f"{item.progress}%",
                    item.updated_at.astimezone().strftime("%d %b %H:%M"),
                    key=str(item.path),
                )
        intro = self.query_one("#home-intro", Static)
        folder = self.app.sessions_dir  # type: ignore[attr-defined]
        if message.items:
            intro.update(f"Sessions in {folder}, newest first.")
        else:
            intro.update(
                "No sessions yet.\n"
                "Create one from the command line:\n"
                "  workshop new --title \"Away-day\" --participant \"Name:Role\"\n"
                f"Sessions are kept in {folder}."
            )
        table.display = bool(message.items)
        lines = ["Workshops available:"]
        for entry in message.catalogue.entries:
            hours, minutes = divmod(entry.pack.minutes, 60)
            lines.append(f"  • {entry.pack.title} ({entry.pack.id}), {hours}h{minutes:02d}")
        self.query_one("#packs", Static).update("\n".join(lines))
