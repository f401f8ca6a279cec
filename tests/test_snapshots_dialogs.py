"""SVG snapshots of the dialogs, the command palette, editing a planned session, the
read-only views and the high-contrast theme, at 80x24 and 120x40.

Every state is reached the way a facilitator reaches it (keys, or the app's public
API where no key leads there), on a fake clock, in the test's own folder.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from apphelp import (
    ballot_session,
    go_to_activity,
    home_ready,
    make_app,
    run_ready,
    screen_ready,
    wait_until,
    write_session,
)
from textual.command import CommandPalette

from workshop.domain.timebox import FakeClock
from workshop.storage.locking import acquire, lock_path_for
from workshop.storage.settings import HIGH_CONTRAST_THEME
from workshop.ui.screens.home import HomeScreen
from workshop.ui.screens.review import ReviewScreen
from workshop.ui.screens.run import RunScreen
from workshop.ui.screens.setup import SetupScreen
from workshop.ui.widgets.ask_number import AskNumber
from workshop.ui.widgets.ask_text import AskText
from workshop.ui.widgets.confirm import Confirm
from workshop.ui.widgets.who_is_here import WhoIsHere

SIZES = [(80, 24), (120, 40)]
HERE = Path(".")
by_size = pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")


def home_with_sessions():
    """A planned, a paused and a completed session; the planned one is newest (highlighted)."""
    folder = HERE / "sessions"
    planned = write_session(folder, "Spring away-day", day=date(2025, 3, 12))
    write_session(folder, "Autumn review", day=date(2024, 10, 2), team="Finance", status="completed")
    write_session(folder, "Summer check-in", day=date(2024, 7, 1), status="paused")
    return planned


async def palette_ready(pilot):
    """The command palette once it has gathered its commands (a worker)."""
    await wait_until(
        pilot,
        lambda: isinstance(pilot.app.screen, CommandPalette) and pilot.app.screen.has_class("-ready"),
        "the command palette's commands",
    )


# -- dialogs --------------------------------------------------------------------------


@by_size
def test_confirm_archive(snap_compare, size):
    """Confirm: archiving the highlighted session asks first (a)."""
    home_with_sessions()
    app = make_app(HERE, clock=FakeClock())

    async def go(pilot):
        await home_ready(pilot)
        await pilot.press("a")
        await screen_ready(pilot, Confirm)

    assert snap_compare(app, terminal_size=size, run_before=go)


@by_size
def test_confirm_withdraw_a_ballot(snap_compare, size):
    """Confirm: w asks before taking back the ballot just cast, naming whose (a named round)."""
    path = ballot_session(HERE / "sessions", "named")
    app = make_app(HERE, clock=FakeClock(), open_path=path)

    async def go(pilot):
        screen = await go_to_activity(pilot, "rate")
        await pilot.press("i", "4", "3", "enter")
        await wait_until(pilot, lambda: screen.session.rating_rounds and screen.session.rating_rounds[0].ballots, "the ballot cast")
        await pilot.press("w")
        dialog = await screen_ready(pilot, Confirm)
        assert "ballot?" in str(dialog.question)

    assert snap_compare(app, terminal_size=size, run_before=go)


@by_size
def test_ask_text_late_arrival(snap_compare, size):
    """AskText: a late arrival's name, half typed, over a rating ballot (l)."""
    path = ballot_session(HERE / "sessions", "named")
    app = make_app(HERE, clock=FakeClock(), open_path=path)

    async def go(pilot):
        await go_to_activity(pilot, "rate")
        await pilot.press("i", "l")
        dialog = await screen_ready(pilot, AskText)
        await pilot.press(*"Kim La")
        await wait_until(pilot, lambda: dialog.query_one("Input").value == "Kim La", "the name typed")

    assert snap_compare(app, terminal_size=size, run_before=go)


@by_size
def test_who_is_here_with_someone_left(snap_compare, size):
    """WhoIsHere: the participants during the day (t), one of them marked as left."""
    path = ballot_session(HERE / "sessions", "named")
    app = make_app(HERE, clock=FakeClock(), open_path=path)

    async def go(pilot):
        screen = await run_ready(pilot)
        await pilot.press("t")
        await screen_ready(pilot, WhoIsHere)
        await pilot.press("down", "down", "space")
        await wait_until(pilot, lambda: not screen.session.participants[2].present, "the third marked as left")
        # Its toast lasts 3 s of real time: cleared, so the picture does not depend on how fast this ran.
        app.clear_notifications()
        await wait_until(pilot, lambda: not app.query("Toast"), "the toast gone")

    assert snap_compare(app, terminal_size=size, run_before=go)


@by_size
def test_ask_number_refuses_a_decimal(snap_compare, size):
    """AskNumber: extend the time box by (x); 1.5 minutes is refused with the reason."""
    app = make_app(HERE, clock=FakeClock(), open_path=write_session(HERE / "sessions"))

    async def go(pilot):
        await run_ready(pilot)
        await pilot.press("x")
        dialog = await screen_ready(pilot, AskNumber)
        await pilot.press("1", "full_stop", "5", "enter")
        await wait_until(pilot, lambda: "whole number" in str(dialog.query_one("#ask-error").render()), "the refusal")

    assert snap_compare(app, terminal_size=size, run_before=go)


def hold_lock_as_someone_else(path: Path):
    """Hold the session's lock, recorded as another laptop's, so the question is the same every run."""
    lock = acquire(path)
    record = {"pid": 4242, "host": "facilitator-laptop", "since": "2025-03-14T08:55:00+00:00"}
    lock_path_for(path).write_text(json.dumps(record) + "\n", encoding="utf-8")
    return lock


@by_size
def test_locked_elsewhere_question(snap_compare, size):
    """Opening a session another workshop has open asks: read-only, or cancel."""
    path = write_session(HERE / "sessions", status="paused")
    lock = hold_lock_as_someone_else(path)
    app = make_app(HERE, clock=FakeClock(), open_path=path)

    async def go(pilot):
        dialog = await screen_ready(pilot, Confirm)
        assert "facilitator-laptop" in dialog.question
        # The sessions list under the question is read in a worker: wait for it too.
        home = next(screen for screen in pilot.app.screen_stack if isinstance(screen, HomeScreen))
        await wait_until(pilot, lambda: home.loads > 0, "the sessions list under the question")

    try:
        assert snap_compare(app, terminal_size=size, run_before=go)
    finally:
        lock.release()


# -- read-only ------------------------------------------------------------------------


@by_size
def test_read_only_because_locked_elsewhere(snap_compare, size):
    """Answering yes to the lock question shows the session read-only."""
    path = write_session(HERE / "sessions", status="paused")
    lock = hold_lock_as_someone_else(path)
    app = make_app(HERE, clock=FakeClock(), open_path=path)

    async def go(pilot):
        await screen_ready(pilot, Confirm)
        await pilot.press("y")
        await screen_ready(pilot, ReviewScreen)

    try:
        assert snap_compare(app, terminal_size=size, run_before=go)
    finally:
        lock.release()


@by_size
def test_read_only_newer_schema(snap_compare, size):
    """A file from a newer workshop opens read-only, saying why."""
    path = write_session(HERE / "sessions", status="paused")
    text = path.read_text(encoding="utf-8")
    assert "\nschema = 1\n" in text  # after the listing's line
    newer = text.replace("\nschema = 1\n", "\nschema = 99\n", 1)
    path.write_text(newer, encoding="utf-8")
    app = make_app(HERE, clock=FakeClock(), open_path=path)

    async def go(pilot):
        screen = await screen_ready(pilot, (ReviewScreen, RunScreen))
        assert screen.loaded.read_only

    assert snap_compare(app, terminal_size=size, run_before=go)
    assert path.read_text(encoding="utf-8") == newer, "a newer file must never be rewritten"


@by_size
def test_read_only_run_screen(snap_compare, size):
    """The run screen on a session open read-only: no clock keys, 'read-only' in the status."""
    from workshop.service import OpenSession
    from workshop.storage.store import open_session

    path = ballot_session(HERE / "sessions", "named")
    before = path.read_bytes()
    clock = FakeClock()
    app = make_app(HERE, clock=clock)

    async def go(pilot):
        # The app shows read-only sessions on the review screen; the run screen's own
        # read-only mode is reached through its public constructor.
        await home_ready(pilot)
        app.push_screen(RunScreen(OpenSession(open_session(path, read_only=True), monotonic=clock.monotonic, wall=clock.wall)))
        screen = await run_ready(pilot)
        assert screen.saver.read_only

    assert snap_compare(app, terminal_size=size, run_before=go)
    assert path.read_bytes() == before


# -- command palette ------------------------------------------------------------------


@by_size
def test_command_palette_on_home(snap_compare, size):
    home_with_sessions()
    app = make_app(HERE, clock=FakeClock())

    async def go(pilot):
        await home_ready(pilot)
        await pilot.press("ctrl+p")
        await palette_ready(pilot)

    assert snap_compare(app, terminal_size=size, run_before=go)


@by_size
def test_command_palette_on_run_screen(snap_compare, size):
    app = make_app(HERE, clock=FakeClock(), open_path=write_session(HERE / "sessions"))

    async def go(pilot):
        await run_ready(pilot)
        await pilot.press("ctrl+p")
        await palette_ready(pilot)

    assert snap_compare(app, terminal_size=size, run_before=go)


# -- setup in edit mode ---------------------------------------------------------------


@by_size
def test_setup_editing_a_planned_session(snap_compare, size):
    """e on a planned session opens the form with its details, to change before the day."""
    home_with_sessions()
    app = make_app(HERE, clock=FakeClock())

    async def go(pilot):
        home = await home_ready(pilot)
        assert home.selected is not None and home.selected.status == "planned"
        await pilot.press("e")
        form = await screen_ready(pilot, SetupScreen)
        assert form.loaded is not None

    assert snap_compare(app, terminal_size=size, run_before=go)


# -- high contrast --------------------------------------------------------------------


@by_size
def test_high_contrast_home(snap_compare, size):
    home_with_sessions()
    app = make_app(HERE, clock=FakeClock())

    async def go(pilot):
        await home_ready(pilot)
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: app.theme == HIGH_CONTRAST_THEME, "the high-contrast theme")

    assert snap_compare(app, terminal_size=size, run_before=go)


@by_size
def test_high_contrast_run_screen(snap_compare, size):
    clock = FakeClock()
    app = make_app(HERE, clock=clock, open_path=write_session(HERE / "sessions"))

    async def go(pilot):
        screen = await run_ready(pilot)
        await pilot.press("ctrl+t")
        await pilot.press("space")
        clock.advance(50)  # into the warning colour, which must read well in high contrast
        await wait_until(pilot, lambda: app.theme == HIGH_CONTRAST_THEME and screen.query_one("#countdown").has_class("-warning"), "the high-contrast warning")

    assert snap_compare(app, terminal_size=size, run_before=go)
