"""One way to start Debian's headless Chromium for the browser tests, and to close them all.

The phone page, the room's screen and the printed report are all looked at in the same
browser with the same flags: without the background-networking flags Chromium keeps
trying hosts this machine cannot reach. Nothing here downloads a browser: selenium is
given the executables' paths.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WAIT_SECONDS = 15.0  # generous: the machine running the tests may be busy

_QUIET_HEADLESS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


def need_browser() -> None:
    """Skip without Chromium, chromedriver or selenium; under CI their absence fails."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package")
    if not missing:
        return
    reason = "the browser tests need " + ", ".join(missing) + " (apt-get install chromium chromium-driver)"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def chromium(profile: Path, *flags: str, mobile: tuple[int, int] | None = None) -> Any:
    """Headless Chromium with a profile (and cookies) of its own; `mobile` emulates a phone's viewport."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*_QUIET_HEADLESS, *flags, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    if mobile is not None:
        width, height = mobile
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 1.0}})
    profile.mkdir(parents=True, exist_ok=True)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(WAIT_SECONDS)
    return driver


def all_closed(make: Callable[..., Any]) -> Iterator[Callable[..., Any]]:
    """For a fixture: `make` opens browsers on demand; every one is quit at the end, whatever happened."""
    opened: list[Any] = []

    def open_one(*args: Any) -> Any:
        driver = make(*args)
        opened.append(driver)
        return driver

    try:
        yield open_one
    finally:
        for driver in opened:
            driver.quit()


class Shots:
    """Screenshots, numbered in the order taken, in a folder of the test's own."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.count = 0
        folder.mkdir(parents=True, exist_ok=True)

    def __call__(self, driver: Any, step: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{step}.png"
        assert driver.save_screenshot(str(path)), f"no screenshot for {step}"
        return path
