"""A sessions folder with entries that cannot be read: each listed with its reason, the
rest listed as usual, and the verdict kept so an unchanged hostile file is read once."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from clirun import run_cli
from factories import make_session

from workshop.storage import listing
from workshop.storage.finding import find_session
from workshop.storage.listing import SessionSummary, UnreadableFile, list_sessions
from workshop.storage.listing_index import INDEX_NAME
from workshop.storage.store import create_session

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="symlinks and pipes are POSIX here")


def _forget() -> None:
    listing._summaries.clear()
    listing._on_disk.clear()


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files the listing reads (rather than finds in its index or memory)."""
    read: list[Path] = []
    real = listing.summarise
    monkeypatch.setattr(listing, "summarise", lambda path: read.append(path) or real(path))  # type: ignore[func-returns-value]
    _forget()
    return read


def _with_a_loop(folder: Path) -> tuple[Path, Path]:
    session = create_session(folder, make_session(title="Still here"))
    loop = folder / "self.toml"
    loop.symlink_to("self.toml")
    return session, loop


def test_a_symlink_loop_is_listed_as_unreadable_and_hides_nothing(tmp_path: Path) -> None:
    session, loop = _with_a_loop(tmp_path)
    _forget()
    items = list_sessions(tmp_path)
    assert [item.path for item in items] == [session, loop]
    assert isinstance(items[0], SessionSummary) and items[0].title == "Still here"
    assert isinstance(items[1], UnreadableFile) and "symbolic links" in items[1].error
    # Finding a session by id goes through the same listing.
    assert find_session(tmp_path, items[0].id) == session


def test_list_and_export_by_id_work_beside_a_symlink_loop(tmp_path: Path) -> None:
    session, loop = _with_a_loop(tmp_path)
    result = run_cli("list", "--json", "--sessions-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows[0]["title"] == "Still here" and rows[0]["path"] == str(session)
    assert rows[1]["path"] == str(loop) and "symbolic links" in rows[1]["error"]
    table = run_cli("list", "--sessions-dir", str(tmp_path))
    assert "Still here" in table.stdout and "self.toml: cannot be read (Too many levels of symbolic links)" in table.stdout
    exported = run_cli("export", rows[0]["id"], "-o", "-", "--sessions-dir", str(tmp_path))
    assert exported.returncode == 0, exported.stderr
    assert "Still here" in exported.stdout


def _hostile(path: Path, size: int = 3 << 20) -> Path:
    """A file of a few MB that parses as TOML but is no session (slow to find out)."""
    line = 'k{:07d} = "' + "x" * 40 + '"\n'
    count = size // len(line.format(0))
    path.write_text("".join(line.format(number) for number in range(count)), "utf-8")
    return path


def test_an_unreadable_files_verdict_is_kept_by_its_version(tmp_path: Path, spy: list[Path]) -> None:
    create_session(tmp_path, make_session(title="Good"))
    bad = _hostile(tmp_path / "bad.toml", 200_000)
    first = {item.path: item for item in list_sessions(tmp_path)}
    assert isinstance(first[bad], UnreadableFile) and bad in spy
    # A new process: from the index alone, the same reason, nothing read again.
    _forget()
    spy.clear()
    again = {item.path: item for item in list_sessions(tmp_path)}
    assert spy == [] and again[bad] == first[bad]
    entry = json.loads((tmp_path / INDEX_NAME).read_text("utf-8"))["entries"]["bad.toml"]
    assert entry["error"].replace("\x00", str(bad)) == first[bad].error and entry["ino"] == bad.stat().st_ino
    # Changed (a new mtime): read again.
    stat = bad.stat()
    os.utime(bad, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    _forget()
    spy.clear()
    list_sessions(tmp_path)
    assert spy == [bad]


def test_an_unreadable_files_reason_follows_its_backup(tmp_path: Path, spy: list[Path]) -> None:
    good = create_session(tmp_path, make_session(title="Good"))
    bad = tmp_path / "bad.toml"
    bad.write_text("not toml at all [", "utf-8")
    (reason,) = [item for item in list_sessions(tmp_path) if isinstance(item, UnreadableFile)]
    assert "backup" not in reason.error
    (tmp_path / "bad.toml.bak").write_bytes(good.read_bytes())
    for forget in (False, True):
        if forget:
            _forget()
        (reason,) = [item for item in list_sessions(tmp_path) if isinstance(item, UnreadableFile)]
        assert "a readable backup is at bad.toml.bak" in reason.error


def test_a_forged_index_entry_reaches_the_screen_cleaned(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("not toml [", "utf-8")
    list_sessions(tmp_path)
    index = tmp_path / INDEX_NAME
    data = json.loads(index.read_text("utf-8"))
    data["entries"]["bad.toml"]["error"] = "evil\x1b[2J\nline"
    index.write_text(json.dumps(data), "utf-8")
    _forget()
    (item,) = list_sessions(tmp_path)
    assert isinstance(item, UnreadableFile) and "\x1b" not in item.error and "\n" not in item.error


def test_list_of_a_file_as_the_sessions_folder_is_an_error(tmp_path: Path) -> None:
    file = tmp_path / "not-a-folder"
    file.write_text("x", "utf-8")
    result = run_cli("list", "--sessions-dir", str(file))
    assert result.returncode == 1
    assert result.stderr.strip() == f"workshop: {file} is not a folder"
    assert result.stdout == ""
    missing = run_cli("list", "--sessions-dir", str(tmp_path / "missing"))
    assert missing.returncode == 0 and "No sessions in" in missing.stdout


def test_a_kept_reason_names_the_file_where_the_folder_is_now(tmp_path: Path, spy: list[Path]) -> None:
    before = tmp_path / "before"
    before.mkdir()
    (before / "bad.toml").write_text("not toml [", "utf-8")
    (item,) = list_sessions(before)
    assert str(before / "bad.toml") in item.error
    after = tmp_path / "after"
    before.rename(after)
    _forget()
    spy.clear()
    (item,) = list_sessions(after)
    assert spy == []  # from the index
    assert str(after / "bad.toml") in item.error and str(before) not in item.error
