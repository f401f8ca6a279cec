"""Leaving while saves fail: the app never exits or goes home past unsaved work silently."""

from __future__ import annotations

import tomllib

import pytest
from apphelp import go_to_activity, make_app, settle, wait_until, write_session
from textual.widgets import Static

import workshop.storage.autosave as autosave
from workshop.domain.timebox import FakeClock
from workshop.storage.store import SaveError
from workshop.ui.screens.home import HomeScreen
from workshop.ui.screens.run import RunScreen
from workshop.ui.widgets.ask_text import AskText
from workshop.ui.widgets.confirm import Confirm
from workshop.ui.widgets.unsaved import UnsavedChoice

NOTE = "What the room said while the disk was full"


class Disk:
    """Stands in for the real save: full until `free()`."""

    def __init__(self):
        self.full = True
        self.real = autosave.save_snapshot

    def save(self, loaded, snapshot, backups):
        if self.full:
            raise SaveError(f"Cannot save {loaded.path.name}: No space left on device.")
        self.real(loaded, snapshot, backups)


@pytest.fixture
def disk(monkeypatch):
    disk = Disk()
    monkeypatch.setattr(autosave, "save_snapshot", disk.save)
    return disk


async def typed_a_note(pilot) -> RunScreen:
    screen = await go_to_activity(pilot, "discuss")
    await pilot.press("i")
    await pilot.press(*NOTE)
    await settle(pilot)
    return screen


def note_in(path) -> str:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return "".join(note["text"] for note in data.get("notes", []))


async def test_saving_fails_quietly_once_then_the_status_line_says_so(tmp_path, disk):
    path = write_session(tmp_path / "sessions")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await typed_a_note(pilot)
        for _ in range(3):
            screen.saver.mark_dirty()
            screen.saver.flush(wait=True)
            screen.note_save_results()
        screen._redraw()
        assert screen.save_problem == f"Cannot save {path.name}: No space left on device."
        assert "NOT SAVED" in str(screen.query_one("#schedule-status", Static).render())
        disk.full = False
        screen.saver.mark_dirty()
        screen.saver.flush(wait=True)
        screen.note_save_results()
        assert screen.save_problem is None
    assert NOTE in note_in(path)


async def test_q_with_a_full_disk_asks_and_escape_stays(tmp_path, disk):
    path = write_session(tmp_path / "sessions")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await typed_a_note(pilot)
        await pilot.press("escape", "q")
        await wait_until(pilot, lambda: isinstance(app.screen, UnsavedChoice), "the question")
        assert "No space left on device" in str(app.screen.query_one("#unsaved-reason", Static).render())
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, "back on the run screen")
        # Retry once the disk has room: the note is saved and the app goes home.
        disk.full = False
        await pilot.press("q")
        await wait_until(pilot, lambda: isinstance(app.screen, UnsavedChoice) or isinstance(app.screen, HomeScreen), "leaving")
        if isinstance(app.screen, UnsavedChoice):
            await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
    assert NOTE in note_in(path)


async def test_ctrl_q_with_a_full_disk_does_not_quit_until_the_facilitator_discards(tmp_path, disk):
    path = write_session(tmp_path / "sessions")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await typed_a_note(pilot)
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, UnsavedChoice), "the question")
        assert app.is_running
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, Confirm), "the confirmation")
        await pilot.press("y")
        await wait_until(pilot, lambda: not app.is_running, "the app to quit")
    assert NOTE not in note_in(path)


async def test_a_copy_saved_elsewhere_holds_everything(tmp_path, disk):
    path = write_session(tmp_path / "sessions")
    usb = tmp_path / "usb"
    usb.mkdir()
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await typed_a_note(pilot)
        await pilot.press("escape", "q")
        await wait_until(pilot, lambda: isinstance(app.screen, UnsavedChoice), "the question")
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, AskText), "the path question")
        # A folder that does not exist is refused, and the dialog stays open.
        await pilot.press(*str(tmp_path / "nowhere" / "x"), "enter")
        await settle(pilot)
        assert isinstance(app.screen, AskText)
        await pilot.press("ctrl+u", *str(usb), "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
    (copy,) = usb.glob("*.toml")
    assert NOTE in note_in(copy)
    assert NOTE not in note_in(path)
