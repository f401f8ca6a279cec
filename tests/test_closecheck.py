"""Loose ends before closing: unplaced priorities and protected ones without an owner."""

from __future__ import annotations

from datetime import date

from workshop.domain.closecheck import loose_ends
from workshop.domain.models.session import Proposal, Session, new_id
from workshop.domain.new_session import build_session
from workshop.storage.packs import builtin_content_dir, load_pack


def session_with(*proposals: dict) -> Session:
    pack = load_pack(builtin_content_dir() / "demo.toml")
    session = build_session(pack, title="t", participants=[("Amira", "Director")], day=date(2026, 3, 12))
    for index, fields in enumerate(proposals):
        session.proposals.append(Proposal(id=new_id(), position=index, **fields))
    return session


def test_nothing_loose_when_all_is_placed_owned_and_dated():
    assert loose_ends(session_with()) == []
    session = session_with(
        {"text": "A", "horizon": "a-year", "owner": "Ben", "review_date": date(2026, 9, 1)},
        {"text": "B", "horizon": "next-month", "protected": True, "owner": "Amira", "review_date": date(2026, 4, 1)},
    )
    assert loose_ends(session) == []


def test_placed_priorities_without_an_owner_or_a_review_date_are_named():
    # Before, only protected ones without an owner were: a placed priority nobody owns,
    # or with no date to look at it again, reached the report unnoticed.
    session = session_with({"text": "A", "horizon": "a-year", "review_date": date(2026, 9, 1)}, {"text": "B", "horizon": "next-month", "owner": "Amira"})
    assert loose_ends(session) == [
        "1 priority has no owner: 'A'",
        "1 placed priority has no review date: 'B'",
    ]


def test_unplaced_and_ownerless_protected_are_named():
    session = session_with(
        {"text": "A shared data dashboard"},
        {"text": "Monthly panels"},
        {"text": "X", "horizon": "a-year", "protected": True},
        {"text": "Y", "horizon": "a-year", "protected": True, "owner": "  "},
    )
    assert loose_ends(session) == [
        "2 priorities are not placed on a horizon: 'A shared data dashboard', 'Monthly panels'",
        "2 priorities have no owner: 'X', 'Y'",
        "2 placed priorities have no review date: 'X', 'Y'",
    ]


def test_singular_wording_and_protected_unplaced_counts_twice():
    session = session_with({"text": "X", "protected": True})
    assert loose_ends(session) == [
        "1 priority is not placed on a horizon: 'X'",
        "1 priority has no owner: 'X'",
    ]


def test_dropped_proposals_are_not_loose():
    session = session_with({"text": "Gone", "status": "dropped", "protected": True})
    assert loose_ends(session) == []


def test_long_lists_and_long_texts_stay_one_readable_line():
    long_text = "A very long priority that goes on and on about many different things"
    session = session_with(
        *({"text": f"P{index}"} for index in range(7)), {"text": long_text, "horizon": "a-year", "protected": True, "review_date": date(2026, 9, 1)}
    )
    unplaced, ownerless = loose_ends(session)
    assert unplaced == "7 priorities are not placed on a horizon: 'P0', 'P1', 'P2', 'P3', 'P4' and 2 more"
    assert ownerless == f"1 priority has no owner: '{long_text[:39]}…'"


def test_listed_in_board_order():
    session = session_with({"text": "B"}, {"text": "A"})
    session.proposals[0].position = 5
    assert loose_ends(session) == ["2 priorities are not placed on a horizon: 'A', 'B'"]


def test_activities_run_with_the_clock_paused_are_named():
    # A whole day can be run without starting the clock: the report then reads 0:00 everywhere.
    session = session_with()
    activities = [activity for _, activity in session.agenda.activities()]
    worked, timed, idle = activities[0], activities[1], activities[2]
    assert worked.id and timed.id and idle.id
    session.note_for(worked.id).text = "What the room said"
    session.note_for(timed.id).text = "Said while the clock ran"
    session.note_for(idle.id).text = ""
    for activity, seconds in ((worked, 0.0), (timed, 95.0), (idle, 0.0)):
        assert activity.id
        record = session.progress_for(activity.id)
        record.state, record.elapsed_seconds = "done", seconds
    assert loose_ends(session) == [f"1 activity was run with the clock paused, so the report shows no time for it: '{worked.title}'"]


def test_parked_items_not_reviewed_are_named():
    from workshop.domain.operations import SessionEditor

    editor = SessionEditor(session_with())
    editor.park("Pooled budgets with health", raised_by="Amira")
    editor.park("The school holidays")
    expected = "2 parked items are not reviewed (keep, drop or make a proposal): 'Pooled budgets with health', 'The school holidays'"
    assert loose_ends(editor.session) == [expected]
    first, second = (item.id for item in editor.session.parking_lot)
    editor.review_parked(first, "kept")
    editor.review_parked(second, "dropped")
    assert loose_ends(editor.session) == []


def test_top_priorities_without_a_consent_answer_are_named():
    from test_consent import voted_editor

    editor = voted_editor(top=2)
    # Shared data (3 dots) and a tie for second: Panels and Training (1 each).
    placed = {"horizon": "a-year", "owner": "Ana", "review_date": date(2026, 9, 1)}
    for proposal in editor.session.proposals:
        for key, value in placed.items():
            setattr(proposal, key, value)
    assert loose_ends(editor.session) == ["3 top priorities have no answer in the consent check (agreed or objected to): 'Shared data', 'Panels', 'Training'"]
    editor.record_consent("agree", "x0", "agreed")
    editor.record_consent("agree", "x1", "objected", "Not this year")
    assert loose_ends(editor.session) == ["1 top priority has no answer in the consent check (agreed or objected to): 'Training'"]
    editor.record_consent("agree", "x2", "agreed")
    assert loose_ends(editor.session) == []


def test_no_consent_answer_is_asked_for_before_the_vote_is_revealed():
    from test_consent import voted_editor

    editor = voted_editor(reveal=False)
    assert not any("consent" in line for line in loose_ends(editor.session))
