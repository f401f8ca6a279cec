"""Leaving the run screen without losing the room's work, even when saving fails.

Leaving (q, ctrl+q) first saves and waits for it. If the save fails (a full disk, a
pulled USB stick) the screen stays and the facilitator chooses: retry, save a copy
elsewhere, or discard after a confirm. While saves fail, the status line says so
once, persistently, instead of a toast every second.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.screen import Screen

from workshop.domain.errors import WorkshopError
from workshop.service import OpenSession
from workshop.storage.store import save_copy
from workshop.ui.widgets.ask_text import AskText
from workshop.ui.widgets.confirm import Confirm
from workshop.ui.widgets.unsaved import COPY, DISCARD, RETRY, UnsavedChoice

# How long leaving waits for the last save before asking what to do.
LEAVE_SAVE_SECONDS = 5.0


class SafeLeaving:
    """The run screen's saving and leaving: held by the screen, working on its open session.

    `close(save)` is the screen's own close (it takes its panels down first); the
    dialogs are pushed on the screen's app.
    """

    def __init__(self, screen: Screen[None], opened: OpenSession, close: Callable[[bool], bool]):
        self.screen = screen
        self.opened = opened
        self.close = close
        # The last save error while saves keep failing; None once a save goes through.
        self.save_problem: str | None = None
        # How many saves had gone through at the last failure.
        self._saves_at_failure = 0

    def note_save_results(self) -> None:
        """After a flush: say once that saving fails (then keep it in the status line), and
        once that it works again. Quiet while a dialog is open: it says so itself."""
        saver = self.opened.saver
        errors = saver.take_errors()
        warnings = self.opened.take_warnings()
        speak = self.screen.app.screen is self.screen
        for warning in warnings:
            self.screen.notify(warning, severity="warning", timeout=12)
        if errors:
            if self.save_problem is None and speak:
                self.screen.notify(errors[-1], severity="error", timeout=10)
            self.save_problem = errors[-1]
            self._saves_at_failure = saver.saves
        elif self.save_problem is not None and saver.saves > self._saves_at_failure and not saver.dirty:
            # A save has really gone through since the last failure (a flush only hands over).
            self.save_problem = None
            if speak:
                self.screen.notify("Saved again: everything so far is in the file.", timeout=5)

    def leave_safely(self, then: Callable[[], object]) -> None:
        """Save and leave (calling `then`), or, if the save fails, ask what to do."""
        app = self.screen.app
        saver = self.opened.saver
        # The run screen's toasts are about the run: none may stay on top of the next screen.
        app.clear_notifications()
        if saver.read_only:
            self.close(True)
            then()
            return
        self.opened.record_before_leaving()
        # Failures before this attempt are history: this save decides whether we may leave.
        saver.take_errors()
        finished = self.opened.save_and_wait(LEAVE_SAVE_SECONDS)
        errors = saver.take_errors()
        for warning in self.opened.take_warnings():
            self.screen.notify(warning, severity="warning", timeout=12)
        if finished and not errors and not saver.dirty:
            self.save_problem = None
            self.close(True)
            then()
            return
        if errors:
            self.save_problem = errors[-1]
        reason = self.save_problem or f"Saving {self.opened.loaded.path.name} did not finish in {LEAVE_SAVE_SECONDS:.0f} seconds."
        # The dialog says why; toasts saying the same would cover its buttons.
        app.clear_notifications()
        app.push_screen(UnsavedChoice(reason), lambda choice: self._chosen(choice, then))

    def _chosen(self, choice: str | None, then: Callable[[], object]) -> None:
        if choice == RETRY:
            self.leave_safely(then)
        elif choice == COPY:
            self._ask_for_copy(then)
        elif choice == DISCARD:
            question = "Discard every change since the last save and leave? This cannot be undone."

            def answered(discard: bool | None) -> None:
                if discard:
                    self.close(False)
                    then()

            self.screen.app.push_screen(Confirm(question, yes="Discard and leave", no="Stay"), answered)

    def _ask_for_copy(self, then: Callable[[], object]) -> None:
        saved: list[Path] = []

        def write(answer: str) -> str | None:
            # Runs as the dialog's check, so a refused path keeps it open with the reason.
            try:
                saved.append(save_copy(self.opened.session, Path(answer.strip())))
            except WorkshopError as error:
                return error.reason
            except OSError as error:
                return f"Cannot save a copy there: {error.strerror or error}."
            return None

        def answered(answer: str | None) -> None:
            if answer is None or not saved:
                return
            self.screen.notify(f"A copy of the session was saved as {saved[-1]}.", timeout=12)
            # The copy holds everything; the session's own file stays as it last was.
            self.close(False)
            then()

        question = "Save a copy where? Type a folder or a file path (for example /media/usb)."
        self.screen.app.push_screen(AskText(question, placeholder="/path/to/folder", max_length=4096, validate=write), answered)
