"""Failures reach the facilitator as one plain line: no traceback, no exception class name."""

from __future__ import annotations

import pytest
from apphelp import make_app
from textual.worker import WorkerFailed

from workshop.domain.errors import Refused
from workshop.storage.store import SaveError
from workshop.ui.failures import attempt, failure_message
from workshop.ui.screens.home import HomeScreen


def test_a_workshop_error_speaks_for_itself():
    assert failure_message(SaveError("Cannot save spring.toml: the disk is full.")) == "Cannot save spring.toml: the disk is full."


def test_a_bug_is_told_without_its_class_name():
    message = failure_message(KeyError("proposal-3"))
    assert "KeyError" not in message and "proposal-3" in message
    assert "\n" not in failure_message(ValueError("first line\nsecond line"))


class _Node:
    def __init__(self):
        self.shown: list[str] = []

    def notify(self, message, **_):
        self.shown.append(message)


def test_attempt_shows_a_refusal_and_returns_none():
    node = _Node()

    def refuse() -> int:
        raise Refused("There are no proposals to vote on yet.")

    assert attempt(node, refuse) is None  # type: ignore[arg-type]  # a stand-in that only notifies
    assert node.shown == ["There are no proposals to vote on yet."]
    assert attempt(node, lambda: 7) == 7  # type: ignore[arg-type]  # a stand-in that only notifies


async def test_a_failed_worker_on_a_screen_is_one_line(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)

        def broken() -> None:
            raise OSError(28, "No space left on device")

        worker = home.run_worker(broken, thread=True, exit_on_error=False)
        with pytest.raises(WorkerFailed):
            await worker.wait()
        await pilot.pause()
        messages = [str(n.message) for n in app._notifications]
        assert any("No space left on device" in m for m in messages)
        assert not any("OSError" in m for m in messages)
        assert app.is_running


async def test_opening_a_corrupt_session_names_its_readable_backup(tmp_path):
    from apphelp import write_session

    from workshop.storage.store import open_session

    path = write_session(tmp_path / "sessions")
    with open_session(path) as loaded:
        loaded.save()  # the first save keeps the original as .bak
    path.write_text("this is [not TOML", encoding="utf-8")
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        app.open_session(path)
        await app.workers.wait_for_complete()
        await pilot.pause()
        messages = [str(n.message) for n in app._notifications]
        assert any("a readable backup is at" in m and ".bak" in m for m in messages), messages
