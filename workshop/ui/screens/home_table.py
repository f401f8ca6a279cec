"""What the home screen shows of the folder: the table's columns and rows, the line above
it (how many sessions, where, or what to do with none) and the line below it (the
highlighted session: its file and the keys that apply). Drawing only: the screen decides
when, and the rows' words come from `home_rows`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import DataTable

from workshop.domain.text import plural
from workshop.ui.screens.home_rows import STATUS_LABELS, fit, saved_ago, short_error, unreadable

if TYPE_CHECKING:
    from workshop.ui.screens.home_rows import Item

COLUMNS = ["Title", "Team", "Date", "Status", "Done", "Saved"]
FIXED_WIDTHS = [10, 11, 4, 11]  # date, status, done, saved
EMPTY_FOLDER = (
    "No sessions yet. Press w to start the built-in workshop today, d to try the short demo first, "
    "or n to plan an away-day in the form: choose a workshop, add the team and tune the agenda "
    "to the time you have.\n"
)


def column_widths(terminal_width: int, cell_padding: int) -> list[int]:
    """Title and team share what the fixed columns leave, so nothing hides at 80 columns.

    From the terminal's width, not the table's: the table may not be laid out yet, and the
    columns must not depend on when this runs. Less the body's padding (2) and one column
    spare for the vertical scroll bar, so no horizontal one appears.
    """
    width = (terminal_width or 80) - 4
    padding = 2 * cell_padding * 6
    free = max(20, width - sum(FIXED_WIDTHS) - padding)
    title = max(12, free * 3 // 5)
    return [title, max(8, free - title), *FIXED_WIDTHS]


def add_columns(table: DataTable[object], widths: list[int]) -> None:
    table.clear(columns=True)
    for name, width in zip(COLUMNS, widths, strict=True):
        table.add_column(name, key=name.lower(), width=width)


def add_rows(table: DataTable[object], visible: list[Item], widths: list[int], marked: list[Path]) -> None:
    """A row per item, keyed by its path; an unreadable file says why in the team's column."""
    title_width, team_width = widths[:2]
    for item in visible:
        if unreadable(item):
            table.add_row(
                fit(item.path.name, title_width),
                fit(short_error(item), team_width),
                "",
                Text("unreadable", style="bold red"),
                "",
                "",
                key=str(item.path),
            )
        else:
            # Text, not str: a title such as "[bold]" must show as typed, not as markup.
            mark = ("● " if item.path in marked else "") + ("⚠ " if item.outside_copies else "")
            table.add_row(
                fit(mark + item.title, title_width),
                fit(item.team, team_width),
                item.date.isoformat(),
                STATUS_LABELS.get(item.status, item.status),
                f"{item.progress}%",
                saved_ago(item.updated_at),
                key=str(item.path),
            )


def intro_text(*, listed: bool, items: list[Item], shown: int, archive: bool, folder: Path) -> str | Text:
    """The line above the table: how many sessions and where, or what to do with none."""
    if not listed:
        # Not read yet: saying "No sessions yet" here would flash before the list.
        return "Loading sessions…"
    if not items and archive:
        return Text(f"No archived sessions in {folder}. Press A to go back to the sessions.")
    if not items:
        return Text(f"{EMPTY_FOLDER}Sessions are saved in {folder}")
    if shown == 0:
        return "No session matches the filter. Press Escape in the filter to clear it."
    bad = sum(1 for item in items if unreadable(item))
    note = f" · {plural(bad, 'unreadable file')}, shown with the reason" if bad else ""
    total = len(items)
    what = "archived session" if archive else "session"
    back = " · u restores · A shows the sessions" if archive else ""
    if shown < total:
        return Text(f"{shown} of {plural(total, what)} match the filter · in {folder}{note}{back}")
    return Text(f"{plural(total, what)} in {folder}, newest first{note}{back}")


def detail_text(item: Item | None, *, archive: bool) -> str | Text:
    """The line below the table: the highlighted session's file and the keys that apply to it."""
    if unreadable(item):
        return Text(f"{item.path.name} cannot be read: {short_error(item)}", style="red")
    if item is not None and archive:
        return Text(f"{item.path.name} · archived: v reviews it, u restores it")
    if item is not None:
        action = {"planned": "Enter starts it, e edits it", "completed": "Enter reviews it"}.get(item.status, "Enter resumes it")
        kept = f" · {plural(len(item.outside_copies), 'outside version')} kept beside it: D shows what differs" if item.outside_copies else ""
        return Text(f"{item.path.name} · {action}{kept}")
    return ""
