"""Subprocess target for the kill test: save one session file over and over.

Usage: save_loop.py PATH COUNT. Alternates between the two states of
`factories.kill_test_states()` (`touch=False`, so each save writes exactly one of them),
printing "ready" after the second save (so a `.bak` exists from the first kill on, however
busy the machine is) so the parent knows when to start the clock.
"""

from __future__ import annotations

import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(TESTS), str(TESTS.parent)]  # factories, and workshop from the checkout

from factories import kill_test_states  # noqa: E402

from workshop.storage.store import load_session, save_session  # noqa: E402


def main() -> None:
    path, count = Path(sys.argv[1]), int(sys.argv[2])
    states = kill_test_states()
    stamp = None
    if path.exists():
        # Like the app: resume from whatever is on disk; it must be readable.
        stamp = load_session(path).stamp
    for index in range(count):
        stamp = save_session(states[index % 2], path, expect=stamp, touch=False)
        if index == 1:
            print("ready", flush=True)


if __name__ == "__main__":
    main()
