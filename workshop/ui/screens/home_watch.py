"""The home screen notices a sessions folder changed by someone else (`workshop new` in
another terminal, a synced folder, a second instance) and lists it again by itself.

A folder's modification time moves whenever a file is added, removed or renamed into it
(every save here is a rename), so one `stat` every couple of seconds is enough; the
listing index makes the re-read cheap.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

WATCH_SECONDS = 2.0


class FolderWatch:
    """Calls `changed()` when the folder `folder_of()` names has changed since last looked at."""

    def __init__(self, folder_of: Callable[[], Path], changed: Callable[[], None]):
        self.folder_of = folder_of
        self.changed = changed
        self._seen = self._stamp()

    def _stamp(self) -> tuple[str, int] | None:
        folder = self.folder_of()
        try:
            return str(folder), folder.stat().st_mtime_ns
        except OSError:
            return None

    def mark_seen(self) -> None:
        """The folder has just been read: changes from now on count."""
        self._seen = self._stamp()

    def check(self) -> None:
        stamp = self._stamp()
        if stamp != self._seen:
            self._seen = stamp
            self.changed()
