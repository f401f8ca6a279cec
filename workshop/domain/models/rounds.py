"""A session's voting rounds: dot votes and ratings, their ballots and shows of hands.

Part of the session model (`workshop.domain.models.session`, which re-exports these
names); a round is opened, cast into and revealed by `workshop.domain.operations.rounds`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from workshop.domain.models.base import Identifier, StrictModel, UtcDatetime
from workshop.domain.models.limits import MAX_DOTS, MAX_HANDS

BallotMode = Literal["passed", "named", "anonymous", "hands"]
BALLOT_MODE_LABELS: dict[str, str] = {
    "passed": "Pass the keyboard",
    "named": "Named (open)",
    "anonymous": "Anonymous",
    "hands": "Show of hands",
}

Count = Annotated[int, Field(ge=0, le=MAX_HANDS)]
Dots = Annotated[int, Field(ge=1, le=MAX_DOTS)]


class RatingBallot(StrictModel):
    """One participant's answers to a rating activity's questions (question id -> value).

    `voter` is absent in anonymous rounds. A question left out was not answered.
    """

    voter: Identifier | None = None
    cast_at: UtcDatetime | None = None
    answers: dict[Identifier, Annotated[int, Field(ge=0, le=10)]] = Field(default_factory=dict)


class DotBallot(StrictModel):
    """One participant's dots (proposal id -> dots). `voter` is absent when anonymous."""

    voter: Identifier | None = None
    cast_at: UtcDatetime | None = None
    dots: dict[Identifier, Dots] = Field(default_factory=dict)


class _Round(StrictModel):
    id: Identifier
    activity_id: Identifier
    mode: BallotMode
    opened_at: UtcDatetime | None = None
    closed_at: UtcDatetime | None = None
    revealed: bool = False
    # A re-run keeps the earlier round in the file with this set; the latest one counts.
    superseded: bool = False
    # Who has voted (kept even when anonymous, to stop double votes) and who abstained.
    voted: list[Identifier] = Field(default_factory=list)
    abstained: list[Identifier] = Field(default_factory=list)


class RatingRound(_Round):
    ballots: list[RatingBallot] = Field(default_factory=list)
    # Show of hands: question id -> {scale point as text -> number of hands}.
    hands: dict[Identifier, dict[str, Count]] = Field(default_factory=dict)


class VoteRound(_Round):
    dots_per_person: Dots = 5
    max_per_item: Dots = 2
    # The proposals on the ballot, in the order shown.
    proposals: list[Identifier] = Field(default_factory=list)
    ballots: list[DotBallot] = Field(default_factory=list)
    # Show of hands: proposal id -> dots counted by the facilitator.
    hands: dict[Identifier, Count] = Field(default_factory=dict)
