"""The report's first page, which a director forwards alone, and the close's decisions behind it.

The golden file is the whole Markdown report of a full default-pack day of eight
(`report_day.full_day`). Regenerate it after an intended change with
`UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_report_first_page.py`, then read the diff.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from factories import make_session
from report_day import full_day
from test_report import headings, tables, text_of
from test_report_html import Headings, Page

from workshop.domain.errors import Refused
from workshop.domain.models.session import Note, Session
from workshop.domain.operations import Change, SessionEditor
from workshop.domain.render.document import Heading, PageBreak
from workshop.domain.report import session_document, session_html, session_markdown
from workshop.domain.report_first_page import needing_attention, rated_questions
from workshop.storage.session_format import dump_session
from workshop.storage.store import create_session, load_session

GOLDEN = Path(__file__).parent / "golden" / "full-day-report.md"
CREDIT = "Resourceful leadership: how directors of children's services improve outcomes for children"


@pytest.fixture(scope="module")
def day() -> Session:
    return full_day()


def first_page_markdown(session: Session) -> str:
    markdown = session_markdown(session)
    assert markdown.count("\n* * *\n") == 1
    return markdown.split("\n* * *\n")[0]


def test_the_full_day_report_matches_its_golden_file(day: Session) -> None:
    text = session_markdown(day)
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_bytes(text.encode("utf-8"))
    assert GOLDEN.exists(), f"no golden file {GOLDEN.name}: run with UPDATE_GOLDEN=1"
    assert text == GOLDEN.read_bytes().decode("utf-8")


def test_the_first_page_says_what_was_decided(day: Session) -> None:
    page = first_page_markdown(day)
    text = text_of(page)
    assert headings(page) == [
        "Spring away day",
        "What we decided",
        "Priorities by horizon",
        "Next month",
        "Six months",
        "A year",
        "Longer term",
        "Who must agree, and the next review",
        "Our commitments",
        "Ratings that need attention",
        "How the day ran",
    ]
    # The research credited by title, the date as people write it.
    assert f"Built on the research: {CREDIT}" in text
    assert "Date: 12 March 2026" in text and "2026-03-12" not in page
    # Six priorities with owner, review date and the protected mark; none of the unplaced tray.
    board = [row for table in tables(page)[:4] for row in table[1:]]
    assert len(board) == 6 and all(row[1] for row in board)
    assert sum(row[4] == "✓" for row in board) == 2
    assert "16 April 2026" in [row[2] for row in board]
    assert "Stop two reports nobody reads" not in page
    # The close: who must agree, by when, the next review, each person's commitment.
    assert "Who must agree these priorities: Chief executive and the lead member for children" in text
    assert "By: 31 March 2026" in text and "We review progress on: 18 June 2026" in text
    assert "Zoë Müller: Ring the head of housing about pooling the budget" in text
    assert text.count("Gráinne Byrne:") == 1
    # The ratings needing attention, with their scale's labels and how many answered.
    attention = tables(page)[-1]
    assert attention[0] == ["Question", "Scale", "Answered", "Median", "Range", "Why listed"]
    assert 3 <= len(attention) - 1 <= 5
    assert all(row[1].startswith("1 = ") and ", 5 = " in row[1] and row[2] == "8 of 8" for row in attention[1:])
    assert {row[5] for row in attention[1:]} >= {"lowest", "most divided"}
    # How the day ran, in one line.
    assert "Planned 2h50 from 09:30; took 3h07 (17 min over); 28 activities, none skipped." in text


def test_the_lowest_come_first_then_the_most_divided(day: Session) -> None:
    listed = needing_attention(day)
    whys = [why for _, why in listed]
    assert whys == sorted(whys, key=lambda why: not why.startswith("lowest"))
    lowest = [item for item, why in listed if why.startswith("lowest")]
    assert len(lowest) == 3
    listed_ids = {item.question.id for item, _ in listed}
    rest = [item for item in rated_questions(day) if item.question.id not in listed_ids]
    # Every scale of the default pack runs 1 to 5, so medians compare directly.
    assert max(item.summary.median or 0 for item in lowest) <= min(item.summary.median or 0 for item in rest)
    divided = [item for item, why in listed if "most divided" in why]
    assert divided and all((item.summary.spread or 0) >= (other.summary.spread or 0) for item in divided for other in rest)


def test_the_html_first_page_says_the_same_as_the_markdown(day: Session) -> None:
    document = session_document(day)
    cut = next(i for i, block in enumerate(document.blocks) if isinstance(block, PageBreak))
    first = [block.text for block in document.blocks[:cut] if isinstance(block, Heading)]
    html = session_html(day)
    before, after = html.split('<div class="page-break"></div>')
    found = [text for tag, text in Headings(before).found if tag in ("h2", "h3")]
    assert found == first
    assert '<div class="first-page">' in before
    page = Page(before + "</div></body></html>")
    for expected in (
        CREDIT,
        "Chief executive and the lead member for children",
        "31 March 2026",
        "18 June 2026",
        "Zoë Müller: Ring the head of housing about pooling the budget",
        "Review: 16 April 2026",
        "1 = Not confident, 5 = Fully confident",
        "Planned 2h50 from 09:30",
    ):
        assert expected in page.text, expected
    assert "Appendix" in after and CREDIT in Page("<html><body>" + after).text


def test_notes_sit_under_their_question_and_rounds_are_told_in_plain_words(day: Session) -> None:
    text = text_of(session_markdown(day))
    assert ("Check-in The question: In a sentence or two each: what are you bringing with you today, and what would make the day worth your time?") in " ".join(
        text.split()
    )
    assert "Secret ballot, each person in turn at the laptop; 8 people answered." in text
    assert "Each person had 5 dots to spend on the proposals that mattered most, at most 2 on any one" in text
    assert "keyboard" not in text.lower() and "ballots" not in text.lower()
    # The unplaced proposals: one compact list with their dots, most first.
    unplaced = next(t for t in tables(session_markdown(day)) if t[0] == ["Proposal", "Dots"])
    assert len(unplaced) - 1 == len(day.proposals) - 6
    dots = [int(row[1]) for row in unplaced[1:]]
    assert dots == sorted(dots, reverse=True)


def test_commitments_fall_back_to_the_close_sections_notes() -> None:
    session = full_day(close=False)
    page = first_page_markdown(session)
    assert "not recorded at the close" in page and "not set at the close" in page
    note = next(n for n in session.notes if n.activity_id == "close-commitments")
    assert note.text.splitlines()[0] in page
    # The close section's notes (the commitments' and the check-out's) all blank.
    session.notes = [n for n in session.notes if not n.activity_id.startswith("close-")] + [Note(activity_id="close-commitments", text="")]
    assert "None recorded at the close." in first_page_markdown(session)


# -- the close's operations --------------------------------------------------------------


def editor_of(session: Session) -> tuple[SessionEditor, list[Change]]:
    editor = SessionEditor(session)
    heard: list[Change] = []
    editor.listen(heard.append)
    return editor, heard


def test_the_close_records_who_must_agree_by_when_and_the_next_review() -> None:
    session = make_session(date=date(2026, 3, 12))
    editor, heard = editor_of(session)
    assert editor.set_approvers("  Chief executive\tand cabinet  ") is not None
    assert session.closing.approvers == "Chief executive and cabinet"
    assert editor.set_agree_by("2026-03-31") is not None
    assert editor.set_next_review(date(2026, 6, 18)) is not None
    assert (session.closing.agree_by, session.closing.next_review) == (date(2026, 3, 31), date(2026, 6, 18))
    # The same again changes nothing and tells nobody.
    assert editor.set_agree_by(date(2026, 3, 31)) is None and editor.set_approvers("Chief executive and cabinet") is None
    assert [c.area for c in heard] == ["closing"] * 3 and all(c.decision for c in heard)
    assert heard[1].summary == "To be agreed by 31 March 2026"
    # The day itself is allowed; blank clears.
    assert editor.set_next_review("2026-03-12") is not None
    assert editor.set_agree_by("") is not None and session.closing.agree_by is None


@pytest.mark.parametrize(
    ("call", "value", "reason"),
    [
        ("set_agree_by", "2026-03-11", "The date to agree by cannot be before the session's day (12 March 2026)."),
        ("set_next_review", date(2025, 1, 1), "The next review cannot be before the session's day (12 March 2026)."),
        ("set_next_review", "next week", "'next week' is not a date: type it as YYYY-MM-DD, such as 2026-04-30."),
        ("set_approvers", "x" * 2001, "Who must agree holds at most"),
    ],
)
def test_the_close_refuses_in_one_line_and_changes_nothing(call: str, value: object, reason: str) -> None:
    session = make_session(date=date(2026, 3, 12))
    editor, heard = editor_of(session)
    before = session.model_dump()
    with pytest.raises(Refused) as refused:
        getattr(editor, call)(value)
    assert refused.value.reason.startswith(reason) and "\n" not in refused.value.reason
    assert session.model_dump() == before and heard == []


def test_check_outs_read_round_the_room_and_blank_removes_one() -> None:
    session = make_session()
    editor, heard = editor_of(session)
    editor.set_check_out("p2", "Call the schools")
    editor.set_check_out("p1", "Share the budget")
    assert [(c.participant, c.text) for c in session.closing.check_out] == [("p1", "Share the budget"), ("p2", "Call the schools")]
    assert editor.check_out_text("p2") == "Call the schools"
    assert editor.set_check_out("p2", "Call the schools") is None
    editor.set_check_out("p2", "   ")
    assert [c.participant for c in session.closing.check_out] == ["p1"]
    with pytest.raises(Refused, match="There is no participant 'nobody' in this session."):
        editor.set_check_out("nobody", "x")
    with pytest.raises(Refused, match="read-only"):
        SessionEditor(session, read_only=True).set_approvers("x")


def test_a_session_closed_before_the_close_recorded_decisions_is_written_as_before(tmp_path: Path) -> None:
    session = make_session()
    assert "closing" not in dump_session(session)
    SessionEditor(session).set_next_review(date(2025, 6, 1))
    text = dump_session(session)
    assert "[closing]" in text and "next_review = 2025-06-01" in text
    path = create_session(tmp_path, session)
    loaded = load_session(path).session
    assert loaded.closing == session.closing and loaded.agenda.source == session.agenda.source


def test_the_research_is_credited_where_the_snapshot_keeps_it(day: Session) -> None:
    assert day.agenda.source is not None and day.agenda.source.title == CREDIT
    appendix = session_markdown(day).split("## Appendix: pre-read")[1]
    assert f"The day is built on the research {CREDIT}." in text_of(appendix)
    # A snapshot made before the credit was kept credits nothing rather than guess.
    old = day.model_copy(update={"agenda": day.agenda.model_copy(update={"source": None})})
    assert "Built on the research" not in session_markdown(old)


def test_chart_text_prints_at_8_points_or_more(day: Session) -> None:
    import re

    # SVG text is sized in CSS pixels, three quarters of a point each.
    sizes = [float(size) for size in re.findall(r'<text [^>]*font-size="([\d.]+)"', session_html(day))]
    assert sizes and min(sizes) * 0.75 >= 8
