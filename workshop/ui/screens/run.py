"""The run screen: the agenda, the current activity, a big countdown, the schedule's state.

The screen draws and handles keys; the session itself is the `OpenSession` it is given
(workshop/service): every key calls an operation of its `SessionEditor`, and the screen
subscribes to the session's changes (its own, the phones') to redraw. The clock keeps the
time from a monotonic source; a timer here asks the open session to tick (auto-advance,
recording the running time, saving about once a second) and then redraws, each redraw
reading what remains.

Collaborators the screen holds: `ActivityShown` (the activity's heading and pane), `RoomMoves`
(keys that move the room), `Steps` (`u`), `StrayKeys` (typing), `SafeLeaving` (saving, leaving).
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

from workshop.domain.models.session import Session
from workshop.domain.operations import Change, SessionEditor
from workshop.domain.runclock import PhaseChanged, RunClock, StageChanged
from workshop.service import OpenSession
from workshop.storage.autosave import Autosaver
from workshop.storage.store import LoadedSession
from workshop.ui.panes import ActivityPane
from workshop.ui.panes.simple import BreakPane
from workshop.ui.screens.base import WorkshopScreen
from workshop.ui.screens.run_activity import ActivityShown
from workshop.ui.screens.run_joining import JoiningFromPhones
from workshop.ui.screens.run_keys import RunKeys
from workshop.ui.screens.run_leaving import SafeLeaving
from workshop.ui.screens.run_moves import RoomMoves
from workshop.ui.screens.run_parking import ParkingQuestions
from workshop.ui.screens.run_people import PeopleInTheRoom
from workshop.ui.screens.run_room import RoomControl
from workshop.ui.screens.run_steps import Steps
from workshop.ui.screens.run_typing import StrayKeys
from workshop.ui.screens.run_words import recovered_notice, schedule_status
from workshop.ui.widgets.agenda_list import AgendaList
from workshop.ui.widgets.bigclock import BigClock
from workshop.ui.widgets.run_footer import RunFooter
from workshop.ui.widgets.stage_line import StageLine, countdown_of, toast_stage

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
        Binding("t", "people", "Who is here", id="run.people", show=False),
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
        self._shown_schedule: Text | None = None
        # The activity in which the room decided something while the clock was paused.
        self._paused_with_work: str | None = None
        self._unsubscribe = opened.subscribe(self._edited)
        self.leaving = SafeLeaving(self, opened, lambda save: self.close_session(save=save))
        self.room = RoomControl(self, opened)
        # What the screen shows of the current activity, and its pane.
        self.shown = ActivityShown(self)
        # The last step a key made, for `u`; `last_step` is where panes record theirs.
        self.steps = Steps(self)
        # The keys that move the room through the agenda and its time boxes.
        self.moves = RoomMoves(self, self.steps)
        self.last_step = self.steps.last
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
        self.shown.show()
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
                toast_stage(self, self.clock, event)
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
        return self.shown.pane

    def current_pane(self) -> ActivityPane | None:
        """The current activity's pane, once mounted."""
        return self._pane()

    def show_changes(self, show: bool = False) -> None:
        """Show what the run clock says now: the activity (if it moved, or `show`), agenda and timer."""
        if not self.is_mounted:
            return
        if show or self.shown.stale():
            self.shown.show()
        else:
            self.query_one(AgendaList).rebuild()
        self._redraw()
        self.refresh_bindings()

    def _edited(self, change: Change) -> None:
        """Every change to the session, from any front end: redraw what moved."""
        if change.area == "run" and not self.opened.closed and not self.opened.recording:
            self.show_changes()
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
        return self.moves.attempt(operation, *args)

    def on_key(self, event: events.Key) -> None:
        # Before the run keys see it: a run of printable keys is typing, never commands.
        if not isinstance(self.focused, (Input, TextArea)) and self.stray_keys.take(event):
            event.stop()
            event.prevent_default()

    def action_undo(self) -> None:
        self.steps.undo()

    def action_toggle(self) -> None:  # type: ignore[override]  # Textual's generic toggle(attribute) is not used here
        self.moves.toggle()

    def action_next(self) -> None:
        self.moves.next()

    def action_previous(self) -> None:
        self.moves.previous()

    def action_skip(self) -> None:
        self.moves.skip()

    def action_extend(self, minutes: int) -> None:
        self.moves.extend(minutes)

    def action_undo_extension(self) -> None:
        self.moves.undo_extension()

    def action_extend_by(self) -> None:
        self.moves.extend_by()

    def action_reopen(self) -> None:
        """Reopen a completed session, after asking: it is never done by a stray key."""
        self.moves.reopen()

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

    def action_people(self) -> None:
        PeopleInTheRoom(self, self.editor).show()

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
        self.steps.flip_auto_advance()

    def action_bell(self) -> None:
        self.steps.flip_bell()

    def set_bell(self, on: bool) -> None:
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
        self.shown.keep_unsent()
        self.opened.record_before_leaving()

    def close_session(self, save: bool = True, timeout: float = 10.0) -> bool:
        """Record the time, save and release the session (idempotent). True if all saved.

        `save=False` is the facilitator's choice to discard what could not be saved.
        """
        if self.opened.closed:
            return True
        self.joining.forget_panel()
        if save:
            self.shown.keep_unsent()
        saved = self.opened.close(save=save, timeout=timeout)
        for error in self.saver.take_errors():
            self.notify(error, severity="error", timeout=10)
        # Said again as the app exits (on the terminal, after the screen is gone).
        notes = getattr(self.app, "exit_notes", None)
        if notes is not None:
            notes.extend(note for note in self.opened.exit_notes if note not in notes)
        return saved
