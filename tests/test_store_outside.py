"""A session file changed outside the app while it is open: both versions are kept."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from factories import make_session

from workshop.storage.autosave import Autosaver
from workshop.storage.store import (
    ChangedOutside,
    SaveError,
    create_session,
    list_sessions,
    load_session,
    open_session,
)


def _edit_outside(path: Path, old: str, new: str) -> bytes:
    """What a person does in a text editor: change one value and write the file."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    edited = text.replace(old, new, 1).encode("utf-8")
    path.write_bytes(edited)
    return edited


def _outside_copies(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.outside-*.toml"))


def test_an_outside_edit_is_kept_beside_the_apps_version(tmp_path: Path) -> None:
    path = create_session(tmp_path, make_session(team="Original team"))
    loaded = open_session(path)
    loaded.session.title = "Changed in the app"
    loaded.save()
    edited = _edit_outside(path, 'team = "Original team"', 'team = "Edited outside"')

    loaded.session.facilitator = "Changed in the app too"
    with pytest.raises(ChangedOutside) as caught:
        loaded.save()

    (copy,) = _outside_copies(tmp_path)
    assert copy.read_bytes() == edited
    assert copy.name.startswith(path.name.removesuffix(".toml") + ".outside-")
    on_disk = load_session(path).session
    assert on_disk.facilitator == "Changed in the app too" and on_disk.team == "Original team"
    message = str(caught.value)
    assert message == (f"Session file {path.name} was changed outside the app; its version was kept as {copy.name} and the app's version saved in its place.")
    assert "\n" not in message and message[0].isupper()
    assert isinstance(caught.value, SaveError) and caught.value.kept == copy
    assert caught.value.stamp is not None and loaded.stamp == caught.value.stamp

    # Later saves go on quietly, and the outside version survives them all.
    loaded.save()
    loaded.save()
    assert _outside_copies(tmp_path) == [copy] and copy.read_bytes() == edited
    # The copy is never listed as a second session of the same id.
    assert [item.path for item in list_sessions(tmp_path)] == [path]
    loaded.close()


def test_the_autosaver_keeps_the_outside_version_once_and_warns_once(tmp_path: Path) -> None:
    path = create_session(tmp_path, make_session(team="Original team"))
    loaded = open_session(path)
    saver = Autosaver(loaded)
    try:
        saver.mark_dirty()
        assert saver.flush(wait=True)
        edited = _edit_outside(path, 'team = "Original team"', 'team = "Edited outside"')
        for _ in range(3):
            saver.mark_dirty()
            assert saver.flush(wait=True)
        errors = saver.take_errors()
        warnings = saver.take_warnings()
        assert not saver.dirty
    finally:
        saver.close()
    (copy,) = _outside_copies(tmp_path)
    assert copy.read_bytes() == edited
    # The save went through: a warning, not an error, and said once.
    assert errors == []
    assert warnings == [f"Session file {path.name} was changed outside the app; its version was kept as {copy.name} and the app's version saved in its place."]
    assert load_session(path).session.team == "Original team"


def test_an_unchanged_file_makes_no_copy(tmp_path: Path) -> None:
    path = create_session(tmp_path, make_session())
    with open_session(path) as loaded:
        for team in ("A", "B", "C"):
            loaded.session.team = team
            loaded.save()
    assert _outside_copies(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == [path.name, path.name + ".bak"]


def test_a_copy_that_cannot_be_written_refuses_the_save(tmp_path: Path, monkeypatch) -> None:
    path = create_session(tmp_path, make_session(team="Original team"))
    loaded = load_session(path)
    edited = _edit_outside(path, 'team = "Original team"', 'team = "Edited outside"')
    import workshop.storage.outside as outside

    real = outside.write_atomic  # type: ignore[attr-defined]  # the name the module calls

    def failing(target: Path, data: bytes, **kwargs):
        if ".outside-" in Path(target).name:
            raise OSError(28, "No space left on device")
        return real(target, data, **kwargs)

    monkeypatch.setattr(outside, "write_atomic", failing)
    loaded.session.team = "App"
    with pytest.raises(SaveError, match=r"^Cannot save .*changed outside the app.*No space left on device.*nothing was written$") as caught:
        loaded.save()
    assert not isinstance(caught.value, ChangedOutside)
    assert path.read_bytes() == edited
    assert _outside_copies(tmp_path) == []


def test_two_outside_edits_in_one_second_get_two_copies(tmp_path: Path) -> None:
    path = create_session(tmp_path, make_session(team="Original team"))
    loaded = load_session(path)
    first = _edit_outside(path, 'team = "Original team"', 'team = "First edit"')
    with pytest.raises(ChangedOutside):
        loaded.save()
    second = _edit_outside(path, 'team = "Original team"', 'team = "Second edit"')
    # Make sure the stamp differs even on a file system with coarse timestamps.
    os.utime(path, ns=(1, 1))
    with pytest.raises(ChangedOutside):
        loaded.save()
    assert sorted(copy.read_bytes() for copy in _outside_copies(tmp_path)) == sorted([first, second])
