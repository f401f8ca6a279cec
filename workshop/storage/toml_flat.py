"""The TOML text `tomli_w` writes for a flat table or a plain value, without its generic walk.

A save after one change dumps only the changed element (`workshop.storage.piecewise`),
and `tomli_w` took 100-150 us for one proposal: it decides per value whether a table
could go inline, and escapes every string a character at a time in Python. A flat
element (plain values and lists of them, no tables) needs none of that: its text is
its header and one `key = value` line a value. Strings with nothing to escape (nearly
all) are quoted as they are; the rest are escaped with one regular expression, to the
very characters `tomli_w` writes (a test holds the two equal on random values).

Only what this module is sure of is written here; anything else (a table, a list of
tables, a type `tomli_w` treats specially) answers None and is left to `tomli_w`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

# What `tomli_w` escapes in a basic string: control characters but tab, the quote and
# the backslash (`ILLEGAL_BASIC_STR_CHARS`), with its short escapes for some.
_ESCAPED = re.compile('[\x00-\x08\x0a-\x1f\x7f"\\\\]')
_SHORT = {"\b": "\\b", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+\Z")
_INDENT = "    "


class _NotFlat(Exception):
    """A value this module leaves to `tomli_w`."""


def element_text(key: str, item: Mapping[str, Any]) -> str | None:
    """What `tomli_w.dumps({key: [..., item, ...]}, multiline_strings=True)` writes for
    `item` when it writes the array as tables (`[[key]]` and its lines); None when `item`
    holds a table or anything else not written here."""
    try:
        lines = [f"[[{_key(key)}]]\n"]
        for name, value in item.items():
            lines.append(f"{_key(name)} = {_literal(value, 0)}\n")
    except _NotFlat:
        return None
    return "".join(lines)


def value_line(key: str, value: Any) -> str | None:
    """What `tomli_w.dumps({key: value}, multiline_strings=True)` writes for a plain value
    (`key = value`); None for a table, a list of tables or anything else not written here."""
    try:
        return f"{_key(key)} = {_literal(value, 0)}\n"
    except _NotFlat:
        return None


def _key(name: object) -> str:
    if type(name) is not str:
        raise _NotFlat
    if _BARE_KEY.match(name):
        return name
    return _string(name, multiline=False)


def _literal(value: Any, nest_level: int) -> str:
    kind = type(value)
    if kind is str:
        return _string(value, multiline=True)
    if kind is bool:
        return "true" if value else "false"
    if kind is int or kind is float or kind is date or kind is datetime:
        return str(value)
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        indent = _INDENT * (1 + nest_level)
        items = ",\n".join(indent + _literal(item, nest_level + 1) for item in value)
        return f"[\n{items},\n{_INDENT * nest_level}]"
    raise _NotFlat  # a table, a time of day, a subclass: tomli_w's own rules apply


def _string(text: str, *, multiline: bool) -> str:
    """A basic string as `tomli_w.format_string` writes it."""
    if _ESCAPED.search(text) is None:
        return f'"{text}"'
    if multiline and "\n" in text:
        text = text.replace("\r\n", "\n")
        return '"""\n' + _ESCAPED.sub(_escape_keeping_newlines, text) + '"""'
    return '"' + _ESCAPED.sub(_escape, text) + '"'


def _escape(found: re.Match[str]) -> str:
    char = found.group()
    return _SHORT.get(char) or f"\\u{ord(char):04x}"


def _escape_keeping_newlines(found: re.Match[str]) -> str:
    char = found.group()
    return "\n" if char == "\n" else _escape(found)
