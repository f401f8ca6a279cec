"""Building apps and session files for Pilot and snapshot tests."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timezone
from pathlib import Path

from workshop.domain.new_session import build_session
from workshop.domain.timebox import FakeClock
from workshop.storage.packs import builtin_content_dir, load_pack
from workshop.storage.store import create_session
from workshop.ui.app import WorkshopApp

FIXED = datetime(2025, 3, 14, 9, 0, tzinfo=timezone.utc)


def demo_pack():
    return load_pack(builtin_content_dir() / "demo.toml")


def default_pack():
    return load_pack(builtin_content_dir() / "resourceful-child-poverty.toml")


def write_session(folder: Path, title: str = "Spring away-day", *, pack=None, day: date = date(2025, 3, 14), people=None, status: str = "planned", team: str = "Children's services") -> Path:
    """A session file made as `workshop new` would make it, with fixed timestamps."""
    session = build_session(
        pack or demo_pack(),
        title=title,
        team=team,
        facilitator="Sam",
        participants=people if people is not None else [("Amira Khan", "Director"), ("Jo Reed", "Head of early help")],
        day=day,
    )
    # A fixed id (from the title) keeps file names, and so snapshots, the same every run.
    session.id = hashlib.sha1(title.encode("utf-8")).hexdigest()[:8]
    session.created_at = session.updated_at = FIXED
    session.timezone = "UTC"
    session.status = status  # type: ignore[assignment]
    return create_session(folder, session)


def make_app(tmp_path: Path, *, clock: FakeClock | None = None, open_path: Path | None = None) -> WorkshopApp:
    """An app on its own sessions folder, settings file and (optionally) a fake clock."""
    sessions = tmp_path / "sessions"
    sessions.mkdir(exist_ok=True)
    return WorkshopApp(
        sessions_dir=sessions,
        content_dir=tmp_path / "content",
        open_path=open_path,
        settings_file=tmp_path / "settings.toml",
        clock=clock,
    )
