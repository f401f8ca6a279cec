"""The session: the record of one away-day, as saved in its TOML file.

Everything the room does lands here: who came, how the time went, notes, proposals and
where they were placed, ratings and dot votes. The shape is meant to grow by additions
only; `schema` counts incompatible changes, which `workshop.storage.migrate` upgrades on read.
"""

from __future__ import annotations

import secrets
from datetime import date
from functools import lru_cache
from operator import itemgetter
from typing import Annotated, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import Field, field_validator, model_validator

from workshop.domain.models.base import (
    Identifier,
    LineText,
    LongText,
    RequiredLineText,
    RequiredShortText,
    ShortText,
    StrictModel,
    UtcDatetime,
    utc_now,
)
from workshop.domain.models.limits import (
    MAX_AVAILABLE_MINUTES,
    MAX_EXTENSION_MINUTES,
    MAX_PARKED,
    MAX_PARTICIPANTS,
    MAX_POSITION,
    MAX_PROPOSALS,
    MAX_RECORDED_SECONDS,
)
from workshop.domain.models.pack import AgendaSnapshot
from workshop.domain.models.rounds import BALLOT_MODE_LABELS as BALLOT_MODE_LABELS  # re-exported
from workshop.domain.models.rounds import BallotMode as BallotMode  # re-exported
from workshop.domain.models.rounds import Count as Count  # re-exported
from workshop.domain.models.rounds import DotBallot as DotBallot  # re-exported
from workshop.domain.models.rounds import Dots as Dots  # re-exported
from workshop.domain.models.rounds import RatingBallot as RatingBallot  # re-exported
from workshop.domain.models.rounds import RatingRound as RatingRound  # re-exported
from workshop.domain.models.rounds import VoteRound as VoteRound  # re-exported
from workshop.domain.models.schema import SCHEMA_VERSION

SessionStatus = Literal["planned", "running", "paused", "completed"]
ActivityState = Literal["pending", "running", "paused", "done", "skipped"]
Horizon = Literal["unplaced", "next-month", "six-months", "a-year", "longer-term"]
PriorityStatus = Literal["open", "in-progress", "done", "dropped", "carried-forward"]
# What a follow-up's review says about an earlier priority; "unreviewed" until it is marked.
ReviewStatus = Literal["unreviewed", "done", "in-progress", "dropped", "carried-forward"]
REVIEW_STATUSES: tuple[ReviewStatus, ...] = get_args(ReviewStatus)
REVIEW_STATUS_LABELS: dict[str, str] = dict(zip(REVIEW_STATUSES, ("Not reviewed", "Done", "In progress", "Dropped", "Carried forward"), strict=True))

# The board's columns in order, defined once by `Horizon`: the Unplaced tray, then the
# time horizons from nearest to furthest. Everything that lists horizons uses these.
HORIZONS: tuple[Horizon, ...] = get_args(Horizon)
TIME_HORIZONS: tuple[Horizon, ...] = HORIZONS[1:]
HORIZON_LABELS: dict[str, str] = dict(zip(HORIZONS, ("Unplaced", "Next month", "Six months", "A year", "Longer term"), strict=True))

Seconds = Annotated[float, Field(ge=0, le=MAX_RECORDED_SECONDS)]


def new_id(length: int = 8) -> str:
    """A short random id from an alphabet without look-alike characters."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(length))


class Participant(StrictModel):
    id: Identifier
    name: RequiredShortText
    role: ShortText = ""
    present: bool = True
    # A late arrival keeps the moment they joined, so the record says what they missed.
    joined_at: UtcDatetime | None = None


class VotingSettings(StrictModel):
    """Defaults for the session's dot votes; each round copies them and may differ."""

    dots_per_person: Dots = 5
    max_per_item: Dots = 2
    mode: BallotMode = "passed"
    facilitator_votes: bool = False

    @model_validator(mode="after")
    def _cap_within_budget(self) -> "VotingSettings":
        if self.max_per_item > self.dots_per_person:
            raise ValueError(f"most dots on one item ({self.max_per_item}) cannot exceed dots per person ({self.dots_per_person})")
        return self


class ActivityProgress(StrictModel):
    """How one activity's time box went. Elapsed time excludes pauses."""

    activity_id: Identifier
    state: ActivityState = "pending"
    elapsed_seconds: Seconds = 0.0
    # Minutes added with extend (+1, +5, typed); the time box is planned + extended.
    extended_minutes: Annotated[int, Field(ge=0, le=MAX_EXTENSION_MINUTES)] = 0
    started_at: UtcDatetime | None = None
    ended_at: UtcDatetime | None = None


class Note(StrictModel):
    activity_id: Identifier
    text: LongText = ""
    updated_at: UtcDatetime | None = None


class Proposal(StrictModel):
    """A candidate priority; once voted and placed, an agreed priority."""

    id: Identifier
    text: RequiredLineText
    behaviour: Identifier | None = None
    proposed_by: Identifier | None = None
    activity_id: Identifier | None = None
    created_at: UtcDatetime | None = None
    horizon: Horizon = "unplaced"
    # Order within its horizon column; lower comes first.
    position: Annotated[int, Field(ge=0, le=MAX_POSITION)] = 0
    owner: ShortText = ""
    protected: bool = False
    review_date: date | None = None
    status: PriorityStatus = "open"
    details: LongText = ""
    # Set on a follow-up session's copy: the id of the proposal it was carried from.
    carried_from: Identifier | None = None
    # Other wordings of the same idea merged into this one (their texts and former ids,
    # oldest first), so the record keeps every wording while the dots are not split.
    merged_texts: list[LineText] = Field(default_factory=list, max_length=MAX_PROPOSALS)
    merged_ids: list[Identifier] = Field(default_factory=list, max_length=MAX_PROPOSALS)


class EarlierPriority(StrictModel):
    """A priority of the session this one follows up, copied when the follow-up was made
    (so the review reads the same after the earlier file is archived), and its review.

    `id` is the earlier session's proposal id; `carried_to` the proposal this session
    made of it when it was carried forward.
    """

    id: Identifier
    text: RequiredLineText
    horizon: Horizon = "unplaced"
    owner: ShortText = ""
    protected: bool = False
    review_date: date | None = None
    behaviour: Identifier | None = None
    status: ReviewStatus = "unreviewed"
    carried_to: Identifier | None = None
    reviewed_at: UtcDatetime | None = None


class CheckOut(StrictModel):
    """One person's word at the close: what they will do next, in a line."""

    participant: Identifier
    text: RequiredLineText


class Closing(StrictModel):
    """What the close decided, beyond the board: who must agree the priorities before they
    stand and by when, the date the team reviews them, and each person's check-out.

    Every field is optional, so a session closed before these existed reads unchanged.
    """

    approvers: LineText = ""
    agree_by: date | None = None
    next_review: date | None = None
    check_out: list[CheckOut] = Field(default_factory=list, max_length=MAX_PARTICIPANTS)

    @property
    def empty(self) -> bool:
        """Whether nothing was recorded at the close."""
        return not (self.approvers or self.agree_by or self.next_review or self.check_out)


# What the close decides about a parked item: "open" until it is reviewed.
ParkedStatus = Literal["open", "kept", "dropped", "proposal"]
PARKED_STATUSES: tuple[ParkedStatus, ...] = get_args(ParkedStatus)
PARKED_STATUS_LABELS: dict[str, str] = dict(zip(PARKED_STATUSES, ("Not reviewed", "Kept for later", "Dropped", "Made a proposal"), strict=True))


class ParkedItem(StrictModel):
    """Something raised off the topic of the moment, parked to come back to at the close.

    `raised_by` is a name as the room says it (a participant's, or anyone's); `proposal_id`
    the proposal the close made of it.
    """

    id: Identifier
    text: RequiredLineText
    raised_by: ShortText = ""
    activity_id: Identifier | None = None
    parked_at: UtcDatetime = Field(default_factory=utc_now)
    status: ParkedStatus = "open"
    proposal_id: Identifier | None = None


ConsentAnswer = Literal["agreed", "objected"]


class Consent(StrictModel):
    """One priority's answer in a consent check: agreed, or objected to with the reason."""

    activity_id: Identifier
    proposal_id: Identifier
    answer: ConsentAnswer
    reason: LineText = ""
    recorded_at: UtcDatetime = Field(default_factory=utc_now)

    @model_validator(mode="after")
    def _objection_has_reason(self) -> "Consent":
        if self.answer == "objected" and not self.reason.strip():
            raise ValueError("an objection needs its reason")
        return self


def _empty(value: list[object]) -> bool:
    return not value


def _nothing_closed(value: Closing) -> bool:
    return value.empty


class Session(StrictModel):
    """One away-day, from planning to the report."""

    schema_: int = Field(SCHEMA_VERSION, alias="schema", ge=1)
    id: Identifier = Field(default_factory=new_id)
    title: RequiredShortText
    team: ShortText = ""
    facilitator: ShortText = ""
    date: date
    timezone: str = Field("UTC", max_length=64)
    created_at: UtcDatetime = Field(default_factory=utc_now)
    updated_at: UtcDatetime = Field(default_factory=utc_now)
    status: SessionStatus = "planned"
    # Time the facilitator has for the whole agenda, to compare with the plan.
    available_minutes: Annotated[int, Field(ge=1, le=MAX_AVAILABLE_MINUTES)] | None = None
    start_time: Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")] | None = None
    current_activity: Identifier | None = None
    follow_up_of: Identifier | None = None
    voting: VotingSettings = Field(default_factory=VotingSettings)
    participants: list[Participant] = Field(default_factory=list, max_length=MAX_PARTICIPANTS)
    progress: list[ActivityProgress] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)
    proposals: list[Proposal] = Field(default_factory=list, max_length=MAX_PROPOSALS)
    rating_rounds: list[RatingRound] = Field(default_factory=list)
    vote_rounds: list[VoteRound] = Field(default_factory=list)
    # A follow-up's copy of the earlier session's priorities, with the review of each.
    # A session that follows up nothing is written exactly as before the review existed:
    # the field is left out when empty (a field rule, not a serializer wrapping every dump).
    earlier_priorities: list[EarlierPriority] = Field(default_factory=list, max_length=MAX_PROPOSALS, exclude_if=_empty)
    # What the close decided (who must agree, by when, the next review, the check-out);
    # left out while nothing is recorded, so older sessions are written as before.
    closing: Closing = Field(default_factory=Closing, exclude_if=_nothing_closed)
    # What came up off the topic, to review at the close (left out while empty).
    parking_lot: list[ParkedItem] = Field(default_factory=list, max_length=MAX_PARKED, exclude_if=_empty)
    # The consent checks' answers, one per (activity, proposal) (left out while empty).
    consents: list[Consent] = Field(default_factory=list, max_length=MAX_PROPOSALS, exclude_if=_empty)
    # Last, because it is long and rarely read by a person opening the file.
    agenda: AgendaSnapshot

    model_config = StrictModel.model_config | {"populate_by_name": True}

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        # Without a time zone database we cannot check names, only their shape.
        if value != "UTC" and not _is_zone(value) and _have_zones():
            raise ValueError(f"'{value}' is not an IANA time zone name (such as Europe/London)")
        return value

    @model_validator(mode="after")
    def _unique_ids(self) -> "Session":
        problem = list_problem({name: [item.id for item in getattr(self, name)] for name in UNIQUE_ID_LISTS})
        if problem:
            raise ValueError(problem)
        return self

    # -- derived views -------------------------------------------------------------

    def progress_for(self, activity_id: str) -> ActivityProgress:
        """The progress record of an activity, created (pending) on first use."""
        for record in self.progress:
            if record.activity_id == activity_id:
                return record
        record = ActivityProgress(activity_id=activity_id)
        self.progress.append(record)
        return record

    def note_for(self, activity_id: str) -> Note:
        for note in self.notes:
            if note.activity_id == activity_id:
                return note
        note = Note(activity_id=activity_id)
        self.notes.append(note)
        return note

    @property
    def percent_complete(self) -> int:
        """Share of the included activities that are done or skipped, 0-100."""
        planned = [activity.id for _, activity in self.agenda.activities()]
        if not planned:
            return 0
        finished = {p.activity_id for p in self.progress if p.state in ("done", "skipped")}
        if self.status == "completed":
            return 100
        return round(100 * sum(1 for activity_id in planned if activity_id in finished) / len(planned))

    def participant(self, participant_id: str | None) -> Participant | None:
        return next((p for p in self.participants if p.id == participant_id), None)


# The session's lists whose items must have ids of their own, and the longest each may be.
UNIQUE_ID_LISTS = ("participants", "proposals", "earlier_priorities", "parking_lot")
LIST_LIMITS = {"participants": MAX_PARTICIPANTS, "proposals": MAX_PROPOSALS, "earlier_priorities": MAX_PROPOSALS, "parking_lot": MAX_PARKED}


def list_problem(ids_by_list: dict[str, list[str]]) -> str | None:
    """What is wrong with the session's lists (given each one's ids), or None.

    The rule the model's validator applies on load and the fast save path applies to its
    snapshot, so a session that changed a list in place (which pydantic does not
    re-validate) is refused by every save alike, rather than written and then refused
    when it is opened."""
    for name, ids in ids_by_list.items():
        limit = LIST_LIMITS.get(name)
        if limit is not None and len(ids) > limit:
            return f"{name}: at most {limit} items, not {len(ids)}"
        if len(set(ids)) == len(ids):
            continue  # no id twice (the usual case, found without a loop in Python)
        seen: set[str] = set()
        for item_id in ids:
            if item_id in seen:
                return f"{name}: id '{item_id}' is used twice"
            seen.add(item_id)
    return None


def data_list_problem(data: dict[str, object]) -> str | None:
    """`list_problem` for a session's plain data (`session_data`): the save path's check."""
    return list_problem({name: data_list_problem_ids(data.get(name, [])) for name in UNIQUE_ID_LISTS})


def data_list_problem_ids(items: object) -> list[str]:
    """The ids of one of a session's lists in its plain data (`data_list_problem`)."""
    if not isinstance(items, list):
        return []
    try:
        # The usual case, without a loop in Python: every item a dict with a text id.
        ids = list(map(itemgetter("id"), items))
        if set(map(type, items)) <= {dict} and set(map(type, ids)) <= {str}:
            return ids
    except (KeyError, TypeError, IndexError):
        pass
    return [str(item.get("id", "")) for item in items if isinstance(item, dict)]


def _is_zone(name: str) -> bool:
    """Whether `name` is an IANA zone, as `available_timezones()` lists them.

    One lookup (cached by zoneinfo) instead of listing every zone: that walk of the
    database took 40-60 ms, over 400 ms from a cold disk, on the first session loaded.
    """
    if name.startswith(("posix/", "right/")) or name == "posixrules":
        return False  # files in the database that `available_timezones()` leaves out
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


@lru_cache(maxsize=1)
def _have_zones() -> bool:
    """Whether a time zone database is installed (asked only when a name is not found)."""
    return bool(available_timezones())
