"""SVG snapshots of every screen at 80x24 and 120x40, on a fake clock.

Sessions live in a fixed folder so the path shown on the home screen is the same on
every machine. Update with `pytest tests/test_snapshots.py --snapshot-update` after
looking at what changed (snapshot_report.html).
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from apphelp import default_pack, make_app, write_session

from workshop.domain.timebox import FakeClock
from workshop.ui.screens.run import RunScreen

SIZES = [(80, 24), (120, 40)]
FIXED_ROOT = Path("/tmp/workshop-snapshots")


@pytest.fixture
def root():
    shutil.rmtree(FIXED_ROOT, ignore_errors=True)
    (FIXED_ROOT / "sessions").mkdir(parents=True)
    yield FIXED_ROOT
    shutil.rmtree(FIXED_ROOT, ignore_errors=True)


async def settle(pilot, seconds: float = 0.4) -> None:
    """Wait for the home screen's first read of the folder (a worker thread), then a bit."""
    for _ in range(100):
        if getattr(pilot.app.screen, "loads", 1):
            break
        await pilot.pause(0.05)
    await pilot.pause(seconds)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_home_empty(snap_compare, root, size):
    app = make_app(root, clock=FakeClock())
    assert snap_compare(app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_home_with_sessions_and_a_corrupt_file(snap_compare, root, size):
    folder = root / "sessions"
    write_session(folder, "Spring away-day", day=date(2025, 3, 12))
    write_session(folder, "Autumn review", day=date(2024, 10, 2), team="Finance", status="completed")
    write_session(folder, "Summer check-in [bold]not markup[/bold] | pipes", day=date(2024, 7, 1), status="paused")
    (folder / "2024-01-01-notes-zzzz.toml").write_text('title = "half\n', encoding="utf-8")
    app = make_app(root, clock=FakeClock())
    assert snap_compare(app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_setup_form(snap_compare, root, size):
    app = make_app(root, clock=FakeClock())

    async def fill(pilot):
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot, 0.2)
        await pilot.press(*"Spring away-day")
        form = app.screen
        form.query_one("#available").value = "3h"
        form.query_one("#start").value = "09:30"
        await settle(pilot, 0.2)

    assert snap_compare(app, terminal_size=size, run_before=fill)


def run_app(root: Path, pack=None, clock: FakeClock | None = None):
    path = write_session(root / "sessions", pack=pack, people=[("Amira Khan", "Director"), ("Jo Reed", "Head of early help")])
    return make_app(root, clock=clock or FakeClock(), open_path=path)


async def to_run_screen(pilot) -> RunScreen:
    for _ in range(60):
        await pilot.pause(0.05)
        if isinstance(pilot.app.screen, RunScreen):
            await pilot.pause(0.3)
            return pilot.app.screen
    raise AssertionError("no run screen")


# The demo pack's activities in order: read, rate, discuss, propose, break, vote, place, close.
KINDS = ["read", "rate", "discuss", "propose", "break", "vote", "place", "close"]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("kind", KINDS)
def test_run_screen_each_activity_kind(snap_compare, root, size, kind):
    clock = FakeClock()
    app = run_app(root, clock=clock)

    async def go(pilot):
        screen = await to_run_screen(pilot)
        for _ in range(KINDS.index(kind)):
            await pilot.press("n")
        await pilot.pause(0.3)
        if kind == "discuss":
            await pilot.press("i", *"Partners hold data we never see.", "escape")
        if kind == "propose":
            await pilot.press("i", *"A shared data dashboard", "enter", *"Monthly locality panels", "enter", "escape")
        await pilot.pause(0.3)
        assert screen.clock.current.kind == kind

    assert snap_compare(app, terminal_size=size, run_before=go)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("seconds, state", [(50, "warning"), (193, "overrun")])
def test_run_screen_countdown_states(snap_compare, root, size, seconds, state):
    clock = FakeClock()
    app = run_app(root, clock=clock)

    async def go(pilot):
        await to_run_screen(pilot)
        await pilot.press("space")
        clock.advance(seconds)
        await pilot.pause(0.5)

    assert snap_compare(app, terminal_size=size, run_before=go)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_run_screen_focus_mode(snap_compare, root, size):
    clock = FakeClock()
    app = run_app(root, clock=clock)

    async def go(pilot):
        await to_run_screen(pilot)
        await pilot.press("space")
        clock.advance(17)
        await pilot.press("f")
        await pilot.pause(0.5)

    assert snap_compare(app, terminal_size=size, run_before=go)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_run_screen_default_pack(snap_compare, root, size):
    app = run_app(root, pack=default_pack())
    assert snap_compare(app, terminal_size=size, run_before=to_run_screen)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_ballot_waiting_and_reveal(snap_compare, root, size):
    """A rating with two ballots cast (waiting for the rest), then a revealed dot vote."""
    from test_app_ballots import session_file

    path = session_file(root / "sessions", "passed")
    app = make_app(root, clock=FakeClock(), open_path=path)

    async def go(pilot):
        screen = await to_run_screen(pilot)
        target = next(a.id for _, a in screen.clock.activities if a.kind == "vote")
        screen.clock.jump(target)
        screen._changed(show=True)
        await pilot.pause(0.3)
        await pilot.press("i", "right", "right", "down", "right", "enter", "down", "right", "right", "enter", "r")
        await pilot.pause()
        await pilot.press("y")  # reveal with three still to vote
        await pilot.pause(0.4)

    assert snap_compare(app, terminal_size=size, run_before=go)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_rating_ballot_in_progress(snap_compare, root, size):
    from test_app_ballots import session_file

    path = session_file(root / "sessions", "passed")
    app = make_app(root, clock=FakeClock(), open_path=path)

    async def go(pilot):
        screen = await to_run_screen(pilot)
        await pilot.press("n", "i", "4", "3", "enter", "2")
        await pilot.pause(0.4)

    assert snap_compare(app, terminal_size=size, run_before=go)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_review_summary_of_a_completed_session(snap_compare, root, size):
    """The summary: priorities by horizon, ratings with spread, votes, notes, timings."""
    from test_export import demo_session

    from workshop.storage.store import create_session

    create_session(root / "sessions", demo_session())
    app = make_app(root, clock=FakeClock())

    async def go(pilot):
        await settle(pilot)
        await pilot.press("v")
        await pilot.pause(0.6)

    assert snap_compare(app, terminal_size=size, run_before=go)
