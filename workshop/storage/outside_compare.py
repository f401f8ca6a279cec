"""What differs between a session file and a version of it kept because it was changed
outside the app (`<stem>.outside-YYYYMMDD-HHMMSS.toml`, see `workshop.storage.outside`).

Such a copy holds someone else's work (another facilitator's proposal, a synced
folder's older file): the facilitator needs to see what is in it that the session no
longer has, without reading two TOML files side by side. `outside_differences` says so
in plain lines: each part of the session that differs, and for lists of things with
ids (proposals, notes, participants, rounds) which ones are only in one of the two or
changed, by their text or name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workshop.domain.text import clean_line
from workshop.storage.session_format import session_data

# Changed by every save: saying so would only hide what matters.
_IGNORED = frozenset({"updated_at"})
_LABEL_KEYS = ("text", "name", "title", "question", "id", "activity_id")
_LABEL_CHARACTERS = 60
# What tells the items of a list apart: proposals and rounds have ids, notes are one an activity.
_ITEM_KEYS = ("id", "activity_id")
_MAX_LABELS = 3


def outside_differences(session_path: Path, copy_path: Path) -> list[str]:
    """One line per difference between the session at `session_path` and the kept copy
    at `copy_path` (empty when they hold the same session apart from when it was saved).

    Raises `FileProblems` when either cannot be read.
    """
    from workshop.storage.store import load_session

    here = session_data(load_session(session_path).session)
    there = session_data(load_session(copy_path).session)
    lines = []
    for key in sorted((set(here) | set(there)) - _IGNORED):
        ours, theirs = here.get(key), there.get(key)
        if ours != theirs:
            lines.append(f"{key}: {_difference(ours, theirs)}")
    return lines


def _difference(ours: Any, theirs: Any) -> str:
    key = next((key for key in _ITEM_KEYS if _listed_by(key, ours) and _listed_by(key, theirs)), None)
    if key is not None:
        return _list_difference(key, ours, theirs)
    if isinstance(ours, dict) and isinstance(theirs, dict):
        parts = sorted(key for key in set(ours) | set(theirs) if ours.get(key) != theirs.get(key))
        return "differs in " + ", ".join(parts[:6]) + (", ..." if len(parts) > 6 else "")
    if _scalar(ours) and _scalar(theirs):
        return f"{_shown(ours)} in the session, {_shown(theirs)} in the copy"
    return "differs"


def _list_difference(key: str, ours: list[dict[str, Any]], theirs: list[dict[str, Any]]) -> str:
    mine = {item[key]: item for item in ours}
    other = {item[key]: item for item in theirs}
    parts = []
    for what, ids, source in (
        ("only in the copy", [key for key in other if key not in mine], other),
        ("only in the session", [key for key in mine if key not in other], mine),
        ("changed", [key for key in mine if key in other and mine[key] != other[key]], other),
    ):
        if ids:
            labels = ", ".join(_label(source[key]) for key in ids[:_MAX_LABELS])
            more = f" and {len(ids) - _MAX_LABELS} more" if len(ids) > _MAX_LABELS else ""
            parts.append(f"{len(ids)} {what} ({labels}{more})")
    if not parts:
        return "the same items in another order"
    return "; ".join(parts)


def _listed_by(key: str, value: Any) -> bool:
    return (
        isinstance(value, list)
        and all(isinstance(item, dict) and isinstance(item.get(key), str) for item in value)
        and len({item[key] for item in value}) == len(value)
    )


def _label(item: dict[str, Any]) -> str:
    text = next((item[key] for key in _LABEL_KEYS if isinstance(item.get(key), str) and item[key]), "")
    return _shown(text)


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool)) or hasattr(value, "isoformat")


def _shown(value: Any) -> str:
    if value is None:
        return "none"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    if isinstance(value, str):
        text = clean_line(value)
        return '"' + (text if len(text) <= _LABEL_CHARACTERS else text[: _LABEL_CHARACTERS - 1] + "…") + '"'
    return str(value)
