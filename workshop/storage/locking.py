"""One editor at a time: an advisory lock beside each session file, and on the file.

Opening a session for editing takes an exclusive `flock` on a sidecar file
`.<name>.lock` in the same folder. The kernel drops the lock when the holder's process
ends, however it ends (SIGKILL, power cut of a terminal, crash), so a stale lock never
blocks anyone: the sidecar may stay on disk, but it is not *held*. While held, it
records who holds it (pid, host, since) as JSON, so a second workshop can say whom it
is waiting for. We never delete the sidecar: deleting a lock file races with someone
opening it, and two processes could then each lock a different inode.

Someone else may delete it, though (a clean-up script, a person tidying the folder).
A lock that lived only on the sidecar would then let a second workshop in: it creates
a new sidecar, locks that, and the two overwrite each other's saves. So the lock does
not rest on the sidecar alone:

- The holder also keeps an `flock` on the session file itself. Every save replaces that
  file with a new inode (`os.replace`), which would leave the lock behind on the old
  one, so after each save the store calls `SessionLock.verify()`, which locks the new
  inode too. An opener must get both locks, so with the sidecar gone the second
  workshop is still refused (holder unknown) while the first has the file.
- Before each save the store calls `verify()` as well: if the sidecar or the session
  file at the path is no longer the inode this lock holds (deleted, or replaced from
  outside), it locks what is there now. If that lock is free, it was ours to take and
  nothing else changes; if another workshop holds it, that workshop got in, and the
  save is refused (`LockLost`) so it is never overwritten. Only one writer remains.

The store finds the lock of a path through `held_lock(path)`: the locks this process
holds, by path, kept weakly so a forgotten lock is still released when collected.

`flock` locks belong to an open file description, so even a second attempt from the
same process is refused, which is what we want (one editor per session).

On Windows, where `fcntl` is missing, `msvcrt.locking` locks one byte far past the
holder's record instead and the session file itself is not locked (those locks are
mandatory there and would stop readers); Linux and macOS are what matter and what is
tested.
"""

from __future__ import annotations

import errno
import os
import stat
import weakref
from datetime import datetime
from pathlib import Path

from workshop.domain.errors import WorkshopError
from workshop.storage.lock_files import (
    LOCKS_FILES,
    close_quietly,
    named_inode,
    open_lockable,
    read_holder,
    try_lock,
    unlock,
    write_record,
)


class LockError(WorkshopError):
    """The session could not be locked for editing (it may still be opened read-only)."""


class LockedElsewhere(LockError):
    """Another workshop (another process, or this one) has the session open for editing."""

    def __init__(self, path: Path, pid: int | None, host: str | None, since: datetime | None):
        self.path = path
        self.pid = pid
        self.host = host
        self.since = since
        super().__init__(f"Session file {path.name} is already open in another workshop ({self.holder_text()}); open it read-only instead?")

    def holder_text(self) -> str:
        """`pid 123 on host x since 10:02`, leaving out what is unknown."""
        parts = []
        if self.pid is not None:
            parts.append(f"pid {self.pid}")
        if self.host:
            parts.append(f"on host {self.host}")
        if self.since is not None:
            parts.append(f"since {self.since.astimezone().strftime('%H:%M')}")
        return " ".join(parts) or "holder unknown"


class LockLost(LockError):
    """The lock was lost (its file deleted or replaced) and another workshop took it over."""


def lock_path_for(path: Path) -> Path:
    """The sidecar lock file of a session file: `.<name>.lock` in the same folder."""
    path = Path(path)
    return path.with_name(f".{path.name}.lock")


class _Unseen:
    """No look at the session file was taken for `SessionLock.verify`: it takes its own."""


UNSEEN = _Unseen()


def _file_id(fd: int) -> tuple[int, int]:
    info = os.fstat(fd)
    return info.st_dev, info.st_ino


def _stat_or_none(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def _is_file_at(file_id: tuple[int, int], path: Path) -> bool:
    """Whether `path` is still the file `file_id` (not deleted, not replaced)."""
    there = _stat_or_none(path)
    return there is not None and (there.st_dev, there.st_ino) == file_id


class SessionLock:
    """A held lock; release it with `release()` or by leaving a `with` block."""

    def __init__(self, path: Path, lock_path: Path, fd: int, target_fd: int | None = None):
        self.path = path
        self.lock_path = lock_path
        self._fd: int | None = fd
        # The lock on the session file itself (see the module docstring).
        self._target_fd: int | None = target_fd
        # Which file each descriptor is (device, inode): it never changes for an open
        # descriptor, so a check needs only a look at the path.
        self._fd_id = _file_id(fd)
        self._target_id = _file_id(target_fd) if target_fd is not None else None

    @property
    def held(self) -> bool:
        """Whether this lock is still held (not yet released)."""
        return self._fd is not None

    def verify(self, there: os.stat_result | None | _Unseen = UNSEEN) -> None:
        """Make sure this lock still holds what is at its paths now; call before each save
        (a save through `write_atomic` with this lock as its keeper locks the new file
        itself; any other, after it too). `there` is the session file's `os.lstat` when the
        caller has just taken it (None: no file there).

        Re-locks a sidecar or session file that was deleted or replaced (and the new
        inode a save just wrote). Raises `LockLost` when another workshop holds what is
        there now: this one must not save any more.
        """
        if self._fd is None:
            raise LockError(f"Cannot save {self.path}: its lock was released")
        if not _is_file_at(self._fd_id, self.lock_path):
            self._fd = self._retake(self._fd, self.lock_path, record=True)
            self._fd_id = _file_id(self._fd)
        if not LOCKS_FILES:
            return
        if isinstance(there, _Unseen) or (there is not None and stat.S_ISLNK(there.st_mode)):
            there = _stat_or_none(self.path)  # through a link, as the save writes
        if there is not None and stat.S_ISREG(there.st_mode) and (self._target_fd is None or (there.st_dev, there.st_ino) != self._target_id):
            self._target_fd = self._retake(self._target_fd, self.path, record=False)
            self._target_id = _file_id(self._target_fd)

    def before_rename(self, fd: int) -> None:
        """Lock the new session file through the descriptor that wrote it, before it
        replaces the old one (`workshop.storage.atomic.NewFileKeeper`): the file at the
        path is then never one this lock does not hold."""
        if LOCKS_FILES and self._fd is not None and not try_lock(fd):
            raise OSError(errno.EAGAIN, "the new file was locked by someone else before it was in place")

    def after_rename(self, fd: int, info: os.stat_result) -> None:
        """Hold the new session file (`fd`, just put in place) instead of the one it replaced."""
        if not LOCKS_FILES or self._fd is None:
            close_quietly(fd)
            return
        old, self._target_fd, self._target_id = self._target_fd, fd, (info.st_dev, info.st_ino)
        if old is not None:
            close_quietly(old)

    def follow_rename(self) -> None:
        """When the session file was renamed while open, move this lock to its new name.

        Call before each save. A file that is no longer at `self.path` but whose inode
        (the one this lock holds) lives on under another name in the same folder was
        renamed (by a person, a file manager): `self.path` becomes that name and the
        sidecar lock moves with it, so the save goes there and the old name is not
        written again, which would leave two files of one session. A file deleted
        outright is left to the save to recreate (the room's work wins).

        Raises `LockError` when it was moved out of its folder (or under a name that
        is not a session file's), so no save recreates the old name, and `LockLost`
        when another workshop has opened it under its new name.
        """
        if self._fd is None or self._target_fd is None or os.path.lexists(self.path):
            return
        try:
            held = os.fstat(self._target_fd)
        except OSError:
            return
        if held.st_nlink == 0:
            return  # deleted, not renamed
        moved = named_inode(self.path.parent, held)
        if moved is None:
            raise LockError(
                f"Cannot save {self.path.name}: it was moved or renamed out of {self.path.parent} while open; "
                "it is not written again under its old name, which would leave two files of one session"
            )
        self._move_to(moved)

    def _move_to(self, path: Path) -> None:
        """Hold the sidecar of `path` instead of ours: the session file is called `path` now."""
        lock_path = lock_path_for(path)
        try:
            fd = open_lockable(lock_path, create=True)
        except OSError as error:
            raise LockError(
                f"Cannot save {path.name} (renamed from {self.path.name} while open): its lock cannot be taken ({error.strerror or error})"
            ) from None
        if not try_lock(fd):
            pid, host, since = read_holder(fd)
            os.close(fd)
            other = LockedElsewhere(path, pid, host, since).holder_text()
            raise LockLost(f"Cannot save {path.name} (renamed from {self.path.name} while open): another workshop has opened it since ({other})")
        try:
            write_record(fd)
        except OSError:
            pass  # who holds it is a courtesy; the lock is what counts
        old_fd, self._fd = self._fd, fd
        self._fd_id = _file_id(fd)
        if old_fd is not None:
            try:
                os.ftruncate(old_fd, 0)
            except OSError:
                pass
            close_quietly(old_fd)
        # Kept under the old name too: a caller that goes on saving under it finds this
        # lock, and through it the new name.
        self.path, self.lock_path = path, lock_path
        _held[_key(path)] = self

    def _retake(self, old_fd: int | None, path: Path, *, record: bool) -> int:
        try:
            fd = open_lockable(path, create=record)
        except OSError as error:
            raise LockError(f"Cannot save {self.path}: its lock was lost and cannot be taken again ({error.strerror or error})") from None
        if not try_lock(fd):
            pid, host, since = read_holder(fd) if record else (None, None, None)
            os.close(fd)
            other = LockedElsewhere(self.path, pid, host, since).holder_text()
            raise LockLost(
                f"Cannot save {self.path}: its lock was lost and another workshop has opened it since ({other}); "
                "changes made here are no longer saved, so as not to overwrite that workshop's"
            )
        if record:
            try:
                write_record(fd)
            except OSError:
                pass  # who holds it is a courtesy; the lock is what counts
        if old_fd is not None:
            close_quietly(old_fd)
        return fd

    def release(self) -> None:
        """Give the lock up (idempotent). The sidecar stays, emptied, for next time."""
        fd, self._fd = self._fd, None
        target_fd, self._target_fd = self._target_fd, None
        if _held.get(_key(self.path)) is self:
            del _held[_key(self.path)]
        if target_fd is not None:
            close_quietly(target_fd)
        if fd is None:
            return
        try:
            # Emptied first, while still ours, so nobody reads a departed holder.
            os.ftruncate(fd, 0)
        except OSError:
            pass
        try:
            unlock(fd)
        except OSError:
            pass
        finally:
            os.close(fd)

    def __enter__(self) -> "SessionLock":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()

    def __del__(self) -> None:
        # A forgotten lock is released when garbage-collected rather than leaking an fd.
        try:
            self.release()
        except Exception:
            pass

    def __repr__(self) -> str:
        return f"SessionLock({str(self.path)!r}, held={self.held})"


# The locks this process holds, by absolute session path (weakly: see `SessionLock.__del__`).
_held: "weakref.WeakValueDictionary[str, SessionLock]" = weakref.WeakValueDictionary()


def _key(path: Path) -> str:
    return os.path.abspath(path)


def held_lock(path: Path) -> SessionLock | None:
    """The lock this process holds on session `path`, if any (the store verifies it on save)."""
    if not _held:
        return None  # none held: no need to make the path absolute (a system call) to look
    lock = _held.get(_key(Path(path)))
    return lock if lock is not None and lock.held else None


def acquire(path: Path) -> SessionLock:
    """Lock session `path` for editing, or raise `LockedElsewhere` naming the holder.

    Raises `LockError` when the lock cannot be taken at all (for example a read-only
    folder); the caller can then offer to open the session read-only.
    """
    path = Path(path)
    lock_path = lock_path_for(path)
    try:
        fd = open_lockable(lock_path, create=True)
    except OSError as error:
        raise LockError(f"Cannot lock {path}: {error.strerror or error}") from None
    target_fd: int | None = None
    try:
        if not try_lock(fd):
            pid, host, since = read_holder(fd)
            raise LockedElsewhere(path, pid, host, since)
        target_fd = _lock_session_file(path)
        write_record(fd)
    except LockError:
        os.close(fd)
        raise
    except OSError as error:
        os.close(fd)
        if target_fd is not None:
            os.close(target_fd)
        raise LockError(f"Cannot lock {path}: {error.strerror or error}") from None
    lock = SessionLock(path, lock_path, fd, target_fd)
    _held[_key(path)] = lock
    return lock


def _lock_session_file(path: Path) -> int | None:
    """Lock the session file itself (POSIX only); None when there is no such file yet.

    Raises `LockedElsewhere` when another workshop holds it: its sidecar was deleted.
    """
    if not LOCKS_FILES:
        return None
    try:
        fd = open_lockable(path, create=False)
    except FileNotFoundError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            return None
    except OSError:
        os.close(fd)
        raise
    if not try_lock(fd):
        os.close(fd)
        raise LockedElsewhere(path, None, None, None)
    return fd


def holder(path: Path) -> LockedElsewhere | None:
    """Who holds the lock of `path` right now, or None if nobody does (a probe)."""
    try:
        lock = acquire(path)
    except LockedElsewhere as error:
        return error
    except LockError:
        return None
    lock.release()
    return None
