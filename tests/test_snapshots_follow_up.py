"""SVG snapshots of the follow-up's screens at 80x24 and 120x40, on a fake clock."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from apphelp import home_ready, make_app, run_ready, screen_ready, wait_until, write_session
from test_app_review import follow_up_file
from test_compare_screen import three_sessions
from test_follow_up import scripted_demo_run

from workshop.domain.compare import compare_sessions
from workshop.domain.series import series
from workshop.domain.timebox import FakeClock
from workshop.storage.archive import archive_session
from workshop.ui.panes.review import ReviewList, ReviewPane
from workshop.ui.screens.compare import CompareScreen, SeriesScreen

HERE = Path(".")
SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_review_pane_with_marks(snap_compare, size):
    earlier = scripted_demo_run()
    # A person's text that looks like markup stays as typed.
    next(p for p in earlier.proposals if p.text == "Publish outcomes").owner = "[red]Chidi[/red]"
    path = follow_up_file(HERE / "sessions", earlier)
    app = make_app(HERE, clock=FakeClock(), open_path=path)

    async def mark(pilot):
        screen = await run_ready(pilot)
        screen.query_one(ReviewPane).focus_input()
        await pilot.press("1", "down", "4", "down")
        await wait_until(pilot, lambda: [p.status for p in screen.editor.session.earlier_priorities][:2] == ["done", "carried-forward"], "two marks")
        await wait_until(pilot, lambda: screen.query_one(ReviewList).highlighted == 2, "the third row highlighted")

    assert snap_compare(app, terminal_size=size, run_before=mark)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_compare_screen(snap_compare, size):
    spring, autumn, _ = three_sessions()
    app = make_app(HERE, clock=FakeClock())

    async def show(pilot):
        await home_ready(pilot)
        app.push_screen(CompareScreen(compare_sessions(spring, autumn), [spring, autumn]))
        await screen_ready(pilot, CompareScreen)

    assert snap_compare(app, terminal_size=size, run_before=show)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_series_chart(snap_compare, size):
    sessions = three_sessions()
    result = series(sessions)
    app = make_app(HERE, clock=FakeClock())

    async def show(pilot):
        await home_ready(pilot)
        app.push_screen(SeriesScreen(result, sessions))
        await screen_ready(pilot, SeriesScreen)

    assert snap_compare(app, terminal_size=size, run_before=show)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_home_listing_the_archive(snap_compare, size):
    folder = HERE / "sessions"
    write_session(folder, "Spring away-day", day=date(2025, 3, 12))
    archive_session(write_session(folder, "Autumn review [b]x[/b]", day=date(2024, 10, 2), team="Finance", status="completed"))
    app = make_app(HERE, clock=FakeClock())

    async def archived(pilot):
        home = await home_ready(pilot)
        await pilot.press("A")
        await wait_until(pilot, lambda: home.showing_archive and home.query_one("#sessions").row_count == 1, "the archive listed")

    assert snap_compare(app, terminal_size=size, run_before=archived)
