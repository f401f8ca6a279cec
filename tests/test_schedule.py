"""The run clock driving a session through its agenda, on a hand-driven clock."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from factories import sessions
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop.domain.models.pack import Pack
from workshop.domain.models.session import ActivityProgress, Session
from workshop.domain.runclock import Advanced, ClockError, PhaseChanged, RunClock
from workshop.domain.schedule_report import describe_delta
from workshop.domain.timebox import FakeClock

MIN = 60


def three_activity_pack() -> Pack:
    """a (5 min) and b (10 min) in one section, c (5 min) in another; x and s3 left out."""
    return Pack.model_validate(
        {
            "id": "three",
            "title": "Three activities",
            "summary": "For the clock tests.",
            "version": "1.0",
            "sections": [
                {
                    "id": "s1",
                    "title": "First",
                    "activities": [
                        {"kind": "read", "id": "a", "title": "Read", "minutes": 5, "text": "Text."},
                        {"kind": "discuss", "id": "b", "title": "Discuss", "minutes": 10, "question": "Why?"},
                    ],
                },
                {
                    "id": "s2",
                    "title": "Second",
                    "activities": [
                        {"kind": "break", "id": "x", "title": "Left out", "minutes": 15, "included": False},
                        {"kind": "close", "id": "c", "title": "Close", "minutes": 5},
                    ],
                },
                {
                    "id": "s3",
                    "title": "Dropped",
                    "included": False,
                    "activities": [
                        {"kind": "close", "id": "z", "title": "Dropped", "minutes": 30},
                    ],
                },
            ],
        }
    )


def new_session(**fields) -> Session:
    return Session(title="Away day", date=date(2025, 3, 14), agenda=three_activity_pack().snapshot(), **fields)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def run_clock(session: Session, clock: FakeClock, **kwargs) -> RunClock:
    return RunClock(session, monotonic=clock.monotonic, wall=clock.wall, **kwargs)


def record(session: Session, activity_id: str) -> ActivityProgress:
    return next(r for r in session.progress if r.activity_id == activity_id)


def reload(session: Session) -> Session:
    """The session as a save and a fresh read would give it back."""
    return Session.model_validate(session.model_dump(mode="json", by_alias=True))


# -- starting, pausing, extending -------------------------------------------------------


def test_a_new_clock_waits_at_the_first_included_activity(clock):
    session = new_session()
    before = session.model_dump()
    run = run_clock(session, clock)
    assert [activity.id for _, activity in run.activities] == ["a", "b", "c"]
    assert run.current.id == "a" and run.current_section.id == "s1"
    assert not run.running and not run.completed and not run.read_only
    assert session.model_dump() == before  # building a clock changes nothing
    assert session.current_activity is None  # set by the first start or move
    run.start()
    assert session.current_activity == "a"
    assert run.current_box.format_remaining() == "05:00"


def test_start_pause_resume(clock):
    session = new_session()
    run = run_clock(session, clock)
    assert run.start()
    assert not run.start()
    assert session.status == "running"
    assert record(session, "a").state == "running"
    assert record(session, "a").started_at == clock.wall()
    clock.advance(90)
    assert run.pause()
    assert session.status == "paused"
    assert record(session, "a").state == "paused"
    assert record(session, "a").elapsed_seconds == 90
    clock.advance(600)  # the pause is not counted
    assert run.resume()
    clock.advance(30)
    assert run.current_box.elapsed_seconds == 120
    assert run.elapsed_of("a") == 120
    assert not run.toggle() and session.status == "paused"
    assert run.toggle() and session.status == "running"


def test_extend(clock):
    session = new_session()
    run = run_clock(session, clock)
    run.start()
    run.extend(1)
    run.extend(5)
    assert run.current_box.limit_seconds == 11 * MIN
    assert record(session, "a").extended_minutes == 6
    for bad in (0, -1, 1.5, True, "5", 600):
        with pytest.raises(ClockError):
            run.extend(bad)  # type: ignore[arg-type]  # wrong types are what is refused
    run.extend(594)  # 600 in all, the most a record can hold
    assert record(session, "a").extended_minutes == 600


# -- moving through the agenda ------------------------------------------------------------


def test_next_with_the_clock_running_finishes_and_starts_the_next(clock):
    session = new_session()
    run = run_clock(session, clock)
    run.start()
    clock.advance(7 * MIN)
    begun = clock.wall()
    assert run.next()
    a = record(session, "a")
    assert (a.state, a.elapsed_seconds, a.ended_at) == ("done", 7 * MIN, begun)
    assert run.current.id == "b" and run.running
    b = record(session, "b")
    assert (b.state, b.started_at) == ("running", begun)
    assert session.current_activity == "b"


def test_next_with_the_clock_paused_leaves_the_next_waiting(clock):
    session = new_session()
    run = run_clock(session, clock)
    run.start()
    clock.advance(MIN)
    run.pause()
    run.next()
    assert run.current.id == "b" and not run.running
    assert run.state_of("b") == "pending"
    assert session.status == "paused"


def test_next_at_the_last_marks_it_done_and_completes(clock):
    session = new_session()
    run = run_clock(session, clock)
    run.start()
    run.next()
    run.next()
    clock.advance(MIN)
    assert run.next()
    assert run.current.id == "c"
    assert record(session, "c").state == "done"
    assert not run.running and run.completed
    assert session.status == "completed"
    assert session.percent_complete == 100
    # A stray key cannot set a completed session running again: it must be reopened.
    before = session.model_dump()
    for operation in (run.next, run.skip, run.start, run.toggle, run.previous, run.complete, lambda: run.extend(1), lambda: run.jump("a")):
        with pytest.raises(ClockError, match="complete"):
            operation()
    assert session.model_dump() == before and run.completed
    assert run.reopen()
    assert session.status == "paused" and record(session, "c").state == "done"
    with pytest.raises(ClockError, match="not complete"):
        run.reopen()
    # Starting again re-opens the last activity: the session is running once more.
    assert run.start()
    assert session.status == "running" and record(session, "c").state == "running"


def test_skip_marks_skipped_and_moves_on(clock):
    session = new_session()
    run = run_clock(session, clock)
    run.start()
    clock.advance(MIN)
    assert run.skip()
    assert record(session, "a").state == "skipped"
    assert record(session, "a").elapsed_seconds == MIN  # time spent before skipping is kept
    assert run.current.id == "b" and run.running
    run.skip()
    assert run.skip()  # the last
    assert run.completed and record(session, "c").state == "skipped"


def test_previous_reopens_a_done_activity_and_adds_to_it(clock):
    session = new_session()
    run = run_clock(session, clock)
    assert not run.previous()  # at the first
    run.start()
    clock.advance(4 * MIN)
    run.next()
    clock.advance(MIN)
    assert run.previous()
    a = record(session, "a")
    assert (a.state, a.ended_at) == ("running", None)
    clock.advance(30)
    assert run.current_box.elapsed_seconds == 4 * MIN + 30
    b = record(session, "b")
    assert (b.state, b.elapsed_seconds) == ("paused", MIN)  # left unfinished
    run.next()
    assert record(session, "a").state == "done"
    assert record(session, "a").elapsed_seconds == 4 * MIN + 30
    assert run.current.id == "b" and run.elapsed_of("b") == MIN  # carries on where it stopped


def test_browsing_back_with_the_clock_paused_changes_nothing_finished(clock):
    session = new_session()
    run = run_clock(session, clock)
    run.start()
    clock.advance(MIN)
    run.next()
    clock.advance(MIN)
    run.next()
    run.pause()
    before = record(session, "a").model_copy()
    run.previous()
    run.previous()
    assert run.current.id == "a" and run.state_of("a") == "done"
    run.jump("c")
    assert record(session, "a") == before
    assert run.state_of("b") == "done"


def test_jump(clock):
    session = new_session()
    run = run_clock(session, clock)
    run.start()
    assert run.jump("c")
    assert run.current.id == "c" and run.running
    assert run.state_of("a") == "paused"  # started, not finished
    assert run.state_of("b") == "pending"  # jumped over
    assert not run.jump("c")
    for unknown in ("nope", "x", "z"):  # x and z are left out of the agenda
        with pytest.raises(ClockError):
            run.jump(unknown)


def test_only_one_activity_runs_at_a_time(clock):
    session = new_session()
    run = run_clock(session, clock)
    run.start()
    for move in (run.next, run.next, run.previous, lambda: run.jump("a"), run.skip):
        move()
        assert [r.activity_id for r in session.progress if r.state == "running"] == [run.current.id]


# -- saving and reopening ---------------------------------------------------------------


def test_sync_round_trips_and_reopens_paused(clock):
    session = new_session()
    run = run_clock(session, clock)
    run.start()
    clock.advance(3 * MIN)
    run.next()
    run.extend(2)
    clock.advance(95.5)
    run.sync()
    assert record(session, "b").elapsed_seconds == 95.5

    later = FakeClock(monotonic_start=5.0)  # a new process: another monotonic origin
    reopened = reload(session)
    again = run_clock(reopened, later)
    assert again.recover_after_crash()
    assert not again.recover_after_crash()  # once is enough
    assert again.current.id == "b" and not again.running
    assert again.current_box.elapsed_seconds == 95.5
    assert again.current_box.limit_seconds == 12 * MIN
    assert again.elapsed_of("a") == 3 * MIN and again.state_of("a") == "done"
    assert reopened.status == "paused" and record(reopened, "b").state == "paused"
    again.start()
    later.advance(4.5)
    assert again.current_box.elapsed_seconds == 100


def test_crash_resumes_paused_at_the_last_recorded_time(clock):
    session = new_session(
        status="running",
        current_activity="b",
        progress=[
            ActivityProgress(activity_id="a", state="done", elapsed_seconds=310),
            ActivityProgress(activity_id="b", state="running", elapsed_seconds=200, started_at=clock.wall()),
        ],
    )
    before = session.model_dump()
    run = run_clock(session, clock)
    assert session.model_dump() == before  # only the explicit recovery writes
    assert run.current.id == "b" and not run.running
    assert run.recover_after_crash()
    assert session.status == "paused"
    assert record(session, "b").state == "paused"
    clock.advance(1000)  # the laptop was closed: none of it counts
    assert run.current_box.elapsed_seconds == 200
    run.start()
    clock.advance(10)
    assert run.current_box.elapsed_seconds == 210


def test_current_falls_back_to_the_first_unfinished(clock):
    session = new_session(status="paused", current_activity=None, progress=[ActivityProgress(activity_id="a", state="done", elapsed_seconds=60)])
    assert run_clock(session, clock).current.id == "b"


def test_a_completed_session_opens_read_only_and_untouched(clock):
    session = new_session(
        status="completed",
        current_activity="c",
        progress=[ActivityProgress(activity_id=i, state="done", elapsed_seconds=100) for i in ("a", "b", "c")],
    )
    before = session.model_dump()
    run = run_clock(session, clock)
    assert run.read_only and run.completed
    for operation in (
        run.start,
        run.pause,
        run.toggle,
        run.next,
        run.skip,
        run.previous,
        lambda: run.extend(1),
        lambda: run.jump("a"),
        run.reopen,
        run.recover_after_crash,
        run.undo_extension,
    ):
        with pytest.raises(ClockError):
            operation()
    run.sync()
    assert run.tick() == []
    assert run.schedule_state() == "15 min ahead"  # 20 planned, 5 used
    assert [s.actual_seconds for s in run.planned_vs_actual()] == [200, 100]
    assert session.model_dump() == before


def test_a_running_session_can_be_viewed_read_only_without_recovery(clock):
    session = new_session(status="running", current_activity="a", progress=[ActivityProgress(activity_id="a", state="running", elapsed_seconds=5)])
    before = session.model_dump()
    run_clock(session, clock, read_only=True)
    assert session.model_dump() == before


# -- the schedule -----------------------------------------------------------------------


def test_schedule_delta_and_projected_finish(clock):
    session = new_session()
    run = run_clock(session, clock)
    assert run.projected_finish(clock.wall()) == clock.wall() + timedelta(minutes=20)
    run.start()
    clock.advance(7 * MIN)  # a: 5 planned, 7 used
    assert run.schedule_delta_seconds() == 2 * MIN  # already over while still running
    run.next()
    assert run.schedule_state() == "2 min behind"
    assert run.projected_finish(clock.wall()) == clock.wall() + timedelta(minutes=15)
    clock.advance(4 * MIN)  # b: within its time, so no change to the delta
    assert run.schedule_delta_seconds() == 2 * MIN
    assert run.projected_finish() == clock.wall() + timedelta(minutes=6 + 5)
    run.skip()  # b skipped after 4 of its 10 minutes: 6 minutes saved
    assert run.schedule_delta_seconds() == -4 * MIN
    assert run.schedule_state() == "4 min ahead"
    run.extend(2)  # c: 5 + 2 minutes; the extension is not part of the plan
    assert run.projected_finish() == clock.wall() + timedelta(minutes=7)
    clock.advance(6 * MIN)
    assert run.schedule_delta_seconds() == -3 * MIN
    assert run.projected_finish() == clock.wall() + timedelta(minutes=1)
    clock.advance(3 * MIN)  # over even the extension: nothing left to project
    assert run.projected_finish() == clock.wall()
    run.next()
    assert run.schedule_delta_seconds() == 2 * MIN - 6 * MIN + 4 * MIN
    assert run.schedule_state() == "on time"


def test_planned_vs_actual_per_section_and_activity(clock):
    session = new_session()
    run = run_clock(session, clock)
    run.start()
    clock.advance(6 * MIN)
    run.next()
    clock.advance(90)
    run.extend(1)
    sections = run.planned_vs_actual()
    assert [(s.section_id, s.planned_minutes, s.actual_seconds) for s in sections] == [("s1", 15, 450), ("s2", 5, 0)]
    first = sections[0].activities
    assert [(a.activity_id, a.planned_minutes, a.extended_minutes, a.actual_seconds, a.state) for a in first] == [
        ("a", 5, 0, 360, "done"),
        ("b", 10, 1, 90, "running"),
    ]


@pytest.mark.parametrize(
    "delta, text",
    [
        (0, "on time"),
        (60, "on time"),
        (-60, "on time"),
        (61, "1 min behind"),
        (-61, "1 min ahead"),
        (6 * MIN, "6 min behind"),
        (150, "3 min behind"),
        (-3 * MIN, "3 min ahead"),
        (-89, "1 min ahead"),
    ],
)
def test_describe_delta(delta, text):
    assert describe_delta(delta) == text


# -- events: the bell and auto-advance ----------------------------------------------------


def test_the_bell_fires_once_per_crossing(clock):
    run = run_clock(new_session(), clock)
    run.start()
    assert run.tick() == []
    clock.advance(4 * MIN)
    assert run.tick() == [PhaseChanged("a", "warning")]
    assert run.tick() == []
    clock.advance(MIN)
    assert run.tick() == [PhaseChanged("a", "over")]
    assert run.tick() == []
    run.pause()
    run.resume()
    clock.advance(MIN)
    assert run.tick() == []  # pause and resume do not ring again
    run.next()
    run.previous()  # coming back does not ring again either
    assert run.tick() == []
    run.extend(5)  # 6 of 10 minutes: back to normal, so the bell is armed again
    assert run.tick() == [PhaseChanged("a", "normal")]
    clock.advance(10 * MIN)  # no redraw in between: straight to over, one event
    assert run.tick() == [PhaseChanged("a", "over")]
    run.extend(1)  # 16 of 11... still over: nothing
    assert run.tick() == []


def test_a_reopened_session_does_not_ring_for_an_old_overrun(clock):
    session = new_session(status="running", current_activity="a", progress=[ActivityProgress(activity_id="a", state="running", elapsed_seconds=400)])
    run = run_clock(session, clock)
    run.recover_after_crash()
    run.start()
    clock.advance(10)
    assert run.tick() == []


def test_auto_advance_is_off_by_default(clock):
    run = run_clock(new_session(), clock)
    run.start()
    clock.advance(6 * MIN)
    assert run.tick() == [PhaseChanged("a", "over")]
    assert run.current.id == "a"


def test_auto_advance_moves_on_as_of_the_deadline(clock):
    session = new_session()
    run = run_clock(session, clock, auto_advance=True)
    run.start()
    begun = clock.wall()
    clock.advance(5 * MIN + 30)  # the redraw came 30 s late
    assert run.tick() == [Advanced("a", "b")]
    a, b = record(session, "a"), record(session, "b")
    assert (a.state, a.elapsed_seconds, a.ended_at) == ("done", 5 * MIN, begun + timedelta(minutes=5))
    assert (b.state, b.started_at) == ("running", begun + timedelta(minutes=5))
    assert run.current_box.elapsed_seconds == 30


def test_auto_advance_after_a_long_block_crosses_several_deadlines(clock):
    run = run_clock(new_session(), clock, auto_advance=True)
    run.start()
    clock.advance(5 * MIN + 10 * MIN + 4 * MIN)  # nothing drawn for 19 minutes
    assert run.tick() == [Advanced("a", "b"), Advanced("b", "c"), PhaseChanged("c", "warning")]
    assert run.current_box.elapsed_seconds == 4 * MIN
    clock.advance(2 * MIN)  # the last activity does not advance: it overruns
    assert run.tick() == [PhaseChanged("c", "over")]
    assert run.current.id == "c" and run.running


def test_auto_advance_leaves_a_reopened_overrun_activity_alone(clock):
    run = run_clock(new_session(), clock)
    run.start()
    clock.advance(6 * MIN)
    run.next()
    run.auto_advance = True
    run.previous()  # back to a, already over its limit
    clock.advance(MIN)
    assert run.tick() == []
    assert run.current.id == "a"


def test_auto_advance_switched_on_during_an_overrun_waits_for_the_next_deadline(clock):
    run = run_clock(new_session(), clock)
    run.start()
    clock.advance(6 * MIN)
    run.tick()
    run.auto_advance = True
    clock.advance(MIN)
    assert run.tick() == [] and run.current.id == "a"
    run.extend(1)  # 7 of 6 minutes: still over
    run.extend(1)  # 7 of 7: over, exactly at the limit
    run.extend(1)  # 7 of 8: armed again
    clock.advance(MIN + 15)
    assert run.tick() == [Advanced("a", "b")]
    assert run.current_box.elapsed_seconds == 15


# -- no drift -----------------------------------------------------------------------------

# Quarter seconds add up exactly in floating point, so the properties hold with ==.
quarters = st.integers(0, 2 * 3600 * 4).map(lambda n: n / 4)


@given(st.lists(st.tuples(quarters, st.integers(0, 5), st.booleans()), max_size=40))
def test_elapsed_is_the_running_time_however_few_the_ticks(script):
    """Long stretches without a tick (a blocked event loop) lose nothing."""
    clock = FakeClock()
    run = run_clock(new_session(), clock)
    run.start()
    running_time = 0.0
    for seconds, ticks, toggle in script:
        if toggle:
            run.toggle()
        clock.advance(seconds)
        if run.running:
            running_time += seconds
        for _ in range(ticks):
            run.tick()
        assert run.current_box.elapsed_seconds == running_time


operations = st.one_of(
    # Time passes, then as many redraws as the loop managed (often none).
    st.tuples(st.just("advance"), st.tuples(quarters, st.integers(0, 2))),
    st.tuples(st.sampled_from(["start", "pause", "toggle", "next", "previous", "skip", "tick", "sync"]), st.none()),
    st.tuples(st.just("jump"), st.sampled_from(["a", "b", "c"])),
    st.tuples(st.just("extend"), st.integers(1, 5)),
    st.tuples(st.just("auto"), st.booleans()),
)


@settings(max_examples=300)
@given(st.booleans(), st.lists(operations, max_size=40))
def test_time_is_neither_lost_nor_invented_by_any_sequence_of_operations(auto_advance, script):
    """Moving, skipping, extending and auto-advancing hand time on; the total stays exact."""
    clock = FakeClock()
    session = new_session()
    run = run_clock(session, clock, auto_advance=auto_advance)
    running_time = 0.0
    for name, argument in script:
        if name == "advance":
            seconds, ticks = argument
            if run.running:
                running_time += seconds
            clock.advance(seconds)
            for _ in range(ticks):
                run.tick()
        elif name == "auto":
            run.auto_advance = argument
        else:
            try:
                getattr(run, name)(*([] if argument is None else [argument]))
            except ClockError:
                assert run.completed  # only a completed session refuses; it is reopened
                run.reopen()
        assert sum(run.elapsed_of(i) for i in ("a", "b", "c")) == running_time
        assert session.current_activity in (run.current.id, None if run.current_index == 0 else run.current.id)
        assert (session.status == "running") == run.running
        assert [r.activity_id for r in session.progress if r.state == "running"] == ([run.current.id] if run.running else [])
    run.sync()
    reopened = run_clock(reload(session), FakeClock(), read_only=False)
    reopened.recover_after_crash()
    assert not reopened.running
    assert sum(reopened.elapsed_of(i) for i in ("a", "b", "c")) == running_time


@given(st.lists(st.tuples(quarters, st.integers(0, 3)), max_size=30))
def test_auto_advance_hands_on_exactly_the_time_past_each_deadline(script):
    clock = FakeClock()
    session = new_session()
    run = run_clock(session, clock, auto_advance=True)
    run.start()
    advanced = 0.0
    for seconds, ticks in script:
        clock.advance(seconds)
        advanced += seconds
        for _ in range(ticks):
            run.tick()
        assert sum(run.elapsed_of(i) for i in ("a", "b", "c")) == advanced
    for activity_id, limit in (("a", 5 * MIN), ("b", 10 * MIN)):
        if run.state_of(activity_id) == "done":  # moved on at its deadline, to the second
            assert run.elapsed_of(activity_id) == limit


@settings(max_examples=50)
@given(sessions(), st.lists(st.sampled_from(["start", "next", "previous", "skip", "pause", "tick", "sync"]), max_size=8))
def test_any_saved_session_reopens_paused_and_runs(session, moves):
    """Whatever state a file was left in, reopening it never runs the clock by itself."""
    clock = FakeClock()
    run = run_clock(session, clock, read_only=False)
    run.recover_after_crash()
    assert not run.running
    assert session.status != "running"
    assert all(r.state != "running" for r in session.progress)
    for move in moves:
        if run.completed:
            run.reopen()
        getattr(run, move)()
        clock.advance(61)
    run.sync()
    reload(session)  # still a valid session


def test_the_plan_against_the_time_available_in_one_line():
    from workshop.domain.schedule_report import plan_against_time

    assert plan_against_time(175, 180, "09:30") == "Planned 2h55 · of 3h00 available: 5 min to spare · starts 09:30, finishes 12:25"
    assert plan_against_time(180, 180, None) == "Planned 3h00 · of 3h00 available: exactly right"
    assert plan_against_time(188, 180, None) == "Planned 3h08 · of 3h00 available: 8 min OVER, drop or shorten something"
    assert plan_against_time(45, None, None) == "Planned 45 min"
