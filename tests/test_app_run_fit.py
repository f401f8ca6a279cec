"""The run screen at 80x24: a one-line heading, a readable agenda, room for a rating."""

from __future__ import annotations

import pytest
from apphelp import ballot_session, go_to_activity, make_app, run_ready, wait_until, write_session

from workshop.domain.timebox import FakeClock
from workshop.ui.panes.ballot import BallotList


async def test_the_heading_keeps_to_one_line_with_its_minutes_at_80_columns(tmp_path):
    path = write_session(tmp_path / "sessions")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await go_to_activity(pilot, "rate")
        heading = screen.query_one("#activity-heading")
        await wait_until(pilot, lambda: heading.region.height, "the heading laid out")
        assert heading.region.height == 2  # one line and its padding below
        assert "1 min" in str(heading.render()).split("\n")[0][: heading.region.width]


@pytest.mark.parametrize(("width", "words"), [(80, "0:19/1:00"), (120, "0:19 of 1 min")])
async def test_the_agenda_says_elapsed_of_planned_in_a_readable_form(tmp_path, width, words):
    path = write_session(tmp_path / "sessions")
    clock = FakeClock()
    app = make_app(tmp_path, clock=clock, open_path=path)
    async with app.run_test(size=(width, 30)) as pilot:
        screen = await run_ready(pilot)
        await pilot.press("space")
        await wait_until(pilot, lambda: screen.clock.running, "the clock running")
        clock.advance(19)
        agenda = screen.query_one("#agenda")
        current = lambda: str(agenda.get_option(screen.clock.current_id).prompt)  # noqa: E731
        await wait_until(pilot, lambda: words in current(), f"'{words}' in the agenda")
        assert "/1 " not in current() and not current().rstrip().endswith("/1")


async def test_a_rating_at_80x24_shows_every_question_the_agenda_gives_way(tmp_path):
    path = write_session(tmp_path / "sessions")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await go_to_activity(pilot, "rate")
        await pilot.pause()
        ballot = screen.query_one(BallotList)
        await wait_until(pilot, lambda: ballot.region.height, "the ballot laid out")
        assert not screen.query_one("#agenda").display
        # Both questions, two lines each at this width, inside the list's border.
        assert ballot.region.height - 2 >= 6, ballot.region
        assert ballot.max_scroll_y == 0
        await pilot.press("g")  # the agenda comes back when asked for
        await wait_until(pilot, lambda: screen.query_one("#agenda").display and screen.focused is screen.query_one("#agenda"), "the agenda")


async def test_revealed_results_at_80x24_scroll_with_a_visible_bar(tmp_path):
    path = ballot_session(tmp_path / "sessions", "named")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await go_to_activity(pilot, "rate")
        await pilot.press("i")
        for _ in range(5):
            await pilot.press("3", "4", "enter")
        await pilot.press("r")
        scroll = screen.query_one("#results-scroll")
        await wait_until(pilot, lambda: screen.session.rating_rounds[0].revealed and scroll.region.height, "the results")
        await pilot.pause()
        assert scroll.max_scroll_y > 0  # question 2 is below the fold...
        assert scroll.show_vertical_scrollbar and scroll.scrollbar_size_vertical >= 1  # ...and the bar says so
        # The hidden list gave its focus to the results, so the arrows scroll them.
        assert screen.focused is scroll
        await pilot.press("down", "down")
        await wait_until(pilot, lambda: scroll.scroll_y > 0, "the results to scroll")


async def test_the_dot_vote_title_fits_whole_at_80_columns(tmp_path):
    path = ballot_session(tmp_path / "sessions", "named")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await go_to_activity(pilot, "vote")
        ballot = screen.query_one(BallotList)
        await wait_until(pilot, lambda: ballot.border_title and ballot.region.width, "the list's title")
        assert len(str(ballot.border_title)) <= ballot.region.width - 4
