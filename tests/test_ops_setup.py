"""Setup edits through `SessionEditor.edit_setup`, and the planning rules new sessions share."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from factories import make_pack
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop.domain.errors import Refused
from workshop.domain.models.limits import MAX_ACTIVITY_MINUTES, MAX_DOTS, MAX_PARTICIPANTS, MIN_ACTIVITY_MINUTES
from workshop.domain.models.session import VotingSettings
from workshop.domain.new_session import (
    PersonEntry,
    SetupDetails,
    SetupError,
    build_session,
    change_minutes,
    toggle_included,
    voting_settings,
)
from workshop.domain.operations import Change, SessionEditor


def planned():
    return build_session(
        make_pack(), title="Away day", team="SLT", facilitator="Sam", participants=[("Amira Khan", "Director"), ("Jo Reed", "")], day=date(2025, 3, 14)
    )


def details_of(session, **changes) -> SetupDetails:
    """The details a form opened on `session` would hold, with `changes`."""
    details = SetupDetails(
        title=session.title,
        day=session.date,
        team=session.team,
        facilitator=session.facilitator,
        participants=tuple(PersonEntry(p.name, p.role, p.id, p.present) for p in session.participants),
        available_minutes=session.available_minutes,
        start_time=session.start_time,
        sections=tuple(session.agenda.sections),
        voting=session.voting,
    )
    return replace(details, **changes)


def editor_for(session, **kwargs) -> tuple[SessionEditor, list[Change]]:
    editor = SessionEditor(session, **kwargs)
    heard: list[Change] = []
    editor.listen(heard.append)
    return editor, heard


def refused_unchanged(editor, heard, details, match: str) -> None:
    before, told = editor.session.model_dump(), len(heard)
    with pytest.raises(Refused, match=match) as refusal:
        editor.edit_setup(details)
    reason = str(refusal.value)
    assert "\n" not in reason and reason[0].isupper() and reason.endswith("."), reason
    assert editor.session.model_dump() == before and len(heard) == told


def test_edit_replaces_the_fields_and_keeps_ids():
    session = planned()
    editor, heard = editor_for(session)
    people = (
        PersonEntry("Jo Reed", "Head of early help", "jo-reed", present=False),
        PersonEntry("Amira Khan", "Director", "amira-khan"),
        PersonEntry("Amira Khan-Lee", "Finance"),
    )
    sections = toggle_included(session.agenda.sections, 0, None)
    change = editor.edit_setup(
        details_of(
            session,
            title="Spring away-day",
            day=date(2025, 4, 1),
            team="Children's SLT",
            participants=people,
            available_minutes=150,
            start_time="09:30",
            sections=tuple(sections),
            voting=VotingSettings(dots_per_person=7, max_per_item=3, mode="named"),
        )
    )
    assert change is not None and change.area == "setup" and change.decision and heard == [change]
    assert (session.title, session.date, session.team) == ("Spring away-day", date(2025, 4, 1), "Children's SLT")
    assert [(p.id, p.name, p.role, p.present) for p in session.participants] == [
        ("jo-reed", "Jo Reed", "Head of early help", False),
        ("amira-khan", "Amira Khan", "Director", True),
        ("amira-khan-lee", "Amira Khan-Lee", "Finance", True),
    ]
    assert (session.available_minutes, session.start_time) == (150, "09:30")
    assert not session.agenda.sections[0].included
    assert (session.voting.dots_per_person, session.voting.mode) == (7, "named")


def test_an_edit_that_changes_nothing_tells_nobody():
    session = planned()
    editor, heard = editor_for(session)
    assert editor.edit_setup(details_of(session)) is None and heard == []


def test_a_facilitator_who_votes_joins_the_participants():
    session = planned()
    editor, _ = editor_for(session)
    votes = VotingSettings(facilitator_votes=True)
    editor.edit_setup(details_of(session, voting=votes))
    assert [(p.name, p.role) for p in session.participants][-1] == ("Sam", "Facilitator")
    # Listed already (any case): not added twice.
    editor.edit_setup(details_of(session, facilitator="sam", voting=votes))
    assert [p.name.casefold() for p in session.participants].count("sam") == 1


def test_new_sessions_follow_the_same_facilitator_rule():
    votes = VotingSettings(facilitator_votes=True)
    session = build_session(make_pack(), title="T", facilitator="Sam Cole", day=date(2025, 3, 14), voting=votes)
    assert [(p.name, p.role) for p in session.participants] == [("Sam Cole", "Facilitator")]
    with pytest.raises(SetupError, match="facilitator's name"):
        build_session(make_pack(), title="T", facilitator="  ", day=date(2025, 3, 14), voting=votes)


def test_refusals_name_the_problem_and_change_nothing():
    session = planned()
    editor, heard = editor_for(session)
    votes = VotingSettings(facilitator_votes=True)
    dropped_all = session.agenda.sections
    for index in range(len(dropped_all)):
        dropped_all = toggle_included(dropped_all, index, None)
    for details, match in [
        (details_of(session, title="   "), "title"),
        (details_of(session, title="x" * 201), "title"),
        (details_of(session, facilitator="", voting=votes), "facilitator's name"),
        (details_of(session, participants=(PersonEntry("  "),)), "participant 1 has no name"),
        (details_of(session, participants=(PersonEntry("A", id="same"), PersonEntry("B", id="same"))), "listed twice"),
        (details_of(session, participants=tuple(PersonEntry(f"P{i}") for i in range(MAX_PARTICIPANTS + 1))), "at most"),
        (details_of(session, available_minutes=0), "available_minutes"),
        (details_of(session, start_time="25:00"), "start_time"),
        (details_of(session, sections=tuple(dropped_all)), "agenda is empty"),
    ]:
        refused_unchanged(editor, heard, details, match)


def test_only_a_planned_session_can_be_edited():
    session = planned()
    SessionEditor(session).start()
    editor, heard = editor_for(session)
    refused_unchanged(editor, heard, details_of(session, title="New"), "Only a planned session")


def test_read_only_refuses():
    session = planned()
    editor, heard = editor_for(session, read_only=True)
    refused_unchanged(editor, heard, details_of(session, title="New"), "read-only")


@pytest.mark.parametrize(
    "dots, cap, match",
    [
        ("", "2", "dots per person"),
        ("0", "1", "dots per person"),
        (str(MAX_DOTS + 1), "1", f"1 to {MAX_DOTS}"),
        ("1.5", "1", "whole number"),
        ("5", "6", "cannot be more"),
    ],
)
def test_voting_settings_are_checked_in_one_line(dots, cap, match):
    with pytest.raises(SetupError, match=match) as refusal:
        voting_settings(dots, cap, "passed", False)
    assert str(refusal.value).endswith(".")


def test_voting_settings_within_the_limits():
    assert voting_settings(str(MAX_DOTS), "1", "hands", True) == VotingSettings(dots_per_person=MAX_DOTS, max_per_item=1, mode="hands", facilitator_votes=True)
    with pytest.raises(SetupError, match="ballots"):
        voting_settings("5", "2", "secret", False)


@settings(max_examples=60)
@given(st.lists(st.integers(-300, 300), max_size=20))
def test_minutes_stay_within_the_limits_and_the_original_is_untouched(deltas):
    sections = make_pack().sections
    before = [s.model_dump() for s in sections]
    tuned = sections
    for delta in deltas:
        tuned = change_minutes(tuned, 0, 0, delta)
        assert MIN_ACTIVITY_MINUTES <= tuned[0].activities[0].minutes <= MAX_ACTIVITY_MINUTES
    assert [s.model_dump() for s in sections] == before


def test_two_participants_of_one_name_are_refused():
    import pytest

    from workshop.domain.errors import Refused
    from workshop.domain.new_session import make_participants

    with pytest.raises(Refused, match="Two participants are called 'jo reed'"):
        make_participants([("Jo Reed", "Director"), ("jo reed", "Head")])
    assert [p.id for p in make_participants([("Jo Reed", ""), ("Jo Reid", "")])] == ["jo-reed", "jo-reid"]
