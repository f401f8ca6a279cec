"""A decision of the room is on disk at once: a ballot cast just before a SIGKILL is kept.

Typing is saved about once a second, off the key press; a cast ballot is a decision and
is written straight away (by the writer thread), so the kill cannot fall between them.
"""

from __future__ import annotations

import os
import signal
import sys
import time
import tomllib
from pathlib import Path

from clirun import run_cli
from test_terminal_e2e import Terminal, gone


def test_a_ballot_cast_just_before_a_kill_is_in_the_file(tmp_path):
    env = {"WORKSHOP_SESSIONS_DIR": str(tmp_path), "HOME": os.environ["HOME"], "TERM": "xterm-256color"}
    created = run_cli(
        "new", "--pack", "demo", "--title", "Kill after cast", "--participant", "Amira:Director", "--participant", "Jo:Head", "--no-open", env=env
    )
    path = Path(created.stdout.strip())
    terminal = Terminal("cast", [sys.executable, "-m", "workshop", "open", str(path)], env)
    try:
        terminal.wait_for("What this demo is")
        terminal.keys("n")
        terminal.wait_for("0 voted")
        # Digits rate a question and move to the next; Enter casts Amira's ballot.
        # A digit pressed before `i` has moved the focus lands nowhere: press it again
        # until the ballot shows it (● in pass-the-keyboard mode), then the second.
        terminal.keys("i")
        for answered, digit in ((1, "4"), (2, "3")):
            while terminal.screen().count("[●]") < answered:
                terminal.keys(digit, pause=0)
                poll_until = time.monotonic() + 2
                while terminal.screen().count("[●]") < answered and time.monotonic() < poll_until:
                    time.sleep(0.05)
        terminal.keys("Enter", pause=0)
        deadline = time.monotonic() + 10
        # The count, or (pass the keyboard) the screen that hands it on, which says the same.
        while "1 voted" not in terminal.screen() and "Ballot cast (1 of 2)" not in terminal.screen():
            assert time.monotonic() < deadline, terminal.screen()
        pid = terminal.pid()
        os.kill(pid, signal.SIGKILL)
        assert gone(pid)
    finally:
        terminal.kill_server()
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    (rating,) = data["rating_rounds"]
    assert rating["voted"] == ["amira"]
    assert [ballot["answers"] for ballot in rating["ballots"]] == [{"demo-q1": 4, "demo-q2": 3}]
