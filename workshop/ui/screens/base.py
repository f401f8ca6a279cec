"""What every screen of the app shares."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import Screen
from textual.worker import Worker

from workshop.ui.failures import report_failed_worker

ResultType = TypeVar("ResultType")


class WorkshopScreen(Screen[ResultType]):
    """A screen whose background workers report failures instead of ending the app.

    Workers here run with `exit_on_error=False`: an unexpected error in file work is
    shown to the facilitator as one line, and the room's work carries on.
    """

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failed_worker(self, event)
