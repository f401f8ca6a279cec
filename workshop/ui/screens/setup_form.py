"""The setup form's fields: laid out from a session (or blank for a new one) and read
back into `SetupDetails`, each problem shown beside its field.

The screen (`workshop.ui.screens.setup`) holds one `SetupForm` and decides what to do
with what it reads: build a new session or edit a planned one, save, leave.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from workshop.domain.models.limits import SHORT_TEXT_CHARACTERS
from workshop.domain.models.session import Session, VotingSettings
from workshop.domain.new_session import PersonEntry, SetupDetails, SetupError, voting_settings
from workshop.domain.parsing import parse_day
from workshop.domain.text import format_minutes, plural
from workshop.storage.packs import PackEntry
from workshop.ui.widgets.agenda_editor import AgendaEditor
from workshop.ui.widgets.participants_editor import ParticipantsEditor
from workshop.ui.widgets.time_fields import read_time_fields, time_fields
from workshop.ui.widgets.voting_fields import voting_fields

if TYPE_CHECKING:
    from workshop.ui.screens.setup import SetupScreen


def show_error(widget: Static, message: str) -> None:
    """Show `message` under a field; an empty one takes no room, so the form does not jump."""
    # Text, not markup: a message may quote what was typed.
    widget.update(Text(message))
    widget.display = bool(message)


def pack_label(entry: PackEntry) -> Text:
    pack = entry.pack
    sections = sum(1 for section in pack.sections if section.included)
    return Text(f"{pack.title} · {sections} sections · {format_minutes(pack.minutes)}")


class SetupForm:
    """Lays out and reads the fields of one setup screen."""

    def __init__(self, screen: SetupScreen):
        self.screen = screen

    def compose(self, session: Session | None, today: date) -> ComposeResult:
        screen = self.screen
        voting = session.voting if session else VotingSettings()
        with VerticalScroll(id="setup-form"):
            yield Static("Edit planned session" if session else "New session", classes="form-title")
            if session is None:
                yield Label("Workshop pack")
                yield Select(
                    [(pack_label(entry), entry.pack.id) for entry in screen.catalogue.entries],
                    value=screen.pack_entry.pack.id if screen.pack_entry else Select.NULL,
                    allow_blank=False,
                    id="pack",
                    compact=True,
                )
            else:
                yield Static(Text(f"Pack: {session.agenda.pack_title} (v{session.agenda.pack_version})"), classes="hint")
            yield Static("", id="pack-summary", classes="hint")
            with Horizontal(classes="row"):
                with Vertical(classes="field wide"):
                    yield Label("Title")
                    yield Input(
                        session.title if session else "", placeholder="e.g. Spring away-day", id="title", max_length=SHORT_TEXT_CHARACTERS, compact=True
                    )
                    yield Static("", id="title-error", classes="error")
                with Vertical(classes="field"):
                    yield Label("Date (YYYY-MM-DD)")
                    yield Input((session.date if session else today).isoformat(), id="date", max_length=10, compact=True)
                    yield Static("", id="date-error", classes="error")
            with Horizontal(classes="row"):
                with Vertical(classes="field wide"):
                    yield Label("Team")
                    yield Input(
                        session.team if session else "", placeholder="e.g. Children's services SLT", id="team", max_length=SHORT_TEXT_CHARACTERS, compact=True
                    )
                with Vertical(classes="field wide"):
                    yield Label("Facilitator")
                    yield Input(
                        session.facilitator if session else "", placeholder="Your name", id="facilitator", max_length=SHORT_TEXT_CHARACTERS, compact=True
                    )
            yield Label("Participants")
            yield ParticipantsEditor(screen.people, id="participants")
            yield Static("", id="participants-error", classes="error")
            yield from time_fields(session.available_minutes if session else None, session.start_time if session else None)
            yield Label("Agenda (space: include/drop, + and -: minutes, f: fit to the time)")
            yield Static("", id="agenda-total")
            yield AgendaEditor(screen.initial_sections, id="agenda")
            yield from voting_fields(voting)
            yield Static("", id="voting-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Save changes (ctrl+s)" if session else "Create session (ctrl+s)", variant="primary", id="save", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)

    def state(self) -> object:
        """Everything the facilitator can change, to tell whether anything was typed."""
        screen = self.screen
        inputs = tuple(widget.value for widget in screen.query(Input))
        choices = tuple(str(widget.value) for widget in screen.query(Select))
        ticks = tuple(widget.value for widget in screen.query(Checkbox))
        people = tuple((p.name, p.role, p.id) for p in screen.query_one(ParticipantsEditor).people)
        agenda = tuple(section.model_dump_json() for section in screen.sections)
        return inputs, choices, ticks, people, agenda

    def value(self, field: str) -> str:
        return self.screen.query_one(f"#{field}", Input).value

    def clear_errors(self) -> None:
        for widget in self.screen.query(".error"):
            if isinstance(widget, Static):
                show_error(widget, "")

    def error(self, field: str, message: str) -> None:
        show_error(self.screen.query_one(f"#{field}-error", Static), message)

    def read(self) -> SetupDetails | None:
        """Read the form into details; None after showing every problem beside its field."""
        screen = self.screen
        self.clear_errors()
        problems = 0
        title = self.value("title").strip()
        if not title:
            self.error("title", "Give the session a title.")
            problems += 1
        day = voting = None
        try:
            day = parse_day(self.value("date"))
        except SetupError as error:
            self.error("date", str(error))
            problems += 1
        times = read_time_fields(screen)
        self.error("available", times.available_error)
        self.error("start", times.start_error)
        problems += times.problems
        try:
            voting = voting_settings(
                self.value("dots"),
                self.value("cap"),
                str(screen.query_one("#mode", Select).value),
                screen.query_one("#facilitator-votes", Checkbox).value,
            )
        except SetupError as error:
            self.error("voting", str(error))
            problems += 1
        if not any(section.included and any(a.included for a in section.activities) for section in screen.sections):
            screen.query_one("#agenda-total", Static).update("The agenda is empty: include at least one section.")
            problems += 1
        if screen.loaded is None and screen.pack_entry is None:
            problems += 1
        if problems or day is None or voting is None:
            screen.notify(f"{plural(problems, 'thing')} to fix before saving; see the messages in red.", severity="error")
            return None
        people = screen.query_one(ParticipantsEditor).people
        return SetupDetails(
            title=title,
            day=day,
            team=self.value("team"),
            facilitator=self.value("facilitator"),
            participants=tuple(PersonEntry(p.name, p.role, p.id, p.present) for p in people),
            available_minutes=times.available,
            start_time=times.start,
            sections=tuple(screen.sections),
            voting=voting,
        )
