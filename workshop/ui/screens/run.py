"""The run screen: the agenda, the current activity, a big countdown, the schedule's state.

The screen draws and handles keys; the session itself is the `OpenSession` it is given
(workshop/service): every key calls an operation of its `SessionEditor`, and the screen
subscribes to the session's changes (its own, the phones') to redraw. The clock keeps the
time from a monotonic source; a timer here asks the open session to tick (auto-advance,
recording the running time, saving about once a second) and then redraws, each redraw
reading what remains.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from rich.text import Text
from textual import events, on
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
from workshop.service import OpenSession
from workshop.storage.autosave import Autosaver
from workshop.storage.store import LoadedSession
from workshop.ui.panes import ActivityPane, pane_for
from workshop.ui.panes.simple import BreakPane
from workshop.ui.screens.base import WorkshopScreen
from workshop.ui.screens.run_joining import JoiningFromPhones
from workshop.ui.screens.run_keys import RunKeys
from workshop.ui.screens.run_leaving import SafeLeaving
from workshop.ui.screens.run_parking import ParkingQuestions
from workshop.ui.screens.run_room import RoomControl
from workshop.ui.screens.run_typing import StrayKeys
from workshop.ui.screens.run_words import KIND_LABELS, prompt_of, recovered_notice, schedule_status
from workshop.ui.undo import LastStep
from workshop.ui.widgets.agenda_list import AgendaList
from workshop.ui.widgets.bigclock import BigClock
from workshop.ui.widgets.confirm import Confirm
from workshop.ui.widgets.run_footer import RunFooter
from workshop.ui.widgets.stage_line import StageLine, countdown_of, stage_notice

REDRAW_SECONDS = 0.25


class RunScreen(RunKeys, JoiningFromPhones, WorkshopScreen[None]):
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
        Binding("G", "toggle_agenda", "Hide/show the agenda", id="run.agenda_toggle", show=False),
        Binding("i", "type_here", "Type", id="run.type"),
        Binding("f", "focus_mode", "Focus", id="run.focus"),
        Binding("k", "park", "Park an item", id="run.park"),
        Binding("j", "joining", "Phones", id="run.join", show=False),
        Binding("v", "room", "Room's screen", id="run.room", show=False),
        Binding("h", "hold", "Hold the room's screen", id="run.hold", show=False),
        Binding("a", "auto_advance", "Auto-advance", id="run.auto", show=False),
        Binding("b", "bell", "Bell on/off", id="run.bell", show=False),
        Binding("u", "undo", "Undo last step", id="run.undo", show=False),
        Binding("escape", "leave", "Stop typing or leave focus", id="run.leave", show=False),
        Binding("q", "close", "Home", id="run.close"),
    ]

    focus_mode: reactive[bool] = reactive(False)

    def __init__(
        self,
        opened: OpenSession,
        *,
        bell: bool = True,
        redraw_seconds: float = REDRAW_SECONDS,
    ):
        super().__init__()
        self.opened = opened
        self.monotonic = opened.monotonic
        self.wall = opened.wall
        self.bell_on = bell
        self.redraw_seconds = redraw_seconds
        self._shown_activity: str | None = None
        self._shown_status = self.session.status
        self._shown_schedule: Text | None = None
        # The activity in which the room decided something while the clock was paused.
        self._paused_with_work: str | None = None
        self._unsubscribe = opened.subscribe(self._edited)
        self.leaving = SafeLeaving(self, opened, lambda save: self.close_session(save=save))
        self.room = RoomControl(self, opened)
        self.last_step = LastStep()
        self.stray_keys = StrayKeys(self)

    @property
    def editor(self) -> SessionEditor:
        return self.opened.editor

    @property
    def saver(self) -> Autosaver:
        return self.opened.saver

    @property
    def loaded(self) -> LoadedSession:
        return self.opened.loaded

    @property
    def _session_closed(self) -> bool:
        return self.opened.closed

    @property
    def save_problem(self) -> str | None:
        """The last save error while saves keep failing (the status line says so)."""
        return self.leaving.save_problem

    def note_save_results(self) -> None:
        self.leaving.note_save_results()

    def leave_safely(self, then: Callable[[], object]) -> None:
        """Save and leave (then `then`), or ask the facilitator what to do if saving fails."""
        self.leaving.leave_safely(then)

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
        # `workshop open SESSION --room [HOST:PORT]`: the room's screen starts with the session.
        room_at = getattr(self.app, "room_at", None)
        if room_at is not None and self.loaded.path == getattr(self.app, "open_path", None):
            self.app.room_at = None  # type: ignore[attr-defined]
            self.run_worker(self.room.start(*room_at, ask=False), group="room", exclusive=True)
        if self.opened.recovered:
            self.notify(recovered_notice(self.clock, self.opened.saved_before_open), timeout=12, markup=False)

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
        for event in self.opened.tick(hold=self.holding_input()):
            if isinstance(event, PhaseChanged) and event.phase == "over" and self.bell_on:
                self.app.bell()
            elif isinstance(event, StageChanged):
                # A new stage is a signal for the room, like the end of a time box.
                if self.bell_on:
                    self.app.bell()
                self.notify(stage_notice(self.clock, event), timeout=6, markup=False)
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
        untimed = self._paused_with_work == self.clock.current_id and not self.clock.running
        status = schedule_status(self.clock, self.wall(), read_only=self.saver.read_only, not_saved=self.save_problem is not None, untimed=untimed)
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

    def current_pane(self) -> ActivityPane | None:
        """The current activity's pane, once mounted."""
        return self._pane()

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
        self.set_class(activity.kind == "break", "-clock-first")
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
        """Every change to the session, from any front end: redraw what moved."""
        if change.area == "run" and not self.opened.closed and not self.opened.recording:
            self._changed()
        elif change.decision and not self.clock.running and not self.clock.completed and not self.saver.read_only:
            self._warn_paused()

    def _warn_paused(self) -> None:
        # A day run with the clock paused records everything but no time (the report then
        # reads 0:00): once the room decides something, the status line says so until the
        # clock starts or the room moves on (a line, not a toast over what is being read).
        if self._paused_with_work != self.clock.current_id:
            self._paused_with_work = self.clock.current_id
            if self.is_mounted:
                self._redraw()

    # -- actions -----------------------------------------------------------------------

    def _attempt(self, operation: Callable[..., Change | None], *args: object) -> Change | None:
        """Call an operation; a refusal is shown as it is and changes nothing."""
        try:
            return operation(*args)
        except Refused as refusal:
            # One refusal at a time: a key pressed again and again must not stack its
            # toasts over the agenda and the activity.
            self.app.clear_notifications()
            self.notify(str(refusal), severity="warning", markup=False)
            return None

    def on_key(self, event: events.Key) -> None:
        # Before the run keys see it: a run of printable keys is typing, never commands.
        if not isinstance(self.focused, (Input, TextArea)) and self.stray_keys.take(event):
            event.stop()
            event.prevent_default()

    def _stepped(self, label: str, take_back: Callable[[], object]) -> None:
        """Remember the step a key just made, so `u` can take it back."""
        self.last_step.record(label, take_back)

    def _moving(self) -> Callable[[], object]:
        """Before a move: how to take it back (to this activity, in the state it has now)."""
        activity_id = self.clock.current_id
        state = self.clock.state_of(activity_id)
        return lambda: self.editor.return_to(activity_id, state)

    def action_undo(self) -> None:
        where = self.clock.current_id
        try:
            said = self.last_step.undo()
        except Refused as refusal:
            self.notify(str(refusal), severity="warning", timeout=4, markup=False)
            return
        self.notify(said, timeout=3, markup=False)
        # A move taken back has shown its activity already (the change redraws it); a step
        # within the activity (a board move, a mark) is redrawn by showing the pane afresh.
        if self.clock.current_id == where:
            self._changed(show=True)

    def action_toggle(self) -> None:  # type: ignore[override]  # Textual's generic toggle(attribute) is not used here
        change = self._attempt(self.editor.toggle)
        if change is not None:
            was_running = not self.clock.running
            self._stepped("Pause" if was_running else "Start", self.editor.toggle)

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
                self.notify("Fix them where they were made: g, then the board, the consent check or the close's parking lot.", timeout=6)

        listing = "\n".join(f"• {item}" for item in loose)
        self.app.clear_notifications()  # the dialog says it all; a toast would cover its buttons
        self.app.push_screen(Confirm(f"Before we close:\n\n{listing}\n\nClose the session anyway?", yes="Close anyway", no="Go back"), answered)

    def _next(self) -> None:
        take_back = self._moving()
        if self._attempt(self.editor.next) is not None:
            self._stepped("Next", take_back)
            if self.clock.completed:
                self._announce_completed()

    def _announce_completed(self) -> None:
        self.notify("That was the last activity: the session is complete. Press q for home (o reopens it).", timeout=5)

    def action_previous(self) -> None:
        take_back = self._moving()
        if self._attempt(self.editor.back) is not None:
            self._stepped("Back", take_back)

    def action_skip(self) -> None:
        take_back = self._moving()
        if self._attempt(self.editor.skip) is not None:
            self._stepped("Skip", take_back)
            if self.clock.completed:
                self._announce_completed()

    def action_extend(self, minutes: int) -> None:
        if self._attempt(self.editor.extend, minutes) is not None:
            self._stepped(f"+{minutes} min", self.editor.undo_extension)
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
        self.set_class(False, "-rating", "-placing", "-no-agenda")
        self.query_one(AgendaList).focus()

    def action_toggle_agenda(self) -> None:
        """Hide the agenda (a projector's narrow screen needs the columns) or bring it back."""
        self.toggle_class("-no-agenda")

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

    def action_room(self) -> None:
        self.room.menu()

    def action_hold(self) -> None:
        self.room.toggle_hold()

    def action_auto_advance(self) -> None:
        was = self.clock.auto_advance
        self.editor.set_auto_advance(not was)
        self._stepped(f"Auto-advance {'off' if was else 'on'}", lambda: self.editor.set_auto_advance(was))
        self.notify(f"Auto-advance {'on' if self.clock.auto_advance else 'off'}", timeout=2)
        self._redraw()

    def action_bell(self) -> None:
        was = self.bell_on
        self._set_bell(not was)
        self._stepped(f"Bell {'off' if was else 'on'}", lambda: self._set_bell(was))
        self.notify(f"Bell {'on' if self.bell_on else 'off'} (u undoes)", timeout=2)

    def _set_bell(self, on: bool) -> None:
        """The bell, for this and later sessions: changed only by its own key (b) or undoing it."""
        self.bell_on = on
        remember = getattr(self.app, "remember_bell", None)
        if remember is not None:
            remember(on)

    def action_close(self) -> None:
        self.leave_safely(lambda: self.dismiss(None))

    # -- ending ------------------------------------------------------------------------

    def on_unmount(self) -> None:
        self._unsubscribe()

    def record_before_leaving(self) -> None:
        """Stop the clock and write down the time, so the file says where the room was."""
        self._keep_unsent()
        self.opened.record_before_leaving()

    def _keep_unsent(self) -> None:
        # A proposal typed but not entered goes into the step's notes, before the last save.
        pane = self._pane()
        if pane is not None and not self.opened.read_only and not self.opened.closed:
            pane.keep_unsent()

    def close_session(self, save: bool = True, timeout: float = 10.0) -> bool:
        """Record the time, save and release the session (idempotent). True if all saved.

        `save=False` is the facilitator's choice to discard what could not be saved.
        """
        if self.opened.closed:
            return True
        self.joining.forget_panel()
        if save:
            self._keep_unsent()
        saved = self.opened.close(save=save, timeout=timeout)
        for error in self.saver.take_errors():
            self.notify(error, severity="error", timeout=10)
        # Said again as the app exits (on the terminal, after the screen is gone).
        notes = getattr(self.app, "exit_notes", None)
        if notes is not None:
            notes.extend(note for note in self.opened.exit_notes if note not in notes)
        return saved
