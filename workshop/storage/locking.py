"""One editor at a time: an advisory lock beside each session file.

Opening a session for editing takes an exclusive `flock` on a sidecar file
`.<name>.lock` in the same folder. The kernel drops the lock when the holder's process
ends, however it ends (SIGKILL, power cut of a terminal, crash), so a stale lock never
blocks anyone: the sidecar may stay on disk, but it is not *held*. While held, it
records who holds it (pid, host, since) as JSON, so a second workshop can say whom it
is waiting for. The sidecar is never deleted: deleting a lock file races with someone
opening it, and two processes could then each lock a different inode.

`flock` locks belong to an open file description, so even a second attempt from the
same process is refused, which is what we want (one editor per session).

On Windows, where `fcntl` is missing, `msvcrt.locking` locks one byte far past the
holder's record instead; Linux and macOS are what matter and what is tested.
"""

from __future__ import annotations

import json
import os
import socket
from datetime import datetime, timezone
from pathlib import Path

from workshop.domain.errors import WorkshopError

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt

# msvcrt locks are mandatory: lock a byte well past the JSON record so others can
# still read who holds it.
_WINDOWS_LOCK_OFFSET = 1 << 20


class LockError(WorkshopError):
    """The session could not be locked for editing (it may still be opened read-only)."""


class LockedElsewhere(LockError):
    """Another workshop (another process, or this one) has the session open for editing."""

    def __init__(self, path: Path, pid: int | None, host: str | None, since: datetime | None):
        self.path = path
        self.pid = pid
        self.host = host
        self.since = since
        super().__init__(f"{path.name} is already open in another workshop ({self.holder_text()}); open it read-only instead?")

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


def lock_path_for(path: Path) -> Path:
    """The sidecar lock file of a session file: `.<name>.lock` in the same folder."""
    path = Path(path)
    return path.with_name(f".{path.name}.lock")


class SessionLock:
    """A held lock; release it with `release()` or by leaving a `with` block."""

    def __init__(self, path: Path, lock_path: Path, fd: int):
        self.path = path
        self.lock_path = lock_path
        self._fd: int | None = fd

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        """Give the lock up (idempotent). The sidecar stays, emptied, for next time."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            # Emptied first, while still ours, so nobody reads a departed holder.
            os.ftruncate(fd, 0)
        except OSError:
            pass
        try:
            _unlock(fd)
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


def acquire(path: Path) -> SessionLock:
    """Lock session `path` for editing, or raise `LockedElsewhere` naming the holder.

    Raises `LockError` when the lock cannot be taken at all (for example a read-only
    folder); the caller can then offer to open the session read-only.
    """
    path = Path(path)
    lock_path = lock_path_for(path)
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
    except OSError as error:
        raise LockError(f"cannot lock {path}: {error.strerror or error}") from None
    try:
        if not _try_lock(fd):
            pid, host, since = _read_holder(fd)
            raise LockedElsewhere(path, pid, host, since)
        record = {"pid": os.getpid(), "host": socket.gethostname(), "since": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, json.dumps(record).encode("utf-8") + b"\n")
    except LockError:
        os.close(fd)
        raise
    except OSError as error:
        os.close(fd)
        raise LockError(f"cannot lock {path}: {error.strerror or error}") from None
    return SessionLock(path, lock_path, fd)


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


def _try_lock(fd: int) -> bool:
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True
    os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
    try:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_UN)
    else:
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)


def _read_holder(fd: int) -> tuple[int | None, str | None, datetime | None]:
    """The holder's record, as far as it can be read (it may be half-written or foreign)."""
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        raw = os.read(fd, 4096)
        record = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError):
        return None, None, None
    if not isinstance(record, dict):
        return None, None, None
    pid = record.get("pid")
    host = record.get("host")
    try:
        since = datetime.fromisoformat(record["since"])
    except (KeyError, TypeError, ValueError):
        since = None
    return (
        pid if isinstance(pid, int) and not isinstance(pid, bool) else None,
        host[:100] if isinstance(host, str) else None,
        since if since is None or since.tzinfo else since.replace(tzinfo=timezone.utc),
    )
