"""A planned session's file name follows its date and title (issue 24, item 21): a
follow-up saved for today and moved to its day is found under that day."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest
from factories import make_session

from workshop.storage.listing import SessionSummary, list_sessions, outside_copies
from workshop.storage.locking import LockedElsewhere, acquire, held_lock
from workshop.storage.renaming import rename_to_match
from workshop.storage.session_format import named_by_the_app, session_filename
from workshop.storage.store import create_session, load_session, open_session

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the lock on the file itself is POSIX")

MOVED = date(2031, 5, 6)


def _sessions(folder: Path) -> list[Path]:
    return sorted(item.path for item in list_sessions(folder) if isinstance(item, SessionSummary))


def test_a_new_date_renames_the_file_and_the_lock_and_the_open_session_follow(tmp_path: Path) -> None:
    path = create_session(tmp_path, make_session(title="Spring away-day"))
    with open_session(path) as loaded:
        loaded.session.date = MOVED
        loaded.save()
        renamed = rename_to_match(loaded)
        assert renamed == tmp_path / session_filename(loaded.session)
        assert renamed.name.startswith("2031-05-06-spring-away-day-")
        assert loaded.path == renamed and not path.exists()
        assert load_session(renamed).session.date == MOVED
        # Still locked, under the new name: a second workshop is refused there.
        assert held_lock(renamed) is loaded.lock
        with pytest.raises(LockedElsewhere):
            acquire(renamed)
        # The next save goes to the new name and leaves no file under the old one.
        loaded.session.title = "Spring away-day"
        loaded.save()
        assert not path.exists()
    assert _sessions(tmp_path) == [renamed]
    # Released on close: the file can be opened again.
    acquire(renamed).release()


def test_the_backup_and_the_kept_outside_versions_go_with_it(tmp_path: Path) -> None:
    path = create_session(tmp_path, make_session(title="Plan"))
    outside = path.with_name(path.name.removesuffix(".toml") + ".outside-20250101-101010.toml")
    outside.write_bytes(path.read_bytes())
    with open_session(path) as loaded:
        loaded.session.date = MOVED
        loaded.save()  # keeps the version before as <name>.bak
        renamed = rename_to_match(loaded)
    assert renamed is not None
    assert renamed.with_name(renamed.name + ".bak").is_file() and not path.with_name(path.name + ".bak").exists()
    assert [copy.name for copy in outside_copies(renamed)] == [renamed.name.removesuffix(".toml") + ".outside-20250101-101010.toml"]
    assert not outside.exists()


def test_a_name_a_person_chose_is_kept(tmp_path: Path) -> None:
    path = create_session(tmp_path, make_session(title="Plan"))
    chosen = path.rename(tmp_path / "our-away-day.toml")
    with open_session(chosen) as loaded:
        loaded.session.date = MOVED
        loaded.save()
        assert rename_to_match(loaded) is None
        assert loaded.path == chosen and chosen.is_file()


def test_nothing_is_renamed_over_a_file_already_there(tmp_path: Path) -> None:
    path = create_session(tmp_path, make_session(title="Plan"))
    with open_session(path) as loaded:
        loaded.session.date = MOVED
        loaded.save()
        there = tmp_path / session_filename(loaded.session)
        there.write_text("someone else's\n", encoding="utf-8")
        assert rename_to_match(loaded) is None
        assert there.read_text(encoding="utf-8") == "someone else's\n"
        assert loaded.path == path and load_session(path).session.date == MOVED


def test_a_file_open_read_only_is_not_renamed(tmp_path: Path) -> None:
    path = create_session(tmp_path, make_session(title="Plan"))
    loaded = open_session(path, read_only=True)
    loaded.session.date = MOVED
    assert rename_to_match(loaded) is None and path.is_file()


def test_the_apps_names_are_told_from_chosen_ones() -> None:
    session = make_session(title="Plan")
    assert named_by_the_app(session_filename(session), session)
    session.date = MOVED
    session.title = "Another title"
    assert named_by_the_app(create_name := session_filename(session), session) and create_name.startswith("2031-05-06-")
    assert not named_by_the_app("our-away-day.toml", session)
    assert not named_by_the_app(f"2025-13-01-plan-{session.id}.toml", session)
    assert not named_by_the_app("2025-03-01-plan-someone-else.toml", session)
