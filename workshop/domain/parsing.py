"""What a facilitator types into a form or a prompt, read as values: durations, times, dates.

Each parser returns the value or raises `SetupError` with one plain line.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from workshop.domain.models.limits import MAX_AVAILABLE_MINUTES
from workshop.domain.new_session import SetupError

# Digits are not limited here, so "999h" is called too long rather than not a duration.
_DURATION = re.compile(r"^\s*(?:(\d{1,6})\s*[h:]\s*(\d{1,6})?\s*(?:m|min)?|(\d{1,6})\s*(?:m|min|mins|minutes)?)\s*$", re.IGNORECASE)


def parse_duration(text: str) -> int | None:
    """Minutes from `180`, `180m`, `3h`, `2h30`, `2:30`; None when blank.

    Raises `SetupError` for anything else or a duration outside 1 minute to 24 hours.
    """
    if not text.strip():
        return None
    match = _DURATION.match(text)
    if not match:
        raise SetupError(f"'{text.strip()}' is not a duration: try 180, 3h or 2h30.")
    if match.group(3) is not None:
        minutes = int(match.group(3))
    else:
        minutes = int(match.group(1)) * 60 + int(match.group(2) or 0)
    if minutes > MAX_AVAILABLE_MINUTES:
        raise SetupError(f"'{text.strip()}' is too long: the time available is at most {MAX_AVAILABLE_MINUTES // 60} hours.")
    if minutes < 1:
        raise SetupError("The time available must be at least 1 minute.")
    return minutes


def parse_time_of_day(text: str) -> str | None:
    """`9:30` or `09:30` -> `09:30`; None when blank; `SetupError` otherwise."""
    if not text.strip():
        return None
    match = re.match(r"^\s*(\d{1,2})[:.h](\d{2})\s*$", text)
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise SetupError(f"'{text.strip()}' is not a time of day such as 09:30.")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def parse_day(text: str) -> date:
    """A date in the form YYYY-MM-DD, or `SetupError`."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise SetupError(f"'{text.strip()}' is not a date in the form YYYY-MM-DD.") from None


def finish_time(start: str, minutes: int) -> str:
    """The time of day `minutes` after `start` (`09:30` + 175 -> `12:25`)."""
    hours, mins = (int(part) for part in start.split(":"))
    finish = datetime.combine(date(2000, 1, 1), time(hours, mins)) + timedelta(minutes=minutes)
    days = (finish.date() - date(2000, 1, 1)).days
    return finish.strftime("%H:%M") + (f" (+{days} day)" if days else "")


# Exactly YYYY-MM-DD: `date.fromisoformat` also takes `20260430` and week dates, which a
# person reading the board would not recognise as what they typed.
_REVIEW_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_review_date(text: str) -> date | None:
    """A priority's review date from `2026-04-30`; None when blank (no date).

    Raises `SetupError` with one plain line for anything else, including impossible
    dates such as `2026-13-01`.
    """
    answer = text.strip()
    if not answer:
        return None
    if _REVIEW_DATE.match(answer):
        try:
            return date.fromisoformat(answer)
        except ValueError:
            pass
    raise SetupError(f"'{answer}' is not a date: type it as YYYY-MM-DD, such as 2026-04-30.")
