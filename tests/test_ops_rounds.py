"""Rating and vote rounds through `SessionEditor`: addressed by activity, opened by the first ballot."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop.domain.errors import Refused
from workshop.domain.models.limits import MAX_DOTS
from workshop.domain.models.pack import Pack
from workshop.domain.models.session import (
    Participant,
    Proposal,
    Session,
    VotingSettings,
)
from workshop.domain.operations import Change, SessionEditor

NOW = datetime(2026, 1, 1, 10, 0, 0, 500, tzinfo=timezone.utc)
PEOPLE = {"amira": "Amira", "bongani": "Bongani", "chen": "Chen Wei", "dara": "Dara"}
RATE, VOTE, VOTE_COLLAB, READ = "s1-2", "end-1", "end-2", "s1-1"

PACK = {
    "id": "rounds",
    "title": "Rounds pack",
    "summary": "For tests.",
    "version": "1.0",
    "behaviours": [
        {"id": "collaborate", "name": "Collaborating", "description": "Together."},
        {"id": "results", "name": "Results", "description": "Outcomes."},
    ],
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
                    "intro": "Be honest.",
                    "questions": [
                        {"id": "qa", "prompt": "How confident are we?"},
                        {"id": "qb", "prompt": "How often do we?", "scale": {"min": 1, "max": 10}},
                    ],
                },
            ],
        },
        {
            "id": "end",
            "title": "Vote",
            "activities": [
                {"kind": "vote", "title": "Vote", "minutes": 10},
                {"kind": "vote", "title": "Vote on collaborating", "minutes": 10, "behaviours": ["collaborate"]},
            ],
        },
    ],
}


def make_session(mode: str = "named", *, proposals: bool = True, people: dict[str, str] = PEOPLE) -> Session:
    return Session(
        title="t",
        date=date(2026, 1, 1),
        agenda=Pack.model_validate(PACK).snapshot(),
        participants=[Participant(id=pid, name=name, present=pid != "dara") for pid, name in people.items()],
        proposals=[
            Proposal(id="pa", text="Share budgets", behaviour="collaborate"),
            Proposal(id="pb", text="Pool data", behaviour="results"),
            Proposal(id="pc", text="Joint training", behaviour="collaborate"),
        ]
        if proposals
        else [],
        voting=VotingSettings(mode=mode, dots_per_person=3, max_per_item=2),
    )


def editor_for(session: Session | None = None, *, read_only: bool = False) -> tuple[SessionEditor, list[Change]]:
    editor = SessionEditor(session or make_session(), read_only=read_only, wall=lambda: NOW)
    heard: list[Change] = []
    editor.listen(heard.append)
    return editor, heard


def refused_unchanged(editor: SessionEditor, heard: list[Change], operation, match: str) -> None:
    """`operation` is refused with a sentence matching `match`, and nothing changed or was told."""
    before, told = editor.session.model_dump(), len(heard)
    with pytest.raises(Refused, match=match) as refusal:
        operation()
    reason = str(refusal.value)
    assert reason[:1].isupper() and reason.endswith(".") and "\n" not in reason, reason
    assert "Error" not in reason
    assert editor.session.model_dump() == before and len(heard) == told


# -- looking changes nothing -----------------------------------------------------------


def test_queries_open_nothing():
    editor, heard = editor_for()
    before = editor.session.model_dump()
    assert editor.current_round(RATE) is None and editor.current_round(VOTE) is None
    assert editor.eligible_proposals(VOTE) == ["pa", "pb", "pc"]
    assert editor.eligible_proposals(VOTE_COLLAB) == ["pa", "pc"]  # the activity's behaviours filter
    assert editor.ballot_proposals(VOTE_COLLAB) == ["pa", "pc"]
    assert editor.ballot_mode(RATE) == "named"
    assert [p.id for p in editor.who_has_not_voted(RATE)] == ["amira", "bongani", "chen"]  # present ones
    assert editor.session.model_dump() == before and heard == []


def test_queries_refuse_what_is_not_a_ballot():
    editor, _ = editor_for()
    with pytest.raises(Refused, match="There is no rating or vote activity 's1-1'"):
        editor.current_round(READ)
    with pytest.raises(Refused, match="'Rate' is a rating, not a vote."):
        editor.eligible_proposals(RATE)


def test_nobody_waits_in_a_show_of_hands():
    editor, _ = editor_for(make_session("hands"))
    assert editor.who_has_not_voted(RATE) == []


# -- opening ---------------------------------------------------------------------------


def test_open_round_explicitly():
    editor, heard = editor_for()
    change = editor.open_round(VOTE_COLLAB)
    (opened,) = editor.session.vote_rounds
    assert change == Change(area="rounds", summary="A round opened (Named (open)).", decision=True, ids=(VOTE_COLLAB, opened.id))
    assert heard == [change]
    assert opened.proposals == ["pa", "pc"] and (opened.dots_per_person, opened.max_per_item) == (3, 2)
    assert opened.opened_at == NOW.replace(microsecond=0)
    assert editor.current_round(VOTE_COLLAB) is opened and editor.current_round(VOTE) is None
    refused_unchanged(editor, heard, lambda: editor.open_round(VOTE_COLLAB), "already has a round; re-run it")


def test_a_vote_without_proposals_cannot_open():
    editor, heard = editor_for(make_session(proposals=False))
    refused_unchanged(editor, heard, lambda: editor.open_round(VOTE), "There are no proposals to vote on yet")
    refused_unchanged(editor, heard, lambda: editor.cast_dots(VOTE, "amira", {"pa": 1}), "There are no proposals to vote on yet")
    assert editor.session.vote_rounds == []


def test_read_only_refuses_every_round_operation():
    editor, heard = editor_for(read_only=True)
    for operation in (
        lambda: editor.open_round(RATE),
        lambda: editor.cast_rating(RATE, "amira", {"qa": 3}),
        lambda: editor.cast_dots(VOTE, "amira", {"pa": 1}),
        lambda: editor.abstain(RATE, "amira"),
        lambda: editor.withdraw(RATE, "amira"),
        lambda: editor.reveal(RATE),
        lambda: editor.rerun(RATE),
        lambda: editor.set_hands(VOTE, {"pa": 1}),
    ):
        refused_unchanged(editor, heard, operation, "This session is open read-only.")


# -- casting ----------------------------------------------------------------------------


def test_the_first_rating_opens_the_round():
    editor, heard = editor_for()
    change = editor.cast_rating(RATE, "amira", {"qb": 9, "qa": 2})
    (opened,) = editor.session.rating_rounds
    assert change == Change(area="rounds", summary="Amira rated.", decision=True, ids=(RATE, opened.id, "amira"))
    assert heard == [change]  # one change: opening and casting are one decision
    assert opened.ballots[0].answers == {"qa": 2, "qb": 9} and opened.voted == ["amira"]
    editor.cast_rating(RATE, "bongani", {"qa": 4})
    assert len(editor.session.rating_rounds) == 1 and len(opened.ballots) == 2
    assert [p.id for p in editor.who_has_not_voted(RATE)] == ["chen"]


@pytest.mark.parametrize(
    "voter, answers, match",
    [
        ("amira", {}, "Amira has answered no questions; to take no part, abstain instead."),
        ("amira", {"qa": 6}, "must be on its 1-5 scale, not 6"),
        ("dara", {"qa": 3}, "Dara is marked as left; mark them back to rate."),
        ("zed", {"qa": 3}, "There is no participant with id 'zed'"),
    ],
)
def test_a_refused_first_ballot_leaves_no_round_behind(voter, answers, match):
    editor, heard = editor_for()
    refused_unchanged(editor, heard, lambda: editor.cast_rating(RATE, voter, answers), match)
    assert editor.session.rating_rounds == []


def test_ratings_and_dots_go_to_their_own_kind_of_activity():
    editor, heard = editor_for()
    refused_unchanged(editor, heard, lambda: editor.cast_dots(RATE, "amira", {"pa": 1}), "cast ratings, not dots")
    refused_unchanged(editor, heard, lambda: editor.cast_rating(VOTE, "amira", {"qa": 1}), "cast dots, not ratings")
    refused_unchanged(editor, heard, lambda: editor.cast_dots(READ, "amira", {"pa": 1}), "no rating or vote activity")


def test_dots():
    editor, heard = editor_for()
    change = editor.cast_dots(VOTE, "amira", {"pc": 1, "pa": 2})
    (opened,) = editor.session.vote_rounds
    assert change.decision and change.ids == (VOTE, opened.id, "amira") and change.summary == "Amira voted."
    assert list(opened.ballots[0].dots.items()) == [("pa", 2), ("pc", 1)]
    editor.cast_dots(VOTE, "bongani", {"pb": 1})  # dots left unspent are fine
    refused_unchanged(editor, heard, lambda: editor.cast_dots(VOTE, "chen", {"pa": 3}), "at most 2 on one proposal")
    refused_unchanged(editor, heard, lambda: editor.cast_dots(VOTE, "chen", {"pa": 2, "pb": 2}), "4 dots used, 3 allowed")
    refused_unchanged(editor, heard, lambda: editor.cast_dots(VOTE, "amira", {"pb": 1}), "Amira has already voted; withdraw the ballot first to vote again.")
    refused_unchanged(editor, heard, lambda: editor.cast_dots(VOTE_COLLAB, "chen", {"pb": 1}), "'Pool data' is not on this ballot")


def test_abstaining_opens_the_round_and_withdrawing_undoes_it():
    editor, heard = editor_for()
    refused_unchanged(editor, heard, lambda: editor.withdraw(RATE, "chen"), "Nobody has voted yet")
    abstained = editor.abstain(RATE, "chen")
    (opened,) = editor.session.rating_rounds
    assert abstained.summary == "Chen Wei abstained." and opened.abstained == ["chen"]
    refused_unchanged(editor, heard, lambda: editor.abstain(RATE, "chen"), "Chen Wei has already abstained.")
    withdrew = editor.withdraw(RATE, "chen")
    assert withdrew.decision and opened.abstained == []
    refused_unchanged(editor, heard, lambda: editor.withdraw(RATE, "chen"), "Chen Wei has not voted in this round.")


def test_withdraw_a_named_ballot():
    editor, _ = editor_for()
    editor.cast_dots(VOTE, "amira", {"pa": 1})
    editor.withdraw(VOTE, "amira")
    (opened,) = editor.session.vote_rounds
    assert opened.ballots == [] and opened.voted == []
    editor.cast_dots(VOTE, "amira", {"pb": 2})
    assert opened.ballots[0].dots == {"pb": 2}


def test_a_late_arrival_and_a_return_can_vote_in_an_open_round():
    editor, _ = editor_for()
    editor.cast_rating(RATE, "amira", {"qa": 3})
    editor.mark_present("dara")
    kim = editor.add_late_arrival("Kim").ids[0]
    assert [p.id for p in editor.who_has_not_voted(RATE)] == ["bongani", "chen", "dara", kim]
    editor.cast_rating(RATE, kim, {"qa": 5})
    editor.mark_left("bongani")
    assert [p.id for p in editor.who_has_not_voted(RATE)] == ["chen", "dara"]


# -- anonymity ---------------------------------------------------------------------------


def test_an_anonymous_ballot_names_nobody():
    editor, heard = editor_for(make_session("anonymous"))
    changes = [editor.cast_dots(VOTE, "chen", {"pa": 1}), editor.abstain(VOTE, "bongani"), editor.cast_rating(RATE, "amira", {"qa": 2})]
    assert changes == heard
    for change in changes:
        assert change.summary.startswith("Someone ")
        assert not set(change.ids) & set(PEOPLE) and not any(name in change.summary for name in PEOPLE.values())
    refused_unchanged(editor, heard, lambda: editor.withdraw(VOTE, "chen"), "Anonymous ballots cannot be told apart; re-run the round instead.")
    for ballot in editor.session.vote_rounds[0].ballots + editor.session.rating_rounds[0].ballots:
        assert ballot.voter is None and ballot.cast_at is None


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(sorted(PEOPLE)),
            st.sampled_from(["dots", "rate", "abstain", "withdraw"]),
            st.dictionaries(st.sampled_from(["pa", "pb", "pc"]), st.integers(0, 3), max_size=3),
        ),
        max_size=10,
    )
)
def test_nothing_returned_in_an_anonymous_round_says_who_cast_what(steps):
    editor, heard = editor_for(make_session("anonymous"))
    operations = {
        "dots": lambda voter, dots: editor.cast_dots(VOTE, voter, dots),
        "rate": lambda voter, dots: editor.cast_rating(RATE, voter, {"qa": 1 + sum(dots.values()) % 5}),
        "abstain": lambda voter, dots: editor.abstain(VOTE, voter),
        "withdraw": lambda voter, dots: editor.withdraw(VOTE, voter),
    }
    for voter, kind, dots in steps:
        before = editor.session.model_dump()
        try:
            operations[kind](voter, dots)
        except Refused:
            assert editor.session.model_dump() == before
    for change in heard:
        assert not set(change.ids) & set(PEOPLE)
        assert not any(name in change.summary for name in PEOPLE.values())
    for round_ in editor.session.vote_rounds + editor.session.rating_rounds:
        assert all(ballot.voter is None and ballot.cast_at is None for ballot in round_.ballots)
        assert round_.voted == sorted(round_.voted)


# -- reveal and re-run ---------------------------------------------------------------------


def test_reveal():
    editor, heard = editor_for()
    refused_unchanged(editor, heard, lambda: editor.reveal(RATE), "Nobody has voted yet: there is nothing to reveal.")
    editor.cast_rating(RATE, "amira", {"qa": 3})
    change = editor.reveal(RATE)
    (opened,) = editor.session.rating_rounds
    assert change is not None and change.decision and change.ids == (RATE, opened.id) and opened.revealed
    told = len(heard)
    assert editor.reveal(RATE) is None and len(heard) == told  # already shown: no change, nobody told
    refused_unchanged(editor, heard, lambda: editor.cast_rating(RATE, "bongani", {"qa": 3}), "The results have been revealed; re-run the round to vote again.")


def test_rerun_keeps_the_old_round_and_may_change_the_mode():
    editor, heard = editor_for()
    refused_unchanged(editor, heard, lambda: editor.rerun(VOTE), "Nobody has voted yet: there is no round to re-run.")
    editor.cast_dots(VOTE, "amira", {"pa": 1})
    old = editor.current_round(VOTE)
    change = editor.rerun(VOTE, mode="anonymous")
    fresh = editor.current_round(VOTE)
    assert fresh is not None and old is not None and fresh is not old
    assert change.decision and change.ids == (VOTE, fresh.id)
    assert old.superseded and old.closed_at == NOW.replace(microsecond=0) and len(old.ballots) == 1
    assert fresh.mode == "anonymous" and fresh.ballots == [] and fresh.proposals == ["pa", "pb", "pc"]
    editor.cast_dots(VOTE, "amira", {"pb": 1})  # Amira votes again in the new round
    refused_unchanged(editor, heard, lambda: editor.rerun(VOTE, mode="secret"), "There is no ballot mode 'secret'")


# -- show of hands ---------------------------------------------------------------------------


def test_hands_for_a_dot_vote_are_bounded_by_the_room():
    editor, heard = editor_for(make_session("hands"))
    # Three present (Dara is not) x at most 2 dots on one proposal.
    change = editor.set_hands(VOTE, {"pa": 6, "pb": 0})
    (opened,) = editor.session.vote_rounds
    assert change is not None and change.decision and change.ids == (VOTE, opened.id)
    assert opened.hands == {"pa": 6, "pb": 0}
    refused_unchanged(
        editor,
        heard,
        lambda: editor.set_hands(VOTE, {"pa": 7}),
        "At most 6 dots can go on 'Share budgets': 3 people present, at most 2 dots each on one proposal.",
    )
    assert editor.set_hands(VOTE, {"pa": 6, "pb": 0}) is None  # the same counts: nothing to change
    editor.mark_present("dara")
    assert editor.set_hands(VOTE, {"pa": 8}) is not None and opened.hands == {"pa": 8}


def test_hands_for_a_rating_are_bounded_by_the_room():
    editor, heard = editor_for(make_session("hands"))
    editor.set_hands(RATE, {"qa": {"4": 2, "5": 1}})
    (opened,) = editor.session.rating_rounds
    assert opened.hands == {"qa": {"4": 2, "5": 1}}
    refused_unchanged(
        editor,
        heard,
        lambda: editor.set_hands(RATE, {"qa": {"4": 3, "5": 1}}),
        "There are 4 hands on 'How confident are we\\?', more than the 3 people present.",
    )


def test_hands_in_an_empty_room():
    editor, heard = editor_for(make_session("hands", people={}))
    refused_unchanged(editor, heard, lambda: editor.set_hands(VOTE, {"pa": 1}), "nobody present")
    assert editor.session.vote_rounds == []
    assert editor.set_hands(VOTE, {"pa": 0}) is not None  # zero is always a count


def test_hands_only_in_a_show_of_hands():
    editor, heard = editor_for()
    refused_unchanged(editor, heard, lambda: editor.set_hands(VOTE, {"pa": 1}), "This round takes ballots, not a show of hands.")
    assert editor.session.vote_rounds == []  # the round it opened is gone again
    hands, _ = editor_for(make_session("hands"))
    refused_unchanged(hands, [], lambda: hands.cast_dots(VOTE, "amira", {"pa": 1}), "show of hands")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(["pa", "pb", "pc", "zz"]), st.integers(-1, 3 * MAX_DOTS), max_size=3), max_size=6))
def test_hands_never_exceed_the_room(attempts):
    editor, _ = editor_for(make_session("hands"))
    for counts in attempts:
        before = editor.session.model_dump()
        try:
            editor.set_hands(VOTE, counts)
        except Refused:
            assert editor.session.model_dump() == before
    for round_ in editor.session.vote_rounds:
        assert all(0 <= count <= 3 * 2 for count in round_.hands.values())
