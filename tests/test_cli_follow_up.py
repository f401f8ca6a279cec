"""`workshop new --follow-up SESSION`: a follow-up from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from clirun import run_cli
from test_follow_up import scripted_demo_run

from workshop.storage.store import create_session, load_session


@pytest.fixture
def earlier(tmp_path: Path) -> Path:
    return create_session(tmp_path / "sessions", scripted_demo_run())


def follow(folder: Path, *extra: str):
    return run_cli("new", "--sessions-dir", str(folder), "--no-open", *extra)


def test_new_follow_up_by_id(earlier: Path) -> None:
    before = load_session(earlier).session
    result = follow(earlier.parent, "--follow-up", before.id[:5], "--date", "2026-10-01")
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path.parent == earlier.parent and path != earlier
    session = load_session(path).session
    assert session.follow_up_of == before.id
    assert session.title == "Spring away-day follow-up" and session.team == before.team
    assert [p.name for p in session.participants] == [p.name for p in before.participants]
    assert session.agenda.pack_id == "demo"
    assert next(session.agenda.activities())[1].kind == "review"
    assert [p.text for p in session.earlier_priorities] == ["Meet partners monthly", "Share one budget", "Publish outcomes"]
    # The earlier file is read, never written.
    assert load_session(earlier).session == before


def test_new_follow_up_by_path_with_a_title(earlier: Path, tmp_path: Path) -> None:
    result = follow(tmp_path / "elsewhere", "--follow-up", str(earlier), "--title", "Autumn check-in")
    assert result.returncode == 0, result.stderr
    assert load_session(Path(result.stdout.strip())).session.title == "Autumn check-in"


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (("--follow-up", "zzzzzz"), "zzzzzz"),
        (("--follow-up", "EARLIER", "--participant", "Dee"), "takes its team"),
        (("--follow-up", "EARLIER", "--pack", "nope"), "No pack with id 'nope'"),
        (("--follow-up", "EARLIER", "--title", "  "), "title"),
        ((), "give --title"),
    ],
)
def test_follow_up_refusals_are_one_line(earlier: Path, extra: tuple[str, ...], expected: str) -> None:
    args = [str(earlier) if part == "EARLIER" else part for part in extra]
    result = follow(earlier.parent, *args)
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert expected in result.stderr and "Traceback" not in result.stderr
    assert sorted(earlier.parent.glob("*.toml")) == [earlier]


def test_follow_up_of_an_unreadable_file_is_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("schema = 1\ntitle = [", encoding="utf-8")
    result = follow(tmp_path, "--follow-up", str(broken))
    assert result.returncode == 1 and "Cannot follow up broken.toml" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
