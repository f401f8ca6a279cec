"""Leaving the run screen without losing the room's work, even when saving fails.

Leaving (q, ctrl+q) first saves and waits for it. If the save fails (a full disk, a
pulled USB stick) the screen stays and the facilitator chooses: retry, save a copy
elsewhere, or discard after a confirm. While saves fail, the status line says so
once, persistently, instead of a toast every second.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from workshop.domain.errors import WorkshopError
from workshop.storage.autosave import Autosaver
from workshop.storage.store import LoadedSession, save_copy
from workshop.ui.widgets.ask_text import AskText
from workshop.ui.widgets.confirm import Confirm
from workshop.ui.widgets.unsaved import COPY, DISCARD, RETRY, UnsavedChoice

# How long leaving waits for the last save before asking what to do.
LEAVE_SAVE_SECONDS = 5.0


class LeavingWithoutLoss:
    """Mixed into the run screen, which provides the saver, the editor and `close_session`."""

    @property
    def saver(self) -> Autosaver:
        raise NotImplementedError

    @property
    def loaded(self) -> LoadedSession:
        raise NotImplementedError

    # The last save error while saves keep failing; None once a save goes through.
    save_problem: str | None = None
    # How many saves had gone through at the last failure.
    _saves_at_failure = 0

    def note_save_results(self) -> None:
        """After a flush: say once that saving fails (then keep it in the status line), and
        once that it works again. Quiet while a dialog is open: it says so itself."""
        errors = self.saver.take_errors()
        warnings = self.saver.take_warnings()
        speak = self.app.screen is self  # type: ignore[attr-defined]
        for warning in warnings:
            self.notify(warning, severity="warning", timeout=12)  # type: ignore[attr-defined]
        if errors:
            if self.save_problem is None and speak:
                self.notify(errors[-1], severity="error", timeout=10)  # type: ignore[attr-defined]
            self.save_problem = errors[-1]
            self._saves_at_failure = self.saver.saves
        elif self.save_problem is not None and self.saver.saves > self._saves_at_failure and not self.saver.dirty:
            # A save has really gone through since the last failure (a flush only hands over).
            self.save_problem = None
            if speak:
                self.notify("Saved again: everything so far is in the file.", timeout=5)  # type: ignore[attr-defined]

    def leave_safely(self, then: Callable[[], object]) -> None:
        """Save and leave (calling `then`), or, if the save fails, ask what to do."""
        # The run screen's toasts are about the run: none may stay on top of the next screen.
        self.app.clear_notifications()  # type: ignore[attr-defined]
        if self.saver.read_only:
            self.close_session()  # type: ignore[attr-defined]
            then()
            return
        self.record_before_leaving()  # type: ignore[attr-defined]
        # Failures before this attempt are history: this save decides whether we may leave.
        self.saver.take_errors()
        finished = self.saver.flush(wait=True, timeout=LEAVE_SAVE_SECONDS)
        errors = self.saver.take_errors()
        for warning in self.saver.take_warnings():
            self.notify(warning, severity="warning", timeout=12)  # type: ignore[attr-defined]
        if finished and not errors and not self.saver.dirty:
            self.save_problem = None
            self.close_session()  # type: ignore[attr-defined]
            then()
            return
        if errors:
            self.save_problem = errors[-1]
        reason = self.save_problem or f"Saving {self.loaded.path.name} did not finish in {LEAVE_SAVE_SECONDS:.0f} seconds."
        # The dialog says why; toasts saying the same would cover its buttons.
        self.app.clear_notifications()  # type: ignore[attr-defined]
        self.app.push_screen(UnsavedChoice(reason), lambda choice: self._chosen(choice, then))  # type: ignore[attr-defined]

    def _chosen(self, choice: str | None, then: Callable[[], object]) -> None:
        if choice == RETRY:
            self.leave_safely(then)
        elif choice == COPY:
            self._ask_for_copy(then)
        elif choice == DISCARD:
            question = "Discard every change since the last save and leave? This cannot be undone."

            def answered(discard: bool | None) -> None:
                if discard:
                    self.close_session(save=False)  # type: ignore[attr-defined]
                    then()

            self.app.push_screen(Confirm(question, yes="Discard and leave", no="Stay"), answered)  # type: ignore[attr-defined]

    def _ask_for_copy(self, then: Callable[[], object]) -> None:
        saved: list[Path] = []

        def write(answer: str) -> str | None:
            # Runs as the dialog's check, so a refused path keeps it open with the reason.
            try:
                saved.append(save_copy(self.loaded.session, Path(answer.strip())))
            except WorkshopError as error:
                return error.reason
            except OSError as error:
                return f"Cannot save a copy there: {error.strerror or error}."
            return None

        def answered(answer: str | None) -> None:
            if answer is None or not saved:
                return
            self.notify(f"A copy of the session was saved as {saved[-1]}.", timeout=12)  # type: ignore[attr-defined]
            # The copy holds everything; the session's own file stays as it last was.
            self.close_session(save=False)  # type: ignore[attr-defined]
            then()

        question = "Save a copy where? Type a folder or a file path (for example /media/usb)."
        self.app.push_screen(AskText(question, placeholder="/path/to/folder", max_length=4096, validate=write), answered)  # type: ignore[attr-defined]
