"""The phone page in Chromium for issue 24's phone items: the merge step, unsent proposals,
lengths at their limit, and an axe-core check of every screen a phone shows.

axe-core comes bundled in axe-selenium-python (read from the installed package, nothing
fetched); a serious or critical violation fails the test. Screenshots at the phone's
viewport (390x844) are left in the test's folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browserhelp import all_closed, need_browser
from phonehelp import LiveRoom, click, phone, shows, text_of, wait_for

pytestmark = pytest.mark.browser


@pytest.fixture
def room(tmp_path: Path):
    need_browser()
    live = LiveRoom(tmp_path / "sessions")
    yield live
    live.close()


@pytest.fixture
def open_phone(tmp_path: Path):
    need_browser()
    yield from all_closed(lambda name: phone(tmp_path / "profiles" / name))


def join_as(room: LiveRoom, page: Any, name: str) -> None:
    page.get(room.url)
    click(page, f'button[data-participant="{room.person(name)}"]')
    wait_for(page, shows(".slot-who", f"You are {name}"))


def go(room: LiveRoom, page: Any, activity_id: str, title: str) -> None:
    room.do(lambda: room.editor.jump(activity_id), save=True)
    wait_for(page, shows("#activity-title", title), f"the page did not follow to {title!r}")


def add_proposals(room: LiveRoom, *texts: str) -> None:
    for text in texts:
        room.do(lambda text=text: room.editor.add_proposal(text, activity_id="demo-propose"), save=True)  # type: ignore[misc]


def type_into(page: Any, css: str, text: str) -> None:
    """Set a box's text as typing would end (one input event): fast for a thousand characters."""
    page.execute_script(
        "const box = document.querySelector(arguments[0]); box.value = arguments[1];box.dispatchEvent(new Event('input', {bubbles: true}));", css, text
    )


def serious_violations(page: Any) -> list[str]:
    from axe_selenium_python import Axe

    axe = Axe(page)
    axe.inject()
    found = axe.run()
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}" for v in found["violations"] if v["impact"] in ("serious", "critical")
    ]


def test_the_merge_step_shows_the_proposals_read_only(room: LiveRoom, open_phone, tmp_path: Path):
    add_proposals(room, "Protect Friday afternoons", "Keep Fridays free", "One data dashboard")
    room.do(room.editor.start, save=True)
    ana = open_phone("ana")
    join_as(room, ana, "Ana Diaz")
    go(room, ana, "demo-merge", "Merge duplicates")
    wait_for(ana, shows("#merge-list", "One data dashboard"))
    items = [item.text for item in ana.find_elements("css selector", "#merge-list li")]
    assert items == ["Protect Friday afternoons", "Keep Fridays free", "One data dashboard"]
    assert "(m)" not in text_of(ana, "#activity-prompt")
    assert not ana.find_elements("css selector", "#propose-text")
    assert "Your proposals" not in text_of(ana, "#slot-list") and "merging" in text_of(ana, "#merge-note")
    ana.save_screenshot(str(tmp_path / "merge-step.png"))


def test_a_proposal_left_unsent_is_offered_at_the_next_propose_step(room: LiveRoom, open_phone, tmp_path: Path):
    room.do(room.editor.start, save=True)
    ana = open_phone("ana")
    join_as(room, ana, "Ana Diaz")
    go(room, ana, "demo-propose", "A proposal or two")
    click(ana, "#propose-text")
    ana.find_element("css selector", "#propose-text").send_keys("Half a thought about Fridays")
    go(room, ana, "demo-break", "Break")  # the facilitator moves on before Ana sends it
    assert not ana.find_elements("css selector", "#propose-text")
    ana.refresh()  # kept on the phone itself, not in the page's memory
    wait_for(ana, shows("#activity-title", "Break"))
    go(room, ana, "demo-propose", "A proposal or two")
    wait_for(ana, shows("#unsent-text", "Half a thought about Fridays"))
    ana.save_screenshot(str(tmp_path / "unsent-offered.png"))
    click(ana, "#unsent-use")
    wait_for(ana, lambda d: d.find_element("css selector", "#propose-text").get_attribute("value") == "Half a thought about Fridays")
    assert not text_of(ana, "#unsent")
    click(ana, "#propose-send")
    wait_for(ana, shows("#recorded", "Recorded"))
    assert room.do(lambda: [p.text for p in room.editor.session.proposals]) == ["Half a thought about Fridays"]


def test_a_text_at_its_limit_is_said_never_cut(room: LiveRoom, open_phone, tmp_path: Path):
    room.do(room.editor.start, save=True)
    ana = open_phone("ana")
    join_as(room, ana, "Ana Diaz")
    go(room, ana, "demo-propose", "A proposal or two")
    wait_for(ana, lambda d: d.find_elements("css selector", "#propose-text"))
    assert not text_of(ana, "#propose-count")  # quiet while far from the limit
    type_into(ana, "#propose-text", "x" * 1000)
    wait_for(ana, shows("#propose-count", "1,000 of 1,000 characters: the limit"))
    type_into(ana, "#propose-text", "x" * 1012)
    wait_for(ana, shows("#propose-count", "1,012 of 1,000 characters: 12 too many"))
    assert len(ana.find_element("css selector", "#propose-text").get_attribute("value")) == 1012  # nothing cut
    assert not ana.find_element("css selector", "#propose-send").is_enabled()
    ana.save_screenshot(str(tmp_path / "over-the-limit.png"))
    type_into(ana, "#propose-text", "x" * 999)
    wait_for(ana, lambda d: d.find_element("css selector", "#propose-send").is_enabled())


def test_every_screen_of_the_phone_passes_axe(room: LiveRoom, open_phone, tmp_path: Path):
    add_proposals(room, "Protect Friday afternoons", "One data dashboard")
    ana = open_phone("ana")
    shots = tmp_path / "axe"
    shots.mkdir()
    found: dict[str, list[str]] = {}

    def check(step: str) -> None:
        ana.save_screenshot(str(shots / f"{len(found):02d}-{step}.png"))
        found[step] = serious_violations(ana)

    home = room.url.split("/j/")[0]
    ana.get(home + "/")
    check("code")
    wrong = "000 000" if room.server.join.short_code != "000000" else "111 111"
    ana.find_element("css selector", "#code").send_keys(wrong)
    click(ana, "button[type=submit]")
    wait_for(ana, shows("#code-error", "That code is not right"))
    check("code-wrong")
    ana.get(home + "/j/" + "x" * 22 + "/")
    wait_for(ana, shows("[role=alert]", "check the address or scan the code again"))
    check("stale-address")
    ana.get(room.url)
    wait_for(ana, shows("#names", "Ana Diaz"))
    check("who-are-you")
    join_as(room, ana, "Ana Diaz")
    room.do(room.editor.start, save=True)
    for activity_id, title in (
        ("demo-rate", "Two quick ratings"),
        ("demo-propose", "A proposal or two"),
        ("demo-merge", "Merge duplicates"),
        ("demo-vote", "Dot vote"),
    ):
        go(room, ana, activity_id, title)
        check(activity_id)
    click(ana, "li.dot-row button.plus")
    click(ana, "#send-dots")
    wait_for(ana, shows("#recorded", "Recorded"))
    check("recorded")
    assert found == {step: [] for step in found}, found
    # The spoken name of "Not you?" starts with what it shows (axe's label-in-name).
    leave = ana.find_element("css selector", "#leave")
    assert leave.accessible_name.startswith(leave.text) and "Ana Diaz" in leave.accessible_name


def test_a_partial_rating_asks_and_going_back_sends_nothing(room: LiveRoom, open_phone, tmp_path: Path):
    room.do(room.editor.start, save=True)
    ana = open_phone("ana")
    join_as(room, ana, "Ana Diaz")
    go(room, ana, "demo-rate", "Two quick ratings")
    click(ana, 'button[data-question="demo-q1"][data-value="4"]')
    click(ana, "#send-rating")
    wait_for(ana, shows("#partial-ask", "How good is our data"))  # the question left blank, named
    ana.save_screenshot(str(tmp_path / "partial-ask.png"))
    in_view = "const r = document.getElementById('partial-ask').getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight + 1;"
    wait_for(ana, lambda d: d.execute_script(in_view), "the question is not wholly in view")
    click(ana, "#partial-back")
    wait_for(ana, lambda d: d.find_elements("css selector", "#send-rating"))
    assert room.do(lambda: room.editor.current_round("demo-rate")) is None or not room.do(lambda: room.editor.current_round("demo-rate").voted)
    click(ana, 'button[data-question="demo-q2"][data-value="2"]')
    click(ana, "#send-rating")  # all answered: sent at once
    wait_for(ana, shows("#recorded", "Recorded"))


def test_a_phone_that_took_part_keeps_its_name_and_says_so(room: LiveRoom, open_phone, tmp_path: Path):
    room.do(room.editor.start, save=True)
    ana = open_phone("ana")
    join_as(room, ana, "Ana Diaz")
    go(room, ana, "demo-propose", "A proposal or two")
    click(ana, "#propose-text")
    ana.find_element("css selector", "#propose-text").send_keys("Keep Fridays free")
    click(ana, "#propose-send")
    wait_for(ana, shows("#recorded", "Recorded"))
    click(ana, "#leave")
    wait_for(ana, shows("#kept-as", "This phone has taken part as Ana Diaz"))
    ben = ana.find_element("css selector", f'button[data-participant="{room.person("Ben Osei")}"]')
    assert not ben.is_enabled() and not ana.find_elements("css selector", "#late-form")
    ana.save_screenshot(str(tmp_path / "kept-name.png"))
    click(ana, f'button[data-participant="{room.person("Ana Diaz")}"]')
    wait_for(ana, shows(".slot-who", "You are Ana Diaz"))
