"""The consent check after the dot vote: the pack's rule, the candidates, the answers."""

from __future__ import annotations

from datetime import date

import pytest
from factories import pack_data
from pydantic import ValidationError

from workshop.domain.consent import consent_items
from workshop.domain.errors import Refused
from workshop.domain.models.pack import ConsentActivity, Pack
from workshop.domain.models.session import Participant, Proposal, Session
from workshop.domain.operations import SessionEditor
from workshop.domain.report import session_markdown
from workshop.domain.timebox import FakeClock

RULE = "The directors decide together; the dots show where the room's energy is, not a verdict."


def consent_pack(*, top: int = 2, before_vote: bool = False) -> Pack:
    data = pack_data(1)
    end = data["sections"][-1]["activities"]
    consent = {"kind": "consent", "id": "agree", "title": "Consent", "minutes": 10, "decision_rule": RULE, "top": top}
    end.insert(0 if before_vote else 1, consent)
    return Pack.model_validate(data)


def voted_editor(*, top: int = 2, reveal: bool = True) -> SessionEditor:
    session = Session(
        title="Away day",
        date=date(2025, 3, 14),
        agenda=consent_pack(top=top).snapshot(),
        participants=[Participant(id="p1", name="Ana"), Participant(id="p2", name="Bo")],
        proposals=[Proposal(id=f"x{n}", text=text, position=n) for n, text in enumerate(["Shared data", "Panels", "Training"])],
    )
    clock = FakeClock()
    editor = SessionEditor(session, monotonic=clock.monotonic, wall=clock.wall)
    vote = "end-1"
    editor.open_round(vote)
    editor.cast_dots(vote, "p1", {"x0": 2, "x1": 1})
    editor.cast_dots(vote, "p2", {"x0": 1, "x2": 1})
    if reveal:
        editor.reveal(vote)
    return editor


def test_a_consent_check_needs_a_rule_and_a_vote_before_it():
    assert isinstance(consent_pack().activity("agree"), ConsentActivity)
    with pytest.raises(ValidationError, match="a consent check needs a vote activity before it"):
        consent_pack(before_vote=True)
    data = pack_data(1)
    data["sections"][-1]["activities"].insert(1, {"kind": "consent", "title": "Consent", "minutes": 5})
    with pytest.raises(ValidationError, match="decision_rule"):
        Pack.model_validate(data)


def test_the_top_places_with_ties_at_the_cut_once_revealed():
    assert consent_items(voted_editor(reveal=False).session, consent_pack().activity("agree")) == []  # type: ignore[arg-type]
    editor = voted_editor(top=2)
    items = consent_items(editor.session, editor.session.agenda.activity("agree"))  # type: ignore[arg-type]
    # Shared data 3 dots; Panels and Training 1 each, level on dots and voters: both at place 2.
    assert [(item.proposal.text, item.place, item.dots) for item in items] == [("Shared data", 1, 3), ("Panels", 2, 1), ("Training", 2, 1)]


def test_agree_object_with_a_reason_and_take_back():
    editor = voted_editor()
    change = editor.record_consent("agree", "x0", "agreed")
    assert change.area == "consent" and change.decision
    assert editor.record_consent("agree", "x0", "agreed") is None
    with pytest.raises(Refused, match="needs its reason"):
        editor.record_consent("agree", "x1", "objected", "  ")
    editor.record_consent("agree", "x1", "objected", "No budget until April")
    editor.record_consent("agree", "x1", "objected", "No budget until May")  # replaced, not added
    assert [(c.proposal_id, c.answer, c.reason) for c in editor.session.consents] == [("x0", "agreed", ""), ("x1", "objected", "No budget until May")]
    with pytest.raises(Refused, match="not among the top priorities"):
        voted_editor(top=1).record_consent("agree", "x1", "agreed")
    with pytest.raises(Refused, match="no consent check"):
        editor.record_consent("end-1", "x0", "agreed")
    assert editor.clear_consent("agree", "x0") is not None
    assert [c.proposal_id for c in editor.session.consents] == ["x1"]


def test_the_report_states_the_rule_and_each_answer():
    editor = voted_editor()
    editor.record_consent("agree", "x0", "agreed")
    editor.record_consent("agree", "x1", "objected", "No budget until May")
    report = session_markdown(editor.session)
    assert "## Decision" in report and RULE in report
    assert "| Shared data | 3 | Agreed |" in report
    assert "Objected: No budget until May" in report
    assert "Training" in report and "Not asked yet" in report
