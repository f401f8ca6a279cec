"""Saving session files so that a file is never lost (see `workshop.storage.store` for the rules).

`save_session` writes a `Session`, `save_data` the autosaver's snapshot of one (plain
data, `workshop.storage.snapshot`); `create_session` and `save_copy` write new files.
Each checks what it writes (the session is valid: `data_list_problem` for a snapshot,
the model's validation for a session), then the file there and the lock, and writes it
atomically (`workshop.storage.atomic`) with the listing's line first
(`workshop.storage.listing_head`). Raises only `SaveError` (and `ChangedOutside`, a
`SaveError` whose save did happen).
"""

from __future__ import annotations

import os
import stat
import time
from itertools import compress
from operator import is_not
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from workshop.domain.models.base import utc_now
from workshop.domain.models.session import UNIQUE_ID_LISTS, Session, data_list_problem_ids, list_problem
from workshop.storage import migrate
from workshop.storage.atomic import DirectorySyncError, remove_stale_temp_files, write_atomic
from workshop.storage.listing_head import listing_line, percent_of_data
from workshop.storage.locking import LockError, SessionLock, held_lock
from workshop.storage.outside import (
    ChangedOutside,
    FileStamp,
    SaveError,
    keep_outside_version,
    last_written,
    read_bytes,
    remember_written,
)
from workshop.storage.session_format import (
    MAX_SESSION_BYTES,
    SUFFIX,
    dump_data_chunks,
    dump_session,
    parse_session,
    parse_session_text,
    session_data,
    session_path,
)
from workshop.storage.tomlsafe import FileProblems, read_text

# Sessions hold people's names and views: private to their owner unless the owner
# loosens an existing file's permissions, which saves then keep.
NEW_FILE_MODE = 0o600


class _Bytes:
    """A file's bytes and the modification time its listing line names."""

    __slots__ = ("data", "mtime_ns")

    def __init__(self, data: bytes, mtime_ns: int):
        self.data = data
        self.mtime_ns = mtime_ns


def save_session(session: Session, path: Path, *, expect: FileStamp | None = None, touch: bool = True) -> FileStamp | None:
    """Write `session` to `path` atomically, keeping the old file as `<name>.bak` (every
    time: an explicit save; the autosaver's `save_data` does it now and then).

    Sets `session.updated_at` first unless `touch` is false. `expect` is the stamp of
    the file as this process last loaded or saved it; when the file on disk differs (or
    no stamp is given) it must hold a readable session with the same id, else the save
    is refused. Returns the new file's stamp. Raises `SaveError`, leaving the file as it
    was and no temp file behind; or, after saving, `ChangedOutside` when the file had
    been changed outside the app since `expect` (its version is then kept beside it).
    """
    path = path if isinstance(path, Path) else Path(path)
    return _write(_checked_bytes(session, path, touch), session.id, path, expect)


def save_data(data: dict[str, Any], path: Path, *, expect: FileStamp | None = None, backup: bool = True) -> FileStamp | None:
    """Like `save_session`, from `data`, a `Session.model_dump(mode="python", by_alias=True,
    exclude_none=True)` of a valid session taken by the caller (the autosaver's snapshot,
    much cheaper than a deep copy); sets its `updated_at` to now. Without `backup` the
    `<name>.bak` is left as it is (the autosaver refreshes it only now and then: see
    `workshop.storage.autosave.BackupSchedule`)."""
    path = path if isinstance(path, Path) else Path(path)
    session_id = str(data.get("id", ""))
    if int(data.get("schema", 0)) > migrate.current_version():
        raise SaveError(f"Cannot save {path}: it was written by a newer workshop (schema {data.get('schema')}) and saving here would downgrade it")
    problem = _list_problem(data)
    if problem:
        # As `save_session` refuses it: the file must never hold what cannot be opened.
        raise SaveError(f"Cannot save {path}: the session is not valid ({problem}); nothing was written")
    data["updated_at"] = utc_now()
    return _write(_data_bytes(data, path), session_id, path, expect, backup=backup)


def _write(data: _Bytes, session_id: str, path: Path, expect: FileStamp | None, *, backup: bool = True) -> FileStamp | None:
    """The checks against the file there and the lock, then the atomic write; see `save_session`.

    The path is looked at once (`os.lstat`), and that look serves the lock's check, the
    check for a change made outside and the permission bits the new file keeps; the lock
    takes the new file through the descriptor that wrote it (`SessionLock.before_rename`),
    and its stamp is that descriptor's. A save was a dozen looks at the path and an open
    of the new file to lock it: a fifth of a save of a typical session.
    """
    lock = held_lock(path)
    if lock is not None:
        there = _look(lock.path)
        if there is None:
            # Renamed while open: written under its new name (the lock's path now).
            _follow_rename(lock)
            there = _look(lock.path)
        path = lock.path
        _keep_lock(lock, there)
    else:
        there = _look(path)
    outside = _check_overwritable(path, session_id, expect, there)
    kept = keep_outside_version(path, outside, NEW_FILE_MODE) if outside is not None else None
    try:
        written = write_atomic(path, data.data, new_mode=NEW_FILE_MODE, backup=backup, mtime_ns=data.mtime_ns, current=there, keeper=lock)
    except OSError as error:
        raise SaveError(f"Cannot save {path}: {_reason(error)}") from None
    stamp = FileStamp(written.st_dev, written.st_ino, written.st_size, written.st_mtime_ns)
    remember_written(path, stamp)
    if kept is not None:
        raise ChangedOutside(path, kept, stamp)
    return stamp


def _look(path: Path) -> os.stat_result | None:
    """The path's `os.lstat`, None when nothing is there."""
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None


def _follow_rename(lock: SessionLock) -> None:
    try:
        lock.follow_rename()
    except LockError as error:
        raise SaveError(str(error)) from None


def _keep_lock(lock: SessionLock, there: os.stat_result | None) -> None:
    """Verify this process still holds the session's lock (`there`: the session file's
    `os.lstat`, None when missing); `SaveError` if it was lost."""
    try:
        lock.verify(there)
    except LockError as error:
        raise SaveError(str(error)) from None


def create_session(folder: Path, session: Session) -> Path:
    """Save a new session into `folder` (made if needed) under its own name; return the path.

    Refuses (`SaveError`) to replace an existing file of that name.
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SaveError(f"Cannot create the sessions folder {folder}: {_reason(error)}") from None
    try:
        path = session_path(folder, session)
    except ValueError as error:
        raise SaveError(str(error)) from None
    data = _checked_bytes(session, path, touch=False)
    remove_stale_temp_files(folder)
    try:
        write_atomic(path, data.data, exclusive=True, new_mode=NEW_FILE_MODE, mtime_ns=data.mtime_ns)
    except FileExistsError:
        raise SaveError(f"Cannot create {path}: a file of that name already exists") from None
    except OSError as error:
        raise SaveError(f"Cannot create {path}: {_reason(error)}") from None
    return path


def _checked_bytes(session: Session, path: Path, touch: bool) -> _Bytes:
    """The file's bytes, after proving they read back as this very session."""
    current = migrate.current_version()
    if session.schema_ > current:
        raise SaveError(f"Cannot save {path}: it was written by a newer workshop (schema {session.schema_}) and saving here would downgrade it")
    try:
        if touch:
            # Assignment re-validates the whole session, so this also refuses a session
            # made invalid by changing its lists in place.
            session.updated_at = utc_now()
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        reason = str(first.get("msg", "invalid")).removeprefix("Value error, ")
        raise SaveError(f"Cannot save {path}: the session is not valid ({reason}); nothing was written") from None
    if touch:
        # Just validated by the assignment; the text need not be parsed back (that took
        # three quarters of a save): see `_data_bytes`.
        return _data_bytes(session_data(session), path)
    # A file written once (a new session, a copy): prove it reads back as this session.
    try:
        text = dump_session(session)
        again = parse_session(text, str(path))
    except FileProblems as problems:
        raise SaveError(f"Cannot save {path}: the session would not read back ({problems.first.reason}); nothing was written") from None
    except (TypeError, ValueError) as error:
        raise SaveError(f"Cannot save {path}: the session cannot be written as TOML ({error}); nothing was written") from None
    if again != session:
        raise SaveError(f"Cannot save {path}: the session would not read back the same; nothing was written")
    return _with_listing_line([text.encode("utf-8")], session.percent_complete, path)


def _data_bytes(data: dict[str, Any], path: Path) -> _Bytes:
    """The file's bytes for a valid session's dumped `data`, the listing's line first
    (see `workshop.storage.listing_head`).

    Not parsed back: every value the model allows reads back from TOML exactly (floats
    and integers are bounded, so finite and short; times are UTC; tomli_w escapes every
    string), which tests/test_store.py proves on random and extreme sessions.
    """
    try:
        body = dump_data_chunks(data)
    except (TypeError, ValueError) as error:
        raise SaveError(f"Cannot save {path}: the session cannot be written as TOML ({error}); nothing was written") from None
    return _with_listing_line(body, _percent(data), path)


# The last answer of `percent_of_data`, with the agenda and progress it was for: a
# snapshot hands unchanged parts over as the very same objects, and both change seldom.
_percent_kept: tuple[object, object, object, int] | None = None


def _percent(data: dict[str, Any]) -> int:
    """`percent_of_data(data)`, worked out again only when the agenda, progress or status changed."""
    global _percent_kept
    agenda, progress, status = data.get("agenda"), data.get("progress"), data.get("status")
    kept = _percent_kept  # one read: another thread may save another session
    if kept is not None and kept[0] is agenda and kept[1] is progress and kept[2] == status:
        return kept[3]
    percent = percent_of_data(data)
    _percent_kept = (agenda, progress, status, percent)
    return percent


def _with_listing_line(body: list[bytes], percent: int, path: Path) -> _Bytes:
    """The file's pieces with the listing's line first (see `workshop.storage.listing_head`),
    refused when the whole is larger than a session file may be."""
    mtime_ns = time.time_ns()
    body_size = sum(map(len, body))
    # Joined once here: writing the pieces as they are (`os.writev`, a thousand small
    # ones) was slower than copying them into one.
    data = _Bytes(b"".join([listing_line(body_size, percent, mtime_ns), *body]), mtime_ns)
    if len(data.data) > MAX_SESSION_BYTES:
        raise SaveError(f"Cannot save {path}: the session has grown past {MAX_SESSION_BYTES >> 20} MiB; nothing was written")
    return data


# Each list last checked by `_list_problem`, its ids, and whether they were found sound:
# a snapshot's lists are never changed afterwards, and an unchanged part is handed over
# again as the very same list (`workshop.storage.snapshot`), so it need not be checked
# again; a list with a few items that are other objects (one proposal of a thousand
# changed) is checked at those few.
_ids_kept: dict[str, tuple[object, list[str], bool]] = {}


def _list_problem(data: dict[str, Any]) -> str | None:
    """`data_list_problem(data)`, checking again only what changed since the last check."""
    to_check: dict[str, list[str]] = {}
    checked: dict[str, tuple[object, list[str]]] = {}
    for name in UNIQUE_ID_LISTS:
        items = data.get(name)
        kept = _ids_kept.get(name)  # one read: another thread may save another session
        if kept is not None and kept[0] is items and kept[2]:
            continue
        changed = _ids_changed_in_places(kept, items) if kept is not None and kept[2] else None
        if changed is not None:
            ids, places = changed
            if all(ids.count(ids[place]) == 1 for place in places):
                # The same length, and every new id found once: as sound as before.
                _ids_kept[name] = (items, ids, True)
                continue
        else:
            ids = data_list_problem_ids(items if items is not None else [])
        to_check[name] = ids
        checked[name] = (items, ids)
    problem = list_problem(to_check) if to_check else None
    for name, (items, ids) in checked.items():
        _ids_kept[name] = (items, ids, problem is None)
    return problem


def _ids_changed_in_places(kept: tuple[object, list[str], bool], items: object) -> tuple[list[str], list[int]] | None:
    """The ids of `items`, a list as long as the one last checked with a few of its items
    other objects (the rest the very same dicts): last time's ids with those few read
    again, and their places. None when that does not hold (then every id is gathered)."""
    before, ids, _ = kept
    if type(items) is not list or type(before) is not list or len(before) != len(items) or len(ids) != len(items):
        return None
    places = list(compress(range(len(items)), map(is_not, before, items)))
    if len(places) > 8:
        return None
    ids = list(ids)
    for place in places:
        item = items[place]
        found = item.get("id") if type(item) is dict else None
        if type(found) is not str:
            return None
        ids[place] = found
    return ids, places


def _check_overwritable(path: Path, session_id: str, expect: FileStamp | None, there: os.stat_result | None) -> bytes | None:
    """Refuse to replace what is not this session; return the file's bytes when it was
    changed outside the app since `expect` (to be kept), else None. `there` is the path's
    `os.lstat` (None: nothing there)."""
    if there is None or stat.S_ISLNK(there.st_mode):
        current = FileStamp.of(path)  # through a link, as the save writes
    else:
        current = FileStamp(there.st_dev, there.st_ino, there.st_size, there.st_mtime_ns)
    if current is None or (expect is not None and current == expect):
        # Missing (new, or deleted behind our back: the room's work wins) or exactly
        # as we last saw it.
        return None
    if expect is not None and current == last_written(path):
        # Our own latest write, saved by another `LoadedSession` or a save whose
        # caller did not keep the stamp (for instance after `ChangedOutside`).
        return None
    try:
        raw = read_bytes(path, MAX_SESSION_BYTES)
        existing, version = parse_session_text(read_text(path, MAX_SESSION_BYTES), str(path))
    except FileProblems as problems:
        raise SaveError(f"Cannot save {path}: the file there is not a readable session ({problems.first.reason}); it was left untouched") from None
    if version > migrate.current_version():
        raise SaveError(f"Cannot save {path}: the file there was written by a newer workshop (schema {existing.schema_}) and saving would downgrade it")
    if existing.id != session_id:
        raise SaveError(f"Cannot save {path}: it holds another session (id {existing.id}); it was left untouched")
    # Without `expect` the caller asked to overwrite whatever session is there.
    return raw if expect is not None else None


def save_copy(session: Session, target: Path) -> Path:
    """Write a copy of `session` to `target` (a file, or a folder to put it in by its own
    name) when its own file cannot be saved; return where it went. Never replaces a file.

    Raises `SaveError` with the reason (the disk that is full, a folder that is missing).
    """
    target = Path(target).expanduser()
    path = session_path(target, session) if target.is_dir() else target
    if path.suffix != SUFFIX:
        path = path.with_name(path.name + SUFFIX)
    data = _checked_bytes(session, path, touch=False)
    try:
        write_atomic(path, data.data, exclusive=True, new_mode=NEW_FILE_MODE, backup=False, mtime_ns=data.mtime_ns)
    except FileExistsError:
        raise SaveError(f"Cannot save a copy as {path}: a file of that name already exists.") from None
    except OSError as error:
        raise SaveError(f"Cannot save a copy as {path}: {_reason(error)}.") from None
    return path


def _reason(error: OSError) -> str:
    if isinstance(error, DirectorySyncError):
        return f"{error.strerror or error} while flushing the folder; the new version may not survive a power cut"
    return error.strerror or str(error) or type(error).__name__
