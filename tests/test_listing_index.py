"""The listing's summaries kept between processes (`.workshop-index.json`): used only for a
file exactly as it was summarised, ignored when corrupt or foreign, never required."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from factories import make_session
from unprivileged import read_only_run, user_folder

from workshop.storage import listing
from workshop.storage.listing import SessionSummary, list_sessions
from workshop.storage.listing_index import INDEX_NAME, read_index
from workshop.storage.migrate import current_version
from workshop.storage.store import create_session

ROOT = Path(__file__).resolve().parents[1]


def _forget() -> None:
    """As a new process would start: nothing kept in memory, only the index on disk."""
    listing._summaries.clear()
    listing._on_disk.clear()


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files the listing reads (rather than finds in its index or memory)."""
    read: list[Path] = []
    real = listing.summarise
    monkeypatch.setattr(listing, "summarise", lambda path: read.append(path) or real(path))  # type: ignore[func-returns-value]  # a spy: notes the call, then makes the real one
    _forget()
    return read


def _titles(folder: Path) -> dict[str, str]:
    return {item.path.name: item.title for item in list_sessions(folder) if isinstance(item, SessionSummary)}


def _two(folder: Path) -> tuple[Path, Path]:
    first = create_session(folder, make_session(title="First"))
    second = create_session(folder, make_session(id="efgh6789", title="Second"))
    return first, second


def _rewrite_keeping_mtime(path: Path, old: str, new: str) -> None:
    """Change the text in place (same inode), then put the old mtime back."""
    before = path.stat()
    text = path.read_text("utf-8").replace(old, new, 1)
    with open(path, "r+", encoding="utf-8") as handle:
        handle.write(text)
        handle.truncate()
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_ino == before.st_ino


def test_a_new_process_lists_an_unchanged_folder_from_the_index(tmp_path: Path, spy: list[Path]) -> None:
    _two(tmp_path)
    assert sorted(_titles(tmp_path).values()) == ["First", "Second"]
    assert len(spy) == 2 and (tmp_path / INDEX_NAME).is_file()
    _forget()
    spy.clear()
    listed = list_sessions(tmp_path)
    assert spy == [] and sorted(item.title for item in listed) == ["First", "Second"]
    # The same summary as a fresh read gives, field for field.
    from_index = {item.path: item for item in listed}
    assert all(listing.summarise(path) == summary for path, summary in from_index.items())


def test_the_index_is_not_rewritten_when_nothing_changed(tmp_path: Path, spy: list[Path]) -> None:
    _two(tmp_path)
    list_sessions(tmp_path)
    index = tmp_path / INDEX_NAME
    inode = index.stat().st_ino
    _forget()
    list_sessions(tmp_path)
    list_sessions(tmp_path)
    assert index.stat().st_ino == inode  # a rewrite would have replaced it (a new inode)


def test_a_renamed_file_is_read_again(tmp_path: Path, spy: list[Path]) -> None:
    first, _ = _two(tmp_path)
    list_sessions(tmp_path)
    renamed = first.with_name("renamed.toml")
    first.rename(renamed)
    _forget()
    spy.clear()
    assert _titles(tmp_path)["renamed.toml"] == "First" and spy == [renamed]
    assert first.name not in _titles(tmp_path)


def test_a_file_changed_in_size_is_read_again_even_with_its_old_mtime(tmp_path: Path, spy: list[Path]) -> None:
    first, _ = _two(tmp_path)
    list_sessions(tmp_path)
    _rewrite_keeping_mtime(first, 'title = "First"', 'title = "First, longer"')
    _forget()
    spy.clear()
    assert _titles(tmp_path)[first.name] == "First, longer" and spy == [first]


def test_a_file_changed_in_mtime_alone_is_read_again(tmp_path: Path, spy: list[Path]) -> None:
    first, _ = _two(tmp_path)
    list_sessions(tmp_path)
    _rewrite_keeping_mtime(first, 'title = "First"', 'title = "Fixst"')  # same size, same inode
    stat = first.stat()
    os.utime(first, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    _forget()
    spy.clear()
    assert _titles(tmp_path)[first.name] == "Fixst" and spy == [first]


def test_a_file_replaced_by_another_of_the_same_size_and_mtime_is_read_again(tmp_path: Path, spy: list[Path]) -> None:
    first, _ = _two(tmp_path)
    list_sessions(tmp_path)
    before = first.stat()
    other = tmp_path / ".replacement"
    other.write_text(first.read_text("utf-8").replace('title = "First"', 'title = "Fixst"', 1), "utf-8")
    os.utime(other, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(other, first)
    after = first.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns) and after.st_ino != before.st_ino
    _forget()
    spy.clear()
    assert _titles(tmp_path)[first.name] == "Fixst" and spy == [first]


def test_a_deleted_session_is_never_listed_from_the_index(tmp_path: Path, spy: list[Path]) -> None:
    first, second = _two(tmp_path)
    list_sessions(tmp_path)
    first.unlink()
    _forget()
    assert list(_titles(tmp_path)) == [second.name]
    assert first.name not in read_index(tmp_path, current_version())  # and dropped from it


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{",
        b"\xff\xfe not json",
        b"[]",
        b'{"format": "something else", "version": 1}',
        b'{"format": "workshop-session-index", "version": 99, "schema": 1, "entries": {}}',
        json.dumps({"format": "workshop-session-index", "version": 1, "schema": 1, "entries": []}).encode(),
    ],
)
def test_a_corrupt_or_foreign_index_is_ignored_and_rebuilt(tmp_path: Path, spy: list[Path], content: bytes) -> None:
    _two(tmp_path)
    (tmp_path / INDEX_NAME).write_bytes(content)
    assert sorted(_titles(tmp_path).values()) == ["First", "Second"] and len(spy) == 2
    assert len(read_index(tmp_path, current_version())) == 2  # rewritten whole


def test_a_bad_entry_is_ignored_and_the_others_used(tmp_path: Path, spy: list[Path]) -> None:
    first, second = _two(tmp_path)
    list_sessions(tmp_path)
    index = tmp_path / INDEX_NAME
    data = json.loads(index.read_text("utf-8"))
    data["entries"][first.name]["progress"] = "lots"
    index.write_text(json.dumps(data), "utf-8")
    _forget()
    spy.clear()
    assert sorted(_titles(tmp_path).values()) == ["First", "Second"] and spy == [first]


def test_text_from_the_index_is_cleaned_like_text_from_the_file(tmp_path: Path, spy: list[Path]) -> None:
    first, _ = _two(tmp_path)
    list_sessions(tmp_path)
    index = tmp_path / INDEX_NAME
    data = json.loads(index.read_text("utf-8"))
    data["entries"][first.name]["title"] = "[b]Bold[/b] \x1b[31mred\x1b[0m\nnext"
    index.write_text(json.dumps(data), "utf-8")
    _forget()
    title = _titles(tmp_path)[first.name]
    assert "\x1b" not in title and "\n" not in title and title.startswith("[b]Bold[/b]")


def test_a_folder_the_index_cannot_be_written_to_is_listed_all_the_same(tmp_path: Path, spy: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    _two(tmp_path)

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("workshop.storage.listing_index.write_atomic", refuse)
    assert sorted(_titles(tmp_path).values()) == ["First", "Second"]
    assert sorted(_titles(tmp_path).values()) == ["First", "Second"]
    assert not (tmp_path / INDEX_NAME).exists()


def test_a_read_only_folder_is_listed_without_an_index(tmp_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from workshop.storage.listing import SessionSummary, list_sessions\n"
        "print(sorted(item.title for item in list_sessions(Path(sys.argv[1])) if isinstance(item, SessionSummary)))"
    )
    with user_folder(tmp_path) as folder:
        _two(folder)
        assert read_only_run(folder, code) == "['First', 'Second']\n"
        assert not (folder / INDEX_NAME).exists()


def test_two_processes_listing_at_once_both_see_every_session(tmp_path: Path) -> None:
    for number in range(30):
        create_session(tmp_path, make_session(id=f"sess{number:04d}", title=f"Session {number}"))
    code = (
        "import sys; from pathlib import Path; from workshop.storage import listing\n"
        "for _ in range(5):\n"
        "    listing._summaries.clear(); listing._on_disk.clear()\n"
        f"    items = listing.list_sessions(Path({str(tmp_path)!r}))\n"
        "    assert sorted(item.title for item in items) == sorted(f'Session {n}' for n in range(30)), items\n"
        "print('ok')"
    )
    runs = [subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert [out.strip() for out, _ in outputs] == ["ok", "ok"]
    assert len(read_index(tmp_path, current_version())) == 30
    assert not [path for path in tmp_path.iterdir() if path.name.endswith(".tmp")]


def test_the_listing_checks_ids_as_the_quick_read_does() -> None:
    from workshop.storage import quick_listing

    assert listing._ID.pattern == quick_listing._ID.pattern
