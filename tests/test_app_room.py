"""The room's screen from the console: `v` starts it, `h` holds it, `--room` opens with it.

The room's page itself is tested in test_room_api.py and test_room_browser.py; here, the
console's side: the address shown whole (never cut inside its secret), the hold, phones
refused while only the room's screen is served, and phones and the room on one server.
"""

from __future__ import annotations

import socket

import aiohttp
from apphelp import ballot_session, go_to_activity, make_app, wait_until

from workshop.domain.timebox import FakeClock
from workshop.ui.widgets.address_lines import address_lines
from workshop.ui.widgets.confirm import Confirm


async def get_json(url: str) -> tuple[int, dict]:
    async with aiohttp.ClientSession() as client, client.get(url) as answer:
        return answer.status, await answer.json()


def test_the_address_is_broken_after_the_host_never_inside_the_secret() -> None:
    url = "http://192.168.100.123:39123/r/AbCdEfGhIjKlMnOpQrStUv/"
    assert address_lines(url, 80) == url
    assert address_lines(url, 40) == "http://192.168.100.123:39123\n/r/AbCdEfGhIjKlMnOpQrStUv/"
    phones = url.replace("/r/", "/j/")
    assert address_lines(phones, 30) == "http://192.168.100.123:39123\n/j/AbCdEfGhIjKlMnOpQrStUv/"


async def test_v_serves_the_rooms_screen_and_h_holds_it(tmp_path) -> None:
    path = ballot_session(tmp_path / "sessions", "anonymous")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await go_to_activity(pilot, "vote")
        await pilot.press("v")
        await wait_until(pilot, lambda: isinstance(app.screen, Confirm), "the address dialog")
        server = screen.opened.server
        assert server is not None and server.host == "127.0.0.1"
        dialog_text = str(app.screen.query_one("#question").render())
        secret = server.room.secret
        assert secret in dialog_text.replace("\n", "")
        assert any(secret in line for line in dialog_text.splitlines()), "the secret is on one line"
        await pilot.press("n")
        status, state = await get_json(server.room_url + "api/state")
        assert status == 200 and state["hold"] is False
        # Phones were not invited: their side of the server takes nothing.
        async with aiohttp.ClientSession() as client, client.post(server.url + "api/join", json={"participant_id": "jo-reed"}) as answer:
            assert answer.status == 503
        assert state["joining"] is None
        await pilot.press("h")
        status, state = await get_json(server.room_url + "api/state")
        assert state["hold"] is True
        await pilot.press("h")
        status, state = await get_json(server.room_url + "api/state")
        assert state["hold"] is False
        # Phones join on the same server; the room's corner then shows the code.
        assert await screen.joining.start("127.0.0.1", 0)
        assert screen.opened.server is server
        status, state = await get_json(server.room_url + "api/state")
        assert state["joining"] is not None and state["joining"]["code"] == server.join.short_code
        async with (
            aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as client,
            client.post(server.url + "api/join", json={"participant_id": "jo-reed"}) as answer,
        ):
            assert answer.status == 200
        # Stopping the phones keeps the room's screen.
        screen.joining.stop()
        status, state = await get_json(server.room_url + "api/state")
        assert status == 200 and state["joining"] is None
        room_url = server.room_url
        await pilot.press("q")
        await wait_until(pilot, lambda: screen.opened.closed, "the session closed")
    # Closing the session stops the server.
    try:
        async with aiohttp.ClientSession() as client, client.get(room_url + "api/state") as answer:
            refused = answer.status >= 500
    except aiohttp.ClientConnectionError:
        refused = True
    assert refused


async def test_open_with_room_starts_it_with_the_session(tmp_path) -> None:
    path = ballot_session(tmp_path / "sessions", "named")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    app.room_at = ("127.0.0.1", 0)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await go_to_activity(pilot, "vote")
        await wait_until(pilot, lambda: screen.opened.room_on and screen.opened.server is not None, "the room's screen served")
        status, state = await get_json(screen.opened.server.room_url + "api/state")
        assert status == 200 and state["session"]


async def test_phones_joining_elsewhere_says_where_the_rooms_screen_went(tmp_path) -> None:
    path = ballot_session(tmp_path / "sessions", "anonymous")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await go_to_activity(pilot, "vote")
        assert await screen.room.start("127.0.0.1", 0, ask=False)
        before = screen.opened.server.room_url
        # Another address for the phones (another port stands in for the room's network here).
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            free = probe.getsockname()[1]
        assert await screen.joining.start("127.0.0.1", free)
        after = screen.opened.server.room_url
        assert after != before
        await wait_until(pilot, lambda: any(after in str(n.message) for n in app._notifications), "the room's new address said")
