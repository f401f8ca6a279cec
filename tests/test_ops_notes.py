"""Notes through `SessionEditor.set_note`: limits, cleaning, refusals, listeners."""

from __future__ import annotations

import pytest
from factories import make_session
from hypothesis import given
from hypothesis import strategies as st

from workshop.domain.errors import Refused
from workshop.domain.models.limits import NOTE_CHARACTERS
from workshop.domain.models.session import Note
from workshop.domain.operations import Change, SessionEditor
from workshop.domain.text import clean_text
from workshop.domain.timebox import FakeClock

DISCUSS = "s1-3"  # has a note in make_session
OTHER = "s2-3"  # has none


def editor(**kwargs) -> tuple[SessionEditor, list[Change], FakeClock]:
    clock = FakeClock()
    ed = SessionEditor(make_session(), monotonic=clock.monotonic, wall=clock.wall, **kwargs)
    heard: list[Change] = []
    ed.listen(heard.append)
    return ed, heard, clock


def test_set_note_replaces_the_text_and_stamps_it():
    ed, heard, clock = editor()
    clock.advance(90)
    change = ed.set_note(DISCUSS, "New thoughts")
    note = next(n for n in ed.session.notes if n.activity_id == DISCUSS)
    assert note.text == "New thoughts"
    assert note.updated_at == clock.wall()
    assert change == Change(area="notes", summary="Note updated", decision=False, ids=(DISCUSS,))
    assert heard == [change]


def test_first_note_of_an_activity_is_created():
    ed, heard, clock = editor()
    assert ed.note_text(OTHER) == ""
    ed.set_note(OTHER, "First line\nsecond")
    assert ed.note_text(OTHER) == "First line\nsecond"
    assert [n.activity_id for n in ed.session.notes] == [DISCUSS, OTHER]
    assert ed.session.notes[-1].updated_at == clock.wall()
    assert len(heard) == 1 and not heard[0].decision


def test_reading_a_note_changes_nothing():
    ed, _, _ = editor()
    before = ed.session.model_dump()
    assert ed.note_text(OTHER) == ""
    assert ed.session.model_dump() == before


def test_unchanged_text_returns_none_and_tells_nobody():
    ed, heard, _ = editor()
    before = ed.session.model_dump()
    assert ed.set_note(DISCUSS, "We said:\n- one\n- two") is None
    # No note and an empty text are the same: nothing is written.
    assert ed.set_note(OTHER, "") is None
    # Cleaning makes these the same text as stored.
    assert ed.set_note(DISCUSS, "We said:\r\n- one\r\n- two\x07") is None
    assert heard == []
    assert ed.session.model_dump() == before


def test_text_is_cleaned_like_the_model_cleans_it():
    ed, _, _ = editor()
    ed.set_note(DISCUSS, "a\r\nb\x00c\u202e")
    assert ed.note_text(DISCUSS) == "a\nbc"


@pytest.mark.parametrize(
    ("activity_id", "text", "reason"),
    [
        ("nope", "hello", "There is no activity 'nope' in this session's agenda."),
        (DISCUSS, "x" * (NOTE_CHARACTERS + 1), f"A note holds at most {NOTE_CHARACTERS:,} characters."),
    ],
)
def test_refusals_change_nothing(activity_id, text, reason):
    ed, heard, _ = editor()
    before = ed.session.model_dump()
    with pytest.raises(Refused) as error:
        ed.set_note(activity_id, text)
    assert error.value.reason == reason
    assert ed.session.model_dump() == before
    assert heard == []


def test_the_limit_message_is_the_one_the_brief_names():
    ed, _, _ = editor()
    with pytest.raises(Refused, match=r"^A note holds at most 20,000 characters\.$"):
        ed.set_note(DISCUSS, "x" * (NOTE_CHARACTERS + 1))


def test_exactly_at_the_limit_is_kept():
    ed, _, _ = editor()
    ed.set_note(DISCUSS, "x" * NOTE_CHARACTERS)
    assert len(ed.note_text(DISCUSS)) == NOTE_CHARACTERS


def test_read_only_refuses():
    ed, heard, _ = editor(read_only=True)
    before = ed.session.model_dump()
    with pytest.raises(Refused, match="read-only"):
        ed.set_note(DISCUSS, "anything")
    assert ed.session.model_dump() == before and heard == []


def test_an_unlistened_listener_hears_nothing_more():
    ed, heard, _ = editor()
    ed.unlisten(heard.append)
    ed.set_note(DISCUSS, "quiet")
    assert heard == []


@given(st.text(max_size=200))
def test_any_text_round_trips_through_the_model(text):
    ed = SessionEditor(make_session())
    change = ed.set_note(OTHER, text)
    stored = ed.note_text(OTHER)
    assert stored == clean_text(text)
    assert (change is None) == (stored == "")
    # What the operation stored, the model accepts as it is.
    assert Note.model_validate({"activity_id": OTHER, "text": stored}).text == stored
