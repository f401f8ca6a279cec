"""Summarising a session file without parsing all of it, for fast listing.

`tomllib` is pure Python and reads a realistic session file (an agenda snapshot full of
text, a room's ballots) at a few MB/s: around 5 ms a file, 5 s for a folder of a
thousand, where the home screen wants about one second. The list needs only a few
header keys and the share of the agenda done, so this module reads just those, relying
on the layout `workshop.storage.store.dump_session` writes (tomli_w): top-level scalars first,
one `key = value` a line, tables as `[header]` lines at the start of a line, multi-line
texts as `\"\"\"` strings.

It is deliberately suspicious: anything it does not recognise (a literal `'''` string,
unbalanced quotes, a line that is not TOML-shaped, a header key of the wrong type, a
section without an id) returns None and the caller falls back to the full, validating
load, which also gives the reason a bad file cannot be used. What it cannot see is a
wrong *value* in a part it skips (a ballot with a negative count, say): such a file is
listed, and refused with every problem named when opened.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from typing import Any

from workshop.storage.listing_head import header_ok

_TRIPLE = '"""'
_ID = re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}")
# Every line of a file we write, once multi-line strings are blanked: blank, a comment,
# a table header, `key = value` with a well-formed scalar value (integers of at most 30
# digits, as tomlsafe allows) or the start of an inline array or table, an indented line
# inside an inline array, or the array's closing bracket. Anything else, including
# valid TOML we never write (comments after values, dotted keys, literal strings),
# sends the file down the full path; being strict here only ever costs time.
# The alternatives start with different characters and are atomic, so a file that does
# not match fails fast instead of backtracking through every line.
# Unrolled (runs of plain characters, then one escape) as the regex engine is much
# faster over runs than over a one-character alternation.
_STRING = r'"[^"\\\n]*+(?:\\.[^"\\\n]*+)*+"'
_DATETIME = r"\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[-+]\d\d:\d\d)?)?|\d\d:\d\d:\d\d(?:\.\d+)?"
_NUMBER = r"[-+]?(?:(?:0|[1-9](?:_?\d){0,29})(?:\.\d++)?(?:[eE][-+]?\d{1,4})?|inf|nan)"
_VALUE = rf"(?>{_STRING}|{_DATETIME}|{_NUMBER}|true|false|\[[^\n]*|\{{[^\n]*\}})"
_KEY = r'(?:[A-Za-z0-9_-]++|"[^"\\\n]*+")'
_LINE = rf"(?>[ \t][^\n]*|\#[^\n]*|\[[^\n]*\][ \t]*|\][ \t]*|{_KEY}[ \t]*+=[ \t]*+{_VALUE}[ \t]*|)"
_SHAPE = re.compile(rf"(?:{_LINE}\n)*+{_LINE}")
_TOP_KEY = re.compile(r'^([A-Za-z0-9_-]+|"[^"\n]*")[ \t]*=', re.MULTILINE)
_TABLE_ROOT = re.compile(r'^\[\[?[ \t]*([A-Za-z0-9_-]+|"[^"\n]*")?', re.MULTILINE)
_HEAD_KEYS = re.compile(r"^(?:schema|id|title|team|date|status|updated_at)[ \t]*=[^\n]*$", re.MULTILINE)
_ID_LINE = re.compile(r'^id = "([a-z0-9][a-z0-9_.-]*)"[ \t]*$', re.MULTILINE)
_INCLUDED_LINE = re.compile(r"^included = (true|false)[ \t]*$", re.MULTILINE)
_ACTIVITY_LINE = re.compile(r'^activity_id = "([a-z0-9][a-z0-9_.-]*)"[ \t]*$', re.MULTILINE)
_STATE_LINE = re.compile(r'^state = "([a-z]+)"[ \t]*$', re.MULTILINE)
_INLINE_ARRAY = r"^{key} = \[\n(?:[ \t][^\n]*\n)*\][ \t]*$"
_INLINE_ACTIVITIES = re.compile(_INLINE_ARRAY.format(key="activities"), re.MULTILINE)
_INLINE_PROGRESS = re.compile(_INLINE_ARRAY.format(key="progress"), re.MULTILINE)


def blank_multiline_strings(text: str) -> str | None:
    """`text` with every `\"\"\"...\"\"\"` string replaced by `""`; None if unbalanced."""
    if "'''" in text:
        return None  # never written by us; leave such files to the real parser
    pieces: list[str] = []
    position = 0
    while True:
        start = text.find(_TRIPLE, position)
        if start < 0:
            pieces.append(text[position:])
            return "".join(pieces)
        end = start + 3
        while True:
            end = text.find(_TRIPLE, end)
            if end < 0:
                return None
            backslashes = 0
            while text[end - 1 - backslashes] == "\\":
                backslashes += 1
            if backslashes % 2 == 0:
                break
            end += 1  # an escaped quote; the delimiter starts after it
        pieces.append(text[position:start])
        pieces.append('""')
        position = end + 3


def split_at_headers(flat: str) -> list[str]:
    r"""`flat` cut at its table headers: [text before the first header, header line, text
    after it, header line, ...] (as `re.split(r"^(\[[^\n]*)", flat, flags=re.MULTILINE)`).

    Once multi-line strings are blanked, only table headers start a line with `[`. Found
    with `str.find`: that regex tried its `^` at every position of the file, a third of
    a cold listing's time."""
    pieces: list[str] = []
    previous = 0
    for start in _header_starts(flat):
        end = flat.find("\n", start)
        end = len(flat) if end < 0 else end
        pieces += (flat[previous:start], flat[start:end])
        previous = end
    pieces.append(flat[previous:])
    return pieces


def _header_starts(flat: str) -> Iterator[int]:
    """Where each line starting with `[` starts."""
    if flat.startswith("["):
        yield 0
    at = flat.find("\n[")
    while at >= 0:
        yield at + 1
        at = flat.find("\n[", at + 1)


def quick_summary(text: str, schema: int, top_level_keys: frozenset[str] = frozenset()) -> dict[str, Any] | None:
    """Header fields and `progress` (0-100) of session TOML `text`, or None when unsure.

    Only files of exactly `schema` are summarised here: older ones need migrating and
    newer ones may differ. With `top_level_keys`, a file with any other top-level key
    or table is left to the full path too. The values are raw (the caller cleans
    display text).
    """
    flat = blank_multiline_strings(text)
    if flat is None or _SHAPE.fullmatch(flat) is None:
        return None
    # [top-level text, header, body, header, body, ...]
    pieces = split_at_headers(flat)
    head, blocks = pieces[0], list(zip(pieces[1::2], pieces[2::2], strict=False))
    if top_level_keys and not _only_known_keys(flat, head, top_level_keys):
        return None
    try:
        fields = tomllib.loads("\n".join(match.group(0) for match in _HEAD_KEYS.finditer(head)))
    except tomllib.TOMLDecodeError:
        return None
    if fields.get("schema") != schema or not header_ok(fields):
        return None
    planned = _planned_activities(blocks)
    finished = _finished_activities(head, blocks)
    if planned is None or finished is None:
        return None
    status = fields.setdefault("status", "planned")
    fields.setdefault("team", "")
    fields["progress"] = _percent(planned, finished, status)
    return fields


def _only_known_keys(flat: str, head: str, known: frozenset[str]) -> bool:
    keys = {key.strip('"') for key in _TOP_KEY.findall(head)}
    # A header whose first key cannot be read gives "" here, which is never known.
    roots = {root.strip('"') for root in _TABLE_ROOT.findall(flat)}
    return keys <= known and roots <= known


_SECTION = "[[agenda.sections]]"
_ACTIVITY = "[[agenda.sections.activities]]"


def _planned_activities(blocks: list[tuple[str, str]]) -> list[str] | None:
    """Ids of the included activities of the included sections, in order."""
    planned: list[str] = []
    section_id: str | None = None
    section_included: bool | None = True
    position = 0
    saw_agenda = False
    for header, body in blocks:
        header = header.rstrip()
        if header == _ACTIVITY:
            if section_id is None:
                return None
            position += 1
            ids = _ID_LINE.findall(body)
            included = _included(body)
            if len(ids) > 1 or included is None:
                return None
            if section_included and included:
                planned.append(ids[0] if ids else f"{section_id}-{position}")
        elif header == _SECTION:
            if section_id is not None and position == 0:
                return None  # a section without activities
            ids = _ID_LINE.findall(body)
            section_included = _included(body)
            if len(ids) != 1 or section_included is None:
                return None
            section_id, position = ids[0], 0
            inline = _INLINE_ACTIVITIES.search(body)
            if inline is not None:
                try:
                    activities = tomllib.loads(inline.group(0))["activities"]
                except (tomllib.TOMLDecodeError, KeyError):
                    return None
                for activity in activities:
                    position += 1
                    if not isinstance(activity, dict):
                        return None
                    if section_included and activity.get("included", True) is True:
                        planned.append(activity.get("id") or f"{section_id}-{position}")
        elif header == "[agenda]":
            saw_agenda = True
        elif header.startswith(("[agenda.sections", "[[agenda.sections")) and not header.startswith(
            ("[agenda.sections.activities.", "[[agenda.sections.activities.")
        ):
            return None  # a layout we do not write (a section's own sub-table)
    if not saw_agenda or section_id is None or position == 0 or not all(isinstance(item, str) for item in planned):
        return None
    return planned


def _included(body: str) -> bool | None:
    values = _INCLUDED_LINE.findall(body)
    if len(values) > 1:
        return None
    return not values or values[0] == "true"


def _finished_activities(head: str, blocks: list[tuple[str, str]]) -> set[str] | None:
    """Ids of activities done or skipped, from `[[progress]]` tables or an inline array."""
    finished: set[str] = set()
    inline = _INLINE_PROGRESS.search(head)
    if inline is not None:
        try:
            records = tomllib.loads(inline.group(0))["progress"]
        except (tomllib.TOMLDecodeError, KeyError):
            return None
        for record in records:
            if not isinstance(record, dict) or not isinstance(record.get("activity_id"), str):
                return None
            if record.get("state") in ("done", "skipped"):
                finished.add(record["activity_id"])
    for header, body in blocks:
        if header.rstrip() != "[[progress]]":
            continue
        if inline is not None:
            return None  # both forms at once: not valid TOML, let the parser say so
        ids, states = _ACTIVITY_LINE.findall(body), _STATE_LINE.findall(body)
        if len(ids) != 1 or len(states) > 1:
            return None
        if states and states[0] in ("done", "skipped"):
            finished.add(ids[0])
    return finished


def _percent(planned: list[str], finished: set[str], status: str) -> int:
    # Mirrors Session.percent_complete exactly (a test holds them together).
    if not planned:
        return 0
    if status == "completed":
        return 100
    return round(100 * sum(1 for activity_id in planned if activity_id in finished) / len(planned))
