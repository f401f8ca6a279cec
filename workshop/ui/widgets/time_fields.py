"""The setup form's time fields: the time available and the start time, written and read.

Kept apart from the form (`workshop.ui.screens.setup`) as the voting fields are: the
three places that read them (the live total, `f` to fit the agenda, saving) read them
through `read_time_fields`, so each says the same about a value that does not parse.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.dom import DOMNode
from textual.widgets import Input, Label, Static

from workshop.domain.new_session import SetupError
from workshop.domain.parsing import parse_duration, parse_time_of_day


def time_fields(available: int | None, start: str | None) -> ComposeResult:
    """The fields, filled in; the form reads them back with `read_time_fields`."""
    with Horizontal(classes="row"):
        with Vertical(classes="field"):
            yield Label("Time available")
            yield Input(str(available) if available else "", placeholder="e.g. 3h or 180", id="available", max_length=12, compact=True)
            yield Static("", id="available-error", classes="error")
        with Vertical(classes="field"):
            yield Label("Start time")
            yield Input(start or "", placeholder="e.g. 09:30", id="start", max_length=5, compact=True)
            yield Static("", id="start-error", classes="error")


@dataclass(frozen=True)
class TimeFields:
    """What the fields say: minutes and "HH:MM" (None when blank or not understood), and
    the reason for each that was not understood ("" when all is well)."""

    available: int | None
    start: str | None
    available_error: str = ""
    start_error: str = ""

    @property
    def problems(self) -> int:
        """How many of the two fields could not be read."""
        return bool(self.available_error) + bool(self.start_error)


def read_time_fields(form: DOMNode) -> TimeFields:
    """Read the time fields under `form`, parsed by the domain's rules."""
    available = start = None
    available_error = start_error = ""
    try:
        available = parse_duration(form.query_one("#available", Input).value)
    except SetupError as error:
        available_error = str(error)
    try:
        start = parse_time_of_day(form.query_one("#start", Input).value)
    except SetupError as error:
        start_error = str(error)
    return TimeFields(available, start, available_error, start_error)
