"""axe-core on the reports in a real browser: no serious or critical accessibility violation.

The axe-core script comes bundled with the axe-selenium-python package (the `test` extra)
and is injected with selenium into the report page, opened from a file in headless
Chromium. Skipped without the browser, its driver or the package; failed under CI.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from browserhelp import chromium, need_browser
from report_day import full_day

from workshop.domain.pre_read import pre_read_html
from workshop.domain.report import session_html
from workshop.storage.export import export_comparison

pytestmark = pytest.mark.browser


def axe_script() -> str:
    try:
        import axe_selenium_python
    except ImportError:
        reason = "the accessibility test needs the axe-selenium-python package (the test extra)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return (Path(axe_selenium_python.__file__).parent / "node_modules" / "axe-core" / "axe.min.js").read_text("utf-8")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Any:
    need_browser()
    driver = chromium(tmp_path_factory.mktemp("axe-profile"), "--window-size=1000,1400")
    driver.set_script_timeout(60)
    yield driver
    driver.quit()


def violations(driver: Any, page: Path) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on `page` (WCAG 2 A and AA rules and best practice)."""
    driver.get(page.as_uri())
    driver.execute_script(axe_script())
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations), e => done(String(e)));"
    )
    assert isinstance(result, list), result
    return [v for v in result if v.get("impact") in ("serious", "critical")]


def describe(found: list[dict[str, Any]]) -> str:
    return "; ".join(f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}" for v in found)


@pytest.mark.parametrize("which", ["report", "comparison", "pre-read"])
def test_no_serious_or_critical_accessibility_violation(browser: Any, tmp_path: Path, which: str) -> None:
    spring = full_day()
    if which == "report":
        html = session_html(spring)
    elif which == "pre-read":
        html = pre_read_html(spring)
    else:
        html = export_comparison([spring, full_day(seed=7, day=date(2026, 10, 1), session_id="autumn26")], "html")
    page = tmp_path / f"{which}.html"
    page.write_text(html, encoding="utf-8")
    found = violations(browser, page)
    assert not found, describe(found)
