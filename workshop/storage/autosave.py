"""Saving an open session as it changes, off the path of a key press.

The app marks the session dirty on every change (cheap: a flag). A timer on the app's
thread calls `flush()` about once a second: it snapshots the session as plain data
(`SessionSnapshots.take`: dicts and lists nothing changes afterwards, so the writer never
sees a half-made change, with the parts unchanged since the last snapshot given as the
same objects as then, so the writer reuses their text; a deep copy of the models took
30 to 50 times longer, half a second for the largest session, on the key press's
thread) and hands the snapshot to one writer thread, which saves it atomically. Only the newest snapshot is ever written; older ones still
queued are dropped. A flush that does not wait is put off while the last save has
not had its own duration to rest: a large session's writer is then never busy all
the time, and the change is saved at the next flush. Errors are collected for the app to show; the session stays dirty
so the next flush tries again. Closing flushes and waits, then releases the lock.

Every save is atomic, but the `<name>.bak` beside the file is refreshed only now and
then (`BackupSchedule`): at the first save after the session is opened, then once every
`BACKUP_INTERVAL`. Refreshing it at every save made it the session one keystroke ago,
which is worth little, and cost a fifth of each save; now it holds the session as it
was when opened, or a few minutes ago. Explicit saves (`save_session`: the command
line, creating, upgrading, restoring) still refresh it every time.

Plain Python: no Textual, so it is tested on its own.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from workshop.domain.models.session import Session
from workshop.storage.outside import ChangedOutside
from workshop.storage.snapshot import SessionSnapshots
from workshop.storage.store import LoadedSession, SaveError

# How old the `.bak` may grow while the autosaver saves an open session. Minutes, so it
# holds an earlier version worth going back to (not the session a keystroke ago), and
# a save only every few minutes pays for the link, the rename and the busier folder fsync.
BACKUP_INTERVAL = 5 * 60.0


class BackupSchedule:
    """When the autosaver's save refreshes the `.bak`: at its first save (after the session
    is opened), again once `interval` seconds have passed since the last refresh, and at
    the first save under a new name (a file renamed while open). `clock` is injectable
    (tests); it counts seconds."""

    def __init__(self, *, interval: float = BACKUP_INTERVAL, clock: Callable[[], float] = time.monotonic):
        self.interval = interval
        self.clock = clock
        self._refreshed_at: float | None = None
        self._refreshed_for: Path | None = None

    def due(self, path: Path) -> bool:
        """Whether a save of `path` now should refresh its `.bak`."""
        last = self._refreshed_at
        return last is None or path != self._refreshed_for or self.clock() - last >= self.interval

    def refreshed(self, path: Path) -> None:
        """Note that a save of `path` has just refreshed its `.bak`."""
        self._refreshed_at = self.clock()
        self._refreshed_for = path


class Autosaver:
    """Keeps one `LoadedSession` saved; see the module docstring for how."""

    def __init__(self, loaded: LoadedSession, *, save: Callable[[LoadedSession, Session], None] | None = None, backups: BackupSchedule | None = None):
        """`save` replaces the real save (tests): it is given a `Session` made from the snapshot.
        `backups` says when a save refreshes the `.bak` (tests give one a clock)."""
        self.loaded = loaded
        self._save = save
        self.backups = backups or BackupSchedule()
        self._lock = threading.Condition()
        self._pending: dict[str, Any] | None = None
        # When the last snapshot was handed over, and how long the last save took.
        self._handed_at = float("-inf")
        self._last_save_seconds = 0.0
        self._writing = False
        self._errors: list[str] = []
        self._warnings: list[str] = []
        self._closed = False
        self.dirty = False
        self.snapshots = SessionSnapshots()
        self.saves = 0
        # Snapshots handed to the writer are numbered, so a caller can wait until the
        # session as it was at a given moment is on disk (`wait_saved`): the phones are
        # told "recorded" only then.
        self.handed = 0
        self._written = 0
        self._failed_at = 0
        self._failure = ""
        self._pending_number = 0
        # Called by the writer thread after each write, saved or failed (the open
        # session's group commit posts it to its event loop).
        self.on_written: Callable[[], None] | None = None
        self._thread = threading.Thread(target=self._writer, name="workshop-autosave", daemon=True)
        self._thread.start()

    @property
    def read_only(self) -> bool:
        return self.loaded.read_only

    @property
    def idle(self) -> bool:
        """Whether the writer has nothing in hand: a snapshot handed now is written at once."""
        with self._lock:
            return self._pending is None and not self._writing

    def progress(self) -> tuple[int, int, str]:
        """The newest snapshot number written, the newest that failed, and why it failed."""
        with self._lock:
            return self._written, self._failed_at, self._failure

    def mark_dirty(self, in_place: Iterable[str] | None = None) -> None:
        """Note that the session changed; the next `flush` saves it.

        `in_place` names the session's fields the change may have changed in place (a
        `Change.in_place`); None, anything (see `workshop.storage.snapshot`).
        """
        if not self.loaded.read_only:
            self.snapshots.touched(in_place)
            self.dirty = True

    def flush(self, wait: bool = False, timeout: float = 10.0, *, at_once: bool = False) -> bool:
        """Hand a snapshot to the writer if anything changed; with `wait`, until it is on disk.

        Without `wait` or `at_once` (a decision, or a phone waiting to hear "recorded"),
        the hand-over may be put off until the next flush (see the module docstring).
        Returns False when waiting timed out (the writer is stuck on a slow disk).
        """
        if self.dirty and not self._closed:
            if not (wait or at_once) and time.monotonic() - self._handed_at < self._last_save_seconds:
                return True  # stays dirty: the next flush saves it
            snapshot = self.snapshots.take(self.loaded.session)
            self._handed_at = time.monotonic()
            self.dirty = False
            with self._lock:
                self._pending = snapshot
                self.handed += 1
                self._pending_number = self.handed
                self._lock.notify_all()
        if not wait:
            return True
        with self._lock:
            return self._lock.wait_for(lambda: self._pending is None and not self._writing, timeout)

    def wait_saved(self, number: int, timeout: float = 10.0) -> None:
        """Wait until snapshot `number` (see `handed`), or a newer one, is on disk.

        Raises `SaveError` when that save failed (and no newer one went through since) or
        did not finish within `timeout`. Meant for a thread other than the app's: the
        snapshot itself is taken on the app's thread by `flush`.
        """
        with self._lock:
            finished = self._lock.wait_for(lambda: self._written >= number or self._failed_at >= number or self._closed, timeout)
            if self._written >= number:
                return
            if not finished:
                raise SaveError("the save is taking too long (a slow or stuck disk?)")
            if self._failed_at >= number:
                raise SaveError(self._failure)
            raise SaveError("the session was closed before it was saved")

    def take_errors(self) -> list[str]:
        """Errors since the last call (each one line), for the app to show."""
        with self._lock:
            errors, self._errors = self._errors, []
        return errors

    def take_warnings(self) -> list[str]:
        """Things the facilitator should know though the save went through (each one line):
        the file had been changed outside the app, and both versions were kept."""
        with self._lock:
            warnings, self._warnings = self._warnings, []
        return warnings

    def close(self, timeout: float = 10.0, *, save: bool = True) -> bool:
        """Save what is left, stop the writer and release the session's lock.

        `timeout` bounds the whole close (the last save and the writer's stop together),
        so a signal handler can rely on it to exit in time. `save=False` is the
        facilitator's choice to discard what could not be saved: nothing more is written.
        """
        deadline = time.monotonic() + timeout
        if not save:
            self.dirty = False
            with self._lock:
                self._pending = None
        saved = self.flush(wait=True, timeout=timeout)
        with self._lock:
            self._closed = True
            self._lock.notify_all()
        self._thread.join(max(0.0, deadline - time.monotonic()))
        self.loaded.close()
        return saved and not self.dirty

    def _writer(self) -> None:
        while True:
            with self._lock:
                self._lock.wait_for(lambda: self._pending is not None or self._closed)
                if self._pending is None:
                    return
                snapshot, self._pending = self._pending, None
                number = self._pending_number
                self._writing = True
            started = time.monotonic()
            try:
                if self._save is None:
                    save_snapshot(self.loaded, snapshot, self.backups)
                else:
                    self._save(self.loaded, Session.model_validate(snapshot))
                self.saves += 1
                self._written = number
            except ChangedOutside as error:
                # Saved all the same; the outside version is kept beside it.
                self.saves += 1
                with self._lock:
                    self._written = number
                    self._warnings.append(str(error))
            except SaveError as error:
                self._failed(str(error), number)
            except Exception as error:  # a bug must not kill the writer and lose later saves
                self._failed(f"Cannot save {self.loaded.path.name}: {error}", number)
            finally:
                self._last_save_seconds = time.monotonic() - started
                with self._lock:
                    self._writing = False
                    self._lock.notify_all()
                on_written = self.on_written
                if on_written is not None:
                    try:
                        on_written()
                    except RuntimeError:  # the loop has closed: nobody is waiting any more
                        pass

    def _failed(self, message: str, number: int) -> None:
        # Keep the change: the next flush writes the then-current session again.
        self.dirty = True
        with self._lock:
            self._errors.append(message)
            self._failed_at, self._failure = number, message


def save_snapshot(loaded: LoadedSession, snapshot: dict[str, Any], backups: BackupSchedule) -> None:
    """Save `snapshot` (a `session_data`) to the loaded session's file and keep the file's
    new stamp, refreshing the `.bak` when `backups` says it is due: the autosaver's save
    (the benchmark's "save after a change" times this very call)."""
    from workshop.storage.store import save_data

    if loaded.read_only:
        raise SaveError(f"Cannot save {loaded.path}: {loaded.reason or 'it is open read-only'}.")
    path = loaded.path
    backup = backups.due(path)
    try:
        loaded.stamp = save_data(snapshot, path, expect=loaded.stamp, backup=backup)
    except ChangedOutside as error:
        loaded.stamp = error.stamp
        if backup:
            backups.refreshed(path)
        raise
    finally:
        # A file renamed while open is saved under its new name: messages name that one.
        loaded.follow_lock()
    if backup:
        # Under the name it was saved as: after a rename found by this save, the next
        # save refreshes the `.bak` beside the new name (`BackupSchedule.due`).
        backups.refreshed(path)
