"""The Textual application: screens, theme and the command palette."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.filter import LineFilter
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import Worker

from workshop import __version__
from workshop.storage.settings import (
    DEFAULT_THEME,
    HIGH_CONTRAST_THEME,
    Settings,
    load_settings,
    save_settings,
)
from workshop.ui import session_opening
from workshop.ui.collector import CHECK_SECONDS, Collector
from workshop.ui.failures import report_failed_worker
from workshop.ui.key_order import KeysInOrder, held_kind
from workshop.ui.session_opening import SessionOpened

if TYPE_CHECKING:
    # The domain (pydantic models, the store) is imported where it is first used, off
    # the first frame's path; see benchmarks/startup.py.
    from workshop.domain.timebox import FakeClock
    from workshop.service.console_turn import ConsoleTurn
    from workshop.storage.packs import Catalogue
    from workshop.storage.store import LoadedSession
    from workshop.ui.screens.setup import SetupResult


# After SIGTERM or SIGHUP the process is gone within this, whatever blocks.
SIGNAL_EXIT_SECONDS = 3.0


class WorkshopApp(App[int]):
    """`workshop` in the terminal: the home screen first, then whatever is opened."""

    CSS_PATH = "app.tcss"
    TITLE = "workshop"
    SUB_TITLE = f"resourceful leadership away-days · v{__version__}"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", show=False, priority=True),
        Binding("ctrl+t", "toggle_contrast", "Contrast", id="app.contrast"),
        Binding("question_mark", "show_keys", "Keys", id="app.keys", show=False),
    ]

    def __init__(
        self,
        *,
        sessions_dir: Path,
        content_dir: Path,
        open_path: Path | None = None,
        settings_file: Path | None = None,
        clock: FakeClock | None = None,
        join_at: tuple[str, int] | None = None,
        room_at: tuple[str, int] | None = None,
        opened: LoadedSession | None = None,
    ):
        """`opened`: `open_path` already opened by `workshop open` (read once, not twice)."""
        super().__init__()
        # `open --join HOST:PORT`: the run screen starts letting phones join (once).
        self.join_at = join_at
        self.room_at = room_at
        # Lines for the terminal once the app has exited (an emergency copy, a version
        # changed outside the app and kept beside its file): see `cli._run_app`.
        self.exit_notes: list[str] = []
        self.opened = opened
        # Tests pass a FakeClock so time boxes and snapshots do not depend on the machine.
        self.clock = clock
        self.sessions_dir = sessions_dir
        self.content_dir = content_dir
        self.open_path = open_path
        self.settings_file = settings_file
        self.settings: Settings = load_settings(settings_file)
        self._normal_theme = self.settings.theme if self.settings.theme != HIGH_CONTRAST_THEME else DEFAULT_THEME
        # Full garbage collections wait for a quiet moment (see `workshop.ui.collector`).
        self.collector = Collector()
        self.keys_in_order = KeysInOrder(self, self._hand_over_key, dealt_with=self._keys_dealt_with)
        # Told of each key, so phones' submissions wait while one is answered (made with
        # the first session opened: see `workshop.service.console_turn`).
        self.console_turn: ConsoleTurn | None = None

    def get_default_screen(self) -> Screen[Any]:
        # The home screen is the app's first screen itself, not pushed over Textual's
        # blank default one, which was composed, laid out and drawn for nothing first.
        # With a session `workshop open` has opened already, the run screen comes first
        # and the home screen is built when it closes (`after_run`): listed and drawn
        # under the run screen, it held about 5 MB all day for nobody to see.
        if self.opened is not None:
            return Screen(id="waiting-for-home")
        from workshop.ui.screens.home import HomeScreen

        return HomeScreen()

    def on_mount(self) -> None:
        from workshop.ui.bench_stamp import stamp
        from workshop.ui.themes import HIGH_CONTRAST

        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGHUP):
            try:
                loop.add_signal_handler(signum, self._on_signal, signum)
            except (NotImplementedError, RuntimeError, ValueError):  # not on this platform
                pass

        self.collector.start()
        self.set_interval(CHECK_SECONDS, self.collector.tick, name="full-collections")
        self.register_theme(HIGH_CONTRAST)
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.call_after_refresh(stamp, "frame")
        if self.open_path is not None and self.opened is not None:
            self.post_message(SessionOpened(self.open_path, "open", loaded=self.opened))
        elif self.open_path is not None:
            self.open_session(self.open_path)

    def on_unmount(self) -> None:
        self.collector.stop()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.Paste)):
            self.collector.touched()
        if held_kind(event):
            if self.console_turn is not None:
                self.console_turn.key_pressed()
            # One at a time, in the order typed (see `workshop.ui.key_order`).
            await self.keys_in_order.take(event)
            return
        await super().on_event(event)

    async def _hand_over_key(self, event: events.Event) -> None:
        await super().on_event(event)

    def _keys_dealt_with(self) -> None:
        """Every key typed so far has been dealt with: once the screen shows it, phones may go on."""
        if self.console_turn is not None:
            self.call_after_refresh(self.console_turn.keys_answered)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place a failed worker (file work, off the UI thread) reaches the facilitator.

        Workers run with exit_on_error=False: a failure is one line, never a crash and
        never an exception's class name. A `WorkshopError` says what went wrong itself.
        """
        report_failed_worker(self, event)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Show a toast, always literally: messages carry titles, names and proposals people
        typed, and `[/]` in one must neither crash the app nor turn text red."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def get_line_filters(self) -> Sequence[LineFilter]:
        filters = super().get_line_filters()
        if self.theme == HIGH_CONTRAST_THEME:
            from workshop.ui.themes import FULL_STRENGTH

            # First, before any filter that turns dim into a colour.
            return [FULL_STRENGTH, *filters]
        return filters

    # -- theme -----------------------------------------------------------------------

    def action_toggle_contrast(self) -> None:
        """Switch to the high-contrast theme, or back to the theme chosen before it."""
        if self.theme == HIGH_CONTRAST_THEME:
            self.theme = self._normal_theme if self._normal_theme in self.available_themes else DEFAULT_THEME
        else:
            self.theme = HIGH_CONTRAST_THEME

    def watch_theme(self, theme: str) -> None:
        if theme != HIGH_CONTRAST_THEME:
            # A theme picked in the palette is the one ctrl+t comes back to.
            self._normal_theme = theme
        if theme != self.settings.theme:
            self.settings.theme = theme
            self._save_settings()

    def remember_bell(self, on: bool) -> None:
        """Keep the facilitator's bell choice for the next session and the next start."""
        if self.settings.bell != on:
            self.settings.bell = on
            self._save_settings()

    @work(thread=True, exit_on_error=False, group="settings")
    def _save_settings(self) -> None:
        try:
            save_settings(self.settings, self.settings_file)
        except OSError as error:
            self.call_from_thread(self.notify, f"Could not remember the settings: {error.strerror or error}", severity="warning")

    # -- command palette -------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("High-contrast theme", "Switch between the normal and the high-contrast theme (ctrl+t)", self.action_toggle_contrast)
        from workshop.ui.commands import key_commands

        yield from key_commands(screen)

    def action_show_keys(self) -> None:
        """List every key of the current screen, including those the Footer has no room for."""
        from workshop.ui.commands import key_entries
        from workshop.ui.widgets.keys_help import KeysHelp

        if isinstance(self.screen, KeysHelp):
            return
        self.push_screen(KeysHelp(self.screen.title or self.title, key_entries(self.screen)))

    # -- navigation ------------------------------------------------------------------

    def new_session(self, catalogue: Catalogue | None = None) -> None:
        """Open the setup form for a new session."""
        from workshop.storage.packs import discover
        from workshop.ui.screens.setup import SetupScreen

        catalogue = catalogue if catalogue is not None and catalogue.entries else discover(self.content_dir)
        if not catalogue.entries:
            self.notify(f"No workshop packs found (looked in {self.content_dir} and the built-in packs).", severity="error")
            return
        self.push_screen(SetupScreen(catalogue, sessions_dir=self.sessions_dir), self._after_setup)

    def _after_setup(self, saved: SetupResult | None) -> None:
        """A new session planned for today opens on the run screen; another day's waits at home."""
        from workshop.ui.screens.home import HomeScreen

        if saved is None:
            return
        if isinstance(self.screen, HomeScreen):
            self.screen.action_reload(select=saved.path)
        if saved.for_today:
            # Straight onto the run screen, which shows the session: a "Saved" toast there
            # would only cover the first reading for seconds.
            self.open_session(saved.path)
        else:
            self.notify(f"Saved {saved.path.name}: it is planned for another day, so it waits here (Enter opens it).", timeout=6, markup=False)

    def after_edit(self, saved: SetupResult | None) -> None:
        """Back from editing a planned session in the setup form."""
        from workshop.ui.screens.home import HomeScreen

        if saved is not None:
            self.notify(f"Saved {saved.path.name}", timeout=5, markup=False)
        if isinstance(self.screen, HomeScreen):
            self.screen.action_reload(select=saved.path if saved else None)

    def edit_session(self, path: Path, catalogue: Catalogue | None = None) -> None:
        """Open a planned session in the setup form (locked while edited)."""
        self._read_session(path, "edit", read_only=False, catalogue=catalogue)

    def open_session(self, path: Path, status: str | None = None) -> None:
        """Open a session: a planned one for editing, any other for review."""
        self._read_session(path, "open", read_only=False)

    def review_session(self, path: Path) -> None:
        """Show a session read-only."""
        self._read_session(path, "review", read_only=True)

    @work(thread=True, exit_on_error=False, group="open-session")
    def _read_session(self, path: Path, purpose: str, read_only: bool, catalogue: Catalogue | None = None) -> None:
        self.post_message(session_opening.read(path, purpose, read_only, self.content_dir, catalogue))

    @on(SessionOpened)
    def _session_opened(self, message: SessionOpened) -> None:
        session_opening.show(self, message)

    def after_run(self, _: object = None) -> None:
        """Back from a session's screen: the home screen lists the folder again (built now if it never was)."""
        from workshop.ui.screens.home import HomeScreen

        if isinstance(self.screen, HomeScreen):
            self.screen.action_reload()
        elif self.screen.id == "waiting-for-home":
            # Over the blank first screen (Textual cannot switch that one out): nothing pops it.
            self.push_screen(HomeScreen())

    # -- leaving -----------------------------------------------------------------------

    def close_open_sessions(self, timeout: float = 10.0) -> bool:
        """Save and release every session open on a screen; True when all were saved."""
        saved = True
        for screen in self.screen_stack:
            close = getattr(screen, "close_session", None)
            if close is not None:
                saved = close(timeout=timeout) and saved
        return saved

    async def action_quit(self) -> None:
        """Quit, but never past a session that could not be saved without the facilitator's say."""
        from workshop.ui.screens.run import RunScreen

        running = [screen for screen in self.screen_stack if isinstance(screen, RunScreen)]
        if running:
            running[-1].leave_safely(self._quit_after_leaving)
            return
        self._quit_after_leaving()

    def _quit_after_leaving(self) -> None:
        self.close_open_sessions()
        self.exit(0)

    def _on_signal(self, signum: int) -> None:
        # The terminal closed (SIGHUP) or someone asked us to stop (SIGTERM): save first.
        # With the terminal gone, Textual's own shutdown can block for ever writing to it;
        # the session is saved by then (atomically), so a watchdog ends the process.
        watchdog = threading.Timer(SIGNAL_EXIT_SECONDS, os._exit, (128 + signum,))
        watchdog.daemon = True
        watchdog.start()
        self.close_open_sessions(timeout=SIGNAL_EXIT_SECONDS / 2)
        self.exit(128 + signum, return_code=128 + signum)
