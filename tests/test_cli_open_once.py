"""`workshop open` reads the session once and hands it, opened, to the app."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import make_session

import workshop.cli as cli
import workshop.storage.loading as loading
import workshop.storage.store as store
from workshop.storage.store import create_session, open_session


def test_open_reads_the_file_once_and_the_app_gets_it_locked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = create_session(tmp_path, make_session())
    reads: list[Path] = []
    real_load = loading.load_session
    # Wherever the command line reads it from: the store's name, or loading's own (open_session's).
    for module in (store, loading):
        monkeypatch.setattr(module, "load_session", lambda where: reads.append(where) or real_load(where))  # type: ignore[func-returns-value]  # a spy: notes the call, then makes the real one
    handed: dict[str, object] = {}

    def run_app(
        sessions_dir: Path, content_dir: Path, open_path: Path | None = None, join_at: object = None, opened: object = None, room_at: object = None
    ) -> int:
        handed.update(path=open_path, opened=opened)
        return 0

    monkeypatch.setattr(cli, "_run_app", run_app)
    assert cli.main(["--sessions-dir", str(tmp_path), "open", "abcd2345"]) == 0
    opened = handed["opened"]
    assert isinstance(opened, store.LoadedSession)
    try:
        assert reads == [path] and handed["path"] == path
        assert opened.session.id == "abcd2345" and opened.lock is not None and not opened.read_only
    finally:
        opened.close()


def test_open_of_a_session_open_elsewhere_leaves_the_question_to_the_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = create_session(tmp_path, make_session())
    handed: dict[str, object] = {}
    monkeypatch.setattr(cli, "_run_app", lambda *args, open_path=None, opened=None, **_: handed.update(path=open_path, opened=opened) or 0)
    with open_session(path):  # this process holds it: another open is refused the lock
        assert cli.main(["--sessions-dir", str(tmp_path), "open", "abcd2345"]) == 0
    assert handed == {"path": path, "opened": None}


async def test_a_session_opened_by_the_command_line_has_no_home_screen_under_it_until_it_closes(tmp_path: Path) -> None:
    # The home screen listed and drawn under the run screen held about 5 MB all day for
    # nobody to see: after `workshop open S` it is built when the run screen closes.
    from apphelp import run_ready, wait_until, write_session

    from workshop.ui.app import WorkshopApp
    from workshop.ui.screens.home import HomeScreen
    from workshop.ui.screens.run import RunScreen

    path = write_session(tmp_path / "sessions")
    app = WorkshopApp(
        sessions_dir=tmp_path / "sessions",
        content_dir=tmp_path / "content",
        open_path=path,
        settings_file=tmp_path / "settings.toml",
        opened=open_session(path),
    )
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await run_ready(pilot)
        assert isinstance(screen, RunScreen)
        assert not any(isinstance(below, HomeScreen) for below in app.screen_stack)
        await pilot.press("q")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.loads > 0, "the home screen, listed")
        assert not any(isinstance(below, RunScreen) for below in app.screen_stack)
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert [item.path for item in home.items] == [path]
