"""One editor at a time: the advisory lock beside a session file."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from workshop.storage.locking import (
    LockedElsewhere,
    LockError,
    acquire,
    holder,
    lock_path_for,
)

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="flock is POSIX")

HOLD = """
import sys, time
from workshop.storage.locking import acquire
lock = acquire(sys.argv[1])
print("locked", flush=True)
time.sleep(60)
"""


def _hold_in_child(path: Path) -> subprocess.Popen[str]:
    child = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline().strip() == "locked"
    return child


def test_lock_file_is_a_hidden_sidecar(tmp_path: Path) -> None:
    assert lock_path_for(tmp_path / "a.toml") == tmp_path / ".a.toml.lock"


def test_acquire_records_the_holder_and_release_lets_go(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    lock = acquire(path)
    assert lock.held
    record = json.loads(lock_path_for(path).read_text(encoding="utf-8"))
    assert record["pid"] == os.getpid() and record["host"] == socket.gethostname()
    assert datetime.fromisoformat(record["since"]).tzinfo is not None
    lock.release()
    lock.release()  # idempotent
    assert not lock.held
    with acquire(path) as again:
        assert again.held
    assert not again.held


def test_second_acquire_in_the_same_process_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    with acquire(path):
        with pytest.raises(LockedElsewhere) as caught:
            acquire(path)
        assert caught.value.pid == os.getpid()
        assert holder(path) is not None
    assert holder(path) is None


def test_another_process_gets_locked_elsewhere_with_pid_and_host(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    child = _hold_in_child(path)
    try:
        with pytest.raises(LockedElsewhere) as caught:
            acquire(path)
        error = caught.value
        assert error.pid == child.pid
        assert error.host == socket.gethostname()
        assert error.since is not None and abs((datetime.now(timezone.utc) - error.since).total_seconds()) < 120
        message = str(error)
        assert message.startswith(f"Session file s.toml is already open in another workshop (pid {child.pid} on host {socket.gethostname()} since ")
        assert message.endswith("); open it read-only instead?")
    finally:
        child.kill()
        child.wait()


def test_a_killed_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    child = _hold_in_child(path)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert lock_path_for(path).exists()  # the file stays, but nobody holds it
    with acquire(path) as lock:
        assert lock.held
        record = json.loads(lock_path_for(path).read_text(encoding="utf-8"))
        assert record["pid"] == os.getpid()


def test_holder_record_that_is_garbage_still_gives_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    with acquire(path) as lock:
        lock_path_for(path).write_bytes(b"\xff not json")
        with pytest.raises(LockedElsewhere) as caught:
            acquire(path)
        assert caught.value.pid is None
        assert "(holder unknown)" in str(caught.value)
        assert lock.held


def test_lock_that_cannot_be_created_is_a_lock_error(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "folder" / "s.toml"
    with pytest.raises(LockError, match="^Cannot lock"):
        acquire(missing)


def test_release_empties_the_record(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    acquire(path).release()
    assert lock_path_for(path).read_bytes() == b""


def test_garbage_collected_lock_is_released(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    acquire(path)  # dropped at once
    import gc

    gc.collect()
    acquire(path).release()


# -- a deleted lock file does not let a second editor in -------------------------------

EDITOR = """
import sys
sys.path[:0] = [sys.argv[2]]
from workshop.storage.store import SaveError, open_session
loaded = open_session(sys.argv[1])
print("open", flush=True)
for line in sys.stdin:
    loaded.session.team = line.strip()
    try:
        loaded.save()
    except SaveError as error:
        print("refused:", error, flush=True)
    else:
        print("saved", flush=True)
"""


class _Editor:
    """Another workshop process with the session open for editing."""

    def __init__(self, path: Path):
        self.child = subprocess.Popen(
            [sys.executable, "-c", EDITOR, str(path), str(ROOT / "tests")], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self._answer() == "open"

    def _answer(self) -> str:
        assert self.child.stdout is not None
        return self.child.stdout.readline().strip()

    def save(self, team: str) -> str:
        assert self.child.stdin is not None
        self.child.stdin.write(team + "\n")
        self.child.stdin.flush()
        return self._answer()

    def close(self) -> None:
        if self.child.stdin is not None:
            self.child.stdin.close()
        self.child.wait(timeout=30)


def _session_file(folder: Path) -> Path:
    from factories import make_session

    from workshop.storage.store import create_session

    return create_session(folder, make_session(team="Start"))


def test_a_deleted_lock_file_does_not_let_a_second_editor_in(tmp_path: Path) -> None:
    from workshop.storage.store import load_session, open_session

    path = _session_file(tmp_path)
    first = _Editor(path)
    try:
        lock_path_for(path).unlink()
        with pytest.raises(LockedElsewhere) as caught:
            open_session(path)
        assert "holder unknown" in str(caught.value)
        assert first.save("First, after the lock file went") == "saved"
        # The first editor's save put its lock file back, with its name on it.
        with pytest.raises(LockedElsewhere) as caught:
            open_session(path)
        assert caught.value.pid == first.child.pid
        assert first.save("First again") == "saved"
        assert load_session(path).session.team == "First again"
    finally:
        first.close()
    open_session(path).close()


def test_an_editor_whose_lock_was_taken_over_stops_saving(tmp_path: Path) -> None:
    from workshop.storage.store import dump_session, load_session, open_session

    path = _session_file(tmp_path)
    first = _Editor(path)
    try:
        # The lock file is deleted and the session file replaced from outside (a new
        # inode): nothing is locked any more, so a second workshop gets in.
        lock_path_for(path).unlink()
        session = load_session(path).session
        session.team = "Replaced outside"
        replacement = tmp_path / "replacement"
        replacement.write_text(dump_session(session), encoding="utf-8")
        os.replace(replacement, path)
        with open_session(path) as second:
            second.session.team = "Second"
            second.save()
            answer = first.save("First, too late")
            assert answer.startswith(f"refused: Cannot save {path}: its lock was lost and another workshop has opened it since (pid {os.getpid()}")
            assert load_session(path).session.team == "Second"
            second.session.team = "Second again"
            second.save()
            assert first.save("First, still too late").startswith("refused: ")
            assert load_session(path).session.team == "Second again"
    finally:
        first.close()


def test_an_open_session_survives_its_own_saves_and_an_outside_replacement(tmp_path: Path) -> None:
    from workshop.storage.store import ChangedOutside, dump_session, load_session, open_session

    path = _session_file(tmp_path)
    with open_session(path) as loaded:
        for team in ("A", "B"):
            loaded.session.team = team
            loaded.save()
            with pytest.raises(LockedElsewhere):
                open_session(path)
        session = load_session(path).session
        session.team = "Edited outside"
        replacement = tmp_path / "replacement"
        replacement.write_text(dump_session(session), encoding="utf-8")
        os.replace(replacement, path)
        loaded.session.team = "C"
        with pytest.raises(ChangedOutside):
            loaded.save()
        with pytest.raises(LockedElsewhere):
            open_session(path)
    open_session(path).close()


def test_after_its_saves_the_session_file_itself_stays_locked_without_the_sidecar(tmp_path: Path) -> None:
    # Each save puts a new file in place; the lock takes it through the descriptor that
    # wrote it, so with the sidecar gone a second editor still finds the file locked.
    from workshop.storage.store import load_session, open_session

    path = _session_file(tmp_path)
    with open_session(path) as loaded:
        for team in ("A", "B"):
            inode = path.stat().st_ino
            loaded.session.team = team
            loaded.save()
            assert path.stat().st_ino != inode
        lock_path_for(path).unlink()
        with pytest.raises(LockedElsewhere, match="holder unknown"):
            open_session(path)
        assert load_session(path).session.team == "B"
    open_session(path).close()
