"""Back home after the first session: the keys are the home screen's, not the filter's."""

from __future__ import annotations

from apphelp import home_ready, make_app, screen_ready, settle, wait_until
from test_app_home import wait_for_rows
from textual.widgets import Input

from workshop.ui.screens.home import HomeScreen
from workshop.ui.screens.run import RunScreen
from workshop.ui.widgets.participants_editor import ParticipantsEditor


async def test_back_home_after_the_first_session_the_table_has_the_keys(tmp_path):
    # Found running the journey in tmux: with an empty folder at start, the filter took
    # the focus on the way back, so x (export) and q typed into it.
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await home_ready(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: not isinstance(app.screen, HomeScreen), "the new-session form")
        form = app.screen
        form.query_one("#title", Input).value = "First away-day"
        await pilot.press("tab", "tab", "tab", "tab", *"Amira", "enter")
        await wait_until(pilot, lambda: form.query_one("#participants", ParticipantsEditor).people, "a participant")
        await pilot.press("ctrl+s")
        await screen_ready(pilot, RunScreen)
        await settle(pilot)
        await pilot.press("q")
        await wait_for_rows(pilot, 1)
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert home.focused is home.query_one("#sessions")
        assert home.query_one("#filter", Input).value == ""
