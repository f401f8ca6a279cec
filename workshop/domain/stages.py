"""Timed stages inside an activity: which one the room is in, and how long it has left.

Everything here is worked out from the activity's elapsed seconds (the time box's one
monotonic reading), never counted by ticks: the stage shown, its countdown and the
moment a stage ends come from the same number as the activity's own countdown, so they
cannot drift apart however late the redraws come.

Rules:
- A stage ends at its share of the activity's planned time: the pack's stage minutes,
  scaled to the planned minutes when setup tuned them (in a pack as written they add up
  to the activity's minutes, so nothing is scaled).
- The last stage runs to the time box's limit: an extension (+1, +5 min) lengthens the
  last stage, where the whole room is talking, and nothing earlier moves.
- Past the limit the room is still in the last stage, which then counts its overrun.
- A round (`stages_per_person`: a check-in, a check-out) has one stage per person present,
  in the participants' order, named for them; each weighs the same, so the activity's
  time is shared equally (see `StagesPerPerson` for why). `stages_for` is the one place
  an activity's stages are resolved: the clock, the console, the phones and the room's
  screen all see these generated stages exactly as they see a pack's.
- Once a round has begun, someone leaving or arriving never moves a turn already begun
  (`RoundPlan.replanned`): the turns taken and the one under way keep their ends, and
  those still to speak share the time left. Shared again from scratch, one late arrival
  moved every boundary, and the turn under way passed to someone else mid-sentence.
Plain Python: nothing here imports Textual.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

from workshop.domain.models.pack import Activity, Stage
from workshop.domain.models.session import Participant
from workshop.domain.timebox import Phase, format_clock, phase_for

__all__ = ["RoundPlan", "StageNow", "format_length", "stage_at", "stage_ends", "stage_index_at", "stages_for"]


def stages_for(activity: Activity, participants: Sequence[Participant]) -> list[Stage]:
    """The activity's stages: the pack's, or for a round one per person present.

    A round's stages all weigh one minute: `stage_ends` scales the weights to the
    activity's planned time, which shares it out equally. With nobody present (no
    participants listed) a round has no stages and runs as a plain time box.
    """
    per_person = activity.stages_per_person
    if per_person is None:
        return activity.stages
    # Names are already valid stage titles (both short texts): no need to check them again.
    return [Stage.model_construct(title=person.name, minutes=1, prompt=per_person.prompt) for person in participants if person.present]


@dataclass(frozen=True)
class RoundPlan:
    """A round's turns as they run: who speaks in what order (`stages`, one a turn, and
    `ids`, whose), and when each turn but the last ends (`boundaries`, seconds from the
    activity's start; the last turn runs to the time box's limit, as any last stage)."""

    stages: tuple[Stage, ...]
    ids: tuple[str, ...]
    boundaries: tuple[float, ...]

    @classmethod
    def shared(cls, activity: Activity, participants: Sequence[Participant]) -> RoundPlan:
        """One turn per person present, the activity's planned time shared equally (as
        `stage_ends` shares out equal weights)."""
        stages = stages_for(activity, participants)
        ids = tuple(person.id for person in participants if person.present)
        return cls(tuple(stages), ids, tuple(stage_ends(activity, 0.0, stages)[:-1]))

    def ends(self, limit_seconds: float) -> list[float]:
        """When each turn ends, the last at the limit (or at once, if it starts after it)."""
        if not self.stages:
            return []
        return [*self.boundaries, float(max(limit_seconds, self.boundaries[-1] if self.boundaries else 0.0))]

    def replanned(self, activity: Activity, participants: Sequence[Participant], elapsed_seconds: float) -> RoundPlan:
        """The plan after who is present changed, `elapsed_seconds` into the round.

        The turns already taken stay, with their ends, even for people who have left. The
        turn under way keeps its end, unless its speaker has left: then it ends now. The
        people present who have not had a turn (late arrivals last, in the participants'
        order) share the time left before the planned end equally; each gets at least half
        an equal share of the whole round, so a turn is never a flicker, and the round then
        runs over its time box, as the clock shows.
        """
        if not self.stages:
            return RoundPlan.shared(activity, participants)
        planned = activity.minutes * 60
        current = stage_index_at([*self.boundaries, math.inf], elapsed_seconds)
        spoken = set(self.ids[: current + 1])
        upcoming = [person for person in participants if person.present and person.id not in spoken]
        present = {person.id for person in participants if person.present}
        kept = list(self.boundaries[:current])
        if self.ids[current] not in present and upcoming:
            current_end = max(float(math.floor(elapsed_seconds)), kept[-1] if kept else 0.0)
        elif current < len(self.boundaries):
            current_end = self.boundaries[current]
        elif upcoming:
            # The turn under way was the last: it keeps the time the plan gave it.
            current_end = max(float(planned), float(math.floor(elapsed_seconds)))
        else:
            current_end = None
        if not upcoming or current_end is None:
            return RoundPlan(self.stages[: current + 1], self.ids[: current + 1], tuple(kept))
        turns = current + 1 + len(upcoming)
        share = max((planned - current_end) / len(upcoming), planned / turns / 2)
        boundaries = [*kept, current_end]
        boundaries.extend(float(math.floor(current_end + share * step)) for step in range(1, len(upcoming)))
        stages = [*self.stages[: current + 1], *stages_for(activity, upcoming)]
        return RoundPlan(tuple(stages), (*self.ids[: current + 1], *(person.id for person in upcoming)), tuple(boundaries))


def format_length(seconds: float) -> str:
    """A stage's length for a notice: "2 min", "40 s", "1 min 25 s"."""
    whole = max(0, round(seconds))
    minutes, rest = divmod(whole, 60)
    if not rest:
        return f"{minutes} min"
    return f"{rest} s" if not minutes else f"{minutes} min {rest} s"


def stage_ends(activity: Activity, limit_seconds: float, stages: Sequence[Stage] | None = None) -> list[float]:
    """Seconds from the activity's start at which each stage ends (the last at the limit).

    `stages` are the activity's as resolved by `stages_for` (the pack's when None).
    Empty when the activity has no stages.
    """
    stages = activity.stages if stages is None else stages
    if not stages:
        return []
    planned = activity.minutes * 60
    staged = sum(stage.minutes for stage in stages) * 60
    ends: list[float] = []
    running = 0
    for stage in stages[:-1]:
        running += stage.minutes * 60
        # Scaled in whole seconds, so a boundary is the same number on every reading.
        ends.append(float(running * planned // staged))
    ends.append(float(max(limit_seconds, ends[-1] if ends else 0.0)))
    return ends


def stage_index_at(ends: list[float], elapsed_seconds: float) -> int:
    """The index of the stage running at `elapsed_seconds` (the last one once past its end)."""
    for index, end in enumerate(ends):
        if elapsed_seconds < end:
            return index
    return len(ends) - 1


@dataclass(frozen=True)
class StageNow:
    """The stage the room is in at one reading of the clock."""

    index: int
    count: int
    stage: Stage
    next_stage: Stage | None
    started_at_seconds: float
    ends_at_seconds: float
    elapsed_seconds: float
    # How long the next stage lasts as planned (the last one with any extension), or None.
    next_length_seconds: float | None = None

    @property
    def length_seconds(self) -> float:
        """How long this stage lasts (the last one includes any extension)."""
        return self.ends_at_seconds - self.started_at_seconds

    @property
    def remaining_seconds(self) -> float:
        """Seconds left in this stage; negative once the last stage is over."""
        return self.ends_at_seconds - self.elapsed_seconds

    @property
    def phase(self) -> Phase:
        """The stage's own phase: "warning" from 80% of it, "over" at its end."""
        return phase_for(self.elapsed_seconds - self.started_at_seconds, self.length_seconds)

    @property
    def label(self) -> str:
        """ "Stage 2 of 4: Pairs", for a heading or a notice."""
        return f"Stage {self.index + 1} of {self.count}: {self.stage.title}"

    def format_remaining(self) -> str:
        """The stage's countdown, as the activity's ("01:23", "+00:12" once over)."""
        remaining = self.remaining_seconds
        if remaining > 0:
            return format_clock(math.ceil(remaining))
        return "+" + format_clock(math.floor(-remaining))


def stage_at(
    activity: Activity,
    elapsed_seconds: float,
    limit_seconds: float,
    stages: Sequence[Stage] | None = None,
    ends: Sequence[float] | None = None,
) -> StageNow | None:
    """The stage running `elapsed_seconds` into `activity`, or None if it has no stages.

    `stages` as for `stage_ends`; `ends`, when given, are theirs (a round's, from its
    `RoundPlan`), else worked out by `stage_ends`.
    """
    stages = activity.stages if stages is None else stages
    ends = list(ends) if ends is not None else stage_ends(activity, limit_seconds, stages)
    if not ends:
        return None
    index = stage_index_at(ends, elapsed_seconds)
    return StageNow(
        index=index,
        count=len(stages),
        stage=stages[index],
        next_stage=stages[index + 1] if index + 1 < len(stages) else None,
        started_at_seconds=ends[index - 1] if index else 0.0,
        ends_at_seconds=ends[index],
        elapsed_seconds=elapsed_seconds,
        next_length_seconds=ends[index + 1] - ends[index] if index + 1 < len(ends) else None,
    )
