"""Session files: loading and saving that never loses a file (listing and finding: `workshop.storage.listing`).

This module is the storage layer's front door for session files: every name below is
importable from here. Loading lives in `workshop.storage.loading`, saving in
`workshop.storage.saving`, the autosaver's snapshot in `workshop.storage.snapshot`.

One session is one TOML file in the sessions folder (see `workshop.storage.paths.sessions_dir`),
named `YYYY-MM-DD-<title slug>-<id>.toml` (names and the text format are in
`workshop.storage.session_format`, re-exported here; the lock in `workshop.storage.locking`, upgrades in
`workshop.storage.migrate`, the atomic replace in `workshop.storage.atomic`). Everything here is plain Python (no Textual)
and raises only `FileProblems` (a file cannot be read), `SaveError` (a save was refused
or failed; the file on disk is as it was) and, from `open_session`, `LockError`.

Saving (`save_session`):
- sets `session.updated_at` to now (pass `touch=False` to keep it), which re-validates
  the session, and serialises it in memory (every value a valid session holds reads
  back from TOML exactly); with `touch=False` (a new file, a copy) the text is also
  parsed back, and if it would not read back equal, nothing is written.
  `save_data` saves a snapshot already dumped (the autosaver's), refusing it alike
  when its lists are not valid (`data_list_problem`);
- while this process holds the session's lock (`open_session`), verifies it before and
  after writing (see `workshop.storage.locking`): a save whose lock was lost to
  another workshop is refused, so that workshop's saves are never overwritten;
- refuses a session of a newer schema (files are never downgraded) and refuses to
  replace a file that is not a readable session with the same id (a corrupt or foreign
  file is never overwritten), unless it is exactly the file this process last loaded or
  wrote (`expect`, a `FileStamp`), which skips re-reading it on every autosave;
- when the file was changed outside the app since `expect` (someone edited it) but
  still holds this session, keeps both: the outside version is copied byte for byte to
  `<stem>.outside-YYYYMMDD-HHMMSS.toml` beside it (never listed as a session), the
  app's version is written in place, and `ChangedOutside` (a `SaveError` whose save
  *did* happen) is raised with that copy's path, the new stamp and a one-line message.
  Only then: a copy that cannot be written refuses the whole save instead;
- writes a temp file `.<name>.<pid>-<n>.tmp` in the same folder, fsyncs it, gives it the
  old file's permission bits (a new file gets 0o600: sessions hold people's names and
  views, so they are private to their owner by default), hard-links the old file to
  `<name>.bak` (copying where hard links are unsupported; `save_session` at every save,
  the autosaver's `save_data` only at its first save and then every few minutes: see
  `workshop.storage.autosave.BackupSchedule`), `os.replace`s the target and
  fsyncs the folder. On any error the temp file is removed and the target is untouched.

A process killed between creating the temp file and the replace leaves that temp file
behind; it is hidden (leading dot), never listed, and `open_session`/`create_session`
remove such files once they are a minute old.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from workshop.storage.atomic import BACKUP_SUFFIX, remove_stale_temp_files
from workshop.storage.backups import readable_backup, unreadable_message
from workshop.storage.finding import MIN_ID_PREFIX, SessionNotFound, find_session
from workshop.storage.loading import LoadedSession, load_session, open_session
from workshop.storage.locking import LockedElsewhere, LockError
from workshop.storage.outside import ChangedOutside, FileStamp, SaveError
from workshop.storage.saving import NEW_FILE_MODE, create_session, save_copy, save_data, save_session
from workshop.storage.session_format import (
    MAX_SESSION_BYTES,
    SUFFIX,
    dump_session,
    newer_schema_reason,
    parse_session,
    parse_session_text,
    session_filename,
    session_path,
)

if TYPE_CHECKING:
    from workshop.storage.listing import SessionSummary, UnreadableFile, list_sessions, summarise

# The listing's names are importable from here too, but the module loads when one is
# first used: `workshop open` (the run screen, all day) never lists the folder.
_FROM_LISTING = ("SessionSummary", "UnreadableFile", "list_sessions", "summarise")


def __getattr__(name: str) -> Any:
    if name in _FROM_LISTING:
        from workshop.storage import listing

        return getattr(listing, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "BACKUP_SUFFIX",
    "MAX_SESSION_BYTES",
    "MIN_ID_PREFIX",
    "NEW_FILE_MODE",
    "SUFFIX",
    "ChangedOutside",
    "FileStamp",
    "LoadedSession",
    "LockError",
    "LockedElsewhere",
    "SaveError",
    "SessionNotFound",
    "SessionSummary",
    "UnreadableFile",
    "create_session",
    "dump_session",
    "find_session",
    "list_sessions",
    "load_session",
    "newer_schema_reason",
    "open_session",
    "parse_session",
    "parse_session_text",
    "readable_backup",
    "remove_stale_temp_files",
    "save_copy",
    "save_data",
    "save_session",
    "session_filename",
    "session_path",
    "summarise",
    "unreadable_message",
]
