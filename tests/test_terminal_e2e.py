"""The real app in a real terminal (tmux): notes survive the terminal closing and SIGKILL.

Skipped where tmux is missing (failed under CI); `.ci/run` installs it.
"""

from __future__ import annotations

import os
import signal
import sys
import time
import tomllib
from pathlib import Path

import pytest
from clirun import run_cli

# The helper lives in tests/terminal.py; other tests import it from here too.
from terminal import Terminal, need_tmux

__all__ = ["Terminal", "gone", "note_text", "wait_for_file"]

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _tmux() -> None:
    """Skipped without tmux, except under CI, where that fails."""
    need_tmux()


def wait_for_file(path: Path, predicate, timeout: float = 60):
    deadline = time.monotonic() + timeout
    data = None
    while time.monotonic() < deadline:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError):
            data = None
        if data is not None and predicate(data):
            return data
        time.sleep(0.2)
    raise AssertionError(f"the file never got there; last read: {data and {k: data[k] for k in ('status', 'notes')}}")


def note_text(data) -> str:
    return "".join(note["text"] for note in data.get("notes", []))


def gone(pid: int, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def test_notes_survive_closing_the_terminal_and_sigkill(tmp_path):
    env = {"WORKSHOP_SESSIONS_DIR": str(tmp_path), "HOME": os.environ["HOME"], "TERM": "xterm-256color"}
    created = run_cli("new", "--pack", "demo", "--title", "Terminal test", "--participant", "Amira:Director", "--no-open", env=env)
    path = Path(created.stdout.strip())
    command = [sys.executable, "-m", "workshop", "open", str(path)]

    first = Terminal("first", command, env)
    try:
        first.wait_for("What this demo is")
        first.keys("space", "n", "n")
        # The discuss pane's own hint: the agenda names the activity before the keys land.
        first.wait_for("Notes (saved as you type")
        first.keys("i")
        first.type("Partners hold data we never see")
        wait_for_file(path, lambda data: "Partners hold data we never see" in note_text(data))
        pid = first.pid()
        # Closing the terminal: tmux sends SIGHUP; the app saves and exits.
        first.kill_session()
        assert gone(pid), "the app did not exit when its terminal closed"
    finally:
        first.kill_server()
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert "Partners hold data we never see" in note_text(data)
    assert data["status"] == "paused"

    second = Terminal("second", command, env)
    try:
        screen = second.wait_for("Partners hold data we never see")
        assert "A short discussion" in screen
        assert "PAUSED" in screen
        second.keys("i", "End", "Enter")
        second.type("and we do not ask for it")
        wait_for_file(path, lambda data: "and we do not ask for it" in note_text(data))
        pid = second.pid()
        os.kill(pid, signal.SIGKILL)
        assert gone(pid)
    finally:
        second.kill_server()
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert note_text(data) == "Partners hold data we never see\nand we do not ask for it"
    assert not list(tmp_path.glob(".*.tmp"))

    # Reopened after the kill, it resumes paused where it was, and is not locked.
    third = Terminal("third", command, env)
    try:
        screen = third.wait_for("A short discussion")
        assert "PAUSED" in screen
        third.keys("q")
        third.wait_for("Terminal test")
        third.keys("q")
    finally:
        third.kill_server()
