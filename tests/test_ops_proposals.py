"""Proposals through `SessionEditor`: add, edit, remove and merge, with their refusals."""

from __future__ import annotations

import pytest
from factories import make_session
from hypothesis import given
from hypothesis import strategies as st

from workshop.domain.errors import Refused
from workshop.domain.models.limits import LINE_TEXT_CHARACTERS, MAX_DOTS, MAX_HANDS, MAX_PROPOSALS
from workshop.domain.models.session import DotBallot, Proposal, Session, VoteRound
from workshop.domain.operations import Change, SessionEditor
from workshop.domain.timebox import FakeClock

PROPOSE = "s1-4"


def editor(session: Session | None = None, **kwargs) -> tuple[SessionEditor, list[Change], FakeClock]:
    clock = FakeClock()
    ed = SessionEditor(session or make_session(), monotonic=clock.monotonic, wall=clock.wall, **kwargs)
    heard: list[Change] = []
    ed.listen(heard.append)
    return ed, heard, clock


def texts(ed: SessionEditor) -> list[str]:
    return [p.text for p in ed.session.proposals]


def refused(ed: SessionEditor, heard: list[Change], operation, *args, **kwargs) -> str:
    """Run an operation that must be refused; check nothing changed; return the reason."""
    before = ed.session.model_dump()
    with pytest.raises(Refused) as error:
        operation(*args, **kwargs)
    assert ed.session.model_dump() == before
    assert heard == []
    reason = error.value.reason
    # One plain line: a sentence, or one that opens by quoting the proposal it names.
    assert "\n" not in reason and (reason[0].isupper() or reason[0] == "'") and reason.endswith(".")
    return reason


# -- add -----------------------------------------------------------------------------


def test_add_appends_a_stamped_proposal_and_names_it():
    ed, heard, clock = editor()
    clock.advance(60)
    change = ed.add_proposal("  Pool   the data\t", activity_id=PROPOSE, behaviour="collaborate", proposed_by="p2")
    (new_id,) = change.ids
    proposal = ed.session.proposals[-1]
    assert proposal.id == new_id and new_id != "pr1"
    assert (proposal.text, proposal.behaviour, proposal.proposed_by, proposal.activity_id) == ("Pool   the data", "collaborate", "p2", PROPOSE)
    assert proposal.created_at == clock.wall()
    assert proposal.horizon == "unplaced"
    assert change.area == "proposals" and change.decision is True
    assert heard == [change]


def test_new_proposals_go_to_the_end_of_the_unplaced_tray():
    ed, _, _ = editor()
    first = ed.add_proposal("One", activity_id=PROPOSE).ids[0]
    second = ed.add_proposal("Two", activity_id=PROPOSE).ids[0]
    position = {p.id: p.position for p in ed.session.proposals}
    assert position[second] == position[first] + 1


def test_add_retries_until_the_id_is_free(monkeypatch):
    from workshop.domain.operations import proposals as module

    ids = iter(["pr1", "pr1", "fresh1"])
    monkeypatch.setattr(module, "new_id", lambda length: next(ids))
    ed, _, _ = editor(make_session(proposals=[Proposal(id="pr1", text="Share budgets")]))
    assert ed.add_proposal("Another", activity_id=PROPOSE).ids == ("fresh1",)


def test_add_without_an_activity_is_allowed():
    ed, _, _ = editor()
    change = ed.add_proposal("Carried over", activity_id=None)
    assert ed.session.proposals[-1].activity_id is None and change.ids


@pytest.mark.parametrize(
    ("text", "kwargs", "reason"),
    [
        ("   ", {}, "A proposal needs some text."),
        ("\x00\t", {}, "A proposal needs some text."),
        ("x" * (LINE_TEXT_CHARACTERS + 1), {}, f"A proposal holds at most {LINE_TEXT_CHARACTERS:,} characters."),
        ("Fine", {"activity_id": "nowhere"}, "There is no activity 'nowhere' in this session's agenda."),
        ("Fine", {"behaviour": "luck"}, "There is no behaviour 'luck' in this session's agenda."),
        ("Fine", {"proposed_by": "ghost"}, "There is no participant 'ghost' in this session."),
        ("Share budgets", {}, "'Share budgets' is already a proposal."),
        ("  share   BUDGETS ", {}, "'share   BUDGETS' is already a proposal."),
    ],
)
def test_add_refusals_change_nothing(text, kwargs, reason):
    ed, heard, _ = editor()
    arguments = {"activity_id": PROPOSE} | kwargs
    assert refused(ed, heard, ed.add_proposal, text, **arguments) == reason


def test_a_long_duplicate_is_quoted_short():
    ed, heard, _ = editor()
    long_text = "Word " * 100
    ed.add_proposal(long_text, activity_id=PROPOSE)
    heard.clear()
    reason = refused(ed, heard, ed.add_proposal, long_text.upper(), activity_id=PROPOSE)
    assert reason.endswith("…' is already a proposal.") and len(reason) < 100


def test_the_cap_on_proposals():
    many = [Proposal(id=f"p{index}", text=f"Idea {index}") for index in range(MAX_PROPOSALS)]
    ed, heard, _ = editor(make_session(proposals=many))
    assert refused(ed, heard, ed.add_proposal, "One more", activity_id=PROPOSE) == f"A session holds at most {MAX_PROPOSALS:,} proposals."


def test_a_merged_wording_counts_as_already_proposed():
    ed, heard, _ = editor()
    other = ed.add_proposal("Pool budgets", activity_id=PROPOSE).ids[0]
    ed.merge_proposals("pr1", other)
    heard.clear()
    assert refused(ed, heard, ed.add_proposal, "pool budgets", activity_id=PROPOSE) == "'pool budgets' is already a proposal."


@given(st.text(min_size=1, max_size=40))
def test_any_text_is_added_cleaned_or_refused_plainly(text):
    ed = SessionEditor(make_session(proposals=[]))
    try:
        ed.add_proposal(text, activity_id=PROPOSE)
    except Refused as error:
        assert error.reason == "A proposal needs some text."
        assert ed.session.proposals == []
    else:
        (proposal,) = ed.session.proposals
        # The stored text is what the model would store, and a second copy is refused.
        assert Proposal.model_validate(proposal.model_dump()).text == proposal.text
        with pytest.raises(Refused, match="is already a proposal"):
            ed.add_proposal(f" {text.upper()} ", activity_id=PROPOSE)


# -- edit ----------------------------------------------------------------------------


def test_edit_sets_text_behaviour_and_proposer():
    ed, heard, _ = editor()
    change = ed.edit_proposal("pr1", text="Share budgets openly", behaviour="results", proposed_by="p1")
    proposal = ed.session.proposals[0]
    assert (proposal.text, proposal.behaviour, proposal.proposed_by) == ("Share budgets openly", "results", "p1")
    assert change.ids == ("pr1",) and change.decision and heard == [change]
    # None clears.
    ed.edit_proposal("pr1", text="Share budgets openly")
    assert (proposal.behaviour, proposal.proposed_by) == (None, None)


def test_edit_to_the_same_values_returns_none():
    ed, heard, _ = editor()
    assert ed.edit_proposal("pr1", text=" Share budgets ") is None
    assert heard == []


def test_edit_may_change_only_the_case_of_its_own_text():
    ed, _, _ = editor()
    ed.edit_proposal("pr1", text="Share Budgets")
    assert texts(ed) == ["Share Budgets"]


@pytest.mark.parametrize(
    ("proposal_id", "kwargs", "reason"),
    [
        ("zz", {"text": "x"}, "There is no proposal 'zz' in this session."),
        ("pr1", {"text": " "}, "A proposal needs some text."),
        ("pr1", {"text": "ok", "behaviour": "luck"}, "There is no behaviour 'luck' in this session's agenda."),
        ("pr1", {"text": "ok", "proposed_by": "ghost"}, "There is no participant 'ghost' in this session."),
        ("pr1", {"text": "pool DATA"}, "'pool DATA' is already a proposal."),
    ],
)
def test_edit_refusals_change_nothing(proposal_id, kwargs, reason):
    ed, heard, _ = editor()
    ed.add_proposal("Pool data", activity_id=PROPOSE)
    heard.clear()
    assert refused(ed, heard, ed.edit_proposal, proposal_id, **kwargs) == reason


# -- remove --------------------------------------------------------------------------


def voted_session(superseded: bool = False, hands: dict[str, int] | None = None) -> Session:
    proposals = [Proposal(id="pa", text="Share budgets"), Proposal(id="pb", text="Pool data"), Proposal(id="pc", text="Fewer meetings")]
    vote_round = VoteRound(
        id="v1",
        activity_id="end-1",
        mode="named",
        proposals=["pa", "pb", "pc"],
        ballots=[DotBallot(voter="p1", dots={"pa": 2})],
        superseded=superseded,
        hands=hands or {},
    )
    return make_session(proposals=proposals, vote_rounds=[vote_round])


def test_remove_takes_it_off_the_list_and_the_ballot():
    ed, heard, _ = editor(voted_session(hands={"pb": 0}))
    change = ed.remove_proposal("pb")
    assert texts(ed) == ["Share budgets", "Fewer meetings"]
    assert ed.session.vote_rounds[0].proposals == ["pa", "pc"]
    assert "pb" not in ed.session.vote_rounds[0].hands
    assert change.ids == ("pb",) and change.decision and heard == [change]
    assert change.summary == "Removed 'Pool data'"


def test_remove_refuses_a_proposal_with_dots_that_count():
    ed, heard, _ = editor(voted_session())
    assert refused(ed, heard, ed.remove_proposal, "pa") == "'Share budgets' has votes; re-run the vote first to change the list."


def test_remove_refuses_a_proposal_with_hands_that_count():
    ed, heard, _ = editor(voted_session(hands={"pc": 3}))
    assert refused(ed, heard, ed.remove_proposal, "pc").endswith("has votes; re-run the vote first to change the list.")


def test_dots_in_a_superseded_round_do_not_hold_it():
    ed, _, _ = editor(voted_session(superseded=True))
    ed.remove_proposal("pa")
    assert texts(ed) == ["Pool data", "Fewer meetings"]
    # The superseded round's history stays as it was.
    assert ed.session.vote_rounds[0].ballots[0].dots == {"pa": 2}


def test_remove_unknown_is_refused():
    ed, heard, _ = editor()
    assert refused(ed, heard, ed.remove_proposal, "zz") == "There is no proposal 'zz' in this session."


# -- merge ---------------------------------------------------------------------------


def merge_session() -> Session:
    proposals = [Proposal(id=pid, text=text) for pid, text in (("pa", "Share budgets"), ("pb", "Pool data"), ("pc", "Fewer meetings"), ("pd", "Joint budgets"))]
    old = VoteRound(
        id="v0", activity_id="end-1", mode="named", proposals=["pa", "pb", "pc", "pd"], superseded=True, ballots=[DotBallot(voter="p1", dots={"pd": 1})]
    )
    current = VoteRound(
        id="v1",
        activity_id="end-1",
        mode="anonymous",
        proposals=["pa", "pb", "pc", "pd"],
        ballots=[DotBallot(dots={"pa": 2, "pd": 2}), DotBallot(dots={"pd": 1, "pb": 1}), DotBallot(dots={"pc": 1})],
    )
    hands = VoteRound(id="v2", activity_id="end-1", mode="hands", proposals=["pd", "pb", "pa"], hands={"pa": 4, "pd": 3, "pb": 1})
    return make_session(proposals=proposals, vote_rounds=[old, current, hands])


def test_merge_keeps_both_texts_and_moves_the_dots():
    ed, heard, _ = editor(merge_session())
    change = ed.merge_proposals("pa", "pd")
    keep = ed.session.proposals[0]
    assert texts(ed) == ["Share budgets", "Pool data", "Fewer meetings"]
    assert (keep.merged_texts, keep.merged_ids) == (["Joint budgets"], ["pd"])
    old, current, hands = ed.session.vote_rounds
    assert old.ballots[0].dots == {"pa": 1}
    assert [b.dots for b in current.ballots] == [{"pa": 4}, {"pb": 1, "pa": 1}, {"pc": 1}]
    assert hands.hands == {"pa": 7, "pb": 1}
    # Keep stands where the first of the two stood on each ballot.
    assert current.proposals == ["pa", "pb", "pc"]
    assert hands.proposals == ["pa", "pb"]
    assert change.ids == ("pa", "pd") and change.decision and heard == [change]
    assert change.summary == "Merged 'Joint budgets' into 'Share budgets'"


def test_merge_into_a_later_proposal_takes_the_earlier_place():
    ed, _, _ = editor(merge_session())
    ed.merge_proposals("pd", "pb")
    assert [p.id for p in ed.session.proposals] == ["pa", "pd", "pc"]
    assert ed.session.vote_rounds[1].proposals == ["pa", "pd", "pc"]


def test_merge_replaces_other_on_a_ballot_keep_was_not_on():
    session = merge_session()
    session.vote_rounds[1].proposals = ["pb", "pc", "pd"]
    ed, _, _ = editor(session)
    ed.merge_proposals("pa", "pc")
    assert ed.session.vote_rounds[1].proposals == ["pb", "pa", "pd"]


def test_merged_dots_are_capped_at_the_model_limit():
    session = merge_session()
    session.vote_rounds[1].ballots = [DotBallot(dots={"pa": MAX_DOTS - 1, "pb": 5})]
    session.vote_rounds[2].hands = {"pa": MAX_HANDS, "pb": 10}
    ed, _, _ = editor(session)
    ed.merge_proposals("pa", "pb")
    assert ed.session.vote_rounds[1].ballots[0].dots == {"pa": MAX_DOTS}
    assert ed.session.vote_rounds[2].hands == {"pa": MAX_HANDS}
    # Still a valid session.
    Session.model_validate(ed.session.model_dump(by_alias=True))


def test_merging_a_merged_proposal_carries_its_wordings():
    ed, _, _ = editor(merge_session())
    ed.merge_proposals("pd", "pc")
    ed.merge_proposals("pa", "pd")
    keep = ed.session.proposals[0]
    assert keep.merged_texts == ["Joint budgets", "Fewer meetings"]
    assert keep.merged_ids == ["pd", "pc"]


@pytest.mark.parametrize(
    ("keep", "other", "reason"),
    [
        ("pa", "pa", "A proposal cannot be merged with itself."),
        ("zz", "pa", "There is no proposal 'zz' in this session."),
        ("pa", "zz", "There is no proposal 'zz' in this session."),
    ],
)
def test_merge_refusals_change_nothing(keep, other, reason):
    ed, heard, _ = editor(merge_session())
    assert refused(ed, heard, ed.merge_proposals, keep, other) == reason


@given(st.lists(st.dictionaries(st.sampled_from(["pa", "pb", "pc", "pd"]), st.integers(1, MAX_DOTS)), max_size=6), st.permutations(["pa", "pb", "pc", "pd"]))
def test_merging_never_loses_a_dot_below_the_cap(ballots, order):
    session = merge_session()
    session.vote_rounds[1].ballots = [DotBallot(dots=dots) for dots in ballots]
    session.vote_rounds[1].proposals = list(order)
    keep, other = order[1], order[3]
    ed = SessionEditor(session)
    ed.merge_proposals(keep, other)
    after = ed.session.vote_rounds[1]
    for before_dots, ballot in zip(ballots, after.ballots, strict=True):
        assert other not in ballot.dots
        wanted = before_dots.get(keep, 0) + before_dots.get(other, 0)
        assert ballot.dots.get(keep, 0) == min(wanted, MAX_DOTS)
        for pid in set(before_dots) - {keep, other}:
            assert ballot.dots[pid] == before_dots[pid]
    assert after.proposals == [pid for pid in order if pid != other]


# -- read-only -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "args", "kwargs"),
    [
        ("add_proposal", ("New",), {"activity_id": PROPOSE}),
        ("edit_proposal", ("pa",), {"text": "Changed"}),
        ("remove_proposal", ("pb",), {}),
        ("merge_proposals", ("pa", "pb"), {}),
    ],
)
def test_read_only_refuses_every_proposal_operation(name, args, kwargs):
    ed, heard, _ = editor(merge_session(), read_only=True)
    assert refused(ed, heard, getattr(ed, name), *args, **kwargs) == "This session is open read-only."
