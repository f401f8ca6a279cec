"""Noticing that a session file changed behind the app's back, and keeping that version.

A `FileStamp` (device, inode, size, modification time) is taken whenever this process
loads or writes a session file. Before each save the store compares the file on disk
with it: a difference means someone else wrote the file (a text editor, a sync tool).
Overwriting it silently would lose their change, and two saves later it would be gone
from the `.bak` too; so the store keeps it as a dated copy beside the session,
`<stem>.outside-YYYYMMDD-HHMMSS.toml` (local time), which the session listing skips,
and then writes the app's version in place and raises `ChangedOutside` to say so.

This process also remembers the stamp of the file it last wrote at each path, so a
caller that did not keep the stamp of a save (for instance one that ended in
`ChangedOutside`) does not mistake our own write for someone else's.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from workshop.domain.errors import WorkshopError
from workshop.storage.atomic import DirectorySyncError, write_atomic
from workshop.storage.paths import SUFFIX
from workshop.storage.tomlsafe import FileProblems, Problem, open_regular

OUTSIDE_MARK = ".outside-"
_OUTSIDE_NAME = re.compile(re.escape(OUTSIDE_MARK) + r"\d{8}-\d{6}(?:-\d+)?" + re.escape(SUFFIX) + "$")
_MAX_COPIES_A_SECOND = 99


class SaveError(WorkshopError):
    """A save was refused or failed; the file on disk is exactly as it was.

    The message is one line naming the file and the reason, ready for a notification.
    """


@dataclass(frozen=True)
class FileStamp:
    """Identity and version of a file on disk, to notice it changed behind our back."""

    device: int
    inode: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path) -> "FileStamp | None":
        """The stamp of the file at `path` now, or None if there is none."""
        try:
            info = os.stat(path)
        except OSError:
            return None
        return cls(info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


class ChangedOutside(SaveError):
    """The file had been changed outside the app; the save went ahead and kept both.

    Unlike every other `SaveError`, the session *was* saved: `stamp` is the new file's
    stamp (the next save's `expect`), `kept` the dated copy holding the outside
    version. The message says so in one line, for a notification.
    """

    def __init__(self, path: Path, kept: Path, stamp: FileStamp | None):
        self.path = path
        self.kept = kept
        self.stamp = stamp
        super().__init__(f"Session file {path.name} was changed outside the app; its version was kept as {kept.name} and the app's version saved in its place.")


def is_outside_copy(name: str) -> bool:
    """Whether the file name `name` is a kept outside version (never a session to list)."""
    return _OUTSIDE_NAME.search(name) is not None


def keep_outside_version(path: Path, raw: bytes, mode: int) -> Path:
    """Write `raw`, the outside version of `path`, to a new dated copy beside it.

    Raises `SaveError` when it cannot be kept: the caller must then not overwrite `path`.
    """
    stem = path.name.removesuffix(SUFFIX)
    when = datetime.now().strftime("%Y%m%d-%H%M%S")
    for number in range(1, _MAX_COPIES_A_SECOND + 1):
        extra = "" if number == 1 else f"-{number}"
        copy = path.with_name(f"{stem}{OUTSIDE_MARK}{when}{extra}{SUFFIX}")
        try:
            write_atomic(copy, raw, exclusive=True, new_mode=mode, backup=False)
        except FileExistsError:
            continue
        except DirectorySyncError:
            return copy  # it is there; only its durability is in doubt
        except OSError as error:
            reason = error.strerror or str(error)
            raise SaveError(f"Cannot save {path}: it was changed outside the app and that version could not be kept ({reason}); nothing was written") from None
        return copy
    raise SaveError(f"Cannot save {path}: it was changed outside the app and no free name was left to keep that version; nothing was written")


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """Up to `max_bytes + 1` bytes of the regular file `path`; `FileProblems` if unreadable."""
    try:
        with open_regular(path) as handle:
            return handle.read(max_bytes + 1)
    except OSError as error:
        raise FileProblems([Problem(str(path), f"cannot be read ({error.strerror or error})")]) from None


# The stamp of the file each path was last written as by this process.
_written: dict[str, FileStamp] = {}
_written_guard = threading.Lock()


def remember_written(path: Path, stamp: FileStamp | None) -> None:
    """Note that this process has just written `path`, now stamped `stamp`."""
    key = os.path.abspath(path)
    with _written_guard:
        if stamp is None:
            _written.pop(key, None)
        else:
            _written[key] = stamp


def last_written(path: Path) -> FileStamp | None:
    """The stamp `path` had when this process last wrote it, if it did."""
    with _written_guard:
        return _written.get(os.path.abspath(path))


__all__ = [
    "OUTSIDE_MARK",
    "ChangedOutside",
    "FileProblems",
    "FileStamp",
    "Problem",
    "SaveError",
    "is_outside_copy",
    "keep_outside_version",
    "last_written",
    "read_bytes",
    "remember_written",
]
