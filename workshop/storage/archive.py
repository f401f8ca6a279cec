"""Archiving a session: moved aside into `archive/` beside it, never deleted."""

from __future__ import annotations

import os
from pathlib import Path

from workshop.domain.errors import WorkshopError
from workshop.storage.atomic import BACKUP_SUFFIX
from workshop.storage.locking import holder

ARCHIVE_FOLDER = "archive"


class ArchiveError(WorkshopError):
    """The session could not be archived; the message says why, in one line."""


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
        if target.exists():
            raise ArchiveError(f"Cannot archive {path.name}: {target} already exists")
        os.replace(path, target)
        backup = path.with_name(path.name + BACKUP_SUFFIX)
        if backup.exists():
            os.replace(backup, target.with_name(target.name + BACKUP_SUFFIX))
    except OSError as error:
        raise ArchiveError(f"Cannot archive {path.name}: {error.strerror or error}") from None
    return target
