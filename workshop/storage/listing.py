"""Listing session files: the home screen's list (finding one by a reference, for
`workshop open/export SESSION`: `workshop.storage.finding`, re-exported here).

Reads only; loading and saving are in `workshop.storage.store`, which re-exports these
names for callers that import them from there (so this module imports the store's
`load_session` where it is used, not at the top).
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, replace
from datetime import date as date_type
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from workshop.domain.text import clean_line
from workshop.storage import migrate
from workshop.storage.atomic import BACKUP_SUFFIX
from workshop.storage.backups import readable_backup
from workshop.storage.listing_head import HEAD_BYTES, head_summary
from workshop.storage.listing_index import Version, read_index, write_index
from workshop.storage.outside import OUTSIDE_MARK, is_outside_copy
from workshop.storage.paths import MAX_SESSION_BYTES, SUFFIX
from workshop.storage.tomlsafe import FileProblems, open_regular

# The session model's top-level keys (`Session.model_fields` by alias; a test holds them
# equal), spelled out so listing never imports pydantic and the models: importing them
# took longer than listing a hundred files.
_TOP_LEVEL_KEYS = frozenset(
    {
        "agenda",
        "available_minutes",
        "closing",
        "consents",
        "created_at",
        "current_activity",
        "date",
        "earlier_priorities",
        "facilitator",
        "follow_up_of",
        "id",
        "notes",
        "parking_lot",
        "participants",
        "progress",
        "proposals",
        "rating_rounds",
        "schema",
        "start_time",
        "status",
        "team",
        "timezone",
        "title",
        "updated_at",
        "vote_rounds",
        "voting",
    }
)


# A session id as the models accept it (a test holds it to `quick_listing`'s and the models').
_ID = re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}")


# -- listing --------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionSummary:
    """What the home screen shows of a session, without loading all of it."""

    id: str
    title: str
    team: str
    date: date_type
    status: str
    progress: int
    updated_at: datetime
    path: Path
    schema: int = 1
    # Versions of this session changed outside the app and kept beside it (see
    # `workshop.storage.outside`), oldest first: shown with the session so they are not lost.
    outside_copies: tuple[Path, ...] = ()

    @property
    def read_only(self) -> bool:
        """Written by a newer workshop, so it can be reviewed but not changed here."""
        return self.schema > migrate.current_version()


@dataclass(frozen=True)
class UnreadableFile:
    """A `*.toml` file in the sessions folder that is not a usable session."""

    path: Path
    error: str


def list_sessions(folder: Path) -> list[SessionSummary | UnreadableFile]:
    """Every session in `folder`, newest first (by `updated_at`, then date), then the
    unreadable files by name. Only `*.toml` files not starting with `.` are considered,
    so backups, temp and lock files never appear; nor do the dated copies that keep a
    version changed outside the app (`*.outside-YYYYMMDD-HHMMSS.toml`): those are named
    on their session's summary (`SessionSummary.outside_copies`). A bad entry never
    stops the rest: one that cannot even be looked at (a symlink loop, a permission
    refused) is listed as unreadable with the reason.

    For speed, a file laid out as this workshop writes it is summarised by reading only
    the keys the summary needs (`workshop.storage.quick_listing`), without validating the whole
    session; anything unusual (or an older or newer schema) takes the full
    `load_session`, whose first problem is what an unreadable file reports. So a file
    with a wrong value somewhere the summary does not look can be listed, and is then
    refused when opened, with every problem named. Both verdicts, summary or reason,
    are kept in the folder's index (`workshop.storage.listing_index`) by the file's
    size, mtime and inode, so an unchanged hostile file is not parsed again.
    """
    folder = Path(folder)
    summaries: list[SessionSummary] = []
    unreadable: list[UnreadableFile] = []
    files, copies = _session_files(folder)
    schema = migrate.current_version()
    index: dict[str, tuple[Version, dict[str, Any]]] | None = None  # read only when needed
    kept: dict[str, tuple[Version, dict[str, Any]]] = {}
    for path, version in files:
        cached = _summaries.get(path)
        if cached is not None and (cached[0] != version or version[0] < 0 or not _backup_unchanged(cached, path)):
            cached = None
        if cached is None:
            if index is None:
                index = read_index(folder, schema)
                _on_disk[folder] = {name: entry[0] for name, entry in index.items()}
            cached = _from_index(index.get(path.name), version, path)
        if cached is None:
            # Stamped before reading: a backup changed meanwhile only costs a read next time.
            item = summarise(path)
            # A backup's version matters only to an unreadable file (its reason names a
            # readable backup); a readable one's is never looked at (as from the index).
            cached = (version, item, _backup_version(path) if isinstance(item, UnreadableFile) else None)
        _summaries[path] = cached
        item = cached[1]
        if isinstance(item, UnreadableFile):
            unreadable.append(item)
        else:
            outside = copies.get(path.name.removesuffix(SUFFIX))
            summaries.append(replace(item, outside_copies=tuple(sorted(outside))) if outside else item)
        if version[0] >= 0:
            kept[path.name] = (version, _fields(item, cached[2]))
    listed = {path for path, _ in files}
    for gone in [path for path in _summaries if path.parent == folder and path not in listed]:
        _summaries.pop(gone, None)
    _keep_index(folder, schema, kept)
    summaries.sort(key=lambda item: (item.updated_at, item.date, item.path.name), reverse=True)
    unreadable.sort(key=lambda item: item.path.name)
    return [*summaries, *unreadable]


def outside_copies(path: Path) -> list[Path]:
    """The versions of session `path` kept beside it after a change outside the app, oldest first."""
    path = Path(path)
    stem = path.name.removesuffix(SUFFIX)
    _, copies = _session_files(path.parent)
    return sorted(copies.get(stem, []))


def folder_problem(folder: Path) -> str | None:
    """Why `folder` cannot be listed as a sessions folder (one line), or None when it can
    (a folder that does not exist yet can: it holds no sessions)."""
    folder = Path(folder)
    try:
        with os.scandir(folder):
            return None
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        return f"{folder} is not a folder"
    except OSError as error:
        return f"Cannot read the sessions folder {folder}: {error.strerror or error}"


def summarise(path: Path) -> SessionSummary | UnreadableFile:
    """The summary of one session file, or why it cannot be used."""
    summary = _quick_summary(path)
    if summary is not None:
        return summary
    from workshop.storage.store import load_session  # here: the quick path needs no pydantic

    try:
        loaded = load_session(path)
    except FileProblems as problems:
        backup = readable_backup(path)
        hint = f"; a readable backup is at {backup.name}: rename it to {path.name} to restore it" if backup else ""
        return UnreadableFile(path, str(problems.first) + hint)
    session = loaded.session
    return SessionSummary(
        session.id, session.title, session.team, session.date, session.status, session.percent_complete, session.updated_at, path, session.schema_
    )


# Verdicts already made, by path, with the file's version (size, mtime, inode) then: the
# home screen lists the folder again after every visit to a session, and re-reading a
# thousand unchanged files took seconds. A save replaces the file (a new inode), and
# an edit in place changes its mtime, so a changed file is always read again. An
# unreadable file's reason names its readable backup, if any, so its verdict also
# holds the backup's version then (None: no backup) and is made again when that changes.
_Cached = tuple[Version, SessionSummary | UnreadableFile, Version | None]
_summaries: dict[Path, _Cached] = {}


# What each folder's index on disk holds, as far as this process knows (from its last
# read or write), by file name: a listing that changes nothing writes nothing.
_on_disk: dict[Path, dict[str, Version]] = {}


def _from_index(entry: tuple[Version, dict[str, Any]] | None, version: Version, path: Path) -> _Cached | None:
    """The index's verdict on `path` when it was made from the file exactly as it is now
    (and, for an unreadable file, from its backup as it is now)."""
    if entry is None or entry[0] != version:
        return None
    fields = entry[1]
    if "error" in fields:
        backup = _backup_version(path)
        # Cleaned again: the index is a file anyone can write, and its text reaches the screen.
        error = clean_line(fields["error"].replace(_HERE, str(path)))[:_MAX_ERROR]
        if fields["backup"] != backup or not error:
            return None
        return version, UnreadableFile(path, error), backup
    # Cleaned again, as above.
    title, team = clean_line(fields["title"])[:200], clean_line(fields["team"])[:200]
    if not title or _ID.fullmatch(fields["id"]) is None:
        return None
    return (
        version,
        SessionSummary(
            fields["id"],
            title,
            team,
            fields["date"],
            fields["status"],
            fields["progress"],
            fields["updated_at"].astimezone(timezone.utc),
            path,
            fields["schema"],
        ),
        None,
    )


# Stands for the file's path in a reason kept in the index.
_HERE = "\x00"
# The longest reason kept for an unreadable file (ours are one line of a few hundred characters).
_MAX_ERROR = 2000


def _fields(item: SessionSummary | UnreadableFile, backup: Version | None) -> dict[str, Any]:
    if isinstance(item, UnreadableFile):
        # Kept without the folder's path: a folder moved or renamed keeps its index.
        return {"error": item.error.replace(str(item.path), _HERE), "backup": backup}
    return {
        "id": item.id,
        "title": item.title,
        "team": item.team,
        "date": item.date,
        "status": item.status,
        "progress": item.progress,
        "updated_at": item.updated_at,
        "schema": item.schema,
    }


def _backup_version(path: Path) -> Version | None:
    """The (size, mtime_ns, inode) of `<name>.bak` beside `path`, or None when there is none."""
    try:
        info = os.stat(path.with_name(path.name + BACKUP_SUFFIX))
    except (OSError, ValueError):
        return None
    return info.st_size, info.st_mtime_ns, info.st_ino


def _backup_unchanged(cached: _Cached, path: Path) -> bool:
    return not isinstance(cached[1], UnreadableFile) or cached[2] == _backup_version(path)


def _keep_index(folder: Path, schema: int, kept: dict[str, tuple[Version, dict[str, Any]]]) -> None:
    """Rewrite `folder`'s index when what it should hold differs from what it holds."""
    wanted = {name: version for name, (version, _) in kept.items()}
    if _on_disk.get(folder) == wanted:
        return
    if folder not in _on_disk:
        on_disk = read_index(folder, schema)
        _on_disk[folder] = {name: version for name, (version, _) in on_disk.items()}
        if _on_disk[folder] == wanted:
            return
    # Remembered even when the write fails, so a read-only folder is not tried on every listing.
    write_index(folder, schema, kept)
    _on_disk[folder] = wanted


def _session_files(folder: Path) -> tuple[list[tuple[Path, Version]], dict[str, list[Path]]]:
    """The session files in `folder` with their versions, and the outside copies (see
    `workshop.storage.outside`) by the stem of the session file they were kept from.

    An entry that cannot be looked at (a symlink loop, a name the system refuses) is
    kept with version (-1, -1, -1): `summarise` then says why it cannot be read. Only
    entries that are not regular files (folders, pipes, dangling links) are left out.
    """
    try:
        with os.scandir(folder) as entries:
            chosen = [entry for entry in entries if entry.name.endswith(SUFFIX) and not entry.name.startswith(".")]
    except OSError:
        return [], {}
    found: list[tuple[Path, Version]] = []
    copies: dict[str, list[Path]] = {}
    for entry in chosen:
        try:
            if not entry.is_file():
                continue
            info = entry.stat()
            version = (info.st_size, info.st_mtime_ns, info.st_ino)
        except OSError:
            version = (-1, -1, -1)  # gone since, or cannot be looked at: summarise says which
        if is_outside_copy(entry.name):
            if version[0] >= 0:
                copies.setdefault(entry.name.rpartition(OUTSIDE_MARK)[0], []).append(Path(entry.path))
            continue
        found.append((Path(entry.path), version))
    return found, copies


def _head_fields(path: Path) -> dict[str, Any] | None:
    """The listing's fields from the head of `path` (`listing_head.head_summary`), or None.

    Plain descriptor calls, as `open_regular` does them (never blocking on a named pipe,
    only a regular file read) without its buffered file object: this is most of a cold
    listing's time per file. Any doubt gives None, and the caller reads the whole file."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except (OSError, ValueError):
        return None
    try:
        found = os.fstat(fd)
        if not stat.S_ISREG(found.st_mode):
            return None
        head = os.read(fd, HEAD_BYTES)
    except OSError:
        return None
    finally:
        os.close(fd)
    try:
        return head_summary(head, found.st_size, found.st_mtime_ns, migrate.current_version())
    except (ValueError, RecursionError):
        return None


def _quick_summary(path: Path) -> SessionSummary | None:
    """The summary read cheaply (see `workshop.storage.quick_listing`), or None to take the full path."""
    # Here, not at the top: with the folder's index up to date, no file is read this way,
    # and compiling its patterns is a good part of the home screen's wait for its list.
    from workshop.storage.quick_listing import quick_summary

    # The head alone when the file's first line vouches for it (see
    # `workshop.storage.listing_head`): a cold listing then reads a few KB a file.
    fields = _head_fields(path)
    try:
        if fields is None:
            with open_regular(path) as handle:
                raw = handle.read(MAX_SESSION_BYTES + 1)
            if len(raw) > MAX_SESSION_BYTES:
                return None
            fields = quick_summary(raw.decode("utf-8"), migrate.current_version(), _TOP_LEVEL_KEYS)
    except (OSError, ValueError, RecursionError, FileProblems):
        return None
    if fields is None:
        return None
    title, team = clean_line(fields["title"])[:200], clean_line(fields["team"])[:200]
    if not title:
        return None
    return SessionSummary(
        fields["id"], title, team, fields["date"], fields["status"], fields["progress"], fields["updated_at"].astimezone(timezone.utc), path, fields["schema"]
    )
