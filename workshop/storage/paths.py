"""Where the app keeps things: sessions, the user's own packs, settings.

Each has a command-line option, an environment variable and a default under the XDG
base directories (so `~/.local/share/workshop/...` on most systems).
"""

from __future__ import annotations

import os
from pathlib import Path

from workshop.domain.errors import WorkshopError

# A session file's suffix and largest size (re-exported by `session_format`): here, so
# listing a folder needs neither pydantic nor the models.
SUFFIX = ".toml"
MAX_SESSION_BYTES = 4 << 20

SESSIONS_ENV = "WORKSHOP_SESSIONS_DIR"
CONTENT_ENV = "WORKSHOP_CONTENT_DIR"
CONFIG_ENV = "WORKSHOP_CONFIG_DIR"


class FolderError(WorkshopError):
    """A folder given on the command line or in the environment cannot be used."""


def expand_folder(text: str | os.PathLike[str], source: str) -> Path:
    """`text` as a path with `~` or `~user` expanded; `FolderError` naming `source` if it cannot be.

    `source` says where the text came from (`--sessions-dir`, `$WORKSHOP_SESSIONS_DIR`).
    """
    path = Path(text)
    try:
        return path.expanduser()
    except RuntimeError:
        # Path.expanduser raises when the user (or the home folder) is unknown.
        head = os.fspath(text).split(os.sep, 1)[0]
        raise FolderError(f"Cannot use {source} '{os.fspath(text)}': there is no home folder for '{head}'.") from None


def _xdg(variable: str, fallback: str) -> Path:
    value = os.environ.get(variable, "")
    # The XDG spec says relative paths are invalid and must be ignored.
    return Path(value) if value and os.path.isabs(value) else Path.home() / fallback


def data_home() -> Path:
    """Where the app keeps its data by default: $XDG_DATA_HOME/workshop."""
    return _xdg("XDG_DATA_HOME", ".local/share") / "workshop"


def sessions_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """`--sessions-dir`, else $WORKSHOP_SESSIONS_DIR, else ~/.local/share/workshop/sessions.

    Raises `FolderError` when a `~user` in it cannot be expanded.
    """
    if explicit:
        return expand_folder(explicit, "--sessions-dir")
    if os.environ.get(SESSIONS_ENV):
        return expand_folder(os.environ[SESSIONS_ENV], f"${SESSIONS_ENV}")
    return data_home() / "sessions"


def content_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """`--content-dir`, else $WORKSHOP_CONTENT_DIR, else ~/.local/share/workshop/content."""
    if explicit:
        return expand_folder(explicit, "--content-dir")
    if os.environ.get(CONTENT_ENV):
        return expand_folder(os.environ[CONTENT_ENV], f"${CONTENT_ENV}")
    return data_home() / "content"


def config_dir() -> Path:
    """$WORKSHOP_CONFIG_DIR, else ~/.config/workshop (settings such as the theme)."""
    if os.environ.get(CONFIG_ENV):
        return expand_folder(os.environ[CONFIG_ENV], f"${CONFIG_ENV}")
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
