"""SVG snapshots of the join panel beside a vote, at 80x24 and 120x40, normal and in focus mode.

The panel is shown for a fixed address, secret and short code (no server: a real one
would listen on a free port, and the picture would change every run).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from apphelp import ballot_session, go_to_activity, make_app, wait_until

from workshop.domain.timebox import FakeClock
from workshop.web.joining import JoinState

SIZES = [(80, 24), (120, 40)]
HERE = Path(".")
by_size = pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
SECRET = "Fixed-secret-for-snaps"
URL = f"http://192.168.1.20:8765/j/{SECRET}/"


def show_panel(focus: bool):
    async def go(pilot):
        screen = await go_to_activity(pilot, "vote")
        join = JoinState(secret=SECRET, short_code="123456")
        join.bind(join.new_device(), "jo-reed", "Jo Reed")
        screen.joining.show(URL, join)
        await wait_until(pilot, lambda: any("1 of 5 joined" in str(who.render()) for who in screen.query("#join-who")), "the panel")
        if focus:
            await pilot.press("f")
            await wait_until(pilot, lambda: screen.focus_mode, "focus mode")

    return go


@by_size
def test_join_panel_beside_a_vote(snap_compare, size):
    app = make_app(HERE, clock=FakeClock(), open_path=ballot_session(HERE / "sessions", "anonymous"))
    assert snap_compare(app, terminal_size=size, run_before=show_panel(focus=False))


@by_size
def test_join_panel_in_focus_mode(snap_compare, size):
    app = make_app(HERE, clock=FakeClock(), open_path=ballot_session(HERE / "sessions", "anonymous"))
    assert snap_compare(app, terminal_size=size, run_before=show_panel(focus=True))
