"""The home screen says what must not be missed: an emergency copy written when a
session's file could not be saved (E opens it), and a version kept after a change
outside the app (marked on its row; D says what differs)."""

from __future__ import annotations

from apphelp import home_ready, make_app, run_ready, wait_until, write_session
from textual.widgets import DataTable

from workshop.storage.emergency import write_emergency_copy
from workshop.storage.store import load_session
from workshop.ui.screens.run import RunScreen


def _notice(app) -> str:
    notice = app.screen.query_one("#home-notice")
    return str(notice.render()) if notice.display else ""


async def test_no_notice_when_there_is_nothing_to_say(tmp_path):
    write_session(tmp_path / "sessions", "Quiet day")
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await home_ready(pilot)
        assert _notice(app) == ""


async def test_an_emergency_copy_is_named_and_e_restores_and_opens_it(tmp_path):
    path = write_session(tmp_path / "sessions", "Lost and found")
    session = load_session(path).session
    session.notes = []
    session.title = "Lost and found, as the room left it"
    copy = write_emergency_copy(session, path)
    app = make_app(tmp_path)
    async with app.run_test(size=(200, 30)) as pilot:
        await home_ready(pilot)
        assert _notice(app).startswith("⚠ E restores the emergency copy of “Lost and found, as the room left it”, saved ")
        assert str(copy) in _notice(app)
        await pilot.press("E")
        await run_ready(pilot)
        assert isinstance(app.screen, RunScreen)
        assert app.screen.loaded.path == path
        assert app.screen.loaded.session.title == "Lost and found, as the room left it"
    assert not copy.exists()


async def test_a_version_kept_after_an_outside_change_is_marked_and_d_says_what_differs(tmp_path):
    path = write_session(tmp_path / "sessions", "Synced day")
    kept = path.with_name(path.name.removesuffix(".toml") + ".outside-20250314-101500.toml")
    kept.write_text(path.read_text("utf-8").replace('title = "Synced day"', 'title = "Synced day, their edit"'), "utf-8")
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await home_ready(pilot)
        assert _notice(app) == "⚠ D shows what differs: “Synced day” was changed outside the app; that version is kept"
        table = app.screen.query_one("#sessions", DataTable)
        assert table.row_count == 1  # the copy is not a session of its own
        assert str(table.get_row_at(0)[0]).startswith("⚠ Synced day")
        assert "1 outside version kept beside it: D shows what differs" in str(app.screen.query_one("#selection-detail").render())
        await pilot.press("D")
        await wait_until(pilot, lambda: app._notifications, "the differences to be shown")
        (shown,) = list(app._notifications)
        assert f"{kept.name}:" in shown.message
        assert 'title: "Synced day" in the session, "Synced day, their edit" in the copy' in shown.message


async def test_a_symlink_loop_in_the_folder_hides_no_session(tmp_path):
    folder = tmp_path / "sessions"
    write_session(folder, "Beside a loop")
    (folder / "self.toml").symlink_to("self.toml")
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await home_ready(pilot)
        table = app.screen.query_one("#sessions", DataTable)
        assert table.row_count == 2
        assert str(table.get_row_at(0)[0]) == "Beside a loop"
        assert str(table.get_row_at(1)[0]) == "self.toml" and str(table.get_row_at(1)[1]).startswith("cannot be read (Too")
