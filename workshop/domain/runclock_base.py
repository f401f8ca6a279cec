"""What a run clock knows without changing anything: where it is, the times, the schedule.

`ClockBase` holds the state `RunClock` (in `workshop.domain.runclock`) works on, and
everything read from it: the current activity, each activity's state and elapsed time,
the schedule's delta and projected finish. Nothing here writes to the session except
the helpers the operations call. Plain Python: nothing here imports Textual.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterator, Union

from workshop.domain.errors import Refused
from workshop.domain.models.limits import MAX_RECORDED_SECONDS
from workshop.domain.models.pack import Activity, Section, Stage
from workshop.domain.models.session import ActivityProgress, ActivityState, Session, SessionStatus
from workshop.domain.schedule_report import (
    SectionTiming,
    describe_delta,
    planned_vs_actual,
)
from workshop.domain.stages import RoundPlan, StageNow, stage_at, stage_ends, stage_index_at
from workshop.domain.timebox import (
    Monotonic,
    Phase,
    TimeBox,
    Wall,
    system_monotonic,
    system_wall,
)

FINISHED: tuple[ActivityState, ...] = ("done", "skipped")


class ClockError(Refused, ValueError):
    """An operation the clock refuses, with a reason fit to show the facilitator."""


@dataclass(frozen=True)
class PhaseChanged:
    """The current time box entered `phase`; "over" is the moment for the bell."""

    activity_id: str
    phase: Phase


@dataclass(frozen=True)
class StageChanged:
    """The current activity moved into its stage `index` (0-based); a moment to signal."""

    activity_id: str
    index: int
    title: str


@dataclass(frozen=True)
class Advanced:
    """Auto-advance moved on from one activity to the next at its deadline."""

    from_activity: str
    to_activity: str


ClockEvent = Union[PhaseChanged, StageChanged, Advanced]


def recordable(seconds: float) -> float:
    # ActivityProgress refuses more than a week; a box left running that long is capped.
    return min(max(0.0, seconds), float(MAX_RECORDED_SECONDS))


class ClockBase:
    """A session's included activities in order, and the state of the current time box.

    Building one reads the session and changes nothing. An activity saved as running (a
    crash, a closed terminal) counts from its last recorded elapsed time, not running;
    `recover_after_crash()` writes that down. The agenda is read once, here.
    """

    def __init__(
        self,
        session: Session,
        *,
        monotonic: Monotonic = system_monotonic,
        wall: Wall = system_wall,
        auto_advance: bool = False,
        read_only: bool | None = None,
    ) -> None:
        self.session = session
        self._monotonic = monotonic
        self._wall = wall
        self.read_only = session.status == "completed" if read_only is None else read_only
        self.activities = tuple(session.agenda.activities())
        if not self.activities:
            raise ClockError("The agenda has no activities to run.")
        self._ids = [str(activity.id) for _, activity in self.activities]
        self._completed = session.status == "completed"
        # Per activity, the phase last reported (or found on loading), so a crossing is
        # reported once: pausing, resuming or coming back does not report it again.
        self._seen_phase: dict[str, Phase] = {}
        # The same for stages: the stage last reported, per activity that has stages.
        self._seen_stage: dict[str, int] = {}
        # A round's turns, planned for the people present when last asked (see `stages_of`).
        self._rounds: dict[str, tuple[tuple[str, ...], RoundPlan]] = {}
        # Until the current activity is known (below), every round is planned afresh.
        self._placed = False
        for activity_id in self._ids:
            record = self._peek(activity_id)
            box = self._box_from(activity_id, record)
            self._seen_phase[activity_id] = box.phase
            self._seen_stage[activity_id] = self._stage_index(activity_id, box.elapsed_seconds, box.limit_seconds)
        self._index = self._initial_index()
        record = self._peek(self.current_id)
        self._box = self._box_from(self.current_id, record)
        self._placed = True
        # The state the current activity had before this visit, if it was finished.
        self._prior_state: ActivityState | None = record.state if record.state in FINISHED else None
        self._auto_advance = auto_advance
        self._armed = self._box.remaining_seconds > 0
        # Auto-advance reached a deadline while the room was typing, and waits.
        self._held = False
        # Per activity, the extensions made since the clock was built, newest last.
        self._extensions: dict[str, list[int]] = {}

    # -- where we are ------------------------------------------------------------------

    @property
    def current_index(self) -> int:
        """Position of the current activity among `activities`."""
        return self._index

    @property
    def current_id(self) -> str:
        """Id of the current activity."""
        return self._ids[self._index]

    @property
    def current(self) -> Activity:
        """The current activity."""
        return self.activities[self._index][1]

    @property
    def current_section(self) -> Section:
        """The section of the current activity."""
        return self.activities[self._index][0]

    @property
    def current_box(self) -> TimeBox:
        """The current activity's time box."""
        return self._box

    @property
    def running(self) -> bool:
        """Whether the clock is running."""
        return self._box.running

    @property
    def completed(self) -> bool:
        """Whether the session has reached its end."""
        return self._completed

    @property
    def is_first(self) -> bool:
        """Whether the current activity is the first (nothing to go back to)."""
        return self._index == 0

    @property
    def is_last(self) -> bool:
        """Whether the current activity is the last (next completes the session)."""
        return self._index == len(self._ids) - 1

    @property
    def auto_advance(self) -> bool:
        """Move on by itself when a running box reaches its limit (off by default)."""
        return self._auto_advance

    @auto_advance.setter
    def auto_advance(self, on: bool) -> None:
        self._auto_advance = on
        # Turned on over the limit, the box stays: its overrun so far was deliberate.
        self._armed = self._box.remaining_seconds > 0
        self._held = False

    @property
    def held(self) -> bool:
        """Whether auto-advance is waiting at a passed deadline for the room to stop typing."""
        return self._held and self._auto_advance and not self._completed

    def current_stage(self) -> StageNow | None:
        """The current activity's stage now (from the time box's one reading), or None."""
        box = self._box
        activity = self.current
        if activity.stages_per_person is None:
            return stage_at(activity, box.elapsed_seconds, box.limit_seconds)
        plan = self._round_plan(activity)  # one look: the turns and their ends agree
        return stage_at(activity, box.elapsed_seconds, box.limit_seconds, plan.stages, plan.ends(box.limit_seconds))

    def stages_of(self, activity: Activity) -> list[Stage]:
        """An activity's stages: the pack's, or a round's one turn per person (`RoundPlan`)."""
        if activity.stages_per_person is None:
            return activity.stages
        return list(self._round_plan(activity).stages)

    def stage_ends_of(self, activity: Activity, limit_seconds: float) -> list[float]:
        """When each of `stages_of(activity)` ends, in seconds from its start (see `stage_ends`)."""
        if activity.stages_per_person is None:
            return stage_ends(activity, limit_seconds)
        return self._round_plan(activity).ends(limit_seconds)

    def _round_plan(self, activity: Activity) -> RoundPlan:
        """A round's turns. They follow the participants as they are when asked, so a late
        arrival marked present before the round ends gets a turn; remade only when who is
        present changes (every tick asks). Once the round is under way as the current
        activity, a change keeps the turns begun (`RoundPlan.replanned`); that is known
        while this clock lives: a clock built on a reopened session shares the round afresh.
        """
        per_person = activity.stages_per_person
        key = (per_person.prompt if per_person is not None else "", *(f"{p.id}\0{p.name}" for p in self.session.participants if p.present))
        activity_id = str(activity.id)
        cached = self._rounds.get(activity_id)
        if cached is not None and cached[0] == key:
            return cached[1]
        elapsed = self._box.elapsed_seconds if self._placed and activity_id == self.current_id else 0.0
        if cached is None or elapsed <= 0:
            plan = RoundPlan.shared(activity, self.session.participants)
        else:
            plan = cached[1].replanned(activity, self.session.participants, elapsed)
        self._rounds[activity_id] = (key, plan)
        return plan

    def extensions_of(self, activity_id: str) -> tuple[int, ...]:
        """The extensions (minutes) made to an activity since the clock was built, oldest first."""
        return tuple(self._extensions.get(activity_id, ()))

    def state_of(self, activity_id: str) -> ActivityState:
        """The recorded state of an activity."""
        return self._peek(activity_id).state

    def elapsed_of(self, activity_id: str) -> float:
        """Seconds spent on an activity, live for the current one."""
        if activity_id == self.current_id:
            return self._box.elapsed_seconds
        return self._peek(activity_id).elapsed_seconds

    # -- the schedule ----------------------------------------------------------------------

    def schedule_delta_seconds(self) -> float:
        """Seconds behind the plan (negative: ahead); see the module's rules."""
        delta = 0.0
        for _, activity, record, elapsed in self._rows():
            planned = activity.minutes * 60
            if record.state in FINISHED:
                delta += elapsed - planned
            else:
                delta += max(0.0, elapsed - planned)
        return delta

    def schedule_state(self) -> str:
        """The schedule in words: "on time", "6 min behind" or "3 min ahead"."""
        return describe_delta(self.schedule_delta_seconds())

    def projected_finish(self, now_wall: datetime | None = None) -> datetime:
        """When the agenda will end if everything unfinished keeps to its time box."""
        now = self._wall() if now_wall is None else now_wall
        if self._completed:
            return now
        left = 0.0
        for _, activity, record, elapsed in self._rows():
            if record.state not in FINISHED:
                left += max(0.0, (activity.minutes + record.extended_minutes) * 60 - elapsed)
        return now + timedelta(seconds=round(left))

    def planned_vs_actual(self) -> list[SectionTiming]:
        """Planned minutes and actual seconds per section and activity, the current one live."""
        return planned_vs_actual(self.session, (self.current_id, self._box.elapsed_seconds))

    # -- inside ----------------------------------------------------------------------------

    def _rows(self) -> Iterator[tuple[Section, Activity, ActivityProgress, float]]:
        # One reading of the live box, so a whole table adds up at one instant.
        live = self._box.elapsed_seconds
        for (section, activity), activity_id in zip(self.activities, self._ids, strict=True):
            record = self._peek(activity_id)
            yield section, activity, record, live if activity_id == self.current_id else record.elapsed_seconds

    def _writable(self) -> None:
        if self.read_only:
            raise ClockError("This session is open read-only.")

    def _not_completed(self) -> None:
        if self._completed:
            raise ClockError("The session is complete: reopen it to carry on.")

    def _peek(self, activity_id: str) -> ActivityProgress:
        # Looking must not add records to the session, so a default stands in.
        for record in self.session.progress:
            if record.activity_id == activity_id:
                return record
        return ActivityProgress(activity_id=activity_id)

    def _record(self, activity_id: str) -> ActivityProgress:
        return self.session.progress_for(activity_id)

    def _box_from(self, activity_id: str, record: ActivityProgress, carry: float = 0.0) -> TimeBox:
        activity = self.activities[self._ids.index(activity_id)][1]
        return TimeBox(
            activity.minutes * 60,
            elapsed_seconds=record.elapsed_seconds + carry,
            extended_seconds=record.extended_minutes * 60,
            monotonic=self._monotonic,
        )

    def _stage_index(self, activity_id: str, elapsed_seconds: float, limit_seconds: float) -> int:
        activity = self.activities[self._ids.index(activity_id)][1]
        ends = self.stage_ends_of(activity, limit_seconds)
        return stage_index_at(ends, elapsed_seconds) if ends else 0

    def _initial_index(self) -> int:
        if self.session.current_activity in self._ids:
            return self._ids.index(self.session.current_activity)
        for index, activity_id in enumerate(self._ids):
            if self._peek(activity_id).state not in FINISHED:
                return index
        return len(self._ids) - 1

    def _update_status(self) -> None:
        status: SessionStatus
        if self._box.running:
            status = "running"
        elif self._completed:
            status = "completed"
        elif self.session.status != "planned" or any(record.state != "pending" or record.elapsed_seconds > 0 for record in self.session.progress):
            status = "paused"
        else:
            status = "planned"
        if self.session.status != status:
            self.session.status = status
