"""The operating system's side of a session's lock: `flock` (or `msvcrt.locking` on
Windows) on open files, the holder's record, and which file a descriptor still is.

`workshop.storage.locking` builds the session lock on these (see its docstring for why
the lock rests on both a sidecar file and the session file itself).
"""

from __future__ import annotations

import json
import os
import socket
from datetime import datetime, timezone
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt

# msvcrt locks are mandatory: lock a byte well past the JSON record so others can
# still read who holds it.
_WINDOWS_LOCK_OFFSET = 1 << 20

# Whether the session file itself can be locked too (POSIX `flock`; see `workshop.storage.locking`).
LOCKS_FILES = fcntl is not None


def open_lockable(path: Path, *, create: bool) -> int:
    """Open `path` to lock it (made when `create`); `OSError` as `os.open` raises it."""
    # Non-blocking so that a FIFO planted at the path cannot hang the open.
    flags = (os.O_RDWR | os.O_CREAT if create else os.O_RDONLY) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)
    return os.open(path, flags, 0o600)


def write_record(fd: int) -> None:
    """Write who holds the lock (pid, host, since) as the sidecar's whole content."""
    record = {"pid": os.getpid(), "host": socket.gethostname(), "since": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, json.dumps(record).encode("utf-8") + b"\n")


def named_inode(folder: Path, held: os.stat_result) -> Path | None:
    """The session file's name (`*.toml`, not hidden) in `folder` that is the inode `held`, if any."""
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith(".") or not entry.name.endswith(".toml") or entry.inode() != held.st_ino:
                    continue
                info = entry.stat(follow_symlinks=False)
                if (info.st_dev, info.st_ino) == (held.st_dev, held.st_ino):
                    return Path(entry.path)
    except OSError:
        return None
    return None


def close_quietly(fd: int) -> None:
    """Unlock and close `fd`, ignoring errors (it is being given up anyway)."""
    try:
        unlock(fd)
    except OSError:
        pass
    try:
        os.close(fd)
    except OSError:
        pass


def try_lock(fd: int) -> bool:
    """Take the exclusive lock on `fd` without waiting; False when someone holds it."""
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


def unlock(fd: int) -> None:
    """Release the lock on `fd`."""
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_UN)
    else:
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)


def read_holder(fd: int) -> tuple[int | None, str | None, datetime | None]:
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
