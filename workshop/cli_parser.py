"""The `workshop` command line's parser: every command, its options and their help.

Kept apart from `workshop.cli` (the commands and `main`) so each stays small; the report
and listing commands register their own parsers (`workshop.cli_reports`, `workshop.cli_listing`).
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import NoReturn

from workshop import __version__
from workshop.cli_base import EXIT_USAGE
from workshop.cli_listing import add_outside_command
from workshop.cli_reports import add_report_commands


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # argparse prints the whole usage block; one line and a pointer to --help reads better.
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see '{self.prog} --help')\n")


def add_dirs(parser: argparse.ArgumentParser, top: bool = False) -> None:
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
    """The parser of `workshop` and its sub-commands."""
    parser = _Parser(
        prog="workshop",
        description="Facilitate a timed resourceful-leadership away-day from the terminal. With no command, opens the home screen.",
    )
    parser.add_argument("--version", action="version", version=f"workshop {__version__}")
    add_dirs(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    content = commands.add_parser(
        "content", help="list the workshop packs available", description=("List the workshop packs available: built in, and in your content folder.")
    )
    content.add_argument("--json", action="store_true", help="print JSON instead of a table")
    add_dirs(content)

    validate = commands.add_parser(
        "validate",
        help="check pack or session files",
        description=("Check pack or session files; print one line per problem (FILE:LINE: key.path: reason). Exit 1 if any has problems."),
    )
    validate.add_argument("files", nargs="+", metavar="FILE", help="a pack or session TOML file")
    add_dirs(validate)

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
    new.add_argument("--date", type=parse_date, default=None, metavar="YYYY-MM-DD", help="the day of the workshop (default: today)")
    new.add_argument(
        "--minutes",
        default=None,
        metavar="TIME",
        help=(
            "time available for the agenda (180, 3h or 2h30): an agenda over it is fitted to it, every activity "
            "shortened in proportion, as f does in the setup form; time to spare is kept"
        ),
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
    add_dirs(new)

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
    add_dirs(opening)

    listing = commands.add_parser(
        "list", help="list sessions, newest first", description=("List saved sessions, newest first. Unreadable files are listed with the reason.")
    )
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    add_dirs(listing)

    add_outside_command(commands, add_dirs)
    add_report_commands(commands, add_dirs)
    return parser


def parse_date(text: str) -> date:
    """`--date`'s value, or argparse's one-line complaint."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date in the form YYYY-MM-DD") from None
