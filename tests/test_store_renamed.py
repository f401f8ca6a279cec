"""A session file renamed while it is open: saves follow it to its new name and never
write the old name again (which left two files with one id); messages name files."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from factories import make_session

from workshop.storage.finding import SessionNotFound, find_session
from workshop.storage.listing import SessionSummary, list_sessions
from workshop.storage.locking import LockedElsewhere, acquire
from workshop.storage.session_format import session_data
from workshop.storage.store import SaveError, create_session, load_session, open_session, save_data

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the lock on the file itself is POSIX")


def _sessions(folder: Path) -> list[Path]:
    return sorted(item.path for item in list_sessions(folder) if isinstance(item, SessionSummary))


def test_a_save_follows_the_rename_and_keeps_one_file(tmp_path: Path) -> None:
    path = create_session(tmp_path, make_session(title="Before"))
    renamed = tmp_path / "our-away-day.toml"
    with open_session(path) as loaded:
        path.rename(renamed)
        loaded.session.title = "After"
        loaded.save()
        assert loaded.path == renamed
        assert not path.exists()
        assert load_session(renamed).session.title == "After"
        # The new name is locked as the old one was: a second workshop is refused.
        with pytest.raises(LockedElsewhere):
            acquire(renamed)
        # A caller that goes on saving under the old name (the autosaver's snapshot) lands there too.
        data = session_data(loaded.session)
        data["title"] = "Later"
        loaded.stamp = save_data(data, path, expect=loaded.stamp)
        assert not path.exists() and load_session(renamed).session.title == "Later"
    assert _sessions(tmp_path) == [renamed]


def test_a_file_moved_out_of_its_folder_is_not_written_again_under_its_old_name(tmp_path: Path) -> None:
    folder = tmp_path / "sessions"
    path = create_session(folder, make_session(title="Before"))
    away = tmp_path / "elsewhere"
    away.mkdir()
    with open_session(path) as loaded:
        path.rename(away / path.name)
        loaded.session.title = "After"
        with pytest.raises(SaveError) as caught:
            loaded.save()
    assert caught.value.reason == (
        f"Cannot save {path.name}: it was moved or renamed out of {folder} while open; "
        "it is not written again under its old name, which would leave two files of one session"
    )
    assert not path.exists() and _sessions(folder) == []


def test_a_file_deleted_while_open_is_written_again(tmp_path: Path) -> None:
    path = create_session(tmp_path, make_session(title="Before"))
    with open_session(path) as loaded:
        path.unlink()
        loaded.session.title = "After"
        loaded.save()
    assert load_session(path).session.title == "After"


def test_files_sharing_an_id_are_named_by_file(tmp_path: Path) -> None:
    first = create_session(tmp_path, make_session(title="One"))
    second = tmp_path / "copy.toml"
    second.write_bytes(first.read_bytes())
    with pytest.raises(SessionNotFound) as caught:
        find_session(tmp_path, "abcd2345")
    assert str(caught.value) == f"Id 'abcd2345' is used by 2 files: copy.toml, {first.name}; give a path instead"


def test_the_autosaver_follows_the_rename_too(tmp_path: Path) -> None:
    from workshop.storage.autosave import Autosaver

    path = create_session(tmp_path, make_session(title="Before"))
    renamed = tmp_path / "renamed.toml"
    loaded = open_session(path)
    saver = Autosaver(loaded)
    try:
        path.rename(renamed)
        loaded.session.title = "After"
        saver.mark_dirty()
        assert saver.flush(wait=True)
        assert saver.take_errors() == []
    finally:
        saver.close()
        loaded.close()
    assert not path.exists() and load_session(renamed).session.title == "After"
    assert _sessions(tmp_path) == [renamed]
