"""Helpers for the room's screen's browser tests: a projector-sized headless Chromium, axe-core.

The session and its server are `phonehelp.LiveRoom`'s (one loop in a thread, the
facilitator's operations sent to it); here only the browser differs: a desktop window
at a projector's size rather than a phone's viewport.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from browserhelp import WAIT_SECONDS, chromium

# Impacts that fail a test; "minor" and "moderate" are reported by axe but left to judgement.
BLOCKING_IMPACTS = ("serious", "critical")


def screen(profile: Path, width: int, height: int) -> Any:
    """Headless Chromium whose page is `width` x `height` CSS pixels (a projector's display)."""
    driver = chromium(profile, "--force-device-scale-factor=1", f"--window-size={width},{height}")
    driver.set_script_timeout(WAIT_SECONDS * 2)
    # The window's size is not quite the page's: make the page itself the projector's size.
    inner = driver.execute_script("return [window.innerWidth, window.innerHeight]")
    if inner != [width, height]:
        driver.set_window_size(width + (width - inner[0]), height + (height - inner[1]))
    return driver


def serious_violations(driver: Any) -> list[str]:
    """axe-core's serious and critical violations on the page now, one line each (none: [])."""
    from axe_selenium_python import Axe

    axe = Axe(driver)
    axe.inject()
    results = axe.run()
    return [
        f"{v['impact']}: {v['id']}: {v['help']} ({len(v['nodes'])} element(s): {', '.join(str(n['target']) for n in v['nodes'][:3])})"
        for v in results["violations"]
        if v.get("impact") in BLOCKING_IMPACTS
    ]
