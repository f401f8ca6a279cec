"""Python's full garbage collections, kept out of key presses.

With the largest session open (100 people, 1,000 proposals), CPython's automatic full
collection scanned every object the app holds, 70-90 ms, and struck during about one
board move in six: each decision's autosave snapshot (plain dicts and lists, freed by
reference counting as soon as it is written) is large enough to set it off. While the
app runs, automatic full collections are off; one runs when nobody has pressed a key
for a moment, at most every `EVERY_SECONDS`, and whatever is happening after
`AT_LATEST_SECONDS`. Young objects are collected as usual, so little waits for it.

One more runs as soon as a session's run screen is first drawn (`collect_now`): building
and drawing it leaves some 9,000 objects in reference cycles (Textual's strips with their
caches, the virtual nodes of its style sheet, replaced footer keys). Left for the first
quiet moment 20 s on, the memory they hold was not reused by what came in the meantime:
collected at once, the run screen's peak memory was about 0.6 MB lower (56.2 MB, not 56.8,
with the typical session: `benchmarks/run.py --only idle`).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

QUIET_SECONDS = 1.0
EVERY_SECONDS = 20.0
AT_LATEST_SECONDS = 120.0
# How often the app asks whether a collection is due.
CHECK_SECONDS = 1.0
# CPython considers a full collection after this many collections of the middle
# generation: high enough that it never does on its own while the app runs.
NEVER = 1_000_000


def due(now: float, last_input: float, last_full: float) -> bool:
    """Whether a full collection should run now."""
    since = now - last_full
    return since >= AT_LATEST_SECONDS or (since >= EVERY_SECONDS and now - last_input >= QUIET_SECONDS)


class Collector:
    """Turns automatic full collections off (`start`) and back on (`stop`); `tick` runs one
    when `due`; `touched` notes a key press."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, collect: Callable[[], object] = gc.collect):
        self._clock = clock
        self._collect = collect
        self._saved: tuple[int, ...] | None = None
        self.last_input = self.last_full = clock()
        self.collections = 0

    def start(self) -> None:
        if self._saved is None:
            self._saved = gc.get_threshold()
            gc.set_threshold(self._saved[0], self._saved[1], NEVER)

    def stop(self) -> None:
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None

    def touched(self) -> None:
        self.last_input = self._clock()

    def collect_now(self) -> None:
        """Run a full collection now (a screen has just been built: nobody is typing yet)."""
        self._collect()
        self.collections += 1
        self.last_full = self._clock()

    def tick(self) -> None:
        now = self._clock()
        if due(now, self.last_input, self.last_full):
            self.collect_now()
