"""The report commands' parsers (`export`, `compare`) and the `compare` command.

`workshop compare A B [C ...]`: two or more sessions side by side, and their trend.
`workshop export SESSION --format md|html|csv|json`: one session's report or data. Kept
apart from `workshop.cli` (which registers them) so that module stays small. Errors are `WorkshopError`s, reported as one line by `workshop.cli.main`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Callable

from workshop.domain.errors import WorkshopError

EXPORT_FORMAT_CHOICES = ["md", "html", "csv", "json", "pre-read", "pdf"]
COMPARE_FORMAT_CHOICES = ["md", "json", "html"]


def add_report_commands(commands: Any, add_dirs: Callable[[argparse.ArgumentParser], None]) -> None:
    """Register the `export` and `compare` sub-commands on `commands` (argparse sub-parsers)."""
    export = commands.add_parser(
        "export",
        help="export a session's report, pre-read, priorities or data",
        description=(
            "Export a session: a Markdown report (md), the same report as one page to forward or print on A4 "
            "(html), that page printed to a PDF by a local Chromium (pdf), a pre-read for participants before the "
            "day with the purpose, behaviours, examples and agenda (pre-read, HTML), its priorities as CSV for a "
            "spreadsheet (csv), or the whole session as JSON (json). Written beside the session file (same name, "
            "new extension) unless -o is given; '-o -' prints it. SESSION is a path or an id."
        ),
    )
    export.add_argument("session", metavar="SESSION", help="a session file's path, or its id")
    export.add_argument("--format", choices=EXPORT_FORMAT_CHOICES, default="md", help="what to export (default: md)")
    export.add_argument("-o", "--output", default=None, metavar="FILE", help="where to write ('-' for standard output)")
    add_dirs(export)
    compare = commands.add_parser(
        "compare",
        help="compare two or more sessions",
        description=(
            "Compare sessions: each shared rating question's answers then and now (what stands out), "
            "the earlier priorities and what became of them, planned against actual time. With three or "
            "more sessions of one team, each question's median over time too. Sessions are put in date "
            "order; the latest is compared with the one before it. Prints Markdown unless --format or -o says "
            "otherwise. SESSION is a path or an id."
        ),
    )
    compare.add_argument("sessions", nargs="+", metavar="SESSION", help="a session file's path, or its id (two or more)")
    compare.add_argument("--format", choices=COMPARE_FORMAT_CHOICES, default="md", help="what to write (default: md)")
    compare.add_argument("-o", "--output", default=None, metavar="FILE", help="where to write (default: standard output)")
    add_dirs(compare)


def _load(sessions_dir: Path, reference: str) -> tuple[Path, Any]:
    """The session `reference` names (a path or an id) and its file; one line if it cannot be read."""
    from workshop.storage.finding import SessionNotFound, find_session
    from workshop.storage.store import load_session
    from workshop.storage.tomlsafe import FileProblems

    try:
        path = find_session(sessions_dir, reference)
        return path, load_session(path).session
    except SessionNotFound as error:
        raise WorkshopError(str(error)) from None
    except FileProblems as problems:
        raise WorkshopError(str(problems.first)) from None
    except OSError as error:
        raise WorkshopError(f"Cannot read {reference}: {error.strerror or error}") from None


def _write(text: str, target: Path, protected: list[Path], what: str) -> int:
    """Write `text` to `target`, never over a session file in `protected`; print where."""
    from workshop.storage.export import write_export

    if target.resolve() in protected:
        raise WorkshopError(f"Will not overwrite {what}: {target}")
    try:
        written = write_export(text, target)
    except OSError as error:
        raise WorkshopError(f"Cannot write {target}: {error.strerror or error}") from None
    if written.is_file():
        print(target)  # where it went; a device written through (a terminal, /dev/null) needs no word
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Export one session beside its file (or to -o, '-' for standard output); 0 on success."""
    from workshop.storage import paths
    from workshop.storage.export import export_path, export_session

    path, session = _load(paths.sessions_dir(args.sessions_dir), args.session)
    if args.format == "pdf":
        return _export_pdf(session, path, args.output)
    text = export_session(session, args.format)
    if args.output == "-":
        sys.stdout.write(text)
        return 0
    target = Path(args.output) if args.output else export_path(path, args.format)
    return _write(text, target, [Path(path).resolve()], "the session file itself")


def _export_pdf(session: Any, path: Path, output: str | None) -> int:
    """Print the report to a PDF (beside the session, at -o, or '-o -' to standard output)."""
    import tempfile

    from workshop.storage.export import export_path, export_pdf

    if output == "-":
        with tempfile.TemporaryDirectory(prefix="workshop-pdf-") as folder:
            printed = export_pdf(session, Path(folder) / "report.pdf")
            sys.stdout.flush()
            sys.stdout.buffer.write(printed.read_bytes())
        return 0
    target = Path(output) if output else export_path(path, "pdf")
    if target.resolve() == Path(path).resolve():
        raise WorkshopError(f"Will not overwrite the session file itself: {target}")
    try:
        export_pdf(session, target)
    except OSError as error:
        raise WorkshopError(f"Cannot write {target}: {error.strerror or error}") from None
    print(target)
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    """Load the sessions, compare them, write the report; 0 on success."""
    from workshop.storage import paths
    from workshop.storage.export import export_comparison

    if len(args.sessions) < 2:
        raise WorkshopError("Give at least two sessions to compare.")
    sessions_dir = paths.sessions_dir(args.sessions_dir)
    loaded = []
    files: list[Path] = []
    for reference in args.sessions:
        path, session = _load(sessions_dir, reference)
        loaded.append(session)
        files.append(path.resolve())
    if len({session.id for session in loaded}) < len(loaded):
        raise WorkshopError("The same session is given twice; give different sessions to compare.")
    text = export_comparison(loaded, args.format)
    if args.output in (None, "-"):
        sys.stdout.write(text)
        return 0
    return _write(text, Path(args.output), files, "a session file")
