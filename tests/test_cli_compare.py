"""`workshop compare` and `workshop export --format html` end to end, and the HTML printed to PDF.

The PDF test needs headless Chromium and pdftotext; it is skipped where either is
missing, except under CI (`CI` set), where a missing tool fails it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from clirun import run_cli
from test_export import demo_session
from test_report_html import HOSTILE, Page, assert_self_contained, hostile_session

from workshop.domain.models.session import Proposal, Session
from workshop.storage.store import create_session

CHROMIUM = "/usr/bin/chromium"


def write(folder: Path, session: Session) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return create_session(folder, session)


def three_sessions(folder: Path) -> list[Path]:
    """Spring, then a follow-up in summer (one priority done, one carried), then autumn."""
    spring = demo_session()
    summer = demo_session().model_copy(
        update={
            "id": "summer22",
            "date": date(2026, 6, 1),
            "title": "Summer follow-up",
            "follow_up_of": spring.id,
            "proposals": [
                Proposal(id="n1", text="Share one data dashboard with health", carried_from="pr1", status="done"),
                Proposal(id="n2", text="Ask families", carried_from="pr3"),
            ],
        }
    )
    # Summer: the second question answered 4, 4, 4 (the demo script's spring: 1, 5, 2).
    for ballot in summer.rating_rounds[0].ballots:
        ballot.answers["demo-q2"] = 4
    autumn = demo_session().model_copy(update={"id": "autumn33", "date": date(2026, 10, 1), "title": "Autumn", "follow_up_of": "summer22"})
    return [write(folder, session) for session in (spring, summer, autumn)]


def test_compare_two_prints_markdown_with_the_change_and_the_review(tmp_path: Path) -> None:
    spring, summer, _ = three_sessions(tmp_path)
    result = run_cli("compare", str(summer), str(spring))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("# Compared: Spring away day")
    # Demo script: q2 answered 1, 5, 2 in spring (median 2, range 4, low); summer 4, 4, 4.
    assert "| 2 → 4 | **+2** | 4 → 0 | low → agreed | **stands out** |" in out
    assert "| 3 → 3 | 0 | 1 → 1 | agreed → agreed |" in out
    # Summer follows spring up: pr1 done, pr3 carried forward, pr2 not reviewed.
    assert "Share one data dashboard with health | Six months | Chidi Okafor | 1 September 2026 |   | Done |" in out
    assert "| Not reviewed |" in out and "| Carried forward |" in out
    assert "Medians over time" not in out


def test_compare_three_adds_the_series_as_json_and_html(tmp_path: Path) -> None:
    paths = [str(p) for p in three_sessions(tmp_path / "s")]
    result = run_cli("compare", *paths, "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    # The latest (autumn) against the one before it (summer).
    assert (data["before"]["id"], data["after"]["id"]) == ("summer22", "autumn33")
    assert [q["medians"] for q in data["series"]["questions"]] == [[3, 3, 3], [2, 4, 2]]
    target = tmp_path / "out" / "compare.html"
    target.parent.mkdir()
    written = run_cli("compare", *paths, "--format", "html", "-o", str(target))
    assert written.returncode == 0, written.stderr
    assert written.stdout.strip() == str(target)
    page = Page(target.read_text(encoding="utf-8"))
    assert_self_contained(page)
    assert "Medians over time" in page.text and page.names().count("polyline") == 2


def test_export_html_beside_the_session_and_to_a_file(tmp_path: Path) -> None:
    path = write(tmp_path, demo_session())
    result = run_cli("export", str(path), "--format", "html")
    assert result.returncode == 0, result.stderr
    beside = path.with_suffix(".html")
    assert result.stdout.strip() == str(beside)
    page = Page(beside.read_text(encoding="utf-8"))
    assert page.title == "Spring away day | *North* team"
    to_stdout = run_cli("export", str(path), "--format", "html", "-o", "-")
    assert to_stdout.stdout == beside.read_text(encoding="utf-8")


@pytest.mark.parametrize("problem", ["missing", "unreadable", "twice", "teams", "one"])
def test_compare_problems_are_one_line(tmp_path: Path, problem: str) -> None:
    spring, summer, autumn = three_sessions(tmp_path)
    args = {"missing": [str(spring), str(tmp_path / "nowhere.toml")], "twice": [str(spring), str(spring)], "one": [str(spring)]}.get(problem, [])
    if problem == "unreadable":
        broken = tmp_path / "broken.toml"
        broken.write_text("this is [not toml", encoding="utf-8")
        args = [str(spring), str(broken)]
    if problem == "teams":
        stranger = write(tmp_path / "other", demo_session().model_copy(update={"id": "stranger", "team": "Another team", "follow_up_of": None}))
        args = [str(spring), str(summer), str(stranger)]
    result = run_cli("compare", *args)
    assert result.returncode == 1, result
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("workshop: "), result.stderr
    assert "Traceback" not in result.stderr


def _tools() -> bool:
    missing = [tool for tool in (CHROMIUM, shutil.which("pdftotext")) if not tool or not Path(tool).exists()]
    if missing and os.environ.get("CI"):
        pytest.fail("CI must provide headless Chromium and pdftotext (poppler-utils)")
    return not missing


def print_to_pdf(html_file: Path, pdf: Path, profile: Path) -> None:
    subprocess.run(
        [
            CHROMIUM,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            html_file.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        stdin=subprocess.DEVNULL,
    )


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True, timeout=60).stdout


def test_the_html_report_prints_to_an_a4_pdf(tmp_path: Path) -> None:
    if not _tools():
        pytest.skip("headless Chromium or pdftotext is not installed")
    path = write(tmp_path / "s", hostile_session(HOSTILE[0]))
    assert run_cli("export", str(path), "--format", "html").returncode == 0
    pdf = tmp_path / "report.pdf"
    print_to_pdf(path.with_suffix(".html"), pdf, tmp_path / "profile")
    text = pdf_text(pdf)
    flat = " ".join(text.split())
    # The typed script is printed as text, in the title, the roadmap and the tables.
    assert flat.count("<script>alert(1)</script>") >= 8
    for expected in ("Participants", "Priorities by horizon", "Protected", "Review: 1 September 2025", "Ratings", "Votes", "Discussions", "Timings", "Total"):
        assert expected in flat, expected
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "(A4)" in info


def test_the_demo_report_prints_on_a4_with_its_figures(tmp_path: Path) -> None:
    if not _tools():
        pytest.skip("headless Chromium or pdftotext is not installed")
    path = write(tmp_path / "s", demo_session())
    assert run_cli("export", str(path), "--format", "html").returncode == 0
    pdf = tmp_path / "demo.pdf"
    print_to_pdf(path.with_suffix(".html"), pdf, tmp_path / "profile")
    flat = " ".join(pdf_text(pdf).split())
    for expected in (
        "Spring away day | *North* team",
        "Ana Silva",
        "=Monthly joint case review with schools",
        "Owner: Chidi Okafor",
        "low agreement",
        "Partners we named:",
        "over by 0:27",
        "9:07",
    ):
        assert expected in flat, expected


def test_the_compare_report_prints_on_a4_with_the_series(tmp_path: Path) -> None:
    if not _tools():
        pytest.skip("headless Chromium or pdftotext is not installed")
    paths = [str(p) for p in three_sessions(tmp_path / "s")]
    target = tmp_path / "compare.html"
    assert run_cli("compare", *paths, "--format", "html", "-o", str(target)).returncode == 0
    pdf = tmp_path / "compare.pdf"
    print_to_pdf(target, pdf, tmp_path / "profile")
    flat = " ".join(pdf_text(pdf).split())
    for expected in (
        "Compared: Summer follow-up and Autumn",
        "Ratings then and now",
        "stands out",
        "Planned against actual time",
        "Medians over time",
        "2026-03-12",
        "2026-10-01",
    ):
        assert expected in flat, expected
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "(A4)" in info
