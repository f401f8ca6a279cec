"""How the run screen names an activity: its kind in a word, and its question for focus mode."""

from __future__ import annotations

from workshop.domain.models.pack import (
    Activity,
    DiscussActivity,
    PlaceActivity,
    ProposeActivity,
    RateActivity,
    ReviewActivity,
    VoteActivity,
)

KIND_LABELS = {
    "read": "Read",
    "rate": "Rate",
    "discuss": "Discuss",
    "propose": "Propose",
    "vote": "Vote",
    "place": "Place",
    "break": "Break",
    "close": "Close",
    "review": "Review",
}


def prompt_of(activity: Activity) -> str:
    """What the room should be thinking about, for focus mode: the question, not the label."""
    if isinstance(activity, DiscussActivity):
        return activity.question
    if isinstance(activity, (ProposeActivity, VoteActivity, PlaceActivity, ReviewActivity)):
        return activity.prompt
    if isinstance(activity, RateActivity):
        return activity.questions[0].prompt if len(activity.questions) == 1 else f"Rate {len(activity.questions)} questions"
    return activity.title
