"""The parking lot through `SessionEditor`: parking, refusals, the close's review, the file."""

from __future__ import annotations

import pytest
from factories import make_session

from workshop.domain.errors import Refused
from workshop.domain.models.session import Session
from workshop.domain.operations import Change, SessionEditor
from workshop.domain.timebox import FakeClock
from workshop.storage.session_format import dump_session, parse_session

DISCUSS = "s1-3"


def editor(**kwargs) -> tuple[SessionEditor, list[Change]]:
    clock = FakeClock()
    ed = SessionEditor(make_session(), monotonic=clock.monotonic, wall=clock.wall, **kwargs)
    heard: list[Change] = []
    ed.listen(heard.append)
    return ed, heard


def test_park_records_the_text_who_raised_it_and_where():
    ed, heard = editor()
    change = ed.park("  Transport costs for care leavers ", raised_by="Jo Reed", activity_id=DISCUSS)
    (item,) = ed.session.parking_lot
    assert (item.text, item.raised_by, item.activity_id, item.status) == ("Transport costs for care leavers", "Jo Reed", DISCUSS, "open")
    assert change.area == "parking" and change.decision and change.ids == (item.id,)
    assert heard == [change]


@pytest.mark.parametrize(
    "text, kwargs, reason",
    [
        ("   ", {}, "needs some text"),
        ("x" * 1001, {}, "at most 1,000 characters"),
        ("Fine", {"activity_id": "nowhere"}, "There is no activity 'nowhere'"),
        ("Fine", {"raised_by": "n" * 201}, "A name holds at most"),
    ],
)
def test_park_refuses_and_changes_nothing(text, kwargs, reason):
    ed, heard = editor()
    with pytest.raises(Refused, match=reason):
        ed.park(text, **kwargs)
    assert ed.session.parking_lot == [] and heard == []


def test_read_only_sessions_park_nothing():
    ed, _ = editor(read_only=True)
    with pytest.raises(Refused, match="read-only"):
        ed.park("Anything")


def test_review_keeps_drops_or_makes_a_proposal_once():
    ed, _ = editor()
    item_id = ed.park("Shared transport budget").ids[0]
    before = len(ed.session.proposals)
    assert ed.review_parked(item_id, "kept").summary == "'Shared transport budget': kept for later."
    assert ed.review_parked(item_id, "kept") is None
    ed.review_parked(item_id, "proposal")
    item = ed.parked(item_id)
    assert len(ed.session.proposals) == before + 1
    assert ed.session.proposals[-1].text == "Shared transport budget" and item.proposal_id == ed.session.proposals[-1].id
    ed.review_parked(item_id, "dropped")
    ed.review_parked(item_id, "proposal")  # back again: the same proposal, not a second
    assert len(ed.session.proposals) == before + 1
    with pytest.raises(Refused, match="no parked item"):
        ed.review_parked("nope", "kept")
    with pytest.raises(Refused, match="not a parking-lot decision"):
        ed.review_parked(item_id, "maybe")  # type: ignore[arg-type]


def test_an_existing_proposal_is_linked_not_copied():
    ed, _ = editor()
    existing = ed.session.proposals[0]
    item_id = ed.park(existing.text.upper()).ids[0]
    ed.review_parked(item_id, "proposal")
    assert ed.parked(item_id).proposal_id == existing.id


def test_the_lot_round_trips_and_an_empty_lot_is_not_written():
    ed, _ = editor()
    assert "parking_lot" not in dump_session(ed.session)
    ed.park("Estates review", raised_by="Amira")
    text = dump_session(ed.session)
    assert "[[parking_lot]]" in text
    again: Session = parse_session(text, "test")
    assert again.parking_lot == ed.session.parking_lot


def test_the_report_has_a_parking_lot_section_only_when_something_was_parked():
    from workshop.domain.report import session_markdown

    ed, _ = editor()
    assert "Parking lot" not in session_markdown(ed.session)
    kept = ed.park("Estates review", raised_by="Amira", activity_id=DISCUSS).ids[0]
    ed.park("School transport")
    ed.review_parked(kept, "kept")
    report = session_markdown(ed.session)
    assert "## Parking lot" in report
    assert "2 items parked, 1 not yet reviewed." in report
    assert "| Estates review | Amira |" in report and "Kept for later" in report
