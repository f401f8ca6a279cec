"""Ballot mode per round: chosen when the round opens (or re-runs), kept in the file with
the round, the session's setting only a default."""

from __future__ import annotations

import pytest
from apphelp import ballot_session, go_to_activity, make_app, wait_until
from test_ops_rounds import RATE, editor_for, make_session

from workshop.domain.errors import Refused
from workshop.domain.timebox import FakeClock
from workshop.storage.store import load_session, save_session
from workshop.ui.widgets.choose_option import ChooseOption


def test_a_round_opens_in_the_mode_chosen_and_keeps_it_through_the_file(tmp_path):
    editor, _ = editor_for(make_session("named"))
    assert editor.ballot_mode(RATE) == "named"
    editor.open_round(RATE, "anonymous")
    assert editor.ballot_mode(RATE) == "anonymous" and editor.session.voting.mode == "named"
    editor.cast_rating(RATE, "amira", {"qa": 4})
    assert editor.current_round(RATE).ballots[0].voter is None
    path = tmp_path / "s.toml"
    save_session(editor.session, path)
    again = load_session(path).session
    assert again.rating_rounds[0].mode == "anonymous" and again.voting.mode == "named"
    with pytest.raises(Refused, match="already has a round; re-run it"):
        editor.open_round(RATE, "named")
    editor.rerun(RATE, "hands")
    assert editor.ballot_mode(RATE) == "hands" and editor.who_has_not_voted(RATE) == []


async def test_m_chooses_the_rounds_mode_on_the_console(tmp_path):
    path = ballot_session(tmp_path / "sessions", "named")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await go_to_activity(pilot, "rate")
        pane = screen.query_one("RatePane")
        await pilot.press("i", "m")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseOption), "the mode chooser")
        await pilot.press("down", "down", "enter")  # Pass the keyboard, Named, Anonymous
        await wait_until(pilot, lambda: screen.session.rating_rounds, "the round opened")
        (round_,) = screen.session.rating_rounds
        assert round_.mode == "anonymous" and screen.session.voting.mode == "named"
        assert "Anonymous" in str(pane.query_one("#ballot-status").render())
        assert not pane.query_one("#voter").display  # nobody named while filling in
        # Changed again before anyone voted: a new round in that mode.
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseOption), "the mode chooser")
        await pilot.press("down", "enter")  # Named
        await wait_until(pilot, lambda: len(screen.session.rating_rounds) == 2, "the round re-run")
        assert screen.session.rating_rounds[-1].mode == "named" and screen.session.rating_rounds[0].superseded
