"""Archiving a session: moved aside into `archive/` beside it, never deleted; and back.

Both directions move a file without ever overwriting one: the move is a hard link made
under the new name (which fails, atomically, if that name is taken) and then the old
name removed, so at every moment the session exists under at least one name. Where
hard links are not possible (FAT, some network shares) the name is reserved with an
exclusive create before the rename.
"""

from __future__ import annotations

import os
from pathlib import Path

from workshop.domain.errors import WorkshopError
from workshop.storage.atomic import BACKUP_SUFFIX
from workshop.storage.locking import holder

ARCHIVE_FOLDER = "archive"
RESTORED_MARK = "-restored"
# Names tried for a restored file before giving up (name-restored, name-restored-2...).
MAX_RESTORE_NAMES = 100


class ArchiveError(WorkshopError):
    """The session could not be archived or restored; the message says why, in one line."""


def archive_folder(sessions_dir: Path) -> Path:
    """Where archived sessions of `sessions_dir` live (it may not exist yet)."""
    return Path(sessions_dir) / ARCHIVE_FOLDER


def archive_session(path: Path) -> Path:
    """Move `path` (and its backup) into the `archive` folder beside it; return the new path.

    Refused while another workshop has the session open, and when a file of that name is
    already archived (nothing is ever overwritten).
    """
    path = Path(path)
    other = holder(path)
    if other is not None:
        raise ArchiveError(f"Cannot archive {path.name}: it is open in another workshop ({other.holder_text()})")
    folder = path.parent / ARCHIVE_FOLDER
    target = folder / path.name
    try:
        folder.mkdir(exist_ok=True)
        _move_new(path, target)
    except FileExistsError:
        raise ArchiveError(f"Cannot archive {path.name}: {target} already exists") from None
    except OSError as error:
        raise ArchiveError(f"Cannot archive {path.name}: {error.strerror or error}") from None
    _move_backup(path, target)
    return target


def restore_session(path: Path) -> Path:
    """Move an archived session back into the sessions folder; return its new path.

    It keeps its name unless a session of that name is there already; then it becomes
    `<name>-restored.toml` (or `-restored-2`...). Nothing is ever overwritten.
    """
    path = Path(path)
    if path.parent.name != ARCHIVE_FOLDER:
        raise ArchiveError(f"Cannot restore {path.name}: it is not in an archive folder")
    other = holder(path)
    if other is not None:
        raise ArchiveError(f"Cannot restore {path.name}: it is open in another workshop ({other.holder_text()})")
    folder = path.parent.parent
    for candidate in restore_names(path.name):
        target = folder / candidate
        try:
            _move_new(path, target)
        except FileExistsError:
            continue
        except OSError as error:
            raise ArchiveError(f"Cannot restore {path.name}: {error.strerror or error}") from None
        _move_backup(path, target)
        return target
    raise ArchiveError(f"Cannot restore {path.name}: {MAX_RESTORE_NAMES} restored copies of it are there already")


def restore_names(name: str) -> list[str]:
    """The names a restored file may take, in order: its own, then marked as restored."""
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    ending = f".{suffix}" if dot else ""
    marked = [f"{stem}{RESTORED_MARK}{ending}"]
    marked += [f"{stem}{RESTORED_MARK}-{number}{ending}" for number in range(2, MAX_RESTORE_NAMES)]
    return [name, *marked]


def _move_new(source: Path, target: Path) -> None:
    """Move `source` to `target`, which must not exist (`FileExistsError` if it does)."""
    try:
        os.link(source, target)
    except FileExistsError:
        raise
    except OSError:
        if not source.exists():
            raise
        # No hard links here: reserve the name, then rename over our own empty placeholder.
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        try:
            os.replace(source, target)
        except OSError:
            os.unlink(target)
            raise
        return
    os.unlink(source)


def _move_backup(path: Path, target: Path) -> None:
    # Best effort: the `.bak` follows the session when its new name is free.
    backup = path.with_name(path.name + BACKUP_SUFFIX)
    if backup.exists():
        try:
            _move_new(backup, target.with_name(target.name + BACKUP_SUFFIX))
        except OSError:
            pass
