"""Workshop packs: metadata, behaviours and an ordered agenda of timed activities.

A pack is authored as TOML (see `content/`). `Agenda` holds what a session needs to run
(behaviours and sections) and the cross-checks between them; `Pack` adds the metadata.
A session embeds an `AgendaSnapshot`, the same agenda plus where it came from, so it
reopens unchanged after its pack is edited or deleted.
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any, Iterator, Literal, Sequence, Union, get_args

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
    MAX_PRE_READS,
    MAX_STAGES,
    MIN_ACTIVITY_MINUTES,
)

Minutes = Annotated[int, Field(ge=MIN_ACTIVITY_MINUTES, le=MAX_ACTIVITY_MINUTES)]
ActivityKind = Literal["read", "rate", "discuss", "propose", "vote", "consent", "place", "break", "close", "review"]
# `review` is added by a follow-up session (see `workshop.domain.follow_up`), never
# written in a pack: the kinds a pack author may use are the others.
SESSION_ONLY_KINDS: tuple[str, ...] = ("review",)
ACTIVITY_KINDS: tuple[str, ...] = tuple(kind for kind in get_args(ActivityKind) if kind not in SESSION_ONLY_KINDS)


class ReferenceProblems(ValueError):
    """Cross-check failures, each with the key path it concerns.

    Raised from a model validator; pydantic keeps the exception in the error's context,
    so the loader can report every problem at its own path and line.
    """

    def __init__(self, problems: Sequence[tuple[tuple[str | int, ...], str]]):
        self.problems = list(problems)
        super().__init__("; ".join(f"{'.'.join(map(str, loc))}: {reason}" for loc, reason in self.problems))


class Credit(StrictModel):
    """The work a pack is built on, credited by title."""

    title: RequiredLineText
    authors: LineText = ""
    publisher: LineText = ""
    year: Annotated[int, Field(ge=1900, le=2200)] | None = None
    note: LineText = ""


class Behaviour(StrictModel):
    id: Identifier
    name: RequiredShortText
    description: Annotated[RequiredLongText, Field(max_length=2000)]


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


def _no_stages(value: list[Stage]) -> bool:
    return not value


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


class Section(StrictModel):
    id: Identifier
    title: RequiredShortText
    behaviour: Identifier | None = None
    summary: LineText = ""
    included: bool = True
    activities: list[Activity] = Field(min_length=1, max_length=50)

    @model_validator(mode="after")
    def _name_activities(self) -> "Section":
        for position, activity in enumerate(self.activities, start=1):
            if activity.id is None:
                activity.id = f"{self.id}-{position}"
        return self

    @property
    def minutes(self) -> int:
        """Planned minutes of the activities that are included."""
        return sum(activity.minutes for activity in self.activities if activity.included)


class PreRead(StrictModel):
    """Background for before the day (evidence, examples), printed in the report's appendix
    rather than read out in the room."""

    title: RequiredShortText
    behaviour: Identifier | None = None
    text: RequiredLongText


class Agenda(StrictModel):
    """Behaviours and the ordered sections that refer to them, cross-checked."""

    behaviours: list[Behaviour] = Field(default_factory=list, max_length=50)
    sections: list[Section] = Field(min_length=1, max_length=100)
    pre_read: list[PreRead] = Field(default_factory=list, max_length=MAX_PRE_READS)

    @model_validator(mode="after")
    def _cross_check(self) -> "Agenda":
        problems = list(agenda_problems(self.model_dump(include={"behaviours", "sections", "pre_read"})))
        if problems:
            raise ReferenceProblems(problems)
        return self

    @property
    def minutes(self) -> int:
        """Planned minutes of everything included."""
        return sum(section.minutes for section in self.sections if section.included)

    def activities(self, included_only: bool = True) -> Iterator[tuple[Section, Activity]]:
        """Every (section, activity) in agenda order."""
        for section in self.sections:
            if included_only and not section.included:
                continue
            for activity in section.activities:
                if included_only and not activity.included:
                    continue
                yield section, activity

    def questions(self) -> Iterator[tuple[Activity, Question]]:
        for _, activity in self.activities(included_only=False):
            if isinstance(activity, RateActivity):
                for question in activity.questions:
                    yield activity, question

    def behaviour(self, behaviour_id: str | None) -> Behaviour | None:
        return next((b for b in self.behaviours if b.id == behaviour_id), None)

    def activity(self, activity_id: str) -> Activity | None:
        return next((a for _, a in self.activities(included_only=False) if a.id == activity_id), None)


def agenda_problems(data: Any) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Duplicate ids and references to behaviours that do not exist, with their paths.

    Works on plain data (the agenda as a dict), so the loader can also run it on a file
    whose other keys failed validation and report every problem in one go.
    """

    def items(container: Any, key: str) -> list[tuple[int, dict[str, Any]]]:
        value = container.get(key) if isinstance(container, dict) else None
        return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)] if isinstance(value, list) else []

    behaviour_ids: set[str] = set()
    for index, behaviour in items(data, "behaviours"):
        if behaviour.get("id") in behaviour_ids:
            yield ("behaviours", index, "id"), f"behaviour id '{behaviour.get('id')}' is used twice"
        behaviour_ids.add(str(behaviour.get("id")))

    def unknown(loc: tuple[str | int, ...], behaviour_id: Any) -> Iterator[tuple[tuple[str | int, ...], str]]:
        if isinstance(behaviour_id, str) and behaviour_id not in behaviour_ids:
            yield loc, f"refers to behaviour '{behaviour_id}', which the pack does not define"

    for index, pre_read in items(data, "pre_read"):
        yield from unknown(("pre_read", index, "behaviour"), pre_read.get("behaviour"))

    section_ids: set[str] = set()
    activity_ids: set[str] = set()
    question_ids: set[str] = set()
    anything_included = False
    vote_seen = False
    for s_index, section in items(data, "sections"):
        here: tuple[str | int, ...] = ("sections", s_index)
        section_id = section.get("id")
        if section_id in section_ids:
            yield (*here, "id"), f"section id '{section_id}' is used twice"
        section_ids.add(str(section_id))
        yield from unknown((*here, "behaviour"), section.get("behaviour"))
        for a_index, activity in items(section, "activities"):
            there = (*here, "activities", a_index)
            # The same default the Section model gives an activity without an id.
            activity_id = activity.get("id") or f"{section_id}-{a_index + 1}"
            if activity_id in activity_ids:
                yield (*there, "id"), f"activity id '{activity_id}' is used twice"
            activity_ids.add(str(activity_id))
            if section.get("included", True) is not False and activity.get("included", True) is not False:
                anything_included = True
            yield from unknown((*there, "behaviour"), activity.get("behaviour"))
            if activity.get("kind") == "vote":
                vote_seen = True
            elif activity.get("kind") == "consent" and not vote_seen:
                # The consent check asks about the vote's top priorities: it needs one.
                yield (*there, "kind"), "a consent check needs a vote activity before it in the agenda"
            behaviours = activity.get("behaviours")
            for b_index, behaviour_id in enumerate(behaviours if isinstance(behaviours, list) else []):
                yield from unknown((*there, "behaviours", b_index), behaviour_id)
            ratings = activity.get("ratings")
            for r_index, question_id in enumerate(ratings if isinstance(ratings, list) else []):
                # Only questions rated before the discussion have results to open it with.
                if isinstance(question_id, str) and question_id not in question_ids:
                    yield (*there, "ratings", r_index), f"refers to question '{question_id}', which is not rated before this activity"
            for q_index, question in items(activity, "questions"):
                if question.get("id") in question_ids:
                    yield (*there, "questions", q_index, "id"), f"question id '{question.get('id')}' is used twice"
                question_ids.add(str(question.get("id")))
    if items(data, "sections") and not anything_included:
        yield ("sections",), "every section is left out, so the agenda is empty"


class Pack(Agenda):
    """A workshop pack as authored: metadata, then the agenda."""

    id: Identifier
    title: RequiredShortText
    summary: Annotated[RequiredLongText, Field(max_length=2000)]
    version: Annotated[str, Field(pattern=r"^\d+(\.\d+){0,2}$", max_length=20)]
    source: Credit | None = None

    @model_validator(mode="after")
    def _as_authored(self) -> "Pack":
        problems: list[tuple[tuple[str | int, ...], str]] = []
        for s_index, section in enumerate(self.sections):
            for a_index, activity in enumerate(section.activities):
                here = ("sections", s_index, "activities", a_index)
                if activity.kind in SESSION_ONLY_KINDS:
                    problems.append(((*here, "kind"), f"'{activity.kind}' activities are added by a follow-up session, not written in a pack"))
                staged = sum(stage.minutes for stage in activity.stages)
                if activity.stages and staged != activity.minutes:
                    # The rule a pack keeps: the stages fill the time box exactly, so the
                    # room's last stage is not cut short or left with minutes to spare.
                    problems.append(((*here, "stages"), f"the stages last {staged} min in all but the activity has {activity.minutes} min: make them add up"))
        if problems:
            raise ReferenceProblems(problems)
        return self

    def content_hash(self) -> str:
        """A stable fingerprint of what the pack says (not how the file is laid out)."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def snapshot(self) -> "AgendaSnapshot":
        """The agenda as a session embeds it."""
        return AgendaSnapshot(
            pack_id=self.id,
            pack_title=self.title,
            pack_version=self.version,
            content_hash=self.content_hash(),
            behaviours=[b.model_copy(deep=True) for b in self.behaviours],
            sections=[s.model_copy(deep=True) for s in self.sections],
            pre_read=[p.model_copy(deep=True) for p in self.pre_read],
            source=self.source.model_copy() if self.source else None,
        )


class AgendaSnapshot(Agenda):
    """The agenda a session runs, copied from its pack at creation and tuned in setup."""

    pack_id: Identifier
    pack_title: ShortText
    pack_version: str = Field(max_length=20)
    content_hash: str = Field(max_length=80)
    # The work the pack is built on, credited in the report; None in sessions made before
    # the snapshot kept it (the report then credits nothing rather than guess).
    source: Credit | None = None
