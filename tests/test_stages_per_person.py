"""A round of check-ins: stages made from the session's participants, one per person present,
sharing the activity's time, and treated by the clock, the console and the phones like a
pack's own stages."""

from __future__ import annotations

from datetime import date

import pytest
from apphelp import make_app, run_ready, wait_until, write_session
from pydantic import ValidationError

from workshop.domain.models.pack import Pack
from workshop.domain.models.session import Session
from workshop.domain.new_session import build_session
from workshop.domain.operations import SessionEditor
from workshop.domain.runclock import RunClock, StageChanged
from workshop.domain.stages import format_length
from workshop.domain.timebox import FakeClock
from workshop.ui.widgets.bigclock import BigClock
from workshop.ui.widgets.stage_line import StageLine
from workshop.web.phone_view import time_box

PROMPT = "One sentence: how are you arriving?"
PEOPLE = [("Amira Khan", "Director"), ("Jo Reed", "Head of early help"), ("Sam Lee", "")]


def round_pack(minutes: int = 6, **extra: object) -> Pack:
    checkin = {"kind": "discuss", "id": "checkin", "title": "Check-in", "minutes": minutes, "question": "How are you?", **extra}
    return Pack.model_validate(
        {
            "id": "rounds",
            "title": "Rounds",
            "summary": "For the round tests.",
            "version": "1.0",
            "sections": [{"id": "s1", "title": "First", "activities": [checkin, {"kind": "close", "id": "c", "title": "Close", "minutes": 5}]}],
        }
    )


def round_session(minutes: int = 6, people=PEOPLE) -> Session:
    pack = round_pack(minutes, stages_per_person={"prompt": PROMPT})
    return build_session(pack, title="Away day", participants=people, day=date(2025, 3, 14))


def test_a_pack_declares_a_round_and_the_validator_refuses_it_beside_listed_stages():
    pack = round_pack(stages_per_person={"prompt": PROMPT})
    assert pack.sections[0].activities[0].stages_per_person.prompt == PROMPT
    with pytest.raises(ValidationError) as caught:
        round_pack(minutes=1, stages_per_person={"prompt": PROMPT}, stages=[{"title": "All", "minutes": 1}])
    assert "not both" in str(caught.value) and "stages_per_person" in str(caught.value)
    with pytest.raises(ValidationError):
        round_pack(stages_per_person={"minutes": 1})  # the minutes are the activity's, shared out
    # An activity without a round is written as before: no new key in files or hashes.
    assert "stages_per_person" not in round_pack().model_dump(mode="json")["sections"][0]["activities"][0]


def test_one_stage_per_person_present_in_their_order_sharing_the_time():
    session = round_session()
    session.participants[1].present = False  # Jo has left: no turn for Jo
    clock = FakeClock()
    run = RunClock(session, monotonic=clock.monotonic, wall=clock.wall)
    assert [stage.title for stage in run.stages_of(run.current)] == ["Amira Khan", "Sam Lee"]
    now = run.current_stage()
    assert (now.label, now.stage.prompt, now.format_remaining(), now.next_stage.title) == ("Stage 1 of 2: Amira Khan", PROMPT, "03:00", "Sam Lee")
    run.start()
    clock.advance(3 * 60)
    assert run.tick() == [StageChanged("checkin", 1, "Sam Lee")]
    assert run.current_stage().format_remaining() == "03:00"


def test_the_round_follows_who_is_present_and_the_minutes_tuned_in_setup():
    session = round_session(minutes=4)
    editor = SessionEditor(session)
    assert [s.title for s in editor.clock.stages_of(editor.clock.current)] == ["Amira Khan", "Jo Reed", "Sam Lee"]
    editor.add_late_arrival("Dee Patel")
    stages = editor.clock.stages_of(editor.clock.current)
    assert [s.title for s in stages] == ["Amira Khan", "Jo Reed", "Sam Lee", "Dee Patel"]
    assert editor.clock.current_stage().format_remaining() == "01:00"  # 4 min shared by 4


def test_with_nobody_listed_a_round_is_a_plain_time_box():
    run = RunClock(round_session(people=[]))
    assert run.current_stage() is None


def test_the_phones_count_down_each_turn():
    editor = SessionEditor(round_session(minutes=6))
    box = time_box(editor)
    assert box["stage"] == {"label": "Stage 1 of 3: Amira Khan", "prompt": PROMPT}
    assert box["limit_seconds"] == 120


def test_lengths_read_as_a_facilitator_says_them():
    assert [format_length(s) for s in (120, 40, 85.4, 0)] == ["2 min", "40 s", "1 min 25 s", "0 min"]


async def test_the_console_runs_a_round_like_any_stages(tmp_path):
    path = write_session(tmp_path / "sessions", pack=round_pack(4, stages_per_person={"prompt": PROMPT}), people=PEOPLE)
    clock = FakeClock()
    app = make_app(tmp_path, clock=clock, open_path=path)
    bells: list[float] = []
    async with app.run_test(size=(100, 30)) as pilot:
        app.bell = lambda: bells.append(clock.monotonic())  # type: ignore[method-assign]  # the test counts the bells
        screen = await run_ready(pilot)
        line = screen.query_one(StageLine)
        countdown = screen.query_one(BigClock)
        # 4 minutes shared by 3: turns of 80 seconds, the big clock counting the turn.
        await wait_until(pilot, lambda: countdown.text == "01:20", "the first turn on the big clock")
        assert "Stage 1 of 3: Amira Khan" in str(line.render()) and "next: Jo Reed, 1 min 20 s" in str(line.render())
        await pilot.press("space")
        clock.advance(80)
        await wait_until(pilot, lambda: "Stage 2 of 3: Jo Reed" in str(line.render()), "Jo's turn")
        assert bells == [1080.0]
        assert any(f"Stage 2 of 3: Jo Reed (1 min 20 s). {PROMPT}" in n.message for n in app._notifications)


async def test_a_turn_too_short_for_a_toast_rings_and_shows_on_the_stage_line_only(tmp_path):
    # 4 minutes shared by 60: turns of 4 s, shorter than a toast stays; toasts would pile
    # up over the notes, each naming a turn already over (issue 20).
    people = [(f"Person {number:02d}", "") for number in range(60)]
    path = write_session(tmp_path / "sessions", pack=round_pack(4, stages_per_person={"prompt": PROMPT}), people=people)
    clock = FakeClock()
    app = make_app(tmp_path, clock=clock, open_path=path)
    bells: list[float] = []
    async with app.run_test(size=(100, 30)) as pilot:
        app.bell = lambda: bells.append(clock.monotonic())  # type: ignore[method-assign]  # the test counts the bells
        screen = await run_ready(pilot)
        line = screen.query_one(StageLine)
        await pilot.press("space")
        clock.advance(4)
        await wait_until(pilot, lambda: "Stage 2 of 60: Person 01" in str(line.render()), "the second turn")
        assert bells == [1004.0]
        assert [n.message for n in app._notifications if "Stage" in n.message] == []
