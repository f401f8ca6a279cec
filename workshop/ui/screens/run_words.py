"""How the run screen puts things: an activity's kind in a word, its question for focus
mode, and the schedule's status line."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from workshop.domain.models.pack import (
    Activity,
    ConsentActivity,
    DiscussActivity,
    PlaceActivity,
    ProposeActivity,
    RateActivity,
    ReviewActivity,
    VoteActivity,
)
from workshop.domain.runclock import RunClock

KIND_LABELS = {
    "read": "Read",
    "rate": "Rate",
    "discuss": "Discuss",
    "propose": "Propose",
    "vote": "Vote",
    "consent": "Consent",
    "place": "Place",
    "break": "Break",
    "close": "Close",
    "review": "Review",
}


def prompt_of(activity: Activity) -> str:
    """What the room should be thinking about, for focus mode: the question, not the label."""
    if isinstance(activity, DiscussActivity):
        return activity.question
    if isinstance(activity, (ProposeActivity, VoteActivity, ConsentActivity, PlaceActivity, ReviewActivity)):
        return activity.prompt
    if isinstance(activity, RateActivity):
        return activity.questions[0].prompt if len(activity.questions) == 1 else f"Rate {len(activity.questions)} questions"
    return activity.title


def schedule_status(clock: RunClock, now: datetime, *, read_only: bool, not_saved: bool, untimed: bool = False) -> Text:
    """The line under the countdown: running or paused, the schedule, the projected finish.

    `untimed`: the room has decided something in this activity while the clock was paused."""
    if clock.completed:
        return _completed_status(clock, read_only=read_only, not_saved=not_saved)
    box = clock.current_box
    state = "running" if clock.running else ("completed" if clock.completed else "paused")
    finish = clock.projected_finish(now).astimezone().strftime("%H:%M")
    extension = f" · +{box.extended_seconds // 60:.0f} min added" if box.extended_seconds else ""
    status = Text()
    status.append(f" {state.upper()} ", style="bold reverse" if not clock.running else "bold")
    status.append(f" {clock.schedule_state()} · finish {finish}{extension}")
    if untimed:
        status.append(" · NOT TIMED", style="bold yellow")
    parked = sum(1 for item in clock.session.parking_lot if item.status == "open")
    if parked:
        # Always in sight, so the close is not the first time anyone remembers the lot.
        status.append(f" · {parked} parked")
    if clock.held:
        status.append(" · time is up: moving on when typing stops (Esc)", style="bold")
    elif clock.auto_advance:
        status.append(" · auto-advance on")
    if read_only:
        status.append(" · read-only", style="bold red")
    elif not_saved:
        status.append(" · NOT SAVED", style="bold red")
    return status


def finished_at(clock: RunClock) -> datetime | None:
    """When the room actually finished: the last activity's end, as recorded."""
    ends = [record.ended_at for record in clock.session.progress if record.ended_at is not None]
    return max(ends, default=None)


def _completed_status(clock: RunClock, *, read_only: bool, not_saved: bool) -> Text:
    # Nothing is ahead or behind any more, and no finish is projected: say when it ended.
    status = Text()
    status.append(" COMPLETED ", style="bold reverse")
    finished = finished_at(clock)
    if finished is not None:
        status.append(f" finished at {finished.astimezone().strftime('%H:%M')}")
    if read_only:
        status.append(" · read-only", style="bold red")
    elif not_saved:
        status.append(" · NOT SAVED", style="bold red")
    return status


def recovered_notice(clock: RunClock, saved_at: datetime | None) -> str:
    """The one line saying a session saved while running was recovered, and where it waits."""
    when = f", timed up to the last save at {saved_at.astimezone().strftime('%H:%M')}" if saved_at else ""
    return f"Recovered: paused at “{clock.current.title}”{when}."
