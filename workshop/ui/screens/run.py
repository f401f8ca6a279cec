"""The run screen: the agenda, the current activity, a big countdown, the schedule's state.

Every key calls an operation of the screen's `SessionEditor`; the screen reads the run
clock (`editor.clock`) and never changes the session itself. The clock keeps the time
from a monotonic source; a timer here only asks for a redraw, and each redraw reads what
remains. Every Change marks the `Autosaver`, which saves off the key press's path about
once a second (a decision at once); while the clock runs, the elapsed time is recorded
every few seconds so a crash loses little.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import Header, Input, OptionList, Static, TextArea

from workshop.domain.closecheck import loose_ends
from workshop.domain.errors import Refused
from workshop.domain.models.limits import MAX_EXTENSION_MINUTES
from workshop.domain.models.session import Session
from workshop.domain.operations import Change, SessionEditor
from workshop.domain.runclock import PhaseChanged, RunClock, StageChanged
from workshop.domain.timebox import Monotonic, Wall, system_monotonic, system_wall
from workshop.storage.autosave import Autosaver
from workshop.storage.store import LoadedSession
from workshop.ui.panes import ActivityPane, pane_for
from workshop.ui.panes.simple import BreakPane
from workshop.ui.screens.base import WorkshopScreen
from workshop.ui.screens.run_joining import JoiningFromPhones
from workshop.ui.screens.run_keys import RunKeys
from workshop.ui.screens.run_leaving import LeavingWithoutLoss
from workshop.ui.screens.run_parking import ParkingQuestions
from workshop.ui.screens.run_words import KIND_LABELS, prompt_of, recovered_notice, schedule_status
from workshop.ui.widgets.agenda_list import AgendaList
from workshop.ui.widgets.bigclock import BigClock
from workshop.ui.widgets.confirm import Confirm
from workshop.ui.widgets.run_footer import RunFooter
from workshop.ui.widgets.stage_line import StageLine, countdown_of, stage_notice

REDRAW_SECONDS = 0.25
SAVE_EVERY_SECONDS = 1.0
# While the clock runs nothing else may change for minutes; record elapsed time this
# often so a crash or a killed terminal resumes close to where the room was.
RECORD_RUNNING_EVERY_SECONDS = 5.0


class RunScreen(RunKeys, JoiningFromPhones, LeavingWithoutLoss, WorkshopScreen[None]):
    """Moves the room through the agenda, keeping time and saving everything."""

    BINDINGS = [
        Binding("space", "toggle", "Start/Pause", id="run.toggle"),
        Binding("n", "next", "Next", id="run.next"),
        Binding("p", "previous", "Back", id="run.previous"),
        Binding("s", "skip", "Skip", id="run.skip"),
        Binding("plus,equals_sign", "extend(1)", "+1 min", id="run.extend1"),
        Binding("right_square_bracket", "extend(5)", "+5 min", id="run.extend5"),
        Binding("minus", "undo_extension", "Undo extension", id="run.unextend", show=False),
        Binding("x", "extend_by", "Extend…", id="run.extend_by", show=False),
        Binding("o", "reopen", "Reopen", id="run.reopen"),
        Binding("g", "agenda", "Agenda", id="run.agenda"),
        Binding("i", "type_here", "Type", id="run.type"),
        Binding("f", "focus_mode", "Focus", id="run.focus"),
        Binding("k", "park", "Park an item", id="run.park"),
        Binding("j", "joining", "Phones", id="run.join", show=False),
        Binding("a", "auto_advance", "Auto-advance", id="run.auto", show=False),
        Binding("b", "bell", "Bell on/off", id="run.bell", show=False),
        Binding("escape", "leave", "Stop typing or leave focus", id="run.leave", show=False),
        Binding("q", "close", "Home", id="run.close"),
    ]

    focus_mode: reactive[bool] = reactive(False)

    def __init__(
        self,
        loaded: LoadedSession,
        *,
        monotonic: Monotonic = system_monotonic,
        wall: Wall = system_wall,
        bell: bool = True,
        redraw_seconds: float = REDRAW_SECONDS,
    ):
        super().__init__()
        self.loaded = loaded
        self.saver = Autosaver(loaded)
        self.editor = SessionEditor(loaded.session, read_only=loaded.read_only, monotonic=monotonic, wall=wall)
        self.editor.listen(self._edited)
        self.monotonic = monotonic
        self.wall = wall
        self.bell_on = bell
        self.redraw_seconds = redraw_seconds
        self._last_record = monotonic()
        self._last_flush = monotonic()
        self._shown_activity: str | None = None
        self._shown_status = self.session.status
        self._shown_schedule: Text | None = None
        self._session_closed = self._recording = self._recovered = False
        if not loaded.read_only:
            # Opening a session for editing is where a crash is recovered from: one that
            # was saved running comes back paused (the listener saves that).
            self._last_saved_at = loaded.session.updated_at  # before the recovery is saved
            self._recovered = self.editor.recover_after_crash() is not None

    @property
    def session(self) -> Session:
        """The session, to read; every change goes through `self.editor`."""
        return self.editor.session

    @property
    def clock(self) -> RunClock:
        """The run clock, to read (time, phase, schedule); changes go through `self.editor`."""
        return self.editor.clock

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="run-body"):
            yield AgendaList(self.editor, id="agenda")
            with Vertical(id="run-main"):
                yield Static("", id="activity-heading")
                yield Static("", id="focus-prompt")
                yield StageLine(id="stage-line")
                yield Vertical(id="pane-holder")
                with Vertical(id="timer-panel"):
                    yield BigClock(id="countdown")
                    yield Static("", id="schedule-status")
        yield RunFooter()

    def on_resize(self) -> None:
        # Small terminals and projectors at large fonts get a narrower agenda and a
        # shorter countdown, so the activity itself keeps room.
        self.set_class(self.size.width < 110, "-narrow")
        self.set_class(self.size.height < 32, "-short")

    def on_mount(self) -> None:
        self.title = self.session.title
        self.sub_title = f"{self.session.team} · {self.session.date.isoformat()}" if self.session.team else self.session.date.isoformat()
        self._show_activity()
        self._redraw()
        self.set_interval(self.redraw_seconds, self._on_timer)
        if self._recovered:
            self.notify(recovered_notice(self.clock, self._last_saved_at), timeout=12, markup=False)

    # -- the timer ---------------------------------------------------------------------

    def holding_input(self) -> bool:
        """Whether someone is typing or filling in a ballot, so the room must not move on."""
        if self.app.screen is not self:
            return True  # a dialog (extend, confirm) is open over the run screen
        if isinstance(self.focused, (Input, TextArea)):
            return True
        pane = self._pane()
        return pane is not None and pane.holds_input()

    def _on_timer(self) -> None:
        # Auto-advance waits at a deadline while anyone is typing: moving on would drop
        # what they typed and send their next letters to the run keys.
        for event in self.editor.tick(hold=self.holding_input()):
            if isinstance(event, PhaseChanged) and event.phase == "over" and self.bell_on:
                self.app.bell()
            elif isinstance(event, StageChanged):
                # A new stage is a signal for the room, like the end of a time box.
                if self.bell_on:
                    self.app.bell()
                self.notify(stage_notice(self.clock, event), timeout=6, markup=False)
        now = self.monotonic()
        if self.clock.running and now - self._last_record >= RECORD_RUNNING_EVERY_SECONDS:
            # Nothing to show for it (the agenda's line moves each second anyway): saved, not redrawn.
            self._recording = True
            try:
                self.editor.record_elapsed()
            finally:
                self._recording = False
            self._last_record = now
        if now - self._last_flush >= SAVE_EVERY_SECONDS:
            self._last_flush = now
            self.saver.flush()
            self.note_save_results()
        self._redraw()

    def _redraw(self) -> None:
        box = self.clock.current_box
        countdown = self.query_one(BigClock)
        # With stages the big clock counts down the stage; the stage line says which.
        countdown.text, phase = countdown_of(self.clock)
        countdown.set_class(phase == "warning", "-warning")
        countdown.set_class(phase == "over", "-over")
        self.query_one(StageLine).show_stage(None if self.clock.completed else self.clock.current_stage())
        status = schedule_status(self.clock, self.wall(), read_only=self.saver.read_only, not_saved=self.save_problem is not None)
        if status != self._shown_schedule:
            # Static.update lays the screen out again: only when the words change.
            self._shown_schedule = status
            self.query_one("#schedule-status", Static).update(status)
        self.query_one(AgendaList).refresh_current()
        pane = self._pane()
        if isinstance(pane, BreakPane):
            back = self.wall() + timedelta(seconds=max(0.0, box.remaining_seconds))
            pane.show_back_at(f"Back at {back.astimezone().strftime('%H:%M')}")

    # -- showing the current activity --------------------------------------------------

    def _pane(self) -> ActivityPane | None:
        return next(iter(self.query(ActivityPane)), None)

    def _show_activity(self) -> None:
        activity, section = self.clock.current, self.clock.current_section
        self._shown_activity = activity.id
        self._shown_status = self.session.status
        position = f"{self.clock.current_index + 1}/{len(self.clock.activities)}"
        # One line, the most telling first: at 80 columns the section's name gives way
        # (cut with an ellipsis), never the minutes (which wrapped onto a line of their own).
        heading = Text(no_wrap=True, overflow="ellipsis")
        heading.append(f"{KIND_LABELS.get(activity.kind, activity.kind)} · ", style="italic")
        heading.append(activity.title, style="bold")
        heading.append(f" · {activity.minutes} min · {position}", style="dim")
        heading.append(f" · {section.title}", style="bold")
        self.query_one("#activity-heading", Static).update(heading)
        self.query_one("#focus-prompt", Static).update(Text(prompt_of(activity)))
        # A rating needs every line it can get on a small screen, the board every column:
        # the agenda gives way (g brings it back).
        self.set_class(activity.kind == "rate", "-rating")
        self.set_class(activity.kind == "place", "-placing")
        holder = self.query_one("#pane-holder", Vertical)
        holder.remove_children()
        holder.mount(pane_for(activity, section, self.editor, read_only=self.saver.read_only))
        self.query_one(AgendaList).rebuild()

    def _changed(self, show: bool = False) -> None:
        """Show what the run clock says now: the activity (if it moved), agenda and timer."""
        if not self.is_mounted:
            return
        # The close step's account says whether the session is complete: redraw it when
        # that changes (not on every pause, which would drop a half-filled ballot).
        completion_moved = (self.session.status == "completed") != (self._shown_status == "completed")
        if show or self.clock.current_id != self._shown_activity or completion_moved:
            self._show_activity()
        else:
            self.query_one(AgendaList).rebuild()
        self._redraw()
        self.refresh_bindings()

    def _edited(self, change: Change) -> None:
        """Every operation on the session lands here: save it, a decision at once."""
        self.saver.mark_dirty()
        if change.decision:
            # At once, before the frame that shows it: a kill the moment the room sees
            # the ballot counted must not lose it (test_terminal_decisions). Only the
            # snapshot is taken here; the writer thread does the file work.
            self.saver.flush(at_once=True)
        if change.area == "run" and not self._session_closed and not self._recording:
            self._last_record = self.monotonic()
            self._changed()

    # -- actions -----------------------------------------------------------------------

    def _attempt(self, operation: Callable[..., Change | None], *args: object) -> Change | None:
        """Call an operation; a refusal is shown as it is and changes nothing."""
        try:
            return operation(*args)
        except Refused as refusal:
            self.notify(str(refusal), severity="warning", markup=False)
            return None

    def action_toggle(self) -> None:  # type: ignore[override]  # Textual's generic toggle(attribute) is not used here
        self._attempt(self.editor.toggle)

    def action_next(self) -> None:
        if self.clock.is_last and not self.clock.completed and not self.saver.read_only:
            loose = loose_ends(self.session)
            if loose:
                self._confirm_close(loose)
                return
        self._next()

    def _confirm_close(self, loose: list[str]) -> None:
        """Before the session is marked completed, say what is loose and let the room fix it."""

        def answered(close_anyway: bool | None) -> None:
            if close_anyway:
                self._next()
            else:
                self.notify("Fix them on the board (g, then choose the placing activity).", timeout=6)

        listing = "\n".join(f"• {item}" for item in loose)
        self.app.push_screen(Confirm(f"Before we close:\n\n{listing}\n\nClose the session anyway?", yes="Close anyway", no="Go back"), answered)

    def _next(self) -> None:
        if self._attempt(self.editor.next) is not None and self.clock.completed:
            self._announce_completed()

    def _announce_completed(self) -> None:
        self.notify("That was the last activity: the session is complete. Press q for home (o reopens it).", timeout=5)

    def action_previous(self) -> None:
        self._attempt(self.editor.back)

    def action_skip(self) -> None:
        if self._attempt(self.editor.skip) is not None and self.clock.completed:
            self._announce_completed()

    def action_extend(self, minutes: int) -> None:
        if self._attempt(self.editor.extend, minutes) is not None:
            self.notify(f"+{minutes} min for “{self.clock.current.title}” (- takes it back)", timeout=2, markup=False)

    def action_undo_extension(self) -> None:
        change = self._attempt(self.editor.undo_extension)
        if change is not None:
            self.notify(change.summary, timeout=2, markup=False)

    def action_extend_by(self) -> None:
        from workshop.ui.widgets.ask_number import AskNumber

        if self.clock.completed:
            self._attempt(self.editor.extend, 1)  # refused, with the reason
            return

        def answered(minutes: int | None) -> None:
            if minutes:
                self.action_extend(minutes)

        question = "Extend the current time box by how many whole minutes?"
        self.app.push_screen(AskNumber(question, low=1, high=MAX_EXTENSION_MINUTES), answered)

    def action_reopen(self) -> None:
        """Reopen a completed session, after asking: it is never done by a stray key."""

        def answered(yes: bool | None) -> None:
            if yes and self._attempt(self.editor.reopen) is not None:
                self.notify("Reopened: the clock is paused at the last activity.", timeout=3)

        question = "This session is complete. Reopen it to carry on running it?"
        self.app.push_screen(Confirm(question, yes="Reopen", no="Keep it complete"), answered)

    def action_agenda(self) -> None:
        self.set_class(False, "-rating", "-placing")
        self.query_one(AgendaList).focus()

    @on(OptionList.OptionSelected, "#agenda")
    def _jump(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.saver.read_only or event.option.id is None or event.option.id == self.clock.current_id:
            return
        self._attempt(self.editor.jump, event.option.id)

    def action_type_here(self) -> None:
        pane = self._pane()
        if pane is None or not pane.focus_input():
            self.notify("Nothing to type in this activity.", timeout=2)

    def action_leave(self) -> None:
        if self.focus_mode:
            self.focus_mode = False
        elif isinstance(self.focused, (TextArea, Input)):
            self.set_focus(None)

    def action_park(self) -> None:
        ParkingQuestions(self, self.editor).ask()

    def action_focus_mode(self) -> None:
        self.focus_mode = not self.focus_mode

    def watch_focus_mode(self, on: bool) -> None:
        self.set_class(on, "-focus-mode")
        if on:
            self.set_focus(None)

    def action_auto_advance(self) -> None:
        self.editor.set_auto_advance(not self.clock.auto_advance)
        self.notify(f"Auto-advance {'on' if self.clock.auto_advance else 'off'}", timeout=2)
        self._redraw()

    def action_bell(self) -> None:
        self.bell_on = not self.bell_on
        remember = getattr(self.app, "remember_bell", None)
        if remember is not None:
            remember(self.bell_on)
        self.notify(f"Bell {'on' if self.bell_on else 'off'}", timeout=2)

    def action_close(self) -> None:
        self.leave_safely(lambda: self.dismiss(None))

    # -- ending ------------------------------------------------------------------------

    def record_before_leaving(self) -> None:
        """Stop the clock and write down the time, so the file says where the room was."""
        if not self.saver.read_only and not self._session_closed:
            self.editor.pause()
            self.editor.record_elapsed()

    def close_session(self, save: bool = True, timeout: float = 10.0) -> bool:
        """Record the time, save and release the session (idempotent). True if all saved.

        `save=False` is the facilitator's choice to discard what could not be saved.
        """
        if self._session_closed:
            return True
        self.record_before_leaving()
        self._session_closed = True
        saved = self.saver.close(timeout, save=save)
        for error in self.saver.take_errors():
            self.notify(error, severity="error", timeout=10)
        return saved
