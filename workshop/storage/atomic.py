"""Replacing a file so that it is always either the old version or the new one.

`write_atomic` keeps the current file as `<name>.bak` (a hard link, replaced
atomically) when asked to, writes a hidden temp file (`.<name>.<pid>-<n>.tmp`, created exclusively) in
the target's folder,
gives it the old file's permission bits, fsyncs it, renames it over the target, gives
it the modification time asked for and fsyncs the folder. A crash or
kill at any moment leaves the target whole (old or new); on any error the temp file is
removed and the target is untouched. Only a kill between creating and renaming the temp
file can leave one behind; `remove_stale_temp_files` clears those.

Plain Python, no knowledge of sessions; `workshop.storage.store` builds on it.
"""

from __future__ import annotations

import errno
import itertools
import os
import shutil
import stat
import time
from pathlib import Path
from typing import Protocol

BACKUP_SUFFIX = ".bak"
TEMP_SUFFIX = ".tmp"


class DirectorySyncError(OSError):
    """The new file is in place, but the folder could not be flushed to disk."""


class NewFileKeeper(Protocol):
    """Whoever holds the target open and locked (a session's lock, `workshop.storage.locking`):
    it locks the new file through the descriptor that wrote it, so the file at the path is
    never one it does not hold, and needs no second open of the path after the rename."""

    def before_rename(self, fd: int) -> None:
        """`fd`, the new file written and flushed, is about to replace the target; `OSError` refuses the save."""

    def after_rename(self, fd: int, info: os.stat_result) -> None:
        """The new file (`info`, its stat) is in place: `fd` is the keeper's now, to close when done."""


def write_atomic(
    path: Path,
    data: bytes,
    *,
    exclusive: bool = False,
    new_mode: int = 0o600,
    backup: bool = True,
    mtime_ns: int | None = None,
    current: os.stat_result | None = None,
    keeper: NewFileKeeper | None = None,
) -> os.stat_result:
    """Replace `path` with `data` atomically (or, if `exclusive`, create it: `FileExistsError`
    if it exists). Raises `OSError`; the target is then as it was and no temp file remains,
    except `DirectorySyncError`, raised after the rename when the folder's fsync fails.
    A target that is a named pipe, a device, a socket or a folder is refused (`OSError`).
    Returns the new file's stat, taken through its descriptor (what was written, whatever
    is done at the path afterwards).

    A new file gets `new_mode`; a replaced one keeps its permission bits. With `backup`,
    the replaced version is kept as `<name>.bak` (best effort, see `_backup`). With
    `mtime_ns`, the new file is given that modification time (a session file's listing
    line names it: see `workshop.storage.listing_head`). `current` is the target's
    `os.lstat` when the caller has just taken it (one look at the path, shared with the
    caller's own checks). `keeper` is handed the new file's descriptor (see `NewFileKeeper`).
    """
    path = Path(path)
    folder = path.parent
    mode = None if exclusive else _mode_of_regular(path, current)
    if backup and mode is not None:
        # Done first, so that at any moment at most one temp file of ours exists (a
        # kill leaves at most one behind). If the save then fails, the backup simply
        # equals the untouched file.
        _backup(path)
    fd, temp_name = _create_temp(folder, path.name)
    temp: str | None = temp_name
    try:
        _write_all(fd, data)
        # The temp file is made 0o600; only change that when needed.
        wanted = new_mode if mode is None else mode
        if wanted != 0o600:
            _chmod(fd, temp_name, wanted)
        os.fsync(fd)
        if keeper is not None:
            keeper.before_rename(fd)
        elif os.name == "nt":
            os.close(fd)  # Windows renames no file that is open
            fd = -1
        if exclusive:
            _place_new(temp_name, path, new_mode)
        else:
            os.replace(temp_name, path)
        temp = None
        if mtime_ns is not None:
            _set_mtime(fd, path, mtime_ns)
        info = os.fstat(fd) if fd >= 0 else os.stat(path)
        if keeper is not None:
            handed, fd = fd, -1  # the keeper's from now on, whatever it does with it
            keeper.after_rename(handed, info)
    finally:
        if fd >= 0:
            try:
                os.close(fd)
            except OSError:
                pass
        if temp is not None:
            try:
                os.unlink(temp)
            except OSError:
                pass
    _fsync_folder(folder)
    return info


def _set_mtime(fd: int, path: Path, mtime_ns: int) -> None:
    """Give the new file, in place, the modification time its listing line names.

    Done after the rename (before the folder's fsync, which makes it durable with the
    rename): set before the file's own fsync it made that fsync a tenth of a millisecond
    slower (ext4, measured), a tenth of a save. The time is only a hint for listings
    (`workshop.storage.listing_head`): one that does not match, because this failed or a
    crash came first, makes a listing read the whole file, so a failure here is no failed
    save.
    """
    try:
        if fd >= 0 and os.utime in os.supports_fd:
            os.utime(fd, ns=(mtime_ns, mtime_ns))
        else:  # Windows: through the name it now has
            os.utime(path, ns=(mtime_ns, mtime_ns))
    except OSError:
        pass


def remove_stale_temp_files(folder: Path, max_age: float = 60.0) -> int:
    """Remove hidden `.*.tmp` files in `folder` older than `max_age` seconds; return how many.

    They are what a save killed half-way leaves; the age guard keeps this from racing
    a save in progress in another process.
    """
    removed = 0
    cutoff = time.time() - max_age
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if not (entry.name.startswith(".") and entry.name.endswith(TEMP_SUFFIX)):
                    continue
                try:
                    if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < cutoff:
                        os.unlink(entry.path)
                        removed += 1
                except OSError:
                    pass
    except OSError:
        pass
    return removed


# Temp names unique within this process, and with the process id among those alive now.
# A name a killed process left (its id come round again) is never reused: the file is
# created exclusively (a link fails alike) and the next number tried. `tempfile.mkstemp`'s
# random names cost 50-70 us of a 1 ms save, for nothing more.
_temp_numbers = itertools.count()
_TEMP_FLAGS = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def _temp_path(folder: Path, name: str, kind: str = "") -> str:
    return os.path.join(folder, f".{name}.{os.getpid()}-{next(_temp_numbers)}{kind}{TEMP_SUFFIX}")


def _create_temp(folder: Path, name: str) -> tuple[int, str]:
    """A new hidden file `.<name>.<pid>-<n>.tmp` in `folder`, mode 0o600: its descriptor and path."""
    while True:
        temp = _temp_path(folder, name)
        try:
            return os.open(temp, _TEMP_FLAGS, 0o600), temp
        except FileExistsError:
            continue


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        view = view[written:]


def _mode_of_regular(path: Path, current: os.stat_result | None = None) -> int | None:
    """The permission bits of the file at `path` (its `os.lstat` is `current` when the
    caller has it), None when there is none; refuses (`OSError`) to go on when it is a
    named pipe, a device, a socket or a folder: only files are replaced.

    (A symbolic link is replaced by the file, as before: the caller decides about links.)
    """
    try:
        mode = (current if current is not None else os.lstat(path)).st_mode
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(mode):
        try:
            return stat.S_IMODE(os.stat(path).st_mode)
        except FileNotFoundError:
            return None  # a dangling link
    if not stat.S_ISREG(mode):
        raise OSError(errno.EINVAL, "it is not a regular file, so it was left as it is")
    return stat.S_IMODE(mode)


def _chmod(fd: int, name: str, mode: int) -> None:
    if hasattr(os, "fchmod"):
        os.fchmod(fd, mode)
    else:  # Windows
        os.chmod(name, mode)


def _place_new(temp_name: str, path: Path, mode: int) -> None:
    """Move the temp file to `path` only if nothing is there (`FileExistsError` if so)."""
    try:
        # A hard link fails atomically when `path` exists: an O_EXCL for renames.
        os.link(temp_name, path)
    except FileExistsError:
        raise
    except OSError:
        # No hard links here (FAT, some network shares): reserve the name, then replace.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode))
        try:
            os.replace(temp_name, path)
        except OSError:
            os.unlink(path)  # our own empty placeholder; never leave it as a bad file
            raise
        return
    os.unlink(temp_name)


def _backup(path: Path) -> None:
    """Make `<name>.bak` the current version of `path`, atomically; best effort.

    A hard link costs no copying and no space. A failed backup does not stop the save:
    keeping the latest work matters more than keeping the version before it, and the
    previous `.bak` stays whole either way.
    """
    backup = os.path.join(path.parent, path.name + BACKUP_SUFFIX)
    temp = _temp_path(path.parent, path.name, ".bak")
    try:
        try:
            os.link(path, temp)
        except FileNotFoundError:
            return
        except FileExistsError:
            return  # a name a killed process left: no `.bak` this time, the next save makes one
        except OSError:
            shutil.copy2(path, temp)
            with open(temp, "rb+") as handle:
                os.fsync(handle.fileno())
        os.replace(temp, backup)
    except OSError:
        pass
    finally:
        # Also after a replace that went through: when the `.bak` already was this very
        # file (a save that failed after its backup), renaming a link of it over the
        # `.bak` does nothing and leaves the link (POSIX rename of two links of one file).
        try:
            os.unlink(temp)
        except OSError:
            pass


def sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (`DirectorySyncError` when the folder cannot be synced)."""
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable. Not possible on Windows, nor needed there."""
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError as error:
        # Some file systems cannot fsync a folder at all; that is not a failed save.
        if error.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF, errno.EACCES):
            raise DirectorySyncError(error.errno, error.strerror) from None
    finally:
        os.close(fd)
