"""The rows of the home screen's sessions table: telling files apart, filtering, fitting."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from rich.text import Text
from typing_extensions import TypeIs

from workshop.domain.text import plural

if TYPE_CHECKING:
    from typing import TypeAlias

    from workshop.storage.emergency import EmergencyCopy
    from workshop.storage.store import SessionSummary, UnreadableFile

    # The store (pydantic models) is imported by the worker that reads the folder, not
    # here, so the first frame does not wait for it.
    Item: TypeAlias = SessionSummary | UnreadableFile


def unreadable(item: object) -> TypeIs[UnreadableFile]:
    """An `UnreadableFile` (it carries an error), told apart without importing the store."""
    return item is not None and getattr(item, "error", None) is not None


def readable(item: object) -> TypeIs[SessionSummary]:
    return item is not None and not unreadable(item)


STATUS_LABELS = {
    "planned": "planned",
    "running": "in progress",
    "paused": "in progress",
    "completed": "completed",
}


def saved_ago(moment: datetime, now: datetime | None = None) -> str:
    """`just now`, `5 min ago`, `3 h ago`, else the local date and time."""
    now = now or datetime.now(timezone.utc)
    seconds = (now - moment).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    return moment.astimezone().strftime("%d %b %Y")


# `team:` and `status:` words narrow the filter to one field; a value with spaces is quoted.
_FILTER_WORD = re.compile(r'(team|status):"([^"]*)"?|(team|status):(\S*)|(\S+)', re.IGNORECASE)
# The status filter's cycle (s on the home screen): each value as typed after `status:`.
STATUS_CYCLE = ("planned", "in-progress", "completed")


@dataclass(frozen=True)
class Filter:
    """The filter box read: free words, `team:` words and `status:` words."""

    words: tuple[str, ...] = ()
    team: tuple[str, ...] = ()
    status: tuple[str, ...] = ()


def parse_filter(text: str) -> Filter:
    """Split the filter's text into free words and `team:` / `status:` values (lower case)."""
    words: list[str] = []
    fields: dict[str, list[str]] = {"team": [], "status": []}
    for match in _FILTER_WORD.finditer(text):
        quoted_key, quoted, key, value, word = match.groups()
        if word is not None:
            words.append(word.lower())
        elif (quoted_key or key) and (quoted if quoted_key else value):
            fields[(quoted_key or key).lower()].append(" ".join((quoted if quoted_key else value).lower().split()))
    return Filter(tuple(words), tuple(fields["team"]), tuple(fields["status"]))


def _folded_status(text: str) -> str:
    return text.lower().replace("-", "").replace(" ", "")


def matches(item: Item, text: str) -> bool:
    """Whether the row passes the filter: every free word appears somewhere in it
    (case-insensitive), every `team:` value in its team, every `status:` value in its
    status, spaces and dashes aside (`status:progress` finds sessions in progress)."""
    wanted = parse_filter(text)
    if unreadable(item):
        haystack = f"{item.path.name} unreadable {item.error}"
        team, statuses = "", ["unreadable"]
    else:
        label = STATUS_LABELS.get(item.status, item.status)
        haystack = f"{item.title} {item.team} {item.date.isoformat()} {label} {item.status}"
        team, statuses = " ".join(item.team.lower().split()), [label, item.status]
    haystack = haystack.lower()
    if not all(word in haystack for word in wanted.words):
        return False
    if not all(value in team for value in wanted.team):
        return False
    folded = [_folded_status(status) for status in statuses]
    return all(any(_folded_status(value) in status for status in folded) for value in wanted.status)


def next_status_filter(text: str) -> str:
    """The filter's text with its `status:` word moved on to the next in `STATUS_CYCLE`
    (after the last, none): what the home screen's s key does."""
    current = parse_filter(text).status
    rest = " ".join(match.group(0) for match in _FILTER_WORD.finditer(text) if (match.group(1) or match.group(3) or "").lower() != "status")
    position = STATUS_CYCLE.index(current[-1]) + 1 if current and current[-1] in STATUS_CYCLE else 0
    if position >= len(STATUS_CYCLE):
        return rest
    return f"{rest} status:{STATUS_CYCLE[position]}".strip()


def fit(text: str, width: int) -> Text:
    """`text` as plain Text (never markup), cut to `width` with an ellipsis."""
    return Text(text if len(text) <= width else text[: max(1, width - 1)] + "…")


def short_error(item: UnreadableFile) -> str:
    """The reason a file is unreadable, without its path (the row already names it)."""
    error = item.error
    for prefix in (str(item.path), item.path.name):
        if error.startswith(prefix):
            error = error[len(prefix) :].lstrip(":")
            break
    line, _, rest = error.partition(":")
    return f"line {line}:{rest}" if line.isdigit() else error.strip()


def notice_lines(emergency: list[EmergencyCopy], items: list[Item]) -> list[str]:
    """The home screen's notice: a line for the newest emergency copy (E restores it) and
    one for sessions with a version kept after a change outside the app (D shows it).
    Each starts with its key, as a long title is what gets cut at the edge."""
    lines = []
    if emergency:
        newest = emergency[0]
        what = f"“{newest.title}”" if newest.title else newest.original
        more = f" (and {plural(len(emergency) - 1, 'older one')})" if len(emergency) > 1 else ""
        lines.append(
            f"⚠ E restores the emergency copy of {what}{more}, saved {newest.saved_at.astimezone():%d %b %H:%M} when its file could not be: {newest.path}"
        )
    outside = [item for item in items if readable(item) and item.outside_copies]
    if len(outside) == 1:
        lines.append(f"⚠ D shows what differs: “{outside[0].title}” was changed outside the app; that version is kept")
    elif outside:
        lines.append(f"⚠ D on a ⚠ row shows what differs: {len(outside)} sessions were changed outside the app")
    return lines
