"""Fitting an agenda to the time available: `workshop new --minutes` and the setup form's `f`.

One function for both front ends, so an agenda fitted on the command line is the one the
form would have made. Rules, as a facilitator trims a day that is too long:
- Only what is included counts, and only a plan over the time is changed: minutes to
  spare are left alone (they are the room's margin for the overruns every day has).
- Every included activity gives up time in proportion to its length: a minute at a time
  goes from the activity shortened least so far (its minutes against the pack's), so a
  15-minute break and a 3-minute reading shrink alike, and nothing is dropped: what to
  leave out is the facilitator's call (space in the setup form).
- No activity goes below a minute, nor a staged one below a minute a stage (a 1-2-4-All
  in under four minutes is no longer one); a round's turns just get shorter.
Plain Python: nothing here imports Textual.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from workshop.domain.errors import Refused
from workshop.domain.models.limits import MIN_ACTIVITY_MINUTES
from workshop.domain.models.pack import Activity, Section
from workshop.domain.text import format_minutes

__all__ = ["AgendaFit", "FitError", "fit_to_time", "planned_minutes"]


class FitError(Refused):
    """The agenda cannot be fitted to the time given; the message says what to do."""


@dataclass(frozen=True)
class AgendaFit:
    """The fitted sections, and what fitting changed, for a line to the facilitator."""

    sections: list[Section]
    before: int
    after: int
    shortened: int

    def describe(self) -> str:
        """ "Fitted the agenda to the time: 2h50 down to 2h00, 23 activities shortened", or
        "The agenda already fits: 2h50" when nothing changed."""
        if not self.shortened:
            return f"The agenda already fits: {format_minutes(self.after)}"
        activities = "1 activity" if self.shortened == 1 else f"{self.shortened} activities"
        return f"Fitted the agenda to the time: {format_minutes(self.before)} down to {format_minutes(self.after)}, {activities} shortened"


def planned_minutes(sections: Sequence[Section]) -> int:
    """The minutes of everything included."""
    return sum(section.minutes for section in sections if section.included)


def _floor(activity: Activity) -> int:
    return max(MIN_ACTIVITY_MINUTES, len(activity.stages))


def fit_to_time(sections: Sequence[Section], available: int) -> AgendaFit:
    """A copy of `sections` whose included activities last at most `available` minutes.

    See the module's rules. `FitError` when even the shortest the activities can be is
    over the time: then something has to be left out.
    """
    fitted = [section.model_copy(deep=True) for section in sections]
    included = [activity for section in fitted if section.included for activity in section.activities if activity.included]
    before = sum(activity.minutes for activity in included)
    least = sum(_floor(activity) for activity in included)
    if least > available:
        raise FitError(
            f"The agenda cannot be fitted to {format_minutes(available)}: its {len(included)} activities need at least "
            f"{format_minutes(least)} (a minute each, a minute a stage). Leave some out in the setup form."
        )
    original = [activity.minutes for activity in included]
    total = before
    while total > available:
        # The one shortened least so far, as a share of its own length; ties go to the
        # longer, then the earlier, so the result is the same every time.
        candidates = [i for i, activity in enumerate(included) if activity.minutes > _floor(activity)]
        chosen = max(candidates, key=lambda i: (included[i].minutes / original[i], included[i].minutes, -i))
        included[chosen].minutes -= 1
        total -= 1
    shortened = sum(1 for activity, minutes in zip(included, original, strict=True) if activity.minutes != minutes)
    return AgendaFit(fitted, before, total, shortened)
