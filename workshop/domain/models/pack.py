"""Workshop packs: metadata, behaviours and an ordered agenda of timed activities.

A pack is authored as TOML (see `content/`). `Agenda` holds what a session needs to run
(behaviours and sections) and the cross-checks between them; `Pack` adds the metadata.
A session embeds an `AgendaSnapshot`, the same agenda plus where it came from, so it
reopens unchanged after its pack is edited or deleted.
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Iterator

from pydantic import Field, model_validator

from workshop.domain.models.activities import (
    ACTIVITY_KINDS,
    SESSION_ONLY_KINDS,
    Activity,
    ActivityKind,
    BreakActivity,
    CloseActivity,
    ConsentActivity,
    DiscussActivity,
    Minutes,
    PlaceActivity,
    ProposeActivity,
    Question,
    RateActivity,
    ReadActivity,
    ReviewActivity,
    Scale,
    Stage,
    StagesPerPerson,
    VoteActivity,
)
from workshop.domain.models.agenda_checks import ReferenceProblems, agenda_problems
from workshop.domain.models.base import (
    Identifier,
    LineText,
    RequiredLineText,
    RequiredLongText,
    RequiredShortText,
    ShortText,
    StrictModel,
)
from workshop.domain.models.limits import MAX_PRE_READS

# The activities and the cross-checks live in their own modules; their names stay
# importable from here, where every caller has always found them.
__all__ = [
    "ACTIVITY_KINDS",
    "SESSION_ONLY_KINDS",
    "Activity",
    "ActivityKind",
    "Agenda",
    "AgendaSnapshot",
    "Behaviour",
    "BreakActivity",
    "CloseActivity",
    "ConsentActivity",
    "Credit",
    "DiscussActivity",
    "Minutes",
    "Pack",
    "PlaceActivity",
    "PreRead",
    "ProposeActivity",
    "Question",
    "RateActivity",
    "ReadActivity",
    "ReferenceProblems",
    "ReviewActivity",
    "Scale",
    "Section",
    "Stage",
    "StagesPerPerson",
    "VoteActivity",
    "agenda_problems",
]


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
        # Looked up several times for each phone's ballot: a plain loop, not `activities()`.
        for section in self.sections:
            for activity in section.activities:
                if activity.id == activity_id:
                    return activity
        return None


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
                if activity.stages and activity.stages_per_person is not None:
                    problems.append(
                        ((*here, "stages_per_person"), "an activity takes its stages from the pack (stages) or one per person (stages_per_person), not both")
                    )
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
