"""A console safe to mirror: an anonymous or pass-the-keyboard ballot never shows a value,
an anonymous one never a name, and the keyboard changes hands through a "pass on" screen.

What the room sees is the whole terminal as text (tests/screentext.py), at the projector
sizes 80x24 and 60x20.
"""

from __future__ import annotations

import pytest
from apphelp import TEAM_OF_FIVE, ballot_session, go_to_activity, make_app, wait_until
from screentext import terminal_text

from workshop.domain.timebox import FakeClock
from workshop.ui.widgets.pass_on import PassOn

SIZES = [(80, 24), (60, 20)]
by_size = pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
NAMES = [name for name, _ in TEAM_OF_FIVE]


async def shown_while_filling(tmp_path, mode: str, kind: str, keys: tuple[str, ...], size) -> str:
    """The terminal's text once `keys` have filled in (not cast) the first ballot."""
    folder = tmp_path / "-".join(keys)
    folder.mkdir()
    app = make_app(folder, clock=FakeClock(), open_path=ballot_session(folder / "sessions", mode))
    async with app.run_test(size=size) as pilot:
        screen = await go_to_activity(pilot, kind)
        await pilot.press("i", *keys)
        pane = screen.query_one("BallotPane")
        await wait_until(pilot, lambda: pane.draft, "a ballot being filled in")
        return terminal_text(app)


@by_size
@pytest.mark.parametrize("mode", ["anonymous", "passed"])
async def test_a_rating_being_filled_in_shows_no_value(tmp_path, mode, size):
    four = await shown_while_filling(tmp_path, mode, "rate", ("4", "up"), size)
    two = await shown_while_filling(tmp_path, mode, "rate", ("2", "up"), size)
    assert "[●]" in four
    # The same screen whatever was chosen: no digit of the ballot is anywhere on it.
    assert four == two
    if mode == "anonymous":
        assert not any(name in four for name in NAMES), four


@by_size
async def test_a_dot_vote_being_filled_in_shows_no_count(tmp_path, size):
    one = await shown_while_filling(tmp_path, "anonymous", "vote", ("right",), size)
    two = await shown_while_filling(tmp_path, "anonymous", "vote", ("right", "right"), size)
    assert one == two
    assert "●" in one and not any(name in one for name in NAMES)


async def test_a_named_round_still_shows_the_values(tmp_path):
    shown = await shown_while_filling(tmp_path, "named", "rate", ("4",), (80, 24))
    assert "[4]" in shown and "Amira Khan" in shown


@pytest.mark.parametrize("mode", ["anonymous", "passed"])
async def test_the_keyboard_is_passed_on_between_two_voters(tmp_path, mode):
    path = ballot_session(tmp_path / "sessions", mode)
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(60, 20)) as pilot:
        screen = await go_to_activity(pilot, "rate")
        pane = screen.query_one("RatePane")
        await pilot.press("i", "4", "3", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PassOn) and app.screen.is_mounted, "the pass-on screen")
        shown = str(app.screen.query_one("#pass-title").render())
        assert "Ballot cast (1 of 5)" in shown
        if mode == "anonymous":
            assert "next person" in shown and not any(name in shown for name in NAMES)
        else:
            assert "Pass the keyboard to Jo Reed" in shown
        # The key that dismisses it is used up: it never lands on the next ballot.
        await pilot.press("5")
        await wait_until(pilot, lambda: app.screen is screen, "the run screen again")
        assert pane.draft == {}
        await pilot.press("2", "2", "enter")
        await wait_until(pilot, lambda: len(screen.session.rating_rounds[0].ballots) == 2, "the second ballot")
        assert isinstance(app.screen, PassOn)


async def test_a_named_round_needs_no_passing_on(tmp_path):
    path = ballot_session(tmp_path / "sessions", "named")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await go_to_activity(pilot, "rate")
        await pilot.press("i", "4", "3", "enter")
        await wait_until(pilot, lambda: screen.session.rating_rounds, "the first ballot")
        assert app.screen is screen
