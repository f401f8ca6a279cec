"""`workshop export --format pre-read` (a page for participants before the day) and
`--format pdf` (the report printed by a local Chromium, or one line saying what to install)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from clirun import run_cli
from report_day import PEOPLE, PROPOSALS, full_day
from test_cli_compare import _tools
from test_report_html import Page, assert_self_contained

from workshop.domain.pre_read import md_blocks, pre_read_html
from workshop.domain.render.document import Bullets, Paragraph
from workshop.storage.store import create_session


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return create_session(tmp_path_factory.mktemp("sessions"), full_day())


def test_the_pre_read_has_the_purpose_behaviours_examples_and_agenda_and_nothing_from_the_room() -> None:
    session = full_day()
    page = Page(pre_read_html(session))
    assert_self_contained(page)
    assert page.title == "Before the day: Spring away day"
    text = page.text
    for expected in (
        "What the day is for",
        "Today is about how we, as a leadership team",
        "The eight behaviours",
        "Openness to possibilities",
        "Ability to learn continuously",
        "Examples from the research, in our words",
        "Resource Panels (Ability to collaborate)",
        "The agenda",
        "09:30",
        "Welcome and purpose",
        "12:20",
        "Finish",
        "Date: 12 March 2026",
        "The day is built on the research Resourceful leadership",
    ):
        assert expected in text, expected
    # Pack Markdown loses its marks, not its words.
    assert "**" not in text
    # Nothing from the room: no names, proposals, notes, ratings or check-outs.
    for name, _ in PEOPLE:
        assert name not in text, name
    for proposal in PROPOSALS:
        assert proposal not in text, proposal
    for note in session.notes:
        assert note.text.splitlines()[-1] not in text
    assert "Ring the head of housing" not in text and "median" not in text.lower()


def test_pack_markdown_becomes_paragraphs_and_lists() -> None:
    blocks = md_blocks("**Today** is\nabout us.\n\n- one *thing*\n  more of it\n- two\n\n## Then\nthe rest")
    assert blocks == [Paragraph("Today is about us."), Bullets(("one thing more of it", "two")), Paragraph("Then the rest")]


def test_cli_exports_the_pre_read_beside_the_session(saved: Path) -> None:
    result = run_cli("export", str(saved), "--format", "pre-read")
    assert result.returncode == 0, result.stderr
    written = saved.with_suffix(".pre-read.html")
    assert result.stdout.strip() == str(written)
    assert "Before the day: Spring away day" in Page(written.read_text(encoding="utf-8")).text


def test_cli_exports_a_pdf_whose_first_page_says_what_was_decided(saved: Path, tmp_path: Path) -> None:
    if not _tools():
        pytest.skip("headless Chromium or pdftotext is not installed")
    target = tmp_path / "report.pdf"
    result = run_cli("export", str(saved), "--format", "pdf", "-o", str(target), timeout=180)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(target)
    assert target.read_bytes().startswith(b"%PDF")
    first = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", str(target), "-"], check=True, capture_output=True, text=True).stdout
    assert "What we decided" in first and "Ratings that need attention" in first
    info = subprocess.run(["pdfinfo", str(target)], check=True, capture_output=True, text=True).stdout
    assert "(A4)" in info


def test_without_chromium_a_pdf_is_refused_in_one_line_naming_the_package(saved: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    result = run_cli("export", str(saved), "--format", "pdf", "-o", str(target), env={"WORKSHOP_CHROMIUM": str(tmp_path / "no-chromium-here")})
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "install the 'chromium' package" in lines[0] and "Traceback" not in result.stderr
    assert not target.exists()
