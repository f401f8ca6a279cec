"""Reading what a facilitator types: durations, times of day, dates."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workshop.domain.errors import Refused
from workshop.domain.models.limits import MAX_AVAILABLE_MINUTES
from workshop.domain.parsing import parse_day, parse_duration, parse_time_of_day


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("180", 180), ("180m", 180), ("3h", 180), ("2h30", 150), ("2:30", 150), (" 45 min ", 45), ("", None), ("24h", 1440)],
)
def test_durations(text, minutes):
    assert parse_duration(text) == minutes


@pytest.mark.parametrize("text", ["999h", "25h", "1441", "100000m"])
def test_a_duration_past_a_day_is_called_too_long(text):
    with pytest.raises(Refused, match="too long"):
        parse_duration(text)


@pytest.mark.parametrize("text", ["soon", "3 hours and a bit", "h3"])
def test_other_text_is_not_a_duration(text):
    with pytest.raises(Refused, match="is not a duration"):
        parse_duration(text)


@given(st.integers(min_value=1, max_value=MAX_AVAILABLE_MINUTES))
def test_any_minutes_within_a_day_read_back(minutes):
    assert parse_duration(str(minutes)) == minutes
    hours, rest = divmod(minutes, 60)
    assert parse_duration(f"{hours}h{rest:02d}") == minutes


def test_times_and_dates():
    assert parse_time_of_day("9:30") == "09:30"
    assert parse_day("2026-03-12") == date(2026, 3, 12)
    for bad, parser in (("25:00", parse_time_of_day), ("12/03/2026", parse_day)):
        with pytest.raises(Refused) as caught:
            parser(bad)
        assert caught.value.reason[0].isupper() or caught.value.reason.startswith("'")
        assert caught.value.reason.endswith(".")
