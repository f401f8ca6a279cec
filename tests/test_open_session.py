"""The open session as a service: the one place the saving, the phones and closing are wired.

Group commit: changes that arrive while a write is in flight go into the next write
together, and each waiter hears back only after the write holding its change is on disk.
Every save path refuses a session that could not be opened again.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest
from apphelp import ballot_session
from factories import make_session

from workshop.domain.models.session import Participant
from workshop.service import OpenSession
from workshop.storage.autosave import Autosaver
from workshop.storage.session_format import session_data
from workshop.storage.store import SaveError, create_session, load_session, open_session, save_data, save_session


def test_every_save_path_refuses_a_session_with_a_duplicate_participant(tmp_path: Path) -> None:
    path = create_session(tmp_path, make_session(title="Twice"))
    loaded = open_session(path)
    session = loaded.session
    # Appending in place is not re-validated by pydantic: what a buggy operation could do.
    session.participants.append(Participant(id="same", name="Ana"))
    session.participants.append(Participant(id="same", name="Ben"))
    before = path.read_bytes()
    with pytest.raises(SaveError, match="used twice"):
        save_data(session_data(session), path, expect=loaded.stamp)
    with pytest.raises(SaveError, match="used twice"):
        save_session(session, path, expect=loaded.stamp)
    # The autosaver's path says so too, and the file stays as it was, still readable.
    saver = Autosaver(loaded)
    saver.mark_dirty()
    saver.flush(wait=True)
    assert any("used twice" in error for error in saver.take_errors())
    assert path.read_bytes() == before
    assert load_session(path).session.title == "Twice"
    saver.close(save=False)


class CountingSaver(Autosaver):
    """The real autosaver, whose writes wait at a gate the test opens, counting snapshots."""

    def __init__(self, loaded, gate: threading.Event):
        super().__init__(loaded, save=self._gated)
        self.gate = gate
        self.written_titles: list[list[str]] = []
        self.started = threading.Event()

    def _gated(self, loaded, session) -> None:
        self.started.set()
        assert self.gate.wait(10)
        save_session(session, loaded.path, expect=loaded.stamp, touch=False)
        loaded.stamp = None
        self.written_titles.append([proposal.text for proposal in session.proposals])


async def test_changes_arriving_during_a_write_go_into_one_next_write_and_each_waits_for_its_own(tmp_path: Path) -> None:
    path = ballot_session(tmp_path, "anonymous")
    gate = threading.Event()
    loaded = open_session(path)
    saver = CountingSaver(loaded, gate)
    opened = OpenSession(loaded, saver=saver)
    editor = opened.editor

    async def propose(text: str) -> None:
        editor.add_proposal(text, activity_id=None)
        await opened.recorded()

    first = asyncio.create_task(propose("first"))
    await asyncio.to_thread(saver.started.wait, 10)  # the first write is in flight, held at the gate
    later = [asyncio.create_task(propose(f"later {n}")) for n in range(20)]
    await asyncio.sleep(0)  # let every later change reach its wait
    assert not first.done() and not any(task.done() for task in later)
    gate.set()
    await asyncio.wait_for(asyncio.gather(first, *later), 10)
    # Two writes: the first change alone, then the twenty that came while it was written.
    assert opened.commits.snapshots == 2
    assert len(saver.written_titles) == 2
    assert saver.written_titles[0][-1] == "first"
    assert saver.written_titles[1][-20:] == [f"later {n}" for n in range(20)]
    assert opened.close()


async def test_a_waiter_hears_of_the_failed_write_that_held_its_change(tmp_path: Path) -> None:
    path = ballot_session(tmp_path, "anonymous")

    def full_disk(loaded, session) -> None:
        raise SaveError("Cannot save: the disk is full")

    loaded = open_session(path)
    opened = OpenSession(loaded, saver=Autosaver(loaded, save=full_disk))
    opened.editor.add_proposal("lost?", activity_id=None)
    with pytest.raises(SaveError, match="disk is full"):
        await opened.recorded()
    opened.close(save=False)


async def test_a_stuck_write_fails_each_waiter_at_its_own_deadline_and_the_rest_hear_the_write(tmp_path: Path) -> None:
    # The waiters' deadlines share one timer: the soonest fails alone, the later one waits on.
    path = ballot_session(tmp_path, "anonymous")
    gate = threading.Event()
    loaded = open_session(path)
    saver = CountingSaver(loaded, gate)
    opened = OpenSession(loaded, saver=saver)
    opened.editor.add_proposal("held", activity_id=None)
    patient = asyncio.create_task(opened.recorded(timeout=60))
    hasty = asyncio.create_task(opened.recorded(timeout=0.01))
    with pytest.raises(SaveError, match="taking too long"):
        await hasty
    assert not patient.done()
    gate.set()
    await asyncio.wait_for(patient, 10)
    assert saver.written_titles[-1][-1] == "held"
    assert opened.close()


async def test_a_change_joining_the_gathering_moves_the_hand_over_on(tmp_path: Path, monkeypatch) -> None:
    # One timer for the gathering: when it goes off before the latest change has waited its
    # few milliseconds for company, it waits the rest, then hands every change over at once.
    from workshop.service.commits import GATHER_SECONDS

    path = ballot_session(tmp_path, "anonymous")
    gate = threading.Event()
    gate.set()
    loaded = open_session(path)
    opened = OpenSession(loaded, saver=CountingSaver(loaded, gate))
    loop = asyncio.get_running_loop()
    now = [loop.time()]
    with monkeypatch.context() as patched:
        patched.setattr(loop, "time", lambda: now[0])
        opened.editor.add_proposal("first", activity_id=None)
        now[0] += GATHER_SECONDS * 0.6
        opened.editor.add_proposal("joined", activity_id=None)
        now[0] += GATHER_SECONDS * 0.4
        opened.commits._gathered()  # the first change's time is up, not the second's
        assert opened.commits.snapshots == 0
        now[0] += GATHER_SECONDS * 0.6
        opened.commits._gathered()
        assert opened.commits.snapshots == 1
    await opened.recorded()
    assert opened.commits.snapshots == 1
    assert opened.close()


def test_closing_saves_pauses_and_releases_the_file(tmp_path: Path) -> None:
    path = ballot_session(tmp_path, "anonymous")
    opened = OpenSession(open_session(path))
    opened.editor.toggle()  # the clock runs
    opened.editor.add_proposal("kept at close", activity_id=None)
    assert opened.close()
    assert opened.close()  # idempotent
    again = open_session(path)  # the lock was released
    assert not again.read_only
    assert any(proposal.text == "kept at close" for proposal in again.session.proposals)
    assert again.session.current_activity is not None
    again.close()


async def test_when_the_last_save_fails_the_work_goes_to_an_emergency_copy_named_at_exit(tmp_path: Path, monkeypatch) -> None:
    from apphelp import go_to_activity, make_app

    from workshop.domain.timebox import FakeClock
    from workshop.storage import autosave
    from workshop.storage.emergency import list_emergency_copies

    path = ballot_session(tmp_path / "sessions", "anonymous")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await go_to_activity(pilot, "vote")

        def full_disk(loaded, snapshot, backups) -> None:
            raise SaveError(f"Cannot save {loaded.path.name}: No space left on device.")

        monkeypatch.setattr(autosave, "save_snapshot", full_disk)
        screen.editor.add_proposal("Said just before the disk filled", activity_id=None)
        # What SIGTERM and a closed terminal do: close every open session, then exit.
        assert app.close_open_sessions(timeout=5) is False
    (copy,) = list_emergency_copies()
    assert "Said just before the disk filled" in copy.path.read_text(encoding="utf-8")
    (note,) = [note for note in app.exit_notes if "could not be saved" in note]
    assert str(copy.path) in note and path.name in note
    assert "Said just before" not in path.read_text(encoding="utf-8")  # the file itself is as it was


async def test_changes_made_at_once_share_one_write(tmp_path: Path) -> None:
    # A room of phones casting at once: the first change no longer goes to disk alone,
    # leaving every other one to wait for that write and then for its own.
    path = ballot_session(tmp_path, "anonymous")
    gate = threading.Event()
    gate.set()
    loaded = open_session(path)
    saver = CountingSaver(loaded, gate)
    opened = OpenSession(loaded, saver=saver)

    async def propose(text: str) -> None:
        opened.editor.add_proposal(text, activity_id=None)
        await opened.recorded()

    await asyncio.wait_for(asyncio.gather(*(propose(f"at once {n}") for n in range(12))), 10)
    assert opened.commits.snapshots == 1
    assert saver.written_titles == [[proposal.text for proposal in opened.session.proposals]]
    assert saver.written_titles[0][-12:] == [f"at once {n}" for n in range(12)]
    assert opened.close()
