"""Who is here, on the run screen, through Pilot: `t` marks people as left or back and adds a
late arrival at any activity; a named vote stops waiting for whoever left; all saved."""

from __future__ import annotations

from apphelp import ballot_session, go_to_activity, home_ready, make_app, run_ready, wait_until, write_session
from textual.widgets import SelectionList

from workshop.domain.timebox import FakeClock
from workshop.storage.store import load_session
from workshop.ui.commands import key_entries
from workshop.ui.screens.run import RunScreen
from workshop.ui.widgets.ask_text import AskText
from workshop.ui.widgets.who_is_here import WhoIsHere


def _labels(dialog: WhoIsHere) -> list[str]:
    listed = dialog.query_one(SelectionList)
    return [str(listed.get_option_at_index(index).prompt) for index in range(listed.option_count)]


async def test_t_marks_someone_left_and_back_and_each_is_saved(tmp_path):
    path = write_session(tmp_path / "sessions")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await run_ready(pilot)
        assert any(entry.action == "people" and entry.description == "Who is here" for entry in key_entries(screen))
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, WhoIsHere), "the dialog")
        dialog = app.screen
        assert isinstance(dialog, WhoIsHere)
        assert _labels(dialog) == ["Amira Khan (Director)", "Jo Reed (Head of early help)"]
        await pilot.press("down", "space")
        await wait_until(pilot, lambda: not screen.session.participants[1].present, "Jo marked as left")
        assert _labels(dialog)[1] == "Jo Reed (Head of early help) · left"
        await screen.opened.recorded()
        assert [p.present for p in load_session(path).session.participants] == [True, False]
        await pilot.press("space")
        await wait_until(pilot, lambda: screen.session.participants[1].present, "Jo back")
        assert _labels(dialog)[1] == "Jo Reed (Head of early help)"
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, "the run screen again")
        await screen.opened.recorded()
    assert [p.present for p in load_session(path).session.participants] == [True, True]


async def test_a_late_arrival_is_added_from_the_dialog_and_a_name_taken_is_refused_in_place(tmp_path):
    path = write_session(tmp_path / "sessions")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await run_ready(pilot)
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, WhoIsHere), "the dialog")
        dialog = app.screen
        assert isinstance(dialog, WhoIsHere)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, AskText), "the name question")
        await pilot.press(*"jo reed", "enter")
        error = app.screen.query_one(".ask-error")
        await wait_until(pilot, lambda: error.display, "the refusal")
        assert "already a participant called Jo Reed" in str(error.render())
        await pilot.press(*["backspace"] * 7, *"Kim [b]La", "enter")
        await wait_until(pilot, lambda: app.screen is dialog, "back to who is here")
        assert screen.session.participants[-1].name == "Kim [b]La" and screen.session.participants[-1].present
        assert _labels(dialog)[-1] == "Kim [b]La"
        assert dialog.query_one(SelectionList).highlighted == 2


async def test_a_named_vote_stops_waiting_for_someone_marked_as_left(tmp_path):
    path = ballot_session(tmp_path / "sessions", "named")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await go_to_activity(pilot, "rate")
        leaving = screen.session.participants[-1].name
        assert leaving in str(screen.query_one("#ballot-status").render())
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, WhoIsHere), "the dialog")
        await pilot.press("end", "space", "escape")
        await wait_until(pilot, lambda: app.screen is screen, "the run screen again")
        await wait_until(pilot, lambda: leaving not in str(screen.query_one("#ballot-status").render()), "the waiting list without them")


async def test_a_session_open_read_only_has_no_who_is_here(tmp_path):
    from workshop.service import OpenSession
    from workshop.storage.store import open_session

    path = write_session(tmp_path / "sessions")
    before = path.read_bytes()
    clock = FakeClock()
    app = make_app(tmp_path, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await home_ready(pilot)
        app.push_screen(RunScreen(OpenSession(open_session(path, read_only=True), monotonic=clock.monotonic, wall=clock.wall)))
        screen = await run_ready(pilot)
        await pilot.press("t")
        await pilot.pause()
        assert app.screen is screen and not any(entry.action == "people" and entry.enabled for entry in key_entries(screen))
    assert path.read_bytes() == before
