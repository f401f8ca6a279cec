"""Comparing two sessions and a series of three: figures computed by hand in the comments."""

from __future__ import annotations

from datetime import date

import pytest
from factories import make_agenda, make_session, sessions
from hypothesis import HealthCheck, given, settings

from workshop.domain.compare import compare_sessions, in_date_order
from workshop.domain.errors import WorkshopError
from workshop.domain.models.session import ActivityProgress, Proposal, RatingBallot, RatingRound, Session
from workshop.domain.series import one_team, series


def rated(session_id: str, day: date, answers: dict[str, list[int]], **overrides: object) -> Session:
    """A session whose rating activity s1-2 got `answers` (question id -> answers)."""
    longest = max((len(values) for values in answers.values()), default=0)
    ballots = [RatingBallot(answers={qid: values[i] for qid, values in answers.items() if i < len(values)}) for i in range(longest)]
    fields: dict[str, object] = {"id": session_id, "date": day, "rating_rounds": [RatingRound(id="r1", activity_id="s1-2", mode="named", ballots=ballots)]}
    fields.update(overrides)
    return make_session(**fields)


SPRING = rated("spring11", date(2025, 3, 14), {"q1a": [1, 2, 2, 5], "q1b": [3, 3, 4]})
AUTUMN = rated("autumn22", date(2025, 10, 2), {"q1a": [3, 3, 4], "q1b": [3, 4, 4, 3]})


def test_shared_questions_then_and_now_by_hand() -> None:
    comparison = compare_sessions(SPRING, AUTUMN)
    by_id = {change.question_id: change for change in comparison.shared}
    # Both sessions use the same agenda: all four questions are shared, none one-sided.
    assert list(by_id) == ["q1a", "q1b", "q2a", "q2b"]
    assert comparison.only_before == comparison.only_after == ()
    q1a = by_id["q1a"]
    # Spring 1,2,2,5: median (2+2)/2 = 2, range 5-1 = 4 >= 3, low agreement.
    assert (q1a.before.summary.median, q1a.before.summary.spread, q1a.before.summary.low_agreement) == (2.0, 4, True)
    assert q1a.before.summary.distribution == {1: 1, 2: 2, 3: 0, 4: 0, 5: 1}
    # Autumn 3,3,4: median 3, range 1, agreement.
    assert (q1a.after.summary.median, q1a.after.summary.spread, q1a.after.summary.low_agreement) == (3.0, 1, False)
    # Change: median +1, range -3, agreement changed: it stands out on both counts.
    assert (q1a.median_change, q1a.spread_change, q1a.agreement_changed, q1a.stands_out) == (1.0, -3, True, True)
    q1b = by_id["q1b"]
    # Spring 3,3,4: median 3. Autumn 3,3,4,4: median (3+4)/2 = 3.5; +0.5 and ranges 1 and 1.
    assert (q1b.median_change, q1b.spread_change, q1b.agreement_changed, q1b.stands_out) == (0.5, 0, False, False)
    # Nobody answered q2a in either: no change to report, nothing stands out.
    assert (by_id["q2a"].median_change, by_id["q2a"].stands_out) == (None, False)
    assert [change.question_id for change in comparison.standing_out] == ["q1a"]


def test_a_median_falling_by_one_stands_out_too() -> None:
    before = rated("b", date(2025, 1, 1), {"q1a": [4, 4, 4]})
    after = rated("a", date(2025, 2, 1), {"q1a": [3, 3, 3]})
    change = compare_sessions(before, after).shared[0]
    assert (change.median_change, change.agreement_changed, change.stands_out) == (-1.0, False, True)


def test_the_same_move_from_fewer_answers_is_not_news() -> None:
    # Four people, a one-point move of the median: within what their scatter makes by chance.
    then, now = [2, 3, 3, 4], [3, 4, 4, 5]
    four = compare_sessions(rated("b", date(2025, 1, 1), {"q1a": then}), rated("a", date(2025, 2, 1), {"q1a": now}))
    assert (four.shared[0].median_change, four.shared[0].stands_out) == (1.0, False)
    # Eight people answering the same way: the move is larger than chance would make.
    eight = compare_sessions(rated("b", date(2025, 1, 1), {"q1a": then * 2}), rated("a", date(2025, 2, 1), {"q1a": now * 2}))
    assert (eight.shared[0].median_change, eight.shared[0].stands_out) == (1.0, True)
    # Two answers each never stand out on their median alone, however far they move.
    two = compare_sessions(rated("b", date(2025, 1, 1), {"q1a": [1, 1]}), rated("a", date(2025, 2, 1), {"q1a": [5, 5]}))
    assert two.shared[0].stands_out is False


def test_sessions_of_different_packs_compare_on_shared_questions() -> None:
    # The later one's agenda has section 1 only: q2a and q2b were asked only before.
    later = rated("later", date(2025, 10, 2), {"q1a": [3]}, agenda=make_agenda(1))
    comparison = compare_sessions(SPRING, later)
    assert [c.question_id for c in comparison.shared] == ["q1a", "q1b"]
    assert [q.question_id for q in comparison.only_before] == ["q2a", "q2b"]
    assert comparison.only_after == ()


def test_a_question_on_another_scale_is_not_compared() -> None:
    data = make_agenda(1).model_dump(by_alias=True)
    data["sections"][0]["activities"][1]["questions"][0]["scale"] = {"min": 1, "max": 10}
    later = rated("later", date(2025, 10, 2), {"q1a": [9]}, agenda=type(make_agenda()).model_validate(data))
    comparison = compare_sessions(SPRING, later)
    assert [c.question_id for c in comparison.shared] == ["q1b"]
    assert [q.question_id for q in comparison.only_after] == ["q1a"]
    assert [q.question_id for q in comparison.only_before] == ["q1a", "q2a", "q2b"]


def test_timings_planned_against_actual_on_both_sides() -> None:
    # The tiny pack plans 2 sections x (5+5+10+5) + 10+10+5 = 75 minutes.
    later = rated(
        "later",
        date(2025, 10, 2),
        {},
        progress=[
            ActivityProgress(activity_id="s1-1", state="done", elapsed_seconds=420),
            ActivityProgress(activity_id="end-1", state="done", elapsed_seconds=600.5),
        ],
    )
    comparison = compare_sessions(SPRING, later)
    assert comparison.timing_before.planned_minutes == comparison.timing_after.planned_minutes == 75
    # make_session records 301.5 s on s1-1; the later one 420 + 600.5.
    assert comparison.timing_before.actual_seconds == pytest.approx(301.5)
    assert comparison.timing_after.actual_seconds == pytest.approx(1020.5)


def test_a_follow_up_lists_the_earlier_priorities_with_their_review() -> None:
    earlier = make_session(
        id="spring11",
        proposals=[
            Proposal(id="p-done", text="Share budgets", horizon="a-year", owner="Ana", protected=True, review_date=date(2025, 9, 1)),
            Proposal(id="p-carry", text="Joint case review", horizon="next-month", owner="Bo"),
            Proposal(id="p-none", text="Not reviewed yet", horizon="next-month", position=1),
            Proposal(id="p-tray", text="Never placed", horizon="unplaced"),
        ],
    )
    later = make_session(
        id="autumn22",
        date=date(2025, 10, 2),
        follow_up_of="spring11",
        proposals=[
            Proposal(id="n1", text="Share budgets", carried_from="p-done", status="done"),
            Proposal(id="n2", text="Joint case review", carried_from="p-carry"),
        ],
    )
    comparison = compare_sessions(earlier, later)
    assert comparison.is_follow_up
    # Horizon order (next month first), board order within; the unplaced one is no priority.
    assert [(p.proposal_id, p.status, p.carried_to) for p in comparison.priorities] == [
        ("p-carry", "carried-forward", "n2"),
        ("p-none", "open", None),
        ("p-done", "done", "n1"),
    ]
    assert [p.status_label for p in comparison.priorities] == ["Carried forward", "Not reviewed", "Done"]
    assert comparison.priorities[2].protected and comparison.priorities[2].review_date == date(2025, 9, 1)
    # Not a follow-up: no priorities are reviewed.
    assert compare_sessions(earlier, make_session(id="other")).priorities == ()


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(sessions())
def test_comparing_a_session_with_itself_changes_nothing(session: Session) -> None:
    comparison = compare_sessions(session, session)
    assert comparison.only_before == comparison.only_after == ()
    assert comparison.standing_out == ()
    for change in comparison.shared:
        assert change.median_change in (None, 0)
        assert change.spread_change in (None, 0)
        assert not change.agreement_changed


# -- series ---------------------------------------------------------------------------


def test_a_series_of_three_in_date_order_by_hand() -> None:
    summer = rated("summer33", date(2025, 6, 20), {"q1a": [2, 3, 4, 4, 5]})
    # Given out of order; the series puts them in date order: spring, summer, autumn.
    result = series([AUTUMN, SPRING, summer])
    assert [point.session_id for point in result.points] == ["spring11", "summer33", "autumn22"]
    by_id = {q.question_id: q for q in result.questions}
    # q1a: spring 1,2,2,5 -> 2; summer 2,3,4,4,5 -> 4 (the third of five); autumn 3,3,4 -> 3.
    assert by_id["q1a"].medians == (2.0, 4.0, 3.0)
    # q1b: spring 3,3,4 -> 3; summer not answered; autumn 3,3,4,4 -> 3.5.
    assert by_id["q1b"].medians == (3.0, None, 3.5)
    assert by_id["q1b"].known == 2
    # Nobody answered q2a anywhere: it has no trend and is left out.
    assert "q2a" not in by_id
    assert result.team == "Leadership team"


def test_a_series_leaves_out_sessions_not_held_yet() -> None:
    summer = rated("summer33", date(2025, 6, 20), {"q1a": [4, 4]}, status="completed")
    planned = rated("winter44", date(2026, 1, 20), {}, status="planned")
    result = series([AUTUMN, SPRING, summer, planned])
    assert [point.session_id for point in result.points] == ["spring11", "summer33", "autumn22"]
    with pytest.raises(WorkshopError, match="at least 3 sessions that were held; 3 given \\(1 not held yet\\)"):
        series([SPRING, AUTUMN, planned])


def test_a_chain_of_follow_ups_is_one_team_whatever_the_names() -> None:
    first = rated("one", date(2024, 1, 1), {"q1a": [1]}, team="North")
    second = rated("two", date(2024, 6, 1), {"q1a": [2]}, team="North and East", follow_up_of="one")
    third = rated("three", date(2025, 1, 1), {"q1a": [5]}, team="", follow_up_of="two")
    assert one_team([third, first, second])
    assert series([first, second, third]).questions[0].medians == (1.0, 2.0, 5.0)
    assert series([first, second, third]).team == "North and East"


def test_team_names_match_without_case_or_extra_spaces() -> None:
    assert one_team([make_session(id="a", team="North  team"), make_session(id="b", team=" north team")])
    assert not one_team([make_session(id="a", team=""), make_session(id="b", team="")])


def test_a_series_refuses_two_sessions_or_two_teams() -> None:
    with pytest.raises(WorkshopError, match="at least 3"):
        series([SPRING, AUTUMN])
    stranger = rated("other", date(2025, 5, 1), {"q1a": [3]}, team="Another team")
    with pytest.raises(WorkshopError, match="not of one team"):
        series([SPRING, AUTUMN, stranger])


def test_in_date_order_breaks_ties_by_creation() -> None:
    from datetime import datetime, timezone

    early = make_session(id="early", created_at=datetime(2025, 1, 1, tzinfo=timezone.utc))
    late = make_session(id="late", created_at=datetime(2025, 1, 2, tzinfo=timezone.utc))
    assert [s.id for s in in_date_order([late, early])] == ["early", "late"]


def test_the_report_lists_the_questions_that_stand_out_first() -> None:
    from report_day import full_day

    from workshop.domain.compare_report import compare_markdown

    spring = full_day()
    autumn = full_day(seed=7, day=date(2026, 10, 1), session_id="autumn26")
    comparison = compare_sessions(spring, autumn)
    flags = [change.stands_out for change in comparison.stand_outs_first]
    rated = {question.id for _, activity in spring.agenda.activities() for question in getattr(activity, "questions", ())}
    assert len(flags) == len(rated) and any(flags) and not all(flags)
    assert flags == sorted(flags, reverse=True)
    moves = [abs(change.median_change or 0) for change in comparison.stand_outs_first if change.stands_out]
    assert moves == sorted(moves, reverse=True)
    table = [line for line in compare_markdown(comparison).splitlines() if line.startswith("| ") and "→" in line]
    shown = ["stands out" in line for line in table]
    assert shown == flags
