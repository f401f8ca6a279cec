"""The phones' API through aiohttp's test client: joining, submitting, and who may do what.

Each point of the issue's "Nobody gets in who does not belong" has a test here; so do
idempotency (a double tap counts once) and acknowledging only after the save is written.
"""

from __future__ import annotations

import asyncio

import pytest
from webhelp import Room, gate, joined, post, state

from workshop.storage.store import SaveError

VOTE = "demo-vote"


@pytest.fixture
async def room(tmp_path):
    made = Room(tmp_path)
    made.editor.jump(VOTE)
    yield made
    await made.close()


def dots(request_id: str, **given: int) -> dict:
    return {"activity_id": VOTE, "dots": given, "request_id": request_id}


# -- the secret ------------------------------------------------------------------------


async def test_every_path_needs_the_secret(room):
    phone = await room.phone()
    wrong = "x" * len(room.join.secret)
    for path in ("/j/", f"/j/{wrong}/", f"/j/{wrong}/api/state", "/api/state", f"/j/{wrong}/static/app.js", "/index.html"):
        answer = await phone.get(path)
        assert answer.status == 404, path
        body = await answer.text()
        assert room.join.secret not in body and "Amira" not in body
    refused = await phone.post(f"/j/{wrong}/api/join", json={"participant_id": "amira-khan"})
    assert refused.status == 404
    assert room.join.taken() == set()
    assert (await phone.get(f"{room.base}/")).status == 200


def test_the_secret_has_at_least_64_random_bits(room):
    # token_urlsafe(16): 16 random bytes as 22 URL-safe characters (6 bits each).
    assert len(room.join.secret) >= 22
    assert room.server.url.endswith(f"/j/{room.join.secret}/")


async def test_the_short_code_leads_to_the_join_url_and_is_rate_limited(room):
    phone = await room.phone()
    form = await phone.get("/")
    assert form.status == 200 and "<form" in await form.text()
    right = await phone.post("/code", json={"code": room.join.short_code})
    assert right.status == 200 and (await right.json())["url"] == room.server.url
    wrong_code = "000000" if room.join.short_code != "000000" else "111111"
    for _ in range(3):
        assert (await phone.post("/code", json={"code": wrong_code})).status == 404
    # Five attempts a minute from one address, right or wrong: the sixth is refused,
    # even with the right code.
    assert (await phone.post("/code", json={"code": wrong_code})).status == 404
    limited = await phone.post("/code", json={"code": room.join.short_code})
    assert limited.status == 429
    assert "error" in await limited.json()


async def test_a_form_post_of_the_code_is_redirected_to_the_join_url(room):
    phone = await room.phone()
    answer = await phone.post("/code", data={"code": room.join.short_code}, allow_redirects=False)
    assert answer.status == 303
    assert answer.headers["Location"] == f"/j/{room.join.secret}/"


# -- joining -----------------------------------------------------------------------------


async def test_joining_sets_a_strict_http_only_cookie_scoped_to_the_secret_path(room):
    phone = await room.phone()
    answer = await phone.post(f"{room.base}/api/join", json={"participant_id": "jo-reed"})
    assert answer.status == 200
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and f"Path={room.base}/" in cookie
    seen = await state(room, phone)
    assert seen["me"] == {"participant_id": "jo-reed", "name": "Jo Reed"}
    assert next(p for p in seen["participants"] if p["id"] == "jo-reed")["taken"] is True


async def test_a_name_is_bound_to_one_device_until_the_facilitator_releases_it(room):
    await joined(room, "jo-reed")
    other = await room.phone()
    status, body = await post(room, other, "join", {"participant_id": "jo-reed"})
    assert status == 409 and "another device" in body["error"]
    assert room.join.release("jo-reed")
    status, _ = await post(room, other, "join", {"participant_id": "jo-reed"})
    assert status == 200


async def test_a_late_arrival_joins_once_the_facilitator_accepts(room):
    phone = await room.phone()
    status, _ = await post(room, phone, "late", {"name": "Nia <b>Okafor</b>"})
    assert status == 202
    seen = await state(room, phone)
    assert seen["me"] is None and seen["late_request"] == {"name": "Nia <b>Okafor</b>", "status": "pending"}
    [request] = room.join.pending()
    room.server.accept_late(request.device)
    seen = await state(room, phone)
    assert seen["me"]["name"] == "Nia <b>Okafor</b>" and seen["late_request"] is None
    status, _ = await post(room, phone, "dots", dots("late-1", p1=1))
    assert status == 200


# -- who may do what -------------------------------------------------------------------------


async def test_submitting_needs_a_joined_device(room):
    phone = await room.phone()
    status, body = await post(room, phone, "dots", dots("r1", p0=1))
    assert status == 403 and body["error"] == "Choose your name first."
    assert room.editor.current_round(VOTE) is None


async def test_a_phone_cannot_cast_for_another_participant(room):
    phone = await joined(room, "amira-khan")
    await joined(room, "jo-reed")
    status, _ = await post(room, phone, "dots", {**dots("r1", p0=1), "voter": "jo-reed", "participant_id": "jo-reed"})
    assert status == 200
    assert room.editor.current_round(VOTE).voted == ["amira-khan"]
    # Jo's own phone still votes: nothing was cast in Jo's name.
    assert room.editor.who_has_not_voted(VOTE)[0].id == "jo-reed"


async def test_a_phone_whose_person_left_is_told_to_ask_the_facilitator_and_counts_once_back(room):
    phone = await joined(room, "amira-khan")
    room.editor.mark_left("amira-khan")
    status, body = await post(room, phone, "dots", dots("r1", p0=1))
    assert status == 409 and body["error"].startswith("You are marked as having left") and "ask the facilitator" in body["error"]
    assert room.editor.current_round(VOTE) is None or room.editor.current_round(VOTE).voted == []
    room.editor.mark_present("amira-khan")
    status, _ = await post(room, phone, "dots", dots("r1", p0=1))
    assert status == 200 and room.editor.current_round(VOTE).voted == ["amira-khan"]


async def test_only_the_current_activity_takes_answers(room):
    phone = await joined(room, "amira-khan")
    for activity_id in ("demo-rate", "demo-propose", "nonexistent"):
        status, body = await post(room, phone, "dots", {**dots("r-" + activity_id, p0=1), "activity_id": activity_id})
        assert status == 409 and "no longer the current activity" in body["error"]
    room.editor.next()
    status, _ = await post(room, phone, "dots", dots("late", p0=1))
    assert status == 409
    assert room.editor.current_round(VOTE) is None
    assert room.on_disk().vote_rounds == []


async def test_facilitator_actions_are_not_there_for_phones(room):
    phone = await joined(room, "amira-khan")
    assert (await post(room, phone, "dots", dots("r1", p0=1)))[0] == 200
    for action in ("reveal", "next", "rerun", "withdraw", "hands", "release", "accept", "skip"):
        answer = await phone.post(f"{room.base}/api/{action}", json={"activity_id": VOTE})
        assert answer.status in (404, 405), action
    current = room.editor.current_round(VOTE)
    assert not current.revealed and not current.superseded and current.voted == ["amira-khan"]
    assert room.editor.clock.current_id == VOTE


async def test_a_show_of_hands_takes_nothing_from_phones(tmp_path):
    room = Room(tmp_path, "hands")
    try:
        room.editor.jump(VOTE)
        phone = await joined(room, "amira-khan")
        seen = await state(room, phone)
        assert seen["activity"]["can"] == [] and seen["activity"]["ballot"]["open"] is False
        status, body = await post(room, phone, "dots", dots("r1", p0=1))
        assert status == 403 and "show of hands" in body["error"]
        assert room.editor.current_round(VOTE) is None
    finally:
        await room.close()


async def test_after_the_reveal_nothing_more_is_taken(room):
    phone = await joined(room, "amira-khan")
    await post(room, phone, "dots", dots("r1", p0=2))
    room.editor.reveal(VOTE)
    late = await joined(room, "jo-reed")
    status, _ = await post(room, late, "dots", dots("r2", p1=1))
    assert status == 409
    seen = await state(room, late)
    assert seen["activity"]["can"] == []
    ranking = seen["activity"]["ballot"]["results"]["ranking"]
    assert ranking[0] == {"id": "p0", "text": "Shared data dashboard", "dots": 2, "rank": 1}


# -- texts ---------------------------------------------------------------------------------


HOSTILE = ("<script>alert(1)</script>", "[red]x[/]", "&lt;b&gt; &amp; [/]", "\u202eevil")


async def test_texts_from_phones_are_stored_and_returned_literally(tmp_path):
    room = Room(tmp_path)
    try:
        room.editor.jump("demo-propose")
        phone = await joined(room, "amira-khan")
        for number, text in enumerate(HOSTILE[:3]):
            status, body = await post(room, phone, "propose", {"activity_id": "demo-propose", "text": text, "request_id": f"p{number}"})
            assert status == 200, body
        stored = [p.text for p in room.on_disk().proposals if p.activity_id == "demo-propose"]
        assert stored == list(HOSTILE[:3])
        seen = await state(room, phone)
        assert [p["text"] for p in seen["activity"]["proposals"]] == list(HOSTILE[:3])
        assert len(seen["activity"]["my_proposals"]) == 3
        # A bidirectional override is dropped on the way in, as everywhere in the app.
        await post(room, phone, "propose", {"activity_id": "demo-propose", "text": HOSTILE[3], "request_id": "p3"})
        assert room.on_disk().proposals[-1].text == "evil"
    finally:
        await room.close()


async def test_texts_are_capped_by_the_model_limits(tmp_path):
    from workshop.domain.models.limits import LINE_TEXT_CHARACTERS, SHORT_TEXT_CHARACTERS

    room = Room(tmp_path)
    try:
        room.editor.jump("demo-propose")
        phone = await joined(room, "amira-khan")
        status, body = await post(room, phone, "propose", {"activity_id": "demo-propose", "text": "x" * (LINE_TEXT_CHARACTERS + 1), "request_id": "long"})
        assert status == 409 and f"{LINE_TEXT_CHARACTERS:,}" in body["error"]
        other = await room.phone()
        status, _ = await post(room, other, "late", {"name": "n" * (SHORT_TEXT_CHARACTERS + 1)})
        assert status == 409
    finally:
        await room.close()


async def test_an_oversized_body_is_refused(room):
    phone = await joined(room, "amira-khan")
    padding = "x" * (17 * 1024)
    answer = await phone.post(f"{room.base}/api/dots", json={**dots("big", p0=1), "padding": padding})
    assert answer.status == 413
    assert room.editor.current_round(VOTE) is None
    answer = await phone.post(f"{room.base}/api/join", data=b"{" + b" " * 20000 + b"}", headers={"Content-Type": "application/json"})
    assert answer.status == 413


async def test_bodies_must_be_json_objects(room):
    phone = await joined(room, "amira-khan")
    answer = await phone.post(f"{room.base}/api/dots", data="activity_id=demo-vote")
    assert answer.status == 415
    for raw in (b"[1, 2]", b"{nope", "\u00e9".encode("latin-1")):
        answer = await phone.post(f"{room.base}/api/dots", data=raw, headers={"Content-Type": "application/json"})
        assert answer.status == 400
    status, _ = await post(room, phone, "dots", {**dots("r1"), "dots": {"p0": True}})
    assert status == 400
    status, _ = await post(room, phone, "dots", {**dots("r1"), "request_id": "has space"})
    assert status == 400


# -- the page's files ------------------------------------------------------------------------


async def test_only_the_pages_own_files_are_served(room):
    phone = await room.phone()
    index = await phone.get(f"{room.base}/")
    assert index.status == 200 and "phone page fixture" in await index.text()
    assert index.headers["Content-Security-Policy"].startswith("default-src 'self'")
    script = await phone.get(f"{room.base}/static/app.js")
    assert script.status == 200 and script.headers["Content-Type"].startswith("text/javascript")
    for path in (
        "static/notes.txt",
        "static/../secret.toml",
        "static/..%2Fsecret.toml",
        "static/%2e%2e/secret.toml",
        "static/.gitkeep",
        "static/",
        "static/index.html/x",
        "../secret.toml",
        "static/..%5csecret.toml",
    ):
        answer = await phone.get(f"{room.base}/{path}")
        assert answer.status == 404, path
        assert "outside the page" not in await answer.text()


async def test_the_join_url_without_its_slash_is_redirected(room):
    phone = await room.phone()
    answer = await phone.get(room.base, allow_redirects=False)
    assert answer.status == 308 and answer.headers["Location"] == f"{room.base}/"


# -- recorded means saved ------------------------------------------------------------------------


async def test_a_double_tap_counts_once(room):
    phone = await joined(room, "amira-khan")
    first = await post(room, phone, "dots", dots("tap", p0=1))
    again = await post(room, phone, "dots", dots("tap", p0=1))
    assert first == again and first[0] == 200
    current = room.editor.current_round(VOTE)
    assert len(current.ballots) == 1 and current.voted == ["amira-khan"]


async def test_two_taps_at_once_count_once_and_both_hear_recorded(tmp_path):
    release, calls, save_now = gate()
    room = Room(tmp_path, save_now=save_now)
    try:
        room.editor.jump(VOTE)
        phone = await joined(room, "amira-khan")
        taps = [asyncio.create_task(post(room, phone, "dots", dots("tap", p1=1))) for _ in range(2)]
        while not calls:
            await asyncio.sleep(0)
        release.set()
        answers = await asyncio.gather(*taps)
        assert [status for status, _ in answers] == [200, 200]
        assert len(room.editor.current_round(VOTE).ballots) == 1
    finally:
        await room.close()


async def test_recorded_is_answered_only_after_the_save_is_written(tmp_path):
    release, calls, save_now = gate()
    room = Room(tmp_path, save_now=save_now)
    try:
        room.editor.jump(VOTE)
        phone = await joined(room, "amira-khan")
        sent = asyncio.create_task(post(room, phone, "dots", dots("r1", p2=2)))
        while not calls:
            await asyncio.sleep(0)
        # Applied in the app, but not yet written: the phone has heard nothing.
        assert room.editor.current_round(VOTE).voted == ["amira-khan"]
        for _ in range(20):
            await asyncio.sleep(0)
        assert not sent.done()
        release.set()
        status, body = await sent
        assert status == 200 and body["recorded"] is True
    finally:
        await room.close()


async def test_a_real_save_is_on_disk_when_recorded_is_answered(room):
    phone = await joined(room, "amira-khan")
    status, _ = await post(room, phone, "dots", dots("r1", p0=1, p1=1))
    assert status == 200
    [on_disk] = room.on_disk().vote_rounds
    assert on_disk.voted == ["amira-khan"] and on_disk.ballots[0].dots == {"p0": 1, "p1": 1}


async def test_a_failed_save_is_not_recorded_and_a_resend_saves_again(tmp_path):
    failures = [SaveError("the disk is full")]

    async def save_now() -> None:
        if failures:
            raise failures.pop()

    room = Room(tmp_path, save_now=save_now)
    try:
        room.editor.jump(VOTE)
        phone = await joined(room, "amira-khan")
        status, body = await post(room, phone, "dots", dots("r1", p0=1))
        assert status == 503 and body["error"] == "Not recorded: the disk is full"
        status, body = await post(room, phone, "dots", dots("r1", p0=1))
        assert status == 200 and body["recorded"] is True
        assert len(room.editor.current_round(VOTE).ballots) == 1
    finally:
        await room.close()


# -- ballots ---------------------------------------------------------------------------------


async def test_an_anonymous_ballot_keeps_the_roll_apart_from_what_was_cast(room):
    phones = [await joined(room, pid) for pid in ("amira-khan", "jo-reed", "li-wei")]
    for number, phone in enumerate(phones):
        status, _ = await post(room, phone, "dots", dots(f"r{number}", **{f"p{number}": 1}))
        assert status == 200
    [stored] = room.on_disk().vote_rounds
    assert stored.voted == ["amira-khan", "jo-reed", "li-wei"]
    assert all(ballot.voter is None and ballot.cast_at is None for ballot in stored.ballots)
    seen = await state(room, phones[0])
    ballot = seen["activity"]["ballot"]
    assert ballot["anonymous"] is True and "Anonymous" in ballot["mode_note"]
    assert ballot["mine"] == {"status": "voted", "answers": None, "dots": None}
    assert (ballot["voted_count"], ballot["eligible_count"]) == (3, 5)
    assert seen["activity"]["can"] == []


async def test_a_named_ballot_can_be_changed_until_the_reveal(tmp_path):
    room = Room(tmp_path, "named")
    try:
        room.editor.jump("demo-rate")
        phone = await joined(room, "amira-khan")
        rate = {"activity_id": "demo-rate", "answers": {"demo-q1": 2, "demo-q2": 5}}
        assert (await post(room, phone, "rating", {**rate, "request_id": "a"}))[0] == 200
        changed = {"activity_id": "demo-rate", "answers": {"demo-q1": 4}, "request_id": "b"}
        assert (await post(room, phone, "rating", changed))[0] == 200
        [stored] = room.on_disk().rating_rounds
        assert [(b.voter, b.answers) for b in stored.ballots] == [("amira-khan", {"demo-q1": 4})]
        # A refused change leaves the earlier ballot as it was.
        status, _ = await post(room, phone, "rating", {"activity_id": "demo-rate", "answers": {"demo-q1": 9}, "request_id": "c"})
        assert status == 409
        assert room.editor.current_round("demo-rate").ballots[0].answers == {"demo-q1": 4}
        seen = await state(room, phone)
        assert seen["activity"]["ballot"]["mine"] == {"status": "voted", "answers": {"demo-q1": 4}, "dots": None}
    finally:
        await room.close()


async def test_dots_follow_the_laptops_rules(room):
    phone = await joined(room, "amira-khan")
    for request_id, given in (("over-cap", {"p0": 3}), ("over-budget", {"p0": 2, "p1": 2}), ("unknown", {"nope": 1}), ("none", {})):
        status, body = await post(room, phone, "dots", dots(request_id, **given))
        assert status == 409, (request_id, body)
    assert room.editor.current_round(VOTE) is None
    status, _ = await post(room, phone, "abstain", {"activity_id": VOTE, "request_id": "z"})
    assert status == 200
    assert room.editor.current_round(VOTE).abstained == ["amira-khan"]
    assert (await post(room, phone, "dots", dots("after", p0=1)))[0] == 200


# -- following the room ------------------------------------------------------------------------


async def test_events_announce_a_new_version_when_the_room_moves(room):
    phone = await room.phone()
    stream = await phone.get(f"{room.base}/api/events")
    assert stream.headers["Content-Type"].startswith("text/event-stream")
    first = await _event(stream)
    assert first == str(room.join.version)
    room.editor.next()
    assert int(await _event(stream)) > int(first)
    seen = await state(room, phone)
    assert seen["activity"]["id"] == "demo-consent"
    stream.close()


async def test_a_burst_of_changes_goes_out_as_one_version_event(room):
    # A wave of ballots bumps the version once a ballot: each stream sends the last one
    # (every phone then fetches its state once, not once per ballot it happened to see).
    phone = await room.phone()
    stream = await phone.get(f"{room.base}/api/events")
    await _event(stream)
    for _ in range(20):
        room.join.bump()
        await asyncio.sleep(0)  # the streams' tasks run between the bumps, as between ballots
    assert await _event(stream) == str(room.join.version)
    room.join.bump()
    assert await _event(stream) == str(room.join.version)  # the next after it, not an older one
    stream.close()


async def _event(stream) -> str:
    while True:
        line = (await asyncio.wait_for(stream.content.readline(), 10)).decode()
        if line.startswith("data: "):
            return line[len("data: ") :].strip()


async def test_devices_without_a_name_are_forgotten_beyond_a_full_room(room):
    from workshop.web.joining import MAX_DEVICES

    phone = await joined(room, "amira-khan")
    for _ in range(MAX_DEVICES + 5):
        room.join.new_device()
    assert len(room.join.devices) <= MAX_DEVICES
    # The phone that joined keeps its name and can still vote.
    assert (await post(room, phone, "dots", dots("kept", p0=1)))[0] == 200


async def test_the_server_starts_on_a_free_port_with_its_join_address(tmp_path):
    # How fast it starts is the benchmark's business, not a unit test's.
    from workshop.web.server import JoinServer

    made = Room(tmp_path)
    server = JoinServer(made.editor, made.server.save_now)
    await server.start()
    try:
        assert server.port > 0 and server.url.startswith(f"http://127.0.0.1:{server.port}/j/")
    finally:
        await server.stop()
        await made.close()


async def test_once_the_session_is_closed_nothing_more_is_taken(tmp_path):
    closed: list[bool] = []
    made = Room(tmp_path)
    made.server.is_open = lambda: not closed
    try:
        made.editor.jump(VOTE)
        phone = await joined(made, "amira-khan")
        closed.append(True)
        status, body = await post(made, phone, "dots", dots("late", p0=1))
        assert status == 503 and "stopped" in body["error"]
        assert made.editor.current_round(VOTE) is None
    finally:
        await made.close()


async def test_phones_hear_of_the_room_moving_on_not_of_notes_or_the_clock(room):
    before = room.join.version
    room.editor.set_note(VOTE, "typed on the laptop")
    assert room.join.version == before
    # A start or a pause changes the phone's countdown; the clock's periodic recording does not.
    room.editor.start()
    assert room.join.version == before + 1
    room.editor.record_elapsed()
    assert room.join.version == before + 1
    room.editor.pause()
    assert room.join.version == before + 2
    room.editor.next()
    assert room.join.version == before + 3
