"""The close pane records the close's decisions on the console: w, d, v and a check-out round."""

from __future__ import annotations

import tomllib
from datetime import date

from apphelp import make_app, run_ready, wait_until, write_session

from workshop.domain.timebox import FakeClock
from workshop.ui.panes.close import ClosePane
from workshop.ui.widgets.ask_text import AskText


async def at_the_close(pilot):
    screen = await run_ready(pilot)
    screen.editor.jump(screen.clock.activities[-1][1].id)
    await wait_until(pilot, lambda: bool(screen.query(ClosePane)), "the close pane")
    await wait_until(pilot, lambda: screen.focused is not None and screen.focused.id == "close-scroll", "the close's focus")
    return screen


async def answer(pilot, text: str) -> None:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, AskText), "the question")
    field = pilot.app.screen.query_one("#ask-text-value")
    field.value = ""
    await pilot.press(*text, "enter")
    await pilot.pause()


async def test_the_close_records_who_must_agree_when_and_the_check_outs(tmp_path):
    people = [("Amira Khan", "Director"), ("Jo Reed", "Head of early help"), ("Zoë Müller", "Head of data")]
    path = write_session(tmp_path / "sessions", day=date(2025, 3, 14), people=people)
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await at_the_close(pilot)
        await pilot.press("w")
        await answer(pilot, "Chief executive")
        await wait_until(pilot, lambda: app.screen is screen, "the dialog to close")
        # A date before the day is refused in one line, and the dialog stays open for a correction.
        await pilot.press("d")
        await answer(pilot, "2025-03-01")
        assert isinstance(app.screen, AskText)
        error = str(app.screen.query_one(".ask-error").render())
        assert error == "The date to agree by cannot be before the session's day (14 March 2025)."
        await answer(pilot, "2025-03-31")
        await wait_until(pilot, lambda: app.screen is screen, "the dialog to close")
        await pilot.press("v")
        await answer(pilot, "2025-06-18")
        await wait_until(pilot, lambda: app.screen is screen, "the dialog to close")
        # Round the room: two check-outs, then Escape ends the round.
        await pilot.press("c")
        await answer(pilot, "Call the schools")
        await answer(pilot, "Share the budget")
        await wait_until(pilot, lambda: isinstance(app.screen, AskText), "the third person")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, "the round to end")
        closing = screen.session.closing
        assert closing.approvers == "Chief executive"
        assert (closing.agree_by, closing.next_review) == (date(2025, 3, 31), date(2025, 6, 18))
        assert [c.text for c in closing.check_out] == ["Call the schools", "Share the budget"]
        shown = str(screen.query_one("#close-decisions").render())
        assert "Chief executive" in shown and "31 March 2025" in shown and "18 June 2025" in shown
        assert "Check-outs: 2 of" in shown
        assert "Chief executive" in screen.query_one("#close-summary").source
        screen.saver.flush(wait=True)
        saved = tomllib.loads(path.read_text(encoding="utf-8"))["closing"]
        assert saved["approvers"] == "Chief executive" and saved["next_review"] == date(2025, 6, 18)
