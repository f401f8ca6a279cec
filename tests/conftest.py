"""Shared fixtures: every test gets its own sessions, content and config folders."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_folders(tmp_path_factory, monkeypatch):
    """Keep tests away from the real ~/.local/share/workshop and each other."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    # Emergency copies go to the state folder, else the cache, else the temp folder:
    # a test must neither see the machine's copies nor leave its own there.
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    import tempfile

    temp = home / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    for name in ("WORKSHOP_SESSIONS_DIR", "WORKSHOP_CONTENT_DIR", "WORKSHOP_CONFIG_DIR"):
        monkeypatch.delenv(name, raising=False)
    # TEXTUAL=devtools would make every app connect to one shared devtools port.
    monkeypatch.delenv("TEXTUAL", raising=False)
    return home


@pytest.fixture(autouse=True)
def _utc_local_time(monkeypatch):
    """Times of day on screen (finish at, back at) are shown in local time: make it UTC."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    time.tzset()


@pytest.fixture(autouse=True)
def _deterministic_snapshots(request, monkeypatch):
    """For every test that takes a snapshot: its own folder, the same text every run.

    The test runs inside its own `tmp_path`, so apps made with `make_app(Path("."))` name
    their sessions folder `sessions` on screen, whoever runs the test and wherever, and
    two runs at once never share a file. Cursors do not blink: a blink half a second in
    would otherwise decide whether a cursor shows in the picture.
    """
    if "snap_compare" not in request.fixturenames:
        yield
        return
    from textual.widgets import Input, TextArea

    monkeypatch.chdir(request.getfixturevalue("tmp_path"))
    for widget in (Input, TextArea):
        # The reactive's default, so every Input (the command palette's too) starts still.
        monkeypatch.setattr(widget.__dict__["cursor_blink"], "_default", False)
    # Colours must not depend on the terminal of whoever runs the tests (read by App()).
    monkeypatch.delenv("NO_COLOR", raising=False)
    yield
