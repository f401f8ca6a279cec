"""The facilitator's key goes first: phones' submissions wait while the console answers one."""

from __future__ import annotations

import asyncio

from webhelp import Room, joined, post

from workshop.domain.timebox import FakeClock
from workshop.service.console_turn import KEY_FORGOTTEN_SECONDS, ConsoleTurn

VOTE = "demo-vote"


async def _until(condition, what: str, turns: int = 10_000) -> None:
    """Let the loop run until `condition()` holds (each turn hands the loop to the others)."""
    for _ in range(turns):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError(f"never: {what}")


async def test_with_no_key_being_answered_a_phone_does_not_wait() -> None:
    turn = ConsoleTurn()
    await asyncio.wait_for(turn.phones_wait(), 1)  # returns at once: no key
    turn.key_pressed()
    turn.keys_answered()
    await asyncio.wait_for(turn.phones_wait(), 1)
    assert turn.waiting == 0


async def test_a_phone_waits_until_the_keys_are_answered() -> None:
    turn = ConsoleTurn()
    turn.key_pressed()
    waiting = asyncio.ensure_future(turn.phones_wait())
    await _until(lambda: turn.waiting == 1, "the phone waits")
    turn.key_pressed()  # another key before the first was answered: still waiting
    await asyncio.sleep(0)
    assert not waiting.done()
    turn.keys_answered()
    await asyncio.wait_for(waiting, 1)
    assert turn.waiting == 0


async def test_a_key_never_answered_is_forgotten_so_phones_are_not_held_for_ever() -> None:
    clock = FakeClock()
    turn = ConsoleTurn(clock.monotonic)
    turn.key_pressed()
    assert turn.answering
    clock.advance(KEY_FORGOTTEN_SECONDS)
    assert not turn.answering
    await asyncio.wait_for(turn.phones_wait(), 1)


async def test_a_ballot_from_a_phone_is_cast_after_the_console_has_answered_its_key(tmp_path) -> None:
    room = Room(tmp_path, "named")
    room.editor.jump(VOTE)
    try:
        phone = await joined(room, "amira-khan")
        console = room.opened.console
        console.key_pressed()
        sent = asyncio.ensure_future(post(room, phone, "dots", {"activity_id": VOTE, "dots": {"p0": 1}, "request_id": "r1"}))
        await _until(lambda: console.waiting == 1, "the ballot waits for the console")
        assert room.editor.current_round(VOTE) is None  # nothing cast while the key is answered
        console.keys_answered()
        status, body = await asyncio.wait_for(sent, 10)
        assert status == 200 and body["recorded"] is True
        assert [ballot.voter for ballot in room.on_disk().vote_rounds[-1].ballots] == ["amira-khan"]
    finally:
        await room.close()


async def test_the_app_tells_the_console_turn_of_each_key_and_when_its_screen_is_drawn(tmp_path) -> None:
    from apphelp import ballot_session, go_to_activity, make_app, wait_until

    app = make_app(tmp_path, clock=FakeClock(), open_path=ballot_session(tmp_path / "sessions", "named"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await go_to_activity(pilot, "vote")
        turn = app.console_turn
        assert turn is not None and screen.opened.console is turn
        told: list[str] = []
        pressed, answered = turn.key_pressed, turn.keys_answered

        def key_pressed() -> None:
            told.append("pressed")
            pressed()

        def keys_answered() -> None:
            told.append("answered")
            answered()

        turn.key_pressed = key_pressed  # type: ignore[method-assign]
        turn.keys_answered = keys_answered  # type: ignore[method-assign]
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: "answered" in told, "the key's screen drawn")
        assert told[0] == "pressed" and not turn.answering
