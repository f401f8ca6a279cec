"""Starting a follow-up session from a saved one: read it, find its pack, save the new file.

The domain side (what the follow-up holds) is `workshop.domain.follow_up`; this module
only reads the earlier file, picks the agenda and writes the new session beside the others.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from workshop.domain.errors import WorkshopError
from workshop.domain.follow_up import build_follow_up
from workshop.domain.models.session import Session
from workshop.storage.packs import Catalogue
from workshop.storage.paths import local_zone_name
from workshop.storage.store import create_session, load_session
from workshop.storage.tomlsafe import FileProblems


class FollowUpError(WorkshopError):
    """The earlier session could not be read; the message says why, in one line."""


def read_earlier(path: Path) -> Session:
    """The session to follow up, or `FollowUpError` naming the file and the problem."""
    try:
        return load_session(path).session
    except FileProblems as problems:
        raise FollowUpError(f"Cannot follow up {Path(path).name}: {problems.first}") from None
    except OSError as error:
        raise FollowUpError(f"Cannot read {Path(path).name}: {error.strerror or error}") from None


def plan_follow_up(earlier: Session, catalogue: Catalogue, *, day: date, title: str | None = None, pack_id: str | None = None) -> Session:
    """The follow-up of `earlier`, not saved: the agenda of its pack as it is now (or of
    `pack_id`), else the agenda the earlier session ran when that pack is gone."""
    wanted = pack_id or earlier.agenda.pack_id
    entry = catalogue.get(wanted)
    if entry is None and pack_id is not None:
        known = ", ".join(e.pack.id for e in catalogue.entries) or "none"
        raise FollowUpError(f"No pack with id '{pack_id}' (available: {known})")
    agenda = entry.pack.snapshot() if entry is not None else None
    return build_follow_up(earlier, day=day, agenda=agenda, title=title, timezone=local_zone_name())


def create_follow_up(folder: Path, earlier_path: Path, catalogue: Catalogue, *, day: date, title: str | None = None, pack_id: str | None = None) -> Path:
    """Read `earlier_path`, plan its follow-up and save it in `folder`; return the new path."""
    earlier = read_earlier(earlier_path)
    return create_session(folder, plan_follow_up(earlier, catalogue, day=day, title=title, pack_id=pack_id))
