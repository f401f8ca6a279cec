"""Full garbage collections wait for a quiet moment (workshop.ui.collector)."""

from __future__ import annotations

import gc

from workshop.ui.collector import AT_LATEST_SECONDS, EVERY_SECONDS, NEVER, QUIET_SECONDS, Collector, due


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_collection_waits_for_quiet_keys_and_runs_at_the_latest_after_the_limit():
    clock, runs = Clock(), []
    collector = Collector(clock, collect=lambda: runs.append(clock.now))
    # Keys pressed all the time: nothing before the latest moment, then one.
    while clock.now < 1000.0 + AT_LATEST_SECONDS - 0.5:
        clock.now += 0.5
        collector.touched()
        collector.tick()
    assert runs == []
    clock.now += 0.5
    collector.tick()
    assert runs == [1000.0 + AT_LATEST_SECONDS]
    # Then quiet: the next one comes once the interval has passed, not before.
    clock.now += EVERY_SECONDS - 1
    collector.tick()
    assert len(runs) == 1
    clock.now += 1
    collector.tick()
    assert len(runs) == 2 and collector.collections == 2


def test_due_needs_both_the_interval_and_a_quiet_moment():
    assert not due(100.0, last_input=99.5, last_full=100.0 - EVERY_SECONDS)
    assert due(100.0, last_input=100.0 - QUIET_SECONDS, last_full=100.0 - EVERY_SECONDS)
    assert not due(100.0, last_input=0.0, last_full=100.0 - EVERY_SECONDS + 1)
    assert due(100.0, last_input=100.0, last_full=100.0 - AT_LATEST_SECONDS)


def test_start_turns_automatic_full_collections_off_and_stop_restores_them():
    before = gc.get_threshold()
    collector = Collector()
    collector.start()
    try:
        assert gc.get_threshold() == (before[0], before[1], NEVER)
        collector.start()  # twice changes nothing more
    finally:
        collector.stop()
    assert gc.get_threshold() == before
    collector.stop()
    assert gc.get_threshold() == before


async def test_a_full_collection_runs_as_soon_as_an_opened_session_is_drawn(tmp_path):
    # Building and drawing the run screen leaves thousands of objects in cycles; they
    # are collected once it is drawn, not at the first quiet moment 20 s on. The
    # collector's clock stands still here, so no collection is ever due by the clock.
    from apphelp import make_app, run_ready, wait_until, write_session

    from workshop.domain.timebox import FakeClock
    from workshop.ui.screens.run import RunScreen

    app = make_app(tmp_path, clock=FakeClock(), open_path=write_session(tmp_path / "sessions"))
    drawn: list[bool] = []
    app.collector = Collector(lambda: 0.0, collect=lambda: drawn.append(isinstance(app.screen, RunScreen) and app.screen.is_mounted))
    async with app.run_test() as pilot:
        await run_ready(pilot)
        await wait_until(pilot, lambda: drawn, "a full collection")
        assert drawn == [True]
        assert app.collector.collections == 1
