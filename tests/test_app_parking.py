"""The parking lot on the run screen, through Pilot: `k` parks (text, then who raised it),
the palette offers it, and the close reviews each item."""

from __future__ import annotations

from apphelp import go_to_activity, make_app, run_ready, wait_until, write_session

from workshop.ui.commands import key_entries
from workshop.ui.widgets.ask_text import AskText
from workshop.ui.widgets.choose_option import ChooseOption


async def test_park_then_review_at_the_close(tmp_path):
    path = write_session(tmp_path / "sessions")
    app = make_app(tmp_path, open_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await run_ready(pilot)
        assert any(entry.action == "park" and entry.description == "Park an item" for entry in key_entries(screen))
        await pilot.press("k")
        await wait_until(pilot, lambda: isinstance(app.screen, AskText), "the question for the text")
        await pilot.press(*"Home to school transport", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseOption), "who raised it")
        await pilot.press("down", "enter")  # the first participant, after "Nobody named"
        await wait_until(pilot, lambda: bool(screen.session.parking_lot), "the item to be parked")
        (item,) = screen.session.parking_lot
        assert (item.text, item.raised_by, item.activity_id) == ("Home to school transport", "Amira Khan", screen.clock.current_id)
        assert "· 1 parked" in str(screen.query_one("#schedule-status").render())
        screen = await go_to_activity(pilot, "close")
        await pilot.press("i")  # into the parking lot's list
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseOption), "the decision")
        await pilot.press("down", "down", "enter")  # make it a proposal
        await wait_until(pilot, lambda: screen.session.parking_lot[0].status == "proposal", "the decision recorded")
        assert screen.session.proposals[-1].text == "Home to school transport"
        summary = str(screen.query_one("#close-summary").source)
        assert "## Parking lot" in summary and "Made a proposal" in summary
    assert "[[parking_lot]]" in path.read_text(encoding="utf-8")
