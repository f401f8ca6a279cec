"""`workshop new`: a session from a pack (its people, time, start and voting set from the
options, the agenda fitted to the time available), or a follow-up of an earlier one.

Creates the file and returns its path; `workshop.cli` opens it (or prints the path).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from workshop.cli_base import EXIT_USAGE, CommandError


def new_session_file(args: argparse.Namespace, sessions_dir: Path, content_dir: Path) -> Path:
    """Create the session `workshop new`'s options describe; return its file's path."""
    from pydantic import ValidationError

    from workshop.domain.new_session import build_session
    from workshop.storage.packs import DEFAULT_PACK_ID, discover
    from workshop.storage.paths import local_zone_name
    from workshop.storage.store import create_session

    catalogue = discover(content_dir)
    if args.follow_up is not None:
        return _new_follow_up(args, sessions_dir, catalogue)
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
    fitted = _fitted(entry.pack.sections, available)
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
            sections=fitted.sections if fitted is not None else None,
            available_minutes=available,
            start_time=start,
        )
        path = create_session(sessions_dir, session)
    except ValidationError as error:
        # The models' own checks, where no plainer reason was given first.
        first = error.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"]) or "session"
        raise CommandError(f"The session is not valid: {where}: {first['msg']}.") from None
    if fitted is not None:
        print(fitted.describe(), file=sys.stderr)
    if available is not None or start is not None:
        # The same line the setup form shows under the agenda.
        from workshop.domain.schedule_report import plan_against_time

        print(plan_against_time(session.agenda.minutes, available, start), file=sys.stderr)
    return path


def _fitted(sections: Any, available: int | None) -> Any:
    """The pack's agenda fitted to `--minutes` (as the setup form's `f` fits it), or None
    without `--minutes`."""
    if available is None:
        return None
    from workshop.domain.agenda_fit import fit_to_time

    return fit_to_time(sections, available)


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
