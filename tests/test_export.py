"""Exporting a session: golden files of a scripted demo run, CSV safety, JSON round trip, CLI.

Regenerate the golden files after an intended change with
`UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_export.py`, then read the diff.
"""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from clirun import run_cli
from factories import make_session, sessions
from hypothesis import HealthCheck, given, settings

from workshop.domain import ballots
from workshop.domain.models.session import ActivityProgress, Proposal, Session
from workshop.domain.new_session import build_session
from workshop.storage.export import CSV_HEADER, export_path, export_session, safe_cell
from workshop.storage.packs import builtin_content_dir, load_pack
from workshop.storage.store import create_session

GOLDEN = Path(__file__).parent / "golden"
T0 = datetime(2026, 3, 12, 9, 0, tzinfo=timezone.utc)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def demo_session() -> Session:
    """A scripted, fully deterministic run of the demo pack."""
    pack = load_pack(builtin_content_dir() / "demo.toml")
    session = build_session(
        pack,
        title="Spring away day | *North* team",
        team="Children's services leadership",
        facilitator="Sam O'Neil",
        participants=[("Ana Silva", "Director"), ("Bo Chen", "Head of early help"), ("Chidi Okafor", "Head of data"), ("Dana <Late>", "")],
        day=date(2026, 3, 12),
    )
    session.id = "abc123"
    session.timezone = "UTC"
    session.created_at = session.updated_at = T0
    session.status = "completed"
    session.participants[3].present = False
    # Timings: the rating ran long, the vote was quick, the close skipped.
    elapsed = {
        "demo-read": 55,
        "demo-rate": 150.4,
        "demo-discuss": 62,
        "demo-propose": 60,
        "demo-break": 30,
        "demo-merge": 50,
        "demo-vote": 45,
        "demo-place": 95,
    }
    for activity_id, seconds in elapsed.items():
        session.progress.append(ActivityProgress(activity_id=activity_id, state="done", elapsed_seconds=seconds, started_at=at(0), ended_at=at(seconds / 60)))
    session.progress.append(ActivityProgress(activity_id="demo-close-summary", state="skipped"))
    note = session.note_for("demo-discuss")
    note.text = "Partners we named:\n- the police\n- schools | colleges\n\n# Not a heading\n1. not a list 😀 مرحبا"
    note.updated_at = at(4)
    people = [p.id for p in session.participants]
    session.proposals = [
        Proposal(
            id="pr1",
            text="Share one data dashboard with health",
            behaviour="results",
            proposed_by=people[2],
            activity_id="demo-propose",
            created_at=at(5),
            horizon="six-months",
            position=0,
            owner="Chidi Okafor",
            review_date=date(2026, 9, 1),
        ),
        Proposal(
            id="pr2",
            text="=Monthly joint case review with schools",
            behaviour="collaborate",
            proposed_by=people[0],
            activity_id="demo-propose",
            created_at=at(5.5),
            horizon="next-month",
            position=0,
            owner="Ana Silva",
            protected=True,
            review_date=date(2026, 4, 12),
        ),
        Proposal(
            id="pr3",
            text="Ask families what `help` means to them",
            proposed_by=people[1],
            activity_id="demo-propose",
            created_at=at(6),
            horizon="six-months",
            position=1,
            owner="Bo Chen",
            protected=True,
        ),
    ]
    rate = ballots.open_rating_round(session, "demo-rate", mode="named", now=at(1))
    questions = ballots.rating_questions(session, rate)
    for voter, answers in zip(people, [{"demo-q1": 4, "demo-q2": 1}, {"demo-q1": 3, "demo-q2": 5}, {"demo-q1": 3, "demo-q2": 2}], strict=False):
        ballots.cast_rating_ballot(session, rate, voter, answers, questions, now=at(2))
    ballots.close(rate, at(3))
    ballots.reveal(rate)
    first = ballots.open_vote_round(session, "demo-vote", ["pr1", "pr2", "pr3"], mode="named", dots_per_person=3, max_per_item=2, now=at(7))
    ballots.cast_dot_ballot(session, first, people[0], {"pr1": 3 - 1}, now=at(7.5))
    vote = ballots.rerun(session, first, at(8))
    for voter, dots in zip(people, [{"pr2": 2, "pr1": 1}, {"pr3": 2, "pr1": 1}, {"pr1": 1, "pr2": 1, "pr3": 1}], strict=False):
        ballots.cast_dot_ballot(session, vote, voter, dots, now=at(8.5))  # type: ignore[arg-type]  # a vote's rerun is a vote
    ballots.close(vote, at(9))
    ballots.reveal(vote)
    # Round ids are random; fix them so the JSON is stable.
    session.rating_rounds[0].id = "rate1"
    session.vote_rounds[0].id = "vote1"
    session.vote_rounds[1].id = "vote2"
    return Session.model_validate(session.model_dump(by_alias=True))


@pytest.mark.parametrize("fmt", ["md", "csv", "json"])
def test_demo_export_matches_golden(fmt: str) -> None:
    text = export_session(demo_session(), fmt)
    golden = GOLDEN / f"demo-report.{fmt}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes(text.encode("utf-8"))
    assert golden.exists(), f"no golden file {golden.name}: run with UPDATE_GOLDEN=1"
    assert text == golden.read_bytes().decode("utf-8")


def test_export_rejects_an_unknown_format() -> None:
    with pytest.raises(ValueError, match="not an export format"):
        export_session(make_session(), "docx")


def test_export_path_is_beside_the_session_file() -> None:
    assert export_path(Path("/x/2026-03-12-spring-away-day-abc123.toml"), "csv") == Path("/x/2026-03-12-spring-away-day-abc123.csv")


# -- CSV ------------------------------------------------------------------------------------


def read_csv(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff"), "the CSV starts with a byte order mark"
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def test_demo_csv_reads_back() -> None:
    rows = read_csv(export_session(demo_session(), "csv"))
    assert rows[0] == CSV_HEADER
    by_text = {row[1]: dict(zip(CSV_HEADER, row, strict=True)) for row in rows[1:]}
    assert len(rows) == 4
    assert [row[1] for row in rows[1:]] == [
        "'=Monthly joint case review with schools",  # next month
        "Share one data dashboard with health",  # six months, in the board's order
        "Ask families what `help` means to them",
    ]
    first = by_text["'=Monthly joint case review with schools"]
    assert first == {
        "Rank": "2",
        "Priority": "'=Monthly joint case review with schools",
        "Also worded": "",
        "Behaviour": "Ability to collaborate",
        "Horizon": "Next month",
        "Owner": "Ana Silva",
        "Protected": "yes",
        "Dots": "3",
        "Review date": "2026-04-12",
        "Status": "Open",
    }
    assert by_text["Share one data dashboard with health"]["Rank"] == "1"
    assert by_text["Share one data dashboard with health"]["Dots"] == "3"
    assert by_text["Ask families what `help` means to them"]["Behaviour"] == ""


def test_the_csv_file_opens_in_a_spreadsheet_as_typed(tmp_path: Path) -> None:
    from workshop.domain.operations import SessionEditor
    from workshop.storage.export import write_export

    session = make_session(
        participants=[],
        proposals=[
            Proposal(id="a", text="Zoë Müller's panel", owner="Zoë Müller", horizon="next-month"),
            Proposal(id="b", text="=1+1 said Gráinne", owner="Gráinne", review_date=date(2026, 4, 30)),
        ],
    )
    editor = SessionEditor(session)
    keep = editor.add_proposal("Shared dashboard", activity_id="s1-4").ids[0]
    other = editor.add_proposal("One view of the data", activity_id="s1-4").ids[0]
    editor.merge_proposals(keep, other)
    path = write_export(export_session(session, "csv"), tmp_path / "priorities.csv")
    # The bytes start with UTF-8's byte order mark, which is what Excel looks for.
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert list(rows[0]) == CSV_HEADER
    by_text = {row["Priority"]: row for row in rows}
    assert by_text["Zoë Müller's panel"]["Owner"] == "Zoë Müller"
    assert by_text["'=1+1 said Gráinne"]["Review date"] == "2026-04-30"
    assert by_text["Shared dashboard"]["Also worded"] == "One view of the data"
    assert by_text["Shared dashboard"]["Rank"] == ""  # never on a ballot


@pytest.mark.parametrize("text", ["=SUM(A1:A9)", "+1", "-2+3", "@cmd", "\tx", "\rx"])
def test_formula_like_cells_are_neutralised(text: str) -> None:
    assert safe_cell(text) == "'" + text
    assert safe_cell("plain = text") == "plain = text"
    assert safe_cell("") == ""


def test_hostile_csv_cells_survive_and_are_neutralised() -> None:
    session = make_session(
        proposals=[
            Proposal(id="a", text='=HYPERLINK("http://x","y")', owner='-Bo, "the" boss'),
            Proposal(id="b", text="@SUM(1)", owner="+Ana"),
            Proposal(id="c", text='Say "no", then; go 😀 مرحبا', owner="line"),
        ]
    )
    rows = read_csv(export_session(session, "csv"))
    assert len(rows) == 4 and all(len(row) == len(CSV_HEADER) for row in rows)
    cells = {row[1]: row[5] for row in rows[1:]}
    assert cells == {'\'=HYPERLINK("http://x","y")': '\'-Bo, "the" boss', "'@SUM(1)": "'+Ana", 'Say "no", then; go 😀 مرحبا': "line"}
    for row in rows[1:]:
        assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in row)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sessions())
def test_any_session_csv_has_one_row_per_proposal(session: Session) -> None:
    rows = read_csv(export_session(session, "csv"))
    assert rows[0] == CSV_HEADER
    assert len(rows) == len(session.proposals) + 1
    # Each text as typed, a would-be formula neutralised ("'=" typed stays "'=").
    assert sorted(row[1] for row in rows[1:]) == sorted(safe_cell(p.text) for p in session.proposals)


# -- JSON -----------------------------------------------------------------------------------


def test_demo_json_round_trips() -> None:
    session = demo_session()
    again = Session.model_validate(json.loads(export_session(session, "json")))
    assert again == session


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sessions())
def test_any_session_json_round_trips(session: Session) -> None:
    assert Session.model_validate(json.loads(export_session(session, "json"))) == session


# -- command line ---------------------------------------------------------------------------


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    folder = tmp_path / "sessions"
    folder.mkdir()
    return create_session(folder, demo_session())


def test_cli_export_markdown_beside_the_session_file(saved: Path) -> None:
    result = run_cli("export", str(saved))
    assert result.returncode == 0, result.stderr
    written = saved.with_suffix(".md")
    assert result.stdout.strip() == str(written)
    assert written.read_text(encoding="utf-8") == export_session(demo_session(), "md")


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_cli_export_by_id_in_each_format(saved: Path, fmt: str) -> None:
    result = run_cli("export", "abc123", "--format", fmt, "--sessions-dir", str(saved.parent))
    assert result.returncode == 0, result.stderr
    written = saved.with_suffix("." + fmt)
    assert result.stdout.strip() == str(written)
    assert written.read_bytes().decode("utf-8") == export_session(demo_session(), fmt)


def test_cli_export_to_stdout_and_to_a_file(saved: Path, tmp_path: Path) -> None:
    result = run_cli("export", str(saved), "--format", "json", "-o", "-")
    assert result.returncode == 0, result.stderr
    assert Session.model_validate(json.loads(result.stdout)) == demo_session()
    target = tmp_path / "report.md"
    result = run_cli("export", str(saved), "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(target)
    assert target.read_text(encoding="utf-8").startswith("# Spring away day")


@pytest.mark.parametrize(
    "args, message",
    [
        (["export", "nosuchid"], "No session with id"),
        (["export", "missing/file.toml"], "No such session file"),
    ],
)
def test_cli_export_errors_are_one_line(saved: Path, args: list[str], message: str) -> None:
    result = run_cli(*args, "--sessions-dir", str(saved.parent))
    assert result.returncode == 1
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_cli_export_refuses_to_overwrite_the_session(saved: Path) -> None:
    before = saved.read_bytes()
    result = run_cli("export", str(saved), "-o", str(saved))
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1
    assert saved.read_bytes() == before


def test_cli_export_unwritable_target_is_one_line(saved: Path, tmp_path: Path) -> None:
    result = run_cli("export", str(saved), "-o", str(tmp_path / "no" / "such" / "dir" / "x.md"))
    assert result.returncode == 1
    assert "Cannot write" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_cli_export_bad_file_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("this is = = not toml", encoding="utf-8")
    result = run_cli("export", str(bad))
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_cli_export_bad_format_is_usage_error(saved: Path) -> None:
    result = run_cli("export", str(saved), "--format", "docx")
    assert result.returncode == 2
