"""Hostile files and failing disks: the store reports, refuses, and never loses a file."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from factories import make_session, pack_data
from unprivileged import read_only_run, user_folder

import workshop.storage.atomic as atomic
from workshop.storage.listing_index import INDEX_NAME
from workshop.storage.store import (
    SaveError,
    UnreadableFile,
    create_session,
    dump_session,
    list_sessions,
    load_session,
    save_session,
)
from workshop.storage.tomlsafe import FileProblems


def _session_text(**changes: str) -> str:
    text = dump_session(make_session())
    for old, new in changes.items():
        assert old in text
        text = text.replace(old, new, 1)
    return text


def _without_agenda() -> str:
    text = dump_session(make_session())
    return text[: text.index("\n[agenda]\n") + 1]


HOSTILE: dict[str, tuple[bytes, str | None]] = {
    # name: (content, a key path the first problem should name, if the file has one)
    "not-toml": (b"this is not = = toml\n", None),
    "binary": (bytes(range(256)) * 8, None),
    "not-utf8": ('title = "caf\u00e9"\n'.encode("latin-1"), None),
    "too-big": (b"# " + b"x" * (5 << 20) + b"\n", None),
    "deep": (b"a = " + b"[" * 10_000 + b"]" * 10_000 + b"\n", None),
    "huge-int": (b"schema = " + b"9" * 5000 + b"\n", None),
    "big-int-nested": (_session_text(**{"dots_per_person = 5": "dots_per_person = " + "9" * 100}).encode(), "voting.dots_per_person"),
    "wrong-types": (_session_text(**{'title = "Away day"': "title = 5", 'status = "planned"': "status = [1, 2]"}).encode(), "title"),
    "unknown-key": (_session_text(**{'team = "Leadership team"': 'team = "Leadership team"\ncolour = "red"'}).encode(), "colour"),
    "unknown-nested": (_session_text(**{"max_per_item = 2": "max_per_item = 2\nsecret = true"}).encode(), "voting.secret"),
    "bad-id": (_session_text(**{'id = "abcd2345"': 'id = "../../etc"'}).encode(), "id"),
    "no-agenda": (_without_agenda().encode(), "agenda"),
    "schema-text": (_session_text(**{"schema = 1": 'schema = "1"'}).encode(), "schema"),
    "schema-zero": (_session_text(**{"schema = 1": "schema = 0"}).encode(), "schema"),
    "empty": (b"", "schema"),
    "pyproject": (b'[project]\nname = "x"\nversion = "1"\n\n[tool.pytest.ini_options]\naddopts = "-q"\n', "schema"),
    "a-pack": (b'id = "p"\ntitle = "A pack"\nsummary = "s"\nversion = "1.0"\n[[sections]]\nid = "s"\ntitle = "S"\n', "schema"),
    "naive-time": (_session_text(**{"updated_at = 2025-03-14 09:30:00+00:00": "updated_at = 2025-03-14T09:30:00"}).encode(), "updated_at"),
}


# The listing reads only what it shows (see workshop.storage.quick_listing): a well-formed file
# with a bad value or unknown key *inside* a table it does not read is listed, and
# refused, with every problem named, when opened.
FOUND_ONLY_ON_OPENING = {"unknown-nested"}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_gives_one_line_problems_and_is_left_alone(folder: Path, name: str) -> None:
    content, key = HOSTILE[name]
    path = folder / f"{name}.toml"
    path.write_bytes(content)
    with pytest.raises(FileProblems) as caught:
        load_session(path)
    problems = caught.value.problems
    assert problems
    for problem in problems:
        line = str(problem)
        assert "\n" not in line and line.startswith(str(path))
        assert len(line) < 400
    if key is not None:
        assert problems[0].key == key, [str(p) for p in problems]
    # Never overwritten, whatever is saved there.
    with pytest.raises(SaveError, match="not a readable session"):
        save_session(make_session(), path)
    assert path.read_bytes() == content
    # Listed as unreadable, with the same first problem, and never stops the rest.
    good = create_session(folder, make_session(id="good1"))
    items = list_sessions(folder)
    if name in FOUND_ONLY_ON_OPENING:
        assert [getattr(item, "id", None) for item in items] == ["abcd2345", "good1"]
    else:
        assert [getattr(item, "id", None) for item in items] == ["good1", None]
        assert isinstance(items[1], UnreadableFile) and items[1].error == str(problems[0])
    # Nothing written beside them but the listing's index of summaries.
    assert sorted(p.name for p in folder.iterdir() if p.name != INDEX_NAME) == sorted([path.name, good.name])


def test_a_folder_named_like_a_session(folder: Path) -> None:
    (folder / "x.toml").mkdir()
    with pytest.raises(FileProblems, match="is a folder"):
        load_session(folder / "x.toml")
    with pytest.raises(SaveError):
        save_session(make_session(), folder / "x.toml")


def test_missing_file(folder: Path) -> None:
    with pytest.raises(FileProblems, match="no such file"):
        load_session(folder / "gone.toml")


# -- failing disks --------------------------------------------------------------------


@pytest.fixture
def saved(folder: Path):
    """A saved session, its path and bytes, and the edited session about to be saved."""
    session = make_session()
    path = create_session(folder, session)
    session.team = "Changed, not yet saved"
    return session, path, path.read_bytes()


def _assert_untouched(path: Path, before: bytes) -> None:
    assert path.read_bytes() == before
    names = sorted(p.name for p in path.parent.iterdir())
    # The backup is refreshed before the write, so at most it equals the untouched file.
    assert names in ([path.name], [path.name, path.name + ".bak"]), names
    if len(names) == 2:
        assert Path(f"{path}.bak").read_bytes() == before


def _failing(real, error_number: int, after: int = 0):
    """`real`, except that calls after the first `after` raise OSError(error_number)."""
    calls = {"n": 0}

    def fail(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] > after:
            raise OSError(error_number, os.strerror(error_number))
        return real(*args, **kwargs)

    return fail, calls


@pytest.mark.parametrize("error_number", [errno.ENOSPC, errno.EIO, errno.EDQUOT])
def test_write_failure_leaves_the_file_alone(saved, monkeypatch, error_number: int) -> None:
    session, path, before = saved
    fail, _ = _failing(os.write, error_number)
    monkeypatch.setattr(os, "write", fail)
    with pytest.raises(SaveError) as caught:
        save_session(session, path)
    monkeypatch.undo()
    assert str(caught.value) == f"Cannot save {path}: {os.strerror(error_number)}"
    _assert_untouched(path, before)


def test_write_failing_part_way_leaves_the_file_alone(saved, monkeypatch) -> None:
    session, path, before = saved
    real_write = os.write
    written = {"n": 0}

    def short_then_full(fd, data):
        # A few short writes, then the disk fills up.
        written["n"] += 1
        if written["n"] > 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, bytes(data[:100]))

    monkeypatch.setattr(os, "write", short_then_full)
    with pytest.raises(SaveError, match="No space left on device"):
        save_session(session, path)
    monkeypatch.undo()
    _assert_untouched(path, before)


def test_short_writes_are_completed(saved, monkeypatch) -> None:
    session, path, _ = saved
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real_write(fd, bytes(data[:7])))
    save_session(session, path)
    monkeypatch.undo()
    assert load_session(path).session == session


def test_a_write_making_no_progress_is_an_error(saved, monkeypatch) -> None:
    session, path, before = saved
    monkeypatch.setattr(os, "write", lambda fd, data: 0)
    with pytest.raises(SaveError, match="Input/output error"):
        save_session(session, path)
    monkeypatch.undo()
    _assert_untouched(path, before)


@pytest.mark.parametrize("error_number", [errno.EIO, errno.ENOSPC])
def test_fsync_failure_leaves_the_file_alone(saved, monkeypatch, error_number: int) -> None:
    session, path, before = saved
    fail, calls = _failing(os.fsync, error_number)
    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(SaveError) as caught:
        save_session(session, path)
    monkeypatch.undo()
    assert calls["n"] == 1
    assert str(caught.value) == f"Cannot save {path}: {os.strerror(error_number)}"
    _assert_untouched(path, before)


def test_replace_failure_leaves_the_file_alone(saved, monkeypatch) -> None:
    session, path, before = saved
    real_replace = os.replace

    def fail_on_target(source, target):
        if Path(target) == path:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", fail_on_target)
    with pytest.raises(SaveError, match="Input/output error"):
        save_session(session, path)
    monkeypatch.undo()
    _assert_untouched(path, before)


def test_temp_file_creation_failure(saved, monkeypatch) -> None:
    session, path, before = saved

    real_open = os.open

    def no_inodes(name, flags, *args, **kwargs):
        if flags & os.O_CREAT and str(name).endswith(".tmp"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_open(name, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", no_inodes)
    with pytest.raises(SaveError, match=f"Cannot save {path}: No space left on device"):
        save_session(session, path)
    monkeypatch.undo()
    _assert_untouched(path, before)


def test_permission_change_failure(saved, monkeypatch) -> None:
    session, path, before = saved
    path.chmod(0o640)
    monkeypatch.setattr(os, "fchmod", lambda fd, mode: (_ for _ in ()).throw(PermissionError(errno.EPERM, "Operation not permitted")))
    with pytest.raises(SaveError, match="Operation not permitted"):
        save_session(session, path)
    monkeypatch.undo()
    _assert_untouched(path, before)


def test_folder_fsync_failure_is_reported(saved, monkeypatch) -> None:
    session, path, _ = saved
    fail, _calls = _failing(os.fsync, errno.EIO, after=1)  # the file's fsync works, the folder's fails
    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(SaveError, match="while flushing the folder"):
        save_session(session, path)
    monkeypatch.undo()
    assert load_session(path).session == session


def test_folder_fsync_unsupported_is_not_an_error(saved, monkeypatch) -> None:
    session, path, _ = saved
    fail, _calls = _failing(os.fsync, errno.EINVAL, after=1)
    monkeypatch.setattr(os, "fsync", fail)
    save_session(session, path)
    monkeypatch.undo()
    assert load_session(path).session == session


def test_without_hard_links_backup_and_create_still_work(folder: Path, monkeypatch) -> None:
    def no_links(*args, **kwargs):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    session = make_session()
    path = create_session(folder, session)
    first = path.read_bytes()
    with pytest.raises(SaveError, match="already exists"):
        create_session(folder, session)
    session.team = "Second"
    save_session(session, path)
    assert Path(f"{path}.bak").read_bytes() == first
    assert load_session(path).session.team == "Second"
    assert sorted(p.name for p in folder.iterdir()) == [path.name, path.name + ".bak"]


def test_a_failed_backup_does_not_stop_the_save(saved, monkeypatch) -> None:
    session, path, before = saved

    def nothing_works(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "link", nothing_works)
    monkeypatch.setattr(atomic.shutil, "copy2", nothing_works)  # type: ignore[attr-defined]  # the shutil the module calls
    save_session(session, path)
    monkeypatch.undo()
    assert load_session(path).session == session
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


# Run by a user who owns the folder but may not write to it (see unprivileged.py).
SAVE_A_CHANGE = """
import sys
from pathlib import Path
from workshop.storage.store import SaveError, load_session, save_session
(path,) = Path(sys.argv[1]).glob("*.toml")
session = load_session(path).session
session.team = "Changed, not yet saved"
try:
    save_session(session, path)
except SaveError as error:
    print(error)
"""


def test_read_only_folder(tmp_path: Path) -> None:
    with user_folder(tmp_path) as folder:
        path = create_session(folder, make_session())
        before = path.read_bytes()
        assert "Permission denied" in read_only_run(folder, SAVE_A_CHANGE)
        _assert_untouched(path, before)


def test_create_in_an_unwritable_place(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(SaveError, match="Cannot create the sessions folder"):
        create_session(blocker / "sessions", make_session())


def test_pack_data_is_not_a_session(folder: Path) -> None:
    import tomli_w

    path = folder / "pack.toml"
    path.write_text(tomli_w.dumps(pack_data()), encoding="utf-8")
    with pytest.raises(FileProblems, match="does not look like a workshop session"):
        load_session(path)


def test_create_without_hard_links_cleans_up_when_the_rename_fails(folder: Path, monkeypatch) -> None:
    def no_links(*args, **kwargs):
        raise OSError(errno.EPERM, "Operation not permitted")

    def no_renames(*args, **kwargs):
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "link", no_links)
    monkeypatch.setattr(os, "replace", no_renames)
    with pytest.raises(SaveError, match="Cannot create .*: Input/output error"):
        create_session(folder, make_session())
    monkeypatch.undo()
    assert list(folder.iterdir()) == []
