"""The rows of the home screen's sessions table: telling files apart, filtering, fitting."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING

from rich.text import Text
from typing_extensions import TypeIs

if TYPE_CHECKING:
    from typing import TypeAlias

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


def matches(item: Item, text: str) -> bool:
    """Whether every word of the filter appears in the row (case-insensitive)."""
    if unreadable(item):
        haystack = f"{item.path.name} unreadable {item.error}"
    else:
        haystack = f"{item.title} {item.team} {item.date.isoformat()} {STATUS_LABELS.get(item.status, item.status)} {item.status}"
    haystack = haystack.lower()
    return all(word in haystack for word in text.lower().split())


def fit(text: str, width: int) -> Text:
    """`text` as plain Text (never markup), cut to `width` with an ellipsis."""
    return Text(text if len(text) <= width else text[: max(1, width - 1)] + "…")


def short_error(item: UnreadableFile) -> str:
    """The reason a file is unreadable, without its path (the row already names it)."""
    error = item.error
    for prefix in (str(item.path), item.path.name):
        if error.startswith(prefix):
            error = error[len(prefix):].lstrip(":")
            break
    line, _, rest = error.partition(":")
    return f"line {line}:{rest}" if line.isdigit() else error.strip()
