"""Taking a move back (`return_to`, what `u` runs after next, back or skip): the room is on
the activity again, in the state it had, and the time spent since stays recorded."""

from __future__ import annotations

from test_ops_run import editor_for, new_session, record

from workshop.domain.timebox import FakeClock


def test_a_skip_taken_back_leaves_the_activity_unskipped():
    clock = FakeClock()
    editor, heard = editor_for(new_session(), clock)
    editor.start()
    clock.advance(30)
    first = editor.clock.current_id
    state = editor.clock.state_of(first)
    editor.skip()
    assert record(editor.session, first).state == "skipped"
    editor.return_to(first, state)
    assert editor.clock.current_id == first and record(editor.session, first).state == state
    assert editor.clock.running and record(editor.session, first).elapsed_seconds >= 30
    assert heard[-1].area == "run" and "undone" in heard[-1].summary
    # Moving on again finishes it as done, not skipped.
    editor.next()
    assert record(editor.session, first).state == "done"


def test_a_completion_taken_back_reopens_the_session():
    clock = FakeClock()
    editor, _ = editor_for(new_session(), clock)
    last = editor.clock.activities[-1][1].id
    assert last is not None
    editor.jump(last)
    state = editor.clock.state_of(last)
    editor.next()
    assert editor.clock.completed
    editor.return_to(last, state)
    assert not editor.clock.completed and editor.clock.current_id == last
    assert record(editor.session, last).state == state
