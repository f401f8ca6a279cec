"""Board operations: move, reorder, protect, owner, review date and text, each a decision
of the room; every refusal is one plain line and changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from factories import make_session
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop.domain.errors import Refused
from workshop.domain.horizons import column
from workshop.domain.models.limits import LINE_TEXT_CHARACTERS, SHORT_TEXT_CHARACTERS
from workshop.domain.models.session import (
    HORIZON_LABELS,
    HORIZONS,
    TIME_HORIZONS,
    DotBallot,
    Proposal,
    Session,
    VoteRound,
)
from workshop.domain.operations import Change, SessionEditor
from workshop.domain.operations.board import UNPLACED_ORDER_REASON
from workshop.domain.parsing import parse_review_date
from workshop.domain.report import all_priorities, session_markdown


def board_session(placed: dict[str, list[str]] | None = None, unplaced: int = 3) -> Session:
    """A session with `unplaced` cards in the tray (u0, u1...) and named cards on horizons."""
    proposals = [Proposal(id=f"u{index}", text=f"Tray card {index}", position=index) for index in range(unplaced)]
    for horizon, ids in (placed or {}).items():
        proposals += [Proposal(id=pid, text=f"Card {pid}", horizon=horizon, position=index) for index, pid in enumerate(ids)]
    return make_session(proposals=proposals)


def editor_for(session: Session, **kwargs) -> tuple[SessionEditor, list[Change]]:
    editor = SessionEditor(session, **kwargs)
    heard: list[Change] = []
    editor.listen(heard.append)
    return editor, heard


def ids_in(session: Session, horizon: str) -> list[str]:
    return [p.id for p in column(session, horizon)]


def positions_in(session: Session, horizon: str) -> list[int]:
    return [p.position for p in column(session, horizon)]


def proposal(session: Session, proposal_id: str) -> Proposal:
    return next(p for p in session.proposals if p.id == proposal_id)


def assert_one_plain_line(message: str) -> None:
    assert message[:1].isupper() and message.endswith(".") and "\n" not in message
    for leak in ("validation error", "pydantic", "ValidationError", "Value error", "type=", "input_value"):
        assert leak not in message


# -- the horizons are defined once ----------------------------------------------------------


def test_horizons_are_the_board_order():
    assert HORIZONS == ("unplaced", "next-month", "six-months", "a-year", "longer-term")
    assert TIME_HORIZONS == HORIZONS[1:]
    assert list(HORIZON_LABELS) == list(HORIZONS)


# -- move_to_horizon ------------------------------------------------------------------------


def test_move_lands_at_the_end_and_renumbers_both_columns():
    session = board_session({"next-month": ["a", "b"], "a-year": ["c", "d", "e"]})
    # Gaps and duplicates, as a hand-edited file might have them.
    proposal(session, "a").position, proposal(session, "b").position = 4, 9
    editor, heard = editor_for(session)
    change = editor.move_to_horizon("d", "next-month")
    assert ids_in(session, "next-month") == ["a", "b", "d"]
    assert positions_in(session, "next-month") == [0, 1, 2]
    assert ids_in(session, "a-year") == ["c", "e"] and positions_in(session, "a-year") == [0, 1]
    assert change == Change(area="board", summary="Moved 'Card d' to Next month.", decision=True, ids=("d",))
    assert heard == [change]


def test_move_to_the_tray_and_back():
    session = board_session({"six-months": ["a"]})
    editor, heard = editor_for(session)
    editor.move_to_horizon("a", "unplaced")
    assert proposal(session, "a").horizon == "unplaced" and proposal(session, "a").position == 3
    editor.move_to_horizon("u1", "longer-term")
    assert ids_in(session, "longer-term") == ["u1"] and proposal(session, "u1").position == 0
    assert positions_in(session, "unplaced") == [0, 1, 2]
    assert len(heard) == 2 and all(change.decision for change in heard)


def test_move_to_the_same_horizon_changes_nothing():
    session = board_session({"a-year": ["a", "b"]})
    editor, heard = editor_for(session)
    before = session.model_dump()
    assert editor.move_to_horizon("a", "a-year") is None
    assert session.model_dump() == before and heard == []


@pytest.mark.parametrize("horizon", ["next month", "Unplaced", "", "never\n[bold]"])
def test_move_to_an_unknown_horizon_is_refused(horizon):
    session = board_session()
    editor, heard = editor_for(session)
    before = session.model_dump()
    with pytest.raises(Refused) as refused:
        editor.move_to_horizon("u0", horizon)
    assert_one_plain_line(str(refused.value))
    assert str(refused.value).startswith("The board has no column '")
    assert session.model_dump() == before and heard == []


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.sampled_from(HORIZONS)), max_size=25))
def test_any_sequence_of_moves_keeps_every_column_numbered(moves):
    session = board_session({"next-month": ["a", "b"], "a-year": ["c"]})
    editor, _ = editor_for(session)
    ids = [p.id for p in session.proposals]
    for index, horizon in moves:
        proposal_id = ids[index]
        before = proposal(session, proposal_id).horizon
        change = editor.move_to_horizon(proposal_id, horizon)
        assert (change is None) == (before == horizon)
        if change is not None:
            assert ids_in(session, horizon)[-1] == proposal_id
    for horizon in HORIZONS:
        assert positions_in(session, horizon) == list(range(len(ids_in(session, horizon))))
    assert sorted(p.id for p in session.proposals) == sorted(ids)


# -- reorder --------------------------------------------------------------------------------


def test_reorder_up_and_down_within_a_horizon():
    session = board_session({"six-months": ["a", "b", "c"]})
    editor, heard = editor_for(session)
    change = editor.reorder("c", -1)
    assert ids_in(session, "six-months") == ["a", "c", "b"]
    assert change is not None and change.decision and change.ids == ("c",) and "up" in change.summary
    editor.reorder("a", 1)
    assert ids_in(session, "six-months") == ["c", "a", "b"]
    assert positions_in(session, "six-months") == [0, 1, 2]
    assert len(heard) == 2


def test_reorder_at_an_end_changes_nothing():
    session = board_session({"six-months": ["a", "b"]})
    editor, heard = editor_for(session)
    before = session.model_dump()
    assert editor.reorder("a", -1) is None
    assert editor.reorder("b", 1) is None
    assert editor.reorder("a", 0) is None
    assert session.model_dump() == before and heard == []


def test_a_big_step_stops_at_the_end():
    session = board_session({"a-year": ["a", "b", "c", "d"]})
    editor, _ = editor_for(session)
    editor.reorder("b", 10)
    assert ids_in(session, "a-year") == ["a", "c", "d", "b"]
    editor.reorder("d", -10)
    assert ids_in(session, "a-year") == ["d", "a", "c", "b"]


def test_reorder_in_the_tray_is_refused_with_the_reason():
    session = board_session()
    editor, heard = editor_for(session)
    before = session.model_dump()
    with pytest.raises(Refused, match="ordered by dots") as refused:
        editor.reorder("u1", -1)
    assert str(refused.value) == UNPLACED_ORDER_REASON
    assert_one_plain_line(UNPLACED_ORDER_REASON)
    assert session.model_dump() == before and heard == []


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(-6, 6)), max_size=20))
def test_reorder_is_a_permutation(steps):
    ids = ["a", "b", "c", "d", "e"]
    session = board_session({"longer-term": ids})
    editor, heard = editor_for(session)
    for index, step in steps:
        editor.reorder(ids[index], step)
    assert sorted(ids_in(session, "longer-term")) == ids
    assert positions_in(session, "longer-term") == [0, 1, 2, 3, 4]
    assert all(change.decision and change.area == "board" for change in heard)


# -- protected, owner, review date, text ------------------------------------------------------


def test_protect_and_unprotect():
    session = board_session()
    editor, heard = editor_for(session)
    assert editor.set_protected("u0", True).decision
    assert proposal(session, "u0").protected
    assert editor.set_protected("u0", True) is None
    editor.set_protected("u0", False)
    assert not proposal(session, "u0").protected
    assert [change.ids for change in heard] == [("u0",), ("u0",)]


def test_owner_is_trimmed_and_blank_means_nobody():
    session = board_session()
    editor, heard = editor_for(session)
    change = editor.set_owner("u0", "  Amira\tKhan  ")
    assert proposal(session, "u0").owner == "Amira Khan"
    assert change.decision and change.ids == ("u0",)
    assert editor.set_owner("u0", "Amira Khan ") is None
    editor.set_owner("u0", "   ")
    assert proposal(session, "u0").owner == ""
    assert len(heard) == 2


def test_owner_at_the_limit_is_kept_and_over_it_refused():
    session = board_session()
    editor, heard = editor_for(session)
    editor.set_owner("u0", "x" * SHORT_TEXT_CHARACTERS)
    before = session.model_dump()
    with pytest.raises(Refused) as refused:
        editor.set_owner("u0", "y" * (SHORT_TEXT_CHARACTERS + 1))
    assert str(refused.value) == (f"An owner can be at most {SHORT_TEXT_CHARACTERS} characters; this one has {SHORT_TEXT_CHARACTERS + 1}.")
    assert session.model_dump() == before and len(heard) == 1


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-04-30", date(2026, 4, 30)),
        ("  2024-02-29 ", date(2024, 2, 29)),
        ("", None),
        ("   ", None),
    ],
)
def test_parse_review_date(typed, expected):
    assert parse_review_date(typed) == expected


@pytest.mark.parametrize("typed", ["2026-13-01", "2025-02-29", "next week", "20260430", "2026-W01-1", "30/04/2026", "2026-4-30", "[red]2026[/red]"])
def test_review_date_refuses_anything_but_yyyy_mm_dd(typed):
    session = board_session()
    editor, heard = editor_for(session)
    editor.set_review_date("u0", "2026-01-01")
    before = session.model_dump()
    with pytest.raises(Refused) as refused:
        editor.set_review_date("u0", typed)
    assert str(refused.value) == f"'{typed.strip()}' is not a date: type it as YYYY-MM-DD, such as 2026-04-30."
    assert session.model_dump() == before and len(heard) == 1


def test_review_date_from_text_a_date_or_nothing():
    session = board_session()
    editor, heard = editor_for(session)
    change = editor.set_review_date("u0", "2026-04-30")
    assert proposal(session, "u0").review_date == date(2026, 4, 30)
    assert change.decision and "2026-04-30" in change.summary
    assert editor.set_review_date("u0", date(2026, 4, 30)) is None
    editor.set_review_date("u0", datetime(2026, 5, 1, 12, tzinfo=UTC))
    assert proposal(session, "u0").review_date == date(2026, 5, 1)
    editor.set_review_date("u0", None)
    assert proposal(session, "u0").review_date is None
    assert editor.set_review_date("u0", "") is None
    assert len(heard) == 3


def test_priority_text_is_one_clean_line():
    session = board_session()
    editor, heard = editor_for(session)
    change = editor.set_priority_text("u0", "  A shared\ndashboard [b]now[/b] ")
    assert proposal(session, "u0").text == "A shared dashboard [b]now[/b]"
    assert change.decision and change.ids == ("u0",)
    assert editor.set_priority_text("u0", "A shared dashboard [b]now[/b]") is None
    assert len(heard) == 1


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "A priority's text cannot be blank."),
        (" \n\t ", "A priority's text cannot be blank."),
        ("z" * (LINE_TEXT_CHARACTERS + 1), f"A priority's text can be at most {LINE_TEXT_CHARACTERS} characters; this one has {LINE_TEXT_CHARACTERS + 1}."),
    ],
)
def test_priority_text_refusals(typed, reason):
    session = board_session()
    editor, heard = editor_for(session)
    before = session.model_dump()
    with pytest.raises(Refused) as refused:
        editor.set_priority_text("u0", typed)
    assert str(refused.value) == reason
    assert_one_plain_line(reason)
    assert session.model_dump() == before and heard == []


def test_priority_text_at_the_limit_is_kept():
    session = board_session()
    editor, _ = editor_for(session)
    editor.set_priority_text("u0", "w" * LINE_TEXT_CHARACTERS)
    assert len(proposal(session, "u0").text) == LINE_TEXT_CHARACTERS


# -- refusals common to every board operation ------------------------------------------------

OPERATIONS = [
    ("move_to_horizon", ("a-year",)),
    ("reorder", (1,)),
    ("set_protected", (True,)),
    ("set_owner", ("Amira",)),
    ("set_review_date", ("2026-04-30",)),
    ("set_priority_text", ("New words",)),
]


@pytest.mark.parametrize(("name", "args"), OPERATIONS, ids=[name for name, _ in OPERATIONS])
def test_unknown_proposal_is_refused(name, args):
    session = board_session({"six-months": ["a", "b"]})
    editor, heard = editor_for(session)
    before = session.model_dump()
    with pytest.raises(Refused) as refused:
        getattr(editor, name)("nope", *args)
    assert str(refused.value) == "There is no priority with the id 'nope' in this session."
    assert session.model_dump() == before and heard == []


@pytest.mark.parametrize(("name", "args"), OPERATIONS, ids=[name for name, _ in OPERATIONS])
def test_read_only_refuses_everything(name, args):
    session = board_session({"six-months": ["a", "b"]})
    editor, heard = editor_for(session, read_only=True)
    before = session.model_dump()
    with pytest.raises(Refused, match="read-only"):
        getattr(editor, name)("a", *args)
    assert session.model_dump() == before and heard == []


@pytest.mark.parametrize(("name", "args"), OPERATIONS, ids=[name for name, _ in OPERATIONS])
def test_every_operation_is_a_board_decision(name, args):
    session = board_session({"six-months": ["a", "b"]})
    editor, heard = editor_for(session)
    change = getattr(editor, name)("a", *args)
    assert change == heard[0] and len(heard) == 1
    assert change.area == "board" and change.decision is True and change.ids == ("a",)
    assert_one_plain_line(change.summary)


# -- the report reads the board's order ------------------------------------------------------


def test_report_lists_each_horizon_in_the_order_the_team_set():
    session = board_session({"six-months": ["a", "b", "c"]}, unplaced=0)
    session.vote_rounds.append(VoteRound(id="v1", activity_id="s1-5", mode="anonymous", proposals=["a", "b", "c"], ballots=[DotBallot(dots={"b": 2, "c": 1})]))
    editor, _ = editor_for(session)
    # The team puts the least-voted, unprotected card first: that is their decision.
    editor.set_protected("b", True)
    editor.reorder("a", -5)
    editor.reorder("c", -1)
    assert ids_in(session, "six-months") == ["a", "c", "b"]
    assert [p.id for p in all_priorities(session)] == ["a", "c", "b"]
    markdown = session_markdown(session)
    section = markdown[markdown.index("### Six months") :]
    assert section.index("Card a") < section.index("Card c") < section.index("Card b")


def test_report_lists_the_tray_as_the_board_shows_it():
    session = board_session(unplaced=3)
    session.vote_rounds.append(
        VoteRound(id="v1", activity_id="s1-5", mode="anonymous", proposals=["u0", "u1", "u2"], ballots=[DotBallot(dots={"u2": 2, "u1": 1})])
    )
    assert [p.id for p in all_priorities(session) if p.horizon == "unplaced"] == ["u2", "u1", "u0"]


def test_a_review_date_before_the_session_is_refused():
    session = board_session()
    editor, heard = editor_for(session)
    before = session.model_dump()
    earlier = session.date.replace(year=session.date.year - 1)
    with pytest.raises(Refused) as refused:
        editor.set_review_date("u0", earlier)
    assert "before" in str(refused.value) and earlier.isoformat() in str(refused.value)
    assert session.model_dump() == before and heard == []
    assert editor.set_review_date("u0", session.date) is not None  # the day itself is fine
