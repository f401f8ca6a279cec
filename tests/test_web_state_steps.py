"""What `api/state` tells a phone about a step (issue 24): the merge step, the limits."""

from __future__ import annotations

import pytest
from webhelp import Room, joined, post, state

from workshop.domain.models.limits import LINE_TEXT_CHARACTERS, SHORT_TEXT_CHARACTERS
from workshop.web.phone_view import CONSOLE_KEY


@pytest.fixture
async def room(tmp_path):
    made = Room(tmp_path)
    yield made
    await made.close()


async def test_the_merge_step_shows_every_proposal_read_only_without_the_laptops_keys(room):
    room.editor.jump("demo-merge")
    phone = await joined(room, "amira-khan")
    activity = (await state(room, phone))["activity"]
    assert activity["merging"] is True
    texts = [p["text"] for p in activity["proposals"]]
    assert texts == [p.text for p in room.editor.session.proposals] and len(texts) >= 3
    assert "propose" not in activity["can"]  # read-only: merging is done on the laptop
    assert "(m)" not in activity["prompt"] and "merge any two that say the same thing" in activity["prompt"]
    status, _ = await post(room, phone, "propose", {"activity_id": "demo-merge", "text": "Another", "request_id": "x"})
    assert status == 409


async def test_merged_wordings_are_shown_with_the_proposal_they_went_into(room):
    room.editor.merge_proposals("p0", "p1")
    room.editor.jump("demo-merge")
    phone = await joined(room, "amira-khan")
    first = (await state(room, phone))["activity"]["proposals"][0]
    assert first["id"] == "p0" and first["merged_texts"] == [room.editor.session.proposals[0].merged_texts[0]]


async def test_an_ordinary_propose_step_still_takes_proposals(room):
    room.editor.jump("demo-propose")
    phone = await joined(room, "amira-khan")
    activity = (await state(room, phone))["activity"]
    assert activity["merging"] is False and "propose" in activity["can"]


async def test_the_state_says_the_limits_the_server_keeps(room):
    phone = await room.phone()
    assert (await state(room, phone))["limits"] == {"proposal": LINE_TEXT_CHARACTERS, "name": SHORT_TEXT_CHARACTERS}


def test_only_key_hints_are_left_out_of_prompts():
    assert CONSOLE_KEY.sub("", "Merge any two (m). Then vote (press Enter)") == "Merge any two. Then vote (press Enter)"
    assert CONSOLE_KEY.sub("", "Impact (on children) and cost (a)") == "Impact (on children) and cost"
