"""Counting ratings and dot votes (workshop.domain.tally): pure functions, no session needed."""

from __future__ import annotations

import math
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop.domain.models.pack import Question, Scale
from workshop.domain.models.session import (
    DotBallot,
    RatingBallot,
    RatingRound,
    VoteRound,
)
from workshop.domain.tally import (
    HORIZON_ORDER,
    LOW_AGREEMENT_RULE,
    TIE_RULE,
    ballot_problems,
    current_round,
    dot_totals,
    horizon_suggestion,
    low_agreement_gap,
    rank_proposals,
    summarise_rating_round,
    summarise_ratings,
)

ONE_TO_FIVE = Scale()
ONE_TO_TEN = Scale(min=1, max=10)
PROPOSALS = ["pa", "pb", "pc", "pd"]


def vote_round(ballots: list[dict[str, int]], proposals: list[str] = PROPOSALS, **fields) -> VoteRound:
    return VoteRound(
        id="v1",
        activity_id="end-1",
        mode=fields.pop("mode", "named"),
        proposals=proposals,
        ballots=[DotBallot(voter=f"p{i}", dots=dots) for i, dots in enumerate(ballots)],
        **fields,
    )


def places(ballot_round: VoteRound) -> list[tuple[str, int, str]]:
    return [(r.proposal_id, r.dots, r.place_label) for r in rank_proposals(ballot_round)]


# -- ratings ------------------------------------------------------------------------


def test_summary_of_answers():
    summary = summarise_ratings([4, 2, 5, 4], ONE_TO_FIVE, question_id="q1")
    assert summary.question_id == "q1"
    assert summary.count == 4
    assert summary.distribution == {1: 0, 2: 1, 3: 0, 4: 2, 5: 1}
    assert list(summary.distribution) == [1, 2, 3, 4, 5]
    assert summary.median == 4.0
    assert summary.mean == pytest.approx(3.75)
    assert summary.spread == 3
    assert summary.stdev == pytest.approx(statistics.pstdev([4, 2, 5, 4]))
    assert summary.low_agreement is True
    assert summary.scale == ONE_TO_FIVE


def test_median_of_an_even_count_is_the_mean_of_the_middle_two():
    assert summarise_ratings([2, 3], ONE_TO_FIVE).median == 2.5
    assert summarise_ratings([1, 2, 4, 5], ONE_TO_FIVE).median == 3.0
    assert summarise_ratings([3, 3, 4, 4, 4, 5], ONE_TO_FIVE).median == 4.0


def test_nobody_answered():
    summary = summarise_ratings([], ONE_TO_FIVE)
    assert summary.count == 0
    assert summary.distribution == {1: 0, 2: 0, 3: 0, 4: 0, 5: 0}
    assert (summary.median, summary.mean, summary.spread, summary.stdev) == (None, None, None, None)
    assert summary.low_agreement is False


def test_one_answer_is_never_low_agreement():
    summary = summarise_ratings([5], ONE_TO_FIVE)
    assert (summary.median, summary.mean, summary.spread, summary.stdev) == (5, 5, 0, 0)
    assert not summary.low_agreement


@pytest.mark.parametrize("scale, gap", [(ONE_TO_FIVE, 3), (ONE_TO_TEN, 7), (Scale(min=0, max=10), 8), (Scale(min=1, max=2), 1)])
def test_low_agreement_threshold_is_three_quarters_of_the_range(scale, gap):
    assert low_agreement_gap(scale) == gap == math.ceil(0.75 * (scale.max - scale.min))


@pytest.mark.parametrize(
    "values, low",
    [([1, 4], True), ([2, 5], True), ([1, 3], False), ([2, 4, 4, 3], False), ([3, 3, 3, 3, 1, 4], True)],
)
def test_low_agreement_on_one_to_five(values, low):
    assert summarise_ratings(values, ONE_TO_FIVE).low_agreement is low


@pytest.mark.parametrize("values, low", [([1, 8], True), ([3, 10], True), ([1, 7], False), ([2, 8, 5], False)])
def test_low_agreement_on_one_to_ten(values, low):
    assert summarise_ratings(values, ONE_TO_TEN).low_agreement is low


def test_the_rule_is_stated_for_the_room():
    assert "three quarters" in LOW_AGREEMENT_RULE and "3 points on a 1-5" in LOW_AGREEMENT_RULE


def test_answers_off_the_scale_are_counted_apart():
    summary = summarise_ratings([0, 3, 6, 4], ONE_TO_FIVE)
    assert summary.count == 2 and summary.off_scale == 2
    assert summary.median == 3.5


QUESTIONS = [Question(id="qa", prompt="A?"), Question(id="qb", prompt="B?", scale=ONE_TO_TEN), Question(id="qc", prompt="C?")]


def test_rating_round_from_ballots_with_unanswered_questions():
    ballot_round = RatingRound(
        id="r1",
        activity_id="s1-2",
        mode="named",
        ballots=[
            RatingBallot(voter="a", answers={"qa": 2, "qb": 9}),
            RatingBallot(voter="b", answers={"qa": 5}),
            RatingBallot(voter="c", answers={"qa": 4, "zz": 3}),
        ],
    )
    summaries = summarise_rating_round(ballot_round, QUESTIONS)
    assert list(summaries) == ["qa", "qb", "qc"]
    assert summaries["qa"].count == 3 and summaries["qa"].median == 4 and summaries["qa"].low_agreement
    assert summaries["qb"].count == 1 and summaries["qb"].distribution[9] == 1 and len(summaries["qb"].distribution) == 10
    assert summaries["qc"].count == 0 and summaries["qc"].mean is None


def test_rating_round_by_show_of_hands():
    ballot_round = RatingRound(
        id="r1",
        activity_id="s1-2",
        mode="hands",
        hands={"qa": {"1": 2, "4": 3, "5": 1}, "qb": {"10": 4, "11": 1}},
        # A hands round counts its hands, never stray ballots.
        ballots=[RatingBallot(answers={"qa": 3})],
    )
    summaries = summarise_rating_round(ballot_round, QUESTIONS)
    assert summaries["qa"].distribution == {1: 2, 2: 0, 3: 0, 4: 3, 5: 1}
    assert summaries["qa"].count == 6 and summaries["qa"].median == 4.0 and summaries["qa"].low_agreement
    assert summaries["qb"].count == 4 and summaries["qb"].off_scale == 1 and summaries["qb"].spread == 0
    assert summaries["qc"].count == 0


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(1, 5), max_size=30))
def test_summary_matches_the_statistics_module(values):
    summary = summarise_ratings(values, ONE_TO_FIVE)
    assert summary.count == len(values) == sum(summary.distribution.values())
    if values:
        assert summary.median == pytest.approx(statistics.median(values))
        assert summary.mean == pytest.approx(statistics.fmean(values))
        assert summary.stdev == pytest.approx(statistics.pstdev(values), abs=1e-9)
        assert summary.spread == max(values) - min(values)
        assert summary.low_agreement == (len(values) >= 2 and max(values) - min(values) >= 3)


# -- ballot problems ----------------------------------------------------------------


def test_a_good_ballot_has_no_problems_even_under_budget():
    assert ballot_problems({"pa": 2, "pb": 1}, 5, 2, PROPOSALS) == []
    assert ballot_problems({}, 5, 2, PROPOSALS) == []


def test_over_budget():
    assert ballot_problems({"pa": 2, "pb": 2, "pc": 2, "pd": 1}, 5, 2, PROPOSALS) == ["7 dots used, 5 allowed"]


def test_over_the_cap_names_the_proposal():
    assert ballot_problems({"pa": 3}, 5, 2, PROPOSALS, {"pa": "Share budgets"}) == ["3 dots on 'Share budgets', at most 2 on one proposal"]
    assert ballot_problems({"pa": 3}, 5, 2, PROPOSALS) == ["3 dots on 'pa', at most 2 on one proposal"]


def test_unknown_and_non_positive_dots():
    assert ballot_problems({"zz": 1}, 5, 2, PROPOSALS) == ["'zz' is not on this ballot"]
    assert ballot_problems({"pa": 0}, 5, 2, PROPOSALS) == ["0 dots on 'pa': put at least 1 dot, or leave it out"]
    assert ballot_problems({"pa": -1}, 5, 2, PROPOSALS)[0].startswith("-1 dots on 'pa'")
    assert "whole number" in ballot_problems({"pa": 1.5}, 5, 2, PROPOSALS)[0]
    assert "whole number" in ballot_problems({"pa": True}, 5, 2, PROPOSALS)[0]


def test_every_problem_is_reported():
    problems = ballot_problems({"pa": 3, "pb": 3, "zz": 1}, 5, 2, PROPOSALS)
    assert problems == [
        "6 dots used, 5 allowed",
        "3 dots on 'pa', at most 2 on one proposal",
        "3 dots on 'pb', at most 2 on one proposal",
        "'zz' is not on this ballot",
    ]


def test_long_proposal_texts_are_shortened_in_reasons():
    [problem] = ballot_problems({"pa": 3}, 5, 2, PROPOSALS, {"pa": "x" * 200})
    assert len(problem) < 90 and "…" in problem


# -- ranking ------------------------------------------------------------------------


def test_ranking_by_dots():
    ballot_round = vote_round([{"pa": 1, "pb": 2}, {"pb": 2, "pc": 1}])
    assert places(ballot_round) == [("pb", 4, "1"), ("pa", 1, "=2"), ("pc", 1, "=2"), ("pd", 0, "4")]


def test_ties_on_dots_are_broken_by_voters():
    # pb: 2 dots from one person; pc: 2 dots from two people, so pc is ahead.
    ballot_round = vote_round([{"pb": 2}, {"pc": 1}, {"pc": 1}])
    ranked = rank_proposals(ballot_round)
    assert [(r.proposal_id, r.dots, r.voters, r.place, r.shared) for r in ranked] == [
        ("pc", 2, 2, 1, False),
        ("pb", 2, 1, 2, False),
        ("pa", 0, 0, 3, True),
        ("pd", 0, 0, 3, True),
    ]


def test_proposals_level_on_dots_and_voters_share_a_place_in_proposal_order():
    ballot_round = vote_round([{"pd": 2, "pb": 2}, {"pa": 1}], proposals=["pd", "pc", "pb", "pa"])
    assert places(ballot_round) == [("pd", 2, "=1"), ("pb", 2, "=1"), ("pa", 1, "3"), ("pc", 0, "4")]


def test_empty_round_ranks_everything_level():
    assert places(vote_round([])) == [(p, 0, "=1") for p in PROPOSALS]
    assert rank_proposals(vote_round([], proposals=[])) == []


def test_show_of_hands_ranks_by_counted_dots():
    ballot_round = VoteRound(
        id="v1", activity_id="end-1", mode="hands", proposals=PROPOSALS, hands={"pa": 3, "pb": 5, "pc": 3}, ballots=[DotBallot(dots={"pd": 9})]
    )
    ranked = rank_proposals(ballot_round)
    assert [(r.proposal_id, r.dots, r.voters, r.place_label) for r in ranked] == [
        ("pb", 5, None, "1"),
        ("pa", 3, None, "=2"),
        ("pc", 3, None, "=2"),
        ("pd", 0, None, "4"),
    ]


def test_dots_on_proposals_not_on_the_ballot_are_not_counted():
    ballot_round = vote_round([{"pa": 1, "gone": 2}])
    assert dot_totals(ballot_round) == {"pa": 1, "pb": 0, "pc": 0, "pd": 0}


def test_the_tie_rule_is_stated():
    assert "number of people who voted" in TIE_RULE and "share a place" in TIE_RULE


dot_ballots = st.lists(st.dictionaries(st.sampled_from(PROPOSALS), st.integers(1, 2), max_size=3), max_size=8)


@settings(max_examples=50, deadline=None)
@given(dot_ballots, st.randoms(use_true_random=False))
def test_ranking_does_not_depend_on_ballot_order(ballots, random):
    shuffled = list(ballots)
    random.shuffle(shuffled)
    assert rank_proposals(vote_round(ballots)) == rank_proposals(vote_round(shuffled))


@settings(max_examples=50, deadline=None)
@given(dot_ballots)
def test_totals_equal_the_dots_cast_and_places_are_consistent(ballots):
    ranked = rank_proposals(vote_round(ballots))
    assert sum(r.dots for r in ranked) == sum(sum(b.values()) for b in ballots)
    assert sorted(r.proposal_id for r in ranked) == sorted(PROPOSALS)
    for r in ranked:
        assert r.voters == sum(1 for b in ballots if r.proposal_id in b)
        ahead = [o for o in ranked if (o.dots, o.voters) > (r.dots, r.voters)]
        level = [o for o in ranked if (o.dots, o.voters) == (r.dots, r.voters)]
        assert r.place == 1 + len(ahead)
        assert r.shared == (len(level) > 1)
    keys = [(-r.dots, -r.voters, PROPOSALS.index(r.proposal_id)) for r in ranked]  # type: ignore[operator]  # a ranked row always counts its dots
    assert keys == sorted(keys)


# -- horizons and rounds --------------------------------------------------------------


def test_horizon_suggestion():
    result = horizon_suggestion(["a-year", "next-month", "a-year"])
    assert result.suggested == "a-year" and result.tied == []
    assert result.counts == {"next-month": 1, "six-months": 0, "a-year": 2, "longer-term": 0}
    assert list(result.counts) == list(HORIZON_ORDER)


def test_horizon_tie_is_left_to_the_room_in_horizon_order():
    result = horizon_suggestion(["longer-term", "six-months", "next-month", "longer-term", "six-months"])
    assert result.suggested is None and result.tied == ["six-months", "longer-term"]


def test_no_horizon_picks():
    assert horizon_suggestion([]) == horizon_suggestion(())
    assert horizon_suggestion([]).suggested is None and horizon_suggestion([]).tied == []


def test_unknown_horizon_is_refused():
    with pytest.raises(ValueError, match="'unplaced' is not a horizon"):
        horizon_suggestion(["unplaced"])


def test_current_round_is_the_latest_not_superseded():
    first = VoteRound(id="v1", activity_id="end-1", mode="named", superseded=True)
    second = VoteRound(id="v2", activity_id="end-1", mode="named")
    other = VoteRound(id="v3", activity_id="other", mode="named")
    assert current_round([first, second, other], "end-1") is second
    assert current_round([first], "end-1") is None
    assert current_round([], "end-1") is None
