"""SIGHUP while keys are arriving: the app saves and is gone within a few seconds, always.

The terminal closing mid-typing used to leave the process waiting for ever (its writer
blocked on a terminal that no longer exists); a watchdog now ends it once saved.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import tomllib
from pathlib import Path

import pytest
from clirun import run_cli
from test_terminal_e2e import Terminal, gone, note_text, wait_for_file

from workshop.ui.app import SIGNAL_EXIT_SECONDS

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


@pytest.mark.parametrize("trial", range(3))
def test_hangup_while_typing_exits_in_time_and_keeps_the_notes(tmp_path, trial):
    env = {"WORKSHOP_SESSIONS_DIR": str(tmp_path), "HOME": os.environ["HOME"], "TERM": "xterm-256color"}
    created = run_cli("new", "--pack", "demo", "--title", "Hangup test", "--participant", "Amira:Director", "--no-open", env=env)
    path = Path(created.stdout.strip())
    terminal = Terminal(f"hangup{trial}", [sys.executable, "-m", "workshop", "open", str(path)], env)
    try:
        terminal.wait_for("What this demo is")
        terminal.keys("n", "n")
        # The notes' hint shows once the discussion pane is mounted and can take the cursor.
        terminal.wait_for("Notes (saved as you type")
        terminal.keys("i")
        terminal.type("Saved before the hangup")
        wait_for_file(path, lambda data: "Saved before the hangup" in note_text(data))
        pid = terminal.pid()
        # Keys keep arriving from another thread while the hangup lands.
        stop = threading.Event()

        def typing() -> None:
            while not stop.is_set():
                try:
                    terminal.type(" more")
                except subprocess.CalledProcessError:  # the terminal is gone: done
                    return

        typist = threading.Thread(target=typing, daemon=True)
        typist.start()
        try:
            os.kill(pid, signal.SIGHUP)
            assert gone(pid, timeout=SIGNAL_EXIT_SECONDS + 2), "the app was still running after SIGHUP"
        finally:
            stop.set()
            typist.join(5)
    finally:
        terminal.kill_server()
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert note_text(data).startswith("Saved before the hangup")
