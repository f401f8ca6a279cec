"""Opening a session file from the console: read off the UI thread, then the screen it goes to.

The app asks (`WorkshopApp.open_session`, `edit_session`, `review_session`); a worker reads
and locks the file (`read`) and posts what it found (`SessionOpened`), which `show` takes
to the setup form (a planned session to edit), the run screen (one to run), the review
screen (anything else), or one line saying why it cannot be opened.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    # Imported where used: the domain and the store stay off the first frame's path.
    from workshop.storage.locking import LockedElsewhere
    from workshop.storage.packs import Catalogue
    from workshop.storage.store import LoadedSession
    from workshop.ui.app import WorkshopApp


@dataclass
class SessionOpened(Message):
    """A session file was read in a worker thread (or could not be)."""

    path: Path
    purpose: str
    loaded: LoadedSession | None = None
    error: str | None = None
    locked: LockedElsewhere | None = None
    catalogue: Catalogue | None = None


def read(path: Path, purpose: str, read_only: bool, content_dir: Path, catalogue: Catalogue | None = None) -> SessionOpened:
    """Open and lock `path` (in a worker thread) for `purpose` ("open", "edit", "review")."""
    from workshop.storage.locking import LockedElsewhere, LockError
    from workshop.storage.store import open_session, unreadable_message
    from workshop.storage.tomlsafe import FileProblems

    if purpose == "edit" and catalogue is None:
        # The home screen lists the packs without validating them; setup needs them validated.
        from workshop.storage.packs import discover

        catalogue = discover(content_dir)
    try:
        loaded = open_session(path, read_only=read_only)
    except LockedElsewhere as locked:
        return SessionOpened(path, purpose, locked=locked)
    except LockError as error:
        return SessionOpened(path, purpose, error=str(error))
    except FileProblems as problems:
        # Names a readable .bak beside it, if there is one.
        return SessionOpened(path, purpose, error=unreadable_message(path, problems))
    return SessionOpened(path, purpose, loaded=loaded, catalogue=catalogue)


def show(app: WorkshopApp, message: SessionOpened) -> None:
    """The screen for what `read` found, or a line saying why not."""
    from workshop.ui.widgets.confirm import Confirm

    if message.error:
        app.notify(message.error, severity="error", timeout=8)
        return
    if message.locked is not None:

        def answered(yes: bool | None) -> None:
            if yes:
                app.review_session(message.path)

        app.push_screen(Confirm(str(message.locked), yes="Open read-only", no="Cancel"), answered)
        return
    loaded = message.loaded
    assert loaded is not None
    if loaded.reason and not loaded.reason.startswith("open read-only"):
        app.notify(f"{loaded.path.name}: {loaded.reason}", severity="warning", timeout=8)
    status = loaded.session.status
    if message.purpose == "edit":
        if status == "planned" and not loaded.read_only:
            from workshop.storage.packs import Catalogue
            from workshop.ui.screens.setup import SetupScreen

            catalogue = message.catalogue or Catalogue()
            app.push_screen(SetupScreen(catalogue, loaded=loaded, sessions_dir=app.sessions_dir), app.after_edit)
            return
        loaded.close()
        app.notify("Only a planned session can be edited; this one has started.", severity="warning")
        return
    if message.purpose == "open" and status != "completed" and not loaded.read_only:
        _run(app, loaded)
        return
    from workshop.ui.screens.review import ReviewScreen

    app.push_screen(ReviewScreen(loaded), app.after_run)


def _run(app: WorkshopApp, loaded: LoadedSession) -> None:
    """The run screen on the session, opened behind every front end (`OpenSession`)."""
    from workshop.service import OpenSession
    from workshop.service.console_turn import ConsoleTurn
    from workshop.ui.screens.run import RunScreen

    if app.clock is not None:
        app.console_turn = app.console_turn or ConsoleTurn(app.clock.monotonic)
        opened = OpenSession(loaded, monotonic=app.clock.monotonic, wall=app.clock.wall, console=app.console_turn)
    else:
        app.console_turn = app.console_turn or ConsoleTurn()
        opened = OpenSession(loaded, console=app.console_turn)
    app.push_screen(RunScreen(opened, bell=app.settings.bell), app.after_run)
    # Once it is drawn, what building it left in reference cycles (see `collect_now`).
    app.call_after_refresh(app.collector.collect_now)
