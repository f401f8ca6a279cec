"""The real app in a real terminal (tmux): notes survive the terminal closing and SIGKILL.

Skipped where tmux is missing; `.ci/run` installs it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
from clirun import ROOT, run_cli

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


class Terminal:
    """One tmux session running one command, driven by keys, read by screen captures."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], size=(80, 24)):
        self.name = name
        self.socket = ["-L", f"workshop-test-{os.getpid()}"]
        exports = " ".join(f"{key}={value}" for key, value in env.items())
        shell = f"cd {ROOT} && env {exports} {' '.join(command)}"
        subprocess.run(["tmux", *self.socket, "new-session", "-d", "-s", name, "-x", str(size[0]), "-y", str(size[1]), shell], check=True)

    def keys(self, *keys: str, pause: float = 0.15) -> None:
        for key in keys:
            subprocess.run(["tmux", *self.socket, "send-keys", "-t", self.name, key], check=True)
            time.sleep(pause)

    def type(self, text: str) -> None:
        subprocess.run(["tmux", *self.socket, "send-keys", "-t", self.name, "-l", text], check=True)

    def screen(self) -> str:
        result = subprocess.run(["tmux", *self.socket, "capture-pane", "-p", "-t", self.name], capture_output=True, text=True)
        return result.stdout

    def wait_for(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{self.screen()}")

    def pid(self) -> int:
        result = subprocess.run(["tmux", *self.socket, "display-message", "-p", "-t", self.name, "#{pane_pid}"], capture_output=True, text=True)
        return int(result.stdout.strip())

    def kill_session(self) -> None:
        subprocess.run(["tmux", *self.socket, "kill-session", "-t", self.name], check=False)

    def kill_server(self) -> None:
        subprocess.run(["tmux", *self.socket, "kill-server"], check=False, capture_output=True)


def wait_for_file(path: Path, predicate, timeout: float = 15):
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


def gone(pid: int, timeout: float = 10) -> bool:
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
