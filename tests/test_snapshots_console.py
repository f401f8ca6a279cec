"""SVG snapshots of the console as the room sees it on a mirrored laptop: focus mode with
revealed results, and the "pass to the next person" screen, at projector sizes."""

from __future__ import annotations

from pathlib import Path

import pytest
from apphelp import ballot_session, go_to_activity, make_app, wait_until

from workshop.domain.timebox import FakeClock
from workshop.ui.widgets.pass_on import PassOn

HERE = Path(".")
by_size = pytest.mark.parametrize("size", [(60, 20), (80, 24)], ids=lambda s: f"{s[0]}x{s[1]}")


def open_on(mode: str):
    return make_app(HERE, clock=FakeClock(), open_path=ballot_session(HERE / "sessions", mode))


@by_size
def test_focus_mode_shows_a_revealed_rating(snap_compare, size):
    """Two anonymous ballots cast, revealed, then f: the results and the clock, nothing else."""
    app = open_on("anonymous")

    async def go(pilot):
        screen = await go_to_activity(pilot, "rate")
        await pilot.press("i", "4", "3", "enter", "space", "2", "5", "enter", "space", "r")
        await wait_until(pilot, lambda: app.screen is not screen, "the reveal's question")
        await pilot.press("y")
        await wait_until(pilot, lambda: screen.session.rating_rounds[0].revealed, "the reveal")
        await pilot.press("f")
        await wait_until(pilot, lambda: screen.has_class("-focus-mode"), "focus mode")

    assert snap_compare(app, terminal_size=size, run_before=go)


@by_size
def test_focus_mode_shows_a_revealed_dot_vote(snap_compare, size):
    """A dot vote passed round the keyboard, revealed, in focus mode: the ranking and the clock."""
    app = open_on("passed")

    async def go(pilot):
        screen = await go_to_activity(pilot, "vote")
        await pilot.press("i", "right", "right", "down", "right", "enter", "space", "down", "right", "right", "enter", "space", "r")
        await wait_until(pilot, lambda: app.screen is not screen, "the reveal's question")
        await pilot.press("y")
        await wait_until(pilot, lambda: screen.session.vote_rounds[0].revealed, "the reveal")
        await pilot.press("f")
        await wait_until(pilot, lambda: screen.has_class("-focus-mode"), "focus mode")

    assert snap_compare(app, terminal_size=size, run_before=go)


@by_size
def test_the_pass_on_screen(snap_compare, size):
    """After an anonymous ballot: the pass-on screen, naming nobody."""
    app = open_on("anonymous")

    async def go(pilot):
        await go_to_activity(pilot, "rate")
        await pilot.press("i", "4", "3", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PassOn) and app.screen.is_mounted, "the pass-on screen")

    assert snap_compare(app, terminal_size=size, run_before=go)
