"""The listing's line at the head of a session file, so a cold listing reads only the head.

The sessions list needs a few header keys (near the top of the file, in the model's field
order) and the share of the agenda done, which depends on the agenda and the progress at
the end of the file. A listing with no index would otherwise read and scan every byte of
every file (`workshop.storage.quick_listing`). So every save writes, as the file's first
line, a TOML comment with what the list needs from the end, the file's own size and the
modification time the save gives the file:

    # listed as: 40% done; 102345 bytes; mtime_ns 1765071234123456789

A comment, so loading never reads it (nothing in the model, the migrations or a round
trip changes) and a person editing the file sees what it is. A listing trusts the line
only when the file has exactly that size and modification time: then it is the file the
app wrote whole (saves are atomic), and the percent is that of the very data below it.
Any edit since (by hand, by another program) changes the time, a file system that keeps
coarser times never matches, and a file written before the line existed has none: those
are read whole, as before. The size is checked too, as a second guard.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

# What a listing reads first: the line and the header keys after it fit well within it
# (the longest header value, a title, is at most a few hundred bytes).
HEAD_BYTES = 4096

_PREFIX = "# listed as: "
_LINE = re.compile(rb"# listed as: (\d{1,3})% done; (\d{1,10}) bytes; mtime_ns (\d{1,25})\n")
# The header keys the list shows, one `key = value` line each as tomli_w writes them.
_HEAD_KEYS = re.compile(r"^(?:schema|id|title|team|date|status|updated_at) = [^\n]*$", re.MULTILINE)
_REQUIRED = ("schema", "id", "title", "date", "status", "updated_at")
_ID = re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}")


def with_listing_line(body: bytes, percent: int, mtime_ns: int) -> bytes:
    """`body` (a session file's TOML bytes) with the listing's line put first; the file
    must then be given the modification time `mtime_ns` (`write_atomic(mtime_ns=)`)."""
    return listing_line(len(body), percent, mtime_ns) + body


def listing_line(body_size: int, percent: int, mtime_ns: int) -> bytes:
    """The listing's line to put first before a body of `body_size` bytes (the size it
    names is the whole file's, the line's own included)."""
    size = body_size
    while True:
        line = f"{_PREFIX}{percent}% done; {size} bytes; mtime_ns {mtime_ns}\n".encode("ascii")
        if len(line) + body_size == size:
            return line
        size = len(line) + body_size  # one more digit at most: the second turn settles it


def percent_of_data(data: Mapping[str, Any]) -> int:
    """`Session.percent_complete` of a session's dumped data (`session_data`): a test holds them equal."""
    planned = [
        activity.get("id")
        for section in data["agenda"].get("sections", ())
        if section.get("included", True)
        for activity in section.get("activities", ())
        if activity.get("included", True)
    ]
    if not planned:
        return 0
    if data.get("status") == "completed":
        return 100
    finished = {record.get("activity_id") for record in data.get("progress", ()) if record.get("state") in ("done", "skipped")}
    return round(100 * sum(1 for activity_id in planned if activity_id in finished) / len(planned))


def written_mtime_ns(data: bytes) -> int | None:
    """The modification time the listing's line of `data` (a file's bytes) asks for, if any."""
    found = _LINE.match(data)
    return None if found is None else int(found.group(3))


def head_summary(head: bytes, size: int, mtime_ns: int, schema: int) -> dict[str, Any] | None:
    """The listing's fields from the first `HEAD_BYTES` of a file of `size` bytes modified
    at `mtime_ns` (the raw header values and `progress`), or None when the head cannot be
    trusted: no listing line, a size or time other than the file's, a schema other than
    `schema`, a header key missing or of the wrong type. The caller then reads the whole file."""
    found = _LINE.match(head)
    if found is None or int(found.group(2)) != size or int(found.group(3)) != mtime_ns:
        return None
    end = head.rfind(b"\n[")  # the header keys come before any table
    cut = head.rfind(b"\n") if end < 0 else end
    try:
        text = head[found.end() : cut].decode("utf-8")
    except UnicodeDecodeError:
        return None
    # The header keys are the first of the file, each on a line of its own: a
    # multi-line string before `status` would make a line's start uncertain.
    before, status, after = text.partition("\nstatus = ")
    if not status or '"""' in before or "'''" in before:
        return None
    lines = _HEAD_KEYS.findall(before + status + after.split("\n", 1)[0])
    fields = _plain_values(lines)
    if fields is None:
        try:
            fields = tomllib.loads("\n".join(lines))
        except tomllib.TOMLDecodeError:
            return None
    if any(key not in fields for key in _REQUIRED) or fields["schema"] != schema or not header_ok(fields):
        return None
    fields.setdefault("team", "")
    fields["progress"] = int(found.group(1))
    return fields


_INTEGER = re.compile(r"-?[0-9]{1,18}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?(?:Z|[+-][0-9]{2}:[0-9]{2})")


def _plain_values(lines: list[str]) -> dict[str, Any] | None:
    """The `key = value` lines read without `tomllib` (which took half of a cold listing's
    time for these few lines) when every value has one of the plain shapes tomli_w writes
    for them: a string without escapes, an integer, a date, a date and time with its
    offset. None when any has another shape (an escape in a title): `tomllib` reads those."""
    fields: dict[str, Any] = {}
    for line in lines:
        key, _, value = line.partition(" = ")
        value = value.rstrip(" \t")
        if len(value) >= 2 and value[0] == value[-1] == '"' and '"' not in value[1:-1] and "\\" not in value:
            fields[key] = value[1:-1]
        elif _INTEGER.fullmatch(value):
            fields[key] = int(value)
        elif _DATE.fullmatch(value):
            try:
                fields[key] = date.fromisoformat(value)
            except ValueError:
                return None
        elif _DATETIME.fullmatch(value):
            try:
                fields[key] = datetime.fromisoformat(value)
            except ValueError:
                return None
        else:
            return None
    return fields if len(fields) == len(lines) else None  # else a key twice: tomllib refuses it


def header_ok(fields: dict[str, Any]) -> bool:
    """Whether the header values read for a listing have the types the model gives them."""
    day, updated = fields.get("date"), fields.get("updated_at")
    return (
        isinstance(fields.get("id"), str)
        and _ID.fullmatch(fields["id"]) is not None
        and isinstance(fields.get("title"), str)
        and isinstance(fields.get("team", ""), str)
        and fields.get("status", "planned") in ("planned", "running", "paused", "completed")
        and isinstance(day, date)
        and not isinstance(day, datetime)
        and isinstance(updated, datetime)
        and updated.tzinfo is not None
    )
