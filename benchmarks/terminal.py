"""Apps in a real pseudo-terminal: start them, time their frames and keys, read their CPU and memory.

Each app is a child process with a pty of a fixed size (`TIOCSWINSZ`); the parent
drains its output all the time (a full pty would block the app). Times come from the
app itself (`WORKSHOP_BENCH_STAMP`, `time.monotonic()`, one clock for every process on
Linux) or from the bytes the app writes back after a key.
"""

from __future__ import annotations

import compileall
import fcntl
import os
import select
import signal
import struct
import sys
import termios
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The baseline: a minimal Textual app ticking a clock, with the same stamp hook.
MINIMAL_APP = """
import os, sys, time
from datetime import datetime
from textual.app import App
from textual.widgets import Digits, Footer, Header, Static

def stamp(event):
    path = os.environ.get("WORKSHOP_BENCH_STAMP")
    if path:
        with open(path, "a") as file:
            file.write(f"{event} {time.monotonic():.6f}\\n")

class Minimal(App):
    BINDINGS = [("q", "quit", "Quit")]
    def compose(self):
        yield Header()
        yield Digits("", id="clock")
        yield Static("Type here", id="typed")
        yield Footer()
    def on_mount(self):
        self.typed = ""
        self.tick()
        self.set_interval(0.25, self.tick)
        self.call_after_refresh(stamp, "frame")
    def tick(self):
        self.query_one(Digits).update(datetime.now().strftime("%H:%M:%S"))
    def on_key(self, event):
        if event.character and event.character.isprintable():
            self.typed += event.character
            self.query_one("#typed", Static).update(self.typed[-60:])

Minimal().run()
"""

# For reference, not a baseline: the minimal app that also imports pydantic and validates
# one small model, as any app built on these two dependencies must before its own code.
# Its peak memory is the part of the run screen's that workshop's code cannot give back.
MINIMAL_PYDANTIC_APP = MINIMAL_APP.replace(
    "from textual.app import App\n",
    """from textual.app import App
from pydantic import BaseModel, ConfigDict

class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)
    id: str
    title: str
    minutes: int = 0

Record.model_validate({"id": "a1", "title": "Check-in", "minutes": 5})
""",
)


# The home screen's baseline: the same rows (read from a JSON file: the columns, the
# rows' cells, the line over the table) in a DataTable, nothing else.
MINIMAL_TABLE_APP = """
import json, sys
from textual.app import App
from textual.widgets import DataTable, Footer, Header, Static

class Table(App):
    BINDINGS = [("q", "quit", "Quit")]
    def compose(self):
        yield Header()
        yield Static("", id="intro")
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield Footer()
    def on_mount(self):
        shown = json.loads(open(sys.argv[1]).read())
        table = self.query_one(DataTable)
        for name, width in shown["columns"]:
            table.add_column(name, width=width)
        for row in shown["rows"]:
            table.add_row(*row)
        self.query_one("#intro", Static).update(shown["intro"])
        table.focus()

Table().run()
"""

# The board's baseline: 40 cards in five columns; > and < move the first card of the
# first column one column right and back (a card removed and mounted elsewhere).
MINIMAL_BOARD_APP = """
from textual.app import App
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, Static

class Board(App):
    CSS = "Vertical { width: 1fr; border: round $panel; } Static { height: 1; }"
    BINDINGS = [("q", "quit", "Quit")]
    def compose(self):
        yield Header()
        with Horizontal():
            for column in range(5):
                with Vertical(id=f"c{column}"):
                    for card in range(8):
                        yield Static(f"Proposal {column * 8 + card} for the room", classes="card")
        yield Footer()
    def on_mount(self):
        self.card = self.query(".card").first()
        self.at = 0
    def on_key(self, event):
        step = {">": 1, "<": -1}.get(event.character or "")
        if step and 0 <= self.at + step < 5:
            self.at += step
            self.card.remove()
            self.card = Static(self.card.content, classes="card")
            self.query_one(f"#c{self.at}").mount(self.card, before=0)

Board().run()
"""


@dataclass
class Child:
    """A process on a pty, its output drained into `output`."""

    pid: int
    fd: int
    started: float
    stamp_file: Path
    output: bytearray = field(default_factory=bytearray)
    # When each chunk came: (monotonic time, bytes read so far in all), to tell when a
    # given text first reached the terminal, and how many bytes were dropped from the front.
    arrivals: list[tuple[float, int]] = field(default_factory=list)
    dropped: int = 0

    def drain(self, timeout: float) -> int:
        """Read what the app wrote within `timeout` seconds; return how many bytes."""
        got = 0
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return got
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                return got
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return got
            if not chunk:
                return got
            got += len(chunk)
            self.output += chunk
            self.arrivals.append((time.monotonic(), self.dropped + len(self.output)))
            if len(self.output) > 1 << 20:
                cut = len(self.output) - (1 << 16)
                del self.output[:cut]
                self.dropped += cut

    def stamps(self) -> dict[str, float]:
        """Events the app stamped, and when (monotonic seconds)."""
        if not self.stamp_file.exists():
            return {}
        found: dict[str, float] = {}
        for line in self.stamp_file.read_text().splitlines():
            event, _, seconds = line.partition(" ")
            found.setdefault(event, float(seconds))
        return found

    def wait_stamp(self, event: str, timeout: float = 60.0) -> float:
        """Seconds from the start to `event`, draining output meanwhile."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            found = self.stamps().get(event)
            if found is not None:
                return found - self.started
            self.drain(0.005)
        raise TimeoutError(f"no '{event}' stamp within {timeout} s")

    def seen_at(self, marker: bytes) -> float | None:
        """Seconds from the start to when `marker` first reached the terminal, if it has."""
        found = self.output.find(marker)
        if found < 0:
            return None
        end = self.dropped + found + len(marker)
        return next(at for at, total in self.arrivals if total >= end) - self.started

    def wait_seen(self, *markers: bytes, timeout: float = 60.0) -> float:
        """Seconds from the start to the first of `markers` on the terminal: what the
        person at it sees, whatever the app believes it drew (see `home_start`)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            times = [at for at in map(self.seen_at, markers) if at is not None]
            if times:
                return min(times)
            self.drain(0.005)
        raise TimeoutError(f"none of {markers!r} appeared within {timeout} s")

    def wait_output(self, marker: bytes, timeout: float = 60.0, since: int | None = None) -> None:
        """Drain until `marker` appears in what the app wrote since offset `since` of
        `output` (by default, since this call)."""
        start = len(self.output) if since is None else since
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if marker in self.output[max(0, start - len(marker)) :]:
                return
            before = len(self.output)
            self.drain(0.05)
            start = min(start, before) if len(self.output) >= before else 0
        raise TimeoutError(f"{marker!r} did not appear within {timeout} s")

    def key_to_repaint(self, key: bytes, quiet: float = 0.03, timeout: float = 2.0) -> float:
        """Seconds from writing `key` to the last byte of the repaint it caused.

        The repaint is over when no byte has come for `quiet` seconds (not counted).
        """
        self.drain(quiet)  # let a clock tick's output finish first
        sent = time.monotonic()
        os.write(self.fd, key)
        end = sent + timeout
        # The first bytes may take longer than `quiet` to come (a slow repaint): wait
        # for them, then for the output to pause.
        self.drain_some(timeout)
        last = time.monotonic()
        while time.monotonic() < end:
            if not self.drain(quiet):
                break
            last = time.monotonic()
        return last - sent

    def drain_some(self, timeout: float) -> int:
        """Wait up to `timeout` seconds for some output; return how many bytes came."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            got = self.drain(min(0.01, max(0.0, end - time.monotonic())))
            if got:
                return got
        return 0

    def cpu_seconds(self) -> float:
        """User plus system CPU time the process has used so far."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def peak_rss_mb(self) -> float:
        """The process's peak resident memory (VmHWM), in MB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def stop(self) -> None:
        """Kill the app and reap it."""
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def start(argv: list[str], stamp_file: Path, *, columns: int = 100, rows: int = 30, env: dict[str, str] | None = None) -> Child:
    """Start `argv` on a new pty of `columns` x `rows`, stamping into `stamp_file`."""
    stamp_file.unlink(missing_ok=True)
    environment = {
        **os.environ,
        **(env or {}),
        "WORKSHOP_BENCH_STAMP": str(stamp_file),
        "TERM": "xterm-256color",
        "COLUMNS": str(columns),
        "LINES": str(rows),
        "PYTHONPATH": str(ROOT),
    }
    started = time.monotonic()
    pid, fd = os.forkpty()
    if pid == 0:  # the child: becomes the app
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
            os.execve(argv[0], argv, environment)
        finally:
            os._exit(127)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    return Child(pid, fd, started, stamp_file)


def minimal_argv() -> list[str]:
    """The minimal ticking app, as a command line."""
    return [sys.executable, "-c", MINIMAL_APP]


def minimal_pydantic_argv() -> list[str]:
    """The minimal ticking app with pydantic and one model validated, as a command line."""
    return [sys.executable, "-c", MINIMAL_PYDANTIC_APP]


def table_argv(rows_file: Path) -> list[str]:
    """The minimal table app showing the rows in `rows_file`, as a command line."""
    return [sys.executable, "-c", MINIMAL_TABLE_APP, str(rows_file)]


def board_argv() -> list[str]:
    """The minimal board app, as a command line."""
    return [sys.executable, "-c", MINIMAL_BOARD_APP]


def compile_as_installed() -> None:
    """Bytecode for workshop's modules, as `pip install .` writes it when it installs them.

    From a checkout (an editable install) Python writes it at the first start, unless
    PYTHONDONTWRITEBYTECODE is set, as on the machines this runs on: then every start
    compiled workshop's modules from source (Textual's and pydantic's came compiled from
    pip), and the home screen's first frame measured the compiler too (1.37x the minimal
    app; 1.23x with the bytecode a user's install has). Only modules changed since are
    compiled again."""
    import workshop

    compileall.compile_dir(Path(workshop.__file__).parent, quiet=1)


def workshop_argv(sessions: Path, *args: str) -> list[str]:
    """`workshop` on a sessions folder, as a command line."""
    return [sys.executable, "-m", "workshop", "--sessions-dir", str(sessions), *args]
