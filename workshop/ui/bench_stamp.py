"""A timestamp for the benchmarks, off unless `WORKSHOP_BENCH_STAMP` names a file.

`benchmarks/run.py` starts the app in a real terminal and needs to know when the first
frame was drawn and when the home screen's list was filled, from inside the app (the
process's exit would also wait for workers). Each event appends `<event> <monotonic>`.
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
