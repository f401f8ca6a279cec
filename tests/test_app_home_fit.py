"""The home screen at a small size, and what its count line says while filtering."""

from __future__ import annotations

from apphelp import make_app, write_session
from textual.widgets import DataTable, Static

from workshop.ui.screens.home import HomeScreen


async def loaded_home(pilot) -> HomeScreen:
    for _ in range(100):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.screen
        if isinstance(screen, HomeScreen) and screen.loads:
            return screen
    raise AssertionError("the home screen did not load the folder")


async def test_filtering_says_how_many_of_the_sessions_match(tmp_path):
    for title in ("Spring away-day", "Autumn review", "Winter check"):
        write_session(tmp_path / "sessions", title)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        home = await loaded_home(pilot)
        assert str(home.query_one("#home-intro", Static).render()).startswith("3 sessions in ")
        await pilot.press("slash", "w", "i", "n")
        await pilot.pause()
        assert str(home.query_one("#home-intro", Static).render()).startswith("1 of 3 sessions match the filter")


async def test_a_short_terminal_still_shows_the_sessions(tmp_path):
    for title in ("Spring away-day", "Autumn review", "Winter check"):
        write_session(tmp_path / "sessions", title)
    app = make_app(tmp_path)
    async with app.run_test(size=(60, 15)) as pilot:
        home = await loaded_home(pilot)
        table = home.query_one("#sessions", DataTable)
        # The header plus every session fits: three rows of data are on screen.
        assert table.row_count == 3
        assert table.region.height >= 4
        assert not home.query_one("#packs", Static).display or home.query_one("#packs").region.height == 0
