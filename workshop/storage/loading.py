"""Loading session files, and a loaded session that saves back to its file.

`load_session` reads, upgrades and validates a file (`FileProblems` for anything wrong
with it); `open_session` also takes its lock for editing (`workshop.storage.locking`).
The `LoadedSession` they return saves through `workshop.storage.saving`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from workshop.domain.models.session import Session
from workshop.storage import migrate
from workshop.storage.atomic import remove_stale_temp_files
from workshop.storage.locking import SessionLock, acquire
from workshop.storage.outside import ChangedOutside, FileStamp, SaveError
from workshop.storage.saving import save_session
from workshop.storage.session_format import MAX_SESSION_BYTES, newer_schema_reason, parse_session_text
from workshop.storage.tomlsafe import read_text


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
