"""Participants during a session through `SessionEditor`: late arrivals, leaving, coming back."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from factories import make_session
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop.domain.errors import Refused
from workshop.domain.models.limits import MAX_PARTICIPANTS, SHORT_TEXT_CHARACTERS
from workshop.domain.models.session import Participant
from workshop.domain.operations import Change, SessionEditor

NOW = datetime(2025, 3, 14, 11, 5, 30, 123456, tzinfo=timezone.utc)


def editor_for(session=None, **kwargs) -> tuple[SessionEditor, list[Change]]:
    editor = SessionEditor(session or make_session(), wall=lambda: NOW, **kwargs)
    heard: list[Change] = []
    editor.listen(heard.append)
    return editor, heard


def test_a_late_arrival_joins_present_with_a_readable_id_and_the_time():
    editor, heard = editor_for()
    change = editor.add_late_arrival("  Kim Late\t", " Head of finance ")
    person = editor.session.participants[-1]
    assert (person.id, person.name, person.role, person.present) == ("kim-late", "Kim Late", "Head of finance", True)
    assert person.joined_at == NOW.replace(microsecond=0)
    assert change == Change(area="participants", summary="Kim Late joined the session.", decision=True, ids=("kim-late",))
    assert heard == [change]


def test_ids_stay_unique_when_names_slug_alike():
    editor, _ = editor_for()
    editor.add_late_arrival("Kim Late")
    change = editor.add_late_arrival("Kim-Late!")  # another name, the same slug
    assert change.ids == ("kim-late-2",)
    assert len({p.id for p in editor.session.participants}) == len(editor.session.participants)


@pytest.mark.parametrize(
    "name, role, reason",
    [
        ("", "", "A late arrival needs a name."),
        ("  \t ", "", "A late arrival needs a name."),
        ("ana", "", "There is already a participant called Ana."),
        (" BO ", "", "There is already a participant called Bo."),
        ("x" * (SHORT_TEXT_CHARACTERS + 1), "", f"A name can be at most {SHORT_TEXT_CHARACTERS} characters long."),
        ("Kim", "r" * (SHORT_TEXT_CHARACTERS + 1), f"A role can be at most {SHORT_TEXT_CHARACTERS} characters long."),
    ],
)
def test_refused_arrivals_change_nothing(name, role, reason):
    editor, heard = editor_for()
    before = editor.session.model_dump()
    with pytest.raises(Refused) as refused:
        editor.add_late_arrival(name, role)
    assert str(refused.value) == reason
    assert editor.session.model_dump() == before and heard == []


def test_the_participant_cap():
    people = [Participant(id=f"p{n}", name=f"Person {n}") for n in range(MAX_PARTICIPANTS)]
    editor, heard = editor_for(make_session(participants=people))
    before = editor.session.model_dump()
    with pytest.raises(Refused, match=f"already has {MAX_PARTICIPANTS} participants, the most it can hold"):
        editor.add_late_arrival("One Too Many")
    assert editor.session.model_dump() == before and heard == []


def test_read_only_refuses_every_participant_operation():
    editor, heard = editor_for(read_only=True)
    before = editor.session.model_dump()
    for operation in (lambda: editor.add_late_arrival("Kim"), lambda: editor.mark_left("p1"), lambda: editor.mark_present("p1")):
        with pytest.raises(Refused, match="read-only"):
            operation()
    assert editor.session.model_dump() == before and heard == []


def test_leaving_and_coming_back():
    editor, heard = editor_for()
    left = editor.mark_left("p2")
    assert left == Change(area="participants", summary="Bo has left.", decision=True, ids=("p2",))
    assert editor.session.participant("p2").present is False
    assert editor.mark_left("p2") is None  # nothing to change, nobody told
    back = editor.mark_present("p2")
    assert back is not None and back.summary == "Bo is back." and back.decision
    assert editor.mark_present("p2") is None
    assert heard == [left, back]


def test_marking_someone_unknown_is_refused():
    editor, heard = editor_for()
    before = editor.session.model_dump()
    with pytest.raises(Refused, match="There is no participant with id 'zed' in this session."):
        editor.mark_left("zed")
    assert editor.session.model_dump() == before and heard == []


def test_names_that_look_like_markup_are_kept_as_they_are():
    editor, _ = editor_for()
    editor.add_late_arrival("x [/] y")
    editor.add_late_arrival("[red]Ana[/red]")
    assert [p.name for p in editor.session.participants[-2:]] == ["x [/] y", "[red]Ana[/red]"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=20), max_size=8))
def test_every_arrival_is_added_or_refused_cleanly(names):
    editor, heard = editor_for()
    for name in names:
        before = editor.session.model_dump()
        try:
            change = editor.add_late_arrival(name)
        except Refused as refused:
            reason = str(refused)
            assert reason[:1].isupper() and reason.endswith(".") and "\n" not in reason
            assert editor.session.model_dump() == before
            continue
        assert editor.session.participants[-1].id == change.ids[0]
    folded = [p.name.casefold() for p in editor.session.participants]
    assert len(folded) == len(set(folded))
    assert len(heard) == len(editor.session.participants) - 2
    # The session still validates as the file will be read back.
    type(editor.session).model_validate(editor.session.model_dump())
