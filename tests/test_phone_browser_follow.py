"""Phones follow the day, in a real browser at a phone's viewport: the current activity's
countdown (ticking on the page, its colours, paused, extended) and the screens the page
ends on when the laptop closes the session or stops joining, instead of reconnecting.

The session's clock is a fake one the test moves, so the amber and red phases are reached
without waiting a minute; the page itself ticks on the browser's own clock.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from browserhelp import need_browser
from phonehelp import LiveRoom, click, phone, shows, text_of, wait_for
from roomhelp import screen, serious_violations

from workshop.domain.timebox import FakeClock

pytestmark = pytest.mark.browser


@pytest.fixture
def fake() -> FakeClock:
    return FakeClock()


@pytest.fixture
def room(tmp_path: Path, fake: FakeClock):
    need_browser()
    live = LiveRoom(tmp_path / "sessions", monotonic=fake.monotonic, served_by_session=True)
    yield live
    live.close()


@pytest.fixture
def ana(tmp_path: Path, room: LiveRoom):
    driver = phone(tmp_path / "profiles" / "ana")
    try:
        driver.get(room.url)
        click(driver, f'button[data-participant="{room.person("Ana Diaz")}"]')
        wait_for(driver, shows(".slot-who", "You are Ana Diaz"))
        yield driver
    finally:
        driver.quit()


def countdown(driver: Any) -> tuple[str, str, str]:
    """What the countdown shows: (time, phase, note)."""
    found = driver.execute_script(
        "const c = document.getElementById('countdown'), n = document.getElementById('clock-note');"
        "return c ? [c.textContent, c.dataset.phase || '', n.textContent] : ['', '', ''];"
    )
    return (str(found[0]), str(found[1]), str(found[2]))


def shows_countdown(expected: tuple[str, str, str]) -> Any:
    return lambda driver: countdown(driver) == expected


def test_the_phone_counts_down_follows_pause_and_extend_then_ends_with_the_session(room, ana, fake, tmp_path: Path):
    shots = tmp_path / "shots"
    shots.mkdir()
    wait_for(ana, shows("#activity-title", "What this demo is"))
    wait_for(ana, shows_countdown(("01:00", "normal", "Paused")), "the paused countdown")

    # Started on the laptop: the page ticks down by itself, with no new state.
    room.do(room.editor.start)
    wait_for(ana, lambda d: re.fullmatch(r"00:5\d", countdown(d)[0]) is not None and countdown(d)[2] == "", "the countdown did not tick on the page")
    assert ana.save_screenshot(str(shots / "01-running.png"))

    # 50 of 60 seconds, then paused: amber, and it stays.
    room.do(lambda: fake.advance(50))
    room.do(room.editor.pause)
    wait_for(ana, shows_countdown(("00:10", "warning", "Nearly time · paused")), "the warning phase")
    assert ana.save_screenshot(str(shots / "02-warning.png"))
    assert serious_violations(ana) == []

    # Five seconds over: red, the overrun counted up.
    room.do(room.editor.start)
    room.do(lambda: fake.advance(15))
    room.do(room.editor.pause)
    wait_for(ana, shows_countdown(("+00:05", "over", "Over time · paused")), "the overrun")
    assert ana.save_screenshot(str(shots / "03-over.png"))

    # Two more minutes: back to normal.
    room.do(lambda: room.editor.extend(2))
    wait_for(ana, shows_countdown(("01:55", "normal", "Paused")), "the extension")

    # The laptop closes the session: the page thanks the room and stops reconnecting.
    room.do(room.opened.close)
    wait_for(ana, shows("#ended", "The session has ended"), "no ended screen")
    assert "Thank you" in text_of(ana, "#ended")
    assert text_of(ana, "#connection") == "Session ended"
    assert ana.find_elements("css selector", "#countdown") == []
    assert ana.save_screenshot(str(shots / "04-ended.png"))


def test_stopping_joining_while_the_room_screen_is_on_says_so_on_the_phone(room, ana, tmp_path: Path):
    room._wait(room.opened.start_room())
    room.do(room.opened.stop_phones)
    wait_for(ana, shows("#ended", "Joining has stopped"), "the phone did not hear that joining stopped")
    assert text_of(ana, "#connection") == "Joining has stopped"
    assert room.server.running  # the room's screen goes on
    assert ana.save_screenshot(str(tmp_path / "joining-stopped.png"))
    assert serious_violations(ana) == []


def test_the_rooms_screen_says_the_session_has_ended_when_the_laptop_closes_it(tmp_path: Path, fake):
    need_browser()

    room = LiveRoom(tmp_path / "sessions", monotonic=fake.monotonic, served_by_session=True)
    page = None
    try:
        room._wait(room.opened.start_room())
        page = screen(tmp_path / "profiles" / "room", 1280, 720)
        page.get(room.server.room_url)
        wait_for(page, shows("#activity-title", "What this demo is"))
        wait_for(page, shows("#countdown", "01:00"))  # drawn by countdown.js, shared with the phone page
        room.do(room.opened.close)
        wait_for(page, shows("#ended", "The session has ended"), "the room's screen did not hear the end")
        assert text_of(page, "#connection") == "Session ended"
        assert text_of(page, "#activity-title") == ""
        assert page.save_screenshot(str(tmp_path / "room-ended.png"))
    finally:
        if page is not None:
            page.quit()
        room.close()
