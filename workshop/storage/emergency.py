"""Emergency copies: where a session goes when its own file cannot be saved at the end.

When the last save of an open session fails (a full disk, a folder gone read-only, a
network share dropped) and the app is closing, the room's work must not vanish with
the process. `write_emergency_copy` writes it, atomically, to the first place of these
that takes it:

1. the user's state folder: `$XDG_STATE_HOME/workshop/emergency`
   (`~/.local/state/workshop/emergency` by default);
2. the cache folder: `$XDG_CACHE_HOME/workshop/emergency` (`~/.cache/workshop/emergency`);
3. the temp folder: `<tempdir>/workshop-emergency-<uid>`, made private to the user.

A copy is named `<session file's stem>.emergency-YYYYMMDD-HHMMSS.toml` (local time) and is
an ordinary session file, so it opens, exports and validates like any other.
`list_emergency_copies` finds them again, newest first, for the next start of the app
(the home screen's notice, `workshop list`).

Plain Python: no Textual, no pydantic until a `Session` has to be written.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workshop.domain.errors import WorkshopError
from workshop.storage.atomic import DirectorySyncError, write_atomic
from workshop.storage.paths import SUFFIX

if TYPE_CHECKING:
    from workshop.domain.models.session import Session

EMERGENCY_MARK = ".emergency-"
_NAME = re.compile(r"^(?P<stem>.+)" + re.escape(EMERGENCY_MARK) + r"\d{8}-\d{6}(?:-\d+)?" + re.escape(SUFFIX) + "$")
_MAX_COPIES_A_SECOND = 99
# Copies are private: they hold the room's names and views.
_MODE = 0o600


class EmergencyCopyError(WorkshopError):
    """No place would take the emergency copy; the message names each place tried and why."""


@dataclass(frozen=True)
class EmergencyCopy:
    """An emergency copy found on disk."""

    path: Path
    # The name of the session file it stands in for (`<stem>.toml`), as it was then.
    original: str
    saved_at: datetime
    # The session's title, when the copy can be read (else empty).
    title: str = ""

    def notice(self) -> str:
        """One line saying what it is and how to open it (for the home screen, `workshop list`)."""
        when = self.saved_at.astimezone().strftime("%d %b %Y %H:%M")
        what = f'"{self.title}" ({self.original})' if self.title else self.original
        return (
            f"Emergency copy of {what} saved {when} when its file could not be: {self.path} "
            f"(E on the home screen puts it back; 'workshop open {self.path}' opens it where it is)"
        )


def emergency_folders() -> list[Path]:
    """Where emergency copies go, in the order tried (see the module docstring)."""
    return [
        _xdg("XDG_STATE_HOME", ".local/state") / "workshop" / "emergency",
        _xdg("XDG_CACHE_HOME", ".cache") / "workshop" / "emergency",
        Path(tempfile.gettempdir()) / f"workshop-emergency-{_uid()}",
    ]


def write_emergency_copy(session: Session | dict[str, Any], session_path: Path | str) -> Path:
    """Write the session to the first emergency folder that takes it; return the copy's path.

    How to call it: from the open session's `close()`, when the final save did not
    happen (the autosaver's `close()` returned False although saving was wanted), with
    the session as it is in memory and its own file, then say so in one line:

        saved = self.saver.close(timeout, save=save)
        if save and not saved:
            try:
                copy = write_emergency_copy(self.loaded.session, self.loaded.path)
            except EmergencyCopyError as error:
                print(f"workshop: {error.reason}", file=sys.stderr)
            else:
                print(f"workshop: {self.loaded.path.name} could not be saved; the session was kept at {copy}",
                      file=sys.stderr)

    `session` is either the `Session` itself (call on the thread that changes it, or
    once nothing changes it any more: it is serialised as it is at that moment) or its
    data as the autosaver holds it (`Session.model_dump(mode="python", by_alias=True,
    exclude_none=True)`, as given to `save_data`). It is neither changed nor
    re-validated, and `updated_at` is left as it is. `session_path` is the session's
    own file: its stem names the copy, so the next start can say which session the copy
    stands in for and `restore_emergency_copy` can put it back. Never replaces a file,
    never touches `session_path`. Thread-safe (each copy gets a new name).

    Raises `EmergencyCopyError` (a `WorkshopError`, one line naming every place tried
    and why) when no folder takes it; nothing is left behind then.
    """
    data = _bytes(session)
    stem = Path(session_path).name.removesuffix(SUFFIX) or "session"
    reasons: list[str] = []
    for folder in emergency_folders():
        try:
            _make_folder(folder)
            return _write_new(folder, stem, data)
        except OSError as error:
            reasons.append(f"{folder}: {error.strerror or error}")
    raise EmergencyCopyError("No emergency copy could be written (" + "; ".join(reasons) + ")")


def list_emergency_copies() -> list[EmergencyCopy]:
    """The emergency copies in every emergency folder, newest first, with their titles; never raises."""
    from workshop.storage.listing import SessionSummary, summarise

    found: list[EmergencyCopy] = []
    for folder in emergency_folders():
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    match = _NAME.match(entry.name)
                    if match is None or not entry.is_file(follow_symlinks=False):
                        continue
                    saved = datetime.fromtimestamp(entry.stat(follow_symlinks=False).st_mtime, timezone.utc)
                    summary = summarise(Path(entry.path))
                    title = summary.title if isinstance(summary, SessionSummary) else ""
                    found.append(EmergencyCopy(Path(entry.path), match.group("stem") + SUFFIX, saved, title))
        except OSError:
            continue
    found.sort(key=lambda copy: (copy.saved_at, copy.path.name), reverse=True)
    return found


def restore_emergency_copy(copy: Path, folder: Path) -> Path:
    """Put emergency copy `copy` back as its session's file in `folder`; return that file.

    The file is the one the copy stands in for (`EmergencyCopy.original`), in `folder`:
    created when missing; replaced when it holds the same session, saved no later than
    the copy (its version kept as `<name>.bak`, as every one-off save keeps it) and not open in
    another workshop. The copy is then deleted, so the next start says no more about it.
    Otherwise nothing changes and `EmergencyCopyError` says why in one line (the copy
    can still be opened where it is).
    """
    from workshop.storage.locking import LockError
    from workshop.storage.store import SaveError, load_session, open_session, save_copy
    from workshop.storage.tomlsafe import FileProblems

    copy = Path(copy)
    match = _NAME.match(copy.name)
    if match is None:
        raise EmergencyCopyError(f"{copy.name} is not an emergency copy")
    target = Path(folder) / (match.group("stem") + SUFFIX)
    try:
        session = load_session(copy).session
        if not os.path.lexists(target):
            save_copy(session, target)
        else:
            with open_session(target) as existing:
                if existing.read_only or existing.session.id != session.id:
                    raise EmergencyCopyError(f"Cannot restore {copy.name}: {target} holds another session; open the copy where it is instead")
                if existing.session.updated_at > session.updated_at:
                    raise EmergencyCopyError(f"Cannot restore {copy.name}: {target.name} was saved after it; open the copy where it is to compare")
                existing.save(session, touch=False)
    except FileProblems as problems:
        raise EmergencyCopyError(f"Cannot restore {copy.name}: {problems.first}") from None
    except (SaveError, LockError) as error:
        raise EmergencyCopyError(f"Cannot restore {copy.name}: {error.reason}") from None
    try:
        os.unlink(copy)
    except OSError:
        pass  # restored all the same; the notice stays until it is gone
    return target


def _bytes(session: Session | dict[str, Any]) -> bytes:
    from workshop.storage.session_format import dump_data, session_data

    data = session if isinstance(session, dict) else session_data(session)
    # Written as it is, even past the size a save refuses: this is the last chance.
    return dump_data(data).encode("utf-8")


def _write_new(folder: Path, stem: str, data: bytes) -> Path:
    when = datetime.now().strftime("%Y%m%d-%H%M%S")
    for number in range(1, _MAX_COPIES_A_SECOND + 1):
        extra = "" if number == 1 else f"-{number}"
        path = folder / f"{stem}{EMERGENCY_MARK}{when}{extra}{SUFFIX}"
        try:
            write_atomic(path, data, exclusive=True, new_mode=_MODE, backup=False)
        except FileExistsError:
            continue
        except DirectorySyncError:
            return path  # it is there; only its durability is in doubt
        return path
    raise FileExistsError(f"no free name left in {folder}")


def _make_folder(folder: Path) -> None:
    """Make `folder` (private to the user); refuse one that is not a folder of ours.

    The temp folder is shared, so a folder planted there by someone else (or a symlink
    to somewhere else) must not receive the room's work.
    """
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode):
        raise NotADirectoryError(20, "is not a folder")
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise PermissionError(1, "belongs to another user")


def _xdg(variable: str, fallback: str) -> Path:
    value = os.environ.get(variable, "")
    # The XDG spec says relative paths are invalid and must be ignored.
    if value and os.path.isabs(value):
        return Path(value)
    try:
        return Path.home() / fallback
    except RuntimeError:  # no home folder: the temp folder is still there
        return Path(tempfile.gettempdir()) / f"workshop-home-{_uid()}" / fallback


def _uid() -> str:
    return str(os.getuid()) if hasattr(os, "getuid") else (os.environ.get("USERNAME") or "user")
