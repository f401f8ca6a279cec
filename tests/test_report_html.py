"""The HTML report: one self-contained page, the same content as the Markdown, typed text inert.

Parsed with `html.parser`: every text a person typed comes back as typed (escaped, never
markup), nothing is loaded from elsewhere, nothing runs.
"""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

import pytest
from factories import make_agenda, make_session, sessions
from hypothesis import HealthCheck, given, settings
from test_export import demo_session

from workshop.domain.compare import compare_sessions
from workshop.domain.compare_report import compare_html
from workshop.domain.models.pack import AgendaSnapshot
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
from workshop.domain.render.document import Document, Heading, Paragraph
from workshop.domain.render.html import render_html
from workshop.domain.report import session_html, session_markdown
from workshop.domain.series import series

HOSTILE = [
    "<script>alert(1)</script>",
    "&amp; &lt;b&gt;",
    "\"quotes' here",
    "[red]x[/]",
    "</td></tr></table>",
    "<img src=x onerror=alert(1)>",
    "]]><!-- -->",
    "مرحبا 😀",
]


class Page(HTMLParser):
    """Everything a check needs from a page: tags with attributes, texts, style, title."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[str] = []
        self.style = ""
        self.title = ""
        self._in: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag in self._in:
            while self._in and self._in.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        where = self._in[-1] if self._in else ""
        if where == "style":
            self.style += data
        elif where == "title" and "svg" not in self._in:
            self.title += data
        else:
            self.texts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.texts).split())

    def names(self) -> list[str]:
        return [tag for tag, _ in self.tags]


def assert_self_contained(page: Page) -> None:
    names = page.names()
    assert "script" not in names
    assert "link" not in names and "iframe" not in names and "object" not in names and "embed" not in names
    for tag, attrs in page.tags:
        assert "src" not in attrs and "href" not in attrs, (tag, attrs)
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        # The only namespace URI allowed is SVG's own, which loads nothing.
        for name, value in attrs.items():
            if value and "://" in value:
                assert (name, value) == ("xmlns", "http://www.w3.org/2000/svg"), (tag, name, value)
    assert "@import" not in page.style and "url(" not in page.style


def test_the_demo_report_is_one_printable_page_with_everything() -> None:
    html = session_html(demo_session())
    page = Page(html)
    assert_self_contained(page)
    assert html.startswith("<!DOCTYPE html>")
    assert page.tags[0] == ("html", {"lang": "en-GB"})
    assert page.title == "Spring away day | *North* team"
    assert "@page" in page.style and "size: A4" in page.style and "break-inside: avoid" in page.style
    assert "display: grid" not in page.style and "display: flex" not in page.style
    text = page.text
    # Who took part, the roadmap with owners, review dates and protected marks.
    for expected in (
        "Ana Silva",
        "Head of early help",
        "Dana <Late>",
        "Next month",
        "Six months",
        "A year",
        "Longer term",
        "=Monthly joint case review with schools",
        "Owner: Chidi Okafor",
        "Review: 1 September 2026",
        "Ask families what `help` means to them",
    ):
        assert expected in text, expected
    # Two marks and the line saying what the mark means.
    assert text.count("Protected") == 3
    # Ratings: one chart per question, with its median and spread in words.
    charts = [attrs for tag, attrs in page.tags if tag == "svg"]
    assert len(charts) == 2
    assert "median 3; spread 1 (from 3 to 4)" in (charts[0]["aria-label"] or "")
    assert "median 2; spread 4 (from 1 to 5); low agreement" in (charts[1]["aria-label"] or "")
    # Votes, notes (line breaks kept, nothing made a heading), timings.
    for expected in ("=2", "Partners we named:", "# Not a heading", "1. not a list 😀 مرحبا", "Total", "9:07", "over by 0:27"):
        assert expected in text, expected
    assert "h1" in page.names() and page.names().count("h1") == 1


class Headings(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self._open: str | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self._open = tag if tag in ("h1", "h2", "h3") else None

    def handle_data(self, data: str) -> None:
        if self._open:
            self.found.append((self._open, data))

    def handle_endtag(self, tag: str) -> None:
        self._open = None


def test_the_html_and_the_markdown_say_the_same() -> None:
    # One source: the same sections in the same order, and every sub-heading's text.
    session = demo_session()
    markdown = [
        (f"h{len(line) - len(line.lstrip('#'))}", line.lstrip("#").strip().replace("\\", ""))
        for line in session_markdown(session).splitlines()
        if line.startswith("#")
    ]
    html = Headings(session_html(session)).found
    assert [h for h in html if h[0] in ("h1", "h2")] == [h for h in markdown if h[0] in ("h1", "h2")]
    text = Page(session_html(session)).text
    for _, heading in markdown:
        assert heading in text, heading


def hostile_session(text: str) -> Session:
    """A session with `text` in every field a person types, packs' texts included."""
    data = make_agenda().model_dump(by_alias=True)
    data["pack_title"] = text
    for section in data["sections"]:
        section["title"] = text
        for activity in section["activities"]:
            activity["title"] = text
            for question in activity.get("questions", []):
                question["prompt"] = text
    agenda = AgendaSnapshot.model_validate(data)
    return make_session(
        title=text,
        team=text,
        facilitator=text,
        agenda=agenda,
        participants=[Participant(id="p1", name=text, role=text), Participant(id="p2", name="Bo", role=text)],
        notes=[Note(activity_id="s1-3", text=f"{text}\n{text}")],
        proposals=[
            Proposal(id="pr1", text=text, owner=text, horizon="a-year", protected=True, review_date=date(2025, 9, 1), merged_texts=[text]),
            Proposal(id="pr2", text=text, owner=text),
        ],
        rating_rounds=[
            RatingRound(
                id="r1",
                activity_id="s1-2",
                mode="named",
                revealed=True,
                ballots=[RatingBallot(voter="p1", answers={"q1a": 2}), RatingBallot(voter="p2", answers={"q1a": 5})],
            )
        ],
        vote_rounds=[
            VoteRound(id="v1", activity_id="end-1", mode="named", revealed=True, proposals=["pr1", "pr2"], ballots=[DotBallot(voter="p1", dots={"pr1": 2})])
        ],
    )


@pytest.mark.parametrize("text", HOSTILE)
def test_typed_text_in_every_field_stays_text(text: str) -> None:
    html = session_html(hostile_session(text))
    page = Page(html)
    assert_self_contained(page)
    assert page.title == text
    # Names, roles, owners, titles, prompts, proposals, wordings, notes: all come back as typed.
    wanted = " ".join(text.split())
    assert page.text.count(wanted) >= 12
    # Nothing typed became a tag: the page has only the tags the renderer writes.
    assert set(page.names()) <= ALLOWED_TAGS


def test_a_2000_character_title_is_kept_whole() -> None:
    title = ("A very long title " * 120)[:2000]
    page = Page(render_html(Document(title, (Heading(2, "Part"), Paragraph(title)))))
    assert page.title == title
    assert page.text.count(title.strip()) == 2
    # It wraps rather than running off the page.
    assert "overflow-wrap: anywhere" in page.style


def test_the_compare_report_has_the_same_form_with_a_series() -> None:
    first = make_session(
        id="one",
        date=date(2025, 1, 1),
        title="<script>alert(1)</script>",
        rating_rounds=[RatingRound(id="r", activity_id="s1-2", mode="named", ballots=[RatingBallot(answers={"q1a": 1})])],
    )
    second = make_session(
        id="two",
        date=date(2025, 6, 1),
        title='Second & "quoted"',
        rating_rounds=[RatingRound(id="r", activity_id="s1-2", mode="named", ballots=[RatingBallot(answers={"q1a": 3})])],
    )
    third = make_session(
        id="three",
        date=date(2025, 12, 1),
        title="[red]x[/]",
        rating_rounds=[RatingRound(id="r", activity_id="s1-2", mode="named", ballots=[RatingBallot(answers={"q1a": 4})])],
    )
    html = compare_html(compare_sessions(second, third), series([first, second, third]))
    page = Page(html)
    assert_self_contained(page)
    assert page.title == 'Compared: Second & "quoted" and [red]x[/]'
    assert "@page" in page.style
    for expected in (
        "Ratings then and now",
        "stands out",
        "3 → 4",
        "The earlier priorities",
        "Planned against actual time",
        "Medians over time",
        "<script>alert(1)</script>",
        "2025-01-01",
        "2025-12-01",
    ):
        assert expected in page.text, expected
    lines = [attrs for tag, attrs in page.tags if tag == "svg" and "series" in (attrs.get("class") or "")]
    # q1a is the only question with medians: one line, 1 -> 3 -> 4.
    assert len(lines) == 1
    assert "2025-01-01: 1; 2025-06-01: 3; 2025-12-01: 4" in (lines[0]["aria-label"] or "")
    polylines = [attrs for tag, attrs in page.tags if tag == "polyline"]
    assert len(polylines) == 1 and len((polylines[0]["points"] or "").split()) == 3


ALLOWED_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "h1",
    "h2",
    "h3",
    "p",
    "br",
    "strong",
    "span",
    "div",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "ul",
    "li",
    "svg",
    "line",
    "rect",
    "text",
    "path",
    "polyline",
    "circle",
}


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(sessions())
def test_any_session_renders_to_a_page_of_our_tags_only(session: Session) -> None:
    page = Page(session_html(session))
    assert_self_contained(page)
    assert set(page.names()) <= ALLOWED_TAGS
    assert page.title == session.title
    for person in session.participants:
        assert " ".join(person.name.split()) in page.text
    for proposal in session.proposals:
        assert " ".join(proposal.text.split()) in page.text
