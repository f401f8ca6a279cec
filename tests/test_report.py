"""The Markdown report: valid CommonMark (plus tables), and typed text always literal."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from factories import make_session, sessions
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from test_export import demo_session

from workshop.domain.models.session import (
    DotBallot,
    Note,
    Participant,
    Proposal,
    RatingBallot,
    RatingRound,
    Session,
    VoteRound,
)
from workshop.domain.report import block, inline, session_markdown
from workshop.domain.tally import LOW_AGREEMENT_RULE, TIE_RULE

MD = MarkdownIt("commonmark").enable("table")

HOSTILE = [
    "a | b",
    "**bold**",
    "`code`",
    "<script>alert(1)</script>",
    "# heading",
    "- item",
    "+ item",
    "1. item",
    "2) item",
    "[link](http://x)",
    "![img](x.png)",
    "_under_",
    "~~strike~~",
    "&amp; &copy;",
    "back\\slash\\",
    "===",
    "---",
    "> quote",
    "***",
    "```",
    "<http://x.y>",
    "😀 👩🏽‍💻",
    "مرحبا بالعالم",
    "שלום",
    "trailing  ",
    "x\\|y",
    "|",
    "\\",
]


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def render(markdown: str) -> _Text:
    parser = _Text()
    parser.feed(MD.render(markdown))
    return parser


def text_of(markdown: str) -> str:
    return "".join(render(markdown).parts)


def inline_text(markdown: str) -> str:
    parser = _Text()
    parser.feed(MD.renderInline(markdown))
    return "".join(parser.parts)


def tables(markdown: str) -> list[list[list[str]]]:
    """Every table as rows of cell texts (header row first)."""
    found: list[list[list[str]]] = []
    in_cell = False
    for token in MD.parse(markdown):
        if token.type == "table_open":
            found.append([])
        elif token.type == "tr_open":
            found[-1].append([])
        elif token.type in ("th_open", "td_open"):
            in_cell = True
            found[-1][-1].append("")
        elif token.type in ("th_close", "td_close"):
            in_cell = False
        elif token.type == "inline" and in_cell:
            found[-1][-1][-1] = inline_text(token.content)
    return found


def headings(markdown: str) -> list[str]:
    tokens = MD.parse(markdown)
    return [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]


def block_types(markdown: str) -> set[str]:
    return {token.type for token in MD.parse(markdown)}


# -- the helpers ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_inline_text_is_literal_as_a_paragraph(text: str) -> None:
    rendered = render(inline(text))
    assert "".join(rendered.parts).strip() == " ".join(text.split())
    assert rendered.tags in (["p"], [])


@pytest.mark.parametrize("text", HOSTILE)
def test_inline_text_is_literal_in_a_table_cell_and_a_heading(text: str) -> None:
    markdown = "\n".join(["| A | B |", "| --- | --- |", f"| {inline(text)} | x |", "", f"## {inline(text)}"])
    assert tables(markdown) == [[["A", "B"], [" ".join(text.split()), "x"]]]
    assert headings(markdown)[0] == inline(text)
    assert text_of(markdown).rstrip("\n").endswith(" ".join(text.split()))


@given(st.text())
@settings(max_examples=300, deadline=None)
def test_inline_any_text_is_one_literal_cell(text: str) -> None:
    markdown = "\n".join(["| A | B |", "| --- | --- |", f"| {inline(text) or ' '} | x |"])
    cells = tables(markdown)
    assert len(cells) == 1 and len(cells[0]) == 2 and len(cells[0][1]) == 2
    expected = " ".join(text.split())
    # markdown-it turns NUL into U+FFFD; the models have removed controls long before.
    assert cells[0][1][0].strip() == expected.replace("\x00", "\ufffd").strip()


def test_inline_collapses_newlines_and_leaves_line_start_alone_mid_line() -> None:
    assert inline("a\nb\t c") == "a b c"
    assert inline("1.0", line_start=False) == "1.0"
    assert inline("1.0") == "1\\.0"
    assert inline("-x") == "\\-x" and inline("-x", line_start=False) == "-x"


def test_block_keeps_lines_and_paragraphs_literal() -> None:
    text = "\n".join(HOSTILE[:8]) + "\n\n\nsecond paragraph\n  indented code?\n"
    rendered = render(block(text))
    assert set(rendered.tags) <= {"p", "br"}
    assert rendered.tags.count("p") == 2
    assert "".join(rendered.parts).replace("\n", "") == "".join(" ".join(t.split()) for t in HOSTILE[:8]) + ("second paragraphindented code?")


@given(st.text())
@settings(max_examples=300, deadline=None)
def test_block_any_text_makes_only_paragraphs(text: str) -> None:
    text = text.replace("\x00", "")
    assert block_types(block(text)) <= {"paragraph_open", "paragraph_close", "inline"}
    words = [w for w in text.split()]
    rendered = text_of(block(text))
    assert rendered.split() == words


# -- the report -------------------------------------------------------------------------------


def test_demo_report_structure() -> None:
    markdown = session_markdown(demo_session())
    assert headings(markdown) == [
        "Spring away day \\| \\*North\\* team",
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
        "The evidence",
        "Participants",
        "Ratings",
        "Two quick ratings",
        "Votes",
        "Dot vote",
        "Decision",
        "Consent check",
        "Discussions: the notes taken",
        "A short discussion",
        "Timings",
        "Appendix: the research",
    ]
    found = tables(markdown)
    assert [len(t) for t in found] == [2, 3, 3, 5, 3, 4, 4, 6]
    assert all(len(row) == len(t[0]) for t in found for row in t)
    next_month, six_months, attention, participants, ratings, votes, consent, timings = found
    assert [row[2] for row in consent[1:]] == ["Not asked yet"] * 3
    assert participants[4] == ["Dana <Late>", "", "no"]
    assert next_month[1] == ["=Monthly joint case review with schools", "Ana Silva", "12 April 2026", "3", "✓"]
    # The board's order (position), not protected or dots first: the team's order is the decision.
    assert [row[0] for row in six_months[1:]] == ["Share one data dashboard with health", "Ask families what `help` means to them"]
    # Every rating with its scale's labels, on the first page and in the evidence.
    assert attention[1] == [
        "How good is our data at showing whether children's lives are improving?",
        "1 = Poor, 5 = Excellent",
        "3 of 3",
        "2",
        "1 to 5",
        "lowest; most divided",
    ]
    assert ratings[2][1:] == ["3", "2", "2.7", "4", "1:1 2:1 3:0 4:0 5:1", "low agreement"]
    assert ratings[1][0].endswith("(1 = Not at all, 5 = Completely)")
    assert ratings[1][6] == ""
    assert [row[0] for row in votes[1:]] == ["1", "=2", "=2"]
    assert timings[-1] == ["Total", "11", "9:07", ""]
    assert timings[1] == ["Trying it out", "5", "5:27", "over by 0:27"]
    text = text_of(markdown)
    assert text.count(LOW_AGREEMENT_RULE) == 1 and text.count(TIE_RULE) == 1
    assert "Re-run: 1 earlier round not counted." in text
    assert "# Not a heading" in text and "1. not a list 😀 مرحبا" in text
    assert "Spring away day | *North* team" in text
    # The app's own words are not the reader's: no "pass the keyboard", no "ballots", no ISO dates.
    assert "2026-" not in text and "ballots" not in text.lower() and "keyboard" not in text.lower()
    assert "The question: Which partner would we most like to work with more closely?" in text


def hostile_session(text: str) -> Session:
    base = make_session()
    rate = base.agenda.activity("s1-2")
    assert rate is not None and rate.kind == "rate"
    return make_session(
        title=text,
        team=text,
        facilitator=text,
        participants=[Participant(id="p1", name=text, role=text), Participant(id="p2", name="Bo")],
        notes=[Note(activity_id="s1-3", text=f"{text}\n{text}\n\n{text}")],
        proposals=[
            Proposal(id="pr1", text=text, owner=text, horizon="a-year", protected=True),
            Proposal(id="pr2", text="plain", owner="Bo", horizon="unplaced"),
        ],
        rating_rounds=[RatingRound(id="r1", activity_id="s1-2", mode="anonymous", ballots=[RatingBallot(answers={q.id: 1}) for q in rate.questions[:1]] * 2)],
        vote_rounds=[VoteRound(id="v1", activity_id="end-1", mode="anonymous", proposals=["pr1", "pr2"], ballots=[DotBallot(dots={"pr1": 2})])],
    )


@pytest.mark.parametrize("text", HOSTILE + ["line one\nline two", "a\n\n# b\n- c"])
def test_hostile_texts_stay_literal_in_the_report(text: str) -> None:
    session = hostile_session(text)
    markdown = session_markdown(session)
    plain = " ".join(text.split())
    rendered = render(markdown)
    assert set(rendered.tags) <= {"h1", "h2", "h3", "h4", "hr", "p", "strong", "br", "table", "thead", "tbody", "tr", "th", "td"}
    heads = headings(markdown)
    assert len(heads) == len(headings(session_markdown(hostile_session("plain"))))
    found = tables(markdown)
    assert all(len(row) == len(t[0]) for t in found for row in t)
    participants = next(t for t in found if t[0] == ["Name", "Role", "Present"])
    assert participants[1] == [plain, plain, "yes"]
    cells = [cell for t in found for row in t for cell in row]
    assert cells.count(plain) >= 2 + 2 + 1  # participant name and role, priority text and owner, vote row
    assert text_of(markdown).count(plain) >= 8
    if text.strip():
        assert render(f"# {inline(text)}").tags == ["h1"]


def test_anonymous_rounds_are_included_and_unrevealed_rounds_say_so() -> None:
    markdown = session_markdown(hostile_session("x"))
    text = text_of(markdown)
    assert "Anonymous ballot; 2 people answered; results not revealed in the room." in text
    assert "Anonymous ballot; 1 person voted; results not revealed in the room." in text


def test_empty_session_report() -> None:
    session = make_session(participants=[], proposals=[], notes=[], progress=[])
    markdown = session_markdown(session)
    text = text_of(markdown)
    assert "No participants recorded." in text and "No priorities recorded." in text
    assert "Ratings" not in headings(markdown) and "Discussions: the notes taken" not in headings(markdown)
    assert "Timings" in headings(markdown)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sessions())
def test_any_session_report_is_well_formed(session: Session) -> None:
    markdown = session_markdown(session)
    found = tables(markdown)
    assert all(len(row) == len(t[0]) for t in found for row in t)
    participants = next((t for t in found if t[0] == ["Name", "Role", "Present"]), None)
    assert (participants is not None) == bool(session.participants)
    if participants:
        assert [row[0] for row in participants[1:]] == [" ".join(p.name.split()) for p in session.participants]
    rendered = render(markdown)
    assert set(rendered.tags) <= {"h1", "h2", "h3", "h4", "hr", "p", "strong", "br", "table", "thead", "tbody", "tr", "th", "td"}
    assert headings(markdown)[0] == inline(session.title)


def test_merged_wordings_stay_in_the_report():
    from workshop.domain.operations import SessionEditor
    from workshop.domain.report import session_markdown

    session = make_session()
    editor = SessionEditor(session)
    activity = next(a.id for _, a in session.agenda.activities() if a.kind == "propose")
    keep = editor.add_proposal("Shared data dashboard", activity_id=activity).ids[0]
    other = editor.add_proposal("One view of the data | for all", activity_id=activity).ids[0]
    editor.merge_proposals(keep, other)
    report = session_markdown(session)
    assert "Shared data dashboard (also worded: One view of the data \\| for all)" in report
