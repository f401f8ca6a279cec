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
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, NoReturn, Sequence

from workshop import __version__
from workshop.cli_listing import add_outside_command, cmd_list, cmd_outside, table
from workshop.cli_reports import add_report_commands, cmd_compare, cmd_export
from workshop.domain.errors import WorkshopError

if TYPE_CHECKING:
    from workshop.storage.store import LoadedSession

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class CommandError(WorkshopError):
    """A failure to report as one line, with its exit status."""

    def __init__(self, message: str, status: int = EXIT_PROBLEMS):
        super().__init__(message)
        self.status = status


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # argparse prints the whole usage block; one line and a pointer to --help reads better.
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see '{self.prog} --help')\n")


def _add_dirs(parser: argparse.ArgumentParser, top: bool = False) -> None:
    # On sub-commands the default is SUPPRESS, or argparse would overwrite a value given
    # before the command (`workshop --sessions-dir X list`) with None.
    default = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--sessions-dir",
        default=default,
        metavar="DIR",
        help="folder of session files (default: $WORKSHOP_SESSIONS_DIR or ~/.local/share/workshop/sessions)",
    )
    parser.add_argument(
        "--content-dir",
        default=default,
        metavar="DIR",
        help="folder of your own packs (default: $WORKSHOP_CONTENT_DIR or ~/.local/share/workshop/content)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="workshop",
        description="Facilitate a timed resourceful-leadership away-day from the terminal. With no command, opens the home screen.",
    )
    parser.add_argument("--version", action="version", version=f"workshop {__version__}")
    _add_dirs(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    content = commands.add_parser(
        "content", help="list the workshop packs available", description=("List the workshop packs available: built in, and in your content folder.")
    )
    content.add_argument("--json", action="store_true", help="print JSON instead of a table")
    _add_dirs(content)

    validate = commands.add_parser(
        "validate",
        help="check pack or session files",
        description=("Check pack or session files; print one line per problem (FILE:LINE: key.path: reason). Exit 1 if any has problems."),
    )
    validate.add_argument("files", nargs="+", metavar="FILE", help="a pack or session TOML file")
    _add_dirs(validate)

    new = commands.add_parser(
        "new",
        help="create a session",
        description=(
            "Create a session from a pack and open it (or print its path with --no-open). With --follow-up, "
            "the session follows up an earlier one: its pack, team and participants, opening with a review "
            "of the earlier priorities."
        ),
    )
    new.add_argument("--pack", default=None, metavar="ID", help="pack id (default: resourceful-child-poverty, or the earlier session's)")
    new.add_argument("--title", default=None, metavar="T", help="the session's title (required unless --follow-up)")
    new.add_argument("--follow-up", default=None, metavar="SESSION", help="follow up this earlier session (a path, file name or id)")
    new.add_argument("--team", default="", metavar="T", help="the team taking part")
    new.add_argument("--facilitator", default="", metavar="F", help="who facilitates")
    new.add_argument("--participant", action="append", default=[], metavar="NAME:ROLE", help="a participant (repeatable); the role is optional")
    new.add_argument("--date", type=_parse_date, default=None, metavar="YYYY-MM-DD", help="the day of the workshop (default: today)")
    new.add_argument(
        "--minutes", default=None, metavar="TIME", help=("time available for the agenda (180, 3h or 2h30); the plan is compared with it, as in the setup form")
    )
    new.add_argument("--start", default=None, metavar="HH:MM", help="when the workshop starts (24-hour clock)")
    new.add_argument(
        "--ballot-mode",
        default=None,
        choices=["passed", "named", "anonymous", "hands"],
        help="how dot votes are cast (default: passed, the keyboard passed round)",
    )
    new.add_argument("--dots", default=None, metavar="N", help="dots per person in a vote (default 5)")
    new.add_argument("--cap", default=None, metavar="N", help="most dots one person may put on one proposal (default 2)")
    new.add_argument("--no-open", action="store_true", help="print the new file's path instead of opening the app")
    _add_dirs(new)

    opening = commands.add_parser(
        "open",
        help="open a session on the run screen",
        description=(
            "Open a session straight on the run screen (a completed one opens for review). SESSION is a "
            "path, a file name in the sessions folder, or an id (at least 4 characters of it)."
        ),
    )
    opening.add_argument("session", metavar="SESSION", help="a session file's path, or its id")
    opening.add_argument(
        "--join",
        default=None,
        metavar="HOST:PORT",
        help=(
            "let phones on the room's network vote: serve the join page on this address of the machine "
            "(port 0: a free one), shown as a QR code on the run screen"
        ),
    )
    opening.add_argument(
        "--room",
        nargs="?",
        const="127.0.0.1:0",
        default=None,
        metavar="HOST:PORT",
        help=(
            "serve the room's screen, a page for a browser on the projector (default 127.0.0.1 on a free port: "
            "this computer only, no network needed); its address is shown on the run screen"
        ),
    )
    _add_dirs(opening)

    listing = commands.add_parser(
        "list", help="list sessions, newest first", description=("List saved sessions, newest first. Unreadable files are listed with the reason.")
    )
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    _add_dirs(listing)

    add_outside_command(commands, _add_dirs)
    add_report_commands(commands, _add_dirs)
    return parser


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date in the form YYYY-MM-DD") from None


def _dirs(args: argparse.Namespace) -> tuple[Path, Path]:
    from workshop.storage import paths

    return paths.sessions_dir(args.sessions_dir), paths.content_dir(getattr(args, "content_dir", None))


def cmd_content(args: argparse.Namespace) -> int:
    from workshop.storage.packs import discover

    _, content_dir = _dirs(args)
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
    from pydantic import ValidationError

    from workshop.domain.new_session import build_session
    from workshop.storage.packs import DEFAULT_PACK_ID, discover
    from workshop.storage.paths import local_zone_name
    from workshop.storage.store import create_session

    sessions_dir, content_dir = _dirs(args)
    catalogue = discover(content_dir)
    if args.follow_up is not None:
        path = _new_follow_up(args, sessions_dir, catalogue)
        return _opened(args, sessions_dir, content_dir, path)
    if args.title is None:
        raise CommandError("workshop new: give --title (or --follow-up SESSION)", EXIT_USAGE)
    pack_id = args.pack or DEFAULT_PACK_ID
    entry = catalogue.get(pack_id)
    if entry is None:
        known = ", ".join(e.pack.id for e in catalogue.entries) or "none"
        raise CommandError(f"No pack with id '{pack_id}' (available: {known})")
    participants = []
    for position, text in enumerate(args.participant, start=1):
        name, _, role = text.partition(":")
        _check_participant(position, name, role)
        participants.append((name, role))
    available, start, voting = _plan_options(args)
    try:
        session = build_session(
            entry.pack,
            title=args.title,
            team=args.team,
            facilitator=args.facilitator,
            participants=participants,
            day=args.date or date.today(),
            timezone=local_zone_name(),
            voting=voting,
            available_minutes=available,
            start_time=start,
        )
        path = create_session(sessions_dir, session)
    except ValidationError as error:
        # The models' own checks, where no plainer reason was given first.
        first = error.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"]) or "session"
        raise CommandError(f"The session is not valid: {where}: {first['msg']}.") from None
    if available is not None or start is not None:
        # The same line the setup form shows under the agenda: over time is said, not refused.
        from workshop.domain.schedule_report import plan_against_time

        print(plan_against_time(session.agenda.minutes, available, start), file=sys.stderr)
    return _opened(args, sessions_dir, content_dir, path)


def _plan_options(args: argparse.Namespace) -> tuple[int | None, str | None, Any]:
    """`--minutes`, `--start` and the voting options, read as the setup form reads them."""
    from workshop.domain.errors import Refused
    from workshop.domain.models.session import VotingSettings
    from workshop.domain.new_session import voting_settings
    from workshop.domain.parsing import parse_duration, parse_time_of_day

    try:
        available = parse_duration(args.minutes) if args.minutes is not None else None
        start = parse_time_of_day(args.start) if args.start is not None else None
        defaults = VotingSettings()
        voting = None
        if args.dots is not None or args.cap is not None or args.ballot_mode is not None:
            dots = args.dots if args.dots is not None else str(defaults.dots_per_person)
            # Fewer dots than the usual cap (--dots 1) bring the cap down with them.
            cap = args.cap
            if cap is None:
                cap = str(min(defaults.max_per_item, int(dots))) if dots.strip().isdigit() else str(defaults.max_per_item)
            voting = voting_settings(dots, cap, args.ballot_mode or defaults.mode, defaults.facilitator_votes)
    except Refused as error:
        raise CommandError(f"workshop new: {error}", EXIT_USAGE) from None
    return available, start, voting


def _opened(args: argparse.Namespace, sessions_dir: Path, content_dir: Path, path: Path) -> int:
    if args.no_open:
        print(path)
        return EXIT_OK
    return _run_app(sessions_dir, content_dir, open_path=path)


def _new_follow_up(args: argparse.Namespace, sessions_dir: Path, catalogue: Any) -> Path:
    """`new --follow-up`: the people come from the earlier session (edit them in setup)."""
    from workshop.storage.follow_up import create_follow_up
    from workshop.storage.store import SessionNotFound, find_session

    if args.participant or args.team or args.facilitator:
        raise CommandError(
            "A follow-up takes its team, facilitator and participants from the earlier session; change them in the setup form (e on the home screen).",
            EXIT_USAGE,
        )
    try:
        earlier = find_session(sessions_dir, args.follow_up)
    except SessionNotFound as error:
        raise CommandError(str(error)) from None
    return create_follow_up(sessions_dir, earlier, catalogue, day=args.date or date.today(), title=args.title, pack_id=args.pack)


def _check_participant(position: int, name: str, role: str) -> None:
    """Refuse a participant's name or role over the limit, naming which one."""
    from workshop.domain.models.limits import SHORT_TEXT_CHARACTERS
    from workshop.domain.text import clean_line

    for what, text in (("name", name), ("role", role)):
        if len(clean_line(text)) > SHORT_TEXT_CHARACTERS:
            raise CommandError(f"Participant {position}'s {what} is too long (at most {SHORT_TEXT_CHARACTERS} characters).")


def cmd_open(args: argparse.Namespace) -> int:
    from workshop.storage.store import LockError, find_session, open_session, unreadable_message
    from workshop.storage.tomlsafe import FileProblems

    sessions_dir, content_dir = _dirs(args)
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
            sessions_dir, content_dir = _dirs(args)
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
