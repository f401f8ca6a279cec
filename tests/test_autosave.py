"""The autosaver on its own, no app: what it writes, when, and what it does on failure.

Nothing here sleeps. The injected `save` callable reports each write and, where a test
needs the writer held mid-save, waits on a `threading.Event` the test sets.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from factories import make_session
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop.storage.autosave import BACKUP_INTERVAL, Autosaver, BackupSchedule
from workshop.storage.locking import LockedElsewhere, acquire
from workshop.storage.store import SaveError, create_session, load_session, open_session

# Long enough never to be reached when things work; a hung writer then fails the test
# instead of hanging the run.
LIMIT = 30.0


class Recorder:
    """A `save` that records the titles it was given, optionally held until released."""

    def __init__(self, *, hold_first: bool = False, fail_with: Exception | None = None):
        self.titles: list[str] = []
        self.started = threading.Event()
        self.release = threading.Event()
        if not hold_first:
            self.release.set()
        self.fail_with = fail_with

    def __call__(self, loaded, snapshot) -> None:
        self.started.set()
        assert self.release.wait(LIMIT), "the test never released the writer"
        if self.fail_with is not None:
            raise self.fail_with
        self.titles.append(snapshot.title)


@pytest.fixture
def loaded(tmp_path):
    """A session file opened for editing (its lock held), closed after the test."""
    path = create_session(tmp_path, make_session(title="First"))
    opened = open_session(path)
    yield opened
    opened.close()


def retitle(loaded, title: str) -> None:
    # The autosaver only sees the session object; how it changed does not matter here.
    loaded.session.title = title


def test_marking_dirty_then_flushing_saves_once(loaded):
    save = Recorder()
    saver = Autosaver(loaded, save=save)
    assert not saver.dirty
    assert saver.flush(wait=True, timeout=LIMIT)
    assert save.titles == [], "nothing changed, nothing written"

    retitle(loaded, "Second")
    saver.mark_dirty()
    assert saver.dirty
    assert saver.flush(wait=True, timeout=LIMIT)
    assert save.titles == ["Second"]
    assert not saver.dirty and saver.saves == 1
    # A second flush with nothing new writes nothing.
    assert saver.flush(wait=True, timeout=LIMIT)
    assert save.titles == ["Second"]
    assert saver.close(LIMIT)


def test_the_writer_gets_a_copy_not_the_live_session(loaded):
    seen = []
    saver = Autosaver(loaded, save=lambda _, snapshot: seen.append(snapshot))
    retitle(loaded, "Snapshot")
    saver.mark_dirty()
    assert saver.flush(wait=True, timeout=LIMIT)
    retitle(loaded, "Changed after the flush")
    assert seen[0] is not loaded.session
    assert seen[0].title == "Snapshot"
    saver.close(LIMIT)


def test_only_the_newest_snapshot_is_written(loaded):
    save = Recorder(hold_first=True)
    saver = Autosaver(loaded, save=save)
    retitle(loaded, "A")
    saver.mark_dirty()
    saver.flush()
    assert save.started.wait(LIMIT)  # the writer is inside the save of A, held there
    for title in ("B", "C", "D"):
        retitle(loaded, title)
        saver.mark_dirty()
        saver.flush()
    save.release.set()
    assert saver.flush(wait=True, timeout=LIMIT)
    # B and C were replaced in the queue before the writer was free: never written.
    assert save.titles == ["A", "D"]
    assert saver.close(LIMIT)


def test_flush_with_wait_returns_only_once_the_write_is_done(loaded):
    save = Recorder(hold_first=True)
    saver = Autosaver(loaded, save=save)
    retitle(loaded, "Waited for")
    saver.mark_dirty()
    # Held mid-save: a bounded wait says it timed out (the writer is stuck).
    assert saver.flush(wait=True, timeout=0.05) is False
    assert save.titles == []
    save.release.set()
    assert saver.flush(wait=True, timeout=LIMIT) is True
    # Returned only after the write: it is there the moment flush returns.
    assert save.titles == ["Waited for"]
    saver.close(LIMIT)


@pytest.mark.parametrize(
    "error, expected",
    [
        (SaveError("cannot save s.toml: disk full"), "cannot save s.toml: disk full"),
        # A bug is told in plain words: the file and the message, never the class name.
        (RuntimeError("boom"), "Cannot save 2025-03-14-first-abcd2345.toml: boom"),
    ],
    ids=["save-error", "bug"],
)
def test_a_failed_save_is_reported_and_the_session_stays_dirty(loaded, error, expected):
    save = Recorder(fail_with=error)
    saver = Autosaver(loaded, save=save)
    retitle(loaded, "Not yet saved")
    saver.mark_dirty()
    assert saver.flush(wait=True, timeout=LIMIT)
    errors = saver.take_errors()
    assert len(errors) == 1 and expected in errors[0]
    assert "\n" not in errors[0] and "Error" not in errors[0]
    assert saver.take_errors() == [], "each error is reported once"
    assert saver.dirty, "the change must be tried again"
    assert saver.saves == 0
    # The writer survived: once the disk is back, the next flush saves the session.
    save.fail_with = None
    assert saver.flush(wait=True, timeout=LIMIT)
    assert save.titles == ["Not yet saved"] and not saver.dirty
    assert saver.close(LIMIT)


def test_close_reports_a_save_that_failed(loaded):
    saver = Autosaver(loaded, save=Recorder(fail_with=SaveError("cannot save: read-only disk")))
    saver.mark_dirty()
    assert saver.close(LIMIT) is False
    assert saver.take_errors() == ["cannot save: read-only disk"]


def test_close_flushes_to_the_file_and_releases_the_lock(loaded):
    path = loaded.path
    with pytest.raises(LockedElsewhere):
        acquire(path).release()  # held while open
    saver = Autosaver(loaded)  # the real save
    retitle(loaded, "Saved on close")
    saver.mark_dirty()
    assert saver.close(LIMIT) is True
    assert load_session(path).session.title == "Saved on close"
    assert loaded.lock is None
    acquire(path).release()  # free for the next workshop
    # Closed: later changes are not written.
    retitle(loaded, "After close")
    saver.mark_dirty()
    saver.flush(wait=True, timeout=LIMIT)
    assert load_session(path).session.title == "Saved on close"


def test_read_only_never_saves(tmp_path):
    path = create_session(tmp_path, make_session(title="Read only"))
    before = path.read_bytes()
    opened = open_session(path, read_only=True)
    save = Recorder()
    saver = Autosaver(opened, save=save)
    assert saver.read_only
    retitle(opened, "Changed in memory")
    saver.mark_dirty()
    assert not saver.dirty
    assert saver.flush(wait=True, timeout=LIMIT)
    assert saver.close(LIMIT)
    assert save.titles == [] and saver.take_errors() == []
    assert path.read_bytes() == before


def test_read_only_with_the_real_save_writes_nothing(tmp_path):
    path = create_session(tmp_path, make_session(title="Read only"))
    before = path.read_bytes()
    opened = open_session(path, read_only=True)
    saver = Autosaver(opened)
    retitle(opened, "Changed in memory")
    saver.mark_dirty()
    assert saver.close(LIMIT)
    assert path.read_bytes() == before


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=8))
def test_whatever_the_flushes_the_last_write_is_the_latest_session(tmp_path_factory, letters):
    path = create_session(tmp_path_factory.mktemp("sessions"), make_session(title="Start"))
    # Numbered, so the order of the writes can be checked.
    titles = [f"{number} {letter}" for number, letter in enumerate(letters)]
    with open_session(path) as opened:
        save = Recorder()
        saver = Autosaver(opened, save=save)
        for title in titles:
            retitle(opened, title)
            saver.mark_dirty()
            saver.flush()
        assert saver.close(LIMIT)
    assert save.titles[-1] == titles[-1]
    written = [titles.index(title) for title in save.titles]
    assert written == sorted(set(written)), "never an older snapshot after a newer one"


def test_wait_saved_returns_once_that_snapshot_is_on_disk(loaded):
    save = Recorder()
    saver = Autosaver(loaded, save=save)
    retitle(loaded, "Recorded")
    saver.mark_dirty()
    saver.flush()
    saver.wait_saved(saver.handed, timeout=LIMIT)
    assert save.titles[-1] == "Recorded"
    # Nothing newer handed: waiting again returns at once.
    saver.wait_saved(saver.handed, timeout=LIMIT)
    assert saver.close(LIMIT)


def test_wait_saved_raises_when_that_save_failed_until_a_later_one_succeeds(loaded):
    save = Recorder(fail_with=SaveError("cannot save s.toml: disk full"))
    saver = Autosaver(loaded, save=save)
    retitle(loaded, "Lost?")
    saver.mark_dirty()
    saver.flush()
    failed = saver.handed
    with pytest.raises(SaveError, match="disk full"):
        saver.wait_saved(failed, timeout=LIMIT)
    save.fail_with = None
    saver.flush()  # still dirty after the failure: the session is handed again
    saver.wait_saved(saver.handed, timeout=LIMIT)
    saver.wait_saved(failed, timeout=LIMIT)  # a newer snapshot on disk covers the older one
    assert save.titles == ["Lost?"]
    assert saver.close(LIMIT)


# -- the .bak: when opened, then every few minutes -------------------------------------


class Clock:
    """Seconds that move only when the test moves them."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_bak_is_the_session_as_opened_then_refreshed_every_few_minutes(tmp_path):
    path = create_session(tmp_path, make_session(title="As opened"))
    opened = open_session(path)
    clock = Clock()
    saver = Autosaver(opened, backups=BackupSchedule(clock=clock))  # the real save
    backup = Path(f"{path}.bak")

    def autosave(title: str) -> None:
        retitle(opened, title)
        saver.mark_dirty()
        assert saver.flush(wait=True, timeout=LIMIT)
        assert saver.take_errors() == []
        assert load_session(path).session.title == title  # every save is written

    def backed_up() -> str:
        return load_session(backup).session.title

    autosave("One")
    assert backed_up() == "As opened"  # the first save after opening refreshes it
    autosave("Two")
    clock.now += BACKUP_INTERVAL - 1
    autosave("Three")
    assert backed_up() == "As opened"  # not at every save within the interval
    clock.now += 1
    autosave("Four")
    assert backed_up() == "Three"  # once the interval has passed
    autosave("Five")
    assert backed_up() == "Three"
    assert saver.close(LIMIT)


def test_a_new_autosaver_refreshes_the_bak_at_its_first_save(tmp_path):
    # Opening the session again (a new autosaver) starts the schedule over.
    path = create_session(tmp_path, make_session(title="First opened"))
    for title in ("Second", "Third"):
        opened = open_session(path)
        saver = Autosaver(opened, backups=BackupSchedule(clock=Clock()))
        before = load_session(path).session.title
        retitle(opened, title)
        saver.mark_dirty()
        assert saver.close(LIMIT)
        assert load_session(Path(f"{path}.bak")).session.title == before


def test_a_save_under_a_new_name_refreshes_the_bak_beside_it(tmp_path):
    clock = Clock()
    schedule = BackupSchedule(clock=clock)
    assert schedule.due(tmp_path / "a.toml")
    schedule.refreshed(tmp_path / "a.toml")
    assert not schedule.due(tmp_path / "a.toml")
    assert schedule.due(tmp_path / "renamed.toml")  # renamed while open: no .bak beside it yet
    clock.now += BACKUP_INTERVAL
    assert schedule.due(tmp_path / "a.toml")
