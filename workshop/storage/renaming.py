"""A planned session's file name follows its date and title when an edit changes them.

A session file is named `YYYY-MM-DD-<title slug>-<id>.toml` when it is created. A
follow-up is saved for today and then adjusted in the setup form; a planned session is
moved to another day: the facilitator then looks for the file under its new date, and a
name saying another day is wrong. So after a save that changed them, the file is renamed
to the name it would be given now.

Only a name the app gave (a date, a slug, the id) is changed: a name a person chose is
theirs. Only while this process holds the session's lock (so no other workshop writes
it meanwhile), and never over an existing file. The rename is one `os.rename` in the same
folder, atomic: at every moment the session is under one name or the other, whole. The
lock follows it the way it follows a rename made outside the app
(`SessionLock.follow_rename`), and so does the open session's path; the `.bak` beside it
and the versions kept after an outside change (`<stem>.outside-...`) go with it.
"""

from __future__ import annotations

import os
from pathlib import Path

from workshop.storage.atomic import BACKUP_SUFFIX, DirectorySyncError, sync_folder
from workshop.storage.listing import outside_copies
from workshop.storage.locking import LockError
from workshop.storage.outside import FileStamp, SaveError, remember_written
from workshop.storage.session_format import SUFFIX, named_by_the_app, session_path
from workshop.storage.store import LoadedSession


def name_to_match(loaded: LoadedSession) -> Path | None:
    """The name `loaded`'s file should have now, or None when it keeps the one it has."""
    path = loaded.path
    if loaded.read_only or loaded.lock is None or not loaded.lock.held:
        return None
    if not named_by_the_app(path.name, loaded.session):
        return None
    try:
        wanted = session_path(path.parent, loaded.session)
    except ValueError:
        return None
    return None if wanted.name == path.name else wanted


def rename_to_match(loaded: LoadedSession) -> Path | None:
    """Rename `loaded`'s file (saved just now) to match its date and title; the new path, or None.

    None when the name already matches, is one a person chose, or the new name is taken
    (nothing is ever replaced). Raises `SaveError` when the rename fails; the file then
    keeps its old name, whole, and stays locked.
    """
    wanted = name_to_match(loaded)
    if wanted is None or os.path.lexists(wanted):
        return None
    old = loaded.path
    companions = _companions(old, wanted)
    try:
        os.rename(old, wanted)
    except OSError as error:
        raise SaveError(f"Cannot rename {old.name} to {wanted.name}: {error.strerror or error}") from None
    assert loaded.lock is not None
    try:
        loaded.lock.follow_rename()
    except LockError as error:
        # Another workshop took the new name's lock in between: give the name back.
        if not os.path.lexists(old):
            _rename_quietly(wanted, old)
        raise SaveError(str(error)) from None
    loaded.follow_lock()
    for source, target in companions:
        if not os.path.lexists(target):
            _rename_quietly(source, target)
    try:
        sync_folder(old.parent)
    except DirectorySyncError:
        pass  # the rename happened; only its durability across a power cut is in doubt
    remember_written(loaded.path, FileStamp.of(loaded.path))
    return loaded.path


def _companions(old: Path, new: Path) -> list[tuple[Path, Path]]:
    """The files that belong beside the session under its name, and their names after it."""
    old_stem, new_stem = old.name.removesuffix(SUFFIX), new.name.removesuffix(SUFFIX)
    pairs = [(old.with_name(old.name + BACKUP_SUFFIX), new.with_name(new.name + BACKUP_SUFFIX))]
    pairs += [(copy, copy.with_name(new_stem + copy.name[len(old_stem) :])) for copy in outside_copies(old)]
    return [(source, target) for source, target in pairs if os.path.lexists(source)]


def _rename_quietly(source: Path, target: Path) -> None:
    # A companion left under the old name is still there to find; nothing is lost.
    try:
        os.rename(source, target)
    except OSError:
        pass
