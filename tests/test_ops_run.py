"""Run control through `SessionEditor`: the clock's moves as operations, on a fake clock."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_schedule import three_activity_pack

from workshop.domain.errors import Refused
from workshop.domain.models.limits import MAX_EXTENSION_MINUTES
from workshop.domain.models.session import ActivityProgress, Session
from workshop.domain.operations import Change, SessionEditor
from workshop.domain.runclock import Advanced
from workshop.domain.timebox import FakeClock

MIN = 60


def new_session(**fields) -> Session:
    return Session(title="Away day", date=date(2025, 3, 14), agenda=three_activity_pack().snapshot(), **fields)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def editor_for(session: Session, clock: FakeClock, **kwargs) -> tuple[SessionEditor, list[Change]]:
    editor = SessionEditor(session, monotonic=clock.monotonic, wall=clock.wall, **kwargs)
    heard: list[Change] = []
    editor.listen(heard.append)
    return editor, heard


def record(session: Session, activity_id: str) -> ActivityProgress:
    return next(r for r in session.progress if r.activity_id == activity_id)


def refused_unchanged(session: Session, heard: list[Change], operation, match: str) -> None:
    """The operation refuses with one plain line and changes nothing, telling nobody."""
    before, told = session.model_dump(), len(heard)
    with pytest.raises(Refused, match=match) as refusal:
        operation()
    reason = str(refusal.value)
    assert "\n" not in reason and reason[0].isupper() and reason.endswith(".")
    assert "Error" not in reason
    assert session.model_dump() == before
    assert len(heard) == told


def test_building_the_editor_and_reading_its_clock_change_nothing(clock):
    session = new_session(status="running", current_activity="b", progress=[ActivityProgress(activity_id="b", state="running", elapsed_seconds=30)])
    before = session.model_dump()
    editor, heard = editor_for(session, clock)
    assert editor.clock.current_id == "b" and not editor.clock.running
    assert editor.clock.schedule_state() == "on time"
    assert editor.clock is editor.clock  # built once
    assert session.model_dump() == before and heard == []


def test_recover_after_crash_is_explicit_and_reported_once(clock):
    session = new_session(status="running", current_activity="b", progress=[ActivityProgress(activity_id="b", state="running", elapsed_seconds=30)])
    editor, heard = editor_for(session, clock)
    change = editor.recover_after_crash()
    assert change is not None and change.area == "run" and not change.decision
    assert heard == [change]
    assert session.status == "paused" and record(session, "b").state == "paused"
    assert editor.recover_after_crash() is None and len(heard) == 1


def test_a_new_session_has_no_current_activity_until_it_starts(clock):
    session = new_session()
    editor, heard = editor_for(session, clock)
    assert editor.recover_after_crash() is None
    assert session.current_activity is None and heard == []
    change = editor.start()
    assert change is not None and not change.decision and change.ids == ("a",)
    assert session.current_activity == "a" and session.status == "running"
    assert editor.start() is None and len(heard) == 1  # already running: nothing to say


def test_start_pause_toggle_and_record_elapsed(clock):
    session = new_session()
    editor, heard = editor_for(session, clock)
    editor.toggle()
    clock.advance(42)
    change = editor.record_elapsed()
    assert change is not None and not change.decision
    assert record(session, "a").elapsed_seconds == 42
    assert editor.record_elapsed() is None  # nothing new
    assert editor.pause() is not None and session.status == "paused"
    assert editor.pause() is None
    assert editor.toggle() is not None and editor.clock.running
    assert [c.decision for c in heard] == [False, False, False, False]


def test_moves_are_decisions_naming_where_from_and_to(clock):
    session = new_session()
    editor, heard = editor_for(session, clock)
    editor.start()
    clock.advance(MIN)
    change = editor.next()
    assert change.decision and change.ids == ("a", "b") and "Moved on" in change.summary
    assert editor.back().ids == ("b", "a")
    assert editor.skip().ids == ("a", "b")
    assert record(session, "a").state == "skipped"
    assert editor.jump("c").ids == ("b", "c")
    assert editor.jump("c") is None
    assert all(c.decision for c in heard[1:])
    assert session.current_activity == "c"


def test_refusals_change_nothing(clock):
    session = new_session()
    editor, heard = editor_for(session, clock)
    refused_unchanged(session, heard, editor.back, "first activity")
    refused_unchanged(session, heard, lambda: editor.jump("nope"), "no activity 'nope'")
    refused_unchanged(session, heard, lambda: editor.jump("x"), "no activity 'x'")  # left out of the agenda
    for bad in (0, -1, 1.5, True, "5", MAX_EXTENSION_MINUTES + 1):
        refused_unchanged(session, heard, lambda bad=bad: editor.extend(bad), "minute")
    refused_unchanged(session, heard, editor.undo_extension, "no extension")
    refused_unchanged(session, heard, editor.complete, "last activity")
    refused_unchanged(session, heard, editor.reopen, "not complete")


def test_extend_and_undo_the_last_extension(clock):
    session = new_session()
    editor, heard = editor_for(session, clock)
    editor.start()
    clock.advance(4 * MIN)
    assert not editor.extend(1).decision
    editor.extend(5)
    assert editor.clock.current_box.limit_seconds == 11 * MIN
    change = editor.undo_extension()
    assert "5 min" in change.summary and not change.decision
    assert record(session, "a").extended_minutes == 1
    assert editor.clock.current_box.limit_seconds == 6 * MIN
    assert editor.clock.current_box.elapsed_seconds == 4 * MIN  # no time lost or invented
    assert editor.clock.running
    editor.undo_extension()
    assert record(session, "a").extended_minutes == 0
    refused_unchanged(session, heard, editor.undo_extension, "no extension")
    refused_unchanged(session, heard, lambda: editor.extend(MAX_EXTENSION_MINUTES + 1), "at most")


def test_a_completed_session_refuses_run_keys_until_reopened(clock):
    session = new_session()
    editor, heard = editor_for(session, clock)
    editor.start()
    editor.next()
    editor.next()
    change = editor.next()  # the last: completes
    assert change.decision and session.status == "completed"
    for operation in (
        editor.start,
        editor.toggle,
        editor.next,
        editor.skip,
        editor.back,
        editor.complete,
        lambda: editor.extend(1),
        editor.undo_extension,
        lambda: editor.jump("a"),
    ):
        refused_unchanged(session, heard, operation, "complete")
    assert editor.pause() is None  # nothing runs: nothing to pause
    reopened = editor.reopen()
    assert reopened.decision and session.status == "paused"
    assert editor.start() is not None and session.status == "running"
    assert editor.complete().decision and session.status == "completed"


def test_skip_at_the_last_completes(clock):
    session = new_session()
    editor, _ = editor_for(session, clock)
    editor.jump("c")
    change = editor.skip()
    assert "complete" in change.summary and session.status == "completed"
    assert record(session, "c").state == "skipped"


def test_read_only_refuses_everything_and_ticks_quietly(clock):
    session = new_session(status="running", current_activity="a", progress=[ActivityProgress(activity_id="a", state="running", elapsed_seconds=5)])
    editor, heard = editor_for(session, clock, read_only=True)
    for operation in (
        editor.recover_after_crash,
        editor.start,
        editor.pause,
        editor.toggle,
        editor.next,
        editor.back,
        editor.skip,
        lambda: editor.jump("b"),
        lambda: editor.extend(1),
        editor.undo_extension,
        editor.complete,
        editor.reopen,
    ):
        refused_unchanged(session, heard, operation, "read-only")
    assert editor.tick() == [] and editor.record_elapsed() is None


def test_tick_reports_an_auto_advance_as_a_decision(clock):
    session = new_session()
    editor, heard = editor_for(session, clock)
    editor.set_auto_advance(True)
    editor.start()
    clock.advance(5 * MIN + 10)
    assert editor.tick() == [Advanced("a", "b")]
    assert heard[-1].decision and heard[-1].ids == ("a", "b")
    assert editor.clock.current_box.elapsed_seconds == 10


def test_auto_advance_holds_while_typing_then_moves_on_at_once(clock):
    session = new_session()
    editor, heard = editor_for(session, clock)
    editor.set_auto_advance(True)
    editor.start()
    clock.advance(5 * MIN + 10)
    told = len(heard)
    assert not any(isinstance(e, Advanced) for e in editor.tick(hold=True))
    assert editor.clock.current_id == "a" and editor.clock.held and len(heard) == told
    clock.advance(50)  # still typing: the time is the activity's own
    editor.tick(hold=True)
    assert editor.clock.current_id == "a"
    assert editor.tick() == [Advanced("a", "b")]  # typing stopped: move on now
    assert not editor.clock.held
    assert record(session, "a").elapsed_seconds == 5 * MIN + 60
    assert editor.clock.current_box.elapsed_seconds == 0  # nothing carried over
    assert heard[-1].decision


def test_an_extension_while_held_lets_the_box_carry_on(clock):
    editor, _ = editor_for(new_session(), clock)
    editor.set_auto_advance(True)
    editor.start()
    clock.advance(5 * MIN + 10)
    editor.tick(hold=True)
    editor.extend(2)
    assert not any(isinstance(e, Advanced) for e in editor.tick())
    assert not editor.clock.held and editor.clock.current_id == "a"


operations = st.one_of(
    st.tuples(st.just("advance"), st.integers(0, 400)),
    st.tuples(st.sampled_from(["start", "pause", "toggle", "next", "back", "skip", "complete", "reopen", "undo_extension", "record_elapsed"]), st.none()),
    st.tuples(st.just("tick"), st.booleans()),
    st.tuples(st.just("jump"), st.sampled_from(["a", "b", "c", "nope"])),
    st.tuples(st.just("extend"), st.integers(-1, 700)),
)


@settings(max_examples=150, deadline=None)
@given(st.booleans(), st.lists(operations, max_size=40))
def test_every_operation_changes_the_session_only_with_a_change(auto_advance, script):
    """Refused: nothing changed, nobody told. Otherwise the listeners heard of it."""
    clock = FakeClock()
    session = new_session()
    editor, heard = editor_for(session, clock)
    editor.set_auto_advance(auto_advance)
    running_time = 0
    for name, argument in script:
        if name == "advance":
            running_time += argument if editor.clock.running else 0
            clock.advance(argument)
            continue
        before, told = session.model_dump(), len(heard)
        try:
            result = getattr(editor, name)(*([] if argument is None else [argument]))
        except Refused as refusal:
            assert session.model_dump() == before and len(heard) == told, str(refusal)
            continue
        if name == "tick":
            assert (len(heard) > told) == any(isinstance(e, Advanced) for e in result)
        elif result is None:
            assert len(heard) == told
        else:
            assert heard[-1] is result and len(heard) == told + 1
        assert sum(editor.clock.elapsed_of(i) for i in ("a", "b", "c")) == running_time
