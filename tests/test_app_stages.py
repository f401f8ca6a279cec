"""Stages on the run screen, through Pilot on a fake clock: the stage line, its countdown
on the big clock, and the signal when a stage ends."""

from __future__ import annotations

from apphelp import make_app, run_ready, wait_until, write_session
from test_stages import staged_pack

from workshop.domain.timebox import FakeClock
from workshop.ui.widgets.bigclock import BigClock
from workshop.ui.widgets.stage_line import StageLine


async def test_the_console_follows_the_stages(tmp_path):
    path = write_session(tmp_path / "sessions", pack=staged_pack())
    clock = FakeClock()
    app = make_app(tmp_path, clock=clock, open_path=path)
    bells: list[float] = []
    async with app.run_test(size=(100, 30)) as pilot:
        app.bell = lambda: bells.append(clock.monotonic())  # type: ignore[method-assign]
        screen = await run_ready(pilot)
        line = screen.query_one(StageLine)
        countdown = screen.query_one(BigClock)
        await wait_until(pilot, lambda: countdown.text == "01:00", "the first stage's minute on the big clock")
        assert line.display and "Stage 1 of 4: Alone" in str(line.render())
        assert "Think on your own." in str(line.render())
        await pilot.press("space")
        clock.advance(60)
        await wait_until(pilot, lambda: "Stage 2 of 4: Pairs" in str(line.render()), "the pairs stage")
        assert countdown.text == "02:00"
        assert "next: Fours, 4 min" in str(line.render())
        assert bells == [1060.0]
        assert any("Stage 2 of 4: Pairs (2 min). Share in pairs." in n.message for n in app._notifications)
        clock.advance(60 * 6 + 30)
        await wait_until(pilot, lambda: "Stage 4 of 4: All" in str(line.render()), "the last stage")
        assert countdown.text == "04:30"
        await pilot.press("n")  # the close has no stages: the line goes, the clock is the activity's
        await wait_until(pilot, lambda: not line.display, "the stage line to hide")
        assert countdown.text == "05:00"
