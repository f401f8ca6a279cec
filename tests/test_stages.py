"""Timed stages inside an activity: the pack's rule, the stage now, and the clock's events."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from workshop.domain.models.pack import Pack
from workshop.domain.models.session import Session
from workshop.domain.runclock import PhaseChanged, RunClock, StageChanged
from workshop.domain.stages import stage_at, stage_ends
from workshop.domain.timebox import FakeClock

MIN = 60
ONE_TWO_FOUR_ALL = [
    {"title": "Alone", "minutes": 1, "prompt": "Think on your own."},
    {"title": "Pairs", "minutes": 2, "prompt": "Share in pairs."},
    {"title": "Fours", "minutes": 4, "prompt": "Two pairs together."},
    {"title": "All", "minutes": 5, "prompt": "What stands out?"},
]


def staged_pack(minutes: int = 12, stages: list[dict] | None = None) -> Pack:
    return Pack.model_validate(
        {
            "id": "staged",
            "title": "Staged",
            "summary": "For the stage tests.",
            "version": "1.0",
            "sections": [
                {
                    "id": "s1",
                    "title": "First",
                    "activities": [
                        {
                            "kind": "discuss",
                            "id": "d",
                            "title": "1-2-4-All",
                            "minutes": minutes,
                            "question": "Why?",
                            "stages": ONE_TWO_FOUR_ALL if stages is None else stages,
                        },
                        {"kind": "close", "id": "c", "title": "Close", "minutes": 5},
                    ],
                },
            ],
        }
    )


def staged_session(**pack) -> Session:
    return Session(title="Away day", date=date(2025, 3, 14), agenda=staged_pack(**pack).snapshot())


def test_stages_must_add_up_to_the_activity_in_a_pack():
    with pytest.raises(ValidationError) as caught:
        staged_pack(minutes=10)
    assert "the stages last 12 min in all but the activity has 10 min" in str(caught.value)
    assert staged_pack().sections[0].activities[0].stages[1].title == "Pairs"


def test_an_activity_without_stages_is_written_as_before():
    pack = staged_pack()
    dumped = pack.model_dump(mode="json")
    assert "stages" in dumped["sections"][0]["activities"][0]
    assert "stages" not in dumped["sections"][0]["activities"][1]


def test_the_stage_now_and_its_countdown():
    activity = staged_pack().sections[0].activities[0]
    assert stage_ends(activity, 12 * MIN) == [60, 180, 420, 720]
    now = stage_at(activity, 60, 12 * MIN)
    assert now is not None
    assert (now.label, now.format_remaining(), now.next_stage.title) == ("Stage 2 of 4: Pairs", "02:00", "Fours")
    assert now.phase == "normal"
    assert stage_at(activity, 180 - 24, 12 * MIN).phase == "warning"
    last = stage_at(activity, 13 * MIN, 12 * MIN)
    assert (last.index, last.format_remaining(), last.phase, last.next_stage) == (3, "+01:00", "over", None)


def test_an_extension_lengthens_the_last_stage_only():
    activity = staged_pack().sections[0].activities[0]
    assert stage_ends(activity, 15 * MIN) == [60, 180, 420, 900]


def test_minutes_tuned_in_setup_share_out_in_proportion():
    session = staged_session()
    session.agenda.sections[0].activities[0].minutes = 24
    activity = session.agenda.sections[0].activities[0]
    assert stage_ends(activity, 24 * MIN) == [120, 360, 840, 1440]


def test_the_clock_reports_each_stage_once_and_then_the_phases():
    clock = FakeClock()
    run = RunClock(staged_session(), monotonic=clock.monotonic, wall=clock.wall)
    assert run.current_stage().index == 0
    run.start()
    assert run.tick() == []
    clock.advance(MIN)
    assert run.tick() == [StageChanged("d", 1, "Pairs")]
    assert run.tick() == []
    clock.advance(6 * MIN)  # no redraw through the fours: straight to the last, one event
    assert run.tick() == [StageChanged("d", 3, "All")]
    clock.advance(2 * MIN + 36)  # 80% of the activity's 12 minutes
    assert run.tick() == [PhaseChanged("d", "warning")]
    run.pause()
    run.resume()
    assert run.tick() == []  # pausing does not signal the stage again
    run.next()
    run.previous()  # nor does coming back
    assert run.tick() == []
    assert run.current_stage().stage.title == "All"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=200, allow_nan=False), min_size=1, max_size=40))
def test_stages_do_not_drift_however_the_ticks_fall(steps):
    """Whatever the redraws' timing, the stage shown is the one the elapsed time says,
    and each boundary crossed is reported once, in order."""
    clock = FakeClock()
    run = RunClock(staged_session(), monotonic=clock.monotonic, wall=clock.wall)
    run.start()
    reported: list[int] = []
    for step in steps:
        clock.advance(step)
        reported += [event.index for event in run.tick() if isinstance(event, StageChanged)]
        now = run.current_stage()
        elapsed = clock.advanced
        expected = next((i for i, end in enumerate([60, 180, 420]) if elapsed < end), 3)
        assert now.index == expected
        assert now.remaining_seconds == pytest.approx([60, 180, 420, 720][expected] - elapsed)
    assert reported == sorted(set(reported))
    assert (reported[-1] if reported else 0) == run.current_stage().index
