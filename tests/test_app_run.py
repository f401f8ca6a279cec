"""The run screen, driven through Pilot on a fake clock: the demo pack end to end."""

from __future__ import annotations

import tomllib

from apphelp import demo_pack, make_app, run_ready, screen_ready, settle, wait_until, write_session
from textual.widgets import Markdown

from workshop.domain.timebox import FakeClock
from workshop.ui.screens.home import HomeScreen
from workshop.ui.screens.run import RunScreen
from workshop.ui.widgets.agenda_list import AgendaList
from workshop.ui.widgets.bigclock import BigClock
from workshop.ui.widgets.confirm import Confirm
from workshop.ui.widgets.stage_line import countdown_of


async def open_run(pilot) -> RunScreen:
    """The run screen of the session opened from open_path, its activity pane mounted."""
    return await run_ready(pilot)


async def redrawn(pilot, screen: RunScreen) -> None:
    """Wait for the redraw timer to show the run clock's time as it is now.

    After a FakeClock advance nothing but the timer (every 0.25 s of real time) redraws
    the countdown; once it shows what the clock says, a tick has run since the advance.
    """
    countdown = screen.query_one(BigClock)
    # The stage's countdown where the activity has stages, else the activity's.
    await wait_until(pilot, lambda: countdown.text == countdown_of(screen.clock)[0], f"the countdown to show {countdown_of(screen.clock)[0]}")


def status_line(screen: RunScreen) -> str:
    return str(screen.query_one("#schedule-status").render())


async def test_demo_pack_from_first_activity_to_last(tmp_path):
    path = write_session(tmp_path / "sessions", people=[("Amira Khan", "Director"), ("Jo Reed", "")])
    clock = FakeClock()
    app = make_app(tmp_path, clock=clock, open_path=path)
    kinds_seen = []
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_run(pilot)
        await pilot.press("space")
        assert screen.clock.running
        for _ in range(len(screen.clock.activities)):
            await run_ready(pilot)  # the pane of this activity is there to type into
            activity = screen.clock.current
            kinds_seen.append(activity.kind)
            clock.advance(50)
            await redrawn(pilot, screen)
            if activity.kind == "discuss":
                await pilot.press("i", *"Data is patchy", "enter", *"across partners")
                await pilot.press("escape")
            # Proposals go in at the first propose step; the later one is the merge step.
            if activity.kind == "propose" and kinds_seen.count("propose") == 1:
                await pilot.press("i", *"Shared data dashboard", "enter")
                await pilot.press(*"Monthly locality panels", "enter")
                await pilot.press("escape")
            await pilot.press("n")
            await settle(pilot)
        # The proposals were never placed: the close checks say so first.
        assert isinstance(app.screen, Confirm)
        assert "2 priorities are not placed" in app.screen.question
        await pilot.press("y")
        await wait_until(pilot, lambda: app.screen is screen, "the close question to be answered")
        assert screen.clock.completed
        await pilot.press("q")
        await wait_until(pilot, lambda: app.screen is not screen, "the run screen to close")
        assert isinstance(app.screen, HomeScreen)
    assert kinds_seen == [activity.kind for _, activity in demo_pack().activities()]
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["status"] == "completed"
    assert {record["state"] for record in data["progress"]} == {"done"}
    assert all(record["elapsed_seconds"] == 50 for record in data["progress"])
    (note,) = [n for n in data["notes"] if n["text"]]
    assert note["text"] == "Data is patchy\nacross partners"
    assert [p["text"] for p in data["proposals"]] == ["Shared data dashboard", "Monthly locality panels"]
    assert all(p["behaviour"] for p in data["proposals"])


async def test_countdown_warns_at_80_percent_and_rings_once_at_100(tmp_path):
    path = write_session(tmp_path / "sessions")
    clock = FakeClock()
    app = make_app(tmp_path, clock=clock, open_path=path)
    bells = []
    async with app.run_test() as pilot:
        app.bell = lambda: bells.append(clock.monotonic())  # type: ignore[method-assign]  # the test counts the bells
        screen = await open_run(pilot)
        countdown = screen.query_one(BigClock)
        await pilot.press("space")
        clock.advance(47)
        await redrawn(pilot, screen)
        assert countdown.text == "00:13"
        assert not countdown.has_class("-warning")
        clock.advance(1)
        await redrawn(pilot, screen)
        assert countdown.text == "00:12"
        assert countdown.has_class("-warning")
        clock.advance(12)
        await redrawn(pilot, screen)
        assert countdown.has_class("-over") and not countdown.has_class("-warning")
        assert countdown.text == "+00:00"
        clock.advance(133)
        await redrawn(pilot, screen)
        assert countdown.text == "+02:13"
        assert len(bells) == 1
        # Pausing and resuming does not ring again: a second later, the timer has ticked
        # (the countdown shows that second) and there is still one bell.
        await pilot.press("space", "space")
        assert screen.clock.running
        clock.advance(1)
        await redrawn(pilot, screen)
        assert countdown.text == "+02:14"
        assert len(bells) == 1
        # +5 min takes it back under; it rings again only when that runs out.
        await pilot.press("right_square_bracket")
        clock.advance(1)
        await redrawn(pilot, screen)
        assert not countdown.has_class("-over")
        assert len(bells) == 1


async def test_pause_stops_the_clock_and_back_and_jump_move(tmp_path):
    path = write_session(tmp_path / "sessions")
    clock = FakeClock()
    app = make_app(tmp_path, clock=clock, open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_run(pilot)
        await pilot.press("space")
        clock.advance(20)
        await pilot.press("space")
        before = status_line(screen)
        clock.advance(600)
        # Paused, the countdown stands still; the projected finish (wall time) moves on
        # ten minutes, which only the redraw timer shows.
        await wait_until(pilot, lambda: status_line(screen) != before, "the timer to redraw after ten minutes")
        assert screen.clock.current_box.elapsed_seconds == 20
        await pilot.press("n", "n")
        assert screen.clock.current_index == 2
        await pilot.press("p")
        assert screen.clock.current_index == 1
        await pilot.press("s")
        assert screen.clock.state_of(screen.clock.activities[1][1].id) == "skipped"  # type: ignore[arg-type]  # a snapshot's activities all have ids
        # Jump from the agenda list.
        await pilot.press("g")
        last_id = screen.clock.activities[-1][1].id
        agenda = screen.query_one("#agenda", AgendaList)
        agenda.highlighted = agenda._index_of[last_id]  # type: ignore[index]  # a snapshot's activities all have ids
        await pilot.press("enter")
        await pilot.pause()
        assert screen.clock.current_id == last_id


async def test_typed_extension_and_focus_mode(tmp_path):
    path = write_session(tmp_path / "sessions")
    clock = FakeClock()
    app = make_app(tmp_path, clock=clock, open_path=path)
    async with app.run_test() as pilot:
        screen = await open_run(pilot)
        await pilot.press("x")
        await pilot.pause()
        await pilot.press(*"7", "enter")
        await wait_until(pilot, lambda: app.screen is screen, "the extension dialog to close")
        assert screen.clock.current_box.limit_seconds == 8 * 60
        await pilot.press("f")
        await pilot.pause()
        assert screen.has_class("-focus-mode")
        assert not screen.query_one("#agenda").display or screen.query_one("#agenda").styles.display == "none"
        await pilot.press("escape")
        assert not screen.has_class("-focus-mode")


async def test_reopening_after_a_crash_resumes_paused(tmp_path):
    path = write_session(tmp_path / "sessions")
    clock = FakeClock()
    app = make_app(tmp_path, clock=clock, open_path=path)
    async with app.run_test() as pilot:
        screen = await open_run(pilot)
        await pilot.press("space")
        clock.advance(30)
        await pilot.press("n")
        await run_ready(pilot)
        clock.advance(42)
        await redrawn(pilot, screen)
        # Simulate a crash: flush what autosave has, but do not close the session.
        screen.editor.record_elapsed()
        screen.saver.flush(wait=True)
        screen.saver.loaded.close()
        screen.opened.closed = True
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["status"] == "running"
    again = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with again.run_test() as pilot:
        screen = await open_run(pilot)
        assert not screen.clock.running
        assert screen.clock.current_index == 1
        assert screen.clock.current_box.elapsed_seconds == 42
        assert screen.session.status == "paused"


def write_with_proposals(folder):
    """A planned demo session whose file already holds two loose proposals."""
    from workshop.domain.models.session import Proposal
    from workshop.storage.store import load_session, save_session

    path = write_session(folder)
    session = load_session(path).session
    data = session.model_dump(by_alias=True)
    data["proposals"] = [
        Proposal(id="p1", text="Shared data dashboard", protected=True, horizon="a-year").model_dump(),
        Proposal(id="p2", text="Monthly panels").model_dump(),
    ]
    save_session(type(session).model_validate(data), path)
    return path


async def test_close_checks_list_loose_ends_first(tmp_path):
    path = write_with_proposals(tmp_path / "sessions")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_run(pilot)
        screen.editor.jump(screen.clock.activities[-1][1].id)  # type: ignore[arg-type]  # a snapshot's activities all have ids
        screen.editor.park("Pooled budgets with health", raised_by="Jo")
        await pilot.pause()
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        assert "not placed on a horizon: 'Monthly panels'" in app.screen.question
        assert "1 parked item is not reviewed (keep, drop or make a proposal): 'Pooled budgets with health'" in app.screen.question
        assert "priority has no owner: 'Shared data dashboard'" in app.screen.question
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen is screen, "the close question to be answered")
        assert not screen.clock.completed
        await pilot.press("n")
        await screen_ready(pilot, Confirm)
        await pilot.press("y")
        await wait_until(pilot, lambda: app.screen is screen, "the close question to be answered")
        assert screen.clock.completed


def activity_of_kind(screen: RunScreen, kind: str) -> str:
    return next(activity.id for _, activity in screen.clock.activities if activity.kind == kind)  # type: ignore[return-value]  # a snapshot's activities all have ids


async def test_auto_advance_holds_while_typing_and_letters_stay_in_the_text(tmp_path):
    path = write_session(tmp_path / "sessions")
    clock = FakeClock()
    app = make_app(tmp_path, clock=clock, open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_run(pilot)
        discuss = activity_of_kind(screen, "discuss")
        screen.editor.jump(discuss)
        await run_ready(pilot)
        await pilot.press("a", "space", "i", *"We need ")
        clock.advance(screen.clock.current_box.limit_seconds + 1)  # past the box (two stages), while typing
        # The redraw timer notices the deadline; wait for it rather than for a time.
        await wait_until(pilot, lambda: screen.clock.held, "auto-advance to hold at the deadline")
        assert screen.clock.current_id == discuss, "auto-advance must not drop a text being typed"
        assert screen.clock.held
        assert "moving on when typing stops" in str(screen.query_one("#schedule-status").render())
        # The letters of run keys go into the text, not to the run screen.
        await pilot.press(*"xnsq more")
        await pilot.pause()
        assert app.screen is screen and screen.clock.current_id == discuss
        from textual.widgets import TextArea

        assert screen.query_one(TextArea).text == "We need xnsq more"
        await pilot.press("escape")  # focus leaves the text: now it moves on
        await wait_until(pilot, lambda: screen.clock.current_id != discuss, "auto-advance to move on")
        assert screen.clock.current_id != discuss and not screen.clock.held
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert any(note["text"] == "We need xnsq more" for note in data["notes"])


async def test_auto_advance_holds_while_a_pane_holds_a_ballot(tmp_path):
    path = write_session(tmp_path / "sessions")
    clock = FakeClock()
    app = make_app(tmp_path, clock=clock, open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_run(pilot)
        first = screen.clock.current_id
        pane = screen._pane()
        pane.holds_input = lambda: True  # type: ignore[method-assign]  # as a ballot pane with a half-filled ballot says
        await pilot.press("a", "space")
        clock.advance(61)
        # The redraw timer notices the deadline; wait for it rather than for a time.
        await wait_until(pilot, lambda: screen.clock.held, "auto-advance to hold at the deadline")
        assert screen.clock.current_id == first
        pane.holds_input = lambda: False  # type: ignore[method-assign]  # the ballot was cast
        await wait_until(pilot, lambda: screen.clock.current_id != first, "auto-advance to move on")


async def test_a_completed_session_is_not_reopened_by_a_stray_key(tmp_path):
    path = write_session(tmp_path / "sessions")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_run(pilot)
        screen.editor.jump(screen.clock.activities[-1][1].id)  # type: ignore[arg-type]  # a snapshot's activities all have ids
        await pilot.press("space", "n")
        await pilot.pause()
        assert screen.clock.completed
        summary = screen.query_one("#close-summary", Markdown)
        assert "**Status:** Completed" in summary.source
        for key in ("plus", "space", "p", "n", "s", "right_square_bracket", "x"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is screen, key
            assert screen.session.status == "completed", key
            assert screen.clock.current_id == screen.clock.activities[-1][1].id, key
        screen.saver.flush(wait=True)
        assert tomllib.loads(path.read_text(encoding="utf-8"))["status"] == "completed"
        assert screen.session.status == "completed"
        # Reopening is on purpose: a key, then a question.
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        await pilot.pause()
        assert screen.session.status == "completed"
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert screen.session.status == "paused" and not screen.clock.completed
        assert "**Status:** Paused" in screen.query_one("#close-summary").source
        screen.saver.flush(wait=True)
        assert tomllib.loads(path.read_text(encoding="utf-8"))["status"] == "paused"


async def test_a_decimal_extension_is_refused_and_the_last_extension_undone(tmp_path):
    from workshop.ui.widgets.ask_number import AskNumber

    path = write_session(tmp_path / "sessions")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test() as pilot:
        screen = await open_run(pilot)
        await pilot.press("x")
        await pilot.pause()
        await pilot.press(*"1.5", "enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AskNumber), "the dialog stays open"
        assert "not a whole number" in str(dialog.query_one("#ask-error").render())
        assert screen.clock.current_box.limit_seconds == 60
        await pilot.press("backspace", "backspace", "backspace", "2", "enter")
        await pilot.pause()
        assert app.screen is screen
        assert screen.clock.current_box.limit_seconds == 3 * 60
        await pilot.press("plus")
        assert screen.clock.current_box.limit_seconds == 4 * 60
        await pilot.press("minus")
        assert screen.clock.current_box.limit_seconds == 3 * 60
        await pilot.press("minus")
        assert screen.clock.current_box.limit_seconds == 60
        await pilot.press("minus")  # nothing left to undo: refused, nothing changes
        assert screen.clock.current_box.limit_seconds == 60
        await pilot.pause()
        assert any("no extension" in str(n.message) for n in app._notifications)
