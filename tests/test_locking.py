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
        assert message.startswith(f"s.toml is already open in another workshop (pid {child.pid} on host {socket.gethostname()} since ")
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
    with pytest.raises(LockError, match="cannot lock"):
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
