"""The room's screen's API through aiohttp's test client: its own secret, its state per activity
kind, the hold flag, its event stream, and the secrecy of an anonymous round.

The room's state is built in one place (`workshop.web.room_view.room_state`); these tests
read it as the projector's page does, over HTTP.
"""

from __future__ import annotations

import asyncio
import base64
import json
from datetime import datetime, timezone

import pytest
from webhelp import Room

from workshop.domain.render.svg import distribution_svg
from workshop.domain.report import distribution
from workshop.domain.tally import LOW_AGREEMENT_RULE, TIE_RULE, summarise_ratings
from workshop.web.room_view import reading_blocks, room_state

NAMES = ("Amira Khan", "Jo Reed", "Li Wei", "Priya Shah", "Sam Cole")
ROOM_PAGE = "<!doctype html><title>room page fixture</title>"


def make_room(tmp_path, mode: str = "named") -> Room:
    made = Room(tmp_path, mode)
    static = tmp_path / "static"
    for name, text in (("room.html", ROOM_PAGE), ("room.js", "console.log('room')"), ("room.css", "body{}")):
        (static / name).write_text(text)
    # The assets are read once, when the server is made: make it again over the full folder.
    from workshop.web.assets import load_assets

    made.server.assets = load_assets(static)
    return made


@pytest.fixture
async def room(tmp_path):
    made = make_room(tmp_path)
    yield made
    await made.close()


@pytest.fixture
async def anonymous(tmp_path):
    made = make_room(tmp_path / "a", "anonymous")
    yield made
    await made.close()


def rbase(room: Room) -> str:
    return f"/r/{room.server.room.secret}"


async def room_json(room: Room, client=None) -> dict:
    client = client or await room.phone()
    answer = await client.get(f"{rbase(room)}/api/state")
    assert answer.status == 200, await answer.text()
    return await answer.json()


def ids(room: Room) -> list[str]:
    return [p.id for p in room.editor.session.participants]


# -- the secrets ---------------------------------------------------------------------------


async def test_the_room_has_its_own_secret_and_each_family_refuses_the_others(room):
    client = await room.phone()
    room_secret, join_secret = room.server.room.secret, room.join.secret
    assert room_secret != join_secret and len(room_secret) >= 22
    assert room.server.room_url.endswith(f"/r/{room_secret}/")
    assert (await client.get(f"/r/{room_secret}/")).status == 200
    assert await (await client.get(f"/r/{room_secret}/")).text() == ROOM_PAGE
    # A phone's secret opens nothing of the room's...
    for path in ("/", "/api/state", "/api/events", "/static/room.js"):
        answer = await client.get(f"/r/{join_secret}{path}")
        assert answer.status == 404, path
        assert room_secret not in await answer.text()
    # ...and the room's secret nothing of the phones'.
    for path in ("/", "/api/state", "/api/events", "/static/app.js"):
        answer = await client.get(f"/j/{room_secret}{path}")
        assert answer.status == 404, path
    refused = await client.post(f"/j/{room_secret}/api/join", json={"participant_id": ids(room)[0]})
    assert refused.status == 404 and room.join.taken() == set()
    # The room's address serves the room's files only, and takes no submission.
    assert (await client.get(f"/r/{room_secret}/static/app.js")).status == 404
    assert (await client.get(f"/r/{room_secret}/static/room.js")).status == 200
    assert (await client.post(f"/r/{room_secret}/api/state", json={})).status in (404, 405)
    redirect = await client.get(f"/r/{room_secret}", allow_redirects=False)
    assert redirect.status == 308 and redirect.headers["Location"] == f"/r/{room_secret}/"


async def test_the_phone_state_never_carries_the_room_secret(room):
    client = await room.phone()
    answer = await client.post(f"{room.base}/api/join", json={"participant_id": ids(room)[0]})
    assert answer.status == 200
    phone_state = await (await client.get(f"{room.base}/api/state")).text()
    assert room.server.room.secret not in phone_state
    room_text = json.dumps(await room_json(room))
    assert room.join.secret in room_text  # the QR's join URL: a phone's address is the room's to show


async def test_starting_the_server_gives_both_addresses(room):
    await room.server.start()
    try:
        assert room.server.port != 0
        assert room.server.url == f"http://127.0.0.1:{room.server.port}/j/{room.join.secret}/"
        assert room.server.room_url == f"http://127.0.0.1:{room.server.port}/r/{room.server.room.secret}/"
    finally:
        await room.server.stop()


async def test_the_room_pages_carry_the_phone_pages_security_headers(room):
    client = await room.phone()
    answer = await client.get(f"{rbase(room)}/")
    assert "script-src 'self'" in answer.headers["Content-Security-Policy"]
    assert answer.headers["Cache-Control"] == "no-store"


# -- the state per activity kind -------------------------------------------------------


async def test_read_shows_the_text_without_markup_and_the_join_corner(room):
    state = await room_json(room)
    assert state["session"]["title"] == "Ballots named"
    activity = state["activity"]
    assert (activity["kind"], activity["title"]) == ("read", "What this demo is")
    assert activity["blocks"][0] == {
        "kind": "p",
        "text": "This is a demo. Each activity lasts one minute, so you can see the timer change colour and run over.",
    }
    assert activity["clock"] == {"running": False, "limit_seconds": 60.0, "remaining_seconds": 60.0, "phase": "normal"}
    assert state["schedule"] == "on time"
    joining = state["joining"]
    assert joining["url"] == room.server.url and joining["code"] == room.join.short_code
    assert joining["qr"].startswith("data:image/svg+xml") and joining["code_url"] == "http://127.0.0.1:0/"
    room.server.room.set_show_join(False)
    assert (await room_json(room))["joining"] is None


def test_reading_blocks_keep_headings_and_lists_as_text():
    assert reading_blocks("# Why\n\nWe **meet** to\ndecide.\n\n- one\n* two\n1. three") == [
        {"kind": "h", "text": "Why"},
        {"kind": "p", "text": "We meet to decide."},
        {"kind": "li", "text": "one"},
        {"kind": "li", "text": "two"},
        {"kind": "li", "text": "three"},
    ]


async def test_the_countdown_runs_and_its_phase_follows_the_time_box(room):
    room.editor.start()
    running = (await room_json(room))["activity"]["clock"]
    assert running["running"] is True and running["remaining_seconds"] <= 60.0
    room.editor.pause()
    paused = (await room_json(room))["activity"]["clock"]
    assert paused["running"] is False


async def test_a_named_round_counts_and_names_who_is_still_to_vote_never_a_value(room):
    room.editor.jump("demo-rate")
    people = ids(room)
    room.editor.cast_rating("demo-rate", people[0], {"demo-q1": 4, "demo-q2": 2})
    room.editor.abstain("demo-rate", people[1])
    ballot = (await room_json(room))["activity"]["round"]
    assert (ballot["mode"], ballot["voted_count"], ballot["abstained_count"], ballot["eligible_count"]) == ("named", 1, 1, 5)
    assert ballot["waiting_for"] == ["Li Wei", "Priya Shah", "Sam Cole"]
    assert ballot["results"] is None and [q["id"] for q in ballot["questions"]] == ["demo-q1", "demo-q2"]
    assert "answers" not in json.dumps(ballot) and "Amira" not in json.dumps(ballot)


async def test_a_pass_the_keyboard_round_names_nobody(tmp_path):
    passed = make_room(tmp_path, "passed")
    try:
        passed.editor.jump("demo-rate")
        passed.editor.cast_rating("demo-rate", ids(passed)[0], {"demo-q1": 4})
        ballot = (await room_json(passed))["activity"]["round"]
        assert ballot["voted_count"] == 1 and ballot["waiting_for"] is None
        assert not any(name in json.dumps(ballot) for name in NAMES)
    finally:
        await passed.close()


async def test_revealed_ratings_are_the_reports_figures_and_chart(room):
    room.editor.jump("demo-rate")
    people = ids(room)
    for person, answer in zip(people, (1, 4, 4, 5), strict=False):
        room.editor.cast_rating("demo-rate", person, {"demo-q1": answer})
    room.editor.reveal("demo-rate")
    ballot = (await room_json(room))["activity"]["round"]
    assert ballot["revealed"] and ballot["waiting_for"] is None
    results = ballot["results"]
    assert results["rule"] == LOW_AGREEMENT_RULE
    first = results["questions"][0]
    assert first["distribution"] == [[1, 1], [2, 0], [3, 0], [4, 2], [5, 1]]
    assert (first["count"], first["median"], first["median_text"], first["spread"], first["low_agreement"]) == (4, 4.0, "4", 4, True)
    scale = room.editor.session.agenda.activity("demo-rate").questions[0].scale
    drawn = base64.b64decode(first["chart"].split(",", 1)[1]).decode()
    assert drawn == distribution_svg(distribution(summarise_ratings([1, 4, 4, 5], scale)))
    assert first["chart_label"] == "4 answers; median 4; spread 4 (from 1 to 5); low agreement."
    assert results["questions"][1]["count"] == 0 and results["questions"][1]["chart_label"] == "No answers."


async def test_a_revealed_dot_vote_is_ranked_with_the_tie_rule(room):
    room.editor.jump("demo-vote")
    people = ids(room)
    before = (await room_json(room))["activity"]["round"]
    assert [p["text"] for p in before["ballot"]] == ["Shared data dashboard", "Monthly locality panels", "Data training"]
    assert (before["dots_per_person"], before["max_per_item"]) == (3, 2)
    room.editor.cast_dots("demo-vote", people[0], {"p1": 2, "p0": 1})
    room.editor.cast_dots("demo-vote", people[1], {"p2": 2, "p0": 1})
    room.editor.reveal("demo-vote")
    results = (await room_json(room))["activity"]["round"]["results"]
    assert results["rule"] == TIE_RULE
    # p0 has 2 dots from two voters, p1 and p2 2 dots from one each: p0 first, the others share second.
    assert [(r["text"], r["dots"], r["place_label"]) for r in results["ranking"]] == [
        ("Shared data dashboard", 2, "1"),
        ("Monthly locality panels", 2, "=2"),
        ("Data training", 2, "=2"),
    ]


async def test_propose_lists_the_proposals_with_merged_wordings_and_no_authors(room):
    room.editor.jump("demo-propose")
    people = ids(room)
    keep = room.editor.add_proposal("Protect Friday afternoons", activity_id="demo-propose", proposed_by=people[0]).ids[0]
    other = room.editor.add_proposal("No meetings on Friday", activity_id="demo-propose", proposed_by=people[1]).ids[0]
    assert [p["text"] for p in (await room_json(room))["activity"]["proposals"]] == ["Protect Friday afternoons", "No meetings on Friday"]
    room.editor.jump("demo-merge")  # lists every proposal, to merge duplicates before the vote
    room.editor.merge_proposals(keep, other)
    proposals = (await room_json(room))["activity"]["proposals"]
    assert {"id": keep, "text": "Protect Friday afternoons", "also": ["No meetings on Friday"]} in proposals
    assert len(proposals) == 4 and not any(name in json.dumps(proposals) for name in NAMES)


async def test_place_and_close_show_the_board_by_horizon(room):
    room.editor.jump("demo-place")
    room.editor.move_to_horizon("p1", "next-month")
    room.editor.set_owner("p1", "Jo Reed")
    room.editor.set_review_date("p1", "2025-04-30")
    room.editor.set_protected("p1", True)
    board = (await room_json(room))["activity"]["board"]
    assert [c["label"] for c in board] == ["Next month", "Six months", "A year", "Longer term", "Unplaced"]
    assert board[0]["cards"] == [
        {"id": "p1", "text": "Monthly locality panels", "also": [], "owner": "Jo Reed", "review_date": "2025-04-30", "dots": 0, "protected": True}
    ]
    assert [c["text"] for c in board[4]["cards"]] == ["Shared data dashboard", "Data training"]
    room.editor.jump("demo-close-summary")
    for proposal_id in ("p0", "p2"):
        room.editor.move_to_horizon(proposal_id, "a-year")
    closing = (await room_json(room))["activity"]["board"]
    assert [c["label"] for c in closing] == ["Next month", "Six months", "A year", "Longer term"]  # no empty tray
    # What the close records is the room's to see: who must agree, by when, the next review.
    assert (await room_json(room))["activity"]["decisions"] == []
    room.editor.set_approvers("The chief executive")
    room.editor.set_agree_by("2025-03-31")
    room.editor.set_next_review("2025-06-18")
    assert (await room_json(room))["activity"]["decisions"] == [
        "To be agreed by The chief executive by 31 March 2025",
        "Next review: 18 June 2025",
    ]


async def test_discuss_and_break_and_the_end(room):
    room.editor.jump("demo-discuss")
    discuss = (await room_json(room))["activity"]
    assert discuss["text"] and isinstance(discuss["prompts"], list)
    room.editor.jump("demo-break")
    noon = datetime(2025, 3, 14, 12, 0, tzinfo=timezone.utc)
    state = room_state(room.editor, room.join, room.server.room, room.server.url, now=noon)
    assert state["activity"]["returns_at"] == "12:01" and state["activity"]["kind"] == "break"
    room.editor.jump("demo-close-summary")
    room.editor.complete()
    ended = await room_json(room)
    assert ended["ended"] is True and ended["activity"] is None and ended["joining"] is None


# -- hold, versions and the event stream ---------------------------------------------------


async def test_hold_is_a_flag_the_console_toggles(room):
    version = room.server.room.version
    room.server.set_hold(True)
    state = await room_json(room)
    assert state["hold"] is True and state["version"] == version + 1
    room.server.set_hold(True)  # already held: nothing to redraw
    assert room.server.room.version == version + 1
    room.server.set_hold(False)
    assert (await room_json(room))["hold"] is False


async def test_the_version_moves_for_what_the_room_sees_only(room):
    room_state_ = room.server.room
    start = room_state_.version
    room.editor.start()
    assert room_state_.version == start + 1
    room.editor.record_elapsed()  # the clock's bookkeeping: nothing new on the screen
    assert room_state_.version == start + 1
    room.editor.set_note("demo-read", "the facilitator's own words")
    assert room_state_.version == start + 1
    room.editor.extend(2)
    assert room_state_.version == start + 2
    room.editor.next()
    assert room_state_.version == start + 3


async def test_the_event_stream_sends_a_new_version_when_the_session_moves(room):
    client = await room.phone()
    stream = await client.get(f"{rbase(room)}/api/events")
    assert stream.headers["Content-Type"].startswith("text/event-stream")

    async def next_version() -> int:
        while True:
            line = (await stream.content.readline()).decode()
            if line.startswith("data: "):
                return int(line[6:])

    first = await asyncio.wait_for(next_version(), 10)
    room.editor.next()
    assert await asyncio.wait_for(next_version(), 10) == first + 1
    room.server.set_hold(True)
    assert await asyncio.wait_for(next_version(), 10) == first + 2
    stream.close()


# -- an anonymous round: no value, no name -------------------------------------------------


def _public(state: dict) -> dict:
    """The state without what depends on the instant or the server's address (clock, secrets)."""
    state = json.loads(json.dumps(state))
    state.pop("joining")
    state["activity"].pop("clock")
    return state


async def _anonymous_state(tmp_path, answers: list[dict[str, int]], *, reveal: bool) -> dict:
    made = make_room(tmp_path, "anonymous")
    try:
        made.editor.jump("demo-rate")
        for person, given in zip(ids(made), answers, strict=False):
            made.editor.cast_rating("demo-rate", person, given)
        if reveal:
            made.editor.reveal("demo-rate")
        return await room_json(made)
    finally:
        await made.close()


async def test_an_anonymous_rounds_room_state_holds_no_value_and_no_name(tmp_path):
    low = [{"demo-q1": 1, "demo-q2": 1}, {"demo-q1": 1, "demo-q2": 2}]
    high = [{"demo-q1": 5, "demo-q2": 5}, {"demo-q1": 4, "demo-q2": 5}]
    before_low = await _anonymous_state(tmp_path / "low", low, reveal=False)
    before_high = await _anonymous_state(tmp_path / "high", high, reveal=False)
    # Before the reveal the state is the same whatever was cast: it cannot hold a value.
    assert _public(before_low) == _public(before_high)
    ballot = before_low["activity"]["round"]
    assert ballot["anonymous"] and ballot["voted_count"] == 2 and ballot["waiting_for"] is None
    after = await _anonymous_state(tmp_path / "after", high, reveal=True)
    for state in (before_low, before_high, after):
        text = json.dumps(state)
        for name in NAMES:
            assert name not in text and name.split()[0] not in text
        for person_id in ("amira-khan", "jo-reed", "li-wei", "priya-shah", "sam-cole"):
            assert person_id not in text
    # After it, only what is counted: the distribution, not who gave which answer.
    revealed = after["activity"]["round"]["results"]["questions"][0]
    assert revealed["distribution"] == [[1, 0], [2, 0], [3, 0], [4, 1], [5, 1]]
    assert set(revealed) == {"id", "prompt", "min", "max", "count", "distribution", "median", "median_text", "spread", "low_agreement", "chart", "chart_label"}


async def test_an_anonymous_vote_names_nobody_and_shows_no_ballot(anonymous):
    anonymous.editor.jump("demo-vote")
    people = ids(anonymous)
    anonymous.editor.cast_dots("demo-vote", people[0], {"p1": 2})
    before = json.dumps(await room_json(anonymous))
    assert '"dots": ' not in before and not any(name in before for name in NAMES)
    anonymous.editor.reveal("demo-vote")
    state = await room_json(anonymous)
    after = json.dumps(state)
    assert not any(name in after for name in NAMES)
    # Per proposal: its totals (dots, how many ballots gave it any), never a ballot.
    for ranked in state["activity"]["round"]["results"]["ranking"]:
        assert set(ranked) == {"id", "text", "dots", "voters", "place", "place_label", "shared"}


async def test_a_show_of_hands_counts_nobody_and_ranks_the_hands(tmp_path):
    hands = make_room(tmp_path, "hands")
    try:
        hands.editor.jump("demo-vote")
        before = (await room_json(hands))["activity"]["round"]
        assert before["hands"] is True and before["waiting_for"] is None and before["results"] is None
        hands.editor.set_hands("demo-vote", {"p2": 4, "p0": 1})
        hands.editor.reveal("demo-vote")
        ranking = (await room_json(hands))["activity"]["round"]["results"]["ranking"]
        assert [(r["id"], r["dots"], r["voters"]) for r in ranking] == [("p2", 4, None), ("p0", 1, None), ("p1", 0, None)]
    finally:
        await hands.close()


def test_the_room_page_has_nothing_inline_and_loads_only_its_own_files():
    from html.parser import HTMLParser

    from workshop.web.assets import STATIC_DIR
    from workshop.web.room_routes import ROOM_ASSETS

    found: dict[str, list[str]] = {"lang": [], "files": [], "inline": []}

    class Page(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            given = dict(attrs)
            if tag == "html":
                found["lang"].append(str(given.get("lang")))
            if "style" in given or any(name.startswith("on") for name in given):
                found["inline"].append(tag)
            if tag == "script":
                found["files"].append(str(given.get("src")))
            if tag == "link":
                found["files"].append(str(given.get("href")))

        def handle_data(self, data: str) -> None:
            if self.lasttag in ("script", "style") and data.strip():
                found["inline"].append(self.lasttag)

    Page().feed((STATIC_DIR / "room.html").read_text(encoding="utf-8"))
    assert found["lang"] == ["en"] and found["inline"] == []
    assert sorted(found["files"]) == ["static/countdown.js", "static/follow.js", "static/room.css", "static/room.js"]
    assert all((STATIC_DIR / name).is_file() for name in ROOM_ASSETS)
