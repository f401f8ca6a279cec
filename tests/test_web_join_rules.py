"""Who may hold which name, and late arrivals that cannot lock the room out (issue 24, items 9 and 10).

One phone votes under one name for the session, and a name given back after voting cannot
vote again from another phone until the facilitator releases it. Requests to join late
are bounded per address and in all, and expire.
"""

from __future__ import annotations

import pytest
from webhelp import Room, joined, post, state

from workshop.web.joining import LATE_PENDING_MAX, LATE_PER_ADDRESS, LATE_REQUEST_SECONDS, JoinState, TooMany

VOTE = "demo-vote"


@pytest.fixture
async def room(tmp_path):
    made = Room(tmp_path)
    made.editor.jump(VOTE)
    yield made
    await made.close()


def dots(request_id: str, **given: int) -> dict:
    return {"activity_id": VOTE, "dots": given, "request_id": request_id}


def ballots(room: Room) -> int:
    return len(room.editor.current_round(VOTE).ballots)


async def test_a_phone_that_voted_cannot_vote_again_under_another_name(room):
    phone = await joined(room, "amira-khan")
    assert (await post(room, phone, "dots", dots("a", p0=1)))[0] == 200
    # The steps: join as someone else with the same cookie, cast again, come back.
    status, answer = await post(room, phone, "join", {"participant_id": "jo-reed"})
    assert status == 409
    assert "already taken part as Amira Khan" in answer["error"]
    assert (await state(room, phone))["me"]["participant_id"] == "amira-khan"
    # Giving the name back does not free the phone either; the phone is told which name it keeps.
    assert (await post(room, phone, "leave", {}))[0] == 200
    assert (await state(room, phone))["kept_as"] == {"participant_id": "amira-khan", "name": "Amira Khan"}
    assert (await post(room, phone, "join", {"participant_id": "jo-reed"}))[0] == 409
    assert (await post(room, phone, "late", {"name": "Someone New"}))[0] == 409
    assert (await post(room, phone, "join", {"participant_id": "amira-khan"}))[0] == 200
    assert ballots(room) == 1


async def test_a_wrong_tap_is_put_right_before_taking_part(room):
    phone = await joined(room, "amira-khan")
    assert (await post(room, phone, "leave", {}))[0] == 200
    assert (await post(room, phone, "join", {"participant_id": "jo-reed"}))[0] == 200


async def test_a_name_given_back_after_voting_waits_for_the_facilitator(room):
    first = await joined(room, "amira-khan")
    assert (await post(room, first, "dots", dots("a", p0=1)))[0] == 200
    assert (await post(room, first, "leave", {}))[0] == 200
    other = await room.phone()
    status, answer = await post(room, other, "join", {"participant_id": "amira-khan"})
    assert status == 409 and "already taken part from another phone" in answer["error"]
    assert "amira-khan" in room.join.kept()
    # The facilitator releases the name on the laptop: another phone may take it now.
    assert room.join.release("amira-khan")
    assert "amira-khan" not in room.join.kept()
    assert (await post(room, other, "join", {"participant_id": "amira-khan"}))[0] == 200


async def test_a_late_join_flood_from_one_address_locks_nobody_out(room):
    accepted = refused = 0
    for number in range(205):
        phone = await room.phone()
        status, _ = await post(room, phone, "late", {"name": f"Flood {number}"})
        accepted += status == 202
        refused += status == 429
        await phone.close()
        room.phones.remove(phone)
    assert accepted == LATE_PER_ADDRESS and refused == 205 - LATE_PER_ADDRESS
    assert len(room.join.pending()) == LATE_PER_ADDRESS
    # A real participant's new phone still joins.
    newcomer = await room.phone()
    assert (await post(room, newcomer, "join", {"participant_id": "li-wei"}))[0] == 200


async def test_a_phone_asking_again_replaces_its_own_request(room):
    phone = await room.phone()
    for name in ("Sam Smith", "Sam Smyth", "Samantha Smyth"):
        status, _ = await post(room, phone, "late", {"name": name})
        assert status == 202
    assert [r.name for r in room.join.pending()] == ["Samantha Smyth"]


def test_late_requests_are_bounded_in_all_and_expire():
    now = [0.0]
    join = JoinState(monotonic=lambda: now[0])
    for number in range(LATE_PENDING_MAX):
        join.ask_late(join.new_device(), f"Person {number}", f"10.0.0.{number}")
    with pytest.raises(TooMany):
        join.ask_late(join.new_device(), "One too many", "10.0.1.1")
    assert len(join.pending()) == LATE_PENDING_MAX
    version = join.version
    now[0] = LATE_REQUEST_SECONDS + 1
    assert join.pending() == []
    assert join.version > version  # phones and the panel hear of it
    assert {r.status for r in join.late_requests.values()} == {"expired"}
    join.ask_late(join.new_device(), "On time", "10.0.1.1")
    assert [r.name for r in join.pending()] == ["On time"]


def test_turn_away_all():
    join = JoinState()
    for number in range(5):
        join.ask_late(join.new_device(), f"Person {number}", f"10.0.0.{number}")
    assert join.refuse_all_late() == 5
    assert join.pending() == [] and join.refuse_all_late() == 0


async def test_an_expired_request_is_said_on_the_phone(tmp_path):
    now = [0.0]
    made = Room(tmp_path)
    made.join.monotonic = lambda: now[0]
    try:
        phone = await made.phone()
        assert (await post(made, phone, "late", {"name": "Sam Smith"}))[0] == 202
        now[0] = LATE_REQUEST_SECONDS
        assert (await state(made, phone))["late_request"] == {"name": "Sam Smith", "status": "expired"}
    finally:
        await made.close()
