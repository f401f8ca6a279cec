"""Archiving and restoring session files: moved, never overwritten, never lost."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import make_session

from workshop.storage.archive import (
    ArchiveError,
    archive_folder,
    archive_session,
    restore_names,
    restore_session,
)
from workshop.storage.locking import acquire
from workshop.storage.store import create_session, list_sessions, load_session, save_session


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    return create_session(tmp_path / "sessions", make_session())


def test_archive_then_restore_round_trip(saved: Path) -> None:
    before = saved.read_bytes()
    archived = archive_session(saved)
    assert archived.parent == archive_folder(saved.parent) and not saved.exists()
    restored = restore_session(archived)
    assert restored == saved and restored.read_bytes() == before
    assert not archived.exists()
    assert [item.path for item in list_sessions(saved.parent)] == [saved]


def test_restore_never_overwrites_a_session_of_that_name(saved: Path) -> None:
    archived = archive_session(saved)
    # A newer session of the same name was saved meanwhile (or the same one recreated).
    newer = create_session(saved.parent, make_session(title="Away day", facilitator="Someone else"))
    assert newer == saved
    newer_bytes = newer.read_bytes()
    restored = restore_session(archived)
    assert restored.name == saved.name.removesuffix(".toml") + "-restored.toml"
    assert newer.read_bytes() == newer_bytes
    assert load_session(restored).session.facilitator == "Sam"
    # Archived again under its new name, it comes back under that name.
    again = restore_session(archive_session(restored))
    assert again == restored


def test_the_next_free_restored_name_is_taken(saved: Path) -> None:
    archived = archive_session(saved)
    folder = saved.parent
    (folder / saved.name).write_text("taken", encoding="utf-8")
    (folder / (saved.stem + "-restored.toml")).write_text("taken too", encoding="utf-8")
    restored = restore_session(archived)
    assert restored.name == saved.stem + "-restored-2.toml"
    assert (folder / saved.name).read_text(encoding="utf-8") == "taken"


def test_the_backup_follows_the_session(saved: Path) -> None:
    session = load_session(saved).session
    save_session(session, saved)  # makes the .bak
    backup = saved.with_name(saved.name + ".bak")
    assert backup.exists()
    archived = archive_session(saved)
    assert archived.with_name(archived.name + ".bak").exists() and not backup.exists()
    restore_session(archived)
    assert backup.exists()


def test_restore_refuses_a_file_outside_an_archive(saved: Path) -> None:
    with pytest.raises(ArchiveError, match="not in an archive folder"):
        restore_session(saved)
    assert saved.exists()


def test_restore_refuses_a_session_open_elsewhere(saved: Path) -> None:
    archived = archive_session(saved)
    with acquire(archived):
        with pytest.raises(ArchiveError, match="open in another workshop"):
            restore_session(archived)
    assert archived.exists() and not saved.exists()
    assert restore_session(archived) == saved


def test_restore_names() -> None:
    names = restore_names("2025-03-14-away-day-abcd.toml")
    assert names[:3] == ["2025-03-14-away-day-abcd.toml", "2025-03-14-away-day-abcd-restored.toml", "2025-03-14-away-day-abcd-restored-2.toml"]
    assert len(set(names)) == len(names)
