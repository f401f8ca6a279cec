"""The user's small settings file (`~/.config/workshop/settings.toml`): the chosen theme.

Read leniently: a missing or damaged settings file only means defaults, never an error
in the facilitator's way; written atomically like every other file.
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path

import tomli_w

from workshop.storage.atomic import write_atomic
from workshop.storage.paths import config_dir
from workshop.storage.tomlsafe import FileProblems, open_regular

DEFAULT_THEME = "textual-dark"
HIGH_CONTRAST_THEME = "workshop-high-contrast"


@dataclass
class Settings:
    theme: str = DEFAULT_THEME
    bell: bool = True


def settings_path() -> Path:
    return config_dir() / "settings.toml"


def load_settings(path: Path | None = None) -> Settings:
    """The saved settings, or defaults for anything missing or unreadable."""
    path = path or settings_path()
    try:
        # Only a regular file: a named pipe there would otherwise hang the start.
        with open_regular(path) as handle:
            data = tomllib.loads(handle.read(64 * 1024).decode("utf-8"))
    except (OSError, ValueError, FileProblems):
        return Settings()
    defaults = Settings()
    theme = data.get("theme")
    bell = data.get("bell")
    return Settings(
        theme=theme if isinstance(theme, str) and 0 < len(theme) <= 64 else defaults.theme,
        bell=bell if isinstance(bell, bool) else defaults.bell,
    )


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write the settings; raises OSError (the caller tells the user and carries on)."""
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, tomli_w.dumps(asdict(settings)).encode("utf-8"), new_mode=0o644, backup=False)
