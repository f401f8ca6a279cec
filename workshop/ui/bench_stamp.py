"""A timestamp for the benchmarks, off unless `WORKSHOP_BENCH_STAMP` names a file.

`benchmarks/run.py` starts the app in a real terminal and waits for this stamp ("frame",
once the app has started drawing) before it presses keys. Its figures do not come from
stamps: a `call_after_refresh` callback runs when the screen is next idle, 40-100 ms
after the frame it meant at times, so the benchmark times the words as they reach the
terminal. Each event appends `<event> <monotonic>`.
"""

from __future__ import annotations

import os
import time


def stamp(event: str) -> None:
    """Append `event` and the monotonic time to the file `WORKSHOP_BENCH_STAMP` names, if set."""
    path = os.environ.get("WORKSHOP_BENCH_STAMP")
    if path:
        with open(path, "a", encoding="utf-8") as file:
            file.write(f"{event} {time.monotonic():.6f}\n")
