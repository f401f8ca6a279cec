"""The report commands' parsers (`export`, `compare`) and the `compare` command.

`workshop compare A B [C ...]`: two or more sessions side by side, and their trend.
Kept apart from `workshop.cli` (which registers them and runs `export`) so that module
stays small. Errors are `WorkshopError`s, reported as one line by `workshop.cli.main`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Callable

from workshop.domain.errors import WorkshopError

EXPORT_FORMAT_CHOICES = ["md", "html", "csv", "json"]
COMPARE_FORMAT_CHOICES = ["md", "json", "html"]


def add_report_commands(commands: Any, add_dirs: Callable[[argparse.ArgumentParser], None]) -> None:
    """Register the `export` and `compare` sub-commands on `commands` (argparse sub-parsers)."""
    export = commands.add_parser("export", help="export a session as Markdown, HTML, CSV or JSON", description=(
        "Export a session: a Markdown report (md), the same report as one page to forward or print on A4 "
        "(html), its priorities as CSV (csv), or the whole session as JSON (json). Written beside the session "
        "file (same name, new extension) unless -o is given; '-o -' prints it. SESSION is a path or an id."
    ))
    export.add_argument("session", metavar="SESSION", help="a session file's path, or its id")
    export.add_argument("--format", choices=EXPORT_FORMAT_CHOICES, default="md", help="what to export (default: md)")
    export.add_argument("-o", "--output", default=None, metavar="FILE", help="where to write ('-' for standard output)")
    add_dirs(export)
    compare = commands.add_parser("compare", help="compare two or more sessions", description=(
        "Compare sessions: each shared rating question's answers then and now (what stands out), "
        "the earlier priorities and what became of them, planned against actual time. With three or "
        "more sessions of one team, each question's median over time too. Sessions are put in date "
        "order; the latest is compared with the one before it. Prints Markdown unless --format or -o says "
        "otherwise. SESSION is a path or an id."
    ))
    compare.add_argument("sessions", nargs="+", metavar="SESSION", help="a session file's path, or its id (two or more)")
    compare.add_argument("--format", choices=COMPARE_FORMAT_CHOICES, default="md", help="what to write (default: md)")
    compare.add_argument("-o", "--output", default=None, metavar="FILE", help="where to write (default: standard output)")
    add_dirs(compare)


def cmd_compare(args: argparse.Namespace) -> int:
    """Load the sessions, compare them, write the report; 0 on success."""
    from workshop.storage import paths
    from workshop.storage.export import export_comparison, write_export
    from workshop.storage.listing import SessionNotFound, find_session
    from workshop.storage.store import load_session
    from workshop.storage.tomlsafe import FileProblems

    if len(args.sessions) < 2:
        raise WorkshopError("Give at least two sessions to compare.")
    sessions_dir = paths.sessions_dir(args.sessions_dir)
    loaded = []
    files: list[Path] = []
    for reference in args.sessions:
        try:
            path = find_session(sessions_dir, reference)
            loaded.append(load_session(path).session)
        except SessionNotFound as error:
            raise WorkshopError(str(error)) from None
        except FileProblems as problems:
            raise WorkshopError(str(problems.first)) from None
        except OSError as error:
            raise WorkshopError(f"Cannot read {reference}: {error.strerror or error}") from None
        files.append(path.resolve())
    if len({session.id for session in loaded}) < len(loaded):
        raise WorkshopError("The same session is given twice; give different sessions to compare.")
    text = export_comparison(loaded, args.format)
    if args.output in (None, "-"):
        sys.stdout.write(text)
        return 0
    target = Path(args.output)
    if target.resolve() in files:
        raise WorkshopError(f"Will not overwrite a session file: {target}")
    try:
        write_export(text, target)
    except OSError as error:
        raise WorkshopError(f"Cannot write {target}: {error.strerror or error}") from None
    print(target)
    return 0
