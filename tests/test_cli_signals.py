"""The app asked to stop by a signal exits with 128 + the signal's number, like any tool.

SIGTERM used to end the app with status 0, so a supervisor could not tell a clean quit
from being terminated.
"""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from clirun import ROOT

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and terminals")


def _run_until_drawn(tmp_path: Path, wanted: bytes = b"No sessions yet") -> tuple[subprocess.Popen[bytes], int]:
    """The app on a pseudo-terminal, once it shows `wanted` (signal handlers are set by then)."""
    master, slave = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    child = subprocess.Popen(
        [sys.executable, "-m", "workshop", "--sessions-dir", str(tmp_path / "sessions")],
        cwd=ROOT,
        env=env,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        start_new_session=True,
    )
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + 60
    while wanted not in seen:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"the app never showed {wanted!r}; it wrote {seen[-500:]!r}"
        ready, _, _ = select.select([master], [], [], remaining)
        if ready:
            try:
                seen += os.read(master, 65536)
            except OSError:  # the terminal closed: the app ended early
                break
    assert wanted in seen, seen[-500:]
    return child, master


def _wait_draining(child: subprocess.Popen[bytes], master: int, timeout: float = 30) -> int:
    """Wait for the child, reading its output so it never blocks on a full terminal."""
    deadline = time.monotonic() + timeout
    try:
        while child.poll() is None:
            assert time.monotonic() < deadline, "the app did not exit"
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    os.read(master, 65536)
                except OSError:
                    pass
        return child.returncode
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        os.close(master)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_makes_the_app_exit_with_128_plus_its_number(tmp_path: Path, signum: int) -> None:
    child, master = _run_until_drawn(tmp_path)
    child.send_signal(signum)
    assert _wait_draining(child, master) == 128 + signum
