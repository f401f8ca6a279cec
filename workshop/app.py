"""The Textual application: screens, theme and the command palette."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.binding import Binding

from workshop import __version__


class WorkshopApp(App[int]):
    """`workshop` in the terminal: the home screen first, then whatever is opened."""

    CSS_PATH = "app.tcss"
    TITLE = "workshop"
    SUB_TITLE = f"resourceful leadership away-days · v{__version__}"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="quit", show=False, priority=True),
    ]

    def __init__(self, *, sessions_dir: Path, content_dir: Path, open_path: Path | None = None):
        super().__init__()
        self.sessions_dir = sessions_dir
        self.content_dir = content_dir
        self.open_path = open_path

    def on_mount(self) -> None:
        from workshop.screens.home import HomeScreen

        self.push_screen(HomeScreen())
