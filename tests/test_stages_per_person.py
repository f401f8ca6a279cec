"""A round of check-ins: stages made from the session's participants, one per person present,
sharing the activity's time, and treated by the clock, the console and the phones like a
pack's own stages."""

from __future__ import annotations

from datetime import date

import pytest
from apphelp import make_app, run_ready, wait_until, write_session
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from workshop.domain.models.pack import Pack
from workshop.domain.models.session import Session
from workshop.domain.new_session import build_session
from workshop.domain.operations import SessionEditor
from workshop.domain.runclock import RunClock, StageChanged
from workshop.domain.stages import format_length
from workshop.domain.timebox import FakeClock
from workshop.ui.app import WorkshopApp
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


def _round_app(tmp_path, people) -> tuple[WorkshopApp, FakeClock, list[float]]:
    """The app opening a 4-minute round of `people` on a fake clock, and the bells it rings (their times)."""
    path = write_session(tmp_path / "sessions", pack=round_pack(4, stages_per_person={"prompt": PROMPT}), people=people)
    clock = FakeClock()
    app = make_app(tmp_path, clock=clock, open_path=path)
    bells: list[float] = []
    app.bell = lambda: bells.append(clock.monotonic())  # type: ignore[method-assign]  # the test counts the bells
    return app, clock, bells


async def test_the_console_runs_a_round_like_any_stages(tmp_path):
    app, clock, bells = _round_app(tmp_path, PEOPLE)
    async with app.run_test(size=(100, 30)) as pilot:
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
    app, clock, bells = _round_app(tmp_path, people)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await run_ready(pilot)
        line = screen.query_one(StageLine)
        await pilot.press("space")
        clock.advance(4)
        await wait_until(pilot, lambda: "Stage 2 of 60: Person 01" in str(line.render()), "the second turn")
        assert bells == [1004.0]
        assert [n.message for n in app._notifications if "Stage" in n.message] == []


async def test_a_phone_joining_mid_round_leaves_the_console_on_the_same_turn(tmp_path):
    # A latecomer joins from a phone during Jo's turn (the server adds them, as here):
    # the console's stage line, big clock and bell stay with Jo, and the new person's
    # turn comes last.
    app, clock, bells = _round_app(tmp_path, PEOPLE)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await run_ready(pilot)
        line = screen.query_one(StageLine)
        countdown = screen.query_one(BigClock)
        await pilot.press("space")
        clock.advance(100)  # Jo's turn (80-160 s), 60 s left
        await wait_until(pilot, lambda: "Stage 2 of 3: Jo Reed" in str(line.render()), "Jo's turn")
        screen.editor.add_late_arrival("Dee Patel")
        clock.advance(1)
        await wait_until(pilot, lambda: "Stage 2 of 4: Jo Reed" in str(line.render()), "the round with Dee in it")
        assert countdown.text == "00:59" and bells == [1100.0]  # the bell for Jo's turn only
        assert "next: Sam Lee, 40 s" in str(line.render())  # Sam and Dee share the 80 s left


SIX = [("Amira Khan", ""), ("Jo Reed", ""), ("Sam Lee", ""), ("Ola Berg", ""), ("Ray Moss", ""), ("Tia Cole", "")]


def _running_round(minutes: int = 4, people=SIX) -> tuple[SessionEditor, FakeClock]:
    clock = FakeClock()
    editor = SessionEditor(round_session(minutes=minutes, people=people), monotonic=clock.monotonic, wall=clock.wall)
    editor.clock.start()
    return editor, clock


def _turns(editor: SessionEditor) -> list[tuple[str, float]]:
    run = editor.clock
    stages = run.stages_of(run.current)
    return list(zip((stage.title for stage in stages), run.stage_ends_of(run.current, run.current_box.limit_seconds), strict=True))


def test_a_late_arrival_mid_round_leaves_the_turn_under_way_where_it_is():
    editor, clock = _running_round()  # six people, 4 minutes: 40 s a turn
    clock.advance(75)  # Jo's turn, 5 s left
    assert editor.clock.tick() == [StageChanged("checkin", 1, "Jo Reed")]
    editor.add_late_arrival("Dee Patel")
    now = editor.clock.current_stage()
    assert (now.label, now.format_remaining()) == ("Stage 2 of 7: Jo Reed", "00:05")
    assert editor.clock.tick() == []  # no turn changed hands
    # The four still to speak share what is left after Jo's turn (160 s): 40 s each.
    assert _turns(editor) == [
        ("Amira Khan", 40.0),
        ("Jo Reed", 80.0),
        ("Sam Lee", 112.0),
        ("Ola Berg", 144.0),
        ("Ray Moss", 176.0),
        ("Tia Cole", 208.0),
        ("Dee Patel", 240.0),
    ]


def test_someone_who_has_spoken_leaving_moves_nothing():
    editor, clock = _running_round()
    clock.advance(130)  # Ola's turn (120-160 s)
    editor.clock.tick()
    before = _turns(editor)
    editor.mark_left(editor.session.participants[0].id)  # Amira spoke first, and leaves
    assert _turns(editor) == before
    assert editor.clock.current_stage().label == "Stage 4 of 6: Ola Berg" and editor.clock.tick() == []


def test_the_speaker_leaving_passes_the_turn_on_at_once_and_the_rest_share_the_time_left():
    editor, clock = _running_round()
    clock.advance(90)  # Sam's turn (80-120 s)
    editor.clock.tick()
    editor.mark_left(editor.session.participants[2].id)
    assert editor.clock.tick() == [StageChanged("checkin", 3, "Ola Berg")]
    assert _turns(editor) == [("Amira Khan", 40.0), ("Jo Reed", 80.0), ("Sam Lee", 90.0), ("Ola Berg", 140.0), ("Ray Moss", 190.0), ("Tia Cole", 240.0)]


def test_someone_leaving_before_their_turn_gives_their_time_to_the_others():
    editor, clock = _running_round()
    clock.advance(10)
    editor.mark_left(editor.session.participants[4].id)  # Ray will not speak
    now = editor.clock.current_stage()
    assert (now.label, now.format_remaining()) == ("Stage 1 of 5: Amira Khan", "00:30")
    assert [title for title, _ in _turns(editor)] == ["Amira Khan", "Jo Reed", "Sam Lee", "Ola Berg", "Tia Cole"]
    assert [end for _, end in _turns(editor)] == [40.0, 90.0, 140.0, 190.0, 240.0]


def test_a_late_arrival_during_the_last_turn_speaks_after_it_and_the_round_runs_over():
    editor, clock = _running_round()
    clock.advance(220)  # Tia's turn, the last
    editor.clock.tick()
    editor.add_late_arrival("Dee Patel")
    assert editor.clock.current_stage().label == "Stage 6 of 7: Tia Cole"
    assert editor.clock.current_stage().format_remaining() == "00:20"
    # Tia keeps her turn to the planned end; Dee's, the last, starts there and counts
    # the overrun, as any last stage past the limit (an extension lengthens it).
    clock.advance(20)
    assert StageChanged("checkin", 6, "Dee Patel") in editor.clock.tick()
    assert _turns(editor)[-2:] == [("Tia Cole", 240.0), ("Dee Patel", 240.0)]
    assert editor.clock.current_stage().remaining_seconds <= 0
    editor.clock.extend(1)
    assert _turns(editor)[-1] == ("Dee Patel", 300.0)


def test_two_late_arrivals_during_the_last_turn_each_get_a_turn_not_a_flicker():
    editor, clock = _running_round()
    clock.advance(220)
    editor.clock.tick()
    editor.add_late_arrival("Dee Patel")
    editor.add_late_arrival("Lu Chen")
    # At least half an equal turn of eight (15 s) for Dee, after Tia's planned end.
    assert _turns(editor)[-3:] == [("Tia Cole", 240.0), ("Dee Patel", 255.0), ("Lu Chen", 255.0)]


def test_before_the_round_begins_it_is_shared_afresh():
    clock = FakeClock()
    editor = SessionEditor(round_session(minutes=4, people=SIX), monotonic=clock.monotonic, wall=clock.wall)
    editor.add_late_arrival("Dee Patel")
    editor.mark_left(editor.session.participants[0].id)
    ends = [end for _, end in _turns(editor)]
    assert ends == [40.0, 80.0, 120.0, 160.0, 200.0, 240.0]


@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=90), st.sampled_from(["leave", "back", "arrive"]), st.integers(min_value=0, max_value=9)),
        min_size=1,
        max_size=8,
    )
)
@settings(max_examples=150, deadline=None)
def test_whoever_comes_and_goes_no_turn_begun_moves(changes):
    editor, clock = _running_round(minutes=5)
    arrivals = 0
    for seconds, action, who in changes:
        clock.advance(seconds)
        editor.clock.tick()
        before = _turns(editor)
        current = editor.clock.current_stage()
        people = editor.session.participants
        person = people[who % len(people)]
        if action == "arrive":
            arrivals += 1
            editor.add_late_arrival(f"Late {arrivals}")
        elif action == "leave":
            editor.mark_left(person.id)
        else:
            editor.mark_present(person.id)
        after = _turns(editor)
        ended = before[: current.index]
        assert after[: len(ended)] == ended, "a turn already taken changed"
        present = {p.name for p in editor.session.participants if p.present}
        now = editor.clock.current_stage()
        # Once the round has begun, unless its speaker left or its time was up (the round over its time box: the
        # next to speak starts as they come), the turn under way stays where it is.
        if current.stage.title in present and current.remaining_seconds > 0 and current.elapsed_seconds > 0:
            assert (now.index, now.stage.title) == (current.index, current.stage.title), "the turn under way changed hands"
            assert now.ends_at_seconds == current.ends_at_seconds or now.index == len(after) - 1
        ends = [end for _, end in after]
        assert ends == sorted(ends)
