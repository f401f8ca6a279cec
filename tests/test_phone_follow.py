"""Phones follow the day: the current time box in the phone's state, the version that moves
with it, and the last `ended` event the phones' and the room's streams send when the laptop
closes the session or stops joining (see web/API.md)."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest
from webhelp import Room, state

from workshop.domain.timebox import FakeClock

READ = "demo-read"


@pytest.fixture
def fake() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def room(tmp_path, fake):
    made = Room(tmp_path, monotonic=fake.monotonic)
    yield made
    await made.close()


async def clock_of(room: Room, phone) -> dict:
    activity = (await state(room, phone))["activity"]
    assert activity["id"] == READ
    return activity["clock"]


async def test_the_phone_state_carries_the_time_box_running_paused_warning_and_over(room, fake):
    phone = await room.phone()
    assert await clock_of(room, phone) == {"running": False, "limit_seconds": 60.0, "remaining_seconds": 60.0, "phase": "normal"}
    room.editor.start()
    fake.advance(10)
    assert await clock_of(room, phone) == {"running": True, "limit_seconds": 60.0, "remaining_seconds": 50.0, "phase": "normal"}
    fake.advance(38)  # 48 of 60 seconds: 80%
    assert await clock_of(room, phone) == {"running": True, "limit_seconds": 60.0, "remaining_seconds": 12.0, "phase": "warning"}
    room.editor.pause()
    fake.advance(100)  # paused: nothing counts
    assert await clock_of(room, phone) == {"running": False, "limit_seconds": 60.0, "remaining_seconds": 12.0, "phase": "warning"}
    room.editor.start()
    fake.advance(17)
    assert await clock_of(room, phone) == {"running": True, "limit_seconds": 60.0, "remaining_seconds": -5.0, "phase": "over"}
    room.editor.extend(2)
    assert await clock_of(room, phone) == {"running": True, "limit_seconds": 180.0, "remaining_seconds": 115.0, "phase": "normal"}


async def test_start_pause_and_extend_move_the_phones_version_the_clocks_recording_does_not(room, fake):
    before = room.join.version
    room.editor.start()
    fake.advance(30)
    assert room.join.version == before + 1
    room.editor.record_elapsed()
    assert room.join.version == before + 1
    room.editor.extend(1)
    assert room.join.version == before + 2
    room.editor.pause()
    assert room.join.version == before + 3


# -- the end of the streams ------------------------------------------------------------------


class Stream:
    """A page's event stream, read event by event as `EventSource` reads it."""

    def __init__(self, response: aiohttp.ClientResponse):
        self.response = response

    async def event(self) -> tuple[str, str] | None:
        """The next (event, data), or None once the server has closed the stream."""
        name, data = "message", ""
        while True:
            line = (await asyncio.wait_for(self.response.content.readline(), 10)).decode()
            if line == "":
                return None
            line = line.rstrip("\n")
            if line == "":
                if data:
                    return name, data
                continue
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                data = line[6:]

    async def rest(self) -> list[tuple[str, str]]:
        """Every event until the stream ends."""
        events = []
        while (found := await self.event()) is not None:
            events.append(found)
        return events


async def open_stream(http: aiohttp.ClientSession, url: str) -> Stream:
    response = await http.get(url)
    assert response.status == 200 and response.headers["Content-Type"].startswith("text/event-stream")
    stream = Stream(response)
    first = await stream.event()
    assert first is not None and first[0] == "version"
    return stream


async def test_closing_the_session_ends_the_phones_and_the_rooms_streams_with_ended(room):
    opened = room.opened
    server = await opened.start_phones("127.0.0.1", 0)
    await opened.start_room()
    async with aiohttp.ClientSession() as http:
        phone = await open_stream(http, f"{server.url}api/events")
        screen = await open_stream(http, f"{server.room_url}api/events")
        opened.close()
        assert await phone.rest() == [("ended", "closed")]
        assert await screen.rest() == [("ended", "closed")]


async def test_stopping_joining_with_the_room_on_ends_the_phones_stream_only(room):
    opened = room.opened
    server = await opened.start_phones("127.0.0.1", 0)
    await opened.start_room()
    async with aiohttp.ClientSession() as http:
        phone = await open_stream(http, f"{server.url}api/events")
        screen = await open_stream(http, f"{server.room_url}api/events")
        opened.stop_phones()
        assert await phone.rest() == [("ended", "stopped")]
        answer = await http.get(f"{server.url}api/state")
        assert answer.status == 503 and "Joining has stopped" in (await answer.json())["error"]
        # The room's screen goes on following the session.
        room.editor.next()
        assert (await screen.event() or ("", ""))[0] == "version"
        screen.response.close()
        opened.close()


async def test_stopping_joining_without_the_room_ends_the_phones_stream_as_stopped(room):
    opened = room.opened
    server = await opened.start_phones("127.0.0.1", 0)
    async with aiohttp.ClientSession() as http:
        phone = await open_stream(http, f"{server.url}api/events")
        opened.stop_phones()
        assert await phone.rest() == [("ended", "stopped")]


async def test_a_server_that_only_stops_ends_the_stream_without_ended(room):
    # As a dropped network looks to a phone: the page keeps reconnecting, as it should.
    opened = room.opened
    server = await opened.start_phones("127.0.0.1", 0)
    async with aiohttp.ClientSession() as http:
        phone = await open_stream(http, f"{server.url}api/events")
        stopping = asyncio.ensure_future(server.stop())
        assert await phone.rest() == []
        await stopping


async def test_joining_and_the_room_started_at_once_share_one_server_that_closing_ends(room):
    # `workshop open --join --room` starts both together: a second server would be left
    # listening, and its pages never told that the session closed.
    opened = room.opened
    phones, screen = await asyncio.gather(opened.start_phones("127.0.0.1", 0), opened.start_room())
    assert phones is screen is opened.server
    async with aiohttp.ClientSession() as http:
        stream = await open_stream(http, f"{screen.room_url}api/events")
        opened.close()
        assert await stream.rest() == [("ended", "closed")]


async def test_stopping_the_rooms_screen_with_phones_off_ends_its_stream_as_stopped(room):
    opened = room.opened
    server = await opened.start_room()
    async with aiohttp.ClientSession() as http:
        screen = await open_stream(http, f"{server.room_url}api/events")
        opened.stop_room()
        assert await screen.rest() == [("ended", "stopped")]


async def test_a_staged_activity_counts_down_its_stage_on_phones_and_a_new_stage_wakes_them(room, fake):
    # 1-2-4-All on the phones and the room's screen: the stage's own countdown and its
    # prompt, as on the console; the stage changing (a matter of time, not of the
    # session) makes them fetch their state again.
    phone = await room.phone()
    room.editor.jump("demo-discuss")
    room.editor.start()
    fake.advance(20)
    activity = (await state(room, phone))["activity"]
    assert activity["clock"]["stage"]["label"] == "Stage 1 of 2: Alone"
    assert activity["clock"]["remaining_seconds"] == 40.0 and activity["clock"]["limit_seconds"] == 60.0
    room.opened.server = room.server  # the open session's own server, as the app runs it
    version = room.join.version
    room_version = room.server.room.version
    fake.advance(45)
    room.opened.tick()
    assert room.join.version > version and room.server.room.version > room_version
    activity = (await state(room, phone))["activity"]
    assert activity["clock"]["stage"]["label"] == "Stage 2 of 2: All"
    assert "park anything" in activity["clock"]["stage"]["prompt"]
    room.opened.server = None
