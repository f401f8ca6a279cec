"""Emergency copies: a session whose own file cannot be saved goes to the first writable
place of the state folder, the cache folder and the temp folder, and is found again."""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import pytest
from factories import make_session

from workshop.storage.emergency import (
    EmergencyCopyError,
    emergency_folders,
    list_emergency_copies,
    restore_emergency_copy,
    write_emergency_copy,
)
from workshop.storage.locking import acquire
from workshop.storage.session_format import session_data
from workshop.storage.store import create_session, load_session


@pytest.fixture
def places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """The three places, all in the test's own folder."""
    state, cache, temp = tmp_path / "state", tmp_path / "cache", tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    return {"state": state, "cache": cache, "temp": temp}


def _block(path: Path) -> None:
    """Make `path` unusable as a folder: a file stands there (tests run as root, so chmod would not do)."""
    path.write_text("in the way", "utf-8")


def test_the_copy_goes_to_the_state_folder_first_and_reads_back(places: dict[str, Path]) -> None:
    session = make_session(title="Board away-day")
    copy = write_emergency_copy(session, Path("/somewhere/2026-03-01-board-away-day-abcd1234.toml"))
    assert copy.parent == places["state"] / "workshop" / "emergency"
    assert copy.name.startswith("2026-03-01-board-away-day-abcd1234.emergency-") and copy.suffix == ".toml"
    assert load_session(copy).session == session
    assert copy.stat().st_mode & 0o777 == 0o600


def test_an_unwritable_state_folder_falls_back_to_the_cache_then_the_temp_folder(places: dict[str, Path]) -> None:
    session = make_session(title="Fallback")
    _block(places["state"])
    copy = write_emergency_copy(session, Path("s.toml"))
    assert copy.parent == places["cache"] / "workshop" / "emergency"
    shutil.rmtree(places["cache"])
    _block(places["cache"])
    copy = write_emergency_copy(session_data(session), Path("s.toml"))  # the autosaver's data will do too
    assert copy.parent.parent == places["temp"] and copy.parent.name.startswith("workshop-emergency-")
    assert copy.parent.stat().st_mode & 0o777 == 0o700
    assert load_session(copy).session == session


def test_no_writable_place_is_one_error_naming_each(places: dict[str, Path]) -> None:
    _block(places["state"])
    _block(places["cache"])
    (places["temp"] / emergency_folders()[2].name).write_text("in the way", "utf-8")
    with pytest.raises(EmergencyCopyError) as caught:
        write_emergency_copy(make_session(), Path("s.toml"))
    message = caught.value.reason
    assert "\n" not in message and message.startswith("No emergency copy could be written (")
    assert all(str(folder) in message for folder in emergency_folders())
    assert list_emergency_copies() == []


def test_a_temp_folder_planted_as_a_symlink_is_refused(places: dict[str, Path], tmp_path: Path) -> None:
    _block(places["state"])
    _block(places["cache"])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (places["temp"] / emergency_folders()[2].name).symlink_to(elsewhere)
    with pytest.raises(EmergencyCopyError, match="is not a folder"):
        write_emergency_copy(make_session(), Path("s.toml"))
    assert list(elsewhere.iterdir()) == []


def test_copies_are_listed_newest_first_with_the_file_they_stand_in_for(places: dict[str, Path]) -> None:
    first = write_emergency_copy(make_session(title="One"), Path("/x/one.toml"))
    second = write_emergency_copy(make_session(title="Two"), Path("/x/two.toml"))
    again = write_emergency_copy(make_session(title="Two"), Path("/x/two.toml"))
    assert len({first, second, again}) == 3  # never over each other, even within a second
    for age, path in enumerate([again, second, first]):
        os.utime(path, (1_700_000_000 - age * 60, 1_700_000_000 - age * 60))
    copies = list_emergency_copies()
    assert [copy.path for copy in copies] == [again, second, first]
    assert [copy.original for copy in copies] == ["two.toml", "two.toml", "one.toml"]
    notice = copies[0].notice()
    assert "\n" not in notice and "two.toml" in notice and f"workshop open {again}" in notice


def test_restoring_puts_the_copy_back_over_the_older_file_and_removes_it(places: dict[str, Path], tmp_path: Path) -> None:
    folder = tmp_path / "sessions"
    path = create_session(folder, make_session(title="Saved last at ten"))
    later = make_session(title="As the room left it", updated_at=datetime(2025, 3, 14, 16, 0, tzinfo=timezone.utc))
    copy = write_emergency_copy(later, path)
    assert restore_emergency_copy(copy, folder) == path
    assert load_session(path).session == later
    assert load_session(path.with_name(path.name + ".bak")).session.title == "Saved last at ten"
    assert not copy.exists() and list_emergency_copies() == []


def test_restoring_into_a_folder_without_the_file_creates_it(places: dict[str, Path], tmp_path: Path) -> None:
    copy = write_emergency_copy(make_session(title="Only here"), Path("/gone/2025-03-14-only-here-abcd2345.toml"))
    folder = tmp_path / "sessions"
    folder.mkdir()
    restored = restore_emergency_copy(copy, folder)
    assert restored == folder / "2025-03-14-only-here-abcd2345.toml"
    assert load_session(restored).session.title == "Only here"


def test_restoring_refuses_a_newer_file_another_session_or_one_open_elsewhere(places: dict[str, Path], tmp_path: Path) -> None:
    folder = tmp_path / "sessions"
    newer = make_session(title="Saved after", updated_at=datetime(2025, 3, 15, tzinfo=timezone.utc))
    path = create_session(folder, newer)
    copy = write_emergency_copy(make_session(title="Older copy"), path)
    with pytest.raises(EmergencyCopyError, match=f"{path.name} was saved after it"):
        restore_emergency_copy(copy, folder)
    other = create_session(folder, make_session(id="zzzz9999", title="Another"))
    stray = write_emergency_copy(make_session(title="Not that one"), other)
    with pytest.raises(EmergencyCopyError, match="holds another session"):
        restore_emergency_copy(stray, folder)
    same = write_emergency_copy(make_session(title="Newest", updated_at=datetime(2025, 3, 16, tzinfo=timezone.utc)), path)
    with acquire(path), pytest.raises(EmergencyCopyError, match="already open in another workshop"):
        restore_emergency_copy(same, folder)
    assert load_session(path).session == newer  # untouched by every refusal
    assert copy.exists() and stray.exists() and same.exists()


def test_workshop_list_mentions_an_emergency_copy(places: dict[str, Path], tmp_path: Path) -> None:
    from clirun import run_cli

    folder = tmp_path / "sessions"
    path = create_session(folder, make_session(title="Listed"))
    copy = write_emergency_copy(make_session(title="Listed"), path)
    table = run_cli("list", "--sessions-dir", str(folder))
    assert table.returncode == 0, table.stderr
    (note,) = [line for line in table.stdout.splitlines() if line.startswith("Note: ")]
    assert note.startswith(f'Note: Emergency copy of "Listed" ({path.name}) saved ') and str(copy) in note
    as_json = run_cli("list", "--json", "--sessions-dir", str(folder))
    assert as_json.stderr.startswith("note: Emergency copy of") and as_json.stdout.lstrip().startswith("[")
