"""Changing a ballot by sending it again (`replace=True`), as a phone does until the reveal."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_ops_rounds import RATE, VOTE, editor_for, make_session

from workshop.domain.errors import Refused


def test_a_named_ballot_is_replaced_not_added():
    editor, heard = editor_for()
    editor.cast_dots(VOTE, "amira", {"pa": 2})
    editor.cast_dots(VOTE, "amira", {"pb": 1, "pc": 1}, replace=True)
    current = editor.current_round(VOTE)
    assert [(b.voter, b.dots) for b in current.ballots] == [("amira", {"pb": 1, "pc": 1})]
    assert current.voted == ["amira"]
    assert heard[-1].decision and heard[-1].summary == "Amira voted."


def test_without_replace_a_second_ballot_is_still_refused():
    editor, _ = editor_for()
    editor.cast_dots(VOTE, "amira", {"pa": 2})
    with pytest.raises(Refused, match="already voted"):
        editor.cast_dots(VOTE, "amira", {"pb": 1})


def test_replacing_an_abstention_casts_the_ballot():
    editor, _ = editor_for()
    editor.abstain(RATE, "chen")
    editor.cast_rating(RATE, "chen", {"qa": 3}, replace=True)
    current = editor.current_round(RATE)
    assert current.abstained == [] and current.voted == ["chen"]


def test_an_anonymous_ballot_cannot_be_replaced():
    editor, _ = editor_for(make_session("anonymous"))
    editor.cast_rating(RATE, "amira", {"qa": 1})
    with pytest.raises(Refused, match="anonymous ballots cannot be told apart"):
        editor.cast_rating(RATE, "amira", {"qa": 5}, replace=True)
    assert [b.answers for b in editor.current_round(RATE).ballots] == [{"qa": 1}]


@given(
    first=st.dictionaries(st.sampled_from(["pa", "pb", "pc"]), st.integers(1, 2), min_size=1, max_size=1),
    second=st.dictionaries(st.sampled_from(["pa", "pb", "pc", "zz"]), st.integers(-1, 4), max_size=3),
)
def test_a_refused_replacement_leaves_the_earlier_ballot_exactly_as_it_was(first, second):
    editor, heard = editor_for()
    editor.cast_dots(VOTE, "bongani", {"pa": 1})
    editor.cast_dots(VOTE, "amira", first)
    before = editor.current_round(VOTE).model_copy(deep=True)
    changes = len(heard)
    try:
        editor.cast_dots(VOTE, "amira", second, replace=True)
    except Refused:
        assert editor.current_round(VOTE) == before
        assert len(heard) == changes
    else:
        after = editor.current_round(VOTE)
        assert after.voted == ["amira", "bongani"] and len(after.ballots) == 2
