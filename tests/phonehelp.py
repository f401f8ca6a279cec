"""Helpers for the real-browser tests of the phone page (tests/test_phone_browser.py).

`LiveRoom` runs the phones' server on its own event loop in a thread, as the app runs it
on its own loop: the facilitator's operations (`room.do(...)`) are sent to that loop, so
the editor is only ever touched from one thread. `phone()` opens Debian's Chromium,
headless, at a phone's viewport, with its own profile (its own cookies). Nothing here
downloads a browser: selenium is given the executables' paths.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from browserhelp import WAIT_SECONDS, chromium

from workshop.domain.models.session import VotingSettings
from workshop.domain.new_session import build_session
from workshop.domain.timebox import Monotonic, system_monotonic
from workshop.service import OpenSession
from workshop.storage.store import create_session, open_session

PHONE_WIDTH, PHONE_HEIGHT = 390, 844

T = TypeVar("T")


class LiveRoom:
    """A session file, its editor and the phones' server, on a loop in a thread of its own."""

    def __init__(
        self,
        folder: Path,
        *,
        mode: str = "anonymous",
        people: list[tuple[str, str]] | None = None,
        monotonic: Monotonic = system_monotonic,
        served_by_session: bool = False,
    ):
        from workshop.web.server import JoinServer  # the web side is imported only when used, as in the app

        session = build_session(
            _demo_pack(),
            title="Phones away-day",
            facilitator="Sam",
            participants=people or [("Ana Diaz", "Director"), ("Ben Osei", "Head of service"), ("Cy Park", "Head of early help")],
            day=date(2025, 3, 14),
            voting=VotingSettings(mode=mode, dots_per_person=3, max_per_item=2),
        )
        self.path = create_session(folder, session)
        # The open session as the app holds it: every change marks the saver, a decision is written at once.
        self.opened = OpenSession(open_session(self.path), monotonic=monotonic)
        self.loaded = self.opened.loaded
        self.saver = self.opened.saver
        self.editor = self.opened.editor
        self.fail_saves = False
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="phones-server", daemon=True)
        self.thread.start()
        if served_by_session:
            # As the app serves phones: the open session's own server, which its close ends.
            self.server = self._wait(self.opened.start_phones("127.0.0.1", 0))
            return
        self.server = self.do(lambda: JoinServer(self.editor, self._save_now, host="127.0.0.1", port=0))
        self._wait(self.server.start())

    async def _save_now(self) -> None:
        if self.fail_saves:
            raise OSError("the disk is full (a test says so)")
        await self.opened.recorded()

    def _wait(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=WAIT_SECONDS)

    def do(self, action: Callable[[], T], *, save: bool = False) -> T:
        """Run `action` on the server's loop (as the laptop would); with `save`, wait until it is written."""

        async def run() -> T:
            result = action()
            if save:
                await self.opened.recorded()
            return result

        return self._wait(run())

    def drop(self) -> None:
        """Stop serving (as a dropped Wi-Fi would look to the phones); the session goes on."""
        self._wait(self.server.stop())

    def come_back(self) -> None:
        """Serve again on the same address with the same join state (secret, devices)."""
        from workshop.web.server import JoinServer

        old = self.server
        self.server = self.do(lambda: JoinServer(self.editor, self._save_now, host=old.host, port=old.port, join=old.join))
        self._wait(self.server.start())

    @property
    def url(self) -> str:
        return self.server.url

    def person(self, name: str) -> str:
        """The id of the participant called `name`."""
        return self.do(lambda: next(p.id for p in self.editor.session.participants if p.name == name))

    def close(self) -> None:
        try:
            self._wait(self.server.stop())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=WAIT_SECONDS)
            self.loop.close()
            self.opened.close()


def _demo_pack() -> Any:
    from workshop.storage.packs import builtin_content_dir, load_pack

    return load_pack(builtin_content_dir() / "demo.toml")


def phone(profile: Path) -> Any:
    """Headless Chromium at a phone's viewport, with a profile (and cookies) of its own."""
    return chromium(profile, mobile=(PHONE_WIDTH, PHONE_HEIGHT))


def wait_for(driver: Any, condition: Callable[[Any], T], message: str = "") -> T:
    """Wait (on the DOM, not on the clock) until `condition(driver)` is truthy; return it."""
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT_SECONDS, poll_frequency=0.05).until(condition, message)


def text_of(driver: Any, css: str) -> str:
    """The visible text of the first element matching `css`, or '' when there is none."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By

    try:
        found = driver.find_elements(By.CSS_SELECTOR, css)
        return str(found[0].text) if found and found[0].is_displayed() else ""
    except StaleElementReferenceException:  # rebuilt while read: the next poll reads the new one
        return ""


def shows(css: str, words: str) -> Callable[[Any], bool]:
    """A wait condition: the element matching `css` shows `words`."""
    return lambda driver: words in text_of(driver, css)


def click(driver: Any, css: str) -> None:
    """Tap the element matching `css` once it is there and enabled.

    The page rebuilds a part when the room changes, so an element found a moment ago may
    be gone: find and tap again until a tap lands."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By

    def tapped(d: Any) -> bool:
        found = d.find_elements(By.CSS_SELECTOR, css)
        if not (found and found[0].is_displayed() and found[0].is_enabled()):
            return False
        try:
            found[0].click()
        except StaleElementReferenceException:
            return False
        return True

    wait_for(driver, tapped, f"nothing to tap at {css}")
