"""SVG snapshots of every screen at 80x24 and 120x40, on a fake clock.

Each test runs in its own `tmp_path` (see conftest.py), where the app's sessions folder
is `sessions`: the path the home screen shows is the same on every machine, and two runs
at once never share a file. Update with `pytest tests/test_snapshots.py --snapshot-update`
after looking at what changed (snapshot_report.html).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from apphelp import (
    ballot_session,
    default_pack,
    go_to_activity,
    home_ready,
    make_app,
    run_ready,
    screen_ready,
    wait_until,
    write_session,
)
from textual.widgets import Input

from workshop.domain.timebox import FakeClock
from workshop.ui.screens.setup import SetupScreen
from workshop.ui.widgets.bigclock import BigClock
from workshop.ui.widgets.stage_line import countdown_of

HERE = Path(".")


SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_home_empty(snap_compare, size):
    app = make_app(HERE, clock=FakeClock())
    assert snap_compare(app, terminal_size=size, run_before=home_ready)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_home_with_sessions_and_a_corrupt_file(snap_compare, size):
    folder = HERE / "sessions"
    write_session(folder, "Spring away-day", day=date(2025, 3, 12))
    write_session(folder, "Autumn review", day=date(2024, 10, 2), team="Finance", status="completed")
    write_session(folder, "Summer check-in [bold]not markup[/bold] | pipes", day=date(2024, 7, 1), status="paused")
    (folder / "2024-01-01-notes-zzzz.toml").write_text('title = "half\n', encoding="utf-8")
    app = make_app(HERE, clock=FakeClock())
    assert snap_compare(app, terminal_size=size, run_before=home_ready)


async def press_tab_to(pilot, field_id: str) -> None:
    """Move the focus with tab, as the facilitator does, until it reaches `field_id`."""
    for _ in range(60):
        if getattr(pilot.app.focused, "id", None) == field_id:
            return
        await pilot.press("tab")
    raise AssertionError(f"tab never reached #{field_id}")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_setup_form(snap_compare, size):
    app = make_app(HERE, clock=FakeClock())

    async def fill(pilot):
        await home_ready(pilot)
        await pilot.press("n")
        await screen_ready(pilot, SetupScreen)
        await press_tab_to(pilot, "title")
        await pilot.press(*"Spring away-day")
        await press_tab_to(pilot, "available")
        await pilot.press("3", "h")
        await press_tab_to(pilot, "start")
        await pilot.press(*"09:30")
        form = app.screen
        await wait_until(pilot, lambda: form.query_one("#start", Input).value == "09:30", "the start time typed")

    assert snap_compare(app, terminal_size=size, run_before=fill)


def run_app(pack=None, clock: FakeClock | None = None):
    path = write_session(HERE / "sessions", pack=pack, people=[("Amira Khan", "Director"), ("Jo Reed", "Head of early help")])
    return make_app(HERE, clock=clock or FakeClock(), open_path=path)


def clock_shows(screen, phase: str | None = None):
    """A condition: the big countdown shows what the clock says (and is in `phase`)."""

    def shown() -> bool:
        # The stage's countdown where the activity has stages, else the activity's.
        text, now = countdown_of(screen.clock)
        countdown = screen.query_one(BigClock)
        return countdown.text == text and (phase is None or (now == phase and countdown.has_class(f"-{phase}")))

    return shown


# Each kind of the demo pack's activities, snapshotted at its first activity of that kind.
KINDS = ["read", "rate", "discuss", "propose", "break", "vote", "consent", "place", "close"]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("kind", KINDS)
def test_run_screen_each_activity_kind(snap_compare, size, kind):
    clock = FakeClock()
    app = run_app(clock=clock)

    async def go(pilot):
        screen = await run_ready(pilot)
        # Counted from the agenda, so a step added to the demo pack moves no snapshot to another kind.
        first = next(index for index, (_, activity) in enumerate(screen.clock.activities) if activity.kind == kind)
        for _ in range(first):
            await pilot.press("n")
        await wait_until(pilot, lambda: screen.clock.current.kind == kind, f"the {kind} activity")
        await run_ready(pilot)
        if kind == "discuss":
            await pilot.press("i", *"Partners hold data we never see.", "escape")
        if kind == "propose":
            await pilot.press("i", *"A shared data dashboard", "enter", *"Monthly locality panels", "enter", "escape")
        if kind == "break":
            # "Back at" is filled in by the next redraw after the pane is mounted.
            await wait_until(pilot, lambda: str(screen.query_one("#break-back").render()).startswith("Back at"), "the time we are back")
        await wait_until(pilot, clock_shows(screen), "the countdown")

    assert snap_compare(app, terminal_size=size, run_before=go)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("seconds, state", [(50, "warning"), (193, "overrun")])
def test_run_screen_countdown_states(snap_compare, size, seconds, state):
    clock = FakeClock()
    app = run_app(clock=clock)

    async def go(pilot):
        screen = await run_ready(pilot)
        await pilot.press("space")
        await wait_until(pilot, lambda: screen.clock.running, "the clock to start")
        clock.advance(seconds)
        phase = {"warning": "warning", "overrun": "over"}[state]
        await wait_until(pilot, clock_shows(screen, phase), f"the countdown to show {state}")

    assert snap_compare(app, terminal_size=size, run_before=go)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_run_screen_focus_mode(snap_compare, size):
    clock = FakeClock()
    app = run_app(clock=clock)

    async def go(pilot):
        screen = await run_ready(pilot)
        await pilot.press("space")
        await wait_until(pilot, lambda: screen.clock.running, "the clock to start")
        clock.advance(17)
        await pilot.press("f")
        await wait_until(pilot, lambda: screen.has_class("-focus-mode"), "focus mode")
        await wait_until(pilot, clock_shows(screen), "the countdown")

    assert snap_compare(app, terminal_size=size, run_before=go)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_run_screen_default_pack(snap_compare, size):
    app = run_app(pack=default_pack())
    assert snap_compare(app, terminal_size=size, run_before=run_ready)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_ballot_waiting_and_reveal(snap_compare, size):
    """A dot vote passed round the keyboard: two ballots cast, then revealed."""
    path = ballot_session(HERE / "sessions", "passed")
    app = make_app(HERE, clock=FakeClock(), open_path=path)

    async def go(pilot):
        screen = await go_to_activity(pilot, "vote")
        await pilot.press("i", "right", "right", "down", "right", "enter", "space", "down", "right", "right", "enter", "space", "r")
        await pilot.pause()
        await pilot.press("y")  # reveal with three still to vote
        await wait_until(pilot, lambda: screen.query_one("VotePane").has_class("-revealed"), "the reveal")

    assert snap_compare(app, terminal_size=size, run_before=go)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_rating_ballot_in_progress(snap_compare, size):
    path = ballot_session(HERE / "sessions", "passed")
    app = make_app(HERE, clock=FakeClock(), open_path=path)

    async def go(pilot):
        screen = await run_ready(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: screen.clock.current.kind == "rate", "the rate activity")
        screen = await run_ready(pilot)
        await pilot.press("i", "4", "3", "enter", "space", "2")  # space: the keyboard is passed on
        pane = screen.query_one("RatePane")
        await wait_until(pilot, lambda: pane.draft, "the second voter's first answer")

    assert snap_compare(app, terminal_size=size, run_before=go)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_review_summary_of_a_completed_session(snap_compare, size):
    """The summary: priorities by horizon, ratings with spread, votes, notes, timings."""
    from test_export import demo_session

    from workshop.storage.store import create_session
    from workshop.ui.screens.review import ReviewScreen

    create_session(HERE / "sessions", demo_session())
    app = make_app(HERE, clock=FakeClock())

    async def go(pilot):
        await home_ready(pilot)
        await pilot.press("v")
        await screen_ready(pilot, ReviewScreen)

    assert snap_compare(app, terminal_size=size, run_before=go)
