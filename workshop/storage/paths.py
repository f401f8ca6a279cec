"""Where the app keeps things: sessions, the user's own packs, settings.

Each has a command-line option, an environment variable and a default under the XDG
base directories (so `~/.local/share/workshop/...` on most systems).
"""

from __future__ import annotations

import os
from pathlib import Path

SESSIONS_ENV = "WORKSHOP_SESSIONS_DIR"
CONTENT_ENV = "WORKSHOP_CONTENT_DIR"
CONFIG_ENV = "WORKSHOP_CONFIG_DIR"


def _xdg(variable: str, fallback: str) -> Path:
    value = os.environ.get(variable, "")
    # The XDG spec says relative paths are invalid and must be ignored.
    return Path(value) if value and os.path.isabs(value) else Path.home() / fallback


def data_home() -> Path:
    return _xdg("XDG_DATA_HOME", ".local/share") / "workshop"


def sessions_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """`--sessions-dir`, else $WORKSHOP_SESSIONS_DIR, else ~/.local/share/workshop/sessions."""
    if explicit:
        return Path(explicit).expanduser()
    if os.environ.get(SESSIONS_ENV):
        return Path(os.environ[SESSIONS_ENV]).expanduser()
    return data_home() / "sessions"


def content_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """`--content-dir`, else $WORKSHOP_CONTENT_DIR, else ~/.local/share/workshop/content."""
    if explicit:
        return Path(explicit).expanduser()
    if os.environ.get(CONTENT_ENV):
        return Path(os.environ[CONTENT_ENV]).expanduser()
    return data_home() / "content"


def config_dir() -> Path:
    """$WORKSHOP_CONFIG_DIR, else ~/.config/workshop (settings such as the theme)."""
    if os.environ.get(CONFIG_ENV):
        return Path(os.environ[CONFIG_ENV]).expanduser()
    return _xdg("XDG_CONFIG_HOME", ".config") / "workshop"


def local_zone_name() -> str:
    """The IANA name of this machine's time zone, or UTC when it cannot be told."""
    try:
        target = Path("/etc/localtime").resolve()
        parts = target.parts
        if "zoneinfo" in parts:
            return "/".join(parts[parts.index("zoneinfo") + 1 :]) or "UTC"
    except OSError:
        pass
    return "UTC"
