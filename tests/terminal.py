"""Driving the real app in a real terminal (tmux): keys in, screen captures out.

Every `Terminal` has its own tmux server (its own `-L` socket), so two test runs at once,
or two tests in one run, never see each other's windows. Waits poll `capture-pane` with a
deadline: a wait ends as soon as the screen shows what it waits for.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
import tomllib
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from clirun import ROOT

# How often a wait looks at the screen again; the wait itself ends on what it sees.
POLL_SECONDS = 0.1


def need_tmux() -> None:
    """Skip without tmux, except under CI, where a missing tmux is a failure."""
    if shutil.which("tmux") is not None:
        return
    if os.environ.get("CI"):
        pytest.fail("tmux is not installed, and CI must run the real-terminal tests")
    pytest.skip("tmux is not installed")


class Terminal:
    """One tmux session running one command, driven by keys, read by screen captures."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], size: tuple[int, int] = (80, 24)):
        self.name = name
        self.size = size
        # One tmux server per terminal: its socket name is unique to this process and object.
        self.socket = ["-L", f"workshop-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"]
        exports = " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items())
        # `exec`: the window's process is the app itself, so its pid is the one to kill.
        # COLUMNS and LINES go: set under pytest (80x24), they would override the window's size.
        # NO_COLOR goes too: some waits read the focus from the screen's colours.
        shell = f"cd {shlex.quote(str(ROOT))} && exec env -u COLUMNS -u LINES -u NO_COLOR {exports} {' '.join(shlex.quote(part) for part in command)}"
        subprocess.run(
            ["tmux", *self.socket, "-f", "/dev/null", "new-session", "-d", "-s", name, "-x", str(size[0]), "-y", str(size[1]), shell],
            check=True,
        )
        self.socket_path = Path(self._tmux("display-message", "-p", "#{socket_path}").stdout.strip())

    def _tmux(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["tmux", *self.socket, *args], capture_output=True, text=True, check=True)

    def keys(self, *keys: str, pause: float = 0.15) -> None:
        """Send tmux key names one by one, `pause` apart (older tests pace keys this way)."""
        for key in keys:
            self._tmux("send-keys", "-t", self.name, key)
            if pause:
                time.sleep(pause)

    def press(self, *keys: str) -> None:
        """Send tmux key names at once, without pausing; wait for what they do afterwards."""
        for key in keys:
            self._tmux("send-keys", "-t", self.name, key)

    def type(self, text: str) -> None:
        """Type text literally (no key names)."""
        self._tmux("send-keys", "-t", self.name, "-l", text)

    def screen(self) -> str:
        """The visible screen as plain text."""
        result = subprocess.run(["tmux", *self.socket, "capture-pane", "-p", "-t", self.name], capture_output=True, text=True)
        return result.stdout

    def lines(self) -> list[str]:
        """The visible screen's lines."""
        return self.screen().split("\n")

    def styled_screen(self) -> str:
        """The visible screen with its colour escapes (focus shows only in colour)."""
        return self._tmux("capture-pane", "-p", "-e", "-t", self.name).stdout

    def cursor(self) -> tuple[int, int]:
        """Where the terminal's cursor is: Textual puts it in the focused input."""
        x, y = self._tmux("display-message", "-p", "-t", self.name, "#{cursor_x},#{cursor_y}").stdout.strip().split(",")
        return int(x), int(y)

    def move_focus(self, key: str = "Tab", timeout: float = 30) -> tuple[int, int]:
        """Press a focus key and wait until the cursor has moved to the next input.

        Textual hands keys to the focused widget before an earlier Tab has moved the focus,
        so text typed straight after a Tab can land in the field it left; a person is never
        that fast, a test must wait.
        """
        before = self.cursor()
        self.press(key)
        deadline = time.monotonic() + timeout
        while (now := self.cursor()) == before:
            if time.monotonic() > deadline:
                raise AssertionError(f"{key} did not move the cursor from {before}; the screen was:\n{self.screen()}")
            time.sleep(POLL_SECONDS)
        return now

    def wait_until(self, predicate: Callable[[str], bool], what: str, timeout: float = 60) -> str:
        """Poll the screen until `predicate(screen)` holds; fail with the last screen after `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if predicate(screen):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{what} never appeared; the screen was:\n{screen}")
            time.sleep(POLL_SECONDS)

    def wait_for(self, text: str, timeout: float = 60) -> str:
        """Wait for `text` on the screen; return the screen."""
        return self.wait_until(lambda screen: text in screen, repr(text), timeout)

    def wait_for_all(self, texts: Iterable[str], timeout: float = 60) -> str:
        """Wait until every one of `texts` is on the screen at once."""
        wanted = list(texts)
        return self.wait_until(lambda screen: all(text in screen for text in wanted), repr(wanted), timeout)

    def wait_gone(self, text: str, timeout: float = 60) -> str:
        """Wait until `text` is no longer on the screen."""
        return self.wait_until(lambda screen: text not in screen, f"the end of {text!r}", timeout)

    def pid(self) -> int:
        """The process id of the command the window runs."""
        return int(self._tmux("display-message", "-p", "-t", self.name, "#{pane_pid}").stdout.strip())

    def kill_session(self) -> None:
        """Close the window, as closing a terminal does (the command gets SIGHUP)."""
        subprocess.run(["tmux", *self.socket, "kill-session", "-t", self.name], check=False)

    def kill_server(self) -> None:
        """End this terminal's tmux server and everything in it, and remove its socket file."""
        subprocess.run(["tmux", *self.socket, "kill-server"], check=False, capture_output=True)
        # tmux leaves the socket file of a server that was killed; one per test would pile up.
        self.socket_path.unlink(missing_ok=True)


def read_toml_when(path: Path, predicate: Callable[[dict[str, Any]], bool], timeout: float = 60) -> dict[str, Any]:
    """Poll a TOML file until it parses and `predicate(data)` holds; return the data."""
    deadline = time.monotonic() + timeout
    data: dict[str, Any] | None = None
    while True:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError):
            data = None
        if data is not None and predicate(data):
            return data
        if time.monotonic() > deadline:
            raise AssertionError(f"{path.name} never got there; last read: {data!r:.2000}")
        time.sleep(POLL_SECONDS)


def process_gone(pid: int, timeout: float = 30) -> bool:
    """Whether the process `pid` has ended within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(POLL_SECONDS)
    return False
