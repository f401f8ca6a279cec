"""The ballot box (workshop.domain.ballots): every rule, every refusal, and anonymity on disk."""

from __future__ import annotations

import tomllib
from datetime import date, datetime, timedelta, timezone

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop.domain.ballots import (
    BallotError,
    abstain,
    cast_dot_ballot,
    cast_rating_ballot,
    close,
    eligible_voters,
    open_rating_round,
    open_vote_round,
    rating_questions,
    rerun,
    reveal,
    who_has_not_voted,
    withdraw,
)
from workshop.domain.hands import set_hands
from workshop.domain.models.pack import Pack
from workshop.domain.models.session import Participant, Proposal, Session, VoteRound
from workshop.domain.operations import SessionEditor
from workshop.domain.tally import (
    current_round,
    dot_totals,
    rank_proposals,
    summarise_rating_round,
)

NOW = datetime(2026, 1, 1, 10, 0, tzinfo=timezone.utc)
PEOPLE = {"amira": "Amira", "bongani": "Bongani", "chen": "Chen Wei", "dara": "Dara"}
PROPOSALS = {"pa": "Share budgets", "pb": "Pool data", "pc": "Joint training", "pd": "One front door"}

PACK = {
    "id": "ballots",
    "title": "Ballot pack",
    "summary": "For tests.",
    "version": "1.0",
    "sections": [
        {
            "id": "s1",
            "title": "Rate",
            "activities": [
                {"kind": "read", "title": "Read", "minutes": 5, "text": "Text."},
                {
                    "kind": "rate",
                    "title": "Rate",
                    "minutes": 5,
                    "questions": [
                        {"id": "qa", "prompt": "How confident are we?"},
                        {"id": "qb", "prompt": "How often do we?", "scale": {"min": 1, "max": 10}},
                    ],
                },
            ],
        },
        {"id": "end", "title": "Vote", "activities": [{"kind": "vote", "title": "Vote", "minutes": 10}]},
    ],
}


def make_session(**voting) -> Session:
    return Session(
        title="t",
        date=date(2026, 1, 1),
        agenda=Pack.model_validate(PACK).snapshot(),
        participants=[Participant(id=pid, name=name, present=pid != "dara") for pid, name in PEOPLE.items()],
        proposals=[Proposal(id=pid, text=text) for pid, text in PROPOSALS.items()],
        voting=voting or {},
    )


@pytest.fixture
def session() -> Session:
    return make_session()


def vote(session: Session, mode: str = "named", **settings_) -> VoteRound:
    return open_vote_round(session, "end-1", list(PROPOSALS), mode=mode, now=NOW, **settings_)


def refused(match: str):
    return pytest.raises(BallotError, match=match)


# -- opening ------------------------------------------------------------------------


def test_open_vote_round_copies_the_session_settings():
    session = make_session(dots_per_person=4, max_per_item=3, mode="anonymous")
    ballot_round = open_vote_round(session, "end-1", ["pb", "pa"], now=NOW)
    assert (ballot_round.mode, ballot_round.dots_per_person, ballot_round.max_per_item) == ("anonymous", 4, 3)
    assert ballot_round.proposals == ["pb", "pa"] and ballot_round.opened_at == NOW
    assert session.vote_rounds == [ballot_round] and current_round(session.vote_rounds, "end-1") is ballot_round


def test_open_vote_round_overrides(session):
    ballot_round = vote(session, mode="hands", dots_per_person=3, max_per_item=1)
    assert (ballot_round.mode, ballot_round.dots_per_person, ballot_round.max_per_item) == ("hands", 3, 1)


@pytest.mark.parametrize(
    "kwargs, reason",
    [
        ({"activity_id": "s1-2"}, "There is no vote activity 's1-2'"),
        ({"activity_id": "nope"}, "There is no vote activity 'nope'"),
        ({"proposals": []}, "no proposals to vote on"),
        ({"proposals": ["pa", "zz"]}, "no proposal with id 'zz'"),
        ({"proposals": ["pa", "pa"]}, "listed twice"),
        ({"dots_per_person": 2, "max_per_item": 3}, r"Most dots on one proposal \(3\) cannot exceed dots per person \(2\)\."),
        ({"dots_per_person": 0}, "Dots per person must be a whole number from 1 to 50, not 0."),
        ({"mode": "secret"}, "There is no ballot mode 'secret'"),
    ],
)
def test_open_vote_round_refusals(session, kwargs, reason):
    arguments = {"activity_id": "end-1", "proposals": list(PROPOSALS)} | kwargs
    with refused(reason):
        open_vote_round(session, arguments.pop("activity_id"), arguments.pop("proposals"), now=NOW, **arguments)
    assert session.vote_rounds == []


def test_an_activity_has_one_current_round(session):
    vote(session)
    with refused("already has a round; re-run it"):
        vote(session)


def test_open_rating_round(session):
    ballot_round = open_rating_round(session, "s1-2", now=NOW)
    assert ballot_round.mode == "passed" and session.rating_rounds == [ballot_round]
    assert [q.id for q in rating_questions(session, ballot_round)] == ["qa", "qb"]
    with refused("There is no rating activity 'end-1'"):
        open_rating_round(session, "end-1", now=NOW)


# -- casting dots -------------------------------------------------------------------


def test_named_ballot_is_stored_with_voter_and_time(session):
    ballot_round = vote(session)
    ballot = cast_dot_ballot(session, ballot_round, "amira", {"pc": 1, "pa": 2, "pb": 0}, NOW)
    assert ballot.voter == "amira" and ballot.cast_at == NOW
    assert list(ballot.dots.items()) == [("pa", 2), ("pc", 1)]  # ballot order; zeros dropped
    assert ballot_round.ballots == [ballot] and ballot_round.voted == ["amira"]


@pytest.mark.parametrize(
    "dots, reason",
    [
        ({"pa": 2, "pb": 2, "pc": 2}, "6 dots used, 5 allowed"),
        ({"pa": 3}, "3 dots on 'Share budgets', at most 2 on one proposal"),
        ({"zz": 1}, "'zz' is not on this ballot"),
        ({"pa": -1}, "-1 dots on 'Share budgets'"),
        ({}, "Amira has placed no dots; to take no part, abstain instead"),
        ({"pa": 0}, "Amira has placed no dots"),
    ],
)
def test_dot_ballot_refusals(session, dots, reason):
    ballot_round = vote(session)
    with refused(reason):
        cast_dot_ballot(session, ballot_round, "amira", dots, NOW)
    assert ballot_round.ballots == [] and ballot_round.voted == []


def test_a_ballot_error_lists_every_reason(session):
    ballot_round = vote(session)
    with pytest.raises(BallotError) as error:
        cast_dot_ballot(session, ballot_round, "amira", {"pa": 3, "pb": 3}, NOW)
    assert error.value.reasons == [
        "6 dots used, 5 allowed",
        "3 dots on 'Share budgets', at most 2 on one proposal",
        "3 dots on 'Pool data', at most 2 on one proposal",
    ]


def test_voters_must_be_present_participants_who_have_not_voted(session):
    ballot_round = vote(session)
    with refused("no participant with id 'zed'"):
        cast_dot_ballot(session, ballot_round, "zed", {"pa": 1}, NOW)
    with refused("Dara is marked as left; mark them back to vote"):
        cast_dot_ballot(session, ballot_round, "dara", {"pa": 1}, NOW)
    cast_dot_ballot(session, ballot_round, "amira", {"pa": 1}, NOW)
    with refused("Amira has already voted; withdraw the ballot first to vote again"):
        cast_dot_ballot(session, ballot_round, "amira", {"pb": 1}, NOW)


def test_late_arrival_can_vote(session):
    ballot_round = vote(session)
    editor = SessionEditor(session, wall=lambda: NOW + timedelta(minutes=5))
    editor.mark_present("dara")
    assert editor.add_late_arrival("Eve").ids == ("eve",)
    assert [p.id for p in eligible_voters(session, ballot_round)] == ["amira", "bongani", "chen", "dara", "eve"]
    cast_dot_ballot(session, ballot_round, "dara", {"pa": 1}, NOW)
    cast_dot_ballot(session, ballot_round, "eve", {"pa": 1}, NOW)
    assert ballot_round.voted == ["dara", "eve"]


@pytest.mark.parametrize(
    "prepare, reason",
    [
        (lambda s, r: close(r, NOW), "This round is closed."),
        (lambda s, r: reveal(r), "results have been revealed"),
        (lambda s, r: rerun(s, r, NOW), "re-run; use the latest round"),
    ],
)
def test_no_ballots_once_a_round_is_over(session, prepare, reason):
    ballot_round = vote(session)
    prepare(session, ballot_round)
    with refused(reason):
        cast_dot_ballot(session, ballot_round, "amira", {"pa": 1}, NOW)
    with refused(reason):
        abstain(session, ballot_round, "amira")


def test_no_ballots_in_a_show_of_hands(session):
    ballot_round = vote(session, mode="hands")
    with refused("show of hands; the facilitator types the counts"):
        cast_dot_ballot(session, ballot_round, "amira", {"pa": 1}, NOW)
    assert who_has_not_voted(session, ballot_round) == []


def test_a_round_from_another_session_is_refused(session):
    ballot_round = vote(make_session())
    with refused("not part of this session"):
        cast_dot_ballot(session, ballot_round, "amira", {"pa": 1}, NOW)


# -- anonymous ----------------------------------------------------------------------


def test_anonymous_ballot_has_no_voter_and_no_time(session):
    ballot_round = vote(session, mode="anonymous")
    ballot = cast_dot_ballot(session, ballot_round, "chen", {"pa": 1}, NOW)
    cast_dot_ballot(session, ballot_round, "amira", {"pb": 2}, NOW)
    assert ballot.voter is None and ballot.cast_at is None
    assert ballot_round.voted == ["amira", "chen"]  # sorted, not in voting order
    with refused("Chen Wei has already voted; anonymous ballots cannot be told apart"):
        cast_dot_ballot(session, ballot_round, "chen", {"pa": 1}, NOW)


def test_anonymous_ballots_land_in_random_places(session):
    seen = set()
    for _ in range(40):
        session = make_session()
        ballot_round = vote(session, mode="anonymous")
        for voter, proposal in (("amira", "pa"), ("bongani", "pb"), ("chen", "pc")):
            cast_dot_ballot(session, ballot_round, voter, {proposal: 1}, NOW)
        seen.add(tuple(next(iter(b.dots)) for b in ballot_round.ballots))
    assert len(seen) > 1


def test_anonymous_withdrawal_is_refused(session):
    ballot_round = vote(session, mode="anonymous")
    cast_dot_ballot(session, ballot_round, "amira", {"pa": 1}, NOW)
    with refused("Anonymous ballots cannot be told apart; re-run the round instead."):
        withdraw(session, ballot_round, "amira")
    assert len(ballot_round.ballots) == 1 and ballot_round.voted == ["amira"]


def _ballot_tables(session: Session) -> list[str]:
    data = tomllib.loads(tomli_w.dumps(session.model_dump(mode="python", by_alias=True, exclude_none=True)))
    return [tomli_w.dumps({"ballots": r.get("ballots", [])}) for r in data.get("vote_rounds", []) + data.get("rating_rounds", [])]


attempts = st.lists(
    st.tuples(st.sampled_from(["amira", "bongani", "chen"]), st.dictionaries(st.sampled_from(list(PROPOSALS)), st.integers(0, 3), max_size=4)),
    max_size=6,
)


@settings(max_examples=50, deadline=None)
@given(
    attempts,
    st.dictionaries(st.sampled_from(["amira", "bongani", "chen"]), st.fixed_dictionaries({}, optional={"qa": st.integers(1, 5), "qb": st.integers(1, 10)})),
)
def test_anonymous_rounds_keep_no_names_in_the_file(dot_attempts, ratings):
    session = make_session(mode="anonymous")
    ballot_round = vote(session, mode="anonymous")
    ratings_round = open_rating_round(session, "s1-2", now=NOW)
    for voter, dots in dot_attempts:
        try:
            cast_dot_ballot(session, ballot_round, voter, dots, NOW)
        except BallotError:
            pass
    for voter, answers in ratings.items():
        try:
            cast_rating_ballot(session, ratings_round, voter, answers, rating_questions(session, ratings_round), NOW)
        except BallotError:
            pass
    for r in (ballot_round, ratings_round):
        assert all(b.voter is None and b.cast_at is None for b in r.ballots)
        assert r.voted == sorted(r.voted) and len(r.voted) == len(r.ballots)
    for table in _ballot_tables(session):
        for pid, name in PEOPLE.items():
            assert pid not in table and name not in table
        assert "cast_at" not in table and "voter" not in table


# -- properties of accepted ballots ---------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(attempts, st.sampled_from(["named", "passed", "anonymous"]), st.integers(1, 5), st.integers(1, 5))
def test_accepted_ballots_keep_the_rules_and_add_up(dot_attempts, mode, budget, cap):
    cap = min(cap, budget)
    session = make_session()
    ballot_round = vote(session, mode=mode, dots_per_person=budget, max_per_item=cap)
    accepted = []
    for voter, dots in dot_attempts:
        try:
            cast_dot_ballot(session, ballot_round, voter, dots, NOW)
        except BallotError:
            continue
        accepted.append({p: n for p, n in dots.items() if n})
    assert len(ballot_round.ballots) == len(accepted) == len(ballot_round.voted) == len(set(ballot_round.voted))
    for ballot in ballot_round.ballots:
        assert 1 <= sum(ballot.dots.values()) <= budget
        assert all(1 <= n <= cap for n in ballot.dots.values())
    totals = dot_totals(ballot_round)
    for proposal in PROPOSALS:
        assert totals[proposal] == sum(b.get(proposal, 0) for b in accepted)
    assert sum(r.dots for r in rank_proposals(ballot_round)) == sum(sum(b.values()) for b in accepted)


@settings(max_examples=50, deadline=None)
@given(st.permutations([("amira", {"pa": 2, "pb": 1}), ("bongani", {"pb": 2, "pc": 1}), ("chen", {"pc": 2, "pa": 1})]))
def test_the_ranking_does_not_depend_on_the_order_of_voting(order):
    session = make_session()
    ballot_round = vote(session, mode="anonymous")
    for voter, dots in order:
        cast_dot_ballot(session, ballot_round, voter, dots, NOW)
    assert [(r.proposal_id, r.place_label) for r in rank_proposals(ballot_round)] == [("pa", "=1"), ("pb", "=1"), ("pc", "=1"), ("pd", "4")]


# -- withdrawing and abstaining --------------------------------------------------------


def test_withdraw_a_named_ballot_and_vote_again(session):
    ballot_round = vote(session)
    cast_dot_ballot(session, ballot_round, "amira", {"pa": 1}, NOW)
    cast_dot_ballot(session, ballot_round, "bongani", {"pb": 1}, NOW)
    withdraw(session, ballot_round, "amira")
    assert [b.voter for b in ballot_round.ballots] == ["bongani"] and ballot_round.voted == ["bongani"]
    cast_dot_ballot(session, ballot_round, "amira", {"pc": 2}, NOW)
    assert dot_totals(ballot_round) == {"pa": 0, "pb": 1, "pc": 2, "pd": 0}


def test_withdraw_refusals(session):
    ballot_round = vote(session)
    with refused("Amira has not voted in this round"):
        withdraw(session, ballot_round, "amira")
    cast_dot_ballot(session, ballot_round, "amira", {"pa": 1}, NOW)
    reveal(ballot_round)
    with refused("results have been revealed"):
        withdraw(session, ballot_round, "amira")


def test_abstain_and_who_has_not_voted(session):
    ballot_round = vote(session)
    assert [p.id for p in who_has_not_voted(session, ballot_round)] == ["amira", "bongani", "chen"]
    abstain(session, ballot_round, "chen")
    cast_dot_ballot(session, ballot_round, "amira", {"pa": 1}, NOW)
    assert [p.id for p in who_has_not_voted(session, ballot_round)] == ["bongani"]
    assert ballot_round.abstained == ["chen"]
    with refused("Chen Wei has already abstained"):
        abstain(session, ballot_round, "chen")
    with refused("Amira has already voted; withdraw the ballot first to abstain"):
        abstain(session, ballot_round, "amira")
    with refused("Dara is marked as left; mark them back to abstain"):
        abstain(session, ballot_round, "dara")


def test_abstaining_is_undone_by_voting_or_withdrawing(session):
    ballot_round = vote(session, mode="anonymous")
    abstain(session, ballot_round, "chen")
    withdraw(session, ballot_round, "chen")  # an abstention is not a ballot, so anonymous is fine
    assert ballot_round.abstained == []
    abstain(session, ballot_round, "chen")
    cast_dot_ballot(session, ballot_round, "chen", {"pa": 1}, NOW)
    assert ballot_round.abstained == [] and ballot_round.voted == ["chen"]


# -- ratings ------------------------------------------------------------------------


def test_rating_ballot_and_summary(session):
    ballot_round = open_rating_round(session, "s1-2", mode="named", now=NOW)
    questions = rating_questions(session, ballot_round)
    ballot = cast_rating_ballot(session, ballot_round, "amira", {"qb": 9, "qa": 2}, questions, NOW)
    assert list(ballot.answers.items()) == [("qa", 2), ("qb", 9)] and ballot.voter == "amira"
    cast_rating_ballot(session, ballot_round, "bongani", {"qa": 5}, questions, NOW)  # qb left unanswered
    summaries = summarise_rating_round(ballot_round, questions)
    assert summaries["qa"].count == 2 and summaries["qa"].low_agreement
    assert summaries["qb"].count == 1


@pytest.mark.parametrize(
    "answers, reason",
    [
        ({"qa": 6}, "Not cast: the answer to 'How confident are we\\?' must be on its 1-5 scale, not 6."),
        ({"qb": 0}, "Not cast: the answer to 'How often do we\\?' must be on its 1-10 scale, not 0."),
        ({"qz": 3}, "Not cast: there is no question 'qz' in this activity."),
        ({"qa": "3"}, "must be on its 1-5 scale, not '3'."),
        ({}, "Amira has answered no questions; to take no part, abstain instead"),
    ],
)
def test_rating_refusals(session, answers, reason):
    ballot_round = open_rating_round(session, "s1-2", mode="named", now=NOW)
    with refused(reason):
        cast_rating_ballot(session, ballot_round, "amira", answers, rating_questions(session, ballot_round), NOW)
    assert ballot_round.ballots == [] and ballot_round.voted == []


def test_rating_round_rules_match_dot_rounds(session):
    ballot_round = open_rating_round(session, "s1-2", mode="passed", now=NOW)
    questions = rating_questions(session, ballot_round)
    cast_rating_ballot(session, ballot_round, "amira", {"qa": 3}, questions, NOW)
    with refused("Amira has already voted; withdraw the ballot first to vote again"):
        cast_rating_ballot(session, ballot_round, "amira", {"qa": 4}, questions, NOW)
    withdraw(session, ballot_round, "amira")
    cast_rating_ballot(session, ballot_round, "amira", {"qa": 4}, questions, NOW)
    assert [b.answers for b in ballot_round.ballots] == [{"qa": 4}]


# -- show of hands ------------------------------------------------------------------


def test_show_of_hands_for_dots(session):
    ballot_round = vote(session, mode="hands")
    set_hands(ballot_round, {"pc": 4, "pa": 0, "pb": 4})
    assert list(ballot_round.hands.items()) == [("pa", 0), ("pb", 4), ("pc", 4)]
    assert [(r.proposal_id, r.place_label) for r in rank_proposals(ballot_round)] == [("pb", "=1"), ("pc", "=1"), ("pa", "=3"), ("pd", "=3")]
    set_hands(ballot_round, {"pd": 1})  # replaces, not adds
    assert ballot_round.hands == {"pd": 1}


@pytest.mark.parametrize(
    "counts, reason",
    [
        ({"zz": 1}, "There is no proposal 'zz' on this ballot."),
        ({"pa": -1}, "Dots for 'pa' must be a whole number from 0"),
        ({"pa": 1.5}, "must be a whole number"),
        ({"pa": 100_001}, "from 0 to 100,000"),
    ],
)
def test_show_of_hands_refusals_for_dots(session, counts, reason):
    ballot_round = vote(session, mode="hands")
    with refused(reason):
        set_hands(ballot_round, counts)
    assert ballot_round.hands == {}


def test_show_of_hands_for_ratings(session):
    ballot_round = open_rating_round(session, "s1-2", mode="hands", now=NOW)
    questions = rating_questions(session, ballot_round)
    set_hands(ballot_round, {"qa": {5: 1, "1": 2, 4: 3}, "qb": {"10": 2}}, questions=questions)
    assert ballot_round.hands == {"qa": {"1": 2, "4": 3, "5": 1}, "qb": {"10": 2}}
    summaries = summarise_rating_round(ballot_round, questions)
    assert summaries["qa"].count == 6 and summaries["qa"].low_agreement and summaries["qb"].median == 10
    with refused("There is no point 6 on the 1-5 scale"):
        set_hands(ballot_round, {"qa": {6: 1}}, questions=questions)
    with refused("There is no question 'qz'"):
        set_hands(ballot_round, {"qz": {1: 1}}, questions=questions)
    with refused("must be a whole number from 0"):
        set_hands(ballot_round, {"qa": {1: -2}}, questions=questions)
    with pytest.raises(TypeError):
        set_hands(ballot_round, {"qa": {1: 1}})


def test_hands_only_in_a_hands_round_and_while_open(session):
    with refused("This round takes ballots, not a show of hands."):
        set_hands(vote(session), {"pa": 1})
    hands = rerun(session, session.vote_rounds[0], NOW, mode="hands")
    reveal(hands)
    set_hands(hands, {"pa": 2})  # a typo in a public count can be fixed after reveal
    close(hands, NOW)
    with refused("This round is closed."):
        set_hands(hands, {"pa": 3})


# -- the end of a round ---------------------------------------------------------------


def test_close_and_reveal(session):
    ballot_round = vote(session)
    close(ballot_round, NOW)
    assert ballot_round.closed_at == NOW and not ballot_round.revealed
    with refused("already closed"):
        close(ballot_round, NOW)
    reveal(ballot_round)
    reveal(ballot_round)
    assert ballot_round.revealed


def test_rerun_keeps_history(session):
    ballot_round = vote(session, dots_per_person=3, max_per_item=1)
    cast_dot_ballot(session, ballot_round, "amira", {"pa": 1}, NOW)
    abstain(session, ballot_round, "chen")
    later = NOW + timedelta(minutes=3)
    fresh = rerun(session, ballot_round, later)
    assert session.vote_rounds == [ballot_round, fresh]
    assert ballot_round.superseded and ballot_round.closed_at == later and len(ballot_round.ballots) == 1
    assert (fresh.mode, fresh.dots_per_person, fresh.max_per_item, fresh.proposals) == ("named", 3, 1, list(PROPOSALS))
    assert fresh.ballots == [] and fresh.voted == [] and fresh.abstained == [] and fresh.id != ballot_round.id
    assert current_round(session.vote_rounds, "end-1") is fresh
    cast_dot_ballot(session, fresh, "amira", {"pb": 1}, later)  # amira may vote again in the new round
    with refused("already been re-run; re-run the latest round"):
        rerun(session, ballot_round, later)
    with refused("re-run; use the latest round"):
        close(ballot_round, later)


def test_rerun_drops_proposals_removed_since(session):
    ballot_round = vote(session)
    session.proposals = [p for p in session.proposals if p.id != "pb"]
    assert rerun(session, ballot_round, NOW).proposals == ["pa", "pc", "pd"]


def test_rerun_a_rating_round_anonymously(session):
    ballot_round = open_rating_round(session, "s1-2", mode="named", now=NOW)
    fresh = rerun(session, ballot_round, NOW, mode="anonymous")
    assert fresh.mode == "anonymous" and session.rating_rounds == [ballot_round, fresh] and ballot_round.superseded


def test_the_session_survives_a_toml_round_trip(session):
    ballot_round = vote(session, mode="anonymous")
    cast_dot_ballot(session, ballot_round, "amira", {"pa": 2}, NOW)
    abstain(session, ballot_round, "bongani")
    text = tomli_w.dumps(session.model_dump(mode="python", by_alias=True, exclude_none=True))
    again = Session.model_validate(tomllib.loads(text))
    assert again.vote_rounds == session.vote_rounds
