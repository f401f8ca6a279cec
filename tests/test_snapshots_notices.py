"""SVG snapshot of the home screen's notice lines: an emergency copy to open (E) and a
session changed outside the app (its row marked, D says what differs). At 80x24 only:
the notice ends with the copy's folder, which is the test's own, cut at that width."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from apphelp import home_ready, make_app, write_session

from workshop.domain.timebox import FakeClock
from workshop.storage.emergency import write_emergency_copy
from workshop.storage.store import load_session

HERE = Path(".")
# 14 Mar 2025 09:30 UTC (the tests' local time is UTC).
SAVED = 1_741_944_600


def test_home_with_an_emergency_copy_and_an_outside_version(snap_compare):
    folder = HERE / "sessions"
    lost = write_session(folder, "Spring away-day", day=date(2025, 3, 12))
    synced = write_session(folder, "Autumn review", day=date(2024, 10, 2), team="Finance")
    kept = synced.with_name(synced.name.removesuffix(".toml") + ".outside-20250314-093000.toml")
    kept.write_text(synced.read_text("utf-8").replace('team = "Finance"', 'team = "Finance and HR"'), "utf-8")
    copy = write_emergency_copy(load_session(lost).session, lost)
    os.utime(copy, (SAVED, SAVED))
    app = make_app(HERE, clock=FakeClock())
    assert snap_compare(app, terminal_size=(80, 24), run_before=home_ready)
