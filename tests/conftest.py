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
    for name in ("WORKSHOP_SESSIONS_DIR", "WORKSHOP_CONTENT_DIR", "WORKSHOP_CONFIG_DIR"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture(autouse=True)
def _utc_local_time(monkeypatch):
    """Times of day on screen (finish at, back at) are shown in local time: make it UTC."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    time.tzset()
