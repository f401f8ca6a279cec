"""Toasts never pile up over what the room reads, nor over a dialog's buttons."""

from __future__ import annotations

from apphelp import ballot_session, make_app, run_ready, settle, wait_until

from workshop.domain.timebox import FakeClock
from workshop.ui.widgets.confirm import Confirm


async def test_a_refused_key_pressed_again_and_again_shows_one_toast(tmp_path) -> None:
    path = ballot_session(tmp_path / "sessions", "named")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await run_ready(pilot)
        # Nothing was extended: each `-` is refused, with its reason.
        await pilot.press("minus", "minus", "minus", "minus", "minus")
        await settle(pilot)
        toasts = list(app._notifications)
        assert len(toasts) == 1, [toast.message for toast in toasts]


async def test_the_close_dialog_is_not_covered_by_toasts(tmp_path) -> None:
    path = ballot_session(tmp_path / "sessions", "named")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(60, 20)) as pilot:
        screen = await run_ready(pilot)
        screen.notify("Something said a moment ago", timeout=30)
        last = screen.clock.activities[-1][1].id
        screen.editor.jump(last)
        await settle(pilot)
        screen.editor.add_proposal("Not placed yet", activity_id=None)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, Confirm), "the close check")
        assert not list(app._notifications)


async def test_home_lists_a_session_made_elsewhere_without_a_key(tmp_path) -> None:
    # `workshop new` in another terminal: the home screen notices the folder changed.
    from apphelp import home_ready, write_session
    from textual.widgets import DataTable

    write_session(tmp_path / "sessions", "First")
    app = make_app(tmp_path, clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await home_ready(pilot)
        table = app.screen.query_one("#sessions", DataTable)
        await wait_until(pilot, lambda: table.row_count == 1, "the first session listed")
        write_session(tmp_path / "sessions", "Made in another terminal")
        await wait_until(pilot, lambda: table.row_count == 2, "the new session listed without r")


async def test_the_tick_box_is_empty_when_off() -> None:
    # Textual's checkbox draws an X both ways (only its colour changes).
    from textual.app import App, ComposeResult

    from workshop.ui.widgets.tick_box import TickBox

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield TickBox("The facilitator votes too", False)

    app = One()
    async with app.run_test(size=(40, 3)) as pilot:
        box = app.query_one(TickBox)
        assert "X" not in str(box.render())
        box.toggle()
        await pilot.pause()
        assert "X" in str(box.render())
