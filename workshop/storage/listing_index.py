"""The listing's summaries kept between processes: one hidden JSON file in the sessions folder.

Summarising a thousand typical session files takes seconds even on the quick path; a
`workshop list` or a start of the app that finds the folder unchanged should not pay it
again. `.workshop-index.json` holds, per file name, the file's size, mtime_ns and inode
when it was summarised, and the summary; or, for a file that is not a usable session,
the reason and the version of its `.bak` then (the reason names a readable backup), so
a large hostile file is not parsed again on every listing either. An entry is used only when all four (name,
size, mtime_ns, inode) match the file as it is now: a save replaces the file (a new
inode) and an edit in place changes its mtime, so a changed file is always read again.

The index is a cache and never trusted blindly: a missing, corrupt, foreign or
old-format index, or one entry of the wrong shape, is ignored (and rewritten on the
next listing that can write); a folder we cannot write to is simply listed without
it. It can never make a deleted session appear, as only files found in the folder are
looked up in it. Two processes listing at once each replace it atomically; the last
one wins, and either version is a valid index.
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime
from pathlib import Path
from typing import Any

from workshop.storage.atomic import write_atomic

INDEX_NAME = ".workshop-index.json"
_FORMAT = "workshop-session-index"
# Bumped when the entries' shape or the way summaries are made changes, so an index
# written by another version of the listing is rebuilt rather than misread.
_VERSION = 2
_STATUSES = frozenset({"planned", "running", "paused", "completed"})
# An index bigger than this is not ours (a 10,000-file index is about 3 MB).
_MAX_INDEX_BYTES = 64 << 20

Version = tuple[int, int, int]
"""A file's (size, mtime_ns, inode) when it was summarised."""


def index_path(folder: Path) -> Path:
    """Where the index of `folder` lives."""
    return Path(folder) / INDEX_NAME


def read_index(folder: Path, schema: int) -> dict[str, tuple[Version, dict[str, Any]]]:
    """The usable entries of `folder`'s index, by file name: each the file's version and
    the summary's fields (id, title, team, date, status, progress, updated_at, schema),
    or for an unreadable file `error` (the reason) and `backup` (its `.bak`'s version
    when the reason was found, or None).
    Empty when there is no usable index; entries of the wrong shape are left out.
    `schema` is the current session schema: an index made under another is ignored.
    """
    try:
        with open(index_path(folder), "rb") as handle:
            raw = handle.read(_MAX_INDEX_BYTES + 1)
        if len(raw) > _MAX_INDEX_BYTES:
            return {}
        data = json.loads(raw)
    except (OSError, ValueError, RecursionError):
        return {}
    if (
        not isinstance(data, dict)
        or data.get("format") != _FORMAT
        or data.get("version") != _VERSION
        or data.get("schema") != schema
        or not isinstance(data.get("entries"), dict)
    ):
        return {}
    entries: dict[str, tuple[Version, dict[str, Any]]] = {}
    for name, entry in data["entries"].items():
        parsed = _entry(entry)
        if parsed is not None and isinstance(name, str) and "/" not in name and os.sep not in name:
            entries[name] = parsed
    return entries


def write_index(folder: Path, schema: int, entries: dict[str, tuple[Version, dict[str, Any]]]) -> bool:
    """Replace `folder`'s index with `entries` (as `read_index` gives them); False when
    it could not be written (a read-only folder, a full disk), which is never an error."""
    data = {
        "format": _FORMAT,
        "version": _VERSION,
        "schema": schema,
        "entries": {name: _encoded(version, fields) for name, (version, fields) in sorted(entries.items())},
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    try:
        write_atomic(index_path(folder), text.encode("utf-8"), backup=False)
    except OSError:
        return False
    return True


def _encoded(version: Version, fields: dict[str, Any]) -> dict[str, Any]:
    size, mtime_ns, inode = version
    if "error" in fields:
        backup = fields["backup"]
        return {"size": size, "mtime_ns": mtime_ns, "ino": inode, "error": fields["error"], "bak": list(backup) if backup is not None else None}
    return {
        "size": size,
        "mtime_ns": mtime_ns,
        "ino": inode,
        "id": fields["id"],
        "title": fields["title"],
        "team": fields["team"],
        "date": fields["date"].isoformat(),
        "status": fields["status"],
        "progress": fields["progress"],
        "updated_at": fields["updated_at"].isoformat(),
        "schema": fields["schema"],
    }


def _entry(entry: object) -> tuple[Version, dict[str, Any]] | None:
    """One entry checked field by field; None for anything not exactly as we write it."""
    if not isinstance(entry, dict):
        return None
    if "error" in entry:
        return _unreadable_entry(entry)
    numbers = [entry.get(key) for key in ("size", "mtime_ns", "ino", "progress", "schema")]
    if not all(type(number) is int and number >= 0 for number in numbers):
        return None
    texts = [entry.get(key) for key in ("id", "title", "team", "status", "date", "updated_at")]
    if not all(isinstance(text, str) for text in texts) or entry["status"] not in _STATUSES:
        return None
    if not entry["id"] or not entry["title"] or entry["progress"] > 100:
        return None
    try:
        day = date.fromisoformat(entry["date"])
        updated = datetime.fromisoformat(entry["updated_at"])
    except ValueError:
        return None
    if updated.tzinfo is None:
        return None
    fields = {
        "id": entry["id"],
        "title": entry["title"],
        "team": entry["team"],
        "date": day,
        "status": entry["status"],
        "progress": entry["progress"],
        "updated_at": updated,
        "schema": entry["schema"],
    }
    return (entry["size"], entry["mtime_ns"], entry["ino"]), fields


def _unreadable_entry(entry: dict[str, Any]) -> tuple[Version, dict[str, Any]] | None:
    """An unreadable file's entry: its version, the reason, and its backup's version."""
    numbers = [entry.get(key) for key in ("size", "mtime_ns", "ino")]
    backup = entry.get("bak")
    if backup is not None:
        if not isinstance(backup, list) or len(backup) != 3:
            return None
        numbers += backup
    if not all(type(number) is int and number >= 0 for number in numbers):
        return None
    if not isinstance(entry["error"], str) or not entry["error"]:
        return None
    version = (entry["size"], entry["mtime_ns"], entry["ino"])
    return version, {"error": entry["error"], "backup": tuple(backup) if backup is not None else None}
