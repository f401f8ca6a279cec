"""The run clock: drives a session through its agenda, one time box at a time.

`RunClock` writes every change straight into the session (progress records, current
activity, status), so the app may save at any moment and lose nothing but the running
seconds since the last `sync()`. Plain Python: nothing here imports Textual.

Rules, all per included activity in agenda order, "planned" being the pack's minutes:

- Schedule delta, positive when behind. Done or skipped: actual - planned (a skipped
  activity with no time spent puts you ahead by its planned time; time spent before
  skipping counts). Unfinished (pending, paused, running): max(0, actual - planned), as
  unfinished work can only make you late, once past its plan. Extensions are not part
  of the plan: time used from one counts as behind.
- Projected finish: now + what is left of every unfinished activity's time box
  (planned + extended - elapsed, at least 0), the current one included.
- Moving: `next()` finishes the current activity (done), `skip()` marks it skipped,
  `previous()` / `jump()` leave it unfinished (paused if it had started, else pending)
  or, when it was already finished before this visit, as it was. The activity arrived at
  runs at once if the clock was running. Arriving at a finished activity with the clock
  stopped leaves it finished until the clock starts; running it re-opens it (elapsed
  kept and added to, `ended_at` cleared).
- `next()` or `skip()` at the last activity finishes it and completes the session;
  starting the clock again re-opens it. A session loaded completed is read-only unless
  `read_only=False` is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterator, Union

from workshop.domain.errors import Refused
from workshop.domain.models.limits import MAX_EXTENSION_MINUTES, MAX_RECORDED_SECONDS
from workshop.domain.models.pack import Activity, Section
from workshop.domain.models.session import ActivityProgress, ActivityState, Session
from workshop.domain.schedule_report import (
    SectionTiming,
    describe_delta,
    planned_vs_actual,
)
from workshop.domain.timebox import (
    Monotonic,
    Phase,
    TimeBox,
    Wall,
    phase_for,
    system_monotonic,
    system_wall,
)

__all__ = [
    "Advanced",
    "ClockError",
    "ClockEvent",
    "MAX_EXTENSION_MINUTES",
    "PhaseChanged",
    "RunClock",
]

FINISHED: tuple[ActivityState, ...] = ("done", "skipped")


class ClockError(Refused, ValueError):
    """An operation the clock refuses, with a reason fit to show the facilitator."""


@dataclass(frozen=True)
class PhaseChanged:
    """The current time box entered `phase`; "over" is the moment for the bell."""

    activity_id: str
    phase: Phase


@dataclass(frozen=True)
class Advanced:
    """Auto-advance moved on from one activity to the next at its deadline."""

    from_activity: str
    to_activity: str


ClockEvent = Union[PhaseChanged, Advanced]


def _recordable(seconds: float) -> float:
    # ActivityProgress refuses more than a week; a box left running that long is capped.
    return min(max(0.0, seconds), float(MAX_RECORDED_SECONDS))


class RunClock:
    """Runs a session's included activities in order, keeping its record up to date.

    Building one is how a session is reopened: an activity saved as running (a crash, a
    closed terminal) comes back paused at its last recorded elapsed time, and the session
    paused; the facilitator starts the clock again. The agenda is read once, here.
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
        if not self.read_only:
            self._recover_from_crash()
        self._completed = session.status == "completed"
        # Per activity, the phase last reported (or found on loading), so a crossing is
        # reported once: pausing, resuming or coming back does not report it again.
        self._seen_phase: dict[str, Phase] = {}
        for activity_id in self._ids:
            record = self._peek(activity_id)
            self._seen_phase[activity_id] = self._box_from(activity_id, record).phase
        self._index = self._initial_index()
        record = self._peek(self.current_id)
        self._box = self._box_from(self.current_id, record)
        # The state the current activity had before this visit, if it was finished.
        self._prior_state: ActivityState | None = record.state if record.state in FINISHED else None
        self._auto_advance = auto_advance
        self._armed = self._box.remaining_seconds > 0
        if not self.read_only and session.current_activity != self.current_id:
            session.current_activity = self.current_id

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

    def state_of(self, activity_id: str) -> ActivityState:
        """The recorded state of an activity."""
        return self._peek(activity_id).state

    def elapsed_of(self, activity_id: str) -> float:
        """Seconds spent on an activity, live for the current one."""
        if activity_id == self.current_id:
            return self._box.elapsed_seconds
        return self._peek(activity_id).elapsed_seconds

    # -- operations ----------------------------------------------------------------------

    def start(self) -> bool:
        """Start the clock on the current activity (re-opening it if finished)."""
        self._writable()
        if not self._box.start():
            return False
        self._mark_running(self._wall())
        self._completed = False
        self._update_status()
        return True

    def resume(self) -> bool:
        """The same as `start`."""
        return self.start()

    def pause(self) -> bool:
        """Stop the clock, recording the elapsed time; False if it was not running."""
        self._writable()
        if not self._box.pause():
            return False
        record = self._record(self.current_id)
        record.elapsed_seconds = _recordable(self._box.elapsed_seconds)
        record.state = "paused"
        self._update_status()
        return True

    def toggle(self) -> bool:
        """Pause if running, else start; returns whether the clock now runs."""
        if self.running:
            self.pause()
        else:
            self.start()
        return self.running

    def extend(self, minutes: int) -> None:
        """Add whole `minutes` (1 or more, at most 600 in all) to the current time box."""
        self._writable()
        if isinstance(minutes, bool) or not isinstance(minutes, int):
            raise ClockError("Extend by a whole number of minutes.")
        if minutes < 1:
            raise ClockError("An extension must be at least 1 minute.")
        record = self._record(self.current_id)
        if record.extended_minutes + minutes > MAX_EXTENSION_MINUTES:
            raise ClockError(
                f"A time box can be extended by at most {MAX_EXTENSION_MINUTES} minutes in all "
                f"({record.extended_minutes} so far)."
            )
        self._box.extend(minutes * 60)
        record.extended_minutes += minutes
        self._armed = self._box.remaining_seconds > 0

    def next(self) -> bool:
        """Mark the current activity done and move on; at the last, complete the session."""
        return self._finish_and_move("done")

    def skip(self) -> bool:
        """Mark the current activity skipped and move on; at the last, complete the session."""
        return self._finish_and_move("skipped")

    def previous(self) -> bool:
        """Go back one activity; False at the first."""
        self._writable()
        if self.is_first:
            return False
        self._move(self._index - 1, None)
        return True

    def jump(self, activity_id: str) -> bool:
        """Go to an included activity by id; False if it is the current one."""
        self._writable()
        if activity_id not in self._ids:
            raise ClockError(f"There is no activity '{activity_id}' in this session's agenda.")
        if activity_id == self.current_id:
            return False
        self._move(self._ids.index(activity_id), None)
        return True

    def sync(self) -> None:
        """Write the current elapsed time into its progress record (call before saving)."""
        if self.read_only:
            return
        elapsed = _recordable(self._box.elapsed_seconds)
        if self._peek(self.current_id).elapsed_seconds != elapsed:
            self._record(self.current_id).elapsed_seconds = elapsed

    def tick(self) -> list[ClockEvent]:
        """What happened since the last tick (the app calls this on each redraw).

        Reports each phase change of the current box once, and with `auto_advance` the
        moves made at deadlines. A late tick changes nothing measured: auto-advance moves
        on as of the deadline and hands the time past it to the next activity.
        """
        if self.read_only:
            return []
        events: list[ClockEvent] = []
        if self._auto_advance:
            events.extend(self._advance_past_deadlines())
        phase = self._box.phase
        if phase != self._seen_phase[self.current_id]:
            self._seen_phase[self.current_id] = phase
            events.append(PhaseChanged(self.current_id, phase))
        return events

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
        for (section, activity), activity_id in zip(self.activities, self._ids):
            record = self._peek(activity_id)
            yield section, activity, record, live if activity_id == self.current_id else record.elapsed_seconds

    def _writable(self) -> None:
        if self.read_only:
            raise ClockError("This session is open read-only.")

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

    def _recover_from_crash(self) -> None:
        # Nobody knows how long the room went on after the last save, so the clock
        # waits at the last recorded time for the facilitator to start it again.
        for record in self.session.progress:
            if record.state == "running":
                record.state = "paused"
        if self.session.status == "running":
            self.session.status = "paused"

    def _initial_index(self) -> int:
        if self.session.current_activity in self._ids:
            return self._ids.index(self.session.current_activity)
        for index, activity_id in enumerate(self._ids):
            if self._peek(activity_id).state not in FINISHED:
                return index
        return len(self._ids) - 1

    def _mark_running(self, moment: datetime) -> None:
        record = self._record(self.current_id)
        record.state = "running"
        record.ended_at = None
        if record.started_at is None:
            record.started_at = moment
        record.elapsed_seconds = _recordable(self._box.elapsed_seconds)

    def _finish_and_move(self, final_state: ActivityState) -> bool:
        self._writable()
        if not self.is_last:
            self._move(self._index + 1, final_state)
            return True
        if self._completed:
            return False
        self._leave(final_state, self._monotonic(), self._wall())
        self._prior_state = final_state
        self._completed = True
        self._update_status()
        return True

    def _move(self, target: int, final_state: ActivityState | None, *, mark: float | None = None,
              moment: datetime | None = None, carry: float = 0.0) -> None:
        # One monotonic reading ends one box and starts the next: no time falls between.
        mark = self._monotonic() if mark is None else mark
        moment = self._wall() if moment is None else moment
        was_running = self._leave(final_state, mark, moment, carry=carry)
        self._arrive(target, run=was_running, mark=mark, moment=moment, carry=carry)
        self._update_status()

    def _leave(self, final_state: ActivityState | None, mark: float, moment: datetime, *, carry: float = 0.0) -> bool:
        box = self._box
        was_running = box.pause(at=mark)
        record = self._record(self.current_id)
        record.elapsed_seconds = _recordable(box.elapsed_seconds - carry)
        started = record.started_at is not None
        if final_state is not None:
            record.state = final_state
        elif self._prior_state is not None:
            record.state = self._prior_state
        else:
            record.state = "paused" if started or record.elapsed_seconds > 0 else "pending"
        if started and record.ended_at is None:
            record.ended_at = moment
        # A crossing not yet reported when leaving is not worth a bell later.
        self._seen_phase[self.current_id] = phase_for(record.elapsed_seconds, box.limit_seconds)
        return was_running

    def _arrive(self, index: int, *, run: bool, mark: float, moment: datetime, carry: float = 0.0) -> None:
        self._index = index
        record = self._peek(self.current_id)
        self._prior_state = record.state if record.state in FINISHED else None
        box = self._box = self._box_from(self.current_id, record, carry)
        if run:
            box.start(at=mark)
            self._mark_running(moment)
        self.session.current_activity = self.current_id
        # Judged before any carried time: a deadline passed during a blocked loop still counts.
        self._armed = record.elapsed_seconds < box.limit_seconds

    def _advance_past_deadlines(self) -> list[ClockEvent]:
        events: list[ClockEvent] = []
        # A loop, because a long-blocked event loop may have missed several deadlines.
        while self._armed and self._box.running and not self.is_last:
            mark = self._monotonic()
            elapsed = self._box.elapsed_at(mark)
            if elapsed < self._box.limit_seconds:
                break
            carry = elapsed - self._box.limit_seconds
            # The move happened at the deadline, however late this tick came.
            moment = self._wall() - timedelta(seconds=round(carry))
            left = self.current_id
            self._move(self._index + 1, "done", mark=mark, moment=moment, carry=carry)
            events.append(Advanced(left, self.current_id))
        return events

    def _update_status(self) -> None:
        if self._box.running:
            status = "running"
        elif self._completed:
            status = "completed"
        elif self.session.status != "planned" or any(
            record.state != "pending" or record.elapsed_seconds > 0 for record in self.session.progress
        ):
            status = "paused"
        else:
            status = "planned"
        if self.session.status != status:
            self.session.status = status
