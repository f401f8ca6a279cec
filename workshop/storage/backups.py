"""The `.bak` beside a session file, as the way back when the file cannot be read.

A one-off save keeps the version it replaces as `<name>.bak` (`workshop.storage.atomic`),
the autosaver the version it found on opening, then one every few minutes
(`workshop.storage.autosave.BackupSchedule`);
when a session file is unreadable, the listing and `workshop open` name a readable
backup and how to restore it.
"""

from __future__ import annotations

from pathlib import Path

from workshop.storage.atomic import BACKUP_SUFFIX
from workshop.storage.tomlsafe import FileProblems


def readable_backup(path: Path) -> Path | None:
    """`<name>.bak` beside `path` when it exists and reads as a session, else None."""
    from workshop.storage.store import load_session

    backup = Path(path).with_name(Path(path).name + BACKUP_SUFFIX)
    try:
        load_session(backup)
    except FileProblems:
        return None
    return backup


def unreadable_message(path: Path, problems: FileProblems) -> str:
    """One line for a session file that cannot be read, naming a readable backup if any."""
    backup = readable_backup(path)
    if backup is None:
        return str(problems.first)
    first = problems.first
    where = "".join(part for part in (f"line {first.line}: " if first.line else "", f"{first.key}: " if first.key else ""))
    return f"Session file {path} is unreadable ({where}{first.reason}); a readable backup is at {backup}: rename it to {path.name} to restore it."
