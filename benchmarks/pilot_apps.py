"""Apps for the Pilot figures: the minimal ticking app, and workshop opened on a session."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from textual.app import App, ComposeResult
from textual.events import Key
from textual.widgets import Digits, Footer, Header, Static


class Minimal(App[None]):
    """Header, Digits ticking a clock, a Static showing what was typed, Footer."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Digits("", id="clock")
        yield Static("Type here", id="typed")
        yield Footer()

    def on_mount(self) -> None:
        self.typed = ""
        self.tick()
        self.set_interval(0.25, self.tick)

    def tick(self) -> None:
        self.query_one(Digits).update(datetime.now().strftime("%H:%M:%S"))

    def on_key(self, event: Key) -> None:
        if event.character and event.character.isprintable():
            self.typed += event.character
            self.query_one("#typed", Static).update(self.typed[-60:])


def minimal_app() -> App[None]:
    """The baseline app."""
    return Minimal()


def run_screen_app(folder: Path, home: Path, path: Path) -> App[int]:
    """workshop, opening `path` on the run screen."""
    from workshop.storage.packs import builtin_content_dir
    from workshop.ui.app import WorkshopApp

    return WorkshopApp(sessions_dir=folder, content_dir=builtin_content_dir(), open_path=path, settings_file=home / "settings.toml")
