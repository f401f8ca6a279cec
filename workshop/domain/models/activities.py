"""The activities of an agenda: their kinds, time boxes, rating questions and timed stages.

Split from `workshop.domain.models.pack` (which re-exports every name here): what one
activity is, apart from how a pack orders and cross-checks them.
"""

from __future__ import annotations

from typing import Annotated, Literal, Union, get_args

from pydantic import Field, model_validator

from workshop.domain.models.base import (
    Identifier,
    LineText,
    LongText,
    RequiredLineText,
    RequiredLongText,
    RequiredShortText,
    ShortText,
    StrictModel,
)
from workshop.domain.models.limits import (
    MAX_ACTIVITY_MINUTES,
    MAX_CONSENT_TOP,
    MAX_OPENING_RATINGS,
    MAX_STAGES,
    MIN_ACTIVITY_MINUTES,
)

Minutes = Annotated[int, Field(ge=MIN_ACTIVITY_MINUTES, le=MAX_ACTIVITY_MINUTES)]
ActivityKind = Literal["read", "rate", "discuss", "propose", "vote", "consent", "place", "break", "close", "review"]
# `review` is added by a follow-up session (see `workshop.domain.follow_up`), never
# written in a pack: the kinds a pack author may use are the others.
SESSION_ONLY_KINDS: tuple[str, ...] = ("review",)
ACTIVITY_KINDS: tuple[str, ...] = tuple(kind for kind in get_args(ActivityKind) if kind not in SESSION_ONLY_KINDS)


class Scale(StrictModel):
    """A rating scale: whole numbers from `min` to `max`, labelled at each end."""

    min: Annotated[int, Field(ge=0, le=10)] = 1
    max: Annotated[int, Field(ge=1, le=10)] = 5
    low_label: ShortText = "Not at all"
    high_label: ShortText = "Completely"

    @model_validator(mode="after")
    def _ordered(self) -> "Scale":
        if self.max <= self.min:
            raise ValueError(f"max ({self.max}) must be greater than min ({self.min})")
        return self

    @property
    def points(self) -> range:
        return range(self.min, self.max + 1)


class Question(StrictModel):
    id: Identifier
    prompt: RequiredLineText
    scale: Scale = Field(default_factory=Scale)


class Stage(StrictModel):
    """A timed step inside an activity (1-2-4-All: alone, pairs, fours, all), with what
    the room does in it. See `workshop.domain.stages` for how its time is counted."""

    title: RequiredShortText
    minutes: Minutes
    prompt: LineText = ""


class StagesPerPerson(StrictModel):
    """A round (a check-in, a check-out): one timed stage per person present, named for
    them, in the participants' order, instead of stages the pack lists.

    There are no minutes to give: the activity's time box is shared equally among the
    people present (see `workshop.domain.stages.stages_for`). A facilitator plans a round
    as a slot in the agenda ("check-in, 4 minutes"), not as a rate per head: the pack
    cannot know whether 6 or 12 will come, and a fixed minute each would overrun the
    slot with a large group or leave the room idle with a small one. Shared out, the
    agenda's total holds whoever comes, each person gets the same turn, and a time tuned
    in setup or an extension reaches every turn (the extension the last, as with any stage).
    """

    prompt: LineText = ""


def _no_stages(value: list[Stage]) -> bool:
    return not value


def _absent(value: StagesPerPerson | None) -> bool:
    return value is None


class _Activity(StrictModel):
    # Declared here so every activity's file entry starts with its kind.
    kind: ActivityKind
    # Filled from the section id and position when the author leaves it out.
    id: Identifier | None = None
    title: RequiredShortText
    minutes: Minutes
    behaviour: Identifier | None = None
    included: bool = True
    # In a pack their minutes add up to the activity's (checked by `Pack`); a session's
    # setup may tune the activity's minutes, and the stages then share them in proportion.
    # Most activities have no stages: leaving the empty list out keeps session files,
    # exports and content hashes as they were before stages existed (a field rule, not a
    # serializer wrapping every activity's dump, which slowed every save).
    stages: list[Stage] = Field(default_factory=list, max_length=MAX_STAGES, exclude_if=_no_stages)
    # Or stages made from the session's participants, one each (checked by `Pack`: not
    # both). Left out when absent, for the same reason as an empty `stages`.
    stages_per_person: StagesPerPerson | None = Field(default=None, exclude_if=_absent)


class ReadActivity(_Activity):
    """Text to present to the room (Markdown)."""

    kind: Literal["read"]
    text: RequiredLongText


class RateActivity(_Activity):
    """Scale questions every participant rates."""

    kind: Literal["rate"]
    intro: LongText = ""
    questions: list[Question] = Field(min_length=1, max_length=20)


class DiscussActivity(_Activity):
    """A question for discussion; the facilitator takes notes."""

    kind: Literal["discuss"]
    question: RequiredLineText
    prompts: list[LineText] = Field(default_factory=list, max_length=12)
    # Rating questions (asked earlier in the agenda) whose revealed results open the
    # discussion, lowest and most divided first.
    ratings: list[Identifier] = Field(default_factory=list, max_length=MAX_OPENING_RATINGS)


class ProposeActivity(_Activity):
    """Collect candidate priorities, optionally for one behaviour."""

    kind: Literal["propose"]
    prompt: RequiredLineText
    # List every proposal made so far, not only this activity's: a step to merge
    # duplicates (across behaviours) before a vote.
    every_proposal: bool = False


class VoteActivity(_Activity):
    """A dot vote across the proposals so far (or those of the listed behaviours)."""

    kind: Literal["vote"]
    prompt: LineText = "Spend your dots on the proposals that matter most."
    behaviours: list[Identifier] = Field(default_factory=list, max_length=50)


class ConsentActivity(_Activity):
    """After a dot vote: a consent check on the top priorities, under a stated decision rule.

    Each of the vote's top `top` proposals (ties at the cut included) is agreed, or
    objected to with a reason; `decision_rule` says who decides and what the dots meant,
    and is shown to the room and printed in the report.
    """

    kind: Literal["consent"]
    prompt: LineText = "Can everyone live with each of these priorities? Object only with a reason."
    decision_rule: RequiredLineText
    top: Annotated[int, Field(ge=1, le=MAX_CONSENT_TOP)] = 5


class PlaceActivity(_Activity):
    """Place the agreed priorities on time horizons, with owners and protected marks."""

    kind: Literal["place"]
    prompt: LineText = "Place each priority on a horizon and give it an owner."


class ReviewActivity(_Activity):
    """A follow-up's review of the earlier session's priorities (session-only, see above)."""

    kind: Literal["review"]
    prompt: LineText = "What became of each priority agreed last time?"


class BreakActivity(_Activity):
    kind: Literal["break"]
    text: LongText = ""


class CloseActivity(_Activity):
    kind: Literal["close"]
    text: LongText = ""


Activity = Annotated[
    Union[
        ReadActivity,
        RateActivity,
        DiscussActivity,
        ProposeActivity,
        VoteActivity,
        ConsentActivity,
        PlaceActivity,
        BreakActivity,
        CloseActivity,
        ReviewActivity,
    ],
    Field(discriminator="kind"),
]
