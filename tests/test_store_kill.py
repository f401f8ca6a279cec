"""Killing a saving process at random moments never leaves a broken session file.

A subprocess saves one file 1,000 times, alternating two states; it is killed with
SIGKILL after a random delay, about twenty times over. After each kill the file (and
its `.bak`) must read back as exactly one of the two states, and at most one temp
file may be left: a kill between creating the temp file and renaming it over the
target leaves it behind, hidden and never listed, for `remove_stale_temp_files`.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from factories import kill_test_states

from workshop.storage.listing_index import INDEX_NAME
from workshop.storage.store import list_sessions, load_session, remove_stale_temp_files

HELPER = Path(__file__).resolve().parent / "helpers" / "save_loop.py"
ROOT = Path(__file__).resolve().parent.parent
KILLS = 20

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def test_sigkill_during_saves_never_breaks_the_file(tmp_path: Path) -> None:
    path = tmp_path / "killed.toml"
    states = kill_test_states()
    rng = random.Random(20240601)
    for _ in range(KILLS):
        child = subprocess.Popen([sys.executable, str(HELPER), str(path), "1000"], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0, 0.25))
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        assert child.returncode in (-signal.SIGKILL, 0)

        assert load_session(path).session in states
        backup = Path(f"{path}.bak")
        assert load_session(backup).session in states
        temps = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
        assert len(temps) <= 1, temps
        assert all(name.startswith(".") for name in temps)
        assert [item.path for item in list_sessions(tmp_path)] == [path]
        # What the app does on opening: clear temp files a killed save left behind.
        assert remove_stale_temp_files(tmp_path, max_age=0) == len(temps)
    names = sorted(p.name for p in tmp_path.iterdir() if p.name != INDEX_NAME)  # the listing's index aside
    assert names == ["killed.toml", "killed.toml.bak"]
