"""The run screen's keys that move the room: start or pause, next, back, skip, the time box.

`RoomMoves` calls the `SessionEditor`'s operations; a refusal is one toast (the last one
replaced, so a key pressed again and again does not stack them), and every move records
how to take itself back (`Steps`, for `u`). Before the last activity closes the session it
says what is loose, and reopening a completed session is asked, never done by a stray key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from workshop.domain.closecheck import loose_ends
from workshop.domain.errors import Refused
from workshop.domain.models.limits import MAX_EXTENSION_MINUTES
from workshop.domain.operations import Change, SessionEditor
from workshop.domain.runclock import RunClock
from workshop.ui.screens.run_steps import Steps
from workshop.ui.widgets.confirm import Confirm

if TYPE_CHECKING:
    from workshop.ui.screens.run import RunScreen


class RoomMoves:
    """Moves through the agenda and its time boxes, for the run screen's keys."""

    def __init__(self, screen: RunScreen, steps: Steps):
        self.screen = screen
        self.steps = steps

    @property
    def editor(self) -> SessionEditor:
        return self.screen.editor

    @property
    def clock(self) -> RunClock:
        return self.screen.clock

    def attempt(self, operation: Callable[..., Change | None], *args: object) -> Change | None:
        """Call an operation; a refusal is shown as it is and changes nothing."""
        try:
            return operation(*args)
        except Refused as refusal:
            # One refusal at a time: a key pressed again and again must not stack its
            # toasts over the agenda and the activity.
            self.screen.app.clear_notifications()
            self.screen.notify(str(refusal), severity="warning", markup=False)
            return None

    def toggle(self) -> None:
        if self.attempt(self.editor.toggle) is not None:
            was_running = not self.clock.running
            self.steps.record("Pause" if was_running else "Start", self.editor.toggle)

    def next(self) -> None:
        if self.clock.is_last and not self.clock.completed and not self.screen.saver.read_only:
            loose = loose_ends(self.screen.session)
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
                self.screen.notify("Fix them where they were made: g, then the board, the consent check or the close's parking lot.", timeout=6)

        listing = "\n".join(f"• {item}" for item in loose)
        app = self.screen.app
        app.clear_notifications()  # the dialog says it all; a toast would cover its buttons
        app.push_screen(Confirm(f"Before we close:\n\n{listing}\n\nClose the session anyway?", yes="Close anyway", no="Go back"), answered)

    def _next(self) -> None:
        take_back = self.steps.moving()
        if self.attempt(self.editor.next) is not None:
            self.steps.record("Next", take_back)
            if self.clock.completed:
                self._announce_completed()

    def _announce_completed(self) -> None:
        self.screen.notify("That was the last activity: the session is complete. Press q for home (o reopens it).", timeout=5)

    def previous(self) -> None:
        take_back = self.steps.moving()
        if self.attempt(self.editor.back) is not None:
            self.steps.record("Back", take_back)

    def skip(self) -> None:
        take_back = self.steps.moving()
        if self.attempt(self.editor.skip) is not None:
            self.steps.record("Skip", take_back)
            if self.clock.completed:
                self._announce_completed()

    def extend(self, minutes: int) -> None:
        if self.attempt(self.editor.extend, minutes) is not None:
            self.steps.record(f"+{minutes} min", self.editor.undo_extension)
            self.screen.notify(f"+{minutes} min for “{self.clock.current.title}” (- takes it back)", timeout=2, markup=False)

    def undo_extension(self) -> None:
        change = self.attempt(self.editor.undo_extension)
        if change is not None:
            self.screen.notify(change.summary, timeout=2, markup=False)

    def extend_by(self) -> None:
        """Ask by how many minutes, then extend by that."""
        from workshop.ui.widgets.ask_number import AskNumber

        if self.clock.completed:
            self.attempt(self.editor.extend, 1)  # refused, with the reason
            return

        def answered(minutes: int | None) -> None:
            if minutes:
                self.extend(minutes)

        question = "Extend the current time box by how many whole minutes?"
        self.screen.app.push_screen(AskNumber(question, low=1, high=MAX_EXTENSION_MINUTES), answered)

    def reopen(self) -> None:
        """Reopen a completed session, after asking."""

        def answered(yes: bool | None) -> None:
            if yes and self.attempt(self.editor.reopen) is not None:
                self.screen.notify("Reopened: the clock is paused at the last activity.", timeout=3)

        question = "This session is complete. Reopen it to carry on running it?"
        self.screen.app.push_screen(Confirm(question, yes="Reopen", no="Keep it complete"), answered)
