"""The `workshop` command line.

Every failure is one line on stderr and a non-zero exit; no traceback reaches the user.
Everything a user can cause is a `WorkshopError` (a refused operation, a file that
cannot be read or saved, a lock held elsewhere, a folder that cannot be used, a
`CommandError` from a command here), caught in one place: `main`.
Heavy imports (Textual, pydantic) happen inside the commands that need them, so
`workshop --help` and `workshop list` stay quick.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from workshop.cli_base import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, CommandError, dirs
from workshop.cli_listing import cmd_list, cmd_outside, table
from workshop.cli_new import new_session_file
from workshop.cli_parser import build_parser
from workshop.cli_reports import cmd_compare, cmd_export
from workshop.domain.errors import WorkshopError

if TYPE_CHECKING:
    from workshop.storage.store import LoadedSession

# The parser, the shared errors and `workshop new` live in modules of their own
# (`cli_parser`, `cli_base`, `cli_new`); these names stay importable from here.
__all__ = ["EXIT_OK", "EXIT_PROBLEMS", "EXIT_USAGE", "CommandError", "build_parser", "main"]


def cmd_content(args: argparse.Namespace) -> int:
    from workshop.storage.packs import discover

    _, content_dir = dirs(args)
    catalogue = discover(content_dir)
    for warning in catalogue.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for problem in catalogue.problems:
        print(f"skipped: {problem}", file=sys.stderr)
    rows: list[dict[str, Any]] = [
        {
            "id": entry.pack.id,
            "title": entry.pack.title,
            "version": entry.pack.version,
            "path": str(entry.path),
            "builtin": entry.builtin,
            "sections": sum(1 for section in entry.pack.sections if section.included),
            "activities": sum(1 for _ in entry.pack.activities()),
            "minutes": entry.pack.minutes,
            "behaviours": [behaviour.name for behaviour in entry.pack.behaviours],
        }
        for entry in catalogue.entries
    ]
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return EXIT_OK
    if not rows:
        print(f"No packs found. Add .toml packs to {content_dir}.")
        return EXIT_OK
    print(
        table(
            ["ID", "TITLE", "SECTIONS", "MINUTES", "WHERE"],
            [[row["id"], row["title"], str(row["sections"]), _hours(row["minutes"]), "built in" if row["builtin"] else row["path"]] for row in rows],
        )
    )
    return EXIT_OK


def _hours(minutes: int) -> str:
    return f"{minutes} ({minutes // 60}h{minutes % 60:02d})" if minutes >= 60 else str(minutes)


def cmd_validate(args: argparse.Namespace) -> int:
    from workshop.storage.validate_file import check_file

    failed = False
    for name in args.files:
        problems = check_file(Path(name))
        for problem in problems:
            print(problem)
        if problems:
            failed = True
        else:
            print(f"{name}: ok", file=sys.stderr)
    return EXIT_PROBLEMS if failed else EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    sessions_dir, content_dir = dirs(args)
    return _opened(args, sessions_dir, content_dir, new_session_file(args, sessions_dir, content_dir))


def _opened(args: argparse.Namespace, sessions_dir: Path, content_dir: Path, path: Path) -> int:
    if args.no_open:
        print(path)
        return EXIT_OK
    return _run_app(sessions_dir, content_dir, open_path=path)


def cmd_open(args: argparse.Namespace) -> int:
    from workshop.storage.store import LockError, find_session, open_session, unreadable_message
    from workshop.storage.tomlsafe import FileProblems

    sessions_dir, content_dir = dirs(args)
    join_at = None
    if args.join is not None:
        from workshop.web.addresses import parse_host_port

        try:
            join_at = parse_host_port(args.join)
        except ValueError as error:
            raise CommandError(f"--join: {error}.") from None
    room_at = None
    if args.room is not None:
        from workshop.web.addresses import parse_host_port

        try:
            room_at = parse_host_port(args.room)
        except ValueError as error:
            raise CommandError(f"--room: {error}.") from None
    path = find_session(sessions_dir, args.session)
    try:
        # Opened here so a bad file is one line on the terminal, not a screen; the app
        # takes it as it is (reading a large session twice cost a second).
        opened = open_session(path)
    except LockError:
        opened = None  # open elsewhere, or not lockable: the app asks or says why
    except FileProblems as problems:
        raise CommandError(unreadable_message(path, problems)) from None
    if join_at is not None and opened is not None and (opened.read_only or opened.session.status == "completed"):
        opened.close()
        raise CommandError(f"--join: {path.name} opens for review only (complete or read-only): phones cannot vote in it.")
    if room_at is not None and opened is not None and (opened.read_only or opened.session.status == "completed"):
        opened.close()
        raise CommandError(f"--room: {path.name} opens for review only (complete or read-only): there is no day to show the room.")
    return _run_app(sessions_dir, content_dir, open_path=path, join_at=join_at, room_at=room_at, opened=opened)


def _run_app(
    sessions_dir: Path,
    content_dir: Path,
    open_path: Path | None = None,
    join_at: tuple[str, int] | None = None,
    opened: LoadedSession | None = None,
    room_at: tuple[str, int] | None = None,
) -> int:
    from workshop.storage.paths import config_dir

    config_dir()  # a bad $WORKSHOP_CONFIG_DIR is one line here, not a crash in the app
    from workshop.ui.app import WorkshopApp

    app = WorkshopApp(sessions_dir=sessions_dir, content_dir=content_dir, open_path=open_path, join_at=join_at, room_at=room_at, opened=opened)
    app.run()
    for note in app.exit_notes:
        try:
            print(note if note.startswith("workshop: ") else f"workshop: {note}", file=sys.stderr)
        except OSError:  # the terminal is gone (SIGHUP): the home screen says it next time
            break
    return app.return_code or EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "content": cmd_content,
    "validate": cmd_validate,
    "new": cmd_new,
    "list": cmd_list,
    "open": cmd_open,
    "export": cmd_export,
    "compare": cmd_compare,
    "outside": cmd_outside,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `workshop` script; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        if args.command is None:
            sessions_dir, content_dir = dirs(args)
            return _run_app(sessions_dir, content_dir)
        return COMMANDS[args.command](args)
    except WorkshopError as error:
        # `reason` is the one-line message (`str()` of FileProblems lists every problem).
        print(f"workshop: {_one_line(error.reason)}", file=sys.stderr)
        return getattr(error, "status", EXIT_PROBLEMS)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


def _one_line(text: str) -> str:
    return " ".join(text.split()) if "\n" in text or "\r" in text else text


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
