"""Session files: loading and saving that never loses a file (listing and finding: `workshop.storage.listing`).

One session is one TOML file in the sessions folder (see `workshop.storage.paths.sessions_dir`),
named `YYYY-MM-DD-<title slug>-<id>.toml` (names and the text format are in
`workshop.storage.session_format`, re-exported here; the lock in `workshop.storage.locking`, upgrades in
`workshop.storage.migrate`, the atomic replace in `workshop.storage.atomic`). Everything here is plain Python (no Textual)
and raises only `FileProblems` (a file cannot be read), `SaveError` (a save was refused
or failed; the file on disk is as it was) and, from `open_session`, `LockError`.

Saving (`save_session`):
- sets `session.updated_at` to now (pass `touch=False` to keep it), which re-validates
  the session, and serialises it in memory (every value a valid session holds reads
  back from TOML exactly); with `touch=False` (a new file, a copy) the text is also
  parsed back, and if it would not read back equal, nothing is written.
  `save_data` saves a snapshot already dumped (the autosaver's);
- while this process holds the session's lock (`open_session`), verifies it before and
  after writing (see `workshop.storage.locking`): a save whose lock was lost to
  another workshop is refused, so that workshop's saves are never overwritten;
- refuses a session of a newer schema (files are never downgraded) and refuses to
  replace a file that is not a readable session with the same id (a corrupt or foreign
  file is never overwritten), unless it is exactly the file this process last loaded or
  wrote (`expect`, a `FileStamp`), which skips re-reading it on every autosave;
- when the file was changed outside the app since `expect` (someone edited it) but
  still holds this session, keeps both: the outside version is copied byte for byte to
  `<stem>.outside-YYYYMMDD-HHMMSS.toml` beside it (never listed as a session), the
  app's version is written in place, and `ChangedOutside` (a `SaveError` whose save
  *did* happen) is raised with that copy's path, the new stamp and a one-line message.
  Only then: a copy that cannot be written refuses the whole save instead;
- writes a temp file `.<name>.<random>.tmp` in the same folder, fsyncs it, gives it the
  old file's permission bits (a new file gets 0o600: sessions hold people's names and
  views, so they are private to their owner by default), hard-links the old file to
  `<name>.bak` (copying where hard links are unsupported), `os.replace`s the target and
  fsyncs the folder. On any error the temp file is removed and the target is untouched.

A process killed between creating the temp file and the replace leaves that temp file
behind; it is hidden (leading dot), never listed, and `open_session`/`create_session`
remove such files once they are a minute old.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from workshop.domain.models.base import utc_now
from workshop.domain.models.session import Session, data_list_problem
from workshop.storage import migrate
from workshop.storage.atomic import (
    BACKUP_SUFFIX,
    DirectorySyncError,
    remove_stale_temp_files,
    write_atomic,
)
from workshop.storage.listing import (
    MIN_ID_PREFIX,
    SessionNotFound,
    SessionSummary,
    UnreadableFile,
    find_session,
    list_sessions,
    readable_backup,
    summarise,
    unreadable_message,
)
from workshop.storage.listing_head import percent_of_data, with_listing_line, written_mtime_ns
from workshop.storage.locking import LockedElsewhere, LockError, SessionLock, acquire, held_lock
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
    dump_data,
    dump_session,
    newer_schema_reason,
    parse_session,
    parse_session_text,
    session_data,
    session_filename,
    session_path,
)
from workshop.storage.tomlsafe import FileProblems, read_text

# Sessions hold people's names and views: private to their owner unless the owner
# loosens an existing file's permissions, which saves then keep.
NEW_FILE_MODE = 0o600

__all__ = [
    "BACKUP_SUFFIX",
    "MAX_SESSION_BYTES",
    "MIN_ID_PREFIX",
    "SUFFIX",
    "ChangedOutside",
    "FileStamp",
    "LoadedSession",
    "LockError",
    "LockedElsewhere",
    "SaveError",
    "SessionNotFound",
    "SessionSummary",
    "UnreadableFile",
    "create_session",
    "dump_session",
    "find_session",
    "list_sessions",
    "load_session",
    "newer_schema_reason",
    "open_session",
    "parse_session",
    "parse_session_text",
    "readable_backup",
    "remove_stale_temp_files",
    "save_copy",
    "save_data",
    "save_session",
    "session_filename",
    "session_path",
    "summarise",
    "unreadable_message",
]


@dataclass
class LoadedSession:
    """A session read from `path`, and whether it may be saved back there.

    `read_only` is set for a file of a newer schema (with `reason`) or when opened
    read-only; `migrated_from` is the older schema the file was upgraded from, if any.
    `lock` is held while the session is open for editing (see `open_session`).

    `save()` serialises `session` as it is at that moment. To save from a worker thread
    while the UI goes on changing the session, pass a copy taken on the UI thread,
    `save(session.model_copy(deep=True))`, and run one save at a time: the last replace
    wins, so two racing saves could leave the older snapshot on disk.
    """

    session: Session
    path: Path
    read_only: bool = False
    reason: str | None = None
    migrated_from: int | None = None
    stamp: FileStamp | None = None
    lock: SessionLock | None = field(default=None, repr=False)

    def save(self, snapshot: Session | None = None, *, touch: bool = True) -> None:
        """Save the session (or `snapshot`, a copy of it) back to its file, atomically.

        Raises `SaveError` if refused or failed; the file is then as it was. Raises
        `ChangedOutside` (a `SaveError`) after saving when the file had been edited
        outside the app: the outside version was kept as a dated copy beside it.
        """
        if self.read_only:
            raise SaveError(f"Cannot save {self.path}: {self.reason or 'it is open read-only'}")
        session = self.session if snapshot is None else snapshot
        if session.id != self.session.id:
            raise SaveError(f"Cannot save {self.path}: the snapshot is of another session ({session.id})")
        try:
            self.stamp = save_session(session, self.path, expect=self.stamp, touch=touch)
        except ChangedOutside as changed:
            # Saved all the same: remember the new file so the next save trusts it.
            self.stamp = changed.stamp
            raise
        finally:
            self.follow_lock()

    def follow_lock(self) -> None:
        """Take the lock's path as the session's: after a save, it is where the file is now
        (a file renamed while open is saved under its new name, see `SessionLock.follow_rename`)."""
        if self.lock is not None and self.lock.held:
            self.path = self.lock.path

    def close(self) -> None:
        """Release the editing lock, if held."""
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def __enter__(self) -> "LoadedSession":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


# -- loading --------------------------------------------------------------------------


def load_session(path: Path) -> LoadedSession:
    """Read, upgrade and validate the session file at `path`; raise `FileProblems`.

    Never raises anything else for a bad file: too large (over 4 MiB), not UTF-8, not
    TOML, nested too deep, absurd numbers, wrong types, unknown keys, a foreign file.
    """
    path = Path(path)
    # Stamped before reading: if the file changes in between, the stamp is stale and
    # the next save re-checks the file rather than trusting it.
    stamp = FileStamp.of(path)
    text = read_text(path, MAX_SESSION_BYTES)
    session, version = parse_session_text(text, str(path))
    current = migrate.current_version()
    if version > current:
        return LoadedSession(session, path, read_only=True, reason=newer_schema_reason(version), stamp=stamp)
    return LoadedSession(session, path, migrated_from=version if version < current else None, stamp=stamp)


def open_session(path: Path, *, read_only: bool = False) -> LoadedSession:
    """Load `path` for editing, holding its lock until `close()`; or read-only.

    Raises `LockedElsewhere` when another workshop has it open (offer read-only),
    `LockError` when it cannot be locked at all, `FileProblems` when it cannot be read.
    A newer-schema file is returned read-only and unlocked.
    """
    path = Path(path)
    if read_only or not path.is_file():
        # Nothing to lock (or a folder): report it without leaving a lock file behind.
        loaded = load_session(path)
        loaded.read_only = True
        loaded.reason = loaded.reason or "open read-only"
        return loaded
    lock = acquire(path)
    try:
        loaded = load_session(path)
    except BaseException:
        lock.release()
        raise
    if loaded.read_only:
        lock.release()
    else:
        loaded.lock = lock
        remove_stale_temp_files(path.parent)
    return loaded


# -- saving ---------------------------------------------------------------------------


def save_session(session: Session, path: Path, *, expect: FileStamp | None = None, touch: bool = True) -> FileStamp | None:
    """Write `session` to `path` atomically, keeping the old file as `<name>.bak`.

    Sets `session.updated_at` first unless `touch` is false. `expect` is the stamp of
    the file as this process last loaded or saved it; when the file on disk differs (or
    no stamp is given) it must hold a readable session with the same id, else the save
    is refused. Returns the new file's stamp. Raises `SaveError`, leaving the file as it
    was and no temp file behind; or, after saving, `ChangedOutside` when the file had
    been changed outside the app since `expect` (its version is then kept beside it).
    """
    path = Path(path)
    return _write(_checked_bytes(session, path, touch), session.id, path, expect)


def save_data(data: dict[str, Any], path: Path, *, expect: FileStamp | None = None) -> FileStamp | None:
    """Like `save_session`, from `data`, a `Session.model_dump(mode="python", by_alias=True,
    exclude_none=True)` of a valid session taken by the caller (the autosaver's snapshot,
    much cheaper than a deep copy); sets its `updated_at` to now."""
    path = Path(path)
    session_id = str(data.get("id", ""))
    if int(data.get("schema", 0)) > migrate.current_version():
        raise SaveError(f"Cannot save {path}: it was written by a newer workshop (schema {data.get('schema')}) and saving here would downgrade it")
    problem = data_list_problem(data)
    if problem:
        # As `save_session` refuses it: the file must never hold what cannot be opened.
        raise SaveError(f"Cannot save {path}: the session is not valid ({problem}); nothing was written")
    data["updated_at"] = utc_now()
    return _write(_data_bytes(data, path), session_id, path, expect)


def _write(data: bytes, session_id: str, path: Path, expect: FileStamp | None) -> FileStamp | None:
    """The checks against the file there and the lock, then the atomic write; see `save_session`."""
    lock = held_lock(path)
    if lock is not None:
        # Renamed while open: written under its new name (the lock's path now).
        _follow_rename(lock)
        path = lock.path
        _keep_lock(lock)
    outside = _check_overwritable(path, session_id, expect)
    kept = keep_outside_version(path, outside, NEW_FILE_MODE) if outside is not None else None
    try:
        write_atomic(path, data, new_mode=NEW_FILE_MODE, mtime_ns=written_mtime_ns(data))
    except OSError as error:
        raise SaveError(f"Cannot save {path}: {_reason(error)}") from None
    if lock is not None:
        # The file is a new inode now: lock it too, so the lock goes on covering it.
        _keep_lock(lock)
    stamp = FileStamp.of(path)
    remember_written(path, stamp)
    if kept is not None:
        raise ChangedOutside(path, kept, stamp)
    return stamp


def _follow_rename(lock: SessionLock) -> None:
    try:
        lock.follow_rename()
    except LockError as error:
        raise SaveError(str(error)) from None


def _keep_lock(lock: SessionLock) -> None:
    """Verify this process still holds the session's lock; `SaveError` if it was lost."""
    try:
        lock.verify()
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
        write_atomic(path, data, exclusive=True, new_mode=NEW_FILE_MODE, mtime_ns=written_mtime_ns(data))
    except FileExistsError:
        raise SaveError(f"Cannot create {path}: a file of that name already exists") from None
    except OSError as error:
        raise SaveError(f"Cannot create {path}: {_reason(error)}") from None
    return path


def _checked_bytes(session: Session, path: Path, touch: bool) -> bytes:
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
    return _sized(with_listing_line(text.encode("utf-8"), session.percent_complete, time.time_ns()), path)


def _data_bytes(data: dict[str, Any], path: Path) -> bytes:
    """The file's bytes for a valid session's dumped `data`, the listing's line first
    (see `workshop.storage.listing_head`).

    Not parsed back: every value the model allows reads back from TOML exactly (floats
    and integers are bounded, so finite and short; times are UTC; tomli_w escapes every
    string), which tests/test_store.py proves on random and extreme sessions.
    """
    try:
        text = dump_data(data)
    except (TypeError, ValueError) as error:
        raise SaveError(f"Cannot save {path}: the session cannot be written as TOML ({error}); nothing was written") from None
    return _sized(with_listing_line(text.encode("utf-8"), percent_of_data(data), time.time_ns()), path)


def _sized(data: bytes, path: Path) -> bytes:
    if len(data) > MAX_SESSION_BYTES:
        raise SaveError(f"Cannot save {path}: the session has grown past {MAX_SESSION_BYTES >> 20} MiB; nothing was written")
    return data


def _check_overwritable(path: Path, session_id: str, expect: FileStamp | None) -> bytes | None:
    """Refuse to replace what is not this session; return the file's bytes when it was
    changed outside the app since `expect` (to be kept), else None."""
    current = FileStamp.of(path)
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
        existing = load_session(path)
    except FileProblems as problems:
        raise SaveError(f"Cannot save {path}: the file there is not a readable session ({problems.first.reason}); it was left untouched") from None
    if existing.read_only:
        raise SaveError(f"Cannot save {path}: the file there was written by a newer workshop (schema {existing.session.schema_}) and saving would downgrade it")
    if existing.session.id != session_id:
        raise SaveError(f"Cannot save {path}: it holds another session (id {existing.session.id}); it was left untouched")
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
        write_atomic(path, data, exclusive=True, new_mode=NEW_FILE_MODE, backup=False, mtime_ns=written_mtime_ns(data))
    except FileExistsError:
        raise SaveError(f"Cannot save a copy as {path}: a file of that name already exists.") from None
    except OSError as error:
        raise SaveError(f"Cannot save a copy as {path}: {_reason(error)}.") from None
    return path


def _reason(error: OSError) -> str:
    if isinstance(error, DirectorySyncError):
        return f"{error.strerror or error} while flushing the folder; the new version may not survive a power cut"
    return error.strerror or str(error) or type(error).__name__
