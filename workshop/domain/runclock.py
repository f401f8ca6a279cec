"""The run clock: drives a session through its agenda, one time box at a time.

`RunClock` is the engine behind `SessionEditor`'s run operations (use those: they tell
the listeners). Its operations write straight into the session (progress records,
current activity, status), so the app may save at any moment and lose nothing but the
running seconds since the last `sync()`. Building one changes nothing; crash recovery is
the explicit `recover_after_crash()`. Plain Python: nothing here imports Textual.

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
- `next()` or `skip()` at the last activity finishes it and completes the session.
  A completed session refuses every run operation until `reopen()`, so a stray key
  cannot set it running again. A session loaded completed is read-only unless
  `read_only=False` is given.
- Auto-advance holds at a deadline while `tick(hold=True)` says the room is still typing,
  and then moves on at once (the time past the deadline stays with that activity).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from workshop.domain.models.limits import MAX_EXTENSION_MINUTES
from workshop.domain.models.session import ActivityState
from workshop.domain.runclock_base import (
    FINISHED,
    Advanced,
    ClockBase,
    ClockError,
    ClockEvent,
    PhaseChanged,
    StageChanged,
    recordable,
)
from workshop.domain.timebox import TimeBox, phase_for

__all__ = [
    "Advanced",
    "ClockError",
    "ClockEvent",
    "MAX_EXTENSION_MINUTES",
    "PhaseChanged",
    "RunClock",
    "StageChanged",
]


class RunClock(ClockBase):
    """Runs a session's included activities in order, keeping its record up to date.

    Building one reads the session and changes nothing (see `ClockBase`); an activity
    saved as running (a crash, a closed terminal) counts from its last recorded elapsed
    time, not running, until `recover_after_crash()` writes that down.
    """

    # -- operations ----------------------------------------------------------------------

    def start(self) -> bool:
        """Start the clock on the current activity (re-opening it if finished)."""
        self._writable()
        self._not_completed()
        if not self._box.start():
            return False
        self._mark_running(self._wall())
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
        record.elapsed_seconds = recordable(self._box.elapsed_seconds)
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
        self._not_completed()
        if isinstance(minutes, bool) or not isinstance(minutes, int):
            raise ClockError("Extend by a whole number of minutes.")
        if minutes < 1:
            raise ClockError("An extension must be at least 1 minute.")
        so_far = self._peek(self.current_id).extended_minutes
        if so_far + minutes > MAX_EXTENSION_MINUTES:
            raise ClockError(f"A time box can be extended by at most {MAX_EXTENSION_MINUTES} minutes in all ({so_far} so far).")
        self._box.extend(minutes * 60)
        self._record(self.current_id).extended_minutes = so_far + minutes
        self._extensions.setdefault(self.current_id, []).append(minutes)
        self._armed = self._box.remaining_seconds > 0

    def undo_extension(self) -> int:
        """Take back the last extension of the current time box; returns its minutes."""
        self._writable()
        self._not_completed()
        made = self._extensions.get(self.current_id, [])
        if not made:
            raise ClockError(f"There is no extension of '{self.current.title}' to undo.")
        minutes = made.pop()
        # One reading stops the old box and starts the new one: no time falls between.
        mark = self._monotonic()
        was_running = self._box.pause(at=mark)
        record = self._record(self.current_id)
        record.extended_minutes = max(0, record.extended_minutes - minutes)
        self._box = TimeBox(
            self._box.planned_seconds,
            elapsed_seconds=self._box.elapsed_seconds,
            extended_seconds=record.extended_minutes * 60,
            monotonic=self._monotonic,
        )
        if was_running:
            self._box.start(at=mark)
        self._armed = self._box.remaining_seconds > 0
        return minutes

    def next(self) -> bool:
        """Mark the current activity done and move on; at the last, complete the session."""
        return self._finish_and_move("done")

    def skip(self) -> bool:
        """Mark the current activity skipped and move on; at the last, complete the session."""
        return self._finish_and_move("skipped")

    def complete(self) -> bool:
        """Finish the last activity (done) and complete the session."""
        self._writable()
        self._not_completed()
        if not self.is_last:
            raise ClockError("Only the last activity completes the session: move on to it first.")
        return self._finish_and_move("done")

    def reopen(self) -> bool:
        """Reopen a completed session, paused at its last activity, so it can run again."""
        self._writable()
        if not self._completed:
            raise ClockError("The session is not complete, so there is nothing to reopen.")
        self._completed = False
        self._update_status()
        return True

    def recover_after_crash(self) -> bool:
        """Write down that nothing is running (after a crash); True if anything changed.

        Nobody knows how long the room went on after the last save, so the clock waits
        at the last recorded time for the facilitator to start it again.
        """
        self._writable()
        changed = False
        for record in self.session.progress:
            if record.state == "running":
                record.state = "paused"
                changed = True
        if self.session.status == "running":
            self.session.status = "paused"
            changed = True
        return changed

    def previous(self) -> bool:
        """Go back one activity; False at the first."""
        self._writable()
        self._not_completed()
        if self.is_first:
            return False
        self._move(self._index - 1, None)
        return True

    def jump(self, activity_id: str) -> bool:
        """Go to an included activity by id; False if it is the current one."""
        self._writable()
        self._not_completed()
        if activity_id not in self._ids:
            raise ClockError(f"There is no activity '{activity_id}' in this session's agenda.")
        if activity_id == self.current_id:
            return False
        self._move(self._ids.index(activity_id), None)
        return True

    def sync(self) -> bool:
        """Write the current elapsed time into its progress record; True if it changed."""
        if self.read_only:
            return False
        elapsed = recordable(self._box.elapsed_seconds)
        if self._peek(self.current_id).elapsed_seconds == elapsed:
            return False
        self._record(self.current_id).elapsed_seconds = elapsed
        return True

    def tick(self, hold: bool = False) -> list[ClockEvent]:
        """What happened since the last tick (the app calls this on each redraw).

        Reports each phase change of the current box once, and with `auto_advance` the
        moves made at deadlines. A late tick changes nothing measured: auto-advance moves
        on as of the deadline and hands the time past it to the next activity. With
        `hold` (someone is typing) it waits at the deadline instead, and moves on at the
        first tick without it.
        """
        if self.read_only:
            return []
        events: list[ClockEvent] = []
        if self._auto_advance:
            events.extend(self._advance_past_deadlines(hold))
        # One reading for the phase and the stage, so they agree with what is drawn.
        box = self._box
        elapsed = box.elapsed_seconds
        stage = self._stage_index(self.current_id, elapsed, box.limit_seconds)
        if stage != self._seen_stage[self.current_id]:
            self._seen_stage[self.current_id] = stage
            stages = self.stages_of(self.current)
            if stages:
                events.append(StageChanged(self.current_id, stage, stages[stage].title))
        phase = phase_for(elapsed, box.limit_seconds)
        if phase != self._seen_phase[self.current_id]:
            self._seen_phase[self.current_id] = phase
            events.append(PhaseChanged(self.current_id, phase))
        return events

    # -- moving ----------------------------------------------------------------------------

    def _mark_running(self, moment: datetime) -> None:
        record = self._record(self.current_id)
        record.state = "running"
        record.ended_at = None
        if self.session.current_activity != self.current_id:
            self.session.current_activity = self.current_id
        if record.started_at is None:
            record.started_at = moment
        record.elapsed_seconds = recordable(self._box.elapsed_seconds)

    def _finish_and_move(self, final_state: ActivityState) -> bool:
        self._writable()
        self._not_completed()
        if not self.is_last:
            self._move(self._index + 1, final_state)
            return True
        self._leave(final_state, self._monotonic(), self._wall())
        self._prior_state = final_state
        self._completed = True
        self._update_status()
        return True

    def restore_state(self, state: ActivityState) -> None:
        """Give the current activity back the state it had before a move now taken back (undo).

        A jump back to an activity the move finished (done, skipped) would otherwise keep
        that mark, as going back to revisit one does.
        """
        self._writable()
        if state in FINISHED:
            self._prior_state = state
            return
        self._prior_state = None
        self._record(self.current_id).state = state

    def _move(self, target: int, final_state: ActivityState | None, *, mark: float | None = None, moment: datetime | None = None, carry: float = 0.0) -> None:
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
        record.elapsed_seconds = recordable(box.elapsed_seconds - carry)
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
        self._seen_stage[self.current_id] = self._stage_index(self.current_id, record.elapsed_seconds, box.limit_seconds)
        return was_running

    def _arrive(self, index: int, *, run: bool, mark: float, moment: datetime, carry: float = 0.0) -> None:
        self._index = index
        record = self._peek(self.current_id)
        self._prior_state = record.state if record.state in FINISHED else None
        self._held = False
        box = self._box = self._box_from(self.current_id, record, carry)
        if run:
            box.start(at=mark)
            self._mark_running(moment)
        self.session.current_activity = self.current_id
        # Judged before any carried time: a deadline passed during a blocked loop still counts.
        self._armed = record.elapsed_seconds < box.limit_seconds

    def _advance_past_deadlines(self, hold: bool) -> list[ClockEvent]:
        events: list[ClockEvent] = []
        # A loop, because a long-blocked event loop may have missed several deadlines.
        while self._armed and self._box.running and not self.is_last:
            mark = self._monotonic()
            elapsed = self._box.elapsed_at(mark)
            if elapsed < self._box.limit_seconds:
                self._held = False
                break
            if hold:
                self._held = True
                break
            if self._held:
                # The room stayed past the deadline (it was typing): that time was theirs,
                # so the move happens now and carries nothing on.
                carry, moment = 0.0, self._wall()
            else:
                carry = elapsed - self._box.limit_seconds
                # The move happened at the deadline, however late this tick came.
                moment = self._wall() - timedelta(seconds=round(carry))
            left = self.current_id
            self._move(self._index + 1, "done", mark=mark, moment=moment, carry=carry)
            events.append(Advanced(left, self.current_id))
        return events
