"""What every command of the `workshop` command line shares: exit statuses, the one-line
error, and the folders it works in. Kept apart so the commands' modules need not import
`workshop.cli` (which imports them)."""

from __future__ import annotations

import argparse
from pathlib import Path

from workshop.domain.errors import WorkshopError

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class CommandError(WorkshopError):
    """A failure to report as one line, with its exit status."""

    def __init__(self, message: str, status: int = EXIT_PROBLEMS):
        super().__init__(message)
        self.status = status


def dirs(args: argparse.Namespace) -> tuple[Path, Path]:
    """The sessions folder and the content folder the options (or their defaults) name."""
    from workshop.storage import paths

    return paths.sessions_dir(args.sessions_dir), paths.content_dir(getattr(args, "content_dir", None))
