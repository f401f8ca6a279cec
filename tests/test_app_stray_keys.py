"""Stray keys never cost the room its work: typing outside a text field is text, not
commands, and `u` takes back the last step one key made (saying so)."""

from __future__ import annotations

from apphelp import ballot_session, go_to_activity, make_app, wait_until

from workshop.domain.timebox import FakeClock

TYPED = "Half-typed proposal about"


def open_app(tmp_path, mode: str = "named"):
    return make_app(tmp_path, clock=FakeClock(), open_path=ballot_session(tmp_path / "sessions", mode))


def keys_of(text: str) -> list[str]:
    names = {" ": "space", "-": "minus"}
    return [names.get(character, character) for character in text]


async def test_typing_on_a_break_changes_nothing_and_says_why(tmp_path):
    app = open_app(tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await go_to_activity(pilot, "break")
        where, running, bell = screen.clock.current_id, screen.clock.running, screen.bell_on
        await pilot.press("escape", *keys_of(TYPED))
        await pilot.pause()
        # "p" (back), "s" (skip), "a" (auto-advance), "b"... none of them acted.
        assert screen.clock.current_id == where
        assert screen.clock.running == running
        assert screen.clock.auto_advance is False and screen.bell_on == bell
        assert any("Typing?" in toast.message for toast in app._notifications)


async def test_typing_on_a_proposal_activity_goes_into_its_text_field(tmp_path):
    app = open_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await go_to_activity(pilot, "propose")
        where = screen.clock.current_id
        await pilot.press("escape", *keys_of(TYPED))
        field = screen.query_one("#proposal-text")
        await wait_until(pilot, lambda: field.value == TYPED, "the typed words in the proposal field")
        assert screen.clock.current_id == where and field.has_focus


async def test_a_single_command_key_still_acts(tmp_path):
    app = open_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await go_to_activity(pilot, "break")
        where = screen.clock.current_id
        await pilot.press("escape", "n")
        await wait_until(pilot, lambda: screen.clock.current_id != where, "the next activity")


async def test_u_takes_back_next_skip_back_and_the_toggles(tmp_path):
    app = open_app(tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await go_to_activity(pilot, "break")
        where = screen.clock.current_id
        for key in ("n", "s", "p"):
            await pilot.press("escape", key)
            await wait_until(pilot, lambda: screen.clock.current_id != where, f"{key} to move the room")
            await pilot.press("u")
            await wait_until(pilot, lambda: screen.clock.current_id == where, f"u to take back {key}")
        assert any(toast.message == "Undone: Skip." for toast in app._notifications)
        await pilot.press("a")
        assert screen.clock.auto_advance is True
        await pilot.press("u")
        assert screen.clock.auto_advance is False
        await pilot.press("b")
        assert screen.bell_on is False
        await pilot.press("u")
        assert screen.bell_on is True
        assert app.settings.bell is True
        # One step only: a second u has nothing left to take back, and says so.
        await pilot.press("u")
        await pilot.pause()
        assert app._notifications and "Nothing to undo" in list(app._notifications)[-1].message


async def test_u_takes_back_a_withdrawn_ballot(tmp_path):
    app = open_app(tmp_path, "named")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await go_to_activity(pilot, "rate")
        await pilot.press("i", "4", "3", "enter")
        await wait_until(pilot, lambda: screen.session.rating_rounds and screen.session.rating_rounds[0].ballots, "a ballot")
        await pilot.press("w", "y")
        await wait_until(pilot, lambda: not screen.session.rating_rounds[0].ballots, "the ballot withdrawn")
        await pilot.press("u")
        await wait_until(pilot, lambda: screen.session.rating_rounds[0].ballots, "the ballot back")
        assert sorted(screen.session.rating_rounds[0].ballots[0].answers.values()) == [3, 4]


async def test_u_brings_back_the_proposals_activity_as_it_was(tmp_path):
    app = open_app(tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        screen = await go_to_activity(pilot, "propose")
        where = screen.clock.current_id
        await pilot.press("escape", "n")
        await wait_until(pilot, lambda: screen.clock.current_id != where, "the next activity")
        await pilot.press("u")
        await wait_until(pilot, lambda: screen.clock.current_id == where, "the proposals activity again")
        # Shown once, whole: its table of proposals is there (showing it twice at once broke it).
        await wait_until(pilot, lambda: screen.query("ProposePane ProposalTable"), "the proposals table")
        assert app.is_running and len(screen.query("ProposePane")) == 1
