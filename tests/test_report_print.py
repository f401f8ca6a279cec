"""The full day's report printed by headless Chromium to A4: the first page holds what was
decided and the credit, and no page ends on a heading.

Skipped where Chromium or pdftotext is missing, except under CI (see `test_cli_compare`).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from report_day import full_day
from test_cli_compare import _tools, print_to_pdf

from workshop.domain.render.document import Facts, Heading, PageBreak, Paragraph, Roadmap
from workshop.domain.report import session_document, session_html


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page, laid out as printed (`pdftotext -layout`)."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True, timeout=60).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def flat(text: str) -> str:
    return " ".join(text.split())


def lead_ins(blocks: tuple[object, ...]) -> list[str]:
    """The texts that only introduce what follows a heading: the paragraphs and facts right
    under it when a table, list or notes come next (without those, they are the content)."""
    found: list[str] = []
    run: list[str] = []
    after_heading = False
    for block in blocks:
        if isinstance(block, Heading):
            after_heading, run = True, []
        elif after_heading and isinstance(block, Paragraph):
            run.append(flat(block.text))
        elif after_heading and isinstance(block, Facts):
            run.append(flat((" · " if block.run_on else " ").join(f"{label}: {value}" for label, value in block.items)))
        else:
            if after_heading and not isinstance(block, PageBreak):
                found += run
            after_heading, run = False, []
    return found


@dataclass(frozen=True)
class Printed:
    pages: list[str]
    headings: list[str]
    lead_ins: list[str]


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Printed:
    if not _tools():
        pytest.skip("headless Chromium or pdftotext is not installed")
    folder = tmp_path_factory.mktemp("print")
    session = full_day()
    page = folder / "report.html"
    page.write_text(session_html(session), encoding="utf-8")
    pdf = folder / "report.pdf"
    print_to_pdf(page, pdf, folder / "profile")
    document = session_document(session)
    headings = [block.text for block in document.blocks if isinstance(block, Heading)]
    headings += [lane.label for block in document.blocks if isinstance(block, Roadmap) for lane in block.lanes]
    return Printed(pdf_pages(pdf), headings, lead_ins(document.blocks))


def test_the_first_page_holds_the_decisions_and_the_credit(printed: Printed) -> None:
    first = flat(printed.pages[0])
    for expected in (
        "What we decided",
        "Next month",
        "Longer term",
        "Owner: Zoë Müller",
        "Review: 16 April 2026",
        "Protected",
        "Chief executive and the lead member for children",
        "By: 31 March 2026",
        "We review progress on: 18 June 2026",
        "Gráinne Byrne: Hear from two families",
        "Ratings that need attention",
        "8 of 8",
        "Fully confident",
        "How the day ran",
        "Planned 2h50 from 09:30",
        "Built on the research: Resourceful leadership: how directors of",
        "children's services improve outcomes for children",
    ):
        assert expected in first, expected
    # The evidence starts on a page of its own.
    assert "The evidence" not in first and flat(printed.pages[1]).startswith("The evidence")


def test_no_page_ends_on_a_heading(printed: Printed) -> None:
    # After the last heading on a page there must be more than the heading's lead-in
    # (its intro paragraph, its facts): the start of what it heads.
    assert len(printed.pages) > 5
    for number, page in enumerate(printed.pages, start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert lines, f"page {number} is blank"
        last = max((i for i, line in enumerate(lines) if line in printed.headings), default=None)
        if last is None:
            continue
        rest = flat(" ".join(lines[last + 1 :]))
        for text in printed.lead_ins:
            rest = rest.replace(text, "")
        assert rest.strip(), f"page {number} ends on the heading {lines[last]!r}"


# -- the comparison of two full days (35 questions) printed ------------------------------------


def words_of(pdf: Path, page: int) -> list[tuple[str, float, float]]:
    """The words of one page with their left and right x (points), from `pdftotext -bbox`."""
    import re

    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"], check=True, capture_output=True, text=True, timeout=60).stdout
    found = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', out)
    return [(text, float(left), float(right)) for left, right, text in found]


def test_the_comparison_of_35_questions_prints_with_a_wide_question_column(tmp_path: Path) -> None:
    if not _tools():
        pytest.skip("headless Chromium or pdftotext is not installed")
    from datetime import date

    from workshop.storage.export import export_comparison

    spring = full_day()
    autumn = full_day(seed=7, day=date(2026, 10, 1), session_id="autumn26")
    page = tmp_path / "compare.html"
    page.write_text(export_comparison([spring, autumn], "html"), encoding="utf-8")
    pdf = tmp_path / "compare.pdf"
    print_to_pdf(page, pdf, tmp_path / "profile")
    first = words_of(pdf, 1)
    texts = [text for text, _, _ in first]
    # The table's header: the question column runs to where "Median" starts.
    left = next(x for text, x, _ in first if text == "Question,")
    median = next(x for text, x, _ in first if text == "Median")
    right = max(x for text, _, x in first if text == "Flag")
    assert (median - left) / (right - left) >= 0.40
    # At least five questions on the first page: each row labels its charts "Then" and "Now".
    assert texts.count("Then") >= 5 and texts.count("Now") >= 5
    # The stand-outs come first: on the first page, no row without the flag before one with it.
    flags = [text for text in texts if text in ("stands", "agreed", "low")]
    assert "stands" in flags
