"""Run control: moving the room through the agenda on the run clock.

The editor owns the session's `RunClock`, built on first use from the editor's time
sources; screens read it (`editor.clock`: time, phase, schedule) and change nothing
through it. Every move is a decision, saved at once; starting, pausing, extending and
recording the elapsed time are saved on the next autosave tick.
"""

from __future__ import annotations

from workshop.domain.models.session import ActivityState
from workshop.domain.operations.base import Change, EditorBase
from workshop.domain.runclock import Advanced, ClockError, ClockEvent, RunClock


class RunOperations(EditorBase):
    """Run control: start, pause, next, back, skip, jump, extend, complete, reopen."""

    _run_clock: RunClock | None = None

    @property
    def clock(self) -> RunClock:
        """The session's run clock, to read; change it only through these operations."""
        if self._run_clock is None:
            self._run_clock = RunClock(self.session, monotonic=self.monotonic, wall=self.wall, read_only=self.read_only)
        return self._run_clock

    def _moved(self, summary: str, before: str) -> Change:
        return self._done(Change(area="run", summary=summary, decision=True, ids=(before, self.clock.current_id)))

    def _title(self) -> str:
        return self.clock.current.title

    # -- the clock -----------------------------------------------------------------------

    def recover_after_crash(self) -> Change | None:
        """Call once on opening a session for editing: nothing runs until started again.

        A session saved running (a crash, a closed laptop) comes back paused at its last
        recorded time. Returns None when there was nothing to recover.
        """
        self._writable()
        if not self.clock.recover_after_crash():
            return None
        return self._done(Change(area="run", summary="Paused at the last recorded time after reopening.", ids=(self.clock.current_id,)))

    def start(self) -> Change | None:
        """Start the clock on the current activity; None if it already runs."""
        self._writable()
        if not self.clock.start():
            return None
        return self._done(Change(area="run", summary=f"Started '{self._title()}'.", ids=(self.clock.current_id,)))

    def pause(self) -> Change | None:
        """Pause the clock, recording the elapsed time; None if it was not running."""
        self._writable()
        if not self.clock.pause():
            return None
        return self._done(Change(area="run", summary=f"Paused '{self._title()}'.", ids=(self.clock.current_id,)))

    def toggle(self) -> Change | None:
        """Pause if the clock runs, else start it."""
        return self.pause() if self.clock.running else self.start()

    def set_auto_advance(self, on: bool) -> None:
        """Move on by itself at each deadline, or not; a setting of the clock, not the session."""
        self.clock.auto_advance = on

    def record_elapsed(self) -> Change | None:
        """Write the running time into the record (every few seconds while running)."""
        if self.read_only or not self.clock.sync():
            return None
        return self._done(Change(area="run", summary="Recorded the elapsed time.", ids=(self.clock.current_id,)))

    def tick(self, hold: bool = False) -> list[ClockEvent]:
        """The clock's events since the last tick; a move made by auto-advance is a Change.

        `hold` says the room is typing or filling in a ballot: auto-advance then waits at
        the deadline (`clock.held`) and moves on at the first tick without it.
        """
        if self.read_only:
            return []
        events = self.clock.tick(hold=hold)
        for event in events:
            if isinstance(event, Advanced):
                title = self.clock.current.title
                self._done(Change(area="run", summary=f"Time was up: moved on to '{title}'.", decision=True, ids=(event.from_activity, event.to_activity)))
        return events

    # -- moving --------------------------------------------------------------------------

    def next(self) -> Change:
        """Finish the current activity and move on; at the last, complete the session."""
        self._writable()
        before = self.clock.current_id
        if self.clock.is_last:
            return self.complete()
        self.clock.next()
        return self._moved(f"Moved on to '{self._title()}'.", before)

    def back(self) -> Change:
        """Go back one activity, leaving the current one unfinished."""
        self._writable()
        if not self.clock.completed and self.clock.is_first:
            raise ClockError("This is the first activity: there is nothing to go back to.")
        before = self.clock.current_id
        self.clock.previous()
        return self._moved(f"Went back to '{self._title()}'.", before)

    def skip(self) -> Change:
        """Mark the current activity skipped and move on; at the last, complete the session."""
        self._writable()
        before = self.clock.current_id
        self.clock.skip()
        if self.clock.completed:
            return self._moved("Skipped the last activity: the session is complete.", before)
        return self._moved(f"Skipped to '{self._title()}'.", before)

    def jump(self, activity_id: str) -> Change | None:
        """Go to an included activity by id; None if it is the current one."""
        self._writable()
        before = self.clock.current_id
        if not self.clock.jump(activity_id):
            return None
        return self._moved(f"Jumped to '{self._title()}'.", before)

    def return_to(self, activity_id: str, state: ActivityState) -> Change:
        """Take back a move (undo): be on `activity_id` again, in the `state` it had before it.

        A session the move completed is reopened first; the time spent since stays recorded.
        """
        self._writable()
        before = self.clock.current_id
        if self.clock.completed:
            self.clock.reopen()
        self.clock.jump(activity_id)
        self.clock.restore_state(state)
        return self._moved(f"Back to '{self._title()}' (the move was undone).", before)

    def complete(self) -> Change:
        """Finish the last activity and mark the session completed."""
        self._writable()
        before = self.clock.current_id
        self.clock.complete()
        return self._moved("The session is complete.", before)

    def reopen(self) -> Change:
        """Reopen a completed session, paused at its last activity, to carry on."""
        self._writable()
        self.clock.reopen()
        return self._done(Change(area="run", summary="Reopened the session.", decision=True, ids=(self.clock.current_id,)))

    # -- the time box --------------------------------------------------------------------

    def extend(self, minutes: int) -> Change:
        """Add whole `minutes` to the current time box (at most the limit in all)."""
        self._writable()
        self.clock.extend(minutes)
        return self._done(Change(area="run", summary=f"+{minutes} min for '{self._title()}'.", ids=(self.clock.current_id,)))

    def undo_extension(self) -> Change:
        """Take back the last extension of the current time box."""
        self._writable()
        minutes = self.clock.undo_extension()
        return self._done(Change(area="run", summary=f"Took back {minutes} min from '{self._title()}'.", ids=(self.clock.current_id,)))
