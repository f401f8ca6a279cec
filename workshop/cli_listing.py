"""`workshop list` and `workshop outside`: the sessions folder, and what must not be missed in it.

Besides the sessions (and the files that cannot be read, with the reason), `list` names
the emergency copies written when a session could not be saved, and the versions kept
beside a session after it was changed outside the app; `outside` says what such a
version holds that the session does not. Kept apart from `workshop.cli` (which
registers them) so that module stays small; errors are `WorkshopError`s, reported as
one line by `workshop.cli.main`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Callable

from workshop.domain.errors import WorkshopError


def add_outside_command(commands: Any, add_dirs: Callable[[argparse.ArgumentParser], None]) -> None:
    """Register `outside` on `commands` (argparse sub-parsers)."""
    outside = commands.add_parser(
        "outside",
        help="show what differs from versions kept after an outside change",
        description=(
            "When a session file is changed outside the app while it is open (a synced folder, a text editor), "
            "the app keeps that version beside it as NAME.outside-DATE.toml. This prints, for each such copy, "
            "what differs from the session. SESSION is a path or an id."
        ),
    )
    outside.add_argument("session", metavar="SESSION", help="a session file's path, or its id")
    add_dirs(outside)


def table(headers: list[str], rows: list[list[str]]) -> str:
    """`rows` under `headers` in columns two spaces apart (also `workshop content`'s)."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=False)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=False)).rstrip() for line in [headers, *rows]]
    return "\n".join(lines)


def cmd_list(args: argparse.Namespace) -> int:
    """List the sessions folder (a table, or --json), then what must not be missed; 0 on success."""
    # From listing, not store: a folder of well-formed files is listed without pydantic.
    from workshop.storage import paths
    from workshop.storage.emergency import list_emergency_copies
    from workshop.storage.listing import UnreadableFile, folder_problem, list_sessions

    sessions_dir = paths.sessions_dir(args.sessions_dir)
    problem = folder_problem(sessions_dir)
    if problem is not None:
        raise WorkshopError(problem)
    items = list_sessions(sessions_dir) if sessions_dir.is_dir() else []
    rows: list[dict[str, Any]] = []
    notes: list[str] = [copy.notice() for copy in list_emergency_copies()]
    for item in items:
        if isinstance(item, UnreadableFile):
            rows.append({"path": str(item.path), "error": item.error})
            continue
        rows.append(
            {
                "id": item.id,
                "title": item.title,
                "team": item.team,
                "date": item.date.isoformat(),
                "status": item.status,
                "progress": item.progress,
                "updated_at": item.updated_at.isoformat(),
                "path": str(item.path),
                **({"outside_copies": [str(copy) for copy in item.outside_copies]} if item.outside_copies else {}),
            }
        )
        if item.outside_copies:
            kept = ", ".join(copy.name for copy in item.outside_copies)
            notes.append(
                f"{item.path.name} was changed outside the app; that version is kept beside it as {kept} ('workshop outside {item.id}' shows what differs)"
            )
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        # Said on stderr, so the JSON stays one list a program can read.
        for note in notes:
            print(f"note: {note}", file=sys.stderr)
        return 0
    if not rows:
        print(f"No sessions in {sessions_dir}. Create one with 'workshop new --title ...' or from the home screen.")
    else:
        table_rows = []
        for row in rows:
            if "error" in row:
                name = Path(row["path"]).name
                table_rows.append(["?", "(unreadable)", "", "", "", f"{name}: {row['error'].removeprefix(row['path'] + ': ')}"])
            else:
                mark = " (+ outside copy)" if "outside_copies" in row else ""
                table_rows.append([row["id"], row["title"] + mark, row["date"], row["status"], f"{row['progress']}%", row["team"]])
        print(table(["ID", "TITLE", "DATE", "STATUS", "DONE", "TEAM"], table_rows))
    for note in notes:
        print(f"Note: {note}")
    return 0


def cmd_outside(args: argparse.Namespace) -> int:
    """What differs between a session and each version of it kept when it was changed outside the app."""
    from workshop.storage import paths
    from workshop.storage.finding import find_session
    from workshop.storage.listing import outside_copies
    from workshop.storage.outside_compare import outside_differences
    from workshop.storage.tomlsafe import FileProblems

    sessions_dir = paths.sessions_dir(args.sessions_dir)
    path = find_session(sessions_dir, args.session)
    copies = outside_copies(path)
    if not copies:
        print(f"{path.name} has no version kept from a change outside the app.")
        return 0
    for copy in copies:
        try:
            lines = outside_differences(path, copy)
        except FileProblems as problems:
            raise WorkshopError(str(problems.first)) from None
        print(f"{copy.name} (kept beside {path.name}):")
        for line in lines or ["the same as the session, apart from when it was saved"]:
            print(f"  {line}")
    print(f"Both are in {path.parent}. Copy what you want to keep into the session (open it), then delete the kept copy.")
    return 0
